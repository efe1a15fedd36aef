"""A deterministic benchmark corpus: Chinese and English articles built from the lexicon and templates.

Article ``i`` depends only on the seed, ``i`` and the data files, so the corpus of 100 articles is
the first 100 of the corpus of 10,000. Entity names come from the lexicon (labels and aliases,
sometimes inside Markdown links); sentences come from benchmarks/templates.yaml: claim templates
and filler sentences that hold no claim, mixed so that about ``claim_ratio`` of the sentences
state a relation.

    python benchmarks/corpus.py /tmp/corpus --count 1000 --lexicon tests/data/lexicon.yaml
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = HERE / "templates.yaml"
DEFAULT_LEXICON = ROOT / "ontology" / "lexicon.yaml"
SLOT = re.compile(r"\{([A-Za-z]+?)(\d*)\}")


@dataclass(frozen=True)
class Name:
    """An entity as the generator writes it: its English and Chinese surface forms."""

    id: str
    en: tuple[str, ...]
    zh: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """The templates of one language, keeping only claim templates whose classes the lexicon has."""

    code: str
    titles: tuple[str, ...]
    headings: tuple[str, ...]
    claims: tuple[str, ...]
    openers: tuple[str, ...]
    fillers: tuple[str, ...]


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def read_lexicon(path: Path) -> dict[str, tuple[Name, ...]]:
    """Entities of a lexicon YAML file grouped by class, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    by_class: dict[str, list[Name]] = {}
    for e in data.get("entities") or ():
        labels = [str(x) for x in (e.get("en"), e.get("zh"), *(e.get("aliases") or ())) if x]
        en = tuple(dict.fromkeys(x for x in labels if not _has_cjk(x)))
        zh = tuple(dict.fromkeys(([str(e["zh"])] if e.get("zh") else []) + labels))
        by_class.setdefault(str(e["class"]), []).append(Name(str(e["id"]), en or (str(e["en"]),), zh))
    return {cls: tuple(names) for cls, names in by_class.items()}


def _usable(template: str, names: dict[str, tuple[Name, ...]]) -> bool:
    need: dict[str, int] = {}
    for cls, n in SLOT.findall(template):
        if cls not in ("year", "amount"):
            need[cls] = max(need.get(cls, 0), int(n or 1))
    return all(len(names.get(cls, ())) >= k for cls, k in need.items())


def read_templates(names: dict[str, tuple[Name, ...]], path: Path = TEMPLATES) -> dict[str, Language]:
    """The templates per language, claim templates filtered by what the lexicon can fill."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    langs = {}
    for code, d in data.items():
        claims = tuple(t for t in d["claims"] if _usable(t, names))
        titles = tuple(t for t in d["titles"] if _usable(t, names)) or ("{year}",)
        if not claims:
            raise SystemExit(f"{path}: no {code} claim template can be filled from this lexicon")
        langs[code] = Language(code, titles, tuple(d["headings"]), claims, tuple(d["openers"]), tuple(d["fillers"]))
    return langs


class Generator:
    """Makes article ``i`` of the corpus as Markdown with YAML front matter."""

    def __init__(self, lexicon: Path, seed: int = 1, claim_ratio: float = 0.05, size: int = 5000):
        self.names = read_lexicon(lexicon)
        self.langs = read_templates(self.names)
        self.seed = seed
        self.claim_ratio = claim_ratio
        self.size = size

    def _fill(self, template: str, lang: str, rng: random.Random, link: bool) -> str:
        chosen: dict[str, list[Name]] = {}

        def slot(m: re.Match) -> str:
            cls, n = m.group(1), int(m.group(2) or 1)
            if cls == "year":
                return str(rng.randint(1998, 2022))
            if cls == "amount":
                return str(rng.randint(2, 95) * 10) if lang == "en" else f"{rng.randint(1, 40) / 10:g}"
            picked = chosen.setdefault(cls, rng.sample(self.names[cls], min(len(self.names[cls]), 4)))
            name = picked[(n - 1) % len(picked)]
            text = rng.choice(name.zh if lang == "zh" else name.en)
            if link and rng.random() < 0.15:
                return f"[{text}](https://example.org/wiki/{name.id})"
            return text

        text = SLOT.sub(slot, template)
        return text[:-1] if text.endswith("..") else text

    def sentence(self, lang: Language, rng: random.Random) -> str:
        """A claim sentence with probability ``claim_ratio``, else a filler, sometimes with an opener."""
        if rng.random() < self.claim_ratio:
            return self._fill(rng.choice(lang.claims), lang.code, rng, link=True)
        text = rng.choice(lang.fillers)
        if rng.random() < 0.3:
            opener = rng.choice(lang.openers)
            text = opener + (text if lang.code == "zh" else text[0].lower() + text[1:])
        return text

    def article(self, i: int) -> tuple[str, str]:
        """(file name, text) of article ``i``."""
        rng = random.Random(f"{self.seed}:{i}")
        lang = self.langs["zh" if rng.random() < 0.5 else "en"]
        target = int(self.size * rng.uniform(0.6, 1.4))
        title = self._fill(rng.choice(lang.titles), lang.code, rng, link=False)
        date = f"{rng.randint(2005, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        head = f'---\ntitle: "{title}"\ndate: {date}\nlang: {lang.code}\ntags: [virtualization, benchmark]\n---\n\n# {title}\n'
        parts = [head]
        size = len(head.encode("utf-8"))
        sep = "" if lang.code == "zh" else " "
        heading = True
        while size < target:
            heading = not heading and rng.random() < 0.25
            if heading:
                block = f"\n## {rng.choice(lang.headings)}\n"
            else:
                block = "\n" + sep.join(self.sentence(lang, rng) for _ in range(rng.randint(3, 7))) + "\n"
            parts.append(block)
            size += len(block.encode("utf-8"))
        return f"{i // 1000:02d}/{i:05d}-{lang.code}.md", "".join(parts)

    def write(self, out: Path, count: int) -> int:
        """Write articles 0..count-1 under ``out``; returns the bytes written."""
        total = 0
        for i in range(count):
            name, text = self.article(i)
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            total += len(data)
        return total


def lexicon_path(arg: str | None) -> Path:
    """The lexicon to draw names from: the one given, else ontology/lexicon.yaml."""
    path = Path(arg) if arg else DEFAULT_LEXICON
    if not path.is_file():
        raise SystemExit(f"{path}: no such lexicon (pass --lexicon tests/data/lexicon.yaml until "
                         "ontology/lexicon.yaml exists)")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a deterministic benchmark corpus.")
    p.add_argument("out", type=Path, help="directory to write the articles into")
    p.add_argument("--count", type=int, default=100, help="number of articles (default: 100)")
    p.add_argument("--lexicon", help="lexicon YAML to draw entity names from (default: ontology/lexicon.yaml)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--claim-ratio", type=float, default=0.05, help="share of sentences that state a relation")
    p.add_argument("--size", type=int, default=5000, help="mean article size in bytes (default: 5000)")
    args = p.parse_args(argv)
    gen = Generator(lexicon_path(args.lexicon), args.seed, args.claim_ratio, args.size)
    total = gen.write(args.out, args.count)
    print(f"wrote {args.count} articles, {total / 1e6:.1f} MB -> {args.out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
