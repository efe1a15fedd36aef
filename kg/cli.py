"""The ``kg`` command: a thin layer over the Python API (``kg.pipeline``, ``kg.query``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _build(args) -> int:
    from .graph import DEFAULT_BASE
    from .lexicon import Lexicon, LexiconError
    from .load import LoadError
    from .pipeline import build

    try:
        lexicon = Lexicon.load(args.lexicon) if args.lexicon else None
        result = build(args.paths or ["seeds"], args.out, base=args.base or DEFAULT_BASE,
                       encoding=args.encoding, lexicon=lexicon)
    except (LoadError, LexiconError, ValueError) as exc:
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 2
    for path, problem in sorted(result.errors.items()):
        print(f"kg build: error: {path}: {problem}", file=sys.stderr)
    c = result.analysis["counts"]
    print(f"built {c['documents']} document(s): {c['claims']} claims, {c['facts']} facts, "
          f"{c['entities']} entities, {c['triples']} triples -> {args.out}/")
    if result.errors:
        print(f"kg build: {len(result.errors)} document(s) failed", file=sys.stderr)
        return 1
    return 0


def _query(args) -> int:
    from .query import QueryError, format_results, load_store, resolve_query, run_query

    try:
        text = resolve_query(args.query)
        store = load_store(args.data)
        print(format_results(run_query(store, text), args.format), end="")
    except QueryError as exc:
        print(f"kg query: error: {exc}", file=sys.stderr)
        return 2
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Build a knowledge graph from articles and query it.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract claims from articles and write the graph, exports, analysis and HTML")
    b.add_argument("paths", nargs="*", help="files or directories (default: seeds/)")
    b.add_argument("--out", default="output", help="output directory (default: output/)")
    b.add_argument("--base", help="base IRI of the graph (default: https://kg.example.org/)")
    b.add_argument("--encoding", help="encoding of the inputs when it cannot be detected (e.g. gbk, big5)")
    b.add_argument("--lexicon", help="lexicon YAML file (default: ontology/lexicon.yaml)")
    b.set_defaults(func=_build)

    q = sub.add_parser("query", help="run a SPARQL query on the built graph")
    q.add_argument("query", help="a query, a .rq file, or the name of a query in queries/")
    q.add_argument("--data", default="output/graph.trig", help="RDF file to query (default: output/graph.trig)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(func=_query)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
