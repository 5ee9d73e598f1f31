"""Contacts read from a sentence: the phone numbers, e-mail and postal addresses,
departments, complaint and contact channels of a sentence about reaching or complaining, or of
a contact section or table row.

:func:`contacts_of` makes one contact statement per such fact (a number or an address given
after a regulator is the regulator's, not the company's); :func:`details_of` gives the names
and numbers of a contact passage the vocabulary has no kind for ('Rue de la Loi 28', '1040
Brussels'), read as one ``details`` statement per passage.
"""

from __future__ import annotations

import re

from analyzer.statements.model import Actor, Statement
from analyzer.statements.patterns import FUNCTION_NAMES, patterns
from analyzer.statements.sentences import Sentence, shown
from analyzer.text.compiled import regex

__all__ = ["contacts_of", "details_of"]


_CONTACT_KINDS = frozenset({"phone", "email", "address", "department", "complaint"})
_VOCABULARY_KINDS = frozenset(
    {"pi-category", "purpose", "recipient", "processing", "location", "right", "channel", "fee"}
    | {"retention", "department", "complaint", "controller", "ownership", "risk", "commitment"}
)


def _phone_value(value: str) -> str:
    """Digits of a phone number without an international prefix, so that '+1 (877) 273-3049'
    and '1-877-273-3049' read as one number."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("00"):
        digits = digits[2:]
    return digits


def _contact_context(s: Sentence) -> bool:
    p = patterns()["contact-words"]
    return bool(
        p.search(s.lower, s.start, s.end)
        or p.search(s.passage.headings)
        or (len(s.passage.sources) > 1 and "|" in s.text)
    )


def contacts_of(s: Sentence) -> list[Statement]:
    if not _contact_context(s):
        return []
    out: list[Statement] = []
    complaint = patterns()["complaint-words"].search(s.lower, s.start, s.end) is not None
    authority = [f.span[1] for f in s.facts if f.kind == "complaint" and f.value == "regulator"]
    towards_user = _TOWARDS_USER.search(s.lower, s.start, s.end) is not None
    for f in s.facts:
        if f.kind == "channel" and towards_user:
            continue  # how the company reaches the user ('we will never ask you … by phone')
        if f.kind == "channel" and not f.negated and f.value not in ("settings",):
            out.append(
                Statement(
                    kind="contact",
                    actor="company",
                    action="channel",
                    polarity="affirmed",
                    values=(f"channel:{f.value}",),
                    clause=s.passage.clause,
                    address=s.passage.address,
                    sources=s.passage.sources,
                    text=shown(s),
                )
            )
            continue
        if f.kind not in _CONTACT_KINDS or (f.kind == "complaint" and not complaint):
            continue
        value = _phone_value(f.value) if f.kind == "phone" else f.value
        # a number or an address given after a regulator is the regulator's, not the company's
        whose: Actor = "other" if any(end <= f.span[0] for end in authority) else "company"
        out.append(
            Statement(
                kind="contact",
                actor=whose if f.kind != "complaint" else "company",
                action=f.kind,
                polarity="denied" if f.negated else "affirmed",
                values=(f"{f.kind}:{value}",),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=shown(s),
            )
        )
    return out


_TOWARDS_USER = regex(
    r"(?<![a-z])(?:we|our (?:staff|team|employees|agents))\s+(?:[a-z]+\s+){0,3}?"
    r"(?:ask|asks|contact|contacts|call|calls|text|texts|message|notify|email|e-mail|phone)"
    r"\s+you(?![a-z])"
    r"|我们[^，。；]{0,12}?(?:联系|致电|询问|要求|通知)您"
)
"""The company reaching the user ('we will never ask you for your PIN', 'we may call you'):
the channels of that sentence are the company's ways to the user, not the user's to it."""


CHANNEL_WORD = regex(
    r"电话|邮箱|邮件|地址|热线|邮编|邮政编码|(?i:phone|e-?mail|address|hotline|fax|post ?code|zip)"
)
"""A word that names a way of reaching someone ('E-mail', '客服热线'): a label, not a detail."""
WEEKDAY = regex(
    r"(?i:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|weekdays?|weekends?|et|est|edt|pt|pst|pdt|cet|cest|gmt|utc)"
)
"""A day of the week or a time zone, whole or abbreviated: when a channel answers."""


def details_of(s: Sentence) -> tuple[str, ...]:
    """The names and numbers of a contact passage that the vocabulary has no kind for: the
    capitalised words (not the sentence's first) and digit runs ('Rue de la Loi 28', '1040
    Brussels', a named person in a complaints table)."""
    out: list[str] = []
    taken = [f.span for f in s.facts if f.kind not in _VOCABULARY_KINDS]
    first = True
    for m in patterns()["detail"].finditer(s.text, max(s.start, s.passage.own), s.end):
        token = m.group(0)
        if first and not token[0].isdigit():
            first = False
            continue
        first = False
        if any(x < m.end() and m.start() < y for x, y in taken):
            continue  # a phone number, an e-mail or a date has its own statement
        if (token.isdigit() and len(token) < 2) or token in FUNCTION_NAMES:
            continue
        if CHANNEL_WORD.fullmatch(token) or WEEKDAY.fullmatch(token):
            continue  # a channel's label ('E-mail', 'Phone') or its hours ('Mon–Fri') name no one
        out += [
            f"detail:{w.casefold()}" for w in re.findall(r"\w+", token) if len(w) > 1 or w.isdigit()
        ]
    return tuple(dict.fromkeys(out))
