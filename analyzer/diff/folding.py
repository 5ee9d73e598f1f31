"""A clause tree as a reader sees it, and the suspicious characters that made it differ.

The judgement reads what a reader of the policy sees, not the code points stored: a clause
that says ``60 dаys`` with a Cyrillic ``а`` is judged as ``60 days``, and ``sh`` U+2062 ``are``
as ``share`` (:func:`analyzer.text.suspicious.fold`). :func:`fold_tree` gives that tree (the
same object when nothing needs folding, which is the case for almost every policy), and
:func:`merge_shown` puts the judged changes back on the changes as stored, so that every report
shows the stored characters, marked, with the judgement of what a reader sees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Literal

from analyzer.model import Change, Clause, ClauseRef, ClauseTree, SuspiciousChar
from analyzer.text.normalize import content_hash
from analyzer.text.suspicious import find_suspicious, fold, has_candidates

__all__ = [
    "SUSPICIOUS_REASON",
    "fold_tree",
    "merge_shown",
    "suspicious_in_clauses",
    "suspicious_in_tree",
]

SUSPICIOUS_REASON = "suspicious-characters"
"""The reason of a change that only a suspicious character made (nothing a reader sees
changed): substantive, since no honest edit does that."""


def fold_tree(tree: ClauseTree) -> ClauseTree:
    """``tree`` with every clause's heading and text as a reader sees it; ``tree`` itself when
    no clause holds a suspicious character."""
    changed: dict[int, Clause] = {}
    for index, clause in enumerate(tree.clauses):
        heading, text = clause.heading, clause.text
        if not (has_candidates(text) or (heading is not None and has_candidates(heading))):
            continue
        folded_text = fold(text)
        folded_heading = fold(heading) if heading is not None else None
        if folded_text == text and folded_heading == heading:
            continue
        hashed = " ".join(p for p in (folded_heading, folded_text) if p)
        changed[index] = dataclasses.replace(
            clause, text=folded_text, heading=folded_heading, hash=content_hash(hashed)
        )
    if not changed:
        return tree
    clauses = tuple(changed.get(k, c) for k, c in enumerate(tree.clauses))
    return dataclasses.replace(tree, clauses=clauses)


def merge_shown(shown: Sequence[Change], judged: Sequence[Change]) -> tuple[Change, ...]:
    """The changes as stored (``shown``: their texts and redlines keep every character), each
    with the nature, reasons, tripwires and findings of the same change as a reader sees it
    (``judged``, built from the folded trees with the same alignment). A stored change with no
    judged counterpart changed only characters a reader cannot see or tell apart: it is
    substantive, for :data:`SUSPICIOUS_REASON`."""
    by_sides = {_sides(change): change for change in judged}
    out: list[Change] = []
    for change in shown:
        twin = by_sides.get(_sides(change))
        if twin is None:
            out.append(
                dataclasses.replace(
                    change, nature="substantive", reasons=(SUSPICIOUS_REASON,), tripwires=()
                )
            )
            continue
        findings = tuple(dataclasses.replace(f, change=change.id) for f in twin.findings)
        out.append(
            dataclasses.replace(
                change,
                kind=twin.kind,
                nature=twin.nature,
                reasons=twin.reasons,
                tripwires=twin.tripwires,
                findings=findings,
            )
        )
    return tuple(out)


def _sides(change: Change) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(r.id for r in change.old), tuple(r.id for r in change.new)


def suspicious_in_clauses(
    refs: Iterable[tuple[Literal["old", "new"], ClauseRef]],
) -> tuple[SuspiciousChar, ...]:
    """The suspicious characters of clause sides (title and text), once per clause, character
    and side, in the order given."""
    out: dict[tuple[str, str, str], SuspiciousChar] = {}
    for side, ref in refs:
        for part in (ref.title, ref.text):
            if not part:
                continue
            for item in find_suspicious(part):
                key = (side, ref.clause, item.code_point)
                if key not in out:
                    out[key] = SuspiciousChar(
                        side=side,
                        clause=ref.clause,
                        code_point=item.code_point,
                        name=item.name,
                        kind=item.kind,
                        looks_like=item.looks_like,
                    )
    return tuple(out.values())


def suspicious_in_tree(tree: ClauseTree) -> tuple[SuspiciousChar, ...]:
    """The suspicious characters of every clause of a version (its first version has no
    changes to look at)."""
    side: Literal["old", "new"] = "new"
    refs = [
        (side, ClauseRef(c.id, c.address, (), c.heading, c.text, title=c.heading))
        for c in tree.clauses
    ]
    return suspicious_in_clauses(refs)
