"""Every consecutive pair of versions in the shared corpus diffs without error (lexical
similarity only, to keep the run short), with a report that keeps its own invariants."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from analyzer.diff.changes import side_text
from analyzer.diff.redline import new_text, old_text
from analyzer.judge.criteria import load_pack
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from analyzer.render import render_json, render_markdown, render_text

DOCUMENTS = [
    "automattic-legalmattic/automattic-privacy-policy",
    "basecamp-policies/basecamp-privacy-policy",
    "github-site-policy/github-privacy-statement",
    "github-site-policy/github-terms-of-service",
    "mozilla-legal-docs/firefox-privacy-notice-en",
    "mozilla-legal-docs/firefox-privacy-notice-zh-cn",
]
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "analyzer/schemas/policy-diff-1.json").read_text()
)


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.split("/")[1] for d in DOCUMENTS])
def test_every_consecutive_pair_diffs(corpus_dir: Path, document: str) -> None:
    folder = corpus_dir / document
    files = [entry["file"] for entry in json.loads((folder / "versions.json").read_text())]
    assert len(files) >= 2
    pack = load_pack()
    validator = jsonschema.Draft202012Validator(SCHEMA)
    previous = None
    for name in files:
        tree = parse(read_document((folder / name).read_bytes(), f"{document}/{name}"))
        if previous is not None:
            report = analyze(previous, tree, pack=pack)
            where = f"{previous.source} -> {tree.source}"
            assert report.decision.level in ("none", "publish", "popup", "consent"), where
            for change in report.changes:
                assert old_text(change.inline) == side_text(change.old), (where, change.id)
                assert new_text(change.inline) == side_text(change.new), (where, change.id)
            document_json = json.loads(render_json(report))
            assert validator.is_valid(document_json), where
            render_text(report)
            render_markdown(report)
        previous = tree
