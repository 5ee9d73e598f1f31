"""Golden cases of ``policy diff``: ``tests/cases/diff-*/``.

Each folder holds ``case.yaml``::

    why: What changed, in one paragraph a reviewer can check.
    old: policy_versions/alibaba-cloud-privacy/2023-05-26.md   # a path from the repository root
    new: new.md            # a file next to case.yaml …
    edits:                 # … or find/replace edits of the old file (each find occurs once)
      - find: We will not entrust
        replace: We will entrust
    expect:                # what a user must see, checked before the goldens
      level: publish       # or level_at_least: publish
      changes: 1           # number of changes
      substantive: 1       # number of substantive changes
      kinds: [moved, renumbered]          # the only kinds allowed
      count: {split: 1, renumbered: 5}    # exact counts per kind
      tripwires: [negation]               # every substantive change names one of these

and the expected outputs, ``expected.json`` (the report) and ``expected.txt`` (its text
rendering), regenerated with ``python -m pytest --regen-goldens`` and reviewed by hand.
Sources in reports are paths relative to the repository root, so goldens hold no machine data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.judge.criteria import load_pack
from analyzer.model import ClauseTree, Report
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"


@dataclass(frozen=True)
class DiffCase:
    name: str
    folder: Path
    why: str
    old_source: str
    old_bytes: bytes
    new_source: str
    new_bytes: bytes
    new_name: str
    """File name the new side is read as (its extension decides the format)."""
    expect: dict[str, Any]

    def trees(self) -> tuple[ClauseTree, ClauseTree]:
        old = parse(read_document(self.old_bytes, self.old_source))
        new = parse(read_document(self.new_bytes, self.new_source, name=self.new_name))
        return old, new

    def report(self) -> Report:
        old, new = self.trees()
        return analyze(old, new, pack=load_pack("seed-9.4"))


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.glob("diff-*") if (p / "case.yaml").is_file())


def load_case(name: str) -> DiffCase:
    folder = CASES / name
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    old_source = spec["old"]
    old_bytes = (ROOT / old_source).read_bytes()
    if "new" in spec:
        new_path = folder / spec["new"]
        new_source = new_path.relative_to(ROOT).as_posix()
        new_bytes = new_path.read_bytes()
        new_name = new_path.name
    else:
        text = old_bytes.decode("utf-8")
        for edit in spec.get("edits") or []:
            found = text.count(edit["find"])
            if found != 1:
                raise ValueError(f"{name}: edit find occurs {found} times: {edit['find']!r}")
            text = text.replace(edit["find"], edit["replace"])
        new_source = (folder / "case.yaml").relative_to(ROOT).as_posix()
        new_bytes = text.encode("utf-8")
        new_name = Path(old_source).name
    return DiffCase(
        name=name,
        folder=folder,
        why=" ".join(str(spec["why"]).split()),
        old_source=old_source,
        old_bytes=old_bytes,
        new_source=new_source,
        new_bytes=new_bytes,
        new_name=new_name,
        expect=dict(spec.get("expect") or {}),
    )
