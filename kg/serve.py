"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph, plus the query page,
graph.html and report.html.

Queries run in worker processes that open the store read-only, each first moved into a network
namespace of its own where the kernel allows it, so nothing a query says can reach the network. A
query that outlives the time limit has its worker killed and replaced. Before a query reaches a worker
it must pass the endpoint's rules: no update, no SERVICE, FROM and the protocol's dataset only over
graphs of the store (where workers cannot be isolated, any query that mentions SERVICE is refused).
Results are cut at a row limit and the ``X-SPARQL-Truncated`` header says whether they were.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import queue
import signal
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import __version__
from .query import FORMATS, QueryError, find_format, negotiate, render, run_query, scan_query, unescape_codepoints
from .resources import QUERIES_DIR

ENDPOINT = "/sparql"
MAX_BODY = 1 << 20
STARTUP_SECONDS = 60.0
PAGES = ("graph.html", "report.html")
TEXT = "text/plain; charset=utf-8"
TEMPLATES = Path(__file__).parent / "templates"
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


class ServeError(Exception):
    """The endpoint cannot start; the message says why."""


@dataclass(frozen=True)
class ServeConfig:
    """Where the data and pages are, where to listen, and the limits every query runs under."""

    store: Path
    out: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 2
    cors: str | None = None


@dataclass(frozen=True)
class Job:
    """A query for a worker: the formats chosen for solution and graph results, the row limit, the dataset."""

    query: str
    solution_format: str | None
    graph_format: str | None
    limit: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reply:
    """An HTTP answer to a query."""

    status: int
    media_type: str
    body: bytes
    truncated: bool | None = None


def _error(status: int, message: str) -> Reply:
    return Reply(status, TEXT, (message.rstrip() + "\n").encode("utf-8"))


# --- Query workers --------------------------------------------------------------------------------------

def isolate_network() -> bool:
    """Move this process into a new network namespace, where no interface is up; whether that worked."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError):
        return False
    if unshare(CLONE_NEWNET) != 0 and unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def execute(store: ox.Store, job: Job) -> Reply:
    """Run one job on a store and serialize its results in the chosen format."""
    try:
        results = run_query(store, job.query, default_graphs=job.default_graphs, named_graphs=job.named_graphs)
        name = job.graph_format if isinstance(results, ox.QueryTriples) else job.solution_format
        if name is None:
            kind = "graph" if isinstance(results, ox.QueryTriples) else "solution"
            offered = ", ".join(f.media_type for f in FORMATS.values() if f.graph == (kind == "graph"))
            return _error(406, f"no acceptable format for {kind} results; this endpoint offers {offered}")
        fmt = FORMATS[name]
        rendered = render(results, fmt, job.limit)
    except QueryError as exc:
        return _error(400, str(exc))
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(500, f"query failed: {exc}")
    return Reply(200, fmt.media_type, rendered.body, rendered.truncated)


def _worker_main(conn, store_path: str) -> None:
    """A worker process: leave the network, open the store read-only, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    isolated = isolate_network()
    store = ox.Store.read_only(store_path)
    conn.send(isolated)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, job))


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, context, store: Path):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(store)), daemon=True)
        self.process.start()
        child.close()
        self.isolated: bool | None = None

    def wait_ready(self) -> bool:
        """Whether the worker is network-isolated, once it has opened the store."""
        if self.isolated is None:
            if not self.conn.poll(STARTUP_SECONDS):
                raise ServeError("a query worker did not start in time")
            self.isolated = self.conn.recv()
        return self.isolated

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Worker processes that run queries; a query past the time limit gets its worker killed and replaced."""

    def __init__(self, store: Path, size: int, timeout: float):
        self.store, self.timeout = store, timeout
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._closed = False
        self._all: set[_Worker] = set()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        workers = [_Worker(self._context, store) for _ in range(max(1, size))]
        self._all.update(workers)
        try:
            self.isolated = all([w.wait_ready() for w in workers])
        except (ServeError, EOFError, OSError) as exc:
            self.close()
            raise ServeError(f"{store}: the query workers cannot open the store ({exc})") from None
        for w in workers:
            self._idle.put(w)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and, unless the pool is closing, put a fresh one in its place."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            fresh = _Worker(self._context, self.store)
            self._all.add(fresh)
        self._idle.put(fresh)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all)

    def run(self, job: Job) -> Reply:
        """Run a job on an idle worker within the time limit (waiting at most that long for one to be free)."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _error(503, "all query workers are busy; try again later")
        try:
            worker.wait_ready()
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (ServeError, EOFError, OSError) as exc:
            self._replace(worker)
            return _error(500, f"the query worker failed ({exc or type(exc).__name__}); it has been restarted")
        self._replace(worker)
        return _error(503, f"the query ran longer than the time limit of {self.timeout:g} s and was stopped")

    def close(self) -> None:
        """Kill every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()


# --- The endpoint's rules -------------------------------------------------------------------------------

def refusal(query: str, graphs: frozenset[str], isolated: bool) -> str | None:
    """Why the endpoint refuses to run ``query`` (SERVICE, FROM outside the store), or None."""
    scan = scan_query(query)
    if scan.service or (not isolated and "service" in unescape_codepoints(query).lower()):
        return ("SERVICE is not allowed: this endpoint answers from its own store only"
                + ("" if isolated else " (and, unable to isolate its workers from the network, it refuses "
                                       "every query that mentions 'service', even in a string or IRI)"))
    for iri in scan.datasets:
        if iri is None or iri not in graphs:
            return (f"FROM {'<' + iri + '>' if iri else 'clause'}: only graphs of this store can be named "
                    f"(list them with SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} }})")
    return None


# --- HTTP -----------------------------------------------------------------------------------------------

class EndpointServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, queries handed to the worker pool."""

    daemon_threads = True

    def __init__(self, config: ServeConfig, pool: WorkerPool, graphs: frozenset[str], page: bytes):
        self.config, self.pool, self.graphs, self.page = config, pool, graphs, page
        super().__init__((config.host, config.port), Handler)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol (query operation only) and a few static pages."""

    server: EndpointServer
    server_version = f"kg-sparql/{__version__}"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == ENDPOINT:
            self._answer(self._query(parse_qs(url.query, keep_blank_values=True)))
        elif url.path in ("/", "/index.html"):
            self._answer(Reply(200, "text/html; charset=utf-8", self.server.page))
        elif url.path.lstrip("/") in PAGES and (self.server.config.out / url.path.lstrip("/")).is_file():
            data = (self.server.config.out / url.path.lstrip("/")).read_bytes()
            self._answer(Reply(200, "text/html; charset=utf-8", data))
        else:
            self._answer(_error(404, f"{url.path}: not found (the endpoint is {ENDPOINT})"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path != ENDPOINT:
            return self._answer(_error(404, f"{url.path}: not found (the endpoint is {ENDPOINT})"))
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._answer(_error(411, "a POST needs a Content-Length"))
        if int(length) > MAX_BODY:
            return self._answer(_error(413, f"the request body is larger than {MAX_BODY} bytes"))
        body = self.rfile.read(int(length))
        kind = self.headers.get_content_type()
        if kind == "application/sparql-update":
            return self._answer(_error(403, "this endpoint is read-only: updates are not accepted"))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._answer(_error(400, "the request body is not UTF-8"))
        if kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-query":
            params.setdefault("query", []).append(text)
        else:
            return self._answer(_error(415, f"unsupported Content-Type {kind!r}: send application/sparql-query "
                                            "or application/x-www-form-urlencoded"))
        self._answer(self._query(params))

    def do_OPTIONS(self) -> None:
        self._answer(Reply(204, TEXT, b""))

    def _not_allowed(self) -> None:
        self._answer(_error(405, "this endpoint is read-only: use GET or POST with a query"))

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _query(self, params: dict[str, list[str]]) -> Reply:
        """Check a protocol request and run its query."""
        if "update" in params:
            return _error(403, "this endpoint is read-only: updates are not accepted")
        queries = params.get("query", [])
        if len(queries) != 1:
            return _error(400, "a request needs exactly one 'query' parameter")
        default, named = params.get("default-graph-uri"), params.get("named-graph-uri")
        for iri in (default or []) + (named or []):
            if iri not in self.server.graphs:
                return _error(400, f"<{iri}> is not a graph of this store")
        reason = refusal(queries[0], self.server.graphs, self.server.pool.isolated)
        if reason:
            return _error(400, reason)
        accept = self.headers.get("Accept", "")
        chosen = [f.name if f else None for f in (negotiate(accept, False), negotiate(accept, True))]
        requested = [v.strip() for key in ("format", "output") for value in params.get(key, [])
                     for v in value.split(",") if v.strip()]
        known = [f for f in map(find_format, requested) if f is not None]
        if requested and not known:
            return _error(400, f"unknown format {requested[0]!r}; known: {', '.join(FORMATS)}")
        for fmt in reversed(known):
            chosen[1 if fmt.graph else 0] = fmt.name
        job = Job(queries[0], chosen[0], chosen[1], self.server.config.max_rows,
                  tuple(default) if default is not None else None, tuple(named) if named is not None else None)
        return self.server.pool.run(job)

    def _answer(self, reply: Reply) -> None:
        self.send_response(reply.status)
        textual = reply.media_type.startswith("text/") and "charset" not in reply.media_type
        self.send_header("Content-Type", reply.media_type + ("; charset=utf-8" if textual else ""))
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.truncated is not None:
            self.send_header("X-SPARQL-Truncated", "true" if reply.truncated else "false")
            self.send_header("X-SPARQL-Max-Rows", str(self.server.config.max_rows))
        if reply.status in (405, 204):
            self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Vary", "Accept")
        if self.server.config.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.config.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Expose-Headers", "X-SPARQL-Truncated, X-SPARQL-Max-Rows")
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


# --- Assembling the server ------------------------------------------------------------------------------

def query_page(config: ServeConfig) -> bytes:
    """The query page: a form, the named queries from queries/ as examples, links to the other pages."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    examples = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        examples.append({"name": path.stem, "title": first.lstrip("# ").strip() if first.startswith("#") else path.stem,
                         "text": text})
    pages = [name for name in PAGES if (config.out / name).is_file()]
    html = env.get_template("query.html").render(endpoint=ENDPOINT, examples=examples, pages=pages,
                                                 max_rows=config.max_rows, timeout=config.timeout,
                                                 formats=[f.name for f in FORMATS.values()], version=__version__)
    return html.encode("utf-8")


def store_graphs(store: Path) -> frozenset[str]:
    """IRIs of the named graphs in a store directory."""
    view = ox.Store.read_only(str(store))
    try:
        return frozenset(g.value for g in view.named_graphs() if isinstance(g, ox.NamedNode))
    finally:
        del view


def make_server(config: ServeConfig) -> EndpointServer:
    """Start the workers and bind the server (``port`` 0 picks a free port); call ``serve_forever`` next."""
    try:
        graphs = store_graphs(config.store)
    except OSError as exc:
        raise ServeError(f"{config.store}: cannot open the store: {exc}") from None
    pool = WorkerPool(config.store, config.workers, config.timeout)
    try:
        return EndpointServer(config, pool, graphs, query_page(config))
    except OSError as exc:
        pool.close()
        raise ServeError(f"cannot listen on {config.host}:{config.port}: {exc}") from None
