"""kg.serve: the SPARQL 1.1 Protocol endpoint (GET, POST, content negotiation, errors), its read-only
rules, the time and row limits, concurrent clients, the pages, and the `kg serve` command."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.serve import Job, ServeConfig, ServeError, make_server, refusal
from kg.store import load_file

from conftest import DATA, ROOT

TRIG = DATA / "sparql.trig"
G = "https://kg.example.org/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ACQUIRED = ("PREFIX kgo: <https://kg.example.org/ontology#> "
            "SELECT ?who ?what WHERE { ?who kgo:acquired ?what } ORDER BY ?who")
# Seven unconstrained patterns over 25 triples: 25^7 rows to count, far beyond any time limit.
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7)) + " }"
# A nested-quantifier REGEX over every row of a cross product.
REGEX = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6))
         + ' FILTER(REGEX(CONCAT(' + ", ".join(f"STR(?o{i})" for i in range(6)) + '), "^((.*)*|(a|aa)+)+$")) }')


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(url: str, method: str = "GET", body: bytes | None = None, **headers: str) -> Answer:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def get(base: str, query: str, **headers: str) -> Answer:
    return call(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}", **headers)


def post_form(base: str, fields: dict[str, str], **headers: str) -> Answer:
    return call(f"{base}/sparql", "POST", urllib.parse.urlencode(fields).encode(),
                Content_Type="application/x-www-form-urlencoded", **headers)


def rows(answer: Answer) -> list[dict[str, str]]:
    assert answer.status == 200, answer.text
    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    return [{v.value: s[v].value for v in parsed.variables if s[v] is not None} for s in parsed]


@contextmanager
def running(config: ServeConfig):
    server = make_server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    load_file(TRIG, path)
    return path


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    (out / "graph.html").write_text("<!DOCTYPE html><title>the graph</title>", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def served(store_dir, out_dir):
    with running(ServeConfig(store=store_dir, out=out_dir, port=0, timeout=20, max_rows=10, workers=2)) as pair:
        yield pair


@pytest.fixture(scope="module")
def base(served) -> str:
    return served[0]


@pytest.fixture(scope="module")
def strict(store_dir, out_dir):
    """A server with a one-second time limit."""
    with running(ServeConfig(store=store_dir, out=out_dir, port=0, timeout=1.0, workers=2)) as pair:
        yield pair


def test_get_and_both_posts_agree(base):
    by_get = get(base, ACQUIRED)
    by_form = post_form(base, {"query": ACQUIRED})
    by_body = call(f"{base}/sparql", "POST", ACQUIRED.encode(), Content_Type="application/sparql-query")
    assert by_get.body == by_form.body == by_body.body
    assert by_get.headers["content-type"] == "application/sparql-results+json"
    assert [r["what"] for r in rows(by_get)] == ["https://kg.example.org/entity/xensource",
                                                 "https://kg.example.org/entity/qumranet"]


@pytest.mark.parametrize("accept, media_type, syntax", [
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.1", "text/csv; charset=utf-8", None),
])
def test_select_negotiation(base, accept, media_type, syntax):
    answer = get(base, ACQUIRED, Accept=accept)
    assert answer.status == 200 and answer.headers["content-type"] == media_type
    if syntax is None:
        assert answer.text.splitlines()[0] == "who,what" and len(answer.text.splitlines()) == 3
    else:
        assert len(list(ox.parse_query_results(answer.body, format=syntax))) == 2


def test_ask_negotiation(base):
    assert get(base, "ASK { ?s ?p ?o }").body == b'{"head":{},"boolean":true}'
    xml = get(base, "ASK { ?s <urn:nothing> ?o }", Accept="application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in xml.body


@pytest.mark.parametrize("accept, media_type, syntax", [
    ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/sparql-results+json, text/turtle;q=0.5", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
])
def test_construct_and_describe_negotiation(base, accept, media_type, syntax):
    query = ("PREFIX kgo: <https://kg.example.org/ontology#> "
             "CONSTRUCT { ?a kgo:acquiredBy ?b } WHERE { ?b kgo:acquired ?a }")
    answer = get(base, query, Accept=accept)
    assert answer.status == 200 and answer.headers["content-type"] == media_type
    assert len(list(ox.parse(answer.body, format=syntax))) == 2
    described = get(base, "DESCRIBE <https://kg.example.org/entity/kvm>", Accept=accept)
    assert len(list(ox.parse(described.body, format=syntax))) == 2


def test_format_parameter_and_unacceptable_accept(base):
    assert get(base, ACQUIRED + "", Accept="image/png").status == 406
    by_param = call(f"{base}/sparql?" + urllib.parse.urlencode({"query": ACQUIRED, "format": "csv"}))
    assert by_param.status == 200 and by_param.headers["content-type"].startswith("text/csv")
    assert call(f"{base}/sparql?" + urllib.parse.urlencode({"query": ACQUIRED, "format": "yaml"})).status == 400


def test_malformed_query_gets_400_with_the_parser_message(base):
    broken = "SELECT ?s WHERE { ?s ?p "
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(broken)
    for answer in (get(base, broken), call(f"{base}/sparql", "POST", broken.encode(),
                                           Content_Type="application/sparql-query")):
        assert answer.status == 400 and answer.headers["content-type"].startswith("text/plain")
        assert str(parser.value) in answer.text


@pytest.mark.parametrize("send", [
    lambda base: post_form(base, {"update": "CLEAR ALL"}),
    lambda base: call(f"{base}/sparql", "POST", b"DROP ALL", Content_Type="application/sparql-update"),
    lambda base: post_form(base, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda base: get(base, "LOAD <file:///etc/passwd>"),
    lambda base: call(f"{base}/sparql?graph=urn:x", "PUT", b"<urn:a> <urn:b> <urn:c> .", Content_Type="text/turtle"),
    lambda base: call(f"{base}/sparql?default", "DELETE"),
])
def test_writes_are_refused_and_change_nothing(base, send):
    before = rows(get(base, COUNT))
    answer = send(base)
    assert 400 <= answer.status < 500
    assert rows(get(base, COUNT)) == before == [{"n": "25"}]


def test_protocol_errors(base):
    assert call(f"{base}/sparql").status == 400
    two = f"{base}/sparql?" + urllib.parse.urlencode([("query", COUNT), ("query", COUNT)])
    assert call(two).status == 400
    assert call(f"{base}/sparql", "POST", b"x", Content_Type="text/plain").status == 415
    assert call(f"{base}/nowhere").status == 404


def test_service_and_outside_datasets_are_refused(base):
    service = get(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert service.status == 400 and "SERVICE" in service.text
    for query in ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
                  "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
                  "SELECT * FROM nope:x WHERE { ?s ?p ?o }"):
        assert get(base, query).status == 400
    outside = call(f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT,
                                                               "default-graph-uri": "file:///etc/hosts"}))
    assert outside.status == 400


def test_datasets_from_the_store_are_used(base):
    inside = f"PREFIX g: <{G}> SELECT (COUNT(*) AS ?n) FROM g:kvm-history WHERE {{ ?s ?p ?o }}"
    assert rows(get(base, inside)) == [{"n": "6"}]
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT, "default-graph-uri": G + "xen-history"})
    assert rows(call(url)) == [{"n": "5"}]


def test_row_limit_sets_the_truncation_flag(base):
    cut = get(base, "SELECT ?s WHERE { ?s ?p ?o }")
    assert cut.headers["x-sparql-truncated"] == "true" and cut.headers["x-sparql-max-rows"] == "10"
    assert len(rows(cut)) == 10
    whole = get(base, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert whole.headers["x-sparql-truncated"] == "false" and len(rows(whole)) == 10
    graph = get(base, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="application/n-triples")
    assert graph.headers["x-sparql-truncated"] == "true" and len(graph.body.splitlines()) == 10


def test_cors_only_when_asked(base, store_dir, out_dir):
    assert "access-control-allow-origin" not in get(base, COUNT).headers
    with running(ServeConfig(store=store_dir, out=out_dir, port=0, workers=1, cors="*")) as (open_base, _):
        assert get(open_base, COUNT).headers["access-control-allow-origin"] == "*"
        preflight = call(f"{open_base}/sparql", "OPTIONS", Origin="https://yasgui.example",
                         Access_Control_Request_Method="POST")
        assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]


def test_pages(base):
    page = call(f"{base}/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "SPARQL" in page.text and "acquisitions" in page.text and "graph.html" in page.text
    assert call(f"{base}/graph.html").text == "<!DOCTYPE html><title>the graph</title>"
    assert call(f"{base}/report.html").status == 404
    assert call(f"{base}/../../etc/passwd").status == 404


@pytest.mark.parametrize("query", [CROSS, REGEX], ids=["cross-product", "regex"])
def test_runaway_query_is_stopped(strict, query):
    base, server = strict
    before = set(server.pool.pids())
    started = time.monotonic()
    answer = post_form(base, {"query": query})
    assert answer.status == 503 and "time limit" in answer.text
    assert time.monotonic() - started < 5
    after = set(server.pool.pids())
    killed = before - after
    assert len(killed) == 1 and len(after) == len(before)
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    assert rows(get(base, COUNT)) == [{"n": "25"}]


def test_concurrent_clients(strict):
    base, _ = strict
    expected = {COUNT: [{"n": "25"}], ACQUIRED: rows(get(base, ACQUIRED)),
                "SELECT ?g WHERE { GRAPH ?g {} } ORDER BY ?g": [{"g": G + "kvm-history"}, {"g": G + "xen-history"}]}
    work = [q for _ in range(6) for q in expected]
    with ThreadPoolExecutor(max_workers=8) as clients:
        answers = list(clients.map(lambda q: (q, rows(get(base, q))), work))
    assert all(result == expected[q] for q, result in answers)


def test_a_runaway_query_does_not_block_the_others(strict):
    base, _ = strict
    with ThreadPoolExecutor(max_workers=4) as clients:
        runaway = clients.submit(post_form, base, {"query": CROSS})
        time.sleep(0.2)
        quick = list(clients.map(lambda _: rows(get(base, COUNT)), range(6)))
        assert runaway.result().status == 503
    assert quick == [[{"n": "25"}]] * 6


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args) -> None:
        pass


def test_workers_cannot_reach_the_network(served):
    _, server = served
    if not server.pool.isolated:
        if os.environ.get("CI") == "true":
            pytest.fail("query workers could not be isolated from the network")
        pytest.skip("this kernel does not let the workers leave the network")
    listener = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.server_address[1]}/sparql"
        # Straight to a worker, past the endpoint's own refusal of SERVICE.
        reply = server.pool.run(Job(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "json", None, 10))
    finally:
        listener.shutdown()
        listener.server_close()
        thread.join(10)
    assert reply.status >= 400 and _Recorder.hits == []


def test_without_isolation_any_mention_of_service_is_refused():
    graphs = frozenset({G + "kvm-history"})
    hidden = "SELECT * WHERE { ?s ?p ?o FILTER(?o<1)SERVICE#>\n<http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert refusal(hidden, graphs, isolated=True) is None
    assert refusal(hidden, graphs, isolated=False) is not None
    assert refusal('SELECT * WHERE { ?s ?p "service" }', graphs, isolated=False) is not None
    assert refusal(f"SELECT * FROM <{G}kvm-history> WHERE {{ ?s ?p ?o }}", graphs, isolated=False) is None


def test_serve_command(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data", str(TRIG), "--out", str(tmp_path),
                                "--port", "0", "--workers", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        banner = _read_line(process, 60)
        assert banner.startswith("SPARQL endpoint http://127.0.0.1:"), banner
        base = banner.split()[2].removesuffix("/sparql")
        assert rows(get(base, COUNT)) == [{"n": "25"}]
    finally:
        process.terminate()
        try:
            code = process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait(5)
    assert code == 0


def _read_line(process: subprocess.Popen, seconds: float) -> str:
    """The first line the process prints, waiting at most ``seconds``."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    return lines[0] if lines else ""


def test_make_server_needs_a_store(tmp_path):
    with pytest.raises(ServeError):
        make_server(ServeConfig(store=tmp_path / "missing", out=tmp_path, port=0))


def test_query_command_against_the_endpoint(base, capsys):
    from kg.cli import main

    assert main(["query", ACQUIRED, "--endpoint", f"{base}/sparql", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "who,what", "https://kg.example.org/entity/citrix,https://kg.example.org/entity/xensource",
        "https://kg.example.org/entity/red-hat,https://kg.example.org/entity/qumranet"]
    assert main(["query", "DESCRIBE <https://kg.example.org/entity/kvm>", "--endpoint", f"{base}/sparql",
                 "--format", "ntriples"]) == 0
    assert capsys.readouterr().out.count(" .\n") == 2
    assert main(["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }", "--endpoint", f"{base}/sparql"]) == 2
    assert "answered 400: SERVICE is not allowed" in capsys.readouterr().err


def _sparqlwrapper():
    try:
        import SPARQLWrapper
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("SPARQLWrapper (pip install sparqlwrapper) is missing")
        pytest.skip("SPARQLWrapper is not installed (pip install sparqlwrapper)")
    return SPARQLWrapper


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_client(base, method):
    sw = _sparqlwrapper()
    client = sw.SPARQLWrapper(f"{base}/sparql")
    client.setMethod(method)
    client.setQuery(ACQUIRED)
    client.setReturnFormat(sw.JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["who"]["value"] for b in bindings] == ["https://kg.example.org/entity/citrix",
                                                     "https://kg.example.org/entity/red-hat"]
    client.setReturnFormat(sw.CSV)
    assert client.query().convert().splitlines()[0] == b"who,what"
    client.setQuery("CONSTRUCT WHERE { ?s a ?c }")
    for fmt in (sw.XML, sw.TURTLE, sw.JSONLD, sw.N3):
        client.setReturnFormat(fmt)
        result = client.query().convert()
        size = len(result) if not isinstance(result, bytes) else len(list(ox.parse(
            result, format=ox.RdfFormat.JSON_LD if fmt == sw.JSONLD else ox.RdfFormat.TURTLE)))
        assert size == 8, fmt
    client.setQuery("SELECT * WHERE {")
    client.setReturnFormat(sw.JSON)
    with pytest.raises(sw.SPARQLExceptions.QueryBadFormed, match="SPARQL syntax error"):
        client.query()


def test_query_page_in_a_browser(base):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    chromium = "/usr/bin/chromium"
    if sync_playwright is None or not os.path.exists(chromium):
        if os.environ.get("CI") == "true":
            pytest.fail("the query page test needs playwright and /usr/bin/chromium")
        pytest.skip("playwright or /usr/bin/chromium is missing")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/")
            page.fill("#query", 'SELECT ?x WHERE { VALUES ?x { "<img src=x onerror=alert(1)>" "红帽" } }')
            page.click("button[type=submit]")
            page.wait_for_selector("td", timeout=10000)
            assert page.locator("td").all_inner_texts() == ["<img src=x onerror=alert(1)>", "红帽"]
            assert page.locator("img").count() == 0
            page.select_option("#example", "0")
            assert page.input_value("#query").startswith("# ")
            page.fill("#query", "SELECT * WHERE {")
            page.click("button[type=submit]")
            page.wait_for_selector("#status.error", timeout=10000)
            assert page.inner_text("#status").startswith("Error 400: SPARQL syntax error")
            assert errors == []
        finally:
            browser.close()
