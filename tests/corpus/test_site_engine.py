"""``policy site build --engine``: the revisions the cache lacks are analysed on local processes
or a Dask cluster, and the site rendered here is byte for byte the one a build on one machine
makes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the corpus extra is not installed")

from tests.helpers.child_process import policy


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(archive: Path, output: Path, *args: str) -> str:
    run = policy(
        "site", "build", "--versions", str(archive), "--output", str(output), "--no-model",
        "--no-cache", *args, cwd=output.parent, timeout=600,
    )  # fmt: skip
    assert run.code == 0, run.stderr[-3000:]
    return run.stdout


def test_a_site_analysed_on_other_processes_is_the_same_site(archive: Path, tmp_path: Path) -> None:
    here = build(archive, tmp_path / "here")
    # every entry computed (4 revisions, with the versions' facts and the notices), none cached
    analyses = here.rsplit("analyses: ", 1)[1].strip()
    assert analyses.startswith("0 cached,") and not analyses.startswith("0 cached, 0 ")
    local = build(archive, tmp_path / "local", "--engine", "local", "--workers", "2")
    assert local.rsplit("analyses: ", 1)[1].strip() == analyses
    dask = build(archive, tmp_path / "dask", "--engine", "dask", "--workers", "2")
    expected = files(tmp_path / "here")
    assert len(expected) > 20
    assert files(tmp_path / "local") == expected
    assert files(tmp_path / "dask") == expected
    assert dask.rsplit("analyses: ", 1)[1].strip() == analyses


def test_workers_without_an_engine_are_refused(archive: Path, tmp_path: Path) -> None:
    run = policy(
        "site", "build", "--versions", str(archive), "--output", str(tmp_path / "out"),
        "--workers", "2", cwd=tmp_path,
    )  # fmt: skip
    assert "--workers and --scheduler need --engine" in run.one_line_error()
