"""One clause across every version of a policy: ``policy history POLICY CLAUSE``.

The archive site's clause pages (:func:`analyzer.archive.site.lineages`) follow a clause by its
anchor through renumbering, moves, splits and merges. This module finds the lineage a reader
means and lays it out for the terminal or as JSON, so the same history is available without
building the site.

A reader names the clause the way they see it: the number in the current version (``5.6.2``),
a parser id (``s5.6.2``), the label as written (``III``, ``第三条``) or the anchor of a site
link (``c-…``). Numbers are looked up in the current version first, then in the newest version
that has them, so a clause that is gone can still be found by its old number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analyzer.archive.site import Lineage, Segment, SitePolicy, SiteVersion, lineages
from analyzer.errors import PolicyError
from analyzer.model import Clause

__all__ = ["HISTORY_SCHEMA", "Found", "find_lineage", "history_dict", "history_text"]

HISTORY_SCHEMA = "policy-history/1"


@dataclass(frozen=True)
class Found:
    """The lineage a reference names, and how it was recognised."""

    lineage: Lineage
    version: str
    """Key of the version in which the reference matched."""
    matched: str
    """What matched: ``anchor``, ``id``, ``address`` or ``label``."""


def _versions_to_search(policy: SitePolicy, chain: str) -> list[SiteVersion]:
    """The chain's versions, the current one first, then newest to oldest."""
    versions = policy.chains().get(chain, [])
    ordered = sorted(versions, key=lambda v: v.key != policy.current)
    head, rest = ordered[:1], ordered[1:]
    return head + sorted(rest, key=lambda v: versions.index(v), reverse=True)


def find_lineage(policy: SitePolicy, ref: str, *, chain: str = "") -> Found:
    """The lineage of ``policy``'s chain ``chain`` that ``ref`` names, or a clear error."""
    chains = policy.chains()
    if chain not in chains:
        known = ", ".join(repr(c) if c else "'' (main)" for c in chains)
        raise PolicyError(f"{policy.id} has no chain {chain!r} (it has {known})")
    by_anchor = {line.anchor: line for line in lineages(policy) if line.chain == chain}
    wanted = ref.strip()
    if wanted in by_anchor:
        first = by_anchor[wanted].segments[0].first.key
        return Found(by_anchor[wanted], first, "anchor")
    tests: list[tuple[str, Any]] = [
        ("id", lambda c: c.id == wanted),
        ("address", lambda c: c.address == wanted or c.address == wanted.rstrip(".")),
        ("label", lambda c: c.label is not None and c.label.strip() == wanted),
    ]
    for matched, test in tests:
        for version in _versions_to_search(policy, chain):
            hits = [c for c in version.tree.clauses if test(c)]
            if hits:
                return Found(by_anchor[version.anchors[hits[0].id]], version.key, matched)
    raise PolicyError(
        f"no clause {ref!r} in any version of {policy.id} "
        "(give a number such as 5.6.2, an id such as s5.6.2, or an anchor c-…)"
    )


def _span(segment: Segment) -> str:
    first, last = segment.versions[0], segment.versions[-1]
    if segment.open:
        return f"since {first.key}"
    return first.key if first is last else f"{first.key} – {last.key}"


def _what(segment: Segment, index: int) -> str:
    if segment.clause is None:
        return "not in the policy"
    if index == 0:
        return "first version" if segment.first.previous is None else "added"
    if segment.before is None:
        return "back"
    return "changed" if segment.inline else "unchanged wording"


def _clause_dict(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "address": clause.address,
        "label": clause.label,
        "heading": clause.heading,
        "text": clause.text,
        "hash": clause.hash,
    }


def history_dict(policy: SitePolicy, found: Found) -> dict[str, Any]:
    """The history as plain data (``policy history --format json``)."""
    lineage = found.lineage
    segments = []
    for index, segment in enumerate(lineage.segments):
        segments.append(
            {
                "versions": [v.key for v in segment.versions],
                "open": segment.open,
                "state": _what(segment, index),
                "notes": list(segment.notes),
                "clause": None if segment.clause is None else _clause_dict(segment.clause),
                "inline": [list(op) for op in segment.inline],
            }
        )
    return {
        "schema": HISTORY_SCHEMA,
        "policy": policy.id,
        "chain": lineage.chain,
        "anchor": lineage.anchor,
        "query": {"version": found.version, "matched": found.matched},
        "segments": segments,
        "relations": [
            {**relation.to_dict(), "other_clause": name} for relation, name in lineage.relations
        ],
    }


def history_text(policy: SitePolicy, found: Found, *, redline: Any) -> str:
    """The history for the terminal; ``redline`` writes word-level ops as one line."""
    lineage = found.lineage
    latest = lineage.latest
    title = " ".join((latest.heading or latest.text).split())
    title = title if len(title) <= 70 else title[:69] + "…"
    out = [
        f"{latest.address} {title}".rstrip(),
        f"policy {policy.id}{f' ({lineage.chain})' if lineage.chain else ''}; "
        f"anchor {lineage.anchor}; found by {found.matched} in {found.version}",
        "",
    ]
    for index, segment in enumerate(lineage.segments):
        out.append(f"{_span(segment)}: {_what(segment, index)}")
        clause = segment.clause
        if clause is not None:
            out.append(
                f"  as {clause.address}" + (f" ({clause.heading})" if clause.heading else "")
            )
        for note in segment.notes:
            out.append(f"  {note}")
        if segment.inline:
            out.append(f"  {redline(segment.inline)}")
        elif clause is not None and clause.text.strip() and (index == 0 or segment.before is None):
            out.append(f"  {_quote(clause.text)}")
    for relation, name in lineage.relations:
        out.append(
            f"{relation.version}: {relation.kind.replace('-', ' ')} {name or relation.other}"
        )
    return "\n".join(out) + "\n"


def _quote(text: str, limit: int = 300) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
