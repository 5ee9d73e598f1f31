"""What a clause states: the facts the criteria of section 9.4 are about.

:func:`extract_facts` reads a text (English, Simplified Chinese or a mix) and returns
:class:`~analyzer.facts.types.Fact` records: a category of personal information, a purpose, a
recipient, a right and the channel, deadline and fee of exercising it, a phone number, an
e-mail address, a company name, a merger, a duration … each with its canonical value, the exact
words and where they are, then marks the ones a negation denies. :func:`facts_of` remembers
them, so a clause is read once however many stages ask.

The extractors are small named functions (:mod:`analyzer.facts.values`,
:mod:`analyzer.facts.names`), run in a fixed order (:data:`EXTRACTORS`); their patterns stay
linear in the length of the text, because policies are fed to them unchecked.

Pure functions: no I/O, no outside library.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from analyzer.facts.names import (
    NAME_PATTERNS,
    extract_addresses,
    extract_commitments,
    extract_controllers,
    extract_menu_paths,
    extract_organisations,
    extract_paths,
    extract_risk_levels,
    extract_street_addresses,
    extract_vocabulary,
)
from analyzer.facts.state import Extractor, Scan
from analyzer.facts.types import Fact
from analyzer.facts.values import (
    VALUE_PATTERNS,
    extract_ages,
    extract_counts,
    extract_dates,
    extract_durations,
    extract_emails,
    extract_money,
    extract_percentages,
    extract_phones,
    extract_references,
    extract_urls,
)
from analyzer.text.scan import ascii_lower, clause_starts, negation_spans, piece_of

SCANNING_PATTERNS: tuple[re.Pattern[str], ...] = VALUE_PATTERNS + NAME_PATTERNS
"""The patterns that scan whole texts (the tests check the rules of :mod:`analyzer.text.scan`
on them and on the vocabulary matchers)."""

EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("emails", extract_emails),
    ("urls", extract_urls),
    ("dates", extract_dates),
    ("phones", extract_phones),
    ("money", extract_money),
    ("percentages", extract_percentages),
    ("durations", extract_durations),
    ("ages", extract_ages),
    ("references", extract_references),
    ("addresses", extract_addresses),
    ("street-addresses", extract_street_addresses),
    ("counts", extract_counts),
    ("paths", extract_paths),
    ("menu-paths", extract_menu_paths),
    ("vocabulary", extract_vocabulary),
    ("risk-levels", extract_risk_levels),
    ("organisations", extract_organisations),
    ("controllers", extract_controllers),
    ("commitments", extract_commitments),
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
    scan = Scan(text, lower)
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


def extract_document_facts(clauses: Mapping[str, str], language: str = "en") -> tuple[Fact, ...]:
    """Facts of every clause of a document, keyed by clause (``Fact.clause``), in clause
    order. ``clauses`` maps a clause id or address to its text, in document order."""
    out: list[Fact] = []
    for clause, text in clauses.items():
        out += [replace(f, clause=clause) for f in extract_facts(text, language)]
    return tuple(out)
