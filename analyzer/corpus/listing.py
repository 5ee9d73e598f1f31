"""Find the policies of an archive folder, their versions in order, and the revisions to analyse.

Two layouts are read, and may be mixed in one folder:

- ``<policy>/<YYYY-MM-DD>[-N][.<lang>].md`` with an optional ``policy.yaml`` (the
  ``policy_versions/`` layout): versions in the order of their ids, one chain per language;
- ``<source>/<document>/<YYYY-MM-DD>[-N].md`` with ``versions.json`` (the corpus layout): the
  order is the list's, the policy is named ``<source>/<document>``, and the declared notice
  comes from the list's metadata (:mod:`analyzer.corpus.declared`).

A folder that holds version files is a policy; a folder that holds none is looked into once more
(``<source>/<document>``). Every version file is read here once, to hash it: the hashes key the
rows, so a run knows what an earlier run already computed. A version that cannot be read is not
an error of the run: the revisions that need it become rows carrying the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.corpus.declared import Declared, from_versions_json
from analyzer.errors import PolicyError
from analyzer.store.files import read_bytes
from analyzer.store.versions import VERSION_FILE, parse_policy_config, version_sort_key

__all__ = ["Chain", "Listing", "Revision", "VersionRef", "list_archive"]

VERSIONS_JSON = "versions.json"
DOCUMENT_JSON = "document.json"


@dataclass(frozen=True)
class VersionRef:
    """One version file as listed: where it is and what its bytes hash to."""

    version: str
    """The version id: the file name without extension and language (``2023-12-27-2``)."""
    path: str
    """Path of the file (as the worker opens it: workers must see the same file system)."""
    sha256: str | None
    """SHA-256 of the file's bytes; None when the file could not be read (see ``error``)."""
    error: str | None = None
    """Why the file could not be read."""


@dataclass(frozen=True)
class Revision:
    """One revision to analyse: a version against the previous one of its chain."""

    policy: str
    language: str | None
    """The chain's language (file name, ``policy.yaml`` or ``document.json``); None when
    nothing says (the worker fills in the detected one)."""
    position: int
    """Index of the new version in its chain (1 for the first revision)."""
    old: VersionRef
    new: VersionRef
    pack: str
    """Criteria pack reference (id or path) for this policy."""
    declared: Declared = (None, None)
    """The declared notice when the listing knows it (corpus layout); else the worker reads the
    new version's front matter."""


@dataclass(frozen=True)
class Chain:
    """The versions of one policy in one language, in order."""

    policy: str
    language: str | None
    versions: tuple[VersionRef, ...]
    pack: str
    declared: tuple[Declared, ...] = ()
    """Per version, what ``versions.json`` says (empty for the ``policy_versions/`` layout)."""

    def revisions(self) -> list[Revision]:
        out = []
        for index in range(1, len(self.versions)):
            out.append(
                Revision(
                    policy=self.policy,
                    language=self.language,
                    position=index,
                    old=self.versions[index - 1],
                    new=self.versions[index],
                    pack=self.pack,
                    declared=self.declared[index] if self.declared else (None, None),
                )
            )
        return out


@dataclass(frozen=True)
class Listing:
    """What an archive folder holds."""

    chains: tuple[Chain, ...]
    notes: tuple[str, ...] = ()
    """Things the user should know (a file ``versions.json`` does not list, and the like)."""
    bytes_read: int = 0
    """Bytes hashed while listing."""

    @property
    def revisions(self) -> list[Revision]:
        return [r for chain in self.chains for r in chain.revisions()]

    @property
    def versions(self) -> int:
        return sum(len(c.versions) for c in self.chains)


@dataclass
class _Reader:
    root: Path
    criteria: str | None
    default_pack: str
    notes: list[str] = field(default_factory=list)
    bytes_read: int = 0

    def ref(self, version: str, path: Path) -> VersionRef:
        try:
            data = read_bytes(path, root=self.root)
        except PolicyError as exc:
            return VersionRef(version, str(path), None, exc.one_line())
        self.bytes_read += len(data)
        return VersionRef(version, str(path), hashlib.sha256(data).hexdigest())

    def pack_of(self, folder: Path, config: Any) -> str:
        if self.criteria is not None:
            return self.criteria
        if config is None:
            return self.default_pack
        ref = str(config.criteria)
        if "/" in ref or ref.endswith((".yaml", ".yml")):
            candidate = folder / ref
            ref = str(candidate) if candidate.is_file() else ref
        return ref


def list_archive(root: Path, *, criteria: str | None = None) -> Listing:
    """Every chain of ``root`` (see the module docstring); ``criteria`` overrides each policy's
    pack. Raises :class:`PolicyError` when ``root`` is missing or holds no version at all."""
    from analyzer.judge.criteria import DEFAULT_PACK

    if not root.is_dir():
        raise PolicyError("versions folder not found", path=str(root))
    reader = _Reader(root, criteria, DEFAULT_PACK)
    chains: list[Chain] = []
    for folder, policy in _policy_folders(root):
        chains.extend(_chains(reader, folder, policy))
    if not chains:
        raise PolicyError(
            "no version files here (want <policy>/<YYYY-MM-DD>.md or "
            "<source>/<document>/<YYYY-MM-DD>.md)",
            path=str(root),
        )
    return Listing(tuple(chains), tuple(reader.notes), reader.bytes_read)


def _visible_dirs(folder: Path) -> list[Path]:
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot list folder", path=str(folder)) from None
    return [c for c in children if c.is_dir() and not c.name.startswith((".", "_"))]


def _version_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if VERSION_FILE.match(p.name) and p.is_file())


def _policy_folders(root: Path) -> list[tuple[Path, str]]:
    """``(folder, policy id)`` of every policy: a child of ``root`` with version files, else a
    grandchild (the corpus layout)."""
    found: list[tuple[Path, str]] = []
    for child in _visible_dirs(root):
        if _version_files(child):
            found.append((child, child.name))
            continue
        for grandchild in _visible_dirs(child):
            if _version_files(grandchild):
                found.append((grandchild, f"{child.name}/{grandchild.name}"))
    return found


def _load_json(path: Path) -> Any:
    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PolicyError(f"not valid JSON: {exc}", path=str(path)) from None


def _chains(reader: _Reader, folder: Path, policy: str) -> list[Chain]:
    config = None
    if (folder / "policy.yaml").is_file():
        text = read_bytes(folder / "policy.yaml", root=reader.root).decode("utf-8", "replace")
        config = parse_policy_config(text, folder.name, str(folder / "policy.yaml"))
    pack = reader.pack_of(folder, config)
    if (folder / VERSIONS_JSON).is_file():
        return [_listed_chain(reader, folder, policy, pack, config)]
    by_language: dict[str | None, list[tuple[str, Path]]] = {}
    for path in _version_files(folder):
        match = VERSION_FILE.match(path.name)
        assert match is not None
        by_language.setdefault(match["lang"], []).append((match["version"], path))
    main = config.languages[0] if config is not None else None
    chains = []
    for lang in sorted(by_language, key=lambda x: x or ""):
        items = sorted(by_language[lang], key=lambda item: version_sort_key(item[0]))
        chains.append(
            Chain(
                policy=policy,
                language=lang or main,
                versions=tuple(reader.ref(v, p) for v, p in items),
                pack=pack,
            )
        )
    return chains


def _listed_chain(reader: _Reader, folder: Path, policy: str, pack: str, config: Any) -> Chain:
    """A corpus-layout folder: the order and the declarations of ``versions.json``."""
    listing_path = folder / VERSIONS_JSON
    entries = _load_json(listing_path)
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise PolicyError("want a list of objects, one per version", path=str(listing_path))
    on_disk = {p.name: p for p in _version_files(folder)}
    listed: list[tuple[str, Path, Mapping[str, Any]]] = []
    for entry in entries:
        name = str(entry.get("file", ""))
        match = VERSION_FILE.match(name)
        if match is None or "/" in name:
            raise PolicyError(f"entry with a bad file name {name!r}", path=str(listing_path))
        if name not in on_disk:
            reader.notes.append(f"{policy}: {name} is listed in {VERSIONS_JSON} but missing")
            continue
        listed.append((match["version"], on_disk.pop(name), entry))
    for name in sorted(on_disk, key=lambda n: version_sort_key(n.split(".")[0])):
        reader.notes.append(f"{policy}: {name} is not listed in {VERSIONS_JSON}; left out")
    language = _document_language(folder) or (config.languages[0] if config else None)
    declared: list[Declared] = []
    previous: Mapping[str, Any] | None = None
    for _, _, entry in listed:
        declared.append(from_versions_json(entry, previous))
        previous = entry
    return Chain(
        policy=policy,
        language=language,
        versions=tuple(reader.ref(v, p) for v, p, _ in listed),
        pack=pack,
        declared=tuple(declared),
    )


def _document_language(folder: Path) -> str | None:
    path = folder / DOCUMENT_JSON
    if not path.is_file():
        return None
    data = _load_json(path)
    language = data.get("language") if isinstance(data, Mapping) else None
    return str(language) if language else None


def chain_sizes(chains: Sequence[Chain]) -> dict[str, int]:
    """Versions per policy (for the summary line)."""
    out: dict[str, int] = {}
    for chain in chains:
        out[chain.policy] = out.get(chain.policy, 0) + len(chain.versions)
    return out
