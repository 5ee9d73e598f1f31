"""A ``policy-diff/1`` JSON report read back into a :class:`~analyzer.model.Report`.

:meth:`Report.to_dict` is the contract other tools read; :func:`report_from_dict` is its
inverse, so that what was judged once can be told again without judging it again: the archive
site keeps each revision's report in its cache and makes the notices from it, and a saved
``policy diff --format json`` can be turned into notices later.

``report_from_dict(r.to_dict()).to_dict() == r.to_dict()`` for every report (the tests check it
on the golden reports). Rounding is the only loss: similarities keep 4 decimals and confidences
3, as the JSON writes them. A document that is not a ``policy-diff/1`` report is a
:class:`~analyzer.errors.PolicyError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.errors import PolicyError
from analyzer.model import (
    Change,
    ClauseRef,
    CriterionResult,
    Decision,
    Finding,
    Override,
    ReasonGroup,
    Report,
    SuspiciousChar,
    Tripwire,
    VersionInfo,
)

__all__ = ["report_from_dict"]


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """The report a ``policy-diff/1`` document describes."""
    if not isinstance(data, Mapping) or data.get("schema") != "policy-diff/1":
        raise PolicyError("not a policy-diff/1 report")
    try:
        analyzer = data["analyzer"]
        return Report(
            analyzer_version=str(analyzer["version"]),
            criteria_pack=str(analyzer["criteria"]),
            model=str(analyzer["model"]),
            old=_version(data["old"]),
            new=_version(data["new"]),
            decision=_decision(data["decision"]),
            criteria=tuple(
                CriterionResult(
                    id=c["id"],
                    title=c["title"],
                    triggered=bool(c["triggered"]),
                    changes=tuple(c["changes"]),
                    overridden=tuple(c.get("overridden", ())),
                )
                for c in data["criteria"]
            ),
            changes=tuple(_change(c) for c in data["changes"]),
            warnings=tuple(data.get("warnings", ())),
            summary=dict(data.get("summary", {})),
            suspicious=tuple(SuspiciousChar(**item) for item in data.get("suspicious", ())),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise PolicyError(f"malformed policy-diff/1 report ({type(exc).__name__}: {exc})") from None


def _version(data: Mapping[str, Any]) -> VersionInfo:
    return VersionInfo(
        source=data["source"],
        sha256=data["sha256"],
        clauses=int(data["clauses"]),
        meta=dict(data.get("meta", {})),
    )


def _ref(data: Mapping[str, Any]) -> ClauseRef:
    return ClauseRef(
        id=data["id"],
        clause=data["clause"],
        path=tuple(data["path"]),
        heading=data["heading"],
        text=data["text"],
        label=data.get("label"),
        title=data.get("title"),
        section=data.get("section"),
    )


def _side(data: Mapping[str, Any] | None) -> tuple[ClauseRef, ...]:
    """One side of a change: none, one clause, or the ``parts`` of a split or merge."""
    if data is None:
        return ()
    if "parts" in data:
        return tuple(_ref(part) for part in data["parts"])
    return (_ref(data),)


def _finding(data: Mapping[str, Any]) -> Finding:
    override = data.get("override")
    return Finding(
        criterion=data["id"],
        detector=data["detector"],
        change=data["change"],
        evidence=data["evidence"],
        before=data["before"],
        after=data["after"],
        confidence=float(data["confidence"]),
        old_clause=data.get("old_clause"),
        new_clause=data.get("new_clause"),
        restricts_rights=bool(data.get("restricts_rights", False)),
        facts=tuple(data.get("facts", ())),
        override=None
        if override is None
        else Override(
            criterion=override["criterion"],
            clause=override["clause"],
            verdict=override["verdict"],
            reason=override["reason"],
            reviewer=override.get("reviewer"),
        ),
    )


def _decision(data: Mapping[str, Any]) -> Decision:
    """The decision; a report written before grouped reasons has neither groups nor the list
    of findings (its reasons were one line per finding)."""
    return Decision(
        level=data["level"],
        reasons=tuple(data["reasons"]),
        groups=tuple(
            ReasonGroup(
                criterion=g["criterion"],
                level=g["level"],
                topics=tuple(g["topics"]),
                text=g["text"],
                clauses=tuple(g["clauses"]),
                changes=tuple(g["changes"]),
                findings=int(g["findings"]),
            )
            for g in data.get("groups", ())
        ),
        findings=tuple(data.get("findings", ())),
    )


def _change(data: Mapping[str, Any]) -> Change:
    similarity = data.get("similarity")
    return Change(
        id=data["id"],
        kind=data["kind"],
        nature=data["nature"],
        reasons=tuple(data["reasons"]),
        old=_side(data.get("old")),
        new=_side(data.get("new")),
        similarity=None if similarity is None else float(similarity),
        method=data.get("method"),
        inline=tuple((op, text) for op, text in data["inline"]),
        tripwires=tuple(
            Tripwire(kind=t["kind"], before=t["before"], after=t["after"])
            for t in data.get("tripwires", ())
        ),
        findings=tuple(_finding(f) for f in data.get("criteria", ())),
    )
