"""What a translation states that its original does not.

A version in another language than the policy's primary one is a translation of the primary
version of the same date: it may word things differently, but it may not make a statement the
primary version does not make (``policy check``'s ``translation-mismatch``). A first version in
a new language needs only ``publish``, so without this comparison a translation could say
"we sell your location data to advertisers" on its own.

:func:`statements_not_in` is the seam. It reads both versions as a reader sees them
(:func:`analyzer.diff.folding.fold_tree`) into the statement model of the whole policy
(:mod:`analyzer.statements`) and compares them with the primary version as the old side: what
the translation adds or changes is what the primary version does not state. Two languages word
the ordinary handling of information differently ("we keep server logs" is not read as a
practice, "保存服务器日志" is), so practices that keep information inside the company
(collect, use, store) count only when they reverse, open or narrow a promise; what a
translation may never add is information leaving the company (share, sell, send abroad), a
right granted or denied, a fee, a deadline, a contact, a controller or a risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.diff.folding import fold_tree
from analyzer.model import ClauseTree
from analyzer.statements import StatementChange, compare_statements, statements_of

__all__ = ["Statement", "statements_not_in"]

_ADDING = frozenset(
    {
        "added",
        "more-specific",
        "reversed",
        "opened",
        "narrowed",
        "consent-dropped",
        "granted",
        "denied",
        "replaced",
        "lengthened",
        "shortened",
        "imposed",
        "charged",
    }
)
"""How a translation states something its original does not (``removed`` and ``withdrawn``
are what it leaves out)."""
_OUTWARD = frozenset({"share", "sell", "abroad"})
"""Practice families by which information leaves the company."""


@dataclass(frozen=True)
class Statement:
    """Something the translation states that the primary version does not."""

    detail: str
    """``location is sold to advertisers``."""
    clause: str
    """Where the translation states it (``3``)."""
    how: str
    """How it differs (:data:`analyzer.statements.CHANGE_HOWS`)."""

    def describe(self) -> str:
        """``location is sold to advertisers (added, in 3)``."""
        return f"{self.detail} ({self.how}, in {self.clause})"


def _counts(change: StatementChange) -> bool:
    if change.how not in _ADDING:
        return False
    if change.kind != "practice" or change.how != "added":
        return True
    return change.subject.split("|", 1)[0] in _OUTWARD


def statements_not_in(primary: ClauseTree, translation: ClauseTree) -> tuple[Statement, ...]:
    """What ``translation`` states that ``primary`` does not, in a stable order."""
    delta = compare_statements(
        statements_of(fold_tree(primary)), statements_of(fold_tree(translation))
    )
    out: dict[str, Statement] = {}
    for change in delta.changes:
        if _counts(change):
            where = change.after.address if change.after is not None else "?"
            out.setdefault(change.detail, Statement(change.told, where, change.how))
    return tuple(out.values())
