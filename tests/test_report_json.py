"""policy-diff/1 JSON read back into a Report (analyzer.report_json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.errors import PolicyError
from analyzer.report_json import report_from_dict

CASES = Path(__file__).resolve().parent / "cases"
GOLDEN_REPORTS = sorted(CASES.glob("diff-*/expected.json"))


@pytest.mark.parametrize("path", GOLDEN_REPORTS, ids=lambda p: p.parent.name)
def test_golden_reports_round_trip(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert report_from_dict(data).to_dict() == data


def test_there_are_reports_with_splits_and_findings() -> None:
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN_REPORTS]
    changes = [c for r in reports for c in r["changes"]]
    assert any("parts" in (c["new"] or {}) for c in changes)
    assert any(c["criteria"] for c in changes)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"schema": "policy-tree/1"},
        {"schema": "policy-diff/1"},
        {"schema": "policy-diff/1", "analyzer": {}},
    ],
)
def test_anything_else_is_bad_input(data: dict[str, object]) -> None:
    with pytest.raises(PolicyError, match="policy-diff/1"):
        report_from_dict(data)
