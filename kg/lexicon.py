"""The lexicon: entities of the field with labels and aliases, and the mention scanner.

Entities come from ontology/lexicon.yaml. Mentions are found with one Aho-Corasick automaton over
folded text (see ``kg.normalize.fold``): longest match wins, Latin aliases need word boundaries,
and generic phrases (Linux厂商, "Linux vendors") consume text without naming an entity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml

from .normalize import fold, is_word_char
from .resources import ONTOLOGY_DIR

GENERIC = ""


@dataclass(frozen=True)
class Entity:
    """One lexicon entry (or an entity discovered in text, with ``discovered`` set)."""

    id: str
    cls: str
    en: str
    zh: str = ""
    zh_hant: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    release_of: str = ""
    vendor: str = ""
    year: int | None = None
    roles: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    discovered: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """Every surface form: preferred labels first, then aliases."""
        return tuple(dict.fromkeys(x for x in (self.en, self.zh, self.zh_hant, *self.aliases) if x))


_NAME_SUFFIXES = ("股份有限公司", "有限公司", "公司", "集团", " inc.", " inc", " corp.", " corp", " ltd.", " ltd",
                  " corporation", " co.", ", inc.")


def normalize_name(name: str) -> str:
    """A discovered name folded for merging: case, script and company suffixes do not matter.

    >>> normalize_name("Nicira, Inc.") == normalize_name("nicira")
    True
    """
    key = " ".join(fold(name).split())
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)].rstrip(" ,")
                changed = True
    return key


def discovered_id(name: str) -> str:
    """The entity id of a name the lexicon lacks, the same in every document.

    >>> discovered_id("Nicira Inc.")
    'nicira'
    """
    key = normalize_name(name)
    slug = "".join(c if c.isalnum() else "-" for c in key)
    return "-".join(filter(None, slug.split("-"))) or "unnamed"


class LexiconError(Exception):
    """The lexicon file is malformed; the message names the entry."""


class Lexicon:
    """Entities by id and a scanner for their mentions.

    >>> lex = Lexicon.load()
    >>> [(m[2], m[0], m[1]) for m in lex.scan("红帽收购了Qumranet")][:1]
    [('red-hat', 0, 2)]
    """

    def __init__(self, entities: list[Entity], generic: list[str] = (), source: str = "lexicon"):
        self.source = source
        self.entities: dict[str, Entity] = {}
        for e in entities:
            if e.id in self.entities:
                raise LexiconError(f"{source}: entity id {e.id!r} is used twice")
            self.entities[e.id] = e
        self._index: dict[str, str] = {}
        self._releases: dict[tuple[str, str], str] = {}
        self._automaton = ahocorasick.Automaton()
        for e in entities:
            for label in e.labels:
                self._add(fold(label), e.id)
        for phrase in generic:
            key = fold(phrase)
            if key not in self._index:
                self._add(key, GENERIC)
        if len(self._automaton):
            self._automaton.make_automaton()

    def _add(self, key: str, entity_id: str) -> None:
        key = key.strip()
        if not key:
            return
        self._index.setdefault(key, entity_id)
        if self._index[key] == entity_id:
            self._automaton.add_word(key, (len(key), entity_id))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        """Read a lexicon YAML file (default: ontology/lexicon.yaml)."""
        path = Path(path) if path else ONTOLOGY_DIR / "lexicon.yaml"
        return _load_cached(str(path.resolve()))

    def release(self, product: str, version: str) -> str | None:
        """The id of ``product``'s release numbered ``version`` (RHEL + "6" → rhel-6), if any."""
        if not self._releases:
            for e in self.entities.values():
                if e.release_of:
                    for label in e.labels:
                        number = label.rsplit(" ", 1)[-1]
                        if number[:1].isdigit():
                            self._releases.setdefault((e.release_of, number), e.id)
        return self._releases.get((product, version))

    def lookup(self, name: str) -> str | None:
        """The entity id a label or alias names, or None."""
        return self._index.get(fold(name).strip()) or None

    def scan(self, text: str, folded: str | None = None) -> list[tuple[int, int, str]]:
        """Find (start, end, entity id) in ``text``; generic phrases have the id ``""``.

        Matches are non-overlapping; where aliases overlap the longest wins.
        """
        folded = fold(text) if folded is None else folded
        if not len(self._automaton):
            return []
        found = []
        n = len(folded)
        for end, (length, entity_id) in self._automaton.iter(folded):
            start = end - length + 1
            if is_word_char(folded[start]) and start > 0 and is_word_char(folded[start - 1]):
                continue
            if is_word_char(folded[end]) and end + 1 < n and (
                    is_word_char(folded[end + 1])
                    or (folded[end].isdigit() and folded[end + 1] == "." and end + 2 < n and folded[end + 2].isdigit())):
                continue
            found.append((start, end + 1, entity_id))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        chosen: list[tuple[int, int, str]] = []
        for start, end, entity_id in found:  # longest first, then leftmost
            if all(end <= s or e <= start for s, e, _ in chosen):
                chosen.append((start, end, entity_id))
        return sorted(chosen)


def _entity_from(record: dict, source: str) -> Entity:
    try:
        roles = tuple((r.get("title", ""), r.get("of", ""), str(r.get("from", ""))) for r in record.get("roles") or ())
        year = record.get("year")
        return Entity(
            id=str(record["id"]), cls=str(record["class"]), en=str(record["en"]),
            zh=str(record.get("zh") or ""), zh_hant=str(record.get("zh-hant") or ""),
            aliases=tuple(str(a) for a in record.get("aliases") or ()),
            description=str(record.get("description") or ""),
            release_of=str(record.get("release-of") or ""), vendor=str(record.get("vendor") or ""),
            year=int(year) if year else None, roles=roles)
    except (KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"{source}: entry {record.get('id', record)!r} is malformed: {exc}") from None


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Lexicon:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}") from None
    entities = [_entity_from(r, path) for r in data.get("entities") or ()]
    return Lexicon(entities, [str(g) for g in data.get("generic") or ()], source=path)
