"""What a translation states that its original does not.

A version in another language than the policy's primary one is a translation of the primary
version of the same date: it may word things differently, but it may not make a statement the
primary version does not make (``policy check``'s ``translation-mismatch``). A first version in
a new language needs only ``publish``, so without this comparison a translation could say
"we sell your location data to advertisers" on its own.

:func:`statements_not_in` is the seam: today it compares the facts of both versions
(:mod:`analyzer.facts`: what is processed, for whom, how, the fees, the promises and the
contacts, each with its negation), read as a reader sees the text
(:func:`analyzer.diff.folding.fold_tree`); a statement model of the whole policy can replace it
without touching the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.diff.folding import fold_tree
from analyzer.facts.extract import facts_of
from analyzer.facts.types import USE_KINDS, Fact
from analyzer.model import ClauseTree

__all__ = ["COMPARED_KINDS", "QUIET_PROCESSING", "Statement", "statements_not_in"]

COMPARED_KINDS = frozenset(
    {*USE_KINDS, "right", "fee", "commitment", "phone", "email", "url", "controller"}
)
"""The fact kinds a translation must not add: what is processed, why, for whom, how and where;
the user's rights, fees and promises; the ways to reach the company; who controls the data.
Values of these kinds are canonical across English and Chinese."""
QUIET_PROCESSING = frozenset({"collect", "store", "provide", "anonymise"})
"""Ways of handling that languages word too differently to compare (``保存`` is ``store``, and
English says "keep"); what a translation may not add are the ways information leaves the
company or changes hands (share, transfer, disclose, sell, entrust, cross-border …)."""


@dataclass(frozen=True)
class Statement:
    """Something a version states: a fact kind, its canonical value, its negation, and where."""

    kind: str
    value: str
    negated: bool
    clause: str
    """Address of the first clause that states it."""
    words: str
    """The words that state it."""

    def describe(self) -> str:
        """``recipient 'advertisers' in 1.3 (广告合作伙伴)``."""
        negation = "not " if self.negated else ""
        return f"{self.kind} {negation}{self.value!r} in {self.clause} ({self.words})"


def statements_of(tree: ClauseTree) -> dict[tuple[str, str, bool], Statement]:
    """The statements of a version, by (kind, value, negation), each at its first clause."""
    seen = fold_tree(tree)
    out: dict[tuple[str, str, bool], Statement] = {}
    for clause in seen.clauses:
        text = " ".join(p for p in (clause.heading, clause.text) if p)
        for fact in facts_of(text, seen.language.split("-")[0] if seen.language else "en"):
            if _compared(fact) and fact.key not in out:
                out[fact.key] = _statement(fact, clause.address)
    return out


def _compared(fact: Fact) -> bool:
    if fact.kind == "processing":
        return fact.value not in QUIET_PROCESSING
    return fact.kind in COMPARED_KINDS


def _statement(fact: Fact, clause: str) -> Statement:
    return Statement(fact.kind, fact.value, fact.negated, clause, fact.text)


def statements_not_in(primary: ClauseTree, translation: ClauseTree) -> tuple[Statement, ...]:
    """What ``translation`` states that ``primary`` does not, in the translation's order."""
    made = statements_of(primary)
    return tuple(s for key, s in statements_of(translation).items() if key not in made)
