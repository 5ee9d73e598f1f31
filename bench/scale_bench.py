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
    REDLINES,
    ROOT,
    Run,
    ensure_bytecode,
    have_redlines,
    load,
    median_of,
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
    if have_redlines():
        commands["redlines"] = python("-c", REDLINES, str(old), str(new))
    runs = median_of(commands, repeat, env=env)
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
    summary = _summary_of(old, new, env)
    print(
        f"### Typical revision: seed vs seed with one clause edited (fresh process, median of "
        f"{repeat}; model loaded: {bool(summary['model_loaded'])}, clauses embedded: "
        f"{summary['clauses_embedded']})\n"
    )
    names = [
        ("interpreter", "`python -c pass` (floor)"),
        ("root-help", "`policy --help` (floor: interpreter + the CLI's imports)"),
        ("cli-floor", "`policy diff --help` (floor: the above + the diff command's options)"),
        ("redlines", "**baseline**: `python -c` redlines 0.6 word redline"),
        ("difflib", "baseline: `python -c` difflib word diff (autojunk)"),
        ("difflib-nojunk", "difflib word diff, `autojunk=False` (one run)"),
        ("git", "`git diff --no-index --word-diff`"),
        ("no-model", "`policy diff --no-model`"),
        ("policy", "`policy diff` (model installed, not needed)"),
    ]
    peer = runs.get("redlines", runs["difflib"])
    rows = [
        (
            label,
            ms(runs[k].wall),
            ms(runs[k].cpu),
            ratio(runs[k].cpu, peer.cpu),
            f"{runs[k].rss_mib:.0f}",
        )
        for k, label in names
        if k in runs
    ]
    _table("| run | wall ms | CPU ms | CPU × redlines | peak RSS MiB |", rows)
    ours = runs["policy"].cpu
    floor = runs["cli-floor"].cpu
    print(
        f"Above the CLI floor: {ms(ours - floor)} ms of CPU for our own work and imports "
        f"({ratio(ours - floor, peer.cpu)} × the redlines process).\n"
    )
    phases = _phases(old, new, repeat, env)
    interp = runs["interpreter"].cpu
    total = sum(phases.values())
    print(
        "Where a fresh `policy diff` spends its CPU time (each phase timed inside one child with "
        f"`time.process_time`, best of {repeat}; the interpreter start is `python -c pass`):\n"
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
    rss = runs["policy"].rss_mib
    cpu = runs["policy"].cpu
    root = runs["root-help"].cpu
    peer_name = "redlines" if "redlines" in runs else "difflib (redlines not installed)"
    return [
        Summary(
            "typical revision: seed vs one edited clause, fresh `policy diff` (no model load), "
            "CPU time",
            f"CPU {ms(cpu)} ms (wall {ms(ours)})",
            f"{peer_name} process CPU {ms(peer.cpu)} ms; difflib CPU {ms(runs['difflib'].cpu)} ms",
            f"{ratio(cpu, peer.cpu)}× redlines; {ratio(cpu, runs['difflib'].cpu)}× difflib",
            "CPU ≤ 1.0× redlines and ≤ 250 ms",
            f"≤ 1.0×: {met(cpu <= peer.cpu)}; ≤ 250 ms: {met(cpu <= 0.25)}",
            f"{rss:.0f} MiB (redlines {peer.rss_mib:.0f})",
            command,
        ),
        Summary(
            "… against the floors (CPU): `python -c pass` / `policy --help` / `policy diff --help`",
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
            "… above the interpreter (CPU): ours − `python -c pass` vs redlines − `python -c pass`",
            f"{ms(ours - interp)} ms",
            f"{ms(peer.cpu - interp)} ms",
            f"{ratio(ours - interp, peer.cpu - interp)}×",
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
    peer = runs.get("redlines", runs["difflib"])
    print(
        f"### Heavy rewrite: GitHub privacy statement {HEAVY[1]} -> {HEAVY[2]} (median of {repeat}; "
        f"{summary['clauses_embedded']} clauses embedded, {summary['changes']} changes)\n"
    )
    rows = [
        ("baseline: `python -c` difflib word diff (autojunk)", runs["difflib"]),
        ("difflib word diff, `autojunk=False` (one run)", runs["difflib-nojunk"]),
        ("`policy diff --no-model`", runs["no-model"]),
    ]
    if "redlines" in runs:
        rows.insert(0, ("**baseline**: `python -c` redlines 0.6 word redline", runs["redlines"]))
    if "git" in runs:
        rows.insert(2, ("`git diff --no-index --word-diff`", runs["git"]))
    if cold_run is not None:
        rows.append(("`policy diff`, cold (empty cache: loads the model; one run)", cold_run))
    rows.append(("`policy diff`, warm (vectors from the cache, model not loaded)", runs["policy"]))
    _table(
        "| run | wall ms | CPU ms | CPU × baseline | peak RSS MiB |",
        [(n, ms(r.wall), ms(r.cpu), ratio(r.cpu, peer.cpu), f"{r.rss_mib:.0f}") for n, r in rows],
    )
    command = COMMAND + " heavy"
    warm = runs["policy"]
    what = f"heavy rewrite: GitHub privacy {HEAVY[1][:-3]} -> {HEAVY[2][:-3]}"
    out = [
        Summary(
            f"{what}, warm embedding cache ({summary['clauses_embedded']} clauses embedded), "
            "CPU time",
            f"CPU {ms(warm.cpu)} ms (wall {ms(warm.wall)})",
            f"{'redlines' if 'redlines' in runs else 'difflib'} process CPU {ms(peer.cpu)} ms",
            f"{ratio(warm.cpu, peer.cpu)}×",
            "CPU ≤ 1 000 ms",
            met(warm.cpu <= 1.0),
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


def _corpus_pairs() -> list[tuple[str, str]]:
    """Every consecutive pair of the corpus's documents, in a fixed order."""
    pairs = []
    for listing in sorted(CORPUS.glob("*/*/versions.json")):
        files = [listing.parent / v["file"] for v in json.loads(listing.read_text())]
        pairs += [(str(a), str(b)) for a, b in itertools.pairwise(files)]
    return pairs


def corpus_pair(job: tuple[str, str, bool]) -> tuple[int, int, bool, str]:
    """One corpus revision as ``policy diff --format json`` makes it (in a worker process):
    its clauses, the clauses embedded, whether the model was loaded, and the report's digest."""
    import hashlib

    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render

    a, b, model = job
    state = _corpus_state(model)
    old = parse(read_document(Path(a).read_bytes(), Path(a).name))
    new = parse(read_document(Path(b).read_bytes(), Path(b).name))
    report = analyze(
        old, new, pack=state["pack"], embedder=state["embedder"], unavailable="--no-model"
    )
    digest = hashlib.sha256(render(report, "json").encode()).hexdigest()
    return (
        len(old.clauses) + len(new.clauses),
        int(report.summary["clauses_embedded"]),
        bool(report.summary["model_loaded"]),
        digest,
    )


_STATE: dict[bool, dict[str, object]] = {}


def _corpus_state(model: bool) -> dict[str, object]:
    """The pack and the embedder of this process (loaded once per worker)."""
    if model not in _STATE:
        from analyzer.judge.criteria import load_pack

        _as_the_cli()
        embedder = None
        if model:
            from analyzer.embedder import load_embedder

            embedder = load_embedder()
        _STATE[model] = {"pack": load_pack(), "embedder": embedder}
    return _STATE[model]


def _child_corpus(model: bool, jobs: int, limit: int | None) -> dict[str, object]:
    """Every consecutive pair of the corpus in ``jobs`` worker processes (run as a child)."""
    import difflib
    import time

    import scale_bench  # by name, so that the workers can import what they run

    from analyzer.workers import map_in_order

    pairs = _corpus_pairs()[:limit]
    started = time.perf_counter()
    results = list(
        map_in_order(scale_bench.corpus_pair, [(a, b, model) for a, b in pairs], jobs=jobs)
    )
    ours = time.perf_counter() - started
    t1 = time.perf_counter()
    for a, b in pairs:
        wa = Path(a).read_text("utf-8").split()
        wb = Path(b).read_text("utf-8").split()
        difflib.SequenceMatcher(None, wa, wb).get_opcodes()
    theirs = time.perf_counter() - t1
    digest = hashlib_of([r[3] for r in results])
    return {
        "pairs": len(pairs),
        "clauses": sum(r[0] for r in results),
        "embedded": sum(r[1] for r in results),
        "ours": ours,
        "difflib": theirs,
        "total": ours + theirs,
        "model_loaded": any(r[2] for r in results),
        "digest": digest,
        "jobs": jobs,
    }


def hashlib_of(parts: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


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
    """What one fresh ``policy diff`` does, phase by phase, in CPU time (run as a child; the
    same calls as ``analyzer.cli._analyze_refs`` and ``diff``, output discarded)."""
    import dataclasses
    import importlib
    import time

    t0 = time.process_time()
    importlib.import_module("typer")
    t1 = time.process_time()
    cli = importlib.import_module("analyzer.cli")
    t2a = time.process_time()
    _as_the_cli()  # what cli.main does before it runs a command, with the compiled patterns
    from analyzer.store.compiled import install_disk_store

    install_disk_store()
    t2 = time.process_time()
    from analyzer.judge.criteria import DEFAULT_PACK, load_pack
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.render import render
    from analyzer.store.versions import Store, resolve

    t3 = time.process_time()
    store = Store(Path("policy_versions"))
    old_doc = dataclasses.replace(resolve(old_path, store), source=old_path)
    new_doc = dataclasses.replace(resolve(new_path, store), source=new_path)
    pack = load_pack(DEFAULT_PACK)
    embedder, unavailable = cli._embedder(None, False)  # found, not loaded
    t4 = time.process_time()
    new_tree = parse(new_doc)
    old_tree = parse(old_doc)
    t5 = time.process_time()
    report = analyze(old_tree, new_tree, pack=pack, embedder=embedder, unavailable=unavailable)
    t6 = time.process_time()
    render(report, "text")
    t7 = time.process_time()
    return {
        "import typer (and what it pulls in)": t1 - t0,
        "import analyzer.cli (the command line's own modules)": t2a - t1,
        "install the compiled-pattern store (the file is read on first use)": t2 - t2a,
        "imports of the diff path (parser, pipeline, render, criteria, store)": t3 - t2,
        "read both files, load the criteria pack, find the embedder": t4 - t3,
        "parse both versions": t5 - t4,
        "analyze: align, changes, judge (first use loads the vocabularies' tries)": t6 - t5,
        "render the text report": t7 - t6,
    }


def _in_child(name: str, *args: str, env: dict[str, str] | None = None) -> tuple[dict, Run]:
    done = run(python(__file__, "--child", name, *args), env=env, keep_output=True, timeout=3600)
    if done.code != 0:
        raise SystemExit(f"child {name} {args} exited {done.code}")
    return json.loads(done.stdout.strip().splitlines()[-1]), done


def corpus(work: Path, *, model: bool, limit: int | None = None) -> list[Summary]:
    """The whole corpus, lexical, in one worker (``--jobs 1``) and in one per core; with the
    embedder too when ``model``. ``limit`` keeps the first pairs only (``--quick``)."""
    if not CORPUS.is_dir():
        print(f"(corpus not found at {CORPUS}: whole-corpus run skipped)\n")
        return []
    from analyzer.workers import default_jobs

    cores = default_jobs()
    runs: list[tuple[str, int, dict, Run]] = []
    for mode, jobs in [("lexical", 1), ("lexical", cores)] + ([("model", cores)] if model else []):
        cache = OUT / f"cache-corpus-{mode}"
        env = {**os.environ, "POLICY_ANALYZER_CACHE": str(cache)}
        args = [mode, str(jobs)] + ([str(limit)] if limit else [])
        data, child = _in_child("corpus", *args, env=env)
        runs.append((mode, jobs, data, child))
    lexical = [r for r in runs if r[0] == "lexical"]
    same = len({r[2]["digest"] for r in lexical}) == 1
    print(
        "### Whole corpus: every consecutive pair of the six documents (`--jobs`: worker "
        f"processes of analyzer.workers; reports identical for 1 and {cores} workers: "
        f"{'yes' if same else '**no**'})\n"
    )
    rows = []
    for mode, jobs, data, child in runs:
        pairs, clauses = int(data["pairs"]), int(data["clauses"])
        ours = float(data["ours"])
        rows.append(
            (
                "lexical (--no-model)" if mode == "lexical" else "with the embedder",
                str(jobs),
                str(pairs),
                f"{ours:.1f}",
                f"{pairs / ours:.1f}",
                f"{clauses / ours:.0f}",
                f"{float(data['difflib']):.2f}",
                f"{100 * int(data['embedded']) / max(clauses, 1):.1f} %",
                f"{child.cpu:.1f}",
                f"{child.rss_mib:.0f}",
            )
        )
    _table(
        "| mode | jobs | pairs | wall s | pairs/s | clauses/s | difflib s (serial) | "
        "clauses embedded | CPU s (all workers) | peak RSS MiB (parent) |",
        rows,
    )
    (_, _, one, _), (_, _, many, _) = lexical
    pairs = int(many["pairs"])
    speed = pairs / float(many["ours"])
    scaling = float(one["ours"]) / float(many["ours"])
    what = f"{pairs} consecutive pairs of 6 documents" + (" (first pairs only)" if limit else "")
    out = [
        Summary(
            f"whole corpus, lexical: {what}, --jobs {cores}",
            f"{float(many['ours']):.1f} s: {speed:.1f} pairs/s",
            f"difflib word diffs (serial) {float(many['difflib']):.1f} s",
            f"{ratio(float(many['ours']), float(many['difflib']))}× difflib",
            "≥ 10 pairs/s",
            met(speed >= 10),
            "—",
            COMMAND + " corpus",
        ),
        Summary(
            f"whole corpus, lexical: --jobs {cores} vs --jobs 1",
            f"{float(many['ours']):.1f} s vs {float(one['ours']):.1f} s",
            "--jobs 1 (same run)",
            f"{scaling:.2f}× faster; reports identical: {'yes' if same else '**no**'}",
            f"≥ 1.7× on {cores} cores" if cores >= 2 else "—",
            met(scaling >= 1.7 and same) if cores >= 2 else "—",
            "—",
            COMMAND + " corpus",
        ),
    ]
    if model:
        _, jobs, data, child = runs[-1]
        out.append(
            Summary(
                f"whole corpus with the embedder: {what}, --jobs {jobs} (model loaded per "
                "worker that needs it)",
                f"{float(data['ours']):.1f} s: {int(data['pairs']) / float(data['ours']):.1f} "
                f"pairs/s, {100 * int(data['embedded']) / max(int(data['clauses']), 1):.1f} % "
                "of clauses embedded",
                f"difflib word diffs {float(data['difflib']):.1f} s",
                f"{ratio(float(data['ours']), float(data['difflib']))}×",
                "—",
                "—",
                f"{child.rss_mib:.0f} MiB (parent)",
                COMMAND + " corpus",
            )
        )
    return out


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


def one_line(work: Path, megabytes: int) -> list[Summary]:
    """A policy written on one line of ``megabytes`` MB (the seed's words, repeated) against
    itself with one word inserted in the middle: ``policy diff --no-model`` in a fresh process
    (killed after 10 minutes), against a difflib word diff of the same files."""
    from synth import seed_text

    words = " ".join(seed_text().split())
    size = megabytes * 1_000_000
    line = ((words + " ") * (size // (len(words) + 1) + 1))[:size]
    old, new = work / f"line-{megabytes}mb-old.txt", work / f"line-{megabytes}mb-new.txt"
    old.write_text(line, "utf-8")
    middle = line.index(" ", len(line) // 2)
    new.write_text(line[:middle] + " inserted" + line[middle:], "utf-8")
    ours = run(policy("diff", str(old), str(new), "--no-model", "--format", "json"), timeout=600)
    theirs = run(python("-c", DIFFLIB, str(old), str(new), "autojunk"), timeout=600)
    finished = ours.code in (0, 1)
    print(f"### One line of {megabytes} MB, one word inserted (fresh process, one run)\n")
    _table(
        "| run | wall s | CPU s | peak RSS MiB | exit |",
        [
            (
                "`policy diff --no-model`",
                f"{ours.wall:.1f}",
                f"{ours.cpu:.1f}",
                f"{ours.rss_mib:.0f}",
                str(ours.code),
            ),
            (
                "difflib word diff",
                f"{theirs.wall:.1f}",
                f"{theirs.cpu:.1f}",
                f"{theirs.rss_mib:.0f}",
                str(theirs.code),
            ),
        ],
    )
    return [
        Summary(
            f"no pathological input: one line of {megabytes} MB, one word inserted, "
            "`policy diff --no-model`",
            f"{ours.wall:.1f} s wall, CPU {ours.cpu:.1f} s"
            + ("" if finished else f" (killed: exit {ours.code})"),
            f"difflib word diff {theirs.wall:.1f} s",
            f"{ratio(ours.wall, theirs.wall)}×",
            "≤ 10 s",
            f"wall: {met(finished and ours.wall <= 10)}; CPU: {met(finished and ours.cpu <= 10)}",
            f"{ours.rss_mib:.0f} MiB",
            COMMAND + " growth",
        )
    ]


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
            limit = int(rest[2]) if len(rest) > 2 else None
            print(json.dumps(_child_corpus(rest[0] == "model", int(rest[1]), limit)))
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
            summaries += corpus(work, model=not args.quick, limit=40 if args.quick else None)
        if "growth" in chosen:
            summaries += growth(work, (1, 10) if args.quick else (1, 10, 100))
            summaries += one_line(work, 1 if args.quick else 5)
    print(f"load average after: {load()}\n")
    return summaries


if __name__ == "__main__":
    main()
