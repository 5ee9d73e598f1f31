"""The versions store: ``policy_versions/<policy>/<version>[.<lang>].md`` plus ``policy.yaml``, where
a version id is ``YYYY-MM-DD`` or ``YYYY-MM-DD-N`` (:mod:`analyzer.text.version_ids`).

This module and the CLI are the only places that touch the disk or git. It turns references the
user types (a path, ``POLICY@VERSION``, ``git:REV:PATH``) into :class:`Document` objects, lists
policies and versions, and writes new versions (import) without ever overwriting one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.errors import PolicyError
from analyzer.model import Document
from analyzer.parse.frontmatter import front_matter_date, load_yaml, parse_front_matter
from analyzer.parse.ingest import Revisions, decode, read_document
from analyzer.store.files import check_inside, read_bytes, write_atomic
from analyzer.store.git import read_blob
from analyzer.store.ledger import GENESIS, LEDGER, LedgerEntry, chain_hash, read_ledger
from analyzer.text.compiled import regex
from analyzer.text.normalize import detect_language, normalize_text
from analyzer.text.version_ids import (
    ID_PATTERN,
    VersionId,
    free_id,
    parse_version_id,
    version_order,
)

DEFAULT_ROOT = Path("policy_versions")
POLICY_ID = regex(r"^[a-z0-9][a-z0-9._-]{0,99}$")
VERSION_ID = regex(rf"^{ID_PATTERN}$")
"""The shape of a version id (``YYYY-MM-DD`` or ``YYYY-MM-DD-N``); :func:`parse_version_id`
also checks the day."""
VERSION_FILE = regex(
    rf"^(?P<version>{ID_PATTERN})(?:\.(?P<lang>[a-z]{{2,3}}(?:-[A-Za-z]{{2,4}})?))?"
    r"\.(?P<ext>md|markdown|txt|html?)$"
)


def match_version_file(name: str) -> re.Match[str] | None:
    """The parts of a version file's name (``version``, ``lang``, ``ext``), or None when
    ``name`` is not one: not ``<version id>[.<lang>].<ext>``, or a day that does not exist."""
    match = VERSION_FILE.match(name)
    if match is None or parse_version_id(match["version"]) is None:
        return None
    return match


LANGUAGE_ID = regex(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")
"""A language code as version file names carry it (``en``, ``zh``, ``zh-CN``)."""


@dataclass(frozen=True)
class PolicyConfig:
    """``policy.yaml``: what the archive needs to know about one policy."""

    id: str
    """Folder name under the store root."""
    title: str
    """Display title."""
    languages: tuple[str, ...] = ("en",)
    """Languages versions are kept in; the first is the main one."""
    criteria: str = "seed-9.4"
    """Criteria pack id (a file in ``analyzer/judge/packs/``) or a path to a pack."""
    notice_period_days: int = 30
    """Days between ``updated`` and ``effective`` a popup or consent revision must leave."""


@dataclass(frozen=True)
class VersionFile:
    """One version file in the store."""

    policy: str
    version: str
    """``YYYY-MM-DD``, or ``YYYY-MM-DD-N`` for the N-th version of one day."""
    language: str | None
    """From the file name (``2023-05-26.zh.md``), None when the name has none."""
    path: Path

    @property
    def key(self) -> str:
        """``VERSION[.lang]``: how the ledger and the archive site name it."""
        return self.version + (f".{self.language}" if self.language else "")

    @property
    def ref(self) -> str:
        """``POLICY@VERSION`` (with ``.lang`` when the name carries one)."""
        lang = f".{self.language}" if self.language else ""
        return f"{self.policy}@{self.version}{lang}"

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.version[:10])

    @property
    def id(self) -> VersionId:
        """The parsed version id (the file name matched :data:`VERSION_FILE`)."""
        parsed = parse_version_id(self.version)
        assert parsed is not None, self.version
        return parsed


version_sort_key = version_order
"""Chronological order of version ids: date, then the same-day N."""


class Store:
    """A folder laid out as ``<policy>/<version>[.<lang>].md`` with optional ``policy.yaml``."""

    def __init__(self, root: Path = DEFAULT_ROOT) -> None:
        self.root = root

    # -- reading -------------------------------------------------------------------------
    def policies(self) -> list[str]:
        """Policy ids: sub-folders that hold a ``policy.yaml`` or at least one version file."""
        if not self.root.is_dir():
            raise PolicyError("versions folder not found", path=str(self.root))
        found = []
        for child in sorted(self.root.iterdir()):
            if (
                child.is_dir()
                and not child.name.startswith(".")
                and ((child / "policy.yaml").is_file() or self._version_files(child))
            ):
                found.append(child.name)
        return found

    def config(self, policy: str) -> PolicyConfig:
        """The policy's ``policy.yaml``, or defaults derived from its versions."""
        folder = self.policy_dir(policy)
        path = folder / "policy.yaml"
        if not path.is_file():
            return PolicyConfig(id=policy, title=policy)
        text = decode(read_bytes(path, root=self.root), str(path))
        return parse_policy_config(text, policy, str(path))

    def policy_of(self, ref: str) -> str | None:
        """Which policy of this store a reference (a path, ``POLICY@VERSION``,
        ``git:REV:PATH``) names, if any."""
        if ref.startswith("git:"):
            parts = Path(ref[4:].split(":", 1)[-1]).parts
            if len(parts) >= 3 and Path(*parts[:-2]) == Path(self.root.name):
                return parts[-2]
            return None
        if "@" in ref and not os.path.exists(ref):
            return ref.split("@", 1)[0]
        try:
            relative = Path(ref).resolve().relative_to(self.root.resolve())
        except (OSError, ValueError):
            return None
        return relative.parts[0] if len(relative.parts) >= 2 else None

    def criteria_of(self, *refs: str) -> str:
        """The criteria pack of the first policy of this store the references point into, else
        the default pack."""
        from analyzer.judge.criteria import DEFAULT_PACK

        for ref in refs:
            policy = self.policy_of(ref)
            if policy is not None and (self.root / policy).is_dir():
                return str(self.config(policy).criteria)
        return DEFAULT_PACK

    def policy_dir(self, policy: str) -> Path:
        """Folder of a known policy; an unknown one is a clear error."""
        if not POLICY_ID.match(policy):
            raise PolicyError(f"invalid policy id {policy!r}")
        folder = self.root / policy
        if not folder.is_dir():
            known = ", ".join(self.policies()) if self.root.is_dir() else ""
            hint = f" (known: {known})" if known else ""
            raise PolicyError(f"unknown policy {policy!r} in {self.root}{hint}")
        check_inside(folder, self.root)
        return folder

    def versions(self, policy: str, language: str | None = None) -> list[VersionFile]:
        """Versions of a policy in chronological order (one language when ``language`` is set).

        A file whose name carries no language counts as the policy's main language.
        """
        folder = self.policy_dir(policy)
        files = self._version_files(folder)
        result = []
        for path in files:
            match = match_version_file(path.name)
            assert match is not None
            result.append(VersionFile(policy, match["version"], match["lang"], path))
        if language is not None:
            main = self.config(policy).languages[0]
            result = [v for v in result if (v.language or main) == language]
        return sorted(result, key=lambda v: (version_sort_key(v.version), v.language or ""))

    def _version_files(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.iterdir() if match_version_file(p.name) and not p.is_dir())

    def find(self, policy: str, version: str) -> VersionFile:
        """``version`` may carry a language: ``2023-05-26`` or ``2023-05-26.zh``."""
        lang: str | None = None
        if "." in version:
            version, lang = version.split(".", 1)
        candidates = [
            v
            for v in self.versions(policy)
            if v.version == version and (lang is None or v.language == lang)
        ]
        if not candidates:
            raise PolicyError(f"policy {policy!r} has no version {version!r}")
        if lang is None and len(candidates) > 1:
            plain = [v for v in candidates if v.language is None]
            if len(plain) == 1:
                return plain[0]
            main = self.config(policy).languages[0]
            in_main = [v for v in candidates if v.language == main]
            if in_main:
                return in_main[0]
        return candidates[0]

    def load(self, version: VersionFile) -> Document:
        """Read and ingest one version file of this store."""
        data = read_bytes(version.path, root=self.root)
        return read_document(data, str(version.path))

    # -- writing -------------------------------------------------------------------------
    def import_version(
        self,
        source: Path,
        *,
        policy: str,
        version: str,
        effective: str | None = None,
        updated: str | None = None,
        title: str | None = None,
        language: str | None = None,
        notice: str = "publish",
        revisions: Revisions | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> Path:
        """Bring a .txt/.md/.html/.docx file into the store as a new draft version.

        Only whitespace is normalised (no-break spaces, runs of spaces, line ends, runs of blank
        lines; a Markdown file keeps its indentation, which nests its lists); every word is kept.
        An existing version is never overwritten. A Word document is stored as the Markdown it
        reads as, with ``source`` (its file name) and ``source_sha256`` (of the .docx) in the
        front matter; ``revisions`` says which view of its pending tracked changes to read, and
        ``warn`` hears what reading it left out (comments …).
        """
        if not POLICY_ID.match(policy):
            raise PolicyError(f"invalid policy id {policy!r} (use lower-case letters, digits, -)")
        _check_date(version, "--version", allow_suffix=True)
        for value, name in ((effective, "--effective"), (updated, "--updated")):
            if value is not None:
                _check_date(value, name)
        if notice not in ("none", "publish", "popup", "consent"):
            raise PolicyError(f"--notice must be none, publish, popup or consent, not {notice!r}")
        data = read_bytes(source)
        document = read_document(data, str(source), name=source.name, revisions=revisions)
        for warning in document.warnings:
            if warn is not None:
                warn(warning)
        word = "source_sha256" in document.meta  # a Word document: say which file it was
        return self.add_version(
            document,
            policy=policy,
            version=version,
            effective=effective,
            updated=updated,
            title=title,
            language=language,
            notice=notice,
            source=source.name if word else None,
        )

    def add_version(
        self,
        document: Document,
        *,
        policy: str,
        version: str,
        effective: str | None = None,
        updated: str | None = None,
        title: str | None = None,
        language: str | None = None,
        notice: str = "publish",
        status: str = "draft",
        source: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write ``document`` as the new version ``version`` of ``policy`` (options checked by
        the caller): the front matter made here, the body with only whitespace normalised, the
        policy's ``policy.yaml`` made when it has none (``config``: keys for it, over the
        defaults). ``source`` (where the text came from, such as ``git:<commit>:<path>``) goes
        into the front matter, with ``source_sha256`` when the document names the hash of the
        file it was read from (a Word document). Never overwrites."""
        # Markdown reads indentation (nested lists, code blocks): it is kept
        body = normalize_text(document.text, keep_indent=document.format == "markdown")
        lang = language or str(document.meta.get("language") or detect_language(body))
        if not LANGUAGE_ID.match(lang):
            given = "--language" if language else f"language in {document.source}"
            raise PolicyError(f"{given}: {lang!r} is not a language code (like en, zh or zh-CN)")
        meta: dict[str, Any] = {
            "title": title or str(document.meta.get("title") or _first_line(body)),
            "policy": policy,
            "version": _yaml_date(version),
            "updated": _yaml_date(updated or version[:10]),
            "effective": _yaml_date(effective or updated or version[:10]),
            "language": lang,
            "status": status,
            "notice": notice,
        }
        if document.format != "markdown":
            meta["format"] = document.format
        if source is not None:
            meta["source"] = source
        if "source_sha256" in document.meta:
            meta["source_sha256"] = document.meta["source_sha256"]
        folder = self.root / policy
        suffix = "" if lang == "en" else f".{lang}"
        target = folder / f"{version}{suffix}.md"
        if not match_version_file(target.name) or target.parent != folder:
            raise PolicyError("refused: not a version file name", path=str(target))
        check_inside(target, self.root)
        if target.exists() or target.is_symlink():
            raise PolicyError(self._taken(policy, version, lang), path=str(target))
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        try:
            write_atomic(target, f"---\n{front}---\n{body}", overwrite=False)
        except FileExistsError:  # another import of this version won the race
            raise PolicyError(self._taken(policy, version, lang), path=str(target)) from None
        except OSError as exc:
            raise PolicyError(exc.strerror or "cannot write", path=str(target)) from None
        self._ensure_config(policy, title=meta["title"], language=lang, extra=config)
        return target

    def _ensure_config(
        self, policy: str, *, title: str, language: str, extra: Mapping[str, Any] | None = None
    ) -> None:
        """Give ``policy`` a ``policy.yaml`` (title, languages, criteria pack, notice period,
        and the keys of ``extra`` over them) unless it has one."""
        config = self.root / policy / "policy.yaml"
        if config.exists():
            return
        fields = {
            "title": title,
            "languages": [language],
            "criteria": "seed-9.4",
            "notice_period_days": 30,
            **(extra or {}),
        }
        text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
        # an import of another version may make it at the same moment: keep theirs
        with contextlib.suppress(FileExistsError):
            write_atomic(config, text, overwrite=False)

    def _taken(self, policy: str, version: str, language: str) -> str:
        """Why ``version`` cannot be written, with the id a later version of that day gets."""
        parsed = parse_version_id(version)
        taken = [v.id for v in self.versions(policy, language)]
        if parsed is None:
            return "version already exists"
        return (
            f"version already exists; the next version of that day is {free_id(parsed.day, taken)}"
        )

    def publish(self, policy: str, version: str) -> tuple[Path, LedgerEntry]:
        """Mark a draft version published and record its text hash in ``PUBLISHED``.

        The front matter's ``status`` flips to ``published`` (the only edit); the ledger gains a
        line whose chain hash covers every earlier line, so rewriting history shows.
        """
        item = self.find(policy, version)
        document = self.load(item)
        if document.meta.get("status") == "published":
            raise PolicyError("already published", path=str(item.path))
        folder = self.policy_dir(policy)
        entries = read_ledger(folder)
        key = item.key
        if any(e.version == key for e in entries):
            raise PolicyError(f"{key} is already in {LEDGER}", path=str(folder / LEDGER))
        raw = decode(read_bytes(item.path, root=self.root), str(item.path))
        status_line = regex(r"^status:[^\n]*$", re.M)
        head_end = raw.find("\n---", 4)
        if not raw.startswith("---") or head_end < 0:
            raise PolicyError("no front matter to mark published", path=str(item.path))
        head, rest = raw[:head_end], raw[head_end:]
        head = (
            status_line.sub("status: published", head, count=1)
            if status_line.search(head)
            else head + "\nstatus: published"
        )
        (entry,) = _chained(entries, [(key, document.sha256)])
        write_atomic(item.path, head + rest)
        _write_ledger(folder, [*entries, entry])
        return item.path, entry

    def record_published(self, policy: str, items: Sequence[VersionFile]) -> list[LedgerEntry]:
        """Record in ``PUBLISHED``, in the order given, the versions of ``items`` it does not
        record yet (their front matter already says ``status: published``): how versions
        imported as published join the ledger, also after an interrupted import."""
        folder = self.policy_dir(policy)
        entries = read_ledger(folder)
        recorded = {e.version for e in entries}
        wanted = [(item.key, self.load(item).sha256) for item in items if item.key not in recorded]
        added = _chained(entries, wanted)
        if added:
            _write_ledger(folder, [*entries, *added])
        return added


def _chained(entries: Sequence[LedgerEntry], new: Sequence[tuple[str, str]]) -> list[LedgerEntry]:
    """Ledger entries for ``new`` (key, text hash) pairs, chained after ``entries``."""
    previous = entries[-1].chain if entries else GENESIS
    out = []
    for key, sha in new:
        entry = LedgerEntry(key, sha, chain_hash(previous, key, sha))
        out.append(entry)
        previous = entry.chain
    return out


def _write_ledger(folder: Path, entries: Sequence[LedgerEntry]) -> None:
    write_atomic(folder / LEDGER, "\n".join(e.line() for e in entries) + "\n")


def parse_policy_config(text: str, policy: str, source: str) -> PolicyConfig:
    """Read the text of a ``policy.yaml`` (``source`` names it in errors)."""
    try:
        raw = load_yaml(text, where="policy.yaml") or {}
    except ValueError as exc:  # a well-formed date that does not exist (2024-02-30)
        raise PolicyError(f"malformed YAML: {exc}", path=source) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"malformed YAML: {problem}", path=source) from None
    if not isinstance(raw, dict):
        raise PolicyError("policy.yaml must be a mapping", path=source)
    languages = raw.get("languages", ["en"])
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, list) or not languages:
        raise PolicyError("languages must be a non-empty list of language codes", path=source)
    period = raw.get("notice_period_days", 30)
    if not isinstance(period, int) or isinstance(period, bool) or period < 0:
        raise PolicyError("notice_period_days must be a whole number >= 0", path=source)
    return PolicyConfig(
        id=policy,
        title=str(raw.get("title", policy)),
        languages=tuple(str(lang) for lang in languages),
        criteria=str(raw.get("criteria", "seed-9.4")),
        notice_period_days=period,
    )


def _yaml_date(value: str) -> dt.date | str:
    """A plain date is written unquoted (``2023-05-26``), as people write front matter."""
    return front_matter_date(value) or value


def _first_line(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return "Untitled policy"


def _check_date(value: str, option: str, *, allow_suffix: bool = False) -> None:
    """A date option (``YYYY-MM-DD``), or with ``allow_suffix`` a version id."""
    shape = VERSION_ID if allow_suffix else regex(r"^\d{4}-\d{2}-\d{2}$")
    if not shape.match(value):
        want = "a date YYYY-MM-DD" + (" or YYYY-MM-DD-N (N = 2, 3, …)" if allow_suffix else "")
        raise PolicyError(f"{option} must be {want}, not {value!r}")
    if parse_version_id(value) is None:
        raise PolicyError(f"{option}: {value!r} is not a real date")


def resolve(ref: str, store: Store, *, revisions: Revisions | None = None) -> Document:
    """Turn what the user typed into a Document.

    ``git:REV:PATH`` reads PATH at REV with git; ``POLICY@VERSION`` looks in the store; anything
    else is a file path. A Word document (a path or a git file) is read with ``revisions`` as
    the view of its pending tracked changes.
    """
    if ref.startswith("git:"):
        rest = ref[4:]
        if ":" not in rest:
            raise PolicyError(f"git reference must be git:REV:PATH, not {ref!r}")
        rev, git_path = rest.split(":", 1)
        return read_document(read_blob(rev, git_path, ref), ref, name=git_path, revisions=revisions)
    if "@" in ref and not os.path.exists(ref):
        policy, version = ref.split("@", 1)
        return store.load(store.find(policy, version))
    file_path = Path(ref)
    return read_document(read_bytes(file_path), ref, name=file_path.name, revisions=revisions)


__all__ = [
    "PolicyConfig",
    "Store",
    "VersionFile",
    "match_version_file",
    "parse_front_matter",
    "resolve",
    "version_sort_key",
]
