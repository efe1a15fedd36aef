"""The shareable analysis page (output/report.html): central entities, communities, timeline, backing.

Charts are inline SVG whose geometry is computed here with fixed rounding, so the same graph gives
the same bytes; the page has no script and loads nothing. Article text is escaped by the template.
Entity names link into graph.html (``#node=<id>``, ``#year=<year>``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .graph import KnowledgeGraph
from .ontology import Ontology
from .visualize import BACKING, CLASS_STYLE, FONT_STACK, OTHER_STYLE, claim_kind, shows_in, timed_edges

TEMPLATES = Path(__file__).parent / "templates"
BACKER_CLASSES = ("Organization", "OperatingSystem", "Release")
PALETTE = ("#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac")
KIND_COLOR = {"fact": "#4e79a7", "negated": "#c0392b", "planned": "#8e44ad"}


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart, linked into the graph."""

    label: str
    sub: str
    text: str
    y: float
    width: float
    color: str
    href: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Series:
    """One hypervisor's line in the backing chart."""

    name: str
    color: str
    href: str
    path: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Tick:
    at: float
    text: str
    href: str = ""


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    xticks: tuple[Tick, ...]
    yticks: tuple[Tick, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Dot:
    """One dated claim on the timeline chart."""

    x: float
    y: float
    color: str
    title: str
    href: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    axis_y: float
    xticks: tuple[Tick, ...]
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Backer:
    """One subject backing a hypervisor: how, and from when to when."""

    entity: str
    relation: str
    since: int | None
    until: int | None


def node_href(entity_id: str) -> str:
    """A link that opens an entity in the interactive graph."""
    return "graph.html#node=" + quote(entity_id, safe="")


def _n(value: float) -> float:
    return round(value, 1)


def _years(kg: KnowledgeGraph) -> list[int]:
    years = sorted({c.year for c in kg.claims if c.year is not None})
    return list(range(years[0], years[-1] + 1)) if years else []


def backing(kg: KnowledgeGraph, ontology: Ontology | None = None) -> dict[str, list[Backer]]:
    """For each hypervisor, the vendors and distributions that include it, default to it or chose it.

    Only facts count, with the spans of ``kg.visualize.timed_edges`` (removals and replacements end
    them); subjects must be organizations, operating systems or releases.
    """
    ontology = ontology or Ontology.load()

    def cls(entity_id: str) -> str:
        e = kg.entities.get(entity_id)
        return e.cls if e else ""

    out: dict[str, list[Backer]] = {h: [] for h in sorted(kg.entities) if ontology.is_a(cls(h), "Hypervisor")}
    for e in timed_edges(kg):
        if (e.kind == "fact" and e.relation in BACKING and e.object in out
                and any(ontology.is_a(cls(e.subject), c) for c in BACKER_CLASSES)):
            out[e.object].append(Backer(e.subject, e.relation, e.since, e.until))
    return out


def backers_in(backers: list[Backer], year: int | None) -> dict[str, list[str]]:
    """Subject → relations of the backers active in ``year`` (None: every backer, whatever its dates)."""
    out: dict[str, list[str]] = {}
    for b in backers:
        if year is None or shows_in(b.since, b.until, year):
            out.setdefault(b.entity, []).append(b.relation)
    return out


def _label(kg: KnowledgeGraph, entity_id: str) -> str:
    e = kg.entities.get(entity_id)
    return e.en if e else entity_id


def _bars(items: list[tuple[str, str, str, float, str, str]], width: int = 720) -> BarChart:
    """A horizontal bar chart of (label, sub label, value text, value, color, href) rows."""
    label_width, row = 230, 26
    top = max((v for *_, v, _c, _h in items), default=1.0) or 1.0
    bars = tuple(Bar(label, sub, text, _n(8 + i * row), _n((width - label_width - 70) * value / top), color, href)
                 for i, (label, sub, text, value, color, href) in enumerate(items))
    return BarChart(width, 16 + row * len(items), label_width, bars)


def _backing_chart(kg: KnowledgeGraph, table: dict[str, list[Backer]], years: list[int]) -> LineChart | None:
    """Distinct backers per year, one line per hypervisor that ever had any."""
    shown = [h for h, bs in table.items() if bs]
    if not years or not shown:
        return None
    width, height, left, top, right, bottom = 760, 300, 46, 16, 150, 40
    peak = max(len(backers_in(table[h], y)) for h in shown for y in years) or 1
    span = max(1, len(years) - 1)
    x = lambda y: _n(left + (width - left - right) * (y - years[0]) / span)  # noqa: E731
    yv = lambda v: _n(height - bottom - (height - top - bottom) * v / peak)  # noqa: E731
    series = []
    for i, h in enumerate(shown):
        points = []
        for year in years:
            active = backers_in(table[h], year)
            names = "; ".join(f"{_label(kg, s)} ({', '.join(rels)})" for s, rels in sorted(active.items()))
            points.append(Point(x(year), yv(len(active)), f"{_label(kg, h)} in {year}: {len(active)}" +
                                (f" — {names}" if names else "")))
        path = "M" + " L".join(f"{p.x},{p.y}" for p in points)
        series.append(Series(_label(kg, h), PALETTE[i % len(PALETTE)], node_href(h), path, tuple(points)))
    step = max(1, (len(years) + 11) // 12)
    xticks = tuple(Tick(x(y), str(y), f"graph.html#year={y}") for y in years[::step])
    ystep = max(1, (peak + 5) // 6)
    yticks = tuple(Tick(yv(v), str(v)) for v in range(0, peak + 1, ystep))
    return LineChart(width, height, left, top, right, bottom, xticks, yticks, tuple(series))


def _timeline_chart(kg: KnowledgeGraph, years: list[int]) -> TimelineChart | None:
    """Each dated claim as a dot above its year; dots of one year stack upwards."""
    dated = sorted((c for c in kg.claims if c.year is not None),
                   key=lambda c: (c.year, c.doc_id, c.sentence_start, c.subject, c.predicate, c.object))
    if not dated:
        return None
    per_year: dict[int, int] = {}
    for c in dated:
        per_year[c.year] = per_year.get(c.year, 0) + 1
    width, left, right, gap = 760, 30, 30, 13
    height = 60 + gap * max(per_year.values())
    axis_y = height - 30
    span = max(1, len(years) - 1)
    x = lambda y: _n(left + (width - left - right) * (y - years[0]) / span)  # noqa: E731
    dots, seen = [], {}
    for c in dated:
        k = seen[c.year] = seen.get(c.year, -1) + 1
        kind = claim_kind(c)
        mark = {"fact": "", "negated": " (negated)", "planned": " (planned)"}[kind]
        title = f"{c.year}: {_label(kg, c.subject)} {c.predicate} {_label(kg, c.object)}{mark} — {c.sentence}"
        dots.append(Dot(x(c.year), _n(axis_y - 12 - gap * k), KIND_COLOR[kind], title, f"graph.html#year={c.year}"))
    step = max(1, (len(years) + 11) // 12)
    return TimelineChart(width, height, axis_y, tuple(Tick(x(y), str(y), f"graph.html#year={y}") for y in years[::step]),
                         tuple(dots))


def report_context(kg: KnowledgeGraph, analysis: dict, title: str) -> dict:
    """Everything report.html shows, as plain values and chart geometry."""
    ontology = Ontology.load()
    relations = ontology.relations
    rel_label = lambda r: relations[r].label_en if r in relations else r  # noqa: E731
    ents = analysis["entities"]
    style = lambda e: CLASS_STYLE.get(ents[e]["class"] if e in ents else "", OTHER_STYLE)[0]  # noqa: E731
    top = sorted(ents, key=lambda e: (-ents[e]["pagerank"], e))[:15]
    central = [{"id": e, "href": node_href(e), **ents[e]} for e in top]
    centrality_chart = _bars([(ents[e]["label"], ents[e]["label_zh"] if ents[e]["label_zh"] != ents[e]["label"] else "",
                               f"{ents[e]['pagerank']:.3f}", ents[e]["pagerank"], style(e), node_href(e)) for e in top])
    communities, alone = [], []
    for i, members in enumerate(analysis["communities"], 1):
        if len(members) == 1:
            alone.append({"label": ents[members[0]]["label"], "href": node_href(members[0])})
            continue
        ranked = sorted(members, key=lambda e: (-ents[e]["pagerank"], e))
        inside = set(members)
        facts = sum(1 for c in kg.facts() if c.subject in inside and c.object in inside)
        communities.append({
            "number": i, "name": ents[ranked[0]]["label"], "href": node_href(ranked[0]), "facts": facts,
            "hypervisors": [ents[e]["label"] for e in ranked if ontology.is_a(ents[e]["class"], "Hypervisor")],
            "members": [{"id": e, "label": ents[e]["label"], "zh": ents[e]["label_zh"], "class": ents[e]["class"],
                         "color": style(e), "href": node_href(e)} for e in ranked]})
    years = _years(kg)
    table = backing(kg, ontology)
    backing_rows = []
    for h, backers in table.items():
        if not backers:
            continue
        cells = []
        for year in years:
            active = backers_in(backers, year)
            cells.append({"count": len(active), "title": "; ".join(
                f"{_label(kg, s)} ({', '.join(rel_label(r) for r in rels)})" for s, rels in sorted(active.items()))})
        every = backers_in(backers, None)
        by_relation = {r: sum(r in rels for rels in every.values()) for r in BACKING}
        details = [{"label": _label(kg, b.entity), "href": node_href(b.entity), "relation": rel_label(b.relation),
                    "since": b.since, "until": b.until}
                   for b in sorted(backers, key=lambda b: (b.since is not None, b.since or 0, b.entity, b.relation))]
        backing_rows.append({"id": h, "label": _label(kg, h), "href": node_href(h), "cells": cells, "details": details,
                             "total": len(every), "by_relation": by_relation})
    docs = {d.id: d for d in kg.documents}
    timeline = [{**t, "subject_label": _label(kg, t["subject"]), "object_label": _label(kg, t["object"]),
                 "subject_href": node_href(t["subject"]), "object_href": node_href(t["object"]),
                 "relation": rel_label(t["predicate"]), "year_href": f"graph.html#year={t['year']}",
                 "kind": "negated" if t["polarity"] == "negative" else "planned" if t["modality"] != "asserted" else "fact",
                 "doc_title": docs[t["document"]].title if t["document"] in docs else t["document"]}
                for t in analysis["timeline"]]
    rel_counts = analysis["relations"]
    relation_chart = _bars([(rel_label(r), relations[r].label_zh if r in relations else "", str(n), float(n), "#7f8c8d",
                             "graph.html") for r, n in sorted(rel_counts.items(), key=lambda kv: (-kv[1], kv[0]))])
    return {
        "title": title, "font_stack": FONT_STACK, "counts": analysis["counts"], "central": central,
        "centrality_chart": centrality_chart, "communities": communities, "alone": alone,
        "backing_relations": [rel_label(r) for r in BACKING], "timeline": timeline,
        "timeline_chart": _timeline_chart(kg, years), "kind_color": KIND_COLOR, "years": years,
        "backing_rows": backing_rows, "backing_chart": _backing_chart(kg, table, years),
        "unbacked": [_label(kg, h) for h, bs in table.items() if not bs], "relation_chart": relation_chart,
        "documents": [{"id": d.id, "title": d.title, "date": d.date or "", "lang": d.lang,
                       "source": d.meta.get("source", "")} for d in kg.documents],
        "classes": [{"name": c, "color": color} for c, (color, _) in CLASS_STYLE.items()],
    }


def render_report(kg: KnowledgeGraph, analysis: dict, title: str = "Knowledge graph report") -> bytes:
    """report.html as bytes; the same graph and analysis give the same bytes."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html").render(**report_context(kg, analysis, title)).encode("utf-8")
