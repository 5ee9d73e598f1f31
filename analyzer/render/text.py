"""The terminal view of a report: a summary line, the decision and the findings by criterion,
then the redline grouped by section.

Removed words are ``[-like this-]`` and added words ``{+like this+}`` (as ``git diff
--word-diff`` writes them); with ``color=True`` they are red struck-through and green instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.model import Change, InlineOp, Report
from analyzer.render.view import (
    clause_names,
    criteria_with_findings,
    criterion_state,
    elide,
    headline,
    kind_phrase,
    nature_phrase,
    override_note,
    shown,
)
from analyzer.render.view import sections as group_sections

__all__ = ["render_text"]

_RED = "\x1b[31;9m"
_GREEN = "\x1b[32m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"
_INDENT = "      "


def render_text(report: Report, *, color: bool = False) -> str:
    """The report as plain text (ANSI colours when ``color``)."""
    report = shown(report)  # controls and bidi overrides written out, never obeyed

    def bold(text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if color else text

    lines = [bold(headline(report)), ""]
    lines.append(f"old: {report.old.source} ({report.old.clauses} clauses)")
    lines.append(f"new: {report.new.source} ({report.new.clauses} clauses)")
    lines.append(f"criteria: {report.criteria_pack}; similarity: {report.model}")
    lines.append(f"analyzer: policy-analyzer {report.analyzer_version}")
    lines.append("")
    lines.append(bold(f"Decision: {report.decision.level}"))
    lines += [f"  - {reason}" for reason in report.decision.reasons]
    lines.append("")
    lines.append(bold("Findings by criterion"))
    untriggered = []
    for criterion, found in criteria_with_findings(report):
        if not criterion.triggered and not found:
            untriggered.append(criterion.id)
            continue
        lines.append(f"  {criterion.id} {criterion.title}: {criterion_state(criterion)}")
        for change, finding in found:
            where = clause_names(change)
            lines.append(f"    {change.id} {where}: {finding.evidence}")
            if finding.override is not None:
                lines.append(f"      {override_note(finding)}")
    if untriggered:
        lines.append(f"  not triggered: {', '.join(untriggered)}")
    lines.append("")
    lines.append(bold("Changes"))
    if not report.changes:
        lines.append("  none")
    for section in group_sections(report):
        lines.append("")
        lines.append(bold(f"§ {section.title}"))
        for change in section.changes:
            lines += _change(change, color=color)
    if report.warnings:
        lines.append("")
        lines.append(bold("Warnings"))
        lines += [f"  {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def _change(change: Change, *, color: bool) -> list[str]:
    head = f"  {change.id}  {clause_names(change)}: {kind_phrase(change)}; {nature_phrase(change)}"
    out = [head]
    for wire in change.tripwires:
        out.append(f"{_INDENT}{wire.kind}: {_quote(wire.before)} -> {_quote(wire.after)}")
    if any(op != "=" for op, _ in change.inline):
        out.append(_INDENT + _redline(change, color=color).replace("\n", "\n" + _INDENT))
    return out


def _quote(text: str) -> str:
    return f"'{' '.join(text.split())}'" if text else "(none)"


def _redline(change: Change, *, color: bool) -> str:
    return redline_text(change.inline, color=color)


def redline_text(inline: Sequence[InlineOp], *, color: bool = False) -> str:
    """Word-level ops as one line of text: ``[-removed-]{+added+}`` (or coloured), long
    unchanged runs cut to ``[…]``."""
    parts: list[str] = []
    ops = elide(inline)
    k = 0
    while k < len(ops):
        item = ops[k]
        if item is None:
            parts.append(f"{_DIM}[…]{_RESET}" if color else "[…]")
            k += 1
            continue
        op, text = item
        if op == "=":
            parts.append(text)
            k += 1
            continue
        removed = text if op == "-" else ""
        added = ""
        nxt = ops[k + 1] if k + 1 < len(ops) else None
        if op == "-" and nxt is not None and nxt[0] == "+":
            added = nxt[1]
            k += 1
        elif op == "+":
            added = text
        k += 1
        if removed and added and not removed.strip() and not added.strip():
            parts.append(added)  # only the spacing changed: show the new spacing
            continue
        if removed:
            parts.append(f"{_RED}{removed}{_RESET}" if color else f"[-{removed}-]")
        if added:
            parts.append(f"{_GREEN}{added}{_RESET}" if color else f"{{+{added}+}}")
    return "".join(parts)
