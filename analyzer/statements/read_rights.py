"""Rights read from a sentence: a right the user (or someone else) may or may not exercise.

:func:`rights_of` makes a right statement only where the sentence grants or denies the right
('you can delete', 'you have the right to:' + 'request portability', 'to delete your account,
go to …', 您可以…删除, 'cannot be turned off'), not where it is only named ('contact us about
any of the rights above'), with who holds it, its channels (the ways of exercising it the
sentence gives), deadline and fee. A copy of one's data is told apart from portability.
"""

from __future__ import annotations

import re

from analyzer.facts.types import Fact
from analyzer.statements.model import Actor, Statement
from analyzer.statements.patterns import patterns
from analyzer.statements.qualifiers import conditions_of, is_denied, modality_of, scope_of
from analyzer.statements.roles import subtype_of
from analyzer.statements.sentences import Sentence, shown
from analyzer.text.compiled import regex

__all__ = ["rights_of"]


_CHANNEL_OF = {"email": "email", "phone": "phone", "url": "web", "address": "postal"}


def _grants(s: Sentence, fact: Fact) -> tuple[bool, Actor] | None:
    """Whether the sentence grants or denies the right ``fact`` names, and to whom: an ability
    frame before it in its sentence ('you can', 'you have the right to', 您可以, 'cannot be
    turned off') or an instruction ('to delete your account, go to …'); None when the right is
    only named."""
    p = patterns()
    a = fact.span[0]
    head = s.lower[s.start : a]
    frame = None
    for m in p["ability"].finditer(s.lower, s.start, s.end):
        if m.end() <= a:
            frame = m
    instruction = p["instruction"].search(s.lower, s.start, s.end) or p["instruction"].search(
        s.lower[max(s.start, a - 40) : a]
    )
    piece_start, _end = s.piece_span(a)
    imperative = (
        _IMPERATIVE_FORM.match(s.lower, a) is not None
        and not s.conditional(a)
        and not re.sub(
            r"^(?:please|simply|just|also|then|or)\b",
            "",
            s.lower[piece_start:a].strip(" \t\n*_-•,;:("),
        ).strip()
    )
    row = " | " in s.text[s.start : s.end] and len(s.passage.sources) > 1
    if frame is None and instruction is None and not imperative and not row:
        return None
    holder: Actor = "user"
    if frame is not None:
        before = s.lower[max(s.start, frame.start() - 40) : frame.end()]
        if p["someone-else"].search(before):
            holder = "other"
    elif p["someone-else"].search(head):
        holder = "other"
    return True, holder


def rights_of(s: Sentence) -> list[Statement]:
    out: list[Statement] = []
    channel_facts = [f for f in s.facts if f.kind == "channel" or f.kind in _CHANNEL_OF]
    extras = sorted(
        {f"deadline:{f.value}" for f in s.facts if f.kind == "deadline"}
        | {f"fee:{'not ' if f.negated else ''}{f.value}" for f in s.facts if f.kind == "fee"}
    )
    objects = tuple(sorted({subtype_of(s.text, f) for f in s.facts if f.kind == "pi-category"}))
    purposes = tuple(sorted({f.value for f in s.facts if f.kind == "purpose"}))
    seen: set[tuple[str, str]] = set()
    for fact in s.facts:
        if fact.kind != "right":
            continue
        granted = _grants(s, fact)
        if granted is None:
            continue
        _ok, holder = granted
        denied = is_denied(s, fact.span[0]) or _frame_denies(s, fact.span[0])
        value = _right_value(fact, s.lower[slice(*s.piece_span(fact.span[0]))])
        key = (value, "denied" if denied else "affirmed")
        if key in seen:
            continue
        seen.add(key)
        channels = sorted(
            {
                f"channel:{f.value}" if f.kind == "channel" else f"channel:{_CHANNEL_OF[f.kind]}"
                for f in channel_facts
                if fact in _channel_owners(s, f)
            }
        )
        out.append(
            Statement(
                kind="right",
                actor=holder,
                action=value,
                polarity="denied" if denied else "affirmed",
                modality=modality_of(s, fact.span[0]) or "may",
                scope=scope_of(s, fact.span[0]),
                objects=objects,
                purposes=purposes,
                conditions=conditions_of(s, fact.span[0]),
                values=tuple([*channels, *extras]),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=shown(s),
            )
        )
    return out


_IMPERATIVE_FORM = regex(
    r"(?:delete|erase|remove|download|export|copy|correct|update|edit|access|view|opt|turn"
    r"|switch|unsubscribe|withdraw|close|object|cancel|deactivate|disable|manage|change)"
    r"(?![a-z])(?! requests?)"
)
"""A right named by a verb in the imperative ('Delete your account from Settings'), not by a
noun that opens a sentence ('Deletion requests are not accepted …')."""
_COORDINATION = regex(r"^[\s,]*(?:,|and|or|and/or|或|和|及|、)[\s,]*$")


def _channel_owners(s: Sentence, channel: Fact) -> list[Fact]:
    """The rights a channel of the sentence is the way of exercising: the nearest right
    before it ('correct your profile at any time, and delete your profile from Profile ›
    Delete account'), with the rights listed together with that one ('access, correct or
    delete your data from Settings'); the first right after it when none is before."""
    rights = [f for f in s.facts if f.kind == "right"]
    if not rights:
        return []
    before = [f for f in rights if f.span[0] < channel.span[0]]
    anchor = before[-1] if before else rights[0]
    k = rights.index(anchor)
    group = [anchor]
    for j in range(k - 1, -1, -1):  # rights listed just before it
        if not _COORDINATION.match(s.lower[rights[j].span[1] : group[0].span[0]]):
            break
        group.insert(0, rights[j])
    for j in range(k + 1, len(rights)):
        if not _COORDINATION.match(s.lower[group[-1].span[1] : rights[j].span[0]]):
            break
        group.append(rights[j])
    return group


_PORTABLE = regex(
    r"portab|可携|(?:转移|迁移)(?:至|给|到)|transmi\w* (?:\w+ ){0,4}to|transfer\w* (?:\w+ ){0,4}to "
    r"(?:another|a third|other)|another (?:company|controller|service|provider|organi[sz]ation)"
    r"|其他(?:个人信息处理者|公司|机构)",
    re.IGNORECASE,
)


def _right_value(fact: Fact, clause: str) -> str:
    """The right a fact names, with a copy of one's data told apart from portability proper
    (the vocabulary reads both as ``portability``): 'request a copy' is ``copy``, 'request
    portability', 'transfer a copy to another company' is ``portability`` (which includes a
    copy)."""
    if fact.value == "portability" and not (
        _PORTABLE.search(fact.text) or _PORTABLE.search(clause)
    ):
        return "copy"
    return fact.value


_DENYING_FRAME = regex(
    r"(?<![a-z])(?:cannot|can't|may not|can no longer|are not able|will not be able|are unable"
    r"|no longer able)(?![a-z])|无法|不能|不可|不得|不再"
)


def _frame_denies(s: Sentence, pos: int) -> bool:
    a, _b = s.piece_span(pos)
    return _DENYING_FRAME.search(s.lower, a, pos) is not None
