"""graph.html data: time spans of edges, bulk-built vis data, layout, escaping and determinism."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from kg.graph import KnowledgeGraph, build_graph
from kg.lexicon import Entity
from kg.load import parse_document
from kg.model import Claim
from kg.visualize import CORE, LARGE, network_data, render_html, timed_edges

EVIL = '<img src=x onerror="window.__pwned=1">'
CLOSER = "</script><script>window.__pwned=2</script>"


def claim(s: str, p: str, o: str, year: int | None = None, polarity: str = "positive",
          modality: str = "asserted", doc: str = "story", sentence: str | None = None) -> Claim:
    """A claim as the extractor would make it, with the sentence ``"<s> <p> <o>."`` as evidence."""
    text = sentence or f"{s} {p} {o}."
    return Claim(subject=s, predicate=p, object=o, doc_id=doc, sentence_index=0, sentence=text, sentence_start=0,
                 sentence_end=len(text), subject_text=s, subject_start=0, subject_end=len(s), object_text=o,
                 object_start=0, object_end=len(o), rule="test", confidence=0.8, polarity=polarity,
                 modality=modality, year=year)


def make_kg(entities: list[Entity], claims: list[Claim], docs: tuple[str, ...] = ("story",)) -> KnowledgeGraph:
    """A KnowledgeGraph of hand-made entities and claims; each document has a source URL."""
    documents = [parse_document(f"---\ntitle: Story {d}\ndate: 2020-01-02\nsource: https://example.org/{d}\n---\n"
                                f"# Story {d}\n\nText.\n".encode(), f"{d}.md", d) for d in docs]
    return build_graph(documents, claims, {e.id: e for e in entities})


ENTITIES = [Entity("xen", "Hypervisor", "Xen"), Entity("kvm", "Hypervisor", "KVM"),
            Entity("rhel", "OperatingSystem", "Red Hat Enterprise Linux", zh="红帽企业版Linux"),
            Entity("rhel-5", "Release", "RHEL 5", release_of="rhel"),
            Entity("rhel-6", "Release", "RHEL 6", release_of="rhel"),
            Entity("ubuntu", "OperatingSystem", "Ubuntu"), Entity("debian", "OperatingSystem", "Debian"),
            Entity("suse", "OperatingSystem", "SUSE"), Entity("foo", "OperatingSystem", "Foo"),
            Entity("novell", "Organization", "Novell")]


@pytest.fixture
def story() -> KnowledgeGraph:
    """Xen's decline in miniature: removals, a replacement, a late re-adoption, negated and planned claims."""
    return make_kg(ENTITIES, [
        claim("rhel-5", "includes", "xen"),
        claim("rhel", "includes", "xen", 2007),
        claim("rhel-6", "removed", "xen", 2010),
        claim("rhel-6", "includes", "kvm", 2010),
        claim("ubuntu", "chose", "xen", 2006),
        claim("ubuntu", "chose", "kvm", 2008),
        claim("xen", "replacedBy", "kvm", 2009),
        claim("debian", "chose", "xen", 2005),
        claim("suse", "removed", "xen", 2011),
        claim("suse", "includes", "xen", 2012),
        claim("foo", "removed", "xen"),
        claim("foo", "includes", "xen", 2005),
        claim("novell", "supports", "kvm", polarity="negative"),
        claim("novell", "chose", "kvm", 2012, modality="planned"),
    ])


def spans(kg: KnowledgeGraph) -> dict[tuple[str, str, str, str], tuple[int | None, int | None]]:
    return {(e.subject, e.relation, e.object, e.kind): (e.since, e.until) for e in timed_edges(kg)}


def test_edges_start_at_their_earliest_year_and_undated_ones_always_show(story):
    s = spans(story)
    assert s[("rhel-5", "includes", "xen", "fact")] == (None, None)
    assert s[("ubuntu", "chose", "kvm", "fact")] == (2008, None)
    assert s[("novell", "supports", "kvm", "negated")] == (None, None)
    assert s[("novell", "chose", "kvm", "planned")] == (2012, None)


def test_a_release_removing_a_component_ends_its_product_backing_from_that_year(story):
    edge = next(e for e in timed_edges(story) if (e.subject, e.relation) == ("rhel", "includes"))
    assert (edge.since, edge.until) == (2007, 2010)
    assert [y for y in range(2005, 2014) if edge.visible_in(y)] == [2007, 2008, 2009]
    # Another release of the same product keeps its own component.
    assert spans(story)[("rhel-5", "includes", "xen", "fact")] == (None, None)


def test_a_replacement_ends_the_old_backing_only_where_the_subject_switched(story):
    s = spans(story)
    assert s[("ubuntu", "chose", "xen", "fact")] == (2006, 2009)
    assert s[("debian", "chose", "xen", "fact")] == (2005, None)


def test_a_later_adoption_survives_and_undated_removals_end_nothing(story):
    s = spans(story)
    assert s[("suse", "includes", "xen", "fact")] == (2012, None)
    assert s[("foo", "includes", "xen", "fact")] == (2005, None)


def test_network_data_has_one_node_per_entity_and_one_edge_per_relation_and_kind(story):
    data = network_data(story)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(story.entities)
    kinds = {(c.subject, c.predicate, c.object, c.polarity, c.modality) for c in story.claims}
    assert len(data["edges"]) == len(kinds)
    assert len(data["claims"]) == len(story.claims)
    negated = next(e for e in data["edges"] if e["kind"] == "negated")
    planned = next(e for e in data["edges"] if e["kind"] == "planned")
    assert negated["label"].startswith("✗") and negated["dashes"] != planned["dashes"]
    assert "(negated)" in negated["title"] and "(planned)" in planned["title"]
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["title"], str) and isinstance(n["x"], float) for n in data["nodes"])
    assert data["meta"] == {"large": False, "core": len(story.entities), "years": [2005, 2012]}


def test_claims_keep_their_date_confidence_and_source_document(story):
    data = network_data(story)
    edge = next(e for e in data["edges"] if (e["from"], e["rel"]) == ("rhel-6", "removed"))
    c = data["claims"][edge["claims"][0]]
    assert (c["year"], c["confidence"], c["sentence"]) == (2010, 0.8, "rhel-6 removed xen.")
    assert data["documents"][c["doc"]]["source"] == "https://example.org/story"


def test_evidence_spans_point_at_the_mentions_in_the_sentence(claims_of):
    text = "红帽在RHEL 6中移除了所有Xen相关组件。"
    claims = claims_of(text, full=True)
    doc = parse_document(text.encode("utf-8"), "snippet.md")
    kg = build_graph([doc], claims, {e.id: e for e in ENTITIES if e.id in {"rhel-6", "xen"}})
    data = network_data(kg)
    c = next(c for c in data["claims"] if c["spans"])
    words = {c["sentence"][a:b] for a, b, _ in c["spans"]}
    assert {"RHEL 6", "Xen"} <= words


def test_layout_is_deterministic_and_keeps_components_apart(story):
    first, second = network_data(story), network_data(story)
    assert first == second
    pos = {n["id"]: (n["x"], n["y"]) for n in first["nodes"]}
    assert len(set(pos.values())) == len(pos)
    assert render_html(story) == render_html(story)


def test_hostile_labels_and_evidence_stay_data(story):
    evil = make_kg([Entity("evil", "Organization", EVIL, zh=CLOSER), Entity("xen", "Hypervisor", "Xen")],
                   [claim("evil", "develops", "xen", sentence=f"{EVIL} {CLOSER} & more")], ("a&b",))
    page = render_html(evil, title=f"t {EVIL}").decode("utf-8")
    assert "<img" not in page
    assert page.count("</script>") == 3
    blob = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(blob)
    node = next(n for n in data["nodes"] if n["id"] == "evil")
    assert (node["en"], node["zh"]) == (EVIL, CLOSER)
    assert data["claims"][0]["sentence"] == f"{EVIL} {CLOSER} & more"


def test_content_security_policy_allows_exactly_the_page_scripts(story):
    page = render_html(story).decode("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    allowed = set(re.findall(r"sha256-([A-Za-z0-9+/=]+)", policy))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert "default-src 'none'" in policy and "http" not in policy


def big_graph(n: int, seed: int = 1) -> KnowledgeGraph:
    """A scale-free graph of ``n`` organizations, one dated 'partnerOf' claim per edge (no quads needed)."""
    import networkx as nx

    g = nx.barabasi_albert_graph(n, 2, seed=seed)
    entities = {f"e{i}": Entity(f"e{i}", "Organization", f"Company {i}") for i in g.nodes}
    claims = tuple(claim(f"e{u}", "partnerOf", f"e{v}", 1990 + (u + v) % 30) for u, v in sorted(g.edges))
    doc = parse_document(b"---\ntitle: Synthetic\n---\nText.\n", "synthetic.md", "synthetic")
    return KnowledgeGraph((), entities, (doc,), claims)


def test_large_graphs_open_on_the_most_central_entities():
    kg = big_graph(LARGE + 100)
    data = network_data(kg)
    core = [n for n in data["nodes"] if not n["hidden"]]
    assert data["meta"]["large"] and len(core) == CORE == data["meta"]["core"]
    ranks = sorted((n["rank"] for n in data["nodes"]), reverse=True)
    assert min(n["rank"] for n in core) >= ranks[CORE - 1]
    shown = {n["id"] for n in core}
    assert all(e["hidden"] == (not (e["from"] in shown and e["to"] in shown)) for e in data["edges"])
    assert all(e["label"] == "" for e in data["edges"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


def test_pages_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys
    from pathlib import Path

    script = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]); import test_visualize as t; "
              "from kg.analysis import analyze; from kg.report import render_report; "
              "kg = t.make_kg(t.ENTITIES, [t.claim(a, 'chose', b, 2000 + i) for i, (a, b) in enumerate("
              "[('ubuntu', 'kvm'), ('debian', 'xen'), ('suse', 'xen'), ('foo', 'kvm'), ('novell', 'kvm')])]"
              " + [t.claim('rhel-5', 'includes', 'xen'), t.claim('rhel-6', 'includes', 'kvm')]); "
              "print(hashlib.sha256(t.render_html(kg) + render_report(kg, analyze(kg))).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)], check=True, text=True,
                              capture_output=True, env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1
