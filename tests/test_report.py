"""report.html: hypervisor backing per year, communities, timeline, charts, links, escaping, determinism."""
from __future__ import annotations

import re

import pytest
from test_visualize import ENTITIES, EVIL, claim, make_kg

from kg.analysis import analyze
from kg.lexicon import Entity
from kg.pipeline import build
from kg.report import backers_in, backing, render_report, report_context

ROOT = __import__("pathlib").Path(__file__).parent.parent


@pytest.fixture
def story():
    return make_kg(ENTITIES, [
        claim("rhel", "includes", "xen", 2007),
        claim("rhel-6", "removed", "xen", 2010),
        claim("rhel-6", "includes", "kvm", 2010),
        claim("ubuntu", "chose", "xen", 2006),
        claim("ubuntu", "defaultHypervisor", "kvm", 2008),
        claim("xen", "replacedBy", "kvm", 2009),
        claim("debian", "chose", "xen"),
        claim("novell", "chose", "kvm", 2011, modality="planned"),
        claim("novell", "supports", "xen", polarity="negative"),
    ])


def counts(kg, hypervisor: str) -> dict[int, int]:
    table = backing(kg)
    return {y: len(backers_in(table[hypervisor], y)) for y in range(2005, 2013)}


def test_backing_per_year_follows_adoptions_removals_and_replacements(story):
    assert counts(story, "xen") == {2005: 1, 2006: 2, 2007: 3, 2008: 3, 2009: 2, 2010: 1, 2011: 1, 2012: 1}
    assert counts(story, "kvm") == {2005: 0, 2006: 0, 2007: 0, 2008: 1, 2009: 1, 2010: 2, 2011: 2, 2012: 2}
    assert backers_in(backing(story)["kvm"], 2010) == {"ubuntu": ["defaultHypervisor"], "rhel-6": ["includes"]}


def test_only_facts_by_vendors_and_distributions_count_as_backing(story):
    kg = make_kg(ENTITIES + [Entity("kernel", "Software", "Linux kernel")],
                 list(story.claims) + [claim("kernel", "includes", "kvm", 2005)])
    assert counts(kg, "kvm")[2005] == 0
    assert "novell" not in backers_in(backing(kg)["kvm"], 2012)


def test_report_context_names_communities_and_fills_the_backing_table(story):
    ctx = report_context(story, analyze(story), "T")
    assert ctx["years"] == list(range(2006, 2012))
    rows = {r["id"]: r for r in ctx["backing_rows"]}
    assert [c["count"] for c in rows["xen"]["cells"]] == [2, 3, 3, 2, 1, 1]
    assert "Ubuntu (default hypervisor)" in rows["kvm"]["cells"][2]["title"]
    names = {c["name"] for c in ctx["communities"]}
    assert names & {"Xen", "KVM"}
    assert ctx["backing_chart"].series[0].points[0].title.startswith("KVM in 2006: 0")


def test_report_is_deterministic_escaped_and_links_into_the_graph(story):
    kg = make_kg(ENTITIES + [Entity("evil", "Organization", EVIL)],
                 list(story.claims) + [claim("evil", "chose", "xen", 2008, sentence=f"{EVIL} chose Xen")])
    page = render_report(kg, analyze(kg), f"Report {EVIL}")
    assert page == render_report(kg, analyze(kg), f"Report {EVIL}")
    html = page.decode("utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=" in html
    assert "<script" not in html
    assert 'href="graph.html#node=xen"' in html and 'href="graph.html#year=2010"' in html
    for section in ("central", "communities", "backing", "timeline", "relations", "documents"):
        assert f'<section id="{section}">' in html
    assert html.count("<svg") == 4
    assert "https://example.org/story" in html


def test_report_without_dates_has_no_time_charts():
    kg = make_kg(ENTITIES, [claim("ubuntu", "chose", "kvm"), claim("debian", "chose", "xen")])
    html = render_report(kg, analyze(kg)).decode("utf-8")
    assert "No claim carries a date." in html
    assert html.count("<svg") == 2
    assert re.search(r'<a href="graph.html#node=kvm">KVM</a>', html)


def test_build_writes_the_report_next_to_the_graph(tmp_path, lexicon):
    result = build([ROOT / "seeds"], tmp_path, lexicon=lexicon)
    assert (tmp_path / "report.html").read_bytes() == result.files["report.html"]
    assert (tmp_path / "graph.html").exists()


def test_backing_table_counts_each_relation_over_all_years(story):
    rows = {r["id"]: r for r in report_context(story, analyze(story), "T")["backing_rows"]}
    assert rows["xen"]["total"] == 3
    assert rows["xen"]["by_relation"] == {"includes": 1, "defaultHypervisor": 0, "chose": 2}
    assert rows["kvm"]["by_relation"] == {"includes": 1, "defaultHypervisor": 1, "chose": 0}
