"""Issue 3 acceptance, small: known edits applied to real trees are recovered by the alignment.

The full run (more trials, the whole corpus) is ``python bench/mutation_harness.py --corpus``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import mutation_harness as harness


@pytest.mark.parametrize("profile", ["light", "heavy"])
def test_seed_mutations_are_recovered(profile: str) -> None:
    trees = [("seed", harness.seed_tree())]
    score = harness.total(harness.run(trees, trials=6, seed=7, profile=profile))
    assert score.true_pairs > 500
    assert score.f1 >= 0.95, score
    assert score.moves >= 6
    assert score.move_recall >= 0.9, score
    assert score.move_precision >= 0.9, score


def test_the_harness_knows_what_it_did() -> None:
    import random

    tree = harness.seed_tree()
    new, truth = harness.mutate(tree, random.Random(3), "heavy")
    old_ids = {c.id for c in tree.clauses}
    new_ids = {c.id for c in new.clauses}
    assert {o for o, _ in truth.pairs} <= old_ids and {n for _, n in truth.pairs} <= new_ids
    assert len(old_ids - {o for o, _ in truth.pairs}) >= 3, "deletions leave old clauses out"
    assert len(new_ids - {n for _, n in truth.pairs}) >= 3, "insertions add new ones"
    assert any(m.startswith("split") for m in truth.mutations)
    assert any(m.startswith("merge") for m in truth.mutations)
    assert truth.moved


@pytest.mark.slow
def test_corpus_mutations_are_recovered(corpus_dir: Path) -> None:
    trees = harness.corpus_trees(corpus_dir)
    assert len(trees) == 6
    score = harness.total(harness.run(trees, trials=3, seed=11, profile="heavy"))
    assert score.f1 >= 0.95, score
    assert score.move_recall >= 0.9, score
