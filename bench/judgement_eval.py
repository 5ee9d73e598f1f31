"""Evaluate the judgement (classification + decision) on the labelled revisions.

    python bench/judgement_eval.py [--corpus ../shared/corpus] [--holdout] [--blind2]
                                   [--set DIR ...] [--model]

Prints Markdown for BENCHMARKS.md ("Judgement"): per-criterion precision / recall / F1, the
decision accuracy and the confusion matrix of the labelled set (``tests/cases/judgement/``);
the corpus revisions whose source states their materiality; with ``--holdout`` the same
figures on the held-out set (``tests/cases/judgement-holdout/``, never tuned on); with
``--blind2`` on the second blind set (``tests/cases/judgement-blind2/``); with ``--set DIR``
(repeatable) on any folder of cases in the same format; with
``--model`` everything again with the sentence embedder (prototype-similarity fallback), and
whether the model had to be loaded for a one-clause revision (the seed's hotline number).
Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.diff.embedding import Embedder, EmbedderUnavailable  # noqa: E402
from analyzer.embedder import load_embedder  # noqa: E402
from analyzer.judge.criteria import load_pack  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from tests.helpers.judgement_cases import (  # noqa: E402
    BLIND2,
    HOLDOUT,
    JUDGEMENT,
    SEED_VERSION,
    load_cases,
    load_corpus_pairs,
)
from tests.helpers.judging import Outcome, Tally, judge_case, judge_pair, judge_texts  # noqa: E402


def report(title: str, outcomes: list[Outcome], seconds: float, *, criteria: bool = True) -> Tally:
    tally = Tally()
    for o in outcomes:
        tally.add(o, score_criteria=criteria)
    print(f"### {title}\n")
    print(
        f"{tally.pairs} revisions ({tally.major_total} major, {tally.editorial_total} editorial), "
        f"{seconds:.1f} s.\n"
    )
    if criteria:
        print(tally.table() + "\n")
    accuracy = tally.correct / tally.pairs if tally.pairs else 1.0
    print(
        f"- decision accuracy: {tally.correct}/{tally.pairs} = {accuracy:.2f}\n"
        f"- recall of popup/consent (major caught): {tally.major_caught}/{tally.major_total}"
        f" = {tally.major_recall:.2f}\n"
        f"- editorial revisions raised to popup or consent: {tally.editorial_raised}/"
        f"{tally.editorial_total}\n"
    )
    print(tally.confusion_table() + "\n")
    if tally.misses:
        print("Misses:\n")
        for m in tally.misses:
            print(f"- {m}")
        print()
    return tally


def run_cases(root: Path, embedder: Embedder | None) -> tuple[list[Outcome], float]:
    pack = load_pack()
    start = time.perf_counter()
    outcomes = [judge_case(c, pack, embedder) for c in load_cases(root)]
    return outcomes, time.perf_counter() - start


def run_pairs(corpus: Path, embedder: Embedder | None) -> tuple[list[Outcome], float]:
    pack = load_pack()
    start = time.perf_counter()
    outcomes = [judge_pair(p, corpus, pack, embedder) for p in load_corpus_pairs()]
    return outcomes, time.perf_counter() - start


def hotline_loads_model(embedder: Embedder) -> bool:
    seed = read_document(SEED_VERSION.read_bytes(), str(SEED_VERSION)).text
    judge_texts(seed, seed.replace("400-80-13260", "95187"), pack=load_pack(), embedder=embedder)
    return bool(getattr(embedder, "model_loaded", False))


def speed(corpus: Path) -> None:
    """Time of judge() against the stages before it (parse both, align, build changes) on the
    same revision: the ratio says what classification adds to ``policy diff``."""
    import statistics

    from analyzer.facts.extract import facts_of
    from analyzer.judge.decide import judge
    from tests.helpers.judging import build_changes_for, tree

    seed = read_document(SEED_VERSION.read_bytes(), str(SEED_VERSION)).text
    revisions = [
        (
            "seed, hotline number (1 clause, 2 changes)",
            seed,
            seed.replace("400-80-13260", "95187"),
            "en",
        )
    ]
    big = corpus / "github-site-policy" / "github-privacy-statement"
    if big.is_dir():
        old = read_document((big / "2021-11-12.md").read_bytes(), "old").text
        new = read_document((big / "2022-05-31.md").read_bytes(), "new").text
        revisions.append(("GitHub privacy 2021-11-12 -> 2022-05-31 (rewrite)", old, new, "en"))
    pack = load_pack()
    print("### Speed (lexical only)\n")
    print("| revision | changes | parse + align + changes, ms | judge, ms | ratio |")
    print("|---|---|---|---|---|")
    for label, a, b, language in revisions:
        before: list[float] = []
        after: list[float] = []
        for _ in range(3):
            start = time.perf_counter()
            old_tree, new_tree = tree(a, "old.md", language), tree(b, "new.md", language)
            changes = build_changes_for(old_tree, new_tree, None)
            facts_of.cache_clear()  # each run reads every clause afresh
            mid = time.perf_counter()
            judge(changes, old_tree, new_tree, pack=pack, embedder=None)
            end = time.perf_counter()
            before.append(mid - start)
            after.append(end - mid)
        base, cost = statistics.median(before) * 1000, statistics.median(after) * 1000
        print(f"| {label} | {len(changes)} | {base:.0f} | {cost:.0f} | {cost / base:.2f} |")
    print(
        "\n(judge includes reading the facts of every clause of both versions for the "
        "document-wide view, with its cache cleared before each run; medians of 3 runs.)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--holdout", action="store_true", help="also the held-out set")
    parser.add_argument("--blind2", action="store_true", help="also the second blind set")
    parser.add_argument(
        "--set",
        dest="sets",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also the cases in DIR (repeatable)",
    )
    parser.add_argument("--model", action="store_true", help="also with the sentence embedder")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing table")
    args = parser.parse_args()
    extra: list[tuple[str, Path]] = []
    if args.blind2:
        extra.append(("Second blind set", BLIND2))
    for folder in args.sets:
        if not (folder.is_dir() and any(folder.glob("*/case.yaml"))):
            parser.error(f"--set {folder}: no */case.yaml in it")
        extra.append((f"Set {folder.name}", folder.resolve()))

    print("## Judgement\n")
    print(
        f"Command: `python bench/judgement_eval.py{' --holdout' if args.holdout else ''}"
        f"{' --blind2' if args.blind2 else ''}"
        f"{''.join(f' --set {d}' for d in args.sets)}"
        f"{' --model' if args.model else ''}` ({platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}), pack {load_pack().ref}.\n"
    )
    embedders: list[tuple[str, Embedder | None]] = [("lexical only (no embedder)", None)]
    if args.model:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            embedders.append(("with the sentence embedder", load_embedder()))
        except EmbedderUnavailable as exc:
            print(f"(no embedder: {exc.reason})\n")
    for label, embedder in embedders:
        outcomes, seconds = run_cases(JUDGEMENT, embedder)
        report(f"Labelled set, {label}", outcomes, seconds)
        if args.corpus.is_dir():
            outcomes, seconds = run_pairs(args.corpus, embedder)
            report(
                f"Corpus revisions with the source's materiality, {label}",
                outcomes,
                seconds,
                criteria=False,
            )
        if args.holdout:
            outcomes, seconds = run_cases(HOLDOUT, embedder)
            report(f"Held-out set, {label}", outcomes, seconds)
        for title, folder in extra:
            outcomes, seconds = run_cases(folder, embedder)
            report(f"{title}, {label}", outcomes, seconds)
        if embedder is not None:
            fresh = load_embedder()
            loaded = hotline_loads_model(fresh)
            print(
                f"One-clause revision (hotline number): model loaded: {'yes' if loaded else 'no'}\n"
            )
    if not args.no_speed:
        speed(args.corpus)


if __name__ == "__main__":
    main()
