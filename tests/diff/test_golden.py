"""Golden cases of ``policy diff`` built from the seed (see ``tests/helpers/diff_cases.py``)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analyzer.model import level_rank
from analyzer.render import render_json, render_text
from tests.helpers.diff_cases import ROOT, case_names, load_case

CASES = case_names()


def test_the_acceptance_cases_are_all_there() -> None:
    assert set(CASES) >= {
        "diff-identical",
        "diff-swap-sections-6-7",
        "diff-split-clause",
        "diff-hard-wrap",
        "diff-markdown",
        "diff-negation-flip",
        "diff-hotline-two-places",
    }


@pytest.mark.parametrize("name", CASES)
def test_case_meets_its_expectations(name: str) -> None:
    case = load_case(name)
    report = case.report()
    expect = case.expect
    level = report.decision.level
    if "level" in expect:
        assert level == expect["level"], (name, report.decision)
    if "level_at_least" in expect:
        assert level_rank(level) >= level_rank(expect["level_at_least"]), name
    if "changes" in expect:
        assert len(report.changes) == expect["changes"], [c.to_dict() for c in report.changes]
    substantive = [c for c in report.changes if c.nature == "substantive"]
    if "substantive" in expect:
        assert len(substantive) == expect["substantive"], [
            (c.id, c.kind, c.reasons) for c in substantive
        ]
    kinds = Counter(c.kind for c in report.changes)
    if "kinds" in expect:
        assert set(kinds) <= set(expect["kinds"]), kinds
    for kind, n in (expect.get("count") or {}).items():
        assert kinds[kind] == n, kinds
    for change in substantive if "tripwires" in expect else []:
        named = {t.kind for t in change.tripwires}
        assert named & set(expect["tripwires"]), (change.id, change.tripwires)
        assert set(change.reasons) & set(expect["tripwires"]), change.reasons


@pytest.mark.parametrize("name", CASES)
def test_case_golden_report(name: str, golden: Callable[[Path, Any], None]) -> None:
    case = load_case(name)
    report = case.report()
    text = render_json(report)
    assert str(ROOT) not in text, "absolute path in a golden report"
    golden(case.folder / "expected.json", json.loads(text))
    golden(case.folder / "expected.txt", render_text(report))


def test_negation_flip_names_the_words() -> None:
    report = load_case("diff-negation-flip").report()
    (change,) = report.changes
    assert change.kind == "modified" and change.new[0].clause == "3.1.1"
    (wire,) = [t for t in change.tripwires if t.kind == "negation"]
    assert "not" in wire.before and "not" not in wire.after
    assert ("-", "not ") in change.inline


def test_hotline_changes_point_at_both_places() -> None:
    report = load_case("diff-hotline-two-places").report()
    places = [c.new[0].clause for c in report.changes]
    assert places == ["Prompt clause ¶2", "10 ¶1"]
    for change in report.changes:
        assert ("-", "400-80-13260") in change.inline and ("+", "95187") in change.inline


def test_swapped_sections_read_like_an_editor_would() -> None:
    report = load_case("diff-swap-sections-6-7").report()
    moved = [c for c in report.changes if c.kind == "moved"]
    assert len(moved) == 1
    assert (moved[0].old[0].clause, moved[0].new[0].clause) == ("6", "7")
    renumbered = {
        (c.old[0].clause, c.new[0].clause) for c in report.changes if c.kind == "renumbered"
    }
    assert ("7.1", "6.1") in renumbered and ("7", "6") in renumbered
    assert all(c.nature == "editorial" for c in report.changes)
