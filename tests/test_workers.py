"""The worker pool (analyzer.workers) and ``--jobs``: results in order, errors raised where a
serial run raises them, the same check result and the same site for any number of workers, and
a bad ``--jobs`` refused in one line."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from analyzer.check.model import RevisionJudgement
from analyzer.check.run import run_check
from analyzer.errors import PolicyError
from analyzer.model import Document
from analyzer.store.snapshot import from_folder
from analyzer.workers import (
    SINGLE_THREADED,
    check_jobs,
    default_jobs,
    map_in_order,
    split_runs,
    start_method,
)
from tests.helpers.child_process import ROOT, policy
from tests.helpers.site_histories import POLICY, POLICY_YAML, seed_parts, write_version

VERSIONS = ROOT / "policy_versions"


def _square_and_where(n: int) -> tuple[int, int, str | None]:
    return n * n, os.getpid(), os.environ.get("OMP_NUM_THREADS")


def _fails_on_three(n: int) -> int:
    if n == 3:
        raise PolicyError("three is refused", path=f"item-{n}")
    return n


def _words_judge(old: Document, new: Document, pack: str) -> RevisionJudgement:
    """A judge that workers can import: popup when the new text is longer; its note says which
    process judged."""
    level = "popup" if len(new.text) > len(old.text) else "publish"
    return RevisionJudgement(
        level, (f"{len(old.text)} -> {len(new.text)}",), None, str(os.getpid())
    )


def _history(root: Path, count: int) -> Path:
    """``count`` versions of the seed, each with the hotline and a sentence changed."""
    versions = root / "versions"
    (versions / POLICY).mkdir(parents=True)
    (versions / POLICY / "policy.yaml").write_text(POLICY_YAML, encoding="utf-8")
    _, body = seed_parts()
    for k in range(count):
        text = body.replace("400-80-13260", f"400-80-1{k:04d}") + "\n" + "Extra words. " * k
        write_version(versions, f"2024-0{k + 1}-01", text, effective=f"2024-0{k + 1}-01")
    return versions


def test_results_come_in_order_from_single_threaded_workers() -> None:
    results = list(map_in_order(_square_and_where, range(12), jobs=2))
    assert [r[0] for r in results] == [n * n for n in range(12)]
    assert os.getpid() not in {r[1] for r in results}
    assert {r[2] for r in results} == {SINGLE_THREADED["OMP_NUM_THREADS"]}


def test_neighbouring_items_go_to_one_worker_in_runs_of_equal_work() -> None:
    # a history's revisions share versions with their neighbours: each worker takes one run
    results = list(map_in_order(_square_and_where, range(10), jobs=2, contiguous=True))
    assert [r[0] for r in results] == [n * n for n in range(10)]
    pids = [r[1] for r in results]
    assert len(set(pids)) == 2 and pids == sorted(pids, key=pids.index)  # two runs, in order
    # weights: the heavy items get a run of their own, in order, none empty
    assert split_runs(6, 2, [1, 1, 1, 1, 1, 1]) == [(0, 3), (3, 6)]
    assert split_runs(6, 2, [10, 1, 1, 1, 1, 1]) == [(0, 1), (1, 6)]
    assert split_runs(6, 2, [1, 1, 1, 1, 1, 10]) == [(0, 5), (5, 6)]
    assert split_runs(3, 3, [0, 0, 9]) == [(0, 1), (1, 2), (2, 3)]
    assert split_runs(2, 5) == [(0, 1), (1, 2)]


def test_workers_start_from_a_server_that_imported_the_analyzer_once() -> None:
    if start_method() != "forkserver":
        pytest.skip("no fork server on this platform: workers are spawned")
    results = list(map_in_order(_imported_pipeline, range(4), jobs=2))
    assert all(results)  # imported before the worker ran anything


def _imported_pipeline(_: int) -> bool:
    import sys

    return "analyzer.pipeline" in sys.modules and "analyzer.check.run" in sys.modules


def test_one_job_runs_here() -> None:
    results = list(map_in_order(_square_and_where, range(3), jobs=1))
    assert {r[1] for r in results} == {os.getpid()}


def test_an_error_in_a_worker_is_raised_here() -> None:
    with pytest.raises(PolicyError, match="three is refused"):
        list(map_in_order(_fails_on_three, range(6), jobs=2))


def test_jobs_default_to_the_cores_and_must_be_positive() -> None:
    assert check_jobs(None) == default_jobs() >= 1
    assert check_jobs(3) == 3
    with pytest.raises(PolicyError, match="--jobs must be at least 1, not 0"):
        check_jobs(0)


def test_the_check_judges_in_workers_with_the_serial_result(tmp_path: Path) -> None:
    snapshot = from_folder(_history(tmp_path, 6))
    serial = run_check(snapshot, versions="versions", judge=_words_judge)
    parallel = run_check(snapshot, versions="versions", judge=_words_judge, jobs=2)
    judged = [r for r in parallel.revisions if r.old is not None]
    assert len(judged) == 5
    assert {r.note for r in judged}.isdisjoint({str(os.getpid())})  # judged in workers
    assert {r.note for r in serial.revisions if r.old is not None} == {str(os.getpid())}
    assert serial.hits == parallel.hits
    strip = [(r.old, r.new, r.detected, r.reasons) for r in serial.revisions]
    assert strip == [(r.old, r.new, r.detected, r.reasons) for r in parallel.revisions]
    assert [r.detected for r in judged] == ["popup"] * 5


def test_an_embedder_arrives_in_a_worker_as_that_process_s_own() -> None:
    embedder = pytest.importorskip("analyzer.embedder")
    try:
        made = embedder.load_embedder()
    except Exception as exc:  # the packaged model is not installed
        pytest.skip(str(exc))
    copy = pickle.loads(pickle.dumps(made))
    again = pickle.loads(pickle.dumps(made))
    assert copy is again and copy is not made and not copy.model_loaded
    assert copy.model_id == made.model_id


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".policy-site"):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


def test_the_site_is_the_same_for_any_number_of_workers(tmp_path: Path) -> None:
    versions = _history(tmp_path, 6)
    sites = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"site-{jobs}"
        run = policy(
            "site",
            "build",
            "--versions",
            str(versions),
            "--output",
            str(out),
            "--no-model",
            "--jobs",
            jobs,
            cwd=ROOT,
            env={"POLICY_ANALYZER_CACHE": str(tmp_path / f"cache-{jobs}")},
            timeout=600,
        )
        assert run.code == 0, run.stderr
        assert "analyses: 0 cached" in run.stdout
        sites[jobs] = _digest(out)
    assert sites["1"] == sites["2"]


def test_the_check_output_is_the_same_for_any_number_of_workers(tmp_path: Path) -> None:
    versions = _history(tmp_path, 6)
    outputs = {}
    for jobs in ("1", "2"):
        run = policy(
            "check",
            "--all",
            "--versions",
            str(versions),
            "--format",
            "json",
            "--jobs",
            jobs,
            cwd=ROOT,
            env={"POLICY_ANALYZER_CACHE": str(tmp_path / "cache")},
            timeout=600,
        )
        assert run.code in (0, 1), run.stderr
        outputs[jobs] = run.stdout
    assert outputs["1"] == outputs["2"] and '"revisions"' in outputs["1"]


@pytest.mark.parametrize("command", [("check", "--all"), ("site", "build", "--no-model")])
def test_a_bad_jobs_value_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    run = policy(*command, "--jobs", "0", cwd=ROOT, env={"POLICY_ANALYZER_CACHE": str(tmp_path)})
    assert run.one_line_error() == "policy: error: --jobs must be at least 1, not 0"
    run = policy(*command, "--jobs", "many", cwd=ROOT)
    assert "--jobs" in run.one_line_error()
