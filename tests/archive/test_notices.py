"""The archive site shows the notices: the pop-up and change-log entry on each revision page,
the notice shown on each version page, and every change-log entry on the policy's page (the
"special page" of section 9.2 that lists every revision)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import html5lib
import pytest

from analyzer.archive.build import build_site
from analyzer.archive.cache import BuildCache
from analyzer.notices.render import site_notices
from analyzer.report_json import report_from_dict
from tests.helpers.reports_with_findings import OLD, edited, finding, revision, with_findings

ROOT = Path(__file__).resolve().parents[2]
POLICY = "alibaba-cloud-privacy"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(
        ROOT / "policy_versions",
        out / "_site",
        cache=BuildCache(out / "cache"),
        unavailable="tests build without the model",
    )
    return out


def page(site: Path, path: str) -> Any:
    text = (site / "_site" / POLICY / path).read_text(encoding="utf-8")
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(text)


def text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def articles(tree: Any) -> dict[str, str]:
    return {
        a.get("class"): text(a)
        for a in tree.iter("article")
        if (a.get("class") or "").startswith("notice ")
    }


def test_revision_page_shows_the_popup_and_the_change_log_entry(site: Path) -> None:
    notices = articles(page(site, "2026-02-02/changes.html"))
    popup = notices["notice notice-popup"]
    assert popup.startswith("Pop-up shown to users Your consent is needed")
    assert "The customer service hotline changes from 400-80-13260 to 95187" in popup
    assert "[ Decline ] [ Accept the changes ]" in popup
    changelog = notices["notice notice-changelog"]
    assert (
        "In section 3 (How can we provide your user information externally), we added 3.1.4."
        in (changelog)
    )
    assert "(needs your consent)" in changelog


def test_version_pages_show_the_notice_that_was_shown(site: Path) -> None:
    assert "notice notice-popup" in articles(page(site, "2026-02-02/index.html"))
    editorial = articles(page(site, "2024-03-18/index.html"))
    assert "notice notice-popup" not in editorial  # a publish revision shows no pop-up
    assert (
        "corrected the numbering of 5.5 (Account cancellation)"
        in editorial["notice notice-changelog"]
    )
    assert articles(page(site, "2023-05-26/index.html")) == {}  # the first version


def test_policy_page_lists_every_change_log_entry(site: Path) -> None:
    tree = page(site, "index.html")
    entries = [text(d) for d in tree.iter("details") if d.get("class") == "changelog"]
    assert len(entries) == 2
    assert entries[0].startswith("Change-log entry 2026-02-02, effective March 9, 2026")
    assert entries[1].startswith("Change-log entry 2024-03-18, effective March 18, 2024")


def test_a_cached_rebuild_makes_the_same_notices(site: Path, tmp_path: Path) -> None:
    # the second build reads every revision's report back from the cache
    cache = BuildCache(site / "cache")
    build_site(
        ROOT / "policy_versions",
        tmp_path / "_site",
        cache=cache,
        unavailable="tests build without the model",
    )
    assert cache.misses == 0 and cache.hits > 0
    for path in ("2026-02-02/changes.html", "2026-02-02/index.html", "index.html"):
        first = (site / "_site" / POLICY / path).read_bytes()
        again = (tmp_path / "_site" / POLICY / path).read_bytes()
        assert first == again, path


def test_reports_survive_their_json() -> None:
    from analyzer.model import Override

    override = Override("9.4.5", "10 ¶1", "not-major", "typo in our own number", "Legal")
    hotline = finding(
        "9.4.5", "contact-change", "phone:4008013260", "phone:95187", before="400-80-13260"
    )
    report = with_findings(
        revision(OLD, edited("hotline", "fee", "editorial")),
        {"10 ¶1": [dataclasses.replace(hotline, override=override)], "Prompt clause ¶1": [hotline]},
    )
    again = report_from_dict(report.to_dict())
    assert again.to_dict() == report.to_dict()
    assert site_notices(again, language="zh") == site_notices(report, language="zh")


def test_site_notices_of_a_revision_without_changes_are_empty() -> None:
    assert site_notices(revision(OLD, OLD), language="en") == {}


def test_an_edited_pattern_shows_on_the_next_build_without_new_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import analyzer.notices.context
    import analyzer.notices.patterns

    folder = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", folder)
    # where the notices are made from (build_context) and fingerprinted (the site's cache)
    for module in (analyzer.notices.context, analyzer.notices.patterns):
        monkeypatch.setattr(module, "notice_folders", lambda templates=None: (folder,))
    cache = tmp_path / "cache"
    build_site(
        ROOT / "policy_versions", tmp_path / "_site", cache=BuildCache(cache), unavailable="t"
    )
    patterns = folder / "en" / "sentences.yaml"
    patterns.write_text(
        patterns.read_text(encoding="utf-8").replace(
            'hotline: "The customer service hotline changes from {before} to {after}"',
            'hotline: "Our hotline is now {after} (it was {before})"',
        ),
        encoding="utf-8",
    )
    again = BuildCache(cache)
    build_site(ROOT / "policy_versions", tmp_path / "_site", cache=again, unavailable="t")
    assert again.misses == 2  # the notices of the two revisions, nothing else
    notices = articles(page(tmp_path, "2026-02-02/changes.html"))
    assert "Our hotline is now 95187 (it was 400-80-13260)." in notices["notice notice-changelog"]
