"""How ``policy check`` prints its result: text for people, ``policy-check/1`` JSON for tools,
GitHub workflow annotations plus a Markdown step summary for pull requests.

Pure functions from a :class:`~analyzer.check.run.CheckResult` to strings; the CLI writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from analyzer.check.model import CheckResult, Hit, RevisionResult, Severity
from analyzer.model import Change
from analyzer.text.normalize import json_invisible, visible

MAX_EXCERPTS = 8
"""Substantive changes shown per revision in the step summary."""
CONTEXT = 40
"""Characters of unchanged text kept on each side of an edit in a redline excerpt."""


def render_text(result: CheckResult, fail_on: Severity) -> str:
    """Hits grouped by file (line, severity, rule id, message), then the revisions, then a summary."""
    out = [_headline(result)]
    by_file: dict[str, list[Hit]] = {}
    for hit in result.hits:
        by_file.setdefault(hit.file, []).append(hit)
    for file, hits in by_file.items():
        out.append("")
        out.append(file)
        for hit in hits:
            out.append(f"  {hit.line}: {hit.severity} [{hit.rule}] {hit.message}")
    if result.revisions:
        out.append("")
        out.append("revisions:")
        for revision in result.revisions:
            out.append(f"  {_revision_title(revision)}: {_verdict(revision)}")
            out.extend(f"    - {reason}" for reason in revision.reasons)
    out.append("")
    out.append(_summary(result, fail_on))
    return visible("\n".join(out)) + "\n"


def render_json(result: CheckResult, fail_on: Severity) -> str:
    """The ``policy-check/1`` document (keys in a fixed order, lists sorted)."""
    return json_invisible(json.dumps(result.to_dict(fail_on), ensure_ascii=False, indent=2)) + "\n"


def render_github(result: CheckResult, fail_on: Severity) -> str:
    """One ``::error``/``::warning`` workflow command per hit, then the summary line."""
    out = []
    for hit in result.hits:
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (("file", hit.file), ("line", str(hit.line)), ("title", hit.rule))
        )
        out.append(f"::{hit.severity} {props}::{_escape_data(hit.message)}")
    out.append(_summary(result, fail_on))
    return visible("\n".join(out)) + "\n"


def render_step_summary(result: CheckResult, fail_on: Severity) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the verdict, the hits, and per revision its
    decision, its findings and a short redline of the substantive changes."""
    failed = result.failed(fail_on)
    out = ["## policy check", ""]
    out.append(
        f"{'❌ **Failed**' if failed else '✅ **Passed**'}: {_counts(result)} (fails on {fail_on})."
    )
    out.append("")
    out.append(_md(_headline(result)))
    if result.hits:
        out += ["", "| severity | rule | file | line | message |", "|---|---|---|---:|---|"]
        for hit in result.hits:
            out.append(
                f"| {hit.severity} | `{hit.rule}` | `{_cell(hit.file)}` | {hit.line} | "
                f"{_md(hit.message)} |"
            )
    for revision in result.revisions:
        out += ["", f"### {_md(_revision_title(revision))}", ""]
        out.append(f"Decision: {_md(_verdict(revision))}")
        if revision.reasons:
            out += ["", "Findings:", ""]
            out += [f"- {_md(reason)}" for reason in revision.reasons]
        excerpts = _excerpts(revision)
        if excerpts:
            out += ["", "Substantive changes:", ""]
            out += excerpts
    return visible("\n".join(out)) + "\n"


# ---------------------------------------------------------------------------------------------


def _headline(result: CheckResult) -> str:
    if result.base is None:
        return (
            f"policy check: {result.versions} as it stands "
            f"({len(result.files)} version files, every version against its predecessor)"
        )
    commit = result.base.commit[:12] if result.base.commit else "none"
    changed = len(result.changed or ())
    return (
        f"policy check: {result.versions} compared with {result.base.label} "
        f"(commit {commit}); {changed} file{'s' if changed != 1 else ''} changed"
    )


def _counts(result: CheckResult) -> str:
    errors, warnings = result.count("error"), result.count("warning")
    revisions = len(result.revisions)
    return (
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
        f" in {revisions} revision{'s' if revisions != 1 else ''}"
    )


def _summary(result: CheckResult, fail_on: Severity) -> str:
    verdict = "failed" if result.failed(fail_on) else "passed"
    return f"{_counts(result)}: {verdict} (--fail-on {fail_on})"


def _revision_title(revision: RevisionResult) -> str:
    old = revision.old.rsplit("/", 1)[-1] if revision.old else "(first version)"
    new = revision.new.rsplit("/", 1)[-1]
    return f"{revision.policy} [{revision.language}] {old} -> {new}"


def _verdict(revision: RevisionResult) -> str:
    declared = revision.declared or "nothing"
    if revision.detected is None:
        return f"declares {declared}; {revision.note}"
    note = f" ({revision.note})" if revision.note else ""
    return f"needs {revision.detected}, declares {declared}{note}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"})


def _md(text: str) -> str:
    """Text shown literally in Markdown (no emphasis, links or HTML from policy words)."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _excerpts(revision: RevisionResult) -> list[str]:
    if revision.report is None:
        return []
    substantive = [c for c in revision.report.changes if c.nature == "substantive"]
    lines = [f"- {_redline(change)}" for change in substantive[:MAX_EXCERPTS]]
    if len(substantive) > MAX_EXCERPTS:
        lines.append(f"- … and {len(substantive) - MAX_EXCERPTS} more substantive changes")
    return lines


def _redline(change: Change) -> str:
    side = change.new or change.old
    where = ", ".join(ref.clause for ref in side) if side else "?"
    head = f"**{_md(where)}** ({change.kind}): "
    if change.kind == "added":
        return head + f"<ins>{_md(_clip(' '.join(r.text for r in change.new)))}</ins>"
    if change.kind == "removed":
        return head + f"<del>{_md(_clip(' '.join(r.text for r in change.old)))}</del>"
    return head + "".join(_inline(change.inline))


def _inline(ops: Iterable[tuple[str, str]]) -> list[str]:
    """Redline ops with the unchanged stretches cut to :data:`CONTEXT` characters."""
    ops = list(ops)
    parts = []
    for index, (op, text) in enumerate(ops):
        flat = _WHITESPACE.sub(" ", text)
        if op == "=":
            first, last = index == 0, index == len(ops) - 1
            if first and len(flat) > CONTEXT:
                flat = "…" + _tail(flat)
            elif last and len(flat) > CONTEXT:
                flat = _head(flat) + "…"
            elif len(flat) > 2 * CONTEXT:
                flat = _head(flat).rstrip() + " … " + _tail(flat).lstrip()
            parts.append(_md_keep_spaces(flat))
        elif op == "-":
            parts.append(f"<del>{_md_keep_spaces(_clip(flat))}</del>")
        else:
            parts.append(f"<ins>{_md_keep_spaces(_clip(flat))}</ins>")
    return parts


_WHITESPACE = re.compile(r"\s+")


def _head(text: str) -> str:
    """About :data:`CONTEXT` characters from the start, cut after a whole word."""
    cut = text[:CONTEXT]
    space = cut.rfind(" ")
    return cut[: space + 1] if space > CONTEXT // 2 else cut


def _tail(text: str) -> str:
    """About :data:`CONTEXT` characters from the end, starting at a whole word."""
    cut = text[-CONTEXT:]
    space = cut.find(" ")
    return cut[space:] if 0 <= space < CONTEXT // 2 else cut


def _md_keep_spaces(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def rules_markdown() -> str:
    """The table of rules README.md shows (a test keeps the README in step with the code)."""
    from analyzer.check.rules import RULES

    out = ["| rule | severity | fires when | how to fix |", "|---|---|---|---|"]
    for rule in RULES.values():
        summary = rule.summary.replace("``", "`").replace("|", "\\|")
        fix = rule.fix.replace("|", "\\|")
        out.append(f"| `{rule.id}` | {rule.severity} | {summary} | {fix} |")
    return "\n".join(out) + "\n"
