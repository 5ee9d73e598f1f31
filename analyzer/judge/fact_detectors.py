"""The detectors of fact differences: ``value-change`` and ``fact-change``.

:func:`value_change` finds a reply deadline, retention period or fee with another value (and a
plain duration changed in a sentence about the user's rights); :func:`fact_change` finds the
facts the popup criteria list that a change makes new to the policy, removes from it or states
together in a new way, grouped per criterion, kind and direction, the context words of their
sentence choosing among the criteria that list them.
"""

from __future__ import annotations

from analyzer.facts.items import Item
from analyzer.facts.names import org_stem
from analyzer.facts.types import USE_KINDS, Fact
from analyzer.judge.contact_detectors import contact_link, same_contact_anyway
from analyzer.judge.criteria import Criterion
from analyzer.judge.evidence import (
    _USER_ABILITY,
    ChangeView,
    Context,
    Kept,
    Side,
    describe,
    kind_label,
    shown_words,
)
from analyzer.judge.statement_detector import deferred
from analyzer.judge.wording import quote
from analyzer.model import Change, Finding
from analyzer.text.compiled import regex
from analyzer.text.scan import ascii_lower

__all__ = ["fact_change", "value_change"]


_VALUE_KINDS = frozenset({"deadline", "retention", "fee"})
_WEAK_KINDS = frozenset({"processing", "organisation", "url"})
"""Kinds too common to count on their own: they need their sentence to speak of the
criterion's subject (a company name replaced by one the policy never named counts anyway)."""


_COMPLAINING = regex(
    r"(?<![a-z])(?:complain|complaint|lodge|appeal|dispute|escalat|not satisfied|dissatisfied"
    r"|unhappy|concerns?|contact|reach|write to|right to|refer|redress)|投诉|举报|申诉|不满|联系"
    r"|诉讼|仲裁|起诉|救济"
)
"""Words of a sentence or heading in which an authority is a place to complain, not one the
company consulted or notified ('we consulted the supervisory authority')."""

_GENERIC_PURPOSES = frozenset({"service"})
_GIVING = frozenset({"share", "sell", "abroad"})
_FLOW_PROCESSING = frozenset(
    {"share", "transfer", "provide", "disclose", "disclose-publicly", "sell", "entrust"}
    | {"cross-border"}
)


def _is_flow_label(label: str) -> bool:
    """A pairing label that says where information goes: a recipient, a place, or a way of
    handing it over."""
    kind, _, value = label.partition(":")
    return kind in ("recipient", "location") or (kind == "processing" and value in _FLOW_PROCESSING)


def value_change(change: Change, ctx: Context) -> list[Finding]:
    """A reply deadline, retention period or fee with another value; a plain duration changed
    in a sentence that speaks of a criterion listing durations as a tripwire (rights)."""
    view = ctx.view(change)
    found: list[Finding] = []
    for k in view.kept:
        item = k.item
        if item.direction != "changed":
            continue
        met: list[tuple[Criterion, float]] = []
        if item.kind in _VALUE_KINDS:
            met = [(criterion, 0.9) for criterion in ctx.criteria_for(item.any)]
        elif item.kind == "duration":
            if _has_role(view, item):
                continue  # the same words are a retention period or a deadline, judged above
            sentence = view.sentences(item)
            met = [
                (criterion, 0.7)
                for criterion in ctx.popup_criteria()
                if "duration" in criterion.tripwires and ctx.context_score(criterion, sentence) >= 2
            ]
        before, after = shown_words(item, view)
        for criterion, confidence in met:
            found.append(
                view.finding(
                    criterion,
                    "value-change",
                    describe(item, view),
                    before=before,
                    after=after,
                    confidence=confidence,
                    facts=item.facts(),
                )
            )
    return found


def _has_role(view: ChangeView, item: Item) -> bool:
    """A duration that is also read as a retention period or a reply deadline."""
    spans = []
    if item.before is not None:
        spans += [
            f.span
            for f in view.old_facts
            if f.kind in ("retention", "deadline") and f.span == item.before.span
        ]
    if item.after is not None:
        spans += [
            f.span
            for f in view.new_facts
            if f.kind in ("retention", "deadline") and f.span == item.after.span
        ]
    return bool(spans)


_NAME_PUNCTUATION = regex(r"[,.]")


def _named_on_the_other_side(fact: Fact, side: Side, view: ChangeView) -> bool:
    """A company the other side of the change names too, with or without its legal form."""
    stem = org_stem(fact.value)
    other = view.old_text if side == "new" else view.new_text
    words = _NAME_PUNCTUATION.sub(" ", other).casefold().split()
    return bool(stem) and f" {stem} " in f" {' '.join(words)} "


def fact_change(change: Change, ctx: Context) -> list[Finding]:
    """Facts the popup criteria list that the change makes new to the policy, removes from it,
    or states together in a new way (grouped per criterion, kind and direction). A denial
    added ('we do not share with advertisers') expands nothing and does not count. When
    several criteria list a fact, the context words of its sentence (else of its clause) pick
    among them; weak kinds need those words."""
    view = ctx.view(change)
    groups: dict[tuple[str, str, str], list[Kept]] = {}
    chosen: dict[str, Criterion] = {}
    for k in view.kept:
        item = k.item
        fact = item.any
        candidates = ctx.criteria_for(fact)
        if fact.kind == "channel" and not ctx.in_a_contact(change, item):
            candidates = [c for c in candidates if "right" in c.facts or "channel" in c.facts]
        if not candidates:
            continue
        if item.direction == "added" and fact.negated and fact.kind in USE_KINDS:
            continue  # a denial added ('we do not share with advertisers') expands nothing
        if fact.kind == "purpose" and fact.value in _GENERIC_PURPOSES:
            continue  # 'to provide the service': the purpose of any processing
        if fact.kind in USE_KINDS and k.only_paired:
            continue  # a pairing of what is handled, why, for whom: the statements tell it
        if deferred(item, change, ctx) or same_contact_anyway(item, view):
            continue
        if fact.kind in USE_KINDS and view.in_heading(item):
            continue  # a heading names what its section is about; it states nothing
        if item.kind == "url" and not contact_link(item, view):
            continue
        if item.kind == "address" and any(
            sc.kind == "controller" for sc in ctx.statement_changes(change, all_changes=True)
        ):
            continue  # the address of a controller that changed: the controller's finding
        side: Side = "new" if item.after is not None else "old"
        if fact.kind in (*USE_KINDS, "organisation") and not ctx.in_a_statement(change, fact, side):
            continue  # named in another role: a product, a controller, a postal address
        if fact.kind == "complaint" and not _COMPLAINING.search(
            ascii_lower(f"{view.sentences(item)}\n{_headings_of(view, item)}")
        ):
            continue  # an authority consulted or notified, not a channel offered to users
        if fact.kind == "channel" and not _USER_ABILITY.search(ascii_lower(view.sentences(item))):
            continue  # 'support tickets are transferred': information, not a way to ask
        if fact.kind == "purpose" and ctx.only_in(change, fact, side, _GIVING):
            continue  # what a recipient does with what it receives: the recipient's finding

        if fact.kind == "organisation" and _named_on_the_other_side(fact, side, view):
            continue  # 'Amazon Web Services' given its legal form: the same company
        if fact.kind == "organisation" and ctx.names_controller(change, fact, side):
            candidates = [c for c in candidates if "controller" in c.facts] or candidates
        headings = view.new_headings if item.after is not None else view.old_headings
        around = view.sentences(item)
        if fact.kind == "department":  # its own name ('our privacy team') says nothing of contact
            around = around.replace(fact.text, " ")
        scores = {c.id: ctx.context_score(c, around, headings) for c in candidates}
        sentence_scores = dict(scores)
        if max(scores.values()) == 0:
            clause = view.new_text if item.after is not None else view.old_text
            scores = {c.id: ctx.context_score(c, "", ascii_lower(clause)) for c in candidates}
        if len(candidates) > 1 and max(scores.values()) > 0:
            best = max(scores.values())
            candidates = [c for c in candidates if scores[c.id] == best]
        renamed = (
            fact.kind == "organisation"
            and item.before is not None
            and item.after is not None
            and ctx.gone_from_policy(item.before)
            and ctx.new_to_policy(item.after)
        )
        placed = fact.kind != "location" or any(
            f.kind in ("processing", "recipient") for f in view.sentence_facts(item)
        )
        for criterion in candidates:
            if fact.kind in _WEAK_KINDS and not renamed and sentence_scores[criterion.id] < 2:
                continue
            if not placed and sentence_scores[criterion.id] < 2:
                continue  # a country in a postal address is not where data goes
            if (
                fact.kind == "department"
                and item.direction != "changed"
                and sentence_scores[criterion.id] == 0
            ):
                continue  # 'unless you ask our support team to' is not a contact statement
            chosen[criterion.id] = criterion
            groups.setdefault((criterion.id, item.kind, item.direction), []).append(k)
    found: list[Finding] = []
    for (criterion_id, kind, direction), members in groups.items():
        items = [m.item for m in members]
        shown = [shown_words(i, view) for i in items]
        befores = list(dict.fromkeys(b for b, _ in shown if b))
        afters = list(dict.fromkeys(a for _, a in shown if a))
        if len(items) == 1:
            evidence = describe(items[0], view)
        else:
            values = ", ".join(dict.fromkeys(i.any.value for i in items))
            words = " / ".join(f"'{quote(w, 40)}'" for w in (afters or befores)[:4])
            evidence = f"{kind_label(kind)} {direction} ({values}): {words}"
        found.append(
            view.finding(
                chosen[criterion_id],
                "fact-change",
                evidence,
                before="; ".join(befores),
                after="; ".join(afters),
                confidence=max(m.confidence for m in members),
                facts=[label for i in items for label in i.facts()],
            )
        )
    return found


def _headings_of(view: ChangeView, item: Item) -> str:
    return view.new_headings if item.after is not None else view.old_headings
