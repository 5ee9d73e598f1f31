"""Numbers, ids and addresses of the finished tree, and the frozen :class:`~analyzer.model.Clause`.

:func:`name_clauses` gives every node its normalised number (``2.1.1``; an item's number
continues its parent's), a unique id (``s2.1``, ``s2.2(1)``, ``h-cookies-p1``) and the address
a reader uses (``5.3.2(1)``, ``2.3 ¶1``, a heading's text); :func:`freeze` turns a node into
the immutable clause of the tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.model import Clause
from analyzer.parse.nodes import Node
from analyzer.parse.numbering import SECTION_FAMILIES, token
from analyzer.parse.shape import slug
from analyzer.text.normalize import content_hash, squash

__all__ = ["freeze", "name_clauses"]


def name_clauses(nodes: Sequence[Node]) -> None:
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    counters: dict[tuple[int, str], int] = {}
    for node in nodes:
        parent = node.parent
        node.depth = parent.depth + 1 if parent is not None else 0
        base = parent.number if parent is not None else ()
        node.number = _number(node, base)
        ident, place = _name(node, counters)
        unique = ident
        suffix = next_suffix.get(ident, 2)
        while unique in used:
            unique = f"{ident}-{suffix}"
            suffix += 1
        next_suffix[ident] = suffix
        used.add(unique)
        node.id = unique
        node.place = place if unique == ident else f"{place} ({unique.rsplit('-', 1)[1]})"


def _number(node: Node, base: tuple[int, ...]) -> tuple[int, ...]:
    if not node.values:
        return base
    if node.family == "arabic" and len(node.values) >= 2:
        return node.values
    if node.role == "section" and node.parent is None:
        return node.values
    if node.role == "mdheading" and not node.relative:
        return node.values
    return (*base, node.values[-1])


def _name(node: Node, counters: dict[tuple[int, str], int]) -> tuple[str, str]:
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
        if _absolute(node):
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


def _absolute(node: Node) -> bool:
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


def freeze(node: Node, line_offset: int) -> Clause:
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
        lines=(node.start + line_offset, node.end + line_offset),
        hash=content_hash(hashed),
        kind=kind,  # type: ignore[arg-type]
        place=node.place,
    )
