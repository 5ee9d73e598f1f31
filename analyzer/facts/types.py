"""What a fact is: the record every extractor emits, and the difference of two sets of them.

:data:`FACT_KINDS` lists every kind with its meaning; :class:`Fact` is one statement of a text
(kind, canonical value, exact words, span, negation); :class:`FactChange` and
:class:`FactDelta` say what changed between the facts of two texts
(:mod:`analyzer.facts.compare` computes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


USE_KINDS = frozenset({"pi-category", "purpose", "recipient", "processing", "location"})
"""What is processed, why, for whom and where: the kinds the judgement counts only when new to
the policy or in a new pairing, and the notices tell together, one sentence of the policy at a
time."""


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
        """What two facts must share to be the same statement: kind, value, negation ('not
        charged' says what 'free' says)."""
        if self.kind == "fee" and self.value == "charged" and self.negated:
            return ("fee", "free", False)
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
