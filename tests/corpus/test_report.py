"""``policy corpus report``: the table of announced against major, the self-contained page, and
unreadable results as one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="the corpus extra is not installed")

from tests.helpers.child_process import policy
from tests.helpers.corpus_archives import analyze


def test_report_prints_the_table_and_writes_a_self_contained_page(
    serial: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    run = policy("corpus", "report", str(serial), "--html", str(page), cwd=tmp_path)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(line for line in lines if line.startswith("policy "))
    assert "major not announced" in header
    row = next(line for line in lines if line.startswith("example-source/example-doc"))
    # 2 revisions: both major; the first announced (notice period), the second only logged
    assert row.split()[2:9] == ["2", "2", "2", "1", "1", "(50", "%)"]
    assert "Officially announced:" in run.stdout
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 3 and "<script" not in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    second = tmp_path / "again.html"
    env = {"PYTHONHASHSEED": "123"}
    rerun = policy("corpus", "report", str(serial), "--html", str(second), cwd=tmp_path, env=env)
    assert rerun.code == 0 and second.read_bytes() == page.read_bytes()
    assert rerun.stdout.replace(str(second), "") == run.stdout.replace(str(page), "")


@pytest.mark.parametrize("damage", ["missing", "garbage", "foreign"])
def test_unreadable_results_are_one_line_and_exit_2(tmp_path: Path, damage: str) -> None:
    results = tmp_path / "results"
    if damage != "missing":
        results.mkdir()
        if damage == "garbage":
            (results / "revisions.parquet").write_bytes(b"PAR1 not really")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"x": [1, 2]}), results / "revisions.parquet")
    run = policy("corpus", "report", str(results), cwd=tmp_path)
    message = run.one_line_error()
    assert "results" in message or "revisions.parquet" in message


def test_report_on_the_whole_corpus_prints_announced_against_major(
    corpus_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results"
    run = analyze(corpus_dir, out, "--workers", "2")
    assert "236 revisions: 236 analysed" in run.stdout and "0 failed" in run.stdout
    report = policy("corpus", "report", str(out), cwd=tmp_path)
    assert report.code == 0, report.stderr
    rows = {line.split()[0]: line.split() for line in report.stdout.splitlines() if "/" in line}
    # revisions, then (after major and declared) the announced ones, from versions.json
    github = rows["github-site-policy/github-privacy-statement"]
    assert github[2] == "57" and github[5] == "7"
    total = next(line for line in report.stdout.splitlines() if line.startswith("all policies"))
    assert total.split()[2] == "236" and total.split()[5] == "20"
    assert "Officially announced:" in report.stdout and "of" in report.stdout
