"""Take the README's pictures of the Word redline, as LibreOffice shows it.

    python docs/make_docx_screenshot.py                   # the shipped example revision
    python docs/make_docx_screenshot.py OLD NEW --output shot   # shot-1.png, shot-2.png

Writes the redline the way ``policy diff OLD NEW --format docx --no-model -o FILE`` does, has
Debian's LibreOffice (``/usr/bin/soffice``, headless, with a throwaway profile) turn it into a
PDF, and poppler's ``pdftoppm`` turn two of its pages into PNG files: the first page (the
decision, the findings, the change-log entry) and the page of the policy that shows the
longest insertion or deletion of a substantive change (found with ``pdftotext``). Exits 2 with one line when a tool is
missing or the revision has no substantive change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from analyzer.cli import app

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = Path("/usr/bin/soffice")
TOOLS = ("pdftoppm", "pdftotext")
BODY = "The policy, old to new"
"""The heading the redline's policy text starts under."""


def fail(message: str) -> int:
    print(f"make_docx_screenshot: {message}", file=sys.stderr)
    return 2


def policy(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, [*args, "--no-model", "--versions", str(ROOT / "policy_versions")]
    )
    return result.exit_code, result.stdout or result.stderr


def most_changed_words(report: dict[str, object]) -> str:
    """The start of the longest run of words a substantive change inserts or deletes, to find
    the page that shows the most of the revision."""
    runs = [
        " ".join(text.split())
        for change in report["changes"]  # type: ignore[attr-defined]
        if change["nature"] == "substantive"
        for op, text in change["inline"]
        if op in "+-"
    ]
    longest = max(runs, key=len, default="")
    return longest[:40] if len(longest) >= 4 else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", default="alibaba-cloud-privacy@2023-05-26")
    parser.add_argument("new", nargs="?", default="alibaba-cloud-privacy@2026-02-02")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "redline-docx")
    parser.add_argument("--dpi", type=int, default=70)
    options = parser.parse_args()
    if not SOFFICE.exists():
        return fail(f"no LibreOffice at {SOFFICE}")
    for tool in TOOLS:
        if shutil.which(tool) is None:
            return fail(f"no {tool} (Debian's poppler-utils)")
    code, shown = policy("diff", options.old, options.new, "--format", "json")
    if code not in (0, 1):
        return fail(shown.strip())
    words = most_changed_words(json.loads(shown))
    if not words:
        return fail("the revision has no substantive change to show")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        redline = work / "redline.docx"
        code, shown = policy(
            "diff", options.old, options.new, "--format", "docx", "--output", str(redline)
        )
        if code not in (0, 1) or not redline.is_file():
            return fail(shown.strip())
        env = {**os.environ, "HOME": str(work)}
        subprocess.run(
            [
                str(SOFFICE), "--headless", "--norestore", "--nologo",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to", "pdf", "--outdir", str(work), str(redline),
            ],
            check=True, capture_output=True, timeout=300, env=env,
        )  # fmt: skip
        pdf = work / "redline.pdf"
        if not pdf.is_file():
            return fail("LibreOffice wrote no PDF")
        page, body_seen = 2, False
        while True:
            text = subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
            if not text.strip():
                return fail(f"no page of the redline shows {words!r}")
            flat = "".join(text.split())  # lines wrap anywhere, at hyphens too
            if BODY.replace(" ", "") in flat:  # the policy starts here (page 1 may quote it)
                body_seen, flat = True, flat[flat.index(BODY.replace(" ", "")) :]
            if body_seen and "".join(words.split()) in flat:
                break
            page += 1
        options.output.parent.mkdir(parents=True, exist_ok=True)
        for number, shot in ((1, 1), (page, 2)):
            target = options.output.with_name(f"{options.output.name}-{shot}")
            subprocess.run(
                [
                    "pdftoppm", "-png", "-r", str(options.dpi), "-f", str(number),
                    "-l", str(number), "-singlefile", str(pdf), str(target),
                ],
                check=True,
            )  # fmt: skip
            print(f"wrote {target}.png (page {number})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
