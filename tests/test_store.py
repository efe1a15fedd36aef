"""kg.store: on-disk stores that are reused when the build is unchanged and replaced whole when not,
and the --store options of `kg build` and `kg query`."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.store import MARKER, StoreError, digest, load_file, open_store, read_marker, save

from conftest import DATA

TRIG = DATA / "sparql.trig"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def quads() -> list[ox.Quad]:
    return list(ox.parse(path=str(TRIG), format=ox.RdfFormat.TRIG))


def count(store: ox.Store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def test_save_then_reuse_then_replace(tmp_path, quads):
    path = tmp_path / "store"
    first = save(quads, path)
    assert not first.reused and first.quads == len(quads) == 25
    assert read_marker(path) == {"digest": digest(quads), "quads": 25}
    files = {p.name: p.stat().st_mtime_ns for p in path.iterdir()}

    again = save(quads, path)
    assert again.reused and again.digest == first.digest
    assert {p.name: p.stat().st_mtime_ns for p in path.iterdir()} == files

    fewer = [q for q in quads if "xen-history" not in str(q.graph_name)]
    changed = save(fewer, path)
    assert not changed.reused and changed.digest != first.digest
    view = open_store(path)
    assert len(view) == len(fewer) == 20 and count(view) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_digest_depends_on_content_and_order(quads):
    assert digest(quads) == digest(list(quads))
    assert digest(quads) != digest(quads[1:])
    assert digest(quads) != digest(list(reversed(quads)))


def test_refuses_to_replace_a_directory_that_is_not_a_store(tmp_path, quads):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kg store"):
        save(quads, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_open_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "nowhere")


def test_read_only_view_cannot_be_written(tmp_path, quads):
    save(quads, tmp_path / "store")
    view = open_store(tmp_path / "store")
    with pytest.raises(RuntimeError, match="read-write"):
        view.update("CLEAR ALL")
    assert len(open_store(tmp_path / "store")) == 25


def test_load_file(tmp_path):
    assert load_file(TRIG, tmp_path / "loaded") == 25
    assert count(open_store(tmp_path / "loaded")) == 11
    with pytest.raises(StoreError):
        load_file(tmp_path / "missing.trig", tmp_path / "other")


def test_build_and_query_with_store(tmp_path, capsys):
    article = tmp_path / "articles" / "kvm.md"
    article.parent.mkdir()
    article.write_text("---\ntitle: KVM\ndate: 2008-09-04\n---\n\nRed Hat acquired Qumranet in 2008.\n",
                       encoding="utf-8")
    args = ["build", str(article.parent), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store"),
            "--lexicon", str(DATA / "lexicon.yaml")]
    assert main(args) == 0
    assert "loaded" in capsys.readouterr().out
    assert main(args) == 0
    assert "unchanged, reused" in capsys.readouterr().out
    marker = json.loads((tmp_path / "store" / MARKER).read_text(encoding="utf-8"))
    from_file = sum(1 for _ in ox.parse(path=str(tmp_path / "out" / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert marker["quads"] == from_file

    query = ("PREFIX kgo: <https://kg.example.org/ontology#> "
             "SELECT ?who ?what WHERE { ?who kgo:acquired ?what }")
    assert main(["query", query, "--store", str(tmp_path / "store"), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "https://kg.example.org/entity/red-hat,https://kg.example.org/entity/qumranet"
    assert main(["query", query, "--data", str(tmp_path / "out" / "graph.trig"), "--format", "csv"]) == 0
    assert capsys.readouterr().out == out
