"""Speed of the notices, against the analysis they are made from, measured in the same run.

Run from the repository root:

    python bench/notice_bench.py [--repeat N]

Revisions (lexical alignment only, no model):

- ``example``: the shipped example revision 2023-05-26 -> 2026-02-02 (14 changes);
- ``every-clause``: the seed with a number changed in every clause that states one, and one
  word added to every other clause (one change per clause: the worst case for sentences);
- ``corpus``: a large real revision of the shared corpus (GitHub's privacy statement
  2021-11-12 -> 2022-05-31), when the corpus is there.

For each: ``analyze`` (parse both versions, align, judge: the baseline), then what the notices
add on top of a report: ``build_context`` (sentences and change-log entries, both languages) and
rendering every kind and format. Best of ``--repeat`` runs, wall time; the ratio is notices /
analysis.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.judge.criteria import load_pack  # noqa: E402
from analyzer.model import Report  # noqa: E402
from analyzer.notices.context import NOTICE_KINDS, NoticeContext, build_context  # noqa: E402
from analyzer.notices.render import render_notice  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.parse.tree import parse  # noqa: E402
from analyzer.pipeline import analyze  # noqa: E402

STORE = ROOT / "policy_versions" / "alibaba-cloud-privacy"
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
GITHUB = ("github-site-policy/github-privacy-statement", "2021-11-12.md", "2022-05-31.md")


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def every_clause(text: str) -> str:
    """One edit per paragraph: a number bumped where there is one, else a word added."""
    head, body = text.split("\n---\n", 1)
    out = []
    for k, paragraph in enumerate(body.split("\n\n")):
        if len(paragraph.split()) < 4:
            out.append(paragraph)
        elif re.search(r"\b\d+ days\b", paragraph):
            out.append(
                re.sub(r"\b(\d+) days\b", lambda m: f"{int(m.group(1)) + 1} days", paragraph)
            )
        else:
            out.append(paragraph + f" (edit {k})")
    return head + "\n---\n" + "\n\n".join(out)


def revisions() -> list[tuple[str, bytes, str, bytes, str]]:
    seed = (STORE / "2023-05-26.md").read_bytes()
    found = [
        ("example", seed, "old.md", (STORE / "2026-02-02.md").read_bytes(), "new.md"),
        ("every-clause", seed, "old.md", every_clause(seed.decode()).encode(), "new.md"),
    ]
    folder = CORPUS / GITHUB[0]
    if (folder / GITHUB[1]).is_file():
        found.append(
            (
                "corpus",
                (folder / GITHUB[1]).read_bytes(),
                GITHUB[1],
                (folder / GITHUB[2]).read_bytes(),
                GITHUB[2],
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    pack = load_pack("seed-9.4")
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(f"{'revision':<14}{'changes':>8}{'analyze':>11}{'context':>11}{'render':>11}{'ratio':>8}")
    for name, old, old_name, new, new_name in revisions():
        report: Report | None = None

        def analysis(
            old: bytes = old, new: bytes = new, old_name: str = old_name, new_name: str = new_name
        ) -> Report:
            nonlocal report
            report = analyze(
                parse(read_document(old, old_name)),
                parse(read_document(new, new_name)),
                pack=pack,
                unavailable="benchmark",
            )
            return report

        t_analyze = best(options.repeat, analysis)
        assert report is not None
        done: Report = report

        def contexts(done: Report = done) -> None:
            for language in ("en", "zh"):
                build_context(done, language=language)

        t_context = best(options.repeat, contexts) / 2
        context = build_context(done, language="en")

        def renders(context: NoticeContext = context) -> None:
            for kind in NOTICE_KINDS:
                for fmt in ("text", "html"):
                    render_notice(context, kind, fmt)  # type: ignore[arg-type]

        t_render = best(options.repeat, renders)
        ratio = (t_context + t_render) / t_analyze
        print(
            f"{name:<14}{len(done.changes):>8}{t_analyze * 1000:>9.0f}ms"
            f"{t_context * 1000:>9.1f}ms{t_render * 1000:>9.1f}ms{ratio:>8.2f}"
        )


if __name__ == "__main__":
    main()
