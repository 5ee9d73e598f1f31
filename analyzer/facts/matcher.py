"""The phrase matcher: the vocabulary (:mod:`analyzer.facts.vocabulary`) compiled into trie
patterns, one matcher per language, built on first use.

Patterns are bucketed by first character and compiled only when a text contains one of a
bucket's first characters, so an English text never pays for the Chinese phrases. Matching is
leftmost-longest and linear in the length of the text (see :mod:`analyzer.text.scan`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from analyzer.facts.vocabulary import STOP_PHRASES, VOCABULARY, Terms
from analyzer.text.scan import (
    WORD_CHARS,
    ascii_lower,
    expand_phrase,
    phrase_atoms,
    phrase_key,
    starts_word,
    trie_pattern,
)

# --------------------------------------------------------------------------- vocabulary


BUCKET_SIZE = 40
"""Most first characters one phrase pattern starts with. The engine tries the alternatives of
an alternation one after the other, so a pattern whose phrases start with 600 different
Chinese characters costs 600 tests at every candidate position; patterns of at most 40 keep
that cost small."""


class PhraseMatcher:
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


def build_matcher(vocabulary: Mapping[str, Mapping[str, Terms]], chinese: bool) -> PhraseMatcher:
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
    buckets = [firsts[i : i + BUCKET_SIZE] for i in range(0, len(firsts), BUCKET_SIZE)]
    return PhraseMatcher(
        sources=tuple(
            trie_pattern(atoms for first in bucket for atoms in by_first[first])
            for bucket in buckets
        ),
        firsts=tuple(frozenset(bucket) for bucket in buckets),
        meanings={k: tuple(sorted(v)) for k, v in meanings.items()},
    )


@cache
def matchers() -> tuple[PhraseMatcher, PhraseMatcher]:
    """The English and Chinese matchers, built on first use (keeps ``policy --help`` fast);
    their patterns compile when a text needs them."""
    return build_matcher(VOCABULARY, chinese=False), build_matcher(VOCABULARY, chinese=True)
