"""What the check reports: a rule firing on a line (:class:`Hit`), a judged revision
(:class:`RevisionResult`, from a :class:`RevisionJudgement`) and the whole run
(:class:`CheckResult`, whose ``to_dict`` is the ``policy-check/1`` JSON).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from analyzer.model import Document, Level, Report
from analyzer.store.snapshot import Base

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("warning", "error")
"""Severities in increasing order; ``--fail-on`` names the lowest one that fails the gate."""

Scope = Literal["version", "revision", "policy", "edit"]


# ---------------------------------------------------------------------------------------------
# What the check reports


@dataclass(frozen=True)
class Hit:
    """One rule firing on one line of one file."""

    rule: str
    """The rule's stable id (``undeclared-notice``)."""
    severity: Severity
    """``error`` or ``warning``."""
    file: str
    """The file, relative to the repository root in git mode, else as ``--versions`` names it."""
    line: int
    """1-based line the fix belongs on."""
    message: str
    """One line: what is wrong and, where it helps, how to fix it."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class RevisionJudgement:
    """What a revision owes users, as the judgement pipeline decided it."""

    level: Level | None
    """The detected level, or None when the revision could not be judged (see ``note``)."""
    reasons: tuple[str, ...]
    """One line per finding that raised the level (the decision's reasons)."""
    report: Report | None = None
    """The pipeline's full report, when it ran (the step summary shows its redline)."""
    note: str = ""
    """How the level was reached: ``first version``, ``identical text``, the criteria pack, or
    why the revision was not judged."""


Judge = Callable[[Document, Document, str], RevisionJudgement]
"""``judge(old, new, criteria pack reference) -> RevisionJudgement``."""


@dataclass(frozen=True)
class RevisionResult:
    """One judged revision: the step from a version's predecessor to the version."""

    policy: str
    language: str
    old: str | None
    """The predecessor's file, or None for the first version of the policy in this language."""
    new: str
    """The version's file."""
    declared: str | None
    """The ``notice:`` of the new version as written (None when missing)."""
    detected: Level | None
    """What the text needs, or None when it could not be judged."""
    reasons: tuple[str, ...]
    note: str
    report: Report | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "language": self.language,
            "old": self.old,
            "new": self.new,
            "declared": self.declared,
            "detected": self.detected,
            "reasons": list(self.reasons),
            "note": self.note,
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything one run of the check found."""

    versions: str
    """The versions folder as shown in file names (``policy_versions``)."""
    base: Base | None
    """The git base, or None when the folder was checked as it stands."""
    changed: tuple[str, ...] | None
    """Files added, edited or removed since the base (None without a base)."""
    files: tuple[str, ...]
    """Version files checked."""
    hits: tuple[Hit, ...]
    """Sorted by file, line, rule and message."""
    revisions: tuple[RevisionResult, ...]
    """Sorted by policy, language and version."""

    def count(self, severity: Severity) -> int:
        return sum(1 for hit in self.hits if hit.severity == severity)

    def failed(self, fail_on: Severity) -> bool:
        """Whether a hit at or above ``fail_on`` fired."""
        floor = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(hit.severity) >= floor for hit in self.hits)

    def to_dict(self, fail_on: Severity = "error") -> dict[str, Any]:
        """The ``policy-check/1`` JSON."""
        return {
            "schema": "policy-check/1",
            "versions": self.versions,
            "base": self.base.to_dict() if self.base is not None else None,
            "changed": list(self.changed) if self.changed is not None else None,
            "fail_on": fail_on,
            "passed": not self.failed(fail_on),
            "summary": {
                "errors": self.count("error"),
                "warnings": self.count("warning"),
                "files": len(self.files),
                "revisions": len(self.revisions),
            },
            "hits": [hit.to_dict() for hit in self.hits],
            "revisions": [revision.to_dict() for revision in self.revisions],
        }
