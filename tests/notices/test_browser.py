"""The pop-up in a real browser: headless Chromium (Debian's ``/usr/bin/chromium``) driven by
Playwright. The fragment is embedded in a host page opened from ``file://``; the dialog must be
visible and modal, focus must start on its button and stay inside with Tab and Shift+Tab, Enter
and Escape must close it, and the console must stay free of errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzer.notices.context import build_context
from analyzer.notices.links import archive_links
from analyzer.notices.render import render_notice
from tests.helpers.reports_with_findings import OLD, edited, finding, revision, with_findings

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
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not at /usr/bin/chromium"),
]

HOST = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Host page</title></head>
<body>
<p>The company's page, with <a href="#elsewhere" id="outside">a link outside the notice</a>.</p>
{fragment}
<script>
document.addEventListener("policy-notice", function (event) {{ window.noticeChoice = event.detail; }});
</script>
</body>
</html>
"""

HOTLINE = finding(
    "9.4.5",
    "contact-change",
    "phone:4008013260",
    "phone:95187",
    before="400-80-13260",
    after="95187",
)
FEE = finding("9.2", "rights-restriction", "fee:not charged", before="charge a fee", restricts=True)


def fragment(kind: str, language: str) -> str:
    if kind == "consent":
        report = with_findings(
            revision(OLD, edited("hotline", "fee")), {"10 ¶1": [HOTLINE], "5.6.2": [FEE]}
        )
    else:
        report = with_findings(revision(OLD, edited("hotline")), {"10 ¶1": [HOTLINE]})
    links = archive_links("", "example", "2025-06-01", "2025-01-01")
    return render_notice(build_context(report, language=language, links=links), "popup")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


class Page:
    """A host page with the pop-up, and the console errors it logged."""

    def __init__(self, browser: Any, path: Path, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())

    def active(self) -> dict[str, Any]:
        return dict(
            self.page.evaluate(
                """() => {
                const e = document.activeElement;
                return {tag: e.tagName, value: e.value || e.getAttribute('href') || '',
                        inside: !!e.closest('#policy-notice')};
            }"""
            )
        )

    def choice(self) -> dict[str, str]:
        """What the notice announced when it closed (the event is dispatched asynchronously)."""
        self.page.wait_for_function("() => window.noticeChoice !== undefined", timeout=5000)
        return dict(self.page.evaluate("() => window.noticeChoice"))

    def dialog(self, expression: str) -> Any:
        return self.page.evaluate(
            f"() => {{ const d = document.getElementById('policy-notice'); return {expression}; }}"
        )

    def close(self) -> None:
        self.context.close()


def host(tmp_path: Path, kind: str, language: str) -> Path:
    path = tmp_path / f"{kind}-{language}.html"
    path.write_text(HOST.format(fragment=fragment(kind, language)), encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["en", "zh"])
def test_popup_is_modal_keeps_focus_and_closes_with_enter(
    browser: Any, tmp_path: Path, language: str
) -> None:
    page = Page(browser, host(tmp_path, "popup", language))
    try:
        assert page.page.locator("#policy-notice").is_visible()
        assert page.dialog("d.open && d.matches(':modal')")
        # opening it announces nothing
        page.page.wait_for_timeout(100)
        assert page.page.evaluate("() => window.noticeChoice === undefined")
        title = page.dialog(
            "document.getElementById(d.getAttribute('aria-labelledby')).textContent"
        )
        assert "Example privacy policy" in title
        assert page.active() == {"tag": "BUTTON", "value": "acknowledged", "inside": True}
        # Tab and Shift+Tab go round the dialog's link and button, never outside
        seen = set()
        for key in ["Tab"] * 4 + ["Shift+Tab"] * 4:
            page.page.keyboard.press(key)
            now = page.active()
            assert now["inside"], (key, now)
            seen.add(now["value"])
        assert seen == {"acknowledged", "example/2025-06-01/changes.html"}
        while page.active()["tag"] != "BUTTON":
            page.page.keyboard.press("Tab")
        page.page.keyboard.press("Enter")
        assert page.dialog("!d.open")
        assert page.choice() == {
            "choice": "acknowledged",
            "policy": "example",
            "version": "2025-06-01",
            "level": "popup",
        }
        assert not page.page.locator("#policy-notice").is_visible()
        assert page.errors == []
    finally:
        page.close()


def test_escape_dismisses_the_popup(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, host(tmp_path, "popup", "en"))
    try:
        page.page.keyboard.press("Escape")
        assert page.dialog("!d.open")
        assert page.choice()["choice"] == "dismissed"
        assert page.errors == []
    finally:
        page.close()


def test_consent_starts_on_decline_and_records_the_choice(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, host(tmp_path, "consent", "en"))
    try:
        assert page.dialog("d.matches(':modal')")
        assert page.active() == {"tag": "BUTTON", "value": "decline", "inside": True}
        page.page.keyboard.press("Tab")
        assert page.active()["value"] == "accept"
        page.page.keyboard.press("Tab")  # wraps to the first focusable element of the dialog
        assert page.active()["inside"]
        page.page.keyboard.press("Shift+Tab")
        assert page.active()["value"] == "accept"
        page.page.keyboard.press("Enter")
        assert page.dialog("!d.open")
        assert page.choice()["choice"] == "accept"
        assert page.choice()["level"] == "consent"
        assert page.errors == []
    finally:
        page.close()


def test_without_javascript_the_notice_shows_and_its_button_closes_it(
    browser: Any, tmp_path: Path
) -> None:
    page = Page(browser, host(tmp_path, "consent", "zh"), javascript=False)
    try:
        dialog = page.page.locator("#policy-notice")
        assert dialog.is_visible()
        page.page.locator("button[value='decline']").click()
        assert not dialog.is_visible()
        assert page.errors == []
    finally:
        page.close()
