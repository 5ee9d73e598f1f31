"""The report as one self-contained HTML page: inline CSS, no script, no external request.

Every string that comes from a policy, a file name or the criteria pack goes through
:func:`html.escape`; the page also carries a Content-Security-Policy that forbids scripts and
any fetch, so even a mistake in escaping could not run code or call out. Removed words are
``<del>``, added words ``<ins>``; every word of both versions is shown.
"""

from __future__ import annotations

from html import escape

from analyzer.model import Change, Report
from analyzer.render.view import (
    clause_names,
    criteria_with_findings,
    criterion_state,
    headline,
    kind_phrase,
    nature_phrase,
    override_note,
    shown,
)
from analyzer.render.view import sections as group_sections

__all__ = ["render_html"]

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
.summary{font-weight:600;padding:.5rem .75rem;border-left:4px solid #888;background:#f4f4f4}
.level-popup .summary,.level-consent .summary{border-color:#c0392b;background:#fdecea}
.level-publish .summary{border-color:#2471a3;background:#eaf2f8}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}
details{margin:.75rem 0;border:1px solid #ddd;border-radius:4px;padding:.25rem .75rem}
summary{cursor:pointer;font-weight:600}
.change{margin:.75rem 0;padding-left:.75rem;border-left:3px solid #bbb}
.change.substantive{border-color:#c0392b}
.change h3{font-size:1rem;margin:.25rem 0}.meta{color:#555;font-size:.9rem}
.redline{white-space:pre-wrap;overflow-wrap:anywhere}
del{color:#a61b1b;background:#fde2e2;text-decoration:line-through}
ins{color:#14632b;background:#dcf5e3;text-decoration:none}
.tripwires{margin:.25rem 0;padding-left:1.25rem;font-size:.9rem}
code{font-size:.9em}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def render_html(report: Report) -> str:
    """The report as a standalone HTML page."""
    report = shown(report)  # controls and bidi overrides written out, never obeyed
    e = escape
    language = str(report.new.meta.get("language") or "en")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>policy diff: {e(report.decision.level)}: {e(report.new.source)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        f'<body class="level-{e(report.decision.level)}">',
        "<h1>policy diff</h1>",
        f'<p class="summary">{e(headline(report))}</p>',
        "<table>",
        "<tr><th></th><th>old</th><th>new</th></tr>",
        f"<tr><th>version</th><td><code>{e(report.old.source)}</code></td>"
        f"<td><code>{e(report.new.source)}</code></td></tr>",
        f"<tr><th>sha256</th><td><code>{e(report.old.sha256[:12])}</code></td>"
        f"<td><code>{e(report.new.sha256[:12])}</code></td></tr>",
        f"<tr><th>clauses</th><td>{report.old.clauses}</td><td>{report.new.clauses}</td></tr>",
        "</table>",
        f'<p class="meta">Criteria <code>{e(report.criteria_pack)}</code>; similarity: '
        f"{e(report.model)}; policy-analyzer {e(report.analyzer_version)}.</p>",
        f"<h2>Decision: {e(report.decision.level)}</h2>",
        "<ul>",
        *(f"<li>{e(reason)}</li>" for reason in report.decision.reasons),
        "</ul>",
        "<h2>Findings by criterion</h2>",
        "<table>",
        "<tr><th>criterion</th><th>state</th><th>evidence</th></tr>",
    ]
    for criterion, found in criteria_with_findings(report):
        state = e(criterion_state(criterion))
        state = f"<strong>{state}</strong>" if criterion.triggered else state
        evidence = "<br>".join(
            f'<a href="#{e(c.id)}">{e(c.id)}</a> {e(clause_names(c))}: {e(f.evidence)}'
            + (f" <em>[{e(override_note(f))}]</em>" if f.override else "")
            for c, f in found
        )
        parts.append(
            f"<tr><td>{e(criterion.id)} {e(criterion.title)}</td><td>{state}</td>"
            f"<td>{evidence or '–'}</td></tr>"
        )
    parts.append("</table>")
    parts.append("<h2>Changes</h2>")
    if not report.changes:
        parts.append("<p>No changes.</p>")
    for section in group_sections(report):
        substantive = sum(1 for c in section.changes if c.nature == "substantive")
        count = len(section.changes)
        label = f"{section.title} — {count} change{'s' if count != 1 else ''}"
        if substantive:
            label += f", {substantive} substantive"
        parts.append(f"<details{' open' if substantive else ''}><summary>{e(label)}</summary>")
        parts += [_change(change) for change in section.changes]
        parts.append("</details>")
    if report.warnings:
        parts.append("<h2>Warnings</h2>")
        parts.append("<ul>")
        parts += [f"<li>{e(w)}</li>" for w in report.warnings]
        parts.append("</ul>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _change(change: Change) -> str:
    e = escape
    out = [
        f'<article class="change {e(change.nature)}" id="{e(change.id)}">',
        f"<h3>{e(change.id)} {e(clause_names(change))}</h3>",
        f'<p class="meta">{e(kind_phrase(change))}; {e(nature_phrase(change))}'
        + (f"; similarity {change.similarity:.2f}" if change.similarity is not None else "")
        + "</p>",
    ]
    if change.tripwires:
        out.append('<ul class="tripwires">')
        out += [
            f"<li>{e(t.kind)}: <del>{e(t.before)}</del> → <ins>{e(t.after)}</ins></li>"
            for t in change.tripwires
        ]
        out.append("</ul>")
    if any(op != "=" for op, _ in change.inline):
        spans = []
        for op, text in change.inline:
            if op == "=":
                spans.append(e(text))
            elif op == "-":
                spans.append(f"<del>{e(text)}</del>")
            else:
                spans.append(f"<ins>{e(text)}</ins>")
        out.append(f'<p class="redline">{"".join(spans)}</p>')
    out.append("</article>")
    return "\n".join(out)
