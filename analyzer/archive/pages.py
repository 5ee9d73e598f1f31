"""The archive site's pages, from the site model to bytes: pure, no I/O beyond the templates.

:func:`plan_site` turns a :class:`Site` into one :class:`PageJob` per file, in a fixed order:
where the file goes, how to make it, and a fingerprint of everything it is made from (so that a
build can reuse a previous build's file whose fingerprint is unchanged); :func:`render_site`
makes them all. HTML comes from the Jinja2 templates in the top-level ``site/`` folder
(autoescape on: policy text is always escaped, never marked safe); the Atom feeds from
``feed.atom``; the JSON index, the per-version clause data for the compare page and the search
index are written here with :mod:`json`.

URL scheme (every link is relative, so the site works from any folder, a sub-path of a web
server, or straight from the disk)::

    index.html                              the policies
    index.json                              machine-readable index of every policy
    search/index.html, search/index.js      full-text search (page, static index)
    assets/…                                stylesheet, script, favicon
    <policy>/index.html                     timeline of versions + compare form
    <policy>/versions.json                  versions and revisions, for machines
    <policy>/feed.atom                      one entry per published revision
    <policy>/latest/index.html              forwards to the current version
    <policy>/compare/index.html             any two versions, side by side (JavaScript)
    <policy>/<version>/index.html           the full text, an anchor on every clause
    <policy>/<version>/changes.html         the revision into this version
    <policy>/<version>/clauses.js           the version's clauses by anchor (compare data)
    <policy>/<version>/facts.json           what the version says (policy-facts/1)
    <policy>/clause/<anchor>.html           one clause over time

``<version>`` is the version id, with ``.<lang>`` for a file whose name carries a language
(``2023-05-26``, ``2023-02-22-2``, ``2023-05-26.zh``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from analyzer.archive.data import ChangeRow, clause_text
from analyzer.archive.site import Site, SitePolicy, SiteVersion, clause_nodes, lineages
from analyzer.facts.labels import fact_name
from analyzer.model import Clause, ClauseTree
from analyzer.statements.summary import (
    RELATED,
    SECTIONS,
    Entry,
    EntryChange,
    RightEntry,
    compare_policy_facts,
)
from analyzer.text.compiled import regex
from analyzer.text.normalize import json_invisible, visible
from analyzer.text.version_ids import parse_version_id

ASSETS = ("site.css", "site.js", "favicon.svg")
"""Static files copied from ``site/assets/`` into ``assets/``."""
SITE_SCHEMA = "policy-archive/1"
_XML_INVALID = regex("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_NAMESPACE = uuid.UUID("5f0b1c2e-8d3a-4c55-9a57-3c1f0f2a6b10")
"""Fixed namespace for the ``urn:uuid:`` ids of Atom feeds and entries (no base URL given)."""


# -- the Jinja2 environment ---------------------------------------------------------------------


def template_environment(folder: Path, bytecode: Path | None = None) -> jinja2.Environment:
    """Jinja2 over ``folder/templates``, autoescaping everything, failing on undefined names.
    ``bytecode`` is a folder where compiled templates are kept between builds (Jinja checks
    each against its source's checksum, and writes it atomically)."""
    if bytecode is not None:
        bytecode.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder / "templates")),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode)) if bytecode else None,
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = _paragraphs
    env.filters["xmltext"] = _xml_text
    # an HTML fragment made by another autoescaped template (the notices), shown as it is
    env.tests["markup"] = lambda value: isinstance(value, markupsafe.Markup)
    return env


def _paragraphs(text: str) -> list[str]:
    """A clause's text cut at blank lines (each part is escaped by the template)."""
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


def _xml_text(text: str) -> str:
    """Remove characters XML 1.0 forbids (the template still escapes the rest)."""
    return _XML_INVALID.sub("", text)


# -- the renderer -----------------------------------------------------------------------------------


Page = tuple[str, bytes]


@dataclass(frozen=True)
class PageJob:
    """One file of the site: where it goes, how to make it, and what it depends on."""

    path: str
    """Relative path in the site (``<policy>/<version>/index.html``)."""
    render: Callable[[], bytes]
    """Makes the file's bytes."""
    fingerprint: str | None = None
    """Digest of everything the file is made from (templates, code, the data it shows); a
    previous build's file with the same fingerprint can be reused as is. None: always made."""


def render_site(site: Site, folder: Path) -> Iterator[Page]:
    """Every file of the site, ``(relative path, bytes)``, in a fixed order."""
    for job in plan_site(site, folder):
        yield job.path, job.render()


def folder_fingerprint(folder: Path) -> str:
    """Digest of the templates and assets in ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_site(
    site: Site, folder: Path, *, code: str = "", bytecode: Path | None = None
) -> list[PageJob]:
    """The jobs that make every file of the site, in a fixed order.

    ``code`` names the analyzer's code (see :func:`analyzer.archive.cache.code_fingerprint`); it goes
    into every fingerprint with the templates, so that a new template or renderer never reuses
    an old page. ``bytecode`` keeps the compiled templates between builds.
    """
    env = template_environment(folder, bytecode)
    base = hashlib.sha256(f"{folder_fingerprint(folder)}\n{code}\n{site.title}".encode())

    def fingerprint(*parts: Any) -> str:
        digest = base.copy()
        digest.update(json.dumps(parts, sort_keys=True, default=str).encode("utf-8"))
        return digest.hexdigest()

    def page(template: str, depth: int, **context: Any) -> Callable[[], bytes]:
        return lambda: _page(env, template, depth, site=site, **context)

    jobs = []
    for name in ASSETS:
        data = (folder / "assets" / name).read_bytes()
        jobs.append(
            PageJob(f"assets/{name}", functools.partial(bytes, data), fingerprint(data.hex()))
        )
    jobs.append(PageJob("index.html", page("home.html", 0, policies=_home_rows(site))))
    jobs.append(PageJob("index.json", lambda: _json(_site_index(site))))
    jobs.append(PageJob("search/index.html", page("search.html", 1)))
    jobs.append(PageJob("search/index.js", lambda: _script("search", _search_index(site))))
    for policy in site.policies:
        jobs.extend(_policy_jobs(env, site, policy, page, fingerprint))
    return jobs


def _page(env: jinja2.Environment, template: str, depth: int, **context: Any) -> bytes:
    root = "../" * depth
    html = env.get_template(template).render(root=root, **context)
    return html.encode("utf-8")


def _json(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return (json_invisible(text) + "\n").encode("utf-8")


def _script(kind: str, data: Any) -> bytes:
    """A data file the site's script loads with a ``<script src>`` (works from ``file://``):
    one call with JSON whose ``<``, ``>`` and ``&`` are escaped, so it can never end a tag.
    Policy text in it has its controls and bidirectional characters written out
    (:func:`analyzer.text.normalize.visible`): the script puts it on the page as it is."""
    text = json.dumps(_visible_data(data), ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.policyArchive.receive({json.dumps(kind)},{text});\n".encode("ascii")


def _visible_data(data: Any) -> Any:
    if isinstance(data, str):
        return visible(data)
    if isinstance(data, list | tuple):
        return [_visible_data(item) for item in data]
    if isinstance(data, dict):
        return {visible(str(k)): _visible_data(v) for k, v in data.items()}
    return data


def _shown(value: Any) -> Any:
    """Every ``{{ value }}`` of a template: policy text with its controls and bidirectional
    characters written out (autoescaping then escapes the HTML); fragments already made by an
    autoescaped template (the notices) as they are."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible(value)
    return value


@dataclass(frozen=True)
class FactRow:
    """One entry of what a version says, as a page shows it."""

    name: str
    """The entry's name, ``not …`` for a denial."""
    tags: tuple[str, ...]
    """``sensitive``, a place's roles (``storage``, ``transfer``), ``hotline`` …"""
    actions: tuple[str, ...]
    words: tuple[str, ...]
    """The policy's words, when they say more than the name."""
    clauses: tuple[tuple[str, str], ...]
    """(address, anchor) of each clause that states it."""
    details: tuple[tuple[str, str], ...] = ()
    """For a right: (``how`` / ``reply within`` / ``fees``, what the policy says)."""
    version: str = ""
    """Key of the version whose anchors :attr:`clauses` point into."""


@dataclass(frozen=True)
class FactTopic:
    """The entries of one topic (categories, recipients, rights …)."""

    key: str
    title: str
    rows: tuple[FactRow, ...]
    removed: tuple[FactRow, ...] = ()
    """On a revision page: entries the previous version stated and this one no longer does."""
    changed: tuple[FactRow, ...] = ()
    """On a revision page: entries both state, with something else stated with them."""


def _fact_row(entry: Entry, version: SiteVersion, right: RightEntry | None = None) -> FactRow:
    words = tuple(
        " ".join(w.split())
        for w in entry.words
        if " ".join(w.split()).casefold() != entry.name.casefold()
    )
    details: list[tuple[str, str]] = []
    if right is not None:
        for label, entries in (
            ("how", right.channels),
            ("reply within", right.deadlines),
            ("fees", right.fees),
        ):
            if entries:
                details.append((label, "; ".join(e.shown for e in entries)))
    tags = (("sensitive",) if entry.sensitive else ()) + entry.subtypes + entry.roles
    if entry.status == "limited":
        tags += ("limited",)
    if entry.related and right is None:
        kind, field = RELATED[entry.kind]
        label = "receives" if field == "receives" else "for"
        details.append((label, ", ".join(fact_name(kind, v) for v in entry.related)))
    return FactRow(
        name=entry.shown,
        tags=tags,
        actions=entry.actions,
        words=words,
        clauses=tuple(
            (address, version.anchors.get(cid, ""))
            for address, cid in zip(entry.clauses, entry.clause_ids, strict=False)
        ),
        details=tuple(details),
        version=version.key,
    )


def fact_topics(version: SiteVersion) -> list[FactTopic]:
    """What a version says, topic by topic, for its page (topics with no entry left out)."""
    facts = version.facts
    if facts is None:
        return []
    rights = {r.right.key: r for r in facts.rights}
    out = []
    for key, title in SECTIONS:
        entries = facts.section(key)
        if entries:
            rows = tuple(_fact_row(e, version, rights.get(e.key)) for e in entries)
            out.append(FactTopic(key, title, rows))
    return out


def fact_changes(old: SiteVersion, new: SiteVersion) -> list[FactTopic]:
    """What a revision changed in what the policy says: per topic, the entries the new version
    states and the old did not (:attr:`FactTopic.rows`, linked into the new version) and those
    it no longer states (:attr:`FactTopic.removed`, linked into the old one)."""
    if old.facts is None or new.facts is None:
        return []
    delta = compare_policy_facts(old.facts, new.facts)
    return [
        FactTopic(
            key,
            title,
            tuple(_fact_row(e, new) for e in added),
            tuple(_fact_row(e, old) for e in removed),
            tuple(_changed_row(c, new) for c in changed),
        )
        for key, title, added, removed, changed in delta.topics()
    ]


def _changed_row(change: EntryChange, version: SiteVersion) -> FactRow:
    row = _fact_row(change.new, version)
    details = []
    if change.gained:
        details.append(("now also", ", ".join(change.names(change.gained))))
    if change.lost:
        details.append(("no longer", ", ".join(change.names(change.lost))))
    return replace(row, details=tuple(details))


def _revision_state(version: SiteVersion | None) -> Any:
    """What pages other than the revision page show of a revision."""
    if version is None or version.revision is None:
        return None
    return [version.revision.level, version.revision.headline]


def _policy_jobs(
    env: jinja2.Environment,
    site: Site,
    policy: SitePolicy,
    page: Callable[..., Callable[[], bytes]],
    fingerprint: Callable[..., str],
) -> Iterator[PageJob]:
    by_key = policy.by_key()
    timeline = list(reversed(policy.versions))
    current = by_key[policy.current]
    pid = policy.id
    yield PageJob(
        f"{pid}/index.html", page("policy.html", 1, policy=policy, timeline=timeline, by_key=by_key)
    )
    yield PageJob(f"{pid}/versions.json", lambda: _json(_policy_index(site, policy)))
    yield PageJob(f"{pid}/feed.atom", lambda: _feed(env, site, policy))
    yield PageJob(f"{pid}/latest/index.html", page("latest.html", 2, policy=policy, target=current))
    yield PageJob(
        f"{pid}/compare/index.html", page("compare.html", 2, policy=policy, timeline=timeline)
    )
    for version in policy.versions:
        base = f"{pid}/{version.key}"
        nxt = by_key[version.next] if version.next else None
        yield PageJob(
            f"{base}/index.html",
            page(
                "version.html",
                2,
                policy=policy,
                version=version,
                current=current,
                by_key=by_key,
                nodes=lambda version=version: clause_nodes(version.tree, version.anchors),
                facts=lambda version=version: fact_topics(version),
            ),
            fingerprint(
                "version",
                policy.id,
                policy.title,
                version.fingerprint,
                version.facts.to_dict() if version.facts else None,
                version.previous,
                None if version.published else current.key,  # only a draft's banner names it
                _revision_state(version),
                dict(version.notices),
                None if nxt is None else [nxt.fingerprint, _revision_state(nxt)],
            ),
        )
        if version.revision is not None and version.previous is not None:
            old = by_key[version.previous]
            revision = version.revision
            yield PageJob(
                f"{base}/changes.html",
                page(
                    "revision.html",
                    2,
                    policy=policy,
                    version=version,
                    old=old,
                    revision=revision,
                    sections=lambda old=old, version=version: _sections(
                        version.revision.changes if version.revision else (), old.tree, version.tree
                    ),
                    facts=lambda old=old, version=version: fact_changes(old, version),
                ),
                fingerprint(
                    "revision",
                    policy.id,
                    policy.title,
                    version.fingerprint,
                    old.fingerprint,
                    [v.facts.to_dict() if v.facts else None for v in (old, version)],
                    revision.to_dict(),
                    dict(version.notices),
                ),
            )
        if version.facts is not None:
            yield PageJob(
                f"{base}/facts.json",
                functools.partial(lambda facts: _json(facts.to_dict()), version.facts),
                fingerprint("facts", policy.id, version.facts.to_dict()),
            )
        yield PageJob(
            f"{base}/clauses.js",
            functools.partial(_clause_script, policy, version),
            fingerprint("clauses", policy.id, version.fingerprint),
        )
    for lineage in lineages(policy):
        yield PageJob(
            f"{pid}/clause/{lineage.anchor}.html",
            page("clause.html", 2, policy=policy, lineage=lineage),
            fingerprint(
                "clause",
                policy.id,
                policy.title,
                lineage.anchor,
                [seg.state() for seg in lineage.segments],
                [[r.to_dict(), name] for r, name in lineage.relations],
            ),
        )


@dataclass(frozen=True)
class ChangeSection:
    """Consecutive changes under one top-level section of the new (or old) version."""

    title: str
    changes: tuple[ChangeRow, ...]


def _tops(tree: ClauseTree) -> dict[str, Clause]:
    """Clause id -> its top-level ancestor (itself at the top)."""
    index = tree.by_id()
    out: dict[str, Clause] = {}
    for clause in tree.clauses:
        parent = index.get(clause.parent) if clause.parent else None
        out[clause.id] = out.get(parent.id, parent) if parent is not None else clause
    return out


def _sections(
    changes: Sequence[ChangeRow], old: ClauseTree, new: ClauseTree
) -> list[ChangeSection]:
    """Changes grouped under the top-level section they sit in (of the new version; of the old
    one for a removal), in page order; a section appears again when the order leaves it."""
    old_tops, new_tops = _tops(old), _tops(new)
    out: list[ChangeSection] = []
    for row in changes:
        top = new_tops[row.new[0].id] if row.new else old_tops[row.old[0].id]
        if top.kind == "preamble":
            label = "Preamble"
        else:
            label = " ".join(p for p in (top.label, top.heading) if p) or top.address
        if out and out[-1].title == label:
            out[-1] = ChangeSection(label, (*out[-1].changes, row))
        else:
            out.append(ChangeSection(label, (row,)))
    return out


# -- machine-readable files ------------------------------------------------------------------------


def _home_rows(site: Site) -> list[dict[str, Any]]:
    rows = []
    for policy in site.policies:
        by_key = policy.by_key()
        current = by_key[policy.current]
        changed = [v for v in policy.versions if v.revision is not None and v.published]
        rows.append(
            {
                "policy": policy,
                "current": current,
                "last": changed[-1] if changed else None,
                "count": len(policy.versions),
                "drafts": [v for v in policy.versions if not v.published],
            }
        )
    return rows


def _version_record(version: SiteVersion) -> dict[str, Any]:
    revision = version.revision
    return {
        "version": version.version,
        "key": version.key,
        "language": version.language,
        "date": version.date,
        "updated": version.updated,
        "effective": version.effective,
        "status": version.status,
        "declared_notice": version.notice,
        "example": version.example,
        "sha256": version.tree.sha256,
        "clauses": len(version.tree.clauses),
        "previous": version.previous,
        "next": version.next,
        "url": f"{version.key}/index.html",
        "facts": f"{version.key}/facts.json" if version.facts is not None else None,
        "revision": None
        if revision is None
        else {
            "from": version.previous,
            "level": revision.level,
            "headline": revision.headline,
            "reasons": list(revision.reasons),
            "counts": dict(revision.counts or {}),
            "url": f"{version.key}/changes.html",
        },
    }


def _policy_index(site: Site, policy: SitePolicy) -> dict[str, Any]:
    return {
        "schema": SITE_SCHEMA,
        "policy": policy.id,
        "title": policy.title,
        "current": policy.current,
        "feed": "feed.atom",
        "versions": [_version_record(v) for v in policy.versions],
    }


def _site_index(site: Site) -> dict[str, Any]:
    return {
        "schema": SITE_SCHEMA,
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "current": p.current,
                "versions": len(p.versions),
                "index": f"{p.id}/versions.json",
                "feed": f"{p.id}/feed.atom",
                "url": f"{p.id}/index.html",
            }
            for p in site.policies
        ],
    }


def _clause_script(policy: SitePolicy, version: SiteVersion) -> bytes:
    return _script("clauses", _clause_data(policy, version))


def _clause_data(policy: SitePolicy, version: SiteVersion) -> dict[str, Any]:
    """What the compare page needs of a version: its clauses in order, by anchor."""
    return {
        "policy": policy.id,
        "key": version.key,
        "date": version.date,
        "clauses": [
            [version.anchors[c.id], c.address, c.depth, c.heading or "", c.text]
            for c in version.tree.clauses
        ],
    }


def _search_index(site: Site) -> dict[str, Any]:
    """Every distinct wording of every clause, with the versions it appears in (as ranges of
    version positions), so that a search finds a clause once per wording, not once per version."""
    policies = []
    docs: list[list[Any]] = []
    for p_index, policy in enumerate(site.policies):
        keys = [v.key for v in policy.versions]
        policies.append([policy.id, policy.title, keys])
        found: dict[tuple[str, str, str], list[int]] = {}
        first: dict[tuple[str, str, str], Clause] = {}
        for v_index, version in enumerate(policy.versions):
            for clause in version.tree.clauses:
                words = clause_text(clause)
                if not words.strip():
                    continue
                key = (version.anchors[clause.id], clause.address, words)
                found.setdefault(key, []).append(v_index)
                first.setdefault(key, clause)
        for (anchor, address, words), positions in found.items():
            docs.append([p_index, anchor, address, words, _ranges(positions)])
    return {"policies": policies, "docs": docs}


def _ranges(positions: Sequence[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for p in positions:
        if out and out[-1][1] == p - 1:
            out[-1][1] = p
        else:
            out.append([p, p])
    return out


# -- the Atom feed ------------------------------------------------------------------------------------


def _atom_time(day: str, version: str) -> str:
    """Midnight (UTC) of ``day``, and for the N-th version of a day N - 1 seconds past it, so
    that feed readers keep a day's versions in their order."""
    parsed = parse_version_id(version)
    later = dt.timedelta(seconds=parsed.n - 1 if parsed is not None else 0)
    try:
        moment = dt.datetime.combine(dt.date.fromisoformat(day[:10]), dt.time()) + later
    except ValueError:
        return "1970-01-01T00:00:00Z"
    return moment.isoformat() + "Z"


def _feed(env: jinja2.Environment, site: Site, policy: SitePolicy) -> bytes:
    """Atom 1.0: one entry per revision into a published version, newest first; every date
    comes from the versions (``updated`` of the front matter, else the version date)."""
    entries: list[dict[str, Any]] = []
    for version in reversed(policy.versions):
        if version.revision is None or not version.published:
            continue
        link = f"{version.key}/changes.html"
        entries.append(
            {
                "version": version,
                "revision": version.revision,
                "updated": _atom_time(version.updated or version.date, version.version),
                "link": _absolute(site, f"{policy.id}/{link}") or link,
                "id": _feed_id(site, f"{policy.id}/{link}"),
            }
        )
    published = [v for v in policy.versions if v.published] or list(policy.versions)
    updated = max(_atom_time(v.updated or v.date, v.version) for v in published)
    xml = env.get_template("feed.atom").render(
        site=site,
        policy=policy,
        entries=entries,
        updated=updated,
        feed_id=_feed_id(site, f"{policy.id}/"),
        self_link=_absolute(site, f"{policy.id}/feed.atom") or "feed.atom",
        alternate=_absolute(site, f"{policy.id}/index.html") or "index.html",
    )
    return xml.encode("utf-8")


def _absolute(site: Site, path: str) -> str | None:
    if not site.base_url:
        return None
    return site.base_url.rstrip("/") + "/" + path


def _feed_id(site: Site, path: str) -> str:
    absolute = _absolute(site, path)
    if absolute:
        return absolute
    return uuid.uuid5(_ID_NAMESPACE, path).urn
