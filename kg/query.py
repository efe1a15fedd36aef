"""SPARQL over the built graph with pyoxigraph: named queries from queries/, results as a table,
CSV or SPARQL-results JSON. The default graph is the union of all named graphs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from .resources import QUERIES_DIR


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
    path = Path(data)
    if not path.is_file():
        raise QueryError(f"{path}: no such data file (run `kg build` first, or give --data)")
    store = ox.Store()
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise QueryError(f"{path}: unknown RDF format {path.suffix!r}")
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: cannot load: {exc}") from None
    return store


def run_query(store: ox.Store, query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None):
    """Run a query (union default graph). ``bindings`` are substituted safely as VALUES, never spliced."""
    try:
        return store.query(query, use_default_graph_as_union=True, substitutions=bindings or None)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def _text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def format_results(results, fmt: str = "table") -> str:
    """Render SELECT/ASK/CONSTRUCT results as 'table', 'csv' or 'json' (SPARQL results JSON)."""
    if isinstance(results, bool):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": results})
        return "true" if results else "false"
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(list(results), format=ox.RdfFormat.TURTLE).decode("utf-8")
    if fmt == "json":
        return results.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    variables = [v.value for v in results.variables]
    rows = [[_text(sol[v]) for v in variables] for sol in results]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(variables)
        w.writerows(rows)
        return buf.getvalue()
    widths = [max([_width(v)] + [_width(r[i]) for r in rows]) for i, v in enumerate(variables)]
    line = lambda cells: " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
