"""Reading statements: every sentence of a policy as the statements it makes.

:func:`statements_of` reads a clause tree passage by passage (:mod:`analyzer.statements.passages`:
list items with their lead-ins, table rows with their headings), sentence by sentence. The
facts of a passage (:func:`analyzer.facts.extract.facts_of`) are read in their roles
(:mod:`analyzer.statements.roles`) and the passage split into sentences
(:mod:`analyzer.statements.sentences`); what the words around a verb or a right say of it
(who acts, denied or not, modal verb, scope, conditions) is read by
:mod:`analyzer.statements.qualifiers`, with the patterns of :mod:`analyzer.statements.patterns`.
The facts are then grouped around what the sentence does, one module per kind of statement:

- **practices** (:mod:`~analyzer.statements.read_practices`): an action ('collect', 'share',
  'sell', 'look at', 'receive' …) with the information, recipients, purposes and places of its
  sentence; who acts (we, you, a recipient as in 'no company … will receive'); whether it is
  denied (a negation that governs the verb: 'we do not collect or process', 'is never sold',
  'No company … will receive', 不会将…出售 -- not 'it is no surprise that we collect'); its
  modal verb; whether it presents itself as complete ('only', 'in limited circumstances') or
  open ('including'); the conditions it depends on (consent, 'unless', 'if');
- **rights** (:mod:`~analyzer.statements.read_rights`): a right the user may (or may not)
  exercise, only where the sentence grants or denies it ('you can delete', 'you have the right
  to:' + 'request portability', 'to delete your account, go to …', 您可以…删除, 'cannot be
  turned off'), not where it is only named ('contact us about any of the rights above', 'we
  answer deletion requests'); who holds it (the user, or someone else: 'your next of kin may
  …'); its channels, deadline and fee;
- **contacts** (:mod:`~analyzer.statements.read_contacts`) in a contact context (a sentence
  about reaching or complaining, a section headed 'Contact us' or 'Data Protection Officer', a
  table row), with the names and numbers of an address block or a table cell as details;
- **controllers**, **risks**, **deadlines** (the company's to answer or act on a request, the
  user's to exercise a right), **fees** and **retention** periods
  (:mod:`~analyzer.statements.read_other_kinds`).

This module reads a passage's sentences in order with them, adds what only the whole passage
says (a list item that only names a recipient, the recipients a sharing statement inherits
from the one before, the details of an address block) and finds the company's own names.

Pure; small patterns compiled once; linear in the length of each passage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from analyzer.model import ClauseTree
from analyzer.statements.model import PolicyStatements, Statement
from analyzer.statements.passages import Passage, passages_of
from analyzer.statements.patterns import patterns
from analyzer.statements.read_contacts import CHANNEL_WORD, contacts_of, details_of
from analyzer.statements.read_other_kinds import others_of
from analyzer.statements.read_practices import practices_of
from analyzer.statements.read_rights import rights_of
from analyzer.statements.roles import facts_in_roles
from analyzer.statements.sentences import split_sentences
from analyzer.text.compiled import regex

__all__ = ["statements_of", "statements_of_text"]


def _read_passage(passage: Passage, language: str) -> list[Statement]:
    out: list[Statement] = []
    sentences = split_sentences(passage, language)
    share_context = False
    for s in sentences:
        practices = practices_of(s, share_context=share_context)
        share_context = share_context or any(
            p.family in ("share", "sell", "abroad") and not p.denied for p in practices
        )
        out += practices
        out += rights_of(s)
        out += contacts_of(s)
        out += others_of(s)
    named = _named_item(passage, language)
    if named is not None:
        out.append(named)
    _inherit_recipients(out)
    _inherit_objects(out)
    valued = any(st.kind == "contact" and st.action in ("phone", "email", "address") for st in out)
    cells = _contact_cells(passage)
    if valued or cells or _is_address_block(passage):
        details = tuple(dict.fromkeys((*(d for s in sentences for d in details_of(s)), *cells)))
        if details:
            out.append(
                Statement(
                    kind="contact",
                    actor="company",
                    action="details",
                    polarity="affirmed",
                    values=details,
                    clause=passage.clause,
                    address=passage.address,
                    sources=passage.sources,
                    text=" ".join(passage.text.split())[:300],
                )
            )
    return out


_LINK_TARGET = regex(r"\s*\((?:https?://|www\.|mailto:)[^)\s]*\)|[*_\[\]`]")


def _named_item(passage: Passage, language: str) -> Statement | None:
    """A list item that only names someone, under a lead-in that names a class of recipients
    ('our default DNS resolver service providers below:' + 'CIRA'): a named recipient."""
    if not passage.own:
        return None
    lead = passage.text[: passage.own]
    classes = sorted({f.value for f in facts_in_roles(lead, language) if f.kind == "recipient"})
    if not classes:
        return _labelled_recipient(passage, lead, language)
    name = _LINK_TARGET.sub("", passage.text[passage.own :]).strip(" .;,:-–—")
    if not name or len(name.split()) > 6 or not (name[0].isupper() or not name[0].isascii()):
        return None
    if re.search(r"[.!?。]\s", name):
        return None
    return _shared_with(passage, {*classes, f"org:{name.casefold()}"})


_RECIPIENT_LEAD = regex(
    r"(?<![a-z])(?:recipients|(?:share|disclose|provide|transfer)[^:.;]{0,60}(?<![a-z])(?:with|to)"
    r"\s+(?:the\s+following|these|the\s+categories\s+of)[^:.;]{0,30})[^:.;]{0,30}[:：]\s*$"
    r"|(?:向|与)以下[^：:。]{0,16}[：:]\s*$|以下(?:第三方|接收方|合作方)[^：:。]{0,8}[：:]\s*$"
)
"""A lead-in that opens a list of recipients ('We may share Personal Data with the following
recipients:', 我们会向以下第三方提供：)."""
_TEXT_FOLLOWS = regex(r"\s+\S")


def _labelled_recipient(passage: Passage, lead: str, language: str) -> Statement | None:
    """An item of a list of recipients that opens with its label ('AI Model Providers: when
    you use …'): the label names the recipient, whatever the words; the vocabulary's class
    where the label has one ('Service Providers'), else the label itself."""
    if not _RECIPIENT_LEAD.search(lead.casefold()):
        return None
    m = patterns()["item-label"].match(passage.text, passage.own)
    if m is None or not _TEXT_FOLLOWS.match(passage.text, m.end()):
        return None
    label = _LINK_TARGET.sub("", m.group("label")).strip()
    if not label or len(label.split()) > 6 or not (label[0].isupper() or not label[0].isascii()):
        return None
    named = {f.value for f in facts_in_roles(label, language) if f.kind == "recipient"}
    return _shared_with(passage, named or {f"org:{' '.join(label.casefold().split())}"})


def _shared_with(passage: Passage, recipients: set[str]) -> Statement:
    """The sharing statement of a list item that names its recipients."""
    return Statement(
        kind="practice",
        actor="company",
        action="share",
        polarity="affirmed",
        recipients=tuple(sorted(recipients)),
        clause=passage.clause,
        address=passage.address,
        sources=passage.sources,
        text=" ".join(passage.text.split()),
    )


def _inherit_recipients(statements: list[Statement]) -> None:
    """In one passage, a sharing statement that names no recipient shares with the recipients
    of the sharing statement before it ('If we are audited by a tax authority, we may be
    required to share billing-related information. If that happens, we only share the bare
    minimum …')."""
    last: tuple[str, ...] = ()
    for k, st in enumerate(statements):
        if st.kind != "practice" or st.family not in ("share", "sell", "abroad") or st.denied:
            continue
        if st.recipients:
            last = st.recipients
        elif last:
            statements[k] = replace(st, recipients=last)


_PRONOUN = regex(
    r"(?<![a-z])(?:them|it|they|these|those|such (?:data|information))(?![a-z])|它们|其"
)


def _inherit_objects(statements: list[Statement]) -> None:
    """In one sentence, a practice that names no information but points back to it ('we do
    not use recordings to train … and we do not share them') handles the information of the
    practice before it."""
    last: tuple[str, str, tuple[str, ...]] | None = None
    for k, st in enumerate(statements):
        if st.kind != "practice":
            continue
        if st.objects:
            last = (st.text, st.action, st.objects)
        elif (
            last is not None
            and last[0] == st.text
            and last[1] != st.action
            and _PRONOUN.search(st.text.casefold())
        ):
            statements[k] = replace(st, objects=last[2])


_ADDRESS_LINE = regex(r"\d")


_NUMBERED = regex(r"\d{3}|@")


def _contact_cells(passage: Passage) -> tuple[str, ...]:
    """The named entries of a row of a contact table ('个人信息保护负责人 | 林若溪', read
    with its column headings), as details: who is named there, whatever the script. Cells
    with numbers or addresses are left to the phone, e-mail and address statements."""
    text = passage.text[passage.own :]
    if " | " not in text:
        return ()
    cells = text.split(" | ")
    # the row's context: its section, its column headings and its own label (the first
    # cell), not what its other cells hold ('What we share: name, e-mail address')
    labels = [cell.partition(": ")[0] for cell in cells]
    context = f"{passage.headings}\n{' '.join(labels)}\n{cells[0].partition(': ')[2]}"
    if not patterns()["contact-heading"].search(context.casefold()):
        return ()
    out: list[str] = []
    for cell in cells:
        name, colon, value = cell.partition(": ")
        value = value.strip()
        if not colon or len(name) > 40 or not value or _NUMBERED.search(value):
            continue
        if patterns()["contact-heading"].search(value.casefold()) or CHANNEL_WORD.search(value):
            continue  # the row's own label ('客服电话', 'Data Protection Officer')
        out += [f"detail:{w.casefold()}" for w in re.findall(r"\w+", value) if len(w) > 1]
    return tuple(out)


def _is_address_block(passage: Passage) -> bool:
    """A passage that holds a postal address: at least two short lines (eight words or
    fewer, table bars aside), one with a number, most of their words capitalised or numbers
    ('Rue de la Loi 28' / '1040 Brussels' / 'Belgium')."""
    lines = [
        line.strip(" |*_\t") for line in passage.text[passage.own :].replace("|", "\n").splitlines()
    ]
    shaped = []
    for line in lines:
        words = line.split()
        if not words or len(words) > 8:
            continue
        named = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or not w[:1].isascii())
        if named >= 0.6 * len(words):
            shaped.append(line)
    return len(shaped) >= 2 and any(_ADDRESS_LINE.search(line) for line in shaped)


def statements_of_text(
    text: str, language: str = "en", *, clause: str = "text"
) -> tuple[Statement, ...]:
    """The statements of one text read as a single passage (tests, one-off checks)."""
    passage = Passage(clause, clause, (clause,), text, 0, "")
    return tuple(_read_passage(passage, _language(language)))


# A passage's reading depends on the passage and the language only, and its statements are
# frozen: each is read once per process. The evidence and the policy summary read the same
# version, a revision's two versions share most passages, and in a history every version is
# the new side of one revision and the old side of the next.
_KEPT = 8192


@lru_cache(maxsize=_KEPT)
def _passage_statements(passage: Passage, language: str) -> tuple[Statement, ...]:
    return tuple(_read_passage(passage, language))


@lru_cache(maxsize=_KEPT)
def _mentions(text: str, language: str) -> frozenset[str]:
    return frozenset(f"{f.kind}:{f.value}" for f in facts_in_roles(text, language))


@lru_cache(maxsize=_KEPT)
def _surface(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The passage's words (case-folded) and its capitalised words, one per use."""
    words = frozenset(w.casefold() for w in re.findall(r"\w+", text))
    return words, tuple(m.group(0).casefold() for m in _CAPITALISED.finditer(text))


def _language(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


_CAPITALISED = regex(r"(?<![\w.])[A-Z][a-z]{2,}(?:[A-Z][a-z]+)?(?![\w])")
_OWN_NAME_LEAST = 8
"""Fewest uses that make a capitalised word the company's own name (with at least a third of
the uses of the most frequent one: the company and its main product, 'Mozilla' and
'Firefox')."""


def statements_of(
    tree: ClauseTree, *, exclude: Callable[[str], bool] | None = None
) -> PolicyStatements:
    """Everything ``tree`` states, passage by passage, in document order. ``exclude`` names
    passages to leave out (the judgement leaves out the policy's own list of what counts as
    a major change: naming 'high risks' there is no statement that a risk exists)."""
    language = _language(tree.language)
    out: list[Statement] = []
    mentions: set[str] = set()
    words: set[str] = set()
    capitalised: Counter[str] = Counter()
    for passage in passages_of(tree):
        passage_words, passage_names = _surface(passage.text)
        words.update(passage_words)
        capitalised.update(passage_names)
        if exclude is not None and exclude(passage.text):
            continue
        mentions.update(_mentions(passage.text, language))
        out += _passage_statements(passage, language)
    top = max(capitalised.values(), default=0)
    own = {w for w, n in capitalised.items() if n >= max(_OWN_NAME_LEAST, top / 3)}
    for st in out:
        if st.kind == "controller":
            own.update(
                v[4:].split()[0] for v in st.values if v.startswith("org:") and v[4:].split()
            )
    own.discard("controller")
    return PolicyStatements(
        statements=tuple(out),
        language=language,
        source=tree.source,
        mentions=frozenset(mentions),
        words=frozenset(words),
        own_names=frozenset(own),
    )
