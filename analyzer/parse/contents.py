"""The title and the tables of contents of a document, found before the tree is built.

A table of contents is a run of three or more short numbered titles whose numbering starts
again later in the document with real content, or a list whose every item is a link into the
page; it becomes one ``contents`` clause (:class:`Contents` says which blocks), so that its
titles are not read as empty sections. The title is the first block of plain text when it reads
like one, or the only top-level Markdown/HTML heading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analyzer.parse.blocks import Block
from analyzer.parse.numbering import Numbering
from analyzer.parse.shape import title_like

__all__ = ["Contents", "find_contents", "find_title"]

_INTERNAL_LINK = re.compile(r"\(#[^()\s]{0,200}\)$")


def find_title(
    blocks: Sequence[Block], flow: Sequence[int], readings: Mapping[int, list[Numbering]], fmt: str
) -> int | None:
    """The document's title: the first block of plain text when it reads like one; in
    Markdown/HTML the first heading when no other heading shares its (top) level."""
    if not flow:
        return None
    first = flow[0]
    if fmt == "text":
        block = blocks[first]
        if first not in readings and title_like(block.text, max_words=20):
            return first
        return None
    headings = [i for i in flow if blocks[i].kind == "heading"]
    if not headings:
        return None
    top = min(blocks[i].level for i in headings)
    at_top = [i for i in headings if blocks[i].level == top]
    unique_top = len(at_top) == 1 and at_top[0] == headings[0] and len(headings) > 1
    if unique_top and headings[0] not in readings:
        return headings[0]
    return None


@dataclass
class Contents:
    """The blocks that make tables of contents."""

    of: dict[int, int] = field(default_factory=dict)
    """Block index -> index of the first block of the contents it belongs to."""
    heading: dict[int, int] = field(default_factory=dict)
    """First member -> the lead-in line that heads the contents."""
    members: dict[int, list[int]] = field(default_factory=dict)
    """First block -> every block of the contents (the lead-in first, when there is one)."""


def find_contents(
    blocks: Sequence[Block],
    flow: Sequence[int],
    readings: Mapping[int, list[Numbering]],
    prev_flow: Mapping[int, int],
) -> Contents:
    """The tables of contents of a document: numbered runs first, then lists of in-page links."""
    finder = _Finder(blocks, flow, readings, prev_flow)
    finder.numbered()
    finder.links()
    return finder.found


@dataclass
class _Finder:
    blocks: Sequence[Block]
    flow: Sequence[int]
    readings: Mapping[int, list[Numbering]]
    prev_flow: Mapping[int, int]
    found: Contents = field(default_factory=Contents)

    def numbered(self) -> None:
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

    def links(self) -> None:
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
            and intro not in self.found.of
            and self.blocks[intro].kind == "paragraph"
            and self.blocks[intro].text.rstrip().endswith((":", "："))
        ):
            self.found.heading[members[0]] = intro
            members = [intro, *members]
        for member in members:
            self.found.of[member] = members[0]
        self.found.members[members[0]] = members
