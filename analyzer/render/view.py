"""What every view of a report says, worked out once: the summary line, the sections of the
redline, how a change names its clauses, the findings by criterion.

The views (:mod:`.text`, :mod:`.markdown`, :mod:`.html`) only decide how to mark these up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from analyzer.model import Change, ClauseRef, CriterionResult, Finding, InlineOp, Report
from analyzer.text.normalize import visible

__all__ = [
    "ELIDE_ABOVE",
    "Section",
    "clause_names",
    "criteria_with_findings",
    "elide",
    "headline",
    "kind_phrase",
    "nature_phrase",
    "sections",
    "shown",
]

ELIDE_ABOVE = 600
"""Unchanged runs longer than this many characters are shortened in terminal and pull-request
views (the HTML page shows every word)."""
_CONTEXT = 200


_T = TypeVar("_T")


def shown(report: Report) -> Report:
    """The report as a reader is shown it: every control or bidirectional character of the
    policy text written out as ``⟨U+202E⟩`` (:func:`analyzer.text.normalize.visible`), so that no
    view displays words in another order than the analysis read them. Unchanged when the text
    has none."""
    return _visible(report)


def _visible(value: _T) -> _T:
    result: Any = value
    if isinstance(value, str):
        result = visible(value)
    elif isinstance(value, tuple):
        items = tuple(_visible(v) for v in value)
        result = value if all(a is b for a, b in zip(items, value, strict=True)) else items
    elif isinstance(value, Mapping):
        pairs = [(k, v, _visible(k), _visible(v)) for k, v in value.items()]
        if any(nk is not k or nv is not v for k, v, nk, nv in pairs):
            result = {nk: nv for _, _, nk, nv in pairs}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _visible(old)
            if new is not old:
                changes[f.name] = new
        result = dataclasses.replace(value, **changes) if changes else value
    return result  # type: ignore[no-any-return]


def headline(report: Report) -> str:
    """The one-line summary: decision level, counts of changes, sizes."""
    s = report.summary
    total = len(report.changes)
    if total == 0:
        changes = "no changes"
    else:
        natures = f"{s.get('substantive', 0)} substantive, {s.get('editorial', 0)} editorial"
        kinds = ", ".join(
            f"{s[k]} {k}"
            for k in ("added", "removed", "modified", "moved", "renumbered", "split", "merged")
            if s.get(k)
        )
        changes = f"{total} change{'s' if total != 1 else ''} ({natures}; {kinds})"
    return (
        f"{report.decision.level.upper()}: {changes}; "
        f"{report.old.clauses} -> {report.new.clauses} clauses"
    )


@dataclass(frozen=True)
class Section:
    """Consecutive changes under one top-level section."""

    key: str
    """Address of the top-level clause (``3``, ``Prompt clause``, ``preamble ¶1``)."""
    title: str
    """How the section is introduced: ``3 How can we provide…``, ``Prompt clause``."""
    changes: tuple[Change, ...]


def _side(change: Change) -> ClauseRef:
    return (change.new or change.old)[0]


def sections(report: Report) -> list[Section]:
    """The changes grouped under their top-level section (of the new side; of the old side for
    a removed clause), in report order; a section appears again when the order leaves it."""
    groups: list[Section] = []
    for change in report.changes:
        ref = _side(change)
        key = ref.path[0] if ref.path else ref.clause
        if groups and groups[-1].key == key:
            last = groups[-1]
            groups[-1] = Section(last.key, last.title, (*last.changes, change))
            continue
        title = key
        if ref.section and ref.section != key:
            title = f"{key} {ref.section}"
        groups.append(Section(key, title, (change,)))
    return groups


def _names(refs: Sequence[ClauseRef]) -> str:
    return " + ".join(r.clause for r in refs)


def clause_names(change: Change) -> str:
    """How the change names its clauses: ``3.4.3``, ``6.1 (was 7.1)``, ``7.2 -> 7.2 + 7.3``."""
    old, new = _names(change.old), _names(change.new)
    if not change.old:
        return new
    if not change.new:
        return old
    if change.kind in ("split", "merged"):
        return f"{old} -> {new}"
    if old != new:
        return f"{new} (was {old})"
    return new


def kind_phrase(change: Change) -> str:
    """``modified``, ``moved from 6 to 7``, ``renumbered`` …"""
    if change.kind == "moved":
        return f"moved from {_names(change.old)} to {_names(change.new)}" + (
            " and modified" if "modified" in change.reasons else ""
        )
    return change.kind


def nature_phrase(change: Change) -> str:
    """``substantive: negation`` / ``editorial: punctuation, case``."""
    shown = [r for r in change.reasons if r != "modified"]
    return f"{change.nature}: {', '.join(shown)}" if shown else change.nature


def criteria_with_findings(
    report: Report,
) -> list[tuple[CriterionResult, list[tuple[Change, Finding]]]]:
    """Every criterion of the pack with the findings that point at it, in pack order."""
    out = []
    for criterion in report.criteria:
        found = [
            (change, finding)
            for change in report.changes
            for finding in change.findings
            if finding.criterion == criterion.id
        ]
        out.append((criterion, found))
    return out


def override_note(finding: Finding) -> str:
    """How a reviewer's verdict on a finding reads in every view: 'overridden by legal
    (not-major): the old number forwards to the new one'; '' when there is none."""
    o = finding.override
    if o is None:
        return ""
    by = f" by {o.reviewer}" if o.reviewer else ""
    if o.verdict == "not-major":
        return f"overridden{by} (not-major): {o.reason}"
    return f"reviewed{by} ({o.verdict}): {o.reason}"


def criterion_state(criterion: CriterionResult) -> str:
    """``triggered``, ``not triggered (overridden)`` or ``not triggered``."""
    if criterion.triggered:
        return "triggered"
    return "not triggered (overridden)" if criterion.overridden else "not triggered"


def elide(ops: Sequence[InlineOp], limit: int = ELIDE_ABOVE) -> list[InlineOp | None]:
    """The ops with long unchanged runs cut to their ends; ``None`` marks a cut.

    Cuts fall on spaces, so words stay whole. The first and last run keep only the side next to
    a change.
    """
    out: list[InlineOp | None] = []
    last = len(ops) - 1
    for k, (op, text) in enumerate(ops):
        if op != "=" or len(text) <= limit or last == 0:
            out.append((op, text))
            continue
        head = text[:_CONTEXT] if k > 0 else ""
        tail = text[-_CONTEXT:] if k < last else ""
        if head:
            cut = head.rfind(" ")
            head = head[: cut + 1] if cut > 0 else head
            out.append(("=", head))
        out.append(None)
        if tail:
            cut = tail.find(" ")
            tail = tail[cut:] if 0 <= cut < len(tail) - 1 else tail
            out.append(("=", tail))
    return out
