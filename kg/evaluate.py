"""Evaluation against gold claims: precision, recall and F1, overall and per relation.

A gold file is UTF-8 TSV with the header ``subject relation object year polarity``. Names are
resolved through the lexicon's labels and aliases (a name the lexicon lacks is matched the way
discovered entities are named). Claims match on (subject, relation, object, polarity), both
directions for symmetric relations; planned claims are not counted, and years are compared on
matched claims and reported separately. A gold file that belongs to one article (``doc``) is
matched only against that article's claims, so a claim found in one article cannot stand in for
a claim missed in another.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import Lexicon, discovered_id
from .model import Claim
from .ontology import Ontology

Key = tuple[str, str, str, str]


class GoldError(Exception):
    """A gold file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class GoldClaim:
    subject: str
    relation: str
    object: str
    year: int | None
    polarity: str
    line: int
    doc: str = ""  # the article this claim belongs to; "" matches claims of any article
    path: str = ""


@dataclass
class Scores:
    """Counts and the derived precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: Scores
    per_relation: dict[str, Scores]
    misses: list[GoldClaim]
    false: list[tuple[Key, Claim]]
    year_errors: list[tuple[Key, int | None, int | None]] = field(default_factory=list)
    matched: int = 0
    per_document: dict[str, Scores] = field(default_factory=dict)  # by article id, when gold files are per article


def read_gold(path: str | Path, lexicon: Lexicon, ontology: Ontology) -> list[GoldClaim]:
    """Parse a gold TSV file, resolving names to entity ids (the article, ``doc``, is set by the caller)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from None
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows or [h.strip().lower() for h in rows[0][:5]] != ["subject", "relation", "object", "year", "polarity"]:
        raise GoldError(f"{path}: line 1: header must be: subject, relation, object, year, polarity (tab-separated)")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        row = [c.strip() for c in row] + [""] * (5 - len(row))
        subject, relation, obj, year, polarity = row[:5]
        if relation not in ontology.relations:
            raise GoldError(f"{path}: line {n}: unknown relation {relation!r}")
        if polarity not in ("positive", "negative", "planned", ""):
            raise GoldError(f"{path}: line {n}: polarity must be positive, negative or planned, not {polarity!r}")
        if year and not year.isdigit():
            raise GoldError(f"{path}: line {n}: year must be a number, not {year!r}")
        if polarity == "planned":
            continue  # plans are not counted, as planned extracted claims are not
        resolve = lambda name: lexicon.lookup(name) or discovered_id(name)  # noqa: E731
        out.append(GoldClaim(resolve(subject), relation, resolve(obj), int(year) if year else None,
                             polarity or "positive", n, path=str(path)))
    return out


def _key(s: str, p: str, o: str, polarity: str, ontology: Ontology) -> Key:
    if ontology.relations[p].symmetric and s > o:
        s, o = o, s
    return (s, p, o, polarity)


def evaluate(claims: list[Claim], gold: list[GoldClaim], ontology: Ontology) -> Evaluation:
    """Compare extracted claims (planned ones left out) with gold claims, article by article."""
    scoped = {g.doc for g in gold if g.doc}
    extracted: dict[tuple[str, Key], Claim] = {}
    for c in claims:
        if c.modality == "asserted":
            doc = c.doc_id if c.doc_id in scoped else ""
            extracted.setdefault((doc, _key(c.subject, c.predicate, c.object, c.polarity, ontology)), c)
    wanted: dict[tuple[str, Key], GoldClaim] = {}
    for g in gold:
        wanted.setdefault((g.doc, _key(g.subject, g.relation, g.object, g.polarity, ontology)), g)
    per: dict[str, Scores] = {}
    overall = Scores()
    result = Evaluation(overall, per, [], [])
    for where in sorted(set(extracted) | set(wanted)):
        key = where[1]
        counted = [overall, per.setdefault(key[1], Scores())]
        if where[0]:
            counted.append(result.per_document.setdefault(where[0], Scores()))
        if where in extracted and where in wanted:
            for scores in counted:
                scores.tp += 1
            result.matched += 1
            got, want = extracted[where].year, wanted[where].year
            if want is not None and got != want:
                result.year_errors.append((key, want, got))
        elif where in extracted:
            for scores in counted:
                scores.fp += 1
            result.false.append((key, extracted[where]))
        else:
            for scores in counted:
                scores.fn += 1
            result.misses.append(wanted[where])
    result.per_relation = dict(sorted(per.items()))
    result.per_document = dict(sorted(result.per_document.items()))
    return result


def report(ev: Evaluation, lexicon: Lexicon) -> str:
    """A plain-text report: overall and per-relation scores, misses, false claims, year errors."""
    name = lambda e: lexicon.entities[e].en if e in lexicon.entities else e  # noqa: E731
    fmt = lambda k: f"{name(k[0])} {k[1]} {name(k[2])}" + (" (negative)" if k[3] == "negative" else "")  # noqa: E731
    o = ev.overall
    lines = [f"overall: precision {o.precision:.3f}  recall {o.recall:.3f}  F1 {o.f1:.3f}  "
             f"(tp {o.tp}, fp {o.fp}, fn {o.fn})", "", "relation             precision  recall     F1  tp  fp  fn"]
    row = lambda name, s: f"{name:<20} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.tp:3d} {s.fp:3d} {s.fn:3d}"  # noqa: E731
    lines += [row(rel, s) for rel, s in ev.per_relation.items()]
    if len(ev.per_document) > 1:
        lines += ["", "article              precision  recall     F1  tp  fp  fn"]
        lines += [row(doc, s) for doc, s in ev.per_document.items()]
    if ev.misses:
        lines += ["", "missed (in gold, not extracted):"] + [
            f"  - {fmt((g.subject, g.relation, g.object, g.polarity))}  [{Path(g.path).name}:{g.line}]" for g in ev.misses]
    if ev.false:
        lines += ["", "false (extracted, not in gold):"] + [
            f"  - {fmt(k)}  [{c.doc_id} #{c.sentence_index} {c.rule}] {c.sentence}" for k, c in ev.false]
    if ev.year_errors:
        lines += ["", "year differs on matched claims:"] + [
            f"  - {fmt(k)}: gold {want}, extracted {got}" for k, want, got in ev.year_errors]
    correct_years = ev.matched - len(ev.year_errors)
    lines += ["", f"years right on {correct_years}/{ev.matched} matched claims"]
    return "\n".join(lines) + "\n"


def gold_pairs(gold: Path) -> list[tuple[Path, Path]]:
    """(gold file, article) pairs: a .tsv beside its article, or every .tsv in a directory."""
    files = sorted(gold.glob("*.tsv")) if gold.is_dir() else [gold]
    pairs = []
    for g in files:
        articles = [a for a in (g.with_suffix(s) for s in (".md", ".txt", ".markdown")) if a.exists()]
        if not articles:
            raise GoldError(f"{g}: no article with the same name beside it; give the article paths")
        pairs.append((g, articles[0]))
    return pairs
