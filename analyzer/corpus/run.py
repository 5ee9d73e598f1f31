"""One ``policy corpus analyze``: list the archive, skip what is done, run the rest, assemble.

**Keys.** Each revision's row is stored under a key: the SHA-256 of the analyzer's code
fingerprint (its version and every source and data file), the criteria pack's hash, the model id
(or ``lexical``), the policy, the chain's language, both version ids with the SHA-256 of both
files' bytes, and the declaration the listing read for it. A row whose key is already stored
under ``--out`` (in the last run's tables, or in the parts a killed run left) is not computed
again; anything that changes a key (an edited file, another pack, model or analyzer) makes that
row anew.

**Order.** Rows are written in the listing's order (policy, chain, position), whatever order the
workers finish in, so two runs over the same inputs give the same tables row for row (except
``seconds``, the time spent).

**Faults.** A revision that fails is a row with its ``error``. A batch whose worker died is split
and its revisions tried one by one; a revision whose worker dies again is a row saying so (and
is tried again by the next run).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.corpus.engine import open_engine
from analyzer.corpus.listing import Revision, list_archive
from analyzer.corpus.table import assemble, done_keys, write_part
from analyzer.corpus.work import (
    BatchResult,
    Settings,
    Task,
    analyse_batch,
    error_row,
    error_rows,
    model_name,
)
from analyzer.errors import PolicyError

__all__ = ["RunResult", "analyze_corpus", "plan_batches", "row_key"]

MARKER = ".policy-corpus"
"""File at the root of a results folder: a run writes only into a folder that carries it (or
an empty one)."""
ROW_SCHEMA = "policy-corpus-row/1"
PAUSE_ENV = "POLICY_CORPUS_TEST_PAUSE_AFTER"
"""Test hook: pause (sleep) after storing this many batches, to test a run killed halfway."""
WORKER_DIED = "worker died"
"""How the error of a revision whose worker died twice starts (such rows are tried again)."""
MAX_BATCH = 32


@dataclass
class RunResult:
    """What one run did, with the figures the benchmark reads."""

    policies: int
    versions: int
    revisions: int
    reused: int
    computed: int
    failed: int
    findings: int
    engine: str
    workers: int
    seconds: float
    listing_seconds: float
    """Time spent listing the archive (reading and hashing every version)."""
    bytes_listed: int
    batches: int
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    """Peak resident memory per worker process (``host:pid``), MiB."""
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """CPU time per worker process (``host:pid``), seconds."""
    write_seconds: float = 0.0
    """Time the caller spent storing finished batches (``parts/``)."""
    assemble_seconds: float = 0.0
    """Time spent writing the two tables from the stored parts."""
    row_seconds: float = 0.0
    """Time the workers spent on the rows computed (the sum of their ``seconds``)."""
    model_loaded_by: list[str] = field(default_factory=list)
    """Worker processes (``host:pid``) that loaded the embedding model."""
    notes: tuple[str, ...] = ()
    out: str = ""
    """The results folder."""

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["notes"] = list(self.notes)
        return out

    def summary(self) -> str:
        rate = self.computed / self.seconds if self.seconds > 0 else 0.0
        peaks = sorted(self.peak_rss_mib.values())
        memory = (
            f"; peak memory per worker {', '.join(f'{p:.0f}' for p in peaks)} MiB" if peaks else ""
        )
        return (
            f"{self.policies} policies, {self.versions} versions, {self.revisions} revisions: "
            f"{self.computed} analysed, {self.reused} reused from an earlier run, "
            f"{self.failed} failed; {self.findings} findings. {self.engine} engine, "
            f"{self.workers} worker(s), {self.seconds:.1f} s ({rate:.1f} revisions/s)"
            f"{memory}\nwrote {Path(self.out) / 'revisions.parquet'} and "
            f"{Path(self.out) / 'findings.parquet'}"
        )


def row_key(revision: Revision, *, code: str, pack: str, model: str) -> str:
    """The key a revision's row is stored under (see the module docstring)."""
    parts = (
        ROW_SCHEMA,
        code,
        pack,
        model,
        revision.policy,
        revision.language or "",
        revision.old.version,
        revision.old.sha256 or "",
        revision.new.version,
        revision.new.sha256 or "",
        revision.declared[0] or "",
        revision.declared[1] or "",
    )
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def plan_batches(tasks: Sequence[Task], size: int) -> list[list[Task]]:
    """Consecutive tasks in groups of ``size`` (a chain's revisions stay together, so each
    version is parsed once per batch)."""
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def batch_name(tasks: Sequence[Task]) -> str:
    return hashlib.sha256("\n".join(t.key for t in tasks).encode()).hexdigest()[:24]


def _prepare_out(out: Path, versions: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PolicyError("results path exists and is not a folder", path=str(out))
    real_out, real_versions = out.resolve(), versions.resolve()
    if real_out == real_versions or real_versions in real_out.parents:
        raise PolicyError("results must not go inside the versions folder", path=str(out))
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise PolicyError(
            f"folder is not empty and holds no results of policy corpus analyze (no {MARKER}); "
            "refusing to write into it",
            path=str(out),
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text(f"{ROW_SCHEMA}\n", encoding="utf-8")
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot write", path=str(out)) from None


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock: runs are not serialised
        yield
        return
    with (out / ".lock").open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PolicyError(
                "another policy corpus analyze is writing here", path=str(out)
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def analyze_corpus(
    versions: Path,
    out: Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    settings: Settings | None = None,
    model: str | None = None,
    no_model: bool = False,
    criteria: str | None = None,
    batch: int | None = None,
    stats: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Analyse every revision of ``versions`` into the tables under ``out`` (see the module).
    ``model``/``no_model`` make the :class:`Settings` when none are given; ``stats`` is where the
    run's figures go as JSON."""
    from analyzer.archive.cache import code_fingerprint
    from analyzer.judge.criteria import load_pack

    settings = settings or Settings(model=model, no_model=no_model)
    if settings.model is not None and settings.no_model:
        raise PolicyError("--model and --no-model cannot be used together")
    started = time.perf_counter()
    listing = list_archive(versions, criteria=criteria)
    listed_at = time.perf_counter()
    _prepare_out(out, versions)
    model = model_name(settings)  # also refuses a bad --model before any worker starts
    packs = {ref: load_pack(ref).sha256 for ref in sorted({c.pack for c in listing.chains})}
    code = code_fingerprint()
    tasks = [
        Task(row_key(r, code=code, pack=packs[r.pack], model=model), r) for r in listing.revisions
    ]
    order = [t.key for t in tasks]
    with _locked(out):
        done, notes = done_keys(out, retry=WORKER_DIED)
        pending = [t for t in tasks if t.key not in done]
        unreadable = [
            t for t in pending if t.revision.old.sha256 is None or t.revision.new.sha256 is None
        ]
        runnable = [t for t in pending if t not in unreadable]
        if unreadable:
            rows = [_unreadable_row(t) for t in unreadable]
            write_part(out, batch_name(unreadable), rows, [])
        result = RunResult(
            policies=len({c.policy for c in listing.chains}),
            versions=listing.versions,
            revisions=len(tasks),
            reused=len(tasks) - len(pending),
            computed=len(pending),
            failed=0,
            findings=0,
            engine=engine,
            workers=0,
            seconds=0.0,
            listing_seconds=listed_at - started,
            bytes_listed=listing.bytes_read,
            batches=0,
            notes=(*listing.notes, *notes),
            out=str(out),
        )
        if runnable:
            _run(runnable, out, engine, workers, scheduler, settings, batch, progress, result)
        assembling = time.perf_counter()
        assembled = assemble(out, order)
        result.assemble_seconds = time.perf_counter() - assembling
    result.failed = assembled.failed
    result.findings = assembled.findings
    result.seconds = time.perf_counter() - started
    if stats is not None:
        write_stats(result, stats)
    return result


def _unreadable_row(task: Task) -> dict[str, Any]:
    revision = task.revision
    bad = revision.old if revision.old.sha256 is None else revision.new
    return error_row(task, f"version {bad.version}: {bad.error}")


def _run(
    tasks: list[Task],
    out: Path,
    engine_name: str,
    workers: int | None,
    scheduler: str | None,
    settings: Settings,
    batch: int | None,
    progress: Callable[[int, int], None] | None,
    result: RunResult,
) -> None:
    engine = open_engine(engine_name, workers=workers, scheduler=scheduler)
    result.workers = engine.workers
    size = batch or max(1, min(MAX_BATCH, math.ceil(len(tasks) / (engine.workers * 4))))
    queue: deque[list[Task]] = deque(plan_batches(tasks, size))
    result.batches = len(queue)
    pause = int(os.environ.get(PAUSE_ENV, "0") or 0)
    stored = finished = 0
    inflight: dict[Any, list[Task]] = {}
    tried_alone: set[str] = set()
    try:
        while queue or inflight:
            while queue and len(inflight) < engine.workers * 2:
                batch_tasks = queue.popleft()
                inflight[engine.submit(analyse_batch, tuple(batch_tasks), settings)] = batch_tasks
            for future in engine.wait_any(list(inflight)):
                batch_tasks = inflight.pop(future)
                rows: BatchResult | None
                try:
                    rows = engine.result(future)
                except Exception as exc:  # the worker died, or the task could not run
                    engine.recover(exc)
                    rows = _after_failure(batch_tasks, exc, queue, tried_alone)
                if rows is None:
                    continue
                writing = time.perf_counter()
                write_part(out, batch_name(batch_tasks), rows.revisions, rows.findings)
                result.write_seconds += time.perf_counter() - writing
                _record(result, rows)
                stored += 1
                finished += len(batch_tasks)
                if progress:
                    progress(finished, len(tasks))
                if pause and stored == pause:
                    sys.stderr.write(f"paused after {stored} batches\n")
                    sys.stderr.flush()
                    time.sleep(3600)
    finally:
        engine.close()


def _after_failure(
    tasks: list[Task], exc: BaseException, queue: deque[list[Task]], tried_alone: set[str]
) -> BatchResult | None:
    """Split a failed batch into single revisions (queued again); a single revision that failed
    alone twice becomes an error row."""
    if len(tasks) > 1:
        queue.extendleft([task] for task in reversed(tasks))
        return None
    key = tasks[0].key
    if key not in tried_alone:
        tried_alone.add(key)
        queue.appendleft(tasks)
        return None
    reason = " ".join(str(exc).split())[:200]
    return error_rows(tasks, f"{WORKER_DIED}: {type(exc).__name__}: {reason}")


def _record(result: RunResult, rows: BatchResult) -> None:
    result.row_seconds += sum(float(r.get("seconds") or 0.0) for r in rows.revisions)
    if not rows.worker:
        return
    result.cpu_seconds[rows.worker] = max(
        result.cpu_seconds.get(rows.worker, 0.0), rows.cpu_seconds
    )
    peak = rows.peak_rss_kib / 1024
    result.peak_rss_mib[rows.worker] = max(result.peak_rss_mib.get(rows.worker, 0.0), peak)
    if rows.model_loaded and rows.worker not in result.model_loaded_by:
        result.model_loaded_by.append(rows.worker)


def write_stats(result: RunResult, path: Path) -> None:
    """The run's figures as JSON (``--stats``)."""
    from analyzer.store.files import write_atomic

    try:
        write_atomic(path, json.dumps(result.to_dict(), indent=1, sort_keys=True) + "\n")
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot write", path=str(path)) from None
