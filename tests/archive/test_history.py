"""`policy history POLICY CLAUSE`: one clause followed across renumbering and edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from tests.helpers.site_histories import POLICY, swapped_history

runner = CliRunner()


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return swapped_history(tmp_path_factory.mktemp("history"))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ANALYZER_CACHE", str(tmp_path / "cache"))


def _history(versions: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["history", POLICY, *args, "--versions", str(versions), "--no-model"]
    )
    return result.exit_code, result.output


def test_a_renumbered_clause_is_followed_under_both_numbers(versions: Path) -> None:
    # 6.1 of the newest version was 7.1 before sections 6 and 7 swapped
    code, out = _history(versions, "6.1", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["schema"] == "policy-history/1"
    assert data["query"] == {"version": "2023-09-01", "matched": "address"}
    addresses = [s["clause"]["address"] for s in data["segments"]]
    assert addresses == ["7.1", "6.1"]
    assert data["segments"][0]["versions"] == ["2023-05-26", "2023-07-01"]
    assert "renumbered: 7.1 → 6.1" in data["segments"][1]["notes"]
    assert data["segments"][1]["inline"] == []  # same words, new number
    # the same lineage is reached by its anchor, and by the parser id of the old version
    code, by_anchor = _history(versions, data["anchor"], "--format", "json")
    assert code == 0 and json.loads(by_anchor)["segments"] == data["segments"]


def test_an_edited_clause_shows_its_redline(versions: Path) -> None:
    code, out = _history(versions, "10 ¶1")
    assert code == 0, out
    assert "2023-07-01" in out and ": changed" in out
    assert "[-400-80-13260-]{+95187+}" in out


def test_an_unknown_clause_is_a_one_line_error(versions: Path) -> None:
    code, out = _history(versions, "42.7")
    assert code == 2
    assert "no clause '42.7'" in out and "Traceback" not in out


def test_an_unknown_chain_is_a_one_line_error(versions: Path) -> None:
    code, out = _history(versions, "6.1", "--lang", "zh")
    assert code == 2
    assert "has no chain 'zh'" in out
