"""Graph building: claims and entities → RDF quads with content-derived IRIs (no blank nodes).

Layout (see README): each entity is typed and labelled from the lexicon; each claim is a node
(a reified rdf:Statement) with its evidence, offsets and qualifiers, linked by prov:wasDerivedFrom
to its document; each asserted claim (positive, not planned) also yields the plain fact triple
``<subject> kgo:<relation> <object>``. Every document gets a named graph holding its metadata,
its claims and the facts they assert; entity descriptions live in the default graph.
"""
from __future__ import annotations

import gc
import hashlib
import re
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

import pyoxigraph as ox

from .lexicon import Entity
from .model import Claim, Document

DEFAULT_BASE = "https://kg.example.org/"
ONTOLOGY = "https://kg.example.org/ontology#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

PREFIXES = {
    "kgo": ONTOLOGY, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "prov": PROV,
    "dcterms": DCTERMS, "schema": SCHEMA,
}

_CJK = re.compile(r"[\u3400-\u9fff]")
_DEFAULT_GRAPH = ox.DefaultGraph()
_KIND = {ox.NamedNode: "0", ox.BlankNode: "1", ox.Literal: "2"}
_NODES: dict[str, ox.NamedNode] = {}   # predicates and datatypes: a small, fixed set of IRIs
_OFFSETS = tuple((name, ONTOLOGY + re.sub(r"_(\w)", lambda m: m.group(1).upper(), name))
                 for name in ("sentence_start", "sentence_end", "subject_start", "subject_end",
                              "object_start", "object_end"))

Statement = tuple[str, "ox.NamedNode | ox.Literal"]   # (predicate IRI, object) of one subject


@contextmanager
def _gc_paused():
    """Pause the cycle collector while a million acyclic objects are made at once: each collection
    would walk all of them, which otherwise takes about half the time of building the graph."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _fixed(iri: str) -> ox.NamedNode:
    """The node of a predicate or datatype IRI, made once per process."""
    node = _NODES.get(iri)
    if node is None:
        node = _NODES[iri] = ox.NamedNode(iri)
    return node


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=_fixed(XSD + datatype))
    return ox.Literal(str(value))


def _label_lang(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


class Iris:
    """Content-derived IRIs under one base, e.g. ``Iris().entity("red-hat")``."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", base, re.I):
            raise ValueError(f"not a usable base IRI: {base!r}")
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self._entities: dict[str, str] = {}

    def entity(self, entity_id: str) -> str:
        iri = self._entities.get(entity_id)
        if iri is None:
            iri = self._entities[entity_id] = f"{self.base}entity/{quote(entity_id, safe='-._~')}"
        return iri

    def document(self, doc_id: str) -> str:
        return f"{self.base}document/{quote(doc_id, safe='-._~')}"

    def graph(self, doc_id: str) -> str:
        return f"{self.base}graph/{quote(doc_id, safe='-._~')}"

    def claim(self, c: Claim) -> str:
        key = "\x1f".join(map(str, (c.doc_id, c.sentence_start, c.subject_start, c.object_start,
                                    c.subject, c.predicate, c.object, c.polarity, c.modality)))
        return f"{self.base}claim/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}"

    @staticmethod
    def relation(name: str) -> str:
        return ONTOLOGY + name


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: sorted quads plus the entities, documents and claims they came from."""

    quads: tuple[ox.Quad, ...]
    entities: dict[str, Entity]
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    base: str = DEFAULT_BASE

    def triples(self) -> list[ox.Triple]:
        """The union of all graphs as sorted, de-duplicated triples."""
        return list(self.iter_triples())

    def iter_triples(self) -> Iterator[ox.Triple]:
        """The same triples made one at a time, for serializers: a million Triple objects held at
        once would take about 450 MB, and pyoxigraph writes from a generator as fast as from a list."""
        quads = self.quads
        return (quads[i].triple for i in self._triple_order)

    @property
    def triple_count(self) -> int:
        """How many distinct triples the union of all graphs has."""
        return len(self._triple_order)

    @cached_property
    def _triple_order(self) -> array:
        """Index in ``quads`` of the first quad of each distinct triple, in triple order; computed
        once per graph and kept as machine integers (8 bytes a triple)."""
        with _gc_paused():
            first: dict[str, int] = {}
            kind = _KIND.get
            for i, q in enumerate(self.quads):  # _triple_key, inlined: this loop runs once per quad
                s, p, o = q.subject, q.predicate, q.object
                first.setdefault(f"{kind(type(s), '2')}{s}\0{kind(type(p), '2')}{p}\0{kind(type(o), '2')}{o}", i)
            return array("q", (first[k] for k in sorted(first)))

    def facts(self) -> list[Claim]:
        """Claims that are asserted as facts."""
        return [c for c in self.claims if c.asserted]

    def store(self) -> ox.Store:
        """An in-memory pyoxigraph store holding the dataset, for SPARQL."""
        store = ox.Store()
        store.bulk_extend(self.quads)
        return store

    def to_rdflib(self):
        """The dataset as an ``rdflib.Dataset`` (for code that wants rdflib's API)."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=ox.serialize(self.quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        return ds


def _term_key(t) -> str:
    """Sort key of a term: IRIs, then blank nodes, then literals, each by its N-Triples form."""
    return _KIND.get(type(t), "2") + str(t)


# Keys join the parts with NUL, which no N-Triples term contains, so comparing the joined strings
# orders like comparing the tuples of parts, at the speed of one string comparison.

def _triple_key(t) -> str:
    return f"{_term_key(t.subject)}\0{_term_key(t.predicate)}\0{_term_key(t.object)}"


def _quad_key(q) -> str:
    g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return f"{g}\0{_triple_key(q)}"


def entity_statements(e: Entity, iris: Iris) -> list[Statement]:
    """Type, labels and lexicon knowledge of one entity."""
    out: list[Statement] = [(RDF + "type", _n(ONTOLOGY + e.cls))]
    add = lambda p, o: out.append((p, o))  # noqa: E731
    add(RDFS + "label", _lit(e.en, lang="en"))
    add(SKOS + "prefLabel", _lit(e.en, lang="en"))
    if e.zh:
        add(RDFS + "label", _lit(e.zh, lang="zh"))
        add(SKOS + "prefLabel", _lit(e.zh, lang="zh"))
    for alias in e.labels:
        if alias not in (e.en, e.zh):
            add(SKOS + "altLabel", _lit(alias, lang=_label_lang(alias)))
    if e.description:
        add(SCHEMA + "description", _lit(e.description, lang="en"))
    if e.release_of:
        add(ONTOLOGY + "releaseOf", _n(iris.entity(e.release_of)))
    if e.vendor:
        add(ONTOLOGY + "vendor", _n(iris.entity(e.vendor)))
    if e.discovered:
        add(ONTOLOGY + "discovered", _lit("true", "boolean"))
    return out


def document_statements(doc: Document) -> list[Statement]:
    """DCTERMS metadata of a document from its front matter."""
    meta = doc.meta
    out: list[Statement] = [(RDF + "type", _fixed(ONTOLOGY + "Document"))]
    add = lambda p, o: out.append((p, o))  # noqa: E731
    add(DCTERMS + "title", _lit(doc.title))
    add(DCTERMS + "language", _lit(doc.lang))
    add(DCTERMS + "identifier", _lit(doc.id))
    if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date):
        add(DCTERMS + "date", _lit(doc.date, "date"))
    if meta.get("description"):
        add(DCTERMS + "description", _lit(meta["description"]))
    for key in ("tags", "categories", "keywords"):
        for value in filter(None, (v.strip() for v in meta.get(key, "").split(","))):
            add(DCTERMS + "subject", _lit(value))
    source = meta.get("source", "")
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", source):
        add(DCTERMS + "source", _n(source))
    return out


def claim_statements(c: Claim, iris: Iris) -> list[Statement]:
    """The claim node's statement, qualifiers and provenance."""
    integer = _fixed(XSD + "integer")
    out: list[Statement] = [
        (RDF + "type", _fixed(ONTOLOGY + "Claim")),
        (RDF + "subject", _n(iris.entity(c.subject))),
        (RDF + "predicate", _fixed(iris.relation(c.predicate))),
        (RDF + "object", _n(iris.entity(c.object))),
        (ONTOLOGY + "polarity", ox.Literal(c.polarity)),
        (ONTOLOGY + "modality", ox.Literal(c.modality)),
        (ONTOLOGY + "confidence", _lit(f"{c.confidence:.2f}", "decimal")),
        (ONTOLOGY + "rule", ox.Literal(c.rule)),
        (ONTOLOGY + "evidence", ox.Literal(c.sentence)),
    ]
    out += [(p, ox.Literal(str(getattr(c, name)), datatype=integer)) for name, p in _OFFSETS]
    out.append((ONTOLOGY + "subjectText", ox.Literal(c.subject_text)))
    out.append((ONTOLOGY + "objectText", ox.Literal(c.object_text)))
    if c.year is not None:
        out.append((ONTOLOGY + "year", _lit(f"{c.year:04d}", "gYear")))
        out.append((ONTOLOGY + "dateText", ox.Literal(c.date_text or "")))
        out.append((ONTOLOGY + "relativeDate", _lit("true" if c.relative_date else "false", "boolean")))
    if c.amount:
        out.append((ONTOLOGY + "amount", ox.Literal(c.amount)))
    out.append((PROV + "wasDerivedFrom", _n(iris.document(c.doc_id))))
    return out


class _Dataset:
    """Quads under their sort keys (see ``_quad_key``), built from strings already at hand, so that
    duplicates merge and sorting compares plain strings without asking pyoxigraph for them again."""

    def __init__(self):
        self.quads: dict[str, ox.Quad] = {}

    def add(self, graph, graph_key: str, subject: str, statements: list[Statement]) -> None:
        s = _n(subject)
        prefix = f"{graph_key}\0" + "0<" + subject + ">\0"
        quads = self.quads
        for p, o in statements:
            key = prefix + "0<" + p + ">\0" + _KIND[type(o)] + str(o)
            if key not in quads:
                quads[key] = ox.Quad(s, _fixed(p), o, graph)

    def ordered(self) -> tuple[ox.Quad, ...]:
        return tuple(self.quads[k] for k in sorted(self.quads))


def build_graph(documents: list[Document], claims: list[Claim], entities: dict[str, Entity],
                base: str = DEFAULT_BASE) -> KnowledgeGraph:
    """Assemble the dataset. Only entities that a claim names are described, plus what they link to."""
    with _gc_paused():
        return _build_graph(documents, claims, entities, base)


def _build_graph(documents: list[Document], claims: list[Claim], entities: dict[str, Entity],
                 base: str) -> KnowledgeGraph:
    iris = Iris(base)
    used = {c.subject for c in claims} | {c.object for c in claims}
    todo = list(used)
    while todo:
        e = entities.get(todo.pop())
        for ref in (e.release_of, e.vendor) if e else ():
            if ref and ref not in used and ref in entities:
                used.add(ref)
                todo.append(ref)
    data = _Dataset()
    for entity_id in sorted(used):
        if entity_id in entities:
            data.add(_DEFAULT_GRAPH, "", iris.entity(entity_id), entity_statements(entities[entity_id], iris))
    graphs: dict[str, tuple[ox.NamedNode, str]] = {}

    def graph_of(doc_id: str) -> tuple[ox.NamedNode, str]:
        if doc_id not in graphs:
            iri = iris.graph(doc_id)
            graphs[doc_id] = (_n(iri), f"<{iri}>")
        return graphs[doc_id]

    for doc in documents:
        data.add(*graph_of(doc.id), iris.document(doc.id), document_statements(doc))
    for c in claims:
        g = graph_of(c.doc_id)
        data.add(*g, iris.claim(c), claim_statements(c, iris))
        if c.asserted:
            data.add(*g, iris.entity(c.subject), [(iris.relation(c.predicate), _n(iris.entity(c.object)))])
    return KnowledgeGraph(data.ordered(), {k: entities[k] for k in sorted(used) if k in entities},
                          tuple(sorted(documents, key=lambda d: d.id)),
                          tuple(sorted(claims, key=lambda c: (c.doc_id, c.sentence_start, c.subject_start,
                                                              c.object_start, c.predicate))), iris.base)
