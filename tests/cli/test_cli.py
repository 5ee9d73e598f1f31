"""The `policy` command: help everywhere, one-line errors with exit 2, the installed script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from analyzer.cli import app

runner = CliRunner()


def _commands() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words that call it (``("site", "build")``)."""
    import typer.main

    found: list[tuple[str, ...]] = []

    def walk(group: Any, path: tuple[str, ...]) -> None:
        for name, command in sorted(group.commands.items()):
            found.append((*path, name))
            if hasattr(command, "commands"):  # a group of subcommands
                walk(command, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = _commands()
    assert {("site", "build"), ("site", "freeze-anchors")} <= set(commands)
    for words in commands:
        sub = runner.invoke(app, [*words, "--help"])
        assert sub.exit_code == 0, words
        assert "Usage:" in sub.output
        # the first help line is a real sentence, not empty
        assert len(sub.output.split("\n\n")[1].strip()) > 10, words


def test_help_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from analyzer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "assert 'sentence_transformers' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_import_then_log(raw_seed_path: Path, tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    args = ["import", str(raw_seed_path), "--policy", "demo", "--version", "2023-05-26"]
    result = runner.invoke(app, [*args, "--effective", "2023-06-01", "--versions", str(versions)])
    assert result.exit_code == 0, result.output
    assert (versions / "demo" / "2023-05-26.md").is_file()
    listed = runner.invoke(app, ["log", "demo", "--versions", str(versions)])
    assert listed.exit_code == 0
    assert "2023-05-26" in listed.output and "draft" in listed.output
    published = runner.invoke(app, ["publish", "demo", "2023-05-26", "--versions", str(versions)])
    assert published.exit_code == 0
    assert "published" in runner.invoke(app, ["log", "demo", "--versions", str(versions)]).output


@pytest.mark.parametrize(
    "args",
    [
        ["log", "no-such-policy"],
        ["import", "/no/such/file.txt", "--policy", "p", "--version", "2023-01-01"],
        ["import", "README.md", "--policy", "p", "--version", "not-a-date"],
        ["publish", "alibaba-cloud-privacy", "1999-01-01"],
        ["no-such-command"],
        ["log"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policy: error: ")


def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("policy")
    if script is None:
        pytest.skip("console script not installed (pip install -e .)")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [script, "log", "alibaba-cloud-privacy"], capture_output=True, text=True, cwd=root
    )
    assert done.returncode == 0, done.stderr
    assert "2023-05-26" in done.stdout
    bad = subprocess.run([script, "log", "nope"], capture_output=True, text=True, cwd=root)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("policy: error:")
