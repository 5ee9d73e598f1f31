"""The pull-request view of a report (GitHub-flavoured Markdown): the summary, a findings
table, then one collapsible ``<details>`` block per section with a ``~~old~~ **new**`` redline.

Policy text is untrusted: every character that Markdown or HTML would read as markup
(emphasis, links, headings, tables, ``<tags>``, ``@mentions``, ``#123`` references) is escaped,
so a version can neither inject markup into the comment nor ping anyone.
"""

from __future__ import annotations

import re
from html import escape

from analyzer.model import Change, Report
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

__all__ = ["md_escape", "render_markdown"]

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:@$=\"'])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPACES = re.compile(r"\s+")
_TAGS = {"~~": ("<del>", "</del>"), "**": ("<ins>", "</ins>")}


def md_escape(text: str) -> str:
    """Text shown literally in GitHub Markdown: ASCII punctuation backslash-escaped, ``& < >``
    as entities, line breaks as ``<br>``."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    escaped = "".join(_ENTITIES.get(ch, ch) for ch in escaped)
    return "<br>".join(_SPACES.sub(" ", line) for line in escaped.split("\n"))


def _code(text: str) -> str:
    """An inline code span that no backtick in ``text`` can close."""
    text = " ".join(text.split())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(report: Report) -> str:
    """The report as a pull-request comment."""
    report = shown(report)  # controls and bidi overrides written out, never obeyed
    out = [f"### policy diff: {md_escape(headline(report))}", ""]
    out.append("| | old | new |")
    out.append("|---|---|---|")
    out.append(f"| version | {_code(report.old.source)} | {_code(report.new.source)} |")
    out.append(f"| clauses | {report.old.clauses} | {report.new.clauses} |")
    out.append("")
    out.append(
        f"Criteria {_code(report.criteria_pack)}, similarity: {md_escape(report.model)}, "
        f"policy-analyzer {md_escape(report.analyzer_version)}."
    )
    out.append("")
    out.append(f"**Decision: {report.decision.level}**")
    out.append("")
    out += [f"- {md_escape(reason)}" for reason in report.decision.reasons]
    out.append("")
    out.append("#### Findings")
    out.append("")
    out.append("| criterion | state | changes | evidence |")
    out.append("|---|---|---|---|")
    for criterion, found in criteria_with_findings(report):
        state = criterion_state(criterion)
        mark = f"**{state}**" if criterion.triggered else state
        ids = ", ".join(f"[{c.id}](#{c.id})" for c, _ in found) or "–"
        evidence = "<br>".join(
            md_escape(f"{c.id} {clause_names(c)}: {f.evidence}")
            + (f" **[{md_escape(override_note(f))}]**" if f.override else "")
            for c, f in found
        )
        title = md_escape(f"{criterion.id} {criterion.title}")
        out.append(f"| {title} | {mark} | {ids} | {evidence or '–'} |")
    out.append("")
    out.append("#### Changes")
    out.append("")
    if not report.changes:
        out.append("No changes.")
        out.append("")
    for section in group_sections(report):
        substantive = sum(1 for c in section.changes if c.nature == "substantive")
        count = len(section.changes)
        # an HTML block: Markdown escapes are not read inside it, entities are
        summary = escape(
            f"{' '.join(section.title.split())} — {count} change{'s' if count != 1 else ''}"
            f"{f', {substantive} substantive' if substantive else ''}"
        )
        opened = " open" if substantive else ""
        out.append(f"<details{opened}><summary>{summary}</summary>")
        out.append("")
        for change in section.changes:
            out += _change(change)
        out.append("</details>")
        out.append("")
    if report.warnings:
        out.append(f"<details><summary>Warnings ({len(report.warnings)})</summary>")
        out.append("")
        out += [f"- {md_escape(w)}" for w in report.warnings]
        out.append("")
        out.append("</details>")
        out.append("")
    return "\n".join(out)


def _change(change: Change) -> list[str]:
    nature = nature_phrase(change)
    nature = f"**{md_escape(nature)}**" if change.nature == "substantive" else md_escape(nature)
    head = (
        f'- <a id="{change.id}"></a>**{change.id}** {md_escape(clause_names(change))}: '
        f"{md_escape(kind_phrase(change))}; {nature}"
    )
    out = [head]
    for wire in change.tripwires:
        out.append(
            f"  - {md_escape(wire.kind)}: {md_escape(wire.before) or '–'} → "
            f"{md_escape(wire.after) or '–'}"
        )
    if any(op != "=" for op, _ in change.inline):
        out.append("")
        out.append(f"  > {_redline(change)}")
    out.append("")
    return out


def _mark(text: str, marker: str) -> str:
    """Wrap ``text`` in ``marker`` (``~~`` or ``**``) line by line, spaces kept outside.

    Markdown only reads a marker as one when the text inside starts and ends with a letter or
    digit, whatever stands next to it (``example**,**`` stays literal); other pieces get the
    HTML tags GitHub allows, ``<del>`` and ``<ins>``."""
    pieces = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            pieces.append(md_escape(line))
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()) :]
        start, end = (marker, marker) if core[0].isalnum() and core[-1].isalnum() else _TAGS[marker]
        pieces.append(f"{' ' if lead else ''}{start}{md_escape(core)}{end}{' ' if trail else ''}")
    return "<br>".join(pieces)


def _redline(change: Change) -> str:
    parts: list[str] = []
    ops = elide(change.inline)
    for k, item in enumerate(ops):
        if item is None:
            parts.append(" \\[…\\] ")
            continue
        op, text = item
        if op == "=":
            parts.append(md_escape(text))
        elif not text.strip():
            nxt = ops[k + 1] if k + 1 < len(ops) else None
            if op == "-" and nxt is not None and nxt[0] == "+" and not nxt[1].strip():
                continue  # only the spacing changed: the '+' op shows the new spacing
            parts.append(md_escape(text) if op == "+" else "")
        else:
            parts.append(_mark(text, "~~" if op == "-" else "**"))
    return "".join(parts)
