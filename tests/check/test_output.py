"""The check's outputs: GitHub workflow commands (escaping), the step summary, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.check.model import CheckResult, Hit, RevisionResult
from analyzer.check.output import render_github, render_step_summary, render_text
from analyzer.model import Change, ClauseRef, Decision, Report, VersionInfo
from tests.helpers.versions_repo import POLICY, check, make_policy, version_text, write_version

OLD_10 = "call the customer service hotline (400-80-13260) directly to contact us"
NEW_10 = "call the customer service hotline (95187) directly to contact us"


def _report() -> Report:
    ten_old = ClauseRef("s10", "10", ("10",), "How to contact us", OLD_10)
    ten_new = ClauseRef("s10", "10", ("10",), "How to contact us", NEW_10)
    fee = ClauseRef("s5.6.3", "5.6.3", ("5", "5.6", "5.6.3"), None, "We charge a fee | always.")
    changes = (
        Change(
            id="c1",
            kind="modified",
            nature="substantive",
            reasons=("phone",),
            old=(ten_old,),
            new=(ten_new,),
            similarity=0.9,
            method="lexical",
            inline=(
                ("=", "call the customer service hotline ("),
                ("-", "400-80-13260"),
                ("+", "95187"),
                ("=", ") directly to contact us"),
            ),
        ),
        Change(
            id="c2",
            kind="added",
            nature="substantive",
            reasons=("added",),
            old=(),
            new=(fee,),
            similarity=None,
            method=None,
            inline=(("+", fee.text),),
        ),
        Change(
            id="c3",
            kind="modified",
            nature="editorial",
            reasons=("typo",),
            old=(ten_old,),
            new=(ten_old,),
            similarity=1.0,
            method="identical",
            inline=(("=", "same"),),
        ),
    )
    info = VersionInfo("old.md", "0" * 64, 10)
    return Report(
        analyzer_version="0",
        criteria_pack="seed-9.4@000000000000",
        model="lexical",
        old=info,
        new=info,
        decision=Decision("consent", ("9.4.5: contact changed in 10", "9.2: fee added in 5.6.3")),
        criteria=(),
        changes=changes,
    )


def _result() -> CheckResult:
    hits = (
        Hit("undeclared-notice", "error", "pv/a,b:c.md", 9, "needs 100% more\nnotice\r"),
        Hit("silent-change", "warning", "pv/x.md", 5, "text changed"),
    )
    revision = RevisionResult(
        policy="demo",
        language="en",
        old="pv/demo/2024-01-01.md",
        new="pv/demo/2024-02-01.md",
        declared="publish",
        detected="consent",
        reasons=("9.4.5: contact changed in 10", "9.2: fee added in 5.6.3"),
        note="seed-9.4@000000000000",
        report=_report(),
    )
    return CheckResult(
        versions="pv",
        base=None,
        changed=None,
        files=("pv/demo/2024-02-01.md",),
        hits=hits,
        revisions=(revision,),
    )


def test_github_annotations_escape_data_and_properties() -> None:
    lines = render_github(_result(), "error").splitlines()
    assert lines == [
        "::error file=pv/a%2Cb%3Ac.md,line=9,title=undeclared-notice::needs 100%25 more%0Anotice%0D",
        "::warning file=pv/x.md,line=5,title=silent-change::text changed",
        "1 error, 1 warning in 1 revision: failed (--fail-on error)",
    ]


def test_step_summary_shows_decision_findings_and_redline() -> None:
    summary = render_step_summary(_result(), "error")
    assert summary.startswith("## policy check\n\n❌ **Failed**: 1 error, 1 warning in 1 revision")
    assert "| error | `undeclared-notice` | `pv/a,b:c.md` | 9 | needs 100% more notice |" in summary
    assert "### demo \\[en\\] 2024-01-01.md -\\> 2024-02-01.md" in summary
    assert "Decision: needs consent, declares publish" in summary
    assert "- 9.4.5: contact changed in 10\n- 9.2: fee added in 5.6.3" in summary
    assert (
        "- **10** (modified): call the customer service hotline ("
        "<del>400-80-13260</del><ins>95187</ins>) directly to contact us"
    ) in summary
    assert "- **5.6.3** (added): <ins>We charge a fee \\| always.</ins>" in summary
    assert "same" not in summary  # editorial changes are not excerpted


def test_long_unchanged_stretches_are_cut() -> None:
    report = _report()
    long_text = "word " * 60
    change = Change(
        id="c9",
        kind="modified",
        nature="substantive",
        reasons=("number",),
        old=report.changes[0].old,
        new=report.changes[0].new,
        similarity=0.9,
        method="lexical",
        inline=(
            ("=", long_text),
            ("-", "15"),
            ("+", "30"),
            ("=", long_text),
            ("-", "a"),
            ("=", long_text),
        ),
    )
    from analyzer.check.output import _redline

    line = _redline(change)
    assert line.count("word") < 60
    assert ": … word word" in line and "word … word" in line and "  " not in line
    assert "<del>15</del>" in line and "<ins>30</ins>" in line


def test_text_output_when_nothing_fires(tmp_path: Path) -> None:
    root = tmp_path / "v"
    make_policy(root)
    write_version(root, "2024-01-01")
    result = check("--all", "--versions", str(root))
    assert result.exit_code == 0
    assert result.output == (
        f"policy check: {root.as_posix()} as it stands (1 version files, every version "
        "against its predecessor)\n"
        "\n"
        "revisions:\n"
        f"  demo [en] (first version) -> 2024-01-01.md: needs publish, declares publish "
        "(first version)\n"
        "    - first version of the policy in this language: new text to publish\n"
        "\n"
        "0 errors, 0 warnings in 1 revision: passed (--fail-on error)\n"
    )


def test_text_renderer_lists_hits_under_their_file() -> None:
    text = render_text(_result(), "warning")
    assert "pv/x.md\n  5: warning [silent-change] text changed\n" in text
    assert text.endswith("1 error, 1 warning in 1 revision: failed (--fail-on warning)\n")


@pytest.mark.parametrize("summary_set", [True, False])
def test_github_format_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summary_set: bool
) -> None:
    root = tmp_path / "v"
    make_policy(root)
    write_version(root, "2024-01-01", notice="none")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    if summary_set:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    else:
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = check("--all", "--versions", str(root), "--format", "github")
    assert result.exit_code == 1
    file = f"{root.as_posix()}/{POLICY}/2024-01-01.md"
    assert result.stdout.splitlines()[0] == (
        f"::error file={file},line=9,title=undeclared-notice::the text needs 'publish' but the "
        "front matter declares 'none': first version of the policy in this language: new text "
        "to publish"
    )
    written = summary.read_text(encoding="utf-8")
    if not summary_set:
        assert written == "earlier step\n"
        return
    assert written.startswith("earlier step\n## policy check\n")  # appended, not replaced
    assert "Decision: needs publish, declares none (first version)" in written
    assert "| error | `undeclared-notice` |" in written


def test_text_format_never_writes_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "v"
    make_policy(root)
    (root / POLICY / "2024-01-01.md").write_text(version_text("2024-01-01"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert check("--all", "--versions", str(root)).exit_code == 0
    assert not summary.exists()


def test_json_is_plain_data() -> None:
    data = _result().to_dict("warning")
    assert json.loads(json.dumps(data)) == data
    assert data["passed"] is False and data["fail_on"] == "warning"
    assert data["revisions"][0]["detected"] == "consent"
    assert "report" not in data["revisions"][0]
