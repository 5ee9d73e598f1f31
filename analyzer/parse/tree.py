"""Document -> ClauseTree: read the body into blocks, then build the clause tree from them.

``parse`` dispatches on :attr:`Document.format` to one reader (``parse_text``,
``parse_markdown``, ``parse_html``), then one builder turns blocks into clauses the way a reader
of the policy would:

- **numbers decide the parent**: ``2.1.1`` goes under ``2.1``; ``(1)`` under the clause it
  follows; ``一、`` opens a section and ``（一）`` an item inside it. Families of numbering nest
  in the order they appear, dotted numbers by their prefix (:mod:`numbering`);
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

Nothing is lost: :func:`lost_text` compares the words of the tree with the words of the document.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from analyzer.model import Clause, ClauseTree, Document
from analyzer.parse.blocks import Block
from analyzer.parse.numbering import SECTION_FAMILIES, Numbering, read_numbers, token
from analyzer.parse.text import text_blocks
from analyzer.text.normalize import content_hash, detect_language, drop_invisible, is_cjk, squash

_CLOSING = frozenset(".。;；:：,，!！?？、…")
_CLOSERS = ")）\"'”’」』】]"
_INTERNAL_LINK = re.compile(r"\(#[^()\s]{0,200}\)$")
_SLUG_DROP = re.compile(r"[^\w]+")


# -- reading ------------------------------------------------------------------------------------


def read_blocks(document: Document) -> list[Block]:
    """The body of a document as blocks, by its format."""
    if document.format == "markdown":
        from analyzer.parse.markdown import markdown_blocks

        return markdown_blocks(document.text)
    if document.format == "html":
        from analyzer.parse.html import html_blocks

        return html_blocks(document.text)
    return text_blocks(document.text)


def parse(document: Document) -> ClauseTree:
    """Parse a version into its clause tree (never raises on any text)."""
    blocks = read_blocks(document)
    builder = _Builder(blocks, document.format, line_offset=document.body_line - 1)
    clauses, warnings = builder.build()
    language = document.meta.get("language")
    if not isinstance(language, str) or not language:
        language = detect_language(document.text)
    return ClauseTree(
        source=document.source,
        meta=document.meta,
        clauses=tuple(clauses),
        warnings=tuple(warnings),
        sha256=document.sha256,
        language=language,
    )


# -- the no-text-lost check --------------------------------------------------------------------


def text_of_document(document: Document) -> str:
    """Every word a reader of the document sees, in order (markup removed for Markdown and
    HTML, link targets kept as the readers keep them)."""
    if document.format == "markdown":
        from analyzer.parse.markdown import markdown_text

        return markdown_text(document.text)
    if document.format == "html":
        from analyzer.parse.html import html_text

        return html_text(document.text)
    return document.text


def text_of_tree(tree: ClauseTree) -> str:
    """Label, heading and text of every clause, in document order."""
    parts: list[str] = []
    for clause in tree.clauses:
        parts.extend(p for p in (clause.label, clause.heading, clause.text) if p)
    return "\n".join(parts)


def _comparable(text: str) -> str:
    # Whitespace never counts (nor the invisible formatting normalisation drops), nor the
    # Unicode composition the readers normalise to (NFC); "|" is how table cells are joined, so
    # it does not count either.
    text = drop_invisible(unicodedata.normalize("NFC", text))
    return "".join(text.split()).replace("|", "")


def lost_text(document: Document, tree: ClauseTree) -> str | None:
    """None when the tree holds exactly the document's text (whitespace aside); otherwise where
    the two first differ, for a test failure message."""
    want = _comparable(text_of_document(document))
    have = _comparable(text_of_tree(tree))
    if want == have:
        return None
    at = next(
        (i for i, (a, b) in enumerate(zip(want, have, strict=False)) if a != b),
        min(len(want), len(have)),
    )
    return (
        f"texts differ at character {at} of {len(want)} (tree has {len(have)}): "
        f"document …{want[max(0, at - 40) : at + 40]!r}… tree …{have[max(0, at - 40) : at + 40]!r}…"
    )


# -- shape of a line ---------------------------------------------------------------------------


def title_like(text: str, *, max_words: int = 16, max_cjk: int = 40) -> bool:
    """Reads like a title: one short line that does not end like a sentence or a lead-in."""
    text = text.strip()
    if not text or "\n" in text:
        return False
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _CLOSING:
        return False
    if is_cjk(text):
        return len(text) <= max_cjk
    return len(text) <= 150 and len(text.split()) <= max_words


def _plain_title_like(text: str) -> bool:
    """Stricter, for an unnumbered line of plain text: ``Prompt clause``, ``definition``; not
    ``Effective date: June 1, 2023``."""
    if not title_like(text, max_words=10, max_cjk=24):
        return False
    first = text.strip()[0]
    return (first.isalpha() or is_cjk(first)) and ": " not in text and "：" not in text


def slug(text: str) -> str:
    """``What information GitHub collects`` -> ``what-information-github-collects`` (letters
    and digits of any script kept, at most 48 characters, cut at a word)."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    words = [w for w in _SLUG_DROP.split(lowered.replace("_", " ")) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > 48:
            if not out:
                out = word[:48]
            break
        out = candidate
    return out or "untitled"


# -- the builder -------------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    """A clause while the tree is being built (mutable; frozen into a Clause at the end)."""

    role: str
    """title, mdheading, uheading, section, item, listitem, bullet, para, table, row, contents"""
    start: int
    end: int
    parent: _Node | None
    label: str | None = None
    heading: str | None = None
    text: str = ""
    family: str | None = None
    values: tuple[int, ...] = ()
    level: int = 0
    is_heading: bool = False
    group: bool = False
    host: bool = False
    """A paragraph ending with a colon: the list that follows belongs to it."""
    preamble: bool = False
    relative: bool = False
    """A numbered Markdown heading whose number continues its parent heading's."""
    number: tuple[int, ...] = ()
    id: str = ""
    place: str = ""
    depth: int = 0


class _Builder:
    def __init__(self, blocks: Sequence[Block], fmt: str, *, line_offset: int) -> None:
        self.blocks = blocks
        self.fmt = fmt
        self.offset = line_offset
        self.nodes: list[_Node] = []
        self.of_block: dict[int, _Node] = {}
        self.stack: list[_Node] = []
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
        self.used: dict[int, set[tuple[int, ...]]] = {}
        self.last_prefix: dict[tuple[int, tuple[int, ...]], int] = {}
        self.md_last: dict[tuple[int, int], tuple[str, int]] = {}
        self.prev_node: _Node | None = None
        self.list_parent: dict[int, _Node | None] = {}
        self.contents_of: dict[int, int] = {}
        """Block index -> index of the first block of the contents it belongs to."""
        self.contents_heading: dict[int, int] = {}
        self.contents_members: dict[int, list[int]] = {}
        self.title_block = self._find_title()
        self._find_contents()

    # -- entry ------------------------------------------------------------------------------
    def build(self) -> tuple[list[Clause], list[str]]:
        for index, block in enumerate(self.blocks):
            if index in self.contents_of:
                if self.contents_of[index] == index:
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
        self._finish()
        clauses = [self._freeze(node) for node in self.nodes]
        warnings = [text for _, text in sorted(self.warnings, key=lambda w: w[0])]
        return clauses, warnings

    # -- helpers ----------------------------------------------------------------------------
    def _new(self, index: int, role: str, parent: _Node | None, **fields: object) -> _Node:
        block = self.blocks[index]
        node = _Node(role, block.start, block.end, parent, **fields)  # type: ignore[arg-type]
        if not self.body_started and role not in ("item", "listitem", "bullet", "row", "table"):
            node.preamble = parent is None or parent.preamble
        elif parent is not None and parent.preamble and role == "para":
            node.preamble = True
        self.nodes.append(node)
        self.of_block[index] = node
        return node

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append((line + self.offset, f"line {line + self.offset}: {message}"))

    def _scope_start(self) -> int:
        """Index in the stack after the innermost Markdown/HTML heading (numbering restarts
        under each heading)."""
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position].role in ("mdheading",):
                return position + 1
        return 0

    def _owner(self) -> _Node | None:
        start = self._scope_start()
        return self.stack[start - 1] if start else None

    def _scope(self) -> list[_Node]:
        return self.stack[self._scope_start() :]

    def _pop_to(self, node: _Node, *, inclusive: bool) -> None:
        while self.stack and self.stack[-1] is not node:
            self.stack.pop()
        if inclusive and self.stack:
            self.stack.pop()

    def _find(self, predicate: Callable[[_Node], bool]) -> _Node | None:
        """The innermost open clause (under the current heading) that ``predicate`` accepts."""
        for node in reversed(self._scope()):
            if predicate(node):
                return node
        return None

    def _reading(self, index: int) -> Numbering | None:
        """The reading of the block's number that the numbering around it supports."""
        readings = self.readings.get(index)
        if not readings:
            return None
        block = self.blocks[index]
        heading = block.kind == "heading"
        for reading in readings:
            if self._fits(reading, block):
                return reading
        if heading:
            # "I." after "B." is the letter I, not the Roman one: keep the siblings' family
            previous = self.md_last.get((id(self._md_parent(block.level)), block.level))
            for reading in readings:
                if previous is not None and reading.family == previous[0]:
                    return reading
        for reading in readings:
            if reading.strength == "strong":
                return reading
            if reading.strength == "medium" and (reading.values[-1] == 1 or heading):
                return reading
        return None

    def _fits(self, reading: Numbering, block: Block) -> bool:
        """Does the number continue a sequence that is open here?"""
        values = reading.values
        if block.kind == "heading":
            owner = self._md_parent(block.level)
            previous = self.md_last.get((id(owner), block.level))
            return previous == (reading.family, values[-1] - 1)
        if reading.family == "arabic" and len(values) >= 2:
            parent = self._find(lambda n: n.family in SECTION_FAMILIES and n.values == values[:-1])
            if parent is None:
                return False
            last = self.last_prefix.get((self._scope_key(), values[:-1]), 0)
            return values[-1] == last + 1
        if reading.family == "arabic":
            listed = self._find(lambda n: n.family == "arabic-list")
            if listed is not None and listed.values[-1] == values[-1] - 1:
                return True
        same = self._sibling(reading)
        if same is not None:
            return same.values[-1] == values[-1] - 1
        if not reading.is_item and reading.strength != "strong":
            top = self._find(lambda n: n.family in SECTION_FAMILIES and len(n.values) == 1)
            return top is not None and top.values[-1] == values[-1] - 1
        return False

    def _scope_key(self) -> int:
        return id(self._owner())

    # -- flow blocks ------------------------------------------------------------------------
    def _flow_paragraph(self, index: int, block: Block) -> None:
        reading = self._reading(index)
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
            self.stack.append(node)
        self.prev_node = node

    def _paragraph_parent(self, *, for_list: bool = False) -> _Node | None:
        """Where an unnumbered paragraph (or, with ``for_list``, a list or table) goes:

        - with the paragraph before it, when nothing else came between;
        - after a list, to the clause that introduced the list (2.2.1's closing paragraphs),
          unless a list item titles what follows (``（一）注册信息``);
        - a list right after a paragraph ending with a colon belongs to that paragraph;
        - otherwise to the nearest open heading (the paragraph after 2.7.3 belongs to the
          heading 2.7, the one after 9.4.6 to section 9), else to the last open clause, else to
          the enclosing Markdown heading or the preamble.
        """
        start = self._scope_start()
        previous = self.prev_node
        if (
            previous is not None
            and previous.role == "para"
            and not for_list
            and (not self.stack or self.stack[-1] is previous or previous.parent in self.stack)
        ):
            if self.stack and self.stack[-1] is previous:
                self.stack.pop()
            if previous.parent is None or previous.parent in self.stack:
                return previous.parent
        popped_item = False
        while len(self.stack) > start and (
            self.stack[-1].role in ("item", "listitem", "bullet") or self.stack[-1].host
        ):
            top = self.stack[-1]
            if top.is_heading and not for_list:
                return top  # （一）注册信息: an item that titles what follows
            if for_list and top.host and self.prev_node is top:
                return top  # the list right after "We collect the following data:"
            popped_item = popped_item or not top.host
            self.stack.pop()
        if popped_item and len(self.stack) > start:
            return self.stack[-1]
        for position in range(len(self.stack) - 1, start - 1, -1):
            if self.stack[position].is_heading:
                del self.stack[position + 1 :]
                return self.stack[position]
        if len(self.stack) > start:
            return self.stack[-1]
        return self._owner()

    def _is_plain_heading(self, index: int) -> bool:
        block = self.blocks[index]
        if not _plain_title_like(block.text):
            return False
        following = self.next_flow.get(index)
        if following is None or following in self.contents_of:
            return False
        after = self.blocks[following]
        if after.kind != "paragraph":
            return False
        reading = self._peek_reading(following)
        if reading is not None:
            return reading.is_item
        return not title_like(after.text)

    def _peek_reading(self, index: int) -> Numbering | None:
        readings = self.readings.get(index)
        if not readings:
            return None
        best = readings[0]
        return best if best.strength != "weak" else None

    def _plain_heading(self, index: int, block: Block) -> None:
        start = self._scope_start()
        while len(self.stack) > start and (
            self.stack[-1].role in ("item", "listitem", "bullet", "uheading") or self.stack[-1].host
        ):
            self.stack.pop()
        parent = self.stack[-1] if len(self.stack) > start else self._owner()
        node = self._new(index, "uheading", parent, heading=block.text, is_heading=True)
        self.stack.append(node)
        self.prev_node = node

    # -- numbered blocks --------------------------------------------------------------------
    def _numbered(self, index: int, block: Block, reading: Numbering) -> None:
        line = block.start
        values = reading.values
        family = reading.family
        if reading.damage == "stray space":
            self._warn(line, f"stray space in number {reading.label!r} read as {reading.dotted}")
        elif reading.damage == "number written in words":
            self._warn(line, f"number written in words: {reading.label!r} read as {reading.dotted}")
        group = False
        if family == "arabic" and len(values) >= 2:
            values = self._repair_dotted(reading, line)
            parent = self._place_dotted(values)
        elif family == "arabic":
            family, values, parent = self._place_arabic(reading, line)
        else:
            group_parent = self._group_parent(index, reading)
            if group_parent is not None:
                group = True
                self._pop_to(group_parent, inclusive=False)
                parent = group_parent
            else:
                family, values, parent = self._place_other(reading, line)
        heading, text, is_heading = self._split(index, reading, family, values)
        role = "item" if (family not in SECTION_FAMILIES) else "section"
        node = self._new(
            index,
            role,
            parent,
            label=reading.label,
            heading=heading,
            text=text,
            family=family,
            values=values,
            is_heading=is_heading or group,
            group=group,
        )
        if role == "section" and (parent is None or not parent.preamble):
            self.body_started = True
            node.preamble = False
        if role == "item":
            node.preamble = False
        self._record(node)
        self.stack.append(node)
        self.prev_node = node

    def _record(self, node: _Node) -> None:
        key = self._scope_key()
        if node.family == "arabic":
            self.used.setdefault(key, set()).add(node.values)
            if len(node.values) >= 2:
                self.last_prefix[(key, node.values[:-1])] = node.values[-1]

    def _repair_dotted(self, reading: Numbering, line: int) -> tuple[int, ...]:
        values = reading.values
        used = self.used.get(self._scope_key(), set())
        previous = self._find(lambda n: n.family == "arabic" and len(n.values) == len(values))
        backwards = (
            previous is not None
            and values[:-1] == previous.values[:-1]
            and (values[-1] <= previous.values[-1])
        )
        if (
            values not in used
            and not backwards
            and not (previous is not None and values < previous.values)
        ):
            return values
        if previous is None:
            return values
        expected = (*previous.values[:-1], previous.values[-1] + 1)
        if expected in used:
            return values
        why = "duplicated number" if values in used else "number out of sequence"
        shown = ".".join(map(str, expected))
        self._warn(line, f"{why} {reading.label!r} read as {shown}")
        return expected

    def _place_dotted(self, values: tuple[int, ...]) -> _Node | None:
        parent = self._find(lambda n: n.family in SECTION_FAMILIES and n.values == values[:-1])
        if parent is not None:
            position = self.stack.index(parent)
            if position + 1 < len(self.stack) and self.stack[position + 1].group:
                group = self.stack[position + 1]
                self._pop_to(group, inclusive=False)
                return group
            self._pop_to(parent, inclusive=False)
            return parent
        sibling = self._find(lambda n: n.family == "arabic" and len(n.values) == len(values))
        if sibling is not None:
            self._pop_to(sibling, inclusive=True)
            return sibling.parent
        prefix = self._find(lambda n: n.family == "arabic" and n.values == values[: len(n.values)])
        if prefix is not None:
            self._pop_to(prefix, inclusive=False)
            return prefix
        return self._nest_parent(item=False)

    def _place_arabic(
        self, reading: Numbering, line: int
    ) -> tuple[str, tuple[int, ...], _Node | None]:
        value = reading.values[0]
        listed = self._find(lambda n: n.family == "arabic-list")
        top = self._find(lambda n: n.family == "arabic" and len(n.values) == 1)
        if listed is not None and listed.values[-1] == value - 1:
            self._pop_to(listed, inclusive=True)
            return "arabic-list", (value,), listed.parent
        if top is None:
            inside = any(n.family is not None for n in self._scope() if not n.host)
            if inside and reading.style in ("digit-dot", "digit-dun"):
                # 1. 2. inside （二） or under 第三条: a list in that clause, not new sections
                return "arabic-list", (value,), self._nest_parent(item=True)
            return "arabic", (value,), self._nest_parent(item=False)
        if value > top.values[0]:
            self._pop_to(top, inclusive=True)
            return "arabic", (value,), top.parent
        if self.stack and self.stack[-1] is not top:
            # a list that starts again inside a section: 1. 2. under 2.3
            return "arabic-list", (value,), self._nest_parent(item=True)
        expected = top.values[0] + 1
        why = "duplicated number" if value == top.values[0] else "number out of sequence"
        self._warn(line, f"{why} {reading.label!r} read as {expected}")
        self._pop_to(top, inclusive=True)
        return "arabic", (expected,), top.parent

    def _place_other(
        self, reading: Numbering, line: int
    ) -> tuple[str, tuple[int, ...], _Node | None]:
        family = reading.family
        same = self._sibling(reading)
        if same is not None:
            self._pop_to(same, inclusive=True)
            return family, reading.values, same.parent
        if not reading.is_item and reading.strength != "strong":
            value = reading.values[-1]
            top = self._find(lambda n: n.family in SECTION_FAMILIES and len(n.values) == 1)
            if top is not None and top.values[-1] == value - 1 and top.family != family:
                self._warn(
                    line,
                    f"number {reading.label!r} does not fit the numbering around it "
                    f"({top.label!r} before it): read as {value}",
                )
                self._pop_to(top, inclusive=True)
                return str(top.family), (value,), top.parent
        return family, reading.values, self._nest_parent(item=reading.is_item)

    def _sibling(self, reading: Numbering) -> _Node | None:
        """The open clause of the same family the number continues. An item list continues only
        while nothing but its own items and their lists is open above it: ``(1)`` under 2.2.1
        starts a new list even when a ``(1)`` heading groups 2.1-2.4 further up."""
        family = reading.family
        for node in reversed(self._scope()):
            if node.family == family and len(node.values) == 1:
                return node
            if reading.is_item and node.role in ("section", "uheading") and not node.group:
                return None
        return None

    def _nest_parent(self, *, item: bool) -> _Node | None:
        """Where a new level of numbering goes: under the clause open here (an item list under
        the paragraph that introduced it; a section never under a paragraph or a list)."""
        start = self._scope_start()
        while len(self.stack) > start and self.stack[-1].role in ("listitem", "bullet"):
            self.stack.pop()
        if item:
            return self.stack[-1] if len(self.stack) > start else self._owner()
        while len(self.stack) > start and (self.stack[-1].host or self.stack[-1].role == "item"):
            self.stack.pop()
        if not any(n.role == "section" for n in self.stack[start:]):
            del self.stack[start:]
            return self._owner()
        return self.stack[-1] if len(self.stack) > start else self._owner()

    def _group_parent(self, index: int, reading: Numbering) -> _Node | None:
        """For a heading-like list item followed by dotted clauses of the section it sits in
        (``(1) To provide you with basic functions`` before ``2.1.``): that section."""
        if not reading.is_item or not title_like(reading.rest):
            return None
        following = self.next_flow.get(index)
        previous = self.prev_flow.get(index)
        if following is None:
            return None
        after = self.readings.get(following)
        if not after or after[0].family != "arabic" or len(after[0].values) < 2:
            return None
        if previous is not None:
            before = self.readings.get(previous)
            if before and before[0].family == reading.family:
                return None
        prefix = after[0].values[:-1]
        return self._find(lambda n: n.family == "arabic" and n.values == prefix)

    def _split(
        self, index: int, reading: Numbering, family: str, values: tuple[int, ...]
    ) -> tuple[str | None, str, bool]:
        """(heading, text, is a heading) for a numbered block."""
        rest = reading.rest
        block = self.blocks[index]
        if block.kind == "heading":
            return rest or None, "", True
        first, _, remainder = rest.partition("\n")
        if remainder and title_like(first) and _starts_like_text(remainder):
            return first, remainder, True
        if title_like(rest) and self._has_content_after(index, family, values):
            return rest, "", True
        return None, rest, False

    def _has_content_after(self, index: int, family: str, values: tuple[int, ...]) -> bool:
        following = self.next_flow.get(index)
        if following is None:
            return False
        block = self.blocks[following]
        if block.kind == "heading":
            return False
        if block.kind != "paragraph":
            return True
        readings = self.readings.get(following)
        if not readings:
            return True
        after = readings[0]
        if after.family == family or (family == "arabic-list" and after.family == "arabic"):
            # the same numbering goes on: content only if it goes one level deeper (2.1 -> 2.1.1)
            deeper = family == "arabic" and len(after.values) > len(values)
            return deeper and after.values[: len(values)] == values
        # another numbering starts: it nests under this one (第一章 -> 第一条, （二） -> 1.,
        # a titled item -> the dotted clauses it groups)
        return True

    # -- markup structure -------------------------------------------------------------------
    def _md_parent(self, level: int) -> _Node | None:
        for node in reversed(self.stack):
            if node.role == "mdheading" and node.level < level:
                return node
        return None

    def _md_heading(self, index: int, block: Block) -> None:
        level = block.level
        while self.stack and not (
            self.stack[-1].role == "mdheading" and self.stack[-1].level < level
        ):
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        reading = self._reading(index)
        node = self._new(index, "mdheading", parent, heading=block.text, level=level)
        node.is_heading = True
        if reading is not None:
            node.label = reading.label
            node.heading = reading.rest or None
            node.family = reading.family
            node.values = reading.values
            node.relative = not (reading.family == "arabic" and len(reading.values) >= 2)
            self.md_last[(id(parent), level)] = (reading.family, reading.values[-1])
            if reading.damage:
                self._warn(
                    block.start, f"{reading.damage}: {reading.label!r} read as {reading.dotted}"
                )
        self.body_started = True
        node.preamble = False
        self.stack.append(node)
        self.prev_node = node

    def _list_item(self, index: int, block: Block) -> None:
        list_id = block.list_id if block.list_id is not None else -index
        if list_id in self.list_parent:
            sibling = self._find(lambda n: n.family == f"list:{list_id}")
            if sibling is not None:
                self._pop_to(sibling, inclusive=True)
            parent = self.list_parent[list_id]
        else:
            parent = self._paragraph_parent(for_list=True)
            self.list_parent[list_id] = parent
        node = self._new_list_item(index, block, parent, f"list:{list_id}")
        self.stack.append(node)
        self.prev_node = node

    def _new_list_item(self, index: int, block: Block, parent: _Node | None, family: str) -> _Node:
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

    # -- title and contents -----------------------------------------------------------------
    def _find_title(self) -> int | None:
        """The document's title: the first block of plain text when it reads like one; in
        Markdown/HTML the first heading when no other heading shares its (top) level."""
        if not self.flow:
            return None
        first = self.flow[0]
        if self.fmt == "text":
            block = self.blocks[first]
            if first not in self.readings and title_like(block.text, max_words=20):
                return first
            return None
        headings = [i for i in self.flow if self.blocks[i].kind == "heading"]
        if not headings:
            return None
        top = min(self.blocks[i].level for i in headings)
        at_top = [i for i in headings if self.blocks[i].level == top]
        unique_top = len(at_top) == 1 and at_top[0] == headings[0] and len(headings) > 1
        if unique_top and headings[0] not in self.readings:
            return headings[0]
        return None

    def _find_contents(self) -> None:
        self._find_numbered_contents()
        self._find_link_contents()

    def _find_numbered_contents(self) -> None:
        """A run of three or more short numbered titles, one after the other, whose numbering
        starts again later in the document: a table of contents, not empty sections.

        One pass over the flow finds the maximal runs; where each number occurs last is known
        beforehand, so the whole search is linear in the number of blocks."""
        flow = self.flow
        last_seen: dict[tuple[str, tuple[int, ...]], int] = {}
        for k, index in enumerate(flow):
            readings = self.readings.get(index)
            if readings:
                last_seen[(readings[0].family, readings[0].values)] = k
        k = 0
        while k < len(flow):
            run = self._title_run(k)
            if len(run) >= 3:
                first = self.readings[flow[run[0]]][0]
                if last_seen.get((first.family, first.values), -1) > run[-1]:
                    self._mark_contents([flow[m] for m in run])
            k = run[-1] + 1 if run else k + 1

    def _title_run(self, position: int) -> list[int]:
        """Positions in the flow, from ``position`` on, of consecutive one-line numbered titles
        of one family and depth whose numbers go up by one."""
        flow = self.flow
        run: list[int] = []
        previous: Numbering | None = None
        for k in range(position, len(flow)):
            index = flow[k]
            block = self.blocks[index]
            readings = self.readings.get(index)
            if block.kind != "paragraph" or not readings:
                break
            reading = readings[0]
            if reading.strength == "weak" or "\n" in block.text or not title_like(reading.rest):
                break
            if previous is not None and not (
                reading.family == previous.family
                and len(reading.values) == len(previous.values)
                and reading.values[-1] == previous.values[-1] + 1
            ):
                break
            run.append(k)
            previous = reading
        return run

    def _find_link_contents(self) -> None:
        """A list whose every item is a link into the page (``[Data retention](#data-retention)``)
        is a table of contents."""
        root: list[int] = []
        for index, block in enumerate(self.blocks):
            container = block.container
            root.append(root[container] if container is not None and container < index else index)
        by_list: dict[int, list[int]] = {}
        for index in range(len(self.blocks)):
            top = self.blocks[root[index]]
            if top.kind == "item" and top.list_id is not None and top.container is None:
                by_list.setdefault(top.list_id, []).append(index)
        for members in by_list.values():
            texts = [self.blocks[i].text for i in members if self.blocks[i].text]
            items = [i for i in members if self.blocks[i].container is None]
            if len(items) < 2 or not texts:
                continue
            if all(self.blocks[i].kind == "item" for i in members) and all(
                _INTERNAL_LINK.search(t) and "\n" not in t for t in texts
            ):
                self._mark_contents(members)

    def _mark_contents(self, members: list[int]) -> None:
        """Make blocks one contents clause, with the lead-in line before them (``This policy
        will help you understand the following:``) as its heading."""
        intro = self.prev_flow.get(members[0])
        if (
            intro is not None
            and intro not in self.readings
            and intro not in self.contents_of
            and self.blocks[intro].kind == "paragraph"
            and self.blocks[intro].text.rstrip().endswith((":", "："))
        ):
            self.contents_heading[members[0]] = intro
            members = [intro, *members]
        for member in members:
            self.contents_of[member] = members[0]
        self.contents_members[members[0]] = members

    def _contents(self, first: int) -> None:
        members = self.contents_members[first]
        intro = self.contents_heading.get(members[1]) if len(members) > 1 else None
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
            self.stack.clear()
            parent = None
        node = self._new(first, "contents", parent, heading=heading, text="\n".join(lines))
        node.end = max(self.blocks[m].end for m in members)
        node.preamble = False
        for member in members:
            self.of_block[member] = node
        self.prev_node = node

    # -- numbers, ids, addresses ------------------------------------------------------------
    def _finish(self) -> None:
        used: set[str] = set()
        next_suffix: dict[str, int] = {}
        counters: dict[tuple[int, str], int] = {}
        for node in self.nodes:
            parent = node.parent
            node.depth = parent.depth + 1 if parent is not None else 0
            base = parent.number if parent is not None else ()
            node.number = self._number(node, base)
            ident, place = self._name(node, counters)
            unique = ident
            suffix = next_suffix.get(ident, 2)
            while unique in used:
                unique = f"{ident}-{suffix}"
                suffix += 1
            next_suffix[ident] = suffix
            used.add(unique)
            node.id = unique
            node.place = place if unique == ident else f"{place} ({unique.rsplit('-', 1)[1]})"

    def _number(self, node: _Node, base: tuple[int, ...]) -> tuple[int, ...]:
        if not node.values:
            return base
        if node.family == "arabic" and len(node.values) >= 2:
            return node.values
        if node.role == "section" and node.parent is None:
            return node.values
        if node.role == "mdheading" and not node.relative:
            return node.values
        return (*base, node.values[-1])

    def _name(self, node: _Node, counters: dict[tuple[int, str], int]) -> tuple[str, str]:
        parent = node.parent
        pid = parent.id if parent is not None else ""
        pplace = parent.place if parent is not None else ""

        def count(kind: str) -> int:
            key = (id(parent), kind)
            counters[key] = counters.get(key, 0) + 1
            return counters[key]

        role = node.role
        if role == "contents":
            return "contents", "contents"
        if role in ("title", "uheading") or (role == "mdheading" and not node.values):
            heading = squash(node.heading or node.text)
            return f"h-{slug(heading)}", heading[:80]
        if role in ("section", "mdheading") and node.family in SECTION_FAMILIES:
            if self._absolute(node):
                dotted = ".".join(str(v) for v in node.number)
                # articles (第十二条) are numbered through the whole document: named as written
                shown = node.label if node.family == "cn-article" and node.label else dotted
                return f"s{dotted}", shown
            return f"{pid}.{node.values[-1]}", f"{pplace} › {node.label or node.values[-1]}"
        if node.values:  # items: (1) (a) ① （一）, ordered list items
            family = node.family or ""
            mark = token(family, node.values[-1])
            ident = f"{pid}({mark})" if pid else f"i({mark})"
            return ident, f"{pplace}({mark})"
        if role == "bullet":
            n = count("bullet")
            return (f"{pid}-i{n}" if pid else f"i{n}"), f"{pplace or 'preamble'} •{n}"
        if role == "table":
            n = count("table")
            return (f"{pid}-t{n}" if pid else f"t{n}"), f"{pplace or 'preamble'} table {n}"
        if role == "row":
            n = count("row")
            return f"{pid}-r{n}", f"{pplace} row {n}"
        n = count("para")
        if parent is None:
            return f"p{n}", f"preamble ¶{n}"
        return f"{pid}-p{n}", f"{pplace} ¶{n}"

    def _absolute(self, node: _Node) -> bool:
        """Whether the clause's number names it in the whole document (``s2.1``), rather than
        only under an unnumbered heading."""
        if node.family == "arabic" and len(node.values) >= 2:
            return True
        parent = node.parent
        while parent is not None and parent.group:
            parent = parent.parent
        if parent is None or parent.role == "title":
            return True
        return parent.id.startswith("s") and parent.family in SECTION_FAMILIES

    def _freeze(self, node: _Node) -> Clause:
        kind: str
        if node.role == "contents":
            kind = "contents"
        elif node.preamble and node.role in ("title", "uheading", "para"):
            kind = "preamble"
        elif node.role == "para":
            kind = "paragraph"
        elif node.role == "table":
            kind = "table"
        elif node.role in ("item", "listitem", "bullet", "row"):
            kind = "section" if node.group or node.heading else "item"
        elif node.heading is not None or node.is_heading:
            kind = "section"
        else:
            kind = "clause"
        if kind == "preamble" or (kind == "contents" and node.parent is None):
            number: tuple[int, ...] = ()
        else:
            number = node.number
        hashed = " ".join(p for p in (node.heading, node.text) if p)
        return Clause(
            id=node.id,
            label=node.label,
            number=number,
            heading=node.heading,
            text=node.text,
            parent=node.parent.id if node.parent is not None else None,
            depth=node.depth,
            lines=(node.start + self.offset, node.end + self.offset),
            hash=content_hash(hashed),
            kind=kind,  # type: ignore[arg-type]
            place=node.place,
        )


def _starts_like_text(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.isupper() or first.isdigit() or is_cjk(first) or first in '“"(（')
