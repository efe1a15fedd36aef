"""Measure SPARQL stores on a synthetic graph shaped like kg's: load time, a two-hop join, a count per
predicate, for pyoxigraph (in memory and on disk) and rdflib's in-memory store.

    python benchmarks/sparql_store.py                  # 1M triples, prints a Markdown table
    python benchmarks/sparql_store.py --triples 100000 --skip-rdflib

The graph: entities with a type and a label, facts between them under a few relations, and reified
claims (eight triples each) pointing at those facts, in the proportions a build produces.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

KGO = "https://kg.example.org/ontology#"
BASE = "https://kg.example.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RELATIONS = ("acquired", "developed", "basedOn", "chose", "removed", "replacedBy", "vendor", "releaseOf",
             "partnerOf", "competitorOf", "foundedBy", "employs")
CLASSES = ("Organization", "Person", "Hypervisor", "OperatingSystem", "Release", "Software", "Technique")

QUERIES = {
    "two-hop join from one entity": (
        "PREFIX kgo: <{kgo}> SELECT ?b ?c WHERE {{ <{start}> kgo:acquired ?b . ?b kgo:developed ?c }}"),
    "two-hop join, all pairs": (
        "PREFIX kgo: <{kgo}> SELECT ?a ?c WHERE {{ ?a kgo:acquired ?b . ?b kgo:developed ?c }}"),
    "count per predicate": "SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} GROUP BY ?p",
    "claims of one relation with labels and evidence": (
        "PREFIX kgo: <{kgo}> PREFIX rdf: <{rdf}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?buyer ?bought ?evidence WHERE {{ ?c rdf:predicate kgo:acquired ; rdf:subject ?b ; "
        "rdf:object ?a ; kgo:evidence ?evidence . ?b rdfs:label ?buyer . ?a rdfs:label ?bought }}"),
}


@dataclass(frozen=True)
class Timing:
    """One measurement: which store, what, seconds, and the size of the answer."""

    store: str
    what: str
    seconds: float
    answer: int


def synthetic(triples: int, seed: int = 7) -> tuple[list[ox.Triple], str]:
    """About ``triples`` triples (10% entity descriptions, 30% facts, 60% claims) and the entity with the
    most two-hop acquired→developed paths, where the one-entity join starts."""
    rnd = random.Random(seed)
    n_entities = max(10, triples // 20)
    entities = [ox.NamedNode(f"{BASE}entity/e{i}") for i in range(n_entities)]
    out: list[ox.Triple] = []
    a, label = ox.NamedNode(RDF + "type"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for i, e in enumerate(entities):
        out.append(ox.Triple(e, a, ox.NamedNode(KGO + rnd.choice(CLASSES))))
        out.append(ox.Triple(e, label, ox.Literal(f"entity {i}", language="en")))
    relations = [ox.NamedNode(KGO + r) for r in RELATIONS]
    facts = []
    for _ in range(int(triples * 0.3)):
        fact = ox.Triple(rnd.choice(entities), rnd.choice(relations), rnd.choice(entities))
        facts.append(fact)
        out.append(fact)
    claim_props = [ox.NamedNode(p) for p in (RDF + "subject", RDF + "predicate", RDF + "object")]
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    for i in range((triples - len(out)) // 8):
        c = ox.NamedNode(f"{BASE}claim/c{i}")
        s, p, o = rnd.choice(facts)
        out += [ox.Triple(c, a, ox.NamedNode(KGO + "Claim")), ox.Triple(c, claim_props[0], s),
                ox.Triple(c, claim_props[1], p), ox.Triple(c, claim_props[2], o),
                ox.Triple(c, ox.NamedNode(KGO + "polarity"), ox.Literal("positive")),
                ox.Triple(c, ox.NamedNode(KGO + "confidence"),
                          ox.Literal(f"{rnd.random():.2f}", datatype=decimal)),
                ox.Triple(c, ox.NamedNode(KGO + "evidence"), ox.Literal(f"Sentence {i} says so.")),
                ox.Triple(c, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"),
                          ox.NamedNode(f"{BASE}document/d{i % 1000}"))]
    developed: dict[str, int] = {}
    for s, p, _ in facts:
        if p.value.endswith("#developed"):
            developed[s.value] = developed.get(s.value, 0) + 1
    reach: dict[str, int] = {}
    for s, p, o in facts:
        if p.value.endswith("#acquired"):
            reach[s.value] = reach.get(s.value, 0) + developed.get(o.value, 0)
    return out, max(sorted(reach), key=lambda k: reach[k])


def timed(fn):
    gc.collect()
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def bench_oxigraph(nt: Path, queries: dict[str, str], on_disk: Path | None) -> list[Timing]:
    name = "pyoxigraph (on disk)" if on_disk else "pyoxigraph (in memory)"

    def load():
        store = ox.Store(str(on_disk)) if on_disk else ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        return store

    seconds, store = timed(load)
    results = [Timing(name, "load", seconds, len(store))]
    if on_disk:
        store.flush()
        del store
        gc.collect()
        seconds, store = timed(lambda: ox.Store.read_only(str(on_disk)))
        results.append(Timing(name, "reopen (a built store, read-only)", seconds, len(store)))
    for what, q in queries.items():
        seconds, rows = timed(lambda: list(store.query(q)))
        results.append(Timing(name, what, seconds, len(rows)))
    return results


def bench_rdflib(nt: Path, queries: dict[str, str]) -> list[Timing]:
    import rdflib

    graph = rdflib.Graph()
    seconds, _ = timed(lambda: graph.parse(str(nt), format="nt"))
    results = [Timing("rdflib (in memory)", "load", seconds, len(graph))]
    for what, q in queries.items():
        seconds, rows = timed(lambda: list(graph.query(q)))
        results.append(Timing("rdflib (in memory)", what, seconds, len(rows)))
    return results


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import rdflib

    return (f"{os.cpu_count()} cores (nproc), {model}; Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--triples", type=int, default=1_000_000)
    p.add_argument("--skip-rdflib", action="store_true")
    args = p.parse_args(argv)
    seconds, (triples, start) = timed(lambda: synthetic(args.triples))
    print(f"generated {len(triples)} triples in {seconds:.1f} s", file=sys.stderr)
    queries = {k: v.format(kgo=KGO, rdf=RDF, start=start) for k, v in QUERIES.items()}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        nt = Path(scratch) / "graph.nt"
        nt.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        del triples
        timings = bench_oxigraph(nt, queries, None) + bench_oxigraph(nt, queries, Path(scratch) / "store")
        if not args.skip_rdflib:
            timings += bench_rdflib(nt, queries)
    print(f"Machine: {machine()}\n")
    print("| store | operation | seconds | answer (rows or triples) |")
    print("| --- | --- | ---: | ---: |")
    for t in timings:
        print(f"| {t.store} | {t.what} | {t.seconds:.4f} | {t.answer} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
