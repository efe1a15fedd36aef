"""kg.push and `kg query --endpoint`, against a real Oxigraph server (the `oxigraph` command from PyPI)
started on 127.0.0.1 with a temporary directory: one named graph per document, idempotent pushes with
the Graph Store Protocol and with SPARQL Update, and remote queries."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.parse

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.push import PushError, graphs_of, push, read_quads, update_request
from kg.query import QueryError, format_results, http_request, remote_query

from conftest import DATA

TRIG = DATA / "sparql.trig"
G = "https://kg.example.org/graph/"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """The base URL of an Oxigraph server with a union default graph, stopped after the module."""
    exe = shutil.which("oxigraph")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server (pip install oxigraph) is missing")
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http_request("GET", f"{base}/query?query=ASK%7B%7D", timeout=2).status == 200:
                    break
            except QueryError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oxigraph did not start: {process.stderr.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture
def remote(oxigraph) -> str:
    """The server, emptied before the test."""
    reply = http_request("POST", f"{oxigraph}/update", b"CLEAR ALL", {"Content-Type": "application/sparql-update"})
    assert reply.status == 204
    return oxigraph


def per_graph(base: str) -> dict[str, int]:
    return {s["g"].value: int(s["n"].value) for s in remote_query(f"{base}/query", PER_GRAPH)}


def default_graph(base: str) -> set[ox.Triple]:
    return _triples(http_request("GET", f"{base}/store?default", headers={"Accept": "application/n-triples"}).body)


def graph(base: str, iri: str) -> set[ox.Triple]:
    return _triples(http_request("GET", f"{base}/store?graph={urllib.parse.quote(iri, safe='')}",
                                 headers={"Accept": "application/n-triples"}).body)


def _triples(ntriples: bytes) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)}


def expected(quads, name) -> set[ox.Triple]:
    return set(graphs_of(quads)[name])


@pytest.mark.parametrize("protocol, path", [("gsp", "/store"), ("update", "/update")])
def test_push_is_idempotent(remote, protocol, path):
    quads = read_quads(TRIG)
    for _ in range(2):
        report = push(quads, remote + path, protocol)
        assert (report.graphs, report.triples) == (3, 25)
        assert per_graph(remote) == {G + "kvm-history": 6, G + "xen-history": 5}
        assert default_graph(remote) == expected(quads, None)
        assert graph(remote, G + "xen-history") == expected(quads, G + "xen-history")


@pytest.mark.parametrize("protocol, path", [("gsp", "/store"), ("update", "/update")])
def test_a_second_push_replaces_changed_graphs(remote, protocol, path):
    quads = read_quads(TRIG)
    push(quads, remote + path, protocol)
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    changed = [q for q in quads if not (q.predicate == title and "xen" in q.subject.value)]
    changed.append(ox.Quad(ox.NamedNode("https://kg.example.org/document/xen-history"), title,
                           ox.Literal("Xen, revised"), ox.NamedNode(G + "xen-history")))
    push(changed, remote + path, protocol)
    assert graph(remote, G + "xen-history") == expected(changed, G + "xen-history")
    titles = remote_query(f"{remote}/query", "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t")
    assert [s["t"].value for s in titles] == ["How KVM won", "Xen, revised"]


def test_literals_survive_the_update_protocol(remote):
    quads = read_quads(TRIG)
    push(quads, f"{remote}/update", "update")
    original = next(q.object for q in quads if q.predicate.value.endswith("title") and "xen" in q.subject.value)
    assert '"quotes"' in original.value and "{braces}" in original.value and "\n" in original.value
    found = remote_query(f"{remote}/query", 'SELECT ?t WHERE { <https://kg.example.org/document/xen-history> '
                                             '<http://purl.org/dc/terms/title> ?t }')
    assert [s["t"] for s in found] == [original]
    assert update_request(G + "x", []).startswith(f"DROP SILENT GRAPH <{G}x> ;")


def test_default_graph_into_a_named_graph(remote):
    quads = read_quads(TRIG)
    push(quads, f"{remote}/store", "gsp", default_graph=G + "entities")
    assert per_graph(remote) == {G + "entities": 14, G + "kvm-history": 6, G + "xen-history": 5}
    assert default_graph(remote) == set()
    with pytest.raises(PushError, match="not an IRI"):
        push(quads, f"{remote}/store", "gsp", default_graph="not an iri")


def test_push_and_query_commands(remote, capsys):
    assert main(["push", "--endpoint", f"{remote}/store", "--data", str(TRIG)]) == 0
    assert capsys.readouterr().out == f"pushed 3 graph(s), 25 triples to {remote}/store (gsp)\n"
    query = ("PREFIX kgo: <https://kg.example.org/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?buyer ?bought WHERE { ?b kgo:acquired ?a . ?b rdfs:label ?buyer . ?a rdfs:label ?bought "
             'FILTER(lang(?buyer) = "en") } ORDER BY ?buyer')
    assert main(["query", query, "--endpoint", f"{remote}/query"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "buyer   | bought", "--------+----------", "Citrix  | XenSource", "Red Hat | Qumranet", "(2 rows)"]
    assert main(["query", "ASK { ?s ?p ?o }", "--endpoint", f"{remote}/query"]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", "SELECT * WHERE {", "--endpoint", f"{remote}/query"]) == 2
    assert "answered 400" in capsys.readouterr().err
    assert main(["query", "SELECT ?x WHERE {}", "--endpoint", f"{remote}/query", "--bind", "x=1"]) == 2


def test_remote_graph_results(remote):
    push(read_quads(TRIG), f"{remote}/store")
    triples = remote_query(f"{remote}/query", "CONSTRUCT WHERE { ?s a ?c }")
    assert len(triples) == 8
    assert format_results(triples, "ntriples").count(" .\n") == 8


def test_unreachable_endpoints():
    closed = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PushError):
        push(read_quads(TRIG), f"{closed}/store")
    with pytest.raises(QueryError):
        remote_query(f"{closed}/query", "ASK {}")
    with pytest.raises(QueryError, match="not an http"):
        remote_query("file:///etc/passwd", "ASK {}")
