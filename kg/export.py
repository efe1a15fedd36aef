"""Exports: Turtle, TriG, N-Triples, JSON-LD, GraphML and a CSV of claims, written atomically.

Quads arrive sorted from ``kg.graph``, and pyoxigraph serializes them in that order, so the same
input gives byte-identical files whatever PYTHONHASHSEED is.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

import networkx as nx
import pyoxigraph as ox

from .graph import PREFIXES, KnowledgeGraph


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so readers never see half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def turtle(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(kg.iter_triples(), format=ox.RdfFormat.TURTLE, prefixes=_prefixes(kg))


def trig(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(kg.quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes(kg))


def ntriples(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(kg.iter_triples(), format=ox.RdfFormat.N_TRIPLES)


def jsonld(kg: KnowledgeGraph) -> bytes:
    return ox.serialize(kg.iter_triples(), format=ox.RdfFormat.JSON_LD, prefixes=_prefixes(kg))


def _prefixes(kg: KnowledgeGraph) -> dict[str, str]:
    return {**PREFIXES, "entity": kg.base + "entity/", "claim": kg.base + "claim/",
            "doc": kg.base + "document/", "graph": kg.base + "graph/"}


def entity_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Entities as nodes and asserted facts as edges (one per relation), with labels and classes.

    Edge attributes: relation, claims (how many), years (sorted, comma-joined), evidence (first sentence).
    """
    g = nx.MultiDiGraph()
    for entity_id, e in sorted(kg.entities.items()):
        g.add_node(entity_id, label=e.en, label_zh=e.zh or e.en, cls=e.cls, discovered=e.discovered)
    edges: dict[tuple[str, str, str], list] = {}
    for c in kg.facts():
        edges.setdefault((c.subject, c.object, c.predicate), []).append(c)
    for (s, o, p), claims in sorted(edges.items()):
        years = sorted({c.year for c in claims if c.year is not None})
        g.add_edge(s, o, key=p, relation=p, claims=len(claims), years=",".join(map(str, years)),
                   evidence=claims[0].sentence, confidence=max(c.confidence for c in claims))
    return g


# Characters that XML 1.0 cannot carry: C0 controls other than tab, newline and carriage return.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    """A GraphML id or value with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def graphml(kg: KnowledgeGraph) -> bytes:
    """The entity graph as GraphML, well-formed XML whatever control characters labels hold."""
    g = entity_graph(kg)
    g = nx.relabel_nodes(g, {n: _xml_safe(n) for n in g if _NOT_XML.search(n)})
    for *_, data in (*g.nodes(data=True), *g.edges(keys=True, data=True)):
        data.update({k: _xml_safe(v) for k, v in data.items()})
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


CSV_COLUMNS = ["document", "sentence_start", "sentence_end", "subject", "subject_label", "predicate",
               "object", "object_label", "subject_text", "subject_start", "subject_end", "object_text",
               "object_start", "object_end", "year", "date_text", "relative_date", "polarity", "modality",
               "amount", "confidence", "rule", "claim", "evidence"]


def claims_csv(kg: KnowledgeGraph) -> bytes:
    """One row per claim, with IRIs and English labels."""
    from .graph import Iris

    iris = Iris(kg.base)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for c in kg.claims:
        label = lambda e: kg.entities[e].en if e in kg.entities else e  # noqa: E731
        w.writerow([c.doc_id, c.sentence_start, c.sentence_end, iris.entity(c.subject), label(c.subject),
                    iris.relation(c.predicate), iris.entity(c.object), label(c.object), c.subject_text,
                    c.subject_start, c.subject_end, c.object_text, c.object_start, c.object_end,
                    "" if c.year is None else c.year, c.date_text or "", "true" if c.relative_date else "false",
                    c.polarity, c.modality, c.amount or "", f"{c.confidence:.2f}", c.rule, iris.claim(c),
                    c.sentence])
    return buf.getvalue().encode("utf-8")


EXPORTS = {
    "graph.ttl": turtle,
    "graph.trig": trig,
    "graph.nt": ntriples,
    "graph.jsonld": jsonld,
    "graph.graphml": graphml,
    "claims.csv": claims_csv,
}


def iter_exports(kg: KnowledgeGraph) -> Iterator[tuple[str, bytes]]:
    """Each export file's name and bytes, one file at a time (a large graph's exports are hundreds of MB)."""
    for name, fn in EXPORTS.items():
        yield name, fn(kg)


def render_exports(kg: KnowledgeGraph) -> dict[str, bytes]:
    """Every export file's name and bytes."""
    return dict(iter_exports(kg))
