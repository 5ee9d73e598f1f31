"""Importing a policy's past: many versions from one history (a git file's commits, an Open
Terms Archive dataset, a folder of dated files) written into the store in order.

A history importer (:mod:`~analyzer.store.git_history`, :mod:`~analyzer.store.dated_files`)
lists what it found as :class:`Incoming` versions, oldest first; :func:`import_history` gives
each an id and writes it:

- a version whose ``source:`` is already in the policy (an earlier run) is skipped, so running
  the same import again brings in only what is new, and never overwrites anything;
- a version whose text equals the one before it (a rename, a whitespace-only commit) is skipped;
- a version that cannot be read (binary, not UTF-8, empty) is refused with the reason and a
  warning naming it, and the import goes on;
- the id is the date the history gives (``YYYY-MM-DD``), ``-2``, ``-3`` … for later versions of
  that day, always after the version it follows (:func:`~analyzer.text.version_ids.free_id`);
- each version file is written whole (a temporary file renamed into place), so an import that
  is interrupted leaves whole versions and runs on from there the next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analyzer.errors import PolicyError
from analyzer.model import Document
from analyzer.parse.ingest import read_document
from analyzer.store.versions import POLICY_ID, Store, VersionFile
from analyzer.text.normalize import detect_language
from analyzer.text.version_ids import VersionId, free_id, parse_version_id

__all__ = [
    "ImportInterrupted",
    "ImportResult",
    "Incoming",
    "Progress",
    "Target",
    "import_history",
    "parse_day",
]

Progress = Callable[[int, int, "str | None"], None]
"""Called as each version is handled: ``(done, total, what became of it)``; None for a
version refused (its warning says why)."""


@dataclass(frozen=True)
class Incoming:
    """One version a history holds, before it is read."""

    source: str
    """Where it comes from, as the version's ``source:`` front matter records it
    (``git:<commit>:<path>``, ``ota:<service>/<terms type>/<file>``, ``file:<name>``)."""
    day: dt.date
    """The date its id is made from."""
    name: str
    """A file name for the format (``.md``, ``.txt``, ``.html``)."""
    label: str
    """How messages name it (``commit 1a2b3c4 (2023-02-22)``, a file path)."""
    read: Callable[[], bytes]
    """Its bytes (a :class:`PolicyError` when they cannot be had)."""
    preferred: VersionId | None = None
    """The id its own name gives (a dated file named ``2023-02-22-2.md``), taken when free."""


@dataclass(frozen=True)
class Target:
    """Where a history goes: one policy of the store, and how its new versions are written."""

    policy: str
    published: bool = False
    """Write ``status: published`` (and record the versions in ``PUBLISHED``), else ``draft``."""
    title: str | None = None
    """The title a version without its own gets (else its first line)."""
    notice: str = "publish"
    """The ``notice:`` every new version declares."""
    config: Mapping[str, Any] = field(default_factory=dict)
    """Extra keys for a ``policy.yaml`` made by this import (where the history comes from)."""


@dataclass
class ImportResult:
    """What an import did, for the summary."""

    policy: str
    imported: list[tuple[str, str]] = field(default_factory=list)
    """(version id, what it came from) of each version written."""
    present: list[tuple[str, str]] = field(default_factory=list)
    """(what, the version that holds it) of each version already imported."""
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    """(what, the version with the same text) of each version skipped as no change."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(what, why) of each version that could not be imported."""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: how many were imported, skipped and refused."""
        skipped = len(self.present) + len(self.unchanged)
        parts = [f"{len(self.imported)} imported", f"{skipped} skipped"]
        if skipped:
            parts[-1] += (
                f" ({len(self.present)} already present, {len(self.unchanged)} without a change)"
            )
        parts.append(f"{len(self.refused)} refused")
        return f"{self.policy}: " + ", ".join(parts)

    def report(self) -> list[str]:
        """The summary, then each version skipped for having no change and each refused."""
        lines = [self.summary()]
        lines += [f"  skipped {what}: the same text as {same}" for what, same in self.unchanged]
        lines += [f"  refused {what}: {why}" for what, why in self.refused]
        return lines


class ImportInterrupted(Exception):
    """The import was interrupted (Ctrl-C); ``result`` says what was done before."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("import interrupted")
        self.result = result


@dataclass
class _Chain:
    """One language's versions of the policy while the import runs."""

    taken: list[VersionId]
    last: VersionId | None = None
    """The id of the version the next one follows."""
    last_hash: str | None = None
    """The text hash of that version."""


def import_history(
    store: Store,
    target: Target,
    incoming: Sequence[Incoming],
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Write the versions of ``incoming`` (oldest first) into ``target.policy``; see the module
    docstring. Raises :class:`PolicyError` when nothing could be imported because every version
    was refused, :class:`ImportInterrupted` on Ctrl-C."""
    if not POLICY_ID.match(target.policy):
        raise PolicyError(
            f"invalid policy id {target.policy!r} (use lower-case letters, digits, -)"
        )
    result = ImportResult(target.policy)
    existing = _existing(store, target.policy)
    by_source = {e.source: e for e in existing if e.source is not None}
    chains: dict[str, _Chain] = {}
    try:
        for done, item in enumerate(incoming, start=1):
            outcome = _one(store, target, item, existing, by_source, chains, result)
            if progress is not None:
                progress(done, len(incoming), outcome)
    except KeyboardInterrupt:
        raise ImportInterrupted(result) from None
    if target.published:
        _record(store, target.policy, {i.source for i in incoming})
    if result.refused and not (result.imported or result.present or result.unchanged):
        what, why = result.refused[0]
        more = f" (and {len(result.refused) - 1} more)" if len(result.refused) > 1 else ""
        raise PolicyError(f"nothing imported: {what}: {why}{more}")
    return result


@dataclass(frozen=True)
class _Existing:
    """A version already in the policy: its id, language, source and text hash."""

    item: VersionFile
    language: str
    source: str | None
    sha256: str
    status: Any


def _existing(store: Store, policy: str) -> list[_Existing]:
    if not (store.root / policy).is_dir():
        return []
    main = store.config(policy).languages[0]
    found = []
    for item in store.versions(policy):
        try:
            document = store.load(item)
        except PolicyError:
            continue  # an unreadable version of the store is the check's business
        source = document.meta.get("source")
        language = item.language or main
        found.append(
            _Existing(
                item,
                language,
                source if isinstance(source, str) else None,
                document.sha256,
                document.meta.get("status"),
            )
        )
    return found


def _chain(chains: dict[str, _Chain], existing: Iterable[_Existing], language: str) -> _Chain:
    """The running state of ``language``'s versions: every id taken in it so far."""
    if language not in chains:
        chains[language] = _Chain([e.item.id for e in existing if e.language == language])
    return chains[language]


def _one(
    store: Store,
    target: Target,
    item: Incoming,
    existing: list[_Existing],
    by_source: Mapping[str, _Existing],
    chains: dict[str, _Chain],
    result: ImportResult,
) -> str | None:
    """Import, skip or refuse one incoming version; what became of it (None: refused)."""
    holder = by_source.get(item.source)
    if holder is not None:
        chain = _chain(chains, existing, holder.language)
        chain.last, chain.last_hash = holder.item.id, holder.sha256
        result.present.append((item.label, holder.item.ref))
        return f"{item.label}: already present as {holder.item.ref}"
    try:
        document = read_document(item.read(), item.label, name=item.name)
        language = _language(document)
    except PolicyError as exc:
        result.refused.append((item.label, exc.reason))
        result.warnings.append(f"{item.label} skipped: {exc.reason}")
        return None
    chain = _chain(chains, existing, language)
    if chain.last is not None and chain.last_hash == document.sha256:
        result.unchanged.append((item.label, f"{target.policy}@{chain.last}"))
        return f"{item.label}: no change since {target.policy}@{chain.last}"
    version = _id_for(item, chain)
    if chain.last is not None and version.day > item.day:
        result.warnings.append(
            f"{item.label} is dated {item.day} but comes after {chain.last}: imported as {version}"
        )
    own = document.meta.get("title")
    title = (own if isinstance(own, str) and own.strip() else None) or _heading(document)
    config = {"title": target.title, **target.config} if target.title else dict(target.config)
    day = item.day.isoformat()
    try:
        store.add_version(
            document,
            policy=target.policy,
            version=str(version),
            updated=day,
            effective=day,
            title=title or target.title,
            language=language,
            notice=target.notice,
            status="published" if target.published else "draft",
            source=item.source,
            config=config,
        )
    except PolicyError as exc:
        result.refused.append((item.label, exc.reason))
        result.warnings.append(f"{item.label} skipped: {exc.reason}")
        return None
    chain.taken.append(version)
    chain.last, chain.last_hash = version, document.sha256
    result.imported.append((str(version), item.label))
    return f"{item.label}: imported as {target.policy}@{version}"


def _language(document: Document) -> str:
    declared = document.meta.get("language")
    if isinstance(declared, str) and declared:
        return declared
    return detect_language(document.text)


def _heading(document: Document) -> str | None:
    from analyzer.parse.tree import first_heading

    return first_heading(document)


def _id_for(item: Incoming, chain: _Chain) -> VersionId:
    """The id ``item`` gets: its own name's when free and in order, else the next free one of
    its day after the version it follows."""
    wanted = item.preferred
    if (
        wanted is not None
        and wanted not in chain.taken
        and (chain.last is None or wanted > chain.last)
    ):
        return wanted
    return free_id(item.day, chain.taken, after=chain.last)


def _record(store: Store, policy: str, sources: set[str]) -> None:
    """Record in ``PUBLISHED`` every published version of this history it lacks (also those an
    interrupted run wrote)."""
    if not (store.root / policy).is_dir():
        return
    mine = [
        e.item for e in _existing(store, policy) if e.source in sources and e.status == "published"
    ]
    store.record_published(policy, mine)


def parse_day(value: str, option: str) -> dt.date:
    """A ``--since`` style date option."""
    parsed = parse_version_id(value)
    if parsed is None or parsed.n != 1:
        raise PolicyError(f"{option} must be a date YYYY-MM-DD, not {value!r}")
    return parsed.day
