"""The data that flows through the pipeline, one frozen dataclass per stage.

``bytes --ingest--> Document --parse--> ClauseTree --align--> Alignment --redline--> Change
--classify--> Finding --decide--> Decision --> Report``

Every class documents its fields and has one ``to_dict()`` that the JSON output and the golden
tests share. Nothing here reads files or imports an outside library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["none", "publish", "popup", "consent"]
LEVELS: tuple[Level, ...] = ("none", "publish", "popup", "consent")
"""Decision levels in increasing order of what the company owes its users."""

ChangeKind = Literal["added", "removed", "modified", "moved", "renumbered", "split", "merged"]
Nature = Literal["editorial", "substantive"]
InlineOp = tuple[Literal["=", "-", "+"], str]


def level_rank(level: str) -> int:
    """Position of a level in :data:`LEVELS` (``none`` is 0)."""
    return [str(x) for x in LEVELS].index(level)


@dataclass(frozen=True)
class Document:
    """One version of a policy as read from disk, before parsing."""

    source: str
    """Where it came from, as the user named it (a path, ``POLICY@VERSION`` or ``git:REV:PATH``)."""
    text: str
    """The body (front matter removed), with line ends and BOM normalised; otherwise as written.
    A Word document's body is the Markdown it reads as (:mod:`analyzer.parse.word`)."""
    format: Literal["markdown", "text", "html"]
    """How the body is parsed."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """The YAML front matter, or an empty mapping."""
    body_line: int = 1
    """Line of the source file on which ``text`` starts (after front matter), 1-based."""
    sha256: str = ""
    """SHA-256 of the normalised body text; identical for texts that differ only in whitespace."""
    warnings: tuple[str, ...] = ()
    """What reading the file left out or decided, one line each (a Word document's comments,
    the view of its tracked changes); the clause tree carries them on."""


@dataclass(frozen=True)
class Clause:
    """One unit of a policy: a numbered clause, a heading with its text, or a paragraph."""

    id: str
    """Unique within the document and deterministic: ``s`` + the dotted number (``s3.4.3``) for
    numbered clauses, ``p1``, ``p2`` … for preamble paragraphs, ``<parent id>-p1`` … for unnumbered
    paragraphs attached to a clause."""
    label: str | None
    """The number as the document wrote it (``3.3.3``, ``III``, ``（二）``, ``five point two``)."""
    number: tuple[int, ...]
    """Normalised position (``III`` -> (3,), ``five point two`` -> (5, 2)); ``()`` in the preamble."""
    heading: str | None
    """A title the clause carries (``Delegated processing``), or None."""
    text: str
    """The clause's own text (not its children's), label and heading excluded, whitespace kept."""
    parent: str | None
    """Id of the enclosing clause, or None at top level."""
    depth: int
    """Nesting depth: 0 for preamble and top-level sections."""
    lines: tuple[int, int]
    """First and last line of the clause in the source file, 1-based, inclusive."""
    hash: str
    """SHA-256 of the squashed heading and text: equal for clauses that read the same."""
    kind: Literal["preamble", "section", "clause", "item", "paragraph", "table", "contents"] = (
        "clause"
    )
    """What sort of unit this is; ``contents`` marks a table of contents."""

    place: str = ""
    """How a reader names the clause, as the parser worked it out from the tree: ``3.4.3``,
    ``5.3.2(1)``, ``2.3 ¶1``, ``preamble ¶2``, a heading's text for an unnumbered heading
    (``What information GitHub collects``), ``Your rights ¶1(3)``. Empty for clauses built
    by hand; :attr:`address` then falls back on the number."""

    @property
    def address(self) -> str:
        """How a reader names the clause: ``3.4.3``; ``2.3 ¶1`` for a paragraph; ``preamble ¶2``."""
        if self.place:
            return self.place
        if self.number and self.kind != "paragraph":
            return ".".join(str(n) for n in self.number)
        base = ".".join(str(n) for n in self.number) if self.number else "preamble"
        index = self.id.rsplit("p", 1)[-1] if "p" in self.id else "?"
        return f"{base} ¶{index}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "number": list(self.number),
            "heading": self.heading,
            "text": self.text,
            "parent": self.parent,
            "depth": self.depth,
            "lines": list(self.lines),
            "hash": self.hash,
            "kind": self.kind,
            "address": self.address,
        }


@dataclass(frozen=True)
class ClauseTree:
    """A parsed version: its clauses in document order, flat, linked by ``parent``."""

    source: str
    """As in :attr:`Document.source`."""
    meta: Mapping[str, Any]
    """The front matter."""
    clauses: tuple[Clause, ...]
    """Every clause in document order."""
    warnings: tuple[str, ...] = ()
    """What reading the file left out (:attr:`Document.warnings`), then damage the parser
    repaired, one line each, starting with ``line N:``."""
    sha256: str = ""
    """As in :attr:`Document.sha256`."""
    language: str = "en"
    """``en`` or ``zh`` (detected from the text unless the front matter says)."""
    hidden: tuple[str, ...] = ()
    """What a reader of the rendered Markdown or HTML does not see as text: hidden elements
    (left out of the clauses) and titles (read after their element), one line each, starting
    with ``line N:``; also among :attr:`warnings`."""

    def by_id(self) -> dict[str, Clause]:
        """Clauses keyed by id."""
        return {c.id: c for c in self.clauses}

    def path(self, clause_id: str) -> list[Clause]:
        """The clause and its ancestors, outermost first."""
        index = self.by_id()
        chain: list[Clause] = []
        current: str | None = clause_id
        while current is not None:
            clause = index[current]
            chain.append(clause)
            current = clause.parent
        return list(reversed(chain))

    def to_dict(self) -> dict[str, Any]:
        """The ``policy-tree/1`` JSON of ``policy show --format json``."""
        meta_keys = ("title", "policy", "version", "updated", "effective", "language", "status")
        return {
            "schema": "policy-tree/1",
            "source": self.source,
            "meta": {k: _plain(self.meta[k]) for k in meta_keys if k in self.meta},
            "language": self.language,
            "sha256": self.sha256,
            "warnings": list(self.warnings),
            "clauses": [c.to_dict() for c in self.clauses],
        }


@dataclass(frozen=True)
class Match:
    """Old clauses and new clauses the alignment says are the same text unit."""

    old: tuple[str, ...]
    """Old clause ids (more than one for a merge)."""
    new: tuple[str, ...]
    """New clause ids (more than one for a split)."""
    method: Literal["identical", "lexical", "embedding", "split", "merge"]
    """The cheapest step that settled the match."""
    similarity: float
    """Similarity of the matched texts, 0..1, by ``method``'s measure (1.0 for identical)."""
    moved: bool = False
    """The clause left the order of the other matched clauses (not on the longest increasing
    subsequence of matched positions)."""
    renumbered: bool = False
    """The normalised number changed."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": list(self.old),
            "new": list(self.new),
            "method": self.method,
            "similarity": round(self.similarity, 4),
            "moved": self.moved,
            "renumbered": self.renumbered,
        }


@dataclass(frozen=True)
class Alignment:
    """Which clauses of two versions correspond."""

    matches: tuple[Match, ...]
    """One-to-one matches, splits and merges, in new-document order."""
    removed: tuple[str, ...]
    """Old clause ids with no counterpart."""
    added: tuple[str, ...]
    """New clause ids with no counterpart."""
    similarity_method: str
    """``lexical (char n-gram tf-idf)``; with ``; embedding (<model id>) for ambiguous clauses``
    when the embedder was asked, or ``; no embedding model: <why>`` when clauses were ambiguous
    and no embedder could be asked (none installed, or a language it does not read)."""
    model_loaded: bool = False
    """Whether the embedding model had to be loaded for this alignment."""
    embedded: int = 0
    """Clauses whose embeddings were compared (0 when the lexical step settled everything)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "matches": [m.to_dict() for m in self.matches],
            "removed": list(self.removed),
            "added": list(self.added),
            "similarity_method": self.similarity_method,
            "model_loaded": self.model_loaded,
            "embedded": self.embedded,
        }


@dataclass(frozen=True)
class ClauseRef:
    """One side of a change: where the clause sits and what it says."""

    id: str
    """Clause id in its version."""
    clause: str
    """Address a reader uses (``3.4.3``, ``2.3 ¶1``)."""
    path: tuple[str, ...]
    """Addresses from the top-level section down to this clause."""
    heading: str | None
    """Heading of the clause, or of its nearest ancestor that has one."""
    text: str
    """The clause's text."""
    label: str | None = None
    """The number as written."""
    title: str | None = None
    """The clause's own heading (None when it has none; :attr:`heading` may be an ancestor's).
    A change's redline covers ``title`` and ``text`` joined by a newline."""
    section: str | None = None
    """Heading of the top-level clause of :attr:`path` (a report groups its redline by it)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "clause": self.clause,
            "label": self.label,
            "path": list(self.path),
            "heading": self.heading,
            "title": self.title,
            "section": self.section,
            "text": self.text,
        }


@dataclass(frozen=True)
class Override:
    """A reviewer's verdict on a finding, from the new version's ``reviewed:`` front matter."""

    criterion: str
    clause: str
    verdict: Literal["not-major", "major", "consent"]
    """``not-major`` downgrades the finding; the others confirm or raise it."""
    reason: str
    reviewer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "clause": self.clause,
            "verdict": self.verdict,
            "reason": self.reason,
            "reviewer": self.reviewer,
        }


@dataclass(frozen=True)
class Finding:
    """A change meets a criterion: which one, by which detector, on what evidence."""

    criterion: str
    """Criterion id in the pack (``9.4.5``, ``9.2-consent``)."""
    detector: str
    """Name of the detector that fired (``contact-changed``, ``negation-flip`` …)."""
    change: str
    """Id of the change (``c7``)."""
    evidence: str
    """One line a reviewer can check: ``hotline number changed: 400-80-13260 -> 95187``."""
    before: str
    """The exact words of the old version that matter ('' when added)."""
    after: str
    """The exact words of the new version that matter ('' when removed)."""
    confidence: float
    """0..1: how sure the detector is."""
    old_clause: str | None = None
    """Address of the old clause."""
    new_clause: str | None = None
    """Address of the new clause."""
    restricts_rights: bool = False
    """The change restricts the user's rights (the 9.2 consent rule)."""
    facts: tuple[str, ...] = ()
    """Machine-readable facts behind the finding (``phone:400-80-13260``)."""
    override: Override | None = None
    """A reviewer's verdict, when one applies; it is shown, never hidden."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.criterion,
            "detector": self.detector,
            "change": self.change,
            "evidence": self.evidence,
            "before": self.before,
            "after": self.after,
            "confidence": round(self.confidence, 3),
            "old_clause": self.old_clause,
            "new_clause": self.new_clause,
            "restricts_rights": self.restricts_rights,
            "facts": list(self.facts),
            "override": self.override.to_dict() if self.override else None,
        }


@dataclass(frozen=True)
class Tripwire:
    """A token-level signal that makes a change substantive whatever the similarity says."""

    kind: str
    """``negation``, ``modality``, ``number``, ``duration``, ``amount``, ``phone``, ``email``, ``url``,
    ``organisation``, ``pi-category`` …"""
    before: str
    """What the old text had ('' when added)."""
    after: str
    """What the new text has ('' when removed)."""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Change:
    """One difference between two versions, at clause level, with its word-level redline."""

    id: str
    """``c1``, ``c2`` … in new-document order (removed clauses where they stood)."""
    kind: ChangeKind
    """What happened to the clause."""
    nature: Nature
    """Whether the meaning may have changed."""
    reasons: tuple[str, ...]
    """Why that nature: editorial reasons (``whitespace``, ``punctuation``, ``case``, ``renumbered``,
    ``moved``, ``split``, ``merged``, ``typo``, ``reworded``) or substantive ones (tripwire kinds,
    ``added``, ``removed``, ``low-similarity``)."""
    old: tuple[ClauseRef, ...]
    """The old side (empty when added; several when merged)."""
    new: tuple[ClauseRef, ...]
    """The new side (empty when removed; several when split)."""
    similarity: float | None
    """Similarity of the two sides, 0..1 (None when added or removed)."""
    method: str | None
    """How the sides were matched (see :attr:`Match.method`)."""
    inline: tuple[InlineOp, ...]
    """Word-level redline; ``=`` and ``-`` rebuild the old text, ``=`` and ``+`` the new."""
    tripwires: tuple[Tripwire, ...] = ()
    """Signals that made the change substantive."""
    findings: tuple[Finding, ...] = ()
    """Criteria this change meets (filled by classification)."""

    def to_dict(self) -> dict[str, Any]:
        def side(refs: tuple[ClauseRef, ...]) -> dict[str, Any] | None:
            if not refs:
                return None
            if len(refs) == 1:
                return refs[0].to_dict()
            merged = refs[0].to_dict()
            merged["clause"] = ", ".join(r.clause for r in refs)
            merged["parts"] = [r.to_dict() for r in refs]
            merged["text"] = "\n".join(r.text for r in refs)
            return merged

        return {
            "id": self.id,
            "kind": self.kind,
            "nature": self.nature,
            "reasons": list(self.reasons),
            "old": side(self.old),
            "new": side(self.new),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "method": self.method,
            "inline": [list(op) for op in self.inline],
            "tripwires": [t.to_dict() for t in self.tripwires],
            "criteria": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of the pack and whether this revision meets it."""

    id: str
    title: str
    triggered: bool
    changes: tuple[str, ...]
    """Ids of the changes with a finding for this criterion that was not overridden."""
    overridden: tuple[str, ...] = ()
    """Ids of changes whose finding a reviewer downgraded."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "triggered": self.triggered,
            "changes": list(self.changes),
            "overridden": list(self.overridden),
        }


@dataclass(frozen=True)
class ReasonGroup:
    """Findings that say one thing about the policy, told in one line of the decision: what a
    criterion's findings state, per topic and statement ("9.4.3 Recipients: advertising partners
    now receive device information and log information (3.1.4)")."""

    criterion: str
    """The criterion its findings meet."""
    level: Level
    """The highest level its findings ask for (``none`` when a reviewer overrode them all)."""
    topics: tuple[str, ...]
    """What it is about (``Recipients``, ``Rights``, ``Contact details`` …)."""
    text: str
    """The line, as :attr:`Decision.reasons` holds it."""
    clauses: tuple[str, ...]
    """Every clause address its findings name (the line may cite only the first ones)."""
    changes: tuple[str, ...]
    """Ids of the changes its findings are on."""
    findings: int
    """How many findings it tells."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "level": self.level,
            "topics": list(self.topics),
            "text": self.text,
            "clauses": list(self.clauses),
            "changes": list(self.changes),
            "findings": self.findings,
        }


@dataclass(frozen=True)
class Decision:
    """What the revision owes users, per the seed policy's section 9."""

    level: Level
    reasons: tuple[str, ...]
    """Why, in a few lines a reader takes in at once: the findings grouped by criterion and by
    what they say, each line citing its clauses (:mod:`analyzer.judge.reasons`); or why
    nothing counts."""
    groups: tuple[ReasonGroup, ...] = ()
    """The groups behind :attr:`reasons`, with every clause and change they stand for."""
    findings: tuple[str, ...] = ()
    """Every finding, one line each with its clause, those that count first, then those a
    reviewer overrode."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reasons": list(self.reasons),
            "groups": [g.to_dict() for g in self.groups],
            "findings": list(self.findings),
        }


FRONT_MATTER_FIELDS = (
    "title",
    "policy",
    "version",
    "updated",
    "effective",
    "language",
    "status",
    "notice",
)
"""The fields of a version's front matter (DESIGN.md), in the order reports list them; every
one is required of a version in ``policy_versions/``."""


@dataclass(frozen=True)
class VersionInfo:
    """A side of the report: which version and how big."""

    source: str
    sha256: str
    clauses: int
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "clauses": self.clauses,
            "meta": {k: _plain(self.meta[k]) for k in FRONT_MATTER_FIELDS if k in self.meta},
        }


@dataclass(frozen=True)
class SuspiciousChar:
    """A character of a changed clause that makes the text read differently from how it is
    stored (:mod:`analyzer.text.suspicious`): a bidi control, an invisible character or a
    look-alike. The judgement read the clause as a reader sees it; this says what was there."""

    side: Literal["old", "new"]
    clause: str
    """Address of the clause (``3.1.4``)."""
    code_point: str
    """``U+0430``."""
    name: str
    """``CYRILLIC SMALL LETTER A``."""
    kind: Literal["bidi", "invisible", "look-alike"]
    looks_like: str = ""
    """For a look-alike, what a reader takes it for (``a``)."""

    def describe(self) -> str:
        """``U+0430 CYRILLIC SMALL LETTER A (looks like 'a') in 3.1.4``."""
        if self.kind == "look-alike":
            what = f"looks like {self.looks_like!r}"
        else:
            what = "bidi control" if self.kind == "bidi" else "invisible"
        return f"{self.code_point} {self.name} ({what}) in {self.clause}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "clause": self.clause,
            "code_point": self.code_point,
            "name": self.name,
            "kind": self.kind,
            "looks_like": self.looks_like,
        }


@dataclass(frozen=True)
class Report:
    """Everything ``policy diff`` knows about a revision; the ``policy-diff/1`` JSON."""

    analyzer_version: str
    criteria_pack: str
    """``<pack id>@<first 12 hex of its sha256>``."""
    model: str
    """Similarity method(s) used: the embedding model id, or the lexical fallback and why."""
    old: VersionInfo
    new: VersionInfo
    decision: Decision
    criteria: tuple[CriterionResult, ...]
    changes: tuple[Change, ...]
    warnings: tuple[str, ...] = ()
    summary: Mapping[str, int] = field(default_factory=dict)
    """Counts: changes by kind and nature, clauses matched, clauses embedded."""
    suspicious: tuple[SuspiciousChar, ...] = ()
    """Suspicious characters in the changed clauses (the JSON has ``suspicious`` only when
    there are any)."""

    def to_dict(self) -> dict[str, Any]:
        data = {
            "schema": "policy-diff/1",
            "analyzer": {
                "version": self.analyzer_version,
                "criteria": self.criteria_pack,
                "model": self.model,
            },
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "decision": self.decision.to_dict(),
            "summary": dict(self.summary),
            "criteria": [c.to_dict() for c in self.criteria],
            "changes": [c.to_dict() for c in self.changes],
            "warnings": list(self.warnings),
        }
        if self.suspicious:
            data["suspicious"] = [s.to_dict() for s in self.suspicious]
        return data


def _plain(value: Any) -> Any:
    """Front-matter values as JSON-friendly scalars (YAML reads dates as ``date``)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
