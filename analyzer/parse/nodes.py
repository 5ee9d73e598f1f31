"""The clauses of the tree while it is built: :class:`Node` (mutable, frozen into a
:class:`~analyzer.model.Clause` at the end) and :class:`OpenClauses`, the clauses open at the
current point of the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Node", "OpenClauses"]


@dataclass(eq=False)
class Node:
    """A clause while the tree is being built (mutable; frozen into a Clause at the end)."""

    role: str
    """title, mdheading, uheading, section, item, listitem, bullet, para, table, row, contents"""
    start: int
    end: int
    parent: Node | None
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


class OpenClauses:
    """The clauses open at the current point of the walk, outermost first. Numbering restarts
    under each Markdown or HTML heading: the clauses after the innermost one are its *scope*."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []

    def scope_start(self) -> int:
        """Index in the stack after the innermost Markdown/HTML heading (numbering restarts
        under each heading)."""
        for position in range(len(self.nodes) - 1, -1, -1):
            if self.nodes[position].role in ("mdheading",):
                return position + 1
        return 0

    def owner(self) -> Node | None:
        start = self.scope_start()
        return self.nodes[start - 1] if start else None

    def scope(self) -> list[Node]:
        return self.nodes[self.scope_start() :]

    def pop_to(self, node: Node, *, inclusive: bool) -> None:
        while self.nodes and self.nodes[-1] is not node:
            self.nodes.pop()
        if inclusive and self.nodes:
            self.nodes.pop()

    def find(self, predicate: Callable[[Node], bool]) -> Node | None:
        """The innermost open clause (under the current heading) that ``predicate`` accepts."""
        for node in reversed(self.scope()):
            if predicate(node):
                return node
        return None

    def md_parent(self, level: int) -> Node | None:
        for node in reversed(self.nodes):
            if node.role == "mdheading" and node.level < level:
                return node
        return None
