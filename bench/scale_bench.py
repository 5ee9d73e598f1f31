"""Speed and memory of ``policy diff`` as documents and histories grow, against baselines
measured in the same run.

Run from the repository root (the corpus at ``../shared/corpus`` or under ``$POLICY_SHARED``)::

    python bench/scale_bench.py [--quick] [typical] [heavy] [corpus] [growth]

Sections (all by default):

- **typical** — the seed against the seed with one clause edited, each run a fresh process
  (what CI pays per pull request). Baselines: a fresh ``python`` running a difflib word diff of
  the same files (``SequenceMatcher(None, a.split(), b.split())``, default ``autojunk``; also
  ``autojunk=False``, the honest word-level diff), ``git diff --no-index --word-diff``, and the
  floors nothing of ours can go under: the interpreter alone, and ``policy diff --help`` (the
  CLI framework: typer, which builds a pydantic adapter per option).
- **heavy** — the corpus pair with the lowest similarity (GitHub's privacy statement 2024-04-17
  against its predecessor 2023-12-27-8): ``--no-model``, cold (empty embedding cache: the model
  is loaded) and warm (the cache the cold run filled).
- **corpus** — every consecutive pair of the six corpus documents in one process, with the
  embedder and a cache of its own under ``bench/out/`` (the first run is cold), against difflib
  word diffs of the same pairs in the same process.
- **growth** — synthetic policies 1, 10 and 100 times the seed's size (``bench/synth.py``),
  each diffed against itself with the typical edit in every copy, in a fresh process per size:
  parse, analyze (lexical), render JSON, and difflib's word diff of the same texts.

Each table names its baseline and gives the ratio; peak RSS is the child's own high-water
mark (see ``benchlib``). ``bench/run_all.py`` runs these sections and the site's as one suite
and prints the summary table of BENCHMARKS.md.
``--quick`` runs fewer repetitions, skips the x100 size and the cold model runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from benchlib import (
    CORPUS,
    OUT,
    ROOT,
    Run,
    best_of,
    ensure_bytecode,
    load,
    ms,
    policy,
    print_machine,
    python,
    ratio,
    run,
)

COMMAND = "python bench/run_all.py"
"""The suite's one command; a row is reproduced by naming its section after it."""

HEAVY = ("github-site-policy/github-privacy-statement", "2023-12-27-8.md", "2024-04-17.md")

DIFFLIB = """
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().split()
b = open(sys.argv[2], encoding="utf-8").read().split()
out = []
for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
    None, a, b, autojunk=sys.argv[3] == "autojunk"
).get_opcodes():
    if tag == "equal":
        out.append(" ".join(a[i1:i2]))
    else:
        out.append("[-" + " ".join(a[i1:i2]) + "-]{+" + " ".join(b[j1:j2]) + "+}")
sys.stdout.write(" ".join(out))
"""


@dataclass(frozen=True)
class Summary:
    """One row of the summary table at the top of BENCHMARKS.md."""

    what: str
    """What was measured."""
    figure: str
    """Our figure."""
    baseline: str
    """The baseline measured in the same run."""
    ratio: str
    """Ours against the baseline (or the growth factor)."""
    target: str
    """The issue's target, or a dash."""
    met: str
    """``yes``, ``**no**`` or a dash (no target)."""
    rss: str
    """Peak resident memory of the measured process."""
    command: str
    """The command that reproduces the row."""

    def cells(self) -> tuple[str, ...]:
        return (
            self.what,
            self.figure,
            self.baseline,
            self.ratio,
            self.target,
            self.met,
            self.rss,
            f"`{self.command}`",
        )


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _table(header: str, rows: list[tuple[str, ...]]) -> None:
    columns = header.count("|") - 1
    print(header)
    print("|" + "|".join(["---"] + ["---:"] * (columns - 1)) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(flush=True)


def _fresh(
    old: Path, new: Path, repeat: int, *, slow_difflib: bool, env: dict[str, str] | None = None
) -> dict[str, Run]:
    """The fresh-process runs of one revision, round-robin."""
    git = shutil.which("git")
    commands = {
        "interpreter": python("-c", "pass"),
        "cli-floor": policy("diff", "--help"),
        "root-help": policy("--help"),
        "difflib": python("-c", DIFFLIB, str(old), str(new), "autojunk"),
        "no-model": policy("diff", str(old), str(new), "--no-model"),
        "policy": policy("diff", str(old), str(new)),
    }
    if git:
        commands["git"] = [git, "diff", "--no-index", "--word-diff", str(old), str(new)]
    runs = best_of(commands, repeat, env=env)
    if slow_difflib:
        runs["difflib-nojunk"] = run(
            python("-c", DIFFLIB, str(old), str(new), "no"), env=env, timeout=900
        )
    return runs


def _summary_of(old: Path, new: Path, env: dict[str, str], *extra: str) -> dict[str, int]:
    out = run(
        policy("diff", str(old), str(new), "--format", "json", *extra), env=env, keep_output=True
    )
    summary: dict[str, int] = json.loads(out.stdout)["summary"]
    return summary


def typical(repeat: int, work: Path) -> list[Summary]:
    from synth import typical_pair

    old, new = typical_pair(work)
    env = {**os.environ, "POLICY_ANALYZER_CACHE": str(work / "cache-typical")}
    runs = _fresh(old, new, repeat, slow_difflib=True, env=env)
    base = runs["difflib"].wall
    summary = _summary_of(old, new, env)
    print(
        f"### Typical revision: seed vs seed with one clause edited (fresh process, best of "
        f"{repeat}; model loaded: {bool(summary['model_loaded'])}, clauses embedded: "
        f"{summary['clauses_embedded']})\n"
    )
    names = [
        ("interpreter", "`python -c pass` (floor)"),
        ("root-help", "`policy --help` (floor: interpreter + the CLI's imports)"),
        ("cli-floor", "`policy diff --help` (floor: the above + the diff command's options)"),
        ("difflib", "**baseline**: `python -c` difflib word diff (autojunk)"),
        ("difflib-nojunk", "difflib word diff, `autojunk=False` (one run)"),
        ("git", "`git diff --no-index --word-diff`"),
        ("no-model", "`policy diff --no-model`"),
        ("policy", "`policy diff` (model installed, not needed)"),
    ]
    rows = [
        (
            label,
            ms(runs[k].wall),
            ms(runs[k].cpu),
            ratio(runs[k].wall, base),
            f"{runs[k].rss_mib:.0f}",
        )
        for k, label in names
        if k in runs
    ]
    _table("| run | wall ms | CPU ms | × baseline | peak RSS MiB |", rows)
    ours = runs["policy"].wall
    floor = runs["cli-floor"].wall
    print(
        f"Above the CLI floor: {ms(ours - floor)} ms of our own work and imports "
        f"({ratio(ours - floor, base)} × the baseline).\n"
    )
    phases = _phases(old, new, repeat, env)
    interp = runs["interpreter"].wall
    total = sum(phases.values())
    print(
        "Where a fresh `policy diff` spends its time (each phase timed inside one child, best of "
        f"{repeat}; the interpreter start is `python -c pass`):\n"
    )
    _table(
        "| phase | ms | share of the run |",
        [("interpreter start", ms(interp), f"{100 * interp / ours:.0f} %")]
        + [(name, ms(t), f"{100 * t / ours:.0f} %") for name, t in phases.items()]
        + [
            (
                "sum (exit and teardown not counted)",
                ms(interp + total),
                f"{100 * (interp + total) / ours:.0f} %",
            )
        ],
    )
    command = COMMAND + " typical"
    git_ms = f"; git {ms(runs['git'].wall)} ms" if "git" in runs else ""
    rss = runs["policy"].rss_mib
    cpu = runs["policy"].cpu
    root = runs["root-help"].wall
    return [
        Summary(
            "typical revision: seed vs one edited clause, fresh `policy diff` (no model load)",
            f"{ms(ours)} ms (CPU {ms(runs['policy'].cpu)})",
            f"difflib process {ms(base)} ms (CPU {ms(runs['difflib'].cpu)}){git_ms}",
            f"{ratio(ours, base)}×",
            "≤ 1 500 ms and ≤ 3×",
            f"≤ 1.5 s: {met(ours <= 1.5)}; ≤ 3×: {met(ours <= 3 * base)} (CPU time: "
            f"{met(cpu <= 1.5)}; {met(cpu <= 3 * runs['difflib'].cpu)})",
            f"{rss:.0f} MiB (difflib {runs['difflib'].rss_mib:.0f})",
            command,
        ),
        Summary(
            "… against the floors: `python -c pass` / `policy --help` / `policy diff --help`",
            f"{ms(ours)} ms",
            f"{ms(interp)} / {ms(root)} / {ms(floor)} ms",
            f"{ratio(ours, interp)}× / {ratio(ours, root)}× / {ratio(ours, floor)}×",
            "—",
            "—",
            f"{runs['interpreter'].rss_mib:.0f} / {runs['root-help'].rss_mib:.0f} / "
            f"{runs['cli-floor'].rss_mib:.0f} MiB",
            command,
        ),
        Summary(
            "… above the interpreter: ours − `python -c pass` vs difflib − `python -c pass`",
            f"{ms(ours - interp)} ms",
            f"{ms(base - interp)} ms",
            f"{ratio(ours - interp, base - interp)}×",
            "—",
            "—",
            "—",
            command,
        ),
    ]


def _phases(old: Path, new: Path, repeat: int, env: dict[str, str]) -> dict[str, float]:
    """The phases of one fresh ``policy diff`` (imports, pack, parse, analyze, render), each the
    fastest of ``repeat`` children."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        data, _child = _in_child("phases", str(old), str(new), env=env)
        for name, seconds in data.items():
            best[name] = min(best.get(name, seconds), float(seconds))
    return best


def heavy(repeat: int, work: Path, *, cold: bool) -> list[Summary]:
    folder = CORPUS / HEAVY[0]
    if not folder.is_dir():
        print(f"(corpus not found at {CORPUS}: heavy rewrite skipped)\n")
        return []
    old, new = folder / HEAVY[1], folder / HEAVY[2]
    cache = work / "cache-heavy"
    env = {**os.environ, "POLICY_ANALYZER_CACHE": str(cache)}
    cold_run = None
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
        cold_run = run(policy("diff", str(old), str(new)), env=env)
    else:
        run(policy("diff", str(old), str(new)), env=env)  # fill the cache, not measured
    runs = _fresh(old, new, repeat, slow_difflib=True, env=env)
    summary = _summary_of(old, new, env)
    base = runs["difflib"].wall
    print(
        f"### Heavy rewrite: GitHub privacy statement {HEAVY[1]} -> {HEAVY[2]} (best of {repeat}; "
        f"{summary['clauses_embedded']} clauses embedded, {summary['changes']} changes)\n"
    )
    rows = [
        ("**baseline**: `python -c` difflib word diff (autojunk)", runs["difflib"]),
        ("difflib word diff, `autojunk=False` (one run)", runs["difflib-nojunk"]),
        ("`policy diff --no-model`", runs["no-model"]),
    ]
    if "git" in runs:
        rows.insert(2, ("`git diff --no-index --word-diff`", runs["git"]))
    if cold_run is not None:
        rows.append(("`policy diff`, cold (empty cache: loads the model; one run)", cold_run))
    rows.append(("`policy diff`, warm (vectors from the cache, model not loaded)", runs["policy"]))
    _table(
        "| run | wall ms | CPU ms | × baseline | peak RSS MiB |",
        [(n, ms(r.wall), ms(r.cpu), ratio(r.wall, base), f"{r.rss_mib:.0f}") for n, r in rows],
    )
    command = COMMAND + " heavy"
    warm = runs["policy"]
    what = f"heavy rewrite: GitHub privacy {HEAVY[1][:-3]} -> {HEAVY[2][:-3]}"
    out = [
        Summary(
            f"{what}, warm embedding cache ({summary['clauses_embedded']} clauses embedded)",
            f"{ms(warm.wall)} ms (CPU {ms(warm.cpu)})",
            f"difflib process {ms(base)} ms (CPU {ms(runs['difflib'].cpu)})",
            f"{ratio(warm.wall, base)}×",
            "≤ 2 000 ms",
            f"wall: {met(warm.wall <= 2.0)}; CPU: {met(warm.cpu <= 2.0)}",
            f"{warm.rss_mib:.0f} MiB",
            command,
        )
    ]
    if cold_run is not None:
        out.append(
            Summary(
                f"{what}, cold (empty cache: loads the model)",
                f"{ms(cold_run.wall)} ms",
                f"difflib process {ms(base)} ms",
                f"{ratio(cold_run.wall, base)}×",
                "—",
                "—",
                f"{cold_run.rss_mib:.0f} MiB",
                command,
            )
        )
    return out


# --------------------------------------------------------------------------- in-child work


def _child_corpus(model: bool) -> dict[str, object]:
    """Every consecutive pair of the corpus in this process (run as a child)."""
    import difflib
    import time

    from analyzer.judge.criteria import load_pack
    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render

    _as_the_cli()
    embedder = None
    if model:
        from analyzer.embedder import load_embedder

        embedder = load_embedder()
    pack = load_pack()
    pairs = 0
    clauses = embedded = 0
    ours = theirs = 0.0
    model_loaded = False
    started = time.perf_counter()
    for listing in sorted(CORPUS.glob("*/*/versions.json")):
        files = [listing.parent / v["file"] for v in json.loads(listing.read_text())]
        for a, b in itertools.pairwise(files):
            t0 = time.perf_counter()
            old = parse(read_document(a.read_bytes(), a.name))
            new = parse(read_document(b.read_bytes(), b.name))
            report = analyze(old, new, pack=pack, embedder=embedder, unavailable="--no-model")
            render(report, "json")
            t1 = time.perf_counter()
            wa, wb = a.read_text("utf-8").split(), b.read_text("utf-8").split()
            difflib.SequenceMatcher(None, wa, wb).get_opcodes()
            theirs += time.perf_counter() - t1
            ours += t1 - t0
            pairs += 1
            clauses += len(old.clauses) + len(new.clauses)
            embedded += report.summary["clauses_embedded"]
            model_loaded = model_loaded or bool(report.summary["model_loaded"])
    return {
        "pairs": pairs,
        "clauses": clauses,
        "embedded": embedded,
        "ours": ours,
        "difflib": theirs,
        "total": time.perf_counter() - started,
        "model_loaded": model_loaded,
    }


def _as_the_cli() -> None:
    """The garbage collector's settings of a ``policy`` process (``analyzer.cli.main``), so that
    a child measuring the library in process pays what the command would."""
    import gc

    from analyzer.cli import GC_THRESHOLD

    gen0, *older = gc.get_threshold()
    gc.set_threshold(max(gen0, GC_THRESHOLD), *older)


def _child_growth(copies: int, work: str, with_difflib: bool) -> dict[str, object]:
    """Parse, analyze and render one synthetic size (run as a child)."""
    import difflib
    import time

    from synth import write_pair

    from analyzer.judge.criteria import load_pack
    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render

    _as_the_cli()
    old_path, new_path = write_pair(Path(work), copies)
    a, b = old_path.read_bytes(), new_path.read_bytes()
    pack = load_pack()
    c0, t0 = time.process_time(), time.perf_counter()
    old = parse(read_document(a, old_path.name))
    new = parse(read_document(b, new_path.name))
    t1 = time.perf_counter()
    report = analyze(old, new, pack=pack, unavailable="--no-model")
    t2 = time.perf_counter()
    render(report, "json")
    render(report, "html")
    c3, t3 = time.process_time(), time.perf_counter()
    theirs = None
    if with_difflib:
        wa, wb = a.decode("utf-8").split(), b.decode("utf-8").split()
        difflib.SequenceMatcher(None, wa, wb).get_opcodes()
        theirs = time.perf_counter() - t3
    return {
        "bytes": len(a),
        "clauses": len(old.clauses),
        "changes": len(report.changes),
        "parse": t1 - t0,
        "analyze": t2 - t1,
        "render": t3 - t2,
        "cpu": c3 - c0,
        "difflib": theirs,
    }


def _child_phases(old_path: str, new_path: str) -> dict[str, float]:
    """What one fresh ``policy diff`` does, phase by phase (run as a child; the same calls as
    ``analyzer.cli._analyze_refs`` and ``diff``, output discarded)."""
    import contextlib
    import dataclasses
    import importlib
    import time

    t0 = time.perf_counter()
    importlib.import_module("typer")
    t1 = time.perf_counter()
    cli = importlib.import_module("analyzer.cli")
    t2a = time.perf_counter()
    _as_the_cli()  # what cli.main does before it runs a command
    # what typer >= 0.2x imports to convert the options' values: pydantic (older: click does)
    with contextlib.suppress(ImportError):
        importlib.import_module("typer._adapters")
    t2 = time.perf_counter()
    from analyzer.judge.criteria import DEFAULT_PACK, load_pack
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render
    from analyzer.store.versions import Store, resolve

    t3 = time.perf_counter()
    store = Store(Path("policy_versions"))
    old_doc = dataclasses.replace(resolve(old_path, store), source=old_path)
    new_doc = dataclasses.replace(resolve(new_path, store), source=new_path)
    pack = load_pack(DEFAULT_PACK)
    embedder, unavailable = cli._embedder(None, False)  # found, not loaded
    t4 = time.perf_counter()
    new_tree = parse(new_doc)
    old_tree = parse(old_doc)
    t5 = time.perf_counter()
    report = analyze(old_tree, new_tree, pack=pack, embedder=embedder, unavailable=unavailable)
    t6 = time.perf_counter()
    render(report, "text")
    t7 = time.perf_counter()
    return {
        "import typer (and what it pulls in)": t1 - t0,
        "import analyzer.cli (the command line's own modules)": t2a - t1,
        "import typer's option conversion (pydantic)": t2 - t2a,
        "imports of the diff path (parser, pipeline, render, criteria, store)": t3 - t2,
        "read both files, load the criteria pack, find the embedder": t4 - t3,
        "parse both versions": t5 - t4,
        "analyze: align, changes, judge (first use compiles the vocabularies)": t6 - t5,
        "render the text report": t7 - t6,
    }


def _in_child(name: str, *args: str, env: dict[str, str] | None = None) -> tuple[dict, Run]:
    done = run(python(__file__, "--child", name, *args), env=env, keep_output=True, timeout=3600)
    if done.code != 0:
        raise SystemExit(f"child {name} {args} exited {done.code}")
    return json.loads(done.stdout.strip().splitlines()[-1]), done


def corpus(work: Path, *, model: bool) -> list[Summary]:
    if not CORPUS.is_dir():
        print(f"(corpus not found at {CORPUS}: whole-corpus run skipped)\n")
        return []
    cache = OUT / "cache-corpus"
    warm = cache.is_dir()
    env = {**os.environ, "POLICY_ANALYZER_CACHE": str(cache)}
    data, child = _in_child("corpus", "model" if model else "lexical", env=env)
    pairs, clauses = int(data["pairs"]), int(data["clauses"])
    ours, theirs = float(data["ours"]), float(data["difflib"])
    mode = (
        f"with the embedder ({'warm' if warm else 'cold'} cache"
        f"{', model loaded' if data['model_loaded'] else ', model not loaded'})"
        if model
        else "lexical only (--no-model)"
    )
    print(f"### Whole corpus: every consecutive pair of the six documents, one process, {mode}\n")
    _table(
        "| pairs | clauses (both sides) | ours s | pairs/s | clauses/s | difflib s | × difflib | "
        "clauses embedded | share embedded | child wall s | peak RSS MiB |",
        [
            (
                str(pairs),
                str(clauses),
                f"{ours:.1f}",
                f"{pairs / ours:.1f}",
                f"{clauses / ours:.0f}",
                f"{theirs:.2f}",
                ratio(ours, theirs),
                str(data["embedded"]),
                f"{100 * int(data['embedded']) / max(clauses, 1):.1f} %",
                f"{child.wall:.1f}",
                f"{child.rss_mib:.0f}",
            )
        ],
    )
    return [
        Summary(
            f"whole corpus: {pairs} consecutive pairs of 6 documents in one process, {mode}",
            f"{ours:.1f} s: {pairs / ours:.1f} pairs/s, {clauses / ours:.0f} clauses/s, "
            f"{100 * int(data['embedded']) / max(clauses, 1):.1f} % of clauses embedded",
            f"difflib word diffs {theirs:.1f} s",
            f"{ratio(ours, theirs)}×",
            "—",
            "—",
            f"{child.rss_mib:.0f} MiB",
            COMMAND + " corpus",
        )
    ]


def growth(work: Path, sizes: tuple[int, ...]) -> list[Summary]:
    results: dict[int, tuple[dict, Run]] = {}
    for copies in sizes:
        with_difflib = copies <= 10
        results[copies] = _in_child(
            "growth", str(copies), str(work / "synthetic"), "difflib" if with_difflib else "no"
        )
    print(
        "### Growth: synthetic policies N times the seed, each copy with the typical edit "
        "(fresh process per size, lexical)\n"
    )
    rows = []
    previous: tuple[int, float, float] | None = None
    for copies in sizes:
        data, child = results[copies]
        total = float(data["parse"]) + float(data["analyze"]) + float(data["render"])
        cpu = float(data["cpu"])
        grown = "—"
        if previous is not None:
            grown = (
                f"×{total / previous[1]:.1f} wall, ×{cpu / previous[2]:.1f} CPU "
                f"(size ×{copies // previous[0]})"
            )
        previous = (copies, total, cpu)
        theirs = data["difflib"]
        rows.append(
            (
                f"×{copies}",
                f"{int(data['bytes']) / 1024:,.0f}".replace(",", " "),
                str(data["clauses"]),
                str(data["changes"]),
                ms(float(data["parse"])),
                ms(float(data["analyze"])),
                ms(float(data["render"])),
                ms(total),
                ms(cpu),
                grown,
                ms(float(theirs)) if theirs is not None else "—",
                f"{child.rss_mib:.0f}",
            )
        )
    _table(
        "| size | KiB | clauses | changes | parse ms | analyze ms | render ms | total ms | "
        "total CPU ms | growth | difflib ms | peak RSS MiB |",
        rows,
    )
    out = []
    for small, big in itertools.pairwise(sizes):
        a, b = results[small][0], results[big][0]
        ta = sum(float(a[k]) for k in ("parse", "analyze", "render"))
        tb = sum(float(b[k]) for k in ("parse", "analyze", "render"))
        grown = tb / ta
        grown_cpu = float(b["cpu"]) / float(a["cpu"])
        size = (int(b["bytes"]) / int(a["bytes"])) if int(a["bytes"]) else float(big // small)
        theirs = b["difflib"]
        out.append(
            Summary(
                f"growth: synthetic policy ×{small} -> ×{big} the seed (size ×{size:.1f}), "
                "parse + analyze + render",
                f"{ms(ta)} -> {ms(tb)} ms (CPU {ms(float(a['cpu']))} -> {ms(float(b['cpu']))})",
                f"difflib at ×{big}: {ms(float(theirs))} ms" if theirs is not None else "—",
                f"×{grown:.1f} wall, ×{grown_cpu:.1f} CPU",
                f"≤ ×{1.5 * size:.0f}",
                f"wall: {met(grown <= 1.5 * size)}; CPU: {met(grown_cpu <= 1.5 * size)}",
                f"{results[big][1].rss_mib:.0f} MiB at ×{big}",
                COMMAND + " growth",
            )
        )
    return out


SECTIONS = ("typical", "heavy", "corpus", "growth")


def main(argv: list[str] | None = None) -> list[Summary]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, no x100, no cold model")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 7)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        name, *rest = args.child
        sys.path.insert(0, str(ROOT))
        if name == "corpus":
            print(json.dumps(_child_corpus(rest[0] == "model")))
        elif name == "phases":
            print(json.dumps(_child_phases(rest[0], rest[1])))
        else:
            print(json.dumps(_child_growth(int(rest[0]), rest[1], rest[2] == "difflib")))
        return []
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section {unknown[0]!r} (choose from {', '.join(SECTIONS)})")
    chosen = args.sections or list(SECTIONS)
    repeat = args.repeat or (3 if args.quick else 7)
    ensure_bytecode()
    print_machine("Scale benchmarks")
    summaries: list[Summary] = []
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scale-bench-", dir=OUT) as tmp:
        work = Path(tmp)
        if "typical" in chosen:
            summaries += typical(repeat, work)
        if "heavy" in chosen:
            summaries += heavy(repeat, work, cold=not args.quick)
        if "corpus" in chosen:
            summaries += corpus(work, model=not args.quick)
        if "growth" in chosen:
            summaries += growth(work, (1, 10) if args.quick else (1, 10, 100))
    print(f"load average after: {load()}\n")
    return summaries


if __name__ == "__main__":
    main()
