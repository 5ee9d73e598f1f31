"""The ``statement-change`` detector, and when a fact difference defers to the statements.

:func:`statement_change` tells on a clause change what the revision states differently at
policy level (:mod:`analyzer.statements`): a promise reversed, withdrawn or narrowed, a right
no longer granted anywhere or now denied, a way of reaching the company gone, a time limit
imposed on the user, a fee; a more specific category of information, a company named as a new
recipient, contact details, a new controller, a high risk -- with the criteria the kind of
statement meets, and the consent criteria when it restricts what users were promised.

:func:`deferred` says when the fact detectors leave a fact difference to the statements: a
right mentioned or no longer mentioned while its grant is where it was, a channel, a company
or a retention period that only moved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from analyzer.facts.items import Item
from analyzer.facts.types import Fact
from analyzer.judge.criteria import Criterion
from analyzer.judge.evidence import Context
from analyzer.model import Change, Clause, Finding
from analyzer.statements import ATOM_KINDS, Statement, StatementChange
from analyzer.text.compiled import regex

__all__ = ["RESTATED", "deferred", "restated", "statement_change", "statement_fact_labels"]

RESTATED = "restated"
"""The substantive reason of a clause whose words did not change while what it states did
(see :data:`analyzer.diff.nature.SUBSTANTIVE_REASONS`)."""


_STATEMENT_PROBES = {
    "share": "recipient",
    "sell": "recipient",
    "abroad": "location",
    "collect": "pi-category",
    "use": "pi-category",
    "store": "pi-category",
    "right": "right",
    "deadline": "deadline",
    "fee": "fee",
    "contact": "phone",
    "controller": "controller",
    "risk": "risk",
    "retention": "retention",
}
"""For a statement change, a fact kind whose criteria it meets (share family -> the
recipients' criterion, a right -> the rights' criterion …): the pack says which criteria."""
_CONTACT_CHANNEL_TYPES = frozenset({"phone", "email", "postal"})
_SENSITIVE = regex(r"(?:biometric|id-document|health|financial|minors|sensitive|location)(?:/|$)")
"""Categories of information whose first collection or use is a new type of information
processed even where the policy already named them in passing."""


def _statement_criteria(sc: StatementChange, ctx: Context) -> list[Criterion]:
    statement = sc.after or sc.before
    assert statement is not None
    kinds = [_STATEMENT_PROBES.get(statement.family if sc.kind == "practice" else sc.kind, "")]
    if sc.kind == "practice" and statement.actor == "recipient":
        kinds = ["recipient"]  # what recipients may do with what they receive
    if sc.kind == "practice" and (
        sc.how == "consent-dropped" or any(c.startswith("right:") for c in statement.conditions)
    ):
        kinds = ["right"]  # what the company stops doing when a right is exercised: the right
    if sc.kind == "practice" and sc.how in ("added", "removed", "more-specific"):
        role = sc.subject.split("|")[1]
        kinds = ["recipient" if role in ("recipient", "given", "place") else "pi-category"]
    if sc.subject.startswith("channel|"):
        kinds = ["right"] + (
            ["phone"] if sc.subject.split("|")[1] in _CONTACT_CHANNEL_TYPES else []
        )
    found: list[Criterion] = []
    for kind in kinds:
        if kind:
            found += [c for c in ctx.criteria_for(Fact(kind, "", "", (0, 0))) if c not in found]
    return found


def _reported(sc: StatementChange) -> bool:
    """The statement changes this detector reports; the others (a category or a recipient new
    to the policy, a contact number replaced …) are told by the fact detectors below, from the
    same words."""
    if sc.restricts or sc.how in ("more-specific", "narrowed"):
        return True
    if sc.kind == "practice" and sc.how == "added":
        role = sc.subject.split("|")[1]
        if role == "object":
            return _SENSITIVE.match(sc.subject.split("|")[2]) is not None
        return role in ("given", "for", "place") or "org:" in sc.detail
    if sc.kind == "contact" and sc.subject == "contact|details":
        return True
    if sc.kind == "controller":
        return sc.how in ("added", "removed")
    if sc.kind == "right" and sc.how == "granted":
        return True
    if sc.kind == "deadline" and sc.how in ("added", "shortened"):
        return True
    if sc.subject.startswith("channel|") and sc.how in ("added", "replaced"):
        return True
    return sc.kind == "risk" and sc.how == "added"


_SAME_WORDS = frozenset(
    {"moved", "renumbered", "whitespace", "punctuation", "case", "reference", "split", "merged"}
)
"""Editorial reasons that leave a clause's words as they were."""


def statement_fact_labels(label: str) -> frozenset[str]:
    """The fact labels (``recipient:advertising-partners``, ``pi-category:device``) a
    ``statement:<how>:<subject>`` label of a practice added, dropped or made more specific is
    about, for readers of findings that speak in facts (notices); empty for any other label."""
    kind, _, rest = label.partition(":")
    how, _, subject = rest.partition(":")
    parts = subject.split("|")
    if kind != "statement" or how not in ("added", "removed", "more-specific") or len(parts) != 3:
        return frozenset()
    fact_kind = ATOM_KINDS.get(parts[1])
    if fact_kind is None or (parts[0] not in _STATEMENT_PROBES and parts[0] != "any"):
        return frozenset()
    first, pair, second = parts[2].partition(">")
    if pair:
        return frozenset({f"pi-category:{first.split('/')[0]}", f"{fact_kind}:{second}"})
    return frozenset({f"{fact_kind}:{first}"})


def restated(changes: Sequence[Change], ctx: Context) -> tuple[Change, ...]:
    """The changes, where a statement change this detector reports is read by no substantive
    change but by an editorial one whose words are the same and that is now read with another
    lead-in (an item moved unchanged from a 'We will never:' list to a 'We may:' list): that
    change made substantive, for :data:`RESTATED` -- its words are the same, what it states is
    not. A clause only renumbered, or moved under another heading, keeps its nature (what a
    heading suggests is no statement of its own)."""
    substantive = [c for c in changes if c.nature == "substantive"]
    raised: set[str] = set()
    for sc in ctx.statement_delta.changes:
        if not _reported(sc) or any(ctx.statement_touches(sc, c) for c in substantive):
            continue
        rewording = _states_anew(sc)
        if not rewording and _lead_ins(sc.before, ctx.old_index) == _lead_ins(
            sc.after, ctx.new_index
        ):
            continue
        own = (
            {sc.before.clause} if sc.before else set(),
            {sc.after.clause} if sc.after else set(),
        )
        for c in changes:
            if (
                c.nature == "editorial"
                and (
                    set(c.reasons) <= _SAME_WORDS
                    or (rewording and bool({"reworded", "heading"} & set(c.reasons)))
                )
                and (
                    own[0].intersection(r.id for r in c.old)
                    or own[1].intersection(r.id for r in c.new)
                )
            ):
                raised.add(c.id)
    return tuple(
        replace(c, nature="substantive", reasons=(*c.reasons, RESTATED)) if c.id in raised else c
        for c in changes
    )


def _states_anew(sc: StatementChange) -> bool:
    """Statement changes that make a rewording of their clause substantive, whatever its
    lead-in: a right that now reaches the recipients themselves ('the categories or list of
    third parties'); a name in a row of a contact table replaced by another ('个人信息保护负责人
    | 林若溪'); a promise reversed in other words ('stops transmitting' -> 'continues to
    transmit'); a controller named or dropped ('independent handler' -> 'joint handlers')."""
    if sc.kind == "right" and sc.subject.endswith("|recipients"):
        return True
    if sc.subject == "contact|details" and sc.how == "replaced":
        return sc.after is not None and " | " in sc.after.text
    if sc.restricts and sc.how == "reversed":
        return True
    return sc.kind == "controller" and sc.how in ("added", "removed")


def _lead_ins(statement: Statement | None, index: Mapping[str, Clause]) -> tuple[str, ...]:
    """The words of the clauses a statement is read with besides its own (a list's lead-in)."""
    if statement is None:
        return ()
    return tuple(
        " ".join(index[i].text.split())
        for i in statement.sources
        if i != statement.clause and i in index
    )


def statement_change(change: Change, ctx: Context) -> list[Finding]:
    """What the revision states differently at policy level (:mod:`analyzer.statements`),
    told on the clause change whose words say it: a promise reversed, withdrawn or narrowed
    (with the consent criterion), a right no longer granted anywhere or now denied, a way of
    reaching the company gone, a time limit imposed on the user, a fee; a more specific
    category of information; a company named as a new recipient; contact details; a new
    controller; a high risk."""
    view = ctx.view(change)
    found: list[Finding] = []
    for sc in ctx.statement_changes(change):
        if not _reported(sc):
            continue
        before = sc.before.text if sc.before else ""
        after = sc.after.text if sc.after else ""
        facts = (f"statement:{sc.how}:{sc.subject}",)
        # the criteria it meets, then, when it takes something away, the consent criteria
        targets = [(c, False) for c in _statement_criteria(sc, ctx)]
        if sc.restricts:
            targets += [(c, True) for c in ctx.consent_criteria()]
        for criterion, restricts in targets:
            found.append(
                view.finding(
                    criterion,
                    "statement-change",
                    sc.told,
                    before=before,
                    after=after,
                    confidence=0.8,
                    facts=facts,
                    restricts_rights=restricts,
                )
            )
    return found


_DEFERRED_KINDS = {
    "right": ("right",),
    "channel": ("right", "contact"),
    "processing": ("practice",),
    "retention": ("retention",),
    "organisation": ("controller", "practice"),
    "controller": ("controller",),
    "ownership": ("controller",),
    "risk": ("risk",),
}
"""Fact kinds whose difference in one clause counts only where the statements of the whole
policy changed too (a right granted elsewhere, a way of handling information the policy
still states, a retention period restated in another clause, a company name written another
way): the kinds of statement changes that must touch the clause."""


def deferred(item: Item, change: Change, ctx: Context) -> bool:
    """A fact difference the statements say is no change of the policy: a right mentioned
    or no longer mentioned while its grant is where it was, a channel, a company, a
    retention period that moved; a retention period or deadline turned by a negation (in
    'if we do not hear back within 60 days' the period is a condition). Only where the
    statements of the clause speak of the fact at all; otherwise the fact speaks."""
    kinds = _DEFERRED_KINDS.get(item.kind)
    if item.kind in ("retention", "deadline") and (
        item.how in ("negated", "affirmed") or item.any.negated
    ):
        return True  # a period cannot be ruled out: it is a condition ('if we do not hear …')
    if item.kind == "controller" and item.any.value == "controller":
        return True  # the word 'controller' alone names no one
    if item.kind == "channel" and item.direction == "added" and ctx.channel_offered(item.any):
        return not any(
            sc.subject.startswith("channel|")
            for sc in ctx.statement_changes(change, all_changes=True)
        )
    if kinds is None or item.any.value.startswith("path:"):
        return False  # a console path replaced is a way of exercising a right that moved
    if any(sc.kind in kinds for sc in ctx.statement_changes(change, all_changes=True)):
        return False
    if item.kind == "right":
        return True  # a right's words come and go; only its grant counts (the statements')
    return ctx.statements_know(change, item)
