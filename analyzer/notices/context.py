"""Notices of a revision: the pop-up, the change-log entry and the e-mail users are shown.

:func:`build_context` turns a :class:`~analyzer.model.Report` into a :class:`NoticeContext`: the
policy, the two versions and their dates, the decision level, one plain-language sentence per
thing that changed (major ones apart, see :mod:`analyzer.notices.sentences`), one change-log entry per
change, and links. :func:`render_notice` fills a template of ``notices/<lang>/`` with it:

=============  =======================  ====================================================
kind           ``text``                 ``html``
=============  =======================  ====================================================
``popup``      ``popup.txt`` (preview)  ``popup.html``: a ``<dialog>`` fragment (the default)
``changelog``  ``changelog.md``         ``changelog.html``: a fragment for the archive page
``email``      ``email.txt``            ``email.html``: a whole document
=============  =======================  ====================================================

Organisations change the wording in the templates and in ``sentences.yaml`` without touching
Python; a folder given as ``templates`` is searched first (per file; ``sentences.yaml`` there
may override single keys), then the repository's ``notices/`` (a source checkout), then the
copy the wheel ships in ``analyzer/_templates/notices``.

Policy text is data. HTML templates autoescape everything; Markdown templates escape what could
make Markdown markup (links, images, raw HTML, emphasis) in every value; text templates drop
control characters (a terminal escape in a policy cannot reach a terminal). Links are checked:
only ``http``, ``https`` or relative ones are accepted.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import jinja2
from markupsafe import Markup

from analyzer.errors import PolicyError
from analyzer.model import LEVELS, Level, Report
from analyzer.notices.sentences import (
    PATTERNS_FILE,
    ChangeNote,
    Patterns,
    describe_changes,
    format_address,
    load_patterns,
)
from analyzer.templates import template_folder

__all__ = [
    "LANGUAGES",
    "NOTICE_KINDS",
    "TEMPLATES",
    "ChangeSentence",
    "ChangelogEntry",
    "NoticeContext",
    "NoticeCounts",
    "NoticeFormat",
    "NoticeKind",
    "NoticeLinks",
    "NoticeVersion",
    "archive_links",
    "build_context",
    "markdown_escape",
    "no_notice_reason",
    "notice_folders",
    "plain_text",
    "render_notice",
    "safe_link",
    "site_notices",
    "site_notices_from_json",
]

NoticeKind = Literal["popup", "changelog", "email"]
NoticeFormat = Literal["text", "html"]
NOTICE_KINDS: tuple[NoticeKind, ...] = get_args(NoticeKind)
LANGUAGES: tuple[str, ...] = ("en", "zh")
TEMPLATES: Mapping[tuple[NoticeKind, NoticeFormat], str] = {
    ("popup", "html"): "popup.html",
    ("popup", "text"): "popup.txt",
    ("changelog", "text"): "changelog.md",
    ("changelog", "html"): "changelog.html",
    ("email", "text"): "email.txt",
    ("email", "html"): "email.html",
}
"""The template of each kind and format, in ``notices/<lang>/``."""
DEFAULT_FORMAT: Mapping[NoticeKind, NoticeFormat] = {
    "popup": "html",
    "changelog": "text",
    "email": "text",
}


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
class NoticeLinks:
    """Where users read more; each is an ``http(s)`` or relative URL, or None."""

    changes: str | None = None
    """The page listing every change of the revision (the archive's revision page)."""
    policy: str | None = None
    """The policy's archive page (every version, every revision)."""
    new_version: str | None = None
    """The full text of the new version."""
    old_version: str | None = None
    """The full text of the old version."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "policy": self.policy,
            "new_version": self.new_version,
            "old_version": self.old_version,
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


# --------------------------------------------------------------------------- folders


def notice_folders(templates: Path | None = None) -> tuple[Path, ...]:
    """Where templates and sentence patterns are looked up, first match wins: ``templates``
    (when given), the repository's ``notices/`` (a source checkout), the copy in the package."""
    folders: list[Path] = []
    if templates is not None:
        if not templates.is_dir():
            raise PolicyError("templates folder not found", path=str(templates))
        folders.append(templates)
    shipped = template_folder("notices", f"en/{PATTERNS_FILE}")
    if shipped is not None:
        folders.append(shipped)
    return tuple(folders)


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise PolicyError(f"unsupported notice language {language!r} (expected en or zh)")
    return language


# --------------------------------------------------------------------------- links


_SAFE_URL_CHARS = "/:?#=&%@+,;~.-_!$*'"


def safe_link(url: str | None) -> str | None:
    """``url`` if it is an ``http``/``https`` or relative link, percent-encoding characters that
    could break out of Markdown or HTML; a ``javascript:``, ``data:`` … link is bad input."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("", "http", "https"):
        raise PolicyError(f"link {url!r}: only http, https or relative links are allowed")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise PolicyError(f"link {url!r}: a link cannot contain spaces or control characters")
    return urllib.parse.quote(url, safe=_SAFE_URL_CHARS)


_SOURCE_KEY = re.compile(
    r"(?P<version>\d{4}-\d{2}-\d{2}(?:-\d{1,3})?)"
    r"(?P<lang>\.(?!(?:md|markdown|txt|html?)$)[a-z]{2,3}(?:-[A-Za-z]{2,4})?)?"
    r"(?:\.(?:md|markdown|txt|html?))?$"
)


def archive_key(source: str, meta: Mapping[str, Any]) -> str | None:
    """The archive site's URL segment of a version: its id, with ``.<lang>`` when the file name
    carries a language (``2023-05-26.zh``); from the reference the user gave, else the front
    matter's ``version``."""
    tail = re.split(r"[/@:]", source)[-1]
    m = _SOURCE_KEY.fullmatch(tail)
    if m:
        return m.group("version") + (m.group("lang") or "")
    version = meta.get("version")
    return str(version) if version else None


def archive_links(
    base: str | None, policy: str | None, new_key: str | None, old_key: str | None
) -> NoticeLinks:
    """Links into the archive site built by ``policy site build`` under ``base`` (a URL or a
    relative path; '' for links relative to the site's root): the revision page
    ``<policy>/<version>/changes.html``, the policy page ``<policy>/index.html`` and the version
    pages ``<policy>/<version>/index.html`` (the site links ``index.html`` explicitly, so that it
    works from the disk too). None for what cannot be known."""
    if policy is None:
        return NoticeLinks()
    root = (base or "").rstrip("/")
    prefix = f"{root}/{policy}" if root else policy
    return NoticeLinks(
        changes=safe_link(f"{prefix}/{new_key}/changes.html") if new_key else None,
        policy=safe_link(f"{prefix}/index.html"),
        new_version=safe_link(f"{prefix}/{new_key}/index.html") if new_key else None,
        old_version=safe_link(f"{prefix}/{old_key}/index.html") if old_key else None,
    )


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


def site_notices(report: Report, *, language: str) -> dict[str, str]:
    """What the archive site shows of a revision's notices, by kind: ``popup``, the pop-up's
    words as its text preview (only for a revision that needed one), and ``changelog``, the
    change-log entry as an HTML fragment (a :class:`markupsafe.Markup`: made by an autoescaped
    template, so the site's own autoescaping leaves it as it is) whose headings start at level
    4. No links: the archive's pages are the pages they would point to. Nothing for a revision
    without changes. ``language`` falls back to English for a language without templates."""
    language = language if language in LANGUAGES else "en"
    out: dict[str, str] = {}
    if no_notice_reason(report, "changelog") is not None:
        return out
    context = build_context(report, language=language)
    if context.popup:
        out["popup"] = render_notice(context, "popup", "text")
    out["changelog"] = Markup(render_notice(context, "changelog", "html", heading=4))
    return out


SITE_HTML_KINDS = frozenset({"changelog"})
"""Kinds :func:`site_notices` returns as HTML fragments (the others are text)."""


def site_notices_from_json(data: Mapping[str, str]) -> dict[str, str]:
    """:func:`site_notices`' result as stored in JSON (every value a string) made whole again:
    the HTML fragments marked as such."""
    return {
        str(kind): Markup(text) if kind in SITE_HTML_KINDS else str(text)
        for kind, text in data.items()
    }


# --------------------------------------------------------------------------- rendering

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&!|~#])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def markdown_escape(value: Any) -> str:
    """A value as literal Markdown text: on one line (it cannot start a heading, a list or a
    block of HTML), with every character that could start inline markup (a link, an image,
    raw HTML, emphasis, code, a table cell) backslash-escaped and control characters dropped."""
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub("", str(value)).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_text(value: Any) -> str:
    """A value for a plain-text notice: control characters (terminal escapes, bidirectional
    overrides) dropped; everything else exactly as written."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def _html_value(value: Any) -> Any:
    """Autoescaping does the escaping; control characters are dropped first."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("", value)
    return "" if value is None else value


def _environment(folders: Sequence[Path], language: str, template: str) -> jinja2.Environment:
    """The environment for a template: one per output type (HTML, Markdown, text), kept for
    the process so that its compiled templates are reused (Jinja2 reloads a template whose file
    changed)."""
    suffix = template.rsplit(".", 1)[-1]
    return _cached_environment(tuple(folders), language, suffix)


@functools.lru_cache(maxsize=32)
def _cached_environment(
    folders: tuple[Path, ...], language: str, suffix: str
) -> jinja2.Environment:
    finalize: Callable[[Any], Any]
    if suffix == "html":
        finalize, autoescape = _html_value, True
    elif suffix == "md":
        finalize, autoescape = markdown_escape, False
    else:
        finalize, autoescape = plain_text, False
    return jinja2.Environment(
        # a language's own folder first, then the parts every language shares (``common/``:
        # the pop-up's style and script)
        loader=jinja2.FileSystemLoader(
            [str(f / language) for f in folders] + [str(f / "common") for f in folders]
        ),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_notice(
    context: NoticeContext,
    kind: NoticeKind,
    fmt: NoticeFormat | None = None,
    *,
    templates: Path | None = None,
    heading: int = 2,
) -> str:
    """The notice of ``kind`` in ``fmt`` (``text`` or ``html``; the kind's default when None),
    from the templates of the context's language. ``heading`` is the level of the fragment's
    first heading (the change log's ``<h2>`` or ``##``; 4 when the archive nests it under its
    own headings); the templates receive it as ``heading``."""
    fmt = fmt or DEFAULT_FORMAT[kind]
    name = TEMPLATES[(kind, fmt)]
    if not 1 <= heading <= 5:
        raise ValueError(f"heading level {heading} (expected 1-5)")
    env = _environment(notice_folders(templates), context.language, name)
    try:
        template = env.get_template(name)
        text = template.render(notice=context, heading=heading)
    except jinja2.TemplateNotFound:
        raise PolicyError(f"no template {context.language}/{name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise PolicyError(
            f"template syntax error: {exc.message}", path=exc.filename, line=exc.lineno
        ) from None
    except jinja2.UndefinedError as exc:
        raise PolicyError(f"template {context.language}/{name}: {exc.message}") from None
    # No trailing spaces, at most one blank line in a row, one final newline: templates stay
    # readable (a blank line around each block tag) and the output the same whatever the
    # editor's habits.
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
