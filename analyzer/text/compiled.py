"""Regular expressions and the tables built from the vocabulary, compiled once rather than in
every process.

Every regular expression of the analyzer is made by :func:`regex` (``re.compile`` is banned
elsewhere by the lint rules), and every table that takes time to build from the vocabulary (the
phrase tries of :mod:`analyzer.facts.matcher`) by :func:`table`. By themselves both just compile
and build, as ``re.compile`` and a plain call would. An edge may :func:`install` a
:class:`CompiledStore` that keeps what they make between processes
(:mod:`analyzer.store.compiled` keeps it on disk beside the embedding cache): a one-shot
``policy diff`` then reads a few hundred patterns it would otherwise parse and compile from their
sources (about a sixth of its time), and a new pattern or a changed vocabulary is compiled once
and kept from then on, with no list to maintain.

A pattern is kept by its source and flags, a table by its name and a key the caller makes from
what it is built of (:func:`fingerprint`), so nothing stale is ever returned: a change makes a
new key.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Protocol, TypeVar

T = TypeVar("T")

__all__ = [
    "CompiledStore",
    "fingerprint",
    "install",
    "installed",
    "regex",
    "source_fingerprint",
    "table",
]


class CompiledStore(Protocol):
    """Where compiled patterns and built tables come from (see :mod:`analyzer.store.compiled`)."""

    def regex(self, source: str, flags: int) -> re.Pattern[str]:
        """The pattern ``re.compile(source, flags)`` would give."""
        ...

    def table(self, name: str, key: str, build: Callable[[], T]) -> T:
        """What ``build()`` gives (only plain data: str, int, float, tuples, lists, dicts,
        sets), kept under ``name`` and ``key``."""
        ...


_store: CompiledStore | None = None


def install(store: CompiledStore | None) -> CompiledStore | None:
    """Make ``store`` the source of compiled patterns and tables for this process (None: compile
    and build in place); returns the previous one. Patterns already made stay as they are."""
    global _store
    previous, _store = _store, store
    return previous


def installed() -> CompiledStore | None:
    """The store in use, if any."""
    return _store


def regex(source: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, from the installed store when there is one."""
    if _store is None:
        return re.compile(source, flags)  # noqa: TID251
    return _store.regex(source, int(flags))


def table(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, from the installed store when there is one (kept under ``name`` and
    ``key``: make the key with :func:`fingerprint` from everything the table is built of)."""
    if _store is None:
        return build()
    return _store.table(name, key, build)


def fingerprint(*parts: Hashable) -> str:
    """SHA-256 of the ``repr`` of plain data (strings, numbers, tuples, frozen mappings as
    sorted tuples): a key for :func:`table` that changes whenever the data does."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def source_fingerprint(*modules: ModuleType) -> str:
    """SHA-256 of the source of ``modules``: part of a table's key, so that a table built by
    code that has changed since is built again (its name is used when the source cannot be
    read)."""
    digest = hashlib.sha256()
    for module in modules:
        spec = module.__spec__
        data = module.__name__.encode()
        if spec is not None and spec.origin and spec.loader is not None:
            with contextlib.suppress(OSError, AttributeError):
                data = spec.loader.get_data(spec.origin)  # type: ignore[attr-defined]
        digest.update(data)
        digest.update(b"\x00")
    return digest.hexdigest()
