"""What the rules see: each file of the versions folder read into a :class:`VersionRecord`
(name, front matter, text, the line of each front-matter key), and the four contexts a rule
is given (:class:`VersionContext`, :class:`RevisionContext`, :class:`PolicyContext`,
:class:`EditContext`), with the grouping of versions into chains of one policy and language.

Pure: it reads a :data:`~analyzer.store.snapshot.Snapshot` (path -> bytes), never the disk.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from analyzer.check.model import RevisionJudgement
from analyzer.errors import PolicyError
from analyzer.model import FRONT_MATTER_FIELDS, LEVELS, Document, Level
from analyzer.parse.frontmatter import front_matter_date
from analyzer.parse.ingest import decode, read_document
from analyzer.store.ledger import LEDGER
from analyzer.store.snapshot import Snapshot
from analyzer.store.versions import PolicyConfig, match_version_file, parse_policy_config
from analyzer.text.version_ids import parse_version_id, version_order

CONFIG = "policy.yaml"
REQUIRED_FIELDS = FRONT_MATTER_FIELDS
STATUSES = ("published", "draft")
TEXT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
"""A file with one of these extensions in a policy folder is meant to be a version."""


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


def shower(versions: str) -> Callable[[str], str]:
    prefix = versions.rstrip("/")

    def show(relative: str) -> str:
        return relative if prefix in ("", ".") else f"{prefix}/{relative}"

    return show


def folders(snapshot: Snapshot) -> set[str]:
    return {rel.split("/")[0] for rel in snapshot if "/" in rel}


def read_configs(
    current: Snapshot, show: Callable[[str], str], only: set[str] | None
) -> dict[str, PolicyConfig | None]:
    """Each policy folder's configuration (None: no policy.yaml), for the folders in ``only``
    (all when None). A malformed one is bad input."""
    configs: dict[str, PolicyConfig | None] = {}
    for folder in sorted(folders(current)):
        if only is not None and folder not in only:
            continue
        rel = f"{folder}/{CONFIG}"
        data = current.get(rel)
        if data is None:
            configs[folder] = None
            continue
        configs[folder] = parse_policy_config(decode(data, show(rel)), folder, show(rel))
    return configs


def is_versionish(relative: str) -> bool:
    """A version file, or a file meant to be one (a text file in a policy folder)."""
    path = PurePosixPath(relative)
    if match_version_file(path.name):
        return True
    if len(path.parts) != 2 or path.name == CONFIG or path.name == LEDGER:
        return False
    return path.suffix.lower() in TEXT_EXTENSIONS and not path.name.upper().startswith("README")


def read_record(relative: str, data: bytes, show: Callable[[str], str]) -> VersionRecord:
    path = PurePosixPath(relative)
    match = match_version_file(path.name)
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


def group_chains(
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
        members.sort(key=lambda r: (version_order(r.version or ""), r.relative))
    return groups, language_of


def base_predecessors(
    files: Snapshot, configs: Mapping[str, PolicyConfig | None]
) -> dict[str, str | None]:
    """Each version's predecessor at the base, from the file names alone."""
    groups: dict[tuple[str, str], list[tuple[tuple[str, int], str]]] = {}
    for rel in files:
        path = PurePosixPath(rel)
        match = match_version_file(path.name)
        if match is None or len(path.parts) != 2:
            continue
        config = configs.get(path.parts[0])
        language = match["lang"] or (config.languages[0] if config is not None else "en")
        groups.setdefault((path.parts[0], language), []).append(
            (version_order(match["version"]), rel)
        )
    result: dict[str, str | None] = {}
    for members in groups.values():
        previous: str | None = None
        for _key, rel in sorted(members):
            result[rel] = previous
            previous = rel
    return result


def ledger_text(data: bytes | None, source: str) -> str | None:
    if data is None:
        return None
    return decode(data, source) if data.strip() else ""


def was_published(data: bytes) -> bool:
    """Whether a file's front matter says ``status: published`` (unreadable: no)."""
    try:
        document = read_document(data, "base")
    except PolicyError:
        return False
    return document.meta.get("status") == "published"


def file_text(data: bytes) -> str:
    try:
        return decode(data, "file").replace("\r\n", "\n").replace("\r", "\n")
    except PolicyError:
        return data.decode("utf-8", "replace")


def first_difference(before: str, after: str) -> int:
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
        version=as_version(meta.get("version")),
        updated=front_matter_date(meta.get("updated")),
        effective=front_matter_date(meta.get("effective")),
        status=status if isinstance(status, str) else None,
        notice=notice if notice in LEVELS else None,
        notice_raw=str(notice) if notice is not None else None,
    )


def as_version(value: Any) -> str | None:
    """The version id a front matter's ``version:`` holds (a YAML date or a ``YYYY-MM-DD[-N]``
    string), None when it holds none."""
    parsed = parse_version_id(value)
    return str(parsed) if parsed is not None else None


def version_date(version: str | None) -> dt.date | None:
    parsed = parse_version_id(version)
    return parsed.day if parsed is not None else None


def ledger_key(rec: VersionRecord) -> str:
    """How ``PUBLISHED`` names a version: ``2023-05-26`` or ``2023-05-26.zh``."""
    return f"{rec.version}.{rec.suffix}" if rec.suffix else f"{rec.version}"
