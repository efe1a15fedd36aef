"""Graph building: claims and entities → RDF quads with content-derived IRIs (no blank nodes).

Layout (see README): each entity is typed and labelled from the lexicon; each claim is a node
(a reified rdf:Statement) with its evidence, offsets and qualifiers, linked by prov:wasDerivedFrom
to its document; each asserted claim (positive, not planned) also yields the plain fact triple
``<subject> kgo:<relation> <object>``. Every document gets a named graph holding its metadata,
its claims and the facts they assert; entity descriptions live in the default graph.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
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

_TYPE = ox.NamedNode(RDF + "type")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=_n(XSD + datatype))
    return ox.Literal(str(value))


def _label_lang(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


class Iris:
    """Content-derived IRIs under one base, e.g. ``Iris().entity("red-hat")``."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", base, re.I):
            raise ValueError(f"not a usable base IRI: {base!r}")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def entity(self, entity_id: str) -> str:
        return f"{self.base}entity/{quote(entity_id, safe='-._~')}"

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
        seen = {ox.Triple(q.subject, q.predicate, q.object) for q in self.quads}
        return sorted(seen, key=_triple_key)

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


def _term_key(t) -> tuple:
    return (0 if isinstance(t, ox.NamedNode) else 1 if isinstance(t, ox.BlankNode) else 2, str(t))


def _triple_key(t) -> tuple:
    return (_term_key(t.subject), _term_key(t.predicate), _term_key(t.object))


def _quad_key(q) -> tuple:
    g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (g, _term_key(q.subject), _term_key(q.predicate), _term_key(q.object))


def entity_quads(e: Entity, iris: Iris, graph=ox.DefaultGraph()) -> list[ox.Quad]:
    """Type, labels and lexicon knowledge of one entity."""
    s = _n(iris.entity(e.id))
    out = [ox.Quad(s, _TYPE, _n(ONTOLOGY + e.cls), graph)]
    add = lambda p, o: out.append(ox.Quad(s, _n(p), o, graph))  # noqa: E731
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


def document_quads(doc: Document, iris: Iris, graph) -> list[ox.Quad]:
    """DCTERMS metadata of a document from its front matter."""
    s = _n(iris.document(doc.id))
    meta = doc.meta
    out = [ox.Quad(s, _TYPE, _n(ONTOLOGY + "Document"), graph)]
    add = lambda p, o: out.append(ox.Quad(s, _n(p), o, graph))  # noqa: E731
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


def claim_quads(c: Claim, iris: Iris, graph) -> list[ox.Quad]:
    """The claim node, its statement, qualifiers and provenance; plus the fact when asserted."""
    node = _n(iris.claim(c))
    s, p, o = _n(iris.entity(c.subject)), _n(iris.relation(c.predicate)), _n(iris.entity(c.object))
    out = [ox.Quad(node, _TYPE, _n(ONTOLOGY + "Claim"), graph)]
    add = lambda pred, obj: out.append(ox.Quad(node, _n(pred), obj, graph))  # noqa: E731
    add(RDF + "subject", s)
    add(RDF + "predicate", p)
    add(RDF + "object", o)
    add(ONTOLOGY + "polarity", _lit(c.polarity))
    add(ONTOLOGY + "modality", _lit(c.modality))
    add(ONTOLOGY + "confidence", _lit(f"{c.confidence:.2f}", "decimal"))
    add(ONTOLOGY + "rule", _lit(c.rule))
    add(ONTOLOGY + "evidence", _lit(c.sentence))
    for name in ("sentence_start", "sentence_end", "subject_start", "subject_end", "object_start", "object_end"):
        camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), name)
        add(ONTOLOGY + camel, _lit(getattr(c, name), "integer"))
    add(ONTOLOGY + "subjectText", _lit(c.subject_text))
    add(ONTOLOGY + "objectText", _lit(c.object_text))
    if c.year is not None:
        add(ONTOLOGY + "year", _lit(f"{c.year:04d}", "gYear"))
        add(ONTOLOGY + "dateText", _lit(c.date_text or ""))
        add(ONTOLOGY + "relativeDate", _lit("true" if c.relative_date else "false", "boolean"))
    if c.amount:
        add(ONTOLOGY + "amount", _lit(c.amount))
    add(PROV + "wasDerivedFrom", _n(iris.document(c.doc_id)))
    if c.asserted:
        out.append(ox.Quad(s, p, o, graph))
    return out


def build_graph(documents: list[Document], claims: list[Claim], entities: dict[str, Entity],
                base: str = DEFAULT_BASE) -> KnowledgeGraph:
    """Assemble the dataset. Only entities that a claim names are described, plus what they link to."""
    iris = Iris(base)
    quads: set[ox.Quad] = set()
    used = {c.subject for c in claims} | {c.object for c in claims}
    todo = list(used)
    while todo:
        e = entities.get(todo.pop())
        for ref in (e.release_of, e.vendor) if e else ():
            if ref and ref not in used and ref in entities:
                used.add(ref)
                todo.append(ref)
    for entity_id in sorted(used):
        if entity_id in entities:
            quads.update(entity_quads(entities[entity_id], iris))
    for doc in documents:
        g = _n(iris.graph(doc.id))
        quads.update(document_quads(doc, iris, g))
    for c in claims:
        quads.update(claim_quads(c, iris, _n(iris.graph(c.doc_id))))
    ordered = tuple(sorted(quads, key=_quad_key))
    return KnowledgeGraph(ordered, {k: entities[k] for k in sorted(used) if k in entities},
                          tuple(sorted(documents, key=lambda d: d.id)),
                          tuple(sorted(claims, key=lambda c: (c.doc_id, c.sentence_start, c.subject_start,
                                                              c.object_start, c.predicate))), iris.base)
