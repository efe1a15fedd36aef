"""The ``kg`` command: a thin layer over the Python API (``kg.pipeline``, ``kg.query``)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__


def _build(args) -> int:
    from .graph import DEFAULT_BASE
    from .lexicon import Lexicon, LexiconError
    from .load import LoadError
    from .pipeline import build
    from .validate import ValidationError

    try:
        lexicon = Lexicon.load(args.lexicon) if args.lexicon else None
        result = build(args.paths or ["seeds"], args.out, base=args.base or DEFAULT_BASE,
                       encoding=args.encoding, lexicon=lexicon, jobs=args.jobs, cache=not args.no_cache,
                       progress=True, validate=not args.no_validate, reason=args.reason)
    except ValidationError as exc:
        print(f"kg build: error: the graph fails SHACL validation; nothing was written to {args.out}/\n"
              f"{exc.report.text()}", file=sys.stderr, end="")
        return 3
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
    if args.store:
        from .store import StoreError, save

        try:
            info = save(result.graph.quads, args.store)
        except StoreError as exc:
            print(f"kg build: error: {exc}", file=sys.stderr)
            return 2
        print(f"store {info.path}/: {'unchanged, reused' if info.reused else 'loaded'} ({info.quads} quads)")
    if result.validation is not None:
        print(result.validation.text(), end="")
    if result.errors:
        print(f"kg build: {len(result.errors)} document(s) failed", file=sys.stderr)
        return 1
    return 0


def _validate(args) -> int:
    from .validate import validate_file

    try:
        report = validate_file(args.data)
    except (ValueError, OSError) as exc:
        print(f"kg validate: error: {exc}", file=sys.stderr)
        return 2
    print(report.text(), end="")
    return 0 if report.conforms else 1


def _query(args) -> int:
    from .query import QueryError, format_results, load_store, parse_bindings, remote_query, resolve_query, run_query
    from .store import StoreError, open_store

    try:
        text = resolve_query(args.query)
        bindings = parse_bindings(args.bind, text)
        if args.endpoint:
            if bindings:
                raise QueryError("--bind binds values in a local store (--data or --store), not at a remote endpoint")
            results = remote_query(args.endpoint, text, args.timeout)
        else:
            store = open_store(args.store) if args.store else load_store(args.data)
            results = run_query(store, text, bindings)
        print(format_results(results, args.format), end="")
    except (QueryError, StoreError) as exc:
        print(f"kg query: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _serve(args) -> int:
    import signal
    import tempfile

    from .serve import ServeConfig, ServeError, make_server
    from .store import StoreError, load_file

    with tempfile.TemporaryDirectory(prefix="kg-serve-") as scratch:
        try:
            store = Path(args.store) if args.store else Path(scratch) / "store"
            if not args.store:
                load_file(args.data, store)
            config = ServeConfig(store=store, out=Path(args.out), host=args.host, port=args.port, timeout=args.timeout,
                                 max_rows=args.max_rows, workers=args.workers, cors=args.cors)
            server = make_server(config)
        except (ServeError, StoreError) as exc:
            print(f"kg serve: error: {exc}", file=sys.stderr)
            return 2
        host, port = server.server_address[:2]
        print(f"SPARQL endpoint http://{host}:{port}/sparql (query page http://{host}:{port}/); "
              f"{config.workers} worker(s), network {'isolated' if server.pool.isolated else 'NOT isolated'}, "
              f"time limit {config.timeout:g} s, row limit {config.max_rows}", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


def _push(args) -> int:
    from .push import PushError, push, read_quads

    try:
        report = push(read_quads(args.data), args.endpoint, args.protocol, args.graph, args.timeout)
    except PushError as exc:
        print(f"kg push: error: {exc}", file=sys.stderr)
        return 2
    print(f"pushed {report.graphs} graph(s), {report.triples} triples to {args.endpoint} ({report.protocol})")
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
        gold = {path: read_gold(path, lexicon, ontology) for path, _ in pairs}
        documents, claims, errors = extract_documents([a for _, a in pairs], Extractor(lexicon, ontology),
                                                      args.encoding)
    except (GoldError, LexiconError) as exc:
        print(f"kg eval: error: {exc}", file=sys.stderr)
        return 2
    for path, problem in sorted(errors.items()):
        print(f"kg eval: error: {path}: {problem}", file=sys.stderr)
    if not args.paths:  # a gold file beside its article is scored against that article alone
        doc_of = {Path(d.path).resolve(): d.id for d in documents}
        gold = {path: [replace(g, doc=doc_of.get(article.resolve(), str(article))) for g in gold[path]] for path, article in pairs}
    claims = [c for c in claims if c.confidence >= args.min_confidence]
    print(report(evaluate(claims, [g for rows in gold.values() for g in rows], ontology), lexicon), end="")
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
    b.add_argument("--no-validate", action="store_true",
                   help="skip the SHACL check of the graph against ontology/shapes.ttl (exit code 3 when it fails)")
    b.add_argument("--reason", action="store_true",
                   help="add OWL 2 RL inferences (inverse, symmetric and super-properties) in their own named graph")
    b.add_argument("--store", metavar="DIR", help="also keep the graph in an on-disk store at DIR (reused when unchanged)")
    b.set_defaults(func=_build)

    v = sub.add_parser("validate", help="check a built graph against the SHACL shapes in ontology/shapes.ttl")
    v.add_argument("data", nargs="?", default="output/graph.trig",
                   help="RDF file to check, read with the strict parser (default: output/graph.trig)")
    v.set_defaults(func=_validate)

    q = sub.add_parser("query", help="run a SPARQL query on the built graph")
    q.add_argument("query", help="a query, a .rq file, or the name of a query in queries/")
    where = q.add_mutually_exclusive_group()
    where.add_argument("--data", default="output/graph.trig", help="RDF file to query (default: output/graph.trig)")
    where.add_argument("--store", help="on-disk store made by `kg build --store DIR`")
    where.add_argument("--endpoint", help="URL of a remote SPARQL 1.1 query endpoint")
    q.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME (a variable of the SELECT clause) to VALUE: <iri> or a URL, prefix:name, "
                        "\"text\"@en, 2008, true, or plain text (repeatable)")
    q.add_argument("--format", default="table",
                   choices=("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml"),
                   help="output format (default: a table; Turtle for CONSTRUCT and DESCRIBE)")
    q.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for --endpoint (default: 60)")
    q.set_defaults(func=_query)

    s = sub.add_parser("serve", help="serve the graph: a read-only SPARQL endpoint, a query page, graph.html, "
                                     "report.html")
    source = s.add_mutually_exclusive_group()
    source.add_argument("--data", default="output/graph.trig", help="RDF file to serve (default: output/graph.trig)")
    source.add_argument("--store", help="on-disk store made by `kg build --store DIR`")
    s.add_argument("--out", default="output", help="directory with graph.html and report.html (default: output/)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=10.0,
                   help="seconds a query may run before it is stopped (default: 10)")
    s.add_argument("--max-rows", type=int, default=10000, help="rows or triples returned at most (default: 10000)")
    s.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    s.add_argument("--cors", nargs="?", const="*", metavar="ORIGIN",
                   help="allow cross-origin requests from ORIGIN (default when given without a value: any)")
    s.set_defaults(func=_serve)

    pu = sub.add_parser("push", help="load the build into a triplestore (Graph Store Protocol or SPARQL Update)")
    pu.add_argument("--endpoint", required=True, help="Graph Store Protocol URL (e.g. http://host:7878/store) or, "
                                                       "with --protocol update, the Update URL")
    pu.add_argument("--graph", help="named graph for the build's default-graph triples "
                                    "(default: the store's default graph)")
    pu.add_argument("--protocol", choices=("gsp", "update"), default="gsp", help="default: gsp")
    pu.add_argument("--data", default="output/graph.trig", help="RDF file to push (default: output/graph.trig)")
    pu.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each request (default: 60)")
    pu.set_defaults(func=_push)

    e = sub.add_parser("eval", help="compare extracted claims with a gold TSV file: precision, recall, F1")
    e.add_argument("gold", help="gold TSV (subject, relation, object, year, polarity), or a directory of them "
                                "each beside its article")
    e.add_argument("paths", nargs="*", help="articles the gold file describes (default: the article beside it)")
    e.add_argument("--lexicon", help="lexicon YAML file (default: ontology/lexicon.yaml)")
    e.add_argument("--encoding", help="encoding of the articles when it cannot be detected")
    e.add_argument("--min-confidence", type=float, default=0.0, metavar="C",
                   help="count only claims whose confidence is at least C (default: 0, all claims)")
    e.set_defaults(func=_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
