"""Clause trees built by hand for alignment tests, without the parser.

A row is ``(number, heading, text)``: ``"3.2"`` is clause 3.2 under section 3, ``""`` a
preamble paragraph, ``"3.2/p1"`` an unnumbered paragraph attached to 3.2. Ids, parents, depths
and hashes follow the parser's conventions (``s3.2``, ``p1``, ``s3.2-p1``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from analyzer.model import Clause, ClauseTree
from analyzer.text.normalize import content_hash

Row = tuple[str, str | None, str]


def build(rows: Iterable[Row], *, language: str = "en", source: str = "test") -> ClauseTree:
    clauses: list[Clause] = []
    preamble = 0
    for line, (spec, heading, text) in enumerate(rows, start=1):
        number_part, _, para = spec.partition("/")
        number = tuple(int(x) for x in number_part.split(".")) if number_part else ()
        if not number:
            preamble += 1
            cid, parent, kind = f"p{preamble}", None, "preamble"
        elif para:
            cid, parent, kind = f"s{number_part}-{para}", f"s{number_part}", "paragraph"
        else:
            cid = f"s{number_part}"
            parent = f"s{'.'.join(map(str, number[:-1]))}" if len(number) > 1 else None
            kind = "section" if len(number) == 1 else "clause"
        depth = 0 if not number else len(number) - 1 + (1 if para else 0)
        hashed = " ".join(p for p in (heading, text) if p)
        clauses.append(
            Clause(
                id=cid,
                label=number_part or None,
                number=number,
                heading=heading,
                text=text,
                parent=parent,
                depth=depth,
                lines=(line, line),
                hash=content_hash(hashed),
                kind=kind,  # type: ignore[arg-type]
            )
        )
    ids = [c.id for c in clauses]
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    known = set(ids)
    for c in clauses:
        assert c.parent is None or c.parent in known, f"{c.id}: parent {c.parent} missing"
    return ClauseTree(source=source, meta={}, clauses=tuple(clauses), language=language)


def renumber(rows: Sequence[Row]) -> list[Row]:
    """Rows with top-level sections numbered 1, 2, 3 … in their order, children following."""
    mapping: dict[str, str] = {}
    out: list[Row] = []
    top = 0
    for spec, heading, text in rows:
        number_part, sep, para = spec.partition("/")
        if not number_part:
            out.append((spec, heading, text))
            continue
        head, _, rest = number_part.partition(".")
        if head not in mapping:
            top += 1
            mapping[head] = str(top)
        new_number = mapping[head] + ("." + rest if rest else "")
        out.append((new_number + sep + para, heading, text))
    return out


def rows_from_text(text: str) -> list[Row]:
    """A rough tree of a plain-text policy (a stand-in for the parser in alignment tests).

    A line opening with a dotted number (``2.1.``, ``3、``) is that clause; any other non-empty
    line is a paragraph of the clause before it (or of the preamble). A number seen before
    makes its line a paragraph, so ids stay unique.
    """
    import re

    numbered = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*[.、]?\s+(\S.*)$")
    rows: list[Row] = []
    seen: set[str] = set()
    current = ""
    paras: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        m = numbered.match(line)
        if m and m.group(1) not in seen:
            number = m.group(1)
            parts = number.split(".")
            # the parent must exist: fall back to a paragraph when it does not
            if len(parts) == 1 or ".".join(parts[:-1]) in seen:
                seen.add(number)
                current = number
                rows.append((number, None, m.group(2).strip()))
                continue
        paras[current] = paras.get(current, 0) + 1
        spec = f"{current}/p{paras[current]}" if current else ""
        rows.append((spec, None, line.strip()))
    return rows


def seed_rows() -> list[Row]:
    """The shipped seed policy as a clean tree: its ten sections (titles from its table of
    contents, as headings) and their numbered clauses and paragraphs, preamble first."""
    from pathlib import Path

    path = (
        Path(__file__).resolve().parents[2] / "policy_versions/alibaba-cloud-privacy/2023-05-26.md"
    )
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    rows = rows_from_text(body)
    titles = {spec: text for spec, _, text in rows if spec.isdigit()}
    preamble = [r for r in rows if r[0] == ""]
    out: list[Row] = list(preamble)
    for top in sorted(titles, key=int):
        out.append((top, titles[top], ""))
        out.extend(
            r for r in rows if r[0].split("/")[0].split(".")[0] == top and "." in r[0].split("/")[0]
        )
    return out
