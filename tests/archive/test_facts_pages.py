"""What each version says, on the archive site: the table on every version page (each statement
linked to its clauses), its change on the revision page, and facts.json for machines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from analyzer.archive.build import build_site
from analyzer.archive.cache import BuildCache
from tests.helpers.site_histories import parse_html

ROOT = Path(__file__).resolve().parents[2]
POLICY = "alibaba-cloud-privacy"
SCHEMA = json.loads((ROOT / "analyzer/schemas/policy-facts-1.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facts-site")
    versions = root / "policy_versions"
    shutil.copytree(ROOT / "policy_versions" / POLICY, versions / POLICY)
    build_site(versions, root / "_site", cache=BuildCache(None), unavailable="tests")
    return root / "_site"


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def rows(page: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(text of the first cell, [(clause address, href)]) of every statement row."""
    out = []
    for table in parse_html(page).iter("table"):  # type: ignore[attr-defined]
        if "policy-says" not in (table.get("class") or ""):
            continue
        for tr in table.iter("tr"):
            cells = list(tr.iter("td"))
            if len(cells) == 3:
                links = [(text_of(a), a.get("href")) for a in cells[2].iter("a")]
                out.append((text_of(cells[0]), links))
    return out


def anchors(page: Path) -> dict[str, str]:
    tree = parse_html(page)
    return {el.get("data-clause"): el.get("id") for el in tree.iter() if el.get("data-clause")}  # type: ignore[attr-defined]


def test_every_version_page_shows_what_it_says_linked_to_its_clauses(site: Path) -> None:
    page = site / POLICY / "2023-05-26" / "index.html"
    table = dict(rows(page))
    partners = next(
        links for name, links in table.items() if name.startswith("advertising partners")
    )
    ids = anchors(page)
    assert partners == [("3.1.1", f"#{ids['s3.1.1']}")]
    hotline = next(links for name, links in table.items() if name.startswith("400-80-13260"))
    assert [address for address, _ in hotline] == ["Prompt clause ¶2", "10 ¶1"]
    biometric = next(name for name in table if name.startswith("biometric information"))
    assert "sensitive" in biometric
    for version in ("2024-03-18", "2026-02-02"):
        assert rows(site / POLICY / version / "index.html")


def test_the_revision_page_shows_what_the_policy_says_differently(site: Path) -> None:
    page = site / POLICY / "2026-02-02" / "changes.html"
    changed = dict(rows(page))
    new_ids = anchors(site / POLICY / "2026-02-02" / "index.html")
    old_ids = anchors(site / POLICY / "2024-03-18" / "index.html")
    added = changed["+ 95187 hotline"]
    assert [address for address, _ in added] == ["Prompt clause ¶2", "10 ¶1"]
    assert all(href.startswith("../2026-02-02/index.html#") for _, href in added)
    assert {href.split("#")[1] for _, href in added} <= set(new_ids.values())
    removed = changed["− 400-80-13260 hotline"]
    assert all(href.startswith("../2024-03-18/index.html#") for _, href in removed)
    assert {href.split("#")[1] for _, href in removed} <= set(old_ids.values())
    partners = next(name for name in changed if name.startswith("~ advertising partners"))
    assert "now also: device information, log information" in partners
    assert not any(name.startswith("+ advertising partners") for name in changed)
    # the editorial revision before it says nothing new
    quiet = site / POLICY / "2024-03-18" / "changes.html"
    assert rows(quiet) == []
    assert "makes the same statements as before" in quiet.read_text(encoding="utf-8")


def test_facts_json_is_policy_facts_1(site: Path) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for version in ("2023-05-26", "2024-03-18", "2026-02-02"):
        data = json.loads((site / POLICY / version / "facts.json").read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(data))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
        assert data["meta"]["version"] == version
    index = json.loads((site / POLICY / "versions.json").read_text(encoding="utf-8"))
    assert [v["facts"] for v in index["versions"]] == [
        f"{v}/facts.json" for v in ("2023-05-26", "2024-03-18", "2026-02-02")
    ]
