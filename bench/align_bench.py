"""Alignment + redline speed, against a difflib word diff of the same two texts (same run).

Usage::

    python bench/align_bench.py [--repeat 7]

Cases:

- **seed, one clause edited**: the shipped seed policy (parsed) against itself with the hotline
  number changed in one clause. *Ours* is :func:`analyzer.diff.align.align_clauses` plus a word
  redline (:func:`analyzer.diff.redline.redline`) of every matched pair whose text changed: what
  ``policy diff`` does between parsing and judging. *difflib* is
  ``difflib.SequenceMatcher(None, old_words, new_words).get_opcodes()`` over the word tokens
  (words, spaces, punctuation) of the two whole texts. Also shown: our redline of the two whole
  texts, the diff engine alone against the same difflib run.
- **×10 and ×100**: the seed's clauses repeated 10 and 100 times (each copy with its own word
  substitutions, so that no two copies are identical), the same clause edited in each copy.
  Growth is the
  time at ×10 (×100) over the time at ×1: near-linear means about 10 (100).

Times are the best of ``--repeat`` runs (one run for ×100, and for difflib at ×10), in ms.
"""

from __future__ import annotations

import argparse
import difflib
import platform
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.diff.align import align_clauses  # noqa: E402
from analyzer.diff.redline import redline  # noqa: E402
from analyzer.model import Alignment, Clause, ClauseTree  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.parse.tree import parse  # noqa: E402
from analyzer.text.normalize import content_hash  # noqa: E402

SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
_SWAPPED = ["data", "information", "service", "account", "user", "partner", "website", "record"]


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _rehash(c: Clause, text: str) -> Clause:
    return replace(c, text=text, hash=content_hash(" ".join(p for p in (c.heading, text) if p)))


def scaled(tree: ClauseTree, copies: int) -> ClauseTree:
    """The tree's clauses ``copies`` times; copy k swaps a few common words and ends with [k]."""
    out: list[Clause] = []
    for k in range(copies):
        rnd = random.Random(k)
        swap = dict(zip(_SWAPPED, rnd.sample(_SWAPPED, len(_SWAPPED)), strict=True)) if k else {}
        for c in tree.clauses:
            text = " ".join(swap.get(w, w) for w in c.text.split(" "))
            text = f"{text} [{k}]" if k and text else text
            clause = replace(
                c,
                id=f"c{k}-{c.id}",
                parent=f"c{k}-{c.parent}" if c.parent else None,
                number=(k, *c.number),
            )
            out.append(_rehash(clause, text))
    return replace(tree, clauses=tuple(out))


def edited(tree: ClauseTree) -> tuple[ClauseTree, int]:
    """The hotline number changed in the first clause that gives it, in each copy: the same
    edit density at every size."""
    clauses = list(tree.clauses)
    done: set[int] = set()
    for i, c in enumerate(clauses):
        copy = c.number[0] if c.number else 0
        if "400-80-13260" in c.text and copy not in done:
            done.add(copy)
            clauses[i] = _rehash(c, c.text.replace("400-80-13260", "95187"))
    return replace(tree, clauses=tuple(clauses)), len(done)


def ours(old: ClauseTree, new: ClauseTree) -> Alignment:
    al = align_clauses(old, new)
    old_by, new_by = old.by_id(), new.by_id()
    for m in al.matches:
        if m.method != "identical":
            redline(
                "\n".join(old_by[o].text for o in m.old), "\n".join(new_by[n].text for n in m.new)
            )
    return al


def text_of(tree: ClauseTree) -> str:
    return "\n".join(" ".join(p for p in (c.heading, c.text) if p) for c in tree.clauses)


def baseline(old_text: str, new_text: str) -> int:
    matcher = difflib.SequenceMatcher(None, _WORDS.findall(old_text), _WORDS.findall(new_text))
    return len(matcher.get_opcodes())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-100", action="store_true", help="skip the ×100 case")
    ap.add_argument("--large", action="store_true", help="also time redlines of huge texts")
    args = ap.parse_args(argv)

    seed = parse(read_document(SEED.read_bytes(), SEED.name))
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}")
    print(f"seed: {len(seed.clauses)} clauses, {len(text_of(seed)) / 1024:.1f} KiB of text\n")

    rows = []
    base_ours = base_difflib = 0.0
    for copies in (1, 10, 100):
        if copies == 100 and args.no_100:
            continue
        old = scaled(seed, copies)
        new, count = edited(old)
        repeat = 1 if copies == 100 else args.repeat
        t_ours = best(lambda old=old, new=new: ours(old, new), repeat)
        old_text, new_text = text_of(old), text_of(new)
        t_diff = (
            best(lambda a=old_text, b=new_text: baseline(a, b), 1 if copies > 1 else repeat)
            if copies < 100
            else None
        )
        t_red = best(lambda a=old_text, b=new_text: redline(a, b), repeat) if copies == 1 else None
        if copies == 1:
            base_ours, base_difflib = t_ours, t_diff or 0.0
        rows.append((copies, len(old.clauses), count, t_ours, t_diff, t_red))

    print(
        "| case | clauses | edited | ours ms | difflib ms | ours / difflib | growth ours | growth difflib |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for copies, n, count, t_ours, t_diff, _ in rows:
        name = "seed, one clause edited" if copies == 1 else f"×{copies}"
        diff_ms = f"{1000 * t_diff:.1f}" if t_diff is not None else "—"
        ratio = f"{t_ours / t_diff:.2f}" if t_diff else "—"
        growth_diff = f"{t_diff / base_difflib:.1f}" if t_diff and copies > 1 else "—"
        growth = f"{t_ours / base_ours:.1f}" if copies > 1 else "—"
        print(
            f"| {name} | {n} | {count} | {1000 * t_ours:.1f} | {diff_ms} | {ratio} | {growth} "
            f"| {growth_diff} |"
        )
    t_red, t_diff = rows[0][5], rows[0][4]
    if t_red is not None and t_diff:
        print(
            f"\nwhole-text word redline of the seed pair: ours {1000 * t_red:.1f} ms, "
            f"difflib {1000 * t_diff:.1f} ms, ratio {t_red / t_diff:.2f}"
        )
    if args.large:
        large_inputs()
    return 0


def large_inputs() -> None:
    """Redlines of inputs built to be slow: the work bound keeps them finite."""
    rnd = random.Random(1)
    hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    line = "".join(rnd.choice(hanzi) for _ in range(1_000_000))
    chars = list(line)
    for _ in range(20):
        chars[rnd.randrange(len(chars))] = rnd.choice(hanzi)
    words = ["".join(rnd.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(5000)]
    para = [" ".join(rnd.choice(words) for _ in range(12)) + "\n" for _ in range(4000)]
    lines = [f"{i} {para[i % len(para)]}" for i in range(650_000)]
    big = "".join(lines)
    lines[1234] = "1234 a changed line\n"
    del lines[400_000:400_010]
    unrelated_a = " ".join(rnd.choice(words) for _ in range(20_000))
    unrelated_b = " ".join(rnd.choice(words) for _ in range(20_000))
    cases = [
        ("1 MB Chinese line, no spaces, 20 characters changed", line, "".join(chars)),
        ("1 MB Latin line, no spaces, 1 character changed", "x" * 10**6, "x" * 999_999 + "y"),
        ("two unrelated texts of 20 000 words", unrelated_a, unrelated_b),
        (f"{len(big) / 1e6:.0f} MB document, 1 line changed, 10 deleted", big, "".join(lines)),
    ]
    print("\n| redline of | ms | ops |")
    print("|---|---:|---:|")
    for name, a, b in cases:
        start = time.perf_counter()
        ops = redline(a, b)
        print(f"| {name} | {1000 * (time.perf_counter() - start):.0f} | {len(ops)} |")


if __name__ == "__main__":
    raise SystemExit(main())
