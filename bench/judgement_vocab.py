"""Measure the judgement vocabulary (facts, tripwires, criteria pack) on the labelled set and
on the corpus revisions whose materiality the source states; time the extractors.

    python bench/judgement_vocab.py [--corpus ../shared/corpus] [--no-speed]

Prints tables (Markdown) for BENCHMARKS.md. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.diff.tripwires import MEANING_KINDS, find_tripwires  # noqa: E402
from analyzer.facts.extract import extract_facts  # noqa: E402
from analyzer.judge.criteria import load_pack  # noqa: E402
from analyzer.text.normalize import squash  # noqa: E402
from tests.helpers.judgement_cases import load_cases, load_corpus_pairs, signals  # noqa: E402

GENERIC = {"negation", "modality"}


def criterion_traces(found, criterion) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """(specific traces, generic traces) of a criterion in a revision's signals."""
    specific = {spec for spec in criterion.facts if found.touches(spec)}
    specific |= found.tripwire_kinds & (set(criterion.tripwires) - GENERIC)
    generic = found.tripwire_kinds & set(criterion.tripwires) & GENERIC
    return specific, generic


def labelled_set() -> None:
    pack = load_pack()
    cases = load_cases()
    print(f"## Labelled set: {len(cases)} cases, pack {pack.ref}\n")
    rows: dict[str, Counter[str]] = {c.id: Counter() for c in pack.criteria}
    tripwire_major: Counter[str] = Counter()
    tripwire_editorial: Counter[str] = Counter()
    fact_major: Counter[str] = Counter()
    fact_editorial: Counter[str] = Counter()
    editorial_bad: list[str] = []
    editorial_fact_noise = 0
    n_major = sum(c.major for c in cases)
    n_editorial = len(cases) - n_major
    for case in cases:
        found = signals(case.old_text, case.new_text, case.language, pack)
        kinds_t = found.tripwire_kinds
        if case.major:
            tripwire_major.update(kinds_t)
            fact_major.update(found.fact_kinds)
        else:
            tripwire_editorial.update(kinds_t)
            fact_editorial.update(found.fact_kinds)
            bad = sorted(kinds_t & MEANING_KINDS)
            if bad:
                editorial_bad.append(f"{case.name}: {bad}")
            if found.fact_kinds - {"date", "reference"}:
                editorial_fact_noise += 1
        for criterion in pack.criteria:
            expected = criterion.id in case.criteria
            acceptable = expected or criterion.id in case.also_acceptable
            if criterion.id == "9.2":
                hit_specific = bool(found.restrictions)
                hit_any = hit_specific or bool(found.rights_clause_flips)
            else:
                specific, generic = criterion_traces(found, criterion)
                hit_specific, hit_any = bool(specific), bool(specific or generic)
            row = rows[criterion.id]
            if expected:
                row["cases"] += 1
                row["specific"] += hit_specific
                row["any"] += hit_any
            elif not acceptable and hit_specific:
                row["spurious"] += 1
                if not case.major:
                    row["spurious_editorial"] += 1
    print(
        "| criterion | cases | specific trace | any trace | signalled where not expected (of which editorial) |"
    )
    print("|---|---|---|---|---|")
    for cid, row in rows.items():
        print(
            f"| {cid} | {row['cases']} | {row['specific']}/{row['cases']} | {row['any']}/{row['cases']}"
            f" | {row['spurious']} ({row['spurious_editorial']}) |"
        )
    print(
        "\n'specific trace': a fact spec or a non-generic tripwire kind of the criterion changed "
        "(for 9.2: a restriction pattern matched); 'any trace' adds negation/modality tripwires "
        "(for 9.2: a negation or modal verb changed in a clause stating a right).\n"
    )
    print(f"Editorial cases ({n_editorial}) with a meaning-carrying tripwire: {len(editorial_bad)}")
    for line in editorial_bad:
        print(f"  - {line}")
    print(
        f"Editorial cases with a fact difference other than date/reference: {editorial_fact_noise}\n"
    )
    print(
        f"| kind | tripwire fired in major cases (of {n_major}) | in editorial cases (of {n_editorial}) | fact delta in major | in editorial |"
    )
    print("|---|---|---|---|---|")
    for kind in sorted(
        set(tripwire_major) | set(tripwire_editorial) | set(fact_major) | set(fact_editorial)
    ):
        print(
            f"| {kind} | {tripwire_major[kind]} | {tripwire_editorial[kind]} | {fact_major[kind]} | {fact_editorial[kind]} |"
        )
    print()


def corpus(corpus_dir: Path) -> None:
    pack = load_pack()
    pairs = load_corpus_pairs()
    print(f"## Corpus revisions with a materiality label: {len(pairs)}\n")
    print(
        "| document | old -> new | label | changed paragraphs | meaning tripwires | criteria with a specific trace | restriction evidence |"
    )
    print("|---|---|---|---|---|---|---|")
    for pair in pairs:
        old, new = pair.texts(corpus_dir)
        found = signals(old, new, pair.language, pack)
        crit = []
        for criterion in pack.criteria:
            if criterion.id == "9.2":
                continue
            if criterion_traces(found, criterion)[0]:
                crit.append(criterion.id)
        meaning = sum(t.kind in MEANING_KINDS for t in found.tripwires)
        print(
            f"| {pair.document.split('/')[1]} | {pair.old} -> {pair.new} | {pair.materiality} | {len(found.pairs)}"
            f" | {meaning} | {', '.join(crit) or '-'} | {len(found.restrictions)} |"
        )
    print()


def speed() -> None:
    seed = (ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md").read_text(
        encoding="utf-8"
    )
    line = seed.replace("\n", " ")
    mb = 1_000_000
    inputs = {
        "seed text, one 1 MB line": (line * (mb // len(line) + 1))[:mb],
        "1 MB of spaces": " " * mb,
        "1 MB of digits": "1" * mb,
        "1 MB of one letter": "a" * mb,
        "1 MB of 'partner '": ("partner " * (mb // 8 + 1))[:mb],
        "1 MB of 'A Ltd '": ("A Ltd " * (mb // 6 + 1))[:mb],
        "1 MB of 不会": "不会" * (mb // 2),
    }
    print("## Speed\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}."
    )
    print(
        "Baseline: `analyzer.text.normalize.squash` of the same input (one regex pass), same run.\n"
    )
    print("| input | extract_facts | baseline | ratio | facts |")
    print("|---|---|---|---|---|")
    extract_facts("warm up the vocabulary matchers")
    for name, text in inputs.items():
        t0 = time.perf_counter()
        squash(text)
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        facts = extract_facts(text)
        took = time.perf_counter() - t0
        print(f"| {name} | {took:.2f} s | {base:.3f} s | {took / base:.0f}x | {len(facts)} |")
    edited = seed.replace("within 15 days", "within 60 days").replace("400-80-13260", "95187")
    t0 = time.perf_counter()
    wires = find_tripwires(seed, edited)
    took = time.perf_counter() - t0
    t0 = time.perf_counter()
    squash(seed)
    squash(edited)
    base = time.perf_counter() - t0
    print(
        f"\nfind_tripwires on the whole seed ({len(seed)} chars) against an edited copy: {took:.2f} s"
        f" ({len(wires)} tripwires); baseline {base:.4f} s, ratio {took / base:.0f}x.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    labelled_set()
    if args.corpus.is_dir():
        corpus(args.corpus)
    else:
        print(f"(corpus not found at {args.corpus}: skipped)\n")
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    main()
