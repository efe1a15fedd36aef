"""Dates and money amounts in sentences: 2008年, 07年, 2011年初期, in September 2009, early 2011,
五年前 / two years ago (against the document date), 两年后 / two years later (after the last date
read), 5亿美元, $500 million. Words come from ontology/languages.yaml; the shapes are rules here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import language_data


@dataclass(frozen=True)
class DateMention:
    """A date read in a sentence; ``relative`` when counted from another date."""

    start: int
    end: int
    year: int
    text: str
    qualifier: str = ""
    relative: bool = False


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: float
    currency: str
    text: str

    def normalized(self) -> str:
        """The amount as written, with its value in units, e.g. '5亿美元 (500000000 USD)'."""
        return f"{self.text} ({self.value:.0f} {self.currency})"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(lang: str) -> dict[str, re.Pattern]:
    data = language_data()[lang]
    nums = _alternation(data["numerals"])
    quals = _alternation(data["date_qualifiers"])
    rel = _alternation(data["relative_years"])
    fol = _alternation(data["following_years"])
    units = _alternation(data["money_units"])
    cur = _alternation(data["currencies"])
    if lang == "zh":
        return {
            "year": re.compile(rf"(?<![\d.])((?:19|20)\d\d)(?!\.?\d)(?:\s*年)?(?:\s*(?:\d{{1,2}}\s*月)?)\s*({quals})?"),
            "short": re.compile(rf"(?<![\d.])[’'‘]?(0\d|9\d)年({quals})?"),
            "ago": re.compile(rf"(\d+|{nums})\s*年(?:前|以前|之前)"),
            "later": re.compile(rf"(\d+|{nums})\s*年(?:后|以后|之后)"),
            "rel": re.compile(rf"({rel})"),
            "fol": re.compile(rf"({fol})"),
            "money": re.compile(rf"(\d+(?:\.\d+)?)\s*({units})?\s*({cur})"),
        }
    return {
        "year": re.compile(rf"(?:\b({quals})[\s-]*)?(?:\b(?:{_alternation(data['months'])})\.?\s+(?:\d{{1,2}},?\s+)?)?(?<![\d.$])\b((?:19|20)\d\d)\b(?!\.?\d)"),
        "short": re.compile(r"(?<!\w)[’'‘](0\d|9\d)\b"),
        "ago": re.compile(rf"\b(\d+|{nums})\s+years?\s+(?:ago|earlier|before)\b"),
        "later": re.compile(rf"\b(\d+|{nums})\s+years?\s+(?:later|after(?:wards)?)\b"),
        "rel": re.compile(rf"\b({rel})\b"),
        "fol": re.compile(rf"\b({fol})\b"),
        "money": re.compile(rf"(?:({cur})\s?)(\d+(?:\.\d+)?)(?:\s*({units})\b)?"),
    }


def _number(token: str, lang: str) -> int:
    return int(token) if token.isdigit() else int(language_data()[lang]["numerals"].get(token, 0))


def find_dates(folded: str, lang: str, doc_year: int | None, last_year: int | None,
               masked: list[tuple[int, int]] = ()) -> list[DateMention]:
    """Dates in a folded sentence; spans inside ``masked`` (entity mentions) are ignored.

    >>> [d.year for d in find_dates("在2011年初期", "zh", 2022, None)]
    [2011]
    """
    base = "zh" if lang.startswith("zh") else "en"
    pats = _patterns(base)
    data = language_data()[base]
    quals = data["date_qualifiers"]
    out: list[DateMention] = []

    def free(s: int, e: int) -> bool:
        return not any(s < me and ms < e for ms, me in masked)

    for m in pats["year"].finditer(folded):
        if not free(*m.span()):
            continue
        if base == "zh":
            year, qual = int(m.group(1)), quals.get(m.group(2) or "", "")
        else:
            year, qual = int(m.group(2)), quals.get((m.group(1) or ""), "")
        out.append(DateMention(m.start(), m.end(), year, folded[m.start():m.end()].strip(), qual))
    for m in pats["short"].finditer(folded):
        if free(*m.span()) and not any(d.start <= m.start() < d.end for d in out):
            yy = int(m.group(1))
            out.append(DateMention(m.start(), m.end(), (1900 if yy >= 90 else 2000) + yy, m.group(0)))
    if doc_year:
        for m in pats["ago"].finditer(folded):
            out.append(DateMention(m.start(), m.end(), doc_year - _number(m.group(1), base), m.group(0), relative=True))
        for m in pats["rel"].finditer(folded):
            out.append(DateMention(m.start(), m.end(), doc_year + int(data["relative_years"][m.group(1)]),
                                   m.group(0), relative=True))
    absolute = sorted((d.start, d.year) for d in out if not d.relative)

    def base_year(pos: int) -> int | None:
        """The date a 'later' counts from: the last one before it in the sentence, else the last one read."""
        before = [y for s, y in absolute if s < pos]
        return before[-1] if before else last_year

    for m in pats["later"].finditer(folded):
        if (b := base_year(m.start())) is not None:
            out.append(DateMention(m.start(), m.end(), b + _number(m.group(1), base), m.group(0), relative=True))
    for m in pats["fol"].finditer(folded):
        if (b := base_year(m.start())) is not None:
            out.append(DateMention(m.start(), m.end(), b + int(data["following_years"][m.group(1)]),
                                   m.group(0), relative=True))
    return sorted(out, key=lambda d: d.start)


def find_amounts(folded: str, lang: str) -> list[Amount]:
    """Money amounts: 5亿美元, 1.07亿美元, $500 million, US$107 million."""
    base = "zh" if lang.startswith("zh") else "en"
    data = language_data()[base]
    out = []
    for m in _patterns(base)["money"].finditer(folded):
        if base == "zh":
            number, unit, cur = m.group(1), m.group(2), m.group(3)
        else:
            cur, number, unit = m.group(1), m.group(2), m.group(3)
        value = float(number) * (data["money_units"].get(unit, 1) if unit else 1)
        out.append(Amount(m.start(), m.end(), value, data["currencies"][cur], m.group(0).strip()))
    return out
