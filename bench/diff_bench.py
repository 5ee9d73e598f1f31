"""Speed and memory of ``policy diff``, against word-diff baselines measured in the same run.

Run from the repository root:

    python bench/diff_bench.py [--repeat N] [--corpus DIR] [--skip-model]

Two revisions:

- ``seed``: the shipped seed against the seed with one clause edited ('We will not entrust' ->
  'We will entrust'); every clause settles lexically, so the model is never loaded;
- ``github``: GitHub's privacy statement 2021-11-12 -> 2022-05-31 (the spring 2022 rewrite)
  from the shared corpus; the aligner asks the embedder about the clauses it cannot settle
  lexically, ``cold`` with an empty embedding cache (the model is loaded), ``warm`` with the
  cache the cold run filled.

Figures:

- **whole process**: a fresh ``python -m analyzer diff OLD NEW`` (the report to a pipe), wall
  time and peak RSS of the child (``wait4``), best of ``--repeat``; against ``python -c`` doing
  a difflib word diff of the same two files (``SequenceMatcher`` over ``str.split()`` words, as
  one would write it), ``git diff --no-index --word-diff``, and ``python -c pass`` (the
  interpreter alone);
- **in process**: parse both versions, analyze, render the text report (lexical only), against
  difflib's word diff of the same texts; best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
GITHUB = ("github-site-policy/github-privacy-statement", "2021-11-12.md", "2022-05-31.md")
EDIT = (
    "We will not entrust your personally identifiable information to partners",
    "We will entrust your personally identifiable information to partners",
)

DIFFLIB_SCRIPT = """
import difflib, re, sys
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
wa, wb = a.split(), b.split()
out = []
for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb).get_opcodes():
    if tag == "equal":
        out.append(" ".join(wa[i1:i2]))
    else:
        if i2 > i1:
            out.append("[-" + " ".join(wa[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(wb[j1:j2]) + "+}")
sys.stdout.write(" ".join(out))
"""


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit status of one fresh process (output discarded)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, int(usage.ru_maxrss), child.returncode


def best_child(
    argv: Sequence[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, int]:
    runs = [run_child(argv, env) for _ in range(repeat)]
    for _, _, code in runs:
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {code}")
    return min(r[0] for r in runs), max(r[1] for r in runs)


def best_call(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def difflib_words(a: str, b: str) -> str:
    """The same word diff as the baseline process, in this process."""
    import difflib

    wa, wb = a.split(), b.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb).get_opcodes():
        if tag == "equal":
            out.append(" ".join(wa[i1:i2]))
        else:
            out.append("[-" + " ".join(wa[i1:i2]) + "-]{+" + " ".join(wb[j1:j2]) + "+}")
    return " ".join(out)


def in_process(old: Path, new: Path) -> Callable[[], object]:
    from analyzer.judge.criteria import load_pack
    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render_text

    a, b = old.read_bytes(), new.read_bytes()

    def action() -> object:
        report = analyze(
            parse(read_document(a, old.name)),
            parse(read_document(b, new.name)),
            pack=load_pack(),
        )
        return render_text(report)

    return action


def summary_of(old: Path, new: Path, env: dict[str, str], *extra: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-m", "analyzer", "diff", str(old), str(new), "--format", "json", *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    summary: dict[str, int] = json.loads(done.stdout)["summary"]
    return summary


def bench_processes(
    label: str, old: Path, new: Path, repeat: int, *, model: bool, cache: Path | None
) -> tuple[list[str], float]:
    """Whole-process rows for one revision, and the baseline process time."""
    env = dict(os.environ)
    rows: list[str] = []
    policy = [sys.executable, "-m", "analyzer", "diff", str(old), str(new)]
    interpreter, interpreter_rss = best_child([sys.executable, "-c", "pass"], repeat)
    baseline, baseline_rss = best_child(
        [sys.executable, "-c", DIFFLIB_SCRIPT, str(old), str(new)], repeat
    )
    git = shutil.which("git")
    git_time = (
        best_child([git, "diff", "--no-index", "--word-diff", str(old), str(new)], repeat)[0]
        if git
        else float("nan")
    )

    def row(name: str, seconds: float, rss: int | None) -> str:
        memory = f"{rss / 1024:.0f}" if rss is not None else "–"
        return f"| {label} | {name} | {seconds * 1000:.0f} | {seconds / baseline:.1f} | {memory} |"

    rows.append(row("`python -c pass`", interpreter, interpreter_rss))
    rows.append(row("baseline: `python -c` difflib word diff", baseline, baseline_rss))
    rows.append(row("baseline: `git diff --no-index --word-diff`", git_time, None))
    seconds, rss = best_child([*policy, "--no-model"], repeat, env)
    rows.append(row("`policy diff --no-model`", seconds, rss))
    if model:
        assert cache is not None
        env["POLICY_ANALYZER_CACHE"] = str(cache)
        shutil.rmtree(cache, ignore_errors=True)
        cold, cold_rss, _ = run_child(policy, env)
        rows.append(row("`policy diff`, cold (empty embedding cache)", cold, cold_rss))
        seconds, rss = best_child(policy, repeat, env)
        rows.append(row("`policy diff`, warm (embedding cache filled)", seconds, rss))
        s = summary_of(old, new, env)
        rows.append(
            f"| {label} | (warm run: {s['clauses_embedded']} clauses embedded, model loaded: "
            f"{bool(s['model_loaded'])}) | | | |"
        )
    else:
        seconds, rss = best_child(policy, repeat, env)
        rows.append(row("`policy diff` (model installed, not needed)", seconds, rss))
        s = summary_of(old, new, env)
        rows.append(
            f"| {label} | (model loaded: {bool(s['model_loaded'])}, clauses embedded: "
            f"{s['clauses_embedded']}) | | | |"
        )
    return rows, baseline


def bench_in_process(label: str, old: Path, new: Path, repeat: int) -> str:
    """One row: this process, parse + analyze + render (lexical) against difflib."""
    ours = best_call(in_process(old, new), repeat)
    a, b = old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
    theirs = best_call(lambda: difflib_words(a, b), repeat)
    return (
        f"| {label} | in process: parse + analyze + render (lexical); difflib word diff "
        f"{theirs * 1000:.0f} ms | {ours * 1000:.0f} | {ours / theirs:.1f} (× difflib) | – |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--skip-model", action="store_true", help="no cold/warm model runs")
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"best of {args.repeat}; times in ms; ratio = time / difflib word-diff process time")
    print("(peak RSS of a child includes the ~14 MiB of this script, from which it is forked)\n")
    print("| revision | what | ms | × baseline | peak RSS MiB |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="diff-bench-") as tmp:
        work = Path(tmp)
        edited = work / "seed-edited.md"
        text = SEED.read_text(encoding="utf-8")
        assert text.count(EDIT[0]) == 1
        edited.write_text(text.replace(*EDIT), encoding="utf-8")
        pairs = [("seed", SEED, edited, False)]
        folder = args.corpus / GITHUB[0]
        if folder.is_dir():
            pairs.append(("github", folder / GITHUB[1], folder / GITHUB[2], not args.skip_model))
        else:
            print(f"(corpus not found at {args.corpus}: GitHub pair skipped)")
        # Every child process runs before this one imports the analyzer: a child's peak RSS
        # counts the memory of the process it was forked from.
        for label, old, new, model in pairs:
            rows, _ = bench_processes(label, old, new, args.repeat, model=model, cache=work / "c")
            for line in rows:
                print(line, flush=True)
        for label, old, new, _ in pairs:
            print(bench_in_process(label, old, new, args.repeat), flush=True)


if __name__ == "__main__":
    main()
