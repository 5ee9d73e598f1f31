"""The scale suite's entry point runs, and ``--write`` refreshes only its own block of
BENCHMARKS.md. Nothing here times anything (speed lives in ``bench/``, never in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402


def test_dry_run_names_every_section_and_measures_nothing() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "sections: typical, heavy, corpus, growth, site" in done.stdout
    assert "cores" in done.stdout and "Python" in done.stdout
    assert "|" not in done.stdout  # no table: nothing was measured


def test_an_unknown_section_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "speed", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "unknown section 'speed'" in done.stderr


def _row(figure: str) -> run_all.Summary:
    return run_all.Summary(
        "typical", figure, "difflib 50 ms", "2.0×", "≤ 3×", "yes", "70 MiB", "python x"
    )


def test_write_inserts_the_section_then_replaces_only_its_block(tmp_path: Path) -> None:
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\nIntro.\n\n## Parsing\n\nKept.\n", encoding="utf-8")
    run_all.write_benchmarks(
        run_all.summary_block([_row("1 ms")], command="c", load_before="1"), doc
    )
    first = doc.read_text(encoding="utf-8")
    assert first.index(run_all.HEADING) < first.index("## Parsing")
    assert "| typical | 1 ms |" in first
    # prose written under the block by hand survives a refresh
    doc.write_text(first.replace(run_all.END + "\n", run_all.END + "\nWhy.\n"), encoding="utf-8")
    run_all.write_benchmarks(
        run_all.summary_block([_row("2 ms")], command="c", load_before="1"), doc
    )
    second = doc.read_text(encoding="utf-8")
    assert "| typical | 2 ms |" in second and "| typical | 1 ms |" not in second
    assert second.count(run_all.HEADING) == 1
    assert "Why.\n" in second and second.endswith("## Parsing\n\nKept.\n")
    assert [p.name for p in tmp_path.iterdir()] == ["BENCHMARKS.md"]  # no temporary left
