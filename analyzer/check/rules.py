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

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from analyzer.check.model import Scope, Severity
from analyzer.check.records import (
    CONFIG,
    REQUIRED_FIELDS,
    STATUSES,
    AnchorsContext,
    ConfigContext,
    EditContext,
    PolicyContext,
    RevisionContext,
    VersionContext,
    VersionRecord,
    as_version,
    first_difference,
    ledger_key,
    version_date,
)
from analyzer.model import LEVELS, Finding, Report, level_rank
from analyzer.parse.frontmatter import front_matter_date
from analyzer.store.ledger import (
    GENESIS,
    LEDGER,
    MALFORMED,
    chain_hash,
    is_blank_line,
    parse_ledger_line,
)
from analyzer.store.snapshot import pack_path
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
    fix="Correct the dates: `effective` on or after `updated` and on or after the version "
    "date, `updated` on or before the version date, and neither earlier than in the previous "
    "version.",
)
def date_order(ctx: RevisionContext) -> Iterator[Spot]:
    """Dates that do not run forward. Within a version: ``effective`` before ``updated``,
    ``updated`` after the version date (the file name), or ``effective`` before the version
    date (a version cannot have taken effect before it existed: a back-dated ``effective``
    skips the notice users are owed). Against the previous version of the same policy and
    language: ``updated`` or ``effective`` earlier than the previous version's. (The version
    ids themselves never go backwards: versions are ordered by their ids, the date and then N
    for the N-th version of a day, which ``front-matter`` ties to the file names.)"""
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
    if fields.effective is not None and dated is not None and fields.effective < dated:
        yield Spot(
            new.file,
            new.line_of("effective"),
            f"effective {fields.effective} is {(dated - fields.effective).days} days before the "
            f"version date {new.version}: a version takes effect on or after its date",
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
    "suspicious-characters",
    "error",
    "revision",
    fix="Write the words with ordinary characters: delete the invisible and bidi characters, "
    "and retype each look-alike letter (the message names each code point and its clause).",
)
def suspicious_characters(ctx: RevisionContext) -> Iterator[Spot]:
    """The revision brings characters that make the text read differently from how it is
    stored: bidi controls (an override that displays a number backwards), invisible format
    characters inside words (U+2062, U+034F, a zero-width joiner between Chinese characters),
    or letters that imitate others (a Cyrillic ``а`` in ``dаys``, a mathematical ``𝐬``). The
    judgement reads the text as a reader sees it, but an honest policy needs none of them, so
    each one is an error, with its code point and clause."""
    found = ctx.judgement.suspicious
    if not found:
        return
    by_clause: dict[str, list[str]] = {}
    for item in found:
        what = item.describe().rsplit(" in ", 1)[0]
        by_clause.setdefault(item.clause, []).append(what)
    listed = "; ".join(f"{clause}: {', '.join(items)}" for clause, items in by_clause.items())
    first = found[0]
    yield Spot(
        ctx.new.file,
        _line_of_char(ctx.new, first.code_point),
        f"{len(found)} suspicious character(s) that read differently from how they are "
        f"stored: {listed}",
    )


def _line_of_char(record: VersionRecord, code_point: str) -> int:
    """The line of the file where a character first appears (1 when it cannot be found)."""
    text = record.text or ""
    at = text.find(chr(int(code_point[2:], 16)))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


@rule(
    "hidden-text",
    "error",
    "revision",
    fix="Write what the policy says as visible text: no element hidden by `hidden` or a style, "
    "no statement only in a `title`; to remove words, delete them (struck text counts as "
    "removed).",
)
def hidden_text(ctx: RevisionContext) -> Iterator[Spot]:
    """The revision brings Markdown or HTML that a reader of the rendered page does not see as
    text: an element hidden by the ``hidden`` attribute or an inline style (``display: none``,
    ``visibility: hidden``, ``font-size: 0``, ``opacity: 0``), whose words the judgement leaves
    out; or words only in a ``title`` (a link's tooltip), which the judgement reads. (Struck
    text, ``~~ ~~`` or ``<del>``, is read as removed text, which is honest, and not flagged.)"""
    notes = ctx.judgement.hidden
    if not notes:
        return
    first = notes[0].split(":", 1)[0].removeprefix("line ")
    line = int(first) if first.isdigit() else 1
    yield Spot(
        ctx.new.file,
        line,
        f"{len(notes)} piece(s) of text a reader of the rendered page does not see: "
        + "; ".join(notes),
    )


@rule(
    "future-date",
    "error",
    "revision",
    fix="Give the version the date it is written on; a version published later gets its date "
    "then (`policy import --version`).",
)
def future_date(ctx: RevisionContext) -> Iterator[Spot]:
    """A version dated further in the future than the policy's notice period (counted from the
    day the check runs): a future date lets ``effective`` look far enough after ``updated``
    while users are told nothing in time."""
    dated = version_date(ctx.new.version)
    if dated is None or ctx.today == dt.date.max:
        return
    days = (dated - ctx.today).days
    if days > ctx.config.notice_period_days:
        yield Spot(
            ctx.new.file,
            ctx.new.line_of("version"),
            f"version date {ctx.new.version} is {days} days in the future (the notice period is "
            f"{ctx.config.notice_period_days} days)",
        )


@rule(
    "self-reviewed",
    "warning",
    "revision",
    fix="Land the reviewer's verdict in its own change after the text (a second pull request, "
    "reviewed by someone else), or make this one an error with `--fail-on warning`.",
)
def self_reviewed(ctx: RevisionContext) -> Iterator[Spot]:
    """A reviewer's verdict (``reviewed:`` in the front matter) lowers the level the revision
    needs, in the same change as the text it judges: the author of a change waved its own
    finding through. Every verdict is printed with the check's output anyway (reviewer and
    reason); this warning says which ones nobody else saw land. With a git base only."""
    report = ctx.judgement.report
    if not ctx.has_base or report is None or ctx.new.document is None:
        return
    if ctx.base_sha is not None and ctx.base_sha == ctx.new.document.sha256:
        return  # the text was at the base already: the verdict came after it
    lowered = lowering_overrides(report)
    if not lowered:
        return
    listed = "; ".join(lowered)
    yield Spot(
        ctx.new.file,
        ctx.new.line_of("reviewed"),
        f"the verdicts lower the level to '{report.decision.level}' in the same change as the "
        f"text they judge: {listed}",
    )


def lowering_overrides(report: Report) -> list[str]:
    """The reviewers' verdicts that lower the revision's level (without them it would need
    more), one line each; empty when they lower nothing."""
    from analyzer.judge.decide import decide

    bare = [
        dataclasses.replace(
            change, findings=tuple(dataclasses.replace(f, override=None) for f in change.findings)
        )
        for change in report.changes
    ]
    without = decide(bare).level
    if level_rank(without) <= level_rank(report.decision.level):
        return []
    return [
        f"{override_line(finding)} (without it: '{without}')"
        for change in report.changes
        for finding in change.findings
        if finding.override is not None and finding.detector != "reviewer"
    ]


def override_line(finding: Finding) -> str:
    """``9.4.5 at 2.2: not-major by legal: the old number forwards``."""
    override = finding.override
    assert override is not None
    by = f" by {override.reviewer}" if override.reviewer else " (no reviewer named)"
    return f"{override.criterion} at {override.clause}: {override.verdict}{by}: {override.reason}"


@rule(
    "translation-mismatch",
    "error",
    "revision",
    fix="Translate the primary version faithfully: a statement belongs in the primary language "
    "first (with the notice it needs), then in its translations.",
)
def translation_mismatch(ctx: RevisionContext) -> Iterator[Spot]:
    """A version in another language than the policy's primary one (the first language of
    ``languages``) states something the primary-language version of the same date does not: a
    category of information, a purpose, a recipient, a way of sharing, a right, a fee, a
    promise or a contact. A translation's first version needs only ``publish``, so it may not
    say anything its original does not; the rule runs on every version of a translation."""
    translation = ctx.translation
    if translation is None:
        return
    if translation.primary is None:
        yield Spot(
            ctx.new.file,
            ctx.new.line_of("language"),
            f"no version in the primary language {ctx.config.languages[0]} to compare this "
            "translation with",
        )
        return
    if translation.extra:
        yield Spot(
            ctx.new.file,
            ctx.new.document.body_line if ctx.new.document is not None else 1,
            f"states what {translation.primary.file} does not: " + "; ".join(translation.extra),
        )


@rule(
    "unlisted-language",
    "error",
    "version",
    fix="Add the language to `languages` in `policy.yaml` in a change of its own, then add the "
    "translation.",
)
def unlisted_language(ctx: VersionContext) -> Iterator[Spot]:
    """A version in a language that the policy's ``languages`` (``policy.yaml``, as the git
    base has it) does not list."""
    if ctx.config is None or ctx.language is None or ctx.record.version is None:
        return
    if ctx.language not in ctx.config.languages:
        yield Spot(
            ctx.record.file,
            ctx.record.line_of("language"),
            f"language {ctx.language!r} is not one of the policy's languages "
            f"({', '.join(ctx.config.languages)})",
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
    "config-changed",
    "error",
    "config",
    fix="Land the configuration change on its own (its own pull request, reviewed as such), "
    "then the versions: a change is always judged with the configuration of its base.",
)
def config_changed(ctx: ConfigContext) -> Iterator[Spot]:
    """The same change edits versions of a policy and the configuration its gate judges them
    with: the criteria pack, ``notice_period_days`` or ``languages`` in ``policy.yaml``, a pack
    file the policy names by path, or a shipped pack of an analyzer kept in the same repository.
    ``policy check --base`` judges with the base's configuration whatever the change says, and
    a configuration change must land on its own, so that nobody lowers the bar in the pull
    request that needs it lowered. A new policy may name a shipped pack; a pack file the same
    change adds is not trusted (the default pack judges instead)."""
    if not ctx.versions_changed:
        return
    before, after = ctx.before, ctx.after
    where = f"(this check used the configuration at {ctx.base_label})"
    if before is not None and after is not None:
        for key, old, new in (
            ("criteria", before.criteria, after.criteria),
            ("notice_period_days", before.notice_period_days, after.notice_period_days),
            ("languages", list(before.languages), list(after.languages)),
        ):
            if old != new:
                yield Spot(
                    ctx.file,
                    ctx.line_of(key),
                    f"'{key}' changes from {old!r} to {new!r} in the same change as versions "
                    f"of {ctx.policy} {where}",
                )
    elif before is None and after is not None and ctx.existed:
        yield Spot(
            ctx.file, 1, f"policy.yaml rewritten in the same change as versions of {ctx.policy}"
        )
    refs = {cfg.criteria for cfg in (before, after) if cfg is not None}
    for ref in sorted(refs):
        path = pack_path(ref)
        if path is None:
            continue
        if ctx.packs.get(ref) is None:
            yield Spot(
                ctx.file,
                ctx.line_of("criteria"),
                f"criteria pack {ref} is not in the base: a pack the same change brings "
                f"cannot judge it (the default pack did) {where}",
            )
        elif path in ctx.packs_changed:
            yield Spot(
                path,
                1,
                f"criteria pack {path}, which judges {ctx.policy}, is edited in the same change "
                f"as versions of the policy {where}",
            )
    named = {pack_path(ref) for ref in refs}
    for path in ctx.packs_changed:
        if path not in named:
            yield Spot(
                path,
                1,
                f"shipped criteria pack {path} is edited in the same change as versions of "
                f"{ctx.policy}: CI must run the analyzer of the base, never the change's own",
            )


@rule(
    "anchors-edited",
    "error",
    "anchors",
    fix="Restore `anchors.json` as it was (`git checkout <base> -- <file>`); anchors of new "
    "published versions are added by `policy publish` or `policy site freeze-anchors`.",
)
def anchors_edited(ctx: AnchorsContext) -> Iterator[Spot]:
    """An entry of ``anchors.json`` that existed at the git base was changed or removed (or the
    file deleted or made unreadable). The anchors of a published version are the links to its
    clauses that readers and other sites keep: they never change. Adding the entries of newly
    published versions is fine."""
    before = _anchor_entries(ctx.before)
    if before is None:
        return  # the base's file could not be read: nothing was promised
    if ctx.after is None:
        yield Spot(ctx.file, 1, f"anchors.json deleted (it recorded {len(before)} version(s))")
        return
    after = _anchor_entries(ctx.after)
    if after is None:
        yield Spot(ctx.file, 1, "anchors.json can no longer be read as policy-anchors/1")
        return
    for key, entry in sorted(before.items()):
        if key not in after:
            yield Spot(ctx.file, 1, f"the anchors of published version {key} were removed")
        elif after[key] != entry:
            line = _line_of_key(ctx.after, key)
            yield Spot(
                ctx.file,
                line,
                f"the anchors of published version {key} were edited (recorded at "
                f"{ctx.base_label}): links to its clauses would change",
            )


def _anchor_entries(text: str) -> dict[str, Any] | None:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    versions = data.get("versions") if isinstance(data, dict) else None
    return versions if isinstance(versions, dict) else None


def _line_of_key(text: str, key: str) -> int:
    at = text.find(f'"{key}"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


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
