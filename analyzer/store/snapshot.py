"""The versions folder as bytes, on disk or at a git commit, and which commit ``policy check``
compares with.

This is the check's edge: it reads files and runs ``git`` (through :mod:`analyzer.store.git`);
the check (:mod:`analyzer.check`) only sees the resulting :data:`Snapshot` mappings. A snapshot holds the files of the store layout only: files at
the top of the versions folder and files one folder down (``<policy>/<file>``). Hidden files
(``.name``, such as the temporary files of an interrupted write) and deeper folders are not part of
the layout and are left out.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analyzer.errors import PolicyError
from analyzer.store.files import MAX_FILE_BYTES, read_bytes, too_large
from analyzer.store.git import GitError, git_output, run_git

Snapshot = Mapping[str, bytes]
"""File contents keyed by their path relative to the versions folder (``policy/2023-05-26.md``)."""


def in_layout(relative: str) -> bool:
    """Whether a path relative to the versions folder belongs to the store layout."""
    parts = PurePosixPath(relative).parts
    return 1 <= len(parts) <= 2 and not any(part.startswith(".") for part in parts)


def from_folder(root: Path) -> dict[str, bytes]:
    """Every file of the layout under ``root`` as it stands on disk.

    Symbolic links are read only when they stay inside ``root`` (:func:`analyzer.store.files.read_bytes`
    refuses the others, which is bad input).
    """
    if not root.is_dir():
        raise PolicyError("versions folder not found", path=str(root))
    files: dict[str, bytes] = {}
    for top in sorted(root.iterdir()):
        if top.name.startswith("."):
            continue
        if top.is_dir():
            for child in sorted(top.iterdir()):
                if not child.name.startswith(".") and not child.is_dir():
                    files[f"{top.name}/{child.name}"] = read_bytes(child, root=root)
        else:
            files[top.name] = read_bytes(top, root=root)
    return files


@dataclass(frozen=True)
class Repo:
    """A git work tree that holds the versions folder."""

    top: Path
    """The work tree's top-level folder."""
    folder: str
    """The versions folder relative to ``top``, POSIX style (``policy_versions``); ``.`` for the
    top itself."""


def find_repo(versions: Path) -> Repo | None:
    """The git work tree that contains ``versions``, or None (no git, or not inside a work tree)."""
    if not versions.is_dir():
        raise PolicyError("versions folder not found", path=str(versions))
    try:
        done = run_git(["rev-parse", "--show-toplevel"], cwd=versions)
    except GitError as exc:
        if exc.missing:
            return None
        raise PolicyError("git took too long to answer") from None
    except PermissionError:
        return None
    if done.returncode != 0:
        reason = done.stderr
        if "not a git repository" in reason or not reason:
            return None
        # A repository git refuses to read (dubious ownership, a broken .git) must not turn
        # into a silent check without base.
        first = reason.splitlines()[0].removeprefix("fatal: ")
        raise PolicyError(f"git cannot read the repository: {first}")
    top = Path(os.fsdecode(done.stdout.strip()))
    try:
        relative = versions.resolve().relative_to(top.resolve())
    except ValueError:
        return None
    return Repo(top=top, folder=relative.as_posix())


def git(repo: Repo, *args: str, stdin: bytes | None = None) -> bytes:
    """Run a git command in the work tree; a failure is bad input naming git's own reason."""
    try:
        return git_output(list(args), cwd=repo.top, stdin=stdin)
    except GitError as exc:
        if exc.missing:
            raise PolicyError("git is not installed") from None
        if exc.timed_out:
            raise PolicyError(f"git {args[0]} took too long") from None
        raise PolicyError(f"git {args[0]} failed: {exc.reason or 'no reason given'}") from None


def commit_of(repo: Repo, rev: str) -> str | None:
    """The commit a revision names, or None when it names none."""
    if not rev or rev.startswith("-"):
        return None
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except PolicyError:
        return None
    return out.decode().strip() or None


def from_commit(repo: Repo, commit: str | None) -> dict[str, bytes]:
    """The layout files of the versions folder at ``commit`` (None: the empty tree)."""
    if commit is None:
        return {}
    prefix = "" if repo.folder == "." else repo.folder + "/"
    listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix or ".")
    wanted: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        head, _, raw_path = record.partition(b"\t")
        mode, kind, sha = head.decode().split()
        path = raw_path.decode("utf-8", "surrogateescape")
        # Regular files only: a symlink or a submodule is not a version file at any commit.
        if kind != "blob" or mode not in ("100644", "100755"):
            continue
        relative = path[len(prefix) :] if prefix else path
        if path.startswith(prefix) and in_layout(relative):
            wanted.append((relative, sha))
    if not wanted:
        return {}
    batch = git(
        repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in wanted).encode()
    )
    files: dict[str, bytes] = {}
    offset = 0
    for relative, _sha in wanted:
        end = batch.index(b"\n", offset)
        size = int(batch[offset:end].split()[2])
        if size > MAX_FILE_BYTES:
            raise PolicyError(too_large(size), path=f"{commit[:12]}:{prefix}{relative}")
        files[relative] = batch[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1  # the blob, then a newline
    return files


def same_content(a: bytes | None, b: bytes | None) -> bool:
    """Equal files, ignoring CRLF versus LF (a checkout with autocrlf is not an edit)."""
    if a is None or b is None:
        return a is b
    return a.replace(b"\r\n", b"\n") == b.replace(b"\r\n", b"\n")


def changed_paths(base: Snapshot, current: Snapshot) -> set[str]:
    """Paths added, removed or edited between two snapshots."""
    return {p for p in set(base) | set(current) if not same_content(base.get(p), current.get(p))}


@dataclass(frozen=True)
class Base:
    """What the working tree is compared with."""

    label: str
    """How the base was chosen, for people: ``main`` (given), ``merge base of HEAD and main``,
    ``HEAD~1``, ``empty tree``."""
    commit: str | None
    """The base commit, or None for the empty tree (a repository without history)."""
    files: dict[str, bytes]
    """The versions folder at the base."""

    def to_dict(self) -> dict[str, str | None]:
        return {"label": self.label, "commit": self.commit}


DEFAULT_BRANCHES = ("main", "master", "origin/main", "origin/master")
"""Tried in order when ``origin/HEAD`` names no default branch."""


def default_branch(repo: Repo) -> str | None:
    """``origin/HEAD``'s target, else the first of :data:`DEFAULT_BRANCHES` that exists."""
    try:
        ref = git(repo, "symbolic-ref", "-q", "refs/remotes/origin/HEAD").decode().strip()
    except PolicyError:
        ref = ""
    if ref.startswith("refs/remotes/") and commit_of(repo, ref):
        return ref.removeprefix("refs/remotes/")
    for name in DEFAULT_BRANCHES:
        if commit_of(repo, name):
            return name
    return None


def choose_base(repo: Repo, rev: str | None, worktree: Snapshot) -> Base:
    """The base of the comparison, as ``policy check --help`` documents it.

    - ``rev`` given: that commit (exit 2 when it names none).
    - Otherwise the merge base of HEAD and the default branch; when that is HEAD itself (on the
      default branch, or a branch not ahead of it) and the versions folder has no changes in the
      working tree, HEAD's first parent instead, so that the last commit is what gets checked.
      A repository whose HEAD has no parent (or no commit yet) is compared with the empty tree.
    """
    if rev is not None:
        commit = commit_of(repo, rev)
        if commit is None:
            raise PolicyError(f"--base: unknown revision {rev!r}")
        return Base(label=rev, commit=commit, files=from_commit(repo, commit))
    head = commit_of(repo, "HEAD")
    if head is None:
        return Base(label="empty tree (no commit yet)", commit=None, files={})
    branch = default_branch(repo)
    if branch is not None:
        try:
            found = git(repo, "merge-base", "HEAD", branch).decode().strip()
        except PolicyError:
            raise PolicyError(
                f"HEAD and {branch} have no common ancestor; name a base with --base"
            ) from None
        if found != head:
            return Base(
                label=f"merge base of HEAD and {branch}",
                commit=found,
                files=from_commit(repo, found),
            )
    at_head = from_commit(repo, head)
    if changed_paths(at_head, worktree):
        return Base(label="HEAD (uncommitted changes)", commit=head, files=at_head)
    parent = commit_of(repo, "HEAD~1")
    if parent is None:
        return Base(label="empty tree (HEAD has no parent)", commit=None, files={})
    return Base(
        label="HEAD~1 (the last commit is checked)", commit=parent, files=from_commit(repo, parent)
    )
