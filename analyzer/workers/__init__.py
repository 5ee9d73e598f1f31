"""Worker processes for work that splits into independent pieces (the revisions of a history):
the one pool mechanism of the project, used by ``policy check --jobs``, ``policy site build
--jobs`` and the corpus benchmark.

:func:`map_in_order` runs a function over items in ``jobs`` processes of this machine
(:class:`concurrent.futures.ProcessPoolExecutor`) and gives the results in the items' order, so
the output is the one a serial run gives; ``jobs=1`` runs in this process, with no pool at all.
:func:`process_pool` is the pool itself, for callers that submit and collect on their own (a
batch engine).

Each worker is a fresh interpreter (``spawn``: nothing of the parent's state, threads or loaded
model is inherited) prepared by :func:`prepare_worker`:

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
from collections.abc import Callable, Iterable, Iterator
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


def process_pool(jobs: int) -> cf.ProcessPoolExecutor:
    """A pool of ``jobs`` fresh worker processes, each prepared by :func:`prepare_worker`."""
    return cf.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=prepare_worker,
    )


def map_in_order(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    chunksize: int = 1,
) -> Iterator[R]:
    """``function(item)`` for each item, in the items' order, in ``jobs`` workers (``jobs=1``:
    here, one after the other). ``function`` and the items must be picklable (a module-level
    function and plain data); an exception in a worker is raised here, as in a serial run.

    Fewer items start fewer workers (:func:`useful_workers`); too few for two run here."""
    pending = list(items)
    workers = useful_workers(len(pending), jobs)
    if workers <= 1:
        yield from map(function, pending)
        return
    with process_pool(workers) as pool:
        yield from pool.map(function, pending, chunksize=chunksize)


def starmap_in_order(
    function: Callable[..., R], items: Iterable[tuple[Any, ...]], *, jobs: int
) -> Iterator[R]:
    """:func:`map_in_order` for a function of several arguments, one tuple per call."""
    return map_in_order(_Star(function), items, jobs=jobs)


class _Star:
    """``function(*args)`` as a picklable one-argument callable."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def __call__(self, args: tuple[Any, ...]) -> Any:
        return self.function(*args)
