"""What a worker does with a batch of revisions: read, parse, analyse, and turn reports into rows.

This runs in worker processes (local processes or Dask workers), so everything it needs travels
in the batch: file paths with the hashes the listing saw, the criteria pack reference, and
:class:`Settings`. Per worker process, the embedder is built at most once and the model inside
it loaded at most once, on the first text the lexical step cannot settle (:func:`embedder_for`);
its vectors go to the shared on-disk cache, which many processes may write at once (a lock per
shard, atomic renames: see :mod:`analyzer.embedder`). Criteria packs are loaded once per worker.

A revision that fails (a file that cannot be read or changed since it was listed, bad front
matter, a bug) becomes a row with its error: the rest of the batch goes on.
"""

from __future__ import annotations

import functools
import hashlib
import os
import resource
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer import __version__
from analyzer.corpus.declared import ANNOUNCED_LEVELS, from_front_matter
from analyzer.corpus.listing import Revision, VersionRef
from analyzer.errors import PolicyError
from analyzer.model import ClauseTree, Report

if TYPE_CHECKING:
    from analyzer.archive.analysis import PendingRevision
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

__all__ = [
    "BatchResult",
    "Settings",
    "Task",
    "analyse_batch",
    "embedder_for",
    "error_rows",
    "grouped_reasons",
    "site_batch",
]

COUNTED = (
    "changes",
    "added",
    "removed",
    "modified",
    "moved",
    "renumbered",
    "split",
    "merged",
    "editorial",
    "substantive",
)
"""Counts of a report's summary kept as columns: changes by kind and by nature."""


@dataclass(frozen=True)
class Settings:
    """How every revision of a run is analysed (the same for all workers)."""

    model: str | None = None
    """``--model``: a local sentence-transformers folder (None: the packaged default)."""
    no_model: bool = False
    """``--no-model``: lexical similarity only."""


@dataclass(frozen=True)
class Task:
    """One revision to analyse, with the key its row is stored under."""

    key: str
    revision: Revision


@dataclass(frozen=True)
class BatchResult:
    """The rows of a batch, and what the worker that made them looked like."""

    revisions: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    worker: str
    """``host:pid`` of the worker process."""
    peak_rss_kib: int
    """The worker process's peak resident memory so far (KiB)."""
    cpu_seconds: float
    """CPU time the worker process has used so far (user + system)."""
    model_loaded: bool
    """Whether this worker has loaded the embedding model."""


# -- the worker-level cache ------------------------------------------------------------------------

_LOCK = threading.Lock()
_EMBEDDERS: dict[Settings, tuple[Any, str | None]] = {}


def embedder_for(settings: Settings) -> tuple[Embedder | None, str | None]:
    """This process's embedder for ``settings`` (built on the first call, then reused), or
    None and why there is none. Building it loads nothing: the model is loaded by the first
    text the cache does not hold, once per process."""
    with _LOCK:
        if settings not in _EMBEDDERS:
            _EMBEDDERS[settings] = _make_embedder(settings)
        return _EMBEDDERS[settings]


def _make_embedder(settings: Settings) -> tuple[Any, str | None]:
    if settings.no_model:
        return None, "--no-model given"
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        embedder = load_embedder(settings.model)
    except EmbedderUnavailable as exc:
        if settings.model is not None:
            raise PolicyError(f"--model {settings.model}: {exc.reason}") from None
        return None, exc.reason
    return _Serialized(embedder), None


class _Serialized:
    """An embedder that one thread at a time may use (a Dask worker may run several threads;
    the model must be loaded once, and its cache written by one of them at a time)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def embed(self, texts: Sequence[str]) -> Any:
        with self._lock:
            return self._inner.embed(texts)


@functools.lru_cache(maxsize=16)
def _pack(ref: str) -> CriteriaPack:
    from analyzer.judge.criteria import load_pack

    return load_pack(ref)


def model_name(settings: Settings) -> str:
    """The model a row is computed with: the embedder's id, or ``lexical`` and why."""
    embedder, unavailable = embedder_for(settings)
    if embedder is not None:
        return str(embedder.model_id)
    return f"lexical ({unavailable})"


# -- a batch -----------------------------------------------------------------------------------------


def analyse_batch(tasks: Sequence[Task], settings: Settings) -> BatchResult:
    """Analyse every revision of ``tasks`` (a version shared by two revisions is parsed once)."""
    trees: dict[str, ClauseTree] = {}
    revisions: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for task in tasks:
        started = time.perf_counter()
        try:
            row, found = _analyse(task, settings, trees)
        except PolicyError as exc:
            row, found = error_row(task, exc.one_line()), []
        except Exception as exc:  # a bug must not lose the batch: the row carries it
            row, found = error_row(task, f"internal error: {type(exc).__name__}: {exc}"), []
        row["seconds"] = round(time.perf_counter() - started, 6)
        revisions.append(row)
        findings.extend(found)
    embedder, _ = embedder_for(settings)
    return BatchResult(
        revisions=revisions,
        findings=findings,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        peak_rss_kib=_peak_rss_kib(),
        cpu_seconds=_cpu_seconds(),
        model_loaded=bool(getattr(embedder, "model_loaded", False)),
    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024 if sys.platform == "darwin" else peak)


def _tree(ref: VersionRef, policy: str, trees: dict[str, ClauseTree]) -> ClauseTree:
    if ref.sha256 is None:
        raise PolicyError(f"version {ref.version}: {ref.error}")
    cached = trees.get(ref.sha256)
    if cached is not None:
        return cached
    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse
    from analyzer.store.files import read_bytes

    path = Path(ref.path)
    data = read_bytes(path)
    if hashlib.sha256(data).hexdigest() != ref.sha256:
        raise PolicyError(f"version {ref.version} changed since the run listed it", path=ref.path)
    tree = parse(read_document(data, f"{policy}/{path.name}", name=path.name))
    trees[ref.sha256] = tree
    return tree


def _analyse(
    task: Task, settings: Settings, trees: dict[str, ClauseTree]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from analyzer.pipeline import analyze

    revision = task.revision
    old = _tree(revision.old, revision.policy, trees)
    new = _tree(revision.new, revision.policy, trees)
    trees.clear()  # a batch walks its chains in order: only this new version is needed again
    trees[revision.new.sha256 or ""] = new
    embedder, unavailable = embedder_for(settings)
    cache = getattr(embedder, "cache", None)
    if cache is not None:  # warnings of the shared cache belong to the revision that met them
        cache.warnings.clear()
    report = analyze(
        old, new, pack=_pack(revision.pack), embedder=embedder, unavailable=unavailable
    )
    declared = revision.declared
    if declared[0] is None:
        declared = from_front_matter(new.meta)
    row = base_row(task)
    row.update(
        language=revision.language or new.language,
        level=report.decision.level,
        declared=declared[0],
        declared_basis=declared[1],
        announced=declared[0] in ANNOUNCED_LEVELS,
        criteria=[c.id for c in report.criteria if c.triggered],
        findings=sum(len(c.findings) for c in report.changes),
        reasons=grouped_reasons(report),
        criteria_pack=report.criteria_pack,
        model=model_name(settings),
        method=report.model,
        warnings=list(report.warnings),
        error=None,
    )
    row.update({name: int(report.summary.get(name, 0)) for name in COUNTED})
    return row, finding_rows(task, report, row["language"])


def base_row(task: Task) -> dict[str, Any]:
    """The columns every revision row has, whatever happened to it."""
    revision = task.revision
    return {
        "key": task.key,
        "policy": revision.policy,
        "language": revision.language,
        "position": revision.position,
        "old_version": revision.old.version,
        "new_version": revision.new.version,
        "date": revision.new.version[:10],
        "old_sha256": revision.old.sha256,
        "new_sha256": revision.new.sha256,
        "analyzer": __version__,
    }


def error_row(task: Task, error: str) -> dict[str, Any]:
    """The row of a revision that could not be analysed."""
    declared = task.revision.declared
    row = base_row(task)
    row.update(
        level=None,
        declared=declared[0],
        declared_basis=declared[1],
        announced=declared[0] in ANNOUNCED_LEVELS,
        criteria=[],
        findings=0,
        reasons=[],
        criteria_pack=None,
        model=None,
        method=None,
        warnings=[],
        error=error,
        seconds=0.0,
    )
    row.update({name: None for name in COUNTED})
    return row


def error_rows(tasks: Sequence[Task], error: str) -> BatchResult:
    """A batch whose worker died on it: one error row per revision."""
    return BatchResult(
        revisions=[error_row(task, error) for task in tasks],
        findings=[],
        worker="",
        peak_rss_kib=0,
        cpu_seconds=0.0,
        model_loaded=False,
    )


def grouped_reasons(report: Report) -> list[str]:
    """The decision's reasons, one line per criterion (``9.4.5: a; b``) in the order the
    decision gives them; lines that name no criterion are kept as they are."""
    criteria = {c.id for c in report.criteria}
    groups: dict[str, list[str]] = {}
    for line in report.decision.reasons:
        criterion, sep, detail = line.partition(": ")
        if sep and criterion in criteria:
            groups.setdefault(criterion, []).append(detail)
        else:
            groups.setdefault(line, [])
    return [
        f"{head}: {'; '.join(details)}" if details else head for head, details in groups.items()
    ]


def finding_rows(task: Task, report: Report, language: str) -> list[dict[str, Any]]:
    """One row per finding of the report, in change order."""
    revision = task.revision
    out: list[dict[str, Any]] = []
    from analyzer.judge.decide import finding_level

    for change in report.changes:
        for index, finding in enumerate(change.findings):
            override = finding.override
            out.append(
                {
                    "key": task.key,
                    "policy": revision.policy,
                    "language": language,
                    "position": revision.position,
                    "old_version": revision.old.version,
                    "new_version": revision.new.version,
                    "change": change.id,
                    "index": index,
                    "kind": change.kind,
                    "nature": change.nature,
                    "criterion": finding.criterion,
                    "detector": finding.detector,
                    "level": finding_level(finding),
                    "evidence": finding.evidence,
                    "before": finding.before,
                    "after": finding.after,
                    "confidence": round(finding.confidence, 3),
                    "old_clause": finding.old_clause,
                    "new_clause": finding.new_clause,
                    "restricts_rights": finding.restricts_rights,
                    "override": (
                        f"{override.verdict}: {override.reason}" if override is not None else None
                    ),
                }
            )
    return out


def site_batch(
    items: Sequence[PendingRevision], settings: Settings
) -> list[tuple[str, dict[str, Any]]]:
    """The archive site's entries of a batch of revisions (``policy site build --engine``):
    what :func:`analyzer.archive.analysis.analyse_revision` gives, with this worker's embedder,
    and the versions' facts and the revision's notices (:func:`~analyzer.archive.analysis.pending_extras`).
    An error is raised, as in a build on one machine."""
    from analyzer.archive.analysis import analyse_revision, pending_extras, revision_entry

    embedder, unavailable = embedder_for(settings)
    out = []
    for item in items:
        pack = _pack(item.pack)
        alignment, revision, report = analyse_revision(
            item.old, item.new, pack, embedder=embedder, unavailable=unavailable
        )
        entry = revision_entry(alignment, revision, report)
        entry.update(pending_extras(item, pack, report))
        out.append((item.key, entry))
    return out
