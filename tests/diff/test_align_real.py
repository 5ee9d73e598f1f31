"""Alignment on parsed documents: the seed with known edits, and real corpus revisions."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analyzer.diff.align import align_clauses
from analyzer.diff.redline import changed_regions, redline
from analyzer.model import Alignment, ClauseTree
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.text.normalize import content_hash


class RecordingEmbedder:
    """Records every call; the vectors say every text is unlike every other."""

    model_id = "fake/recording@0"
    languages = frozenset({"en"})

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.eye(len(texts), max(len(texts), 1), dtype=np.float32)


def _parse(path: Path) -> ClauseTree:
    return parse(read_document(path.read_bytes(), path.name))


def _edit(tree: ClauseTree, needle: str, old: str, new: str) -> ClauseTree:
    clauses = list(tree.clauses)
    k = next(i for i, c in enumerate(clauses) if needle in c.text)
    c = clauses[k]
    text = c.text.replace(old, new)
    hashed = " ".join(p for p in (c.heading, text) if p)
    clauses[k] = replace(c, text=text, hash=content_hash(hashed))
    return replace(tree, clauses=tuple(clauses))


def _one_to_one(old: ClauseTree, new: ClauseTree, al: Alignment) -> None:
    olds = [o for m in al.matches for o in m.old] + list(al.removed)
    news = [n for m in al.matches for n in m.new] + list(al.added)
    assert sorted(olds) == sorted(c.id for c in old.clauses)
    assert sorted(news) == sorted(c.id for c in new.clauses)


def test_seed_with_one_edited_clause_loads_no_model(seed_path: Path) -> None:
    old = _parse(seed_path)
    new = _edit(old, "400-80-13260", "400-80-13260", "95187")
    embedder = RecordingEmbedder()
    al = align_clauses(old, new, embedder=embedder)
    assert embedder.calls == []
    assert not al.model_loaded and al.embedded == 0
    changed = [m for m in al.matches if m.method != "identical"]
    assert len(changed) == 1 and changed[0].method == "lexical"
    assert not any(m.moved or m.renumbered for m in al.matches)
    old_text = old.by_id()[changed[0].old[0]].text
    new_text = new.by_id()[changed[0].new[0]].text
    assert changed_regions(redline(old_text, new_text)) == [("400-80-13260", "95187")]


def test_seed_aligned_with_itself(seed_path: Path) -> None:
    tree = _parse(seed_path)
    al = align_clauses(tree, tree, embedder=RecordingEmbedder())
    assert len(al.matches) == len(tree.clauses)
    assert all(m.method == "identical" and not m.moved for m in al.matches)


def _corpus_pair(corpus_dir: Path, document: str, old: str, new: str) -> tuple[ClauseTree, ...]:
    folder = corpus_dir / document
    return _parse(folder / old), _parse(folder / new)


def test_effective_date_and_licence_edits_are_settled_in_place(corpus_dir: Path) -> None:
    # GitHub, October 2017: the effective date changed and the licence moved from CC-BY to CC0
    old, new = _corpus_pair(
        corpus_dir, "github-site-policy/github-privacy-statement", "2017-06-09.md", "2017-10-12.md"
    )
    embedder = RecordingEmbedder()
    al = align_clauses(old, new, embedder=embedder)
    assert embedder.calls == [], "edits where they stood need no model"
    assert al.removed == al.added == ()
    assert not any(m.moved for m in al.matches)
    assert sum(m.method == "lexical" for m in al.matches) == 3


def test_list_reattached_by_the_parser_is_not_a_move(corpus_dir: Path) -> None:
    # April 2021: "- We may use your information…" became a paragraph, so the parser hangs the
    # list under it; the clauses did not move.
    old, new = _corpus_pair(
        corpus_dir, "github-site-policy/github-privacy-statement", "2021-01-06.md", "2021-04-16.md"
    )
    al = align_clauses(old, new)
    assert not any(m.moved for m in al.matches)
    assert al.removed == al.added == ()


@pytest.mark.slow
def test_every_corpus_revision_aligns_one_to_one(corpus_dir: Path) -> None:
    revisions = 0
    for versions in sorted(corpus_dir.glob("*/*/versions.json")):
        files = [v["file"] for v in json.loads(versions.read_text(encoding="utf-8"))]
        trees = [_parse(versions.parent / f) for f in files]
        for old, new in itertools.pairwise(trees):
            al = align_clauses(old, new)
            _one_to_one(old, new, al)
            # a text found once on each side is always its own counterpart
            once_old = Counter(c.hash for c in old.clauses if c.text or c.heading)
            once_new = Counter(c.hash for c in new.clauses if c.text or c.heading)
            new_of = {c.hash: c.id for c in new.clauses}
            by_old = {o: m for m in al.matches for o in m.old}
            for c in old.clauses:
                if once_old[c.hash] == 1 and once_new[c.hash] == 1:
                    m = by_old[c.id]
                    assert m.method == "identical" and m.new == (new_of[c.hash],), (c.id, m)
            revisions += 1
    assert revisions == 242 - 6
