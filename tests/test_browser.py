"""graph.html and report.html in headless Chromium (Debian's, driven by Playwright), offline.

Skips when Playwright or /usr/bin/chromium is missing, except under CI=true, where it fails.
Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_visualize import CLOSER, ENTITIES, EVIL, big_graph, claim, make_kg

from kg.export import entity_graph
from kg.lexicon import Entity
from kg.pipeline import build
from kg.visualize import CORE, claim_kind, network_data, render_html

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
NOT_BLANK = """() => {
  const c = document.querySelector('#graph canvas'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
  return ink;
}"""
NODE_AT = """(id) => {
  const n = window.kg.network, p = n.canvasToDOM(n.getPositions([id])[id]);
  const r = document.getElementById('graph').getBoundingClientRect();
  return [p.x + r.left, p.y + r.top];
}"""


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Polls ``expression`` from outside the page: the page's CSP forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while not _evaluate(page, expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def _evaluate(page, expression: str):
    """The expression's value, or None while a navigation replaces the page."""
    try:
        return page.evaluate(expression)
    except Exception as exc:  # playwright's Error, imported only when playwright is there
        if "context was destroyed" in str(exc) or "navigation" in str(exc):
            return None
        raise


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Visit:
    """An open page with what it logged and which requests it tried to send off the machine."""

    page: object
    errors: list[str]
    requests: list[str]


@contextmanager
def visit(browser, path: Path, wait_for_graph: bool = True, width: int = 1400, height: int = 900):
    """Opens ``path`` from file:// with the network blocked, collecting console errors and warnings."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, offline=True)
    requests: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.goto(path.as_uri())
    if wait_for_graph:
        wait_until(page, "window.kg !== undefined && window.kgFirstDraw !== undefined", 20)
    try:
        yield Visit(page, errors, requests)
    finally:
        ctx.close()


def drawn(page) -> dict[str, int]:
    return page.evaluate("window.kg.drawn()")


@pytest.fixture(scope="module")
def seed(tmp_path_factory, lexicon):
    out = tmp_path_factory.mktemp("seed-build")
    return out, build([ROOT / "seeds"], out, lexicon=lexicon).graph


def test_graph_page_draws_the_whole_graph_offline_without_errors(browser, seed):
    out, kg = seed
    with visit(browser, out / "graph.html") as v:
        claims_kinds = {(c.subject, c.predicate, c.object, claim_kind(c)) for c in kg.claims}
        facts = entity_graph(kg).number_of_edges()
        assert drawn(v.page) == {"nodes": entity_graph(kg).number_of_nodes(),
                                 "edges": facts + sum(k[3] != "fact" for k in claims_kinds)}
        assert v.page.evaluate(NOT_BLANK) > 1000
        assert v.page.text_content("#status") == (f"Showing {len(kg.entities)} of {len(kg.entities)} entities, "
                                                  f"{len(claims_kinds)} of {len(claims_kinds)} relations")
        v.page.screenshot(path=ARTIFACTS / "graph-seed.png")
        assert v.errors == [] and v.requests == []


def test_a_click_on_a_node_opens_the_panel_with_its_evidence(browser, seed):
    out, kg = seed
    hub = max(kg.entities, key=lambda e: (sum(e in (c.subject, c.object) for c in kg.claims), e))
    with visit(browser, out / "graph.html") as v:
        assert not v.page.is_visible("#panel")
        x, y = v.page.evaluate(NODE_AT, hub)
        v.page.mouse.click(x, y)
        v.page.wait_for_selector("#panel.open")
        text = v.page.text_content("#panel")
        assert kg.entities[hub].en in v.page.text_content("#panel h2")
        mine = [c for c in kg.claims if hub in (c.subject, c.object)]
        assert any(c.sentence in text for c in mine)
        assert "confidence" in text and f"{mine[0].confidence:.2f}" in text
        source = next(d.meta["source"] for d in kg.documents if d.id == mine[0].doc_id)
        assert source in text
        v.page.screenshot(path=ARTIFACTS / "graph-seed-node-panel.png")
        v.page.click("#panel .edge-row button")
        assert "→" in v.page.text_content("#panel h2") and "Evidence" in v.page.text_content("#panel")
        assert v.errors == []


def expected_in(data: dict, year: int) -> dict[str, int]:
    """What should show as of ``year``: nodes that have appeared, edges within their span."""
    nodes = sum(n["first"] is None or n["first"] <= year for n in data["nodes"])
    edges = sum((e["since"] is None or e["since"] <= year) and (e["until"] is None or year < e["until"])
                for e in data["edges"])
    return {"nodes": nodes, "edges": edges}


def test_the_year_slider_shows_the_graph_as_of_a_year(browser, tmp_path):
    kg = make_kg(ENTITIES, [claim("rhel-5", "includes", "xen"), claim("rhel", "includes", "xen", 2007),
                            claim("rhel-6", "removed", "xen", 2010), claim("rhel-6", "includes", "kvm", 2010),
                            claim("ubuntu", "chose", "xen", 2006), claim("ubuntu", "defaultHypervisor", "kvm", 2008),
                            claim("xen", "replacedBy", "kvm", 2009), claim("novell", "chose", "kvm", 2012)])
    data = network_data(kg)
    (tmp_path / "graph.html").write_bytes(render_html(kg, "Year slider"))
    ended = next(e["id"] for e in data["edges"] if (e["from"], e["rel"]) == ("rhel", "includes"))
    with visit(browser, tmp_path / "graph.html") as v:
        assert drawn(v.page) == {"nodes": len(data["nodes"]), "edges": len(data["edges"])}
        slider = v.page.locator("#year")
        slider.focus()
        v.page.keyboard.press("Home")
        seen = []
        for year in range(2006, 2013):
            assert v.page.text_content("#year-label") == f"as of {year}"
            assert drawn(v.page) == expected_in(data, year)
            seen.append(v.page.evaluate("(id) => window.kg.network.body.edgeIndices.includes(id)", ended))
            if year == 2010:
                v.page.screenshot(path=ARTIFACTS / "graph-year-2010.png")
            v.page.keyboard.press("ArrowRight")
        assert seen == [False, True, True, True, False, False, False]
        assert v.page.text_content("#year-label") == "all years"
        assert drawn(v.page) == {"nodes": len(data["nodes"]), "edges": len(data["edges"])}
        assert len({tuple(expected_in(data, y).values()) for y in range(2006, 2013)}) > 3
        v.page.click("#play")
        assert v.page.text_content("#year-label") == "as of 2006"
        wait_until(v.page, "document.getElementById('year-label').textContent === 'as of 2007'", 5)
        v.page.click("#play")
        assert drawn(v.page) == expected_in(data, 2007)
        assert v.errors == []


def test_filters_by_class_relation_and_document_and_search_in_chinese(browser, tmp_path):
    kg = make_kg(ENTITIES, [claim("ubuntu", "chose", "kvm", 2008, doc="a"), claim("rhel", "includes", "xen", doc="a"),
                            claim("novell", "chose", "xen", doc="b"), claim("rhel-6", "includes", "kvm", doc="b")],
                 ("a", "b"))
    (tmp_path / "graph.html").write_bytes(render_html(kg, "Filters"))
    with visit(browser, tmp_path / "graph.html") as v:
        page = v.page
        assert drawn(page) == {"nodes": len(kg.entities), "edges": 4}
        page.uncheck("#class-filter label:has-text('Hypervisor') input")
        assert drawn(page) == {"nodes": len(kg.entities) - 2, "edges": 0}
        page.check("#class-filter label:has-text('Hypervisor') input")
        page.uncheck("#relation-filter label:has-text('chose') input")
        assert drawn(page)["edges"] == 2
        page.click("#all-relations")
        page.select_option("#doc-filter", label="Story b (2020-01-02)")
        assert drawn(page) == {"nodes": 4, "edges": 2}
        page.click("#reset")
        assert drawn(page) == {"nodes": len(kg.entities), "edges": 4}
        page.fill("#search", "红帽企业")
        page.press("#search", "Enter")
        page.wait_for_selector("#panel.open")
        assert page.text_content("#panel h2") == "Red Hat Enterprise Linux / 红帽企业版Linux"
        assert page.evaluate("window.kg.network.getSelectedNodes()") == ["rhel"]
        assert v.errors == []


def test_hostile_labels_show_as_text_and_run_nothing(browser, tmp_path):
    kg = make_kg([Entity("evil", "Organization", EVIL, zh=CLOSER), Entity("xen", "Hypervisor", "Xen")],
                 [claim("evil", "develops", "xen", 2001, sentence=f"{EVIL} {CLOSER} develops Xen.")])
    (tmp_path / "graph.html").write_bytes(render_html(kg, f"Hostile {EVIL}"))
    with visit(browser, tmp_path / "graph.html") as v:
        page = v.page
        assert drawn(page) == {"nodes": 2, "edges": 1}
        x, y = page.evaluate(NODE_AT, "evil")
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip", state="visible")
        tip = page.evaluate("(() => { const t = document.querySelector('div.vis-tooltip');"
                            " return [t.textContent, [...t.querySelectorAll('*')].map(e => e.tagName)]; })()")
        # vis-network sets the title with innerText: line breaks become <br>, nothing else becomes markup.
        assert tip[0].startswith(f"{EVIL} / {CLOSER}") and set(tip[1]) <= {"BR"}
        page.fill("#search", "onerror")
        assert page.text_content("#results button").startswith(EVIL)
        page.click("#results button")
        page.wait_for_selector("#panel.open")
        assert page.text_content("#panel h2") == f"{EVIL} / {CLOSER}"
        assert page.text_content("#panel blockquote") == f"{EVIL} {CLOSER} develops Xen."
        assert page.title() == f"Hostile {EVIL}"
        page.screenshot(path=ARTIFACTS / "graph-hostile-labels.png")
        assert page.evaluate("[window.__pwned, document.querySelectorAll('img').length]") == [None, 0]
        assert v.errors == [] and v.requests == []


def test_report_page_loads_offline_and_links_into_the_graph(browser, seed):
    out, kg = seed
    with visit(browser, out / "report.html", wait_for_graph=False, width=1100) as v:
        page = v.page
        links = page.eval_on_selector_all("a[href^='graph.html#node=']", "as => as.map(a => a.getAttribute('href'))")
        assert links and {h.split("=", 1)[1] for h in links} <= set(kg.entities)
        assert page.locator("svg.chart").count() >= 3
        page.screenshot(path=ARTIFACTS / "report-seed.png", full_page=True)
        first = page.locator("#central table a").first
        name = first.text_content()
        first.click()
        wait_until(page, "window.kg !== undefined && document.querySelector('#panel.open') !== null")
        assert name in page.text_content("#panel h2")
        assert v.errors == [] and v.requests == []


def test_a_5000_node_graph_shows_its_core_within_seconds(browser, tmp_path):
    kg = big_graph(5000)
    started = time.monotonic()
    page_bytes = render_html(kg, "5,000 entities")
    rendered = time.monotonic() - started
    (tmp_path / "graph.html").write_bytes(page_bytes)
    started = time.monotonic()
    with visit(browser, tmp_path / "graph.html") as v:
        wall = time.monotonic() - started
        first_draw = v.page.evaluate("window.kgFirstDraw") / 1000
        assert wall < 10
        assert drawn(v.page)["nodes"] == CORE
        assert v.page.evaluate(NOT_BLANK) > 1000
        v.page.screenshot(path=ARTIFACTS / "graph-5000.png")
        top = max(kg.entities, key=lambda e: sum(e in (c.subject, c.object) for c in kg.claims))
        x, y = v.page.evaluate(NODE_AT, top)
        v.page.mouse.click(x, y)
        assert drawn(v.page)["nodes"] > CORE
        assert v.errors == []
    report = (f"5000 nodes, {len(kg.claims)} edges: render_html {rendered:.2f} s, {len(page_bytes) / 1e6:.1f} MB; "
              f"page open to first draw {first_draw:.2f} s (wall {wall:.2f} s)\n")
    (ARTIFACTS / "timings.txt").write_text(report, encoding="utf-8")
    print(report)
