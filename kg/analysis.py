"""Graph analysis with networkx: centrality, communities, components and a timeline of dated claims."""
from __future__ import annotations

import json

import networkx as nx

from .export import entity_graph
from .graph import KnowledgeGraph


def _round(d: dict) -> dict:
    return {k: round(v, 6) for k, v in d.items()}


def analyze(kg: KnowledgeGraph) -> dict:
    """A JSON-ready summary of the entity graph.

    Keys: counts, entities (degree, pagerank, betweenness, community, component per entity),
    communities (lists of entity ids), components, relations (count per relation), timeline.
    """
    g = entity_graph(kg)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in g.edges()}))
    directed = nx.DiGraph()
    directed.add_nodes_from(sorted(g.nodes))
    directed.add_edges_from(sorted({(u, v) for u, v in g.edges()}))
    pagerank = _round(nx.pagerank(directed)) if len(directed) else {}
    betweenness = _round(nx.betweenness_centrality(simple)) if len(simple) else {}
    if simple.number_of_edges():
        communities = nx.community.louvain_communities(simple, seed=42)
    else:
        communities = [{n} for n in simple.nodes]
    communities = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c))
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
                   "entities": g.number_of_nodes(), "triples": len(kg.triples())},
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
