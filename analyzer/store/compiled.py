"""Compiled patterns and vocabulary tables kept on disk between processes: the
:class:`~analyzer.text.compiled.CompiledStore` that the command line installs.

Python cannot keep a compiled ``re.Pattern`` between processes (pickling one stores its source,
which is compiled again on loading), but what compiling makes of a source is plain data: the
regular-expression engine's code, a list of integers, with the pattern's group names. This
store keeps that data and hands it straight to the engine (``_sre.compile``, what ``re.compile``
itself ends with), which skips parsing the source and generating the code: the few hundred
patterns of a ``policy diff`` load in about 2 ms instead of compiling in about 90 ms.

The file
--------
``<cache>/compiled/<python>-sre<MAGIC>.bin`` (``<cache>`` as for the embeddings:
:func:`~analyzer.store.files.cache_root`): one file per Python build and regular-expression
engine version, so a code list is only ever given to the engine that made it::

    magic    8 bytes   b"PACRE\\x00\\x01\\n"
    sha256  32 bytes   of the payload
    payload            marshal of (patterns, tables)

``patterns`` maps ``(source, flags)`` to what ``_sre.compile`` takes; ``tables`` maps
``(name, key)`` to a table's plain data. A process reads the file on its first pattern and, at
its exit, if it compiled or built anything the file did not hold, writes the file again: read
once more, merged with its own, through a temporary file renamed into place (readers see the old
file or the new one, whole; two writers at once can only lose each other's additions, which the
next run makes again). A file whose checksum is wrong is ignored and replaced; the engine also
validates every code list it is given. Anything unexpected (another Python, a code list refused)
falls back to ``re.compile``: the patterns are the same either way, only slower to make.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from analyzer.store.files import cache_root, write_atomic
from analyzer.text import compiled

_sre: Any
_sre_compiler: Any
_sre_parser: Any
try:  # the engine under ``re`` and its compiler (CPython)
    import _sre  # type: ignore[import-not-found,no-redef]
    from re import _compiler as _sre_compiler  # type: ignore[attr-defined,no-redef]
    from re import _parser as _sre_parser  # type: ignore[attr-defined,no-redef]
except ImportError:  # pragma: no cover - another Python: compile in place
    _sre = None

T = TypeVar("T")

MAGIC = b"PACRE\x00\x01\n"
MAX_ENTRIES = 20_000
"""Entries kept in the file at most: beyond it, a writer keeps only what its own run used (old
vocabularies' tables and patterns no run asks for any more are dropped)."""

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def compiled_path(root: Path | None = None) -> Path:
    """The file of this Python's engine under ``root`` (default: the user's cache)."""
    version = ".".join(map(str, sys.version_info[:3]))
    magic = getattr(_sre, "MAGIC", 0) if _sre is not None else 0
    name = f"{sys.implementation.name}-{version}-sre{magic}.bin"
    return (root if root is not None else cache_root()) / "compiled" / name


def _compile_entry(source: str, flags: int) -> tuple[re.Pattern[str], _Entry]:
    """Compile ``source`` as ``re.compile`` does, keeping what the engine was given."""
    tree = _sre_parser.parse(source, flags)
    code = [int(op) for op in _sre_compiler._code(tree, flags)]
    groupindex = {str(k): int(v) for k, v in tree.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry: _Entry = (
        int(flags | tree.state.flags),
        code,
        tree.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
    return _from_entry(source, entry), entry


def _from_entry(source: str, entry: _Entry) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = entry
    pattern: re.Pattern[str] = _sre.compile(source, flags, code, groups, groupindex, indexgroup)
    return pattern


class DiskCompiledStore:
    """Compiled patterns and tables read from and written to one file (see the module)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The file."""
        self._patterns: dict[tuple[str, int], _Entry] = {}
        self._tables: dict[tuple[str, str], Any] = {}
        self._used_patterns: set[tuple[str, int]] = set()
        self._used_tables: set[tuple[str, str]] = set()
        self._loaded = False
        self._added = False
        self._lock = threading.Lock()
        self.compiled = 0
        """Patterns compiled from their source in this process (not found in the file)."""
        self.loaded = 0
        """Patterns made from the file's code lists."""

    # -- reading and writing the file

    def _read(self) -> tuple[dict[tuple[str, int], _Entry], dict[tuple[str, str], Any]]:
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}, {}
        head, digest, payload = raw[:8], raw[8:40], raw[40:]
        if head != MAGIC or hashlib.sha256(payload).digest() != digest:
            return {}, {}
        try:
            patterns, tables = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}, {}
        if not isinstance(patterns, dict) or not isinstance(tables, dict):
            return {}, {}
        return patterns, tables

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._patterns, self._tables = self._read()
            self._loaded = True

    def save(self) -> bool:
        """Write the file when this process added to it; True when it did."""
        with self._lock:
            if not self._added:
                return False
            patterns, tables = self._read()
            patterns.update(self._patterns)
            tables.update(self._tables)
            if len(patterns) + len(tables) > MAX_ENTRIES:
                patterns = {k: v for k, v in patterns.items() if k in self._used_patterns}
                tables = {k: v for k, v in tables.items() if k in self._used_tables}
            try:
                payload = marshal.dumps((patterns, tables))
            except ValueError:  # a table that is not plain data: keep the patterns only
                payload = marshal.dumps((patterns, {}))
            with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
                write_atomic(self.path, MAGIC + hashlib.sha256(payload).digest() + payload)
            self._added = False
            return True

    # -- the CompiledStore protocol

    def regex(self, source: str, flags: int) -> re.Pattern[str]:
        key = (source, flags)
        with self._lock:
            self._ensure_loaded()
            entry = self._patterns.get(key)
            if entry is not None:
                try:
                    pattern = _from_entry(source, entry)
                except (TypeError, ValueError, RuntimeError, OverflowError):
                    pass  # a list this engine refuses: compiled again below, and replaced
                else:
                    self._used_patterns.add(key)
                    self.loaded += 1
                    return pattern
            try:
                pattern, entry = _compile_entry(source, flags)
            except re.error:
                raise
            except Exception:  # the engine's internals differ: compile the ordinary way
                return re.compile(source, flags)  # noqa: TID251
            self._patterns[key] = entry
            self._used_patterns.add(key)
            self._added = True
            self.compiled += 1
            return pattern

    def table(self, name: str, key: str, build: Callable[[], T]) -> T:
        slot = (name, key)
        with self._lock:
            self._ensure_loaded()
            if slot in self._tables:
                self._used_tables.add(slot)
                value: T = self._tables[slot]
                return value
        value = build()
        try:
            marshal.dumps(value)  # type: ignore[arg-type]
        except ValueError:
            return value  # not plain data: built in every process
        with self._lock:
            self._tables[slot] = value
            self._used_tables.add(slot)
            self._added = True
        return value


def install_disk_store(
    root: Path | None = None, *, save_at_exit: bool = True
) -> DiskCompiledStore | None:
    """Install a :class:`DiskCompiledStore` for this process, unless one is installed already
    or this Python's engine is not the one it knows; returns it. It is written at the
    interpreter's exit, or, with ``save_at_exit=False``, when the caller calls
    :meth:`~DiskCompiledStore.save` (the command line does, only after a command that did not
    end on bad input: nothing is written then)."""
    current = compiled.installed()
    if isinstance(current, DiskCompiledStore):
        return current
    if _sre is None or not hasattr(_sre_compiler, "_code") or not hasattr(_sre_parser, "parse"):
        return None
    store = DiskCompiledStore(compiled_path(root))
    compiled.install(store)
    if save_at_exit:
        atexit.register(store.save)
    return store
