"""The Python API behind ``kg build``: load → extract → graph → export → analysis → HTML.

>>> result = build(["seeds"], "output")            # doctest: +SKIP
>>> result.graph.store().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .analysis import analysis_json, analysis_markdown, analyze
from .export import iter_exports, write_atomic
from .extract import Extractor
from .graph import DEFAULT_BASE, KnowledgeGraph, build_graph
from .lexicon import Entity, Lexicon
from .load import LoadError, document_id, find_documents, load_document, parse_document
from .model import Claim, Document
from .progress import Progress
from .resources import ONTOLOGY_DIR
from .report import render_report
from .validate import Report, ValidationError, infer, validate_graph
from .visualize import render_html


class OutputFiles(Mapping[str, bytes]):
    """The files a build made, by name.

    Without an output directory they stay in memory. With one, each file is staged on disk as soon as
    it is rendered and read back when asked for, so a large build never holds every export at once;
    ``commit`` then moves them all into the directory. Two builds' files compare by content digest.
    """

    def __init__(self, out: Path | None = None):
        self.out = out
        self.digests: dict[str, str] = {}
        self._data: dict[str, bytes] = {}
        self._stage: Path | None = None

    def add(self, name: str, data: bytes) -> None:
        self.digests[name] = hashlib.blake2b(data, digest_size=16).hexdigest()
        if self.out is None:
            self._data[name] = data
            return
        if self._stage is None:  # ``build`` has checked the directory (check_output_dir)
            self.out.mkdir(parents=True, exist_ok=True)
            self._stage = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=self.out))
        write_atomic(self._stage / name, data)

    def commit(self) -> None:
        """Move the staged files into the output directory, one atomic rename each."""
        if self._stage is not None:
            for name in sorted(self.digests):
                os.replace(self._stage / name, self.out / name)
        self.discard()

    def discard(self) -> None:
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None

    def __getitem__(self, name: str) -> bytes:
        if self.out is None or name not in self.digests:
            return self._data[name]
        data = (self.out / name).read_bytes()
        if hashlib.blake2b(data, digest_size=16).hexdigest() != self.digests[name]:
            raise RuntimeError(f"{self.out / name}: changed since this build wrote it")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self.digests)

    def __len__(self) -> int:
        return len(self.digests)

    def __eq__(self, other) -> bool:
        if isinstance(other, OutputFiles):
            return self.digests == other.digests
        return Mapping.__eq__(self, other)

    __hash__ = None


@dataclass
class BuildResult:
    """What a build made, and which documents failed (path → message)."""

    graph: KnowledgeGraph
    analysis: dict
    files: OutputFiles
    errors: dict[str, str] = field(default_factory=dict)
    validation: Report | None = None


def unique_ids(paths: list[Path]) -> dict[Path, str]:
    """A document id per path; ids that would clash get a suffix from their path, whatever the order."""
    ids = {p: document_id(p) for p in paths}
    counts: dict[str, int] = {}
    for i in ids.values():
        counts[i] = counts.get(i, 0) + 1
    return {p: (i if counts[i] == 1 else f"{i}-{hashlib.sha1(p.as_posix().encode()).hexdigest()[:6]}")
            for p, i in ids.items()}


# Modules whose code decides what extraction produces; their bytes are part of the cache key.
EXTRACTION_MODULES = ("dates.py", "extract.py", "lexicon.py", "load.py", "model.py", "normalize.py", "ontology.py",
                      "pipeline.py", "resources.py")


def extraction_fingerprint(extractor: Extractor, encoding: str | None = None) -> str:
    """A hash of everything extraction depends on besides the document itself: the kg version and
    code, the data files under ontology/ (patterns, languages, ontology), the lexicon's entities and
    file, the ontology's relations and class hierarchy, and the encoding option."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for name in EXTRACTION_MODULES:
        h.update(name.encode() + b"\0" + (package / name).read_bytes())
    for f in sorted(ONTOLOGY_DIR.glob("*")):
        if f.suffix in (".yaml", ".ttl") and f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    lexicon, ontology = extractor.lexicon, extractor.ontology
    h.update(repr(sorted(lexicon.entities.items())).encode())
    if Path(lexicon.source).is_file():
        h.update(Path(lexicon.source).read_bytes())
    h.update(repr(sorted((r.name, sorted(r.domain), sorted(r.range), r.symmetric)
                         for r in ontology.relations.values())).encode())
    h.update(repr(sorted((a, b) for a in ontology.classes for b in ontology.classes if ontology.is_a(a, b))).encode())
    h.update(repr(encoding).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class ExtractionJob:
    """What every worker needs: the extractor, the encoding option and the cache (None: no cache)."""

    extractor: Extractor
    encoding: str | None = None
    cache: Path | None = None
    fingerprint: str = ""


@dataclass(frozen=True)
class Extracted:
    """One file's outcome: its document (without source text) and claims, or the reason it failed."""

    path: Path
    document: Document | None
    claims: list[Claim]
    error: str | None
    key: str | None
    size: int


def _cache_file(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.json"


def _cache_read(cache: Path, key: str) -> tuple[Document, list[Claim]] | None:
    """The document and claims stored under ``key``, or None when absent or unreadable."""
    try:
        record = json.loads(_cache_file(cache, key).read_bytes())
        meta = dict(record["document"], metadata=tuple(tuple(kv) for kv in record["document"]["metadata"]))
        return Document(source="", sentences=(), **meta), [Claim(**c) for c in record["claims"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_write(cache: Path, key: str, doc: Document, claims: list[Claim]) -> None:
    meta = {f.name: getattr(doc, f.name) for f in fields(doc) if f.name not in ("source", "sentences")}
    record = {"document": meta, "claims": [asdict(c) for c in claims]}
    path = _cache_file(cache, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def prune_cache(cache: Path, keep: set[str]) -> int:
    """Delete cache entries not in ``keep`` (documents gone or changed); returns how many."""
    removed = 0
    for f in cache.glob("*/*.json") if cache.is_dir() else ():
        if f.stem not in keep:
            f.unlink(missing_ok=True)
            removed += 1
    return removed


def extract_file(job: ExtractionJob, path: Path, doc_id: str) -> Extracted:
    """Load and extract one file, or take its claims from the cache when its key is there.

    The document comes back without its source text and sentences: the graph needs only its
    metadata, and dropping them keeps memory bounded on large corpora.
    """
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    key = None
    if data is not None and job.cache is not None:
        key = hashlib.sha256(f"{job.fingerprint}\0{path.as_posix()}\0{doc_id}\0".encode() + data).hexdigest()
        hit = _cache_read(job.cache, key)
        if hit is not None:
            return Extracted(path, hit[0], hit[1], None, key, len(data))
    try:
        doc = (parse_document(data, path, doc_id, job.encoding) if data is not None
               else load_document(path, doc_id, job.encoding))
    except LoadError as exc:
        return Extracted(path, None, [], exc.problem, None, len(data or b""))
    claims = job.extractor.extract(doc)
    doc = replace(doc, source="", sentences=())
    if key is not None:
        _cache_write(job.cache, key, doc, claims)
    return Extracted(path, doc, claims, None, key, len(data))


_WORKER_JOB: ExtractionJob | None = None


def _init_worker(job: ExtractionJob) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _extract_task(task: tuple[Path, str]) -> Extracted:
    return extract_file(_WORKER_JOB, *task)


def extract_all(job: ExtractionJob, tasks: list[tuple[Path, str]], jobs: int = 1) -> Iterator[Extracted]:
    """Results in task order, from ``jobs`` worker processes (documents are independent).

    Workers take small chunks of files and results stream back in order, so only the claims of
    finished documents are held, never the texts of the whole corpus.
    """
    jobs = (os.cpu_count() or 1) if jobs <= 0 else jobs
    if jobs == 1 or len(tasks) < 2:
        for task in tasks:
            yield extract_file(job, *task)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    with context.Pool(min(jobs, len(tasks)), initializer=_init_worker, initargs=(job,)) as pool:
        yield from pool.imap(_extract_task, tasks, chunksize=chunk)


def extract_documents(paths: list[str | Path], extractor: Extractor | None = None,
                      encoding: str | None = None, jobs: int = 1, cache: str | Path | None = None,
                      progress: bool = False) -> tuple[list[Document], list[Claim], dict[str, str]]:
    """Load and extract each document; a failing one is reported and skipped, the others go on.

    ``jobs`` worker processes share the files (0: one per core); with a ``cache`` directory, a
    document whose bytes, path and extraction fingerprint are unchanged is read from the cache
    instead of being extracted again, and entries of documents no longer built are removed.
    Documents come back without their source text (see ``extract_file``).
    """
    extractor = extractor or Extractor()
    files = find_documents(paths)
    ids = unique_ids(files)
    cache_dir = Path(cache) if cache is not None else None
    job = ExtractionJob(extractor, encoding, cache_dir,
                        extraction_fingerprint(extractor, encoding) if cache_dir is not None else "")
    documents, claims, errors, keys = [], [], {}, set()
    with Progress(len(files), "extracting", enabled=None if progress else False) as bar:
        for r in extract_all(job, [(f, ids[f]) for f in files], jobs):
            bar.advance(1, r.size)
            if r.error is not None:
                errors[str(r.path)] = r.error
                continue
            documents.append(r.document)
            claims.extend(r.claims)
            if r.key is not None:
                keys.add(r.key)
    if cache_dir is not None:
        prune_cache(cache_dir, keys)
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


CACHE_DIR = Path(".cache") / "extract"


def build(paths: list[str | Path], out: str | Path | None = "output", base: str = DEFAULT_BASE,
          encoding: str | None = None, lexicon: Lexicon | None = None, jobs: int = 1, cache: bool = True,
          progress: bool = False,
          stage: Callable[[str], AbstractContextManager] | None = None,
          validate: bool = True, reason: bool = False) -> BuildResult:
    """Build the graph of ``paths`` and, when ``out`` is given, write every output file into it.

    Files are first written into a temporary directory beside ``out`` and then moved in one by one
    with atomic renames, so an interrupted build leaves the previous outputs whole. ``jobs`` and
    ``cache`` (kept in ``out``/.cache/extract) speed up extraction without changing any output;
    ``progress`` draws a progress bar on stderr when it is a terminal; ``stage(name)``, when given,
    wraps each stage (extract, graph, analysis, export, html, write), e.g. to time it.

    ``reason`` adds what OWL 2 RL entails (``kg.validate.infer``); ``validate`` checks the graph
    against ontology/shapes.ttl and raises ``ValidationError`` before anything is written.
    """
    stage = stage or (lambda name: nullcontext())
    if out is not None:
        check_output_dir(Path(out))
    lexicon = lexicon or Lexicon.load()
    cache_dir = Path(out) / CACHE_DIR if cache and out is not None else None
    with stage("extract"):
        documents, claims, errors = extract_documents(paths, Extractor(lexicon=lexicon), encoding, jobs=jobs,
                                                      cache=cache_dir, progress=progress)
    with stage("graph"):
        graph = build_graph(documents, claims, entities_for(claims, lexicon), base)
    if reason:
        with stage("reason"):
            graph = infer(graph)
    report = None
    if validate:
        with stage("validate"):
            report = validate_graph(graph)
        if not report.conforms:
            raise ValidationError(report)
    with stage("analysis"):
        result = analyze(graph)
    files = OutputFiles(Path(out) if out is not None else None)
    try:
        with stage("export"):
            for name, data in iter_exports(graph):
                files.add(name, data)
            files.add("analysis.json", analysis_json(result))
            files.add("analysis.md", analysis_markdown(result))
        title = ", ".join(d.title for d in graph.documents[:3])
        with stage("html"):
            files.add("graph.html", render_html(graph, "Knowledge graph: " + title))
            files.add("report.html", render_report(graph, result, "Report: " + title))
        with stage("write"):
            files.commit()
    finally:
        files.discard()
    return BuildResult(graph, result, files, errors, report)


def check_output_dir(out: Path) -> None:
    """Fail before any work when ``out`` cannot become the output directory: it, or the nearest of
    its parents that exists, is not a writable directory."""
    for p in (out, *out.parents):
        if p.exists():
            if not p.is_dir():
                raise NotADirectoryError(f"{p}: not a directory, so {out} cannot be the output directory")
            if not os.access(p, os.W_OK | os.X_OK):
                raise PermissionError(f"{p}: directory is not writable, so {out} cannot be the output directory")
            return
