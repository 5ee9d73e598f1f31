"""``policy check`` over a folder as it stands: every rule fires when it should and only then."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analyzer.check.model import CheckResult
from analyzer.check.rules import RULES
from analyzer.check.run import run_check
from analyzer.store.snapshot import from_folder
from analyzer.store.versions import Store
from tests.helpers.versions_repo import (
    BODY,
    POLICY,
    check,
    make_policy,
    version_text,
    write_version,
)

# BODY with its typo fixed: an editorial revision (needs ``publish``).
TYPO_FIXED = BODY.replace("We keep server logs", "We keep the server logs")
assert TYPO_FIXED != BODY


def run(root: Path) -> CheckResult:
    return run_check(from_folder(root), versions="v")


def spots(result: CheckResult, rule: str) -> list[tuple[str, int]]:
    """(file name, line) of every hit of one rule."""
    return [(Path(h.file).name, h.line) for h in result.hits if h.rule == rule]


def messages(result: CheckResult, rule: str) -> str:
    return "\n".join(h.message for h in result.hits if h.rule == rule)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    versions = tmp_path / "versions"
    make_policy(versions)
    return versions


# -- a clean folder ------------------------------------------------------------------------------


def test_a_first_version_with_right_front_matter_passes(root: Path) -> None:
    write_version(root, "2024-01-01")
    result = run(root)
    assert result.hits == ()
    [revision] = result.revisions
    assert (revision.old, revision.new) == (None, "v/demo/2024-01-01.md")
    assert (revision.detected, revision.declared) == ("publish", "publish")
    assert revision.reasons == (
        "first version of the policy in this language: new text to publish",
    )


def test_every_rule_is_registered_with_docs() -> None:
    assert set(RULES) == {
        "front-matter",
        "published-edited",
        "undeclared-notice",
        "overdeclared-notice",
        "notice-period",
        "date-order",
        "silent-change",
        "empty-revision",
        "integrity",
    }
    for rule in RULES.values():
        assert rule.summary and rule.fix, rule.id
        assert rule.severity in ("error", "warning")


# -- front-matter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("2024-01-01", version_text("2024-01-01", drop=("notice",)), 1, "missing field 'notice'"),
        ("2024-01-01", version_text("2024-01-01", drop=("title",)), 1, "missing field 'title'"),
        ("2024-01-01", version_text("2024-01-01", status="final"), 8, "published or draft"),
        ("2024-01-01", version_text("2024-01-01", notice="banner"), 9, "none, publish, popup"),
        ("2024-01-02", version_text("2024-01-01"), 4, "file name says 2024-01-02"),
        ("2024-01-01.zh", version_text("2024-01-01"), 7, "file name says zh"),
        ("2024-01-01", version_text("2024-01-01", language="zh"), 7, "2024-01-01.zh.md"),
        ("2024-01-01", version_text("2024-01-01", policy="other"), 3, "folder 'demo'"),
        ("2024-01-01", version_text("2024-01-01", updated="soon"), 5, "must be a date"),
        ("2024-01-01", version_text("2024-01-01", updated="2024-01-01 10:00:00"), 5, "a date"),
        (
            "2024-01-01",
            version_text("2024-01-01", effective="2024-02-30"),
            1,
            "day is out of range",
        ),
        ("2024-01-01", "---\ntitle: [unclosed\nstatus: draft\n---\nText.\n", 3, "cannot read"),
        ("2024-01-01", "Just a text without front matter.\n", 1, "no front matter"),
        ("2024-01-01", "", 1, "file is empty"),
        ("draft-v2", version_text("2024-01-01"), 1, "not a version file name"),
    ],
)
def test_front_matter_fires(root: Path, name: str, text: str, line: int, words: str) -> None:
    write_version(root, name, text)
    result = run(root)
    assert (f"{name}.md", line) in spots(result, "front-matter"), result.hits
    assert words in messages(result, "front-matter")


def test_front_matter_accepts_a_language_suffix_and_quoted_dates(root: Path) -> None:
    write_version(root, "2024-01-01.zh", version_text("2024-01-01", language="zh"))
    text = version_text("2024-01-01").replace("updated: 2024-01-01", "updated: '2024-01-01'")
    write_version(root, "2024-01-01", text)
    (root / POLICY / "README.md").write_text("Notes for editors.\n", encoding="utf-8")
    result = run(root)
    assert spots(result, "front-matter") == []
    assert {(r.language, r.detected) for r in result.revisions} == {
        ("en", "publish"),
        ("zh", "publish"),
    }


def test_front_matter_unknown_policy_and_file_outside_a_policy(tmp_path: Path) -> None:
    root = tmp_path / "v"
    (root / "orphan").mkdir(parents=True)
    (root / "orphan" / "2024-01-01.md").write_text(
        version_text("2024-01-01", policy="orphan"), encoding="utf-8"
    )
    (root / "2024-01-01.md").write_text(version_text("2024-01-01"), encoding="utf-8")
    (root / "README.md").write_text("About this folder.\n", encoding="utf-8")
    result = run(root)
    found = messages(result, "front-matter")
    assert "unknown policy 'orphan': its folder has no policy.yaml" in found
    assert "version file outside a policy folder" in found
    assert sorted(h.file for h in result.hits) == ["v/2024-01-01.md", "v/orphan/2024-01-01.md"]


def test_front_matter_two_files_for_one_version(root: Path) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-01-01.en", version_text("2024-01-01"))
    result = run(root)
    assert spots(result, "front-matter") == [("2024-01-01.md", 1)]
    assert "also in v/demo/2024-01-01.en.md" in messages(result, "front-matter")


# -- date-order ----------------------------------------------------------------------------------


def test_date_order_within_a_version(root: Path) -> None:
    write_version(root, "2024-01-10", updated="2024-01-10", effective="2024-01-05")
    write_version(root, "2024-02-10", updated="2024-02-20", effective="2024-02-20")
    result = run(root)
    assert spots(result, "date-order") == [("2024-01-10.md", 6), ("2024-02-10.md", 5)]
    assert "effective 2024-01-05 is before updated 2024-01-10" in messages(result, "date-order")
    assert "updated 2024-02-20 is after the version date 2024-02-10" in messages(
        result, "date-order"
    )


def test_date_order_going_backwards(root: Path) -> None:
    write_version(root, "2024-01-01", updated="2024-01-01", effective="2024-02-01")
    write_version(root, "2024-03-01", body=TYPO_FIXED, updated="2023-12-01", effective="2024-01-15")
    result = run(root)
    assert spots(result, "date-order") == [("2024-03-01.md", 5), ("2024-03-01.md", 6)]
    assert "updated 2023-12-01 is earlier than the previous version's updated 2024-01-01" in (
        messages(result, "date-order")
    )


def test_date_order_quiet_when_dates_run_forward(root: Path) -> None:
    write_version(root, "2024-01-01", updated="2024-01-01", effective="2024-02-01")
    write_version(root, "2024-03-01", body=TYPO_FIXED, effective="2024-03-01")
    write_version(root, "2024-03-01-2", body=BODY, updated="2024-03-01", effective="2024-03-01")
    assert spots(run(root), "date-order") == []


def test_date_order_through_the_cli(root: Path) -> None:
    write_version(root, "2024-01-01", updated="2024-01-01", effective="2024-02-01")
    write_version(root, "2024-03-01", body=TYPO_FIXED, updated="2023-12-01", effective="2024-03-01")
    result = check("--all", "--versions", str(root))
    assert result.exit_code == 1
    assert "5: error [date-order] updated 2023-12-01 is earlier" in result.output


# -- silent-change and empty-revision --------------------------------------------------------------


def test_silent_change_is_a_warning(root: Path) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED, updated="2024-01-01")
    result = run(root)
    assert spots(result, "silent-change") == [("2024-02-01.md", 5)]
    assert [h.severity for h in result.hits if h.rule == "silent-change"] == ["warning"]
    default = check("--all", "--versions", str(root))
    assert default.exit_code == 0, default.output
    assert "warning [silent-change]" in default.output
    strict = check("--all", "--versions", str(root), "--fail-on", "warning")
    assert strict.exit_code == 1
    assert strict.output.rstrip().endswith("failed (--fail-on warning)")


def test_silent_change_quiet_when_updated_moves(root: Path) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED)
    assert spots(run(root), "silent-change") == []


def test_empty_revision(root: Path) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-02-01", body=BODY.replace("\n\n", "\n\n\n"), notice="none")
    result = run(root)
    assert spots(result, "empty-revision") == [("2024-02-01.md", 4)]
    assert spots(result, "overdeclared-notice") == []  # declared none, needs none
    second = [r for r in result.revisions if r.new.endswith("2024-02-01.md")]
    assert [(r.detected, r.reasons) for r in second] == [
        ("none", ("no textual change after normalisation",))
    ]
    write_version(root, "2024-02-01", body=TYPO_FIXED, notice="publish")
    assert spots(run(root), "empty-revision") == []


# -- declared notice -------------------------------------------------------------------------------


def test_undeclared_notice_on_a_first_version(root: Path) -> None:
    write_version(root, "2024-01-01", notice="none")
    result = run(root)
    assert spots(result, "undeclared-notice") == [("2024-01-01.md", 9)]
    assert messages(result, "undeclared-notice") == (
        "the text needs 'publish' but the front matter declares 'none': "
        "first version of the policy in this language: new text to publish"
    )


def test_overdeclared_notice(root: Path) -> None:
    write_version(root, "2024-01-01", notice="popup", effective="2024-02-01")
    write_version(root, "2024-03-01", notice="publish")  # same text: needs none
    result = run(root)
    assert spots(result, "overdeclared-notice") == [("2024-01-01.md", 9), ("2024-03-01.md", 9)]
    assert {h.severity for h in result.hits if h.rule == "overdeclared-notice"} == {"warning"}
    assert spots(result, "undeclared-notice") == []


def test_notice_period(root: Path) -> None:
    write_version(root, "2024-01-01", notice="consent", effective="2024-01-11")
    result = run(root)
    assert spots(result, "notice-period") == [("2024-01-01.md", 6)]
    assert messages(result, "notice-period") == (
        "a 'consent' revision (declared) needs 30 days' notice, but effective 2024-01-11 "
        "is 10 days after updated 2024-01-01"
    )
    write_version(root, "2024-01-01", notice="consent", effective="2024-01-31")
    assert spots(run(root), "notice-period") == []


def test_notice_period_comes_from_policy_yaml(root: Path) -> None:
    make_policy(root, period=0)
    write_version(root, "2024-01-01", notice="popup")
    assert spots(run(root), "notice-period") == []
    write_version(root, "2024-01-01", notice="publish")
    assert spots(run(root), "notice-period") == []


# -- integrity -----------------------------------------------------------------------------------


def publish(root: Path, version: str) -> None:
    Store(root).publish(POLICY, version)


def test_integrity_quiet_after_policy_publish(root: Path) -> None:
    write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED)
    publish(root, "2024-02-01")
    assert run(root).hits == ()


def test_integrity_published_text_edited(root: Path) -> None:
    path = write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    path.write_text(path.read_text(encoding="utf-8").replace("hotline", "phone line"), "utf-8")
    result = run(root)
    assert spots(result, "integrity") == [("2024-01-01.md", 11)]  # the first line of text
    assert "differs from" in messages(result, "integrity")


def test_integrity_ledger_rewritten(root: Path) -> None:
    write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED)
    publish(root, "2024-02-01")
    ledger = root / POLICY / "PUBLISHED"
    first, second = ledger.read_text(encoding="utf-8").splitlines()
    ledger.write_text(f"{second}\n{first}\n", encoding="utf-8")  # reordered
    result = run(root)
    assert spots(result, "integrity") == [("PUBLISHED", 1), ("PUBLISHED", 2)]
    assert "chain broken at 2024-02-01" in messages(result, "integrity")


def test_integrity_ledger_and_files_disagree(root: Path) -> None:
    write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED)
    publish(root, "2024-02-01")
    (root / POLICY / "2024-02-01.md").unlink()
    write_version(root, "2024-03-01", body=BODY, status="published")  # never in the ledger
    ledger = root / POLICY / "PUBLISHED"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    ledger.write_text("\n".join([*lines, lines[0], "not a ledger line"]) + "\n", "utf-8")
    result = run(root)
    found = messages(result, "integrity")
    assert spots(result, "integrity") == [
        ("2024-03-01.md", 8),
        ("PUBLISHED", 2),
        ("PUBLISHED", 3),
        ("PUBLISHED", 3),
        ("PUBLISHED", 4),
    ]
    assert "2024-02-01 is recorded as published but has no file" in found
    assert "recorded twice (first on line 1)" in found
    assert "malformed ledger line" in found
    assert "status is published but PUBLISHED does not record 2024-03-01" in found


def test_integrity_unreadable_ledger(root: Path) -> None:
    write_version(root, "2024-01-01")
    (root / POLICY / "PUBLISHED").write_bytes(b"2024-01-01 \xff\xfe\x00 garbage\n")
    result = run(root)
    assert spots(result, "integrity") == [("PUBLISHED", 1)]
    assert messages(result, "integrity").startswith("the ledger cannot be read: binary file")


def test_integrity_recorded_version_back_to_draft(root: Path) -> None:
    path = write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    path.write_text(path.read_text("utf-8").replace("status: published", "status: draft"), "utf-8")
    result = run(root)
    assert spots(result, "integrity") == [("2024-01-01.md", 8)]
    assert "recorded as published in PUBLISHED (line 1) but status is draft" in messages(
        result, "integrity"
    )


# -- the CLI: formats and bad input ---------------------------------------------------------------


def test_json_output_schema(root: Path) -> None:
    write_version(root, "2024-01-01", notice="none")
    write_version(root, "2024-03-01", updated="2023-12-01", effective="2024-03-01")
    result = check("--all", "--versions", str(root), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema",
        "versions",
        "base",
        "changed",
        "fail_on",
        "passed",
        "summary",
        "hits",
        "revisions",
    ]
    assert data["schema"] == "policy-check/1"
    assert data["base"] is None and data["changed"] is None and data["passed"] is False
    assert data["summary"] == {"errors": 2, "warnings": 2, "files": 2, "revisions": 2}
    for hit in data["hits"]:
        assert list(hit) == ["rule", "severity", "file", "line", "message"]
        assert hit["rule"] in RULES and hit["severity"] == RULES[hit["rule"]].severity
        assert isinstance(hit["line"], int) and hit["line"] >= 1
        assert not os.path.isabs(hit["file"]) or hit["file"].startswith(str(root))
    keys = [(h["file"], h["line"], h["rule"], h["message"]) for h in data["hits"]]
    assert keys == sorted(keys)
    assert [(h["rule"], h["line"]) for h in data["hits"]] == [
        ("undeclared-notice", 9),
        ("empty-revision", 4),
        ("date-order", 5),
        ("overdeclared-notice", 9),
    ]
    first, second = data["revisions"]
    assert first == {
        "policy": "demo",
        "language": "en",
        "old": None,
        "new": f"{root.as_posix()}/demo/2024-01-01.md",
        "declared": "none",
        "detected": "publish",
        "reasons": ["first version of the policy in this language: new text to publish"],
        "note": "first version",
    }
    assert second["old"] == first["new"] and second["detected"] == "none"
    again = check("--all", "--versions", str(root), "--format", "json")
    assert again.stdout == result.stdout


def test_text_output_groups_by_file(root: Path) -> None:
    write_version(root, "2024-01-01", notice="none")
    write_version(root, "2024-03-01", updated="2023-12-01", effective="2024-03-01")
    result = check("--all", "--versions", str(root))
    lines = result.output.splitlines()
    start = lines.index(f"{root.as_posix()}/demo/2024-01-01.md")
    assert lines[start + 1].startswith("  9: error [undeclared-notice] the text needs 'publish'")
    assert lines[start + 3] == f"{root.as_posix()}/demo/2024-03-01.md"
    assert lines[-1] == "2 errors, 2 warnings in 2 revisions: failed (--fail-on error)"


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        ("none", ["--base", "main"], "--base needs a git repository"),
        ("none", ["--all", "--base", "HEAD"], "--all and --base exclude each other"),
        ("missing", [], "versions folder not found"),
        ("bad-yaml", [], "malformed YAML"),
        ("bad-period", [], "notice_period_days must be a whole number"),
        ("escape", [], "resolves outside"),
        ("none", ["--format", "xml"], "'xml' is not one of"),
        ("none", ["--fail-on", "info"], "'info' is not one of"),
    ],
)
def test_bad_input_is_exit_2_and_one_line(
    tmp_path: Path, root: Path, setup: str, args: list[str], words: str
) -> None:
    write_version(root, "2024-01-01")
    versions = root
    if setup == "missing":
        versions = tmp_path / "nowhere"
    elif setup == "bad-yaml":
        (root / POLICY / "policy.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    elif setup == "bad-period":
        make_policy(root, period=-3)
    elif setup == "escape":
        (tmp_path / "secret.md").write_text("secret\n", encoding="utf-8")
        (root / POLICY / "2024-02-01.md").symlink_to(tmp_path / "secret.md")
    result = check("--versions", str(versions), *args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policy: error:") and words in lines[0]
    assert result.stdout == ""


def test_check_outside_a_repository_checks_the_folder(root: Path) -> None:
    write_version(root, "2024-01-01")
    result = check("--versions", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"policy check: {root.as_posix()} as it stands")


# -- every rule: one case that fires it, one that does not -----------------------------------------


def _fm(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01", status="final" if fire else "draft")


def _undeclared(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01", notice="none" if fire else "publish")


def _overdeclared(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01", notice="popup" if fire else "publish", effective="2024-02-15")


def _period(root: Path, fire: bool) -> None:
    # quiet: a publish revision owes no notice period (test_notice_period covers a long enough one)
    write_version(root, "2024-01-01", notice="popup" if fire else "publish", effective="2024-01-20")


def _dates(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01", effective="2023-12-01" if fire else "2024-01-01")


def _silent(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-02-01", body=TYPO_FIXED, updated="2024-01-01" if fire else None)


def _empty(root: Path, fire: bool) -> None:
    write_version(root, "2024-01-01")
    write_version(root, "2024-02-01", body=BODY if fire else TYPO_FIXED, notice="publish")


def _integrity(root: Path, fire: bool) -> None:
    path = write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    if fire:
        path.write_text(path.read_text("utf-8").replace("Call our", "Phone our"), "utf-8")


def _published_edited(root: Path, fire: bool) -> None:
    from tests.helpers.versions_repo import commit_all, git

    git(root.parent, "init", "-q", "-b", "main")
    path = write_version(root, "2024-01-01")
    publish(root, "2024-01-01")
    commit_all(root.parent, "published")
    if fire:
        path.write_text(path.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    else:
        write_version(root, "2024-02-01", body=TYPO_FIXED)


SCENARIOS = {
    "front-matter": _fm,
    "published-edited": _published_edited,
    "undeclared-notice": _undeclared,
    "overdeclared-notice": _overdeclared,
    "notice-period": _period,
    "date-order": _dates,
    "silent-change": _silent,
    "empty-revision": _empty,
    "integrity": _integrity,
}


def test_scenarios_cover_every_rule() -> None:
    assert set(SCENARIOS) == set(RULES)


@pytest.mark.parametrize("fire", [True, False], ids=["fires", "quiet"])
@pytest.mark.parametrize("rule_id", sorted(SCENARIOS))
def test_each_rule_fires_and_stays_quiet(root: Path, rule_id: str, fire: bool) -> None:
    SCENARIOS[rule_id](root, fire)
    result = check("--versions", str(root), "--format", "json")
    fired = {hit["rule"] for hit in json.loads(result.stdout)["hits"]}
    assert (rule_id in fired) is fire, result.stdout
    severity = RULES[rule_id].severity
    if fire and fired == {rule_id}:
        assert result.exit_code == (1 if severity == "error" else 0)
    if not fire:
        assert fired == set(), result.stdout
        assert result.exit_code == 0
