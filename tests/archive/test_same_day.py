"""The archive site of a history with several versions on one day: URLs by id, the versions in
their order (``-10`` after ``-9``), feed entries a second apart so readers keep that order,
``anchors.json`` in id order, and notices that link the right pages."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from tests.helpers.policy_histories import policy_text

ATOM = "{http://www.w3.org/2005/Atom}"
IDS = ["2023-02-21", "2023-02-22", "2023-02-22-2", "2023-02-22-9", "2023-02-22-10", "2023-02-23"]

runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("same-day")
    folder = root / "dated"
    folder.mkdir()
    for n, version in enumerate(IDS):
        (folder / f"{version}.md").write_text(
            policy_text(f"Sentence number {n}."), encoding="utf-8"
        )
    versions = root / "versions"
    invoke(
        "import",
        "--folder",
        str(folder),
        "--policy",
        "p",
        "--published",
        "--versions",
        str(versions),
    )
    invoke(
        "site",
        "build",
        "--versions",
        str(versions),
        "--output",
        str(root / "_site"),
        "--no-model",
        "--no-cache",
        "--base-url",
        "https://example.org/a",
    )
    return root


def test_every_version_has_its_pages_in_id_order(site: Path) -> None:
    listed = json.loads((site / "_site" / "p" / "versions.json").read_text(encoding="utf-8"))
    assert [v["key"] for v in listed["versions"]] == IDS
    assert listed["current"] == "2023-02-23"
    for old, new in itertools.pairwise(IDS):
        page = (site / "_site" / "p" / new / "changes.html").read_text(encoding="utf-8")
        assert f'href="../{old}/index.html">{old}</a> to' in page


def test_feed_entries_of_one_day_are_a_second_apart_newest_first(site: Path) -> None:
    feed = ET.parse(site / "_site" / "p" / "feed.atom").getroot()
    entries = [
        (e.find(f"{ATOM}title").text or "", e.find(f"{ATOM}updated").text)  # type: ignore[union-attr]
        for e in feed.findall(f"{ATOM}entry")
    ]
    assert [(t.split(":")[0], u) for t, u in entries] == [
        ("2023-02-23", "2023-02-23T00:00:00Z"),
        ("2023-02-22-10", "2023-02-22T00:00:09Z"),
        ("2023-02-22-9", "2023-02-22T00:00:08Z"),
        ("2023-02-22-2", "2023-02-22T00:00:01Z"),
        ("2023-02-22", "2023-02-22T00:00:00Z"),
    ]


def test_anchors_and_ledger_keep_the_order_of_the_ids(site: Path) -> None:
    anchors = json.loads((site / "versions" / "p" / "anchors.json").read_text(encoding="utf-8"))
    assert list(anchors["versions"]) == IDS
    ledger = (site / "versions" / "p" / "PUBLISHED").read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in ledger] == IDS


def test_a_notice_links_the_same_day_versions_pages(site: Path) -> None:
    out = invoke(
        "notice",
        "p@2023-02-22-9",
        "p@2023-02-22-10",
        "--kind",
        "changelog",
        "--no-model",
        "--versions",
        str(site / "versions"),
        "--site-url",
        "https://example.org/a",
    )
    assert "https://example.org/a/p/2023-02-22-10/changes.html" in out
    assert "since the version of 2023-02-22-9" in out
