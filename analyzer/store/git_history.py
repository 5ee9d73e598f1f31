"""A file's history in git, as versions to import (``policy import --git REPO --path FILE``).

Every commit that changed the file is a version, oldest first, following renames
(``git log --follow``); with ``first_parent`` only the states merged into the main line. A
version's date is its commit date in the commit's own time zone (``%cI``: a commit made at
23:30 in Tokyo is dated that day in Tokyo), and its ``source:`` is ``git:<commit>:<path>``,
a reference ``policy show`` and ``policy diff`` read back inside that repository. A commit that
deletes the file is not a version. The blobs are read in batches (``git cat-file --batch``), a
blob over the store's size limit is refused without being read.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analyzer.errors import PolicyError
from analyzer.store.files import MAX_FILE_BYTES, too_large
from analyzer.store.git import GitError, git_output, run_git
from analyzer.store.importing import Incoming

__all__ = ["Commit", "file_history", "git_incoming"]

BATCH_BYTES = 64 * 1024 * 1024
"""Blob bytes read from git at once: a long history is read in batches of about this size."""


@dataclass(frozen=True)
class Commit:
    """One commit that changed the file."""

    sha: str
    when: str
    """The committer date, ISO 8601 with the commit's own offset."""
    path: str
    """The file's path at this commit (before a later rename)."""

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.when[:10])

    @property
    def label(self) -> str:
        return f"commit {self.sha[:12]} ({self.when[:10]})"


def file_history(
    repo: Path, path: str, *, rev: str | None = None, first_parent: bool = False
) -> tuple[Path, str, list[Commit]]:
    """The repository's top folder, ``path`` relative to it, and the commits of ``rev``
    (default ``HEAD``; a range like ``v1..v2`` too) that changed the file, oldest first.
    Bad input (not a repository, a path outside it, a revision that does not resolve, a file
    that never existed) is a :class:`PolicyError`."""
    top = _top(repo)
    relative = _inside(top, repo, path)
    revision = rev or "HEAD"
    if revision.startswith("-") or not revision.strip():
        raise PolicyError(f"--rev {revision!r} is not a revision")
    tip = _git(top, ["rev-list", "--max-count=1", revision, "--"], quiet=True)
    if tip is None:
        hint = " (the repository has no commits yet)" if rev is None else ""
        raise PolicyError(f"revision {revision!r} does not resolve in {repo}{hint}")
    kind = _git(top, ["cat-file", "-t", f"{tip.decode().strip()}:{relative}"], quiet=True)
    if tip.strip() and kind is not None and kind.strip() != b"blob":
        raise PolicyError(f"--path {relative!r} is a folder in {repo}, not a file")
    args = ["log", "--follow", "--no-color", "--no-show-signature", "--name-status", "-z"]
    args += ["--format=%x1e%H%x1f%cI", *(["--first-parent"] if first_parent else [])]
    output = _git(top, [*args, revision, "--", relative])
    assert output is not None
    commits = _parse_log(output, relative)
    if not commits and rev is None:
        raise PolicyError(f"--path {relative!r} was never committed in {repo}")
    if not commits:
        raise PolicyError(f"--path {relative!r}: no commit of {revision} in {repo} changed it")
    return top, relative, commits


def git_incoming(top: Path, commits: list[Commit]) -> list[Incoming]:
    """The commits as versions to import; each blob is read when the import comes to it."""
    reader = _BlobReader(top, commits)
    return [
        Incoming(
            source=f"git:{c.sha}:{c.path}",
            day=c.day,
            name=PurePosixPath(c.path).name,
            label=c.label,
            read=reader.reader(index),
        )
        for index, c in enumerate(commits)
    ]


# -- git -------------------------------------------------------------------------------------------


def _git(
    top: Path, args: list[str], *, quiet: bool = False, stdin: bytes | None = None
) -> bytes | None:
    """``git args`` in ``top``; with ``quiet`` a failure is None, else a one-line PolicyError."""
    try:
        return git_output(args, cwd=top, stdin=stdin)
    except GitError as exc:
        if exc.missing:
            raise PolicyError("git is not installed") from None
        if exc.timed_out:
            raise PolicyError(f"git took too long in {top}") from None
        if quiet:
            return None
        raise PolicyError(f"git failed in {top}: {exc.reason or 'no reason given'}") from None


def _top(repo: Path) -> Path:
    """The top folder of the repository ``repo`` is in (a bare repository is its own)."""
    if not repo.is_dir():
        raise PolicyError("no such folder", path=str(repo))
    try:
        done = run_git(["rev-parse", "--is-bare-repository", "--show-toplevel"], cwd=repo)
    except GitError as exc:
        raise PolicyError("git is not installed" if exc.missing else "git took too long") from None
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if done.returncode != 0 and lines[:1] == ["true"]:
        return repo
    if done.returncode != 0 or len(lines) < 2:
        raise PolicyError("not a git repository", path=str(repo))
    return Path(lines[1])


def _inside(top: Path, repo: Path, path: str) -> str:
    """``path`` (relative to the repository folder given, or absolute) relative to ``top``."""
    given = Path(path)
    absolute = given if given.is_absolute() else (repo / given)
    try:
        relative = absolute.resolve(strict=False).relative_to(top.resolve())
    except ValueError:
        raise PolicyError(f"--path {path!r} is not in the repository {repo}") from None
    if not relative.parts:
        raise PolicyError(f"--path {path!r} names the repository itself, not a file in it")
    return relative.as_posix()


def _parse_log(output: bytes, path: str) -> list[Commit]:
    """``git log --format=%x1e%H%x1f%cI --name-status -z`` output, newest first, as commits
    oldest first, each with the file's path at that commit; deletions left out."""
    commits: list[Commit] = []
    current = path
    for record in output.split(b"\x1e")[1:]:
        head, _, rest = record.partition(b"\0")
        sha, _, when = head.decode("ascii", "replace").partition("\x1f")
        fields = [f.decode("utf-8", "surrogateescape") for f in rest.lstrip(b"\n").split(b"\0")]
        status, here, older = _status(fields, current)
        if status != "D":
            commits.append(Commit(sha.strip(), when.strip(), here))
        current = older
    commits.reverse()
    return commits


def _status(fields: list[str], current: str) -> tuple[str, str, str]:
    """The file's status letter in one commit, its path there, and its path before it."""
    index = 0
    while index < len(fields):
        letter = fields[index][:1]
        if letter in ("R", "C") and index + 2 < len(fields):
            old, new = fields[index + 1], fields[index + 2]
            if new == current or old == current:
                return letter, new, old if letter == "R" else current
            index += 3
        elif letter and index + 1 < len(fields):
            if fields[index + 1] == current:
                return letter, current, current
            index += 2
        else:
            index += 1
    return "M", current, current  # a merge shows no status: the file is where it was


class _BlobReader:
    """Reads the file's blob at each commit in batches, on demand, through one
    ``git cat-file --batch`` per batch."""

    def __init__(self, top: Path, commits: list[Commit]) -> None:
        self.top = top
        self.specs = [f"{c.sha}:{c.path}" for c in commits]
        self.sizes: list[int | None] | None = None
        self.loaded: dict[int, bytes | str] = {}

    def reader(self, index: int) -> Callable[[], bytes]:
        return functools.partial(self.read, index)

    def read(self, index: int) -> bytes:
        if index not in self.loaded:
            self._load_from(index)
        found = self.loaded.pop(index)
        if isinstance(found, str):
            raise PolicyError(found)
        return found

    def _check_sizes(self) -> list[int | None]:
        if self.sizes is None:
            stdin = "".join(f"{s}\n" for s in self.specs).encode("utf-8", "surrogateescape")
            output = _git(
                self.top, ["cat-file", "--batch-check=%(objecttype) %(objectsize)"], stdin=stdin
            )
            sizes: list[int | None] = []
            for line in (output or b"").decode("ascii", "replace").splitlines():
                kind, _, size = line.partition(" ")
                sizes.append(int(size) if kind == "blob" and size.isdigit() else None)
            self.sizes = sizes
        return self.sizes

    def _load_from(self, first: int) -> None:
        sizes = self._check_sizes()
        batch: list[int] = []
        total = 0
        for index in range(first, len(self.specs)):
            size = sizes[index] if index < len(sizes) else None
            if size is None:
                self.loaded[index] = "the file is not a readable blob at this commit"
            elif size > MAX_FILE_BYTES:
                self.loaded[index] = too_large(size)
            else:
                if batch and total + size > BATCH_BYTES:
                    break
                batch.append(index)
                total += size
        if not batch:
            return
        stdin = "".join(f"{self.specs[i]}\n" for i in batch).encode("utf-8", "surrogateescape")
        output = _git(self.top, ["cat-file", "--batch"], stdin=stdin) or b""
        at = 0
        for index in batch:
            header_end = output.index(b"\n", at)
            size = int(output[at:header_end].split()[-1])
            self.loaded[index] = output[header_end + 1 : header_end + 1 + size]
            at = header_end + 1 + size + 1
