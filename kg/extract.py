"""Extraction: sentences → mentions → claims, from the lexicon, the patterns and general rules.

For each sentence: entity mentions come from the lexicon, pronouns and definite descriptions
(其, 该公司, it, the company) are resolved to an earlier compatible mention, and each relation
trigger in ontology/patterns.yaml looks for its arguments on the sides the rule names, taking the
nearest mention whose class the ontology's domain/range accepts. General rules then handle
passive voice, coordination (A、B以及C), relative clauses (基于Xen的Oracle VM), negation,
modality, dates and amounts. Nothing here knows about a particular article.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterator

import ahocorasick

from .dates import DateMention, find_amounts, find_dates
from .lexicon import GENERIC, Lexicon, discovered_id
from .model import Claim, Document, Mention, Sentence
from .normalize import fold, is_word_char
from .ontology import Ontology
from .resources import language_data, read_yaml

_DIGIT = re.compile(r"\d")
_INNER_WORD = re.compile(r"(?<=[a-z,;] )[A-Z][A-Za-z0-9]+(?![A-Za-z0-9])")  # capitalized inside a sentence
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")  # OpenStack, CloudStack
_EMBEDDED = re.compile(r",\s*(?:which|who|whom|that|the|a|an)\b[^,;]*,")
ZH_MAX_GAP = 40      # characters between a trigger and a right-hand argument
EN_MAX_GAP = 90


@dataclass(frozen=True)
class Rule:
    """One relation pattern from ontology/patterns.yaml."""

    id: str
    lang: str
    relations: tuple[str, ...]
    triggers: tuple[str, ...]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    passive: bool = True
    object_marker: tuple[str, ...] = ()
    between: tuple[str, ...] = ()
    agent: tuple[str, ...] = ("by",)
    amount: bool = False
    subject_near: bool = False
    noun: bool = False
    adjacent: bool = False
    subject_classes: tuple[str, ...] = ()  # the rule applies only to subjects of these classes
    object_classes: tuple[str, ...] = ()  # … and objects of these classes
    swap: bool = False  # the claim reads object → subject ("Windows runs on Xen": Xen supports Windows)
    discovered: bool = True  # whether names the lexicon lacks may fill the object
    companions: tuple[str, ...] = ()  # "co-founded XenSource with Simon Crosby": more subjects after these
    chain: bool = False  # after this rule the next rule of the same trigger applies too
    ended_by: tuple[str, ...] = ()  # words later in the clause that end the relation (执行长X随即离职)
    attached: bool = False  # the object is the name the trigger is attached to ("Xen-based")
    succession: bool = False  # "A replaced B as CEO": A holds the role, B no longer does
    object_then: tuple[str, ...] = ()  # words that must describe the object after it ("oVirt, an open-source project")
    object_part: tuple[str, ...] = ()  # words after the object naming a part of it (X的股份): no claim
    release_object: str = ""  # a release as object: the claim goes to its product, the release gets this relation
    plan_cues: tuple[str, ...] = ()  # words that make this rule's claims plans ("agreed to acquire")
    near_classes: tuple[str, ...] = ()  # subjects of these classes only right before the trigger (该公司是基于Xen)
    negated: bool = False  # the trigger denies the relation ("lacks live migration", 缺少实时迁移)
    confidence: float = 0.9


class CueSet:
    """Finds any of a list of words in folded text: leftmost-longest, Latin words at word boundaries.

    One Aho-Corasick automaton scans the text; the matches of the last text are kept, since the
    rules ask for several ranges of the same sentence. ``blockers`` are words that hold a cue without
    being it (自由 holds the passive marker 由): where one of them wins, no cue is found.
    """

    def __init__(self, words, blockers=()):
        self.words = sorted({fold(w) for w in words if w}, key=len, reverse=True)
        self._blockers = {fold(b) for b in blockers if b} - set(self.words)
        self._automaton = ahocorasick.Automaton()
        for w in [*self.words, *self._blockers]:
            self._automaton.add_word(w, w)
        if self.words:
            self._automaton.make_automaton()
        self._last: tuple[str, list[tuple[int, int, str]]] = ("", [])

    def _all(self, text: str) -> list[tuple[int, int, str]]:
        if self._last[0] is text or self._last[0] == text:
            return self._last[1]
        found = []
        n = len(text)
        for last, w in self._automaton.iter(text) if self.words else ():
            s, e = last - len(w) + 1, last + 1
            if is_word_char(w[0]) and s > 0 and (is_word_char(text[s - 1]) or text[s - 1] == "-") \
                    and not w.startswith("n'"):  # a clitic such as n't ends the word before it (couldn't)
                continue
            if is_word_char(w[-1]) and e < n and (is_word_char(text[e]) or (
                    text[e] == "-" and e + 1 < n and text[e + 1].isascii() and text[e + 1].isalpha())):
                continue
            found.append((s, e, w))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        chosen, last_end = [], 0
        for m in found:
            if m[0] >= last_end:
                chosen.append(m)
                last_end = m[1]
        chosen = [m for m in chosen if m[2] not in self._blockers]
        self._last = (text, chosen)
        return chosen

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, word) of the cues found within ``text[start:end]``."""
        end = len(text) if end is None else end
        return [m for m in self._all(text) if m[0] >= start and m[1] <= end]


_APPOSITIVE = re.compile(r",\s*(?:an?|the|its)\s+[a-z0-9 -]{0,40}")  # ", a server virtualization product"


def _word_before(text: str, pos: int) -> str:
    """The whitespace-separated word that ends ``text[:pos]``, or ""."""
    return (text[:pos].rsplit(None, 1) or [""])[-1]


def _frames(values) -> tuple[tuple[str, str], ...]:
    """"unlike …", "由…接任": the folded words before and after the gap of each frame."""
    return tuple(tuple(fold(part).strip() for part in (x.split("…") + [""])[:2]) for x in values)


def _framed(before: str, after: str, frames: tuple[tuple[str, str], ...]) -> bool:
    """Does the text around a name (``before`` it, ``after`` it) fill one of ``frames``?"""
    return any(before.endswith(pre) and after.startswith(post) for pre, post in frames)


@lru_cache(maxsize=None)
def _companion_res(words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """"with Simon Crosby", "in 1998 with her husband Mendel Rosenblum"; then ", and with A, B and C"."""
    cues = "|".join(map(re.escape, words))
    return (re.compile(rf"(?:(?:in|on) [\w ]{{1,20}}? )?(?:{cues})(?: (?:her|his|their|its) [a-z-]+)?"),
            re.compile(rf"[^.;]{{0,80}}?,? and (?:{cues}) "))


@lru_cache(maxsize=None)
def _object_then_re(words: tuple[str, ...]) -> re.Pattern:
    """", an open-source project": one of ``words`` in a short description right after the object."""
    return re.compile(rf"\s*(?:,\s*)?(?:(?:an?|the|its|a new)\s+)?(?:[\w-]+\s+){{0,3}}(?:{'|'.join(map(re.escape, words))})\b")


@lru_cache(maxsize=None)
def _object_part_re(words: tuple[str, ...]) -> re.Pattern:
    """"'s technology", 的[虚拟机]技术: one of ``words``; after 的 a few characters may come first."""
    return re.compile("|".join(rf"的[\u4e00-\u9fff]{{0,6}}?{re.escape(w[1:])}" if w.startswith("的") else re.escape(w)
                               for w in words))


@lru_cache(maxsize=None)
def _plan_cue_re(words: tuple[str, ...], spaced: bool) -> re.Pattern:
    """"agreed to [acquire]", 同意以5亿美元[收购]: one of ``words`` at most two words (or, in unspaced
    text, eight characters) before the end of the text."""
    cues = "|".join(map(re.escape, words))
    if spaced:
        return re.compile(rf"\b(?:{cues})\b(?:\W+\w+){{0,2}}\W*$")
    return re.compile(rf"(?:{cues})[^，,；;。]{{0,8}}$")


@dataclass
class _Language:
    """The cues of one language, compiled."""

    code: str
    clause_breaks: CueSet
    negation: CueSet
    negation_exceptions: tuple[str, ...]
    light_verbs: tuple[str, ...]
    negation_adverbials: tuple[re.Pattern, ...]
    modality: CueSet
    modality_exceptions: tuple[str, ...]
    completion_cues: tuple[str, ...]
    passive: CueSet
    coordinators: frozenset[str]
    possessive: tuple[str, ...]
    possessive_after: tuple[str, ...]
    pronoun_possessions: bool  # whether 其X / "its X" states who makes X
    pronouns: CueSet
    pronoun_info: dict[str, tuple[str, bool, bool, str, bool]]
    descriptions: tuple[tuple[re.Pattern, str, bool, bool], ...]
    object_markers: tuple[str, ...]
    marker_exceptions: tuple[str, ...]
    copulas: tuple[str, ...]
    exemplifiers: tuple[str, ...]
    list_predicates: frozenset[str]
    locatives: tuple[str, ...]
    version_nouns: tuple[str, ...]
    comparison_openers: frozenset[str]
    verb_adverbs: tuple[str, ...]
    aspect_markers: str
    number_units: str  # a regex alternation of the words that make a number an amount
    restatements: tuple[str, ...]
    range_markers: tuple[str, ...]
    relative_heads: tuple[str, ...]
    relativizers: CueSet
    title_nouns: CueSet
    adjunct_markers: tuple[str, ...]
    modifier_heads: tuple[str, ...]
    modifier_head_exceptions: tuple[str, ...]
    event_determiners: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    name_blockers: tuple[str, ...]
    descriptive_words: tuple[str, ...]
    succession: CueSet
    successor_frames: tuple[tuple[str, str], ...]
    title_joiners: frozenset[str]
    adjunct_frames: tuple[tuple[str, str], ...]
    part_nouns: tuple[str, ...]
    contrast_markers: frozenset[str]
    prepositions: frozenset[str]
    not_names: frozenset[str]
    triggers: CueSet = None
    attached_triggers: frozenset[str] = frozenset()  # triggers whose rules all glue to a name ("-based")
    silent_triggers: frozenset[str] = frozenset()  # triggers that name no relation (长期支持版)
    part_noun_re: re.Pattern | None = None  # "<up to 3 words> code|support|…"
    possessive_rules: tuple[Rule, ...] = ()  # possessor → possessed, then possessed → possessor
    rules_by_trigger: dict[str, list[Rule]] = field(default_factory=dict)


def _inherit_suffix_rules(rules_by_trigger: dict[str, list[Rule]]) -> None:
    """A trigger that ends with a shorter one also carries the shorter one's rules, after its own:
    正式发布 is one rule's cue, and still a plain 发布 for the others. A trigger that names no
    relation stays silent: it is there to hide the shorter one (长期支持版 is no 支持)."""
    for t in sorted(rules_by_trigger, key=len):
        if not any(r.relations for r in rules_by_trigger[t]):
            continue
        for k in range(1, len(t)):
            for rule in rules_by_trigger.get(t[k:], ()):
                if rule not in rules_by_trigger[t]:
                    rules_by_trigger[t].append(rule)


@lru_cache(maxsize=2)
def _languages(patterns_file: str = "patterns.yaml") -> dict[str, _Language]:
    data = language_data()
    patterns = read_yaml(patterns_file)
    langs = {}
    for code in ("zh", "en"):
        d = data[code]
        lang = _Language(
            code=code,
            clause_breaks=CueSet(d["clause_breaks"]),
            negation=CueSet(d["negation"]),
            negation_exceptions=tuple(fold(x) for x in d.get("negation_exceptions", ())),
            light_verbs=tuple(fold(x) for x in d.get("light_verbs", ())),
            negation_adverbials=tuple(re.compile(r"[^，,。；;]{1,8}".join(map(re.escape, fold(x).split("…"))))
                                      for x in d.get("negation_adverbials", ())),
            modality=CueSet(d["modality"]),
            modality_exceptions=tuple(fold(x) for x in d.get("modality_exceptions", ())),
            completion_cues=tuple(fold(x) for x in d.get("completion_cues", ())),
            passive=CueSet(d["passive"], d.get("passive_exceptions", ())),
            coordinators=frozenset(fold(x) for x in d["coordinators"]),
            possessive=tuple(d["possessive"]),
            possessive_after=tuple(fold(x) for x in d.get("possessive_after", ())),
            pronoun_possessions=bool(d.get("pronoun_possessions", True)),
            pronouns=CueSet([p["text"] for p in d["pronouns"]]),
            pronoun_info={fold(p["text"]): (p["class"], bool(p.get("possessive")), bool(p.get("latest")),
                                            p.get("prefer", ""), bool(p.get("topic"))) for p in d["pronouns"]},
            descriptions=tuple((re.compile(x["pattern"]), x["class"], bool(x.get("latest")), bool(x.get("topic")))
                               for x in d.get("descriptions", ())),
            object_markers=tuple(d.get("object_markers", ())),
            marker_exceptions=tuple(fold(x) for x in d.get("marker_exceptions", ())),
            copulas=tuple(fold(x) for x in d.get("copulas", ())),
            exemplifiers=tuple(fold(x) for x in d.get("exemplifiers", ())),
            restatements=tuple(fold(x) for x in d.get("restatements", ())),
            locatives=tuple(fold(x) for x in d.get("locatives", ())),
            version_nouns=tuple(fold(x) for x in d.get("version_nouns", ())),
            comparison_openers=frozenset(fold(x) for x in d.get("comparison_openers", ())),
            verb_adverbs=tuple(fold(x) for x in d.get("verb_adverbs", ())),
            aspect_markers="".join(d.get("aspect_markers", ())),
            number_units="(?:" + "|".join(re.escape(fold(x)) for x in d.get("number_units", ())) + ")",
            list_predicates=frozenset(fold(x) for x in d.get("list_predicates", ())) | {""},
            range_markers=tuple(d.get("range_markers", ())),
            relative_heads=tuple(fold(x) for x in d.get("relative_heads", ())),
            relativizers=CueSet(d.get("relativizers", ())),
            title_nouns=CueSet(d.get("title_nouns", ())),
            adjunct_markers=tuple(fold(x) for x in d.get("adjunct_markers", ())),
            modifier_heads=tuple(fold(x) for x in d.get("modifier_heads", ())),
            modifier_head_exceptions=tuple(fold(x) for x in d.get("modifier_head_exceptions", ())),
            event_determiners=tuple(fold(x) for x in d.get("event_determiners", ())),
            org_suffixes=tuple(d.get("organization_suffixes", ())),
            name_blockers=tuple(d.get("name_blockers", ())),
            descriptive_words=tuple(sorted((fold(x) for x in d.get("descriptive_words", ())), key=len, reverse=True)),
            succession=CueSet(d.get("succession", ())),
            successor_frames=_frames(d.get("successor_frames", ())),
            title_joiners=frozenset(fold(x) for x in d.get("title_joiners", ())),
            adjunct_frames=_frames(d.get("adjunct_frames", ())),
            part_nouns=tuple(fold(x) for x in d.get("part_nouns", ())),
            prepositions=frozenset(d.get("prepositions", ())),
            contrast_markers=frozenset(fold(x) for x in d.get("contrast_markers", ())),
            not_names=frozenset(fold(x) for x in d.get("not_names", ())),
        )
        for r in patterns.get(code, ()):
            rule = Rule(id=r["id"], lang=code, relations=tuple(r["relations"]),
                        triggers=tuple(fold(t) for t in r["triggers"]),
                        subject=tuple(r["subject"]), object=tuple(r["object"]),
                        passive=r.get("passive", True), object_marker=tuple(r.get("object_marker", ())),
                        between=tuple(r.get("between", ())), agent=tuple(r.get("agent", ("by",))),
                        amount=bool(r.get("amount")), subject_near=bool(r.get("subject_near")), noun=bool(r.get("noun")),
                        adjacent=bool(r.get("adjacent")), object_classes=tuple(r.get("object_classes", ())),
                        subject_classes=tuple(r.get("subject_classes", ())), swap=bool(r.get("swap")),
                        discovered=bool(r.get("discovered", True)), companions=tuple(r.get("companions", ())),
                        chain=bool(r.get("chain")), ended_by=tuple(fold(x) for x in r.get("ended_by", ())),
                        attached=bool(r.get("attached")), succession=bool(r.get("succession")),
                        object_then=tuple(fold(x) for x in r.get("object_then", ())),
                        object_part=tuple(fold(x) for x in r.get("object_part", ())),
                        release_object=str(r.get("release_object", "")),
                        plan_cues=tuple(fold(x) for x in r.get("plan_cues", ())),
                        near_classes=tuple(r.get("near_classes", ())), negated=bool(r.get("negated")),
                        confidence=float(r.get("confidence", 0.9)))
            for t in rule.triggers:
                lang.rules_by_trigger.setdefault(t, []).append(rule)
                words = t.split(" ")
                if len(words) == 2 and words[1] in lang.prepositions:  # "relies entirely on"
                    for adverb in lang.verb_adverbs:
                        variant = f"{words[0]} {adverb} {words[1]}"
                        if rule not in lang.rules_by_trigger.get(variant, ()):
                            lang.rules_by_trigger.setdefault(variant, []).append(rule)
        if code == "zh":  # unspaced text: a longer cue holds the shorter verb (an English cue is whole words)
            _inherit_suffix_rules(lang.rules_by_trigger)
        lang.triggers = CueSet(lang.rules_by_trigger)
        lang.attached_triggers = frozenset(t for t, rs in lang.rules_by_trigger.items() if all(r.attached for r in rs))
        lang.silent_triggers = frozenset(t for t, rs in lang.rules_by_trigger.items() if not any(r.relations for r in rs))
        lang.part_noun_re = re.compile(rf"(?:[\w-]+\s+){{0,3}}?(?:{'|'.join(map(re.escape, lang.part_nouns))})\b") \
            if lang.part_nouns else None
        possessive = patterns.get("possessive") or {}
        lang.possessive_rules = tuple(
            Rule(id="possessive", lang=code, relations=relations, triggers=(), subject=("left",), object=("right",),
                 passive=False, swap=swap, object_classes=classes, confidence=float(possessive.get("confidence", 0.75)))
            for relations, classes, swap in [
                *(((r,), (c,), False) for c, r in (possessive.get("by_object_class") or {}).items()),
                (tuple(possessive.get("relations", ())), (), False),
                (tuple(possessive.get("inverse_relations", ())), (), True)])
        langs[code] = lang
    return langs


@dataclass
class _Arg:
    """A chosen argument: the mention and how it was found (for confidence and the rule name)."""

    mention: Mention
    distance: int
    outside_clause: bool = False
    coordinated: bool = False


_BLOCKED = _Arg(Mention("", 0, 0, "", ""), 0)  # the search stops: the subject slot is taken


@dataclass
class _SentenceView:
    """Everything the rules need about one sentence, computed once."""

    sentence: Sentence
    folded: str
    mentions: list[Mention]          # entity and pronoun mentions, in order
    candidates: list[Mention]        # mentions that may fill an argument
    possessors: dict[int, Mention]   # start of a possessor (微软的Hyper-V) → the mention it modifies
    triggers: list[tuple[int, int, str]]
    breaks: list[tuple[int, int, str]]
    dates: list[DateMention]

    verb_ends: set[int] = field(default_factory=set)  # where triggers of verb rules end
    embedded: list[tuple[int, int]] = field(default_factory=list)  # ", which … ," relative clauses

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around ``pos``: bounded by clause breaks."""
        start, end = 0, len(self.folded)
        for s, e, _ in self.breaks:
            if e <= pos:
                start = e
            elif s >= pos:
                end = s
                break
        return start, end


class Extractor:
    """Turns documents into claims. One instance can serve many documents.

    >>> from kg.load import parse_document
    >>> doc = parse_document("思杰公司收购了XenSource。".encode(), "note.md")
    >>> [(c.subject, c.predicate, c.object) for c in Extractor().extract(doc)]
    [('citrix', 'acquired', 'xensource')]
    """

    def __init__(self, lexicon: Lexicon | None = None, ontology: Ontology | None = None,
                 patterns_file: str = "patterns.yaml"):
        self.lexicon = lexicon or Lexicon.load()
        self.ontology = ontology or Ontology.load()
        self.langs = _languages(patterns_file)
        self._alternatives = False  # whether a pronoun may stand for its other candidate antecedents

    # ------------------------------------------------------------ mentions

    def _pronoun_compatible(self, wanted: str, cls: str) -> bool:
        if wanted == "any":
            return not self.ontology.is_a(cls, "Person")
        return self.ontology.is_a(cls, wanted)

    def _resolve(self, wanted: str, pos: int, here: list[Mention], history: list[list[Mention]],
                 folded: str, lang: _Language, latest: bool = False, possessive: bool = False,
                 topic: bool = False) -> Mention | None:
        """The antecedent of a pronoun: nearest compatible mention before it in the sentence (not an
        adjunct such as 向Novell), else the first compatible mention of the previous sentences (the
        likely topic), nearest first."""
        return next(self._antecedents(wanted, pos, here, history, folded, lang, latest, possessive, topic), None)

    def _antecedents(self, wanted, pos, here, history, folded, lang, latest=False, possessive=False,
                     topic=False) -> Iterator[Mention]:
        """The compatible mentions a pronoun may point to, best first (see ``_resolve``)."""
        clause_start = 0
        if possessive and folded[:pos].rstrip().endswith(lang.copulas):
            clause_start = max((e for _, e, _ in lang.clause_breaks.spans(folded, 0, pos)), default=0)
        before = [m for m in here if m.end <= pos]
        for m in (before if topic else reversed(before)):
            if possessive and clause_start and m.start >= clause_start:
                continue
            lead = folded[:m.start].rstrip()
            if lead in lang.comparison_openers or _framed(lead, folded[m.end:pos].lstrip(), lang.adjunct_frames):
                continue  # "Like Virtual Iron's product, it …": the pronoun is compared with it
            if self._pronoun_compatible(wanted, m.cls) and not lead.endswith(lang.adjunct_markers):
                yield m
        for previous in reversed(history[-2:]):
            for m in (reversed(previous) if latest else previous):
                if self._pronoun_compatible(wanted, m.cls):
                    yield m

    _W = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # ASCII and Latin letters with accents
    _NAME_TAIL = rf"[{_W}]*(?:[-+.&][{_W}]+)*(?:,? (?:[A-Z0-9\u00c0-\u00de][{_W}]*(?:[-+.&][{_W}]+)*\.?|of|de|von))*"
    _LATIN_NAME = {"zh": re.compile(rf"(?<![{_W}])[A-Za-z\u00c0-\u024f]" + _NAME_TAIL),
                   "en": re.compile(rf"(?<![{_W}])[A-Z\u00c0-\u00de]" + _NAME_TAIL)}
    _URL = re.compile(r"(?:https?://|www\.)\S+")

    def discover(self, text: str, lang: _Language, taken: list[tuple[int, int]]) -> list[Mention]:
        """Candidate names the lexicon lacks: Latin-script names (capitalized in English), and
        Chinese names ending in 公司/集团. Their class is left open ("") until a relation types them."""
        free = lambda s, e: not any(a < e and s < b for a, b in taken)  # noqa: E731
        urls = [m.span() for m in self._URL.finditer(text)]
        out = []
        for m in self._LATIN_NAME[lang.code].finditer(text):
            start, end = m.span()
            name = m.group(0)
            while True:  # drop leading and trailing function words and years (The Xen project → Xen project)
                words = name.split(" ")
                if len(words) > 1 and (fold(words[0]) in lang.not_names | {"of", "de", "von"} or words[0].isdigit()):
                    start += len(words[0]) + 1
                    name = name[len(words[0]) + 1:]
                elif len(words) > 1 and words[-1] in ("of", "de", "von"):
                    name = name[: -len(words[-1]) - 1]
                    end = start + len(name)
                else:
                    break
            name = name.rstrip(",")
            end = start + len(name)
            if name.endswith(".") and not any(name.endswith(x) for x in lang.org_suffixes if x.endswith(".")):
                name, end = name[:-1], end - 1
            if len(name) < 2 or not any(c.isupper() for c in name) or fold(name) in lang.not_names:
                continue
            if re.search(r"-(?:based|owned|backed|funded|born|led|made|style)$", name, re.I):
                continue  # an adjective (Raleigh-based), not a name
            if lang.code == "en" and not name[0].isupper():
                continue
            if not free(start, end) or any(a <= start < b for a, b in urls):
                continue
            if start > 0 and (text[start - 1].isalnum() and text[start - 1].isascii()):
                continue
            cls = "Organization" if any(name.endswith(" " + x) or name == x for x in lang.org_suffixes) else ""
            out.append(Mention(discovered_id(name), start, end, name, cls, discovered=True))
        if lang.code == "zh":
            for suffix in lang.org_suffixes:
                for m in re.finditer(re.escape(suffix), text):
                    end = m.end()
                    start = m.start()
                    while start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" and m.start() - start < 6 \
                            and free(start - 1, start) and fold(text[start - 1]) not in lang.name_blockers:
                        start -= 1
                    while start < m.start() and fold(text[start]) in lang.name_blockers:
                        start += 1
                    stem = fold(text[start:m.start()])
                    if m.start() - start < 2 or not free(start, end) or "的" in stem or "家" in stem:
                        continue
                    for word in lang.descriptive_words:  # 德国公司, 开源虚拟化公司: a description
                        stem = stem.replace(word, "")
                    if not stem:
                        continue
                    if any(d.start < end and start < d.end for d in out):
                        continue
                    name = text[start:end]
                    out.append(Mention(discovered_id(name), start, end, name, "Organization", discovered=True))
        return [self._known(m) for m in out]

    def _known(self, m: Mention) -> Mention:
        """A discovered name that names a lexicon entity after all is that entity: "Qumranet" glued to
        the word before it (ＫＶＭQumranet) escapes the lexicon scan but not the lexicon."""
        entity = self.lexicon.lookup(m.text) or (m.entity if m.entity in self.lexicon.entities else None)
        if entity is None:
            return m
        return replace(m, entity=entity, cls=self.lexicon.entities[entity].cls, discovered=False)

    def _remember_short_names(self, mentions: list[Mention], short_names: dict[str, Mention]) -> None:
        """Record the short names of ``mentions`` that may later stand alone: the surnames of people,
        the last word of a discovered two-word name (Daniel Veillard … Veillard) and the version
        number of a release (Ubuntu 10.04 LTS … 10.04)."""
        for m in mentions:
            version = _RELEASE_VERSION.search(m.text) if m.cls == "Release" and not m.coref else None
            if version:
                short_names[version.group(1)] = m
            words = m.text.split(" ")
            if m.discovered and not m.coref and m.cls in ("", "Person") and len(words) == 2 and \
                    all(re.fullmatch(r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+", w) for w in words):
                short_names.setdefault(fold(words[1]), m)
            if m.cls == "Person" and not m.discovered and m.entity in self.lexicon.entities:
                e = self.lexicon.entities[m.entity]
                short_names[fold(e.en.split()[-1])] = m
                if "·" in e.zh:  # 伊恩·普拉特 → 普拉特
                    short_names[fold(e.zh.split("·")[-1])] = m

    _NEW_VERSION = re.compile(r" ?\d+\.\d+(?:\.\d+)*(?: LTS)?(?![\d.])")
    _VERSION_AFTER = re.compile(r"\s*(?:[（(][^）)]{1,20}[）)])?\s*(\d+(?:\.\d+)*)(?![\d.])")

    def _release_after(self, text: str, end: int, product: str) -> tuple[str, int] | None:
        """A version number after a product name, past an optional parenthesis, that names one of
        the product's releases in the lexicon: (release id, end offset)."""
        m = self._VERSION_AFTER.match(text, end)
        if not m:
            return None
        release = self.lexicon.release(product, m.group(1))
        return (release, m.end()) if release else None

    def mentions(self, sentence: Sentence, folded: str, lang: _Language, history: list[list[Mention]],
                 short_names: dict[str, Mention] | None = None,
                 matches: list[tuple[int, int, str]] | None = None,
                 inner_words: frozenset[str] = frozenset()) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Entity mentions and resolved pronouns of a sentence; also returns generic-phrase spans.

        ``short_names`` maps the short names of people and releases met earlier in the document to their
        mentions;
        ``matches`` are the sentence's lexicon matches when the caller has scanned them already;
        ``inner_words`` are the capitalized words the document also writes inside a sentence.
        """
        found, generic = [], []
        for start, end, entity_id in self.lexicon.scan(sentence.text, folded) if matches is None else matches:
            if entity_id == GENERIC:
                generic.append((start, end))
                continue
            e = self.lexicon.entities[entity_id]
            release = self._release_after(sentence.text, end, entity_id)
            if release is not None:  # Red Hat Enterprise Linux（RHEL）6 names the release RHEL 6
                entity_id, end = release
                e = self.lexicon.entities[entity_id]
            elif e.cls != "Release" and self.ontology.is_a(e.cls, "Software") and \
                    (version := self._NEW_VERSION.match(sentence.text, end)):
                # Ubuntu 11.10: a release the lexicon lacks, named after its product.
                name = sentence.text[start:version.end()]
                found.append(Mention(discovered_id(name), start, version.end(), name, "Release", discovered=True))
                continue
            found.append(Mention(entity_id, start, end, sentence.text[start:end], e.cls))
        taken = [(m.start, m.end) for m in found] + generic
        cue_spans = [(s, e) for s, e, _ in lang.triggers.spans(folded)] + \
            [(s, e) for s, e, _ in lang.pronouns.spans(folded)]
        short_names = dict(short_names or {})
        self._remember_short_names(found, short_names)
        for d in self.discover(sentence.text, lang, taken + cue_spans):
            person = short_names.get(fold(d.text))
            if person is not None:  # a surname naming a person met before: "Pratt later co-founded…"
                found.append(Mention(person.entity, d.start, d.end, d.text, "Person", coref=True,
                                     discovered=person.discovered))
            elif not (lang.code == "en" and " " not in d.text and not sentence.text[:d.start].strip(" \"'“‘(")) \
                    or d.text in inner_words or _INNER_CAPITAL.search(d.text):
                # A lone capitalized word opening an English sentence is no evidence of a name, unless
                # the document writes it capitalized elsewhere too (Juju … "tools such as Juju") or it
                # has an inner capital (OpenStack).
                found.append(d)
        for short, named in short_names.items():
            if named.cls == "Release":  # 10.04 after Ubuntu 10.04 LTS, but not in 10.04亿
                pattern = rf"(?<![a-z0-9_.$]){re.escape(short)}(?![a-z0-9_.%]|\s*{lang.number_units})"
                cls, discovered = "Release", named.discovered
            elif lang.code == "zh" and not short.isascii():  # a Chinese surname: 普拉特 after 伊恩·普拉特
                pattern, cls, discovered = re.escape(short), "Person", False
            else:
                continue  # a Latin surname is found among the discovered names above
            for hit in re.finditer(pattern, folded):
                if not any(a < hit.end() and hit.start() < b for a, b in taken):
                    found.append(Mention(named.entity, hit.start(), hit.end(), sentence.text[hit.start():hit.end()],
                                         cls, coref=True, discovered=discovered))
                    taken.append(hit.span())
        found.sort(key=lambda m: m.start)
        taken = [(m.start, m.end) for m in found] + generic
        trigger_ends = {e for _, e, _ in lang.triggers.spans(folded)}
        trigger_spans = [t for t in lang.triggers.spans(folded)  # "the Raleigh-based vendor" stays whole
                         if t[2] not in lang.attached_triggers]
        spans = [(m.start(), self._before_trigger(folded, m.start(), m.end(), trigger_spans), cls, False, latest, "",
                  topic) for pattern, cls, latest, topic in lang.descriptions for m in pattern.finditer(folded)
                 if lang.code != "en" or _word_before(folded, m.start()) not in lang.copulas]
        # (in English a description after a copula is a predicate, not a name: "KVM became the default hypervisor")
        descriptions = {(s, e) for s, e, *_ in spans}
        spans += [(s, e, *lang.pronoun_info[w]) for s, e, w in lang.pronouns.spans(folded)]
        pronouns = []
        for start, end, wanted, possessive, latest, prefer, topic in sorted(spans, key=lambda x: (x[0], -x[1])):
            inside = [m for m in found if m.discovered and start <= m.start and m.end <= end]
            if inside and not possessive:  # "the Palo Alto company": a description, not the name Palo Alto
                found = [m for m in found if m not in inside]
                taken = [span for span in taken if span not in {(m.start, m.end) for m in inside}]
            if any(s < end and start < e for s, e in taken):
                continue
            named = next((m for m in found if m.start >= end), None) if (start, end) in descriptions else None
            if named is not None and not folded[end:named.start].strip() \
                    and (not named.cls or self._pronoun_compatible(wanted, named.cls)):
                continue  # "the Israeli start-up Qumranet": a description of the name after it
            taken.append((start, end))
            here = sorted(found + pronouns, key=lambda m: m.start)
            appositive = next((m for m in reversed(here) if m.end <= start and
                               folded[m.end:start].strip() in (",", "，") and
                               (self._pronoun_compatible(wanted, m.cls) or (m.discovered and not m.cls))), None)
            if appositive is not None and not possessive:  # "Qumranet, the Israeli company that …"
                if not appositive.cls and wanted != "any":  # "MySQL AB, the Swedish company": a company
                    typed = replace(appositive, cls=wanted)
                    found = [typed if m is appositive else m for m in found]
                    appositive = typed
                pronouns.append(Mention(appositive.entity, start, end, sentence.text[start:end], appositive.cls,
                                        discovered=appositive.discovered, coref=True))
                continue
            # In subject position (no verb right before it) "it"/它 names the topic, not the nearest noun.
            lead = folded[:start].rstrip()
            governed = len(lead) in trigger_ends or len(lead.rstrip(lang.aspect_markers)) in trigger_ends  # 收购了这家公司
            topic = topic and not governed
            if governed and not possessive:  # "Citrix is competing with it": "it" is not Citrix
                here = [m for m in here if m not in self._local_subjects(folded, lang, here, start)]
            antecedent = (prefer and self._resolve(prefer, start, here, history, folded, lang, latest, possessive,
                                                   topic)) \
                or self._resolve(wanted, start, here, history, folded, lang, latest, possessive, topic)
            if antecedent is not None:
                others: list[tuple[str, str, bool]] = []
                if wanted == "any" and not possessive:
                    for m in self._antecedents(wanted, start, here, history, folded, lang, latest, possessive, topic):
                        if m.entity != antecedent.entity and m.entity not in [e for e, _, _ in others]:
                            others.append((m.entity, m.cls, m.discovered))
                        if len(others) == 3:
                            break
                pronouns.append(Mention(antecedent.entity, start, end, sentence.text[start:end], antecedent.cls,
                                        discovered=antecedent.discovered, coref=True, possessive=possessive,
                                        alternatives=tuple(others)))
        return sorted(found + pronouns, key=lambda m: m.start), generic

    @staticmethod
    def _before_trigger(folded: str, start: int, end: int, triggers) -> int:
        """A description ends where a trigger inside it begins: in "the German developer of
        VirtualBox" the description is "the German" and "developer of" stays a trigger."""
        for s, _, _ in triggers:
            if start < s < end and folded[start:s].strip().count(" ") >= 1:
                return len(folded[:s].rstrip())
        return end

    @staticmethod
    def _local_subjects(folded: str, lang: _Language, here: list[Mention], pos: int) -> list[Mention]:
        """The subject of the verb that governs an object pronoun at ``pos``: the mentions between the
        clause start (or an earlier verb) and that verb, unless a coordinator shows the subject is
        left out ("Red Hat bought Qumranet and then merged it")."""
        verbs = [t for t in lang.triggers.spans(folded, 0, pos)]
        if not verbs:
            return []
        verb_start = verbs[-1][0]
        start = max([e for _, e, _ in lang.clause_breaks.spans(folded, 0, verb_start)] +
                    [e for _, e, _ in verbs[:-1]] + [0])
        local = [m for m in here if m.start >= start and m.end <= verb_start]
        if not local:
            return []
        words = re.findall(r"[a-z]+|[^\sa-z]", folded[local[-1].end:verb_start])
        if any(w in lang.coordinators for w in words):
            return []
        return local

    # ------------------------------------------------------------ helpers on a sentence

    def _candidates(self, view_text: str, mentions: list[Mention], lang: _Language,
                    triggers: list[tuple[int, int, str]]) -> tuple[list[Mention], dict[int, Mention]]:
        """Mentions that can be arguments: not possessors (微软的Hyper-V, but 基于Xen的Oracle VM keeps
        Xen, the object of a relative clause), not possessive pronouns (其, its) unless an object
        marker precedes them, not the ends of a range (Xen到KVM)."""
        trigger_ends = {e for _, e, _ in triggers}
        possessors: dict[int, Mention] = {}
        out = []
        versions = {n.start for n in mentions if n.discovered and view_text[n.end:].lstrip().startswith(lang.version_nouns)}
        for i, m in enumerate(mentions):
            if i and mentions[i - 1].entity == m.entity and view_text[mentions[i - 1].end:m.start].strip() in ("（", "("):
                continue  # 昇阳电脑（Sun Microsystems）: the name in parentheses repeats the one before
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            if m.discovered and nxt is not None and _is_title(view_text[m.end:nxt.start].strip(), lang):
                continue  # VPS服务商Slicehost: a new word before a role noun describes the name after it
            owns_version = nxt is not None and nxt.start in versions and view_text[m.end:nxt.start].strip() in lang.possessive
            if owns_version:
                nxt = None  # OpenStack的Diablo版本, "OpenStack's Diablo release": a version of OpenStack
            if m.start in versions and i and view_text[mentions[i - 1].end:m.start].strip() in lang.possessive:
                continue  # the version's own name (Diablo) is no argument
            governed = len(view_text[:m.start].rstrip()) in trigger_ends
            if governed and nxt is not None and lang.locatives and \
                    view_text[nxt.end:].lstrip().startswith(lang.locatives):
                governed = False  # 运行在[SLES的Xen]之上: a place, whose owner is no relative clause
            if nxt is not None and not m.possessive and not governed:
                between = view_text[m.end:nxt.start].strip()
                described = lang.code == "zh" and re.fullmatch(r"的[\u4e00-\u9fff]{1,6}", between) \
                    and not any(ch in lang.name_blockers or ch in lang.coordinators for ch in between[1:]) \
                    and not lang.title_nouns.spans(between) and not any(
                        m.end <= s and e <= nxt.start for s, e, _ in triggers)  # 思杰的管理套件Citrix Essentials
                if between in lang.possessive or described or (lang.code == "en" and between in ("'s", "’s")):
                    possessors[m.start] = nxt
                    out.append(m)
                    continue
            if self._modifies_noun(view_text, m, lang):
                continue
            if lang.code == "en" and not owns_version and self._modifies_common_noun(view_text, m, lang, triggers, nxt):
                continue
            before = view_text[:m.start].rstrip()
            after = view_text[m.end:].lstrip()
            if _framed(before, after, lang.adjunct_frames):
                continue  # 与EC2不同, "unlike Xen": a comparison, not an argument
            marker = next((a for a in lang.adjunct_markers if before.endswith(a)), None)
            if marker and not any(s <= len(before) - len(marker) < e for s, e, _ in triggers) \
                    and not self._marks_object(view_text, lang, m, marker, triggers):
                continue
            if m.possessive:
                before = view_text[:m.start].rstrip()
                titled = any(ts == m.end and all(r.noun for r in lang.rules_by_trigger[w]) for ts, _, w in triggers)
                if not titled and not any(before.endswith(x) for x in lang.object_markers):
                    continue  # 其 before a title (其首席执行官为X) names the title's organization
            prev = mentions[i - 1] if i > 0 else None
            if nxt is not None and view_text[m.end:nxt.start].strip() in lang.range_markers:
                continue
            if prev is not None and view_text[prev.end:m.start].strip() in lang.range_markers:
                continue
            out.append(m)
        return out, possessors

    @staticmethod
    def _marks_object(text: str, lang: _Language, m: Mention, marker: str, triggers) -> bool:
        """Is the adjunct marker before ``m`` the object marker of a later trigger in the clause
        (向VMware发起挑战), rather than an adjunct (向Novell支付)?"""
        for s, _, word in triggers:
            if s >= m.end and not re.search(r"[，,。；;：:]", text[m.end:s]):
                return any(marker in r.object_marker for r in lang.rules_by_trigger[word])
        return False

    @staticmethod
    def _modifies_noun(text: str, m: Mention, lang: _Language) -> bool:
        """True when the mention is followed by a common noun it modifies (SLES支持凭证, Xen community)."""
        after = text[m.end:].lstrip()
        if after.startswith(lang.modifier_head_exceptions):
            return False
        for head in lang.modifier_heads:
            if after.startswith(head) and (lang.code == "zh" or not after[len(head):len(head) + 1].isalnum()):
                return True
        return False

    @staticmethod
    def _modifies_common_noun(text: str, m: Mention, lang: _Language, triggers, nxt: Mention | None) -> bool:
        """"the kernel's staging tree", "the Novell engineer": an English name before 's + a common
        noun, or before a role noun and no name, describes something else and is no argument."""
        after = text[m.end:]
        if after[:2] in ("'s", "’s"):
            rest = m.end + 3
            window = text[rest:rest + 40].split(",")[0]
            head = " ".join(window.split(" ")[:2])  # a trigger opening the noun phrase: "'s planned acquisition of"
            if any(rest <= s < rest + len(head) for s, _, _ in triggers):
                return False
            verb = min((s for s, _, _ in triggers if s >= rest + len(head)), default=None)
            if verb is not None and verb < rest + len(window):
                window = window[:verb - rest]  # the noun phrase ends at the verb: "'s public cloud runs on"
            if lang.part_noun_re and lang.part_noun_re.match(window):
                return False  # "Xen's host-side code was merged": the code stands for Xen
            return after[2:3] == " " and (nxt is None or nxt.start > rest + len(window)) \
                and not lang.title_nouns.spans(text[rest:rest + len(window)])
        role = lang.title_nouns.spans(text, m.end)
        if not role:
            return False
        end = role[0][1]
        while (joined := re.match(r"\s+(?:and|&)\s+", text[end:])) and any(
                s == end + joined.end() for s, _, _ in lang.title_nouns.spans(text, end)):
            end = next(e for s, e, _ in lang.title_nouns.spans(text, end) if s == end + joined.end())
        return m.cls != "Person" and role[0][0] == m.end + 1 and after[:1] == " " and (
            nxt is None or nxt.start > end + 1)  # "the Novell engineer" but not "XenSource co-founder and CTO X"

    def _has_marker(self, view: _SentenceView, lang: _Language, m: Mention, markers: tuple[str, ...],
                    strict: bool = True) -> bool:
        """Does one of ``markers`` stand right before ``m``? When ``strict``, not as a coordinator
        between two names (与VMware和微软: 和 joins, 与 marks). A possessor may stand between
        (与VMware的vSphere)."""
        owner = next((p for p, owned in view.possessors.items() if owned.start == m.start), m.start)
        before = view.folded[:owner].rstrip()
        for x in markers:
            x = fold(x)
            if before.endswith(x):
                rest = before[: len(before) - len(x)].rstrip()
                return not (strict and x in lang.coordinators and any(c.end == len(rest) for c in view.mentions))
            # A short modifier may stand between marker and name: 以[开源的]Eucalyptus, 以[开源]Xen.
            modified = re.search(rf"{re.escape(x)}[\u4e00-\u9fff]{{1,4}}的$", before)
            modified = modified and not before[:modified.start() + len(x)].endswith(lang.marker_exceptions)
            if lang.code == "zh" and (modified or any(before.endswith(x + w) for w in lang.descriptive_words)):
                return not (strict and x in lang.coordinators)
        return False

    def _of_class(self, m: Mention, classes: tuple[str, ...]) -> bool:
        """Is ``m`` of one of ``classes``? A release also counts as its product (RHEL 6 is an operating system)."""
        product = self.lexicon.entities[m.entity].release_of if m.cls == "Release" and m.entity in self.lexicon.entities \
            else ""
        product_cls = self.lexicon.entities[product].cls if product in self.lexicon.entities else ""
        return any(self.ontology.is_a(m.cls, c) or (product_cls and self.ontology.is_a(product_cls, c)) for c in classes)

    @staticmethod
    def _is_agent(view: _SentenceView, lang: _Language, m: Mention) -> bool:
        """Is ``m`` the agent after 由/被 (由以色列新创公司Qumranet开发), a few descriptive characters allowed?"""
        before = view.folded[max(0, m.start - 12):m.start]
        for s, e, _ in lang.passive.spans(before):
            rest = before[e:]
            if not re.search(r"[，,。；;：:]", rest) and not any(
                    c.end <= m.start and c.start >= m.start - len(before) + e for c in view.mentions if c is not m):
                return True
        return False

    CLASS_PREFERENCE = ("Organization", "Software", "Person", "Technique", "Event")

    def _fits(self, relation: str, role: str, m: Mention) -> bool:
        if self._alternatives and m.alternatives and not self.ontology.accepts(relation, role, m.cls):
            return any(cls and self.ontology.accepts(relation, role, cls) for _, cls, _ in m.alternatives)
        if m.cls:
            return self.ontology.accepts(relation, role, m.cls)
        cls = self._type_for(relation, role)  # a discovered name; a person has a first name and a surname
        return bool(cls) and not (cls == "Person" and " " not in m.text.strip())

    def _type_for(self, relation: str, role: str) -> str:
        """The class a discovered name takes when it fills ``role`` of ``relation``."""
        rel = self.ontology.relations[relation]
        allowed = sorted(rel.domain if role == "subject" else rel.range)
        if len(allowed) == 1:
            return allowed[0]
        return next((c for c in self.CLASS_PREFERENCE if c in allowed), allowed[0] if allowed else "")

    def _typed(self, arg: _Arg | None, relation: str, role: str) -> _Arg | None:
        m = arg.mention if arg is not None else None
        if self._alternatives and m is not None and m.alternatives and not self.ontology.accepts(relation, role, m.cls):
            entity, cls, discovered = next(a for a in m.alternatives
                                           if a[1] and self.ontology.accepts(relation, role, a[1]))
            arg.mention = replace(m, entity=entity, cls=cls, discovered=discovered, alternatives=())
        if arg is not None and not arg.mention.cls:
            arg.mention = replace(arg.mention, cls=self._type_for(relation, role))
        return arg

    def _pick(self, view: _SentenceView, lang: _Language, rule: Rule, relation: str, role: str, side: str,
              t: tuple[int, int, str], exclude: set[int], skip_objects: set[int], primary: bool,
              known_only: bool = False) -> _Arg | None:
        """The nearest acceptable mention on one side of trigger ``t``. Known entities come before
        discovered names, and the trigger's own clause before the rest of the sentence."""
        known_only = known_only or (role == "object" and not rule.discovered)
        for in_clause in (True, False):
            for discovered in (False,) if known_only else (False, True):
                arg = self._pick_from(view, lang, rule, relation, role, side, t, exclude, skip_objects, primary,
                                      discovered, in_clause)
                if arg is _BLOCKED:
                    return None
                if arg is not None:
                    return self._typed(arg, relation, role)
        return None

    def _pick_from(self, view, lang, rule, relation, role, side, t, exclude, skip_objects, primary,
                   discovered: bool, in_clause: bool) -> _Arg | None:
        ts, te, _ = t
        cs, ce = view.clause(ts)
        if side == "left":
            # A marker that may also coordinate (Novell与微软合作) counts when no plain marker does.
            strict = not (role == "object" and rule.object_marker) or any(
                self._has_marker(view, lang, c, rule.object_marker) for c in view.candidates if c.end <= ts)
            for m in reversed([m for m in view.candidates if m.end <= ts]):
                if in_clause and m.start < cs:
                    break
                if m.start in exclude:
                    continue
                if primary and m.start in skip_objects and not lang.relativizers.spans(view.folded, m.end, ts) \
                        and not _APPOSITIVE.fullmatch(view.folded[m.end:ts].rstrip()):
                    continue
                if primary and role == "subject" and (self._has_marker(view, lang, m, lang.object_markers) or
                                                      self._has_marker(view, lang, m, lang.adjunct_markers) or
                                                      (lang.code == "zh" and m.end <= cs and self._is_agent(view, lang, m))):
                    continue  # 把X…, 随X…: marked, not the subject; 由X开发，…: the agent of another clause
                if primary and role == "subject" and any(a <= m.start and m.end <= b <= ts for a, b in view.embedded):
                    continue  # inside ", which Citrix bought in 2007," or ", the startup behind KVM,": not the subject
                if role == "subject" and not rule.noun and len(view.folded[:m.start].rstrip()) in view.verb_ends \
                        and not lang.relativizers.spans(view.folded, m.end, ts) \
                        and not _APPOSITIVE.fullmatch(view.folded[m.end:ts].rstrip()):
                    continue  # the object of an earlier verb (借助KVM，…竞争) is not a later verb's subject,
                    # unless the trigger describes it ("sells Oracle VM, a product based on Xen")
                if m.start in view.possessors and self._fits(relation, role, view.possessors[m.start]):
                    continue
                if role == "object" and rule.object_marker and \
                        not self._has_marker(view, lang, m, rule.object_marker, strict):
                    continue
                if m.discovered == discovered and self._fits(relation, role, m):
                    return _Arg(m, ts - m.end, outside_clause=m.start < cs)
                if primary and in_clause and role == "subject" and not m.discovered and \
                        any(self.ontology.is_a(m.cls, a) for a in ("Organization", "Person")) and \
                        not self._has_marker(view, lang, m, lang.passive.words, strict=False):
                    return _BLOCKED  # an agent right before the verb is its subject, and it does not fit
            return None
        limit = ZH_MAX_GAP if lang.code == "zh" else EN_MAX_GAP
        clause_end = ce
        crossed = False
        for m in [m for m in view.candidates if m.start >= te]:
            if rule.adjacent and view.folded[te:m.start].strip():
                break  # an appositive argument follows its noun directly (的旗舰产品XenEnterprise)
            if m.start >= clause_end:
                # A list introduced after a comma (…，如 A、B; …, such as A and B) continues the clause.
                rest = view.folded[clause_end:m.start]
                nxt = rest.lstrip("，,:： ")
                if any(nxt.startswith(x) for x in lang.exemplifiers) or (
                        (rule.noun or view.folded[te:clause_end].strip() in lang.list_predicates)
                        and rest.lstrip().startswith(("：", ":")) and m.start - clause_end <= 12):
                    clause_end = view.clause(m.start)[1]  # also a list after a colon: 创始人共有五位：A、B…
                elif not in_clause and role == "subject" and not crossed and rule.subject[-1] == "right":
                    # A nominal clause before the comma (对Qumranet的收购完成后，红帽…): the subject follows.
                    crossed = True
                    clause_end = view.clause(m.start)[1]
                else:
                    break
            if m.start - te > limit:
                break
            if m.start in exclude:
                continue
            if m.start in view.possessors and (self._fits(relation, role, view.possessors[m.start])
                                               or view.possessors[m.start].start in exclude):
                continue
            # A mention governed by a nearer trigger belongs to it, unless it heads a relative clause (…的M).
            if any(te <= s and e <= m.start and w not in lang.attached_triggers
                   and view.folded[te:s].strip() not in lang.title_joiners  # 共同创办人暨技术长X
                   for s, e, w in view.triggers) and not self._heads_relative(view, lang, m):
                continue
            if self._inside_relative(view, lang, m):
                continue
            if role == "object" and rule.object_marker and not self._has_marker(view, lang, m, rule.object_marker):
                continue
            if role == "object" and not rule.object_marker and not rule.between and lang.prepositions and \
                    _word_before(view.folded, m.start) in lang.prepositions and \
                    t[2].split()[-1] not in lang.prepositions and view.folded[te:m.start].strip():
                continue  # "released in final form for Windows Server 2008": no direct object
            if m.discovered == discovered and self._fits(relation, role, m):
                head = self._appositive_head(view, lang, m)
                if head is not None and head.start not in exclude and self._fits(relation, role, head):
                    return _Arg(head, head.start - te, outside_clause=crossed)
                return _Arg(m, m.start - te, outside_clause=crossed)
        return None

    def _inside_relative(self, view: _SentenceView, lang: _Language, m: Mention) -> bool:
        """Is ``m`` the object inside a relative clause ([以RHEL源代码为基础]的Oracle Linux)? A trigger
        follows it and then a possessive marker and the mention the clause modifies."""
        later = [c for c in view.candidates if c.start >= m.end]
        if not later or lang.code != "zh":
            return False
        gap_end = later[0].start
        for s, e, _ in view.triggers:
            if m.end <= s and e <= gap_end and not re.search(r"[，,；;。]", view.folded[m.end:s]) \
                    and self._heads_relative(view, lang, later[0]) \
                    and view.folded[e:gap_end].lstrip().startswith(tuple(lang.possessive)):
                return True
        return False

    def _heads_relative(self, view: _SentenceView, lang: _Language, m: Mention) -> bool:
        """Does ``m`` head a relative clause ([基于KVM的]企业虚拟化产品RHEV)? A possessive marker stands
        at most 8 characters before it, with no other mention in between."""
        before = view.folded[max(0, m.start - 9):m.start]
        for marker in lang.possessive:
            i = before.rfind(fold(marker))
            if i >= 0 and not any(c.end > m.start - len(before) + i and c.start < m.start for c in view.candidates):
                return True
        return False

    def _appositive_head(self, view: _SentenceView, lang: _Language, m: Mention) -> Mention | None:
        """In "KVM developer Qumranet" or "红帽CEO Jim Whitehurst" the last name is the head."""
        later = [c for c in view.candidates if c.start >= m.end]
        if not later:
            return None
        gap = view.folded[m.end:later[0].start].strip()
        if lang.code == "zh" and gap.startswith(tuple(lang.possessive)):
            gap = gap[1:]  # KVM的开发者Qumranet
        if _is_title(gap, lang):
            return later[0]
        return None

    def _coordinated(self, view: _SentenceView, lang: _Language, arg: _Arg, relation: str, role: str,
                     direction: int, exclude: set[int]) -> list[_Arg]:
        """Mentions joined to ``arg`` by coordinators (A、B以及C; A, B and C), compatible with the role.

        Possessors between members are skipped: in "ESXi、微软的Hyper-V以及KVM" all three are members.
        """
        out = []
        cands = [c for c in view.candidates if c.start not in view.possessors or c.start == arg.mention.start]
        i = next((k for k, m in enumerate(cands) if m.start == arg.mention.start), None)
        if i is None:
            return out  # an argument that is no candidate ("Xen-based") heads no list
        while 0 <= i + direction < len(cands):
            nxt = cands[i + direction]
            a, b = sorted((cands[i], nxt), key=lambda m: m.start)
            gap = view.folded[a.end:b.start]
            if any(m.possessive and m.start >= a.end and m.end <= b.start for m in view.mentions):
                break  # "VMware, whose ESX": a possessive, not a list
            for m in view.mentions:
                if m.start >= a.end and m.end <= b.start:
                    gap = gap.replace(view.folded[m.start:m.end], " ")
                    gap = _without_possessive(gap, lang.possessive)
            gap = re.sub(r"[（(]\s*[）)]", "", gap).strip()  # 西蒙·克罗斯比（Simon Crosby）、Nick Gault
            if lang.code == "zh":  # 桌面虚拟化产品SolidICE以及[远程显示协议]SPICE: a descriptor before the next name
                joiner = next((c for c in sorted(lang.coordinators, key=len, reverse=True) if gap.startswith(c)), None)
                if joiner and re.fullmatch(r"[\u4e00-\u9fff]{2,8}", gap[len(joiner):]) and not any(
                        a.end <= s and e <= b.start for s, e, _ in view.triggers):
                    gap = joiner
            words = gap.replace(",", " , ").split()
            if direction > 0 and len(words) > 1 and words[-1] == _word_before(view.folded, a.start) \
                    and words[-1] not in lang.coordinators:
                words.pop()  # "competed with ESX and with Hyper-V": the preposition repeated
                gap = " ".join(words)
            if not gap or not (gap in lang.coordinators or all(w in lang.coordinators for w in words)):
                break
            if nxt.start in exclude or not self._fits(relation, role, nxt):
                break
            out.append(self._typed(_Arg(nxt, arg.distance, arg.outside_clause, coordinated=True), relation, role))
            i += direction
        return out

    def _restated(self, view: _SentenceView, lang: _Language, arg: _Arg, relation: str,
                  exclude: set[int]) -> list[_Arg]:
        """Objects that restate ``arg`` after a marker such as 也就是 or "namely" (硬件辅助虚拟化，也就是
        英特尔VT或AMD-V): each member fills the role too. A vendor named before a member is skipped."""
        end = arg.mention.end
        for m in (c for c in view.candidates if c.start >= arg.mention.end):
            gap = view.folded[end:m.start]
            gap = _without_possessive(gap, lang.possessive)
            if end != arg.mention.end:  # past a vendor: only its possessive may follow (英特尔的VT-x)
                if gap.strip():
                    return []
            elif not self._restates(gap, lang):
                return []
            if m.start not in exclude and self._fits(relation, "object", m):
                first = self._typed(_Arg(m, arg.distance, arg.outside_clause, coordinated=True), relation, "object")
                return [first] + self._coordinated(view, lang, first, relation, "object", 1, exclude)
            end = m.end
        return []

    @staticmethod
    def _restates(gap: str, lang: _Language) -> bool:
        """Does ``gap`` end in a restating marker, after at most a short head noun (扩展，也就是)?"""
        rest = gap.strip(" ，,:：")
        marker = next((x for x in lang.restatements if rest.endswith(x)), None)
        if marker is None:
            return False
        head = rest[:-len(marker)].rstrip(" ，,:：")
        return not re.search(r"[，,；;。：:（()）]", head) and len(head) <= 4 if lang.code == "zh" \
            else not re.search(r"[;:()]", head) and len(head.split()) <= 2

    # ------------------------------------------------------------ rules

    def _passive(self, view: _SentenceView, lang: _Language, rule: Rule, t) -> tuple[bool, int | None]:
        """Is the trigger in passive voice? Returns (passive, offset of the zh passive marker)."""
        if not rule.passive:
            return False, None
        ts, te, _ = t
        cs, _ = view.clause(ts)
        if lang.code == "zh":
            marks = [s for s in lang.passive.spans(view.folded, cs, ts)]
            for s, e, _ in reversed(marks):
                names = sum(m.end - m.start - 1 for m in view.mentions if e <= m.start and m.end <= ts)
                if ts - e - names <= 40 and not any(m.start < e and s < m.end for m in view.mentions):
                    return True, s  # names count as one character: 由A、B和C共同持有
            return False, None
        before = re.findall(r"[a-z']+", view.folded[cs:ts])[-2:]
        passive_words = set(lang.passive.words)
        if before and (before[-1] in passive_words or (len(before) == 2 and before[0] in passive_words
                                                       and before[1].endswith("ly"))):
            return True, None
        # "founded by …", "founded in 1998 by …": a participle with its agent
        agents = "|".join(re.escape(a) for a in rule.agent)
        participle = rf"\s+(?:(?:in|on|during|around)\s+[a-z0-9 ]{{1,24}}?\s+)?(?:{agents})\b"
        return bool(re.match(participle, view.folded[te:])), None

    @staticmethod
    def _names_as_one(view: _SentenceView, start: int, end: int) -> str:
        """``view.folded[start:end]`` with each name inside it written X, so that a name counts as one word."""
        gap = view.folded[start:end]
        for m in view.mentions:
            if m.start >= start and m.end <= end:
                gap = gap.replace(view.folded[m.start:m.end], "X")
        return gap

    def _polarity(self, view: _SentenceView, lang: _Language, t) -> str:
        ts, te, _ = t
        cs, _ = view.clause(ts)
        for s, e, word in lang.negation.spans(view.folded, cs, te):
            if s >= ts or any(view.folded.startswith(x, s) for x in lang.negation_exceptions):
                continue
            gap = view.folded[e:ts] if e <= ts else ""  # 不能运行: the negator overlaps the trigger 能运行
            if lang.code == "zh" and len(gap.strip()) <= 2 and not any(m.start >= e and m.end <= ts for m in view.mentions):
                return "negative"
            if lang.code == "zh" and gap.startswith(lang.light_verbs) and len(gap) <= 12 and \
                    sum(1 for m in view.mentions if m.start >= e and m.end <= ts) <= 1:
                return "negative"  # 不再担任昇阳执行长
            inside = [m for m in view.mentions if m.start >= e and m.end <= ts]
            if any(x.fullmatch(self._names_as_one(view, e, ts).strip()) for x in lang.negation_adverbials):
                return "negative"
            if lang.code == "en" and all(m.possessive or view.folded[m.end:m.end + 2] in ("'s", "’s") for m in inside):
                for m in inside:  # "no longer the company's chief executive"
                    gap = gap.replace(view.folded[m.start:m.end + 2], " ")
                if len(re.findall(r"[a-z]+", gap)) <= 2:
                    return "negative"
        if lang.code == "en" and re.search(r"\b(?:not|n't|never|no longer)\s*,\s*(?:however|though|also|still|yet|in fact"
                                          r"|so far|at least)\s*,\s*$", view.folded[:cs]):
            return "negative"  # "It does not, however, offer KVM"
        if lang.code == "en" and re.match(r"\s+without\b", view.folded[te:]):
            return "negative"
        return "positive"

    def _modality(self, view: _SentenceView, lang: _Language, t) -> str:
        ts, te, _ = t
        cs, _ = view.clause(ts)
        if lang.code == "en" and view.folded[:ts].endswith(" to ") and any(
                m.end == ts - 4 for m in view.mentions):
            return "planned"  # a headline: "Oracle to buy Virtual Iron"
        for s, e, word in lang.modality.spans(view.folded, cs, ts):
            if any(view.folded.startswith(x, s) for x in lang.modality_exceptions):
                continue
            if any(m.start == e or (m.start > e and not view.folded[e:m.start].strip()) for m in view.mentions) \
                    and lang.code == "zh" and len(word) == 1:
                continue  # 将 + noun: an object marker, not "will"
            gap = self._names_as_one(view, e, ts)  # 计划随Windows Server 2008一同推出
            if (lang.code == "zh" and len(gap) <= 12) or (lang.code == "en" and len(re.findall(r"[a-z]+", gap)) <= 4):
                return "planned"
        return "asserted"

    def _date(self, view: _SentenceView, pos: int) -> DateMention | None:
        if not view.dates:
            return None
        cs, ce = view.clause(pos)
        inside = [d for d in view.dates if cs <= d.start < ce]
        pool = inside or view.dates
        return min(pool, key=lambda d: (abs(d.start - pos), d.start))

    @staticmethod
    def _relative_head(view: _SentenceView, lang: _Language, pos: int,
                       heads: tuple[str, ...] | None = None) -> Mention | None:
        """The candidate a relative clause ending at ``pos`` modifies, if any: [包含在Linux内核中]的一个Xen,
        [基于Xen]的Oracle VM. ``heads`` are the markers that may open the gap (default: relative_heads)."""
        after = next((c for c in view.candidates if c.start >= pos), None)
        if after is None:
            return None
        gap = view.folded[pos:after.start].strip()
        gap = re.sub(r"^、[\u4e00-\u9fff]{1,6}(?=的)", "", gap)  # [收录]、[声势正旺]的Xen: two modifiers
        if re.search(r"[，,。；;、]", gap):
            return None
        for head in lang.relative_heads if heads is None else heads:
            if gap.startswith(head) and len(gap) - len(head) <= 8:
                return after
        return None

    def _with_relative_head(self, view, lang, rule, relation, te, subj: _Arg, obj: _Arg):
        """Apply the relative-clause rule: when a right-hand argument or the trigger itself ends a
        relative clause ([基于Xen]的Oracle VM, [以Xen为基础]的Oracle VM), the mention it modifies
        takes the other role."""
        if subj.mention.end <= te and obj.mention.end <= te and lang.code == "zh":
            head = self._relative_head(view, lang, te)
            if head is not None and self._fits(relation, "subject", head):
                return self._typed(_Arg(head, head.start - te), relation, "subject"), obj, False
        for arg, other in ((obj, "subject"), (subj, "object")):
            if arg.mention.start < te or "left" not in (rule.subject if other == "subject" else rule.object):
                continue
            head = self._relative_head(view, lang, arg.mention.end)
            if head is not None and self._fits(relation, other, head):
                new = self._typed(_Arg(head, head.start - te), relation, other)
                return (new, obj, False) if other == "subject" else (subj, new, False)
        return subj, obj, False

    def _arguments(self, view: _SentenceView, lang: _Language, rule: Rule, relation: str, t,
                   skip_objects: set[int]) -> tuple[_Arg, _Arg, bool] | None:
        """(subject, object, passive) for one relation of a rule, or None."""
        ts, te, _ = t
        if rule.attached:  # "Xen-based": the object is glued to the trigger, the subject found as usual
            obj = next((m for m in view.mentions if m.end == ts and not m.possessive), None)
            if obj is None or not self._fits(relation, "object", obj):
                return None
            for side in rule.subject:
                subj = self._pick(view, lang, rule, relation, "subject", side, t, {obj.start}, skip_objects, False)
                if subj is not None and side == "right" and re.match(r" [a-z]", view.sentence.text[subj.mention.end:]):
                    continue  # "Xen-based Linux guests": the name modifies a noun
                if subj is None and side == "right":  # "its own Xen-based server hypervisor, xVM Server"
                    np = re.match(r" (?:[a-z-]+ ){0,3}[a-z-]+, ", view.sentence.text[te:])
                    head = next((c for c in view.candidates if np and c.start == te + np.end()), None)
                    if head is not None and self._fits(relation, "subject", head) and not head.discovered:
                        subj = self._typed(_Arg(head, head.start - te), relation, "subject")
                if subj is not None:
                    return subj, self._typed(_Arg(obj, 0), relation, "object"), False
            return None
        passive, marker = self._passive(view, lang, rule, t)
        if passive:
            left_role = "subject" if rule.subject[0] == "left" else "object"
            right_role = "object" if left_role == "subject" else "subject"
            before = marker if lang.code == "zh" else ts
            patient = next((m for m in reversed(view.candidates)
                            if m.end <= before and self._fits(relation, right_role, m)
                            and not self._has_marker(view, lang, m, lang.adjunct_markers)
                            and not any(a <= m.start and m.end <= b <= ts for a, b in view.embedded)), None)
            head = self._relative_head(view, lang, te, lang.possessive) if lang.code == "zh" else None
            if head is not None and self._fits(relation, right_role, head):
                patient = head  # [由Qumranet开发]的KVM: the clause modifies the name after it
            if patient is None:
                return None
            if lang.code == "zh":
                agent = next((m for m in reversed(view.candidates) if marker < m.start and m.end <= ts), None)
            else:
                agents = "|".join(re.escape(a) for a in rule.agent)
                # "by Avi Kivity", "by a group of Israeli entrepreneurs including Benny Schnaider"
                introduced = re.compile(rf"\b(?:{agents})(?:\s+[a-z-]+){{0,6}}?\s+(?:including|such as|among them"
                                        rf"|led by)\s*$|\b(?:{agents})(?:\s+the)?\s*$")
                agent = next((m for m in view.candidates if m.start >= te and m.start - te <= EN_MAX_GAP
                              and introduced.search(view.folded[te:m.start])), None)
            if agent is not None:
                agent_arg = _Arg(agent, abs(agent.start - ts))
            elif lang.code == "zh" and len(view.folded[marker:ts].strip()) > 4:
                return None  # an agent that names no entity (被许多企业所采用)
            else:
                # Agentless passive (Xen支持被移除): the agent is an earlier argument of the sentence.
                agent = next((m for m in reversed(view.candidates)
                              if m.end <= patient.start and self._fits(relation, left_role, m)), None)
                if agent is None:
                    return None
                agent_arg = _Arg(agent, ts - agent.end, outside_clause=True)
            args = {left_role: agent_arg, right_role: _Arg(patient, ts - patient.end)}
            s, o = args["subject"], args["object"]
            if self._fits(relation, "subject", s.mention) and self._fits(relation, "object", o.mention):
                return self._typed(s, relation, "subject"), self._typed(o, relation, "object"), True
            return None
        if rule.noun and "right" in rule.subject and "left" in rule.object:
            # "KVM creator Qumranet", "红帽CEO Jim Whitehurst": the name after the role noun holds it.
            left = [c for c in view.candidates if c.end <= ts and not view.folded[c.end:ts].strip()]
            right = [c for c in view.candidates if c.start >= te and not view.folded[te:c.start].strip()]
            if left and right and self._fits(relation, "subject", right[0]) and self._fits(relation, "object", left[0]):
                return (self._typed(_Arg(right[0], 0), relation, "subject"),
                        self._typed(_Arg(left[0], 0), relation, "object"), False)
        same_right = (rule.subject == ("right",) and rule.object == ("right",)) or rule.subject_near
        subject_sides, object_sides = rule.subject, rule.object
        if view.folded[te:].lstrip(" ,，:：").startswith(lang.exemplifiers):
            # "Citrix developers such as Ian Campbell": the examples after the trigger fill its right side.
            subject_sides, object_sides = (tuple(sorted(sides, key=lambda s: s != "right"))
                                           for sides in (rule.subject, rule.object))
        order = (("subject", subject_sides), ("object", object_sides)) if same_right else \
            (("object", object_sides), ("subject", subject_sides))
        (first_role, first_sides), (second_role, second_sides) = order
        # A known entity on any side comes before a discovered name on the first side tried.
        firsts = [(side, known) for known in (True, False) for side in first_sides]
        for first_side, known_only in firsts:
            first = self._pick(view, lang, rule, relation, first_role, first_side, t, set(), skip_objects,
                               primary=False, known_only=known_only)
            if first is None:
                continue
            if first_side == "right" and not any(
                    self._pick(view, lang, rule, relation, second_role, side, t, {first.mention.start}, skip_objects,
                               False) for side in second_sides if side == "left"):
                head = self._relative_head(view, lang, first.mention.end)
                if head is not None and "left" in second_sides and self._fits(relation, second_role, head):
                    other = self._typed(_Arg(head, head.start - te), relation, second_role)
                    return (first, other, False) if first_role == "subject" else (other, first, False)
            for second_side in second_sides:
                primary = second_role == "subject" and second_side == "left" and rule.subject[0] == "left" \
                    and not rule.noun
                exclude = {first.mention.start}
                if first_side == second_side == "left" and second_role == "subject" and rule.object_marker:
                    # A marked object on the left comes after its subject (红帽…与VMware和微软的竞争).
                    exclude |= {c.start for c in view.candidates if c.start >= first.mention.start}
                second = self._pick(view, lang, rule, relation, second_role, second_side, t,
                                    exclude, skip_objects, primary)
                if second is None and second_role == "subject" and first.mention.end <= ts and lang.code == "zh":
                    head = self._relative_head(view, lang, te, lang.possessive)
                    if head is not None and not head.discovered and self._fits(relation, "subject", head):
                        # [以Xen为基础]的XenServer with no subject before it
                        return self._typed(_Arg(head, head.start - te), relation, "subject"), first, False
                if second is None:
                    continue
                if rule.between and first_side == second_side:
                    a, b = sorted((first.mention, second.mention), key=lambda m: m.start)
                    words = re.findall(r"[a-z]+|\S", view.folded[a.end:b.start])
                    if not any(fold(w) in words for w in rule.between):
                        continue
                subj, obj = (first, second) if first_role == "subject" else (second, first)
                if lang.code == "zh" and subj.outside_clause and obj.mention.start >= te and \
                        view.folded[te:obj.mention.start].lstrip().startswith(tuple(lang.possessive)):
                    return None  # [两年后发布]的RHEL 6: the relative clause names no subject
                return self._with_relative_head(view, lang, rule, relation, te, subj, obj)
        return self._reduced_relative(view, lang, rule, relation, t, skip_objects)

    def _reduced_relative(self, view, lang, rule, relation, t, skip_objects) -> tuple[_Arg, _Arg, bool] | None:
        """Object relative clauses: "the company Mark Shuttleworth founded", "XenSource, which Citrix
        bought", RHEV是红帽开发的平台: the description or name before the subject is the object."""
        if "right" not in rule.object:
            return None
        subj = self._pick(view, lang, rule, relation, "subject", "left", t, set(), skip_objects, False)
        if subj is None:
            return None
        before = [m for m in view.candidates if m.end <= subj.mention.start]
        if not before or not self._fits(relation, "object", before[-1]):
            return None
        gap = view.folded[before[-1].end:subj.mention.start].strip(" ,")
        if lang.code == "zh":  # [B开发]的N after "A是": A is what B made
            copula = next((c for c in lang.copulas if gap.endswith(c)), None)
            if copula is None or len(gap) - len(copula) > 2 or \
                    not view.folded[t[1]:].lstrip().startswith(tuple(lang.possessive)):
                return None
            return subj, _Arg(before[-1], t[0] - before[-1].end), False
        copulas = "|".join(map(re.escape, lang.copulas))
        appositive = re.fullmatch(rf",?\s*(?:(?:{copulas})\s+)?(?:an?|the)\s+[a-z0-9 -]{{1,40}}\s+(?:that|which)", gap) \
            and not any(
            before[-1].end <= s and e <= subj.mention.start for s, e, _ in view.triggers)
        if (before[-1].coref and not gap) or gap in ("which", "that", "whom") or appositive:
            # "XenSource, which Citrix bought"; "the Linux Integration Components, a set of drivers that Microsoft develops"
            return subj, _Arg(before[-1], t[0] - before[-1].end), False
        return None

    # ------------------------------------------------------------ claims

    def sentence_claims(self, doc: Document, view: _SentenceView, lang: _Language) -> list[Claim]:
        """All claims of one sentence."""
        claims: list[Claim] = []
        used_objects: set[int] = set()
        amounts = find_amounts(view.folded, lang.code)
        for t in view.triggers:
            if lang.code == "en" and re.match(r" [a-z]+ing\b", view.folded[t[1]:t[1] + 20]) and \
                    not any(m.start == t[1] + 1 for m in view.mentions) and \
                    not any(s == t[1] + 1 for s, _, _ in view.triggers):
                continue  # "started giving XenServer away": an auxiliary, the claim is in the next verb
            for rule in lang.rules_by_trigger[t[2]]:
                made = self._apply(doc, view, lang, rule, t, used_objects, amounts)
                if made:
                    claims.extend(made)
                    if not rule.chain:
                        break
        claims.extend(self._possessive_claims(doc, view, lang))
        return claims

    def _possessive_claims(self, doc: Document, view: _SentenceView, lang: _Language) -> list[Claim]:
        """Claims read from possessives: 微软的Hyper-V, 其ESX Server, Microsoft's Hyper-V."""
        pairs = list(view.possessors.items())
        for i, m in enumerate(view.mentions[:-1]):
            nxt = view.mentions[i + 1]
            if m.possessive and not view.folded[m.end:nxt.start].strip() and lang.pronoun_possessions:
                pairs.append((m.start, nxt))
            elif view.folded[m.end:nxt.start].strip() in lang.possessive_after and m.cls == "Person" and not m.coref:
                pairs.append((nxt.start, m))  # "Rusty Russell of IBM": IBM's Rusty Russell
        out = []
        owners = {m.start: m for m in view.mentions}
        for start, owned in pairs:
            owner = owners[start]
            if owner.entity == owned.entity or owned.possessive or self._modifies_noun(view.folded, owned, lang):
                continue
            for rule in lang.possessive_rules:
                subj, obj = (owned, owner) if rule.swap else (owner, owned)
                if rule.object_classes and not self._of_class(obj, rule.object_classes):
                    continue
                relation = next((r for r in rule.relations if self.ontology.accepts(r, "subject", subj.cls)
                                 and self.ontology.accepts(r, "object", obj.cls)), None)
                if relation is None:
                    continue
                first, second = sorted((owner, owned), key=lambda x: x.start)
                t = (first.end, second.start, view.folded[first.end:second.start].strip() or "'s")
                out.append(self._claim(doc, view, rule, relation, t, _Arg(subj, 0), _Arg(obj, 0), False,
                                       "positive", "asserted", self._date(view, owner.start), None))
                break
        return out

    def _apply(self, doc, view, lang, rule, t, used_objects, amounts) -> list[Claim]:
        """The claims of one rule at one trigger. Pronouns stand for their first antecedent; only when
        that reads nothing are their other candidates tried (It was based on Linux 2.6: the release)."""
        made = self._apply_relations(doc, view, lang, rule, t, used_objects, amounts)
        if made or not any(m.alternatives for m in view.mentions):
            return made
        self._alternatives = True
        try:
            return self._apply_relations(doc, view, lang, rule, t, used_objects, amounts)
        finally:
            self._alternatives = False

    def _apply_relations(self, doc, view, lang, rule, t, used_objects, amounts) -> list[Claim]:
        for relation in rule.relations:
            found = self._arguments(view, lang, rule, relation, t, used_objects)
            if found is None:
                mutual = self._mutual(doc, view, lang, rule, relation, t, used_objects)
                if mutual:
                    return mutual
                continue
            subj, obj, passive = found
            if subj.mention.entity == obj.mention.entity:
                continue
            if rule.object_classes and not self._of_class(obj.mention, rule.object_classes) \
                    or rule.subject_classes and not self._of_class(subj.mention, rule.subject_classes):
                continue  # another rule of the same trigger reads these arguments
            if rule.object_then and not _object_then_re(rule.object_then).match(view.folded[obj.mention.end:]):
                continue
            if rule.object_part and _object_part_re(rule.object_part).match(view.folded[obj.mention.end:].lstrip()):
                continue  # 收购Connectix的虚拟机技术: a part of the company changed hands, not the company
            if rule.near_classes and any(self.ontology.is_a(subj.mention.cls, c) for c in rule.near_classes) and (
                    subj.outside_clause or subj.mention.end > t[0] or
                    len(re.findall(r"[a-z]+|[\u4e00-\u9fff]", view.folded[subj.mention.end:t[0]])) > 3):
                continue  # "XenSource, the start-up that sells software based on Xen": the software is based on it
            if rule.swap:
                subj, obj = obj, subj
            away = -1 if subj.mention.end <= t[0] else 1
            # Coordination runs both ways: a known name may be picked past a discovered one (Citrix and Sun).
            subjects = [subj] + self._coordinated(view, lang, subj, relation, "subject", away, {obj.mention.start}) \
                + self._coordinated(view, lang, subj, relation, "subject", -away, {obj.mention.start})
            # A marked object opens its list (由A和B组成, 与A和B竞争): its members follow it.
            towards = 1 if rule.object_marker or obj.mention.end > t[0] else -1
            objects = [obj] + self._coordinated(view, lang, obj, relation, "object", towards, {subj.mention.start})
            objects += self._restated(view, lang, objects[-1], relation, {subj.mention.start})
            subjects += self._companions(view, lang, rule, relation, objects[-1])
            cs, ce = view.clause(t[0])
            polarity = self._polarity(view, lang, t)
            if rule.ended_by and any(w in view.folded[t[1]:ce] or re.search(
                    rf"{re.escape(w)}\s*(?:as|from)?\s*(?:its\s+|the\s+)?$", view.folded[cs:t[0]])
                    for w in rule.ended_by):
                # "CEO Jonathan Schwartz stepped down", "stepped down as CEO", 执行长X随即离职
                polarity = "negative"
            if rule.negated:  # "lacks live migration"; "does not lack it" affirms
                polarity = "positive" if polarity == "negative" else "negative"
            modality = self._modality(view, lang, t)
            if modality == "planned" and any(w in view.folded[t[1]:] for w in lang.completion_cues):
                modality = "asserted"  # "would acquire VMware …, and the deal closed in January 2004"
            if rule.plan_cues and _plan_cue_re(rule.plan_cues, lang.code == "en").search(view.folded[cs:t[0]]):
                modality = "planned"  # "agreed to acquire", 同意收购: the deal is not closed
            date = self._date(view, t[0])
            amount = None
            if rule.amount and amounts:
                amount = min(amounts, key=lambda a: abs(a.start - t[0])).normalized()
            subjects = list({a.mention.entity: a for a in reversed(subjects)}.values())[::-1]
            objects = list({a.mention.entity: a for a in reversed(objects)}.values())[::-1]
            out = []
            if rule.release_object:  # "merged into Linux 2.6.20": into the kernel, and 2.6.20 includes it
                for o in list(objects):
                    product = self.lexicon.entities[o.mention.entity].release_of \
                        if o.mention.entity in self.lexicon.entities else ""
                    if product and product in self.lexicon.entities:
                        for s_ in subjects:
                            out.append(self._claim(doc, view, rule, rule.release_object, t, o, s_, passive, polarity,
                                                   modality, date, amount))
                        p = self.lexicon.entities[product]
                        objects[objects.index(o)] = _Arg(replace(o.mention, entity=product, cls=p.cls), o.distance,
                                                         o.outside_clause, o.coordinated)
            if polarity == "positive" and not self.ontology.relations[relation].symmetric:
                for alt in self._contrasted(view, lang, relation, t, objects):
                    for s_ in subjects:
                        out.append(self._claim(doc, view, rule, relation, t, s_, alt, passive, "negative", modality,
                                               date, amount))
            if rule.succession and polarity == "positive":
                holder, predecessor = self._succession(view, lang, relation, subj, t)
                if holder is not None:
                    subjects = [holder]
                for o in objects if predecessor is not None else ():
                    out.append(self._claim(doc, view, rule, relation, t, predecessor, o, passive, "negative",
                                           modality, date, amount))
            successor = self._successor(view, lang, relation, t) if rule.succession and polarity == "negative" else None
            for o in objects if successor is not None else ():
                out.append(self._claim(doc, view, rule, relation, t, successor, o, passive, "positive", modality,
                                       date, amount))
            for s in subjects:
                for o in objects:
                    if s.mention.entity == o.mention.entity:
                        continue
                    out.append(self._claim(doc, view, rule, relation, t, s, o, passive, polarity, modality,
                                           date, amount))
                    if not rule.noun and not passive and \
                            view.folded[t[1]:o.mention.start].strip() not in lang.possessive:
                        # the head of [Novell推出]的SLES and a passive patient (KVM由Qumranet开发) stay topics
                        used_objects.add(o.mention.start)
            return out
        return []

    def _companions(self, view, lang, rule, relation, last_object: _Arg) -> list[_Arg]:
        """Subjects named after the object with a companion marker: "co-founded XenSource with
        Simon Crosby and Nick Gault"."""
        if not rule.companions or last_object.mention.end <= 0:
            return []
        first_gap, more = _companion_res(tuple(fold(x) for x in rule.companions))
        out: list[_Arg] = []
        end = last_object.mention.end
        while True:
            after = [c for c in view.candidates if c.start >= end]
            if not out:
                ok = after and first_gap.fullmatch(view.folded[end:after[0].start].strip())
            else:
                found = more.match(view.folded, end)
                after = [c for c in after if found and c.start == found.end()]
                ok = bool(after)
            if not ok or not self._fits(relation, "subject", after[0]):
                return out
            first = self._typed(_Arg(after[0], after[0].start - end, coordinated=True), relation, "subject")
            members = [first] + self._coordinated(view, lang, first, relation, "subject", 1,
                                                  {last_object.mention.start})
            out += members
            end = members[-1].mention.end

    def _succession(self, view, lang, relation, subj: _Arg, t) -> tuple[_Arg | None, _Arg | None]:
        """(holder, predecessor) when a succession verb relates two people around a role: "Maritz
        replaced Greene as chief executive" (the subject found was Greene), "named Maritz chief
        executive, replacing Greene", 由Maritz接替Greene出任执行长."""
        people = [c for c in view.candidates if self._fits(relation, "subject", c) and c.cls == "Person"]
        cs, ce = view.clause(subj.mention.start)
        for s, e, _ in lang.succession.spans(view.folded):
            if re.search(r"[；;]", view.folded[min(e, t[0]):max(s, t[1])]):
                continue  # a succession told in another part of the sentence
            after = next((p for p in people if p.start >= e and (
                not (gap := view.folded[e:p.start].strip()) or _is_title(gap, lang))), None)  # 接替[创办人]X
            if after is None:
                continue
            if after.start == subj.mention.start:  # the subject found is the one replaced
                before = next((p for p in reversed(people) if p.end <= s and p.start >= cs), None)
                if before is not None:
                    return self._typed(_Arg(before, subj.distance), relation, "subject"), subj
            elif after.entity != subj.mention.entity and s >= subj.mention.end:
                return None, self._typed(_Arg(after, subj.distance), relation, "subject")
        return None, None

    def _successor(self, view, lang, relation, t) -> _Arg | None:
        """The person who takes over a role that ended, in a frame after it:
        不再担任CEO，该职位由马瑞兹接任."""
        for m in view.candidates:
            if m.start < t[1] or m.cls != "Person" or not self._fits(relation, "subject", m):
                continue
            if _framed(view.folded[:m.start].rstrip(), view.folded[m.end:].lstrip(), lang.successor_frames):
                return self._typed(_Arg(m, m.start - t[1]), relation, "subject")
        return None

    def _contrasted(self, view, lang, relation, t, objects: list[_Arg]) -> list[_Arg]:
        """Objects set against the chosen one in the same clause: "bet on KVM rather than Xen",
        选择了KVM而不是Xen: the subject did not take them."""
        last = max(o.mention.end for o in objects)
        ce = view.clause(t[0])[1]
        out = []
        for m in view.mentions:
            if last <= m.start < ce and not m.coref and self._fits(relation, "object", m):
                gap = view.folded[last:m.start].strip(" ,，")
                if gap in lang.contrast_markers:
                    out.append(self._typed(_Arg(m, m.start - t[1]), relation, "object"))
        return out

    def _mutual(self, doc, view, lang, rule, relation, t, used_objects) -> list[Claim]:
        """A symmetric relation whose subjects are coordinated and whose object is missing relates the
        members to each other: "Intel and AMD compete", 英特尔与AMD相互竞争."""
        if not self.ontology.relations[relation].symmetric or "left" not in rule.subject:
            return []
        first = self._pick(view, lang, rule, relation, "subject", "left", t, set(), used_objects, primary=True)
        if first is None:
            return []
        members = [first] + self._coordinated(view, lang, first, relation, "subject", -1, set())
        members = list({a.mention.entity: a for a in members}.values())
        if len(members) < 2:
            return []
        polarity, modality, date = self._polarity(view, lang, t), self._modality(view, lang, t), self._date(view, t[0])
        return [self._claim(doc, view, rule, relation, t, a, b, False, polarity, modality, date, None)
                for i, a in enumerate(members) for b in members[i + 1:]]

    def _claim(self, doc, view, rule, relation, t, s: _Arg, o: _Arg, passive, polarity, modality, date, amount) -> Claim:
        sent = view.sentence
        conf = rule.confidence
        flags = []
        if passive:
            flags.append("passive")
        for arg in (s, o):
            if arg.mention.coref:
                conf *= 0.9
                flags.append("coref")
            if arg.mention.discovered:
                conf *= 0.8
                flags.append("discovered")
            if arg.outside_clause:
                conf *= 0.85
            if arg.coordinated:
                flags.append("coordination")
            conf *= max(0.7, 1.0 - 0.005 * max(0, arg.distance - 4))
        rel = self.ontology.relations[relation]
        if rel.symmetric and s.mention.entity > o.mention.entity:
            s, o = o, s
        s_start, s_end = sent.source_span(s.mention.start, s.mention.end)
        o_start, o_end = sent.source_span(o.mention.start, o.mention.end)
        trigger_text = sent.text[t[0]:t[1]]
        rule_name = f"{rule.lang}/{rule.id}:{trigger_text}" + "".join(f"+{f}" for f in dict.fromkeys(flags))
        return Claim(
            subject=s.mention.entity, predicate=relation, object=o.mention.entity, doc_id=doc.id,
            sentence_index=sent.index, sentence=sent.text, sentence_start=sent.start, sentence_end=sent.end,
            subject_text=s.mention.text, subject_start=s_start, subject_end=s_end,
            object_text=o.mention.text, object_start=o_start, object_end=o_end,
            rule=rule_name, confidence=round(min(conf, 1.0), 2), polarity=polarity, modality=modality,
            year=date.year if date else None,
            date_text=sent.text[date.start:date.end].strip() if date else None,
            relative_date=bool(date and date.relative), amount=amount,
            subject_class=s.mention.cls, object_class=o.mention.cls,
            subject_discovered=s.mention.discovered, object_discovered=o.mention.discovered)

    def extract(self, doc: Document) -> list[Claim]:
        """Claims of a document, in sentence order."""
        lang = self.langs["zh" if doc.lang.startswith("zh") else "en"]
        history: list[list[Mention]] = []
        claims: list[Claim] = []
        last_year = None
        short_names: dict[str, Mention] = {}
        possessive_hints = tuple(fold(x) for x in lang.possessive) + tuple(
            w for w, info in lang.pronoun_info.items() if info[1])
        # One scan of the whole document finds the sentences with a trigger and every lexicon match;
        # sentences without a trigger then cost next to nothing.
        joined = "\n".join(s.text for s in doc.sentences)
        folded_all = fold(joined)
        starts = [0]
        for sentence in doc.sentences[:-1]:
            starts.append(starts[-1] + len(sentence.text) + 1)
        inner_words = frozenset(_INNER_WORD.findall(joined)) if lang.code == "en" else frozenset()
        with_trigger = {bisect_right(starts, s) - 1 for s, _, _ in lang.triggers.spans(folded_all)}
        matches: dict[int, list[tuple[int, int, str]]] = {}
        for s, e, entity in self.lexicon.scan(joined, folded_all):
            i = bisect_right(starts, s) - 1
            matches.setdefault(i, []).append((s - starts[i], e - starts[i], entity))
        for i, sentence in enumerate(doc.sentences):
            folded = folded_all[starts[i]:starts[i] + len(sentence.text)]
            if i not in with_trigger:
                # No relation trigger: only the mentions matter, for later pronouns, and possessives.
                known = [Mention(e, s, t, sentence.text[s:t], self.lexicon.entities[e].cls)
                         for s, t, e in matches.get(i, ()) if e != GENERIC]
                if not known or not any(h in folded for h in possessive_hints):
                    history.append(known)
                    self._remember_short_names(known, short_names)
                    if _DIGIT.search(folded):
                        absolute = [d.year for d in find_dates(folded, doc.lang, doc.year, last_year,
                                                               [(m.start, m.end) for m in known]) if not d.relative]
                        last_year = absolute[-1] if absolute else last_year
                    continue
            mentions, generic = self.mentions(sentence, folded, lang, history, short_names, matches.get(i, []), inner_words)
            self._remember_short_names(mentions, short_names)
            taken = [(m.start, m.end) for m in mentions] + generic
            triggers = [t for t in lang.triggers.spans(folded)
                        if t[2] not in lang.silent_triggers  # 长期支持版 only hides 支持
                        and not any(s < t[1] and t[0] < e for s, e in taken)
                        and not (lang.event_determiners and folded[:t[0]].rstrip().endswith(lang.event_determiners))]
            dates = find_dates(folded, doc.lang, doc.year, last_year, [(m.start, m.end) for m in mentions if not m.coref])
            candidates, possessors = self._candidates(folded, mentions, lang, triggers)
            view = _SentenceView(sentence, folded, mentions, candidates, possessors, triggers,
                                 lang.clause_breaks.spans(folded), dates,
                                 {e for _, e, w in triggers if any(not r.noun for r in lang.rules_by_trigger[w])},
                                 [m.span() for m in _EMBEDDED.finditer(folded)] if lang.code == "en" else [])
            claims.extend(self.sentence_claims(doc, view, lang))
            absolute = [d.year for d in dates if not d.relative]
            if absolute:
                last_year = absolute[-1]
            history.append(mentions)
        return _dedupe(claims)


# The version number that ends a release's name: "Ubuntu 10.04 LTS" → 10.04, "Linux 2.6.20" → 2.6.20.
_RELEASE_VERSION = re.compile(r"(?<![a-z0-9_.])(\d+\.\d+(?:\.\d+)*)(?:\s*LTS)?\s*$", re.IGNORECASE)


def _is_title(text: str, lang: _Language) -> bool:
    """Is ``text`` exactly one role noun (创办人, "co-founder")?"""
    return bool(text) and [w for _, _, w in lang.title_nouns.spans(text)] == [text]


def _without_possessive(text: str, markers: tuple[str, ...]) -> str:
    """``text`` without a possessive marker at its end: "英特尔的" → "英特尔", "Intel's " → "Intel"."""
    for marker in markers:
        text = re.sub(rf"\s*{re.escape(fold(marker))}\s*$", "", text)
    return text


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen, out = set(), []
    for c in claims:
        key = (c.subject, c.predicate, c.object, c.sentence_index, c.subject_start, c.object_start, c.polarity)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
