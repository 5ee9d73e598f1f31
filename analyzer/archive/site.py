"""The archive site's model: the policies, their versions (each with its clause tree, anchors,
revision data and notices) and the clause lineages, one clause followed across every version of
a chain (:func:`lineages`, shown on the clause pages and by ``policy history``).

Pure dataclasses and functions; :mod:`analyzer.archive.analysis` builds the model,
:mod:`analyzer.archive.pages` renders it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analyzer.archive.anchors import Relation
from analyzer.archive.data import RevisionData, clause_text
from analyzer.diff.redline import redline
from analyzer.model import Clause, ClauseTree, InlineOp
from analyzer.statements.summary import PolicyFacts

RESERVED = frozenset({"assets", "search", "index.html", "index.json", "favicon.ico"})
"""Top-level names of the site that a policy id may not take."""


@dataclass(frozen=True)
class SiteVersion:
    """One version as the archive shows it."""

    policy: str
    key: str
    """URL segment: the version id, with ``.<lang>`` when the file name has a language."""
    version: str
    """``YYYY-MM-DD`` or ``YYYY-MM-DD-N``."""
    language: str
    """Language of the text (``en``, ``zh`` …)."""
    chain: str
    """Which chain of revisions it belongs to: the file name's language, or '' for the main one."""
    date: str
    """``YYYY-MM-DD`` of the version id."""
    updated: str | None
    effective: str | None
    status: str | None
    """``published`` or ``draft`` as the front matter says; None when it says nothing (an
    imported history), which the archive treats as published."""
    notice: str | None
    """The notice the editor declared for the revision into this version."""
    title: str
    note: str | None
    """The front matter's ``note:`` (what this version is), shown under the title."""
    example: bool
    """``example: true`` in the front matter: an illustration, not an official text."""
    tree: ClauseTree
    anchors: Mapping[str, str]
    """Clause id -> anchor."""
    previous: str | None
    """Key of the version before it in its chain."""
    next: str | None
    """Key of the version after it in its chain."""
    revision: RevisionData | None
    """The revision from ``previous`` into this version (None for the first)."""
    fingerprint: str = ""
    """Digest of the version file's bytes and the clause anchors: what the version's own pages
    are made from."""
    notices: Mapping[str, str] = field(default_factory=dict)
    """Notice texts shown to users for the revision into this version, by kind (``popup``,
    ``changelog``, ``email``). Filled by the notices stage; empty until it exists."""
    facts: PolicyFacts | None = None
    """What the version says, topic by topic (shown on its page; the revision page shows how
    it differs from the previous version's)."""

    @property
    def published(self) -> bool:
        return self.status != "draft"


@dataclass(frozen=True)
class SitePolicy:
    """One policy and all its versions."""

    id: str
    title: str
    versions: tuple[SiteVersion, ...]
    """All versions, chronological (by version id, then chain)."""
    current: str
    """Key of the current version: the newest published one of the main chain."""
    relations: Mapping[str, tuple[Relation, ...]] = field(default_factory=dict)
    """Anchor -> splits, merges, restorations."""

    def by_key(self) -> dict[str, SiteVersion]:
        return {v.key: v for v in self.versions}

    def chains(self) -> dict[str, list[SiteVersion]]:
        """Versions by chain (main chain first), each chronological."""
        out: dict[str, list[SiteVersion]] = {}
        for v in sorted(self.versions, key=lambda v: (v.chain != "", v.chain)):
            out.setdefault(v.chain, [])
        for v in self.versions:
            out[v.chain].append(v)
        return out


@dataclass(frozen=True)
class Site:
    """Everything the archive shows."""

    policies: tuple[SitePolicy, ...]
    base_url: str | None = None
    """Absolute URL the site is served from (for feed links and ids), or None."""
    title: str = "Policy archive"


# -- views ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseNode:
    """A clause with its children, for the nested text of a version page."""

    clause: Clause
    anchor: str
    level: int
    """Heading level (2..6) if the clause has a heading, by the headings above it."""
    children: tuple[ClauseNode, ...]

    @property
    def text(self) -> str:
        return self.clause.text

    @property
    def label(self) -> str:
        return self.clause.label or ""


def clause_nodes(tree: ClauseTree, anchors: Mapping[str, str]) -> tuple[ClauseNode, ...]:
    """The clauses of a version nested by parent, with heading levels that never skip."""
    children: dict[str | None, list[Clause]] = {}
    known = {c.id for c in tree.clauses}
    for clause in tree.clauses:
        parent = clause.parent if clause.parent in known else None
        children.setdefault(parent, []).append(clause)

    def build(parent: str | None, level: int) -> tuple[ClauseNode, ...]:
        out = []
        for clause in children.get(parent, ()):
            here = min(level, 6)
            below = level + 1 if clause.heading else level
            out.append(ClauseNode(clause, anchors[clause.id], here, build(clause.id, below)))
        return tuple(out)

    return build(None, 2)


@dataclass(frozen=True)
class Segment:
    """A run of consecutive versions in which a clause read the same (or was absent)."""

    versions: tuple[SiteVersion, ...]
    clause: Clause | None
    """The clause as it read, or None where it was not in the policy."""
    before: Clause | None = None
    """The clause as it read in the previous run that had it (None for the first)."""
    notes: tuple[str, ...] = ()
    """What else happened at the start of the run (renumbered, moved, split …)."""
    open: bool = False
    """The run lasts to the newest version: the page says "since" its first version, so that
    a new version that keeps the clause as it was does not change the page."""

    @functools.cached_property
    def inline(self) -> tuple[InlineOp, ...]:
        """Redline from the previous wording (empty when the words did not change); computed
        only when a page is rendered."""
        if self.clause is None or self.before is None:
            return ()
        old, new = clause_text(self.before), clause_text(self.clause)
        return redline(old, new) if old != new else ()

    def state(self) -> list[Any]:
        """What the clause page shows of this run, for the page's fingerprint."""
        c = self.clause
        shown = self.versions[:1] if self.open else self.versions
        return [
            [(v.key, v.date, v.version, v.previous is None) for v in shown],
            self.open,
            None if c is None else [c.address, c.heading, c.hash, c.text == ""],
            None if self.before is None else [self.before.hash, self.before.heading],
            list(self.notes),
        ]

    @property
    def first(self) -> SiteVersion:
        return self.versions[0]

    @property
    def last(self) -> SiteVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Lineage:
    """One clause across the versions of its chain (the "clause over time" page)."""

    anchor: str
    chain: str
    segments: tuple[Segment, ...]
    relations: tuple[tuple[Relation, str], ...]
    """Relations with the address or words of the other clause, for display."""

    @property
    def latest(self) -> Clause:
        present = [s.clause for s in self.segments if s.clause is not None]
        return present[-1]


def lineages(policy: SitePolicy) -> list[Lineage]:
    """Every clause lineage of a policy, in order of first appearance (chain by chain)."""
    out: list[Lineage] = []
    for chain_id, chain in policy.chains().items():
        seen: dict[str, list[tuple[int, Clause]]] = {}
        for index, version in enumerate(chain):
            for clause in version.tree.clauses:
                seen.setdefault(version.anchors[clause.id], []).append((index, clause))
        moves = _moves(chain)
        latest = {anchor: spots[-1][1] for anchor, spots in seen.items()}
        for anchor, appearances in seen.items():
            out.append(_lineage(policy, chain_id, chain, anchor, appearances, moves, latest))
    return out


def _moves(chain: Sequence[SiteVersion]) -> dict[tuple[str, str], str]:
    """(version key, clause id) -> 'moved' for clauses the revision into it reports moved."""
    out: dict[tuple[str, str], str] = {}
    for version in chain:
        if version.revision is None:
            continue
        for row in version.revision.changes:
            if row.kind == "moved":
                for side in row.new:
                    out[(version.key, side.id)] = "moved"
    return out


def _lineage(
    policy: SitePolicy,
    chain_id: str,
    chain: Sequence[SiteVersion],
    anchor: str,
    appearances: Sequence[tuple[int, Clause]],
    moves: Mapping[tuple[str, str], str],
    latest: Mapping[str, Clause],
) -> Lineage:
    at = dict(appearances)
    start = appearances[0][0]
    stop = min(appearances[-1][0] + 1, len(chain) - 1)
    runs: list[tuple[list[SiteVersion], Clause | None]] = []
    for index in range(start, stop + 1):
        clause = at.get(index)
        state = _state(clause)
        if runs and _state(runs[-1][1]) == state:
            runs[-1][0].append(chain[index])
        else:
            runs.append(([chain[index]], clause))
    segments: list[Segment] = []
    previous: Clause | None = None
    for versions, clause in runs:
        notes: list[str] = []
        before = previous if clause is not None else None
        if clause is not None and previous is not None:
            if clause.address != previous.address:
                notes.append(f"renumbered: {previous.address} → {clause.address}")
            if moves.get((versions[0].key, clause.id)):
                notes.append("moved")
        if clause is not None:
            previous = clause
        still = clause is not None and versions[-1] is chain[-1]
        segments.append(Segment(tuple(versions), clause, before, tuple(notes), still))
    relations = tuple((r, _name(latest.get(r.other))) for r in policy.relations.get(anchor, ()))
    return Lineage(anchor, chain_id, tuple(segments), relations)


def _state(clause: Clause | None) -> tuple[str, str, str] | None:
    if clause is None:
        return None
    return (clause.address, clause.heading or "", clause.text)


def _name(clause: Clause | None) -> str:
    if clause is None:
        return ""
    words = " ".join((clause.heading or clause.text).split())
    short = words if len(words) <= 60 else words[:59] + "…"
    return f"{clause.address} {short}".strip() if clause.address != words else short
