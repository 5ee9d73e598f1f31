"""Document -> ClauseTree: read the body into blocks, then build the clause tree from them.

``parse`` dispatches on :attr:`Document.format` to one reader (:mod:`~analyzer.parse.text`,
:mod:`~analyzer.parse.markdown`, :mod:`~analyzer.parse.html`), then one builder turns blocks
into clauses the way a reader of the policy would (the walk is here; where numbered clauses go
is :mod:`~analyzer.parse.placement`, tables of contents :mod:`~analyzer.parse.contents`, ids
and addresses :mod:`~analyzer.parse.ids`):

- **numbers decide the parent**: ``2.1.1`` goes under ``2.1``; ``(1)`` under the clause it
  follows; ``一、`` opens a section and ``（一）`` an item inside it. Families of numbering nest
  in the order they appear, dotted numbers by their prefix (:mod:`~analyzer.parse.numbering`);
- **Markdown and HTML headings nest by level**, and a numbered heading (``### 1. Account
  Controls`` under ``## B. Account Terms``) numbers its clause (2, 1);
- **a short numbered line without closing punctuation that has content after it is a heading**
  (``2.1. Help you become our member``); a numbered list item that reads like a heading and is
  followed by dotted clauses groups them (the seed's ``(1) To provide you with basic
  functions…`` over 2.1–2.4), without changing their numbers;
- **unnumbered paragraphs attach to the clause or heading they follow**: after a list, to the
  clause that introduced the list; after a dotted clause, to the nearest enclosing heading;
  a paragraph ending with a colon hosts the list that follows it;
- **the preamble** (everything before the first section) has ``number=()``, and a table of
  contents (a run of short numbered titles whose numbers start again later with real content,
  or a list of in-page links) is one ``contents`` clause;
- **damage is repaired and reported**: a number in words, a duplicated or out-of-sequence
  number, a number of the wrong style (``III`` among ``1、 2、``), a stray space (``3.1.2 .``).

Nothing is lost: :func:`analyzer.parse.lost.lost_text` compares the words of the tree with the
words of the document.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from analyzer.model import Clause, ClauseTree, Document
from analyzer.parse.blocks import Block, split_long_blocks
from analyzer.parse.contents import find_contents, find_title
from analyzer.parse.ids import freeze, name_clauses
from analyzer.parse.nodes import Node, OpenClauses
from analyzer.parse.numbering import SECTION_FAMILIES, Numbering, read_numbers
from analyzer.parse.placement import Numbers
from analyzer.parse.shape import plain_title_like, title_like
from analyzer.parse.text import text_blocks
from analyzer.text.normalize import detect_language

__all__ = ["first_heading", "parse", "read_blocks", "read_notes"]


def read_blocks(document: Document) -> list[Block]:
    """The body of a document as blocks, by its format (blocks of megabytes cut into pieces:
    :func:`analyzer.parse.blocks.split_long_blocks`)."""
    return split_long_blocks(_format_blocks(document))[0]


def _format_blocks(document: Document) -> list[Block]:
    if document.format == "markdown":
        from analyzer.parse.markdown import markdown_blocks

        return markdown_blocks(document.text)
    if document.format == "html":
        from analyzer.parse.html import html_blocks

        return html_blocks(document.text)
    return text_blocks(document.text)


def read_notes(document: Document) -> tuple[str, ...]:
    """What a reader of the rendered Markdown or HTML does not see as the version's text
    (:mod:`analyzer.parse.rendered`), one line each, with the line of the file."""
    if document.format == "markdown":
        from analyzer.parse.markdown import markdown_notes

        notes = markdown_notes(document.text)
    elif document.format == "html":
        from analyzer.parse.html import html_notes

        notes = html_notes(document.text)
    else:
        return ()
    offset = document.body_line - 1
    return tuple(dataclasses.replace(n, line=n.line + offset).describe() for n in notes)


def first_heading(document: Document) -> str | None:
    """The words of the document's first heading of the highest level it uses (a Markdown
    ``#``, an HTML ``<h1>``; a plain text has none), at most 200 characters."""
    headings = [b for b in read_blocks(document) if b.kind == "heading" and b.text.strip()]
    if not headings:
        return None
    top = min(b.level for b in headings)
    words = " ".join(next(b for b in headings if b.level == top).text.split())
    return words.lstrip("#").strip()[:200] or None


def parse(document: Document) -> ClauseTree:
    """Parse a version into its clause tree (never raises on any text)."""
    blocks, cut = split_long_blocks(_format_blocks(document))
    builder = _Builder(blocks, document.format, line_offset=document.body_line - 1)
    clauses, warnings = builder.build()
    offset = document.body_line - 1
    warnings += [
        f"line {line + offset}: a paragraph of {length:,} characters, read in {pieces} pieces"
        for line, length, pieces in cut
    ]
    hidden = read_notes(document)
    language = document.meta.get("language")
    if not isinstance(language, str) or not language:
        language = detect_language(document.text)
    return ClauseTree(
        source=document.source,
        meta=document.meta,
        clauses=tuple(clauses),
        warnings=(*document.warnings, *warnings, *hidden),
        sha256=document.sha256,
        language=language,
        hidden=hidden,
    )


# -- the builder ------------------------------------------------------------------------------


class _Builder:
    """Walks the blocks once, in order, and nests each into the open clauses (see the module
    docstring); :mod:`~analyzer.parse.placement` decides where numbered ones go."""

    def __init__(self, blocks: Sequence[Block], fmt: str, *, line_offset: int) -> None:
        self.blocks = blocks
        self.fmt = fmt
        self.offset = line_offset
        self.nodes: list[Node] = []
        self.of_block: dict[int, Node] = {}
        self.open = OpenClauses()
        self.warnings: list[tuple[int, str]] = []
        self.flow = [i for i, b in enumerate(blocks) if b.container is None]
        self.next_flow = dict(itertools.pairwise(self.flow))
        self.prev_flow = {b: a for a, b in itertools.pairwise(self.flow)}
        self.readings: dict[int, list[Numbering]] = {}
        for index in self.flow:
            block = blocks[index]
            if block.kind in ("paragraph", "heading"):
                found = read_numbers(block.text, heading=block.kind == "heading")
                if found:
                    self.readings[index] = found
        self.body_started = False
        self.numbers = Numbers(
            blocks, self.readings, self.next_flow, self.prev_flow, self.open, self._warn
        )
        self.prev_node: Node | None = None
        self.list_parent: dict[int, Node | None] = {}
        self.title_block = find_title(blocks, self.flow, self.readings, fmt)
        self.contents = find_contents(blocks, self.flow, self.readings, self.prev_flow)

    def build(self) -> tuple[list[Clause], list[str]]:
        for index, block in enumerate(self.blocks):
            if index in self.contents.of:
                if self.contents.of[index] == index:
                    self._contents(index)
                continue
            if block.container is not None:
                self._contained(index, block)
            elif index == self.title_block:
                self._title(index, block)
            elif block.kind == "heading":
                self._md_heading(index, block)
            elif block.kind == "item":
                self._list_item(index, block)
            elif block.kind == "table":
                self._table(index, block)
            else:
                self._flow_paragraph(index, block)
        name_clauses(self.nodes)
        clauses = [freeze(node, self.offset) for node in self.nodes]
        warnings = [text for _, text in sorted(self.warnings, key=lambda w: w[0])]
        return clauses, warnings

    def _new(self, index: int, role: str, parent: Node | None, **fields: object) -> Node:
        block = self.blocks[index]
        node = Node(role, block.start, block.end, parent, **fields)  # type: ignore[arg-type]
        if not self.body_started and role not in ("item", "listitem", "bullet", "row", "table"):
            node.preamble = parent is None or parent.preamble
        elif parent is not None and parent.preamble and role == "para":
            node.preamble = True
        self.nodes.append(node)
        self.of_block[index] = node
        return node

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append((line + self.offset, f"line {line + self.offset}: {message}"))

    def _flow_paragraph(self, index: int, block: Block) -> None:
        reading = self.numbers.reading(index)
        if reading is not None:
            self._numbered(index, block, reading)
        elif self.fmt == "text" and self._is_plain_heading(index):
            self._plain_heading(index, block)
        else:
            self._paragraph(index, block)

    def _title(self, index: int, block: Block) -> None:
        node = self._new(index, "title", None, heading=block.text, is_heading=True)
        node.preamble = True
        self.prev_node = node

    def _paragraph(self, index: int, block: Block) -> None:
        parent = self._paragraph_parent()
        node = self._new(index, "para", parent, text=block.text)
        if block.text.rstrip().endswith((":", "：")):
            node.host = True
            self.open.nodes.append(node)
        self.prev_node = node

    def _paragraph_parent(self, *, for_list: bool = False) -> Node | None:
        """Where an unnumbered paragraph (or, with ``for_list``, a list or table) goes:

        - with the paragraph before it, when nothing else came between;
        - after a list, to the clause that introduced the list (2.2.1's closing paragraphs),
          unless a list item titles what follows (``（一）注册信息``);
        - a list right after a paragraph ending with a colon belongs to that paragraph;
        - otherwise to the nearest open heading (the paragraph after 2.7.3 belongs to the
          heading 2.7, the one after 9.4.6 to section 9), else to the last open clause, else to
          the enclosing Markdown heading or the preamble.
        """
        start = self.open.scope_start()
        previous = self.prev_node
        if (
            previous is not None
            and previous.role == "para"
            and not for_list
            and (
                not self.open.nodes
                or self.open.nodes[-1] is previous
                or previous.parent in self.open.nodes
            )
        ):
            if self.open.nodes and self.open.nodes[-1] is previous:
                self.open.nodes.pop()
            if previous.parent is None or previous.parent in self.open.nodes:
                return previous.parent
        popped_item = False
        while len(self.open.nodes) > start and (
            self.open.nodes[-1].role in ("item", "listitem", "bullet") or self.open.nodes[-1].host
        ):
            top = self.open.nodes[-1]
            if top.is_heading and not for_list:
                return top  # （一）注册信息: an item that titles what follows
            if for_list and top.host and self.prev_node is top:
                return top  # the list right after "We collect the following data:"
            popped_item = popped_item or not top.host
            self.open.nodes.pop()
        if popped_item and len(self.open.nodes) > start:
            return self.open.nodes[-1]
        for position in range(len(self.open.nodes) - 1, start - 1, -1):
            if self.open.nodes[position].is_heading:
                del self.open.nodes[position + 1 :]
                return self.open.nodes[position]
        if len(self.open.nodes) > start:
            return self.open.nodes[-1]
        return self.open.owner()

    def _is_plain_heading(self, index: int) -> bool:
        block = self.blocks[index]
        if not plain_title_like(block.text):
            return False
        following = self.next_flow.get(index)
        if following is None or following in self.contents.of:
            return False
        after = self.blocks[following]
        if after.kind != "paragraph":
            return False
        reading = self.numbers.peek_reading(following)
        if reading is not None:
            return reading.is_item
        return not title_like(after.text)

    def _plain_heading(self, index: int, block: Block) -> None:
        start = self.open.scope_start()
        while len(self.open.nodes) > start and (
            self.open.nodes[-1].role in ("item", "listitem", "bullet", "uheading")
            or self.open.nodes[-1].host
        ):
            self.open.nodes.pop()
        parent = self.open.nodes[-1] if len(self.open.nodes) > start else self.open.owner()
        node = self._new(index, "uheading", parent, heading=block.text, is_heading=True)
        self.open.nodes.append(node)
        self.prev_node = node

    def _numbered(self, index: int, block: Block, reading: Numbering) -> None:
        placed = self.numbers.place(index, block, reading)
        family, values, parent, group = placed.family, placed.values, placed.parent, placed.group
        role = "item" if (family not in SECTION_FAMILIES) else "section"
        node = self._new(
            index,
            role,
            parent,
            label=reading.label,
            heading=placed.heading,
            text=placed.text,
            family=family,
            values=values,
            is_heading=placed.is_heading or group,
            group=group,
        )
        if role == "section" and (parent is None or not parent.preamble):
            self.body_started = True
            node.preamble = False
        if role == "item":
            node.preamble = False
        self.numbers.record(node)
        self.open.nodes.append(node)
        self.prev_node = node

    def _md_heading(self, index: int, block: Block) -> None:
        level = block.level
        while self.open.nodes and not (
            self.open.nodes[-1].role == "mdheading" and self.open.nodes[-1].level < level
        ):
            self.open.nodes.pop()
        parent = self.open.nodes[-1] if self.open.nodes else None
        reading = self.numbers.reading(index)
        node = self._new(index, "mdheading", parent, heading=block.text, level=level)
        node.is_heading = True
        if reading is not None:
            node.label = reading.label
            node.heading = reading.rest or None
            node.family = reading.family
            node.values = reading.values
            node.relative = not (reading.family == "arabic" and len(reading.values) >= 2)
            self.numbers.md_last[(id(parent), level)] = (reading.family, reading.values[-1])
            if reading.damage:
                self._warn(
                    block.start, f"{reading.damage}: {reading.label!r} read as {reading.dotted}"
                )
        self.body_started = True
        node.preamble = False
        self.open.nodes.append(node)
        self.prev_node = node

    def _list_item(self, index: int, block: Block) -> None:
        list_id = block.list_id if block.list_id is not None else -index
        if list_id in self.list_parent:
            sibling = self.open.find(lambda n: n.family == f"list:{list_id}")
            if sibling is not None:
                self.open.pop_to(sibling, inclusive=True)
            parent = self.list_parent[list_id]
        else:
            parent = self._paragraph_parent(for_list=True)
            self.list_parent[list_id] = parent
        node = self._new_list_item(index, block, parent, f"list:{list_id}")
        self.open.nodes.append(node)
        self.prev_node = node

    def _new_list_item(self, index: int, block: Block, parent: Node | None, family: str) -> Node:
        role = "listitem" if block.value is not None else "bullet"
        return self._new(
            index,
            role,
            parent,
            label=block.label,
            text=block.text,
            family=family,
            values=(block.value,) if block.value is not None else (),
        )

    def _table(self, index: int, block: Block) -> None:
        parent = self._paragraph_parent(for_list=True)
        node = self._new(index, "table", parent, text=block.text)
        self.prev_node = node

    def _contained(self, index: int, block: Block) -> None:
        assert block.container is not None
        parent = self.of_block.get(block.container)
        if block.kind == "item":
            list_id = block.list_id if block.list_id is not None else -index
            self._new_list_item(index, block, parent, f"list:{list_id}")
        elif block.kind == "row":
            self._new(index, "row", parent, text=block.text)
        elif block.kind == "table":
            self._new(index, "table", parent, text=block.text)
        elif block.kind == "heading":
            self._new(index, "uheading", parent, heading=block.text, is_heading=True)
        else:
            self._new(index, "para", parent, text=block.text)

    def _contents(self, first: int) -> None:
        members = self.contents.members[first]
        intro = self.contents.heading.get(members[1]) if len(members) > 1 else None
        heading = self.blocks[intro].text if intro is not None else None
        lines = []
        for member in members:
            if member == intro:
                continue
            block = self.blocks[member]
            label = f"{block.label} " if block.label else ""
            lines.append(label + block.text)
        if self.body_started:
            parent = self._paragraph_parent(for_list=True)
        else:
            self.open.nodes.clear()
            parent = None
        node = self._new(first, "contents", parent, heading=heading, text="\n".join(lines))
        node.end = max(self.blocks[m].end for m in members)
        node.preamble = False
        for member in members:
            self.of_block[member] = node
        self.prev_node = node
