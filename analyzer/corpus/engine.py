"""Where batches of revisions run; the only module that imports dask.

Two engines with one small interface (:class:`Engine`): submit a batch, wait for any to finish,
take its result. Neither schedules anything itself:

- :class:`LocalEngine`: ``--workers N`` processes of this machine, the project's one pool
  (:func:`analyzer.workers.process_pool`: forked by a fresh fork server or spawned, so that
  each worker is a fresh interpreter, single-threaded numerics, the compiled patterns of the
  user's cache), which ``--jobs`` uses too;
- :class:`DaskEngine`: a :class:`distributed.LocalCluster` of ``N`` single-threaded worker
  processes, or the running cluster whose scheduler ``--scheduler ADDRESS`` names. The workers
  must see the versions folder at the same path (a shared file system) and have
  policy-analyzer installed.

The work is embarrassingly parallel: a batch needs nothing from another, so there is no shuffle
and no data moves between workers; results come back to the caller, which writes them.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

from analyzer.corpus import missing_extra
from analyzer.corpus.work import Settings, site_batch
from analyzer.errors import PolicyError
from analyzer.workers import (
    change_weight,
    check_jobs,
    default_jobs,
    process_pool,
    split_runs,
    useful_workers,
)

if TYPE_CHECKING:
    from analyzer.archive.analysis import PendingRevision, Precompute
    from analyzer.model import ClauseTree

__all__ = ["DaskEngine", "Engine", "LocalEngine", "open_engine", "site_precompute"]


class Engine(Protocol):
    name: str
    workers: int
    """How many workers run batches at once."""

    def submit(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function(*args)`` on a worker (a module-level function, found by name)."""
        ...

    def wait_any(self, futures: Sequence[Any]) -> list[Any]:
        """The futures among ``futures`` that have finished (at least one; blocks until then)."""
        ...

    def result(self, future: Any) -> Any:
        """What the task returned; raises when the worker died or the task could not run."""
        ...

    def recover(self, error: BaseException) -> None:
        """Make the engine usable again after ``error`` (a local pool whose process died)."""
        ...

    def close(self) -> None: ...


class LocalEngine:
    """Processes of this machine."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        # the project's one pool (analyzer.workers): fresh single-threaded interpreters with the
        # compiled patterns of the user's cache, as for --jobs
        return process_pool(self.workers)

    def submit(self, function: Callable[..., Any], *args: Any) -> Any:
        return self._pool.submit(function, *args)

    def wait_any(self, futures: Sequence[Any]) -> list[Any]:
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return sorted(done, key=futures.index)

    def result(self, future: Any) -> Any:
        return future.result()

    def recover(self, error: BaseException) -> None:
        if isinstance(error, BrokenProcessPool):  # a worker died: every pending batch failed
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """A Dask cluster: a new ``LocalCluster``, or a running one."""

    name = "dask"

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        try:
            from distributed import Client, LocalCluster  # noqa: TID251
        except ImportError:  # pragma: no cover - the corpus extra is not installed
            raise missing_extra("dask.distributed") from None

        self._cluster: Any = None
        if scheduler is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                reason = " ".join(str(exc).split())[:160] or type(exc).__name__
                raise PolicyError(
                    f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({reason})"
                ) from None
        self.workers = len(self._client.scheduler_info().get("workers", {})) or 1

    def submit(self, function: Callable[..., Any], *args: Any) -> Any:
        return self._client.submit(function, *args, pure=False)

    def wait_any(self, futures: Sequence[Any]) -> list[Any]:
        from distributed import wait  # noqa: TID251

        done = wait(list(futures), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
        return [f for f in futures if f in done]

    def result(self, future: Any) -> Any:
        result = future.result()
        future.release()
        return result

    def recover(self, error: BaseException) -> None:
        """Nothing to do: the scheduler replaces dead workers itself."""

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()


def open_engine(engine: str, *, workers: int | None, scheduler: str | None) -> Engine:
    """The engine ``--engine``, ``--workers`` and ``--scheduler`` ask for."""
    if workers is not None and workers < 1:
        raise PolicyError(f"--workers must be at least 1, not {workers}")
    if engine == "local":
        if scheduler is not None:
            raise PolicyError("--scheduler needs --engine dask")
        return LocalEngine(workers or default_jobs())
    if engine == "dask":
        if scheduler is not None and workers is not None:
            raise PolicyError(
                "--workers and --scheduler exclude each other (a running cluster "
                "has its own workers)"
            )
        return DaskEngine(workers or (None if scheduler else default_jobs()), scheduler)
    raise PolicyError(f"--engine must be local or dask, not {engine!r}")


def _lines(tree: ClauseTree) -> list[str]:
    return [clause.text for clause in tree.clauses]


def site_precompute(
    engine: str | None,
    *,
    workers: int | None,
    scheduler: str | None,
    model: str | None,
    no_model: bool,
    jobs: int | None = None,
) -> Precompute | None:
    """What ``policy site build --engine`` gives the build: the revisions its cache lacks,
    analysed in batches on the engine's workers (each with its own embedder, loaded at most
    once) and sent back; the site is then rendered here. Without ``--engine``, ``--jobs N``
    (default: the cores) is the local engine with N workers, and ``--jobs 1`` None: the
    revisions are analysed one after the other, here."""
    if engine is None:
        if workers is not None or scheduler is not None:
            raise PolicyError("--workers and --scheduler need --engine")
        local = check_jobs(jobs)
        if local <= 1:
            return None
        engine, workers = "local", local
        from analyzer.workers import warm_up

        warm_up()  # the workers' imports overlap the reading of the versions
    elif jobs is not None:
        raise PolicyError("--jobs is for processes of this machine; with --engine give --workers")
    settings = Settings(model=model, no_model=no_model)

    def run(pending: Sequence[PendingRevision]) -> dict[str, Mapping[str, Any]]:
        count = workers
        if engine == "local":  # no more processes than the revisions keep busy
            count = useful_workers(len(pending), workers or default_jobs())
            if count <= 1:  # starting a process would cost more than it saves
                return dict(site_batch(tuple(pending), settings))
        opened = open_engine(engine, workers=count, scheduler=scheduler)
        try:
            if engine == "local":
                # one run of neighbouring revisions per worker, of about equal work: a
                # history's revisions share their versions, which a worker reads once
                runs = split_runs(
                    len(pending),
                    opened.workers,
                    [change_weight(_lines(p.old), _lines(p.new)) for p in pending],
                )
            else:
                size = max(1, min(32, math.ceil(len(pending) / (opened.workers * 16))))
                runs = [(i, min(i + size, len(pending))) for i in range(0, len(pending), size)]
            waiting = [opened.submit(site_batch, tuple(pending[a:b]), settings) for a, b in runs]
            out: dict[str, Mapping[str, Any]] = {}
            while waiting:
                for future in opened.wait_any(waiting):
                    waiting.remove(future)
                    out.update(opened.result(future))
            return out
        finally:
            opened.close()

    return run
