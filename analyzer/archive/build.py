"""``policy site build``: the public archive, a static site built from a versions folder.

What the site shows is worked out in three steps:

1. **read** every version of every policy (``<versions>/<policy>/<date>[.<lang>].md``; a
   ``policy.yaml`` is optional, so a folder of imported history such as the corpus works too)
   and parse it, and
2. **analyse** each revision (a version against the previous one of its policy and language):
   the clause alignment (for the anchors), and the pipeline's report through one seam,
   :func:`analyzer.archive.analysis.revision_report` (both in :mod:`analyzer.archive.analysis`);
3. **render** the pages (:mod:`analyzer.archive.pages`) with clause anchors that survive
   renumbering (:mod:`analyzer.archive.anchors`).

This module runs the three steps (:func:`build_site`) and records the anchors of published
versions for good (:func:`freeze_anchors`).

The build is deterministic (the same folder gives byte-identical files: no clock, no absolute
path), **atomic** (it writes into a temporary folder next to the output and swaps it in at the
end, so a failed or killed build leaves the previous site as it was), **locked** (a second
build of the same output waits for the first; see :mod:`analyzer.archive.publish`) and
**incremental** (parsed versions and analysed revisions are cached by content: see
:class:`analyzer.archive.cache.BuildCache`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.archive.analysis import Precompute, ProgressCallback, frozen_anchors, load_site
from analyzer.archive.anchors import (
    ANCHORS_FILE,
    dump_frozen,
    freeze,
)
from analyzer.archive.cache import BuildCache, code_fingerprint
from analyzer.archive.pages import PageJob, plan_site
from analyzer.archive.publish import (
    MARKER,
    build_lock,
    check_output,
    clean_leftovers,
    manifest_text,
    read_manifest,
    reuse_file,
    swap_in,
)
from analyzer.errors import PolicyError
from analyzer.store.files import write_atomic
from analyzer.store.versions import Store
from analyzer.templates import template_folder

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder

PAUSE_ENV = "POLICY_SITE_TEST_PAUSE_AFTER"
"""Test hook: pause (sleep) after writing this many files, to test a build killed halfway."""


def site_folder() -> Path:
    """Templates and assets: the repository's ``site/`` folder, else the copy in the wheel."""
    folder = template_folder("site", "templates/base.html")
    if folder is not None:
        return folder
    raise PolicyError("the archive site templates are missing (site/ or analyzer/_templates/site)")


# -- anchors of published versions --------------------------------------------------------------------


def freeze_anchors(
    versions: Path,
    policies: Sequence[str] | None = None,
    *,
    cache: BuildCache | None = None,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
) -> list[tuple[str, str]]:
    """Record the anchors of published versions in each policy's ``anchors.json``.

    Only versions not yet recorded are added; a recorded version is never changed. Returns the
    ``(policy, version key)`` pairs added.
    """
    store = Store(versions)
    loaded = load_site(
        versions, cache=cache, embedder=embedder, unavailable=unavailable, only=policies
    )
    added: list[tuple[str, str]] = []
    for site_policy in loaded.site.policies:
        policy = site_policy.id
        frozen = frozen_anchors(store, policy)
        new = [v for v in site_policy.versions if v.status == "published" and v.key not in frozen]
        if not new:
            continue
        for version in new:
            frozen[version.key] = freeze(version.key, version.tree, version.anchors)
            added.append((policy, version.key))
        write_atomic(store.root / policy / ANCHORS_FILE, dump_frozen(frozen.values()))
    return added


# -- building ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    """What ``policy site build`` made."""

    index: Path
    """The home page (``<output>/index.html``)."""
    policies: int
    versions: int
    revisions: int
    files: int
    rendered: int
    """Files made afresh; the others were reused from the previous build unchanged."""
    bytes: int
    cache_hits: int
    cache_misses: int
    seconds: float
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"{self.policies} polic{'y' if self.policies == 1 else 'ies'}, "
            f"{self.versions} versions, {self.revisions} revisions; {self.files} files "
            f"({self.rendered} rendered, {self.files - self.rendered} unchanged), "
            f"{self.bytes / 1_048_576:.1f} MiB in {self.seconds:.1f} s; analyses: "
            f"{self.cache_hits} cached, {self.cache_misses} computed"
        )


def build_site(
    versions: Path,
    output: Path,
    *,
    cache: BuildCache | None = None,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
    base_url: str | None = None,
    progress: ProgressCallback | None = None,
    on_wait: Callable[[], None] | None = None,
    precompute: Precompute | None = None,
    render_jobs: int = 1,
) -> BuildResult:
    """Build the archive of ``versions`` into ``output``, atomically (see the module docstring);
    ``precompute`` analyses the revisions the cache lacks elsewhere (``--engine``);
    ``render_jobs`` processes write the pages (see :func:`_write_files`)."""
    started = time.monotonic()
    output = Path(os.path.abspath(output))
    check_output(output, versions)
    folder = site_folder()
    cache = cache or BuildCache(None)
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output, on_wait):
        clean_leftovers(output)
        loaded = load_site(
            versions,
            cache=cache,
            embedder=embedder,
            unavailable=unavailable,
            base_url=base_url,
            progress=progress,
            precompute=precompute,
        )
        site = loaded.site
        bytecode = None if cache.root is None else cache.root / "templates"
        try:
            jobs = plan_site(site, folder, code=code_fingerprint(), bytecode=bytecode)
        except OSError:  # a cache folder that cannot be made: compile the templates each time
            jobs = plan_site(site, folder, code=code_fingerprint())
        previous = read_manifest(output)
        pause = int(os.environ.get(PAUSE_ENV, "0") or 0)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.build-", dir=output.parent))
        try:
            manifest, size, rendered = _write_files(
                jobs, previous, output, staging, render_jobs, progress, pause
            )
            (staging / MARKER).write_text(manifest_text(manifest), encoding="utf-8")
            os.chmod(staging, 0o755)
            swap_in(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(
        index=output / "index.html",
        policies=len(site.policies),
        versions=sum(len(p.versions) for p in site.policies),
        revisions=sum(1 for p in site.policies for v in p.versions if v.revision is not None),
        files=len(jobs),
        rendered=rendered,
        bytes=size,
        cache_hits=cache.hits,
        cache_misses=cache.misses,
        seconds=time.monotonic() - started,
        notes=loaded.notes,
    )


def _write_files(
    jobs: Sequence[PageJob],
    previous: Mapping[str, list[str]],
    output: Path,
    staging: Path,
    workers: int,
    progress: ProgressCallback | None,
    pause: int,
) -> tuple[dict[str, list[str]], int, int]:
    """Every file of the site into ``staging``: a previous build's file whose fingerprint
    matches is linked, the others are rendered. With ``workers`` > 1 (and ``fork``, which
    Linux has), the rendering is shared by forked processes that inherit the site model as it
    is (nothing to send them but page numbers); each writes its pages and sends back their
    digests, taken here in the pages' order, so the files and the manifest are the ones a
    serial build makes. Returns the manifest, the bytes written and the pages rendered."""
    digests: list[str | None] = []
    for job in jobs:
        target = staging / job.path
        target.parent.mkdir(parents=True, exist_ok=True)
        # pausing (a test's hook) goes file by file, in order
        digests.append(None if pause else reuse_file(job, previous, output, target))
    todo = [index for index, digest in enumerate(digests) if digest is None]
    done = len(jobs) - len(todo)
    if progress and done:
        progress("write", done, len(jobs))
    forked = workers > 1 and not pause and len(todo) >= _FORK_LEAST and _can_fork()
    made = _render_forked(jobs, todo, staging, workers) if forked else None
    rendered = 0
    for index in todo:
        if made is not None:
            digest: str | None = next(made)
            rendered += 1
        else:  # the first pass left reuse to this one only when pausing
            target = staging / jobs[index].path
            digest = reuse_file(jobs[index], previous, output, target) if pause else None
            if digest is None:
                digest = _render_one(jobs, staging, index)
                rendered += 1
        digests[index] = digest
        done += 1
        if progress:
            progress("write", done, len(jobs))
        if pause and done == pause:
            sys.stderr.write(f"paused after {done} files\n")
            sys.stderr.flush()
            time.sleep(3600)
    manifest: dict[str, list[str]] = {}
    size = 0
    for job, digest in zip(jobs, digests, strict=True):
        size += (staging / job.path).stat().st_size
        manifest[job.path] = [job.fingerprint or "", digest or ""]
    return manifest, size, rendered


_FORK_LEAST = 64
"""Fewer pages than this are rendered here: starting processes would cost more."""

_FORKED: tuple[Sequence[PageJob], Path] | None = None
"""The pages and the staging folder, as the forked renderers inherit them."""


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _render_one(jobs: Sequence[PageJob], staging: Path, index: int) -> str:
    data = jobs[index].render()
    (staging / jobs[index].path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _render_in_child(index: int) -> str:
    assert _FORKED is not None
    return _render_one(_FORKED[0], _FORKED[1], index)


def _render_forked(
    jobs: Sequence[PageJob], todo: Sequence[int], staging: Path, workers: int
) -> Iterator[str]:
    """The digests of the pages ``todo``, in that order, rendered by ``workers`` forked
    processes (an error in one is raised here, as in a serial build)."""
    global _FORKED
    _FORKED = (jobs, staging)
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(16, len(todo) // (workers * 8)))
        with context.Pool(workers) as pool:
            yield from pool.imap(_render_in_child, todo, chunksize=chunk)
    finally:
        _FORKED = None
