"""The one git runner: every git command of the analyzer goes through :func:`run_git`.

Git runs in the C locale (some of its messages are recognised by their words) with
``core.quotepath=off`` (paths as they are), without a shell, with a timeout. What cannot run
or fails is a :class:`GitError`; each caller words it for the user as a
:class:`~analyzer.errors.PolicyError`. Two callers: ``git:REV:PATH`` references
(:func:`read_blob`) and the versions folder at a commit (:mod:`analyzer.store.snapshot`).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import PolicyError
from analyzer.store.files import MAX_FILE_BYTES, too_large

__all__ = ["GIT_TIMEOUT", "GitError", "GitRun", "git_output", "read_blob", "run_git"]

GIT_TIMEOUT = 120
"""Seconds a single git command may take before it is given up."""


class GitError(Exception):
    """Git could not be run (``missing``), took too long (``timed_out``), or failed
    (``reason``: the last line git wrote on stderr, '' when it wrote none)."""

    def __init__(self, *, missing: bool = False, timed_out: bool = False, reason: str = "") -> None:
        super().__init__(reason or ("git is not installed" if missing else "git took too long"))
        self.missing = missing
        self.timed_out = timed_out
        self.reason = reason


@dataclass(frozen=True)
class GitRun:
    """One finished git command."""

    returncode: int
    stdout: bytes
    stderr: str
    """Decoded (invalid UTF-8 replaced) and stripped."""


def run_git(
    args: list[str],
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = GIT_TIMEOUT,
) -> GitRun:
    """Run ``git args`` and return how it ended; :class:`GitError` when git is not installed
    or takes longer than ``timeout`` seconds."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            env={**os.environ, "LC_ALL": "C"},
            input=stdin,
            capture_output=True,
            check=False,
            timeout=timeout,
        )
    except FileNotFoundError:
        raise GitError(missing=True) from None
    except subprocess.TimeoutExpired:
        raise GitError(timed_out=True) from None
    return GitRun(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace").strip())


def git_output(
    args: list[str],
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = GIT_TIMEOUT,
) -> bytes:
    """The output of ``git args``; :class:`GitError` when it cannot run or fails."""
    done = run_git(args, cwd=cwd, stdin=stdin, timeout=timeout)
    if done.returncode != 0:
        lines = done.stderr.splitlines()
        raise GitError(reason=lines[-1] if lines else "")
    return done.stdout


def read_blob(rev: str, path: str, ref: str) -> bytes:
    """The bytes of ``path`` at revision ``rev`` of the git work tree around the current folder
    (a ``git:REV:PATH`` reference, named ``ref`` in errors); a blob over the size limit is
    refused before it is read."""
    if rev.startswith("-"):
        raise PolicyError(f"invalid git revision in {ref!r}")
    try:
        size = git_output(["cat-file", "-s", f"{rev}:{path}"], timeout=60).strip()
        if size.isdigit() and int(size) > MAX_FILE_BYTES:
            raise PolicyError(too_large(int(size)), path=ref)
        data = git_output(["show", f"{rev}:{path}"], timeout=60)
    except GitError as exc:
        if exc.missing:
            raise PolicyError("git is not installed; cannot read " + ref) from None
        if exc.timed_out:
            raise PolicyError(f"git took too long to read {ref}") from None
        raise PolicyError(f"git cannot read {ref}: {exc.reason or 'failed'}") from None
    if len(data) > MAX_FILE_BYTES:
        raise PolicyError(too_large(len(data)), path=ref)
    return data
