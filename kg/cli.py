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
                       encoding=args.encoding, lexicon=lexicon, jobs=args.jobs, cache=not args.no_cache,
                       progress=True)
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


def _eval(args) -> int:
    from .evaluate import GoldError, evaluate, gold_pairs, read_gold, report
    from .extract import Extractor
    from .lexicon import Lexicon, LexiconError
    from .ontology import Ontology
    from .pipeline import extract_documents

    try:
        lexicon = Lexicon.load(args.lexicon) if args.lexicon else Lexicon.load()
        ontology = Ontology.load()
        gold_path = Path(args.gold)
        if not gold_path.exists():
            raise GoldError(f"{gold_path}: no such gold file or directory")
        pairs = [(gold_path, Path(p)) for p in args.paths] if args.paths else gold_pairs(gold_path)
        gold = [g for path in dict.fromkeys(p for p, _ in pairs) for g in read_gold(path, lexicon, ontology)]
        _, claims, errors = extract_documents([a for _, a in pairs], Extractor(lexicon, ontology), args.encoding)
    except (GoldError, LexiconError) as exc:
        print(f"kg eval: error: {exc}", file=sys.stderr)
        return 2
    for path, problem in sorted(errors.items()):
        print(f"kg eval: error: {path}: {problem}", file=sys.stderr)
    print(report(evaluate(claims, gold, ontology), lexicon), end="")
    return 1 if errors else 0


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
    b.add_argument("--jobs", type=int, default=1, help="worker processes for extraction (0: one per core; default: 1)")
    b.add_argument("--no-cache", action="store_true",
                   help="extract every document again instead of reusing OUT/.cache (same outputs either way)")
    b.set_defaults(func=_build)

    q = sub.add_parser("query", help="run a SPARQL query on the built graph")
    q.add_argument("query", help="a query, a .rq file, or the name of a query in queries/")
    q.add_argument("--data", default="output/graph.trig", help="RDF file to query (default: output/graph.trig)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(func=_query)

    e = sub.add_parser("eval", help="compare extracted claims with a gold TSV file: precision, recall, F1")
    e.add_argument("gold", help="gold TSV (subject, relation, object, year, polarity), or a directory of them "
                                "each beside its article")
    e.add_argument("paths", nargs="*", help="articles the gold file describes (default: the article beside it)")
    e.add_argument("--lexicon", help="lexicon YAML file (default: ontology/lexicon.yaml)")
    e.add_argument("--encoding", help="encoding of the articles when it cannot be detected")
    e.set_defaults(func=_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
