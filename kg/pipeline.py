"""The Python API behind ``kg build``: load → extract → graph → export → analysis → HTML.

>>> result = build(["seeds"], "output")            # doctest: +SKIP
>>> result.graph.store().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # doctest: +SKIP
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import analysis_json, analysis_markdown, analyze
from .export import render_exports, write_atomic
from .extract import Extractor
from .graph import DEFAULT_BASE, KnowledgeGraph, build_graph
from .lexicon import Entity, Lexicon
from .load import LoadError, document_id, find_documents, load_document
from .model import Claim, Document
from .report import render_report
from .visualize import render_html


@dataclass
class BuildResult:
    """What a build made, and which documents failed (path → message)."""

    graph: KnowledgeGraph
    analysis: dict
    files: dict[str, bytes]
    errors: dict[str, str] = field(default_factory=dict)


def unique_ids(paths: list[Path]) -> dict[Path, str]:
    """A document id per path; ids that would clash get a suffix from their path, whatever the order."""
    ids = {p: document_id(p) for p in paths}
    counts: dict[str, int] = {}
    for i in ids.values():
        counts[i] = counts.get(i, 0) + 1
    import hashlib

    return {p: (i if counts[i] == 1 else f"{i}-{hashlib.sha1(p.as_posix().encode()).hexdigest()[:6]}")
            for p, i in ids.items()}


def extract_documents(paths: list[str | Path], extractor: Extractor | None = None,
                      encoding: str | None = None) -> tuple[list[Document], list[Claim], dict[str, str]]:
    """Load and extract each document; a failing one is reported and skipped, the others go on."""
    extractor = extractor or Extractor()
    files = find_documents(paths)
    ids = unique_ids(files)
    documents, claims, errors = [], [], {}
    for f in files:
        try:
            doc = load_document(f, ids[f], encoding)
        except LoadError as exc:
            errors[str(f)] = exc.problem
            continue
        documents.append(doc)
        claims.extend(extractor.extract(doc))
    return documents, claims, errors


def entities_for(claims: list[Claim], lexicon: Lexicon) -> dict[str, Entity]:
    """Lexicon entities plus the discovered ones that claims name."""
    entities = dict(lexicon.entities)
    found: dict[str, dict[tuple[str, str], int]] = {}
    for c in claims:
        for e, text, cls, discovered in ((c.subject, c.subject_text, c.subject_class, c.subject_discovered),
                                         (c.object, c.object_text, c.object_class, c.object_discovered)):
            if e not in entities and discovered:
                votes = found.setdefault(e, {})
                votes[(cls, text)] = votes.get((cls, text), 0) + 1
    for e, votes in sorted(found.items()):
        # The most frequent class and surface form win; ties go to the alphabetically first.
        (cls, _), _ = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        labels = sorted({t for _, t in votes}, key=lambda t: (-sum(n for (c, x), n in votes.items() if x == t), t))
        entities[e] = Entity(id=e, cls=cls, en=labels[0], aliases=tuple(labels[1:]), discovered=True)
    return entities


def build(paths: list[str | Path], out: str | Path | None = "output", base: str = DEFAULT_BASE,
          encoding: str | None = None, lexicon: Lexicon | None = None) -> BuildResult:
    """Build the graph of ``paths`` and, when ``out`` is given, write every output file into it.

    Files are first written into a temporary directory beside ``out`` and then moved in one by one
    with atomic renames, so an interrupted build leaves the previous outputs whole.
    """
    lexicon = lexicon or Lexicon.load()
    documents, claims, errors = extract_documents(paths, Extractor(lexicon=lexicon), encoding)
    graph = build_graph(documents, claims, entities_for(claims, lexicon), base)
    result = analyze(graph)
    files = render_exports(graph)
    files["analysis.json"] = analysis_json(result)
    files["analysis.md"] = analysis_markdown(result)
    files["graph.html"] = render_html(graph, "Knowledge graph: " + ", ".join(d.title for d in graph.documents[:3]))
    files["report.html"] = render_report(graph, result, "Report: " + ", ".join(d.title for d in graph.documents[:3]))
    if out is not None:
        write_outputs(Path(out), files)
    return BuildResult(graph, result, files, errors)


def write_outputs(out: Path, files: dict[str, bytes]) -> None:
    """Write all files into ``out`` atomically per file (staged in a temporary directory first)."""
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(out, os.W_OK):
        raise PermissionError(f"{out}: output directory is not writable")
    stage = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out))
    try:
        for name, data in sorted(files.items()):
            write_atomic(stage / name, data)
        for name in sorted(files):
            os.replace(stage / name, out / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
