"""Length-preserving text normalization for matching.

``fold(text)`` has the same length as ``text``, so an offset found in the folded text is an offset
in the original. It lower-cases, folds full-width forms (ＫＶＭ → kvm) and maps traditional Chinese
characters to simplified ones one character at a time (虛擬化 → 虚拟化) and curly apostrophes to
straight ones, which lets one lexicon and one set of patterns serve
both scripts while evidence keeps the original characters.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


class _FoldTable(dict):
    """A ``str.translate`` table that computes and caches the folding of each character on demand."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        if ch in "\u2018\u2019":  # curly apostrophes: doesn’t, Citrix’s
            self[code] = ord("'")
            return self[code]
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        lowered = folded.lower()
        if len(lowered) == 1:
            folded = lowered
        if "\u3400" <= folded <= "\u9fff" or "\uf900" <= folded <= "\ufaff":
            simplified = _T2S.convert(folded)
            if len(simplified) == 1:
                folded = simplified
        self[code] = ord(folded)
        return self[code]


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold ``text`` for matching without changing its length.

    >>> fold("紅帽 RHEL")
    '红帽 rhel'
    """
    return text.translate(_TABLE)


def is_word_char(ch: str) -> bool:
    """True for characters that glue Latin words together (ASCII letters and digits)."""
    return ch.isascii() and ch.isalnum()


@lru_cache(maxsize=4096)
def t2s_ratio(text: str) -> float:
    """Share of Chinese characters that change under traditional→simplified conversion."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for c in han if fold(c) != c) / len(han)
