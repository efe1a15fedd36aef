"""Graph analysis: the networkx and igraph backends give results of the same shape and agree."""
import pytest

from kg import analysis
from kg.analysis import analysis_markdown, analyze, graph_measures
from kg.graph import build_graph
from kg.load import parse_document
from kg.pipeline import entities_for

# Two triangles joined by the bridge c–d, and a node on its own.
NODES = ["a", "b", "c", "d", "e", "f", "lone"]
EDGES = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")]


@pytest.fixture(scope="module")
def both():
    return graph_measures(NODES, EDGES, "networkx"), graph_measures(NODES, EDGES, "igraph")


def test_backends_find_the_same_groups(both):
    nx_result, ig_result = both
    assert nx_result.backend == "networkx" and ig_result.backend == "igraph"
    assert nx_result.communities == ig_result.communities == [["a", "b", "c"], ["d", "e", "f"], ["lone"]]
    assert nx_result.components == ig_result.components == [["a", "b", "c", "d", "e", "f"], ["lone"]]


def test_backends_agree_on_centralities(both):
    nx_result, ig_result = both
    assert nx_result.pagerank.keys() == ig_result.pagerank.keys() == set(NODES)
    for n in NODES:
        assert ig_result.pagerank[n] == pytest.approx(nx_result.pagerank[n], abs=1e-4)
        assert ig_result.betweenness[n] == pytest.approx(nx_result.betweenness[n], abs=1e-9)
    assert ig_result.betweenness_method == nx_result.betweenness_method == "exact"
    bridge = max(ig_result.betweenness, key=ig_result.betweenness.get)
    assert bridge in ("c", "d") and ig_result.betweenness["lone"] == 0


def test_sampled_betweenness_still_ranks_the_bridge_first():
    estimate = graph_measures(NODES, EDGES, "igraph", sources=3)
    assert estimate.betweenness_method == "estimated from 3 sampled source nodes"
    top = sorted(estimate.betweenness, key=estimate.betweenness.get, reverse=True)[:2]
    assert set(top) <= {"c", "d"} and estimate.betweenness["a"] == 0


def test_auto_dispatches_on_size(monkeypatch):
    assert graph_measures(NODES, EDGES).backend == "networkx"
    monkeypatch.setattr(analysis, "LARGE_GRAPH", 5)
    assert graph_measures(NODES, EDGES).backend == "igraph"


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown analysis backend"):
        graph_measures(NODES, EDGES, "graphviz")


def test_analyze_has_the_same_shape_with_either_backend(extractor, lexicon):
    doc = parse_document("思杰公司收购了XenSource。红帽收购了Qumranet。红帽选择了KVM。Canonical选择了KVM。"
                         "2008年，微软与Novell合作。".encode(), "news.md")
    claims = extractor.extract(doc)
    kg = build_graph([doc], claims, entities_for(claims, lexicon))
    small, large = analyze(kg, backend="networkx"), analyze(kg, backend="igraph")
    assert small.keys() == large.keys()
    assert small["entities"].keys() == large["entities"].keys() >= {"citrix", "xensource", "red-hat", "kvm"}
    for e, d in small["entities"].items():
        assert d.keys() == large["entities"][e].keys()
        assert large["entities"][e]["pagerank"] == pytest.approx(d["pagerank"], abs=1e-4)
    assert small["components"] == large["components"]
    assert sorted(map(sorted, small["communities"])) == sorted(map(sorted, large["communities"]))
    assert small["method"] == {"backend": "networkx", "betweenness": "exact"}
    assert large["method"] == {"backend": "igraph", "betweenness": "exact"}
    assert b"sampled" not in analysis_markdown(large)
