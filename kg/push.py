"""``kg push``: load a build into a remote triplestore, one named graph per document, idempotently.

Each graph of the build replaces the graph of the same name in the store, so pushing twice leaves the
same triples as pushing once. Two protocols: the SPARQL 1.1 Graph Store Protocol (an HTTP PUT per
graph) and SPARQL 1.1 Update (``DROP SILENT GRAPH`` then ``INSERT DATA`` in one request per graph).
Triples in the build's default graph (entity descriptions) go to the store's default graph, or to the
named graph ``default_graph`` when given, which suits a store shared with other data.
"""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .query import QueryError, http_request
from .resources import rdf_file

PROTOCOLS = ("gsp", "update")


class PushError(Exception):
    """A push that failed; the message names the graph and the store's answer."""


@dataclass(frozen=True)
class PushReport:
    """What a push sent: graphs, triples, and the protocol used."""

    graphs: int
    triples: int
    protocol: str


def read_quads(data: str | Path) -> list[ox.Quad]:
    """The quads of an RDF file (TriG or N-Quads for named graphs; format from the extension)."""
    path, fmt = rdf_file(data, PushError)
    try:
        return list(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise PushError(f"{path}: cannot read: {exc}") from None


def graphs_of(quads: Iterable[ox.Quad], default_graph: str | None = None) -> dict[str | None, list[ox.Triple]]:
    """Triples per target graph IRI (None for the store's default graph), in a stable order."""
    graphs: dict[str | None, list[ox.Triple]] = {}
    for q in quads:
        name = default_graph if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return dict(sorted(graphs.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")))


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _gsp_put(endpoint: str, graph: str | None, triples: list[ox.Triple], timeout: float) -> None:
    """Replace one graph with the Graph Store Protocol (N-Triples sent as Turtle, which every store reads)."""
    target = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    url = endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + target
    reply = http_request("PUT", url, _ntriples(triples), {"Content-Type": "text/turtle"}, timeout)
    if reply.status >= 300:
        raise PushError(f"PUT {url}: {reply.status} {reply.body.decode('utf-8', 'replace').strip()[:2000]}")


def update_request(graph: str | None, triples: list[ox.Triple]) -> str:
    """One SPARQL Update that replaces a graph: every term is written by pyoxigraph's serializer."""
    data = _ntriples(triples).decode("utf-8")
    if graph is None:
        return f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{data}}}\n"
    name = str(ox.NamedNode(graph))
    return f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{data}}} }}\n"


def _update(endpoint: str, graph: str | None, triples: list[ox.Triple], timeout: float) -> None:
    reply = http_request("POST", endpoint, update_request(graph, triples).encode("utf-8"),
                         {"Content-Type": "application/sparql-update"}, timeout)
    if reply.status >= 300:
        raise PushError(f"update of {graph or 'the default graph'} at {endpoint}: {reply.status} "
                        f"{reply.body.decode('utf-8', 'replace').strip()[:2000]}")


def push(quads: Iterable[ox.Quad], endpoint: str, protocol: str = "gsp", default_graph: str | None = None,
         timeout: float = 60.0) -> PushReport:
    """Replace each graph of the build in the store at ``endpoint`` (a GSP or an Update endpoint URL)."""
    if protocol not in PROTOCOLS:
        raise PushError(f"unknown protocol {protocol!r} (use one of {', '.join(PROTOCOLS)})")
    if default_graph is not None:
        try:
            ox.NamedNode(default_graph)
        except ValueError as exc:
            raise PushError(f"--graph {default_graph!r}: not an IRI ({exc})") from None
    send = _gsp_put if protocol == "gsp" else _update
    graphs = graphs_of(quads, default_graph)
    try:
        for name, triples in graphs.items():
            send(endpoint, name, triples, timeout)
    except QueryError as exc:
        raise PushError(str(exc)) from None
    return PushReport(len(graphs), sum(len(t) for t in graphs.values()), protocol)
