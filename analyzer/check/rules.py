"""The rules of ``policy check``, each a small function registered by a stable id with
:func:`rule`; its docstring says what fires it and ``fix`` how to repair the file. A rule sees
one of four contexts (:mod:`analyzer.check.records`):

``version``
    one version file (its name, front matter and text) and the policy it sits in;
``revision``
    a version, its predecessor (the previous version of the same policy and language) and the
    judgement of what the revision owes users;
``policy``
    a policy folder as a whole (its versions and its ``PUBLISHED`` ledger);
``edit``
    a file as it was at the git base and as it is now.

A new rule is one function here; the README's table of rules is generated from :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from analyzer.check.model import Scope, Severity
from analyzer.check.records import (
    CONFIG,
    REQUIRED_FIELDS,
    STATUSES,
    EditContext,
    PolicyContext,
    RevisionContext,
    VersionContext,
    as_version,
    first_difference,
    ledger_key,
    version_date,
)
from analyzer.model import LEVELS, level_rank
from analyzer.parse.frontmatter import front_matter_date
from analyzer.store.ledger import (
    GENESIS,
    LEDGER,
    MALFORMED,
    chain_hash,
    is_blank_line,
    parse_ledger_line,
)
from analyzer.store.versions import POLICY_ID
from analyzer.text.normalize import normalize_text


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
            here, 1, "not a version file name: want YYYY-MM-DD[-N][.lang].md (the store ignores it)"
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
        written = as_version(version)
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
    line = first_difference(ctx.before, ctx.after)
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
    (The version ids themselves never go backwards: versions are ordered by their ids, the date
    and then N for the N-th version of a day, which ``front-matter`` ties to the file names.)"""
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
    dated = version_date(new.version)
    if fields.updated is not None and dated is not None and fields.updated > dated:
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
    same date, so readers cannot tell that anything changed. (Not for a later version of the
    same day whose ``updated`` is already that day: it cannot be later.)"""
    old, new = ctx.old, ctx.new
    if old is None or old.document is None or new.document is None:
        return
    if old.document.sha256 == new.document.sha256:
        return
    if new.fields.updated is not None and new.fields.updated == version_date(new.version):
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
    by_key = {ledger_key(rec): rec for rec in ctx.versions if rec.version is not None}
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
