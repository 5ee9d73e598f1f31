"""Plain text -> blocks: paragraphs separated by blank lines, with their line spans.

Lines are normalised one by one (:func:`normalize.normalize_lines`), so a line of a single
no-break space is blank and line numbers stay those of the source. A line that opens with an
unmistakable clause number (``2.1.``, ``（一）``, ``第三条``, ``(2)``) starts a new block even
without a blank line before it, because many plain-text policies put one clause per line. A
number that could also be a quantity (``3.1`` without a closing dot) starts one only when it
continues the section numbering read so far (``3.1`` after ``三、``, ``3.2`` after ``3.1``).
Neither does when the line reads as the rest of a wrapped sentence: the line before it ends
without punctuation and the words after the number start in lower case (``category`` /
``(2) of this article``).
"""

from __future__ import annotations

from .blocks import Block
from .normalize import normalize_lines
from .numbering import Numbering, read_number


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
    section: tuple[int, ...] = ()  # the last section number that opened a block
    for number, line in enumerate(lines, start=1):
        if not line:
            flush(number - 1)
            continue
        reading = read_number(line)
        if current and reading is not None and _opens_clause(reading, section, current[-1]):
            flush(number - 1)
        if not current:
            start = number
            if reading is not None and not reading.is_item:
                section = reading.values
        current.append(line)
    flush(len(lines))
    return blocks


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


def _continues(values: tuple[int, ...], section: tuple[int, ...]) -> bool:
    """``values`` is the next number after ``section`` at some depth, or its first child."""
    if values == (*section, 1):
        return True
    return any(values == (*section[:depth], section[depth] + 1) for depth in range(len(section)))
