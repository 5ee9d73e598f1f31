"""``policy corpus analyze`` run as a user runs it: the same tables from every engine, resumed
after a kill, incremental, a failed revision as a row, bad input as one line. Every run is
lexical (``--no-model``), so that no model is needed and the tests stay short.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="the corpus extra is not installed")

from tests.helpers.child_process import ROOT, policy
from tests.helpers.corpus_archives import analyze, make_archive, tables


def test_every_revision_is_one_row_in_chain_order(serial: Path) -> None:
    revisions, findings = tables(serial)
    chains = [(r["policy"], r["old_version"], r["new_version"]) for r in revisions]
    assert chains == [
        ("example-source/example-doc", "2024-01-01", "2024-01-01-2"),
        ("example-source/example-doc", "2024-01-01-2", "2024-01-01-10"),
        ("p00000-alibaba-cloud-privacy", "2023-05-26", "2024-03-18"),
        ("p00000-alibaba-cloud-privacy", "2024-03-18", "2026-02-02"),
        ("p00001-alibaba-cloud-privacy", "2023-05-26", "2024-03-18"),
        ("p00001-alibaba-cloud-privacy", "2024-03-18", "2026-02-02"),
    ]
    by = {(r["policy"], r["new_version"]): r for r in revisions}
    entrust = by[("example-source/example-doc", "2024-01-01-2")]
    assert entrust["level"] in ("popup", "consent")
    assert entrust["declared"] == "popup" and entrust["announced"] is True
    assert entrust["declared_basis"] == "versions.json: source_says notice_timing"
    later = by[("example-source/example-doc", "2024-01-01-10")]
    assert later["declared"] == "publish" and later["announced"] is False
    draft = by[("p00000-alibaba-cloud-privacy", "2026-02-02")]
    assert draft["declared"] == "consent" and draft["declared_basis"] == "front matter notice:"
    assert draft["level"] in ("popup", "consent") and draft["criteria"]
    assert draft["changes"] == draft["editorial"] + draft["substantive"] > 0
    assert all(r["error"] is None and r["model"].startswith("lexical") for r in revisions)
    assert all(r["criteria_pack"].startswith("seed-9.4@") for r in revisions)
    # each finding belongs to a row, and the row counts it
    counted = {r["key"]: r["findings"] for r in revisions}
    assert findings and all(f["key"] in counted for f in findings)
    for key, n in counted.items():
        assert n == sum(1 for f in findings if f["key"] == key)


def test_local_processes_and_a_dask_cluster_give_the_serial_tables(
    archive: Path, serial: Path, tmp_path: Path
) -> None:
    expected = tables(serial)
    local = tmp_path / "local"
    analyze(archive, local, "--engine", "local", "--workers", "2", "--batch", "1")
    assert tables(local) == expected
    dask = tmp_path / "dask"
    run = analyze(archive, dask, "--engine", "dask", "--workers", "2", "--batch", "2",
                  "--stats", str(tmp_path / "stats.json"))  # fmt: skip
    assert tables(dask) == expected
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["engine"] == "dask" and stats["workers"] == 2
    assert len(stats["peak_rss_mib"]) == 2  # both workers took batches
    assert "6 analysed, 0 reused" in run.stdout


CLUSTER = """
import logging, sys, time
from distributed import LocalCluster
cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                       silence_logs=logging.ERROR)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()  # until the test closes our stdin
cluster.close()
"""


def test_a_running_cluster_named_by_scheduler_gives_the_serial_tables(
    archive: Path, serial: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        [sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=env, text=True, start_new_session=True,
    ) as cluster:  # fmt: skip
        assert cluster.stdout is not None and cluster.stdin is not None
        try:
            address = cluster.stdout.readline().strip()
            assert address.startswith("tcp://"), address
            out = tmp_path / "results"
            run = analyze(archive, out, "--engine", "dask", "--scheduler", address)
            assert "dask engine, 2 worker(s)" in run.stdout
            assert tables(out) == tables(serial)
        finally:
            cluster.stdin.close()
            try:
                cluster.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(cluster.pid, signal.SIGKILL)
                cluster.wait()


def test_a_run_killed_midway_resumes_where_it_stopped(
    archive: Path, serial: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results"
    env = dict(os.environ)
    env["POLICY_CORPUS_TEST_PAUSE_AFTER"] = "2"
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("POLICY_ANALYZER_CACHE", str(tmp_path / ".cache"))
    child = subprocess.Popen(
        [sys.executable, "-m", "analyzer", "corpus", "analyze", "--versions", str(archive),
         "--out", str(out), "--no-model", "--workers", "1", "--batch", "1"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, start_new_session=True,
    )  # fmt: skip
    assert child.stderr is not None
    deadline = time.monotonic() + 300
    line = b""
    while b"paused after 2 batches" not in line and time.monotonic() < deadline:
        line = child.stderr.readline()
        if not line and child.poll() is not None:
            break
    os.killpg(child.pid, signal.SIGKILL)  # the run and its worker processes
    child.wait()
    child.stderr.close()
    assert b"paused after 2 batches" in line
    assert not (out / "revisions.parquet").exists()
    assert len(list((out / "parts").glob("*.revisions.parquet"))) == 2

    run = analyze(archive, out, "--workers", "1")
    assert "4 analysed, 2 reused from an earlier run" in run.stdout
    assert tables(out) == tables(serial)
    assert not (out / "parts").exists()

    again = analyze(archive, out, "--workers", "1")  # nothing left to do
    assert "0 analysed, 6 reused" in again.stdout
    assert tables(out) == tables(serial)


def test_an_edited_version_is_analysed_again_and_nothing_else(
    archive: Path, serial: Path, tmp_path: Path
) -> None:
    copy = make_archive(tmp_path / "versions")
    out = tmp_path / "results"
    analyze(copy, out, "--workers", "1")
    target = copy / "p00001-alibaba-cloud-privacy" / "2026-02-02.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    run = analyze(copy, out, "--workers", "1")
    assert "1 analysed, 5 reused" in run.stdout
    revisions, _ = tables(out)
    expected, _ = tables(serial)
    changed = [i for i, (a, b) in enumerate(zip(revisions, expected, strict=True)) if a != b]
    assert changed == [5]


def test_a_revision_that_fails_is_a_row_with_its_error(tmp_path: Path) -> None:
    copy = make_archive(tmp_path / "versions")
    (copy / "p00000-alibaba-cloud-privacy" / "2024-03-18.md").write_bytes(
        b"Privacy policy\n\n1. We collect \xc3\x28 data.\n"
    )
    out = tmp_path / "results"
    run = analyze(copy, out, "--workers", "2")
    assert "2 failed" in run.stdout
    revisions, _ = tables(out)
    failed = [r for r in revisions if r["error"]]
    assert [(r["policy"], r["new_version"]) for r in failed] == [
        ("p00000-alibaba-cloud-privacy", "2024-03-18"),
        ("p00000-alibaba-cloud-privacy", "2026-02-02"),
    ]
    assert all("2024-03-18" in r["error"] and r["level"] is None for r in failed)
    assert sum(1 for r in revisions if r["level"]) == 4


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--versions", "no-such-folder"], "versions folder not found"),
        (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
        (["--engine", "dask", "--scheduler", "not an address"], "--scheduler"),
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler needs --engine dask"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    archive: Path, tmp_path: Path, args: list[str], needle: str
) -> None:
    options = ["--versions", str(archive), *args] if args[0] != "--versions" else args
    run = policy(
        "corpus", "analyze", "--out", str(tmp_path / "out"), "--no-model", *options,
        cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert needle in run.one_line_error()
    assert not (tmp_path / "out" / "revisions.parquet").exists()


def test_a_folder_that_is_not_ours_is_never_written_into(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    run = policy("corpus", "analyze", "--versions", str(archive), "--out", str(out), cwd=tmp_path)
    assert "refusing to write into it" in run.one_line_error()
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_corpus_commands_have_help_and_load_nothing_heavy(tmp_path: Path) -> None:
    for command in ("analyze", "report"):
        run = policy("corpus", command, "--help", cwd=tmp_path)
        assert run.code == 0 and "Usage:" in run.stdout, run.stderr
        assert len(run.stdout.split("\n\n")[1].strip()) > 10
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys\nfrom analyzer.cli import main\ntry:\n    main(['corpus', 'analyze', '--help'])\n"
         "except SystemExit:\n    pass\nprint(sorted(m for m in ('pyarrow', 'distributed', 'dask') "
         "if m in sys.modules))"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert probe.stdout.strip().splitlines()[-1] == "[]"


def test_a_worker_builds_its_embedder_once(tmp_path: Path) -> None:
    """The worker-level cache: every batch a worker process runs gets the same embedder (so
    the model inside it is loaded at most once per process)."""
    from analyzer.corpus.listing import list_archive
    from analyzer.corpus.work import Settings, Task, analyse_batch, embedder_for

    first, _ = embedder_for(Settings())
    again, _ = embedder_for(Settings())
    assert first is again
    lexical, why = embedder_for(Settings(no_model=True))
    assert lexical is None and why == "--no-model given"
    archive = make_archive(tmp_path / "versions")
    revision = list_archive(archive).revisions[0]
    result = analyse_batch([Task("k", revision)], Settings(no_model=True))
    assert result.revisions[0]["error"] is None and not result.model_loaded
    assert embedder_for(Settings())[0] is first
