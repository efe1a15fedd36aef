"""Locating and reading the data files under ontology/ and queries/ (cached; read once per process)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def _data_dir(name: str) -> Path:
    """``kg/<name>`` in an installed copy, else ``<name>/`` beside the package in a source checkout."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else ROOT / name


ONTOLOGY_DIR = _data_dir("ontology")
QUERIES_DIR = _data_dir("queries")


@lru_cache(maxsize=None)
def read_yaml(name: str) -> dict:
    """Parse ``ontology/<name>``."""
    with open(ONTOLOGY_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def rdf_file(data: str | Path, error: type[Exception],
             missing: str = "no such data file (run `kg build` first, or give --data)"):
    """An existing RDF file and its pyoxigraph format, from the extension; else ``error`` naming the file."""
    import pyoxigraph as ox

    path = Path(data)
    if not path.is_file():
        raise error(f"{path}: {missing}")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise error(f"{path}: unknown RDF format {path.suffix!r}")
    return path, fmt


def language_data() -> dict:
    """Cue words per language (negation, modality, pronouns, …) from ontology/languages.yaml."""
    return read_yaml("languages.yaml")
