"""The words of a change's text as the judgement reads them: a clause's own text (a table row
with its column headings), the sentence or clause around an offset, content words, quotes,
and whether a term or a criterion's fact spec is present.

Pure functions over strings and facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from analyzer.facts.types import Fact
from analyzer.text.compiled import regex
from analyzer.text.normalize import squash
from analyzer.text.scan import ascii_lower, clause_starts, piece_of, sentence_starts

if TYPE_CHECKING:
    from analyzer.judge.criteria import CriteriaPack

_TOKENS = regex(r"[a-z0-9]+|[\u3400-\u9fff]+")


# --------------------------------------------------------------------------- text helpers


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around offset ``pos``, stripped."""
    starts = _starts_of(text)
    k = piece_of(starts, pos)
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return text[starts[k] : end].strip()


@lru_cache(maxsize=64)
def _starts_of(text: str) -> tuple[int, ...]:
    """:func:`sentence_starts` of a text, remembered: a long clause stating many facts asks for
    the sentence of each, and finding the sentences again each time made that quadratic."""
    return tuple(sentence_starts(ascii_lower(text)))


def quote(text: str, limit: int = 80) -> str:
    """Whitespace squashed, cut at ``limit`` characters with an ellipsis."""
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def spec_matches(specs: Iterable[str], fact: Fact) -> bool:
    """Whether a fact spec of a criterion (``recipient``, ``processing:share``) names it."""
    for spec in specs:
        kind, _, value = spec.partition(":")
        if fact.kind == kind and (not value or fact.value == value):
            return True
    return False


def has_term(lower: str, term: str) -> bool:
    """Whether ``lower`` (ascii-lowered) contains ``term`` as words (or as characters, for
    Chinese). An English term matches in the plural too ('partner' in 'partners') and with a
    hyphen for a space ('third party' in 'third-party')."""
    term = ascii_lower(term)
    if not term.isascii():
        return term in lower
    return _term_pattern(term).search(lower) is not None


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str]:
    body = r"[\s\-]+".join(re.escape(w) for w in term.split())
    return regex(r"(?<![a-z])" + body + r"(?:s|es)?(?![a-z])")


_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "by", "with",
        "from", "as", "is", "are", "be", "been", "was", "were", "this", "that", "these",
        "those", "it", "its", "you", "your", "we", "our", "us", "they", "their", "can", "may",
        "will", "would", "shall", "should", "must", "not", "no", "any", "all", "such",
        "other", "also", "if", "when", "which", "who",
    }
)  # fmt: skip


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """Content words and digit runs (function words left out); Chinese as character bigrams
    (single characters alone). Kept per process: the judgement asks again for the same
    clauses and sentences."""
    out: set[str] = set()
    for run in _TOKENS.findall(ascii_lower(text)):
        if run.isascii():
            if run not in _STOPWORDS:
                out.add(run)
        elif len(run) == 1:
            out.add(run)
        else:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(out)


def related(old_sentence: str, new_sentence: str) -> bool:
    """Two sentences are versions of one another: they share at least half of the shorter
    one's words (characters, for Chinese)."""
    a, b = content_words(old_sentence), content_words(new_sentence)
    if not a or not b:
        return False
    return len(a & b) >= 0.5 * min(len(a), len(b))


_SHOWN_MAX_WORDS = 16


def clause_around(text: str, pos: int) -> str:
    """The clause of a sentence that contains ``pos`` (by :func:`clause_starts`), without its
    edge punctuation, at most :data:`_SHOWN_MAX_WORDS` words (those nearest ``pos``)."""
    lower = ascii_lower(text)
    starts = clause_starts(lower)
    i = piece_of(starts, pos)
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    piece = text[starts[i] : end]
    line_end = piece.find("\n", max(0, pos - starts[i]))
    if line_end >= 0:
        piece = piece[:line_end]
    line_start = piece.rfind("\n", 0, max(0, pos - starts[i]))
    if line_start >= 0:
        piece = piece[line_start + 1 :]
    words = piece.split()
    if len(words) > _SHOWN_MAX_WORDS:
        offset = max(0, pos - starts[i] - (line_start + 1 if line_start >= 0 else 0))
        before = len(piece[:offset].split())
        first = max(0, min(before - _SHOWN_MAX_WORDS // 2, len(words) - _SHOWN_MAX_WORDS))
        words = words[first : first + _SHOWN_MAX_WORDS]
    return " ".join(words).strip(" ,;:.，；：、。")


def facts_in(text: str, facts: Sequence[Fact], pos: int) -> tuple[Fact, ...]:
    starts = sentence_starts(ascii_lower(text))
    own = piece_of(starts, pos)
    return tuple(f for f in facts if piece_of(starts, f.span[0]) == own)


_META_SHARE = 0.6
"""Share of a criterion's wording or title a text must repeat to be the policy's list of
criteria."""


def criteria_wordings(pack: CriteriaPack) -> list[frozenset[str]]:
    """The content words of each criterion's wording and of its titles."""
    return [content_words(c.wording) for c in pack.criteria] + [
        content_words(t) for c in pack.criteria for t in (c.title.en, c.title.zh)
    ]


def repeats_criteria(
    tokens: frozenset[str], wordings: Sequence[frozenset[str]], *, longest: float | None = 2.0
) -> bool:
    """The words ``tokens`` (of a clause) repeat most of a criterion's wording or title and are
    not much longer (at most ``longest`` times; None: any length): the policy's own list of
    major changes, which states nothing (a long clause on security incidents that shares the
    words of 9.4.6 is a statement)."""
    return any(
        _repeats(tokens, w) and (longest is None or len(tokens) <= longest * len(w))
        for w in wordings
    )


def criteria_repeated(tokens: frozenset[str], wordings: Sequence[frozenset[str]]) -> int:
    """How many criteria's wordings or titles the words ``tokens`` repeat (see
    :func:`repeats_criteria`), whatever their length."""
    return sum(1 for w in wordings if _repeats(tokens, w))


def _repeats(tokens: frozenset[str], wording: frozenset[str]) -> bool:
    return bool(wording) and len(wording & tokens) >= _META_SHARE * len(wording)
