"""Findings -> decision: what a revision owes its users, after section 9 of the seed policy.

:func:`judge` classifies the changes (:func:`analyzer.judge.classify.classify`), applies the
reviewers' verdicts from the new version's front matter, and decides:

- ``consent`` when a finding restricts the user's rights (the pack's consent criteria: a right
  or channel removed, a fee added, a deadline lengthened, the promise not to restrict rights
  removed …) or a reviewer says a finding needs consent;
- else ``popup`` when any criterion is met;
- else ``publish`` when anything changed at all (editorial changes included);
- else ``none``.

Reviewer verdicts (``reviewed:`` in the new version's front matter, :class:`Override`) match
findings by criterion and clause address (old or new). ``not-major`` keeps the finding in
the report, marked overridden with its reason, but it no longer raises the level; ``major``
caps it at ``popup`` (a finding that restricted rights then asks for a pop-up, not consent);
``consent`` raises it to ``consent``. A verdict that matches no finding is a warning, never
dropped silently; a ``major`` or ``consent`` verdict on a clause that changed but has no
finding becomes a finding of its own (detector ``reviewer``), so a reviewer can raise what the
detectors missed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from analyzer.diff.changes import written_form
from analyzer.diff.embedding import Embedder
from analyzer.errors import PolicyError
from analyzer.judge.classify import classify
from analyzer.judge.criteria import CriteriaPack
from analyzer.judge.reasons import group_reasons, policy_facts
from analyzer.model import (
    Change,
    ClauseTree,
    CriterionResult,
    Decision,
    Finding,
    Level,
    Override,
    level_rank,
)
from analyzer.statements.summary import PolicyFacts

__all__ = [
    "VERDICTS",
    "Judgement",
    "decide",
    "finding_level",
    "judge",
    "read_overrides",
    "whitespace_only",
]

VERDICTS = ("not-major", "major", "consent")
_OVERRIDE_KEYS = {"criterion", "clause", "verdict", "reason"}
_OVERRIDE_OPTIONAL = {"reviewer"}


@dataclass(frozen=True)
class Judgement:
    """What classification and decision make of a revision's changes."""

    changes: tuple[Change, ...]
    """The changes given to :func:`judge`, with :attr:`Change.findings` filled."""
    criteria: tuple[CriterionResult, ...]
    """Every criterion of the pack, in pack order, triggered or not."""
    decision: Decision
    """The level and one reason per finding that counts."""
    warnings: tuple[str, ...] = ()
    """Reviewer verdicts that matched no finding, detectors that could not run …"""
    embedded: int = 0
    """Sentences the classifier gave the embedder (prototype similarity); 0 when it did not
    need the model."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.to_dict(),
            "criteria": [c.to_dict() for c in self.criteria],
            "changes": [c.to_dict() for c in self.changes],
            "warnings": list(self.warnings),
            "embedded": self.embedded,
        }


# --------------------------------------------------------------------------- overrides


def read_overrides(
    meta: Mapping[str, Any], source: str, pack: CriteriaPack
) -> tuple[Override, ...]:
    """The ``reviewed:`` entries of a version's front matter, validated.

    Each entry is a mapping with ``criterion`` (an id of ``pack``), ``clause`` (a clause
    address such as ``3.1.4``), ``verdict`` (one of :data:`VERDICTS`), ``reason`` and
    optionally ``reviewer``. A bad entry is a :class:`PolicyError` naming the file and field.
    """
    raw = meta.get("reviewed")
    if raw is None:
        return ()

    def fail(where: str, problem: str) -> PolicyError:
        return PolicyError(f"front matter: {where}: {problem}", path=source)

    if not isinstance(raw, list):
        raise fail("reviewed", f"expected a list of entries, got {type(raw).__name__}")
    known = [c.id for c in pack.criteria]
    out: list[Override] = []
    for i, entry in enumerate(raw):
        where = f"reviewed[{i}]"
        if not isinstance(entry, dict):
            raise fail(where, f"expected a mapping, got {type(entry).__name__}")
        unknown = sorted(str(k) for k in entry if k not in _OVERRIDE_KEYS | _OVERRIDE_OPTIONAL)
        if unknown:
            allowed = ", ".join(sorted(_OVERRIDE_KEYS | _OVERRIDE_OPTIONAL))
            raise fail(where, f"unknown key {unknown[0]!r} (allowed: {allowed})")
        missing = sorted(_OVERRIDE_KEYS - set(entry))
        if missing:
            raise fail(where, f"missing key {missing[0]!r}")
        criterion = _id_text(entry["criterion"], f"{where}.criterion", fail)
        if criterion not in known:
            raise fail(
                f"{where}.criterion",
                f"unknown criterion {criterion!r} (pack {pack.ref} has {', '.join(known)})",
            )
        clause = _id_text(entry["clause"], f"{where}.clause", fail)
        verdict = entry["verdict"]
        if verdict not in VERDICTS:
            raise fail(
                f"{where}.verdict", f"expected one of {', '.join(VERDICTS)}, got {verdict!r}"
            )
        reason = entry["reason"]
        if not isinstance(reason, str) or not reason.strip():
            raise fail(f"{where}.reason", "expected a non-empty string")
        reviewer = entry.get("reviewer")
        if reviewer is not None and (not isinstance(reviewer, str) or not reviewer.strip()):
            raise fail(f"{where}.reviewer", "expected a non-empty string")
        out.append(
            Override(
                criterion=criterion,
                clause=clause,
                verdict=verdict,
                reason=" ".join(reason.split()),
                reviewer=" ".join(reviewer.split()) if reviewer else None,
            )
        )
    return tuple(out)


def _id_text(value: Any, where: str, fail: Any) -> str:
    """A criterion id or clause address: a string, or an integer (``10``). A YAML float such
    as ``9.2`` is refused (``9.10`` would read as ``9.1``): it must be quoted."""
    if isinstance(value, bool):
        raise fail(where, f"expected a string, got {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise fail(where, f"expected a string, got the number {value!r} (quote it: '{value}')")
    if not isinstance(value, str) or not value.strip():
        raise fail(where, "expected a non-empty string")
    return " ".join(value.split())


def _matches(override: Override, finding: Finding) -> bool:
    return override.criterion == finding.criterion and override.clause in _addresses(finding)


def _addresses(finding: Finding) -> set[str]:
    out: set[str] = set()
    for side in (finding.old_clause, finding.new_clause):
        if side:
            out.update(part.strip() for part in side.split(","))
    return out


def _apply_overrides(
    changes: Sequence[Change], overrides: Sequence[Override]
) -> tuple[tuple[Change, ...], list[str]]:
    """Mark each finding a verdict matches (criterion and clause, old or new side); warn about
    verdicts that match none, and turn a ``major`` / ``consent`` verdict on a changed clause
    without a finding into the reviewer's own finding."""
    warnings: list[str] = []
    used: set[int] = set()
    out: list[Change] = []
    for change in changes:
        findings: list[Finding] = []
        for finding in change.findings:
            hit = next(
                (k for k, o in enumerate(overrides) if _matches(o, finding)),
                None,
            )
            if hit is not None:
                used.add(hit)
                finding = replace(finding, override=overrides[hit])
            findings.append(finding)
        out.append(replace(change, findings=tuple(findings)))
    for k, override in enumerate(overrides):
        if k in used:
            continue
        where = f"reviewed: entry for {override.criterion} at {override.clause}"
        target = _change_at(out, override.clause)
        if override.verdict == "not-major" or target is None:
            extra = "" if target is not None else f" (no change at {override.clause} either)"
            warnings.append(f"{where} matches no finding{extra}")
            continue
        index, change = target
        reviewer_finding = Finding(
            criterion=override.criterion,
            detector="reviewer",
            change=change.id,
            evidence=f"reviewer's verdict ({override.verdict}): {override.reason}",
            before="",
            after="",
            confidence=1.0,
            old_clause=", ".join(r.clause for r in change.old) or None,
            new_clause=", ".join(r.clause for r in change.new) or None,
            restricts_rights=override.verdict == "consent",
            override=override,
        )
        out[index] = replace(change, findings=(*change.findings, reviewer_finding))
        warnings.append(f"{where} matches no finding; added as the reviewer's own finding")
    return tuple(out), warnings


def _change_at(changes: Sequence[Change], clause: str) -> tuple[int, Change] | None:
    for k, change in enumerate(changes):
        if any(r.clause == clause for r in (*change.old, *change.new)):
            return k, change
    return None


# --------------------------------------------------------------------------- deciding


def finding_level(finding: Finding) -> Level:
    """The level one finding asks for, after its reviewer's verdict."""
    if finding.override is not None:
        verdict = finding.override.verdict
        if verdict == "not-major":
            return "none"
        if verdict == "major":
            return "popup"
        return "consent"
    return "consent" if finding.restricts_rights else "popup"


def decide(
    changes: Sequence[Change],
    *,
    old_facts: PolicyFacts | None = None,
    new_facts: PolicyFacts | None = None,
    criteria_order: Sequence[str] = (),
) -> Decision:
    """The decision over classified changes: the highest level any finding asks for, at
    least ``publish`` when anything changed.

    Reasons: the findings grouped by criterion and by what they say
    (:func:`~analyzer.judge.reasons.group_reasons`, which reads ``old_facts`` and
    ``new_facts``, what each version says as a whole, and orders criteria as
    ``criteria_order``), those that count first, then those a reviewer overrode (with the
    verdict); when none counts, first a line that says so. :attr:`Decision.findings` keeps one
    line per finding, in the same order."""
    level: Level = "publish" if any(not whitespace_only(c) for c in changes) else "none"
    counted: list[str] = []
    overridden: list[str] = []
    for change in changes:
        for finding in change.findings:
            wanted = finding_level(finding)
            if wanted == "none":
                overridden.append(reason_line(finding))
                continue
            if level_rank(wanted) > level_rank(level):
                level = wanted
            counted.append(reason_line(finding))
    groups = group_reasons(
        changes,
        old_facts=old_facts,
        new_facts=new_facts,
        criteria_order=criteria_order,
        level_of=finding_level,
    )
    reasons = [g.text for g in groups]
    if not counted:
        if changes and level == "none":
            reasons.insert(0, f"{len(changes)} change(s), only in whitespace")
        elif changes:
            editorial = sum(c.nature == "editorial" for c in changes)
            what = "meets" if not overridden else "still counts for"
            reasons.insert(
                0,
                f"{len(changes)} change(s), {editorial} editorial: none {what} a criterion of "
                "the pack",
            )
        else:
            reasons.append("no textual change after normalisation")
    return Decision(
        level=level,
        reasons=tuple(reasons),
        groups=groups,
        findings=tuple(counted + overridden),
    )


def whitespace_only(change: Change) -> bool:
    """The two sides read the same once every space is taken out: a missing space put back
    between two words or before a link ('from.[Learn more]' -> 'from. [Learn more]'), or a
    blank line that only splits a clause in two where it stands (or joins two)."""
    if change.kind not in ("modified", "split", "merged") or not change.old or not change.new:
        return False
    return written_form(change.old) == written_form(change.new)


def reason_line(finding: Finding) -> str:
    """``9.4.5: hotline number changed in 10 ¶1: 400-80-13260 -> 95187``, with the reviewer's
    verdict appended when there is one."""
    clause = finding.new_clause or finding.old_clause or "?"
    what, sep, detail = finding.evidence.partition(": ")
    line = f"{finding.criterion}: {what} in {clause}"
    if sep:
        line += f": {detail}"
    override = finding.override
    if override is not None:
        by = f" by {override.reviewer}" if override.reviewer else ""
        line += f" [reviewed{by}: {override.verdict}: {override.reason}]"
    return line


def criteria_results(
    changes: Sequence[Change], pack: CriteriaPack, language: str = "en"
) -> tuple[CriterionResult, ...]:
    """Every criterion of the pack, in pack order, with the changes that meet it and those whose
    findings a reviewer overrode; titles in the version's language (en or zh)."""
    zh = language.split("-")[0].lower() == "zh"
    out: list[CriterionResult] = []
    for criterion in pack.criteria:
        meeting: list[str] = []
        overridden: list[str] = []
        for change in changes:
            own = [f for f in change.findings if f.criterion == criterion.id]
            if not own:
                continue
            if any(finding_level(f) != "none" for f in own):
                meeting.append(change.id)
            else:
                overridden.append(change.id)
        out.append(
            CriterionResult(
                id=criterion.id,
                title=criterion.title.zh if zh else criterion.title.en,
                triggered=bool(meeting),
                changes=tuple(meeting),
                overridden=tuple(overridden),
            )
        )
    return tuple(out)


def judge(
    changes: tuple[Change, ...],
    old: ClauseTree,
    new: ClauseTree,
    *,
    pack: CriteriaPack,
    embedder: Embedder | None,
) -> Judgement:
    """Classify ``changes`` against ``pack``, apply the reviewers' verdicts of ``new``'s front
    matter and decide. Raises :class:`PolicyError` for a malformed ``reviewed:`` entry."""
    overrides = read_overrides(new.meta, new.source, pack)
    classified, warnings, embedded = classify(changes, old, new, pack=pack, embedder=embedder)
    reviewed, override_warnings = _apply_overrides(classified, overrides)
    return Judgement(
        changes=reviewed,
        criteria=criteria_results(reviewed, pack, new.language),
        decision=decide(
            reviewed,
            old_facts=policy_facts(old, pack),
            new_facts=policy_facts(new, pack),
            criteria_order=[c.id for c in pack.criteria],
        ),
        warnings=(*warnings, *override_warnings),
        embedded=embedded,
    )
