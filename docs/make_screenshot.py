"""Take the README's screenshot of a pop-up notice in headless Chromium.

    python docs/make_screenshot.py                       # the shipped example revision, English
    python docs/make_screenshot.py --lang zh --output docs/notice-popup.zh.png
    python docs/make_screenshot.py OLD NEW --output shot.png

Analyses the revision the way ``policy notice --no-model`` does, renders the pop-up, embeds it
in a plain host page and photographs the page with Debian's ``/usr/bin/chromium`` driven by
Playwright (never a downloaded browser). The page is opened from a temporary ``file://`` URL and
fetches nothing. Exits 2 with one line when the revision needs no pop-up or Chromium is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from analyzer.cli import app

ROOT = Path(__file__).resolve().parent.parent
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
HOST = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>Example page</title>
<style>body{{margin:0;padding:2rem;font:16px/1.5 system-ui,sans-serif;color:#444;background:#eef1f4}}
.page{{max-width:52rem;margin:0 auto;background:#fff;padding:2rem;border-radius:8px}}
.line{{height:.8rem;margin:.9rem 0;background:#e2e6ea;border-radius:4px}}</style></head>
<body><div class="page"><h1>Example Cloud</h1>{lines}</div>
{fragment}
</body>
</html>
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", default="alibaba-cloud-privacy@2023-05-26")
    parser.add_argument("new", nargs="?", default="alibaba-cloud-privacy@2026-02-02")
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "notice-popup.png")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=820)
    options = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"make_screenshot: no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    result = CliRunner().invoke(
        app,
        [
            "notice", options.old, options.new, "--kind", "popup", "--lang", options.lang,
            "--no-model", "--versions", str(ROOT / "policy_versions"),
        ],
    )  # fmt: skip
    if result.exit_code != 0 or not result.stdout.lstrip().startswith("<"):
        print(f"make_screenshot: {(result.stdout or result.stderr).strip()}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    lines = "".join(
        f'<div class="line" style="width:{90 - (k * 17) % 40}%"></div>' for k in range(14)
    )
    page_html = HOST.format(lang=options.lang, lines=lines, fragment=result.stdout)
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "page.html"
        page_path.write_text(page_html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(
                viewport={"width": options.width, "height": options.height},
                device_scale_factor=1,
            )
            page.goto(page_path.as_uri())
            page.wait_for_selector("#policy-notice")
            options.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(options.output), animations="disabled", caret="hide")
            browser.close()
    print(f"wrote {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
