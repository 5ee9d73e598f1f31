"""``policy diff`` decides: the acceptance revisions of the seed through the CLI, reviewer
verdicts in front matter, and how every view shows them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from analyzer.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEED = "policy_versions/alibaba-cloud-privacy/2023-05-26.md"
FEE_OLD = (
    "For your reasonable request, we will not charge a fee in principle, but for repeated requests "
    "that exceed the reasonable limit, we will charge a certain cost as appropriate."
)
FEE_NEW = "We will charge a fee for every request you make."
runner = CliRunner()
SCHEMA = json.loads((ROOT / "analyzer/schemas/policy-diff-1.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _copy(tmp_path: Path, name: str, old: str, new: str, front: str = "") -> Path:
    text = (ROOT / SEED).read_text(encoding="utf-8")
    assert old in text
    if front:
        # the seed file has front matter: add the reviewed entries to it
        head, sep, body = text.partition("\n---\n")
        text = head + "\n" + front.rstrip("\n") + sep + body
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _diff(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diff", *args, "--no-model"])
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> tuple[int, dict]:
    code, out, err = _diff(*args, "--format", "json")
    assert code in (0, 1), err
    report = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    return code, report


def _criteria(report: dict) -> dict[str, dict]:
    return {c["id"]: c for c in report["criteria"]}


def test_hotline_number_changed_is_popup_under_9_4_5(tmp_path: Path) -> None:
    new = _copy(tmp_path, "hotline.md", "400-80-13260", "95187")
    code, report = _json(SEED, str(new))
    assert code == 1
    assert report["decision"]["level"] == "popup"
    triggered = {c["id"] for c in report["criteria"] if c["triggered"]}
    assert triggered == {"9.4.5"}
    assert len(report["criteria"]) == 7
    findings = [f for c in report["changes"] for f in c["criteria"]]
    assert findings and all(f["id"] == "9.4.5" for f in findings)
    for f in findings:
        assert "400-80-13260" in f["evidence"] and "95187" in f["evidence"]
        assert (f["before"], f["after"]) == ("400-80-13260", "95187")
    assert _criteria(report)["9.4.5"]["changes"] == [c["id"] for c in report["changes"]]
    assert report["decision"]["findings"][-1] == (
        "9.4.5: hotline number changed in 10 ¶1: 400-80-13260 -> 95187"
    )
    # the number changed in the preamble and in 10: one reason, citing both clauses
    assert report["decision"]["reasons"] == [
        "9.4.5 Contact details: hotline number changed: 400-80-13260 -> 95187 "
        "(Prompt clause ¶2; 10 ¶1)"
    ]
    assert report["decision"]["groups"][0]["clauses"] == ["Prompt clause ¶2", "10 ¶1"]


def test_fee_for_every_request_is_consent_under_9_4_4_and_9_2(tmp_path: Path) -> None:
    new = _copy(tmp_path, "fee.md", FEE_OLD, FEE_NEW)
    code, report = _json(SEED, str(new))
    assert code == 1
    assert report["decision"]["level"] == "consent"
    criteria = _criteria(report)
    assert criteria["9.4.4"]["triggered"] and criteria["9.2"]["triggered"]
    assert {c["id"] for c in report["criteria"] if c["triggered"]} == {"9.4.4", "9.2"}
    findings = [f for c in report["changes"] for f in c["criteria"]]
    restricting = [f for f in findings if f["restricts_rights"]]
    assert restricting and {f["id"] for f in restricting} == {"9.2"}
    assert all(f["new_clause"] == "5.6.2" for f in findings)
    assert any(r.startswith("9.2: ") and "5.6.2" in r for r in report["decision"]["findings"])
    reasons = report["decision"]["reasons"]
    assert [r.split()[0] for r in reasons] == ["9.2", "9.4.4"]  # consent first
    assert all(r.endswith("(5.6.2)") for r in reasons)


def test_text_view_leads_with_the_decision_then_findings_then_redline(tmp_path: Path) -> None:
    new = _copy(tmp_path, "hotline.md", "400-80-13260", "95187")
    code, out, _ = _diff(SEED, str(new))
    assert code == 1
    assert out.startswith("POPUP: ")
    decision = out.index("Decision: popup")
    findings = out.index("Findings by criterion")
    redline = out.index("[-400-80-13260-]{+95187+}")
    assert decision < findings < redline
    assert "9.4.5 The responsible department, contact details or complaint channel" in out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_every_view_leads_with_the_grouped_reasons(fmt: str) -> None:
    refs = ("alibaba-cloud-privacy@2023-05-26", "alibaba-cloud-privacy@2026-02-02")
    _, report = _json(*refs)
    code, out, _ = _diff(*refs, "--format", fmt)
    assert code == 1
    first_reason = out.index("Contact details")  # the hotline line, told once for both clauses
    assert out.count("hotline number changed") == 1 + 2  # the reason, then both findings
    assert first_reason < out.index("Findings")
    assert len(report["decision"]["reasons"]) < len(report["decision"]["findings"])


def test_the_readme_excerpt_of_grouped_reasons_is_true() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "<!-- reasons: lines of `policy diff alibaba-cloud-privacy@2023-05-26"
    block = readme[readme.index(marker) : readme.index("<!-- end of reasons -->")]
    excerpt = block.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    code, out, _ = _diff("alibaba-cloud-privacy@2023-05-26", "alibaba-cloud-privacy@2026-02-02")
    assert code == 1
    lines = out.splitlines()
    assert len(excerpt) >= 3
    assert [line for line in excerpt if line not in lines] == []


REVIEWED = """reviewed:
  - criterion: '9.4.5'
    clause: 10 ¶1
    verdict: not-major
    reason: the old number keeps forwarding to the new one
    reviewer: legal
  - criterion: '9.4.5'
    clause: Prompt clause ¶2
    verdict: not-major
    reason: same number, the old one forwards
"""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_not_major_verdicts_downgrade_and_every_view_shows_them(tmp_path: Path, fmt: str) -> None:
    new = _copy(tmp_path, "hotline.md", "400-80-13260", "95187", front=REVIEWED)
    code, out, err = _diff(SEED, str(new), "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        report = json.loads(out)
        jsonschema.Draft202012Validator(SCHEMA).validate(report)
        assert report["decision"]["level"] == "publish"
        result = _criteria(report)["9.4.5"]
        assert not result["triggered"] and len(result["overridden"]) == 2
        overrides = [f["override"] for c in report["changes"] for f in c["criteria"]]
        assert {o["verdict"] for o in overrides} == {"not-major"}
        assert "the old number keeps forwarding to the new one" in {o["reason"] for o in overrides}
    else:
        plain = out.replace("\\", "")  # Markdown escapes punctuation
        assert "not-major" in plain and "the old number keeps forwarding to the new one" in plain
        assert "overridden" in plain


def test_an_unmatched_verdict_is_a_warning_in_the_report(tmp_path: Path) -> None:
    front = (
        "reviewed:\n  - criterion: '9.4.3'\n    clause: 3.1.4\n    verdict: not-major\n"
        "    reason: nothing to see\n"
    )
    new = _copy(tmp_path, "hotline.md", "400-80-13260", "95187", front=front)
    code, report = _json(SEED, str(new))
    assert code == 1
    assert any(
        "reviewed: entry for 9.4.3 at 3.1.4 matches no finding" in w for w in report["warnings"]
    )


def test_a_bad_verdict_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    front = (
        "reviewed:\n  - criterion: '9.4.5'\n    clause: 10 ¶1\n    verdict: minor\n    reason: x\n"
    )
    new = _copy(tmp_path, "hotline.md", "400-80-13260", "95187", front=front)
    target = tmp_path / "out.json"
    code, out, err = _diff(SEED, str(new), "--output", str(target))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy: error: ")
    assert "hotline.md" in lines[0] and "reviewed[0].verdict" in lines[0]
    assert not target.exists()


def test_judged_reports_are_byte_identical(tmp_path: Path) -> None:
    new = _copy(tmp_path, "fee.md", FEE_OLD, FEE_NEW)
    first = _diff(SEED, str(new), "--format", "json")[1]
    second = _diff(SEED, str(new), "--format", "json")[1]
    assert first == second
