"""What a clause states: the facts the criteria of section 9.4 are about.

:func:`extract_facts` reads a text (English, Simplified Chinese or a mix) and returns
:class:`Fact` records: a category of personal information, a purpose, a recipient, a right and
the channel, deadline and fee of exercising it, a phone number, an e-mail address, a company
name, a merger, a duration … each with its canonical value, the exact words and where they are.
:func:`diff_facts` compares the facts of two texts (one clause), and
:func:`diff_document_facts` those of two whole documents (a category collected anywhere for the
first time is new even when its sentence moved).

The extractors are small named functions, run in a fixed order (:data:`EXTRACTORS`). Vocabulary
lives in :mod:`analyzer.facts.vocabulary`; patterns are built so that matching stays linear in the
length of the text (no repeated group contains a repeated atom; every run that a pattern may
scan is bounded or anchored at the start of its run by a look-behind), because policies are fed
to it unchecked.

Pure functions: no I/O, no outside library.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, Literal

from analyzer.facts.vocabulary import STOP_PHRASES, VOCABULARY, Terms
from analyzer.text.scan import (
    WORD_CHARS,
    ZH_NUMERALS,
    Cue,
    ascii_lower,
    clause_starts,
    expand_phrase,
    format_number,
    modal_cues,
    negation_cues,
    negation_spans,
    parse_number,
    phrase_atoms,
    phrase_key,
    piece_of,
    sentence_starts,
    starts_word,
    trie_pattern,
    word_matches,
)

__all__ = [
    "EXTRACTORS",
    "FACT_KINDS",
    "PAIRED_KINDS",
    "SCANNING_PATTERNS",
    "Cue",
    "Fact",
    "FactChange",
    "FactDelta",
    "diff_document_facts",
    "diff_facts",
    "diff_texts",
    "extract_document_facts",
    "extract_facts",
    "modal_cues",
    "negation_cues",
    "parse_number",
]

FACT_KINDS: dict[str, str] = {
    "pi-category": "a category of personal information (contact, location, biometric, minors …)",
    "purpose": "a purpose of processing (service, security, marketing, analytics, AI training …)",
    "recipient": "a class of recipient (partners, affiliates, advertisers, authorities …)",
    "processing": "a way of handling information (collect, share, transfer, sell, cross-border …)",
    "location": "a country, region or 'overseas' where information is stored or sent",
    "retention": "how long information is kept (a duration in a retention sentence, or a rule)",
    "right": "a right of the user (access, copy, correct, delete, withdraw consent, close account …)",
    "channel": "a way of exercising a right or reaching the company (hotline, e-mail, console path …)",
    "deadline": "how long the company takes to answer (a duration in a reply sentence)",
    "fee": "whether requests are free or charged",
    "phone": "a telephone number (value: digits, with + when international)",
    "email": "an e-mail address (value: lower case)",
    "url": "a web address or a bare domain (value: host and path, lower case host)",
    "address": "a postal address",
    "department": "a responsible department or officer (DPO, legal department, customer service …)",
    "complaint": "where to complain (report centre, regulator, court, arbitration)",
    "organisation": "a named company (value: the name in lower case, suffix normalised)",
    "controller": "the entity in control of the information (a named controller, or the role)",
    "ownership": "a change of ownership or control (merger, acquisition, bankruptcy …)",
    "risk": "a risk assessment, a high risk or a security incident",
    "commitment": "a promise about the user's rights (value restrict-rights; negated = promise not to)",
    "age": "an age threshold (value: years)",
    "duration": "any duration (value: '15 days'; magnitude: days)",
    "money": "an amount of money (value: 'CNY 100')",
    "percentage": "a percentage (value: '5%')",
    "count": "a plain number (value: the integer)",
    "date": "a calendar date (value: ISO 8601, 'YYYY-MM-DD' or 'YYYY-MM')",
    "reference": "a cross-reference or list marker ('Article 5.1' -> '5.1', '(1)')",
}
"""Every fact kind :func:`extract_facts` emits, with what it means."""

PAIRED_KINDS = frozenset(
    {
        "deadline",
        "retention",
        "fee",
        "phone",
        "email",
        "url",
        "address",
        "controller",
        "age",
        "duration",
        "money",
        "percentage",
        "count",
        "date",
    }
)
"""Kinds whose values replace one another: a removed and an added fact of one of these kinds
are reported as one *changed* fact (a deadline of 15 days became 60 days)."""


@dataclass(frozen=True)
class Fact:
    """One thing a text states, found by one extractor."""

    kind: str
    """One of :data:`FACT_KINDS`."""
    value: str
    """Canonical value, comparable across wording: ``contact``, ``15 days``, ``4008013260``."""
    text: str
    """The exact words of the text (``text[span[0]:span[1]]`` of the source)."""
    span: tuple[int, int]
    """Character offsets of :attr:`text` in the source, start inclusive, end exclusive."""
    negated: bool = False
    """The sentence denies it: 'we will **not** share … with advertisers'."""
    magnitude: float | None = None
    """A number to compare values of the same kind: days for durations, deadlines and
    retention periods, the amount for money and percentages, years for ages, the count."""
    clause: str | None = None
    """The clause the fact was found in, when extracted by :func:`extract_document_facts`."""

    @property
    def key(self) -> tuple[str, str, bool]:
        """What two facts must share to be the same statement: kind, value, negation."""
        return (self.kind, self.value, self.negated)

    def label(self) -> str:
        """``kind:value``, with ``not `` in front when negated (``recipient:not advertisers``)."""
        return f"{self.kind}:{'not ' if self.negated else ''}{self.value}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "span": list(self.span),
            "negated": self.negated,
            "magnitude": self.magnitude,
            "clause": self.clause,
        }


ChangeHow = Literal["negated", "affirmed", "increased", "decreased", "replaced"]


@dataclass(frozen=True)
class FactChange:
    """A fact that is still there but says something else."""

    kind: str
    """Kind of both facts."""
    before: Fact
    """The fact in the old text."""
    after: Fact
    """The fact in the new text."""
    how: ChangeHow
    """``negated`` (now denied), ``affirmed`` (no longer denied), ``increased`` /
    ``decreased`` (magnitude), or ``replaced`` (another value)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "how": self.how,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }


DeltaChange = Literal["added", "removed", "increased", "decreased"]


@dataclass(frozen=True)
class FactDelta:
    """What changed between the facts of two texts, per kind."""

    added: tuple[Fact, ...] = ()
    """Facts of the new text the old did not state (positions in the new text)."""
    removed: tuple[Fact, ...] = ()
    """Facts of the old text the new no longer states (positions in the old text)."""
    changed: tuple[FactChange, ...] = ()
    """Facts still there with another value or the opposite negation."""

    @property
    def is_empty(self) -> bool:
        """True when the two texts state the same facts."""
        return not (self.added or self.removed or self.changed)

    def kinds(self) -> frozenset[str]:
        """Kinds with any difference."""
        return frozenset(
            [f.kind for f in self.added]
            + [f.kind for f in self.removed]
            + [c.kind for c in self.changed]
        )

    def touches(self, spec: str) -> bool:
        """Whether a difference concerns ``spec``: a kind (``recipient``) or a kind and value
        (``processing:share``), before or after the change."""
        kind, _, value = spec.partition(":")
        facts = [*self.added, *self.removed]
        facts += [c.before for c in self.changed] + [c.after for c in self.changed]
        return any(f.kind == kind and (not value or f.value == value) for f in facts)

    def for_kind(self, kind: str) -> FactDelta:
        """Only the differences of one kind."""
        return FactDelta(
            added=tuple(f for f in self.added if f.kind == kind),
            removed=tuple(f for f in self.removed if f.kind == kind),
            changed=tuple(c for c in self.changed if c.kind == kind),
        )

    def matching(
        self,
        kind: str,
        change: DeltaChange,
        value: str | None = None,
        negated: bool = False,
    ) -> tuple[Fact | FactChange, ...]:
        """The differences that match one pattern, as the criteria packs write them.

        ``removed``: a fact of ``kind`` (and ``value`` if given) with this ``negated`` flag was
        stated before and is not any more: deleted, flipped to the opposite negation, or
        replaced by another value. ``added``: the reverse. ``increased`` / ``decreased``: a
        changed fact of ``kind`` whose magnitude grew or shrank (a longer deadline).
        """

        def fits(fact: Fact) -> bool:
            return (
                fact.kind == kind
                and (value is None or fact.value == value)
                and fact.negated == negated
            )

        if change == "removed":
            found: list[Fact | FactChange] = [f for f in self.removed if fits(f)]
            found += [c for c in self.changed if fits(c.before) and not fits(c.after)]
            return tuple(found)
        if change == "added":
            found = [f for f in self.added if fits(f)]
            found += [c for c in self.changed if fits(c.after) and not fits(c.before)]
            return tuple(found)
        return tuple(
            c
            for c in self.changed
            if c.kind == kind
            and c.how == change
            and (value is None or value in (c.before.value, c.after.value))
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": [f.to_dict() for f in self.added],
            "removed": [f.to_dict() for f in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


# --------------------------------------------------------------------------- vocabulary


_BUCKET_SIZE = 40
"""Most first characters one phrase pattern starts with. The engine tries the alternatives of
an alternation one after the other, so a pattern whose phrases start with 600 different
Chinese characters costs 600 tests at every candidate position; patterns of at most 40 keep
that cost small."""


class _PhraseMatcher:
    """The phrases of one language as trie patterns, one per bucket of first characters.

    A bucket's pattern is compiled the first time a text contains one of its first characters:
    a pattern cannot match a text without them, and an English text never pays for the buckets
    of Chinese phrases (compiling a trie of a thousand phrases is most of the matcher's cost in
    a one-shot ``policy diff``)."""

    def __init__(
        self,
        sources: tuple[str, ...],
        firsts: tuple[frozenset[str], ...],
        meanings: Mapping[str, tuple[tuple[str, str], ...]],
    ) -> None:
        self.sources = sources
        """One trie pattern (source) per bucket of first characters."""
        self.firsts = firsts
        """The first characters of each bucket's phrases."""
        self.meanings = meanings
        """Phrase key -> (kind, value) pairs; an empty tuple for a stop phrase."""
        self._compiled: list[re.Pattern[str] | None] = [None] * len(sources)

    def _pattern(self, k: int) -> re.Pattern[str]:
        compiled = self._compiled[k]
        if compiled is None:
            compiled = self._compiled[k] = re.compile(self.sources[k])
        return compiled

    @property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """Every bucket's pattern, compiled."""
        return tuple(self._pattern(k) for k in range(len(self.sources)))

    def matches(self, lower: str) -> list[tuple[int, int]]:
        """Spans of phrases in ``lower``, leftmost-longest and not overlapping. A phrase that
        starts with a Latin letter or digit must start a word."""
        found: list[tuple[int, int]] = []
        present = frozenset(lower)
        for k, firsts in enumerate(self.firsts):
            if present.isdisjoint(firsts):
                continue  # no phrase of this bucket can start anywhere in the text
            pattern = self._pattern(k)
            pos = 0
            while pos <= len(lower):
                m = pattern.search(lower, pos)
                if m is None:
                    break
                if lower[m.start()] not in WORD_CHARS or starts_word(lower, m.start()):
                    found.append((m.start(), m.end()))
                    pos = m.end() if m.end() > m.start() else m.start() + 1
                else:
                    pos = m.start() + 1
        if len(self.sources) > 1:
            found.sort(key=lambda se: (se[0], -se[1]))
        kept: list[tuple[int, int]] = []
        last_end = -1
        for start, end in found:
            if start >= last_end:
                kept.append((start, end))
                last_end = end
        return kept


def _build_matcher(vocabulary: Mapping[str, Mapping[str, Terms]], chinese: bool) -> _PhraseMatcher:
    meanings: dict[str, list[tuple[str, str]]] = {}
    atom_lists: dict[str, list[str]] = {}

    def add(phrase: str, meaning: tuple[str, str] | None) -> None:
        for form in expand_phrase(phrase):
            key = phrase_key(form)
            if not key:
                continue
            bucket = meanings.setdefault(key, [])
            if meaning is not None and meaning not in bucket:
                bucket.append(meaning)
            lowered = ascii_lower(form)
            if lowered not in atom_lists:
                atom_lists[lowered] = phrase_atoms(form, chinese=chinese)

    for kind, values in vocabulary.items():
        for value, terms in values.items():
            for phrase in terms.zh if chinese else terms.en:
                add(phrase, (kind, value))
    for phrase in STOP_PHRASES.zh if chinese else STOP_PHRASES.en:
        add(phrase, None)
    by_first: dict[str, list[list[str]]] = {}
    for form in sorted(atom_lists):
        by_first.setdefault(form[0], []).append(atom_lists[form])
    firsts = sorted(by_first)
    buckets = [firsts[i : i + _BUCKET_SIZE] for i in range(0, len(firsts), _BUCKET_SIZE)]
    return _PhraseMatcher(
        sources=tuple(
            trie_pattern(atoms for first in bucket for atoms in by_first[first])
            for bucket in buckets
        ),
        firsts=tuple(frozenset(bucket) for bucket in buckets),
        meanings={k: tuple(sorted(v)) for k, v in meanings.items()},
    )


@cache
def _matchers() -> tuple[_PhraseMatcher, _PhraseMatcher]:
    """The English and Chinese matchers, built on first use (keeps ``policy --help`` fast);
    their patterns compile when a text needs them."""
    return _build_matcher(VOCABULARY, chinese=False), _build_matcher(VOCABULARY, chinese=True)


# --------------------------------------------------------------------------- patterns
# Every pattern below runs over lower-cased text (ascii_lower) unless it says otherwise, and
# starts with a literal or a character class (see analyzer.text.scan for the rules).

_UNIT_DAYS = {
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "working day": 7 / 5,
    "week": 7.0,
    "month": 30.0,
    "year": 365.0,
}
_EN_UNITS = {
    "minute": "minute",
    "minutes": "minute",
    "hour": "hour",
    "hours": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
_ZH_UNITS_OF_TIME = {
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "自然日": "day",
    "日历日": "day",
    "工作日": "working day",
    "周": "week",
    "星期": "week",
    "月": "month",
    "年": "year",
}
_DURATION_TAIL = (
    r"(?:\s{1,3}\(\d{1,4}\))?[\s\-]{1,3}"
    r"(?:(?P<qual>working|business|calendar|natural|consecutive)[\s\-]{1,3})?"
    r"(?P<unit>minutes?|hours?|days?|weeks?|months?|years?)(?![a-z])"
)
_DURATION_DIGITS = re.compile(r"(?P<num>\d(?<![a-z0-9_.]\d)\d{0,3}(?:\.\d{1,2})?)" + _DURATION_TAIL)
_DURATION_WORDS = re.compile(
    r"(?P<num>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|hundred|an|a)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
    + _DURATION_TAIL
)
_NUM_ZH = r"[\d" + ZH_NUMERALS + r"]"
_DURATION_ZH = re.compile(
    r"(?P<num>" + _NUM_ZH + r"(?<!" + _NUM_ZH + _NUM_ZH + r")" + _NUM_ZH + r"{0,4}+)"
    r"\s{0,2}+(?P<ge>个)?\s{0,2}+(?P<unit>工作日|自然日|日历日|分钟|小时|星期|天|日|周|月|年)"
)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    # (pattern, whether its match must start a word)
    (re.compile(_MONTH + r"\.?\s{1,3}(?P<day>\d\d?)(?:st|nd|rd|th)?,?\s{1,3}" + _YEAR), True),
    (
        re.compile(
            r"(?P<day>\d(?<![a-z0-9_]\d)\d?)(?:st|nd|rd|th)?\s{1,3}"
            + _MONTH
            + r"\.?,?\s{1,3}"
            + _YEAR
        ),
        True,
    ),
    (re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d?)-(?P<day>\d\d?)(?![a-z0-9_\-])"), True),
    (re.compile(r"(?P<year>(?:19|20)\d\d)/(?P<month>\d\d?)/(?P<day>\d\d?)(?![a-z0-9_/])"), True),
    (
        re.compile(
            r"(?P<year>(?:19|20)\d\d)\s{0,2}年\s{0,2}(?P<month>\d\d?)\s{0,2}月"
            r"(?:\s{0,2}(?P<day>\d\d?)\s{0,2}[日号])?"
        ),
        True,
    ),
    (re.compile(_MONTH + r"\.?,?\s{1,3}" + _YEAR), True),
)

_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "美元": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "英镑": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "人民币": "CNY",
    "元": "CNY",
}
_MONEY_BEFORE = re.compile(
    r"(?P<cur>us\$|usd|eur|gbp|rmb|cny|人民币|\$|€|£|¥|￥)\s{0,3}(?P<num>\d[\d,]{0,15}(?:\.\d{1,2})?)"
)
_MONEY_AFTER = re.compile(
    r"(?P<num>\d(?<![a-z0-9_.,]\d)[\d,]{0,15}(?:\.\d{1,2})?)\s{0,3}"
    r"(?P<cur>dollars?|euros?|pounds?|yuan|rmb|元|美元|欧元|英镑)(?![a-z])"
)
_PERCENT = re.compile(
    r"(?P<num>\d(?<![a-z0-9_.,]\d)\d{0,2}(?:[.,]\d{1,3})?)\s{0,2}"
    r"(?:%|％|percent(?![a-z])|per cent(?![a-z]))"
)
_PERCENT_ZH = re.compile(r"百分之(?P<num>[" + ZH_NUMERALS + r"]{1,5})")

# A run of digits with the separators telephone numbers use; its shape is checked in Python.
_PHONE = re.compile(r"[+(\d](?<![a-z0-9_+.\-/][+(\d])[\d ().\-]{1,24}\d(?![a-z0-9_\-]|\.\d)")
_PHONE_CONTEXT = re.compile(
    r"(?:hotline|phone|telephone|tel|call|dial|fax|mobile|电话|热线|拨打|致电|客服|传真|手机)"
    r"[^.;。；\n]{0,24}$"
)
_EMAIL_AT = re.compile(r"@[a-z0-9\-]{1,63}\.[a-z0-9.\-]{1,190}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\[\](){}\u3000-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]{1,2000}"
)
_LINK_TARGET = re.compile(r"\]\((?P<target>[^()\s]{1,2000})\)")
_DOMAIN = re.compile(
    r"[a-z0-9](?<![a-z0-9_@./:\-][a-z0-9])[a-z0-9\-]{0,62}+\.[a-z][a-z0-9.\-]{1,200}+"
)
_TLDS = frozenset(
    {
        "com", "cn", "net", "org", "io", "co", "uk", "jp", "de", "fr", "eu", "info", "gov",
        "edu", "us", "ai", "app", "dev", "hk", "sg", "tw", "kr", "ru", "br", "au", "ca", "nl",
        "ch", "ie", "biz", "tv", "xyz", "mobi", "site", "online", "tech", "cloud",
    }
)  # fmt: skip

_REFERENCE_WORD = re.compile(
    r"(?:articles?|sections?|clauses?|paragraphs?|art\.|§)\s{0,3}(?P<num>\d\d{0,2}[\d.]{0,14})"
)
_REFERENCE_DOTTED = re.compile(r"\d(?<![a-z0-9_.]\d)\d{0,2}\.\d\d{0,2}[\d.]{0,12}")
_REFERENCE_ZH = re.compile(
    r"第\s{0,2}(?P<num>[\d" + ZH_NUMERALS + r".]{1,8})\s{0,2}(?:条|章|节|款|项|部分)"
)
_LIST_MARKER = re.compile(
    r"[(（](?P<inner>\d\d?|[a-z]|[ivx]{2,4}|[" + ZH_NUMERALS + r"]{1,3})[)）]"
)
_SPELLED_REFERENCE = re.compile(
    r"(?P<a>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s{1,3}point"
    r"\s{1,3}(?P<b>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?![a-z])"
)
_COUNT = re.compile(r"\d(?<![a-z0-9_.,\-/+@]\d)[\d,]{0,14}+(?![a-z0-9_%％])")
_COUNT_ZH = re.compile(
    r"[" + ZH_NUMERALS + r"][" + ZH_NUMERALS + r"]{0,3}(?=\s{0,2}[个项种类条次名家周岁])"
)
_AGE_WORDS = re.compile(
    r"(?:under|below|over|above|aged|age of|ages of|younger than|older than)\s{1,3}"
    r"(?:the\s{1,3}age\s{1,3}of\s{1,3})?(?P<n>\d\d?)(?!\d)"
)
_AGE_YEARS = re.compile(r"(?P<n>\d(?<!\d\d)\d?)(?:\s{1,3}years?\s{1,3}(?:old|of age)|-year-old)")
_AGE_ZH = re.compile(
    r"(?P<n>"
    + _NUM_ZH
    + r"(?<!"
    + _NUM_ZH
    + _NUM_ZH
    + r")"
    + _NUM_ZH
    + r"{0,2}+)\s{0,2}+(?:周岁|岁)"
)

# Organisation suffixes are matched case-sensitively on the original text.
_ORG_SUFFIX_EN = re.compile(
    r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|LLP|GmbH|AG|S\.A|SA|SAS|B\.V|BV|N\.V"
    r"|Corp|Corporation|Co|Company|PLC|plc|Pty|Pte|Holdings|Group|Foundation)(?![A-Za-z])\.?"
)
_ORG_SUFFIX_ZH = re.compile(r"有限责任公司|股份有限公司|有限公司|集团|公司|银行|基金会|研究院")
_ORG_CONNECTORS = frozenset({"&", "and", "of", "for", "de", "la", "und", "the"})
_ORG_STOPWORDS = frozenset(
    {
        "the", "this", "that", "these", "those", "our", "we", "you", "your", "its", "it", "a",
        "an", "and", "if", "for", "with", "by", "to", "from", "in", "on", "at", "see", "per",
        "as", "or", "such", "including", "unless", "except", "when", "where", "which", "who",
        "please", "all", "any", "each",
    }
)  # fmt: skip
_ORG_ZH_STOP = frozenset("的与和及或向由给将被在是为指即等其对从、我您你贵该此本")
_ORG_ZH_GENERIC = frozenset(
    {
        "关联", "子", "母", "分", "合作", "第三方", "其他", "其它", "相关", "上述", "前述",
        "新的", "新", "控股", "支付", "物流", "保险", "本", "该", "此", "贵", "总", "各",
        "任何", "一家", "集团", "全资子", "控股子", "全资", "独资", "参股",
    }
)  # fmt: skip
_ORG_SUFFIX_CANON = {
    "limited": "ltd",
    "ltd": "ltd",
    "incorporated": "inc",
    "inc": "inc",
    "corporation": "corp",
    "corp": "corp",
    "company": "co",
    "co": "co",
    "l.l.c": "llc",
}
_LIST_INTRO = re.compile(
    r"\s{0,2}[(（]?\s{0,2}(?:such as|including|like|e\.g\.,?|namely|for example,?)\s{0,2}"
)
_NAME_TOKEN = re.compile(r"[^\s,;:()（）、，。][^\s,;:()（）、，。]{0,39}")
_NAME_TOKEN_REVERSED = re.compile(r"(?P<gap>[ ,]{0,3}+)(?P<token>[^\s,;:()（）、，。]{1,40}+)")
_OR_OTHER = re.compile(r"(?:or|and) other(?![a-z])")

_PATH_SEGMENT = re.compile(r"[\[【“\"「『][^\[\]【】“”\"「」『』\n]{1,60}[\]】”\"」』]")
_PATH_GAP = re.compile(r"\s{0,3}(?:->|—>|[-—–>→/›»|＞]){1,2}\s{0,3}")

_ADDRESS_LABEL = re.compile(
    r"(?:registered address|registered office|postal address|mailing address|office address"
    r"|address|located at|headquartered at|注册地址|办公地址|联系地址|通讯地址|地址)"
)
_ADDRESS_SEPARATOR = re.compile(r"\s{0,2}[:：]\s{0,2}|\s{0,2}[为是]\s{0,2}|\s{1,3}(?=\S)")
_ADDRESS_END = re.compile(r"[)）;；。\n]|\.(?=\s|$)")
_ADDRESS_ZH = re.compile(r"[省市](?P<rest>[\u4e00-\u9fff0-9a-z\-]{2,40}?(?:号|室|楼|层|幢|栋|座))")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_RESTRICT_VERB = re.compile(
    r"(?:restrict|restricts|restricted|restricting|limit|limits|reduce|reduces|diminish"
    r"|curtail|impair|削减|限制|减少|降低|剥夺)(?![a-z])"
)
_RIGHTS_WORD = re.compile(r"(?:rights?|权利|权益)(?![a-z])")

_DEADLINE_CUE = re.compile(
    r"(?:reply|replies|respond|response|responses|answer|process your request"
    r"|handle your request|feedback|notify|inform|回复|答复|响应|反馈|处理您的)(?![a-z])"
)
_RETENTION_CUE = re.compile(
    r"(?:retain|retains|retained|retention|store|stores|stored|storage|keep|kept|save|saved"
    r"|delete|deleted|erase|erased|hold|held|保存|保留|存储|留存|删除)(?![a-z])"
)
_WITHIN_BEFORE = re.compile(
    r"(?:within|no later than|not later than|in no more than|up to|in)\s{1,3}"
    r"(?:the\s{1,3}(?:next|following)\s{1,3})?$"
)
_WITHIN_AFTER_ZH = re.compile(r"\s{0,2}(?:之内|以内|内)")

# Menu paths written without quotes ('Settings > Privacy > Technical data'), street addresses
# without a label ('PO Box 440, Glasgow'), and risk levels stated after the noun ('the residual
# risk is serious'). Each pattern finds an anchor; the words around it are read by hand, a
# bounded number of them, so that scanning stays linear.
_MENU_SEPARATOR = re.compile(r"[ \t](?:>|›|→|»|->|＞)[ \t]")
_MENU_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’&\-]{0,29}")
_MENU_WORD_BACK = re.compile(r"[A-Za-z0-9'’&\-]{0,29}[A-Za-z]")
_MENU_JOINERS = frozenset(
    {"and", "or", "in", "to", "at", "on", "for", "from", "the", "a", "an", "of", "by", "with"}
    | {"under", "via", "through", "then", "into", "is", "are", "you", "we", "it", "this", "that"}
)
_MENU_MAX_WORDS = 3

_STREET_TYPE = re.compile(
    r"(?:street|road|avenue|lane|boulevard|drive|row|square|place|wharf|quay|court|parkway"
    r"|terrace|crescent|highway|way|st|rd|ave|blvd)(?![a-z])"
)
_PO_BOX = re.compile(r"p\.?\s{0,2}o\.?\s{0,2}box\s{1,3}\d{1,6}(?![\d])")
_STREET_ABBREVIATION = re.compile(r"(?<![a-z])(?:st|rd|ave|blvd|dr|ln|sq|ct|pl|no)$")
_ADDRESS_WORD_BACK = re.compile(r"\s{1,2}(?P<word>[a-z'’\-]{1,20}|\d{1,5}[a-z]?)(?![a-z0-9])")

_RISK_NOUN = re.compile(r"risks?(?![a-z])")
_RISK_LEVEL_AFTER = re.compile(
    r"(?:is|are|was|were|as|be|been|remains?|remained)\s{1,3}"
    r"(?:very\s{1,3}|still\s{1,3}|particularly\s{1,3}|too\s{1,3}|rather\s{1,3})?"
    r"(?P<level>high|serious|severe|significant|considerable|substantial|elevated"
    r"|unacceptable|critical|major)(?![a-z])"
)
_CLAUSE_END = re.compile(r"[.;:!?。；：！？\n]")


SCANNING_PATTERNS: tuple[re.Pattern[str], ...] = (
    _DURATION_DIGITS,
    _DURATION_WORDS,
    _DURATION_ZH,
    *(p for p, _ in _DATE_PATTERNS),
    _MONEY_BEFORE,
    _MONEY_AFTER,
    _PERCENT,
    _PERCENT_ZH,
    _PHONE,
    _EMAIL_AT,
    _URL,
    _LINK_TARGET,
    _DOMAIN,
    _REFERENCE_WORD,
    _REFERENCE_DOTTED,
    _REFERENCE_ZH,
    _LIST_MARKER,
    _SPELLED_REFERENCE,
    _COUNT,
    _COUNT_ZH,
    _AGE_WORDS,
    _AGE_YEARS,
    _AGE_ZH,
    _ORG_SUFFIX_EN,
    _ORG_SUFFIX_ZH,
    _OR_OTHER,
    _PATH_SEGMENT,
    _ADDRESS_LABEL,
    _ADDRESS_ZH,
    _RESTRICT_VERB,
    _RIGHTS_WORD,
    _DEADLINE_CUE,
    _RETENTION_CUE,
    _MENU_SEPARATOR,
    _STREET_TYPE,
    _PO_BOX,
    _RISK_NOUN,
)
"""The patterns that scan whole texts (the tests check the rules of :mod:`analyzer.text.scan`
on them and on the vocabulary matchers)."""


# --------------------------------------------------------------------------- extractors


@dataclass
class _Scan:
    """Working state of one extraction: the text, what was found, which spans are taken."""

    text: str
    lower: str
    facts: list[Fact] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)
    """Spans of value-like facts (URL, e-mail, date, phone …) later patterns must not reuse."""
    _reversed: str | None = None

    def reversed(self) -> str:
        """The text reversed (for reading words right to left), computed once."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.taken, (start, start))
        if i > 0 and self.taken[i - 1][1] > start:
            return True
        return i < len(self.taken) and self.taken[i][0] < end

    def add(
        self,
        kind: str,
        value: str,
        start: int,
        end: int,
        *,
        magnitude: float | None = None,
        exclusive: bool = False,
    ) -> bool:
        """Record a fact; an ``exclusive`` one is refused when it overlaps a taken span, and
        takes its own span when recorded."""
        if exclusive:
            if self.overlaps(start, end):
                return False
            bisect.insort(self.taken, (start, end))
        self.facts.append(
            Fact(kind, value, self.text[start:end], (start, end), magnitude=magnitude)
        )
        return True


def _extract_emails(scan: _Scan) -> None:
    """E-mail addresses; the value is lower case."""
    lower = scan.lower
    for m in _EMAIL_AT.finditer(lower):
        start = m.start()
        floor = max(0, m.start() - 64)
        while start > floor and lower[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start == m.start():
            continue
        raw = lower[start : m.end()].rstrip(".-")
        tld = raw.rsplit(".", 1)[-1]
        if not tld.isalpha() or len(tld) < 2:
            continue
        scan.add("email", raw, start, start + len(raw), exclusive=True)


def _extract_urls(scan: _Scan) -> None:
    """Web addresses (``https://…``, ``www.…``), then bare domains with a known top-level
    domain; the value drops the scheme and ``www.`` and lower-cases the host."""
    text, lower = scan.text, scan.lower
    for m in _URL.finditer(lower):
        if m.start() > 0 and lower[m.start() - 1] in WORD_CHARS | {"/", "@", "."}:
            continue
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?'\"":
            end -= 1
        raw = text[m.start() : end]
        value = re.sub(r"^https?://", "", raw, flags=re.IGNORECASE)
        host, _, rest = value.partition("/")
        host = host.casefold().removeprefix("www.")
        rest = rest.rstrip("/")
        scan.add("url", host + ("/" + rest if rest else ""), m.start(), end, exclusive=True)
    # A Markdown link's target, relative or not, is an address: its words are not statements.
    for m in _LINK_TARGET.finditer(lower):
        start, end = m.start("target"), m.end("target")
        target = text[start:end]
        value = re.sub(r"^https?://", "", target, flags=re.IGNORECASE)
        host, sep, rest = value.partition("/")
        value = (
            host.casefold().removeprefix("www.") + sep + rest.rstrip("/")
            if "." in host
            else target.rstrip("/")
        )
        scan.add("url", value, start, end, exclusive=True)
    for m in _DOMAIN.finditer(lower):
        raw = m.group(0).rstrip(".-")
        labels = raw.split(".")
        if len(labels) < 2 or labels[-1] not in _TLDS or "" in labels:
            continue
        if lower[m.start() + len(raw) : m.start() + len(raw) + 1] == "@":
            continue
        scan.add("url", raw.removeprefix("www."), m.start(), m.start() + len(raw), exclusive=True)


def _extract_dates(scan: _Scan) -> None:
    """Calendar dates in English and Chinese forms; the value is ISO 8601."""
    for pattern, word_start in _DATE_PATTERNS:
        matches = word_matches(pattern, scan.lower) if word_start else pattern.finditer(scan.lower)
        for m in matches:
            month_raw = m.group("month")
            month = int(month_raw) if month_raw.isdigit() else _MONTHS.get(month_raw, 0)
            day = m.group("day") if "day" in pattern.groupindex else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
                continue
            value = f"{int(m.group('year')):04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            scan.add("date", value, m.start(), m.end(), exclusive=True)


def _extract_phones(scan: _Scan) -> None:
    """Telephone numbers: international (``+86 571 …``), grouped national (``400-80-13260``,
    ``(0571) 8502 2088``, ``1-800-555-0100``), Chinese mobiles, and short service numbers
    (``95187``, ``12315``) right after a word such as hotline, call, 电话, 热线."""
    lower = scan.lower
    for m in _PHONE.finditer(lower):
        start, raw = m.start(), m.group(0)
        if raw.startswith("(") and not re.match(r"\(\d{1,5}\)", raw):
            start, raw = start + 1, raw[1:]  # an opening bracket around the number
            if not raw[:1].isdigit():
                continue
        if "+" in raw[1:] or raw.count("(") != raw.count(")"):
            continue
        digits = re.sub(r"\D", "", raw)
        groups = re.findall(r"\d+", raw)
        has_plus = raw.startswith("+")
        context = _PHONE_CONTEXT.search(lower, max(0, start - 40), start) is not None
        if "." in raw and not re.fullmatch(r"\(?\d{3}\)?\.\d{3}\.\d{4}", raw):
            continue
        if len(digits) > 15:
            continue
        if len(groups) > 1 and max(len(g) for g in groups) <= 2 and not has_plus:
            continue
        if has_plus:
            plausible = len(digits) >= 8
        elif len(groups) >= 2:
            plausible = len(digits) >= 7 and (max(len(g) for g in groups) >= 4 or context)
        elif len(digits) >= 7:
            plausible = context or re.fullmatch(r"1[3-9]\d{9}|[48]00\d{7}", digits) is not None
        else:
            unit_after = re.match(
                r"\s{0,2}(?:days?|hours?|%|天|日|小时|个|年|月)", lower[m.end() : m.end() + 8]
            )
            plausible = 3 <= len(digits) <= 6 and context and unit_after is None
        if plausible:
            end = start + len(raw)
            scan.add("phone", ("+" if has_plus else "") + digits, start, end, exclusive=True)


def _extract_money(scan: _Scan) -> None:
    """Amounts of money with a currency sign, code or word; the value is ``CUR amount``."""
    lower = scan.lower
    for m in _MONEY_BEFORE.finditer(lower):
        cur = m.group("cur")
        if cur[0] in "urgc" and not starts_word(lower, m.start()):
            continue
        amount = parse_number(m.group("num"))
        if amount is not None:
            value = f"{_CURRENCIES[cur]} {format_number(amount)}"
            scan.add("money", value, m.start(), m.end(), magnitude=amount, exclusive=True)
    for m in _MONEY_AFTER.finditer(lower):
        amount = parse_number(m.group("num"))
        if amount is not None:
            value = f"{_CURRENCIES[m.group('cur')]} {format_number(amount)}"
            scan.add("money", value, m.start(), m.end(), magnitude=amount, exclusive=True)


def _extract_percentages(scan: _Scan) -> None:
    """Percentages (``5%``, ``5 percent``, ``百分之五``)."""
    for pattern in (_PERCENT, _PERCENT_ZH):
        for m in pattern.finditer(scan.lower):
            n = parse_number(m.group("num").replace(",", "."))
            if n is not None:
                value = f"{format_number(n)}%"
                scan.add("percentage", value, m.start(), m.end(), magnitude=n, exclusive=True)


def _duration_value(number: float, unit: str) -> tuple[str, float]:
    plural = "" if number == 1 else "s"
    return f"{format_number(number)} {unit}{plural}", number * _UNIT_DAYS[unit]


def _extract_durations(scan: _Scan) -> None:
    """Durations (``15 days``, ``thirty (30) days``, ``15 working days``, ``十五个工作日``,
    ``24 小时``); a duration in a reply sentence is also a ``deadline``, in a keeping or
    deleting sentence a ``retention`` period."""
    text, lower = scan.text, scan.lower
    found: list[tuple[int, int, str, float]] = []
    for pattern in (_DURATION_DIGITS, _DURATION_WORDS):
        matches = (
            word_matches(pattern, lower) if pattern is _DURATION_WORDS else pattern.finditer(lower)
        )
        for m in matches:
            n = parse_number(m.group("num"))
            if n is None:
                continue
            unit = _EN_UNITS[m.group("unit")]
            if m.group("qual") in ("working", "business") and unit == "day":
                unit = "working day"
            found.append((m.start(), m.end(), *_duration_value(n, unit)))
    for m in _DURATION_ZH.finditer(lower):
        raw_num, unit_raw = m.group("num"), m.group("unit")
        if not (raw_num.isdigit() or all(ch in ZH_NUMERALS for ch in raw_num)):
            continue
        n = parse_number(raw_num)
        after = lower[m.end() : m.end() + 3]
        if n is None or (unit_raw == "月" and not m.group("ge")):
            continue
        if unit_raw == "年" and (n > 100 or re.match(r"\s{0,2}\d", after)):
            continue
        if (unit_raw == "日" and n > 366) or (unit_raw == "周" and after.startswith("岁")):
            continue
        found.append((m.start(), m.end(), *_duration_value(n, _ZH_UNITS_OF_TIME[unit_raw])))
    if not found:
        return
    starts = sentence_starts(lower)
    deadline_cues = sorted(
        {piece_of(starts, m.start()) for m in word_matches(_DEADLINE_CUE, lower)}
    )
    retention_cues = sorted(
        {piece_of(starts, m.start()) for m in word_matches(_RETENTION_CUE, lower)}
    )

    def sentence_has(cues: list[int], sentence: int) -> bool:
        i = bisect.bisect_left(cues, sentence)
        return i < len(cues) and cues[i] == sentence

    for start, end, value, days in sorted(found):
        if not scan.add("duration", value, start, end, magnitude=days, exclusive=True):
            continue
        sentence = piece_of(starts, start)
        window = lower[max(starts[sentence], start - 30) : start]
        within = (
            _WITHIN_BEFORE.search(window) is not None
            or _WITHIN_AFTER_ZH.match(lower, end) is not None
        )
        role = None
        if within and sentence_has(deadline_cues, sentence):
            role = "deadline"
        elif sentence_has(retention_cues, sentence):
            role = "retention"
        elif within:
            role = "deadline"
        if role:
            scan.facts.append(Fact(role, value, text[start:end], (start, end), magnitude=days))


def _extract_ages(scan: _Scan) -> None:
    """Age thresholds (``under the age of 14``, ``16 years old``, ``不满十四周岁``)."""
    text, lower = scan.text, scan.lower
    matches = itertools.chain(
        word_matches(_AGE_WORDS, lower), _AGE_YEARS.finditer(lower), _AGE_ZH.finditer(lower)
    )
    for m in matches:
        raw = m.group("n")
        n = parse_number(raw) if raw.isdigit() or all(ch in ZH_NUMERALS for ch in raw) else None
        if n is None or not 1 <= n <= 30:
            continue
        start, end = m.start("n"), m.end("n")
        if m.re is _AGE_ZH:
            start, end = m.start(), m.end()
        scan.facts.append(Fact("age", format_number(n), text[start:end], (start, end), magnitude=n))


def _extract_references(scan: _Scan) -> None:
    """Cross-references and list markers: ``Article 5.1``, ``2.1.1``, ``第五条``, ``(1)``,
    ``（一）``. The value drops the word and trailing dots (``Article 5.1.`` -> ``5.1``), so a
    reference written differently is the same reference."""
    lower = scan.lower

    def dotted(raw: str) -> str:
        value = raw.rstrip(".")
        return value[:-2] if value.count(".") == 1 and value.endswith(".0") else value

    for m in word_matches(_REFERENCE_WORD, lower):
        num = dotted(m.group("num"))
        scan.add("reference", num, m.start(), m.start("num") + len(num), exclusive=True)
    for m in _REFERENCE_DOTTED.finditer(lower):
        num = dotted(m.group(0))
        scan.add("reference", num, m.start(), m.start() + len(num), exclusive=True)
    for m in _REFERENCE_ZH.finditer(lower):
        n = parse_number(m.group("num"))
        value = format_number(n) if n is not None else m.group("num").strip(".")
        scan.add("reference", value, m.start(), m.end(), exclusive=True)
    for m in _LIST_MARKER.finditer(lower):
        inner = m.group("inner")
        n = parse_number(inner)
        scan.add(
            "reference",
            f"({format_number(n) if n is not None else inner})",
            m.start(),
            m.end(),
            exclusive=True,
        )
    for m in word_matches(_SPELLED_REFERENCE, lower):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b is not None:
            value = f"{format_number(a)}.{format_number(b)}"
            scan.add("reference", value, m.start(), m.end(), exclusive=True)


def _extract_counts(scan: _Scan) -> None:
    """Plain numbers left over after every other quantity (``1688``, ``No. 1008``, ``三种``)."""
    for m in _COUNT.finditer(scan.lower):
        raw = m.group(0).rstrip(",")
        n = parse_number(raw)
        if n is not None:
            scan.add(
                "count",
                format_number(n),
                m.start(),
                m.start() + len(raw),
                magnitude=n,
                exclusive=True,
            )
    for m in _COUNT_ZH.finditer(scan.lower):
        n = parse_number(m.group(0))
        if n is not None and n >= 2:
            scan.add("count", format_number(n), m.start(), m.end(), magnitude=n, exclusive=True)


@lru_cache(maxsize=8192)
def _cached_key(matched: str) -> str:
    return phrase_key(matched)


def _extract_vocabulary(scan: _Scan) -> None:
    """Every phrase of :mod:`analyzer.facts.vocabulary`, English and Chinese; stop phrases are
    matched and dropped, and so are words inside a URL, an e-mail or a postal address."""
    for matcher in _matchers():
        for start, end in matcher.matches(scan.lower):
            meanings = matcher.meanings.get(_cached_key(scan.lower[start:end]), ())
            if not meanings or scan.overlaps(start, end):
                continue
            surface = scan.text[start:end]
            for kind, value in meanings:
                scan.facts.append(Fact(kind, value, surface, (start, end)))


def _org_value(name: str) -> str:
    """Canonical company name: lower case, commas and dots dropped, suffix normalised
    (``Alibaba Group Holding Limited`` -> ``alibaba group holding ltd``)."""
    words = name.replace(",", " ").split()
    if not words:
        return ""
    last = words[-1].casefold().rstrip(".")
    words = [w.casefold().rstrip(".") for w in words[:-1]] + [_ORG_SUFFIX_CANON.get(last, last)]
    return " ".join(words)


def _is_name_word(word: str) -> bool:
    """A word that can be part of a company name: capitalised or a number, not 'The', 'Our' …"""
    return (word[:1].isupper() or word[:1].isdigit()) and word.casefold() not in _ORG_STOPWORDS


def _walk_back_name(scan: _Scan, end: int, limit: int = 8) -> int:
    """Start of the run of name words (and connectors such as 'of', '&') that ends at
    ``end``; ``end`` when there is none. Reads at most ``limit`` words back, right to left
    (on the reversed text, so that each word costs its length)."""
    text, rev = scan.text, scan.reversed()
    start = end
    for _ in range(limit):
        m = _NAME_TOKEN_REVERSED.match(rev, len(text) - start)
        if m is None or (start != end and not m.group("gap")) or (start == end and m.group("gap")):
            break
        word = m.group("token")[::-1]
        if word[-1:] == "." and not re.fullmatch(r"[A-Z][A-Za-z]{0,3}\.", word):
            break
        if not (_is_name_word(word) or word in _ORG_CONNECTORS):
            break
        start = len(text) - m.end()
    while start < end:
        lead = re.match(r"(?:&|and|of|for|de|la|und|the)\s", text[start : start + 5])
        if not lead:
            break
        start += lead.end()
    return start


def _names_after(text: str, pos: int, limit: int = 8) -> list[tuple[int, int]]:
    """Capitalised names listed from ``pos``: 'Google, Microsoft and Apple Inc.'."""
    names: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for _ in range(limit * 3):
        while pos < len(text) and text[pos] in " \t" and pos < len(text):
            pos += 1
        tok = _NAME_TOKEN.match(text, pos)
        if not tok:
            break
        word = tok.group(0)
        if word in ("and", "or", "&"):
            if current:
                names.append(current)
            current = None
        elif _is_name_word(word):
            current = (current[0] if current else tok.start(), tok.end())
        else:
            break
        pos = tok.end()
        sep = re.match(r"\s{0,2}[,、，]", text[pos : pos + 3])
        if sep:
            if current:
                names.append(current)
            current = None
            pos += sep.end()
        if len(names) >= limit:
            break
    if current:
        names.append(current)
    return names


def _extract_organisations(scan: _Scan) -> None:
    """Named companies: capitalised names ending in a company suffix (``GitHub, Inc.``,
    ``Alibaba Group Holding Limited``), Chinese names ending in 有限公司 / 公司 / 集团 …, and
    capitalised names given as examples of a recipient ('partners such as X and Y', 'X or
    other financial institutions')."""
    text, lower = scan.text, scan.lower
    found: list[tuple[int, int]] = []
    for m in _ORG_SUFFIX_EN.finditer(text):
        if not starts_word(text, m.start()):
            continue
        gap_end = m.start()
        if text[max(0, gap_end - 2) : gap_end] == ", ":
            gap_end -= 2
        elif gap_end > 0 and text[gap_end - 1] == " ":
            gap_end -= 1
        else:
            continue
        start = _walk_back_name(scan, gap_end)
        if start < gap_end:
            found.append((start, m.end()))
    for m in _ORG_SUFFIX_ZH.finditer(text):
        start = m.start()
        floor = max(0, m.start() - 30)
        while start > floor:
            ch = text[start - 1]
            if ch in _ORG_ZH_STOP or not (ch.isalnum() or ch in "（）() &·-"):
                break
            start -= 1
        while start < m.start() and text[start] in " （(":
            start += 1
        name = text[start : m.start()].strip()
        if len(name) >= 2 and name not in _ORG_ZH_GENERIC and not name.endswith("性"):
            found.append((start, m.end()))
    context_found: list[tuple[int, int]] = []
    recipients = sorted((f for f in scan.facts if f.kind == "recipient"), key=lambda f: f.span)
    recipient_starts = [f.span[0] for f in recipients]
    for rec in recipients:
        intro = _LIST_INTRO.match(lower, rec.span[1])
        if intro and intro.group(0).strip():
            context_found += _names_after(text, intro.end())
    for m in word_matches(_OR_OTHER, lower):
        i = bisect.bisect_left(recipient_starts, m.end())
        if i >= len(recipients) or recipient_starts[i] - m.end() > 30:
            continue
        end = m.start()
        while end > 0 and text[end - 1] == " ":
            end -= 1
        start = _walk_back_name(scan, end, limit=4)
        before = text[max(0, start - 3) : start].rstrip()
        if start < end and before and before[-1] not in ".:;!?。：；\n":
            context_found.append((start, end))
    # A name found only from its context must not be a vocabulary word ('Suppliers and other
    # partners' in a heading is not a company).
    vocab_spans = sorted(f.span for f in scan.facts if f.kind in VOCABULARY)
    for start, end in context_found:
        i = bisect.bisect_left(vocab_spans, (start, start))
        near = vocab_spans[max(0, i - 1) : i + 2]
        if not any(s < end and start < e for s, e in near):
            found.append((start, end))
    # Longest first, so that 'Alibaba Group' inside 'Alibaba Group Holding Limited' is dropped.
    found.sort(key=lambda se: (se[0], -se[1]))
    last_end = -1
    for start, end in found:
        raw = text[start:end].rstrip(" ,")
        end = start + len(raw)
        if end <= last_end or not raw or scan.overlaps(start, end):
            continue
        last_end = end
        scan.facts.append(Fact("organisation", _org_value(raw), raw, (start, end)))


def _extract_controllers(scan: _Scan) -> None:
    """The controlling entity: a named company in the same sentence as a controller word
    ('Alibaba Cloud Computing Ltd is … the operator') becomes ``controller:<name>``; the word
    alone stays ``controller:controller``."""
    starts = sentence_starts(scan.lower)
    orgs: dict[int, list[Fact]] = {}
    for f in scan.facts:
        if f.kind == "organisation":
            orgs.setdefault(piece_of(starts, f.span[0]), []).append(f)
            if f.text.endswith("."):  # 'Co., Ltd. is the operator': the dot ends no sentence
                after = len(scan.text) - len(scan.text[f.span[1] :].lstrip())
                piece = piece_of(starts, after)
                if piece != piece_of(starts, f.span[0]):
                    orgs.setdefault(piece, []).append(f)
    kept: list[Fact] = []
    named: set[tuple[int, int]] = set()
    for f in scan.facts:
        candidates = orgs.get(piece_of(starts, f.span[0]), []) if f.kind == "controller" else []
        if not candidates:
            kept.append(f)
            continue
        for org in candidates:
            if org.span not in named:
                named.add(org.span)
                kept.append(Fact("controller", org.value, org.text, org.span))
    scan.facts = kept


def _extract_paths(scan: _Scan) -> None:
    """Console or menu paths: two or more bracketed or quoted segments joined by ``-``, ``>``,
    ``→`` or ``/`` (``[My AliCloud] - "Account Center"``, “我的”-“设置”); the value is
    ``path:`` and the segments in lower case joined by `` > ``."""
    text = scan.text
    segments = list(_PATH_SEGMENT.finditer(text))
    i = 0
    while i < len(segments):
        chain = [segments[i]]
        j = i + 1
        while j < len(segments):
            gap = text[chain[-1].end() : segments[j].start()]
            if len(gap) > 8 or not _PATH_GAP.fullmatch(gap):
                break
            chain.append(segments[j])
            j += 1
        if len(chain) < 2:
            i += 1
            continue
        names = [" ".join(s.group(0)[1:-1].split()).casefold() for s in chain]
        start, end = chain[0].start(), chain[-1].end()
        # A bracket around the whole path belongs to it.
        if start > 0 and text[start - 1] in "[【" and end < len(text) and text[end] in "]】":
            start, end = start - 1, end + 1
        # The path claims its span: 'Security Settings' in a menu path is a place, not a
        # statement about security.
        scan.add("channel", "path:" + " > ".join(names), start, end, exclusive=True)
        i = j


def _extract_addresses(scan: _Scan) -> None:
    """Postal addresses after a label ('registered address:', 地址：) and Chinese addresses
    (… 省 / 市 … 号 / 室 / 楼); the value is the address in lower case, spaces squashed."""
    text, lower = scan.text, scan.lower
    for m in word_matches(_ADDRESS_LABEL, lower):
        sep = _ADDRESS_SEPARATOR.match(lower, m.end())
        if sep is None or (
            not sep.group(0).strip() and m.group(0) not in ("located at", "headquartered at")
        ):
            continue
        begin = sep.end()
        limit = min(len(text), begin + 200)
        end = limit
        for tail in _ADDRESS_END.finditer(lower, begin, limit):
            if tail.group(0) == "." and re.search(
                r"(?<![A-Za-z])[A-Z][A-Za-z]{0,3}$", text[max(0, tail.start() - 5) : tail.start()]
            ):
                continue  # 'No.', 'Rd.', 'St.' inside the address
            end = tail.start()
            break
        raw = text[begin:end].strip()
        if len(raw) < 8 or not any(ch.isdigit() for ch in raw):
            continue
        start = begin + (len(text[begin:end]) - len(text[begin:end].lstrip()))
        value = " ".join(re.sub(r"[,，]", " ", raw).casefold().split())
        scan.add("address", value, start, start + len(raw), exclusive=True)
    for m in _ADDRESS_ZH.finditer(lower):
        start = m.start()
        floor = max(0, m.start() - 12)
        while start > floor and _CJK.match(text, start - 1) and text[start - 1] not in _ORG_ZH_STOP:
            start -= 1
        if m.start() - start < 2:
            continue
        scan.add("address", text[start : m.end()], start, m.end(), exclusive=True)


def _extract_commitments(scan: _Scan) -> None:
    """Sentences about restricting the user's rights ('we will not restrict … the rights',
    我们不会削减您…的权利): ``commitment:restrict-rights``, negated when it is a promise not to."""
    lower = scan.lower
    starts = [*sentence_starts(lower), len(lower)]
    verbs = [m for m in word_matches(_RESTRICT_VERB, lower)]
    rights = [m.start() for m in word_matches(_RIGHTS_WORD, lower)]
    rights_ends = {m.start(): m.end() for m in word_matches(_RIGHTS_WORD, lower)}
    used: set[int] = set()
    for verb in verbs:
        sentence = piece_of(starts, verb.start())
        if sentence in used:
            continue
        i = bisect.bisect_left(rights, verb.end())
        if i >= len(rights) or rights[i] >= starts[sentence + 1] or rights[i] - verb.end() > 80:
            continue
        used.add(sentence)
        span = (verb.start(), rights_ends[rights[i]])
        scan.facts.append(Fact("commitment", "restrict-rights", scan.text[span[0] : span[1]], span))


def _menu_segment_before(text: str, end: int) -> int | None:
    """Start of the menu label that ends at ``end`` ('Workspace settings' in 'from Workspace
    settings → Export'): up to three words read back, the first of them capitalised."""
    start: int | None = None
    pos = end
    for _ in range(_MENU_MAX_WORDS):
        window = text[max(0, pos - 30) : pos][::-1]
        m = _MENU_WORD_BACK.match(window)
        if m is None:
            break
        word_start = pos - m.end()
        word = text[word_start:pos]
        if word.casefold() in _MENU_JOINERS and not word[:1].isupper():
            break
        if word[:1].isupper():
            start = word_start
        if word_start == 0 or text[word_start - 1] != " ":
            break
        pos = word_start - 1
    return start


def _menu_segment_after(text: str, begin: int) -> int | None:
    """End of the menu label that starts at ``begin``: a capitalised word, then at most two
    more words that are not joiners, up to punctuation."""
    m = _MENU_WORD.match(text, begin)
    if m is None or not m.group(0)[:1].isupper():
        return None
    end = m.end()
    for _ in range(_MENU_MAX_WORDS - 1):
        if end >= len(text) or text[end] != " ":
            break
        nxt = _MENU_WORD.match(text, end + 1)
        if nxt is None or nxt.group(0).casefold() in _MENU_JOINERS:
            break
        if _MENU_SEPARATOR.match(text, end):
            break
        end = nxt.end()
    return end


def _extract_menu_paths(scan: _Scan) -> None:
    """Menu paths written without quotes: two or more capitalised labels joined by ``>``,
    ``›``, ``→`` or ``»`` ('Settings > Privacy > Technical data', 'Profile › Delete
    account'); the value is ``path:`` and the labels in lower case joined by `` > ``, as for
    quoted paths."""
    text = scan.text
    seps = list(_MENU_SEPARATOR.finditer(text))
    i = 0
    while i < len(seps):
        first = _menu_segment_before(text, seps[i].start())
        if first is None:
            i += 1
            continue
        bounds = [(first, seps[i].start())]
        j = i
        while True:
            end = _menu_segment_after(text, seps[j].end())
            if end is None:
                break
            bounds.append((seps[j].end(), end))
            if j + 1 < len(seps) and seps[j + 1].start() == end:
                j += 1
                continue
            break
        if len(bounds) >= 2:
            names = [" ".join(text[a:b].split()).casefold() for a, b in bounds]
            scan.add(
                "channel", "path:" + " > ".join(names), bounds[0][0], bounds[-1][1], exclusive=True
            )
        i = j + 1


def _extract_street_addresses(scan: _Scan) -> None:
    """Postal addresses without a label: a post office box ('PO Box 440, Glasgow G2 1QQ') or a
    house number and a street ('18 Weaver Street, Manchester M4 1HN'), read on to the end of the
    address (a full stop, a semicolon, a bracket or the end of the line)."""
    text, lower = scan.text, scan.lower
    anchors: list[int] = [m.start() for m in _PO_BOX.finditer(lower)]
    for m in word_matches(_STREET_TYPE, lower):
        if not text[m.start()].isupper():
            continue  # 'the way', 'in a row': a street type is written with a capital
        pos, number = m.start(), None
        for _ in range(4):
            back = _ADDRESS_WORD_BACK.match(lower[max(0, pos - 24) : pos][::-1])
            if back is None:
                break
            word_start = pos - back.end()
            word = text[word_start : word_start + len(back.group("word"))]
            if word[:1].isdigit():
                number = word_start
                break
            if not word[:1].isupper():
                break
            pos = word_start
        if number is not None:
            anchors.append(number)
    for start in sorted(set(anchors)):
        limit = min(len(text), start + 120)
        end = limit
        for tail in _ADDRESS_END.finditer(lower, start, limit):
            if tail.group(0) == "." and _STREET_ABBREVIATION.search(
                lower, max(0, tail.start() - 5), tail.start()
            ):
                continue  # 'St.', 'Rd.' inside the address
            end = tail.start()
            break
        raw = text[start:end].rstrip(" ,")
        if len(raw) < 8:
            continue
        value = " ".join(re.sub(r"[,，.]", " ", raw).casefold().split())
        scan.add("address", value, start, start + len(raw), exclusive=True)


def _extract_risk_levels(scan: _Scan) -> None:
    """A risk said to be high after the noun ('the residual risk to users is serious', 'rated
    the risk as severe'); a negation between the two ('is not high') leaves it out. Levels
    written before the noun ('a high risk') are vocabulary."""
    lower = scan.lower
    for m in word_matches(_RISK_NOUN, lower):
        stop = _CLAUSE_END.search(lower, m.end(), min(len(lower), m.end() + 80))
        window_end = stop.start() if stop else min(len(lower), m.end() + 80)
        level = _RISK_LEVEL_AFTER.search(lower, m.end(), window_end)
        if level is None:
            continue
        between = lower[m.end() : level.start("level")]
        if negation_spans(between):
            continue
        scan.add("risk", "high-risk", m.start(), level.end(), exclusive=True)


Extractor = Callable[[_Scan], None]

EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("emails", _extract_emails),
    ("urls", _extract_urls),
    ("dates", _extract_dates),
    ("phones", _extract_phones),
    ("money", _extract_money),
    ("percentages", _extract_percentages),
    ("durations", _extract_durations),
    ("ages", _extract_ages),
    ("references", _extract_references),
    ("addresses", _extract_addresses),
    ("street-addresses", _extract_street_addresses),
    ("counts", _extract_counts),
    ("paths", _extract_paths),
    ("menu-paths", _extract_menu_paths),
    ("vocabulary", _extract_vocabulary),
    ("risk-levels", _extract_risk_levels),
    ("organisations", _extract_organisations),
    ("controllers", _extract_controllers),
    ("commitments", _extract_commitments),
)
"""The extractors in the order they run. Value-like patterns run first and claim their spans
(a date is not also a phone number; a phone's digits are not also a count; a word inside a URL
or a console path is not a vocabulary fact)."""

LANGUAGES = frozenset({"en", "zh"})


def _check_language(language: str) -> str:
    base = language.split("-")[0].split("_")[0].casefold()
    if base not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {sorted(LANGUAGES)}")
    return base


def _mark_negations(text: str, lower: str, facts: list[Fact]) -> list[Fact]:
    """Set ``negated`` on facts that follow a negation in the same clause of a sentence.

    A clause ends at sentence punctuation, ';' or ':', a comma before a new subject, or a
    contrast word ('except', 'but', 除非, 但): in 'we do not share X, except with Y', X is
    negated and Y is not. 'Without your consent' states a condition and negates nothing.
    """
    spans = negation_spans(lower)
    if not spans or not facts:
        return facts
    cue_starts = [a for a, _ in spans]
    starts = clause_starts(lower)
    # A passive denial negates its subject too: in 'Location is not read at other times' and
    # 'your data will not be sold', what stands right before the denial is what is denied.
    passive_cues = [(a, b) for a, b in spans if _is_passive_denial(lower, a, b)]
    passive_starts = [a for a, _ in passive_cues]
    out = []
    for f in facts:
        clause = piece_of(starts, f.span[0])
        clause_start = starts[clause]
        i = bisect.bisect_left(cue_starts, clause_start)
        negated = i < len(spans) and spans[i][1] <= f.span[0]
        if not negated and passive_starts:
            k = bisect.bisect_left(passive_starts, f.span[1])
            negated = k < len(passive_starts) and _subject_of(lower, f.span[1], passive_starts[k])
        out.append(replace(f, negated=True) if negated else f)
    return out


_PASSIVE_BEFORE = re.compile(r"(?<![a-z])(?:is|are|was|were|be|been)\s{1,3}$")
_PASSIVE_AFTER = re.compile(r"\s{1,3}(?:be|been|being)\s")
_SUBJECT_GAP_STOP = frozenset(
    {"it", "they", "this", "these", "that", "which", "we", "you", "and", "or", "but", "who"}
)


def _is_passive_denial(lower: str, start: int, end: int) -> bool:
    """'is not', 'are never', 'will not be', 'cannot be': a denial in the passive voice."""
    return (
        _PASSIVE_BEFORE.search(lower, max(0, start - 8), start) is not None
        or _PASSIVE_AFTER.match(lower, end) is not None
    )


def _subject_of(lower: str, fact_end: int, cue: int) -> bool:
    """Whether a fact ending at ``fact_end`` is the subject of the passive denial at ``cue``:
    at most four words between them, all of one clause, none a pronoun or a conjunction that
    would start another subject ('we collect your location and it is not shared')."""
    gap = lower[fact_end:cue]
    if len(gap) > 40 or re.search(r"[^\w\s'’-]", gap):
        return False
    words = gap.split()
    return len(words) <= 4 and not any(w in _SUBJECT_GAP_STOP for w in words)


def extract_facts(text: str, language: str = "en") -> tuple[Fact, ...]:
    """Facts stated by ``text``, sorted by position, then kind and value.

    Both the English and the Chinese vocabulary run on every text (policies mix scripts: an
    English policy quotes a Chinese address, a Chinese one names English products);
    ``language`` (``en``, ``zh``, ``zh-CN`` …) is checked and reserved for rules that differ
    between languages. Never raises on a string; deterministic; ``text[f.span[0]:f.span[1]]
    == f.text`` for every fact; linear in the length of the text.
    """
    _check_language(language)
    if not text:
        return ()
    lower = ascii_lower(text)
    scan = _Scan(text, lower)
    for _name, extractor in EXTRACTORS:
        extractor(scan)
    unique = {(f.span, f.kind, f.value): f for f in scan.facts}
    ordered = sorted(unique.values(), key=lambda f: (f.span, f.kind, f.value))
    return tuple(_mark_negations(text, lower, ordered))


@lru_cache(maxsize=8192)
def facts_of(text: str, language: str = "en") -> tuple[Fact, ...]:
    """:func:`extract_facts`, remembered: a clause is read once however many stages ask (the
    tripwires, the classifier's inventory of both versions, the notices), and the clauses two
    versions share are read once for both."""
    return extract_facts(text, language)


# --------------------------------------------------------------------------- comparing facts


def _replaces(old: Fact, new: Fact) -> bool:
    """Whether ``new`` can be read as ``old`` with another value: same kind and negation, and
    a kind of :data:`PAIRED_KINDS`, or two console paths (a right moved in the menus)."""
    if old.kind != new.kind or old.negated != new.negated:
        return False
    return old.kind in PAIRED_KINDS or (
        old.value.startswith("path:") and new.value.startswith("path:")
    )


def _pair(
    removed: list[Fact], added: list[Fact]
) -> tuple[list[Fact], list[Fact], list[FactChange]]:
    """Turn removed/added facts that are one statement changed into :class:`FactChange`."""
    changed: list[FactChange] = []
    # The same value with the opposite negation: the statement was flipped.
    rest_added = list(added)
    rest_removed: list[Fact] = []
    for old in removed:
        flip = next(
            (
                n
                for n in rest_added
                if n.kind == old.kind and n.value == old.value and n.negated != old.negated
            ),
            None,
        )
        if flip is None:
            rest_removed.append(old)
            continue
        rest_added.remove(flip)
        changed.append(FactChange(old.kind, old, flip, "negated" if flip.negated else "affirmed"))
    # Kinds whose values replace one another (and console paths): pair in order of appearance.
    final_removed: list[Fact] = []
    for old in rest_removed:
        new = next((n for n in rest_added if _replaces(old, n)), None)
        if new is None:
            final_removed.append(old)
            continue
        rest_added.remove(new)
        how: ChangeHow = "replaced"
        if (
            old.magnitude is not None
            and new.magnitude is not None
            and old.magnitude != new.magnitude
        ):
            how = "increased" if new.magnitude > old.magnitude else "decreased"
        changed.append(FactChange(old.kind, old, new, how))
    return final_removed, rest_added, changed


def _order(facts: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple(sorted(facts, key=lambda f: (f.clause or "", f.span, f.kind, f.value)))


def diff_facts(old_facts: Sequence[Fact], new_facts: Sequence[Fact]) -> FactDelta:
    """Differences between the facts of two texts (one clause, old and new).

    Facts are compared as multisets of (kind, value, negated): a fact stated twice and now once
    is one removed. Moving words inside the text changes nothing. A flipped negation and a
    replaced value of a :data:`PAIRED_KINDS` kind come out as :class:`FactChange`.
    """
    old_count = Counter(f.key for f in old_facts)
    new_count = Counter(f.key for f in new_facts)
    removed: list[Fact] = []
    added: list[Fact] = []
    for key, n in (old_count - new_count).items():
        removed += [f for f in old_facts if f.key == key][-n:]
    for key, n in (new_count - old_count).items():
        added += [f for f in new_facts if f.key == key][-n:]
    removed.sort(key=lambda f: f.span)
    added.sort(key=lambda f: f.span)
    removed, added, changed = _pair(removed, added)
    return FactDelta(added=_order(added), removed=_order(removed), changed=tuple(changed))


def diff_texts(old: str, new: str, language: str = "en") -> FactDelta:
    """:func:`diff_facts` of the facts of two texts."""
    return diff_facts(extract_facts(old, language), extract_facts(new, language))


def extract_document_facts(clauses: Mapping[str, str], language: str = "en") -> tuple[Fact, ...]:
    """Facts of every clause of a document, keyed by clause (``Fact.clause``), in clause
    order. ``clauses`` maps a clause id or address to its text, in document order."""
    out: list[Fact] = []
    for clause, text in clauses.items():
        out += [replace(f, clause=clause) for f in extract_facts(text, language)]
    return tuple(out)


def diff_document_facts(
    old: Mapping[str, str], new: Mapping[str, str], language: str = "en"
) -> FactDelta:
    """Differences between what two whole documents state, wherever they state it.

    Compared as sets: a (kind, value, negated) that the new document states in any clause and
    the old one in none is *added* (reported at its first clause), and the reverse is
    *removed*; a category that only moved to another clause is neither. Flipped negations and
    replaced values of :data:`PAIRED_KINDS` are paired as in :func:`diff_facts`.

    This answers "is it new anywhere?"; it does not replace :func:`diff_facts` per changed
    clause: a clause added with facts the document already stated elsewhere is silent here.
    """
    old_facts = extract_document_facts(old, language)
    new_facts = extract_document_facts(new, language)
    old_first: dict[tuple[str, str, bool], Fact] = {}
    for f in old_facts:
        old_first.setdefault(f.key, f)
    new_first: dict[tuple[str, str, bool], Fact] = {}
    for f in new_facts:
        new_first.setdefault(f.key, f)
    removed = [f for k, f in old_first.items() if k not in new_first]
    added = [f for k, f in new_first.items() if k not in old_first]
    removed, added, changed = _pair(removed, added)
    return FactDelta(added=_order(added), removed=_order(removed), changed=tuple(changed))
