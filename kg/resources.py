"""Locating and reading the data files under ontology/ and queries/ (cached; read once per process)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"


@lru_cache(maxsize=None)
def read_yaml(name: str) -> dict:
    """Parse ``ontology/<name>``."""
    with open(ONTOLOGY_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def language_data() -> dict:
    """Cue words per language (negation, modality, pronouns, …) from ontology/languages.yaml."""
    return read_yaml("languages.yaml")
