"""Changes -> findings: which criterion of the pack each change meets, and on what evidence.

Each detector is a small function registered by name (:data:`DETECTORS`) that takes one
change and the revision's :class:`~analyzer.judge.evidence.Context` and returns
:class:`~analyzer.model.Finding` records. They run in registration order, most specific first;
a later detector does not repeat what an earlier one said about the same facts of the same
change:

0. ``statement-change``: what the revision states differently at policy level
   (:mod:`analyzer.statements`): a promise reversed, withdrawn or narrowed, a right no longer
   granted, a channel gone, a deadline lengthened or imposed, a fee, with the consent criteria
   when it restricts what users were promised; the fact detectors below defer to it where the
   statements say a fact only moved.
1. ``contact-change``: a phone number, e-mail or postal address, responsible department,
   complaint channel or contact channel named, dropped or replaced (a web address only in a
   sentence about contacting or complaining).
2. ``contact-details``: in a contact sentence, digits or capitalised names changed that the
   vocabulary has no kind for (a street, a department's name) -- only when nothing above fired.
3. ``value-change``: a reply deadline, retention period or fee with another value, or a
   duration changed in a sentence about the user's rights.
4. ``rights-restriction``: the consent criteria's restriction patterns (a right or channel
   removed, a right denied, a fee added, a deadline lengthened, the promise not to restrict
   rights removed), and a company commitment weakened in a sentence about a right.
5. ``negation-flip``: a negation or modal verb changed in a sentence about sharing,
   collection, rights, control or risk; the sentence's facts say which criterion.
6. ``fact-change``: any other fact a popup criterion lists (a category of information, a
   purpose, a recipient, a right, a controller, a risk …) new to the policy, gone from it, or
   newly stated together with another (a category now used for a purpose).
7. ``section-context``: a negation changed in a sentence without such facts, in a section
   whose headings speak of a criterion's subject -- only when nothing above fired.
8. ``prototype-similarity``: a sentence added or removed whole that is close to a criterion's
   prototype sentences, by the sentence embedder, for substantive changes no detector above
   explained (English only; a revision the cheaper detectors explain never loads the model).

The detectors live by job in :mod:`~analyzer.judge.statement_detector`,
:mod:`~analyzer.judge.contact_detectors`, :mod:`~analyzer.judge.fact_detectors`,
:mod:`~analyzer.judge.cue_detectors` and :mod:`~analyzer.judge.prototype_detector`; this module
registers them in the order they run and runs them (:func:`classify`).

**Editorial changes never trigger a criterion**: detectors only see substantive changes.
What counts as a fact difference (new to the policy, a new pairing …) is decided in
:mod:`analyzer.judge.evidence`, so that a sentence that only moved or was restated says nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from analyzer.diff.embedding import Embedder
from analyzer.judge.contact_detectors import contact_change, contact_details
from analyzer.judge.criteria import CriteriaPack
from analyzer.judge.cue_detectors import negation_flip, rights_restriction, section_context
from analyzer.judge.evidence import Context
from analyzer.judge.fact_detectors import fact_change, value_change
from analyzer.judge.prototype_detector import (
    PROTOTYPE_THRESHOLD,
    prepare_prototypes,
    prototype_similarity,
    worth_embedding,
)
from analyzer.judge.statement_detector import restated, statement_change
from analyzer.model import Change, ClauseTree, Finding

__all__ = ["DETECTORS", "PROTOTYPE_THRESHOLD", "Detector", "classify", "detector"]

Detector = Callable[[Change, Context], list[Finding]]
Phase = Literal["always", "unexplained", "model"]


@dataclass(frozen=True)
class Registered:
    """A detector and when it runs."""

    name: str
    function: Detector
    phase: Phase
    """``always``: on every substantive change; ``unexplained``: on a substantive change the
    detectors before it found nothing on; ``model``: like ``unexplained``, after all the others,
    with the embedder's vectors of the revision's unexplained sentences prepared in one batch."""


DETECTORS: dict[str, Registered] = {}
"""Detectors by name, in the order they run."""


def detector(name: str, *, phase: Phase = "always") -> Callable[[Detector], Detector]:
    """Register a detector under ``name``."""

    def register(function: Detector) -> Detector:
        if name in DETECTORS:
            raise ValueError(f"detector {name!r} registered twice")
        DETECTORS[name] = Registered(name, function, phase)
        return function

    return register


# The detectors by name, in the order they run: most specific first.
detector("statement-change")(statement_change)
detector("contact-change")(contact_change)
detector("contact-details", phase="unexplained")(contact_details)
detector("value-change")(value_change)
detector("rights-restriction")(rights_restriction)
detector("negation-flip")(negation_flip)
detector("fact-change")(fact_change)
detector("section-context", phase="unexplained")(section_context)
detector("prototype-similarity", phase="model")(prototype_similarity)


def _claimed(found: Sequence[Finding], new: Finding) -> bool:
    """An earlier finding of the same change and criterion already covers these facts (the
    name of the restriction pattern that matched aside)."""
    facts = _plain_facts(new)
    for f in found:
        if f.criterion != new.criterion:
            continue
        if f.facts == new.facts or (facts and facts <= _plain_facts(f)):
            return True
    return False


def _plain_facts(finding: Finding) -> set[str]:
    return {x for x in finding.facts if not x.startswith("restriction:")}


def classify(
    changes: Sequence[Change],
    old: ClauseTree,
    new: ClauseTree,
    *,
    pack: CriteriaPack,
    embedder: Embedder | None = None,
) -> tuple[tuple[Change, ...], tuple[str, ...], int]:
    """The changes with :attr:`Change.findings` filled, warnings, and how many sentences were
    given to the embedder (0 when the model was not needed).

    Editorial changes get no finding. Detectors run on every substantive change in
    registration order (``unexplained`` ones only where none before fired); ``model`` ones
    only on substantive changes none of the others explained, when there is an embedder.
    """
    ctx = Context(old, new, pack, embedder)
    changes = restated(changes, ctx)
    ctx.assign_statements(changes)
    findings: dict[str, list[Finding]] = {c.id: [] for c in changes}
    substantive = [c for c in changes if c.nature == "substantive"]
    for change in substantive:
        own = findings[change.id]
        for registered in DETECTORS.values():
            if registered.phase == "model" or (registered.phase == "unexplained" and own):
                continue
            own += [f for f in registered.function(change, ctx) if not _claimed(own, f)]
    model_detectors = [d for d in DETECTORS.values() if d.phase == "model"]
    unexplained = [c for c in substantive if not findings[c.id] and worth_embedding(ctx.view(c))]
    if model_detectors and unexplained and embedder is not None:
        prepare_prototypes(unexplained, ctx)
        for change in unexplained:
            own = findings[change.id]
            for registered in model_detectors:
                own += [f for f in registered.function(change, ctx) if not _claimed(own, f)]
    rank = {name: k for k, name in enumerate(DETECTORS)}
    out = tuple(
        replace(
            c,
            findings=tuple(
                sorted(
                    findings[c.id],
                    key=lambda f: (f.criterion, rank.get(f.detector, 99), f.evidence),
                )
            ),
        )
        for c in changes
    )
    embedded = ctx.scratch.get("embedded", 0)
    return out, tuple(ctx.warnings), embedded if isinstance(embedded, int) else 0
