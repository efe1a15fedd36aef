"""Shared fixtures: a small test lexicon and helpers that run snippets through the pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.lexicon import Lexicon
from kg.load import parse_document

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load(DATA / "lexicon.yaml")


@pytest.fixture(scope="session")
def extractor(lexicon) -> Extractor:
    return Extractor(lexicon=lexicon)


@pytest.fixture
def claims_of(extractor):
    """Claims of a snippet as (subject, predicate, object, polarity) tuples, plus the Claim list."""

    def run(text: str, front: str = "", full: bool = False):
        doc = parse_document((front + text).encode("utf-8"), "snippet.md")
        claims = extractor.extract(doc)
        if full:
            return claims
        return {(c.subject, c.predicate, c.object, c.polarity) for c in claims}

    return run
