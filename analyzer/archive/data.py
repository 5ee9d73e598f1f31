"""What the archive site shows about a revision, as plain data that can be cached on disk.

A revision page needs the decision, the findings by criterion and the clause-level redline: all
from the pipeline's :class:`~analyzer.model.Report` (:func:`revision_from_report`). The result,
a :class:`RevisionData`, round-trips through JSON (``to_dict`` / :func:`revision_from_dict`) so
that the site build can keep it in its cache. Clauses are named by their ids in each version;
the pages turn ids into anchors.

Pure functions, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analyzer.model import Alignment, Clause, InlineOp, Match, Report

__all__ = [
    "ChangeRow",
    "CriterionRow",
    "FindingRow",
    "RevisionData",
    "Side",
    "alignment_from_dict",
    "clause_text",
    "revision_from_dict",
    "revision_from_report",
]


def clause_text(clause: Clause) -> str:
    """Heading and text of a clause, as a reader sees them one after the other."""
    return "\n".join(part for part in (clause.heading, clause.text) if part)


@dataclass(frozen=True)
class Side:
    """One clause on one side of a change."""

    id: str
    """Clause id in its version (the page turns it into the clause's anchor)."""
    address: str
    """How a reader names the clause (``3.4.3``, ``2.3 ¶1``)."""
    heading: str | None
    """The clause's heading, or that of its nearest ancestor with one."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "address": self.address, "heading": self.heading}


@dataclass(frozen=True)
class ChangeRow:
    """One clause-level change of a revision, with its word-level redline."""

    id: str
    """``c1``, ``c2`` … in the order of the page."""
    kind: str
    """``added``, ``removed``, ``modified``, ``moved``, ``renumbered``, ``split``, ``merged``."""
    nature: str
    """``editorial`` or ``substantive``."""
    reasons: tuple[str, ...]
    """Why that nature (``punctuation``, ``negation`` …)."""
    old: tuple[Side, ...]
    """The old clause(s); empty when added."""
    new: tuple[Side, ...]
    """The new clause(s); empty when removed."""
    inline: tuple[InlineOp, ...]
    """Word-level redline of the texts (``=``, ``-``, ``+``)."""
    similarity: float | None
    """How alike the two sides are, 0..1 (None when added or removed)."""
    criteria: tuple[str, ...] = ()
    """Ids of the criteria this change meets."""

    @property
    def text_changed(self) -> bool:
        """Whether the redline removes or adds any words."""
        return any(op != "=" for op, _ in self.inline)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "nature": self.nature,
            "reasons": list(self.reasons),
            "old": [s.to_dict() for s in self.old],
            "new": [s.to_dict() for s in self.new],
            "inline": [list(op) for op in self.inline],
            "similarity": self.similarity,
            "criteria": list(self.criteria),
        }


@dataclass(frozen=True)
class FindingRow:
    """A change meets a criterion, on the evidence the detector quotes."""

    criterion: str
    change: str
    """Id of the :class:`ChangeRow`."""
    detector: str
    evidence: str
    before: str
    after: str
    confidence: float
    old_clause: str | None
    new_clause: str | None
    restricts_rights: bool = False
    override: str | None = None
    """A reviewer's verdict and reason (``not-major: only a typo``), shown, never hidden."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "change": self.change,
            "detector": self.detector,
            "evidence": self.evidence,
            "before": self.before,
            "after": self.after,
            "confidence": self.confidence,
            "old_clause": self.old_clause,
            "new_clause": self.new_clause,
            "restricts_rights": self.restricts_rights,
            "override": self.override,
        }


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of the pack and the findings that meet it."""

    id: str
    title: str
    triggered: bool
    findings: tuple[FindingRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "triggered": self.triggered,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class RevisionData:
    """Everything the archive shows about one revision (a version against its predecessor)."""

    level: str
    """Decision level: ``none``, ``publish``, ``popup`` or ``consent``."""
    reasons: tuple[str, ...]
    """One line per finding that raised the level, or why nothing did."""
    headline: str
    """One-line summary for timelines and feeds (without the level)."""
    changes: tuple[ChangeRow, ...]
    """The clause-level redline, in the order of the new version."""
    criteria: tuple[CriterionRow, ...] = ()
    """Every criterion of the pack, triggered or not."""
    analyzer: str = ""
    """How it was judged: analyzer version, criteria pack, similarity model."""
    warnings: tuple[str, ...] = ()
    counts: Mapping[str, int] | None = None
    """Changes by kind and by nature."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reasons": list(self.reasons),
            "headline": self.headline,
            "changes": [c.to_dict() for c in self.changes],
            "criteria": [c.to_dict() for c in self.criteria],
            "analyzer": self.analyzer,
            "warnings": list(self.warnings),
            "counts": dict(self.counts or {}),
        }


_KINDS = ("added", "removed", "modified", "moved", "renumbered", "split", "merged")


def _counts(changes: Sequence[ChangeRow]) -> dict[str, int]:
    kinds = Counter(c.kind for c in changes)
    natures = Counter(c.nature for c in changes if c.nature)
    out = {"changes": len(changes)}
    out.update({k: kinds[k] for k in _KINDS if kinds[k]})
    out.update({n: natures[n] for n in ("substantive", "editorial") if natures[n]})
    return out


def _headline(level: str, counts: Mapping[str, int], reasons: Sequence[str]) -> str:
    """``3 changes (2 modified, 1 added), 1 substantive``, with the first reason when the
    revision needs a notice (the level itself is shown beside it, as a badge or a prefix)."""
    total = counts.get("changes", 0)
    if total == 0:
        body = "no changes"
    else:
        parts = [f"{counts[k]} {k}" for k in _KINDS if counts.get(k)]
        body = f"{total} change{'s' if total != 1 else ''} ({', '.join(parts)})"
        if counts.get("substantive") or counts.get("editorial"):
            body += f", {counts.get('substantive', 0)} substantive"
    if level in ("popup", "consent") and reasons:
        body += f"; {reasons[0]}"
    return body


# -- from the pipeline's report ----------------------------------------------------------------


def revision_from_report(report: Report) -> RevisionData:
    """The revision as the pipeline judged it."""
    rows = []
    findings: dict[str, list[FindingRow]] = {}
    for change in report.changes:
        rows.append(
            ChangeRow(
                id=change.id,
                kind=change.kind,
                nature=change.nature,
                reasons=tuple(change.reasons),
                old=tuple(Side(r.id, r.clause, r.heading) for r in change.old),
                new=tuple(Side(r.id, r.clause, r.heading) for r in change.new),
                inline=tuple(change.inline),
                similarity=None if change.similarity is None else round(change.similarity, 4),
                criteria=tuple(dict.fromkeys(f.criterion for f in change.findings)),
            )
        )
        for f in change.findings:
            override = None
            if f.override is not None:
                override = f"{f.override.verdict}: {f.override.reason}"
                if f.override.reviewer:
                    override += f" ({f.override.reviewer})"
            findings.setdefault(f.criterion, []).append(
                FindingRow(
                    criterion=f.criterion,
                    change=change.id,
                    detector=f.detector,
                    evidence=f.evidence,
                    before=f.before,
                    after=f.after,
                    confidence=round(f.confidence, 3),
                    old_clause=f.old_clause,
                    new_clause=f.new_clause,
                    restricts_rights=f.restricts_rights,
                    override=override,
                )
            )
    criteria = tuple(
        CriterionRow(c.id, c.title, c.triggered, tuple(findings.get(c.id, ())))
        for c in report.criteria
    )
    counts = _counts(rows)
    level = str(report.decision.level)
    reasons = tuple(report.decision.reasons)
    return RevisionData(
        level=level,
        reasons=reasons,
        headline=_headline(level, counts, reasons),
        changes=tuple(rows),
        criteria=criteria,
        analyzer=(
            f"policy-analyzer {report.analyzer_version}; criteria {report.criteria_pack}; "
            f"similarity {report.model}"
        ),
        warnings=tuple(report.warnings),
        counts=counts,
    )


# -- JSON round trip (the build cache) ------------------------------------------------------------


def _sides(raw: Sequence[Mapping[str, Any]]) -> tuple[Side, ...]:
    return tuple(Side(str(s["id"]), str(s["address"]), s.get("heading")) for s in raw)


def revision_from_dict(raw: Mapping[str, Any]) -> RevisionData:
    """Inverse of :meth:`RevisionData.to_dict`."""
    changes = tuple(
        ChangeRow(
            id=c["id"],
            kind=c["kind"],
            nature=str(c["nature"]),
            reasons=tuple(c.get("reasons", ())),
            old=_sides(c.get("old", ())),
            new=_sides(c.get("new", ())),
            inline=tuple((op[0], op[1]) for op in c.get("inline", ())),
            similarity=c.get("similarity"),
            criteria=tuple(c.get("criteria", ())),
        )
        for c in raw.get("changes", ())
    )
    criteria = tuple(
        CriterionRow(
            id=c["id"],
            title=c["title"],
            triggered=bool(c["triggered"]),
            findings=tuple(FindingRow(**f) for f in c.get("findings", ())),
        )
        for c in raw.get("criteria", ())
    )
    return RevisionData(
        level=str(raw["level"]),
        reasons=tuple(raw.get("reasons", ())),
        headline=str(raw.get("headline", "")),
        changes=changes,
        criteria=criteria,
        analyzer=str(raw.get("analyzer", "")),
        warnings=tuple(raw.get("warnings", ())),
        counts=dict(raw.get("counts") or {}),
    )


def alignment_from_dict(raw: Mapping[str, Any]) -> Alignment:
    """Inverse of :meth:`Alignment.to_dict`."""
    return Alignment(
        matches=tuple(
            Match(
                old=tuple(m["old"]),
                new=tuple(m["new"]),
                method=m["method"],
                similarity=float(m["similarity"]),
                moved=bool(m.get("moved", False)),
                renumbered=bool(m.get("renumbered", False)),
            )
            for m in raw.get("matches", ())
        ),
        removed=tuple(raw.get("removed", ())),
        added=tuple(raw.get("added", ())),
        similarity_method=str(raw.get("similarity_method", "")),
        model_loaded=bool(raw.get("model_loaded", False)),
        embedded=int(raw.get("embedded", 0)),
    )
