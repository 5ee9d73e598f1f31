"""The held-out judgement set (``tests/cases/judgement-holdout/``): never tuned on.

Its figures were measured once, blind, and are reported in BENCHMARKS.md ("Judgement"); they
are asserted here as floors, so that a change that makes the judgement worse on revisions it
was not built on shows. A case that starts failing is not fixed by editing rules until it
passes: write a case of the same kind, in other words, into ``tests/cases/judgement/``.
"""

from __future__ import annotations

from tests.helpers.judgement_cases import HOLDOUT
from tests.helpers.judging import Tally, judged_cases

BLIND = {"decisions": 22, "major_caught": 16, "editorial_raised": 1, "f1": 0.83}
"""The first (blind) run: 22 of 25 decisions right, 16 of 18 major revisions caught, 1 of 7
editorial revisions raised, criteria micro-F1 0.83."""


def test_held_out_figures_do_not_fall_below_the_blind_run() -> None:
    tally = Tally()
    for outcome in judged_cases(HOLDOUT):
        tally.add(outcome)
    assert tally.pairs == 25 and tally.major_total == 18
    assert tally.correct >= BLIND["decisions"], tally.misses
    assert tally.major_caught >= BLIND["major_caught"], tally.misses
    assert tally.editorial_raised <= BLIND["editorial_raised"], tally.misses
    assert tally.prf()[2] >= BLIND["f1"] - 1e-9, tally.table()
