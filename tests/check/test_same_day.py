"""``policy check`` with several versions on one day: ordered by N (``-10`` after ``-9``), each
judged against the one before it, hits listed in that order, no warning a same-day version
cannot fix, and names that are not ids refused."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from analyzer.check.model import RevisionJudgement
from analyzer.check.run import run_check
from analyzer.model import Document
from analyzer.store.snapshot import from_folder
from tests.helpers.versions_repo import BODY, check, make_policy, version_text, write_version

IDS = ["2024-03-01", "2024-03-01-2", "2024-03-01-9", "2024-03-01-10", "2024-03-02"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    versions = tmp_path / "versions"
    make_policy(versions)
    for n, version in enumerate(IDS):
        write_version(root=versions, version=version, body=BODY.replace("name", f"name ({n})"))
    return versions


def recording_judge(seen: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    def judge(old: Document, new: Document, criteria: str) -> RevisionJudgement:
        seen.append((Path(old.source).name, Path(new.source).name))
        return RevisionJudgement("publish", ("judged",), None, "test")

    return judge


def test_each_version_is_judged_against_the_one_before_it_that_day(root: Path) -> None:
    seen: list[tuple[str, str]] = []
    result = run_check(from_folder(root), versions="v", judge=recording_judge(seen))
    names = [f"{v}.md" for v in IDS]
    assert sorted(seen) == sorted(itertools.pairwise(names))
    # the revisions come out in the order of the ids, not of the file names' letters
    assert [r.new for r in result.revisions] == [f"v/demo/{n}" for n in names]
    assert [r.old for r in result.revisions] == [None, *(f"v/demo/{n}" for n in names[:-1])]
    assert result.hits == ()  # updated is the day itself: no silent-change warning
    assert list(result.files) == [f"v/demo/{n}" for n in names]


def test_hits_are_listed_in_the_order_of_the_versions(root: Path) -> None:
    for version in IDS:
        write_version(root, version, body=BODY + f"\n{version}\n", notice="popup")
    result = run_check(from_folder(root), versions="v", judge=recording_judge([]))
    files = list(dict.fromkeys(Path(h.file).name for h in result.hits))
    assert files == [f"{v}.md" for v in IDS]


def test_a_same_day_version_whose_updated_could_be_later_still_warns(root: Path) -> None:
    write_version(root, "2024-03-05", body=BODY + "\nchanged\n", updated="2024-03-02")
    result = run_check(from_folder(root), versions="v", judge=recording_judge([]))
    assert [Path(h.file).name for h in result.hits if h.rule == "silent-change"] == [
        "2024-03-05.md"
    ]


@pytest.mark.parametrize("name", ["2024-03-01-1", "2024-03-01-02", "2024-02-30"])
def test_a_name_that_is_not_a_version_id_is_refused(root: Path, name: str) -> None:
    (root / "demo" / f"{name}.md").write_text(version_text("2024-03-01"), encoding="utf-8")
    result = check("--all", "--versions", str(root))
    assert f"{name}.md\n  1: error [front-matter] not a version file name: want YYYY-MM-DD[-N]" in (
        result.output
    )
