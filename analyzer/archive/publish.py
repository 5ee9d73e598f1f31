"""Putting a finished build in place of the output, so that a reader never sees half a site.

The build writes into a staging folder next to the output under an exclusive lock
(:func:`build_lock`), then swaps it in with one rename (:func:`swap_in`; Linux
``renameat2(RENAME_EXCHANGE)``, else two renames, undone by :func:`clean_leftovers` if a build
dies between them). The marker file :data:`MARKER` says the folder was built by us and lists
each file's fingerprint and SHA-256, so that the next build can reuse unchanged files
(:func:`reuse_file`). :func:`check_output` refuses an output the swap would destroy.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from analyzer.archive.pages import PageJob
from analyzer.errors import PolicyError

MARKER = ".policy-site"
"""File at the root of a built site: the build replaces only a folder that carries it."""


MANIFEST_SCHEMA = "policy-site-manifest/1"


def manifest_text(files: Mapping[str, list[str]]) -> str:
    """The marker file: says who built the folder, and for each file its fingerprint and
    SHA-256, so that the next build can reuse the files whose inputs did not change."""
    body = json.dumps({"schema": MANIFEST_SCHEMA, "files": files}, sort_keys=True, indent=0)
    return body + "\n"


def read_manifest(output: Path) -> dict[str, list[str]]:
    try:
        raw = json.loads((output / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("schema") != MANIFEST_SCHEMA:
        return {}
    files = raw.get("files")
    return files if isinstance(files, dict) else {}


def reuse_file(
    job: PageJob, previous: Mapping[str, list[str]], output: Path, target: Path
) -> str | None:
    """Link the previous build's file into the new build when its fingerprint matches and its
    bytes are still what that build wrote; its SHA-256, or None when it must be made."""
    entry = previous.get(job.path)
    if job.fingerprint is None or not entry or entry[0] != job.fingerprint:
        return None
    source = output / job.path
    try:
        if hashlib.sha256(source.read_bytes()).hexdigest() != entry[1]:
            return None
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    except OSError:
        return None
    return entry[1]


def check_output(output: Path, versions: Path) -> None:
    """Refuse an output the swap would destroy: a file, a folder not built by us, the versions
    folder or one of its parents."""
    if output.exists() and not output.is_dir():
        raise PolicyError("output exists and is not a folder", path=str(output))
    real_versions = versions.resolve()
    real_output = output.resolve()
    if real_output == real_versions or real_output in real_versions.parents:
        raise PolicyError("output would replace the versions folder", path=str(output))
    if real_versions in real_output.parents:
        raise PolicyError("output must not be inside the versions folder", path=str(output))
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise PolicyError(
            f"output folder is not empty and was not built by `policy site build` (no {MARKER}); "
            "refusing to replace it",
            path=str(output),
        )


@contextlib.contextmanager
def build_lock(output: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """An exclusive lock on ``.<output>.lock`` next to the output, for the whole build."""
    lock_path = output.parent / f".{output.name}.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock (Windows): builds are not serialised
        yield
        return
    with lock_path.open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def clean_leftovers(output: Path) -> None:
    """Remove what a killed build left next to the output (we hold the lock: nobody else is
    building). If a build died between the two renames of the fallback swap, the previous site
    is put back."""
    for leftover in sorted(output.parent.glob(f".{output.name}.build-*")):
        shutil.rmtree(leftover, ignore_errors=True)
    olds = sorted(output.parent.glob(f".{output.name}.old-*"))
    if olds and not output.exists():
        os.rename(olds[-1], output)
        olds = olds[:-1]
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = function(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, output: Path) -> None:
    """Put the finished build in place of the output."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)
