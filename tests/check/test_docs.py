"""The check's documentation and ready-made integration stay in step with the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analyzer.check.output import rules_markdown
from analyzer.check.rules import RULES
from tests.helpers.versions_repo import check

ROOT = Path(__file__).resolve().parents[2]


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## The CI gate: policy check\n" in readme
    return readme.split("\n## The CI gate: policy check\n", 1)[1]


def test_readme_rules_table_is_generated_from_the_rules() -> None:
    section = _section()
    start = section.index("<!-- rules: generated")
    body = section[section.index("\n", start) + 1 : section.index("<!-- end of rules -->")]
    assert body == rules_markdown(), "README rules table drifted: paste rules_markdown() output"
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in section


def test_readme_documents_base_selection_formats_and_exit_codes() -> None:
    section = _section()
    for words in (
        "merge base of HEAD and the default branch",
        "HEAD~1",
        "empty tree",
        "--all",
        "policy-check/1",
        "GITHUB_STEP_SUMMARY",
        "::error file=",
        "| 2 |",
        ".pre-commit-hooks.yaml",
        ".github/workflows/policy-check.yml",
    ):
        assert words in section, words


def test_help_says_what_is_compared() -> None:
    result = check("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in (
        "merge base of HEAD and the default branch",
        "HEAD~1",
        "empty tree",
        "Without git, with --versions outside a repository, or with --all",
        "front-matter, published-edited, undeclared-notice",
        "2 bad input",
    ):
        assert words in text, words


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert hook["id"] == "policy-check"
    assert hook["entry"] == "policy check"
    assert hook["language"] == "python"
    assert hook["files"] == "^policy_versions/"
    assert hook["pass_filenames"] is False


def test_github_workflow() -> None:
    workflow: dict[Any, Any] = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "policy-check.yml").read_text(encoding="utf-8")
    )
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger["pull_request"]["paths"] == ["policy_versions/**"]
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    runs = [s["run"] for s in steps if "run" in s]
    assert "pip install -c constraints.txt -e '.[semantic]'" in runs
    assert any(r.startswith("policy check --format github") for r in runs)
