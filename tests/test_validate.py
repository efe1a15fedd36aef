"""The SHACL gate (ontology/shapes.ttl) and OWL 2 RL inference: one broken graph per row, each
caught by the shape that names the problem; `kg validate` and `kg build` exit codes."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export import trig
from kg.graph import DEFAULT_BASE, build_graph
from kg.load import parse_document
from kg.model import Claim, Document
from kg.pipeline import entities_for
from kg.validate import infer, inferred_graph, validate_graph, validate_triples

TEXT = "红帽在2008年收购了Qumranet。Ubuntu在2008年把KVM作为默认hypervisor。Novell和微软结成了合作伙伴。红帽没有收购XenSource。"
KGO = "https://kg.example.org/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"


def E(entity_id: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEFAULT_BASE}entity/{entity_id}")


def K(name: str) -> ox.NamedNode:
    return ox.NamedNode(KGO + name)


def claim(doc: Document, i: int, subject: tuple[str, str], predicate: str, obj: tuple[str, str],
          polarity: str = "positive", year: int | None = None) -> Claim:
    """A claim read in sentence ``i``; ``subject`` and ``obj`` are (entity id, text as written)."""
    sentence = doc.sentences[i]
    (s, s_text), (o, o_text) = subject, obj
    si, oi = sentence.text.index(s_text), sentence.text.index(o_text)
    return Claim(subject=s, predicate=predicate, object=o, doc_id=doc.id, sentence_index=i, sentence=sentence.text,
                 sentence_start=sentence.start, sentence_end=sentence.end, subject_text=s_text,
                 subject_start=sentence.offsets[si], subject_end=sentence.offsets[si + len(s_text) - 1] + 1,
                 object_text=o_text, object_start=sentence.offsets[oi],
                 object_end=sentence.offsets[oi + len(o_text) - 1] + 1, rule="test/fixture", confidence=0.9,
                 polarity=polarity, year=year, date_text=f"{year}年" if year else None)


@pytest.fixture(scope="module")
def graph(lexicon):
    """A graph made by hand (not by the extractor): the shapes are what is under test."""
    doc = parse_document(TEXT.encode(), "snippet.md")
    claims = [claim(doc, 0, ("red-hat", "红帽"), "acquired", ("qumranet", "Qumranet"), year=2008),
              claim(doc, 1, ("ubuntu", "Ubuntu"), "defaultHypervisor", ("kvm", "KVM"), year=2008),
              claim(doc, 2, ("novell", "Novell"), "partnerOf", ("microsoft", "微软")),
              claim(doc, 3, ("red-hat", "红帽"), "acquired", ("xensource", "XenSource"), polarity="negative")]
    return build_graph([doc], claims, entities_for(claims, lexicon))


def claim_node(triples: set[ox.Triple], s: str, p: str, o: str) -> ox.NamedNode:
    """The claim node stating ``s p o``."""
    subjects = {t.subject for t in triples if t.predicate == ox.NamedNode(RDF + "subject") and t.object == E(s)}
    return next(c for c in sorted(subjects, key=str)
                if ox.Triple(c, ox.NamedNode(RDF + "predicate"), K(p)) in triples
                and ox.Triple(c, ox.NamedNode(RDF + "object"), E(o)) in triples)


def replace_value(triples: set[ox.Triple], node, predicate: ox.NamedNode, value) -> set[ox.Triple]:
    """``triples`` with the values of ``node predicate`` replaced by ``value`` (None: removed)."""
    kept = {t for t in triples if not (t.subject == node and t.predicate == predicate)}
    return kept | ({ox.Triple(node, predicate, value)} if value is not None else set())


def on_claim(predicate: str, value) -> Callable[[set[ox.Triple]], set[ox.Triple]]:
    """A mutation that sets ``predicate`` of the red-hat-acquired-qumranet claim to ``value``."""
    return lambda ts: replace_value(ts, claim_node(ts, "red-hat", "acquired", "qumranet"), K(predicate), value)


def claim_focus(ts: set[ox.Triple]) -> str:
    return "claim:" + claim_node(ts, "red-hat", "acquired", "qumranet").value.rsplit("/", 1)[1]


def lit(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def offset_past_sentence(ts: set[ox.Triple]) -> set[ox.Triple]:
    node = claim_node(ts, "red-hat", "acquired", "qumranet")
    end = next(int(t.object.value) for t in ts if t.subject == node and t.predicate == K("sentenceEnd"))
    return replace_value(ts, node, K("subjectEnd"), lit(str(end + 5), "integer"))


def reversed_mention(ts: set[ox.Triple]) -> set[ox.Triple]:
    node = claim_node(ts, "red-hat", "acquired", "qumranet")
    start = next(t.object for t in ts if t.subject == node and t.predicate == K("subjectStart"))
    end = next(t.object for t in ts if t.subject == node and t.predicate == K("subjectEnd"))
    return replace_value(replace_value(ts, node, K("subjectStart"), end), node, K("subjectEnd"), start)


def document_language(ts: set[ox.Triple]) -> set[ox.Triple]:
    doc = next(t.subject for t in ts if t.predicate == ox.NamedNode(RDF + "type") and t.object == K("Document"))
    return replace_value(ts, doc, ox.NamedNode(DCTERMS + "language"), ox.Literal("fr"))


RED_HAT_EN = ox.Triple(E("red-hat"), ox.NamedNode(RDFS + "label"), ox.Literal("Red Hat", language="en"))

# id, mutation of the valid graph's triples, expected shape, expected focus node (or a function of the triples).
BROKEN = [
    ("fact without a claim", lambda ts: ts | {ox.Triple(E("red-hat"), K("acquired"), E("xen"))},
     "kgs:FactShape", "entity:red-hat"),
    ("negated claim asserted as a fact", lambda ts: ts | {ox.Triple(E("red-hat"), K("acquired"), E("xensource"))},
     "kgs:FactShape", "entity:red-hat"),
    ("asserted claim without its fact", lambda ts: ts - {ox.Triple(E("red-hat"), K("acquired"), E("qumranet"))},
     "kgs:AssertedClaimShape", claim_focus),
    ("subject outside the domain", lambda ts: ts | {ox.Triple(E("qumranet"), K("vendor"), E("red-hat"))},
     "kgs:DomainShape", "entity:qumranet"),
    ("object outside the range", lambda ts: ts | {ox.Triple(E("kvm"), K("vendor"), E("ubuntu"))},
     "kgs:RangeShape", "entity:kvm"),
    ("entity without an English label", lambda ts: ts - {RED_HAT_EN}, "kgs:EntityEnglishLabelShape", "entity:red-hat"),
    ("empty English label", lambda ts: ts - {RED_HAT_EN} | {
        ox.Triple(E("red-hat"), ox.NamedNode(RDFS + "label"), ox.Literal("", language="en"))},
     "kgs:EntityEnglishLabelShape", "entity:red-hat"),
    ("two English labels", lambda ts: ts | {
        ox.Triple(E("red-hat"), ox.NamedNode(RDFS + "label"), ox.Literal("RH", language="en"))},
     "kgs:EntityLabelShape", "entity:red-hat"),
    ("year as an integer", on_claim("year", lit("2008", "integer")), "kgs:ClaimYearShape", claim_focus),
    ("year of three digits", on_claim("year", lit("208", "gYear")), "kgs:ClaimYearShape", claim_focus),
    ("confidence above 1", on_claim("confidence", lit("1.50", "decimal")), "kgs:ClaimConfidenceShape", claim_focus),
    ("confidence below 0", on_claim("confidence", lit("-0.10", "decimal")), "kgs:ClaimConfidenceShape", claim_focus),
    ("confidence as a string", on_claim("confidence", ox.Literal("high")), "kgs:ClaimConfidenceShape", claim_focus),
    ("claim without evidence", on_claim("evidence", None), "kgs:ClaimEvidenceShape", claim_focus),
    ("claim without offsets", on_claim("sentenceStart", None), "kgs:ClaimSentenceStartShape", claim_focus),
    ("mention past the sentence end", offset_past_sentence, "kgs:ClaimSubjectEndShape", claim_focus),
    ("mention that ends before it starts", reversed_mention, "kgs:ClaimSubjectStartShape", claim_focus),
    ("unknown polarity", on_claim("polarity", ox.Literal("maybe")), "kgs:ClaimPolarityShape", claim_focus),
    ("claim without a document",
     lambda ts: replace_value(ts, claim_node(ts, "red-hat", "acquired", "qumranet"),
                              ox.NamedNode(PROV + "wasDerivedFrom"), None),
     "kgs:ClaimSourceShape", claim_focus),
    ("predicate that is not a relation",
     lambda ts: replace_value(ts, claim_node(ts, "red-hat", "acquired", "qumranet"),
                              ox.NamedNode(RDF + "predicate"), K("vendor")),
     "kgs:ClaimPredicateShape", claim_focus),
    ("evidence on an entity", lambda ts: ts | {ox.Triple(E("kvm"), K("evidence"), ox.Literal("x"))},
     "kgs:ClaimVocabularyShape", "entity:kvm"),
    ("document in an unknown language", document_language, "kgs:DocumentLanguageShape", "doc:snippet"),
]


def test_built_graph_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text()
    assert report.text() == f"valid: {len(graph.triples())} triples conform to shapes.ttl\n"


@pytest.mark.parametrize("mutate, shape, focus", [row[1:] for row in BROKEN], ids=[row[0] for row in BROKEN])
def test_broken_graph_is_caught_by_its_shape(graph, mutate, shape, focus):
    triples = set(graph.triples())
    broken = mutate(set(triples))
    assert broken != triples
    report = validate_triples(broken)
    focus = focus(triples) if callable(focus) else focus
    assert not report.conforms
    assert any(v.shape == shape and v.focus == focus for v in report.violations), report.text()


def test_report_names_focus_path_value_and_message(graph):
    broken = set(graph.triples()) | {ox.Triple(E("red-hat"), K("acquired"), E("kvm"))}
    text = validate_triples(broken).text()
    assert text.startswith(f"invalid: 1 violation(s) of shapes.ttl in {len(broken)} triples\n")
    assert "1. fact entity:red-hat kgo:acquired entity:kvm has no positive, asserted kgo:Claim" in text
    assert "   focus node: entity:red-hat\n" in text
    assert "   path:       kgo:acquired\n" in text
    assert "   value:      entity:kvm\n" in text
    assert "   shape:      kgs:FactShape (sh:SPARQLConstraintComponent)\n" in text


def test_report_is_capped(graph):
    broken = set(graph.triples()) | {ox.Triple(E("red-hat"), K("acquired"), E(f"x{i}")) for i in range(4)}
    report = validate_triples(broken)
    assert len(report.violations) >= 4
    assert report.text(limit=2).rstrip().endswith(f"... and {len(report.violations) - 2} more")


def test_inference_adds_inverse_symmetric_and_super_properties(graph):
    reasoned = infer(graph)
    g = ox.NamedNode(inferred_graph(graph.base))
    inferred = {ox.Triple(q.subject, q.predicate, q.object) for q in reasoned.quads if q.graph_name == g}
    assert ox.Triple(E("qumranet"), K("acquiredBy"), E("red-hat")) in inferred
    assert ox.Triple(E("microsoft"), K("partnerOf"), E("novell")) in inferred
    assert ox.Triple(E("ubuntu"), K("includes"), E("kvm")) in inferred
    assert ox.Triple(E("kvm"), K("includedIn"), E("ubuntu")) in inferred
    assert ox.Triple(E("ubuntu"), ox.NamedNode("https://schema.org/hasPart"), E("kvm")) in inferred
    assert not any(t.predicate == ox.NamedNode(RDF + "type") for t in inferred)
    assert not inferred & set(graph.triples())
    assert set(graph.quads) < set(reasoned.quads)
    assert infer(graph).quads == reasoned.quads
    report = validate_graph(reasoned)
    assert report.conforms, report.text()


def test_inference_does_not_hide_domain_violations(graph):
    bad = ox.Quad(E("qumranet"), K("vendor"), E("red-hat"), ox.DefaultGraph())
    reasoned = infer(type(graph)(graph.quads + (bad,), graph.entities, graph.documents, graph.claims, graph.base))
    report = validate_graph(reasoned)
    assert any(v.shape == "kgs:DomainShape" and v.focus == "entity:qumranet" for v in report.violations)


def test_kg_validate_exit_codes(graph, tmp_path, capsys):
    good = tmp_path / "good.trig"
    good.write_bytes(trig(graph))
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out.startswith("valid: ")
    bad = tmp_path / "bad.nt"
    broken = set(graph.triples()) | {ox.Triple(E("red-hat"), K("acquired"), E("xen"))}
    bad.write_bytes(ox.serialize(sorted(broken, key=str), format=ox.RdfFormat.N_TRIPLES))
    assert main(["validate", str(bad)]) == 1
    assert "focus node: entity:red-hat" in capsys.readouterr().out
    (tmp_path / "garbage.ttl").write_text("<http://a b> <http://p> <http://o> .", encoding="utf-8")
    assert main(["validate", str(tmp_path / "garbage.ttl")]) == 2
    assert "does not parse" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.trig")]) == 2
    assert "no such RDF file" in capsys.readouterr().err


def test_kg_build_fails_validation_with_a_report_and_writes_nothing(tmp_path, capsys):
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text("entities:\n"
                       "  - {id: red-hat, class: Organization, en: '', aliases: [红帽]}\n"
                       "  - {id: qumranet, class: Organization, en: Qumranet}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("红帽在2008年收购了Qumranet。", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "a.md"), "--out", str(out), "--lexicon", str(lexicon)])
    err = capsys.readouterr().err
    assert code == 3
    assert "fails SHACL validation; nothing was written" in err
    assert "focus node: entity:red-hat" in err and "kgs:EntityEnglishLabelShape" in err
    assert not any(p.is_file() for p in out.glob("*")) if out.exists() else True
    assert main(["build", str(tmp_path / "a.md"), "--out", str(out), "--lexicon", str(lexicon), "--no-validate"]) == 0
    assert (out / "graph.trig").is_file()


def test_kg_build_reason_writes_the_inferred_graph(tmp_path, capsys):
    (tmp_path / "a.md").write_text("红帽在2008年收购了Qumranet。", encoding="utf-8")
    out = tmp_path / "out"
    lexicon = str(Path(__file__).parent / "data" / "lexicon.yaml")
    assert main(["build", str(tmp_path / "a.md"), "--out", str(out), "--lexicon", lexicon, "--reason"]) == 0
    assert "valid: " in capsys.readouterr().out
    quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    g = ox.NamedNode(inferred_graph(DEFAULT_BASE))
    assert ox.Quad(E("qumranet"), K("acquiredBy"), E("red-hat"), g) in quads
