"""The scale suite of issue 8 in one command: every benchmark with the baseline measured in the
same run, peak memory, and one Markdown summary table.

Run from the repository root (the corpus at ``../shared/corpus`` or under ``$POLICY_SHARED``)::

    python bench/run_all.py                 # everything (about 30 minutes on 2 shared cores)
    python bench/run_all.py --quick         # fewer runs, no x100, no cold model runs
    python bench/run_all.py typical site    # some sections only: typical heavy corpus growth site
    python bench/run_all.py --write         # also refresh the summary in BENCHMARKS.md
    python bench/run_all.py --dry-run       # say what would run, measure nothing

Sections: ``typical``, ``heavy``, ``corpus`` and ``growth`` are ``scale_bench.py``'s (its
module docstring says what each measures); ``site`` is here: the 58-version GitHub privacy
statement built by ``policy site build`` in fresh processes, cold (empty caches) and after
adding its newest version to a site built without it (the caches, embeddings included, hold
only what the 57-version build computed), with and without the model. Its baseline is a copy
of the built site (``shutil.copytree``), the least any build that writes the whole site does.

Every figure is measured in the run that prints it; nothing is carried over. ``--write``
replaces what lies between the two marker comments in BENCHMARKS.md (atomically).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_bench
from benchlib import CORPUS, OUT, ROOT, Run, load, machine, policy, run
from scale_bench import COMMAND, Summary, met

SECTIONS = (*scale_bench.SECTIONS, "site")
START = "<!-- scale-summary:start (written by bench/run_all.py --write) -->"
END = "<!-- scale-summary:end -->"
HEADING = "## Scale (issue 8) — summary"
GITHUB = CORPUS / "github-site-policy" / "github-privacy-statement"


# --------------------------------------------------------------------------- the site


def _newest(versions: Path) -> Path:
    """The file of the policy's newest version (the store's own order, not the file names')."""
    sys.path.insert(0, str(ROOT))
    from analyzer.store.versions import Store

    store = Store(versions)
    newest = max(
        (v for p in store.policies() for v in store.versions(p)),
        key=lambda v: (v.version, v.policy),
    )
    return Path(newest.path)


def _site_build(versions: Path, output: Path, cache: Path, no_model: bool) -> Run:
    args = ["site", "build", "--versions", str(versions), "--output", str(output)]
    if no_model:
        args.append("--no-model")
    env = {**os.environ, "POLICY_ANALYZER_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    done = run(policy(*args), env=env, keep_output=True, timeout=3600)
    if done.code != 0:
        raise SystemExit(f"policy {' '.join(args)} exited {done.code}")
    return done


def _rendered(done: Run) -> str:
    """The build's own summary line (how many files it rendered and reused)."""
    lines = [line for line in done.stdout.splitlines() if line and not line.startswith("built ")]
    return lines[-1] if lines else ""


def site(work: Path, *, model: bool) -> list[Summary]:
    if not GITHUB.is_dir():
        print(f"(corpus not found at {CORPUS}: site build skipped)\n")
        return []
    mode = "with the model" if model else "--no-model"
    root = work / ("site-model" if model else "site-lexical")
    versions = root / "versions"
    folder = versions / "github-privacy-statement"
    folder.mkdir(parents=True)
    for path in sorted(GITHUB.glob("*.md")):
        shutil.copyfile(path, folder / path.name)
    count = len(list(folder.glob("*.md")))
    cold = _site_build(versions, root / "_site", root / "cache-cold", not model)
    unchanged = _site_build(versions, root / "_site", root / "cache-cold", not model)
    started = time.perf_counter()
    shutil.copytree(root / "_site", root / "copy")
    copy_s = time.perf_counter() - started
    newest = _newest(versions)
    held = newest.read_bytes()
    newest.unlink()
    before = _site_build(versions, root / "_site-inc", root / "cache-inc", not model)
    newest.write_bytes(held)
    incremental = _site_build(versions, root / "_site-inc", root / "cache-inc", not model)
    share = incremental.wall / cold.wall
    cpu_share = incremental.cpu / cold.cpu if cold.cpu else float("nan")
    print(
        f"### Site: GitHub privacy statement, {count} versions, `policy site build` {mode} "
        "(fresh process per build)\n"
    )
    scale_bench._table(
        "| build | wall s | CPU s | peak RSS MiB | what it did |",
        [
            (f"cold (empty caches, {count} versions)", *_cells(cold), _rendered(cold)),
            ("unchanged (same folder again)", *_cells(unchanged), _rendered(unchanged)),
            (
                f"without the newest version ({count - 1}; not timed for the ratio)",
                *_cells(before),
                _rendered(before),
            ),
            (
                f"incremental: {newest.stem} added back",
                *_cells(incremental),
                _rendered(incremental),
            ),
            ("baseline: `shutil.copytree` of the built site", f"{copy_s:.2f}", "—", "—", "—"),
        ],
    )
    return [
        Summary(
            f"site: GitHub privacy statement ({count} versions), {mode}: incremental rebuild "
            f"(+{newest.stem}) vs cold build",
            f"incremental {incremental.wall:.1f} s (CPU {incremental.cpu:.1f}); cold "
            f"{cold.wall:.1f} s (CPU {cold.cpu:.1f})",
            f"copy of the site {copy_s:.2f} s (cold = {cold.wall / copy_s:.0f}× it)",
            f"{100 * share:.1f} % of cold ({100 * cpu_share:.1f} % in CPU)",
            "≤ 10 % of cold",
            f"wall: {met(share <= 0.10)}; CPU: {met(cpu_share <= 0.10)}",
            f"cold {cold.rss_mib:.0f} MiB; incremental {incremental.rss_mib:.0f} MiB",
            f"{COMMAND} site",
        )
    ]


def _cells(done: Run) -> tuple[str, str, str]:
    return f"{done.wall:.2f}", f"{done.cpu:.2f}", f"{done.rss_mib:.0f}"


# --------------------------------------------------------------------------- the summary


def machine_line() -> str:
    info = machine()
    return (
        f"{info['cores']} cores ({info['cpu']}), {info['system']}, Python {info['python']}, "
        f"numpy {info['numpy']}, torch {info['torch']}, typer {info['typer']}"
    )


def summary_block(rows: list[Summary], *, command: str, load_before: str) -> str:
    """The Markdown that ``--write`` puts between the markers."""
    head = ("benchmark", "our figure", "baseline (same run)", "ratio", "target", "met?")
    head += ("peak RSS", "command to reproduce")
    lines = [
        f"Measured {datetime.date.today().isoformat()} with `{command}` (one command, every "
        "section; a row's command runs its section alone).",
        "",
        f"Machine: {machine_line()}. Load average before the run: {load_before}; after: "
        f"{load()} (the cores are shared with other jobs, so absolute figures move by about "
        "±30 % between runs; the ratios are against baselines measured in the same run).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_benchmarks(block: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Put ``block`` between the markers of ``path`` (added under the summary heading, before
    the first section, when absent), through a temporary file and a rename."""
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + START + "\n" + block + END + after
    else:
        first = text.find("\n## ")
        cut = first + 1 if first >= 0 else len(text)
        section = f"{HEADING}\n\n{START}\n{block}{END}\n\n"
        text = text[:cut] + section + text[cut:]
    fd, tmp = tempfile.mkstemp(prefix=".BENCHMARKS.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, no x100, no cold model")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 7)")
    parser.add_argument("--write", action="store_true", help="refresh the table in BENCHMARKS.md")
    parser.add_argument("--dry-run", action="store_true", help="list what would run and stop")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section {unknown[0]!r} (choose from {', '.join(SECTIONS)})")
    chosen = [s for s in SECTIONS if not args.sections or s in args.sections]
    command = " ".join(["python bench/run_all.py", *(argv if argv is not None else sys.argv[1:])])
    command = command.replace(" --write", "")
    print(f"machine: {machine_line()}")
    print(
        f"sections: {', '.join(chosen)}; corpus: {CORPUS} ({'found' if CORPUS.is_dir() else 'absent'})"
    )
    if args.dry_run:
        return 0
    load_before = load()
    rows: list[Summary] = []
    scale = [s for s in chosen if s in scale_bench.SECTIONS]
    if scale:
        extra = ["--quick"] if args.quick else []
        extra += ["--repeat", str(args.repeat)] if args.repeat else []
        rows += scale_bench.main([*scale, *extra])
    if "site" in chosen:
        OUT.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="site-", dir=OUT) as tmp:
            if not args.quick:
                rows += site(Path(tmp), model=True)
            rows += site(Path(tmp), model=False)
    block = summary_block(rows, command=command, load_before=load_before)
    print(f"{HEADING}\n\n{block}")
    if args.write:
        write_benchmarks(block)
        print("BENCHMARKS.md: summary refreshed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
