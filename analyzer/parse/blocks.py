"""The unit the format readers hand to the tree builder: a block of text with its line span.

:mod:`analyzer.parse.text`, :mod:`analyzer.parse.markdown` and :mod:`analyzer.parse.html` each
turn a body into a list of :class:`Block` in document order; :mod:`analyzer.parse.tree` turns
blocks into clauses. Blocks carry what the
markup said (a heading's level, a list item's number, which item or table holds a block) and
nothing the builder has to guess; guessing (numbering, headings in plain text) is the builder's.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, TypeVar

from analyzer.text.compiled import regex

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


LONGEST_BLOCK = 65_536
"""A block of text longer than this (four times the longest paragraph of the real policies in
the shared corpus) is read in pieces (:func:`split_long_blocks`)."""
_PIECE = 4_096
"""The longest piece a long block is cut into (a few paragraphs' worth: some stages read a
clause's sentences in time that grows faster than their length)."""
_SHORTEST_PIECE = 1_024
_WORD_AFTER_SPACE = regex(r"\s+(\S{1,64})")


def split_long_blocks(blocks: Sequence[Block]) -> tuple[list[Block], list[tuple[int, int, int]]]:
    """Blocks longer than :data:`LONGEST_BLOCK` cut into consecutive pieces of at most
    :data:`_PIECE` characters, every character kept; and, for each block cut, (line, length,
    pieces) for a warning.

    Nobody reads a paragraph of megabytes as one clause, and every stage of the analysis is
    linear in a clause at best: a single 5 MB line made ``policy diff`` take minutes. The cuts
    depend on the text around them, not on offsets (before a word whose CRC-32 is a multiple of
    16, at least :data:`_SHORTEST_PIECE` characters after the last cut; where none comes in
    reach, before the word of the smallest CRC-32 that does), so a few words inserted into a
    huge paragraph change the pieces around them only, and the rest are matched as identical.
    A run without spaces is cut every :data:`_PIECE` characters. The
    pieces after the first are paragraphs beside it, in the same container."""
    if all(len(block.text) <= LONGEST_BLOCK for block in blocks):
        return list(blocks), []
    out: list[Block] = []
    cut: list[tuple[int, int, int]] = []
    position: dict[int, int] = {}
    for index, block in enumerate(blocks):
        position[index] = len(out)
        if len(block.text) <= LONGEST_BLOCK:
            out.append(block)
            continue
        pieces = _pieces(block.text)
        cut.append((block.start, len(block.text), len(pieces)))
        out.append(replace(block, text=pieces[0]))
        out += [
            Block("paragraph", piece, block.start, block.end, container=block.container)
            for piece in pieces[1:]
        ]
    renumbered = [
        b if b.container is None else replace(b, container=position[b.container]) for b in out
    ]
    return renumbered, cut


def _pieces(text: str) -> list[str]:
    crc: dict[str, int] = {}
    cuts = [0]
    # words that may end the piece when no word of the chosen kind comes in reach: (CRC-32,
    # where), at least _SHORTEST_PIECE after the last cut
    reach: list[tuple[int, int]] = []

    def forced() -> None:
        """The piece would pass _PIECE: cut before the word of the smallest CRC-32 in reach
        (content-defined still: text repeated line after line is cut at the same word of each
        line whatever was inserted before), else (no space in reach) at _PIECE."""
        nonlocal reach
        last = cuts[-1]
        eligible = [w for w in reach if w[1] - last <= _PIECE]
        cuts.append(min(eligible)[1] if eligible else last + _PIECE)
        reach = [w for w in reach if w[1] - cuts[-1] >= _SHORTEST_PIECE]

    for match in _WORD_AFTER_SPACE.finditer(text):
        at = match.start(1)
        while at - cuts[-1] > _PIECE:
            forced()
        if at - cuts[-1] < _SHORTEST_PIECE:
            continue
        word = match.group(1)
        value = crc.get(word)
        if value is None:
            value = crc[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        if value % 16 == 0:
            cuts.append(at)
            reach = []
        else:
            reach.append((value, at))
    while len(text) - cuts[-1] > _PIECE:
        forced()
    cuts.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(cuts) if a < b]


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
