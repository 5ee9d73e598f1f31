"""Plain text -> blocks: paragraphs separated by blank lines, with their line spans.

Lines are normalised one by one (:func:`normalize.normalize_lines`), so a line of a single
no-break space is blank and line numbers stay those of the source. A line that opens with an
unmistakable clause number (``2.1.``, ``（一）``, ``第三条``, ``(2)``) starts a new block even
without a blank line before it, because many plain-text policies put one clause per line.
"""

from __future__ import annotations

from .blocks import Block
from .normalize import normalize_lines
from .numbering import read_number


def text_blocks(text: str) -> list[Block]:
    """Split a plain-text body into paragraph blocks."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0

    def flush(end: int) -> None:
        if current:
            blocks.append(Block("paragraph", "\n".join(current), start, end))
            current.clear()

    lines = normalize_lines(text)
    for number, line in enumerate(lines, start=1):
        if not line:
            flush(number - 1)
            continue
        if current and _opens_clause(line):
            flush(number - 1)
        if not current:
            start = number
        current.append(line)
    flush(len(lines))
    return blocks


def _opens_clause(line: str) -> bool:
    reading = read_number(line)
    return reading is not None and reading.strength == "strong" and bool(reading.rest)
