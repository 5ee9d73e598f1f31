"""``policy check``: the CI gate over ``policy_versions/``, as rules with stable ids.

Each rule is a small function registered by id with :func:`rule`; its docstring says what fires
it and ``fix`` says how to repair the file. A rule sees one of four contexts:

``version``
    one version file (its name, front matter and text) and the policy it sits in;
``revision``
    a version, its predecessor (the previous version of the same policy and language) and the
    judgement of what the revision owes users;
``policy``
    a policy folder as a whole (its versions and its ``PUBLISHED`` ledger);
``edit``
    a file as it was at the git base and as it is now.

:func:`run_check` is pure: it takes the versions folder as a :data:`~analyzer.store.snapshot.Snapshot`
(path -> bytes), optionally the snapshot at a git base, and a judge; reading files and git is
:mod:`analyzer.store.snapshot`'s job, printing is :mod:`analyzer.check.output`'s.

The judge is the one seam to the diff pipeline (:func:`judge_revision`); the pipeline, the
criteria pack and the embedding model are imported only when a revision has to be judged.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from analyzer.errors import PolicyError
from analyzer.model import LEVELS, Document, Level, Report, level_rank
from analyzer.parse.frontmatter import front_matter_date
from analyzer.parse.ingest import decode, read_document
from analyzer.store.ledger import (
    GENESIS,
    LEDGER,
    MALFORMED,
    chain_hash,
    is_blank_line,
    parse_ledger_line,
)
from analyzer.store.snapshot import Base, Snapshot, changed_paths
from analyzer.store.versions import (
    POLICY_ID,
    VERSION_FILE,
    VERSION_ID,
    PolicyConfig,
    parse_policy_config,
    version_sort_key,
)
from analyzer.text.normalize import normalize_text

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("warning", "error")
"""Severities in increasing order; ``--fail-on`` names the lowest one that fails the gate."""

Scope = Literal["version", "revision", "policy", "edit"]

CONFIG = "policy.yaml"
REQUIRED_FIELDS = (
    "title",
    "policy",
    "version",
    "updated",
    "effective",
    "language",
    "status",
    "notice",
)
STATUSES = ("published", "draft")
TEXT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
"""A file with one of these extensions in a policy folder is meant to be a version."""


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


# ---------------------------------------------------------------------------------------------
# What the rules see


@dataclass(frozen=True)
class Fields:
    """The front matter's values that the rules compare, None where missing or invalid."""

    version: str | None = None
    updated: dt.date | None = None
    effective: dt.date | None = None
    status: str | None = None
    notice: Level | None = None
    notice_raw: str | None = None
    """``notice:`` as written, valid or not."""


@dataclass(frozen=True)
class VersionRecord:
    """A file of a policy folder that is, or is meant to be, a version."""

    relative: str
    """Path relative to the versions folder (``policy/2023-05-26.md``)."""
    file: str
    """Path as reported."""
    policy: str | None
    """The folder it sits in (None at the top of the versions folder)."""
    version: str | None
    """From the file name (None when the name is not a version file name)."""
    suffix: str | None
    """The language the file name carries (``zh`` in ``2023-05-26.zh.md``)."""
    text: str | None
    """The decoded file (front matter included), None when it cannot be decoded."""
    document: Document | None
    """The ingested version, None when it cannot be read (``error`` says why)."""
    error: PolicyError | None
    fields: Fields
    lines: Mapping[str, int]
    """Line of each front-matter key."""

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class VersionContext:
    record: VersionRecord
    config: PolicyConfig | None
    """The policy's configuration, None when the policy has no ``policy.yaml``."""
    language: str | None
    """The language the version counts in (file name suffix, else the policy's main language)."""
    duplicate_of: VersionRecord | None
    """An earlier file holding the same version in the same language."""


@dataclass(frozen=True)
class RevisionContext:
    old: VersionRecord | None
    new: VersionRecord
    config: PolicyConfig
    judgement: RevisionJudgement


@dataclass(frozen=True)
class PolicyContext:
    policy: str
    ledger_file: str
    ledger: str | None
    """The text of ``PUBLISHED``, None when the policy has none."""
    versions: tuple[VersionRecord, ...]
    ledger_error: str | None = None
    """Why ``PUBLISHED`` cannot be read (not UTF-8, binary), when it cannot."""


@dataclass(frozen=True)
class EditContext:
    file: str
    base_label: str
    before: str
    after: str | None
    """None when the file was deleted."""


class Spot(NamedTuple):
    """Where a rule fired and why; :func:`run_check` adds the rule id and severity."""

    file: str
    line: int
    message: str


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, severity, scope, documentation and function."""

    id: str
    severity: Severity
    scope: Scope
    summary: str
    """What fires it (the function's docstring)."""
    fix: str
    """How to make it pass."""
    check: Callable[[Any], Iterable[Spot]]


RULES: dict[str, Rule] = {}
"""Every rule, by id, in the order they were registered (documentation order)."""


def rule(
    rule_id: str, severity: Severity, scope: Scope, *, fix: str
) -> Callable[[Callable[[Any], Iterable[Spot]]], Callable[[Any], Iterable[Spot]]]:
    """Register a rule function under a stable id."""

    def register(function: Callable[[Any], Iterable[Spot]]) -> Callable[[Any], Iterable[Spot]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        summary = " ".join((function.__doc__ or "").split())
        RULES[rule_id] = Rule(rule_id, severity, scope, summary, fix, function)
        return function

    return register


# ---------------------------------------------------------------------------------------------
# The rules


@rule(
    "front-matter",
    "error",
    "version",
    fix="Give the version every field (`title`, `policy`, `version`, `updated`, `effective`, "
    "`language`, `status`, `notice`) with a valid value, name the file "
    "`<version>[.<language>].md` in the folder of its policy, and give the policy a "
    "`policy.yaml` (`policy import` does all of this).",
)
def front_matter(ctx: VersionContext) -> Iterator[Spot]:
    """A version file that cannot be read, lacks a field or has an invalid one, sits outside a
    policy folder or in a folder without ``policy.yaml``, has a name that is not
    ``YYYY-MM-DD[-N][.<lang>].md``, or disagrees with its name or folder (``version``,
    ``language``, ``policy``); two files holding the same version in the same language."""
    rec = ctx.record
    here = rec.file
    if rec.policy is None:
        yield Spot(
            here, 1, "version file outside a policy folder: move it into <versions>/<policy>/"
        )
    elif not POLICY_ID.match(rec.policy):
        yield Spot(
            here, 1, f"folder name {rec.policy!r} is not a policy id (a-z, 0-9, '-', '.', '_')"
        )
    elif ctx.config is None:
        yield Spot(here, 1, f"unknown policy {rec.policy!r}: its folder has no {CONFIG}")
    if rec.version is None:
        yield Spot(
            here, 1, "not a version file name: want YYYY-MM-DD[.lang].md (the store ignores it)"
        )
        return
    if rec.error is not None:
        yield Spot(here, rec.error.line or 1, f"cannot read the version: {rec.error.reason}")
        return
    assert rec.document is not None
    meta = rec.document.meta
    if not meta:
        yield Spot(here, 1, "no front matter: a version needs " + ", ".join(REQUIRED_FIELDS))
        return
    for key in REQUIRED_FIELDS:
        if key not in meta or meta[key] is None or meta[key] == "":
            yield Spot(here, 1, f"missing field '{key}'")
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        yield Spot(here, rec.line_of("title"), "'title' must be text")
    for key in ("updated", "effective"):
        if key in meta and meta[key] is not None and front_matter_date(meta[key]) is None:
            yield Spot(
                here, rec.line_of(key), f"'{key}' must be a date YYYY-MM-DD, not {meta[key]!r}"
            )
    version = meta.get("version")
    if version is not None:
        written = _as_version(version)
        if written is None:
            yield Spot(
                here, rec.line_of("version"), f"'version' must be YYYY-MM-DD[-N], not {version!r}"
            )
        elif written != rec.version:
            yield Spot(
                here,
                rec.line_of("version"),
                f"'version' is {written} but the file name says {rec.version}",
            )
    status = meta.get("status")
    if status is not None and status not in STATUSES:
        yield Spot(
            here, rec.line_of("status"), f"'status' must be published or draft, not {status!r}"
        )
    notice = meta.get("notice")
    if notice is not None and notice not in LEVELS:
        yield Spot(
            here,
            rec.line_of("notice"),
            f"'notice' must be none, publish, popup or consent, not {notice!r}",
        )
    policy = meta.get("policy")
    if policy is not None and rec.policy is not None and policy != rec.policy:
        yield Spot(
            here,
            rec.line_of("policy"),
            f"'policy' is {policy!r} but the file is in folder {rec.policy!r}",
        )
    language = meta.get("language")
    if language is not None and ctx.language is not None and language != ctx.language:
        if rec.suffix is not None:
            why = f"the file name says {rec.suffix}"
        else:
            why = (
                f"a file name without a language suffix is in the policy's main language "
                f"{ctx.language} (name it {rec.version}.{language}.md)"
            )
        yield Spot(here, rec.line_of("language"), f"'language' is {language!r} but {why}")
    if ctx.duplicate_of is not None:
        yield Spot(
            here,
            1,
            f"version {rec.version} in language {ctx.language} is also in {ctx.duplicate_of.file}",
        )


@rule(
    "published-edited",
    "error",
    "edit",
    fix="Restore the file as it was published (`git checkout <base> -- <file>`) and put the "
    "change in a new version (`policy import`).",
)
def published_edited(ctx: EditContext) -> Iterator[Spot]:
    """A version whose front matter said ``status: published`` at the git base was edited in
    place (text or front matter; whitespace that normalisation removes does not count) or
    deleted. Published versions are immutable."""
    if ctx.after is None:
        yield Spot(ctx.file, 1, f"published version deleted (it was published at {ctx.base_label})")
        return
    if normalize_text(ctx.before) == normalize_text(ctx.after):
        return
    line = _first_difference(ctx.before, ctx.after)
    yield Spot(
        ctx.file,
        line,
        f"published version edited in place (published at {ctx.base_label}; first difference "
        f"on line {line}): published versions are immutable, make a new version",
    )


@rule(
    "undeclared-notice",
    "error",
    "revision",
    fix="Declare the level the text needs in `notice:` (and give users the notice period), or "
    "change the text so that it does not need it.",
)
def undeclared_notice(ctx: RevisionContext) -> Iterator[Spot]:
    """The level the revision needs (the judgement pipeline's decision: ``popup`` for a major
    change under the criteria pack, ``consent`` for a change restricting users' rights,
    ``publish`` for any other change or a first version, ``none`` for no change) is above the
    ``notice:`` the new version declares. The message lists the findings that raised it."""
    declared, detected = ctx.new.fields.notice, ctx.judgement.level
    if declared is None or detected is None or level_rank(detected) <= level_rank(declared):
        return
    why = "; ".join(ctx.judgement.reasons) or ctx.judgement.note
    yield Spot(
        ctx.new.file,
        ctx.new.line_of("notice"),
        f"the text needs '{detected}' but the front matter declares '{declared}': {why}",
    )


@rule(
    "overdeclared-notice",
    "warning",
    "revision",
    fix="Lower `notice:` to the level the text needs, or keep it on purpose and accept the "
    "warning.",
)
def overdeclared_notice(ctx: RevisionContext) -> Iterator[Spot]:
    """The new version declares a ``notice:`` above the level the text needs (users would be
    shown a pop-up or asked for consent for nothing)."""
    declared, detected = ctx.new.fields.notice, ctx.judgement.level
    if declared is None or detected is None or level_rank(declared) <= level_rank(detected):
        return
    why = "; ".join(ctx.judgement.reasons) or ctx.judgement.note
    yield Spot(
        ctx.new.file,
        ctx.new.line_of("notice"),
        f"the front matter declares '{declared}' but the text needs only '{detected}' ({why})",
    )


@rule(
    "notice-period",
    "error",
    "revision",
    fix="Move `effective` to at least `notice_period_days` (`policy.yaml`) after `updated`.",
)
def notice_period(ctx: RevisionContext) -> Iterator[Spot]:
    """A ``popup`` or ``consent`` revision (declared or detected, whichever is higher) takes
    effect fewer days after ``updated`` than the policy's ``notice_period_days``."""
    fields = ctx.new.fields
    if fields.updated is None or fields.effective is None:
        return
    levels = [lvl for lvl in (fields.notice, ctx.judgement.level) if lvl is not None]
    if not levels:
        return
    level = max(levels, key=level_rank)
    if level_rank(level) < level_rank("popup"):
        return
    days = (fields.effective - fields.updated).days
    period = ctx.config.notice_period_days
    if days >= period:
        return
    source = "declared" if level == fields.notice else "detected"
    yield Spot(
        ctx.new.file,
        ctx.new.line_of("effective"),
        f"a '{level}' revision ({source}) needs {period} days' notice, but effective "
        f"{fields.effective} is {days} days after updated {fields.updated}",
    )


@rule(
    "date-order",
    "error",
    "revision",
    fix="Correct the dates: `effective` on or after `updated`, `updated` on or before the "
    "version date, and neither earlier than in the previous version.",
)
def date_order(ctx: RevisionContext) -> Iterator[Spot]:
    """Dates that do not run forward. Within a version: ``effective`` before ``updated``, or
    ``updated`` after the version date (the file name). Against the previous version of the
    same policy and language: ``updated`` or ``effective`` earlier than the previous version's.
    (The version dates themselves always increase: versions are ordered by their file names,
    which ``front-matter`` ties to ``version``.)"""
    new = ctx.new
    fields = new.fields
    if (
        fields.updated is not None
        and fields.effective is not None
        and fields.effective < fields.updated
    ):
        yield Spot(
            new.file,
            new.line_of("effective"),
            f"effective {fields.effective} is before updated {fields.updated}",
        )
    version_date = _version_date(new.version)
    if fields.updated is not None and version_date is not None and fields.updated > version_date:
        yield Spot(
            new.file,
            new.line_of("updated"),
            f"updated {fields.updated} is after the version date {new.version}",
        )
    if ctx.old is None:
        return
    old = ctx.old.fields
    for key, mine, theirs in (
        ("updated", fields.updated, old.updated),
        ("effective", fields.effective, old.effective),
    ):
        if mine is not None and theirs is not None and mine < theirs:
            yield Spot(
                new.file,
                new.line_of(key),
                f"{key} {mine} is earlier than the previous version's {key} {theirs} "
                f"({ctx.old.file})",
            )


@rule(
    "silent-change",
    "warning",
    "revision",
    fix="Set `updated` to the date of this revision.",
)
def silent_change(ctx: RevisionContext) -> Iterator[Spot]:
    """The text differs from the previous version's (after normalisation) but ``updated`` is the
    same date, so readers cannot tell that anything changed."""
    old, new = ctx.old, ctx.new
    if old is None or old.document is None or new.document is None:
        return
    if old.document.sha256 == new.document.sha256:
        return
    if new.fields.updated is not None and new.fields.updated == old.fields.updated:
        yield Spot(
            new.file,
            new.line_of("updated"),
            f"the text changed since {old.version} but updated is still {new.fields.updated}",
        )


@rule(
    "empty-revision",
    "warning",
    "revision",
    fix="Remove the version, or make the change it was meant to carry.",
)
def empty_revision(ctx: RevisionContext) -> Iterator[Spot]:
    """A new version whose normalised text equals its predecessor's (only the front matter or
    whitespace changed); such a revision needs ``none``."""
    old, new = ctx.old, ctx.new
    if old is None or old.document is None or new.document is None:
        return
    if old.document.sha256 == new.document.sha256:
        yield Spot(
            new.file,
            new.line_of("version"),
            f"the text is the same as {old.version}'s after normalisation",
        )


@rule(
    "integrity",
    "error",
    "policy",
    fix="Never edit `PUBLISHED` or a published version by hand: restore them from git and "
    "publish new versions with `policy publish`.",
)
def integrity(ctx: PolicyContext) -> Iterator[Spot]:
    """The ``PUBLISHED`` ledger and the published versions disagree: a malformed or duplicated
    ledger line; a chain hash that does not follow from the line before (history rewritten); a
    ledger entry without its file; a published version missing from the ledger; a version in
    the ledger whose status is not ``published``; a published version whose text hash differs
    from the one recorded."""
    if ctx.ledger_error is not None:
        yield Spot(ctx.ledger_file, 1, f"the ledger cannot be read: {ctx.ledger_error}")
        return
    by_key = {_ledger_key(rec): rec for rec in ctx.versions if rec.version is not None}
    recorded: dict[str, int] = {}
    previous = GENESIS
    chain_ok = True
    for number, raw in enumerate((ctx.ledger or "").splitlines(), start=1):
        if is_blank_line(raw):
            continue
        entry = parse_ledger_line(raw)
        if entry is None:
            yield Spot(ctx.ledger_file, number, MALFORMED)
            chain_ok = False
            continue
        key, sha, chain = entry.version, entry.sha256, entry.chain
        if chain_ok and chain != chain_hash(previous, key, sha):
            yield Spot(
                ctx.ledger_file,
                number,
                f"chain broken at {key}: the chain hash does not follow from the line before "
                "(a line was edited, removed or reordered)",
            )
        previous = chain
        if key in recorded:
            yield Spot(
                ctx.ledger_file, number, f"{key} recorded twice (first on line {recorded[key]})"
            )
            continue
        recorded[key] = number
        rec = by_key.get(key)
        if rec is None:
            yield Spot(ctx.ledger_file, number, f"{key} is recorded as published but has no file")
            continue
        if rec.document is None:
            continue
        if rec.fields.status != "published":
            yield Spot(
                rec.file,
                rec.line_of("status"),
                f"recorded as published in {LEDGER} (line {number}) but status is "
                f"{rec.fields.status or 'missing'}",
            )
        if rec.document.sha256 != sha:
            yield Spot(
                rec.file,
                rec.document.body_line,
                f"the text's sha256 {rec.document.sha256[:12]}… differs from {sha[:12]}… "
                f"recorded in {LEDGER} (line {number}): the published text was changed",
            )
    for key, rec in sorted(by_key.items()):
        if rec.fields.status == "published" and key not in recorded:
            yield Spot(
                rec.file,
                rec.line_of("status"),
                f"status is published but {LEDGER} does not record {key} (publish with "
                "'policy publish', which records it)",
            )


# ---------------------------------------------------------------------------------------------
# The judgement seam


def judge_revision(old: Document, new: Document, pack_ref: str) -> RevisionJudgement:
    """Judge one revision with the diff pipeline, exactly as ``policy diff`` does: parse both
    versions, run :func:`analyzer.pipeline.analyze` with the criteria pack ``pack_ref`` and the
    packaged embedding model (lexical similarity alone when it is not installed), and return
    its decision.

    The pipeline, the pack and the model are imported on first use and kept for the following
    revisions, so a check that judges nothing never loads them.
    """
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze

    embedder, unavailable = _default_embedder()
    report = analyze(
        parse(old),
        parse(new),
        pack=_load_pack(pack_ref),
        embedder=embedder,
        unavailable=unavailable,
    )
    return RevisionJudgement(
        report.decision.level, tuple(report.decision.reasons), report, report.criteria_pack
    )


@functools.cache
def _load_pack(ref: str) -> CriteriaPack:
    from analyzer.judge.criteria import load_pack

    return load_pack(ref)


@functools.cache
def _default_embedder() -> tuple[Embedder | None, str | None]:
    """The packaged model (loaded lazily by its first use), or None and why not."""
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        return load_embedder(), None
    except EmbedderUnavailable as exc:
        return None, exc.reason


def _judge(
    old: VersionRecord | None, new: VersionRecord, config: PolicyConfig, judge: Judge
) -> RevisionJudgement:
    """The levels the definition settles (first version, identical text), else the judge's."""
    if new.document is None:
        return RevisionJudgement(None, (), None, "not judged: the version cannot be read")
    if old is None:
        return RevisionJudgement(
            "publish",
            ("first version of the policy in this language: new text to publish",),
            None,
            "first version",
        )
    if old.document is None:
        return RevisionJudgement(None, (), None, f"not judged: {old.file} cannot be read")
    if old.document.sha256 == new.document.sha256:
        return RevisionJudgement(
            "none", ("no textual change after normalisation",), None, "identical text"
        )
    return judge(old.document, new.document, config.criteria)


# ---------------------------------------------------------------------------------------------
# Running the rules


def run_check(
    current: Snapshot,
    *,
    versions: str,
    base: Base | None = None,
    judge: Judge = judge_revision,
) -> CheckResult:
    """Run every rule over the versions folder ``current``.

    Without ``base`` every version, revision and policy is checked. With a git ``base`` only
    what the difference touches is: version files added or edited since the base (all versions
    of a policy whose ``policy.yaml`` changed), the revisions into them and out of them (a
    version whose predecessor changed, appeared or went is judged again), the ledger of every
    policy with a changed file, and every file that was published at the base.
    """
    show = _shower(versions)
    changed = changed_paths(base.files, current) if base is not None else None
    # With a base, only the policies the difference touches are read at all.
    touched = None if changed is None else {rel.split("/")[0] for rel in changed if "/" in rel}
    configs = _configs(current, show, touched)
    records = {
        rel: _read_record(rel, data, show)
        for rel, data in sorted(current.items())
        if _is_versionish(rel)
        and (touched is None or "/" not in rel or rel.split("/")[0] in touched)
    }
    groups, language_of = _group(records, configs)
    predecessor: dict[str, VersionRecord | None] = {}
    duplicate: dict[str, VersionRecord] = {}
    for members in groups.values():
        previous: VersionRecord | None = None
        for rec in members:
            if previous is not None and previous.version == rec.version:
                duplicate[rec.relative] = previous
            predecessor[rec.relative] = previous
            previous = rec

    if base is None or changed is None:
        in_scope = set(records)
        judged = set(predecessor)
        policies = {rel.split("/")[0] for rel in current if "/" in rel}
        edits: list[str] = []
    else:
        retuned = {rel.split("/")[0] for rel in changed if rel.endswith("/" + CONFIG)}
        in_scope = {rel for rel, rec in records.items() if rel in changed or rec.policy in retuned}
        base_predecessor = _base_predecessors(base.files, configs)
        judged = set()
        for rel, prev in predecessor.items():
            prev_rel = prev.relative if prev is not None else None
            if (
                rel in in_scope
                or base_predecessor.get(rel, "") != prev_rel
                or (prev_rel is not None and prev_rel in changed)
            ):
                judged.add(rel)
        policies = (touched or set()) & _folders(current)
        edits = sorted(
            rel for rel in changed if rel in base.files and _was_published(base.files[rel])
        )

    spots: list[Hit] = []

    def emit(rule_id: str, found: Iterable[Spot]) -> None:
        rule_ = RULES[rule_id]
        spots.extend(
            Hit(rule_id, rule_.severity, s.file, s.line, " ".join(s.message.split())) for s in found
        )

    for rel in sorted(in_scope):
        rec = records[rel]
        ctx = VersionContext(
            rec,
            configs.get(rec.policy) if rec.policy is not None else None,
            language_of.get(rel) or None,
            duplicate.get(rel),
        )
        for rule_ in _rules("version"):
            emit(rule_.id, rule_.check(ctx))

    revisions: list[RevisionResult] = []
    for rel in sorted(judged):
        rec = records[rel]
        config = configs.get(rec.policy) if rec.policy is not None else None
        if config is None:
            continue  # front-matter reports the unknown policy
        prev = predecessor[rel]
        judgement = _judge(prev, rec, config, judge)
        revision = RevisionContext(prev, rec, config, judgement)
        for rule_ in _rules("revision"):
            emit(rule_.id, rule_.check(revision))
        revisions.append(
            RevisionResult(
                policy=config.id,
                language=language_of[rel],
                old=prev.file if prev is not None else None,
                new=rec.file,
                declared=rec.fields.notice_raw,
                detected=judgement.level,
                reasons=judgement.reasons,
                note=judgement.note,
                report=judgement.report,
            )
        )

    for policy in sorted(policies):
        ledger_rel = f"{policy}/{LEDGER}"
        try:
            ledger, ledger_error = _ledger_text(current.get(ledger_rel), show(ledger_rel)), None
        except PolicyError as exc:
            ledger, ledger_error = None, exc.reason
        context = PolicyContext(
            policy,
            show(ledger_rel),
            ledger,
            tuple(rec for rec in records.values() if rec.policy == policy),
            ledger_error,
        )
        for rule_ in _rules("policy"):
            emit(rule_.id, rule_.check(context))

    assert base is not None or not edits
    for rel in edits:
        assert base is not None
        after = current.get(rel)
        edit = EditContext(
            show(rel),
            base.label,
            _text(base.files[rel]),
            _text(after) if after is not None else None,
        )
        for rule_ in _rules("edit"):
            emit(rule_.id, rule_.check(edit))

    hits = tuple(sorted(set(spots), key=lambda h: (h.file, h.line, h.rule, h.message)))
    revisions.sort(key=lambda r: (r.policy, r.language, r.new))
    return CheckResult(
        versions=versions,
        base=base,
        changed=tuple(sorted(show(rel) for rel in changed)) if changed is not None else None,
        files=tuple(sorted(records[rel].file for rel in in_scope)),
        hits=hits,
        revisions=tuple(revisions),
    )


def _rules(scope: Scope) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == scope]


def _shower(versions: str) -> Callable[[str], str]:
    prefix = versions.rstrip("/")

    def show(relative: str) -> str:
        return relative if prefix in ("", ".") else f"{prefix}/{relative}"

    return show


def _folders(snapshot: Snapshot) -> set[str]:
    return {rel.split("/")[0] for rel in snapshot if "/" in rel}


def _configs(
    current: Snapshot, show: Callable[[str], str], only: set[str] | None
) -> dict[str, PolicyConfig | None]:
    """Each policy folder's configuration (None: no policy.yaml), for the folders in ``only``
    (all when None). A malformed one is bad input."""
    configs: dict[str, PolicyConfig | None] = {}
    for folder in sorted(_folders(current)):
        if only is not None and folder not in only:
            continue
        rel = f"{folder}/{CONFIG}"
        data = current.get(rel)
        if data is None:
            configs[folder] = None
            continue
        configs[folder] = parse_policy_config(decode(data, show(rel)), folder, show(rel))
    return configs


def _is_versionish(relative: str) -> bool:
    """A version file, or a file meant to be one (a text file in a policy folder)."""
    path = PurePosixPath(relative)
    if VERSION_FILE.match(path.name):
        return True
    if len(path.parts) != 2 or path.name == CONFIG or path.name == LEDGER:
        return False
    return path.suffix.lower() in TEXT_EXTENSIONS and not path.name.upper().startswith("README")


def _read_record(relative: str, data: bytes, show: Callable[[str], str]) -> VersionRecord:
    path = PurePosixPath(relative)
    match = VERSION_FILE.match(path.name)
    policy = path.parts[0] if len(path.parts) == 2 else None
    version = match["version"] if match else None
    suffix = match["lang"] if match else None
    source = show(relative)
    text: str | None = None
    document: Document | None = None
    error: PolicyError | None = None
    try:
        text = decode(data, source).replace("\r\n", "\n").replace("\r", "\n")
        document = read_document(data, source, name=path.name)
    except PolicyError as exc:
        error = exc
    fields = _fields(document.meta) if document is not None else Fields()
    return VersionRecord(
        relative=relative,
        file=source,
        policy=policy,
        version=version,
        suffix=suffix,
        text=text,
        document=document,
        error=error,
        fields=fields,
        lines=_key_lines(text) if text is not None else {},
    )


def _group(
    records: Mapping[str, VersionRecord], configs: Mapping[str, PolicyConfig | None]
) -> tuple[dict[tuple[str, str], list[VersionRecord]], dict[str, str]]:
    """Versions by (policy, language) in chronological order, and each version's language."""
    groups: dict[tuple[str, str], list[VersionRecord]] = {}
    language_of: dict[str, str] = {}
    for rel, rec in records.items():
        if rec.policy is None or rec.version is None:
            continue
        config = configs.get(rec.policy)
        language = rec.suffix or (config.languages[0] if config is not None else "")
        language_of[rel] = language
        groups.setdefault((rec.policy, language), []).append(rec)
    for members in groups.values():
        members.sort(key=lambda r: (version_sort_key(r.version or ""), r.relative))
    return groups, language_of


def _base_predecessors(
    files: Snapshot, configs: Mapping[str, PolicyConfig | None]
) -> dict[str, str | None]:
    """Each version's predecessor at the base, from the file names alone."""
    groups: dict[tuple[str, str], list[tuple[tuple[str, int], str]]] = {}
    for rel in files:
        path = PurePosixPath(rel)
        match = VERSION_FILE.match(path.name)
        if match is None or len(path.parts) != 2:
            continue
        config = configs.get(path.parts[0])
        language = match["lang"] or (config.languages[0] if config is not None else "en")
        groups.setdefault((path.parts[0], language), []).append(
            (version_sort_key(match["version"]), rel)
        )
    result: dict[str, str | None] = {}
    for members in groups.values():
        previous: str | None = None
        for _key, rel in sorted(members):
            result[rel] = previous
            previous = rel
    return result


def _ledger_text(data: bytes | None, source: str) -> str | None:
    if data is None:
        return None
    return decode(data, source) if data.strip() else ""


def _was_published(data: bytes) -> bool:
    """Whether a file's front matter says ``status: published`` (unreadable: no)."""
    try:
        document = read_document(data, "base")
    except PolicyError:
        return False
    return document.meta.get("status") == "published"


def _text(data: bytes) -> str:
    try:
        return decode(data, "file").replace("\r\n", "\n").replace("\r", "\n")
    except PolicyError:
        return data.decode("utf-8", "replace")


def _first_difference(before: str, after: str) -> int:
    """1-based line of ``after`` where it first departs from ``before``."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, _i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            return max(1, min(j1 + 1, len(after.splitlines())))
    return 1


_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _key_lines(text: str) -> dict[str, int]:
    """Line of each top-level key of the front matter (empty without front matter)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}
    found: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        match = _KEY.match(line)
        if match and match.group(1) not in found:
            found[match.group(1)] = number
    return found


def _fields(meta: Mapping[str, Any]) -> Fields:
    notice = meta.get("notice")
    status = meta.get("status")
    return Fields(
        version=_as_version(meta.get("version")),
        updated=front_matter_date(meta.get("updated")),
        effective=front_matter_date(meta.get("effective")),
        status=status if isinstance(status, str) else None,
        notice=notice if notice in LEVELS else None,
        notice_raw=str(notice) if notice is not None else None,
    )


def _as_version(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if (
        isinstance(value, str)
        and VERSION_ID.match(value)
        and front_matter_date(value[:10]) is not None
    ):
        return value
    return None


def _version_date(version: str | None) -> dt.date | None:
    return front_matter_date(version[:10]) if version else None


def _ledger_key(rec: VersionRecord) -> str:
    """How ``PUBLISHED`` names a version: ``2023-05-26`` or ``2023-05-26.zh``."""
    return f"{rec.version}.{rec.suffix}" if rec.suffix else f"{rec.version}"
