"""Small archives for ``policy corpus``, and the corpus commands run as a user runs them.

:func:`make_archive` writes two policies in the ``policy_versions/`` layout (generated from the
shipped versions by ``bench/archive_synth.py``) and one document in the corpus layout with a
``versions.json`` (same-day ``-N`` versions, declared notices). :func:`analyze` runs ``policy
corpus analyze --no-model`` in a child process; :func:`tables` reads both tables back without
the columns that measure the run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from tests.helpers.child_process import ROOT, Run, policy

sys.path.insert(0, str(ROOT / "bench"))

import archive_synth

SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy"
TIMING = {"seconds"}
"""Columns that measure a run (they differ between two runs over the same inputs)."""


def _body(name: str) -> str:
    raw = (SEED / name).read_text(encoding="utf-8")
    return raw.split("\n---\n", 1)[1]


def make_archive(root: Path) -> Path:
    """Two policies in the policy_versions/ layout and one in the corpus layout."""
    archive_synth.write_archive(
        root, archive_synth.shipped_sources(), policies=2, versions=3, layout="versions"
    )
    doc = root / "example-source" / "example-doc"
    doc.mkdir(parents=True)
    base = _body("2024-03-18.md")
    texts = {
        "2024-01-01.md": base,
        "2024-01-01-2.md": base.replace(
            "We will not entrust your personally identifiable information to partners",
            "We will entrust your personally identifiable information to partners",
        ),
        "2024-01-01-10.md": base.replace(
            "We will not entrust your personally identifiable information to partners",
            # a sale to data brokers: major on any reading (the clause already concerned
            # advertising partners, so naming them alone is a clarification)
            "We will sell your personally identifiable information to data brokers",
        ),
    }
    for name, text in texts.items():
        (doc / name).write_text(text, encoding="utf-8")
    entries = [
        {"file": "2024-01-01.md", "source_says": []},
        {
            "file": "2024-01-01-2.md",
            "source_says": [{"kind": "notice_timing", "quote": "30-day notice", "where": "PR"}],
        },
        {"file": "2024-01-01-10.md", "source_says": [], "in_doc_date_changed": True},
    ]
    (doc / "versions.json").write_text(json.dumps(entries), encoding="utf-8")
    (doc / "document.json").write_text(json.dumps({"language": "en"}), encoding="utf-8")
    return root


def analyze(archive: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    run = policy(
        "corpus", "analyze", "--versions", str(archive), "--out", str(out), "--no-model", *args,
        cwd=out.parent, timeout=600, env=env,
    )  # fmt: skip
    assert run.code == 0, run.stderr[-3000:]
    return run


def tables(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Both tables as rows, without the columns that measure the run."""
    revisions = pq.read_table(out / "revisions.parquet").to_pylist()
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    return [{k: v for k, v in r.items() if k not in TIMING} for r in revisions], findings
