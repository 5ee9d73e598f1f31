"""Worker processes for work that splits into independent pieces (the revisions of a history):
the one pool mechanism of the project, used by ``policy check --jobs``, ``policy site build
--jobs`` and the corpus benchmark.

:func:`map_in_order` runs a function over items in ``jobs`` processes of this machine
(:class:`concurrent.futures.ProcessPoolExecutor`) and gives the results in the items' order, so
the output is the one a serial run gives; ``jobs=1`` runs in this process, with no pool at all.
:func:`process_pool` is the pool itself, for callers that submit and collect on their own (a
batch engine).

Each worker is a fresh interpreter (nothing of the parent's state, threads or loaded model is
inherited): on Linux it is forked by a fork server that imported the analyzer once
(:mod:`analyzer.workers.preload`; started early by :func:`warm_up`, so that its imports overlap
the caller's reading of the versions), elsewhere spawned. Each is prepared by
:func:`prepare_worker`:

- its numeric libraries use one thread (``OMP_NUM_THREADS=1`` …, set before numpy is imported):
  a worker is one core's worth of work, and two workers each running threaded matrix products on
  two cores would fight for them;
- it uses the compiled patterns and vocabulary tries of the user's cache
  (:mod:`analyzer.store.compiled`), so a worker does not compile them again;
- what a worker loads once (the criteria packs, the embedding model) it keeps for every piece
  it is given: the model is loaded at most once per worker, and only by a worker whose
  revisions need it.

On-disk caches are shared by the workers as by separate ``policy`` processes: every entry is
written to a temporary file and renamed into place (the site's build cache, the compiled
patterns), or under a lock (the embedding cache's shards), so no reader sees half an entry.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from analyzer.errors import PolicyError

T = TypeVar("T")
R = TypeVar("R")

__all__ = [
    "SINGLE_THREADED",
    "check_jobs",
    "default_jobs",
    "map_in_order",
    "prepare_worker",
    "process_pool",
    "starmap_in_order",
    "useful_workers",
]

SINGLE_THREADED = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
"""What a worker's numeric libraries are told before they load: one thread each."""


def default_jobs() -> int:
    """The cores this process may run on (``--jobs`` when it is not given)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None, option: str = "--jobs") -> int:
    """``jobs`` as given (None: :func:`default_jobs`); fewer than 1 is bad input."""
    if jobs is None:
        return default_jobs()
    if jobs < 1:
        raise PolicyError(f"{option} must be at least 1, not {jobs}")
    return jobs


MIN_ITEMS_PER_WORKER = 2
"""A worker is started only for at least this many pieces of work: starting one (a fresh
interpreter importing the analyzer) costs about what one revision's analysis does."""


def useful_workers(items: int, jobs: int) -> int:
    """How many of ``jobs`` workers ``items`` pieces of work keep busy (1: run them here)."""
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def prepare_worker() -> None:
    """What every worker does first (see the module docstring)."""
    os.environ.update(SINGLE_THREADED)
    from analyzer.store.compiled import install_disk_store

    install_disk_store()


def start_method() -> str:
    """How workers start: forked by a fork server that imported the analyzer once
    (:mod:`analyzer.workers.preload`) where the platform has one, else spawned."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _context() -> Any:
    """The multiprocessing context workers start from (the fork server told what to import)."""
    method = start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["analyzer.workers.preload"])
    return context


def warm_up() -> None:
    """Start the fork server now, so that its imports overlap the caller's own work (reading
    the versions) rather than wait for the first pool. Nothing on a platform without one."""
    if start_method() == "forkserver":
        from multiprocessing import forkserver

        _context()
        forkserver.ensure_running()


def process_pool(jobs: int) -> cf.ProcessPoolExecutor:
    """A pool of ``jobs`` fresh worker processes, each prepared by :func:`prepare_worker`."""
    return cf.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_context(),
        initializer=prepare_worker,
    )


def map_in_order(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    chunksize: int = 1,
    contiguous: bool = False,
    weights: Sequence[float] | None = None,
) -> Iterator[R]:
    """``function(item)`` for each item, in the items' order, in ``jobs`` workers (``jobs=1``:
    here, one after the other). ``function`` and the items must be picklable (a module-level
    function and plain data); an exception in a worker is raised here, as in a serial run.

    Fewer items start fewer workers (:func:`useful_workers`); too few for two run here.
    ``contiguous``: each worker takes one run of neighbouring items (the first half, the
    second half …) rather than every other one, for items that share work with their
    neighbours (the revisions of a history: each version is the new side of one and the old
    side of the next, and a worker reads a version once for both). ``weights``, one per item:
    how much work each is thought to be, so that the runs are of about equal work."""
    pending = list(items)
    workers = useful_workers(len(pending), jobs)
    if workers <= 1:
        yield from map(function, pending)
        return
    if not contiguous:
        with process_pool(workers) as pool:
            yield from pool.map(function, pending, chunksize=chunksize)
        return
    runs = split_runs(len(pending), workers, weights)
    with process_pool(workers) as pool:
        futures = [pool.submit(_run_all, function, pending[a:b]) for a, b in runs]
        for future in futures:
            yield from future.result()


def split_runs(
    count: int, parts: int, weights: Sequence[float] | None = None
) -> list[tuple[int, int]]:
    """``parts`` runs ``(start, end)`` of neighbouring items, in order, covering ``count``
    items, each of about the same total weight (the same number of items without weights);
    none empty."""
    parts = max(1, min(parts, count))
    sizes = [float(w) for w in weights] if weights is not None else [1.0] * count
    if len(sizes) != count:
        raise ValueError(f"{len(sizes)} weights for {count} items")
    total = sum(sizes)
    runs: list[tuple[int, int]] = []
    start, acc = 0, 0.0
    for i, size in enumerate(sizes):
        acc += size
        left = parts - len(runs) - 1  # runs still to make after this one
        if left == 0:
            break
        # close the run here when it has its share (keeping an item for every later run), or
        # when only as many items are left as runs still to make
        rest = count - (i + 1)
        if (acc >= total * (len(runs) + 1) / parts and rest >= left) or rest == left:
            runs.append((start, i + 1))
            start = i + 1
    runs.append((start, count))
    return runs


FIXED_WEIGHT = 7000
"""What analysing a revision costs whatever it changed, in characters of changed lines
(measured on the GitHub privacy statement's history: about 0.08 s for a one-line change, 1 s
for 80,000 changed characters)."""


def change_weight(old_lines: Iterable[str], new_lines: Iterable[str]) -> float:
    """How much work analysing a revision is thought to be, for :func:`split_runs`: the
    characters of the lines one version has and the other has not, plus a fixed part. Only to
    share revisions out among workers; no result depends on it."""
    before, after = set(old_lines), set(new_lines)
    return FIXED_WEIGHT + sum(len(line) for line in before ^ after)


def _run_all(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``function`` over a run of items, in one worker (what :func:`map_in_order` submits)."""
    return [function(item) for item in items]


def starmap_in_order(
    function: Callable[..., R],
    items: Iterable[tuple[Any, ...]],
    *,
    jobs: int,
    contiguous: bool = False,
    weights: Sequence[float] | None = None,
) -> Iterator[R]:
    """:func:`map_in_order` for a function of several arguments, one tuple per call."""
    return map_in_order(_Star(function), items, jobs=jobs, contiguous=contiguous, weights=weights)


class _Star:
    """``function(*args)`` as a picklable one-argument callable."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def __call__(self, args: tuple[Any, ...]) -> Any:
        return self.function(*args)
