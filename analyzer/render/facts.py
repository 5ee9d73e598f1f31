"""The terminal view of what a policy says (:class:`~analyzer.statements.summary.PolicyFacts`), for
``policy show POLICY@VERSION --facts``: one block per topic, one line per entry with the
policy's own words and the clauses that state it. The JSON view is
:meth:`PolicyFacts.to_dict` (``policy-facts/1``).
"""

from __future__ import annotations

from analyzer.facts.labels import fact_name
from analyzer.statements.summary import RELATED, SECTIONS, Entry, PolicyFacts, RightEntry
from analyzer.text.normalize import visible

__all__ = ["entry_line", "render_facts_text"]


def _quoted(entry: Entry) -> str:
    """The policy's words, when they say more than the entry's name."""
    words = [w for w in entry.words if " ".join(w.split()).casefold() != entry.name.casefold()]
    return ", ".join(f"“{' '.join(w.split())}”" for w in words)


def entry_line(entry: Entry) -> str:
    """``biometric information [sensitive] (collect): “face recognition”, “facial features” —
    2.2.1(3), 2.2.1 ¶1``."""
    head = entry.shown
    if entry.negated and entry.actions:
        # a denial reads as one: 'ruled out (store): sensitive personal information', not a
        # category called 'not sensitive personal information'
        head = f"ruled out ({', '.join(entry.actions)}): {entry.name}"
    tags = []
    if entry.sensitive:
        tags.append("sensitive")
    tags += list(entry.subtypes)
    if entry.status == "limited":
        tags.append("limited")
    tags += list(entry.roles)
    if tags:
        head += f" [{', '.join(tags)}]"
    if entry.actions and not entry.negated:
        head += f" ({', '.join(entry.actions)})"
    if entry.related:
        kind, field = RELATED[entry.kind]
        verb = "receives" if field == "receives" else "for"
        head += f" [{verb}: {', '.join(fact_name(kind, v) for v in entry.related)}]"
    words = _quoted(entry)
    if words:
        head += f": {words}"
    return f"{head} — {', '.join(entry.clauses)}"


def _right_lines(right: RightEntry) -> list[str]:
    out = [f"  {entry_line(right.right)}"]
    for label, entries in (
        ("how", right.channels),
        ("reply within", right.deadlines),
        ("fees", right.fees),
    ):
        if entries:
            told = "; ".join(f"{e.shown} ({', '.join(e.clauses)})" for e in entries)
            out.append(f"      {label}: {told}")
    return out


def render_facts_text(facts: PolicyFacts) -> str:
    """What the policy says, as plain text (controls and bidirectional characters of the
    policy's words written out, never obeyed)."""
    meta = facts.meta
    name = f"{meta['policy']}@{meta['version']}" if "policy" in meta and "version" in meta else ""
    lines = [f"What {name or facts.source} says ({len(list(facts.entries()))} statements)"]
    if meta.get("title"):
        lines.append(str(meta["title"]))
    lines.append(f"source: {facts.source}; language: {facts.language}")
    if facts.left_out:
        lines.append(f"not read as statements: {', '.join(facts.left_out)}")
    for key, title in SECTIONS:
        entries = facts.section(key)
        lines.append("")
        lines.append(title)
        if not entries:
            lines.append("  (none stated)")
            continue
        if key == "rights":
            for right in facts.rights:
                lines += _right_lines(right)
            continue
        lines += [f"  {entry_line(e)}" for e in entries]
    return visible("\n".join(lines)) + "\n"
