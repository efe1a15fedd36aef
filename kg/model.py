"""The data model that flows through the pipeline: Document → Sentence → Mention → Claim.

All offsets are character offsets into ``Document.source``, the decoded text of the file, so that
``doc.source[m.start:m.end]`` is the text a mention was read from.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document body, with Markdown markup removed from ``text``.

    ``start``/``end`` delimit the sentence in the source; ``offsets[i]`` is the source offset of
    ``text[i]`` (markup removal and line joining make the two differ).
    """

    index: int
    text: str
    start: int
    end: int
    offsets: tuple[int, ...] = field(repr=False, compare=False)

    def source_span(self, i: int, j: int) -> tuple[int, int]:
        """Source offsets of ``text[i:j]``."""
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass(frozen=True)
class Document:
    """A loaded article: its decoded source, front-matter metadata and sentences."""

    id: str
    path: str
    source: str
    encoding: str
    lang: str
    title: str
    date: str | None
    metadata: tuple[tuple[str, str], ...]
    sentences: tuple[Sentence, ...]

    @property
    def meta(self) -> dict[str, str]:
        return dict(self.metadata)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Mention:
    """An entity named in a sentence; ``start``/``end`` are offsets into the sentence text.

    A pronoun or definite description (其, 该公司, it) is a mention too, with ``coref`` set to the
    mention it was resolved to; ``possessive`` marks determiners such as 其/its, which name an owner
    but are never a relation's argument.
    """

    entity: str
    start: int
    end: int
    text: str
    cls: str
    discovered: bool = False
    coref: bool = False
    possessive: bool = False
    # For a pronoun of no fixed class (it, 它们): the other candidate antecedents as (entity, class,
    # discovered), tried in order when the first does not fit a relation ("It was based on Linux 2.6").
    alternatives: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class Claim:
    """One relation read in one sentence, with its evidence and qualifiers."""

    subject: str
    predicate: str
    object: str
    doc_id: str
    sentence_index: int
    sentence: str
    sentence_start: int
    sentence_end: int
    subject_text: str
    subject_start: int
    subject_end: int
    object_text: str
    object_start: int
    object_end: int
    rule: str
    confidence: float
    polarity: str = "positive"
    modality: str = "asserted"
    year: int | None = None
    date_text: str | None = None
    relative_date: bool = False
    amount: str | None = None
    subject_class: str = ""
    object_class: str = ""
    subject_discovered: bool = False
    object_discovered: bool = False

    @property
    def asserted(self) -> bool:
        """True when the claim states the relation as a fact (positive, not a plan)."""
        return self.polarity == "positive" and self.modality == "asserted"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)
