"""Plain text -> blocks: paragraphs separated by blank lines, with their line spans.

Lines are normalised one by one (:func:`analyzer.text.normalize.normalize_lines`), so a line of a single
no-break space is blank and line numbers stay those of the source. A line that opens with an
unmistakable clause number (``2.1.``, ``（一）``, ``第三条``, ``(2)``) starts a new block even
without a blank line before it, because many plain-text policies put one clause per line. A
number that could also be a quantity (``3.1`` without a closing dot) starts one only when it
continues the section numbering read so far (``3.1`` after ``三、``, ``3.2`` after ``3.1``).
Neither does when the line reads as the rest of a wrapped sentence: the line before it ends
without punctuation and the words after the number start in lower case (``category`` /
``(2) of this article``).

A paragraph of two or more lines laid out in columns with runs of spaces (every line the same
number of cells, the columns starting at the same places) is a table: its first line the
header, each other line a row, cells joined by `` | `` as the Markdown reader joins them. So
is a paragraph written as a pipe table (``| a | b |`` over ``|---|---|``).
"""

from __future__ import annotations

from analyzer.parse.blocks import Block
from analyzer.parse.numbering import Numbering, read_number
from analyzer.text.compiled import regex
from analyzer.text.normalize import collapse_runs, normalize_lines


def text_blocks(text: str) -> list[Block]:
    """Split a plain-text body into paragraph blocks."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0

    def flush(end: int) -> None:
        if current:
            blocks.append(Block("paragraph", "\n".join(current), start, end))
            current.clear()

    wide = normalize_lines(text, keep_runs=True)  # columns kept, for tables
    lines = [collapse_runs(line) for line in wide]
    section: tuple[int, ...] = ()  # the last section number that opened a block
    for number, line in enumerate(lines, start=1):
        if not line:
            flush(number - 1)
            continue
        reading = read_number(line)
        if (
            current
            and reading is not None
            and (
                _opens_clause(reading, section, current[-1])
                or _first_under_heading(reading, current)
            )
        ):
            flush(number - 1)
        if not current:
            start = number
            if reading is not None and not reading.is_item:
                section = reading.values
        current.append(line)
    flush(len(lines))
    return _tables(blocks, wide)


_GAP = regex(r" {2,}")
"""What separates two columns of a table laid out with spaces."""


def _tables(blocks: list[Block], wide: list[str]) -> list[Block]:
    """``blocks`` with each paragraph laid out in columns turned into a table and its rows."""
    out: list[Block] = []
    for block in blocks:
        lines = wide[block.start - 1 : block.end]
        rows = _pipe_rows(lines) if block.end > block.start else None
        if rows is None and block.end > block.start:
            rows = _columns(lines)
        if rows is None:
            out.append(block)
            continue
        table = len(out)
        out.append(Block("table", " | ".join(rows[0]), block.start, block.start))
        for offset, cells in enumerate(rows[1:], start=1):
            line = block.start + offset
            out.append(Block("row", " | ".join(cells), line, line, container=table))
    return out


_PIPE_RULE = regex(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?")
"""The rule under a pipe table's header: ``|---|:---:|``."""


def _pipe_rows(lines: list[str]) -> list[list[str]] | None:
    """The cells of a table written with pipes (``| a | b |``, the rule ``|---|---|`` under
    its first line), as a plain-text policy copied from a Markdown page keeps it; also without
    the rule when every line is a row of pipes with the same number of cells (the first line
    then holds the headings); else None. Rows without the header's number of cells leave the
    paragraph as it is."""
    bodies = [line.strip() for line in lines]
    if len(bodies) >= 3 and _PIPE_RULE.fullmatch(bodies[1]):
        bodies = bodies[:1] + bodies[2:]
    elif len(bodies) < 2 or not all(b.startswith("|") and b.endswith("|") for b in bodies):
        return None
    rows: list[list[str]] = []
    for body in bodies:
        if not body.startswith("|"):
            return None
        cells = [" ".join(c.split()) for c in body.strip("|").split("|")]
        if rows and len(cells) != len(rows[0]):
            return None
        rows.append(cells)
    return rows if len(rows[0]) >= 2 else None


def _columns(lines: list[str]) -> list[list[str]] | None:
    """The cells of each line when the lines form a table, else None."""
    starts: list[int] | None = None
    rows: list[list[str]] = []
    for line in lines:
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        cells, columns, position = [], [], 0
        for gap in _GAP.finditer(body):
            cells.append(body[position : gap.start()])
            columns.append(indent + position)
            position = gap.end()
        cells.append(body[position:])
        columns.append(indent + position)
        if len(cells) < 2 or not all(c.strip() for c in cells):
            return None
        if starts is None:
            starts = columns
        elif len(columns) != len(starts) or any(
            abs(a - b) > 1 for a, b in zip(columns[1:], starts[1:], strict=True)
        ):
            return None
        rows.append([" ".join(c.split()) for c in cells])
    return rows


_SENTENCE_BREAK = frozenset(".:;!?。：；！？)）】」』\"'”’")
"""Characters that may end a line after which a numbered clause can begin."""


def _opens_clause(reading: Numbering, section: tuple[int, ...], previous: str) -> bool:
    """Whether a line read as ``reading`` starts a clause rather than continuing ``previous``."""
    if not reading.rest:
        return False
    if previous[-1:] not in _SENTENCE_BREAK and reading.rest[:1].islower():
        return False  # '… in category' / '(2) of this article': a wrapped reference
    if reading.strength == "strong":
        return True
    return (
        reading.strength == "medium" and not reading.is_item and _continues(reading.values, section)
    )


def _first_under_heading(reading: Numbering, current: list[str]) -> bool:
    """The first item of a list (``1.``, ``(1)``) right under a numbered heading line
    (``（一）注册与登录``) starts its own clause, as it does when a blank line separates them:
    a blank line there is layout, not structure."""
    if len(current) != 1 or not reading.rest or not reading.values or reading.values[-1] != 1:
        return False
    heading = current[0]
    return heading[-1:] not in _SENTENCE_BREAK and read_number(heading) is not None


def _continues(values: tuple[int, ...], section: tuple[int, ...]) -> bool:
    """``values`` is the next number after ``section`` at some depth, or its first child."""
    if values == (*section, 1):
        return True
    return any(values == (*section[:depth], section[depth] + 1) for depth in range(len(section)))
