"""Determinism: the same inputs give byte-identical outputs whatever PYTHONHASHSEED is and in
whatever order the input files are given; and the committed output/ is what seeds/ builds to."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
ARTICLE_EN = "---\ntitle: Deals\ndate: 2012-05-01\n---\nRed Hat acquired Qumranet in 2008. Citrix bought XenSource in 2007.\n"


def kg_build(args: list[str], out: Path, hash_seed: str) -> dict[str, bytes]:
    """Run ``kg build`` in a fresh interpreter; every output file's name and bytes."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-m", "kg", "build", *args, "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return outputs(out)


def outputs(out: Path) -> dict[str, bytes]:
    """Files of an output directory, leaving out hidden ones (the extraction cache)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


@pytest.fixture
def inputs(tmp_path) -> list[str]:
    """Articles in several encodings, two of them with the same file name (their ids get suffixes)."""
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    shutil.copy(ROOT / "seeds" / "xen-decline-zh.md", tmp_path / "a" / "xen.md")
    (tmp_path / "b" / "xen.md").write_text(ARTICLE_EN, encoding="utf-8")
    (tmp_path / "gbk.md").write_bytes("红帽公司在2008年收购了Qumranet，随后发布了RHEV。微软推出了Hyper-V。".encode("gbk"))
    shutil.copy(DATA / "hostile.md", tmp_path / "hostile.md")
    return [str(tmp_path / "a" / "xen.md"), str(tmp_path / "b" / "xen.md"), str(tmp_path / "gbk.md"),
            str(tmp_path / "hostile.md")]


def test_outputs_are_identical_across_hash_seeds_and_input_orders(inputs, tmp_path):
    options = ["--lexicon", str(DATA / "lexicon.yaml"), "--reason"]
    runs = [
        kg_build(inputs + options, tmp_path / "out-1", "0"),
        kg_build(list(reversed(inputs)) + options, tmp_path / "out-2", "1"),
        kg_build([inputs[2], inputs[0], inputs[3], inputs[1]] + options, tmp_path / "out-3", "4242"),
    ]
    names = set(runs[0])
    assert {"graph.ttl", "graph.trig", "graph.nt", "graph.jsonld", "graph.graphml", "claims.csv",
            "analysis.json", "graph.html"} <= names
    for run in runs[1:]:
        assert set(run) == names
        assert [n for n in sorted(names) if run[n] != runs[0][n]] == []
    graphs = {q.graph_name.value for q in ox.parse(runs[0]["graph.trig"], format=ox.RdfFormat.TRIG)
              if isinstance(q.graph_name, ox.NamedNode)}
    assert len([g for g in graphs if g.startswith("https://kg.example.org/graph/xen-")]) == 2
    assert "https://kg.example.org/inferred" in graphs


def test_output_directory_is_not_stale(tmp_path):
    committed = ROOT / "output"
    if not committed.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("output/ is missing: run `python -m kg build` and commit output/")
        pytest.skip("output/ does not exist yet here; under CI=true this fails")
    rebuilt = kg_build([], tmp_path / "out", "0")
    expected = outputs(committed)
    assert set(rebuilt) == set(expected), "output/ has other files than `python -m kg build` makes"
    stale = [n for n in sorted(expected) if expected[n] != rebuilt[n]]
    assert stale == [], f"output/ is stale ({', '.join(stale)}): run `python -m kg build` and commit output/"
