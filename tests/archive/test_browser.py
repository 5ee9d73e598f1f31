"""The archive site in headless Chromium: follow a reader's path, compare, search.

Needs Debian's ``chromium`` at /usr/bin/chromium (never downloaded: no ``playwright install``).
The site is served from a local ``http.server`` thread; every request must stay on it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzer.archive.build import build_site
from analyzer.archive.cache import BuildCache
from tests.helpers.site_histories import POLICY, swapped_history

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("browser")
    versions = swapped_history(root)
    output = root / "_site"
    build_site(versions, output, cache=BuildCache(None), unavailable="browser test")
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", output
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watch:
    """Console errors, page errors and requests that leave the site."""

    def __init__(self, page: Any, base: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on(
            "request",
            lambda r: None if r.url.startswith(base) else self.outside.append(r.url),
        )

    def check(self) -> None:
        assert self.errors == []
        assert self.outside == []


def test_a_reader_follows_policy_version_revision_clause(
    served: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    base, _ = served
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    watch = Watch(page, base)
    page.goto(base + "index.html")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"

    page.get_by_role("link", name="Alibaba Cloud official website legal statement").first.click()
    assert page.url.endswith(f"{POLICY}/index.html")
    assert page.locator("ol.timeline > li").count() == 3
    page.screenshot(path=str(tmp_path / "policy.png"), full_page=True)

    page.locator("ol.timeline a", has_text="2023-07-01").first.click()
    assert page.url.endswith(f"{POLICY}/2023-07-01/index.html")
    assert page.locator("aside.superseded").is_visible()
    page.screenshot(path=str(tmp_path / "version.png"))

    page.get_by_role("link", name="What changed from 2023-05-26").click()
    assert page.url.endswith(f"{POLICY}/2023-07-01/changes.html")
    assert page.locator("del", has_text="400-80-13260").count() >= 1
    page.screenshot(path=str(tmp_path / "revision.png"), full_page=True)

    page.get_by_role("link", name="History of this clause").first.click()
    assert "/clause/c-" in page.url
    assert page.locator("ol.history > li").count() >= 1
    page.screenshot(path=str(tmp_path / "clause.png"), full_page=True)
    watch.check()
    page.close()


def test_compare_two_versions(served: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    base, _ = served
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    watch = Watch(page, base)
    page.goto(base + f"{POLICY}/index.html")
    page.select_option("#from", "2023-05-26")
    page.select_option("#to", "2023-09-01")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#compare-result article")
    assert "from=2023-05-26" in page.url and "to=2023-09-01" in page.url
    result = page.locator("#compare-result")
    assert result.locator("ins", has_text="95187").count() >= 1
    assert result.locator("del", has_text="400-80-13260").count() >= 1
    assert result.locator("article.kind-moved, article.kind-renumbered").count() >= 1
    renumbered = result.locator("article", has_text="was 7.1").first
    assert "6.1" in renumbered.inner_text()
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    watch.check()
    page.close()


def test_search_leads_to_a_clause_anchor(
    served: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    base, _ = served
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    watch = Watch(page, base)
    page.goto(base + "index.html")
    page.get_by_role("link", name="Search").click()
    page.fill("#q", "95187 hotline")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#search-results li")
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    link = page.locator("#search-results li h2 a").first
    href = link.get_attribute("href") or ""
    assert "#c-" in href
    link.click()
    anchor = href.split("#", 1)[1]
    assert page.url.endswith("#" + anchor)
    assert "95187" in page.locator(f"[id='{anchor}']").inner_text()
    watch.check()
    page.close()


def test_without_javascript_and_on_a_phone(
    served: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    base, _ = served
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    watch = Watch(page, base)
    page.goto(base + f"{POLICY}/index.html")
    page.get_by_role("button", name="Compare").click()
    # the form still leads somewhere useful: every revision, step by step
    steps = page.locator("ol.steps a")
    assert steps.count() == 2
    page.screenshot(path=str(tmp_path / "compare-no-js.png"), full_page=True)
    page.goto(base + f"{POLICY}/2023-09-01/index.html")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    page.screenshot(path=str(tmp_path / "version-phone.png"))
    watch.check()
    context.close()
