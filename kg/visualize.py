"""The interactive HTML graph, drawn with pyvis and vis-network, embedded so it works offline.

Node and edge data are built in bulk (pyvis's add_node/add_edge scan lists on every call), the
layout is computed in Python with a fixed seed and physics is off, so the page opens fast and the
same way every time. Labels and evidence come from articles: they go into the page only as JSON
data and are shown by vis-network as plain text.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .export import entity_graph
from .graph import KnowledgeGraph

CLASS_STYLE = {
    "Organization": ("#4e79a7", "dot"),
    "Person": ("#f28e2b", "star"),
    "Hypervisor": ("#e15759", "diamond"),
    "OperatingSystem": ("#59a14f", "square"),
    "Release": ("#8cd17d", "triangle"),
    "Software": ("#b07aa1", "dot"),
    "Technique": ("#9c755f", "triangleDown"),
    "Event": ("#bab0ac", "hexagon"),
}
TEMPLATE = Path(__file__).parent / "templates" / "graph.html"


def _vis_assets() -> tuple[str, str]:
    lib = Path(__import__("pyvis").__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    simple = nx.Graph(g)
    if not len(simple):
        return {}
    pos = nx.spring_layout(simple, seed=7, k=1.6 / max(1, len(simple)) ** 0.5, iterations=200)
    scale = 220 * max(1, len(simple)) ** 0.5
    return {n: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for n, (x, y) in pos.items()}


def _safe_json(value) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' in clear."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def network_data(kg: KnowledgeGraph) -> dict:
    """Nodes, edges and options for vis-network, built with pyvis in bulk."""
    g = entity_graph(kg)
    pos = _layout(g)
    net = Network(directed=True)
    evidence: dict[str, list[str]] = {}
    for c in kg.claims:
        for e in (c.subject, c.object):
            evidence.setdefault(e, []).append(c.sentence)
    for n in sorted(g.nodes):
        d = g.nodes[n]
        color, shape = CLASS_STYLE.get(d["cls"], ("#999999", "dot"))
        label = d["label"] if d["label_zh"] == d["label"] else f"{d['label']}\n{d['label_zh']}"
        sentences = list(dict.fromkeys(evidence.get(n, [])))
        title = f"{d['label']} ({d['cls']})\n" + "\n".join(f"• {s}" for s in sentences[:6])
        x, y = pos.get(n, (0, 0))
        net.nodes.append({"id": n, "label": label, "title": title, "color": color, "shape": shape,
                          "x": x, "y": y, "group": d["cls"], "size": 12 + 3 * min(g.degree(n), 10)})
    net.node_ids = [n["id"] for n in net.nodes]
    rels = {name: r.label_en for name, r in __import__("kg.ontology", fromlist=["Ontology"]).Ontology.load().relations.items()}
    grouped: dict[tuple, list] = {}
    for c in kg.claims:
        grouped.setdefault((c.subject, c.predicate, c.object, c.asserted), []).append(c)
    for (s, p, o, asserted), claims in sorted(grouped.items()):
        years = sorted({c.year for c in claims if c.year is not None})
        kind = "" if asserted else (" (negated)" if claims[0].polarity == "negative" else " (planned)")
        title = "\n".join([f"{kg.entities[s].en} {rels.get(p, p)} {kg.entities[o].en}{kind}"] +
                          [f"{c.year or ''} [{c.doc_id}] {c.sentence}".strip() for c in claims])
        edge = {"id": f"{s}|{p}|{o}|{'fact' if asserted else 'claim'}", "from": s, "to": o,
                "label": rels.get(p, p) + (f" ({', '.join(map(str, years))})" if years else ""),
                "title": title, "arrows": "to", "font": {"size": 11, "align": "middle"}}
        if not asserted:
            edge.update({"dashes": True, "color": {"color": "#c0392b"}})
        net.edges.append(edge)
    options = {"physics": {"enabled": False}, "interaction": {"hover": True, "tooltipDelay": 120},
               "edges": {"smooth": {"type": "dynamic"}}, "nodes": {"font": {"size": 14}}}
    return {"nodes": net.nodes, "edges": net.edges, "options": options}


def render_html(kg: KnowledgeGraph, title: str = "Knowledge graph") -> bytes:
    """The self-contained page as bytes."""
    from jinja2 import Template

    js, css = _vis_assets()
    legend = "".join(f'<span><i style="background:{color}"></i>{html.escape(cls)}</span>'
                     for cls, (color, _) in CLASS_STYLE.items())
    page = Template(TEMPLATE.read_text(encoding="utf-8"), autoescape=False).render(
        page_title=html.escape(title), vis_js=js.replace("</script", "<\\/script"), vis_css=css,
        legend=legend, data_json=_safe_json(network_data(kg)))
    return page.encode("utf-8")
