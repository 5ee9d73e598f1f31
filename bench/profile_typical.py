"""Where a fresh ``policy diff`` of the typical revision spends its CPU time, phase by phase, for
this checkout or another one (``--tree``: the same measurement of an older commit, for a
before/after table in the same session).

    python bench/profile_typical.py [--tree PATH] [--repeat 7]

Each phase is timed with ``time.process_time`` inside a fresh child (the best of ``--repeat``
children); the children run the same calls as ``policy diff OLD NEW`` (``analyzer.cli`` for
the command line, then the pipeline), with the tree's own code. The interpreter's start is a
child running ``pass``; the whole run is ``policy diff`` itself, in CPU time (median), so what
the phases leave out (typer's parsing, the interpreter's exit) shows as the difference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ROOT, python, run

CHILD = r"""
import importlib, json, sys, time
T = time.process_time
tree, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, tree)
phases = {}
t = T(); importlib.import_module("typer"); phases["import typer"] = T() - t
t = T(); cli = importlib.import_module("analyzer.cli"); phases["import analyzer.cli"] = T() - t
t = T()
try:
    from analyzer.store.compiled import install_disk_store
    install_disk_store()
    extra = "install the compiled-pattern store"
except ImportError:  # an older tree: typer converts the options through pydantic instead
    importlib.import_module("typer._adapters")
    extra = "typer's option conversion (imports pydantic)"
phases[extra] = T() - t
t = T()
from analyzer.judge.criteria import load_pack
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from analyzer.render import render
from analyzer.parse.ingest import read_document
phases["imports of the diff path (numpy, yaml, the stages)"] = T() - t
t = T()
a = read_document(open(old, "rb").read(), old)
b = read_document(open(new, "rb").read(), new)
pack = load_pack()
embedder, unavailable = cli._embedder(None, False)
phases["read both files, the criteria pack, find the embedder"] = T() - t
t = T(); ta, tb = parse(a), parse(b); phases["parse both versions"] = T() - t
t = T()
report = analyze(ta, tb, pack=pack, embedder=embedder, unavailable=unavailable)
phases["analyze: align, changes, judge"] = T() - t
t = T(); render(report, "json"); phases["render JSON"] = T() - t
print(json.dumps(phases))
"""

LAUNCH = (
    "import os, sys; os.chdir(sys.argv[1]); sys.path.insert(0, sys.argv[1]); "
    "sys.argv = ['policy', *sys.argv[2:]]; from analyzer.cli import main; main()"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from synth import typical_pair

    tree = args.tree.resolve()
    import subprocess

    subprocess.run(  # the tree's bytecode, as an install makes it
        [sys.executable, "-m", "compileall", "-q", str(tree / "analyzer")],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
    with tempfile.TemporaryDirectory() as work:
        old, new = typical_pair(Path(work))
        env = {**os.environ, "POLICY_ANALYZER_CACHE": str(Path(work) / "cache")}
        whole_args = python("-c", LAUNCH, str(tree), "diff", str(old), str(new), "--format", "json")
        run(whole_args, env=env)  # fills the caches the tree keeps (compiled patterns)
        best: dict[str, float] = {}
        wholes, starts = [], []
        for _ in range(args.repeat):
            done = run(
                python("-c", CHILD, str(tree), str(old), str(new)), env=env, keep_output=True
            )
            for name, seconds in json.loads(done.stdout.strip().splitlines()[-1]).items():
                best[name] = min(best.get(name, seconds), seconds)
            wholes.append(run(whole_args, env=env).cpu)
            starts.append(run(python("-c", "pass"), env=env).cpu)
    whole = statistics.median(wholes)
    start = statistics.median(starts)
    print(f"tree: {tree}\n")
    print("| phase | CPU ms |")
    print("|---|---:|")
    print(f"| interpreter start (`python -c pass`, median) | {start * 1000:.0f} |")
    for name, seconds in best.items():
        print(f"| {name} | {seconds * 1000:.0f} |")
    rest = whole - start - sum(best.values())
    print(
        f"| not in a phase: typer parsing the command line, interpreter exit | {rest * 1000:.0f} |"
    )
    print(f"| **the whole `policy diff --format json`** (median) | **{whole * 1000:.0f}** |")


if __name__ == "__main__":
    main()
