"""The detectors that read restriction patterns and cue words (:mod:`analyzer.judge.cues`):
``rights-restriction``, ``negation-flip`` and ``section-context``.

:func:`rights_restriction` applies the consent criteria's restriction patterns to a change's
fact differences (a right or channel removed, a right denied, a fee added, a deadline
lengthened …) and finds a company commitment weakened in a sentence about a right;
:func:`negation_flip` finds a negation or modal verb turned in a sentence about sharing,
collection, rights, control or risk; :func:`section_context`, when nothing else fired, a
negation turned in a sentence without such facts under headings that speak of a criterion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from analyzer.facts.items import Item
from analyzer.facts.types import Fact, FactChange
from analyzer.judge.criteria import Criterion
from analyzer.judge.cues import CueChange, cue_changes
from analyzer.judge.evidence import Context, kind_label, shown_words
from analyzer.judge.wording import quote, spec_matches
from analyzer.model import Change, Finding
from analyzer.text.compiled import regex

__all__ = ["negation_flip", "rights_restriction", "section_context"]


_RESTRICTION_STATEMENTS = {"right": ("right",), "channel": ("right", "contact")}
"""Restriction patterns on facts a statement must confirm: a right's words gone from one
clause restrict nothing while the policy still grants it elsewhere."""


def _known(match: Fact | FactChange, change: Change, ctx: Context, gone: bool) -> bool:
    """Whether the statements of the change's clauses speak of the fact a restriction
    pattern matched (then their comparison decides whether anything was taken away)."""
    if isinstance(match, FactChange):
        item = Item(match.kind, match.before, match.after, match.how)
    elif gone:
        item = Item(match.kind, match, None, "removed")
    else:
        item = Item(match.kind, None, match, "added")
    return ctx.statements_know(change, item)


def rights_restriction(change: Change, ctx: Context) -> list[Finding]:
    """The consent criteria's restriction patterns over the change's fact differences, and a
    company commitment weakened (or the user's ability denied) in a sentence about a right."""
    view = ctx.view(change)
    found: list[Finding] = []
    told = ctx.statement_changes(change, all_changes=True)
    for criterion in ctx.consent_criteria():
        for restriction in criterion.restrictions:
            kinds = _RESTRICTION_STATEMENTS.get(restriction.fact)
            confirmed = kinds is None or any(sc.restricts and sc.kind in kinds for sc in told)
            for match in restriction.find(view.delta):
                if not confirmed and (
                    (restriction.fact == "right" and restriction.change == "removed")
                    or _known(match, change, ctx, restriction.change == "removed")
                ):
                    continue  # the statements say the right or the channel is still there
                if isinstance(match, FactChange):
                    before, after = match.before.text, match.after.text
                    facts: tuple[str, ...] = (match.before.label(), match.after.label())
                    if match.kind in ("deadline", "fee", "duration") or match.how in (
                        "increased",
                        "decreased",
                        "replaced",
                    ):
                        detail = f"{quote(before)} -> {quote(after)}"
                    else:
                        detail = (
                            f"'{quote(view.sentence(match.before, 'old'))}' -> "
                            f"'{quote(view.sentence(match.after, 'new'))}'"
                        )
                else:
                    gone = restriction.change == "removed"
                    single = Item(
                        match.kind,
                        match if gone else None,
                        None if gone else match,
                        "removed" if gone else "added",
                    )
                    before, after = shown_words(single, view)
                    facts = (match.label(),)
                    detail = f"'{quote(view.sentence(match, 'old' if gone else 'new'))}'"
                    if match.negated and before and after:
                        detail = f"'{quote(before)}' -> '{quote(after)}'"
                found.append(
                    view.finding(
                        criterion,
                        "rights-restriction",
                        f"{restriction.description.en}: {detail}",
                        before=before,
                        after=after,
                        confidence=0.85,
                        facts=(f"restriction:{restriction.id}", *facts),
                        restricts_rights=True,
                    )
                )
        for cue in cue_changes(view, ctx.language):
            if cue.restricts:
                found.append(
                    view.finding(
                        criterion,
                        "rights-restriction",
                        f"{cue.restricts}: '{quote(cue.words()[0])}' -> '{quote(cue.words()[1])}'",
                        before=cue.words()[0],
                        after=cue.words()[1],
                        confidence=0.75,
                        facts=(f"cue:{cue.kind}",),
                        restricts_rights=True,
                    )
                )
    return found


def _cue_criteria(cue: CueChange, ctx: Context) -> list[Criterion]:
    """Criteria a cue change concerns: among those listing the cue's kind as a tripwire, the
    ones whose fact specs the facts it turned (else the sentences' facts) match best. A value spec such as
    ``processing:share`` counts 2, a kind 1, a category of information ½: it is the object of
    nearly every sentence and says little about what the sentence does with it."""
    facts = cue.flipped or cue.facts
    labels = {(f.kind, f.value): f for f in facts if not _given_to_others(f, cue.facts)}
    scores: dict[str, float] = {}
    for criterion in ctx.popup_criteria():
        if cue.kind not in criterion.tripwires:
            continue
        score = 0.0
        for fact in labels.values():
            for spec in criterion.facts:
                kind, _, value = spec.partition(":")
                if fact.kind == kind and (not value or fact.value == value):
                    score += 2 if value else (0.5 if kind == "pi-category" else 1)
                    break
        if score:
            scores[criterion.id] = score
    if not scores:
        return []
    best = max(scores.values())
    return [c for c in ctx.popup_criteria() if scores.get(c.id, 0) == best]


_ONLY = regex(r"(?<![a-z])only(?![a-z])|仅|只")
_NONE_BUT = regex(
    r"(?<![a-z])(?:no|not|never|none)(?![a-z])[^.;]{0,16}?(?<![a-z])(?:except|other than"
    r"|apart from|besides|save)(?![a-z])|不[^，。；]{0,8}除"
)


_EXEMPT = regex(r"(?<![a-z])(?:exceptions?|exempt|exemptions?)(?![a-z])|例外|除外|豁免")
"""'Exceptions to consent' names the cases where no consent is needed: the noun carries the
negation that the other wording spells out (征得授权同意的例外 / 无需征得授权同意的情形)."""


def _same_limit(cue: CueChange) -> bool:
    """'Only with the providers in 4.2' and 'No, except for the providers in 4.2' set one
    limit: a negation with its exception is 'only' said the other way round. So do
    'exceptions to consent' and 'cases where consent is not needed'."""
    old, new = (w.casefold() for w in cue.words())
    return bool(
        (_ONLY.search(old) and _NONE_BUT.search(new))
        or (_ONLY.search(new) and _NONE_BUT.search(old))
        or (
            (_EXEMPT.search(old) is not None) != (_EXEMPT.search(new) is not None)
            and cue.kind == "negation"
        )
    )


def _given_to_others(fact: Fact, facts: Sequence[Fact]) -> bool:
    """'access' right after a recipient ('give law enforcement access to your clips'): access
    the company gives others, not the user's right of access."""
    return fact.kind == "right" and any(
        g.kind == "recipient" and 0 <= fact.span[0] - g.span[1] <= 2 for g in facts
    )


def _flip_labels(cue: CueChange) -> tuple[str, ...]:
    """Labels of the facts a cue turned, as they read before and after ('recipient:not
    partners', 'recipient:partners'), so that ``fact-change`` does not repeat them."""
    out: list[str] = []
    for f in cue.flipped:
        out += [replace(f, negated=not f.negated).label(), f.label()]
    return tuple(out)


def _modal_matters(cue: CueChange) -> bool:
    """A modal change counts when it moves between possibility and commitment ('may share'
    -> 'will share', 'will delete' -> 'may delete'), not between two commitments."""
    old_rank, new_rank = cue.strength()
    return (old_rank == 1) != (new_rank == 1) and old_rank > 0 and new_rank > 0


def negation_flip(change: Change, ctx: Context) -> list[Finding]:
    """A negation added or removed, or a modal verb moved between possibility and commitment,
    in a sentence whose facts are about sharing, collection, rights, control or risk ('will
    not entrust' -> 'will entrust'). The cue must turn a fact the sentence states on both
    sides, or change while the sentence keeps its facts ('will no longer process' -> 'may
    continue to process'); a rewritten sentence is left to its facts."""
    view = ctx.view(change)
    found: list[Finding] = []
    if ctx.polarity_kept(change):
        return found  # every statement of the clause says what it said, negation included
    if any(sc.restricts for sc in ctx.statement_changes(change)):
        return found  # the statement that turned is told by the statement-change detector
    for cue in cue_changes(view, ctx.language):
        if cue.kind == "modality" and not _modal_matters(cue):
            continue
        if not cue.flipped and not cue.same_facts:
            continue  # the sentence was rewritten: its facts speak for themselves
        if cue.kind == "negation" and _same_limit(cue):
            continue
        for criterion in _cue_criteria(cue, ctx):
            topic = sorted(
                {
                    kind_label(f.kind)
                    for f in cue.facts
                    if spec_matches(criterion.facts, f) and not _given_to_others(f, cue.facts)
                }
            )
            what = "negation changed" if cue.kind == "negation" else "modal verb changed"
            found.append(
                view.finding(
                    criterion,
                    "negation-flip",
                    f"{what} in a sentence about {', '.join(topic)}: "
                    f"'{quote(cue.words()[0])}' -> '{quote(cue.words()[1])}'",
                    before=cue.words()[0],
                    after=cue.words()[1],
                    confidence=0.75 if cue.kind == "negation" else 0.6,
                    facts=(f"cue:{cue.kind}", *_flip_labels(cue)),
                )
            )
    return found


def section_context(change: Change, ctx: Context) -> list[Finding]:
    """A negation changed in a sentence without facts any criterion lists, in a clause whose
    section headings speak of a criterion's subject and that lists negation as a tripwire.
    Runs only when the detectors above found nothing on the change."""
    view = ctx.view(change)
    headings = " / ".join(h for h in (view.old_headings, view.new_headings) if h)
    if not headings:
        return []
    found: list[Finding] = []
    for cue in cue_changes(view, ctx.language):
        if cue.kind != "negation" or _cue_criteria(cue, ctx) or _same_limit(cue):
            continue
        scores = {
            c.id: ctx.context_score(c, "", headings)
            for c in ctx.popup_criteria()
            if "negation" in c.tripwires
        }
        best = max(scores.values(), default=0)
        if best == 0:
            continue
        for criterion in ctx.popup_criteria():
            if scores.get(criterion.id) != best:
                continue
            found.append(
                view.finding(
                    criterion,
                    "section-context",
                    f"negation changed in section '{quote(view.new_headings or view.old_headings, 60)}': "
                    f"'{quote(cue.words()[0])}' -> '{quote(cue.words()[1])}'",
                    before=cue.words()[0],
                    after=cue.words()[1],
                    confidence=0.5,
                    facts=("cue:negation",),
                )
            )
    return found
