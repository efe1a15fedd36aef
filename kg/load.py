"""Loading: bytes on disk → a ``Document`` with metadata and sentences.

Handles UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK and Big5, YAML front matter,
Markdown markup (links keep their text) and sentence splitting for Chinese and English. Every
sentence keeps a map from its characters back to offsets in the decoded source.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import re
import unicodedata
from pathlib import Path

import yaml

from .model import Document, Sentence
from .normalize import fold, t2s_ratio
from .resources import language_data

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


class LoadError(Exception):
    """A document that cannot be read; the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


# ---------------------------------------------------------------- decoding

def _common_simplified(ch: str) -> bool:
    """True for the 3,755 most common simplified characters (GB2312 level 1)."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _plausibility(text: str) -> float:
    """Share of Chinese characters that are common ones once folded to simplified script."""
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for c in han if _common_simplified(fold(c))) / len(han)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CJK_CHAR = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0003134f]")


def _latin_in_word(text: str, i: int) -> bool:
    """True when ``text[i]`` is a Latin letter beside an ASCII letter, as in "Café" or "Zoë"."""
    ch = text[i]
    if not ("\u00c0" <= ch <= "\u024f" and ch.isalpha()):
        return False
    return any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha() for j in (i - 1, i + 1))


def _reads_as_gb18030(text: str, data: bytes) -> bool:
    """True when valid UTF-8 ``text`` is more likely GB18030 Chinese: short GBK texts are often
    valid UTF-8 too (一 in GBK is һ in UTF-8), and then only their reading tells them apart."""
    if text.isascii() or _CJK_CHAR.search(text):
        return False
    if all(_latin_in_word(text, m.start()) for m in _NON_ASCII.finditer(text)):
        return False
    try:
        return _plausibility(data.decode("gb18030")) >= 0.9
    except UnicodeDecodeError:
        return False


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes, returning (text, encoding name); raise ``LoadError`` when unsure.

    Without an explicit ``encoding``: a BOM decides; else strict UTF-8; else GB18030 and Big5 are
    both tried and the one whose characters are plausible Chinese wins. When both are plausible,
    or when valid UTF-8 without Chinese reads as common Chinese in GB18030, which happens with short
    texts, it refuses to guess and asks for ``--encoding``.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise LoadError(path, f"cannot decode as {encoding}: {exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"invalid UTF-8 after a UTF-8 BOM at byte {exc.start + 3}") from None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(name), name
            except UnicodeDecodeError as exc:
                raise LoadError(path, f"invalid {name}: {exc}") from None
    if b"\x00" in data:
        raise LoadError(path, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if _reads_as_gb18030(text, data):
            raise LoadError(path, "encoding is ambiguous (valid UTF-8, but reads as Chinese in GB18030); "
                                  "give it with --encoding")
        return text, "utf-8"
    candidates = []
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), name, text))
    if not candidates:
        raise LoadError(path, f"not valid UTF-8 (byte {utf8_error.start}), GB18030 or Big5; "
                              "give the encoding with --encoding")
    candidates.sort(reverse=True)
    best = candidates[0]
    if best[0] < 0.5:
        raise LoadError(path, "not valid UTF-8 and does not look like Chinese text in GB18030 or Big5; "
                              "give the encoding with --encoding")
    if len(candidates) > 1 and best[0] - candidates[1][0] < 0.25:
        raise LoadError(path, f"encoding is ambiguous (could be {candidates[0][1]} or {candidates[1][1]}); "
                              "give it with --encoding")
    return best[2], best[1]


# ---------------------------------------------------------------- front matter

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def _plain(value) -> str:
    """A front-matter value as text: lists joined with commas, dates in ISO form."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return "" if value is None else str(value)


def _decode_hex_url(value: str) -> str | None:
    """Decode a hex-encoded URL (colons allowed as separators), e.g. ``arturl_encode``."""
    digits = value.replace(":", "").strip()
    if not digits or len(digits) % 2 or not re.fullmatch(r"[0-9a-fA-F]+", digits):
        return None
    try:
        url = bytes.fromhex(digits).decode("utf-8")
    except ValueError:
        return None
    return url if re.match(r"https?://", url) else None


def parse_front_matter(text: str, path: str | Path) -> tuple[dict[str, str], int]:
    """Return (metadata, offset where the body starts); ``LoadError`` on malformed YAML."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        raise LoadError(path, f"malformed YAML front matter{line}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise LoadError(path, "YAML front matter is not a mapping of keys to values")
    meta = {str(k): _plain(v) for k, v in data.items()}
    for key in list(meta):
        if key.endswith("_encode") and (url := _decode_hex_url(meta[key])):
            meta.setdefault("source", url)
    return meta, m.end()


# ---------------------------------------------------------------- Markdown → text with offsets

_LINE_PREFIX = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)?")
_INLINE = re.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)"           # image: dropped
    r"|\[(?P<text>[^\]\n]*)\]\([^)\n]*\)"  # link: keeps its text
    r"|\[(?P<ref>[^\]\n]+)\]\[[^\]\n]*\]"  # reference link: keeps its text
    r"|<!--.*?-->"                          # HTML comment
    r"|<[A-Za-z/!][^<>\n]*>"                # HTML tag
    r"|\*\*|__|`+|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"  # emphasis and code marks
)
_RULE = re.compile(r"[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$")
_SKIP_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
# HTML tags that end a paragraph: they become blank lines, so text on both sides never runs together.
_BLOCK_TAG = re.compile(r"</?(?:address|article|aside|blockquote|body|br|dd|div|dl|dt|figcaption|figure|footer|"
                        r"h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|td|th|title|tr|ul)\b[^<>]*>",
                        re.I)


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def markdown_blocks(source: str, start: int) -> list[tuple[str, list[int]]]:
    """Split the body into blocks (paragraphs and headings) of plain text with source offsets."""
    blocks: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    offs: list[int] = []
    masked = _SKIP_BLOCK.sub(lambda m: " " * len(m.group(0)), source[start:])
    masked = _BLOCK_TAG.sub(lambda m: "\n\n" + " " * (len(m.group(0)) - 2), masked)

    def flush():
        if chars:
            blocks.append(("".join(chars), offs.copy()))
        chars.clear()
        offs.clear()

    pos = start
    in_fence = False
    for line in masked.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            in_fence = not in_fence
            flush()
            continue
        if in_fence or not stripped or _RULE.match(body):
            flush()
            continue
        prefix = _LINE_PREFIX.match(body)
        heading = body.lstrip().startswith("#")
        if heading:
            flush()
        i = prefix.end()
        line_chars: list[tuple[str, int]] = []
        for m in _INLINE.finditer(body, i):
            line_chars.extend((body[k], line_start + k) for k in range(i, m.start()))
            group = "text" if m.group("text") is not None else "ref" if m.group("ref") is not None else None
            if group:
                line_chars.extend((body[k], line_start + k) for k in range(m.start(group), m.end(group)))
            i = m.end()
        line_chars.extend((body[k], line_start + k) for k in range(i, len(body)))
        while line_chars and line_chars[-1][0].isspace():
            line_chars.pop()
        lead = 0
        while lead < len(line_chars) and line_chars[lead][0].isspace():
            lead += 1
        del line_chars[:lead]
        if not line_chars:
            continue
        if chars:
            # Join wrapped lines: nothing between Chinese characters, a space between words.
            if not (_is_cjk(chars[-1]) or _is_cjk(line_chars[0][0])):
                chars.append(" ")
                offs.append(line_start - 1)
        for ch, off in line_chars:
            chars.append(" " if ch in "\t\u00a0\u3000" else ch)
            offs.append(off)
        if heading:
            flush()
    flush()
    return blocks


# ---------------------------------------------------------------- sentences

_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD_WINDOW = 100  # how far back a sentence end looks for the word it follows (abbreviations are short)
_ZH_END = re.compile(r"[。！？!?]+[”’」』）)\"']*|……[”’」』]*|\n")
# A sentence starts with a capital, a digit, a Chinese character or a name with an inner capital (vSphere, xVM).
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?(?:[A-Z0-9\u4e00-\u9fff]|[a-z]{1,3}[A-Z]))")


def _sentence_ends(text: str, lang: str) -> list[int]:
    """Offsets just past each sentence end in a block of text."""
    ends = []
    for m in _ZH_END.finditer(text):
        ends.append(m.end())
    abbreviations = set(language_data()["en"]["abbreviations"])
    for m in _EN_END.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - _WORD_WINDOW), m.start())
        if m.group(0).startswith(".") and before:
            word = before.group(1).lower().rstrip(".")
            if word in abbreviations or len(word) == 1:
                continue
        ends.append(m.end())
    ends.append(len(text))
    return sorted(set(ends))


def split_sentences(blocks: list[tuple[str, list[int]]], lang: str) -> tuple[Sentence, ...]:
    """Cut blocks into sentences, trimming whitespace, keeping the offset map."""
    sentences: list[Sentence] = []
    for text, offs in blocks:
        start = 0
        for end in _sentence_ends(text, lang):
            i, j = start, end
            while i < j and text[i].isspace():
                i += 1
            while j > i and text[j - 1].isspace():
                j -= 1
            if j > i:
                piece = text[i:j]
                sentences.append(Sentence(len(sentences), piece, offs[i], offs[j - 1] + 1, tuple(offs[i:j])))
            start = end
    return tuple(sentences)


# ---------------------------------------------------------------- language and document

def detect_language(text: str) -> str:
    """'zh-Hans', 'zh-Hant' or 'en', by the share of Chinese characters and of traditional forms."""
    sample = text[:20000]
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    words = len(re.findall(r"[A-Za-z]+", sample))
    if han and han / (han + words) > 0.3:
        return "zh-Hant" if t2s_ratio(sample) > 0.08 else "zh-Hans"
    return "en"


_SOURCE_LINE = re.compile(r"(?:原文地址|原文链接|原文網址|原文连结|来源|來源|Source|Originally published at)\s*[:：]\s*(https?://\S+)", re.I)


def document_id(path: Path) -> str:
    """A readable id from the file name: lower-case letters, digits and dashes."""
    stem = unicodedata.normalize("NFKC", path.stem).lower()
    slug = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", stem).strip("-")
    return slug or "document"


def parse_document(data: bytes, path: str | Path, doc_id: str | None = None,
                   encoding: str | None = None) -> Document:
    """Build a ``Document`` from the bytes of a file."""
    path = Path(path)
    text, used = decode(data, path, encoding)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta, body_start = parse_front_matter(text, path)
    if not text[body_start:].strip():
        raise LoadError(path, "no text: the document body is empty")
    lang = meta.get("lang") or meta.get("language") or detect_language(text[body_start:])
    if lang.lower().startswith("zh"):
        lang = "zh-Hant" if "hant" in lang.lower() or lang.lower() in ("zh-tw", "zh-hk") else (
            lang if lang in ("zh-Hans", "zh-Hant") else "zh-Hans")
    elif not lang.lower().startswith("en"):
        lang = detect_language(text[body_start:])
    else:
        lang = "en"
    if "source" not in meta and (m := _SOURCE_LINE.search(text, body_start)):
        meta["source"] = m.group(1)
    blocks = markdown_blocks(text, body_start)
    sentences = split_sentences(blocks, lang)
    if not sentences:
        raise LoadError(path, "no text: the document body has no sentences")
    title = meta.get("title") or sentences[0].text[:80]
    date = meta.get("date") or None
    if date and not re.match(r"\d{4}", date):
        date = None
    return Document(id=doc_id or document_id(path), path=str(path), source=text, encoding=used, lang=lang,
                    title=title, date=date[:10] if date else None, metadata=tuple(sorted(meta.items())),
                    sentences=sentences)


def load_document(path: str | Path, doc_id: str | None = None, encoding: str | None = None) -> Document:
    """Read and parse one file; ``LoadError`` names the file when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror}") from None
    return parse_document(data, path, doc_id, encoding)


def find_documents(paths: list[str | Path]) -> list[Path]:
    """Expand files and directories into a sorted list of document files; missing paths raise."""
    found: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.update(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.exists():
            found.add(p)
        else:
            raise LoadError(p, "no such file or directory")
    return sorted(found, key=lambda f: f.as_posix())
