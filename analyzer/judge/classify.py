"""Changes -> findings: which criterion of the pack each change meets, and on what evidence.

Each detector is a small function registered by name (:data:`DETECTORS`) that takes one
change and the revision's :class:`~analyzer.judge.evidence.Context` and returns
:class:`~analyzer.model.Finding` records. They run in registration order, most specific first;
a later detector does not repeat what an earlier one said about the same facts of the same
change:

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

**Editorial changes never trigger a criterion**: detectors only see substantive changes.
What counts as a fact difference (new to the policy, a new pairing …) is decided in
:mod:`analyzer.judge.evidence`, so that a sentence that only moved or was restated says nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from analyzer.diff.embedding import Embedder, EmbedderUnavailable, supports_language
from analyzer.diff.tripwires import EDITORIAL_KINDS, TRIPWIRE_KINDS
from analyzer.facts.items import Item
from analyzer.facts.types import USE_KINDS, Fact, FactChange
from analyzer.judge.criteria import CriteriaPack, Criterion
from analyzer.judge.cues import CueChange, cue_changes
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
from analyzer.judge.wording import quote, related, spec_matches
from analyzer.model import Change, ClauseTree, Finding
from analyzer.statements import StatementChange
from analyzer.statements.compare import same_number
from analyzer.text.compiled import regex
from analyzer.text.normalize import squash
from analyzer.text.scan import ascii_lower, sentence_starts

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


PROTOTYPE_THRESHOLD = 0.75
"""Least cosine (all-MiniLM-L6-v2) between a changed sentence and a prototype sentence for the
``prototype-similarity`` detector. Sentences of privacy policies score 0.6-0.7 against any
prototype merely by being about personal information (measured on the corpus revisions);
0.75 and above are close paraphrases."""

_CONTACT_KINDS = frozenset({"phone", "email", "address", "department", "complaint", "url"})
_CONTACT_CHANNELS = frozenset(
    {"hotline", "email", "work-order", "form", "postal", "online-service", "feedback"}
)
_VALUE_KINDS = frozenset({"deadline", "retention", "fee"})
_WEAK_KINDS = frozenset({"processing", "organisation", "url"})
"""Kinds too common to count on their own: they need their sentence to speak of the
criterion's subject (a company name replaced by one the policy never named counts anyway)."""


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


def _is_contact(k: Kept) -> bool:
    fact = k.item.any
    return fact.kind in _CONTACT_KINDS or (
        fact.kind == "channel" and fact.value in _CONTACT_CHANNELS
    )


# --------------------------------------------------------------------------- detectors

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


@detector("statement-change")
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
        for criterion in _statement_criteria(sc, ctx):
            found.append(
                view.finding(
                    criterion,
                    "statement-change",
                    sc.detail,
                    before=before,
                    after=after,
                    confidence=0.8,
                    facts=facts,
                )
            )
        if sc.restricts:
            for criterion in ctx.consent_criteria():
                found.append(
                    view.finding(
                        criterion,
                        "statement-change",
                        sc.detail,
                        before=before,
                        after=after,
                        confidence=0.8,
                        facts=facts,
                        restricts_rights=True,
                    )
                )
    return found


@detector("contact-change")
def contact_change(change: Change, ctx: Context) -> list[Finding]:
    """Phone numbers, e-mail and postal addresses, departments, complaint channels and contact
    channels (hotline, e-mail, work order, form …) named, dropped or replaced. A web address
    or a contact channel counts only in a sentence that speaks of contacting or complaining."""
    view = ctx.view(change)
    found: list[Finding] = []
    for k in view.kept:
        if not _is_contact(k):
            continue
        item = k.item
        if _same_contact_anyway(item, view) or _deferred(item, change, ctx):
            continue
        if item.kind == "url" and not _contact_link(item, view):
            continue
        if item.kind == "channel" and not ctx.in_a_contact(change, item):
            continue  # a way of exercising a right, not of reaching the company: the right's
        if item.kind == "address" and any(
            sc.kind == "controller" for sc in ctx.statement_changes(change)
        ):
            continue  # the address of a controller that changed: the controller's finding
        for criterion in ctx.criteria_for(item.any):
            # A web address, a channel, or a department named or dropped (not replaced) counts
            # in a sentence about contacting: 'unless you ask our support team to' names none.
            weak = item.kind in ("url", "channel") or (
                item.kind == "department" and item.direction != "changed"
            )
            headings = ""
            if item.kind == "department":  # a contact section's heading speaks for it
                headings = view.new_headings if item.after is not None else view.old_headings
            # the department's own name ('our privacy team') is not a word about contacting
            around = view.sentences(item).replace(item.any.text, " ")
            if weak and ctx.context_score(criterion, around, headings) == 0:
                continue
            confidence = 0.95 if item.direction == "changed" else k.confidence
            before, after = shown_words(item, view)
            found.append(
                view.finding(
                    criterion,
                    "contact-change",
                    describe(item, view),
                    before=before,
                    after=after,
                    confidence=confidence - (0.15 if weak else 0.0),
                    facts=item.facts(),
                )
            )
    return found


_MAILTO = regex(
    r"(?:\[([^\]\n]{1,200})\]|([\w.+-]+@[\w.-]+)\s?)\(mailto:([^)\s]+)\)", re.IGNORECASE
)
_CONTACT_PATH = regex(
    r"contact|help|support|request|form|complain|feedback|privacy-?request|dsar|dpo|ticket"
    r"|mailto:|联系|客服|反馈|投诉",
    re.IGNORECASE,
)
_CONTACT_PHRASE = regex(
    r"(?<![a-z])(?:contact (?:us|our|the)|reach (?:us|our)|write to|get in touch|submit a request"
    r"|complain|complaint|hotline|e-?mail us|call us)|联系我们|投诉|客服",
    re.IGNORECASE,
)


def _same_contact_anyway(item: Item, view: ChangeView) -> bool:
    """A contact that reads differently and is the same: a phone number regrouped ('1-877-273-
    3049' -> '+1 (877) 273-3049'); the text of an e-mail link corrected to the address the
    link always went to ('privacy@b37signals.com (mailto:privacy@37signals.com)'); a link to
    the same section of a page at its new address (the same '#your-rights')."""
    before, after = item.before, item.after
    if item.kind == "phone" and before is not None and after is not None:
        return same_number(before.value, after.value)
    if item.kind == "email":
        links = {
            (m.group(1) or m.group(2) or "").strip().casefold(): m.group(3).casefold()
            for m in _MAILTO.finditer(view.old_text)
        }
        new_text = view.new_text.casefold()
        if before is not None and before.value in links:
            return links[before.value] in new_text and (
                after is None or after.value == links[before.value]
            )
        if after is not None and before is None:
            return after.value in links.values()
        return False
    if item.kind == "url" and before is not None and after is not None:
        old_anchor, new_anchor = before.value.partition("#")[2], after.value.partition("#")[2]
        return bool(old_anchor) and old_anchor == new_anchor
    return False


def _contact_link(item: Item, view: ChangeView) -> bool:
    """A web address counts as a contact when it is one: a contact, help or request page, or
    a link in a sentence about contacting or complaining (not a link to someone's privacy
    policy or to another section of this one)."""
    if any(_CONTACT_PATH.search(f.value) for f in (item.before, item.after) if f is not None):
        return True
    return _CONTACT_PHRASE.search(view.sentences(item)) is not None


_WEB_ADDRESS = regex(r"(?:https?://|www\.)\S+")
_NAME_LIKE = regex(r"(?<![\w@./-])[A-Z][\w&’'-]*|\d+")


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped (a dot inside an address or a number does not end
    one)."""
    starts = sentence_starts(ascii_lower(text))
    bounds = [*starts, len(text)]
    pieces = (text[bounds[k] : bounds[k + 1]].strip() for k in range(len(starts)))
    return [p for p in pieces if p]


def _details(sentence: str) -> tuple[str, Counter[str]]:
    """What a contact sentence's details are made of: its digits in order, and its
    capitalised words (names, streets, departments) as a multiset, case folded; the first
    word of the sentence is left out (capitalised by position, not as a name), and so are web
    addresses (a link's query string is no contact detail)."""
    sentence = _WEB_ADDRESS.sub(" ", sentence)
    tokens = [m.group(0) for m in _NAME_LIKE.finditer(sentence)]
    digits = "".join(t for t in tokens if t.isdigit())
    words = [t.casefold() for t in tokens if not t.isdigit()]
    first = re.match(r"\W*(\w+)", sentence)
    if first and words and words[0] == first.group(1).casefold():
        words = words[1:]
    return digits, Counter(words)


@detector("contact-details", phase="unexplained")
def contact_details(change: Change, ctx: Context) -> list[Finding]:
    """Contact details the vocabulary has no name for: in a sentence that speaks of
    contacting, complaining or a responsible department (two context words of a criterion
    listing postal addresses, or one under a heading with another), the digits changed, or capitalised words the other version
    never uses came or went ('write to Nordpad ApS, Vestergade 12' -> '… Sondergade 40'; 'our
    Privacy Office' -> 'our Data Governance Board'). Runs only when nothing before it fired."""
    view = ctx.view(change)
    probe = Fact("address", "", "", (0, 0))
    criteria = ctx.criteria_for(probe)
    if not criteria or not view.old_text or not view.new_text:
        return []
    old_sentences = _sentences(view.old_text)
    new_sentences = _sentences(view.new_text)
    old_vocab, new_vocab = ctx.words("old"), ctx.words("new")
    found: list[Finding] = []
    for criterion in criteria:
        for new_sentence in new_sentences:
            if new_sentence in old_sentences:
                continue
            if ctx.context_score(criterion, new_sentence, view.new_headings) < 3:
                continue  # two contact words, or one and a contact heading
            old_sentence = next((o for o in old_sentences if related(o, new_sentence)), None)
            if old_sentence is None:
                continue
            (old_digits, old_words), (new_digits, new_words) = (
                _details(old_sentence),
                _details(new_sentence),
            )
            # Names the other version still uses elsewhere (the company's own name, a word
            # of the site's menus) are rewording, not a new contact.
            gone = sorted(w for w in (old_words - new_words).elements() if w not in new_vocab)
            came = sorted(w for w in (new_words - old_words).elements() if w not in old_vocab)
            if old_digits == new_digits and not gone and not came:
                continue
            before = " ".join([*gone, *([old_digits] if old_digits != new_digits else [])])
            after = " ".join([*came, *([new_digits] if old_digits != new_digits else [])])
            found.append(
                view.finding(
                    criterion,
                    "contact-details",
                    f"contact details changed: '{quote(old_sentence)}' -> '{quote(new_sentence)}'",
                    before=before,
                    after=after,
                    confidence=0.6,
                    facts=(f"details:{before}->{after}",),
                )
            )
    return found


@detector("value-change")
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


@detector("rights-restriction")
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
    labels = {(f.kind, f.value): f for f in (cue.flipped or cue.facts)}
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


@detector("negation-flip")
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
        for criterion in _cue_criteria(cue, ctx):
            topic = sorted(
                {kind_label(f.kind) for f in cue.facts if spec_matches(criterion.facts, f)}
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


def _deferred(item: Item, change: Change, ctx: Context) -> bool:
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


@detector("fact-change")
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
        if _deferred(item, change, ctx) or _same_contact_anyway(item, view):
            continue
        if fact.kind in USE_KINDS and view.in_heading(item):
            continue  # a heading names what its section is about; it states nothing
        if item.kind == "url" and not _contact_link(item, view):
            continue
        if item.kind == "address" and any(
            sc.kind == "controller" for sc in ctx.statement_changes(change, all_changes=True)
        ):
            continue  # the address of a controller that changed: the controller's finding
        side: Side = "new" if item.after is not None else "old"
        if fact.kind in (*USE_KINDS, "organisation") and not ctx.in_a_statement(change, fact, side):
            continue  # named in another role: a product, a controller, a postal address
        if fact.kind == "channel" and not _USER_ABILITY.search(ascii_lower(view.sentences(item))):
            continue  # 'support tickets are transferred': information, not a way to ask
        if fact.kind == "purpose" and ctx.only_in(change, fact, side, _GIVING):
            continue  # what a recipient does with what it receives: the recipient's finding

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


@detector("section-context", phase="unexplained")
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
        if cue.kind != "negation" or _cue_criteria(cue, ctx):
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


@detector("prototype-similarity", phase="model")
def prototype_similarity(change: Change, ctx: Context) -> list[Finding]:
    """A sentence added or removed whole whose embedding is close to one of a popup criterion's
    prototype sentences (cosine at least :data:`PROTOTYPE_THRESHOLD`). The vectors of a revision are
    computed in one batch before this runs (:func:`_prepare_prototypes`)."""
    all_scores = ctx.scratch.get("prototype-scores")
    if not isinstance(all_scores, dict):
        return []
    scores = all_scores.get(change.id, {})
    view = ctx.view(change)
    found: list[Finding] = []
    for criterion in ctx.popup_criteria():
        best = scores.get(criterion.id)
        if best is None or best[0] < PROTOTYPE_THRESHOLD:
            continue
        cosine, sentence, prototype = best
        gone = sentence.startswith("removed: ")
        sentence = sentence.removeprefix("removed: ")
        found.append(
            view.finding(
                criterion,
                "prototype-similarity",
                f"{'removed' if gone else 'added'} sentence reads like '{quote(prototype, 60)}' "
                f"(cosine {cosine:.2f}): '{quote(sentence)}'",
                before=sentence if gone else "",
                after="" if gone else sentence,
                confidence=min(0.7, cosine),
                facts=(f"prototype:{prototype}",),
            )
        )
    return found


# --------------------------------------------------------------------------- running them


@dataclass(frozen=True)
class _Probe:
    """A sentence the change added or removed whole."""

    sentence: str
    removed: bool


def _probes(view: ChangeView) -> list[_Probe]:
    """Sentences the change added (new sentences overlapping a ``+`` run of the redline that
    rewrite no old sentence) and removed (old sentences overlapping a ``-`` run that no new
    sentence rewrites). A rewritten sentence is left out: it was about its subject before the
    change too, and its facts were read by the detectors before."""
    new_changed = _touched(view.new_text, _op_spans(view.change, "+"), not view.change.old)
    old_changed = _touched(view.old_text, _op_spans(view.change, "-"), not view.change.new)
    old_all = _touched(view.old_text, [(0, len(view.old_text))], True)
    new_all = _touched(view.new_text, [(0, len(view.new_text))], True)
    out = [_Probe(s, False) for s in new_changed if not any(related(o, s) for o in old_all)]
    out += [_Probe(s, True) for s in old_changed if not any(related(s, n) for n in new_all)]
    return out


def _touched(text: str, spans: Sequence[tuple[int, int]], whole: bool) -> list[str]:
    """Sentences of ``text`` (of four words or more) overlapping one of ``spans``."""
    if not text:
        return []
    if whole:
        spans = [(0, len(text))]
    starts = sentence_starts(ascii_lower(text))
    bounds = [*starts, len(text)]
    out: list[str] = []
    for k in range(len(starts)):
        a, b = bounds[k], bounds[k + 1]
        if any(s < b and a < e for s, e in spans):
            sentence = squash(text[a:b])
            if len(sentence.split()) >= 4:
                out.append(sentence)
    return list(dict.fromkeys(out))


def _op_spans(change: Change, op: str) -> list[tuple[int, int]]:
    """Offsets of the ``op`` runs in the text of their own side."""
    spans = []
    pos = 0
    for o, t in change.inline:
        if o in ("=", op):
            if o == op:
                spans.append((pos, pos + len(t)))
            pos += len(t)
    return spans


def _prepare_prototypes(changes: Sequence[Change], ctx: Context) -> None:
    """Embed the sentences ``changes`` added or removed whole with the popup criteria's
    prototypes in one call; keep, per change and criterion, the best (cosine, sentence,
    prototype)."""
    if ctx.embedder is None:
        return
    if not supports_language(ctx.embedder, ctx.language):
        ctx.warnings.append(
            f"{len(changes)} substantive change(s) that no detector explained were not compared "
            f"with the criteria's prototype sentences: the embedding model does not read "
            f"'{ctx.language}'"
        )
        return
    per_change = {c.id: _probes(ctx.view(c)) for c in changes}
    texts = sorted({p.sentence for own in per_change.values() for p in own})
    if not texts:
        return
    prototypes = [
        (criterion.id, p)
        for criterion in ctx.popup_criteria()
        for p in (criterion.prototypes.zh if ctx.language == "zh" else criterion.prototypes.en)
    ]
    ctx.scratch["embedded"] = len(texts)
    try:
        vectors = ctx.embedder.embed(texts + [p for _, p in prototypes])
    except EmbedderUnavailable as exc:
        ctx.warnings.append(f"prototype similarity skipped: {exc.reason}")
        return
    matrix = np.asarray(vectors, dtype=np.float64)
    cosines = np.round(matrix[: len(texts)] @ matrix[len(texts) :].T, 4)
    row = {t: k for k, t in enumerate(texts)}
    scores: dict[str, dict[str, tuple[float, str, str]]] = {}
    for change_id, own in per_change.items():
        best: dict[str, tuple[float, str, str]] = {}
        for probe in own:
            for j, (criterion_id, prototype) in enumerate(prototypes):
                value = float(cosines[row[probe.sentence], j])
                if criterion_id not in best or value > best[criterion_id][0]:
                    shown = f"removed: {probe.sentence}" if probe.removed else probe.sentence
                    best[criterion_id] = (value, shown, prototype)
        scores[change_id] = best
    ctx.scratch["prototype-scores"] = scores


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


def _worth_embedding(view: ChangeView) -> bool:
    """A modified clause whose only signals are editorial tripwires (a date, a renumbered
    reference) is not worth loading a model for; one with a meaning tripwire, or made
    substantive for another reason (a whole sentence added, a low similarity), is."""
    if view.change.kind in ("added", "removed"):
        return True
    other_reasons = set(view.change.reasons) - set(TRIPWIRE_KINDS)
    return bool(view.tripwire_kinds - EDITORIAL_KINDS) or bool(other_reasons)


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
    unexplained = [c for c in substantive if not findings[c.id] and _worth_embedding(ctx.view(c))]
    if model_detectors and unexplained and embedder is not None:
        _prepare_prototypes(unexplained, ctx)
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
