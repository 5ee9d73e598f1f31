"""Take the README's screenshot of ``policy corpus report`` on the whole corpus.

    python docs/make_corpus_screenshot.py                 # analyse ../shared/corpus, then shoot
    python docs/make_corpus_screenshot.py --results DIR   # shoot an existing results folder
    python docs/make_corpus_screenshot.py --no-model      # lexical analysis (faster)

Runs ``policy corpus analyze`` on the corpus (``$POLICY_SHARED/corpus``, else ``../shared/corpus``)
into ``bench/out/corpus-results-readme`` (reused by the next run: rows already there are not
computed again), then ``policy corpus report`` and photographs its HTML page with Debian's
headless Chromium (``/usr/bin/chromium --headless --screenshot``). The page is opened from a
``file://`` URL and fetches nothing. Prints the report's table (the README quotes it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
CHROMIUM = Path("/usr/bin/chromium")


def policy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args], cwd=ROOT, text=True, capture_output=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "corpus-report.png")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1950)
    options = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"make_corpus_screenshot: no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    results = options.results
    if results is None:
        if not CORPUS.is_dir():
            print(f"make_corpus_screenshot: no corpus at {CORPUS}", file=sys.stderr)
            return 2
        results = ROOT / "bench" / "out" / "corpus-results-readme"
        args = ["corpus", "analyze", "--versions", str(CORPUS), "--out", str(results)]
        done = policy(*args, *(["--no-model"] if options.no_model else []))
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            return 2
        print(done.stdout, end="")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        report = policy("corpus", "report", str(results), "--html", str(page))
        if report.returncode != 0:
            sys.stderr.write(report.stderr)
            return 2
        print(report.stdout, end="")
        options.output.parent.mkdir(parents=True, exist_ok=True)
        shot = subprocess.run(
            [
                str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--disable-background-networking", "--no-first-run",
                f"--window-size={options.width},{options.height}",
                f"--screenshot={options.output}", page.as_uri(),
            ],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if shot.returncode != 0 or not options.output.is_file():
            sys.stderr.write(shot.stderr[-2000:])
            return 2
    print(f"wrote {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
