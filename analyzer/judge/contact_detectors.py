"""The detectors of contacts: ``contact-change`` and ``contact-details``.

:func:`contact_change` finds phone numbers, e-mail and postal addresses, departments,
complaint channels and contact channels named, dropped or replaced (a web address or a channel
only in a sentence about contacting); :func:`contact_details` finds, when nothing else fired,
the digits and capitalised names of a contact sentence that changed though the vocabulary has
no kind for them (a street, a department's name). :func:`same_contact_anyway` and
:func:`contact_link` tell the fact detectors which contacts only read differently and which
web addresses are contacts.
"""

from __future__ import annotations

import re
from collections import Counter

from analyzer.facts.items import Item
from analyzer.facts.types import Fact
from analyzer.judge.evidence import ChangeView, Context, Kept, describe, shown_words
from analyzer.judge.statement_detector import deferred
from analyzer.judge.wording import content_words, quote, related
from analyzer.model import Change, Finding
from analyzer.statements.compare import postal_key, same_number
from analyzer.statements.read_contacts import WEEKDAY
from analyzer.text.compiled import regex
from analyzer.text.scan import ascii_lower, sentence_starts

__all__ = ["contact_change", "contact_details", "contact_link", "same_contact_anyway"]


_CONTACT_KINDS = frozenset({"phone", "email", "address", "department", "complaint", "url"})
_CONTACT_CHANNELS = frozenset(
    {"hotline", "email", "work-order", "form", "postal", "online-service", "feedback"}
)


def _is_contact(k: Kept) -> bool:
    fact = k.item.any
    return fact.kind in _CONTACT_KINDS or (
        fact.kind == "channel" and fact.value in _CONTACT_CHANNELS
    )


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
        if same_contact_anyway(item, view) or deferred(item, change, ctx):
            continue
        if item.kind == "url" and not contact_link(item, view):
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
                item.kind in ("department", "complaint") and item.direction != "changed"
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


def same_contact_anyway(item: Item, view: ChangeView) -> bool:
    """A contact that reads differently and is the same: a phone number regrouped ('1-877-273-
    3049' -> '+1 (877) 273-3049'); the text of an e-mail link corrected to the address the
    link always went to ('privacy@b37signals.com (mailto:privacy@37signals.com)'); a link to
    the same section of a page at its new address (the same '#your-rights')."""
    before, after = item.before, item.after
    if item.kind == "phone" and before is not None and after is not None:
        return same_number(before.value, after.value)
    if item.kind == "address" and before is not None and after is not None:
        return postal_key(before.value) == postal_key(after.value)  # 'Ave' -> 'Avenue'

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
    if item.kind == "channel" and (before is None) != (after is None):
        return _channel_named_anyway(item, view)
    return False


_REGULATOR = regex(
    r"commissioner|supervisory authority|regulator|data protection authority|监管|主管部门|网信",
    re.IGNORECASE,
)
_CHANNEL_DETAIL = {"email": "email", "hotline": "phone", "phone": "phone", "postal": "address"}
"""The detail that is itself the channel: an e-mail address is a way to write by e-mail."""


def _channel_named_anyway(item: Item, view: ChangeView) -> bool:
    """A channel word added or dropped while the change's other side gives the same way in
    kind ('contact us at compliance@…' -> 'email compliance@…': the address is the channel),
    or in a sentence about a regulator, whose numbers and ways are its own ('or on 0303 …'
    -> 'or by phone on 0303 …')."""
    fact = item.any
    sentences = view.sentences(item)
    if _REGULATOR.search(sentences):
        return True
    detail = _CHANNEL_DETAIL.get(fact.value)
    if detail is None:
        return False
    # the same kind of detail on both sides of the change
    return any(f.kind == detail for f in view.old_facts) and any(
        f.kind == detail for f in view.new_facts
    )


def contact_link(item: Item, view: ChangeView) -> bool:
    """A web address counts as a contact when it is one: a contact, help or request page, or
    a link in a sentence about contacting or complaining (not a link to someone's privacy
    policy or to another section of this one)."""
    if any(_CONTACT_PATH.search(f.value) for f in (item.before, item.after) if f is not None):
        return True
    return _CONTACT_PHRASE.search(view.sentences(item)) is not None


_WEB_ADDRESS = regex(r"(?:https?://|www\.)\S+")
_TIME_OF_DAY = regex(
    r"(?<!\d)\d{1,2}\s*[:：]\s*\d{2}(?:\s*[ap]\.?\s?m\b\.?)?|(?<![\d.])\d{1,2}\s*[ap]\.?\s?m\b\.?"
    r"|(?<!\d)\d{1,2}\s*[点時时](?:\s*\d{1,2}\s*分)?",
    re.IGNORECASE,
)
"""Opening hours ('8:00', '6 pm', '8点'): when a channel answers, written in many ways; no
contact detail."""
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
    addresses (a link's query string is no contact detail) and opening hours."""
    sentence = _TIME_OF_DAY.sub(" ", _WEB_ADDRESS.sub(" ", sentence))
    tokens = [m.group(0) for m in _NAME_LIKE.finditer(sentence)]
    digits = "".join(t for t in tokens if t.isdigit())
    words = [t.casefold() for t in tokens if not t.isdigit() and not WEEKDAY.fullmatch(t)]
    first = re.match(r"\W*(\w+)", sentence)
    if first and words and words[0] == first.group(1).casefold():
        words = words[1:]
    # postal abbreviations spelt out ('Ave' is 'Avenue', 'IL' is 'Illinois')
    return digits, Counter(w for word in words for w in postal_key(word))


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
    # the digits of the whole change: the same numbers cut into sentences another way ('…,
    # or by post to 14 Hanover Quay' -> '…; post: 14 Hanover Quay') are the same numbers
    same_digits = _details(view.old_text)[0] == _details(view.new_text)[0]
    old_vocab, new_vocab = ctx.words("old"), ctx.words("new")
    found: list[Finding] = []
    for criterion in criteria:
        for new_sentence in new_sentences:
            if new_sentence in old_sentences:
                continue
            if ctx.context_score(criterion, new_sentence, view.new_headings) < 3:
                continue  # two contact words, or one and a contact heading
            # the old sentence it rewrites: the related one sharing the most words with it
            shared = content_words(new_sentence)
            candidates = [o for o in old_sentences if related(o, new_sentence)]
            if not candidates:
                continue
            old_sentence = max(candidates, key=lambda o: len(content_words(o) & shared))
            (old_digits, old_words), (new_digits, new_words) = (
                _details(old_sentence),
                _details(new_sentence),
            )
            # Names the other version still uses elsewhere (the company's own name, a word
            # of the site's menus) are rewording, not a new contact.
            gone = sorted(w for w in (old_words - new_words).elements() if w not in new_vocab)
            came = sorted(w for w in (new_words - old_words).elements() if w not in old_vocab)
            digits_changed = old_digits != new_digits and not same_digits
            if not digits_changed and not gone and not came:
                continue
            before = " ".join([*gone, *([old_digits] if digits_changed else [])])
            after = " ".join([*came, *([new_digits] if digits_changed else [])])
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
