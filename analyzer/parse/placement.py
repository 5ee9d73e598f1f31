"""Where numbered clauses go: the numbering decisions of the tree builder.

:class:`Numbers` answers, for a numbered block, the questions a reader of the policy answers:
which reading of its number the numbering around it supports (``I.`` after ``B.`` is the letter
I), whether the number is damaged and what it should read (a duplicated ``3.3.3`` after 3.4.2
is 3.4.3), which open clause it nests under (``2.1.1`` under ``2.1``; ``(1)`` under the clause
it follows; a heading-like list item groups the dotted clauses after it), and whether it is a
heading or a clause with text. It keeps what it has seen (numbers used per scope, the last
number of each dotted prefix and of each Markdown heading level); the builder
(:mod:`analyzer.parse.tree`) creates the clauses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from analyzer.parse.blocks import Block
from analyzer.parse.nodes import Node, OpenClauses
from analyzer.parse.numbering import SECTION_FAMILIES, Numbering
from analyzer.parse.shape import starts_like_text, title_like

__all__ = ["Numbers", "Placed"]


class Placed(NamedTuple):
    """Where a numbered block goes and what it is."""

    family: str
    """The numbering family it continues (``arabic``, ``arabic-list``, ``cn-section`` …)."""
    values: tuple[int, ...]
    """Its number as read, repaired when damaged."""
    parent: Node | None
    group: bool
    """A heading-like list item that groups the dotted clauses after it."""
    heading: str | None
    text: str
    is_heading: bool


class Numbers:
    """The numbering decisions of one document (see the module docstring)."""

    def __init__(
        self,
        blocks: Sequence[Block],
        readings: Mapping[int, list[Numbering]],
        next_flow: Mapping[int, int],
        prev_flow: Mapping[int, int],
        open_clauses: OpenClauses,
        warn: Callable[[int, str], None],
    ) -> None:
        self.blocks = blocks
        self.readings = readings
        self.next_flow = next_flow
        self.prev_flow = prev_flow
        self.open = open_clauses
        self.warn = warn
        self.used: dict[int, set[tuple[int, ...]]] = {}
        """Dotted numbers used so far, per scope."""
        self.last_prefix: dict[tuple[int, tuple[int, ...]], int] = {}
        """The last number given under each dotted prefix, per scope."""
        self.md_last: dict[tuple[int, int], tuple[str, int]] = {}
        """The family and last number of each (parent heading, level) of Markdown headings."""

    def place(self, index: int, block: Block, reading: Numbering) -> Placed:
        """Where the numbered block ``index`` goes and what it is; damage to its number is
        reported as it is met."""
        line = block.start
        values = reading.values
        family = reading.family
        if reading.damage == "stray space":
            self.warn(line, f"stray space in number {reading.label!r} read as {reading.dotted}")
        elif reading.damage == "number written in words":
            self.warn(line, f"number written in words: {reading.label!r} read as {reading.dotted}")
        group = False
        parent: Node | None
        if family == "arabic" and len(values) >= 2:
            values = self.repair_dotted(reading, line)
            parent = self.place_dotted(values)
        elif family == "arabic":
            family, values, parent = self.place_arabic(reading, line)
        else:
            group_parent = self.group_parent(index, reading)
            if group_parent is not None:
                group = True
                self.open.pop_to(group_parent, inclusive=False)
                parent = group_parent
            else:
                family, values, parent = self.place_other(reading, line)
        heading, text, is_heading = self.split(index, reading, family, values)
        return Placed(family, values, parent, group, heading, text, is_heading)

    def reading(self, index: int) -> Numbering | None:
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
            previous = self.md_last.get((id(self.open.md_parent(block.level)), block.level))
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
            owner = self.open.md_parent(block.level)
            previous = self.md_last.get((id(owner), block.level))
            return previous == (reading.family, values[-1] - 1)
        if reading.family == "arabic" and len(values) >= 2:
            parent = self.open.find(
                lambda n: n.family in SECTION_FAMILIES and n.values == values[:-1]
            )
            if parent is None:
                return False
            last = self.last_prefix.get((self._scope_key(), values[:-1]), 0)
            return values[-1] == last + 1
        if reading.family == "arabic":
            listed = self.open.find(lambda n: n.family == "arabic-list")
            if listed is not None and listed.values[-1] == values[-1] - 1:
                return True
        same = self._sibling(reading)
        if same is not None:
            return same.values[-1] == values[-1] - 1
        if not reading.is_item and reading.strength != "strong":
            top = self.open.find(lambda n: n.family in SECTION_FAMILIES and len(n.values) == 1)
            return top is not None and top.values[-1] == values[-1] - 1
        return False

    def _scope_key(self) -> int:
        return id(self.open.owner())

    def record(self, node: Node) -> None:
        key = self._scope_key()
        if node.family == "arabic":
            self.used.setdefault(key, set()).add(node.values)
            if len(node.values) >= 2:
                self.last_prefix[(key, node.values[:-1])] = node.values[-1]

    def repair_dotted(self, reading: Numbering, line: int) -> tuple[int, ...]:
        values = reading.values
        used = self.used.get(self._scope_key(), set())
        previous = self.open.find(lambda n: n.family == "arabic" and len(n.values) == len(values))
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
        self.warn(line, f"{why} {reading.label!r} read as {shown}")
        return expected

    def place_dotted(self, values: tuple[int, ...]) -> Node | None:
        parent = self.open.find(lambda n: n.family in SECTION_FAMILIES and n.values == values[:-1])
        if parent is not None:
            position = self.open.nodes.index(parent)
            if position + 1 < len(self.open.nodes) and self.open.nodes[position + 1].group:
                group = self.open.nodes[position + 1]
                self.open.pop_to(group, inclusive=False)
                return group
            self.open.pop_to(parent, inclusive=False)
            return parent
        sibling = self.open.find(lambda n: n.family == "arabic" and len(n.values) == len(values))
        if sibling is not None:
            self.open.pop_to(sibling, inclusive=True)
            return sibling.parent
        prefix = self.open.find(
            lambda n: n.family == "arabic" and n.values == values[: len(n.values)]
        )
        if prefix is not None:
            self.open.pop_to(prefix, inclusive=False)
            return prefix
        return self.nest_parent(item=False)

    def place_arabic(
        self, reading: Numbering, line: int
    ) -> tuple[str, tuple[int, ...], Node | None]:
        value = reading.values[0]
        listed = self.open.find(lambda n: n.family == "arabic-list")
        top = self.open.find(lambda n: n.family == "arabic" and len(n.values) == 1)
        if listed is not None and listed.values[-1] == value - 1:
            self.open.pop_to(listed, inclusive=True)
            return "arabic-list", (value,), listed.parent
        if top is None:
            inside = any(n.family is not None for n in self.open.scope() if not n.host)
            if inside and reading.style in ("digit-dot", "digit-dun"):
                # 1. 2. inside （二） or under 第三条: a list in that clause, not new sections
                return "arabic-list", (value,), self.nest_parent(item=True)
            return "arabic", (value,), self.nest_parent(item=False)
        if value > top.values[0]:
            self.open.pop_to(top, inclusive=True)
            return "arabic", (value,), top.parent
        if self.open.nodes and self.open.nodes[-1] is not top:
            # a list that starts again inside a section: 1. 2. under 2.3
            return "arabic-list", (value,), self.nest_parent(item=True)
        expected = top.values[0] + 1
        why = "duplicated number" if value == top.values[0] else "number out of sequence"
        self.warn(line, f"{why} {reading.label!r} read as {expected}")
        self.open.pop_to(top, inclusive=True)
        return "arabic", (expected,), top.parent

    def place_other(
        self, reading: Numbering, line: int
    ) -> tuple[str, tuple[int, ...], Node | None]:
        family = reading.family
        same = self._sibling(reading)
        if same is not None:
            self.open.pop_to(same, inclusive=True)
            return family, reading.values, same.parent
        if not reading.is_item and reading.strength != "strong":
            value = reading.values[-1]
            top = self.open.find(lambda n: n.family in SECTION_FAMILIES and len(n.values) == 1)
            if top is not None and top.values[-1] == value - 1 and top.family != family:
                self.warn(
                    line,
                    f"number {reading.label!r} does not fit the numbering around it "
                    f"({top.label!r} before it): read as {value}",
                )
                self.open.pop_to(top, inclusive=True)
                return str(top.family), (value,), top.parent
        return family, reading.values, self.nest_parent(item=reading.is_item)

    def _sibling(self, reading: Numbering) -> Node | None:
        """The open clause of the same family the number continues. An item list continues only
        while nothing but its own items and their lists is open above it: ``(1)`` under 2.2.1
        starts a new list even when a ``(1)`` heading groups 2.1-2.4 further up."""
        family = reading.family
        for node in reversed(self.open.scope()):
            if node.family == family and len(node.values) == 1:
                return node
            if reading.is_item and node.role in ("section", "uheading") and not node.group:
                return None
        return None

    def nest_parent(self, *, item: bool) -> Node | None:
        """Where a new level of numbering goes: under the clause open here (an item list under
        the paragraph that introduced it; a section never under a paragraph or a list)."""
        start = self.open.scope_start()
        while len(self.open.nodes) > start and self.open.nodes[-1].role in ("listitem", "bullet"):
            self.open.nodes.pop()
        if item:
            return self.open.nodes[-1] if len(self.open.nodes) > start else self.open.owner()
        while len(self.open.nodes) > start and (
            self.open.nodes[-1].host or self.open.nodes[-1].role == "item"
        ):
            self.open.nodes.pop()
        if not any(n.role == "section" for n in self.open.nodes[start:]):
            del self.open.nodes[start:]
            return self.open.owner()
        return self.open.nodes[-1] if len(self.open.nodes) > start else self.open.owner()

    def group_parent(self, index: int, reading: Numbering) -> Node | None:
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
        return self.open.find(lambda n: n.family == "arabic" and n.values == prefix)

    def split(
        self, index: int, reading: Numbering, family: str, values: tuple[int, ...]
    ) -> tuple[str | None, str, bool]:
        """(heading, text, is a heading) for a numbered block."""
        rest = reading.rest
        block = self.blocks[index]
        if block.kind == "heading":
            return rest or None, "", True
        first, _, remainder = rest.partition("\n")
        if remainder and title_like(first) and starts_like_text(remainder):
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

    def peek_reading(self, index: int) -> Numbering | None:
        readings = self.readings.get(index)
        if not readings:
            return None
        best = readings[0]
        return best if best.strength != "weak" else None
