"""The ontology as the extractor and the graph builder see it: classes, relations, domains, ranges.

Read from ontology/kg.ttl. ``accepts(relation, "subject", cls)`` answers whether an entity of
class ``cls`` may fill a relation's subject, following rdfs:subClassOf and owl:unionOf.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .resources import ONTOLOGY_DIR

KGO = rdflib.Namespace("https://kg.example.org/ontology#")


@dataclass(frozen=True)
class Relation:
    """An object property the extractor may assert."""

    name: str
    domain: frozenset[str]
    range: frozenset[str]
    label_en: str
    label_zh: str
    symmetric: bool


class Ontology:
    """Classes and relations of ontology/kg.ttl, with subclass reasoning for domain/range checks."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.classes: dict[str, tuple[str, str]] = {}
        parents: dict[str, set[str]] = {}
        for cls in graph.subjects(RDF.type, OWL.Class):
            if isinstance(cls, rdflib.URIRef) and cls.startswith(KGO):
                name = cls[len(KGO):]
                self.classes[name] = (self._label(cls, "en"), self._label(cls, "zh"))
                parents[name] = {p[len(KGO):] for p in graph.objects(cls, RDFS.subClassOf)
                                 if isinstance(p, rdflib.URIRef) and p.startswith(KGO)}
        self._ancestors = {c: self._closure(c, parents) for c in self.classes}
        self.relations: dict[str, Relation] = {}
        for prop in graph.subjects(RDF.type, KGO.Relation):
            name = prop[len(KGO):]
            self.relations[name] = Relation(
                name=name,
                domain=frozenset(self._class_set(graph.value(prop, RDFS.domain))),
                range=frozenset(self._class_set(graph.value(prop, RDFS.range))),
                label_en=self._label(prop, "en"), label_zh=self._label(prop, "zh"),
                symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph)

    @staticmethod
    def _closure(cls: str, parents: dict[str, set[str]]) -> frozenset[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return frozenset(seen)

    def _class_set(self, node) -> set[str]:
        if node is None:
            return set()
        if isinstance(node, rdflib.URIRef):
            return {node[len(KGO):]} if node.startswith(KGO) else set()
        members = self.graph.value(node, OWL.unionOf)
        return {m[len(KGO):] for m in Collection(self.graph, members)} if members is not None else set()

    def _label(self, node, lang: str) -> str:
        for label in self.graph.objects(node, RDFS.label):
            if getattr(label, "language", None) == lang:
                return str(label)
        return str(node).rsplit("#", 1)[-1]

    def is_a(self, cls: str, ancestor: str) -> bool:
        """True when ``cls`` is ``ancestor`` or one of its subclasses."""
        return ancestor in self._ancestors.get(cls, {cls})

    def accepts(self, relation: str, role: str, cls: str) -> bool:
        """May an entity of class ``cls`` be the ``role`` ("subject" or "object") of ``relation``?"""
        rel = self.relations[relation]
        allowed = rel.domain if role == "subject" else rel.range
        return not allowed or any(self.is_a(cls, a) for a in allowed)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Ontology":
        return _load_cached(str(Path(path or ONTOLOGY_DIR / "kg.ttl").resolve()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Ontology:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return Ontology(graph)
