"""``policy check`` in throw-away git repositories: the base it picks and what it compares."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analyzer.store.versions import Store
from tests.helpers.versions_repo import (
    BODY,
    POLICY,
    check,
    commit_all,
    git,
    new_repo,
    version_text,
    write_version,
)

if shutil.which("git") is None:  # pragma: no cover - git is part of the test environment
    pytest.skip("git is not installed", allow_module_level=True)

EDITED = BODY.replace("We keep server logs", "We keep the server logs")
FILE = "policy_versions/demo/{}.md"


def run_json(versions: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = check("--versions", str(versions), "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def rules(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(h["rule"], h["file"], h["line"]) for h in data["hits"]]


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repository on main with one published version committed, then a second commit."""
    top, versions = new_repo(tmp_path / "repo")
    write_version(versions, "2024-01-01")
    Store(versions).publish(POLICY, "2024-01-01")
    commit_all(top, "first version")
    (top / "README.md").write_text("A repository of policies.\n", encoding="utf-8")
    commit_all(top, "readme")
    return top, versions


# -- published-edited --------------------------------------------------------------------------


def test_published_version_edited_in_place(repo: tuple[Path, Path]) -> None:
    _top, versions = repo
    path = versions / POLICY / "2024-01-01.md"
    path.write_text(path.read_text("utf-8").replace("hotline (400-80-13260)", "hotline (95187)"))
    code, data = run_json(versions)
    assert code == 1
    assert data["base"]["label"] == "HEAD (uncommitted changes)"
    assert data["changed"] == [FILE.format("2024-01-01")]
    assert ("published-edited", FILE.format("2024-01-01"), 23) in rules(data)
    assert ("integrity", FILE.format("2024-01-01"), 11) in rules(data)
    [edited] = [h for h in data["hits"] if h["rule"] == "published-edited"]
    assert edited["message"].startswith("published version edited in place (published at HEAD")


def test_front_matter_edit_of_a_published_version(repo: tuple[Path, Path]) -> None:
    _top, versions = repo
    path = versions / POLICY / "2024-01-01.md"
    path.write_text(path.read_text("utf-8").replace("title: Demo privacy policy", "title: Demo"))
    code, data = run_json(versions)
    assert code == 1
    assert rules(data) == [("published-edited", FILE.format("2024-01-01"), 2)]


def test_whitespace_and_line_ends_are_not_an_edit(repo: tuple[Path, Path]) -> None:
    _top, versions = repo
    path = versions / POLICY / "2024-01-01.md"
    text = path.read_text("utf-8").replace("\n", "\r\n").replace("our hotline", "our  hotline")
    path.write_bytes(text.encode("utf-8"))
    code, data = run_json(versions)
    assert (code, data["hits"]) == (0, [])
    assert data["changed"] == [FILE.format("2024-01-01")]


def test_publishing_a_draft_is_not_an_edit(tmp_path: Path) -> None:
    top, versions = new_repo(tmp_path / "repo")
    write_version(versions, "2024-01-01")
    commit_all(top, "draft")
    Store(versions).publish(POLICY, "2024-01-01")
    code, data = run_json(versions)
    assert (code, data["hits"]) == (0, [])
    assert data["base"]["label"] == "HEAD (uncommitted changes)"


def test_deleting_a_published_version(repo: tuple[Path, Path]) -> None:
    _top, versions = repo
    (versions / POLICY / "2024-01-01.md").unlink()
    code, data = run_json(versions)
    assert code == 1
    assert rules(data) == [
        ("published-edited", FILE.format("2024-01-01"), 1),
        ("integrity", "policy_versions/demo/PUBLISHED", 1),
    ]


def test_editing_a_draft_is_allowed(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    write_version(versions, "2024-02-01", body=EDITED)
    commit_all(top, "second version, draft")
    write_version(versions, "2024-02-01", body=EDITED + "\n3. A new section.\n")
    _code, data = run_json(versions)
    assert not any(h["rule"] == "published-edited" for h in data["hits"])


# -- which base -----------------------------------------------------------------------------------


def test_single_commit_is_compared_with_the_empty_tree(tmp_path: Path) -> None:
    top, versions = new_repo(tmp_path / "repo")
    write_version(versions, "2024-01-01", notice="none")
    commit_all(top, "only commit")
    code, data = run_json(versions)
    assert code == 1
    assert data["base"] == {"label": "empty tree (HEAD has no parent)", "commit": None}
    assert rules(data) == [("undeclared-notice", FILE.format("2024-01-01"), 9)]


def test_no_commit_yet_is_compared_with_the_empty_tree(tmp_path: Path) -> None:
    _top, versions = new_repo(tmp_path / "repo")
    write_version(versions, "2024-01-01")
    code, data = run_json(versions)
    assert code == 0
    assert data["base"] == {"label": "empty tree (no commit yet)", "commit": None}
    assert data["summary"]["files"] == 1


def test_clean_main_checks_the_last_commit(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    # The last commit touched no version: nothing to check, even though the folder has a
    # version whose declared notice is fine.
    code, data = run_json(versions)
    assert data["base"]["label"] == "HEAD~1 (the last commit is checked)"
    assert (code, data["changed"], data["revisions"]) == (0, [], [])
    write_version(versions, "2024-02-01", body=EDITED, notice="popup")  # no notice period
    head = commit_all(top, "second version")
    code, data = run_json(versions)
    assert code == 1
    assert data["base"]["commit"] == git(top, "rev-parse", "HEAD~1").strip()
    assert data["base"]["commit"] != head
    assert [r["new"] for r in data["revisions"]] == [FILE.format("2024-02-01")]


def test_branch_is_compared_with_its_merge_base(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    fork = git(top, "rev-parse", "HEAD").strip()
    git(top, "checkout", "-q", "-b", "feature")
    write_version(versions, "2024-02-01", body=EDITED)
    commit_all(top, "second version")
    write_version(versions, "2024-03-01", body=BODY, updated="2024-02-01")
    commit_all(top, "third version")
    git(top, "checkout", "-q", "main")
    (top / "NOTES.md").write_text("main moved on\n", encoding="utf-8")
    commit_all(top, "main moves")
    git(top, "checkout", "-q", "feature")
    _code, data = run_json(versions)
    assert data["base"] == {"label": "merge base of HEAD and main", "commit": fork}
    assert data["changed"] == [FILE.format("2024-02-01"), FILE.format("2024-03-01")]
    assert [r["new"] for r in data["revisions"]] == data["changed"]
    # the third version changes the text back without moving 'updated'
    assert ("silent-change", FILE.format("2024-03-01"), 5) in rules(data)


def test_origin_head_names_the_default_branch(repo: tuple[Path, Path], tmp_path: Path) -> None:
    top, _versions = repo
    git(top, "branch", "-q", "-m", "main", "trunk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(top), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    write_version(clone / "policy_versions", "2024-02-01", body=EDITED)
    commit_all(clone, "second version")
    code, data = run_json(clone / "policy_versions")
    assert code == 0, data
    assert data["base"]["label"] == "merge base of HEAD and origin/trunk"
    assert data["changed"] == [FILE.format("2024-02-01")]


def test_explicit_base(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    first = git(top, "rev-list", "--max-parents=0", "HEAD").strip()
    write_version(versions, "2024-02-01", body=EDITED, updated="2023-01-01", effective="2024-02-01")
    commit_all(top, "second version")
    code, data = run_json(versions, "--base", first)
    assert data["base"] == {"label": first, "commit": first}
    assert code == 1
    assert [h["rule"] for h in data["hits"]] == ["date-order"]


@pytest.mark.parametrize("rev", ["no-such-branch", "--help", "HEAD~9"])
def test_unknown_base_is_exit_2(repo: tuple[Path, Path], rev: str) -> None:
    _top, versions = repo
    result = check("--versions", str(versions), f"--base={rev}")
    assert result.exit_code == 2
    assert result.stderr == f"policy: error: --base: unknown revision {rev!r}\n"


def test_unrelated_history_is_exit_2(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    git(top, "checkout", "-q", "--orphan", "elsewhere")
    commit_all(top, "unrelated root")
    result = check("--versions", str(versions))
    assert result.exit_code == 2
    assert "no common ancestor" in result.stderr and result.stderr.count("\n") == 1


# -- what is checked ------------------------------------------------------------------------------


def test_untouched_policies_are_not_reported(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    broken = versions / "other"
    broken.mkdir()
    (broken / "policy.yaml").write_text("title: Other\n", encoding="utf-8")
    (broken / "2024-01-01.md").write_text("no front matter\n", encoding="utf-8")
    commit_all(top, "a broken policy")
    write_version(versions, "2024-02-01", body=EDITED)
    code, data = run_json(versions)
    assert (code, data["hits"]) == (0, [])
    assert data["changed"] == [FILE.format("2024-02-01")]
    everything = check("--versions", str(versions), "--all")
    assert everything.exit_code == 1
    assert "other/2024-01-01.md\n  1: error [front-matter] no front matter" in everything.output


def test_an_inserted_version_rejudges_its_successor(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    write_version(versions, "2024-03-01", body=EDITED)
    commit_all(top, "third version")
    write_version(versions, "2024-02-01", body=EDITED, updated="2024-02-01")
    _code, data = run_json(versions)
    assert [(r["old"], r["new"]) for r in data["revisions"]] == [
        (FILE.format("2024-01-01"), FILE.format("2024-02-01")),
        (FILE.format("2024-02-01"), FILE.format("2024-03-01")),
    ]
    assert [r["detected"] for r in data["revisions"]][1] == "none"  # 03-01 now repeats 02-01
    assert ("empty-revision", FILE.format("2024-03-01"), 4) in rules(data)


def test_a_changed_policy_yaml_rechecks_the_policy(repo: tuple[Path, Path]) -> None:
    top, versions = repo
    write_version(versions, "2024-02-01", body=EDITED, notice="popup", effective="2024-03-15")
    commit_all(top, "popup version")
    (versions / POLICY / "policy.yaml").write_text(
        "title: Demo\nlanguages: [en]\nnotice_period_days: 60\n", encoding="utf-8"
    )
    _code, data = run_json(versions)
    assert ("notice-period", FILE.format("2024-02-01"), 6) in rules(data)
    assert len(data["revisions"]) == 2


def test_the_console_script_uses_policy_versions_in_the_working_directory(
    repo: tuple[Path, Path],
) -> None:
    top, versions = repo
    write_version(versions, "2024-02-01", body=EDITED, notice="popup")  # no notice period
    done = subprocess.run(
        [sys.executable, "-m", "analyzer", "check", "--format", "github"],
        cwd=top,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(top)},
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        "::error file=policy_versions/demo/2024-02-01.md,line=6,title=notice-period::"
        "a 'popup' revision (declared) needs 30 days' notice, but effective 2024-02-01 is "
        "0 days after updated 2024-02-01"
    )


# -- the repository's own versions --------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _in_git(path: Path) -> bool:
    done = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=path, capture_output=True, text=True
    )
    return done.returncode == 0 and done.stdout.strip() == "true"


def test_own_versions_pass_as_they_stand() -> None:
    result = check("--all", "--versions", str(ROOT / "policy_versions"))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output and "in 3 revisions: passed" in result.output


def test_own_versions_pass_against_head() -> None:
    if not _in_git(ROOT):
        pytest.skip("the project is not a git checkout here")
    result = check("--versions", str(ROOT / "policy_versions"), "--base", "HEAD")
    assert result.exit_code == 0, result.output


def test_example_revisions_are_marked_and_published_as_documented() -> None:
    store = Store(ROOT / "policy_versions")
    versions = {v.version: store.load(v).meta for v in store.versions("alibaba-cloud-privacy")}
    assert list(versions) == ["2023-05-26", "2024-03-18", "2026-02-02"]
    for version in ("2024-03-18", "2026-02-02"):
        meta = versions[version]
        assert meta["example"] is True and "not an official alibaba cloud" in meta["note"].lower()
    assert versions["2024-03-18"]["status"] == "published"
    assert versions["2024-03-18"]["notice"] == "publish"
    assert versions["2026-02-02"]["status"] == "draft"
    period = store.config("alibaba-cloud-privacy").notice_period_days
    draft = versions["2026-02-02"]
    assert (draft["effective"] - draft["updated"]).days >= period


# -- with the judgement pipeline -------------------------------------------------------------------


def _hotline_branch(repo: tuple[Path, Path], **fields: Any) -> Path:
    top, versions = repo
    git(top, "checkout", "-q", "-b", "new-hotline")
    hotline = BODY.replace("hotline (400-80-13260)", "hotline (95187)")
    write_version(versions, "2024-02-01", body=hotline, **fields)
    commit_all(top, "new hotline")
    return versions


def test_hotline_change_declared_publish_fails(repo: tuple[Path, Path]) -> None:
    versions = _hotline_branch(repo, notice="publish")
    code, data = run_json(versions)
    assert code == 1
    [hit] = [h for h in data["hits"] if h["rule"] == "undeclared-notice"]
    assert (hit["file"], hit["line"]) == (FILE.format("2024-02-01"), 9)
    assert hit["message"].startswith("the text needs 'popup' but the front matter declares")
    assert "9.4.5" in hit["message"]
    [revision] = data["revisions"]
    assert revision["detected"] == "popup" and any("9.4.5" in r for r in revision["reasons"])


def test_hotline_change_declared_popup_with_notice_period_passes(repo: tuple[Path, Path]) -> None:
    versions = _hotline_branch(repo, notice="popup", effective="2024-03-02")
    code, data = run_json(versions)
    assert (code, data["hits"]) == (0, [])
    assert data["revisions"][0]["detected"] == "popup"


def test_own_example_revisions_are_declared_correctly() -> None:
    code, data = run_json(ROOT / "policy_versions", "--all")
    assert (code, data["hits"]) == (0, [])
    detected = {
        r["new"].rsplit("/", 1)[1]: (r["detected"], r["declared"]) for r in data["revisions"]
    }
    assert detected == {
        "2023-05-26.md": ("publish", "publish"),
        "2024-03-18.md": ("publish", "publish"),
        "2026-02-02.md": ("consent", "consent"),
    }


def test_declared_fields_helper_matches_the_real_layout() -> None:
    # The helper's front matter has the layout the line numbers above rely on.
    lines = version_text("2024-01-01").splitlines()
    assert lines[4] == "updated: 2024-01-01" and lines[8] == "notice: publish"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the repository to another user")
def test_a_repository_git_refuses_is_bad_input_not_a_check_without_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # no safe.directory exception
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top, versions = new_repo(tmp_path / "repo")
    write_version(versions, "2024-01-01")
    for path in [top, *top.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    result = check("--versions", str(versions))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "policy: error: git cannot read the repository: detected dubious ownership"
    )
    assert result.stderr.count("\n") == 1
