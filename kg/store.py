"""On-disk stores, so a large graph is loaded once and queried many times (``--store DIR``).

A store directory is an Oxigraph (RocksDB) database plus ``kg-store.json``, which names the digest
of the quads it holds. Saving a build whose quads have that digest reuses the store untouched; any
other build is loaded into a fresh directory beside it that then replaces it, so a reader never sees
half a load. ``oxigraph serve --location DIR`` can serve the same directory.
"""
from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .export import write_atomic
from .resources import rdf_file

MARKER = "kg-store.json"


class StoreError(Exception):
    """A store directory that cannot be opened, loaded or replaced; the message says why."""


@dataclass(frozen=True)
class StoreInfo:
    """A saved store: where it is, how many quads it holds, their digest, and whether it was reused."""

    path: Path
    quads: int
    digest: str
    reused: bool


class _Hasher(io.RawIOBase):
    """A writable sink that feeds a SHA-256, so serializing for a digest holds nothing in memory."""

    def __init__(self):
        super().__init__()
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.sha.update(chunk)
        return len(chunk)


def digest(quads: Sequence[ox.Quad]) -> str:
    """SHA-256 of the quads as N-Quads, in the given (sorted) order."""
    sink = _Hasher()
    ox.serialize(quads, sink, format=ox.RdfFormat.N_QUADS)
    return sink.sha.hexdigest()


def read_marker(directory: str | Path) -> dict | None:
    """The marker of a kg store directory, or None when there is none."""
    try:
        return json.loads((Path(directory) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(quads: Sequence[ox.Quad], directory: str | Path) -> StoreInfo:
    """Make ``directory`` a store holding exactly ``quads``, reusing it when it already does."""
    path = Path(directory)
    wanted = digest(quads)
    marker = read_marker(path)
    if marker and marker.get("digest") == wanted:
        return StoreInfo(path, len(quads), wanted, True)
    if path.exists() and (not path.is_dir() or (marker is None and any(path.iterdir()))):
        raise StoreError(f"{path}: exists and is not a kg store; refusing to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    try:
        store = ox.Store(str(fresh))
        store.bulk_extend(quads)
        store.flush()
        del store
        gc.collect()
        write_atomic(fresh / MARKER, json.dumps({"digest": wanted, "quads": len(quads)}, indent=1).encode() + b"\n")
        _swap(fresh, path)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError(f"{path}: cannot write the store: {exc}") from None
    return StoreInfo(path, len(quads), wanted, False)


def _swap(fresh: Path, path: Path) -> None:
    """Put ``fresh`` in place of ``path`` with renames, then delete the old directory."""
    if not path.exists():
        os.rename(fresh, path)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
    os.rename(path, old / "store")
    os.rename(fresh, path)
    shutil.rmtree(old, ignore_errors=True)


def load_file(data: str | Path, directory: str | Path) -> int:
    """Bulk-load an RDF file (format from its extension) into a new store at ``directory``; the quad count."""
    path, fmt = rdf_file(data, StoreError)
    try:
        store = ox.Store(str(directory))
        store.bulk_load(path=str(path), format=fmt)
        store.flush()
        count = len(store)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: cannot load: {exc}") from None
    del store
    gc.collect()
    return count


def open_store(directory: str | Path) -> ox.Store:
    """A read-only view of a store directory (any Oxigraph store, kg's or not)."""
    path = Path(directory)
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"{path}: no store here (make one with `kg build --store {path}`)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from None
