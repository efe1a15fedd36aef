"""The interactive HTML graph (output/graph.html): vis-network data built in bulk, embedded offline.

Node and edge data are built in bulk as vis-network items (pyvis's add_node/add_edge scan lists on
every call, so only the vis-network library that pyvis ships is used); the layout is computed in
Python with a fixed seed and physics is off, so the page opens fast and the same way every time.
Article text reaches the page only as JSON data inside a non-executable script element, and the
page's script shows it with textContent, so labels and evidence stay plain text.
Graphs with more than ``LARGE`` entities open on an overview of their ``CORE`` most central
entities; a click on a node shows its neighbours, and the search reaches every entity.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .graph import KnowledgeGraph
from .model import Claim
from .ontology import Ontology

CLASS_STYLE = {
    "Organization": ("#4e79a7", "dot"),
    "Person": ("#f28e2b", "star"),
    "Hypervisor": ("#e15759", "diamond"),
    "OperatingSystem": ("#59a14f", "square"),
    "Release": ("#8cd17d", "triangle"),
    "Software": ("#b07aa1", "dot"),
    "Service": ("#76b7b2", "dot"),
    "Technique": ("#9c755f", "triangleDown"),
    "Event": ("#bab0ac", "hexagon"),
}
OTHER_STYLE = ("#999999", "dot")
KIND_STYLE = {"fact": {}, "negated": {"dashes": [8, 6], "color": {"color": "#c0392b", "highlight": "#c0392b", "hover": "#c0392b"}},
              "planned": {"dashes": [2, 5], "color": {"color": "#8e44ad", "highlight": "#8e44ad", "hover": "#8e44ad"}}}
FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
BACKING = ("includes", "defaultHypervisor", "chose")
ENDING = ("removed", "replacedBy")
LARGE = 400
CORE = 150
SPACING = 120.0
KAMADA_KAWAI = 200
SEED = 7
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class TimedEdge:
    """One drawn edge: all claims of one (subject, relation, object, kind), with its time span.

    ``kind`` is "fact" (positive, asserted), "negated" or "planned" (any non-asserted modality).
    The edge shows in year T when ``since`` is None or ``since <= T``, and ``until`` is None or
    ``T < until``.
    """

    subject: str
    relation: str
    object: str
    kind: str
    claims: tuple[Claim, ...]
    since: int | None
    until: int | None

    def visible_in(self, year: int) -> bool:
        """True when the edge shows on the graph as of ``year``."""
        return shows_in(self.since, self.until, year)


def shows_in(since: int | None, until: int | None, year: int) -> bool:
    """True when something that starts in ``since`` and ends in ``until`` (None: open) shows in ``year``."""
    return (since is None or since <= year) and (until is None or year < until)


def claim_kind(c: Claim) -> str:
    """The drawing kind of a claim: fact, negated or planned."""
    if c.asserted:
        return "fact"
    return "negated" if c.polarity == "negative" else "planned"


def timed_edges(kg: KnowledgeGraph) -> list[TimedEdge]:
    """The graph's edges with the year each appears and the year each stops showing.

    The rule the year slider follows:

    * An edge appears in the earliest year among its claims' years; an edge none of whose claims is
      dated has no start and shows in every year.
    * A dated fact ``S removed X`` that starts in year Y ends, from Y on, the facts ``S includes X``,
      ``S defaultHypervisor X`` and ``S chose X``, and the same facts of the product S is a release
      of (a release dropping a component drops it from its product line).
    * A dated fact ``X replacedBy Z`` that starts in year Y ends, from Y on, every such backing fact
      ``S → X`` of a subject S that has a backing fact ``S → Z`` already showing in Y (the subject
      switched from X to Z).
    * Only facts that started no later than Y (or are undated) are ended; a later one is a new
      adoption and stays. Undated removals and replacements end nothing, since they cannot be
      placed in time, and negated or planned claims never end anything.
    """
    grouped: dict[tuple[str, str, str, str], list[Claim]] = {}
    for c in kg.claims:
        grouped.setdefault((c.subject, c.predicate, c.object, claim_kind(c)), []).append(c)
    since = {key: min((c.year for c in cs if c.year is not None), default=None) for key, cs in grouped.items()}
    backing = {key for key in grouped if key[3] == "fact" and key[1] in BACKING}
    ends: dict[tuple[str, str, str, str], int] = {}

    def end(key: tuple[str, str, str, str], year: int) -> None:
        start = since[key]
        if start is None or start <= year:
            ends[key] = min(year, ends.get(key, year))

    for (s, p, o, kind), year in sorted(since.items(), key=lambda kv: kv[0]):
        if kind != "fact" or year is None or p not in ENDING:
            continue
        if p == "removed":
            owners = {s} | ({kg.entities[s].release_of} if s in kg.entities and kg.entities[s].release_of else set())
            for key in backing:
                if key[0] in owners and key[2] == o:
                    end(key, year)
        else:
            switched = {k[0] for k in backing if k[2] == o and (since[k] is None or since[k] <= year)}
            for key in backing:
                if key[2] == s and key[0] in switched:
                    end(key, year)
    return [TimedEdge(s, p, o, kind, tuple(cs), since[(s, p, o, kind)], ends.get((s, p, o, kind)))
            for (s, p, o, kind), cs in sorted(grouped.items())]


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style as shipped inside the pyvis package (no network needed)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _normalized(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Positions scaled so that the median nearest-neighbour distance is ``SPACING``, then spread apart.

    Labels are wide and short, so nodes closer than about half ``SPACING`` (horizontal distances
    counting less) are pushed apart, a few rounds at most.
    """
    names = sorted(pos)
    if len(names) < 2:
        return {n: (0.0, 0.0) for n in names}
    pts = np.array([pos[n] for n in names], dtype=float)
    dist = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(dist, np.inf)
    pts *= SPACING / max(float(np.median(dist.min(axis=1))), 1e-9)
    pts[:, 0] += np.arange(len(names)) * 1e-3  # nodes at the same spot get a direction to part in
    want = SPACING * 0.55
    for _ in range(60):
        delta = pts[None, :, :] - pts[:, None, :]
        gap = np.hypot(delta[..., 0] / 1.6, delta[..., 1])
        np.fill_diagonal(gap, want)
        close = gap < want
        if not close.any():
            break
        push = np.where(close, (want - gap) / 2 / np.maximum(gap, 1e-6), 0.0)
        pts -= (delta * push[..., None]).sum(axis=1)
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, pts)}


def _landscape(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Turns a layout so that its longest extent runs horizontally, as screens are wide."""
    n = len(pos)
    mx, my = sum(p[0] for p in pos.values()) / n, sum(p[1] for p in pos.values()) / n
    sxx = sum((p[0] - mx) ** 2 for p in pos.values())
    syy = sum((p[1] - my) ** 2 for p in pos.values())
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pos.values())
    angle = -0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(angle), math.sin(angle)
    return {k: ((x - mx) * cos - (y - my) * sin, (x - mx) * sin + (y - my) * cos) for k, (x, y) in pos.items()}


def _component_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """A layout of one connected component in pixels around (0, 0): seeded spring, then Kamada-Kawai.

    Kamada-Kawai evens out edge lengths (no long tails, no crowded hubs); it is cubic, so only
    components of up to ``KAMADA_KAWAI`` nodes get it.
    """
    if len(g) == 1:
        return {next(iter(g.nodes)): (0.0, 0.0)}
    pos = nx.spring_layout(g, seed=SEED, iterations=200, k=1.0 / math.sqrt(len(g)))
    if len(g) <= KAMADA_KAWAI:
        pos = nx.kamada_kawai_layout(g, pos=pos)
    return _normalized(_landscape({n: (float(x), float(y)) for n, (x, y) in pos.items()}))


def _pack(parts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Components side by side: the largest first, the others in rows beneath it."""
    out: dict[str, tuple[float, float]] = {}
    boxes = []
    for part in parts:
        xs, ys = [p[0] for p in part.values()], [p[1] for p in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 2 * SPACING, max(ys) - min(ys) + SPACING))
    width = max([boxes[0][2] if boxes else 0.0, 1200.0])
    x = y = row = 0.0
    for i, (part, (x0, y0, w, h)) in enumerate(zip(parts, boxes)):
        if i and x + w > width and x > 0:
            x, y, row = 0.0, y + row, 0.0
        out.update({n: (px - x0 + x, py - y0 + y) for n, (px, py) in part.items()})
        x += w
        row = max(row, h)
        if i == 0:
            x, y, row = 0.0, y + h, 0.0
    return out


def _induced(g: nx.Graph, nodes) -> nx.Graph:
    """The subgraph on ``nodes`` with nodes and edges in sorted order (networkx views follow set order)."""
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in g.edges(keep) if u in keep and v in keep))
    return sub


def _layout_components(g: nx.Graph) -> dict[str, tuple[float, float]]:
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    return _pack([_component_layout(_induced(g, c)) for c in comps])


def _spread(g: nx.Graph, placed: dict[str, tuple[float, float]], rank: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Places every other node on a sunflower spiral around its most central placed neighbour."""
    pos = dict(placed)
    golden = math.pi * (3 - math.sqrt(5))
    order = sorted(pos, key=lambda n: (-rank[n], n))
    bottom = max((p[1] for p in pos.values()), default=0.0) + 3 * SPACING
    spare = sorted((n for n in g.nodes if n not in pos), key=lambda n: (-rank[n], n))
    column = 0
    i = 0
    while True:
        while i < len(order):
            hub = order[i]
            i += 1
            kids = sorted((n for n in g.neighbors(hub) if n not in pos), key=lambda n: (-rank[n], n))
            hx, hy = pos[hub]
            for k, kid in enumerate(kids):
                radius = SPACING * 0.7 * math.sqrt(k + 1)
                pos[kid] = (hx + radius * math.cos(k * golden), hy + radius * math.sin(k * golden))
                order.append(kid)
        spare = [n for n in spare if n not in pos]
        if not spare:
            return pos
        pos[spare[0]] = (column * SPACING * 4, bottom)
        column += 1
        order.append(spare[0])


def layout(g: nx.Graph, rank: dict[str, float], core: set[str]) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, the same for the same graph (fixed seed, sorted input).

    Up to ``LARGE`` nodes: a spring layout per connected component, components packed in rows.
    Larger graphs: the spring layout for the core only, every other node around its neighbours.
    """
    if len(g) <= LARGE:
        pos = _layout_components(g)
    else:
        pos = _spread(g, _layout_components(_induced(g, core)), rank)
    grow = max(1.0, (60 / max(1, len(g))) ** 0.25)  # small graphs get room for their edge labels
    out = {n: (round(x * grow, 1), round(y * grow, 1)) for n, (x, y) in pos.items()}
    # vis-network draws the label of an exactly horizontal edge at the canvas origin: tilt such edges.
    for _ in range(5):
        flat = [(u, v) for u, v in sorted(g.edges) if out[u][1] == out[v][1]]
        for u, v in flat:
            out[v] = (out[v][0], round(out[v][1] + 0.5, 1))
        if not flat:
            break
    return out


def _claim_spans(c: Claim) -> list[list]:
    """Where subject and object sit in the evidence sentence, as sorted [start, end, role] lists.

    Claim offsets are source offsets and the sentence text has its markup removed, so each mention
    is looked up by its text, taking the occurrence nearest to (and preferably not after) its offset.
    """
    spans: list[list] = []
    for role, text, start in (("s", c.subject_text, c.subject_start), ("o", c.object_text, c.object_start)):
        near = start - c.sentence_start
        hits, at = [], c.sentence.find(text) if text else -1
        while at >= 0:
            hits.append(at)
            at = c.sentence.find(text, at + 1)
        if hits:
            at = min(hits, key=lambda h: (h > near, abs(near - h)))
            if all(at >= b or at + len(text) <= a for a, b, _ in spans):
                spans.append([at, at + len(text), role])
    return sorted(spans)


def _safe_json(value) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' in clear."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _label(kg: KnowledgeGraph, entity_id: str) -> tuple[str, str]:
    e = kg.entities.get(entity_id)
    return (e.en, e.zh or e.en) if e else (entity_id, entity_id)


def _claim_items(edges: list[TimedEdge], doc_index: dict[str, int]) -> tuple[list[dict], dict[int, int]]:
    """Every claim once, in edge order, and the index of each claim object in that list."""
    items, where = [], {}
    for e in edges:
        for c in e.claims:
            where[id(c)] = len(items)
            items.append({"doc": doc_index.get(c.doc_id, -1), "year": c.year, "date": c.date_text or "",
                          "relative": c.relative_date, "polarity": c.polarity, "modality": c.modality,
                          "confidence": round(c.confidence, 2), "sentence": c.sentence, "rule": c.rule,
                          "amount": c.amount or "", "spans": _claim_spans(c)})
    return items, where


def _node_items(kg: KnowledgeGraph, ids: list[str], edges: list[TimedEdge], doc_index: dict[str, int],
                rank: dict[str, float], core: set[str], pos: dict[str, tuple[float, float]]) -> list[dict]:
    """vis nodes plus what the page's filters, search and panel read (first year, documents, labels)."""
    incident: dict[str, list[TimedEdge]] = {n: [] for n in ids}
    for e in edges:
        incident[e.subject].append(e)
        if e.object != e.subject:
            incident[e.object].append(e)
    top = max(rank.values(), default=1.0) or 1.0
    items = []
    for n in ids:
        ent = kg.entities.get(n)
        en, zh = _label(kg, n)
        cls = ent.cls if ent else "Other"
        color, shape = CLASS_STYLE.get(cls, OTHER_STYLE)
        mine = incident[n]
        starts = [e.since for e in mine]
        docs = sorted({doc_index[c.doc_id] for e in mine for c in e.claims if c.doc_id in doc_index})
        names = en if zh == en else f"{en} / {zh}"
        items.append({
            "id": n, "label": en if zh == en else f"{en}\n{zh}", "x": pos[n][0], "y": pos[n][1],
            "title": f"{names} ({cls})\n{len(mine)} relation(s), {len(docs)} document(s). Click for evidence.",
            "shape": shape, "color": color, "value": round(math.sqrt(rank[n] / top), 4), "hidden": n not in core,
            "en": en, "zh": zh, "cls": cls, "first": None if not mine or None in starts else min(starts),
            "docs": docs, "rank": rank[n], "core": n in core, "discovered": bool(ent and ent.discovered),
            "aliases": list(ent.aliases[:12]) if ent else [], "description": ent.description if ent else "",
            "search": " ".join(dict.fromkeys(t.casefold() for t in (n, en, zh, *(ent.labels if ent else ())))),
        })
    return items


def _edge_items(kg: KnowledgeGraph, edges: list[TimedEdge], doc_index: dict[str, int], where: dict[int, int],
                core: set[str], large: bool) -> list[dict]:
    """vis edges, styled by kind, parallel ones curved apart, with their span, claims and documents."""
    relations = Ontology.load().relations
    pairs: dict[tuple[str, ...], int] = {}
    items = []
    for i, e in enumerate(edges):
        rel_en = relations[e.relation].label_en if e.relation in relations else e.relation
        years = sorted({c.year for c in e.claims if c.year is not None})
        mark = {"fact": "", "negated": "✗ ", "planned": "? "}[e.kind]
        nth = pairs[tuple(sorted((e.subject, e.object)))] = pairs.get(tuple(sorted((e.subject, e.object))), -1) + 1
        title = (f"{_label(kg, e.subject)[0]} {mark}{rel_en} {_label(kg, e.object)[0]}"
                 + {"fact": "", "negated": " (negated)", "planned": " (planned)"}[e.kind]
                 + (f"\n{', '.join(map(str, years))}" if years else "") + f"\n{len(e.claims)} claim(s). Click for evidence.")
        smooth = ({"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW", "roundness": 0.25 * ((nth + 1) // 2)}
                  if nth else {"enabled": False})
        item = {"id": f"e{i}", "from": e.subject, "to": e.object, "title": title, "arrows": "to", "width": 1.5,
                "label": "" if large else mark + rel_en + (f" {years[0]}" if years else ""), "smooth": smooth,
                "hidden": not (e.subject in core and e.object in core), "rel": e.relation, "relLabel": rel_en,
                "kind": e.kind, "since": e.since, "until": e.until, "claims": [where[id(c)] for c in e.claims],
                "docs": sorted({doc_index[c.doc_id] for c in e.claims if c.doc_id in doc_index})}
        item.update(KIND_STYLE[e.kind])
        items.append(item)
    return items


def _options(large: bool) -> dict:
    """vis-network options: physics off; node and label size follow centrality, small labels show on zoom."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "font": {"face": FONT_STACK, "size": 15, "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"min": 9, "max": 30, "label": {"enabled": True, "min": 14, "max": 28, "maxVisible": 22,
                                                             "drawThreshold": 6}}},
        "edges": {"color": {"color": "#7f8c8d", "highlight": "#2c3e50", "hover": "#2c3e50", "inherit": False},
                  "font": {"face": FONT_STACK, "size": 11, "align": "middle", "strokeWidth": 4, "color": "#555555"},
                  "arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2},
    }


def network_data(kg: KnowledgeGraph) -> dict:
    """Everything the page needs: vis nodes and edges with positions, claims, filters and options."""
    relations = Ontology.load().relations
    edges = timed_edges(kg)
    ids = sorted(set(kg.entities) | {e.subject for e in edges} | {e.object for e in edges})
    simple = nx.Graph()
    simple.add_nodes_from(ids)
    simple.add_edges_from(sorted({tuple(sorted((e.subject, e.object))) for e in edges if e.subject != e.object}))
    rank = nx.pagerank(simple) if simple.number_of_edges() else {n: 1.0 / max(1, len(ids)) for n in ids}
    rank = {n: round(rank.get(n, 0.0), 6) for n in ids}
    large = len(ids) > LARGE
    core = set(sorted(ids, key=lambda n: (-rank[n], n))[:CORE]) if large else set(ids)
    doc_index = {d.id: i for i, d in enumerate(kg.documents)}
    claims, where = _claim_items(edges, doc_index)
    nodes = _node_items(kg, ids, edges, doc_index, rank, core, layout(simple, rank, core))
    counts: dict[str, int] = {}
    for item in nodes:
        counts[item["cls"]] = counts.get(item["cls"], 0) + 1
    rel_counts: dict[str, int] = {}
    for e in edges:
        rel_counts[e.relation] = rel_counts.get(e.relation, 0) + 1
    years = sorted({c.year for c in kg.claims if c.year is not None})
    return {
        "nodes": nodes, "edges": _edge_items(kg, edges, doc_index, where, core, large), "options": _options(large),
        "claims": claims,
        "documents": [{"id": d.id, "title": d.title, "date": d.date or "", "source": d.meta.get("source", ""),
                       "lang": d.lang} for d in kg.documents],
        "classes": [{"name": cls, "color": CLASS_STYLE.get(cls, OTHER_STYLE)[0], "shape": CLASS_STYLE.get(cls, OTHER_STYLE)[1],
                     "count": counts[cls]} for cls in [*CLASS_STYLE, *sorted(set(counts) - set(CLASS_STYLE))] if cls in counts],
        "relations": [{"name": r, "label": relations[r].label_en if r in relations else r,
                       "zh": relations[r].label_zh if r in relations else r, "count": n} for r, n in sorted(rel_counts.items())],
        "meta": {"large": large, "core": len(core), "years": [years[0], years[-1]] if years else None},
    }


def _script_hash(script: str) -> str:
    """A Content-Security-Policy source allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(kg: KnowledgeGraph, title: str = "Knowledge graph") -> bytes:
    """The self-contained page as bytes: the same graph gives the same bytes.

    Its Content-Security-Policy allows only its own two scripts (by hash) and no network at all, so
    even markup that slipped into the page could neither run nor load anything.
    """
    js, css = _vis_assets()
    vis_js = js.replace("</script", "<\\/script")
    app_js = (TEMPLATES / "graph.js").read_text(encoding="utf-8")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    page = env.get_template("graph.html").render(
        page_title=title, vis_js=vis_js, vis_css=css.replace("</style", "<\\/style"), app_js=app_js,
        script_hashes=" ".join(map(_script_hash, (vis_js, app_js))), font_stack=FONT_STACK,
        data_json=_safe_json(network_data(kg)))
    return page.encode("utf-8")
