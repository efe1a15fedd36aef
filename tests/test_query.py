"""kg.query: running queries on the union default graph, safe bindings, reading SERVICE and FROM,
result formats with a row limit, content negotiation, and the `kg query` command."""
from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.query import (FORMATS, QueryError, format_results, load_store, negotiate, parse_bindings, parse_term,
                      render, resolve_query, run_query, scan_query)

from conftest import DATA

TRIG = DATA / "sparql.trig"
E = "https://kg.example.org/entity/"
G = "https://kg.example.org/graph/"
KGO = "https://kg.example.org/ontology#"
PREFIXES = "PREFIX kgo: <https://kg.example.org/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_store(TRIG)


def values(results, var: str) -> list[str]:
    return sorted(s[var].value for s in results)


def test_default_graph_is_the_union_of_all_graphs(store):
    # Facts live in document graphs, labels in the default graph: the join needs the union.
    q = PREFIXES + 'SELECT ?buyer WHERE { ?b kgo:acquired ?a . ?b rdfs:label ?buyer FILTER(lang(?buyer) = "en") }'
    assert values(run_query(store, q), "buyer") == ["Citrix", "Red Hat"]


def test_two_hop_join(store):
    q = PREFIXES + "SELECT ?who ?what WHERE { ?who kgo:acquired ?dev . ?dev kgo:developed ?what }"
    assert sorted((s["who"].value, s["what"].value) for s in run_query(store, q)) == [
        (E + "citrix", E + "xen"), (E + "red-hat", E + "kvm")]


def test_from_clause_and_protocol_dataset_replace_the_union(store):
    q = PREFIXES + "SELECT ?a FROM <%s> WHERE { ?b kgo:acquired ?a }" % (G + "kvm-history")
    assert values(run_query(store, q), "a") == [E + "qumranet"]
    plain = PREFIXES + "SELECT ?a WHERE { ?b kgo:acquired ?a }"
    assert values(run_query(store, plain, default_graphs=[G + "xen-history"]), "a") == [E + "xensource"]
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert values(run_query(store, named, named_graphs=[G + "kvm-history"]), "g") == [G + "kvm-history"]


def test_bindings_are_terms_not_text(store):
    q = PREFIXES + "SELECT ?buyer ?what WHERE { ?buyer kgo:acquired ?what }"
    assert values(run_query(store, q, parse_bindings(["buyer=entity:red-hat"], q)), "what") == [E + "qumranet"]
    # A value that would break out of the query if spliced in stays one literal, and nothing changes.
    before = len(store)
    hostile = 'Red Hat"@en } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    q = PREFIXES + "SELECT ?name ?e WHERE { ?e rdfs:label ?name }"
    assert list(run_query(store, q, {"name": ox.Literal(hostile)})) == []
    assert list(run_query(store, q, {"name": ox.Literal("Red Hat", language="en")}))[0]["e"].value == E + "red-hat"
    assert len(store) == before


@pytest.mark.parametrize("text, term", [
    ("<https://kg.example.org/entity/kvm>", ox.NamedNode(E + "kvm")),
    ("entity:kvm", ox.NamedNode(E + "kvm")),
    ("kgo:acquired", ox.NamedNode(KGO + "acquired")),
    ("ex:thing", ox.NamedNode("http://example.org/thing")),
    ("https://kg.example.org/entity/xen", ox.NamedNode(E + "xen")),
    ('"红帽"@zh', ox.Literal("红帽", language="zh")),
    ('"2008"^^<http://www.w3.org/2001/XMLSchema#gYear>',
     ox.Literal("2008", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))),
    ("2008", ox.Literal("2008", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ("true", ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))),
    ("Red Hat", ox.Literal("Red Hat")),
    ("10:30", ox.Literal("10:30")),
])
def test_parse_term(text, term):
    assert parse_term(text, {"ex": "http://example.org/"}) == term


@pytest.mark.parametrize("pair", ["x=<a> . <b> <c> <d>", 'x="a", "b"', 'x="no end', "no-equals", "a b=1"])
def test_bindings_that_are_not_one_term_are_refused(pair):
    with pytest.raises(QueryError):
        parse_bindings([pair])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVICE_SPELLINGS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe SILENT <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE <{url}> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "x"SERVICE<{url}>{ ?s ?p ?o } }',
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a.b.SERVICE <{url}> { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\#b SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o=?o)SERVICE <{url}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", SERVICE_SPELLINGS)
def test_every_spelling_of_service_is_seen(template):
    # Each spelling really makes pyoxigraph call the service (a closed port on this machine refuses it).
    store = ox.Store()
    for o in (ox.Literal("x"), ox.NamedNode("http://e/a.b"), ox.NamedNode("http://e/a#b"), ox.NamedNode("http://e/o")):
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), o))
    query = template.replace("{url}", f"http://127.0.0.1:{closed_port()}/sparql")
    assert scan_query(query).service
    if "SILENT" not in query:
        with pytest.raises(OSError, match="(?i)refused"):
            list(run_query(store, query))


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX schema: <https://schema.org/> SELECT * WHERE { ?s a schema:Service ; schema:serviceType ?t }",
    'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "web service")) }',
    "SELECT * WHERE { ?s <http://example.org/service> ?o }",
    "SELECT * WHERE { ?s ?p ?o } # no SERVICE here",
])
def test_service_as_a_name_or_in_text_is_not_the_keyword(query, store):
    assert not scan_query(query).service
    list(run_query(store, query))


def test_from_clauses_are_resolved_against_the_prologue():
    scan = scan_query("BASE <http://b/> PREFIX g: <http://e/> SELECT * FROM g:x FROM NAMED <y> FROM <urn:z> "
                      "FROM NAMED nope:x WHERE { ?s kgo:derivedFrom ?from }")
    assert scan.datasets == ("http://e/x", "http://b/y", "urn:z", None)
    assert scan_query("SELECT ?from WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?from }").datasets == ()


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
def test_solution_formats_read_back_the_same(store, name):
    q = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"
    expected = [tuple(s[v] for v in ("s", "p", "o")) for s in run_query(store, q)]
    body = render(run_query(store, q), FORMATS[name], limit=100).body
    back = ox.parse_query_results(body, format=FORMATS[name].syntax)
    assert [tuple(s[v] for v in ("s", "p", "o")) for s in back] == expected
    assert any("\n" in row[2].value for row in expected)


def test_row_limit_cuts_and_says_so(store):
    q = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    cut = render(run_query(store, q), FORMATS["csv"], limit=5)
    assert cut.truncated and cut.rows == 5
    assert cut.body.decode().splitlines() == ["s"] + [s["s"].value for s in run_query(store, q)][:5]
    whole = render(run_query(store, q), FORMATS["json"], limit=len(store))
    assert not whole.truncated and whole.rows == len(store)
    graph = render(run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }"), FORMATS["ntriples"], limit=4)
    assert graph.truncated and len(list(ox.parse(graph.body, format=ox.RdfFormat.N_TRIPLES))) == 4


@pytest.mark.parametrize("name", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_graph_formats_parse(store, name):
    rendered = render(run_query(store, "CONSTRUCT WHERE { ?s a ?c }"), FORMATS[name], limit=None)
    assert len(list(ox.parse(rendered.body, format=FORMATS[name].syntax))) == 8


def test_ask_and_kind_mismatch(store):
    assert render(run_query(store, "ASK { ?s ?p ?o }"), FORMATS["json"]).body == b'{"head":{},"boolean":true}'
    with pytest.raises(QueryError):
        render(run_query(store, "ASK { ?s ?p ?o }"), FORMATS["turtle"])
    with pytest.raises(QueryError):
        render(run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }"), FORMATS["csv"])


@pytest.mark.parametrize("accept, graph, expected", [
    ("", False, "json"),
    ("", True, "turtle"),
    ("*/*", False, "json"),
    ("text/csv", False, "csv"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values", False, "tsv"),
    ("application/json", False, "json"),
    ("text/*", False, "csv"),
    ("application/sparql-results+json, application/n-triples;q=0.9", True, "ntriples"),
    ("application/ld+json;q=0.8, text/turtle;q=0.2", True, "jsonld"),
    ("image/png", False, None),
    ("text/csv;q=0", False, None),
])
def test_negotiate(accept, graph, expected):
    found = negotiate(accept, graph)
    assert (found.name if found else None) == expected


def test_table_aligns_wide_characters(store):
    q = PREFIXES + 'SELECT ?label WHERE { ?e rdfs:label ?label FILTER(lang(?label) = "zh") } ORDER BY ?label'
    lines = format_results(run_query(store, q)).splitlines()
    assert lines[0].startswith("label") and lines[-1] == "(2 rows)"
    assert "Xen 虚拟机" in lines and "红帽" in lines


def test_resolve_named_query():
    assert "SELECT" in resolve_query("acquisitions")
    with pytest.raises(QueryError, match="named queries"):
        resolve_query("no-such-query")


def test_query_command(capsys):
    q = PREFIXES + "SELECT ?buyer ?what WHERE { ?buyer kgo:acquired ?what } ORDER BY ?what"
    assert main(["query", q, "--data", str(TRIG), "--bind", "buyer=entity:citrix", "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"buyer,what\r\n{E}citrix,{E}xensource\r\n"
    assert main(["query", "SELECT * WHERE { ?s ?p", "--data", str(TRIG)]) == 2
    assert "SPARQL syntax error" in capsys.readouterr().err
