"""SHACL validation of the built graph (pyshacl) and optional OWL 2 RL inference (owlrl).

``validate_graph(kg)`` checks the union of the dataset's graphs, with ontology/kg.ttl mixed in,
against ontology/shapes.ttl, and returns a ``Report`` whose ``text()`` names the focus node, path,
value and message of each violation. ``infer(kg)`` adds, in a named graph of its own, the triples
between entities that OWL 2 RL entails from the ontology: inverse, symmetric and super-properties.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import OWL, RDF, SH, XSD

from .graph import DEFAULT_BASE, PREFIXES, Iris, KnowledgeGraph, _quad_key
from .resources import ONTOLOGY_DIR, rdf_file

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES = "https://kg.example.org/shapes#"
REPORT_LIMIT = 50
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
LITERAL_WIDTH = 80


@dataclass(frozen=True)
class Violation:
    """One SHACL result, its nodes written compactly (``entity:xen``, ``"0.8"^^xsd:decimal``)."""

    focus: str
    path: str
    value: str
    message: str
    shape: str
    constraint: str

    def lines(self) -> list[str]:
        """The violation as indented report lines."""
        out = [self.message, f"   focus node: {self.focus}"]
        if self.path:
            out.append(f"   path:       {self.path}")
        if self.value:
            out.append(f"   value:      {self.value}")
        out.append(f"   shape:      {self.shape} ({self.constraint})")
        return out


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: how many triples were checked and what failed."""

    triples: int
    violations: tuple[Violation, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self, limit: int = REPORT_LIMIT) -> str:
        """A readable report: one numbered entry per violation, at most ``limit`` of them."""
        if self.conforms:
            return f"valid: {self.triples} triples conform to {SHAPES_FILE.name}\n"
        lines = [f"invalid: {len(self.violations)} violation(s) of {SHAPES_FILE.name} in {self.triples} triples"]
        for i, v in enumerate(self.violations[:limit], 1):
            first, *rest = v.lines()
            lines += [f"{i}. {first}", *rest]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines) + "\n"


class ValidationError(Exception):
    """The graph does not conform to the shapes; ``report`` says where and why."""

    def __init__(self, report: Report):
        super().__init__(report.text())
        self.report = report


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """ontology/shapes.ttl, parsed once."""
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    """ontology/kg.ttl, parsed once."""
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


class _Names:
    """Writes RDF terms compactly with the graph's prefixes."""

    def __init__(self, base: str):
        iris = Iris(base)
        spaces = {**PREFIXES, "entity": iris.entity(""), "claim": iris.base + "claim/",
                  "doc": iris.document(""), "graph": iris.graph(""), "sh": str(SH), "kgs": SHAPES}
        self.spaces = sorted(spaces.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, term) -> str:
        if term is None:
            return ""
        if isinstance(term, rdflib.URIRef):
            for prefix, ns in self.spaces:
                local = term[len(ns):]
                if term.startswith(ns) and local and all(c.isalnum() or c in "-_." for c in local):
                    return f"{prefix}:{local}"
            return f"<{term}>"
        if isinstance(term, rdflib.Literal):
            text = str(term)
            if len(text) > LITERAL_WIDTH:
                text = text[: LITERAL_WIDTH - 1] + "…"
            quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
            if term.language:
                return f"{quoted}@{term.language}"
            return f"{quoted}^^{self(term.datatype)}" if term.datatype else quoted
        return f"_:{term}"

    def message(self, text: str) -> str:
        """A result message with the IRIs that pyshacl wrote in full made compact."""
        return _IRI.sub(lambda m: self(rdflib.URIRef(m.group(0))), text)


def _rdflib_term(term):
    """One pyoxigraph term as rdflib's (a plain literal for xsd:string, as rdflib's parsers give)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype == str(XSD.string) else rdflib.URIRef(datatype))


def to_rdflib(triples: Iterable[ox.Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """pyoxigraph triples added to an rdflib graph (a new one by default), each distinct term converted once."""
    graph = rdflib.Graph() if graph is None else graph
    terms: dict = {}

    def term(t):
        converted = terms.get(t)
        if converted is None:
            converted = terms[t] = _rdflib_term(t)
        return converted

    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


def validate_triples(triples: Iterable[ox.Triple], base: str = DEFAULT_BASE) -> Report:
    """Validate triples against the shapes, in one rdflib graph with the whole ontology."""
    triples = set(triples)
    merged = rdflib.Graph()
    merged += ontology_graph()
    to_rdflib(triples, merged)
    _, results, _ = pyshacl.validate(merged, shacl_graph=shapes_graph(), advanced=True, inference="none",
                                     allow_warnings=True, inplace=True)
    name = _Names(base)
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        component = results.value(result, SH.sourceConstraintComponent)
        found.add(Violation(
            focus=name(results.value(result, SH.focusNode)),
            path=name(results.value(result, SH.resultPath)),
            value=name(results.value(result, SH.value)),
            message=name.message(str(results.value(result, SH.resultMessage) or name(component))),
            shape=name(results.value(result, SH.sourceShape)),
            constraint=name(component)))
    return Report(len(triples), tuple(sorted(found, key=lambda v: (v.focus, v.path, v.value, v.message))))


def validate_graph(kg: KnowledgeGraph) -> Report:
    """Validate a built graph: the union of its named graphs."""
    return validate_triples(kg.triples(), kg.base)


def validate_file(path: str | Path, base: str = DEFAULT_BASE) -> Report:
    """Validate an RDF file (format from its extension), read with the strict pyoxigraph parser.

    Raises ``ValueError`` when the file is missing, its format unknown or it does not parse.
    """
    path, fmt = rdf_file(path, ValueError, "no such RDF file (run `kg build` first)")
    try:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)}
    except SyntaxError as exc:
        raise ValueError(f"{path}: does not parse as {fmt.name}: {exc}") from None
    return validate_triples(triples, base)


def inferred_graph(base: str) -> str:
    """The named graph that holds inferred triples, apart from every document's graph."""
    return Iris(base).base + "inferred"


def infer(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The graph plus what OWL 2 RL entails between its entities, in the graph ``inferred_graph``.

    The reasoner sees the ontology and the triples about entities (types, facts, lexicon links),
    not the claims. Only new entity-to-entity triples are kept: inverse properties, the reverse of
    symmetric ones, super-properties. Inferred types are left out, so that a subject outside a
    relation's domain stays a violation instead of being given the domain's class.
    """
    entity_ns = Iris(kg.base).entity("")
    is_entity = lambda t: isinstance(t, ox.NamedNode) and t.value.startswith(entity_ns)  # noqa: E731
    about = [t for t in kg.triples()
             if is_entity(t.subject) and (is_entity(t.object) or t.predicate.value == str(RDF.type))]
    graph = to_rdflib(about)
    before = set(graph)
    graph += ontology_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    g = ox.NamedNode(inferred_graph(kg.base))
    new = {ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), g) for s, p, o in graph
           if (s, p, o) not in before and p not in (RDF.type, OWL.sameAs, OWL.differentFrom)
           and str(s).startswith(entity_ns) and isinstance(o, rdflib.URIRef) and str(o).startswith(entity_ns)}
    return dataclasses.replace(kg, quads=tuple(sorted(set(kg.quads) | new, key=_quad_key)))
