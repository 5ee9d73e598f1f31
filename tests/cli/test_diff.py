"""``policy diff``: references, formats, --output, criteria packs, models and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import analyzer.pipeline
from analyzer.cli import app
from analyzer.judge.decide import Judgement
from analyzer.model import Decision
from tests.helpers.child_process import python_with_another_hash_seed

ROOT = Path(__file__).resolve().parents[2]
SEED = "policy_versions/alibaba-cloud-privacy/2023-05-26.md"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def hotline(tmp_path: Path) -> Path:
    text = (ROOT / SEED).read_text(encoding="utf-8").replace("400-80-13260", "95187")
    path = tmp_path / "hotline.md"
    path.write_text(text, encoding="utf-8")
    return path


def _diff(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_report_of_two_files(hotline: Path) -> None:
    code, out, err = _diff(SEED, str(hotline), "--no-model")
    assert code == 1, err
    assert out.splitlines()[0].startswith("POPUP: 2 changes (2 substantive")
    assert "[-400-80-13260-]{+95187+}" in out
    assert "\x1b[" not in out  # not a terminal: no colour
    assert "no embedding model: --no-model given" in out


def test_identical_versions_by_reference_and_path() -> None:
    code, out, _ = _diff("alibaba-cloud-privacy@2023-05-26", SEED, "--format", "json", "--no-model")
    assert code == 0
    report = json.loads(out)
    assert report["decision"]["level"] == "none" and report["changes"] == []
    assert report["old"]["source"] == "alibaba-cloud-privacy@2023-05-26"
    assert report["new"]["source"] == SEED


def test_git_reference() -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    code, out, err = _diff(f"git:HEAD:{SEED}", SEED, "--format", "json", "--no-model")
    assert code == 0, err
    assert json.loads(out)["old"]["source"] == f"git:HEAD:{SEED}"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_output_file_is_written_whole(fmt: str, hotline: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / f"report.{fmt}"
    code, out, _ = _diff(SEED, str(hotline), "--format", fmt, "--output", str(target), "--no-model")
    assert code == 1 and out == ""
    written = target.read_text(encoding="utf-8")
    assert "95187" in written
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_output_is_deterministic(hotline: Path) -> None:
    first = _diff(SEED, str(hotline), "--format", "json", "--no-model")[1]
    # the second run in another process, with another hash seed: a set or dict order that
    # leaked into the report would differ there
    args = ("diff", SEED, str(hotline), "--format", "json", "--no-model")
    second = python_with_another_hash_seed("-m", "analyzer", *args, exit_code=1).decode("utf-8")
    assert first == second and str(ROOT) not in first


def test_exit_1_when_the_revision_needs_a_popup(
    hotline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyzer.pipeline.judge

    def popup(*args: object, **kwargs: object) -> Judgement:
        judged = real(*args, **kwargs)  # type: ignore[arg-type]
        return Judgement(judged.changes, judged.criteria, Decision("popup", ("9.4.5: test",)))

    monkeypatch.setattr(analyzer.pipeline, "judge", popup)
    code, out, _ = _diff(SEED, str(hotline), "--no-model")
    assert code == 1
    assert out.startswith("POPUP:")


def test_help_documents_the_exit_codes() -> None:
    result = runner.invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "1 when it needs a pop-up notice or consent" in text
    for option in ("--format", "--output", "--criteria", "--model", "--no-model"):
        assert option in text


def test_pack_from_option_or_policy_yaml(hotline: Path, tmp_path: Path) -> None:
    pack_text = (ROOT / "analyzer/judge/packs/seed-9.4.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "custom.yaml"
    custom.write_text(pack_text + "\n# a local copy\n", encoding="utf-8")
    code, out, _ = _diff(
        SEED, str(hotline), "--criteria", str(custom), "--format", "json", "--no-model"
    )
    assert code == 1
    import hashlib

    digest = hashlib.sha256(custom.read_bytes()).hexdigest()[:12]
    assert json.loads(out)["analyzer"]["criteria"] == f"seed-9.4@{digest}"

    store = tmp_path / "versions"
    (store / "demo").mkdir(parents=True)
    shutil.copy(ROOT / SEED, store / "demo" / "2023-05-26.md")
    shutil.copy(hotline, store / "demo" / "2023-06-01.md")
    (store / "demo" / "policy.yaml").write_text(
        f"title: Demo\ncriteria: {custom}\n", encoding="utf-8"
    )
    args = ["demo@2023-05-26", "demo@2023-06-01", "--versions", str(store), "--format", "json"]
    code, out, err = _diff(*args, "--no-model")
    assert code == 1, err
    assert json.loads(out)["analyzer"]["criteria"] == f"seed-9.4@{digest}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.md", SEED], "missing.md: no such file"),
        ([SEED, "nobody@2023-01-01"], "unknown policy 'nobody'"),
        ([SEED, SEED, "--criteria", "no-such-pack"], "unknown criteria pack"),
        ([SEED, SEED, "--format", "pdf"], "--format"),
        ([SEED, SEED, "--model", "/nonexistent/model"], "embedding model folder not found"),
        ([SEED, SEED, "--model", "x", "--no-model"], "cannot be used together"),
        ([SEED], "Missing argument"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    code, out, err = _diff(*args, "--output", str(target))
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy: error: "), err
    assert message in lines[0]
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_installed_console_script(hotline: Path) -> None:
    script = shutil.which("policy")
    if script is None:
        pytest.skip("console script not installed")
    done = subprocess.run(
        [script, "diff", SEED, str(hotline), "--no-model", "--format", "markdown"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("### policy diff: POPUP")


def test_json_is_byte_identical_across_processes() -> None:
    new = "tests/cases/diff-swap-sections-6-7/new.md"
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "analyzer", "diff", SEED, new, "--no-model", "--format", "json"],
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
