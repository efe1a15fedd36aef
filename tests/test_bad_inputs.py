"""Bad inputs, one row per case with its expected behaviour, run through `kg build`; and builds
that fail or crash half way, which must leave the previous output whole.

Exit codes: 0 built; 1 built, but some documents failed (each is named on stderr); 2 nothing
built (missing input, unusable output directory); 3 the graph failed SHACL validation.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.load import document_id
from kg.pipeline import build

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
ZH = "红帽在2008年收购了Qumranet，随后推出了RHEV。"
ZH_HANT = "紅帽在2008年收購了Qumranet，這項交易金額為一億美元。"
EN = "Red Hat acquired Qumranet in 2008. Citrix bought XenSource in 2007."
FRONT = "---\ntitle: Deals\ndate: 2012-05-01\n---\n"
RDF_FILES = {"graph.ttl": ox.RdfFormat.TURTLE, "graph.nt": ox.RdfFormat.N_TRIPLES,
             "graph.jsonld": ox.RdfFormat.JSON_LD, "graph.trig": ox.RdfFormat.TRIG}


@dataclass(frozen=True)
class Outcome:
    """What `kg build` did: exit code, its output, and the output directory."""

    code: int
    stdout: str
    stderr: str
    out: Path
    sources: dict[str, str]

    def claims(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((self.out / "claims.csv").read_text(encoding="utf-8"), newline="")))

    def facts(self) -> set[tuple[str, str, str]]:
        return {(r["subject"].rsplit("/", 1)[1], r["predicate"].rsplit("#", 1)[1], r["object"].rsplit("/", 1)[1])
                for r in self.claims() if r["polarity"] == "positive" and r["modality"] == "asserted"}

    def counts(self) -> dict[str, int]:
        return json.loads((self.out / "analysis.json").read_text(encoding="utf-8"))["counts"]


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the options of `kg build`, and what must happen.

    ``make(directory)`` writes the inputs (and, if it wants one, a ``lexicon.yaml``) and returns the
    paths to build with the decoded text of each, which offsets in claims.csv must point into.
    """

    name: str
    make: Callable[[Path], dict[str, str]]
    code: int
    message: str = ""
    check: Callable[[Outcome], None] = lambda outcome: None
    options: tuple[str, ...] = ()
    out: Callable[[Path], Path] = field(default=lambda d: d / "out")


def write(name: str, data: bytes, text: str | None = None) -> Callable[[Path], dict[str, str]]:
    """A ``make`` that writes one file; ``text`` is its decoded content (None: not expected to load)."""

    def make(d: Path) -> dict[str, str]:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data)
        return {str(d / name): text} if text is not None else {str(d / name): ""}

    return make


def together(*makes: Callable[[Path], dict[str, str]]) -> Callable[[Path], dict[str, str]]:
    return lambda d: {k: v for make in makes for k, v in make(d).items()}


def with_lexicon(source: Path, make: Callable[[Path], dict[str, str]]) -> Callable[[Path], dict[str, str]]:
    def run(d: Path) -> dict[str, str]:
        shutil.copy(source, d / "lexicon.yaml")
        return make(d)

    return run


# ---------------------------------------------------------------- checks

def facts(*expected: tuple[str, str, str], documents: int = 1) -> Callable[[Outcome], None]:
    """The build holds these facts (and perhaps more) from ``documents`` documents."""

    def check(o: Outcome) -> None:
        assert set(expected) <= o.facts(), o.facts()
        assert o.counts()["documents"] == documents

    return check


def nothing_built(o: Outcome) -> None:
    assert o.counts()["documents"] == 0 and o.counts()["claims"] == 0


def no_output(o: Outcome) -> None:
    assert not (o.out / "graph.trig").exists()


def title(expected: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        titles = {q.object.value for q in ox.parse(path=str(o.out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
                  if q.predicate.value == "http://purl.org/dc/terms/title"}
        assert titles == {expected}

    return check


def all_of(*checks: Callable[[Outcome], None]) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        for c in checks:
            c(o)

    return check


def evidence_free_of(*fragments: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        assert o.claims()
        for row in o.claims():
            assert not any(f in row["evidence"] for f in fragments), row["evidence"]

    return check


def strict_exports(o: Outcome) -> None:
    for name, fmt in RDF_FILES.items():
        list(ox.parse(path=str(o.out / name), format=fmt))


def hostile_labels_are_inert(o: Outcome) -> None:
    strict_exports(o)
    page = (o.out / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "</script> شركة" not in page
    labels = {q.object.value for q in ox.parse(path=str(o.out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
              if q.predicate.value.endswith("#label")}
    assert 'Evil "Corp" \\ back\\slash\nnew line\ttab <script>alert(1)</script> شركة 🚀' in labels
    assert 'Ends with a quote"' in labels


def identifiers(*expected: str) -> Callable[[Outcome], None]:
    def check(o: Outcome) -> None:
        strict_exports(o)
        found = {q.object.value for q in ox.parse(path=str(o.out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
                 if q.predicate.value == "http://purl.org/dc/terms/identifier"}
        assert found == set(expected)

    return check


def one_entity(entity_id: str, *subjects_of: str) -> Callable[[Outcome], None]:
    """NFC and NFD spellings of a name: one entity, and claims whose evidence is in NFC."""

    def check(o: Outcome) -> None:
        rows = o.claims()
        assert sorted(r["object"].rsplit("/", 1)[1] for r in rows if r["subject"].endswith("/" + entity_id)) == \
            sorted(subjects_of)
        assert {r["document"] for r in rows} == {"nfc", "nfd"}
        assert all(unicodedata.is_normalized("NFC", r["evidence"]) for r in rows)
        nodes = [n for n in json.loads((o.out / "analysis.json").read_text(encoding="utf-8"))["entities"]]
        assert [n for n in nodes if n.startswith("zo")] == [entity_id]

    return check


def big_file(size: int, claim_every: int) -> Callable[[Path], dict[str, str]]:
    """About ``size`` bytes of paragraphs that hold no claim, and one with two claims every ``claim_every``."""
    filler = ("会议持续了很久，大家讨论了很多问题。窗外下着小雨，咖啡已经凉了。机房里很安静，只有风扇的声音。"
              "The weather in the data center was fine that day. ") * 8 + "\n\n"
    claims = "红帽在2008年收购了Qumranet。思杰在2007年收购了XenSource。\n\n"

    def make(d: Path) -> dict[str, str]:
        block = filler * max(1, claim_every // len(filler.encode())) + claims
        text = FRONT + block * max(1, size // len(block.encode()))
        (d / "big.md").write_text(text, encoding="utf-8")
        return {str(d / "big.md"): text}

    return make


def long_line(size: int) -> Callable[[Path], dict[str, str]]:
    """One line of about ``size`` bytes: claims at both ends, sentences without any between."""
    filler = "那天数据中心的天气很好，工程师们都在忙着调试服务器。"
    text = "红帽在2008年收购了Qumranet。" + filler * (size // len(filler.encode())) + "思杰在2007年收购了XenSource。\n"
    return write("line.md", text.encode("utf-8"), text)


HTML = """<!DOCTYPE html><html><head><title>Deals</title>
<script>var s = "Citrix acquired Novell in 1999.";</script><style>p { color: red }</style></head>
<body><h1>Deals</h1><p>Red Hat acquired <b>Qumranet</b> in 2008.</p>
<p>Citrix bought <a href="https://example.com/x">XenSource</a> in 2007.</p><!-- Microsoft acquired Citrix. --></body></html>
"""
NFC_LEXICON = ("entities:\n  - {id: zoe, class: Organization, en: \"Zo\u00eb Systems\"}\n"
               "  - {id: qumranet, class: Organization, en: Qumranet}\n"
               "  - {id: platespin, class: Organization, en: PlateSpin}\n")


def nfc_nfd(d: Path) -> dict[str, str]:
    (d / "lexicon.yaml").write_text(NFC_LEXICON, encoding="utf-8")
    nfc = "Zo\u00eb Systems acquired Qumranet in 2008."
    nfd = unicodedata.normalize("NFD", "Zo\u00eb Systems acquired PlateSpin in 2009.")
    assert nfd != unicodedata.normalize("NFC", nfd)
    (d / "nfc.md").write_text(nfc, encoding="utf-8")
    (d / "nfd.md").write_text(nfd, encoding="utf-8")
    return {str(d / "nfc.md"): nfc, str(d / "nfd.md"): unicodedata.normalize("NFC", nfd)}


def taken(d: Path) -> Path:
    (d / "taken").write_text("a file where the output directory should be", encoding="utf-8")
    return d / "taken"


GB4 = "𠀀字需要四个字节。红帽在2008年收购了Qumranet。"
RED_HAT_QUMRANET = ("red-hat", "acquired", "qumranet")
CITRIX_XENSOURCE = ("citrix", "acquired", "xensource")

CASES = [
    Case("empty file", write("empty.md", b""), 1, r"empty\.md: no text: the document body is empty", nothing_built),
    Case("only front matter", write("front.md", FRONT.encode()), 1, r"front\.md: no text", nothing_built),
    Case("binary file", write("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"), 1,
         r"image\.md: binary file", nothing_built),
    Case("invalid UTF-8", write("bad.md", b"Red Hat acquired Qumranet \x80\x80 in 2008."), 1,
         r"bad\.md: not valid UTF-8 \(byte 26\).*--encoding", nothing_built),
    Case("GBK", write("gbk.md", ZH.encode("gbk"), ZH), 0, check=facts(RED_HAT_QUMRANET)),
    Case("GB18030 with four-byte characters", write("gb4.md", GB4.encode("gb18030"), GB4), 0,
         check=facts(RED_HAT_QUMRANET)),
    Case("Big5", write("big5.md", ZH_HANT.encode("big5"), ZH_HANT), 0, check=facts(RED_HAT_QUMRANET)),
    Case("UTF-8 with a BOM", write("bom.md", b"\xef\xbb\xbf" + (FRONT + EN).encode(), FRONT + EN), 0,
         check=facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE)),
    Case("UTF-16 with a BOM", write("utf16.md", (FRONT + EN).encode("utf-16"), FRONT + EN), 0,
         check=facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE)),
    Case("short GBK text that detectors misjudge", write("short.md", "红帽".encode("gbk")), 1,
         r"short\.md: encoding is ambiguous \(could be gb18030 or big5\); give it with --encoding", nothing_built),
    Case("short GBK text that is valid UTF-8 too", write("one.md", "一".encode("gbk")), 1,
         r"one\.md: encoding is ambiguous \(valid UTF-8, but reads as Chinese in GB18030\); give it with --encoding",
         nothing_built),
    Case("short GBK text with --encoding gbk", write("short.md", "红帽".encode("gbk"), "红帽"), 0,
         check=title("红帽"), options=("--encoding", "gbk")),
    Case("malformed YAML front matter", write("yaml.md", b"---\ntitle: [unclosed\ndate: 2011\n---\nRed Hat acquired Qumranet."),
         1, r"yaml\.md: malformed YAML front matter \(line 3\)", nothing_built),
    pytest.param(Case("50 MB file", big_file(50_000_000, 1_000_000), 0, check=facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE)),
                 marks=pytest.mark.slow, id="50 MB file"),
    Case("1 MB line", long_line(1_000_000), 0,
         check=facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE)),
    Case("HTML input", write("page.html", HTML.encode()), 0,
         check=all_of(facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE), evidence_free_of("<", "Novell", "Microsoft"))),
    Case("labels with quotes, backslashes, newlines, tabs, <script>, right-to-left text and emoji",
         with_lexicon(DATA / "hostile-lexicon.yaml", write("hostile.md", (DATA / "hostile.md").read_bytes(),
                                                           (DATA / "hostile.md").read_text(encoding="utf-8"))),
         0, check=hostile_labels_are_inert),
    Case("names that are not valid in IRIs",
         together(write("Caf\u00e9 <1> {x}|^`.md", EN.encode(), EN), write("###.md", ZH.encode(), ZH),
                  with_lexicon(DATA / "hostile-lexicon.yaml", write("hostile.md", (DATA / "hostile.md").read_bytes(),
                                                                    (DATA / "hostile.md").read_text(encoding="utf-8")))),
         0, check=identifiers("caf-1-x", "document", "hostile")),
    Case("NFC and NFD forms of the same name", nfc_nfd, 0, check=one_entity("zoe", "qumranet", "platespin")),
    Case("missing path", lambda d: {str(d / "missing.md"): ""}, 2, r"missing\.md: no such file or directory", no_output),
    Case("output directory that is a file", write("a.md", EN.encode(), EN), 2,
         r"kg build: error: \S*taken: not a directory, so \S*taken cannot be the output directory", out=taken),
    Case("output directory under a file", write("a.md", EN.encode(), EN), 2,
         r"kg build: error: \S*taken: not a directory, so \S*taken/out cannot be the output directory",
         out=lambda d: taken(d) / "out"),
    Case("one failing document among good ones",
         together(write("good-1.md", EN.encode(), EN), write("bad.md", b"Citrix \x80\x80"), write("good-2.md", ZH.encode(), ZH)),
         1, r"bad\.md: not valid UTF-8.*\n(.|\n)*1 document\(s\) failed", facts(RED_HAT_QUMRANET, CITRIX_XENSOURCE,
                                                                                documents=2)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name if isinstance(c, Case) else c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    sources = case.make(src)
    lexicon = src / "lexicon.yaml" if (src / "lexicon.yaml").exists() else DATA / "lexicon.yaml"
    out = case.out(tmp_path)
    code = main(["build", *sources, "--out", str(out), "--lexicon", str(lexicon), *case.options])
    captured = capsys.readouterr()
    outcome = Outcome(code, captured.out, captured.err, out, sources)
    assert code == case.code, captured.err
    if case.message:
        assert re.search(case.message, captured.err), captured.err
    if code in (0, 1):
        assert "valid: " in captured.out
        texts = {document_id(Path(p)): text for p, text in sources.items() if text}
        for row in outcome.claims():
            text = texts.get(row["document"])
            if text is not None:
                s, e = int(row["subject_start"]), int(row["subject_end"])
                assert text[s:e] == row["subject_text"]
                assert int(row["sentence_start"]) <= s < e <= int(row["sentence_end"]) <= len(text)
    case.check(outcome)


# ---------------------------------------------------------------- interrupted builds

def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture
def previous(tmp_path, lexicon) -> tuple[Path, Path, dict[str, bytes]]:
    """A first build of one article into out/, and a second article to build over it."""
    (tmp_path / "a.md").write_text(EN, encoding="utf-8")
    (tmp_path / "b.md").write_text(ZH, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "a.md"], out, lexicon=lexicon)
    return out, tmp_path / "b.md", snapshot(out)


def test_exception_during_a_build_leaves_previous_output_whole(previous, lexicon, monkeypatch):
    out, other, before = previous

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("kg.pipeline.iter_exports", broken)
    with pytest.raises(RuntimeError):
        build([other], out, lexicon=lexicon)
    assert snapshot(out) == before


def test_failure_while_writing_leaves_previous_output_whole(previous, lexicon, monkeypatch):
    out, other, before = previous
    from kg import export

    written = []

    def fail_third(path, data):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        export.write_atomic(path, data)

    monkeypatch.setattr("kg.pipeline.write_atomic", fail_third)
    with pytest.raises(OSError):
        build([other], out, lexicon=lexicon)
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-build-")]


def test_killed_build_leaves_previous_output_whole(previous):
    out, other, before = previous
    script = (
        "import os, sys\n"
        "import kg.pipeline as pipeline\n"
        "from kg.export import write_atomic\n"
        "count = 0\n"
        "def die(path, data):\n"
        "    global count\n"
        "    count += 1\n"
        "    if count == 3:\n"
        "        os._exit(70)\n"
        "    write_atomic(path, data)\n"
        "pipeline.write_atomic = die\n"
        "from kg.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", script, "build", str(other), "--out", str(out), "--lexicon",
                           str(DATA / "lexicon.yaml")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 70, done.stderr
    assert snapshot(out) == before


def test_failed_validation_leaves_previous_output_whole(previous, tmp_path, capsys):
    out, other, before = previous
    bad = tmp_path / "bad-lexicon.yaml"
    bad.write_text("entities:\n  - {id: red-hat, class: Organization, en: '', aliases: [红帽]}\n"
                   "  - {id: qumranet, class: Organization, en: Qumranet}\n", encoding="utf-8")
    assert main(["build", str(other), "--out", str(out), "--lexicon", str(bad)]) == 3
    assert "kgs:EntityEnglishLabelShape" in capsys.readouterr().err
    assert snapshot(out) == before


def test_unwritable_output_directory_fails_before_any_work(tmp_path, capsys, monkeypatch):
    # Root may write anywhere, so the permission is taken away where the build asks for it.
    (tmp_path / "a.md").write_text(EN, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr("kg.pipeline.os.access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    code = main(["build", str(tmp_path / "a.md"), "--out", str(locked / "out"), "--lexicon", str(DATA / "lexicon.yaml")])
    assert code == 2
    assert f"{locked}: directory is not writable, so {locked / 'out'} cannot be the output directory" in \
        capsys.readouterr().err
    assert list(locked.iterdir()) == []
