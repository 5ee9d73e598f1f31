"""The passages a policy is read in: each clause's text as a reader takes it in.

A list item is read with its lead-in ('We will never:' + 'sell your personal information' is
'We will never sell your personal information'), a table row with its column headings
('Recipient: Acme Ltd | Purpose: payments'), and every clause with the headings of the sections
it sits in as context (a phone number under 'Contact us' is a contact). :func:`passages_of`
gives one :class:`Passage` per clause, in document order.

Pure functions over the clause tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analyzer.model import Clause, ClauseTree
from analyzer.text.compiled import regex
from analyzer.text.scan import ascii_lower, sentence_starts

__all__ = ["Passage", "clause_text", "lead_in", "passages_of"]


@dataclass(frozen=True)
class Passage:
    """One clause as read: its words, what they complete, where it sits."""

    clause: str
    """Id of the clause."""
    address: str
    """The clause as a reader names it."""
    sources: tuple[str, ...]
    """Ids of the clauses read: the clause, and the lead-in or table it completes."""
    text: str
    """What is read: the lead-in, a colon and the clause's text, or a table row with its
    column headings."""
    own: int
    """Offset in :attr:`text` where the clause's own words start (after a lead-in's ': ');
    0 when there is no lead-in."""
    headings: str
    """Headings of the sections the clause sits in and its own, outermost first, lower case,
    joined by `` / ``."""


_LEAD_END = regex(r"[:：]\s*$")
_DANGLING = regex(
    r"(?<![a-z])(?:except(?: for)?|unless|other than|apart from|save for|including|such as"
    r"|namely)\s*$|(?:除|包括|例如|诸如)\s*$"
)
"""A paragraph that breaks off on an open word ('… do not access private repositories except
for'): the list right after it completes its last sentence, as if it ended with a colon."""
_LIST_END = regex(r"[;；,，]\s*(?:and|or|以及|或)?\s*$|\s+(?:and|or)\s*$")


def clause_text(clause: Clause, index: Mapping[str, Clause] | None = None) -> str:
    """What a clause states: its own heading and its text. A row of a table (given the tree's
    ``index``) reads with its column headings, cell by cell ('Subprocessor: Lumisight
    Analytics | Where the data sits: United States'): the headings say what each cell is."""
    text = f"{clause.heading}\n{clause.text}" if clause.heading else clause.text
    row = _row_text(clause, index)
    return row if row is not None else text


def _row_text(clause: Clause, index: Mapping[str, Clause] | None) -> str | None:
    if index is None or clause.parent is None or clause.heading:
        return None
    table = index.get(clause.parent)
    if table is None or table.kind != "table":
        return None
    names = [c.strip() for c in table.text.split(" | ")]
    cells = [c.strip() for c in clause.text.split(" | ")]
    if len(names) != len(cells) or len(names) < 2 or not all(names):
        return None
    return " | ".join(f"{name}: {cell}" for name, cell in zip(names, cells, strict=True))


def lead_in(parent: Clause) -> str:
    """The words of ``parent`` that its list items complete: its last sentence when it ends
    with a colon ('You have the right to:'), without the colon; '' otherwise."""
    # (the colon is put back between the lead-in and each item by :func:`passages_of`)
    text = parent.text.strip() or (parent.heading or "").strip()
    if not _LEAD_END.search(text):
        return ""
    body = _LEAD_END.sub("", text)
    starts = sentence_starts(ascii_lower(body))
    last = body[starts[-1] :].strip()
    return last


def _headings(clause: Clause, index: Mapping[str, Clause]) -> str:
    chain: list[str] = []
    current: Clause | None = clause
    while current is not None:
        if current.heading:
            chain.append(current.heading)
        current = index.get(current.parent) if current.parent else None
    return ascii_lower(" / ".join(dict.fromkeys(reversed(chain))))


def passages_of(tree: ClauseTree) -> tuple[Passage, ...]:
    """Every clause of ``tree`` with text, as read, in document order (tables of contents
    and a table's heading row left out: they state nothing by themselves)."""
    index = tree.by_id()
    out: list[Passage] = []
    dangling: tuple[Clause, str] | None = None  # a paragraph the items after it complete
    for clause in tree.clauses:
        if clause.kind in ("contents", "table") or not clause.text.strip():
            continue
        if clause.kind != "item" and not (dangling and clause.parent == dangling[0].id):
            dangling = None
            if clause.kind == "paragraph" and _DANGLING.search(clause.text.strip()):
                body = clause.text.strip()
                starts = sentence_starts(ascii_lower(body))
                dangling = (clause, body[starts[-1] :].strip())
        sources = [clause.id]
        row = _row_text(clause, index)
        if row is not None:
            assert clause.parent is not None
            out.append(
                Passage(
                    clause.id,
                    clause.address,
                    (clause.id, clause.parent),
                    row,
                    0,
                    _headings(clause, index),
                )
            )
            continue
        text = clause.text.strip()
        own = 0
        parent = index.get(clause.parent) if clause.parent else None
        if parent is not None:
            lead = lead_in(parent)
            if (
                not lead
                and dangling
                and clause.kind == "item"
                and parent.id
                in (
                    dangling[0].parent,
                    dangling[0].id,
                )
            ):
                lead, parent = dangling[1], dangling[0]
            if lead:
                # 'We will never:' + 'sell your data;' reads 'We will never: sell your data';
                # the reader lets the lead-in's negation and modal verb reach across the colon
                text = f"{lead}: {_LIST_END.sub('', text)}"
                own = len(lead) + 2
                sources.append(parent.id)
        out.append(
            Passage(clause.id, clause.address, tuple(sources), text, own, _headings(clause, index))
        )
    return tuple(out)
