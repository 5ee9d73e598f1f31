"""HTML saved from a web page -> blocks, with the standard library's ``html.parser``.

What a reader of the page sees as the policy is kept; the page's machinery and chrome is not:
``script``, ``style``, ``noscript``, ``template``, ``nav``, ``aside``, forms and the page's own
``header``/``footer`` (outside ``main``/``article``) disappear. When the page has a ``main`` or
``article``, only its content counts. Headings keep their level, list items their number (an
``<ol>`` counts like a browser), tables become one block per row, links read ``text (url)``.

The same reading also serves HTML blocks inside Markdown (:func:`html_fragment`), without the
``main`` preference. The handler keeps no recursion: a page nested ten thousand levels deep
costs a stack of ten thousand entries, and list nesting deeper than
:data:`blocks.MAX_CONTAINER_DEPTH` is hung on the deepest allowed item.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from analyzer.parse.blocks import MAX_CONTAINER_DEPTH, Block, BlockKind, item_container, link_suffix
from analyzer.text.normalize import normalize_lines

_DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "head",
        "title",
        "dialog",
    }
)
_CHROME = frozenset({"header", "footer"})
_MAIN = frozenset({"main", "article"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        *_HEADINGS,
    }
)
# Tags whose start closes an open one of the same kind, up to (not past) a boundary.
_IMPLIED_END = {
    "p": frozenset({"div", "li", "td", "th", "blockquote", "section", "article", "main", "body"}),
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "tr": frozenset({"table"}),
    "td": frozenset({"tr", "table"}),
    "th": frozenset({"tr", "table"}),
}
_IMPLIED_SCAN = 256
"""How far down the open elements an implied end is looked for (bounds the work per tag)."""
_CLOSED_BY = {"dt": ("dt", "dd"), "dd": ("dt", "dd"), "td": ("td", "th"), "th": ("td", "th")}


@dataclass
class _Item:
    """An open ``<li>``."""

    list_id: int
    value: int | None
    start: int
    index: int | None = None
    """Index of its block once emitted."""


@dataclass
class _List:
    list_id: int
    ordered: bool
    counter: int


@dataclass
class _Table:
    start: int
    in_main: bool
    container: int | None
    header: tuple[str, int, int] | None = None
    generations: list[int] = field(default_factory=list)
    rows: list[tuple[str, int, int]] = field(default_factory=list)
    cells: list[str] | None = None
    cell: list[str] | None = None
    row_start: int = 0
    row_end: int = 0
    row_is_header: bool = True
    in_head: bool = False


class _Reader(HTMLParser):
    def __init__(self, *, fragment: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.blocks: list[Block] = []
        self.in_main_flags: list[bool] = []
        self.stream: list[tuple[str, int]] = []
        """Every piece of text accepted, in order, with the buffer generation it went into."""
        self.destination: dict[int, int] = {}
        """Buffer generation -> index of the block its text ended up in."""
        self.open: list[tuple[str, bool]] = []
        """Open elements, each with whether it started a dropped region."""
        self.dropping = 0
        self.main = 0
        self.pre = 0
        self.buf: list[str] = []
        self.buf_start = 0
        self.buf_end = 0
        self.buf_has_text = False
        self.buf_in_main = False
        self.generation = 0
        """Counts flushes, so that a link closed after its text left the buffer is noticed."""
        self.taken_generation = 0
        self.taken_in_main = False
        self.open_count: dict[str, int] = {}
        """How many elements of each name are open (an end tag of nothing open costs O(1))."""
        self.heading: tuple[int, int, int | None] | None = None
        self.items: list[_Item] = []
        self.lists: list[_List] = []
        self.table: _Table | None = None
        self.nested_tables = 0
        self.links: list[tuple[str, int, int]] = []
        self.next_list = 0

    # -- tag bookkeeping -------------------------------------------------------------------
    def _push(self, tag: str) -> None:
        dropped = tag in _DROPPED or (tag in _CHROME and not self.main and not self.fragment)
        self.open.append((tag, dropped))
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        self.dropping += dropped
        self.main += tag in _MAIN
        self.pre += tag == "pre"

    def _pop(self) -> str:
        tag, dropped = self.open.pop()
        self.open_count[tag] -= 1
        self.dropping -= dropped
        self.main -= tag in _MAIN
        self.pre -= tag == "pre"
        if not self.dropping and not dropped:
            self._closed(tag)
        return tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._implicit_close(tag)
        if tag in _VOID:
            if not self.dropping:
                self._void(tag, dict(attrs))
            return
        if not self.dropping and tag not in _DROPPED:
            self._opened(tag, dict(attrs))
        self._push(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count.get(tag):
            return
        while self.open:
            if self._pop() == tag:
                break

    def _implicit_close(self, tag: str) -> None:
        """Close what the start of ``tag`` ends without saying so (``<li>`` after ``<li>``,
        a block after an unclosed ``<p>``), as browsers do."""
        closes: tuple[str, ...]
        if tag in _IMPLIED_END:
            boundary = _IMPLIED_END[tag]
            closes = _CLOSED_BY.get(tag, (tag,))
        elif tag in _HEADINGS:
            boundary = _IMPLIED_END["p"]
            closes = ("p", *_HEADINGS)
        elif tag in _BLOCK_TAGS:
            boundary = _IMPLIED_END["p"]
            closes = ("p",)
        else:
            return
        lowest = max(0, len(self.open) - _IMPLIED_SCAN)
        for position in range(len(self.open) - 1, lowest - 1, -1):
            name = self.open[position][0]
            if name in boundary:
                return
            if name in closes:
                while len(self.open) > position:
                    self._pop()
                return

    # -- content ---------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.dropping or not data:
            return
        line = self.getpos()[0]
        if data.strip():
            lead = len(data) - len(data.lstrip())
            first = line + data.count("\n", 0, lead)
            last = line + data.count("\n", 0, len(data.rstrip()))
            if not self.buf_has_text:
                self.buf_start = first
                self.buf_has_text = True
            self.buf_end = max(self.buf_end, last)
        self.buf.append(data if self.pre else _collapse(data))
        self.stream.append((data, self.generation))
        self.buf_in_main = self.buf_in_main or self.main > 0

    def _void(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "br":
            self.buf.append("\n")
        elif tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self.handle_data(f" {alt} ")
        elif tag == "hr":
            self._flush()

    def _opened(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "a":
            self.links.append((attrs.get("href") or "", len(self.buf), self.generation))
            return
        if tag not in _BLOCK_TAGS:
            return
        if self.table is not None:
            self._table_tag_opened(self.table, tag)
            return
        if self.heading is not None:
            self.buf.append(" ")
            return
        self._flush()
        line = self.getpos()[0]
        if tag in _HEADINGS:
            self.heading = (_HEADINGS[tag], line, self._container())
        elif tag in ("ul", "ol"):
            start = _int(attrs.get("start"))
            self.next_list += 1
            self.lists.append(
                _List(self.next_list, tag == "ol", (start if start is not None else 1) - 1)
            )
        elif tag == "li":
            current = self.lists[-1] if self.lists else None
            value = None
            if current is not None and current.ordered:
                explicit = _int(attrs.get("value"))
                current.counter = explicit if explicit is not None else current.counter + 1
                value = current.counter
            self.items.append(_Item(current.list_id if current else 0, value, line))
        elif tag == "table":
            self.table = _Table(line, False, self._container())

    def _table_tag_opened(self, table: _Table, tag: str) -> None:
        if self.nested_tables or tag == "table":
            # a table inside a cell reads as lines of that cell
            self.nested_tables += tag == "table"
            self._flush_into_cell(table)
            return
        if tag == "thead":
            table.in_head = True
        elif tag in ("tbody", "tfoot"):
            table.in_head = False
        elif tag == "tr":
            self._end_row(table)
            table.cells = []
            table.row_start = table.row_end = self.getpos()[0]
            table.row_is_header = True
        elif tag in ("td", "th"):
            if table.cell is not None:
                self._closed_cell(table)
            if table.cells is None:
                table.cells = []
                table.row_start = table.row_end = self.getpos()[0]
                table.row_is_header = True
            table.cell = []
            if tag == "td":
                table.row_is_header = False
        else:
            self._flush_into_cell(table)

    def _closed(self, tag: str) -> None:
        if tag == "a":
            if self.links:
                href, position, generation = self.links.pop()
                if generation == self.generation:
                    suffix = link_suffix("".join(self.buf[position:]), href)
                    if suffix:
                        self.buf.append(suffix)
                        self.stream.append((suffix, self.generation))
            return
        if tag not in _BLOCK_TAGS:
            return
        if self.table is not None:
            self._table_tag_closed(self.table, tag)
            return
        if tag in _HEADINGS and self.heading is not None:
            level, line, container = self.heading
            start = self.buf_start or line
            end = max(self.buf_end, start)
            text = self._take()
            self.heading = None
            if text:
                self.destination[self.taken_generation] = self._emit(
                    "heading",
                    text,
                    start,
                    end,
                    level=level,
                    container=container,
                    in_main=self.taken_in_main,
                )
            return
        if self.heading is not None:
            self.buf.append(" ")
            return
        self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "li" and self.items:
            self.items.pop()

    def _table_tag_closed(self, table: _Table, tag: str) -> None:
        if self.nested_tables:
            self.nested_tables -= tag == "table"
            self._flush_into_cell(table)
            return
        if tag in ("td", "th"):
            self._closed_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "thead":
            self._end_row(table)
            table.in_head = False
        elif tag == "table":
            self._end_row(table)
            self.table = None
            self._emit_table(table)
        else:
            self._flush_into_cell(table)

    def _end_row(self, table: _Table) -> None:
        if table.cell is not None:
            self._closed_cell(table)
        self._flush_into_cell(table)
        if table.cell is not None:
            self._closed_cell(table)
        if table.cells is None:
            return
        text = " | ".join(cell for cell in table.cells if cell)
        span = (text, table.row_start, max(table.row_end, table.row_start))
        if text:
            if table.header is None and not table.rows and (table.row_is_header or table.in_head):
                table.header = span
            else:
                table.rows.append(span)
        table.cells = None

    def _closed_cell(self, table: _Table) -> None:
        self._flush_into_cell(table)
        if table.cells is not None and table.cell is not None:
            table.cells.append("\n".join(table.cell))
        table.cell = None

    def _flush_into_cell(self, table: _Table) -> None:
        start, end = self.buf_start, self.buf_end
        text = self._take()
        if not text:
            return
        table.generations.append(self.taken_generation)
        table.in_main = table.in_main or self.taken_in_main
        if table.cells is None:
            table.cells = []
            table.row_start = start
            table.row_is_header = False
        if table.cell is None:
            table.cell = []
        table.cell.append(text)
        table.row_end = max(table.row_end, end)

    def _emit_table(self, table: _Table) -> None:
        if table.header is None and not table.rows:
            return
        head_text, head_start, head_end = table.header or ("", table.start, table.start)
        index = self._emit(
            "table",
            head_text,
            head_start,
            head_end,
            container=table.container,
            force=True,
            in_main=table.in_main,
        )
        for generation in table.generations:
            self.destination[generation] = index
        for text, start, end in table.rows:
            self._emit("row", text, start, end, container=index, in_main=table.in_main)

    # -- blocks ----------------------------------------------------------------------------
    def _take(self) -> str:
        """Empty the buffer, returning its text; ``taken_generation`` and ``taken_in_main``
        say which buffer it was and whether any of it was inside main/article."""
        raw = "".join(self.buf)
        self.buf.clear()
        self.taken_generation = self.generation
        self.taken_in_main = self.buf_in_main
        self.generation += 1
        self.buf_end = 0
        self.buf_has_text = False
        self.buf_in_main = False
        return "\n".join(line for line in normalize_lines(raw) if line)

    def _flush(self) -> None:
        if self.table is not None:
            self._flush_into_cell(self.table)
            return
        start, end = self.buf_start, max(self.buf_end, self.buf_start)
        text = self._take()
        if not text:
            return
        generation, in_main = self.taken_generation, self.taken_in_main
        item = self.items[-1] if 0 < len(self.items) <= MAX_CONTAINER_DEPTH else None
        if item is not None and item.index is None:
            container = self._container_of(len(self.items) - 1)
            item.index = self._emit(
                "item", text, start, end, container=container, item=item, in_main=in_main
            )
            self.destination[generation] = item.index
            return
        index = self._emit(
            "paragraph", text, start, end, container=self._container(), in_main=in_main
        )
        self.destination[generation] = index

    def _container(self) -> int | None:
        """The block that holds what is read now: the innermost open list item (emitting it,
        empty, if it has no block yet)."""
        return self._container_of(min(len(self.items), MAX_CONTAINER_DEPTH))

    def _container_of(self, depth: int) -> int | None:
        """Block index of the item at ``depth`` (1-based), emitting the open items up to it."""
        return item_container(self.items, depth, self._emit_item)

    def _emit_item(self, item: _Item, container: int | None) -> int:
        return self._emit(
            "item", "", item.start, item.start, container=container, item=item, force=True
        )

    def _emit(
        self,
        kind: BlockKind,
        text: str,
        start: int,
        end: int,
        *,
        level: int = 0,
        container: int | None = None,
        item: _Item | None = None,
        force: bool = False,
        in_main: bool | None = None,
    ) -> int:
        if not text and not force:
            return -1
        self.blocks.append(
            Block(
                kind,
                text,
                start,
                end,
                level=level,
                container=container,
                list_id=item.list_id if item else None,
                value=item.value if item else None,
            )
        )
        self.in_main_flags.append(self.main > 0 if in_main is None else in_main)
        return len(self.blocks) - 1

    def finish(self) -> None:
        self.close()
        while self.open:
            self._pop()
        if self.table is not None:
            table, self.table = self.table, None
            self._end_row(table)
            self._emit_table(table)
        self._flush()


def _collapse(data: str) -> str:
    """HTML whitespace: any run of blanks and line ends reads as one space."""
    inner = " ".join(data.split())
    if not inner:
        return " "
    return (" " if data[0].isspace() else "") + inner + (" " if data[-1].isspace() else "")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 6 else None


def _read(text: str, *, fragment: bool) -> _Reader:
    reader = _Reader(fragment=fragment)
    reader.feed(text)
    reader.finish()
    return reader


def _kept(reader: _Reader) -> list[bool]:
    """Which blocks a reader of the page sees: those inside main/article when there are any."""
    if any(reader.in_main_flags):
        return list(reader.in_main_flags)
    return [True] * len(reader.blocks)


def html_blocks(text: str) -> list[Block]:
    """A saved web page -> blocks (only those inside ``main``/``article`` when it has one)."""
    reader = _read(text, fragment=False)
    keep = _kept(reader)
    kept: dict[int, int] = {}
    out: list[Block] = []
    for index, block in enumerate(reader.blocks):
        if not keep[index]:
            continue
        container = kept.get(block.container) if block.container is not None else None
        kept[index] = len(out)
        out.append(replace(block, container=container))
    return out


def html_text(text: str) -> str:
    """Every piece of text the page's kept blocks were made from, in source order, gathered as
    the parser read it, before it was shaped into blocks: the reference the no-text-lost check
    compares the clause tree with. A piece that reached no block is counted too, so a piece
    the block-building dropped shows up missing."""
    reader = _read(text, fragment=False)
    keep = _kept(reader)
    pieces = []
    for piece, generation in reader.stream:
        destination = reader.destination.get(generation)
        if destination is None or keep[destination]:
            pieces.append(piece)
    return "".join(pieces)


def html_fragment(text: str, *, line_offset: int = 0) -> tuple[list[Block], str]:
    """An HTML block inside Markdown -> (blocks with lines shifted by ``line_offset``, its
    readable text). No ``main`` preference: the fragment is all there is."""
    reader = _read(text, fragment=True)
    blocks = [
        replace(b, start=b.start + line_offset, end=b.end + line_offset) for b in reader.blocks
    ]
    return blocks, "".join(piece for piece, _ in reader.stream)
