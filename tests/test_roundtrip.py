"""Strict round-trips of the exports (kg.export): every RDF file re-parses with pyoxigraph, the
strict parser and the judge, and with rdflib into the very graph that was built; GraphML and the
claims CSV re-parse too. Run on the seed article and on hostile labels, ids and evidence."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export import entity_graph, render_exports
from kg.extract import Extractor
from kg.graph import KnowledgeGraph, build_graph
from kg.lexicon import Lexicon
from kg.pipeline import entities_for, extract_documents

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TRIPLE_FORMATS = {"graph.ttl": ("turtle", ox.RdfFormat.TURTLE), "graph.nt": ("nt", ox.RdfFormat.N_TRIPLES),
                  "graph.jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}


def built(paths: list[Path], lexicon: Lexicon) -> KnowledgeGraph:
    documents, claims, errors = extract_documents(paths, Extractor(lexicon=lexicon))
    assert not errors
    return build_graph(documents, claims, entities_for(claims, lexicon))


@pytest.fixture(scope="module", params=["seeds", "hostile"])
def case(request, lexicon) -> tuple[KnowledgeGraph, dict[str, bytes]]:
    if request.param == "seeds":
        graph = built([ROOT / "seeds"], lexicon)
    else:
        graph = built([DATA / "hostile.md"], Lexicon.load(DATA / "hostile-lexicon.yaml"))
    assert graph.claims
    return graph, render_exports(graph)


def to_ox(term) -> ox.NamedNode | ox.Literal:
    """An rdflib term as the pyoxigraph term it stands for (the graphs have no blank nodes)."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise AssertionError(f"unexpected term {term!r}")


def test_graph_has_no_blank_nodes(case):
    # Without blank nodes, two graphs are isomorphic exactly when their sets of triples are equal.
    graph, _ = case
    assert not any(isinstance(t, ox.BlankNode) for q in graph.quads for t in (q.subject, q.object))


@pytest.mark.parametrize("name", sorted(TRIPLE_FORMATS))
def test_triple_exports_reparse_strictly_to_the_built_graph(case, name):
    graph, files = case
    rdflib_format, ox_format = TRIPLE_FORMATS[name]
    expected = set(graph.triples())
    strict = {q.triple for q in ox.parse(files[name], format=ox_format)}
    assert strict == expected
    lenient = rdflib.Graph().parse(data=files[name].decode("utf-8"), format=rdflib_format)
    assert {ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in lenient} == expected


def test_trig_reparses_to_the_built_dataset(case):
    graph, files = case
    assert set(ox.parse(files["graph.trig"], format=ox.RdfFormat.TRIG)) == set(graph.quads)
    dataset = rdflib.Dataset()
    dataset.parse(data=files["graph.trig"].decode("utf-8"), format="trig")
    default = rdflib.graph.DATASET_DEFAULT_GRAPH_ID
    parsed = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph() if g == default else to_ox(g))
              for s, p, o, g in dataset.quads((None, None, None, None))}
    assert parsed == set(graph.quads)


def test_rdflib_sees_the_three_triple_exports_as_isomorphic(case):
    _, files = case
    graphs = [rdflib.Graph().parse(data=files[n].decode("utf-8"), format=f) for n, (f, _) in TRIPLE_FORMATS.items()]
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[1], graphs[2])


def test_graphml_is_well_formed_and_complete(case):
    graph, files = case
    ET.fromstring(files["graph.graphml"])
    parsed = nx.read_graphml(io.BytesIO(files["graph.graphml"]))
    expected = entity_graph(graph)
    assert parsed.number_of_nodes() == expected.number_of_nodes()
    assert parsed.number_of_edges() == expected.number_of_edges()
    plain = [n for n in expected if n.isprintable()]
    assert plain and all(parsed.nodes[n]["label"] == expected.nodes[n]["label"] for n in plain
                         if expected.nodes[n]["label"].isprintable())


def test_graphml_replaces_characters_xml_cannot_carry(case):
    graph, files = case
    controls = [e for e in graph.entities.values() if any(ord(c) < 32 and c not in "\t\n\r" for c in e.id + e.en)]
    parsed = nx.read_graphml(io.BytesIO(files["graph.graphml"]))
    for e in controls:
        node = "".join("\ufffd" if ord(c) < 32 and c not in "\t\n\r" else c for c in e.id)
        assert parsed.nodes[node]["cls"] == e.cls


def test_claims_csv_reparses(case):
    graph, files = case
    rows = list(csv.DictReader(io.StringIO(files["claims.csv"].decode("utf-8"), newline="")))
    assert [r["evidence"] for r in rows] == [c.sentence for c in graph.claims]
    assert [r["subject_text"] for r in rows] == [c.subject_text for c in graph.claims]
    for r in rows:
        for column in ("subject", "predicate", "object", "claim"):
            ox.NamedNode(r[column])


def test_hostile_labels_and_ids_survive(lexicon):
    graph = built([DATA / "hostile.md"], Lexicon.load(DATA / "hostile-lexicon.yaml"))
    files = render_exports(graph)
    labels = {q.object.value for q in ox.parse(files["graph.nt"], format=ox.RdfFormat.N_TRIPLES)
              if q.predicate.value.endswith("#label")}
    assert 'Evil "Corp" \\ back\\slash\nnew line\ttab <script>alert(1)</script> شركة 🚀' in labels
    assert 'Ends with a quote"' in labels and "以反斜杠结尾\\" in labels
    assert 'Control\x01\x0b\x1f\x7f chars """triple"""' in labels
    evidence = {c.sentence for c in graph.claims}
    assert any(s.endswith('"end"""') for s in evidence)
    iris = {q.subject.value for q in graph.quads} | {q.object.value for q in graph.quads
                                                      if isinstance(q.object, ox.NamedNode)}
    assert "https://kg.example.org/entity/evil%20corp%20%3Cx%3E%20%7By%7D%7C%5E%60%2520%23frag" in iris
    assert any("%F0%9F%9A%80" in i for i in iris)


# Inputs that rdflib 7 reads without complaint but that are not RDF: the strict parser refuses them.
NOT_RDF = [
    ("IRI with a control character", b"<http://a.example/a\x01b> <http://a.example/p> <http://a.example/o> .",
     ox.RdfFormat.N_TRIPLES),
    ("IRI with a space", b"<http://a.example/a b> <http://a.example/p> <http://a.example/o> .", ox.RdfFormat.TURTLE),
    ("IRI with braces", b"<http://a.example/{x}> <http://a.example/p> <http://a.example/o> .", ox.RdfFormat.N_TRIPLES),
    ("quote before the closing triple quote", b'<http://a.example/s> <http://a.example/p> """abc"""" .',
     ox.RdfFormat.TURTLE),
]


@pytest.mark.parametrize("data, fmt", [row[1:] for row in NOT_RDF], ids=[row[0] for row in NOT_RDF])
def test_strict_parser_refuses_what_is_not_rdf(data, fmt):
    with pytest.raises(SyntaxError):
        list(ox.parse(data, format=fmt))


def test_escaped_quote_before_triple_quote_is_rdf():
    data = b'<http://a.example/s> <http://a.example/p> """abc\\"""" .'
    [quad] = ox.parse(data, format=ox.RdfFormat.TURTLE)
    assert quad.object.value == 'abc"'
