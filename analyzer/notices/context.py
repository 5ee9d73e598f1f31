"""The data a notice is made from: :class:`NoticeContext`.

:func:`build_context` turns a :class:`~analyzer.model.Report` into a :class:`NoticeContext`: the
policy, the two versions and their dates, the decision level, one plain-language sentence per
thing that changed (major ones apart, see :mod:`analyzer.notices.sentences`), one change-log
entry per change, and links (:mod:`analyzer.notices.links`). :mod:`analyzer.notices.render`
fills the templates of ``notices/<lang>/`` with it; ``policy notice --format json`` prints it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from analyzer.errors import PolicyError
from analyzer.model import LEVELS, Level, Report
from analyzer.notices.links import NoticeLinks, archive_key, archive_links
from analyzer.notices.patterns import Patterns, format_address, load_patterns, notice_folders
from analyzer.notices.sentences import ChangeNote, describe_changes

NoticeKind = Literal["popup", "changelog", "email"]
NoticeFormat = Literal["text", "html"]
NOTICE_KINDS: tuple[NoticeKind, ...] = get_args(NoticeKind)
LANGUAGES: tuple[str, ...] = ("en", "zh")


# --------------------------------------------------------------------------- the data model


@dataclass(frozen=True)
class NoticeVersion:
    """One side of the revision."""

    version: str | None
    """The version id of the front matter (``2026-02-02``), or None."""
    source: str
    """Where it was read from, as the user named it."""
    updated: str | None
    """``updated`` of the front matter as ``YYYY-MM-DD`` (or as written when it is not a date)."""
    effective: str | None
    """``effective`` of the front matter, likewise."""
    updated_text: str | None
    """``updated`` as the notice's language writes a date (``March 9, 2026``, ``2026年3月9日``)."""
    effective_text: str | None
    """``effective`` likewise."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": self.source,
            "updated": self.updated,
            "effective": self.effective,
            "updated_text": self.updated_text,
            "effective_text": self.effective_text,
        }


@dataclass(frozen=True)
class ChangeSentence:
    """One plain-language sentence about what changed, with where."""

    text: str
    """The sentence with its clause addresses and final punctuation: ``The customer service
    hotline changes from 400-80-13260 to 95187 (“Prompt clause” ¶2 and 10 ¶1).``"""
    body: str
    """The sentence without the addresses and final punctuation."""
    where: str
    """The addresses as the language writes them, joined (``“Prompt clause” ¶2 and 10 ¶1``)."""
    clauses: tuple[str, ...]
    """The addresses as the report names them."""
    changes: tuple[str, ...]
    """Ids of the report's changes the sentence tells (several when one change was made in
    several places)."""
    criteria: tuple[str, ...]
    """Criteria of those changes' findings that count (empty for other changes)."""
    major: bool
    """It tells a major change (a finding raised the level)."""
    restricts_rights: bool
    """It tells a change that restricts the user's rights (needs consent)."""
    pattern: str
    """The pattern of ``sentences.yaml`` that produced it (``values/hotline``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "body": self.body,
            "where": self.where,
            "clauses": list(self.clauses),
            "changes": list(self.changes),
            "criteria": list(self.criteria),
            "major": self.major,
            "restricts_rights": self.restricts_rights,
            "pattern": self.pattern,
        }


@dataclass(frozen=True)
class ChangelogEntry:
    """One change as the change log lists it."""

    text: str
    """The whole entry: ``In section 5 (…), we changed 5.6.2. Your requests are no longer
    stated to be free of charge.``"""
    intro: str
    """Where and what was done: ``In section 5 (…), we changed 5.6.2.``"""
    details: tuple[str, ...]
    """What it means, one sentence each (empty when nothing more specific than the intro is
    known)."""
    change: str
    """Id of the change in the report."""
    kind: str
    """``added``, ``removed``, ``modified``, ``moved``, ``renumbered``, ``split``, ``merged``."""
    nature: str
    """``editorial`` or ``substantive``."""
    section: str
    """Address of the top-level section (``5``, ``Prompt clause``)."""
    section_title: str | None
    """Its heading, when it has one."""
    clauses: tuple[str, ...]
    """Addresses of the change's clauses (new side; old side when removed)."""
    major: bool
    restricts_rights: bool
    criteria: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intro": self.intro,
            "details": list(self.details),
            "change": self.change,
            "kind": self.kind,
            "nature": self.nature,
            "section": self.section,
            "section_title": self.section_title,
            "clauses": list(self.clauses),
            "major": self.major,
            "restricts_rights": self.restricts_rights,
            "criteria": list(self.criteria),
        }


@dataclass(frozen=True)
class NoticeCounts:
    """How many changes of each sort the revision has."""

    changes: int
    major: int
    """Changes with a finding that counts."""
    other: int
    """``changes - major``."""
    restricting: int
    """Changes that restrict the user's rights."""
    substantive: int
    editorial: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "major": self.major,
            "other": self.other,
            "restricting": self.restricting,
            "substantive": self.substantive,
            "editorial": self.editorial,
        }


@dataclass(frozen=True)
class NoticeContext:
    """Everything a notice template receives, as ``notice``."""

    language: str
    """Language of the notice: ``en`` or ``zh``."""
    policy: str | None
    """Policy id (the folder of ``policy_versions/``), when known."""
    title: str
    """The policy's title (front matter), or the patterns file's ``default_title``."""
    old: NoticeVersion
    new: NoticeVersion
    level: Level
    """The decision: ``none``, ``publish``, ``popup`` or ``consent``."""
    popup: bool
    """The revision needs a pop-up (level ``popup`` or ``consent``)."""
    consent: bool
    """The revision needs the user's explicit consent (level ``consent``)."""
    major: tuple[ChangeSentence, ...]
    """Sentences about the major changes, in document order; the same sentence made in several
    places is one sentence with every address."""
    other: tuple[ChangeSentence, ...]
    """Sentences about every other change, in document order."""
    entries: tuple[ChangelogEntry, ...]
    """One change-log entry per change: major ones first, then the others, each in document
    order."""
    links: NoticeLinks
    counts: NoticeCounts
    reasons: tuple[str, ...]
    """The decision's reasons as the analyzer wrote them (English, one per finding)."""
    analyzer: str
    """``policy-analyzer <version>, criteria <pack>``: what produced the notice."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "policy-notice/1",
            "language": self.language,
            "policy": self.policy,
            "title": self.title,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "level": self.level,
            "popup": self.popup,
            "consent": self.consent,
            "major": [s.to_dict() for s in self.major],
            "other": [s.to_dict() for s in self.other],
            "entries": [e.to_dict() for e in self.entries],
            "links": self.links.to_dict(),
            "counts": self.counts.to_dict(),
            "reasons": list(self.reasons),
            "analyzer": self.analyzer,
        }


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise PolicyError(f"unsupported notice language {language!r} (expected en or zh)")
    return language


# --------------------------------------------------------------------------- building


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _version(info: Any, patterns: Patterns) -> NoticeVersion:
    meta = info.meta
    updated, effective = _iso(meta.get("updated")), _iso(meta.get("effective"))
    return NoticeVersion(
        version=_iso(meta.get("version")),
        source=info.source,
        updated=updated,
        effective=effective,
        updated_text=(patterns.date(updated) or updated) if updated else None,
        effective_text=(patterns.date(effective) or effective) if effective else None,
    )


@dataclass
class _Merged:
    pattern: str
    body: str
    inline: bool
    clauses: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    restricts: bool = False


def _sentences(notes: Sequence[ChangeNote], major: bool, p: Patterns) -> tuple[ChangeSentence, ...]:
    """The sentences of the notes, one per distinct sentence: a change made in several places
    (the same body) is told once with all its addresses."""
    merged: dict[str, _Merged] = {}
    for note in notes:
        if note.major != major:
            continue
        for s in note.sentences:
            key = f"{s.body}\x00{note.change}" if s.inline_where else s.body
            entry = merged.setdefault(key, _Merged(s.pattern, s.body, s.inline_where))
            entry.clauses += [c for c in note.clauses if c not in entry.clauses]
            if note.change not in entry.changes:
                entry.changes.append(note.change)
            entry.criteria += [c for c in note.criteria if c not in entry.criteria]
            entry.restricts = entry.restricts or note.restricts_rights
    out = []
    for m in merged.values():
        where = p.join([format_address(c, p) for c in m.clauses])
        text = (
            p.fill("sentence", "alone", sentence=m.body)
            if m.inline
            else p.fill("sentence", "with_where", sentence=m.body, where=where)
        )
        out.append(
            ChangeSentence(
                text=text,
                body=m.body,
                where=where,
                clauses=tuple(m.clauses),
                changes=tuple(m.changes),
                criteria=tuple(m.criteria),
                major=major,
                restricts_rights=m.restricts,
                pattern=m.pattern,
            )
        )
    return tuple(out)


def _entry(note: ChangeNote, p: Patterns) -> ChangelogEntry:
    details = (
        tuple(p.fill("sentence", "alone", sentence=s.body) for s in note.sentences)
        if note.specific
        else ()
    )
    join = p.text("changelog", "join")
    return ChangelogEntry(
        text=join.join((note.changelog, *details)),
        intro=note.changelog,
        details=details,
        change=note.change,
        kind=note.kind,
        nature=note.nature,
        section=note.section,
        section_title=note.section_title,
        clauses=note.clauses,
        major=note.major,
        restricts_rights=note.restricts_rights,
        criteria=note.criteria,
    )


def build_context(
    report: Report,
    *,
    language: str,
    links: NoticeLinks | None = None,
    policy: str | None = None,
    templates: Path | None = None,
) -> NoticeContext:
    """What the notice templates of ``language`` receive about ``report``'s revision.

    ``policy`` is the policy id when the caller knows it (else the front matter's ``policy``);
    ``templates`` a folder searched before the shipped ``notices/`` for ``sentences.yaml``.
    """
    patterns = load_patterns(_check_language(language), notice_folders(templates))
    titles = {c.id: c.title for c in report.criteria}
    notes = describe_changes(report.changes, patterns, titles)
    title = report.new.meta.get("title") or report.old.meta.get("title")
    level = report.decision.level
    assert level in LEVELS
    substantive = sum(1 for n in notes if n.nature == "substantive")
    major = sum(1 for n in notes if n.major)
    return NoticeContext(
        language=language,
        policy=policy or _iso(report.new.meta.get("policy")) or _iso(report.old.meta.get("policy")),
        title=" ".join(str(title).split()) if title else patterns.text("default_title"),
        old=_version(report.old, patterns),
        new=_version(report.new, patterns),
        level=level,
        popup=level in ("popup", "consent"),
        consent=level == "consent",
        major=_sentences(notes, True, patterns),
        other=_sentences(notes, False, patterns),
        entries=tuple(
            [_entry(n, patterns) for n in notes if n.major]
            + [_entry(n, patterns) for n in notes if not n.major]
        ),
        links=links or NoticeLinks(),
        counts=NoticeCounts(
            changes=len(notes),
            major=major,
            other=len(notes) - major,
            restricting=sum(1 for n in notes if n.restricts_rights),
            substantive=substantive,
            editorial=len(notes) - substantive,
        ),
        reasons=tuple(report.decision.reasons),
        analyzer=f"policy-analyzer {report.analyzer_version}, criteria {report.criteria_pack}",
    )


def no_notice_reason(report: Report, kind: NoticeKind) -> str | None:
    """Why the revision needs no notice of this kind, or None when it needs one: no pop-up
    below level ``popup``; no change-log entry or e-mail when nothing changed."""
    level = report.decision.level
    why = "; ".join(report.decision.reasons) or level
    if kind == "popup" and level not in ("popup", "consent"):
        return f"no pop-up needed: the decision is '{level}' ({why})"
    if kind != "popup" and level == "none":
        noun = "change-log entry" if kind == "changelog" else "e-mail"
        return f"no {noun} needed: the decision is 'none' ({why})"
    return None


def revision_context(
    report: Report,
    *,
    language: str,
    policy: str | None,
    old_ref: str,
    new_ref: str,
    site_url: str | None = None,
    templates: Path | None = None,
) -> NoticeContext:
    """:func:`build_context` for a revision whose versions are named as the user named them
    (paths or ``POLICY@VERSION``): links into the archive site of ``policy`` under
    ``site_url`` (relative to the site's root without one)."""
    links = archive_links(
        site_url,
        policy,
        archive_key(new_ref, report.new.meta),
        archive_key(old_ref, report.old.meta),
    )
    return build_context(report, language=language, links=links, policy=policy, templates=templates)
