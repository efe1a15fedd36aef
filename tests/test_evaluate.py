import pytest

from kg.cli import main
from kg.evaluate import GoldError, evaluate, read_gold
from kg.load import parse_document
from kg.ontology import Ontology

GOLD = "subject\trelation\tobject\tyear\tpolarity\n"


def gold_file(tmp_path, rows: str):
    p = tmp_path / "g.tsv"
    p.write_text(GOLD + rows, encoding="utf-8")
    return p


def test_scores_misses_and_false_claims(tmp_path, lexicon, extractor):
    ontology = Ontology.load()
    gold = read_gold(gold_file(tmp_path, "红帽\tacquired\tQumranet\t2008\tpositive\n"
                                         "Linux kernel\tsupports\tXen\t\tnegative\n"
                                         "Red Hat\tchose\tKVM\t\t\n"), lexicon, ontology)
    doc = parse_document("2008年，Red Hat收购了Qumranet。Linux内核不支持Xen。红帽选择了Xen。".encode(), "a.md")
    ev = evaluate(extractor.extract(doc), gold, ontology)
    assert (ev.overall.tp, ev.overall.fp, ev.overall.fn) == (2, 1, 1)
    assert ev.overall.precision == pytest.approx(2 / 3) and ev.overall.recall == pytest.approx(2 / 3)
    assert [(g.subject, g.relation, g.object, g.polarity) for g in ev.misses] == [("red-hat", "chose", "kvm", "positive")]
    assert [k for k, _ in ev.false] == [("red-hat", "chose", "xen", "positive")]
    assert ev.per_relation["acquired"].f1 == 1.0


def test_symmetric_relations_match_in_either_order(tmp_path, lexicon, extractor):
    ontology = Ontology.load()
    gold = read_gold(gold_file(tmp_path, "Novell\tpartnerOf\tMicrosoft\t\tpositive\n"), lexicon, ontology)
    doc = parse_document("Microsoft partnered with Novell.".encode(), "a.md")
    assert evaluate(extractor.extract(doc), gold, ontology).overall.f1 == 1.0


def test_planned_claims_are_not_counted(tmp_path, lexicon, extractor):
    ontology = Ontology.load()
    doc = parse_document("Red Hat plans to acquire Qumranet.".encode(), "a.md")
    ev = evaluate(extractor.extract(doc), [], ontology)
    assert ev.overall.fp == 0


def test_planned_gold_rows_are_read_and_not_counted(tmp_path, lexicon):
    rows = "Red Hat\tacquired\tQumranet\t\tplanned\nCitrix\tacquired\tXenSource\t\tpositive\n"
    gold = read_gold(gold_file(tmp_path, rows), lexicon, Ontology.load())
    assert [(g.subject, g.object) for g in gold] == [("citrix", "xensource")]


@pytest.mark.parametrize("rows,message", [
    ("A\tbought\tB\t\tpositive\n", "unknown relation"),
    ("A\tacquired\tB\tlate\tpositive\n", "year"),
    ("A\tacquired\tB\t\tmaybe\n", "polarity"),
])
def test_bad_gold_rows_name_the_line(tmp_path, lexicon, rows, message):
    with pytest.raises(GoldError, match=f"g.tsv: line 2: .*{message}"):
        read_gold(gold_file(tmp_path, rows), lexicon, Ontology.load())


def test_cli_eval_prints_scores(tmp_path, capsys):
    article = tmp_path / "a.md"
    article.write_text("Citrix acquired XenSource in 2007.", encoding="utf-8")
    (tmp_path / "a.tsv").write_text(GOLD + "Citrix\tacquired\tXenSource\t2007\tpositive\n", encoding="utf-8")
    assert main(["eval", str(tmp_path / "a.tsv"), "--lexicon", "tests/data/lexicon.yaml"]) == 0
    out = capsys.readouterr().out
    assert "precision 1.000  recall 1.000" in out and "years right on 1/1" in out
    assert main(["eval", str(tmp_path / "missing.tsv")]) == 2


def test_cli_eval_min_confidence_leaves_out_weaker_claims(tmp_path, capsys):
    (tmp_path / "a.md").write_text("Citrix acquired XenSource in 2007.", encoding="utf-8")
    (tmp_path / "a.tsv").write_text(GOLD + "Citrix\tacquired\tXenSource\t2007\tpositive\n", encoding="utf-8")
    gold = str(tmp_path / "a.tsv")
    assert main(["eval", gold, "--lexicon", "tests/data/lexicon.yaml", "--min-confidence", "0.5"]) == 0
    assert "recall 1.000" in capsys.readouterr().out
    assert main(["eval", gold, "--lexicon", "tests/data/lexicon.yaml", "--min-confidence", "1.01"]) == 0
    assert "recall 0.000" in capsys.readouterr().out


def test_a_gold_file_beside_its_article_is_scored_on_that_article_alone(tmp_path, capsys):
    (tmp_path / "a.md").write_text("Citrix acquired XenSource in 2007.", encoding="utf-8")
    (tmp_path / "a.tsv").write_text(GOLD + "Citrix\tacquired\tXenSource\t2007\tpositive\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Red Hat chose KVM.", encoding="utf-8")
    (tmp_path / "b.tsv").write_text(GOLD + "Red Hat\tchose\tKVM\t\tpositive\n"
                                    "Citrix\tacquired\tXenSource\t\tpositive\n", encoding="utf-8")
    assert main(["eval", str(tmp_path), "--lexicon", "tests/data/lexicon.yaml"]) == 0
    out = capsys.readouterr().out
    assert "(tp 2, fp 0, fn 1)" in out and "b.tsv:3" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.split("article ", 1)[1].splitlines()[1:3]}
    assert rows["a"][-3:] == ["1", "0", "0"] and rows["b"][-3:] == ["1", "0", "1"]
    # one gold file for several articles: claims of any of them count
    assert main(["eval", str(tmp_path / "b.tsv"), str(tmp_path / "a.md"), str(tmp_path / "b.md"),
                 "--lexicon", "tests/data/lexicon.yaml"]) == 0
    assert "(tp 2, fp 0, fn 0)" in capsys.readouterr().out
