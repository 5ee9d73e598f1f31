"""The site build's cache: parsed versions, analysed revisions and notices on disk, keyed by
content (:class:`BuildCache`).

Every key starts with :func:`code_fingerprint`, a hash of the whole installed ``analyzer``
package, so a change of the code anywhere invalidates what the cache holds; notices are also
keyed by the notice templates in use (:func:`notices_fingerprint`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer import __version__
from analyzer.model import Clause, ClauseTree
from analyzer.store.files import write_atomic
from analyzer.templates import package_root

CACHE_SCHEMA = "site-cache/1"


# -- the cache ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source and data files of the whole installed ``analyzer`` package: any
    change of the code, in any stage, invalidates what the cache holds."""
    root = package_root()
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """Parsed versions and analysed revisions on disk, keyed by content.

    A parsed version is keyed by the analyzer's code and the file's bytes; an analysed revision
    by the analyzer's code, the criteria pack's hash, the similarity model and both files'
    bytes. Entries are JSON files written atomically under ``root`` (``<cache>/site/`` of
    :func:`analyzer.embedder.cache_root` by default); an unreadable entry is recomputed.
    """

    root: Path | None
    """Where entries live; None caches nothing."""
    hits: int = 0
    misses: int = 0
    _fingerprint: str = ""

    def key(self, *parts: str) -> str:
        if not self._fingerprint:
            self._fingerprint = code_fingerprint()
        digest = hashlib.sha256(f"{CACHE_SCHEMA}\n{self._fingerprint}".encode())
        for part in parts:
            digest.update(b"\n" + part.encode("utf-8"))
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.root is None else self.root / kind / key[:2] / f"{key}.json"

    def holds(self, kind: str, key: str) -> bool:
        """Whether an entry is stored (without reading it or counting a hit)."""
        path = self._path(kind, key)
        return path is not None and path.is_file()

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            write_atomic(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def default_cache_root() -> Path:
    from analyzer.embedder import cache_root

    return cache_root() / "site"


def tree_from_dict(raw: Mapping[str, Any], source: str) -> ClauseTree:
    clauses = tuple(
        Clause(
            id=c["id"],
            label=c["label"],
            number=tuple(c["number"]),
            heading=c["heading"],
            text=c["text"],
            parent=c["parent"],
            depth=c["depth"],
            lines=(c["lines"][0], c["lines"][1]),
            hash=c["hash"],
            kind=c["kind"],
            place=c["address"],
        )
        for c in raw["clauses"]
    )
    return ClauseTree(
        source=source,
        meta=raw["front_matter"],
        clauses=clauses,
        warnings=tuple(raw["warnings"]),
        sha256=raw["sha256"],
        language=raw["language"],
    )


def plain_value(value: Any) -> Any:
    """Front-matter values as JSON (dates become ``YYYY-MM-DD`` strings)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    return str(value)


def notices_fingerprint() -> str:
    """SHA-256 over the notice templates and sentence patterns in use (``notices/``)."""
    from analyzer.notices.patterns import notice_folders

    digest = hashlib.sha256()
    for folder in notice_folders():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\n")
            digest.update(path.read_bytes())
    return digest.hexdigest()
