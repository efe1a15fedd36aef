"""The seed article end to end with the project's lexicon: its central claims, with provenance."""
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.evaluate import evaluate, read_gold
from kg.lexicon import Lexicon
from kg.ontology import Ontology
from kg.pipeline import build
from kg.query import format_results, resolve_query, run_query

ROOT = Path(__file__).parent.parent
SEED = ROOT / "seeds"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return build([SEED], tmp_path_factory.mktemp("out"))


def ids(*names):
    lex = Lexicon.load()
    found = tuple(lex.lookup(n) for n in names)
    assert None not in found, f"lexicon lacks one of {names}"
    return found


# (subject, relation, object, polarity, year) as a careful reader states them.
CENTRAL = [
    ("Citrix", "acquired", "XenSource", "positive", None),
    ("Novell", "acquired", "PlateSpin", "positive", 2008),
    ("RHEL 5", "includes", "Xen", "positive", None),
    ("RHEL 6", "removed", "Xen", "positive", None),
    ("Xen", "replacedBy", "KVM", "positive", None),
    ("RHEL 6", "includes", "KVM", "positive", None),
    ("Ubuntu", "defaultHypervisor", "KVM", "positive", 2008),
    ("Novell", "owns", "SUSE Linux", "positive", None),
    ("SUSE Linux Enterprise Server", "supports", "Xen", "positive", 2008),
    ("Novell", "partnerOf", "Microsoft", "positive", 2006),
    ("Microsoft", "distributes", "SUSE Linux Enterprise Server", "positive", None),
    ("Oracle VM", "basedOn", "Xen", "positive", None),
    ("Xen", "mergedInto", "Linux kernel", "positive", 2011),
    ("Linux kernel", "supports", "Xen", "negative", None),
]


@pytest.mark.parametrize("subject,relation,obj,polarity,year", CENTRAL)
def test_central_claims_with_provenance(seed, subject, relation, obj, polarity, year):
    s, o = ids(subject, obj)
    if Ontology.load().relations[relation].symmetric and s > o:
        s, o = o, s
    claims = [c for c in seed.graph.claims if (c.subject, c.predicate, c.object, c.polarity) == (s, relation, o, polarity)]
    assert claims, f"missing: {subject} {relation} {obj} ({polarity})"
    c = claims[0]
    if year is not None:
        assert c.year == year
    source = (SEED / "xen-decline-zh.md").read_text(encoding="utf-8")
    assert points_at(source, c.subject_start, c.subject_end, c.subject_text)
    assert points_at(source, c.object_start, c.object_end, c.object_text)
    assert c.sentence_start <= c.subject_start and c.object_end <= c.sentence_end
    assert c.rule and 0 < c.confidence <= 1 and c.doc_id == "xen-decline-zh"


def test_negated_claims_are_never_facts(seed):
    store = seed.graph.store()
    negated = [c for c in seed.graph.claims if c.polarity == "negative"]
    assert negated
    for c in negated:
        fact = ox.Quad(ox.NamedNode(f"{seed.graph.base}entity/{c.subject}"),
                       ox.NamedNode(f"https://kg.example.org/ontology#{c.predicate}"),
                       ox.NamedNode(f"{seed.graph.base}entity/{c.object}"), None)
        assert not list(store.quads_for_pattern(fact.subject, fact.predicate, fact.object))


def points_at(source: str, start: int, end: int, text: str) -> bool:
    """The span starts and ends with the text's first and last characters and holds all of its
    characters in order (Markdown markup removed from the text may sit in between)."""
    span = source[start:end]
    chars = iter(span)
    return span[:1] == text[:1] and span[-1:] == text[-1:] and all(ch in chars for ch in text.replace(" ", ""))


def test_every_claim_offset_points_at_its_evidence(seed):
    source = (SEED / "xen-decline-zh.md").read_text(encoding="utf-8")
    for c in seed.graph.claims:
        assert points_at(source, c.subject_start, c.subject_end, c.subject_text)
        assert points_at(source, c.object_start, c.object_end, c.object_text)
        assert points_at(source, c.sentence_start, c.sentence_end, c.sentence)


def test_seed_scores_against_its_gold_file(seed):
    lexicon, ontology = Lexicon.load(), Ontology.load()
    ev = evaluate(list(seed.graph.claims), read_gold(ROOT / "eval" / "seed.tsv", lexicon, ontology), ontology)
    assert ev.overall.precision >= 0.95 and ev.overall.recall >= 0.95, (ev.misses, ev.false)


def rows(seed, name):
    results = run_query(seed.graph.store(), resolve_query(name))
    return [line.split(",") for line in format_results(results, "csv").splitlines()[1:]]


def test_competency_acquisitions(seed):
    got = {(r[0], r[1], r[2]) for r in rows(seed, "acquisitions")}
    assert {("Citrix", "XenSource", ""), ("Novell", "PlateSpin", "2008")} <= got


def test_competency_dropped_components(seed):
    assert ["RHEL 6", "Xen", "KVM"] in rows(seed, "dropped-components")


def test_competency_based_on(seed):
    things = {r[0] for r in rows(seed, "based-on") if r[1] == "Xen"}
    assert {"Oracle VM", "XenSource"} <= things


def test_competency_choices(seed):
    chose_kvm = {r[0] for r in rows(seed, "choices") if r[1] == "chose" and r[2] == "KVM"}
    assert {"Red Hat", "Ubuntu"} <= chose_kvm


def test_competency_negated(seed):
    assert any(r[:3] == ["Linux kernel", "supports", "Xen"] for r in rows(seed, "negated-claims"))


def test_competency_evidence(seed):
    evidence = {(r[0], r[1], r[2]): r[-1] for r in rows(seed, "evidence")}
    assert "Oracle VM" in evidence[("Oracle VM", "basedOn", "Xen")]
