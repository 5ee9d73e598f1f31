"""Changes -> Judgement: criteria findings and the decision level.

INTERIM: this build has no criteria classification. :func:`judge` implements only the part of
the section 9 rule that needs none: ``none`` when nothing changed, ``publish`` when something
did. Every criterion of the pack is listed, untriggered, and the decision says why. The
judgement stage replaces this module (and adds ``classify.py``) behind the same signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from .criteria import CriteriaPack
from .embedder import Embedder
from .model import Change, ClauseTree, CriterionResult, Decision

__all__ = ["NO_CLASSIFICATION", "Judgement", "judge"]

NO_CLASSIFICATION = "no criteria classification in this build"


@dataclass(frozen=True)
class Judgement:
    """What the judgement stage adds to a revision's changes."""

    changes: tuple[Change, ...]
    """The changes, with ``findings`` filled."""
    criteria: tuple[CriterionResult, ...]
    """Every criterion of the pack, triggered or not, in pack order."""
    decision: Decision
    """The level the revision needs and why."""
    warnings: tuple[str, ...] = ()
    """Anything the judgement could not do, one line each."""


def judge(
    changes: tuple[Change, ...],
    old: ClauseTree,
    new: ClauseTree,
    *,
    pack: CriteriaPack,
    embedder: Embedder | None,
) -> Judgement:
    """Judge a revision's changes against a criteria pack (interim: no classification)."""
    del old, embedder  # the real judgement reads them
    zh = new.language.split("-")[0].lower() == "zh"
    criteria = tuple(
        CriterionResult(
            id=c.id, title=c.title.zh if zh else c.title.en, triggered=False, changes=()
        )
        for c in pack.criteria
    )
    if not changes:
        decision = Decision("none", ("no textual change after normalisation",))
    else:
        substantive = sum(1 for c in changes if c.nature == "substantive")
        decision = Decision(
            "publish",
            (f"{len(changes)} change(s), {substantive} substantive; {NO_CLASSIFICATION}",),
        )
    return Judgement(changes=changes, criteria=criteria, decision=decision)
