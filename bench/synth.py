"""Synthetic policies N times the seed's size, for the growth benchmark and the scale tests.

A copy of the seed is written for each ``k`` in ``1..N`` as its own part of a plain-text policy:
a line ``k. Part k of the policy``, then every clause of the seed with its section number put
under the part (``3.4.2`` becomes ``k.3.4.2``, ``five point two`` becomes ``k.5.2``) and list
items keeping their own label (``(1)``), so the whole document is numbered consistently and
parses into N parts of the seed's tree. Each copy swaps a few common words with a permutation of
its own and ends each clause with ``[k]``, so that no two copies share a clause text (a
policy does not repeat itself a hundred times; identical copies would test the aligner's
duplicate handling instead of its scale).

``edited`` applies the typical revision (one clause: "We will not entrust" -> "We will
entrust") to the seed before it is copied: every copy carries the edit, so the density of
changes is the same at every size.
"""

from __future__ import annotations

import random
from pathlib import Path

from analyzer.parse.ingest import read_document
from analyzer.parse.numbering import read_number
from analyzer.parse.tree import parse

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
EDIT = (
    "We will not entrust your personally identifiable information to partners",
    "We will entrust your personally identifiable information to partners",
)
_SWAPPED = ["data", "information", "service", "account", "user", "partner", "website", "record"]


def seed_text(*, edited: bool = False) -> str:
    """The shipped seed file, with the typical one-clause edit when ``edited``."""
    text = SEED.read_text(encoding="utf-8")
    if edited:
        assert EDIT[0] in text
        text = text.replace(EDIT[0], EDIT[1])
    return text


def typical_pair(folder: Path) -> tuple[Path, Path]:
    """The typical revision as two files: the seed and the seed with one clause edited."""
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / "seed-old.md", folder / "seed-new.md"
    old.write_text(seed_text(), encoding="utf-8")
    new.write_text(seed_text(edited=True), encoding="utf-8")
    return old, new


def synthetic(copies: int, *, edited: bool = False) -> str:
    """A plain-text policy made of ``copies`` numbered copies of the seed (see the module)."""
    tree = parse(read_document(seed_text(edited=edited).encode("utf-8"), SEED.name))
    lines = ["Synthetic privacy policy", ""]
    for k in range(1, copies + 1):
        rnd = random.Random(k)
        swap = dict(zip(_SWAPPED, rnd.sample(_SWAPPED, len(_SWAPPED)), strict=True))
        lines += [f"{k}. Part {k} of the policy", ""]
        for clause in tree.clauses:
            words = " ".join(swap.get(w, w) for w in clause.text.split())
            label = ""
            if clause.label:
                reading = read_number(clause.label + " Text", heading=True)
                if reading is not None and not reading.is_item and clause.number:
                    label = ".".join(str(v) for v in (k, *clause.number)) + " "
                else:
                    label = clause.label + " "
            head = " ".join(p for p in (clause.heading, words) if p)
            if not label and read_number(head, heading=True) is not None:
                head = "Note " + head  # the seed's parser read this number as text: keep it so
            if not head and not label:
                continue
            lines += [f"{label}{head} [{k}]".strip(), ""]
    return "\n".join(lines) + "\n"


def write_pair(folder: Path, copies: int) -> tuple[Path, Path]:
    """``synthetic(copies)`` and its edited version as two ``.txt`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / f"x{copies}-old.txt", folder / f"x{copies}-new.txt"
    old.write_text(synthetic(copies), encoding="utf-8")
    new.write_text(synthetic(copies, edited=True), encoding="utf-8")
    return old, new
