"""A passage split into the sentences the statement reader reads, one :class:`Sentence` each.

:func:`split_sentences` reads a passage's facts in their roles (:mod:`analyzer.statements.roles`),
finds its clause boundaries (with a clause of its own for a new subject joined by 'and', 'but'
…), its denying negations (with verbs of ceasing: 'we will stop processing') and its modal verbs
once, and gives each sentence the facts that start in it. A :class:`Sentence` answers where the
clause of a word starts and ends and whether the word stands in a condition; :func:`shown` is
its text as quoted in a statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analyzer.facts.types import Fact
from analyzer.statements.passages import Passage
from analyzer.statements.roles import facts_in_roles
from analyzer.text.compiled import regex
from analyzer.text.scan import (
    ascii_lower,
    clause_starts,
    in_condition,
    modal_cues,
    negation_cues,
    piece_of,
    sentence_starts,
)

__all__ = ["Sentence", "shown", "split_sentences"]


@dataclass
class Sentence:
    """One sentence of a passage while it is read."""

    passage: Passage
    text: str
    """The passage's whole text (offsets are into it)."""
    lower: str
    start: int
    end: int
    pieces: list[int]
    """Clause starts of the whole passage."""
    facts: list[Fact]
    """Facts of the sentence, in their roles."""
    negations: list[tuple[int, int, str]]
    """(start, end, words) of the denying negations of the passage."""
    modals: list[tuple[int, str]]
    """(start, key) of the modal verbs of the passage."""
    language: str
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the qualifiers found for a clause of this sentence, kept while it is read: every
    action of a clause asks the same (a clause of thousands of characters without punctuation
    holds hundreds of actions)."""

    def piece(self, pos: int) -> int:
        return piece_of(self.pieces, pos)

    def piece_span(self, pos: int) -> tuple[int, int]:
        k = self.piece(pos)
        start = max(self.pieces[k], self.start)
        end = self.pieces[k + 1] if k + 1 < len(self.pieces) else len(self.text)
        return start, min(end, self.end)

    def conditional(self, pos: int) -> bool:
        return in_condition(self.lower, self.pieces, pos)

    def reach(self, pos: int) -> int:
        """Where the clause of ``pos`` starts for what governs it: its own start, or for the
        first clause of a list item, the start of the lead-in's last clause ('We will never:'
        governs 'sell your data')."""
        a, _b = self.piece_span(pos)
        own = self.passage.own
        if own and own - 2 <= a <= own and a - 2 > self.start:
            return self.piece_span(a - 2)[0]
        return a


_CESSATION = regex(
    r"(?<![a-z])(?:stop|stops|stopped|cease|ceases|ceased|discontinue|discontinues|no longer)"
    r"(?![a-z])|停止|终止|不再"
)
"""Verbs of ceasing: 'we will stop processing' says what 'we will no longer process' says."""
_COORDINATED = regex(
    r"(?<=[a-z,] )(?:and|but|or|while|whereas)(?= (?:we|you|they|it|our|users?) )|(?<=，)(?:并且|而且|但|但是)?(?=我们|您)"
)
"""A clause joined to the one before with a new subject ('we do not use it for advertising
and we do not look at it'): its own piece for negation and arguments."""


_SOFT_WRAP = regex(r"(?<=[a-z0-9,])\n(?=[a-z(])")
"""A line break inside a sentence (a paragraph wrapped by hand in Markdown): a space."""


def split_sentences(passage: Passage, language: str) -> list[Sentence]:
    text = passage.text
    lower = _SOFT_WRAP.sub(" ", ascii_lower(text))
    facts = list(facts_in_roles(text, language))
    pieces = sorted({*clause_starts(lower), *(m.start() for m in _COORDINATED.finditer(lower))})
    negations = [
        (c.span[0], c.span[1], ascii_lower(c.text))
        for c in negation_cues(text, lower)
        if c.kind == "negation"
    ]
    negations += [(m.start(), m.end(), m.group(0)) for m in _CESSATION.finditer(lower)]
    negations.sort()
    modals = [(c.span[0], c.key) for c in modal_cues(text, lower)]
    starts = [*sentence_starts(lower), len(text)]
    out: list[Sentence] = []
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        if not text[a:b].strip():
            continue
        own = [f for f in facts if a <= f.span[0] < b]
        out.append(Sentence(passage, text, lower, a, b, pieces, own, negations, modals, language))
    return out


def shown(s: Sentence) -> str:
    if "shown" not in s.memo:
        s.memo["shown"] = " ".join(s.text[s.start : s.end].split())
    text: str = s.memo["shown"]
    return text
