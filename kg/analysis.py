"""Graph analysis: centrality, communities, components and a timeline of dated claims.

Small graphs are analysed with networkx (exact betweenness, Louvain communities). From
``LARGE_GRAPH`` nodes on, the same measures come from igraph, written in C, which finishes in
seconds on 100k nodes where networkx takes minutes: PageRank (PRPACK), betweenness estimated from
a fixed, seeded sample of source nodes and scaled like networkx's ``k`` estimate, and Leiden
communities optimising modularity with a seeded random generator. Both paths return results of
the same shape and normalization.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass

import networkx as nx

from .export import entity_graph
from .graph import KnowledgeGraph

LARGE_GRAPH = 5000           # nodes from which the igraph backend is used
BETWEENNESS_SOURCES = 100    # source nodes sampled for betweenness on large graphs
SEED = 42


def _round(d: dict) -> dict:
    return {k: round(v, 6) for k, v in d.items()}


@dataclass(frozen=True)
class Measures:
    """Per-node centralities and the node groupings of a graph, with the method that computed them."""

    pagerank: dict[str, float]
    betweenness: dict[str, float]
    communities: list[list[str]]
    components: list[list[str]]
    backend: str
    betweenness_method: str


def _groups(groups) -> list[list[str]]:
    """Groups as sorted lists, largest first, ties by their members."""
    return sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c))


def _networkx_measures(nodes: list[str], edges: list[tuple[str, str]]) -> Measures:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted({tuple(sorted(e)) for e in edges}))
    directed = nx.DiGraph()
    directed.add_nodes_from(nodes)
    directed.add_edges_from(edges)
    pagerank = _round(nx.pagerank(directed)) if len(directed) else {}
    betweenness = _round(nx.betweenness_centrality(simple)) if len(simple) else {}
    if simple.number_of_edges():
        communities = nx.community.louvain_communities(simple, seed=SEED)
    else:
        communities = [{n} for n in simple.nodes]
    return Measures(pagerank, betweenness, _groups(communities), _groups(nx.connected_components(simple)),
                    "networkx", "exact")


def _igraph_measures(nodes: list[str], edges: list[tuple[str, str]], sources: int) -> Measures:
    import igraph as ig

    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in edges]
    directed = ig.Graph(n=len(nodes), edges=pairs, directed=True)
    simple = ig.Graph(n=len(nodes), edges=sorted({(min(e), max(e)) for e in pairs if e[0] != e[1]}))
    n = len(nodes)
    pagerank = _round(dict(zip(nodes, directed.pagerank(damping=0.85, directed=True)))) if n else {}
    if n <= sources:
        raw, scale, method = simple.betweenness(directed=False), 1.0, "exact"
    else:
        sample = sorted(random.Random(SEED).sample(range(n), sources))
        # Paths from the sampled sources only, each counted once: scale by n/k as networkx does.
        raw = simple.betweenness(directed=False, sources=sample)
        scale, method = n / sources, f"estimated from {sources} sampled source nodes"
    norm = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    betweenness = _round({v: b * scale * norm for v, b in zip(nodes, raw)})
    if simple.ecount():
        ig.set_random_number_generator(random.Random(SEED))
        try:
            partition = simple.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)
        communities = [[nodes[i] for i in members] for members in partition]
    else:
        communities = [[v] for v in nodes]
    components = [[nodes[i] for i in members] for members in simple.connected_components()]
    return Measures(pagerank, betweenness, _groups(communities), _groups(components), "igraph", method)


def graph_measures(nodes: list[str], edges: list[tuple[str, str]], backend: str = "auto",
                   sources: int = BETWEENNESS_SOURCES) -> Measures:
    """PageRank (directed), betweenness (undirected, normalized), communities and components.

    ``backend`` is "networkx", "igraph", or "auto": igraph from ``LARGE_GRAPH`` nodes on. With
    igraph, betweenness is exact up to ``sources`` nodes and estimated from that many above.
    """
    nodes = sorted(nodes)
    edges = sorted(set(edges))
    if backend == "auto":
        backend = "igraph" if len(nodes) >= LARGE_GRAPH else "networkx"
    if backend == "networkx":
        return _networkx_measures(nodes, edges)
    if backend == "igraph":
        return _igraph_measures(nodes, edges, sources)
    raise ValueError(f"unknown analysis backend {backend!r} (networkx, igraph or auto)")


def analyze(kg: KnowledgeGraph, backend: str = "auto") -> dict:
    """A JSON-ready summary of the entity graph.

    Keys: counts, method (backend and how betweenness was computed), entities (degree, pagerank,
    betweenness, community, component per entity), communities (lists of entity ids), components,
    relations (count per relation), timeline.
    """
    g = entity_graph(kg)
    m = graph_measures(list(g.nodes), [(u, v) for u, v in g.edges()], backend)
    pagerank, betweenness, communities, components = m.pagerank, m.betweenness, m.communities, m.components
    community_of = {n: i for i, c in enumerate(communities) for n in c}
    component_of = {n: i for i, c in enumerate(components) for n in c}
    entities = {}
    for n in sorted(g.nodes):
        data = g.nodes[n]
        entities[n] = {"label": data["label"], "label_zh": data["label_zh"], "class": data["cls"],
                       "degree": g.degree(n), "in_degree": g.in_degree(n), "out_degree": g.out_degree(n),
                       "pagerank": pagerank.get(n, 0.0), "betweenness": betweenness.get(n, 0.0),
                       "community": community_of.get(n), "component": component_of.get(n)}
    relations: dict[str, int] = {}
    for _, _, p in g.edges(keys=True):
        relations[p] = relations.get(p, 0) + 1
    timeline = [{"year": c.year, "subject": c.subject, "predicate": c.predicate, "object": c.object,
                 "polarity": c.polarity, "modality": c.modality, "date_text": c.date_text,
                 "relative_date": c.relative_date, "document": c.doc_id, "evidence": c.sentence}
                for c in sorted((c for c in kg.claims if c.year is not None),
                                key=lambda c: (c.year, c.doc_id, c.sentence_start, c.subject, c.predicate, c.object))]
    return {
        "counts": {"documents": len(kg.documents), "claims": len(kg.claims), "facts": g.number_of_edges(),
                   "negated_claims": sum(c.polarity == "negative" for c in kg.claims),
                   "planned_claims": sum(c.modality != "asserted" for c in kg.claims),
                   "entities": g.number_of_nodes(), "triples": kg.triple_count},
        "method": {"backend": m.backend, "betweenness": m.betweenness_method},
        "entities": entities,
        "communities": communities,
        "components": components,
        "relations": dict(sorted(relations.items())),
        "timeline": timeline,
    }


def analysis_json(result: dict) -> bytes:
    return (json.dumps(result, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def analysis_markdown(result: dict) -> bytes:
    """A readable report of the analysis."""
    ents = result["entities"]
    name = lambda e: ents[e]["label"] if e in ents else e  # noqa: E731
    lines = ["# Graph analysis", ""]
    c = result["counts"]
    lines.append(f"{c['documents']} documents, {c['claims']} claims ({c['negated_claims']} negated, "
                 f"{c['planned_claims']} planned), {c['facts']} facts between {c['entities']} entities, "
                 f"{c['triples']} triples.")
    method = result.get("method", {})
    if method.get("betweenness", "exact") != "exact":
        lines += ["", f"Centralities computed with {method['backend']}; betweenness {method['betweenness']}."]
    lines += ["", "## Most central entities", "", "| entity | class | degree | PageRank | betweenness |",
              "|---|---|---|---|---|"]
    top = sorted(ents, key=lambda e: (-ents[e]["pagerank"], e))[:15]
    for e in top:
        d = ents[e]
        lines.append(f"| {d['label']} | {d['class']} | {d['degree']} | {d['pagerank']:.3f} | {d['betweenness']:.3f} |")
    lines += ["", "## Communities", ""]
    for i, members in enumerate(result["communities"], 1):
        lines.append(f"{i}. " + ", ".join(name(m) for m in members))
    lines += ["", "## Connected components", ""]
    for i, members in enumerate(result["components"], 1):
        lines.append(f"{i}. {len(members)} entities: " + ", ".join(name(m) for m in members))
    lines += ["", "## Relations", "", "| relation | facts |", "|---|---|"]
    lines += [f"| {r} | {n} |" for r, n in result["relations"].items()]
    lines += ["", "## Timeline", "", "| year | claim | document |", "|---|---|---|"]
    for t in result["timeline"]:
        mark = " (negated)" if t["polarity"] == "negative" else " (planned)" if t["modality"] != "asserted" else ""
        rel = " (relative date)" if t["relative_date"] else ""
        lines.append(f"| {t['year']}{rel} | {name(t['subject'])} {t['predicate']} {name(t['object'])}{mark} | {t['document']} |")
    return ("\n".join(lines) + "\n").encode("utf-8")
