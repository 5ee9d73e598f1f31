"""Practices read from a sentence: what the company (or a recipient) does with information.

:func:`practices_of` finds the sentence's practice verbs (the vocabulary's ways of handling
information and the verbs it leaves to context) and makes one practice statement per verb that
the user does not do and no condition holds, with the information, recipients (with the
companies the sentence names), purposes and places of its clause, its polarity, modal verb,
scope and conditions. A row of a table of recipients and 'This includes AppsFlyer.' after a
sentence that shares are sharing statements without a verb of their own.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace

from analyzer.facts.extract import facts_of
from analyzer.facts.names import org_stem
from analyzer.statements.model import ACTION_FAMILIES, Statement
from analyzer.statements.patterns import FUNCTION_NAMES, patterns
from analyzer.statements.qualifiers import (
    PARENTHESES,
    actor_of,
    conditions_of,
    is_denied,
    modality_of,
    scope_of,
)
from analyzer.statements.roles import extra_objects, subtype_of
from analyzer.statements.sentences import Sentence, shown
from analyzer.text.compiled import regex

__all__ = ["practices_of"]


_NOT_ACTIONS = frozenset({"anonymise"})
"""Processing words that protect rather than process (de-identifying, aggregating)."""


@dataclass(frozen=True)
class _Action:
    value: str
    span: tuple[int, int]


_DOCUMENT_REFERENCE = regex(
    r"\s+(?:in|by|under|at|within|throughout) (?:this|the|our) (?:policy|notice|statement|section"
    r"|document|page|privacy policy|privacy notice|privacy statement)|\s+(?:below|above|herein"
    r"|hereunder|hereinafter)(?![a-z])"
)
"""'the contact information disclosed in this policy': a word of the document about itself,
no practice."""
_TO_US = regex(r"\b(?:to|with) us\b")
_TO_US_ZH = regex(r"\s*(?:给|至)?\s*(?:我们|本公司|我司)")


def _actions(s: Sentence) -> list[_Action]:
    """The practice verbs of the sentence: the vocabulary's ways of handling information and
    the verbs it leaves to context (use, receive, look at, send … to)."""
    out = [
        _Action(f.value, f.span)
        for f in s.facts
        if f.kind == "processing"
        and f.value not in _NOT_ACTIONS
        and not _DOCUMENT_REFERENCE.match(s.lower, f.span[1])
    ]
    taken = sorted(a.span for a in out)
    starts = [x for x, _y in taken]
    reach = list(itertools.accumulate((y for _x, y in taken), max))  # furthest end so far
    for m in patterns()["verbs"].finditer(s.lower, s.start, s.end):
        before = bisect.bisect_left(starts, m.end())  # the spans that start before it ends
        if before and reach[before - 1] > m.start():
            continue  # inside a handling word the vocabulary found
        group = next(g for g, v in m.groupdict().items() if v is not None)
        if group.startswith("access_staff"):
            if not _by_staff(s, m.start()):
                continue  # a user's or a third party's access: no practice of the company
            group = "access"
        value = group.removesuffix("_zh").replace("give", "provide").replace("message", "use")
        if value == "provide" and _to_us(s, m, group):
            value = "collect"  # 'sends … to us', 向我们发送: the company receives it
        out.append(_Action(value, m.span()))
    out.sort(key=lambda a: a.span)
    return out


def _to_us(s: Sentence, m: re.Match[str], group: str) -> bool:
    """Whether what is sent goes to the company ('sends … to us', 向我们发送, 发送给我们)."""
    if group == "provide_zh":
        where = m.start() if s.lower[m.start() - 1 : m.start()] == "向" else m.end()
        return _TO_US_ZH.match(s.lower, where) is not None
    return _TO_US.search(s.lower, m.end(), min(s.end, m.end() + 80)) is not None


def _by_staff(s: Sentence, pos: int) -> bool:
    """Whether a bare 'access' (访问) at ``pos`` is done by the company or its own people:
    its subject, just before it in its clause, is 'we', 'our personnel', 'no Acme human',
    员工 ('GitHub personnel do not access private repositories unless …')."""
    a, _b = s.piece_span(pos)
    return patterns()["staff-subject"].search(s.lower, max(a, pos - 80), pos) is not None


def _named_recipients(s: Sentence) -> list[tuple[str, tuple[int, int]]]:
    """Companies named in a sentence that gives information to someone: the organisations the
    vocabulary found, and capitalised names the policy gives as the recipients ('sent to our
    email vendor, Acoustic', 'This includes AppsFlyer')."""
    out = [
        (f"org:{f.value}", f.span)
        for f in s.facts
        if f.kind in ("organisation", "controller") and f.value != "controller"
    ]
    taken = [span for _v, span in out]
    p = patterns()
    starts: list[int] = []
    for f in s.facts:
        if f.kind == "recipient":
            m = p["appositive"].match(s.text, f.span[1])
            if m:
                starts.append(m.start(1))
    for m in p["to-name"].finditer(s.text, s.start, s.end):
        starts.append(m.start(1))
    includes = p["includes"].match(s.lower, s.start)
    if includes:
        starts += [m.start() for m in p["named"].finditer(s.text, includes.end(), s.end)]
    while starts:
        start = starts.pop(0)
        m = p["named"].match(s.text, start)
        if m is None or any(a <= m.start() < b for a, b in taken):
            continue
        name = re.split(r"\.\s", m.group(0))[0].strip(" .,")
        if name.split()[0] in FUNCTION_NAMES or len(name) < 2:
            continue
        out.append((f"org:{name.casefold()}", m.span()))
        taken.append(m.span())
        # a name given with it ('Kevel and Google Ad Manager', Kevel 及 Google Ad Manager)
        more = _AND_NAMED.match(s.text, m.end())
        if more is not None:
            starts.insert(0, more.end())
    return out


_AND_NAMED = regex(
    r"(?:\s*\([^()]{0,200}\))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*(?:及|和|与|以及|或|、)\s*)"
    r"(?=[A-Z])"
)


def _exercised_rights(s: Sentence) -> tuple[str, ...]:
    """``right:<value>`` for the rights whose exercise the sentence's practices follow from
    ('After you withdraw your consent, we will no longer process …', a clause under a heading
    naming the right): what the company does then is part of the right."""
    found = {f.value for f in s.facts if f.kind == "right" and s.conditional(f.span[0])}
    if s.passage.headings:
        found |= {
            f.value
            for f in facts_of(s.passage.headings, s.language)
            if f.kind == "right" and not f.negated
        }
    return tuple(f"right:{v}" for v in sorted(found))


def _heading_purposes(s: Sentence) -> tuple[str, ...]:
    """Purposes the section headings name ('To provide relevant content and ads', 为保障安全):
    the purpose of a statement that names none itself, in a policy organised by purpose."""
    if not s.passage.headings:
        return ()
    facts = facts_of(s.passage.headings, s.language)
    return tuple(sorted({f.value for f in facts if f.kind == "purpose" and not f.negated}))


_ROW_CELLS = regex(r"[^|:：]{1,60}: [^|]* \| [^|:：]{1,60}: ")
"""A row of a table read with its column headings ('Recipient: Acme | Data: e-mail'); a
table's header row names columns and states nothing."""
_ROW_GIVING = frozenset({"share", "sell", "abroad", "disclose", "transfer", "provide", "entrust"})


_RECIPIENT_COLUMN = regex(
    r"(?:categor(?:y|ies) of )?(?:recipients?|third[- ]part(?:y|ies)|(?:business |data )?"
    r"partners?|(?:service )?providers?|(?:sub-?)?processors?|vendors?|suppliers?"
    r"|who (?:we share (?:it |them )?with|receives?(?: it| them)?)|shared with|disclosed to"
    r"|(?:sdk )?(?:第三方|合作方|接收方|提供方|共享对象|共享方|服务商|供应商))"
    r"(?: names?| \(?name\)?|名称|主体)?",
    re.IGNORECASE,
)
"""A column heading that names who receives ('Recipient', 'Service providers', '提供方',
'第三方名称'): the cell under it names the recipient, whatever words it uses."""
_NAME_END = regex(r"\s*[(（,，;；]|\s+(?:that|who|which|whom|when|to|for|such as)\s|[:：]")


def _row_recipient(s: Sentence) -> tuple[str, ...]:
    """``org:<name>`` for the cell of a table row under a column heading that names the
    recipient (:data:`_RECIPIENT_COLUMN`): the row's recipient by its place in the table, even
    when no word of the vocabulary names it ('Pharmacy benefit managers (PBMs) that work with
    your plan' -> ``org:pharmacy benefit managers``); a company named in a parenthesis after
    it is named too ('Cloud hosting provider (Amazon Web Services)'), without its legal
    form."""
    for cell in s.text[s.start : s.end].split(" | "):
        heading, _, value = cell.partition(": ")
        if not value or not _RECIPIENT_COLUMN.fullmatch(heading.strip(" *_")):
            continue
        value = re.sub(r"[*_`\[\]]", "", value).strip()
        cut = _NAME_END.search(value)
        name = " ".join(value[: cut.start() if cut else len(value)].split()).casefold()
        if name and len(name.split()) <= 8 and name not in ("-", "—", "n/a"):
            named = [f"org:{name.rstrip('.。')}"]
            for m in _NAMED_IN_PARENTHESIS.finditer(value):
                inner = org_stem(" ".join(re.sub(r"[,.]", " ", m.group(1)).split()).casefold())
                if inner and len(inner.split()) <= 6:
                    named.append(f"org:{inner}")
            return tuple(named)
    return ()


_NAMED_IN_PARENTHESIS = regex(r"[(（]\s*([A-Z][^()（）]{1,60}?)\s*[)）]")


def _as_row(st: Statement, s: Sentence, recipient: tuple[str, ...] = ()) -> Statement:
    """A sharing statement read from a table row: the recipients are the organisations its
    cells name (``recipient``: the one under a recipient column), third parties all; what the
    column headings call them ('provider', '第三方名称') is how the table is laid out, not who
    receives (renaming a column changes no recipient)."""
    text = s.text[s.start : s.end]
    headings = " ".join(cell.partition(": ")[0].casefold() for cell in text.split(" | "))
    named = {
        f"org:{org_stem(r[4:])}"
        for r in st.recipients
        if r.startswith("org:") and r[4:] not in headings
    }
    named.update(recipient)
    return replace(st, recipients=tuple(sorted({*named, "third-parties"})))


def practices_of(s: Sentence, *, share_context: bool) -> list[Statement]:
    actions = [a for a in _actions(s) if not s.conditional(a.span[0])]
    row = _ROW_CELLS.search(s.text, s.start, s.end) is not None
    recipient = _row_recipient(s) if row else ()
    if row and (recipient or any(f.kind == "recipient" for f in s.facts)):
        # a row of a table of recipients: who receives what, for what, where (a column
        # headed 'information collected' names what the recipient receives)
        own = [
            _as_row(st, s, recipient)
            if st.recipients or (recipient and st.family in ("share", "sell", "abroad"))
            else st
            for st in _statements_of_actions(s, actions, share_context=share_context)
        ]
        if any(a.value in _ROW_GIVING for a in actions):
            return own
        shared = _statements_of_actions(
            s, [_Action("share", (s.start, s.start))], share_context=True, implicit=True
        )
        return own + [_as_row(st, s, recipient) for st in shared]
    if (
        not actions
        and not row
        and _COLLECTED_HEADING.search(s.passage.headings)
        and patterns()["item-label"].match(s.passage.text, s.passage.own)
        and any(f.kind == "pi-category" and not f.negated for f in s.facts)
    ):
        # an entry of a list of what is collected, under a heading that says so ('2.2
        # Information generated when you use our service' + 'Unlock data: the time …')
        actions = [_Action("collect", (s.start, s.start))]
        return _statements_of_actions(s, actions, share_context=share_context, implicit=True)
    if not actions and share_context and patterns()["includes"].match(s.lower, s.start):
        # 'This includes AppsFlyer.' after a sentence that shares: the recipients named
        actions = [_Action("share", (s.start, s.start))]
        return _statements_of_actions(s, actions, share_context=share_context, implicit=True)
    return _statements_of_actions(s, actions, share_context=share_context)


_COLLECTED_HEADING = regex(
    r"(?<![a-z])(?:(?:information|data|details)\s+(?:that\s+)?(?:we|you)\s+(?:collect|receive|obtain"
    r"|gather|give us|provide|share with us)|(?:what|which)\s+(?:personal\s+)?(?:information|data)"
    r"\s+(?:we|do we)\s+(?:collect|process|receive)|(?:information|data)\s+(?:(?:is|are)\s+)?"
    r"(?:generated|collected|created|gathered)|collection of (?:personal\s+)?(?:information|data)"
    r"|(?:information|data) collection)(?![a-z])"
    r"|收集(?:的|哪些)(?:个人)?信息|我们(?:如何)?收集(?:和使用)?(?:的|您的)?(?:个人)?信息|信息的收集"
)
"""A heading over a list of what the company collects ('Information we collect', '2.2
Information generated when you use our service', 我们收集的个人信息)."""
_ASKED = regex(
    r"(?<![a-z])(?:ask|asks|invite|invites|prompt|prompts|request|requests) you(?: whether you want)?"
    r" to\s*$|(?:请求|邀请|询问)您(?:是否)?\s*$"
)
"""What the company asks the user to do ('we will ask you to share a report'): the user's
act, the company's collection when the user agrees."""
_CELL_HEADING = regex(r"(?:^|(?<=\| ))([^|:：\n]{1,40}): (?=[^|]*(?:\||$))")
"""The column heading of a cell of a table row read with its headings ('Location: Germany')."""
_PARENTHESIS = regex(PARENTHESES)


def _statements_of_actions(
    s: Sentence, actions: list[_Action], *, share_context: bool, implicit: bool = False
) -> list[Statement]:
    if not actions:
        return []
    headings = [m.span(1) for m in _CELL_HEADING.finditer(s.text, s.start, s.end)]
    objects: list[tuple[str, tuple[int, int]]] = [
        (subtype_of(s.text, f), f.span)
        for f in s.facts
        if f.kind == "pi-category" and not any(a <= f.span[0] < b for a, b in headings)
    ]  # a column heading ('Location: Germany') names a column, not information handled
    objects += extra_objects(s.text, s.start, s.end)
    recipients = [(f.value, f.span) for f in s.facts if f.kind == "recipient"]
    recipients += [
        ("site-operators", m.span())
        for m in patterns()["site-operators"].finditer(s.lower, s.start, s.end)
    ]
    exceptions = [
        (m.start(), m.end() + len(s.lower[m.end() : s.end].split("，")[0].split(",")[0]))
        for m in patterns()["except"].finditer(s.lower, s.start, s.end)
    ]
    purposes = [
        (f.value, f.span)
        for f in s.facts
        if f.kind == "purpose" and not any(x <= f.span[0] < y for x, y in exceptions)
    ]  # a purpose named in an exception ('除您开启安全驾驶分外') is the exception's
    places = [(f.value, f.span) for f in s.facts if f.kind == "location"]
    named = _named_recipients(s)
    heading_purposes = _heading_purposes(s)
    exercised = _exercised_rights(s)
    action_pieces = {s.piece(a.span[0]) for a in actions}
    out: list[Statement] = []
    asides = [m.span() for m in _PARENTHESIS.finditer(s.text, s.start, s.end)]
    first = min(a.span[0] for a in actions)
    for action in actions:
        own = s.piece(action.span[0])

        # a parenthesis after an earlier verb and before this one adds to that verb's
        # arguments ('we keep the route (and the driving data), and no longer track …')
        earlier = [(x, y) for x, y in asides if y <= action.span[0] and x > first]

        def mine(
            spans: list[tuple[str, tuple[int, int]]],
            own: int = own,
            earlier: list[tuple[int, int]] = earlier,
        ) -> tuple[str, ...]:
            return tuple(
                sorted(
                    {
                        v
                        for v, (a, _b) in spans
                        if (s.piece(a) == own or s.piece(a) not in action_pieces)
                        and not any(x <= a < y for x, y in earlier)
                    }
                )
            )

        family = ACTION_FAMILIES.get(action.value, action.value)
        actor = "company" if implicit else actor_of(s, action.span[0], action.value)
        asked = _ASKED.search(s.lower, max(s.start, action.span[0] - 24), action.span[0])
        if actor == "user" and family == "share" and asked:
            # 'we will ask you to share a crash report with us': collected when the user agrees
            actor, family = "company", "collect"
            action = _Action("collect", action.span)
            extra_conditions: tuple[str, ...] = (f"consent:{asked.group(0).strip()}",)
        else:
            extra_conditions = ()
        if actor in ("user", "other"):
            continue  # what the user does ('you can share a post') is not a practice
        rec = mine(recipients)
        if family in ("share", "sell", "abroad") or share_context:
            rec = tuple(sorted({*rec, *mine(named)}))
        out.append(
            Statement(
                kind="practice",
                actor=actor,
                action=action.value,
                polarity="denied" if is_denied(s, action.span[0]) else "affirmed",
                modality=modality_of(s, action.span[0]),
                scope=scope_of(s, action.span[0]),
                objects=mine(objects),
                recipients=rec if family in ("share", "sell", "abroad") else (),
                purposes=mine(purposes) or heading_purposes,
                places=mine(places),
                conditions=(*conditions_of(s, action.span[0]), *exercised, *extra_conditions),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=shown(s),
            )
        )
    return out
