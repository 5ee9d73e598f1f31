"""The two Parquet tables of ``policy corpus analyze``; the only module that imports pyarrow.

A results folder holds:

``revisions.parquet``
    One row per revision (:data:`REVISIONS`), sorted by policy, then chain (language), then
    position in the chain.
``findings.parquet``
    One row per finding (:data:`FINDINGS`), in the order of their revisions, then changes.
``parts/``
    While a run goes on: one pair of files per finished batch
    (``<id>.findings.parquet``, then ``<id>.revisions.parquet``, each written to a temporary name
    and renamed, so a batch counts as done once its revisions file exists). A killed run leaves
    them; the next run reads them instead of recomputing, and folds them into the two tables at
    its end.

Both tables are readable by pandas (``pd.read_parquet``), DuckDB (``SELECT * FROM
'revisions.parquet'``) or pyarrow. No pandas is needed here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.corpus import missing_extra
from analyzer.errors import PolicyError

try:
    import pyarrow as pa  # noqa: TID251
    import pyarrow.compute as pc  # noqa: TID251
    import pyarrow.parquet as pq  # noqa: TID251
except ImportError:  # pragma: no cover - the corpus extra is not installed
    raise missing_extra("pyarrow") from None

__all__ = [
    "FINDINGS",
    "REVISIONS",
    "Assembled",
    "assemble",
    "done_keys",
    "read_results",
    "write_part",
]

REVISIONS_FILE = "revisions.parquet"
FINDINGS_FILE = "findings.parquet"
PARTS = "parts"

_COUNT = pa.int32()
_REVISION = [
    pa.field("key", pa.string(), False),
    pa.field("policy", pa.string(), False),
    pa.field("language", pa.string()),
    pa.field("position", pa.int32(), False),
    pa.field("old_version", pa.string(), False),
    pa.field("new_version", pa.string(), False),
]
"""The columns that name a revision, first in both tables (``key`` joins them)."""
REVISIONS = pa.schema(
    [
        *_REVISION,
        pa.field("date", pa.date32(), False),
        pa.field("old_sha256", pa.string()),
        pa.field("new_sha256", pa.string()),
        pa.field("level", pa.string()),
        pa.field("declared", pa.string()),
        pa.field("declared_basis", pa.string()),
        pa.field("announced", pa.bool_(), False),
        pa.field("criteria", pa.list_(pa.string()), False),
        pa.field("findings", _COUNT, False),
        pa.field("changes", _COUNT),
        pa.field("added", _COUNT),
        pa.field("removed", _COUNT),
        pa.field("modified", _COUNT),
        pa.field("moved", _COUNT),
        pa.field("renumbered", _COUNT),
        pa.field("split", _COUNT),
        pa.field("merged", _COUNT),
        pa.field("editorial", _COUNT),
        pa.field("substantive", _COUNT),
        pa.field("reasons", pa.list_(pa.string()), False),
        pa.field("analyzer", pa.string(), False),
        pa.field("criteria_pack", pa.string()),
        pa.field("model", pa.string()),
        pa.field("method", pa.string()),
        pa.field("warnings", pa.list_(pa.string()), False),
        pa.field("error", pa.string()),
        pa.field("seconds", pa.float64(), False),
    ]
)
"""One row per revision. ``level`` is the analyzer's decision (null when ``error`` says why
there is none); ``declared``/``declared_basis``/``announced`` what the publisher declared
(:mod:`analyzer.corpus.declared`); ``criteria`` the criteria met; the counts are changes by kind
and nature; ``reasons`` the decision's reasons grouped by criterion; ``seconds`` the time the
worker spent on the row (the only column that differs between two runs)."""

FINDINGS = pa.schema(
    [
        *_REVISION,
        pa.field("change", pa.string(), False),
        pa.field("index", pa.int32(), False),
        pa.field("kind", pa.string(), False),
        pa.field("nature", pa.string(), False),
        pa.field("criterion", pa.string(), False),
        pa.field("detector", pa.string(), False),
        pa.field("level", pa.string(), False),
        pa.field("evidence", pa.string(), False),
        pa.field("before", pa.string(), False),
        pa.field("after", pa.string(), False),
        pa.field("confidence", pa.float64(), False),
        pa.field("old_clause", pa.string()),
        pa.field("new_clause", pa.string()),
        pa.field("restricts_rights", pa.bool_(), False),
        pa.field("override", pa.string()),
    ]
)
"""One row per finding: its revision (``key`` and the revision's columns), the change, the
criterion, the detector, the level it asks for after a reviewer's verdict, and the evidence."""

TIMING_COLUMNS = ("seconds",)
"""Columns that measure a run rather than describe a revision."""


def _table(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for row in rows:
        for name in schema.names:
            value = row.get(name)
            if name == "date" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            columns[name].append(value)
    return pa.table(columns, schema=schema)


def _write(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd", write_statistics=True)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_part(
    out: Path,
    name: str,
    revisions: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
) -> None:
    """Store one finished batch (findings first: the revisions file marks it done)."""
    folder = out / PARTS
    _write(_table(findings, FINDINGS), folder / f"{name}.findings.parquet")
    _write(_table(revisions, REVISIONS), folder / f"{name}.revisions.parquet")


def _read(path: Path, schema: pa.Schema, columns: Sequence[str] | None = None) -> pa.Table:
    """A table of ours, or :class:`PolicyError` naming the file."""
    try:
        table = pq.read_table(path, columns=list(columns) if columns else None)
    except FileNotFoundError:
        raise PolicyError("no such file", path=str(path)) from None
    except (OSError, pa.ArrowException) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise PolicyError(f"not a readable Parquet table ({reason})", path=str(path)) from None
    wanted = list(columns) if columns else schema.names
    missing = [n for n in wanted if n not in table.schema.names]
    if missing:
        raise PolicyError(
            f"not a table of policy corpus analyze (no column {missing[0]!r})", path=str(path)
        )
    try:
        return table.select(wanted).cast(pa.schema([schema.field(n) for n in wanted]))
    except (pa.ArrowException, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise PolicyError(f"columns of the wrong type ({reason})", path=str(path)) from None


def _sources(out: Path) -> list[tuple[Path, Path]]:
    """``(revisions file, findings file)`` of every finished part, then of the last run's
    tables: parts first, so that a run killed while replacing the tables still pairs each
    revision with its own findings."""
    found: list[tuple[Path, Path]] = []
    folder = out / PARTS
    if folder.is_dir():
        for path in sorted(folder.glob("*.revisions.parquet")):
            name = path.name[: -len(".revisions.parquet")]
            found.append((path, folder / f"{name}.findings.parquet"))
    if (out / REVISIONS_FILE).is_file():
        found.append((out / REVISIONS_FILE, out / FINDINGS_FILE))
    return found


def done_keys(out: Path, *, retry: str = "") -> tuple[set[str], list[str]]:
    """Keys of the rows already computed under ``out`` (except rows whose error starts with
    ``retry``), and notes about damaged files (which are left out: their rows are computed
    again)."""
    keys: set[str] = set()
    notes: list[str] = []
    for revisions, findings in _sources(out):
        try:
            if not findings.is_file():
                raise PolicyError("its findings file is missing", path=str(revisions))
            table = _read(revisions, REVISIONS, ["key", "error"])
        except PolicyError as exc:
            notes.append(f"ignored: {exc.one_line()}")
            continue
        for key, error in zip(
            table.column("key").to_pylist(), table.column("error").to_pylist(), strict=True
        ):
            if not (retry and error and error.startswith(retry)):
                keys.add(key)
    return keys, notes


@dataclass(frozen=True)
class Assembled:
    revisions: int
    findings: int
    failed: int
    parts: int
    """Part files folded in (and removed)."""


def assemble(out: Path, order: Sequence[str]) -> Assembled:
    """Write the two tables from what is stored under ``out``: the rows of the keys in
    ``order`` (each key once, in that order), then remove the parts they came from. Rows of
    keys not in ``order`` (versions no longer listed, another pack or model) are dropped."""
    rank = {key: i for i, key in enumerate(order)}
    revision_tables: list[pa.Table] = []
    finding_tables: list[pa.Table] = []
    used: list[Path] = []
    chosen: dict[str, int] = {}
    for source, (revisions_path, findings_path) in enumerate(_sources(out)):
        try:
            revisions = _read(revisions_path, REVISIONS)
            findings = _read(findings_path, FINDINGS)
        except PolicyError:
            continue
        keep = []
        for i, key in enumerate(revisions.column("key").to_pylist()):
            if key in rank and key not in chosen:
                chosen[key] = source
                keep.append(i)
        revision_tables.append(revisions.take(pa.array(keep, pa.int64())))
        mine = [
            i
            for i, key in enumerate(findings.column("key").to_pylist())
            if chosen.get(key) == source
        ]
        finding_tables.append(findings.take(pa.array(mine, pa.int64())))
        if revisions_path.parent.name == PARTS:
            used.extend((revisions_path, findings_path))
    missing = [key for key in order if key not in chosen]
    if missing:
        raise RuntimeError(f"{len(missing)} revision(s) have no row after the run")
    revisions = _sorted(
        pa.concat_tables(revision_tables) if revision_tables else None, REVISIONS, rank
    )
    findings = _sorted(pa.concat_tables(finding_tables) if finding_tables else None, FINDINGS, rank)
    _write(revisions, out / REVISIONS_FILE)
    _write(findings, out / FINDINGS_FILE)
    for path in used:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    with contextlib.suppress(OSError):
        (out / PARTS).rmdir()
    failed = pc.sum(pc.is_valid(revisions.column("error"))).as_py() or 0
    return Assembled(revisions.num_rows, findings.num_rows, int(failed), len(used) // 2)


def _sorted(table: pa.Table | None, schema: pa.Schema, rank: Mapping[str, int]) -> pa.Table:
    """Rows in the order of their keys' ranks, rows of one key kept in their stored order."""
    if table is None:
        return schema.empty_table()
    keys = table.column("key").to_pylist()
    order = sorted(range(len(keys)), key=lambda i: (rank[keys[i]], i))
    return table.take(pa.array(order, pa.int64()))


def read_results(out: Path, *, columns: Iterable[str] | None = None) -> tuple[pa.Table, pa.Table]:
    """The two tables of a results folder, checked; :class:`PolicyError` when they are missing
    or not ours."""
    if not out.is_dir():
        raise PolicyError("results folder not found", path=str(out))
    wanted = list(columns) if columns is not None else None
    revisions = _read(out / REVISIONS_FILE, REVISIONS, wanted)
    findings = _read(out / FINDINGS_FILE, FINDINGS)
    return revisions, findings


def to_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The rows of a table as dicts (tests and small reports)."""
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
