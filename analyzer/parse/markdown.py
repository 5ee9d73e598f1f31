"""Markdown -> blocks, with markdown-it-py (CommonMark plus tables and strikethrough).

The only module that imports markdown-it-py. Headings keep their level; list items their number
as written (``3.``) and the item that holds them; tables give one block for the header row and
one per body row (cells joined by `` | ``); block quotes are read through; HTML blocks are read
by :mod:`analyzer.parse.html` (a Mozilla table written in HTML inside Markdown becomes rows too); code
keeps its text. Inline markup is dropped, link targets stay as ``text (url)``, kramdown
attribute lists (``{: #anchor }``) go.

markdown-it stops descending past ``maxNesting`` levels (a quote in a quote … twenty deep) and
silently drops what lies deeper. No word of a policy may vanish, so every non-blank source line
that no block covers is read back as a plain paragraph (the lines of link reference definitions
excepted: they are markup).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from markdown_it import MarkdownIt  # noqa: TID251 (this module owns markdown-it-py)
from markdown_it.token import Token  # noqa: TID251

from analyzer.parse.blocks import MAX_CONTAINER_DEPTH, Block, BlockKind, item_container, link_suffix
from analyzer.parse.html import html_fragment
from analyzer.text.normalize import normalize_lines

_KRAMDOWN_IAL = re.compile(r"\{:[^{}\n]{0,300}\}")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*\S")
_CONTAINER_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t]))*")
_LEAF_TYPES = frozenset({"inline", "code_block", "fence", "html_block", "hr", "table_open"})


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render_inline(children: Sequence[Token] | None) -> str:
    """The readable text of an inline token: markup dropped, ``text (url)`` for links, images
    as their alt text, line breaks kept, kramdown attribute lists removed."""
    out: list[str] = []
    links: list[tuple[str, int]] = []
    for token in children or ():
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "link_open":
            links.append((str(token.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and links:
            href, position = links.pop()
            suffix = link_suffix("".join(out[position:]), href)
            if suffix:
                out.append(suffix)
        elif kind == "image":
            out.append(token.content)
        elif kind == "html_inline" and re.match(r"<br\s*/?>", token.content, re.IGNORECASE):
            out.append("\n")
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    text = _KRAMDOWN_IAL.sub(" ", text)
    return "\n".join(line for line in normalize_lines(text) if line)


@dataclass
class _Item:
    list_id: int
    label: str | None
    value: int | None
    start: int
    end: int
    index: int | None = None


class _Walker:
    """One pass over the token stream, producing blocks (and the flat text alongside)."""

    def __init__(self, text: str) -> None:
        self.source_lines = text.split("\n")
        self.tokens = _markdown().parse(text)
        self.blocks: list[Block] = []
        self.flat: list[str] = []
        self.items: list[_Item] = []
        self.lists: list[int] = []
        self.list_counters: dict[int, int] = {}
        self.next_list = 0
        self.covered = self._covered_lines()
        self.recovered_up_to = 0

    def _covered_lines(self) -> list[bool]:
        covered = [False] * (len(self.source_lines) + 2)
        for token in self.tokens:
            if token.type in _LEAF_TYPES and token.map:
                first, last = token.map
                for line in range(first, max(last, first + 1)):
                    if line < len(covered):
                        covered[line] = True
        return covered

    # -- recovery of what markdown-it dropped ----------------------------------------------
    def _recover(self, before: int) -> None:
        """Emit source lines (0-based, up to ``before``) that no block covered."""
        run: list[tuple[int, str]] = []
        limit = min(before, len(self.source_lines))
        for number in range(self.recovered_up_to, limit):
            line = self.source_lines[number]
            lost = (
                not self.covered[number]
                and line.strip()
                and not _LINK_DEFINITION.match(line)
                and not _is_markup_only(line)
            )
            if lost:
                run.append((number, _strip_containers(line)))
            elif run:
                self._emit_recovered(run)
                run = []
        if run:
            self._emit_recovered(run)
        self.recovered_up_to = max(self.recovered_up_to, limit)

    def _emit_recovered(self, run: list[tuple[int, str]]) -> None:
        text = _tidy("\n".join(part for _, part in run))
        self.flat.append(text)
        if text:
            self.blocks.append(Block("paragraph", text, run[0][0] + 1, run[-1][0] + 1))

    # -- the walk ----------------------------------------------------------------------------
    def walk(self) -> None:
        tokens = self.tokens
        position = 0
        while position < len(tokens):
            token = tokens[position]
            kind = token.type
            if token.map:
                self._recover(token.map[0])
            if kind == "heading_open":
                text = render_inline(tokens[position + 1].children)
                self.flat.append(text)
                self._emit_leaf("heading", text, token, level=int(token.tag[1:]))
                position += 3
                continue
            if kind == "paragraph_open":
                text = render_inline(tokens[position + 1].children)
                self.flat.append(text)
                self._paragraph(text, token)
                position += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                self.next_list += 1
                self.lists.append(self.next_list)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                if self.lists:
                    self.lists.pop()
            elif kind == "list_item_open":
                self._open_item(token)
            elif kind == "list_item_close":
                self._close_item()
            elif kind in ("code_block", "fence"):
                text = _tidy(token.content)
                self.flat.append(text)
                self._emit_leaf("paragraph", text, token)
            elif kind == "html_block":
                self._html(token)
            elif kind == "table_open":
                position = self._table(position)
                continue
            position += 1
        self._recover(len(self.source_lines))

    def _open_item(self, token: Token) -> None:
        ordered = token.markup in (".", ")")
        label = f"{token.info}{token.markup}" if ordered and token.info else None
        list_id = self.lists[-1] if self.lists else 0
        value = None
        if ordered and token.info.isdigit():
            # CommonMark numbers a list from its first item on ("1. 1. 1." reads 1, 2, 3)
            previous = self.list_counters.get(list_id)
            value = int(token.info) if previous is None else previous + 1
            self.list_counters[list_id] = value
        if label:
            self.flat.append(label)
        first, last = token.map or (0, 1)
        self.items.append(_Item(list_id, label, value, first + 1, max(first + 1, last)))

    def _close_item(self) -> None:
        if not self.items:
            return
        item = self.items[-1]
        if item.index is None and item.label:
            self._container()  # an empty numbered item still shows its number
        self.items.pop()

    def _paragraph(self, text: str, token: Token) -> None:
        usable = len(self.items) <= MAX_CONTAINER_DEPTH
        item = self.items[-1] if self.items and usable else None
        if item is not None and item.index is None:
            container = self._container_of(len(self.items) - 1)
            first, last = token.map or (item.start - 1, item.start)
            item.index = self._append(
                "item",
                text,
                first + 1,
                max(first + 1, last),
                container=container,
                list_id=item.list_id,
                label=item.label,
                value=item.value,
            )
            return
        self._emit_leaf("paragraph", text, token)

    def _emit_leaf(self, kind: BlockKind, text: str, token: Token, *, level: int = 0) -> None:
        if not text:
            return
        first, last = token.map or (0, 1)
        self._append(kind, text, first + 1, max(first + 1, last), level=level)

    def _append(
        self,
        kind: BlockKind,
        text: str,
        start: int,
        end: int,
        *,
        level: int = 0,
        container: int | None = -1,
        list_id: int | None = None,
        label: str | None = None,
        value: int | None = None,
    ) -> int:
        if container == -1:
            container = self._container()
        self.blocks.append(Block(kind, text, start, end, level, container, list_id, label, value))
        return len(self.blocks) - 1

    def _container(self) -> int | None:
        return self._container_of(min(len(self.items), MAX_CONTAINER_DEPTH))

    def _container_of(self, depth: int) -> int | None:
        """Block index of the list item at ``depth``, emitting open items (empty) up to it."""
        return item_container(self.items, depth, self._append_item)

    def _append_item(self, item: _Item, container: int | None) -> int:
        return self._append(
            "item",
            "",
            item.start,
            item.start,
            container=container,
            list_id=item.list_id,
            label=item.label,
            value=item.value,
        )

    def _html(self, token: Token) -> None:
        first = token.map[0] if token.map else 0
        blocks, text = html_fragment(token.content, line_offset=first)
        self.flat.append(text)
        if not blocks:
            return
        outer = self._container()
        offset = len(self.blocks)
        for block in blocks:
            container = outer if block.container is None else block.container + offset
            self.blocks.append(replace(block, container=container))

    def _table(self, position: int) -> int:
        """Read a table starting at ``position``; return the position after it."""
        tokens = self.tokens
        table_token = tokens[position]
        rows: list[tuple[str, int, int, bool]] = []
        cells: list[str] = []
        in_head = False
        row_map: tuple[int, int] = (0, 1)
        position += 1
        while position < len(tokens) and tokens[position].type != "table_close":
            token = tokens[position]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                cells = []
                row_map = (token.map[0], token.map[1]) if token.map else row_map
            elif token.type == "inline":
                text = render_inline(token.children)
                self.flat.append(text)
                cells.append(text)
            elif token.type == "tr_close":
                text = " | ".join(cell for cell in cells if cell)
                rows.append((text, row_map[0] + 1, max(row_map[0] + 1, row_map[1]), in_head))
            position += 1
        header = next((r for r in rows if r[3]), None)
        first = table_token.map[0] + 1 if table_token.map else 1
        head_text, head_start, head_end = (
            (header[0], header[1], header[2]) if header else ("", first, first)
        )
        index = self._append("table", head_text, head_start, head_end)
        for text, start, end, is_head in rows:
            if not is_head and text:
                self._append("row", text, start, end, container=index)
        return position + 1

    def text(self) -> str:
        return "\n".join(self.flat)


def _strip_containers(line: str) -> str:
    """A recovered line without the quote markers and list bullets that opened it."""
    return _CONTAINER_MARKERS.sub("", line, count=1)


def _is_markup_only(line: str) -> bool:
    """A line of container markers alone (``> > >``, ``-``): nothing to read."""
    return not re.sub(r"[>\-*+ \t]", "", line[:1000]) and len(line) <= 1000


@lru_cache(maxsize=4)
def _read(text: str) -> tuple[tuple[Block, ...], str]:
    """One markdown-it pass gives both the blocks and the flat text; parsing a version and
    then checking it for lost text reads it once."""
    walker = _Walker(text)
    walker.walk()
    return tuple(walker.blocks), walker.text()


def markdown_blocks(text: str) -> list[Block]:
    """A Markdown body -> blocks in document order."""
    return list(_read(text)[0])


def markdown_text(text: str) -> str:
    """The readable text of a Markdown body (every word a reader sees, in order): the
    reference the no-text-lost check compares the clause tree with. It is gathered token by
    token, apart from the block structure, so a block the structure drops shows up missing."""
    return _read(text)[1]


def tokenize(text: str) -> int:
    """markdown-it's own pass over a text (the number of block tokens): the baseline the
    parsing benchmark compares with. Nothing in the pipeline uses it."""
    return len(_markdown().parse(text))
