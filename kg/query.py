"""SPARQL over the built graph with pyoxigraph: named queries from queries/, parameters bound as
terms (never spliced into the text), results as a table or in the SPARQL result formats, a reading of
the query's SERVICE and FROM clauses for endpoints that must refuse them, and a SPARQL protocol client
for remote stores. The default graph is the union of all named graphs unless the query or the
protocol names a dataset."""
from __future__ import annotations

import io
import itertools
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .graph import DEFAULT_BASE, PREFIXES
from .resources import QUERIES_DIR, rdf_file

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]

#: Prefixes that ``--bind`` values may use besides the query's own PREFIX declarations.
BIND_PREFIXES = {**PREFIXES, "entity": DEFAULT_BASE + "entity/", "claim": DEFAULT_BASE + "claim/",
                 "doc": DEFAULT_BASE + "document/", "graph": DEFAULT_BASE + "graph/"}


class QueryError(Exception):
    """A query that cannot be read, parsed or run; the message says why."""


def resolve_query(text_or_path: str) -> str:
    """The query text for an inline query, a path to a .rq file, or the name of a file in queries/."""
    candidate = Path(text_or_path)
    if text_or_path.endswith(".rq") or (len(text_or_path) < 200 and "\n" not in text_or_path and " " not in text_or_path.strip()):
        for p in (candidate, QUERIES_DIR / text_or_path, QUERIES_DIR / f"{text_or_path}.rq"):
            if p.is_file():
                return p.read_text(encoding="utf-8")
        if text_or_path.endswith(".rq") or not any(k in text_or_path.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
            names = ", ".join(sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
            raise QueryError(f"{text_or_path}: no such query file (named queries: {names})")
    return text_or_path


def load_store(data: str | Path) -> ox.Store:
    """A pyoxigraph store holding an RDF file (format from its extension)."""
    path, fmt = rdf_file(data, QueryError)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: cannot load: {exc}") from None
    return store


# --- Reading a query's prologue, SERVICE and FROM clauses -------------------------------------------

_PN_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
            "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_VAR_CHARS = _PN_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"
_TOKEN = re.compile(
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<comment>#[^\n\r]*)"
    rf"|(?P<var>[?$][{_VAR_CHARS}]+)"
    rf"|(?P<word>(?:[{_VAR_CHARS}.:%\-]|\\.)+)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)", re.S)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class QueryScan:
    """What a query's text says about reaching outside the store.

    ``service`` is true when the SERVICE keyword appears; ``datasets`` holds the IRI of every FROM and
    FROM NAMED clause, resolved against the prologue (None where it cannot be resolved)."""

    service: bool
    datasets: tuple[str | None, ...]
    prefixes: Mapping[str, str] = field(default_factory=dict)


def unescape_codepoints(query: str) -> str:
    """The query with SPARQL's \\u and \\U escapes replaced by their characters."""
    return _CODEPOINT.sub(lambda m: _codepoint(m.group(1) or m.group(2)), query)


def _codepoint(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) tokens that matter: strings, IRIs, variables and words; no spaces or comments."""
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(unescape_codepoints(query))
            if m.lastgroup not in ("space", "comment")]


def _names_service(word: str) -> bool:
    """Whether SERVICE in this word could be the keyword rather than part of a prefixed name's local part."""
    for m in re.finditer("service", word, re.I):
        colon = word.rfind(":", 0, m.start())
        if colon < 0 or "." in word[colon:m.start()]:
            return True
    return False


def scan_query(query: str) -> QueryScan:
    """Read the prologue, the SERVICE keyword and the FROM clauses of a query without running it."""
    tokens = _tokens(query)
    prefixes: dict[str, str] = {}
    base: str | None = None
    datasets: list[str | None] = []
    service = False
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        lower = text.lower()
        following = tokens[i + 1:i + 3]
        if kind == "word" and _names_service(text):
            service = True
        if kind == "word" and lower == "base" and following[:1] and following[0][0] == "iri":
            base = _resolve(following[0][1][1:-1], base)
            i += 2
            continue
        if (kind == "word" and lower == "prefix" and len(following) == 2 and following[0][0] == "word"
                and following[0][1].endswith(":") and following[1][0] == "iri"):
            prefixes[following[0][1][:-1]] = _resolve(following[1][1][1:-1], base) or following[1][1][1:-1]
            i += 3
            continue
        if kind == "word" and lower == "from":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].lower() == "named":
                j += 1
            target = tokens[j] if j < len(tokens) else ("other", "")
            datasets.append(_target_iri(target, prefixes, base))
            i = j + 1
            continue
        i += 1
    return QueryScan(service, tuple(datasets), prefixes)


def _resolve(iri: str, base: str | None) -> str | None:
    """An absolute IRI, resolved against BASE where it is relative; None when that is impossible."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        return iri
    return urllib.parse.urljoin(base, iri) if base else None


def _target_iri(token: tuple[str, str], prefixes: Mapping[str, str], base: str | None) -> str | None:
    kind, text = token
    if kind == "iri":
        return _resolve(text[1:-1], base)
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + _PN_ESCAPE.sub(r"\1", local)
    return None


# --- Running queries ----------------------------------------------------------------------------------

def parse_term(text: str, prefixes: Mapping[str, str] | None = None) -> Term:
    """A term written in Turtle (``<iri>``, ``prefix:name``, ``"text"@en``, ``2008``, ``true``) or a bare
    URL; any other text is a plain string.

    Turtle is parsed as the object of a single triple, so a value can only ever become one term."""
    prefixes = {**BIND_PREFIXES, **(prefixes or {})}
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"{}|^`\\]+", text):
        try:
            return ox.NamedNode(text)
        except ValueError as exc:
            raise QueryError(f"{text!r} is not a valid IRI: {exc}") from None
    pname = re.fullmatch(r"([A-Za-z][\w.\-]*)?:\S*", text)
    number = re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", text)
    if not (text[:1] in ("<", '"', "'") or number or text in ("true", "false")
            or (pname and (pname.group(1) or "") in prefixes)):
        return ox.Literal(text)
    subject = ox.NamedNode("urn:kg:bind")
    document = "".join(f"@prefix {p}: {ox.NamedNode(iri)} .\n" for p, iri in sorted(prefixes.items()))
    document += f"{subject} {subject} {text} .\n"
    try:
        triples = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        raise QueryError(f"cannot read {text!r} as an RDF term (an IRI in <...>, a prefixed name with a "
                         f"known prefix, a quoted literal, a number or a boolean)") from None
    if len(triples) != 1 or triples[0].subject != subject:
        raise QueryError(f"{text!r} is not a single RDF term")
    return triples[0].object


def parse_bindings(pairs: Iterable[str], query: str = "") -> dict[str, Term]:
    """``NAME=VALUE`` pairs as variable bindings; values may use the query's prefixes."""
    prefixes = scan_query(query).prefixes if query else {}
    bindings: dict[str, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(rf"[{_VAR_CHARS}]+", name):
            raise QueryError(f"--bind {pair!r}: expected NAME=VALUE")
        bindings[name] = parse_term(value, prefixes)
    return bindings


def run_query(store: ox.Store, query: str, bindings: Mapping[str, Term] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None) -> Results:
    """Run a query. ``bindings`` are substituted as terms, never spliced into the text.

    The default graph is the union of all graphs unless the query has FROM clauses or the caller names
    the dataset as the SPARQL protocol does (``default_graphs``, ``named_graphs``: graph IRIs; when one
    of the two is given, the other one, if absent, is empty)."""
    options: dict = {}
    if bindings:
        options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
    if default_graphs is not None or named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    elif not scan_query(query).datasets:
        options["use_default_graph_as_union"] = True
    try:
        return store.query(query, **options)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


# --- Result formats -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultFormat:
    """A serialization of query results: solution/boolean formats, or RDF formats for graph results."""

    name: str
    media_type: str
    graph: bool
    syntax: ox.QueryResultsFormat | ox.RdfFormat


FORMATS = {f.name: f for f in (
    ResultFormat("json", "application/sparql-results+json", False, ox.QueryResultsFormat.JSON),
    ResultFormat("xml", "application/sparql-results+xml", False, ox.QueryResultsFormat.XML),
    ResultFormat("csv", "text/csv", False, ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values", False, ox.QueryResultsFormat.TSV),
    ResultFormat("turtle", "text/turtle", True, ox.RdfFormat.TURTLE),
    ResultFormat("ntriples", "application/n-triples", True, ox.RdfFormat.N_TRIPLES),
    ResultFormat("jsonld", "application/ld+json", True, ox.RdfFormat.JSON_LD),
    ResultFormat("rdfxml", "application/rdf+xml", True, ox.RdfFormat.RDF_XML),
)}
_MEDIA_TYPES = {f.media_type: f.name for f in FORMATS.values()} | {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "ntriples",
    "application/x-turtle": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle",
    "application/x-json+ld": "jsonld"}


def find_format(name: str) -> ResultFormat | None:
    """A format by name (``json``, ``json-ld``, ``ttl``, ...) or media type, as a ``format`` parameter gives it.

    N3 is answered with Turtle, which every N3 reader reads."""
    key = name.strip().lower()
    key = {"json-ld": "jsonld", "n-triples": "ntriples", "nt": "ntriples", "ttl": "turtle", "n3": "turtle",
           "rdf+xml": "rdfxml", "rdf": "rdfxml"}.get(key, key)
    return FORMATS.get(key) or FORMATS.get(_MEDIA_TYPES.get(key, ""))


def negotiate(accept: str, graph: bool) -> ResultFormat | None:
    """The format an Accept header prefers for solution (``graph`` false) or graph results; None if none fits.

    Without an Accept header, JSON results and Turtle graphs; equal weights keep the header's order."""
    candidates = [f for f in FORMATS.values() if f.graph == graph]
    if not accept.strip():
        return candidates[0]
    best: tuple[float, int, ResultFormat] | None = None
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.lower()
        for order, f in enumerate(candidates):
            fits = (media in ("*/*", f.media_type.split("/")[0] + "/*")
                    or (_MEDIA_TYPES.get(media) == f.name))
            key = (weight, -(position * 100 + order), f)
            if fits and weight > 0 and (best is None or key[:2] > best[:2]):
                best = key
    return best[2] if best else None


@dataclass(frozen=True)
class Rendered:
    """Serialized results: the bytes, whether rows were cut at the limit, and how many were kept."""

    body: bytes
    truncated: bool
    rows: int | None


class _LineLimit(io.RawIOBase):
    """A sink that keeps the first ``limit`` lines written to it and then stops the writer."""

    class Full(Exception):
        """Raised into the serializer once enough lines are in."""

    def __init__(self, limit: int):
        super().__init__()
        self.data = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.data += chunk
        if self.data.count(b"\n") > self.limit:
            raise self.Full()
        return len(chunk)


def render(results: Results, fmt: ResultFormat, limit: int | None = None) -> Rendered:
    """Serialize results in ``fmt``, keeping at most ``limit`` solutions or triples.

    Solutions are first written as TSV (one line per solution) up to the limit and read back, so every
    format comes from pyoxigraph's own serializers and a large result is never held whole."""
    if isinstance(results, (ox.QueryTriples, list)):
        if not fmt.graph:
            raise QueryError(f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt.name}")
        triples = list(itertools.islice(results, None if limit is None else limit + 1))
        truncated = limit is not None and len(triples) > limit
        triples = triples[:limit] if truncated else triples
        return Rendered(ox.serialize(triples, format=fmt.syntax, prefixes=_used(PREFIXES, triples)),
                        truncated, len(triples))
    if fmt.graph:
        raise QueryError(f"a SELECT or ASK result cannot be written as {fmt.name}")
    if isinstance(results, ox.QueryBoolean) or limit is None:
        return Rendered(results.serialize(format=fmt.syntax), False, None)
    sink = _LineLimit(limit + 1)
    try:
        results.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _LineLimit.Full:
        pass
    header, *rows = bytes(sink.data).split(b"\n")[:-1]
    truncated = len(rows) > limit
    tsv = b"".join(line + b"\n" for line in [header, *rows[:limit]])
    if fmt.syntax != ox.QueryResultsFormat.TSV:
        tsv = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt.syntax)
    return Rendered(tsv, truncated, min(len(rows), limit))


def _used(prefixes: Mapping[str, str], triples: list[ox.Triple]) -> dict[str, str]:
    """The prefixes that some IRI in ``triples`` starts with (so Turtle output declares only those)."""
    iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in sorted(prefixes.items()) if any(i.startswith(ns) for i in iris)}


def _text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.Literal, ox.NamedNode)):
        return term.value
    return str(term)


def format_results(results: Results, fmt: str = "table") -> str:
    """Render results as a 'table' (Turtle for graph results) or in one of ``FORMATS``."""
    if fmt != "table":
        return render(results, FORMATS[fmt]).body.decode("utf-8")
    if isinstance(results, ox.QueryBoolean):
        return "true\n" if results else "false\n"
    if isinstance(results, (ox.QueryTriples, list)):
        return render(results, FORMATS["turtle"]).body.decode("utf-8")
    variables = [v.value for v in results.variables]
    rows = [[_text(sol[v]) for v in variables] for sol in results]
    widths = [max([_width(v)] + [_width(r[i]) for r in rows]) for i, v in enumerate(variables)]
    line = lambda cells: " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# --- Remote stores (SPARQL 1.1 Protocol client) ------------------------------------------------------

@dataclass(frozen=True)
class HttpReply:
    """An HTTP response: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


def http_request(method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                 timeout: float = 60.0) -> HttpReply:
    """One HTTP request with urllib; error statuses are returned, not raised; network failures raise QueryError."""
    if not re.match(r"^https?://", url, re.I):
        raise QueryError(f"{url}: not an http(s) URL")
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpReply(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return HttpReply(exc.code, exc.headers.get_content_type(), exc.read())
    except (urllib.error.URLError, OSError) as exc:
        raise QueryError(f"{url}: {getattr(exc, 'reason', exc)}") from None


REMOTE_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                 "application/n-triples;q=0.8, text/turtle;q=0.7")


def remote_query(endpoint: str, query: str, timeout: float = 60.0) -> Results:
    """Run a query on a SPARQL 1.1 Protocol endpoint (form-encoded POST) and parse its answer."""
    reply = http_request("POST", endpoint, urllib.parse.urlencode({"query": query}).encode("utf-8"),
                         {"Content-Type": "application/x-www-form-urlencoded", "Accept": REMOTE_ACCEPT}, timeout)
    if reply.status >= 400:
        message = reply.body.decode("utf-8", "replace").strip()
        raise QueryError(f"{endpoint} answered {reply.status}: {message[:2000]}")
    name = _MEDIA_TYPES.get(reply.media_type)
    if name is None:
        raise QueryError(f"{endpoint} answered with unsupported media type {reply.media_type!r}")
    fmt = FORMATS[name]
    try:
        if fmt.graph:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(reply.body, format=fmt.syntax)]
        return ox.parse_query_results(reply.body, format=fmt.syntax)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{endpoint}: cannot read its {fmt.name} answer: {exc}") from None
