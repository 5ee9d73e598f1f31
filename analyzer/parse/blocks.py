"""The unit the format readers hand to the tree builder: a block of text with its line span.

:mod:`analyzer.parse.text`, :mod:`analyzer.parse.markdown` and :mod:`analyzer.parse.html` each
turn a body into a list of :class:`Block` in document order; :mod:`analyzer.parse.tree` turns
blocks into clauses. Blocks carry what the
markup said (a heading's level, a list item's number, which item or table holds a block) and
nothing the builder has to guess; guessing (numbering, headings in plain text) is the builder's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

BlockKind = Literal["heading", "paragraph", "item", "table", "row"]

MAX_CONTAINER_DEPTH = 32
"""Containers nested deeper than this (lists in lists, quotes in quotes) hang their blocks on the
container at this depth: the text stays, the tree stays shallow enough to walk and print."""


@dataclass(frozen=True)
class Block:
    """One block of a version's text."""

    kind: BlockKind
    """``heading`` (markup heading), ``paragraph`` (also code and HTML text), ``item`` (a list
    item's own text), ``table`` (its header row) or ``row`` (one body row of a table)."""
    text: str
    """Readable text: markup removed, link targets kept as ``text (url)``, lines joined by
    newlines, blanks normalised. Empty for an item or table that only holds other blocks."""
    start: int
    """First line in the body, 1-based."""
    end: int
    """Last line in the body, 1-based, inclusive."""
    level: int = 0
    """Heading level 1-6 for ``heading``; 0 otherwise."""
    container: int | None = None
    """Index (in the block list) of the item or table this block belongs to; None for blocks
    in the main flow of the document."""
    list_id: int | None = None
    """Items of one list share it."""
    label: str | None = None
    """The number of an ordered list item as written in the source (``3.``); None when the
    markup numbers the list itself (HTML ``<ol>``) or the list is unordered."""
    value: int | None = None
    """The number of an ordered list item (from the source or counted), else None."""


def link_suffix(text: str, href: str | None) -> str:
    """What a link adds after its text: ``" (url)"``, the url itself when the link has no text,
    or nothing when the text already is the url (autolinks, ``[a@b.c](mailto:a@b.c)``).

    Policies mean their links (a changed URL is a changed clause), so every reader keeps the
    target in the text this same way.
    """
    href = (href or "").strip()
    if not href or href.lower().startswith("javascript:"):
        return ""
    shown = " ".join(text.split())
    bare = href[7:] if href.lower().startswith("mailto:") else href
    if not shown:
        return href
    if shown in (href, bare):
        return ""
    return f" ({href})"


class OpenItem(Protocol):
    """A list item a reader has open: its block index once emitted."""

    index: int | None


Item = TypeVar("Item", bound=OpenItem)


def item_container(
    items: Sequence[Item], depth: int, emit: Callable[[Item, int | None], int]
) -> int | None:
    """The block index of the open list item at ``depth`` (1-based), emitting with
    ``emit(item, its container)`` each open item up to it that has no block yet (an item whose
    text comes after a nested list still holds it). None at depth 0: nothing holds what is
    read. Readers pass a depth of at most :data:`MAX_CONTAINER_DEPTH`."""
    container: int | None = None
    for item in items[:depth]:
        if item.index is None:
            item.index = emit(item, container)
        container = item.index
    return container
