"""The blind judgement sets: labelled revisions written before any evaluation.

- ``tests/cases/judgement-blind2/`` (71 revisions) was measured once blind (53 of 71
  decisions, 32 of 48 major revisions caught; BENCHMARKS.md, "Second blind set"), then used to
  find general faults. Its floors are the figures reached after those fixes. Each fix was made
  in general terms and tested on new cases in other wording in ``tests/cases/judgement/``.
- ``tests/cases/judgement-blind3/`` (45 revisions) was written by someone who never read the
  analyzer, its vocabulary or the other cases. Its blind figures are in BENCHMARKS.md ("Third
  blind set"); its floors are those after one general fix (see below).

A case that starts failing is not fixed by editing rules until it passes, but by the route
above. Recall of major revisions comes first: no revision the labels mark ``consent`` may be
decided ``none`` or ``publish``, and no major revision may be decided ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from analyzer.model import level_rank
from tests.helpers.judgement_cases import (
    BLIND2,
    BLIND3,
    BLIND4,
    BLIND5,
    BLIND6,
    BLIND7,
    BLIND8,
    BLIND9,
    BLIND10,
    BLIND11,
    CORPUS,
    FINAL1,
    FINAL2,
    FINAL3,
    FINAL4,
    FINAL5,
    FINAL6,
    uses_corpus,
)
from tests.helpers.judging import Tally, judged_cases


@dataclass(frozen=True)
class BlindSet:
    folder: Path
    size: tuple[int, int, int]
    """Revisions, major ones, editorial ones."""
    blind: dict[str, float]
    """The first (blind) run."""
    floor: dict[str, float]
    """What the judgement must keep reaching."""


SETS = {
    "blind2": BlindSet(
        BLIND2,
        (71, 48, 23),
        blind={"decisions": 53, "major_caught": 32, "editorial_raised": 1, "f1": 0.74},
        # after the fixes (no longer blind): every decision right, one criterion beyond the
        # labels (9.4.1 on a new subprocessor's purpose)
        floor={"decisions": 71, "major_caught": 48, "editorial_raised": 0, "f1": 0.99},
    ),
    "blind3": BlindSet(
        BLIND3,
        (45, 28, 17),
        # first run on the code of its day (42 of 45); after the second blind set's fixes,
        # which had never seen it either, 43 of 45 and 27 of 28 major caught; the floor is the
        # run after one general fix its miss pointed at (tables laid out with spaces in plain
        # text), so no longer blind for that case
        blind={"decisions": 42, "major_caught": 26, "editorial_raised": 0, "f1": 0.85},
        floor={"decisions": 44, "major_caught": 28, "editorial_raised": 0, "f1": 0.88},
    ),
    # blind4-6 (issue 13): written by two helpers who never read the analyzer; first run on
    # main 1578ce0 before any change (BENCHMARKS.md, "Fourth to sixth blind sets")
    # (floors: the figures after the fixes, which no longer are blind)
    "blind4": BlindSet(
        BLIND4,
        (55, 33, 22),
        blind={"decisions": 31, "major_caught": 20, "editorial_raised": 5, "f1": 0.55},
        floor={"decisions": 55, "major_caught": 33, "editorial_raised": 0, "f1": 0.99},
    ),
    "blind5": BlindSet(
        BLIND5,
        (39, 23, 16),
        blind={"decisions": 28, "major_caught": 18, "editorial_raised": 1, "f1": 0.666},
        floor={"decisions": 38, "major_caught": 23, "editorial_raised": 0, "f1": 0.93},
    ),
    "blind6": BlindSet(
        BLIND6,
        (27, 16, 11),
        blind={"decisions": 17, "major_caught": 16, "editorial_raised": 4, "f1": 0.68},
        floor={"decisions": 26, "major_caught": 16, "editorial_raised": 0, "f1": 0.92},
    ),
    # blind7 (issue 13, second round): written by a helper who never read the analyzer, first
    # run on main bb97d44; final1: the first final set, run once untouched at ef467b8 (recall
    # 0.82, F1 0.83), then seen: its misses, with blind7's, pointed at general mechanisms
    # (tests/judge/test_mechanisms.py); a new final set was written for the one run after them
    "blind7": BlindSet(
        BLIND7,
        (38, 22, 16),
        blind={"decisions": 31, "major_caught": 19, "editorial_raised": 2, "f1": 0.82},
        floor={"decisions": 38, "major_caught": 22, "editorial_raised": 0, "f1": 0.96},
    ),
    "final1": BlindSet(
        FINAL1,
        (37, 22, 15),
        blind={"decisions": 31, "major_caught": 18, "editorial_raised": 0, "f1": 0.83},
        floor={"decisions": 37, "major_caught": 22, "editorial_raised": 0, "f1": 0.94},
    ),
    # final2: written with blind7, kept out of sight, run once at 80c0d39 (below the targets:
    # BENCHMARKS.md), then seen: its misses pointed at four more general mechanisms
    "final2": BlindSet(
        FINAL2,
        (36, 21, 15),
        blind={"decisions": 31, "major_caught": 20, "editorial_raised": 1, "f1": 0.82},
        floor={"decisions": 34, "major_caught": 21, "editorial_raised": 0, "f1": 0.90},
    ),
    # blind8 and final3 (third round): written blind by a helper; blind8's first run at
    # 39fae8e pointed at general mechanisms; final3 was run once untouched at 471dde4 (below
    # the targets: BENCHMARKS.md), then seen: its misses pointed at a few more
    "blind8": BlindSet(
        BLIND8,
        (41, 23, 18),
        blind={"decisions": 31, "major_caught": 20, "editorial_raised": 4, "f1": 0.82},
        floor={"decisions": 40, "major_caught": 22, "editorial_raised": 0, "f1": 0.97},
    ),
    "final3": BlindSet(
        FINAL3,
        (42, 25, 17),
        blind={"decisions": 33, "major_caught": 21, "editorial_raised": 4, "f1": 0.75},
        floor={"decisions": 41, "major_caught": 24, "editorial_raised": 0, "f1": 0.95},
    ),
    # blind9 and final4 (fourth round): blind9's first run at 9679807 pointed at general
    # mechanisms; final4 was run once untouched at 5c7c156 (recall 0.963, 1 of 18 raised, F1
    # 0.89: BENCHMARKS.md), then seen: its misses pointed at a few more
    "blind9": BlindSet(
        BLIND9,
        (37, 22, 15),
        blind={"decisions": 35, "major_caught": 21, "editorial_raised": 1, "f1": 0.94},
        floor={"decisions": 37, "major_caught": 22, "editorial_raised": 0, "f1": 0.96},
    ),
    "final4": BlindSet(
        FINAL4,
        (45, 27, 18),
        blind={"decisions": 41, "major_caught": 26, "editorial_raised": 1, "f1": 0.89},
        floor={"decisions": 45, "major_caught": 27, "editorial_raised": 0, "f1": 0.94},
    ),
    # blind10 (fifth round): first run at c1bc38b, then used to fix general mechanisms
    "blind10": BlindSet(
        BLIND10,
        (35, 21, 14),
        blind={"decisions": 33, "major_caught": 21, "editorial_raised": 2, "f1": 0.94},
        floor={"decisions": 35, "major_caught": 21, "editorial_raised": 0, "f1": 0.97},
    ),
    # final5: written with blind10, kept out of sight, run once at 85f7c94 (recall 0.958, 1 of
    # 16 raised, F1 0.90: BENCHMARKS.md), then seen
    "final5": BlindSet(
        FINAL5,
        (40, 24, 16),
        blind={"decisions": 37, "major_caught": 23, "editorial_raised": 1, "f1": 0.90},
        floor={"decisions": 39, "major_caught": 24, "editorial_raised": 0, "f1": 0.93},
    ),
    # blind11 (sixth round): first run at a82795f, then used to fix general mechanisms
    "blind11": BlindSet(
        BLIND11,
        (39, 23, 16),
        blind={"decisions": 33, "major_caught": 22, "editorial_raised": 3, "f1": 0.84},
        floor={"decisions": 38, "major_caught": 23, "editorial_raised": 0, "f1": 0.92},
    ),
    # final6: written with blind11, kept out of sight, run once at 319fa25 (recall 0.88, 1 of
    # 18 raised, F1 0.87: BENCHMARKS.md), then seen
    "final6": BlindSet(
        FINAL6,
        (43, 25, 18),
        blind={"decisions": 39, "major_caught": 22, "editorial_raised": 1, "f1": 0.87},
        floor={"decisions": 43, "major_caught": 25, "editorial_raised": 0, "f1": 0.95},
    ),
}


def _outcomes(folder: Path):
    if uses_corpus(folder) and not CORPUS.is_dir():
        pytest.skip(f"{folder.name} reads the shared corpus, not available at {CORPUS}")
    return judged_cases(folder)


def _tally(folder: Path) -> Tally:
    tally = Tally()
    for outcome in _outcomes(folder):
        tally.add(outcome)
    return tally


@pytest.mark.parametrize("name", sorted(SETS))
def test_figures_do_not_fall_below_the_floor(name: str) -> None:
    spec = SETS[name]
    tally = _tally(spec.folder)
    assert (tally.pairs, tally.major_total, tally.editorial_total) == spec.size
    assert tally.correct >= spec.floor["decisions"], tally.misses
    assert tally.major_caught >= spec.floor["major_caught"], tally.misses
    assert tally.editorial_raised <= spec.floor["editorial_raised"], tally.misses
    assert tally.prf()[2] >= spec.floor["f1"] - 1e-9, tally.table()


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_floor_is_no_lower_than_the_blind_run(name: str) -> None:
    spec = SETS[name]
    for key in ("decisions", "major_caught", "f1"):
        assert spec.floor[key] >= spec.blind[key]
    assert spec.floor["editorial_raised"] <= spec.blind["editorial_raised"]


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_consent_revision_is_decided_editorial(name: str) -> None:
    missed = [
        f"{o.name}: {o.got}"
        for o in _outcomes(SETS[name].folder)
        if o.expected == "consent" and level_rank(o.got) < level_rank("popup")
    ]
    assert missed == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_major_revision_is_decided_none(name: str) -> None:
    missed = [
        o.name
        for o in _outcomes(SETS[name].folder)
        if level_rank(o.expected) >= level_rank("popup") and o.got == "none"
    ]
    assert missed == []
