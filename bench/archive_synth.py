"""Synthetic archives of many policies, made from real version histories, for ``policy corpus``.

    python bench/archive_synth.py OUT --policies 2000 --versions 5     # from ../shared/corpus

Each synthetic policy takes a window of consecutive real versions of one source document (the
corpus's six histories, or the shipped ``policy_versions/``), so its revisions are real edits:
rewrites, renumbering, typo fixes, new recipients. Policy ``i`` uses source ``i mod S`` and a
window that moves along the history as ``i`` grows; each policy swaps a few common words with a
permutation of its own (consistently in all its versions), so that no two policies share a text.

Two layouts: ``corpus`` (``<source>/<document>/<date>.md`` with ``versions.json``, whose entries
are copied from the real ones, so the declared notices come along) and ``versions``
(``<policy>/<date>.md`` with front matter whose ``notice:`` says what the source declared).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"
sys.path.insert(0, str(ROOT))

from analyzer.corpus.declared import from_versions_json  # noqa: E402

_SWAPPED = ["data", "information", "service", "account", "user", "partner", "website", "record"]
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Version:
    file: str
    """The file name (``2023-12-27-2.md``)."""
    text: str
    entry: dict[str, Any]
    """Its ``versions.json`` entry (empty when the source has none)."""


@dataclass(frozen=True)
class Source:
    name: str
    language: str
    versions: tuple[Version, ...]


def corpus_sources(corpus: Path) -> list[Source]:
    """Every document of the corpus, its versions in the order of ``versions.json``."""
    out = []
    for listing in sorted(corpus.glob("*/*/versions.json")):
        folder = listing.parent
        entries = json.loads(listing.read_text(encoding="utf-8"))
        meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
        versions = tuple(
            Version(e["file"], (folder / e["file"]).read_text(encoding="utf-8"), e) for e in entries
        )
        out.append(Source(folder.name, str(meta.get("language", "en")), versions))
    return out


def shipped_sources() -> list[Source]:
    """The shipped ``policy_versions/`` policies (front matter dropped: it is written anew)."""
    out = []
    for folder in sorted((ROOT / "policy_versions").iterdir()):
        files = sorted(folder.glob("????-??-??*.md"))
        if len(files) < 2:
            continue
        versions = []
        for path in files:
            raw = path.read_text(encoding="utf-8")
            notice = re.search(r"^notice:\s*(\w+)", raw, re.M)
            entry = {"file": path.name, "declared": notice.group(1) if notice else None}
            versions.append(Version(path.name, _FRONT.sub("", raw), entry))
        out.append(Source(folder.name, "en", tuple(versions)))
    return out


def _swap(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    order = rnd.sample(_SWAPPED, len(_SWAPPED))
    table = dict(zip(_SWAPPED, order, strict=True))
    pattern = re.compile(r"\b(" + "|".join(_SWAPPED) + r")\b")
    return pattern.sub(lambda m: table[m.group(1)], text)


def write_archive(
    out: Path,
    sources: Sequence[Source],
    *,
    policies: int,
    versions: int,
    layout: str = "corpus",
) -> int:
    """Write ``policies`` synthetic policies of ``versions`` versions each; returns the number
    of files written."""
    written = 0
    for i in range(policies):
        source = sources[i % len(sources)]
        count = min(versions, len(source.versions))
        windows = len(source.versions) - count + 1
        start = (i // len(sources)) * 3 % windows
        window = source.versions[start : start + count]
        name = f"p{i:05d}-{source.name}"
        folder = out / f"group{i // 100:03d}" / name if layout == "corpus" else out / name
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        previous: dict[str, Any] | None = None
        for version in window:
            text = _swap(version.text, i)
            if layout == "corpus":
                (folder / version.file).write_text(text, encoding="utf-8")
                entries.append(version.entry)
            else:
                declared = version.entry.get("declared")
                if declared is None and "source_says" in version.entry:
                    declared = from_versions_json(version.entry, previous)[0]
                previous = version.entry
                date = version.file.split(".")[0]
                head = [
                    "---",
                    f"title: Synthetic policy {i}",
                    f"policy: {name}",
                    f"version: {date}",
                    f"updated: {date[:10]}",
                    f"effective: {date[:10]}",
                    f"language: {source.language}",
                    "status: draft",
                    *([f"notice: {declared}"] if declared else []),
                    "---",
                    "",
                ]
                (folder / version.file).write_text("\n".join(head) + text, encoding="utf-8")
            written += 1
        if layout == "corpus":
            (folder / "versions.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
            (folder / "document.json").write_text(
                json.dumps({"language": source.language}), encoding="utf-8"
            )
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--layout", choices=["corpus", "versions"], default="corpus")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    options = parser.parse_args()
    if not options.corpus.is_dir():
        print(f"archive_synth: no corpus at {options.corpus}", file=sys.stderr)
        return 2
    files = write_archive(
        options.out,
        corpus_sources(options.corpus),
        policies=options.policies,
        versions=options.versions,
        layout=options.layout,
    )
    print(f"wrote {files} versions of {options.policies} policies into {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
