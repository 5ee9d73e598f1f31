"""The layout is the architecture: the layer rules hold (ruff rejects an import across them), and
the tree keeps the shape CONTRIBUTING.md describes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "analyzer"
CORE = ("text", "parse", "facts", "statements", "diff", "judge", "notices", "render")
"""The pure core: each folder has a ruff.toml that bans what it may not import."""
EDGES = ("analyzer.store.versions", "analyzer.archive.build", "analyzer.check.run", "analyzer.cli")
ORDER = ("text", "parse", "facts", "statements", "diff", "judge")
"""The core's stages in pipeline order: each may import the ones before it, never after."""


def lint(path: str, source: str) -> subprocess.CompletedProcess[str]:
    """ruff check of ``source`` as if it were the file ``path`` of the repository (its folder's
    configuration applies)."""
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise"]
    return subprocess.run(
        [*command, "--stdin-filename", path, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def probe(module: str) -> str:
    return f'from {module} import something\n\n__all__ = ["something"]\n'


def test_ruff_rejects_an_import_of_the_store_from_the_diff_stage() -> None:
    done = lint("analyzer/diff/_probe.py", probe("analyzer.store.versions"))
    assert done.returncode == 1, done.stdout
    assert "TID251" in done.stdout and "analyzer.store" in done.stdout
    # the same import is fine at the edge: the rule is about where it stands
    at_edge = lint("analyzer/archive/_probe.py", probe("analyzer.store.versions"))
    assert at_edge.returncode == 0, at_edge.stdout


@pytest.mark.parametrize("stage", CORE)
@pytest.mark.parametrize("module", [*EDGES, "analyzer.embedder"])
def test_the_core_never_imports_an_edge(stage: str, module: str) -> None:
    done = lint(f"analyzer/{stage}/_probe.py", probe(module))
    assert done.returncode == 1 and "TID251" in done.stdout, (stage, module, done.stdout)


@pytest.mark.parametrize(
    ("stage", "later"),
    [(a, b) for i, a in enumerate(ORDER) for b in ORDER[i + 1 :]],
)
def test_a_stage_never_imports_a_later_one(stage: str, later: str) -> None:
    done = lint(f"analyzer/{stage}/_probe.py", probe(f"analyzer.{later}.x"))
    assert done.returncode == 1 and "TID251" in done.stdout, (stage, later, done.stdout)


def test_a_stage_may_import_an_earlier_one() -> None:
    done = lint("analyzer/judge/_probe.py", probe("analyzer.diff.tripwires"))
    assert done.returncode == 0, done.stdout


def test_outside_libraries_keep_one_owner() -> None:
    done = lint("analyzer/diff/_probe.py", "import diff_match_patch\n\nprint(diff_match_patch)\n")
    assert done.returncode == 1 and "only analyzer/diff/redline.py" in done.stdout
    # the layer rules of a folder keep the library bans of the top-level configuration
    done = lint("analyzer/parse/_probe.py", "import torch\n\nprint(torch)\n")
    assert done.returncode == 1 and "only analyzer/embedder.py" in done.stdout


def test_every_stage_is_a_subpackage_that_says_what_it_takes_and_gives() -> None:
    stages = sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert {p.name for p in stages} >= {*CORE, "store", "archive", "check"}
    for stage in stages:
        doc = ast.get_docstring(ast.parse((stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 20, f"{stage.name}/__init__.py needs a docstring"


def test_the_top_stays_small_and_no_module_grows_past_900_lines() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 900, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"
