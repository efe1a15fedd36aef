"""Corpus-scale benchmark of ``kg build``: seconds, MB/s, triples/s and peak memory per stage.

    python benchmarks/run.py                                               # 10 … 10,000 articles
    python benchmarks/run.py --sizes 10,100 --no-baselines --no-large-graph  # a quick look

For each corpus size it writes the deterministic corpus (benchmarks/corpus.py), then, in a fresh
process so that peak memory belongs to that size alone:

* load and extract, one document at a time in one process: seconds and MB/s per core;
* ``kg build`` end to end with ``--jobs``, an empty cache and every stage timed (extract, graph,
  analysis, export, html, write), peak RSS of the main process per stage and of the workers;
* the same build again, now reading the cache (an incremental rebuild with nothing changed);
* baselines on the same input: (a) a pyahocorasick scan of the same text for the same aliases,
  (b) rdflib's default Turtle serializer and (c) pyoxigraph's serializer on the same triples,
  beside kg's own Turtle export.

Then it times the analysis of a synthetic graph of 100,000 nodes and 500,000 edges with the
large-graph backend, and with networkx under a time limit. Results are printed as Markdown tables
(and written as JSON with ``--json``).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import Generator, lexicon_path  # noqa: E402

STAGES = ("extract", "graph", "analysis", "export", "html", "write")


# ---------------------------------------------------------------- measuring

def reset_peak() -> None:
    """Start a new peak-RSS window for this process (Linux: /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    """Peak RSS of this process since the last ``reset_peak``, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """Largest peak RSS of any finished child process (the extraction workers), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class Stages:
    """Times stages and records their peak memory; ``stage(name)`` is what ``build`` accepts."""

    def __init__(self):
        self.results: dict[str, dict[str, float]] = {}

    @contextmanager
    def stage(self, name: str):
        reset_peak()
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.results[name] = {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                              "peak_mb": peak_mb()}


def machine() -> dict[str, str]:
    """Cores, CPU model, memory and Python of this machine."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory,
            "python": platform.python_version(), "os": platform.platform()}


# ---------------------------------------------------------------- one corpus size (child process)

def measure(corpus: Path, lexicon_file: Path, jobs: int, baselines: bool, rdflib_limit: int,
            validate: bool) -> dict:
    """Every measurement of one corpus; runs in its own process."""
    from kg.export import _prefixes, turtle
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    from kg.load import find_documents, load_document
    from kg.pipeline import build

    import pyoxigraph as ox

    lexicon = Lexicon.load(lexicon_file)
    files = find_documents([corpus])
    size = sum(f.stat().st_size for f in files)
    out: dict = {"articles": len(files), "bytes": size}

    # Load and extract per core: one process, one document at a time.
    extractor = Extractor(lexicon=lexicon)
    reset_peak()
    load_s = extract_s = 0.0
    claims = 0
    for f in files:
        t0 = time.process_time()
        doc = load_document(f)
        t1 = time.process_time()
        claims += len(extractor.extract(doc))
        load_s += t1 - t0
        extract_s += time.process_time() - t1
    out["per_core"] = {"load": load_s, "extract": extract_s, "claims": claims, "peak_mb": peak_mb()}

    # End to end, as `kg build --jobs N` runs it (cache on, empty), then again with the cache filled.
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        stages = Stages()
        wall = time.perf_counter()
        result = build([corpus], Path(tmp) / "out", lexicon=lexicon, jobs=jobs, stage=stages.stage,
                       validate=validate)
        out["end_to_end"] = time.perf_counter() - wall
        out["stages"] = stages.results
        out["workers_peak_mb"] = children_peak_mb() if jobs > 1 else 0.0
        out["output_bytes"] = sum(len(v) for v in result.files.values())
        counts = result.analysis["counts"]
        out.update(triples=counts["triples"], quads=len(result.graph.quads), claims=counts["claims"],
                   entities=counts["entities"])
        warm = Stages()
        wall = time.perf_counter()
        result = build([corpus], Path(tmp) / "out", lexicon=lexicon, jobs=jobs, stage=warm.stage, validate=validate)
        out["rebuild"] = {"seconds": time.perf_counter() - wall, "extract": warm.results["extract"]["seconds"]}
        if baselines:  # inside the block: the build's files are read back from its output directory
            out["baselines"] = baseline_measures(result, files, lexicon, rdflib_limit, ox, turtle, _prefixes)
    return out


def baseline_measures(result, files, lexicon, rdflib_limit, ox, turtle, prefixes) -> dict:
    """The scan ceiling and the serializers, on the same text and the same triples."""
    import ahocorasick

    from kg.normalize import fold

    res: dict[str, float | None] = {}
    texts = [f.read_bytes().decode("utf-8") for f in files]
    automaton = ahocorasick.Automaton()
    for e in lexicon.entities.values():
        for label in e.labels:
            automaton.add_word(fold(label), e.id)
    automaton.make_automaton()
    t = time.perf_counter()
    matches = sum(1 for text in texts for _ in automaton.iter(text))
    res["aho_seconds"] = time.perf_counter() - t
    res["aho_matches"] = matches

    triples = result.graph.triples()
    t = time.perf_counter()
    turtle(result.graph)
    res["kg_turtle_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes(result.graph))
    res["oxigraph_turtle_seconds"] = time.perf_counter() - t
    res["rdflib_turtle_seconds"] = None
    if len(triples) <= rdflib_limit:
        import rdflib

        g = rdflib.Graph()
        g.parse(data=result.files["graph.nt"].decode("utf-8"), format="nt")
        t = time.perf_counter()
        g.serialize(format="turtle")
        res["rdflib_turtle_seconds"] = time.perf_counter() - t
    return res


# ---------------------------------------------------------------- large-graph analysis (child process)

def synthetic_graph(nodes: int, edges: int, seed: int = 7) -> tuple[list[str], list[tuple[str, str]]]:
    """A directed graph with planted communities of 100 nodes: 80% of edges inside a community."""
    rng = random.Random(seed)
    names = [f"n{i:06d}" for i in range(nodes)]
    out = set()
    while len(out) < edges:
        u = rng.randrange(nodes)
        if rng.random() < 0.8:
            v = (u // 100) * 100 + rng.randrange(100)
        else:
            v = rng.randrange(nodes)
        if u != v and v < nodes:
            out.add((names[u], names[v]))
    return names, sorted(out)


def measure_analysis(nodes: int, edges: int, backend: str) -> dict:
    from kg.analysis import graph_measures

    names, pairs = synthetic_graph(nodes, edges)
    reset_peak()
    t = time.perf_counter()
    m = graph_measures(names, pairs, backend)
    return {"backend": m.backend, "seconds": time.perf_counter() - t, "communities": len(m.communities),
            "components": len(m.components), "betweenness": m.betweenness_method, "peak_mb": peak_mb()}


# ---------------------------------------------------------------- driver

def child(args: list[str], timeout: float | None = None) -> dict | None:
    """Run this script in a fresh process and return the JSON it prints; None on time-out."""
    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def tables(results: dict) -> str:
    """The results as Markdown tables."""
    m = results["machine"]
    lines = [f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Python {m['python']}. "
             f"Command: `{results['command']}`", ""]
    names = list(dict.fromkeys(n for r in results["sizes"] for n in r["stages"] if n != "extract"))
    lines += [f"Load average (1 min) {results['load'][0]:.2f} before the run, {results['load'][1]:.2f} after.", "",
              "Per stage: seconds · peak RSS of the main process, and MB/s of article text or triples/s. "
              "Load and extract are CPU seconds in one process (per core); the other stages are wall "
              f"seconds inside the end-to-end build with `--jobs {results['jobs']}` (cache on, empty).", "",
              "| articles | MB | claims | triples | load | extract | extract (jobs) | "
              + " | ".join(names) + " | end to end | rebuild (cached) |",
              "|" + "---|" * (8 + len(names))]
    for r in results["sizes"]:
        mb = r["bytes"] / 1e6
        st = r["stages"]
        pc = r["per_core"]
        cells = [f"{st[n]['seconds']:.2f} s · {st[n]['peak_mb']:.0f} MB · "
                 f"{r['triples'] / max(st[n]['seconds'], 1e-9):,.0f} triples/s" if n in st else "–" for n in names]
        lines.append(
            f"| {r['articles']:,} | {mb:.1f} | {r['claims']:,} | {r['triples']:,} "
            f"| {pc['load']:.2f} s · {mb / pc['load']:.1f} MB/s "
            f"| {pc['extract']:.2f} s · {mb / pc['extract']:.2f} MB/s "
            f"| {st['extract']['seconds']:.2f} s · {mb / st['extract']['seconds']:.2f} MB/s "
            f"· {st['extract']['peak_mb']:.0f} MB, workers {r['workers_peak_mb']:.0f} MB | "
            + " | ".join(cells)
            + f" | **{r['end_to_end']:.2f} s** · {mb / r['end_to_end']:.2f} MB/s · "
              f"{r['triples'] / r['end_to_end']:,.0f} triples/s · peak {max(s['peak_mb'] for s in st.values()):.0f} MB "
              f"| {r['rebuild']['seconds']:.2f} s |")
    if any("baselines" in r for r in results["sizes"]):
        lines += ["", "Baselines on the same input, measured in the same run:", "",
                  "| articles | aho-corasick scan (ceiling) | kg extract per core | kg Turtle export "
                  "| pyoxigraph Turtle | rdflib Turtle |", "|---|---|---|---|---|---|"]
        for r in results["sizes"]:
            b = r.get("baselines")
            if not b:
                continue
            mb = r["bytes"] / 1e6
            rd = b["rdflib_turtle_seconds"]
            lines.append(
                f"| {r['articles']:,} | {b['aho_seconds']:.2f} s · {mb / b['aho_seconds']:.1f} MB/s "
                f"| {r['per_core']['extract']:.2f} s · {mb / r['per_core']['extract']:.2f} MB/s "
                f"| {b['kg_turtle_seconds']:.2f} s ({b['kg_turtle_seconds'] / b['oxigraph_turtle_seconds']:.2f}× pyoxigraph) "
                f"| {b['oxigraph_turtle_seconds']:.2f} s "
                f"| {fmt(rd)} s" + (f" ({rd / b['oxigraph_turtle_seconds']:.0f}× pyoxigraph) |" if rd else " |"))
    if results.get("large_graph"):
        lines += ["", f"Analysis of a synthetic graph ({results['large_graph_size']}):", "",
                  "| backend | seconds | communities | betweenness | peak RSS |", "|---|---|---|---|---|"]
        for name, r in results["large_graph"].items():
            if r is None:
                lines.append(f"| {name} | did not finish in {results['nx_limit']:.0f} s (stopped) | – | – | – |")
            else:
                lines.append(f"| {r['backend']} | {r['seconds']:.2f} | {r['communities']:,} | {r['betweenness']} "
                             f"| {r['peak_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark kg build on generated corpora.")
    p.add_argument("--sizes", default="10,100,1000,10000", help="corpus sizes in articles (comma-separated)")
    p.add_argument("--jobs", type=int, default=2, help="--jobs of the end-to-end build (default: 2)")
    p.add_argument("--lexicon", help="lexicon YAML (default: ontology/lexicon.yaml)")
    p.add_argument("--work", type=Path, help="directory for the corpora (default: a temporary one)")
    p.add_argument("--no-baselines", action="store_true", help="skip the aho-corasick and serializer baselines")
    p.add_argument("--no-validate", action="store_true", help="build without the SHACL check (kg build --no-validate)")
    p.add_argument("--rdflib-limit", type=int, default=2_000_000, help="skip rdflib above this many triples")
    p.add_argument("--no-large-graph", action="store_true", help="skip the 100k-node analysis")
    p.add_argument("--graph-size", default="100000,500000", help="nodes,edges of the synthetic graph")
    p.add_argument("--nx-limit", type=float, default=120, help="seconds networkx may take on it")
    p.add_argument("--json", type=Path, help="also write the results as JSON here")
    p.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--analysis", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    lexicon = lexicon_path(args.lexicon)

    if args.measure:
        print(json.dumps(measure(args.measure, lexicon, args.jobs, not args.no_baselines, args.rdflib_limit,
                                 not args.no_validate)))
        return 0
    if args.analysis:
        nodes, edges, backend = args.analysis.split(",")
        print(json.dumps(measure_analysis(int(nodes), int(edges), backend)))
        return 0

    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict = {"machine": machine(), "command": command.strip(), "jobs": args.jobs, "sizes": [],
                     "load": [os.getloadavg()[0]]}
    generator = Generator(lexicon)
    with tempfile.TemporaryDirectory(prefix="kg-corpus-") as tmp:
        work = args.work or Path(tmp)
        for n in (int(x) for x in args.sizes.split(",")):
            corpus = work / f"corpus-{n}"
            generator.write(corpus, n)
            print(f"{n} articles ...", file=sys.stderr, flush=True)
            extra = ["--no-baselines"] * args.no_baselines + ["--no-validate"] * args.no_validate
            r = child(["--measure", str(corpus), "--lexicon", str(lexicon), "--jobs", str(args.jobs),
                       "--rdflib-limit", str(args.rdflib_limit), *extra])
            results["sizes"].append(r)
            print(f"  {r['end_to_end']:.1f} s end to end, {r['triples']:,} triples", file=sys.stderr, flush=True)
    if not args.no_large_graph:
        nodes, edges = args.graph_size.split(",")
        results["large_graph_size"] = f"{int(nodes):,} nodes, {int(edges):,} edges"
        results["nx_limit"] = args.nx_limit
        print("large-graph analysis ...", file=sys.stderr, flush=True)
        results["large_graph"] = {
            "igraph": child(["--analysis", f"{nodes},{edges},igraph", "--lexicon", str(lexicon)]),
            "networkx": child(["--analysis", f"{nodes},{edges},networkx", "--lexicon", str(lexicon)],
                              timeout=args.nx_limit),
        }
    results["load"].append(os.getloadavg()[0])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(tables(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
