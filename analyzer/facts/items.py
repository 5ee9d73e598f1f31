"""A fact delta as items: one difference of a change each, the way a reader is told about it.

:func:`delta_items` is the one place that turns a :class:`~analyzer.facts.types.FactDelta` into
:class:`Item` records; the judgement's evidence (:mod:`analyzer.judge.evidence`) and the
notices' sentences (:mod:`analyzer.notices.sentences`) both read changes through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.facts.types import Fact, FactDelta

__all__ = ["REPLACING_KINDS", "Item", "delta_items"]

REPLACING_KINDS = frozenset({"organisation", "department", "complaint"})
"""Kinds whose one removed and one added fact in the same change read as one replaced by the
other (a company, a department, a complaint channel). The kinds of
:data:`~analyzer.facts.types.PAIRED_KINDS`, the controller among them, are already paired by
:func:`~analyzer.facts.compare.diff_facts`."""


@dataclass(frozen=True)
class Item:
    """One fact difference of a change: what it was, what it is, how."""

    kind: str
    before: Fact | None
    after: Fact | None
    how: str
    """``added``, ``removed``, ``replaced``, ``increased``, ``decreased``, ``negated``,
    ``affirmed``."""

    @property
    def any(self) -> Fact:
        """The fact after the change, else the one before."""
        fact = self.after or self.before
        assert fact is not None
        return fact

    @property
    def direction(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def labels(self) -> frozenset[str]:
        """The labels (``kind:value``) of its facts."""
        return frozenset(self.facts())

    def facts(self) -> tuple[str, ...]:
        """The labels of its facts, before first."""
        return tuple(f.label() for f in (self.before, self.after) if f is not None)

    def words(self) -> tuple[str, str]:
        """The words of the text before and after (``''`` for a side without the fact)."""
        return (self.before.text if self.before else "", self.after.text if self.after else "")


def delta_items(delta: FactDelta) -> list[Item]:
    """The differences as items, in text order; a fact of :data:`REPLACING_KINDS` removed and
    another of the same kind (and negation) added in the same change are one replaced."""
    added = list(delta.added)
    out: list[Item] = []
    for fact in delta.removed:
        partner = next(
            (
                a
                for a in added
                if a.kind == fact.kind and a.kind in REPLACING_KINDS and a.negated == fact.negated
            ),
            None,
        )
        if partner is None:
            out.append(Item(fact.kind, fact, None, "removed"))
        else:
            added.remove(partner)
            out.append(Item(fact.kind, fact, partner, "replaced"))
    out += [Item(f.kind, None, f, "added") for f in added]
    out += [Item(c.kind, c.before, c.after, c.how) for c in delta.changed]
    out.sort(key=lambda i: (i.any.span, i.kind, i.any.value))
    return out
