"""Parsing speed: the seed and the largest corpus versions, against baselines measured in the
same run on the same text.

Run from the repository root:  python bench/parse_bench.py [--repeat N] [--corpus DIR]

Baselines: ``read+split`` decodes the bytes, normalises the lines and splits them into
paragraphs (the least any parser does); ``markdown-it`` is markdown-it-py tokenising the same
text (what a Markdown-aware tool pays before it builds anything). Figures are the median of
``--repeat`` runs; ratios are parse time / baseline time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.model import Document  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.parse.markdown import tokenize  # noqa: E402
from analyzer.parse.tree import parse  # noqa: E402
from analyzer.text.normalize import normalize_lines  # noqa: E402

SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"


def _best_ms(action: Callable[[int], object], repeat: int) -> float:
    times = []
    for run in range(repeat):
        started = time.perf_counter()
        action(run)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def _read_and_split(data: bytes) -> int:
    lines = normalize_lines(data.decode("utf-8"))
    return sum(1 for a, b in itertools.pairwise(lines) if a and not b)


def _variant(document: Document, run: int) -> Document:
    # A different text on every run, so no cache in the parser can answer from a previous one.
    return Document(
        source=document.source,
        text=f"{document.text}\n\n<!-- run {run} -->\n",
        format=document.format,
        meta=document.meta,
        body_line=document.body_line,
    )


def bench_one(path: Path, repeat: int) -> dict[str, float | int | str]:
    data = path.read_bytes()
    document = read_document(data, str(path))
    clauses = len(parse(document).clauses)
    parse_ms = _best_ms(lambda run: parse(_variant(document, run)), repeat)
    split_ms = _best_ms(lambda run: _read_and_split(data), repeat)
    tokenize_ms = _best_ms(lambda run: tokenize(_variant(document, run).text), repeat)
    return {
        "file": path.name if path != SEED else "seed (2023-05-26.md, plain text)",
        "kb": round(len(data) / 1024, 1),
        "clauses": clauses,
        "parse_ms": parse_ms,
        "split_ms": split_ms,
        "tokenize_ms": tokenize_ms,
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=15)
    options.add_argument("--corpus", type=Path, default=CORPUS)
    args = options.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}"
    )
    files = [SEED]
    versions = sorted(args.corpus.glob("*/*/*.md")) if args.corpus.is_dir() else []
    if versions:
        largest = sorted(versions, key=lambda p: p.stat().st_size)[-2:]
        files += largest
    rows = [bench_one(path, args.repeat) for path in files]
    print(
        f"{'document':42} {'KiB':>6} {'clauses':>7} {'parse ms':>9} {'read+split':>10} "
        f"{'markdown-it':>11} {'x split':>8} {'x md-it':>8}"
    )
    for row in rows:
        parse_ms = float(row["parse_ms"])
        print(
            f"{row['file']!s:42} {row['kb']:>6} {row['clauses']:>7} {parse_ms:>9.2f} "
            f"{float(row['split_ms']):>10.2f} {float(row['tokenize_ms']):>11.2f} "
            f"{parse_ms / float(row['split_ms']):>8.1f} {parse_ms / float(row['tokenize_ms']):>8.2f}"
        )
    if versions:
        documents = [read_document(p.read_bytes(), str(p)) for p in versions]
        started = time.perf_counter()
        clauses = sum(len(parse(_variant(d, 0)).clauses) for d in documents)
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        for d in documents:
            tokenize(_variant(d, 1).text)
        tokenize_s = time.perf_counter() - started
        size = sum(p.stat().st_size for p in versions) / 1024 / 1024
        print(
            f"whole corpus: {len(versions)} versions, {size:.1f} MiB, {clauses} clauses: "
            f"parse {parse_s:.2f} s ({size / parse_s:.2f} MiB/s), markdown-it alone "
            f"{tokenize_s:.2f} s, ratio {parse_s / tokenize_s:.2f}"
        )


if __name__ == "__main__":
    main()
