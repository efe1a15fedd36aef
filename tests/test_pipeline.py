"""The build pipeline: parallel extraction and the incremental cache never change the outputs."""
from pathlib import Path

import pytest

from kg.cli import main
from kg.extract import Extractor
from kg.lexicon import Lexicon
from kg.pipeline import CACHE_DIR, build, extract_documents

DATA = Path(__file__).parent / "data"
ARTICLES = {
    "citrix.md": "---\ntitle: Citrix\ndate: 2008-01-02\n---\n思杰公司在2007年收购了XenSource。XenSource是基于Xen建立的。\n",
    "red-hat.md": "---\ntitle: Red Hat\nlang: en\n---\nRed Hat bought Qumranet in September 2008. It chose KVM.\n",
    "rhel.md": "红帽在RHEL 6中移除了Xen，采用KVM代替。Linux内核不支持Xen。\n",
    "novell.md": "Novell bought PlateSpin. The company then chose Xen.\n",
    "canonical.md": "红帽和Canonical都选择了KVM。Xen落后于VMware ESXi、微软的Hyper-V以及KVM。\n",
}


@pytest.fixture
def corpus(tmp_path) -> Path:
    src = tmp_path / "articles"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


class CountingExtractor(Extractor):
    """An extractor that records which documents it was asked to extract."""

    seen: list[str] = []

    def extract(self, doc):
        CountingExtractor.seen.append(doc.id)
        return super().extract(doc)


@pytest.fixture
def counting(monkeypatch, lexicon):
    CountingExtractor.seen = []
    monkeypatch.setattr("kg.pipeline.Extractor", CountingExtractor)
    return CountingExtractor.seen


def test_outputs_are_byte_identical_whatever_the_number_of_jobs(corpus, lexicon, tmp_path):
    one = build([corpus], tmp_path / "one", lexicon=lexicon, jobs=1, cache=False)
    two = build([corpus], tmp_path / "two", lexicon=lexicon, jobs=2, cache=False)
    assert one.files.keys() == two.files.keys() and "graph.ttl" in one.files
    for name in one.files:
        assert one.files[name] == two.files[name], name
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert len(one.graph.claims) >= 8


def test_parallel_extraction_keeps_document_order_and_reports_failures(corpus, lexicon):
    (corpus / "broken.md").write_bytes(b"\x00\x01binary")
    extractor = Extractor(lexicon=lexicon)
    docs1, claims1, errors1 = extract_documents([corpus], extractor, jobs=1)
    docs2, claims2, errors2 = extract_documents([corpus], extractor, jobs=2)
    assert [d.id for d in docs2] == [d.id for d in docs1] == sorted(d.id for d in docs1)
    assert claims2 == claims1
    assert list(errors2) == list(errors1) == [str(corpus / "broken.md")]
    assert "binary" in errors2[str(corpus / "broken.md")]


def test_unchanged_documents_are_not_extracted_again(corpus, lexicon, tmp_path, counting):
    out = tmp_path / "out"
    first = build([corpus], out, lexicon=lexicon)
    assert sorted(counting) == sorted(Path(n).stem for n in ARTICLES)
    counting.clear()
    (corpus / "novell.md").write_text("Novell bought PlateSpin in 2008. The company then chose KVM.\n")
    second = build([corpus], out, lexicon=lexicon)
    assert counting == ["novell"]
    counting.clear()
    third = build([corpus], out, lexicon=lexicon, jobs=2)
    assert counting == []  # workers are other processes: nothing extracted in this one either way
    assert third.files == second.files != first.files
    assert ("novell", "chose", "kvm") in {c.key for c in second.graph.claims}


def test_cached_build_equals_a_fresh_build(corpus, lexicon, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, lexicon=lexicon)
    cached = build([corpus], out, lexicon=lexicon)
    fresh = build([corpus], None, lexicon=lexicon, cache=False)
    assert cached.files == fresh.files


def test_a_different_lexicon_invalidates_the_cache(corpus, lexicon, tmp_path, counting):
    out = tmp_path / "out"
    build([corpus], out, lexicon=lexicon)
    counting.clear()
    text = (DATA / "lexicon.yaml").read_text(encoding="utf-8").replace("en: Xen,", "en: Xen Project,")
    (tmp_path / "lexicon.yaml").write_text(text, encoding="utf-8")
    result = build([corpus], out, lexicon=Lexicon.load(tmp_path / "lexicon.yaml"))
    assert len(counting) == len(ARTICLES)
    assert "Xen Project" in result.files["graph.ttl"].decode()


def test_removed_documents_leave_the_cache_and_corrupt_entries_are_ignored(corpus, lexicon, tmp_path, counting):
    out = tmp_path / "out"
    build([corpus], out, lexicon=lexicon)
    entries = sorted((out / CACHE_DIR).glob("*/*.json"))
    assert len(entries) == len(ARTICLES)
    (corpus / "rhel.md").unlink()
    entries[0].write_text("{not json")
    counting.clear()
    build([corpus], out, lexicon=lexicon)
    assert len(counting) <= 1
    assert len(list((out / CACHE_DIR).glob("*/*.json"))) == len(ARTICLES) - 1


def test_cli_jobs_and_no_cache(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["build", str(corpus), "--out", str(out), "--lexicon", str(DATA / "lexicon.yaml"),
                 "--jobs", "2", "--no-cache"])
    assert code == 0
    assert f"built {len(ARTICLES)} document(s)" in capsys.readouterr().out
    assert (out / "graph.ttl").is_file() and not (out / ".cache").exists()


def test_built_files_are_read_back_from_the_output_directory(corpus, lexicon, tmp_path):
    out = tmp_path / "out"
    result = build([corpus], out, lexicon=lexicon, cache=False)
    assert result.files["graph.ttl"] == (out / "graph.ttl").read_bytes()
    assert result.files == build([corpus], None, lexicon=lexicon, cache=False).files
    (out / "graph.ttl").write_bytes(b"changed")
    with pytest.raises(RuntimeError, match="graph.ttl: changed since"):
        result.files["graph.ttl"]
