"""Word documents (.docx) of a revision: the redline as tracked changes, and notices on paper.

:func:`redline_docx` writes what a legal editor reviews in Word or LibreOffice: a first page
with the decision, the findings grouped by criterion and the change-log entry, then the policy
itself, **one paragraph per clause** (its number as written, its heading, a line break, its
text), with every difference as a real Word revision by :data:`AUTHOR`:

- words inserted or deleted are ``w:ins`` / ``w:del`` runs; a clause added or removed is a
  whole inserted or deleted paragraph (its paragraph mark included), so that *accept all*
  leaves exactly the new version's clauses and *reject all* exactly the old one's;
- a clause split in two, or two merged, is one redline over the parts whose paragraph marks
  are inserted or deleted where the parts meet;
- a clause that left the order of the others (a moved clause, and the clauses of a moved
  section with it) is a tracked move: its words are ``w:moveFrom`` where it stood and
  ``w:moveTo`` where it stands, in ranges of the same name; the words it lost on the way are
  deletions where it stood, the words it gained insertions where it stands.

Paragraph marks are plain insertions and deletions, in moves too; a paragraph added after one
that ends with inserted words takes the inserted break from the end of that one, as Word records
a paragraph typed there; and insertions that would touch across a break are parted by an empty
paragraph whose break is deleted. Each form reads the same in every view as the plainer one, but
LibreOffice (7.4) accepts or rejects the plainer ones wrongly (``tests/render/test_word.py``
holds each case).

Text is shown the way every view shows it (:func:`analyzer.text.normalize.visible`: a control or
bidirectional character is written out, never obeyed). The revision date is the new version's
date from its front matter (``updated``, else ``version``); without one the revisions carry no
date. The package is written with fixed timestamps and a fixed order, so the same inputs give
the same bytes.

The WordprocessingML and the package are written by :mod:`analyzer.render.wordml`, with the
standard library only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from analyzer.diff.changes import shown_text
from analyzer.diff.redline import longest_increasing, redline
from analyzer.model import Alignment, Change, Clause, ClauseTree, InlineOp, Report
from analyzer.render.view import (
    clause_names,
    criteria_with_findings,
    criterion_state,
    headline,
    kind_phrase,
    override_note,
    shown,
)
from analyzer.render.wordml import AUTHOR, Paragraph, Run, Status, document_xml, package
from analyzer.text.compiled import regex
from analyzer.text.normalize import visible

__all__ = [
    "AUTHOR",
    "Para",
    "clause_paragraph",
    "document_docx",
    "email_paras",
    "markdown_paras",
    "notice_docx",
    "redline_docx",
    "revision_date",
]


ParaKind = Literal["title", "heading", "paragraph", "item"]
_SIDE_OF = {"<": "-", ">": "+"}


# -- the paragraph of a clause -------------------------------------------------------------------


def clause_paragraph(clause: Clause) -> tuple[str, int]:
    """The paragraph a clause is in a redline, and how many of its first characters are bold.

    The number as the document wrote it, a space, the heading; a line break; the text. A clause
    without heading is its number, a space and its text. Bold: the number and the heading.
    Line breaks inside the text stay line breaks; every character is :func:`visible`.
    """
    label = visible(clause.label or "")
    heading = visible(clause.heading or "")
    text = visible(clause.text)
    head = " ".join(part for part in (label, heading) if part)
    if not head:
        return text, 0
    if not text:
        return head, len(head)
    return f"{head}{chr(10) if heading else ' '}{text}", len(head)


# -- paragraphs with revisions -------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text for :func:`document_docx`: a title, a heading, a paragraph or
    a bulleted item."""

    kind: ParaKind
    text: str
    level: int = 1
    """Heading level (1-3) or list depth (1 for a top-level item)."""
    bold: bool = False


def _add_text(
    para: Paragraph, status: Status, text: str, start: int, bold: Sequence[range]
) -> None:
    """Append ``text`` (which starts at ``start`` on the side whose bold spans are ``bold``)."""
    cuts = {0, len(text)}
    for span in bold:
        for edge in (span.start - start, span.stop - start):
            if 0 < edge < len(text):
                cuts.add(edge)
    edges = sorted(cuts)
    for a, b in itertools.pairwise(edges):
        heavy = any(start + a in span for span in bold)
        piece = text[a:b]
        last = para.runs[-1] if para.runs else None
        if last is not None and last.status == status and last.bold == heavy:
            last.text += piece
        else:
            para.runs.append(Run(status, piece, heavy))


@dataclass(frozen=True)
class _Side:
    """The paragraphs one side of a region reads as: their texts, joined by line feeds."""

    text: str
    breaks: frozenset[int]
    """Offsets of the line feeds that end a paragraph (the others are line breaks)."""
    bold: tuple[range, ...]
    depths: tuple[int, ...]

    @classmethod
    def of(cls, clauses: Sequence[Clause]) -> _Side:
        texts, breaks, bold, depths = [], set(), [], []
        offset = 0
        for k, clause in enumerate(clauses):
            text, heavy = clause_paragraph(clause)
            if k:
                breaks.add(offset - 1)
            texts.append(text)
            if heavy:
                bold.append(range(offset, offset + heavy))
            depths.append(clause.depth)
            offset += len(text) + 1
        return cls("\n".join(texts), frozenset(breaks), tuple(bold), tuple(depths))


def _region(
    ops: Sequence[tuple[Status, str]], old: _Side | None, new: _Side | None
) -> list[Paragraph]:
    """The paragraphs of one region of the redline (a clause, or the clauses of one match).

    ``ops`` rebuild ``old.text`` from ``=`` and ``-`` and ``new.text`` from ``=`` and ``+``
    (``<`` counts as ``-`` and ``>`` as ``+``: a moved clause's words). A line feed that ends a
    paragraph on one side and not on the other becomes an inserted or deleted paragraph mark
    next to a deleted or inserted line break.
    """
    empty = _Side("", frozenset(), (), (0,))
    o_side, n_side = old or empty, new or empty
    paras = [Paragraph(depth=(new or o_side).depths[0])]
    o = n = 0
    o_part = n_part = 0

    def close(mark: Status) -> None:
        nonlocal o_part, n_part
        paras[-1].mark = mark
        if mark in ("=", "-"):
            o_part += 1
        if mark in ("=", "+"):
            n_part += 1
        depths = n_side.depths if new is not None else o_side.depths
        part = n_part if new is not None else o_part
        paras.append(Paragraph(depth=depths[min(part, len(depths) - 1)]))

    for status, text in ops:
        op = _SIDE_OF.get(status, status)
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if piece:
                if op == "-":
                    _add_text(paras[-1], status, piece, o, o_side.bold)
                else:
                    _add_text(paras[-1], status, piece, n, n_side.bold)
                o += len(piece) if op != "+" else 0
                n += len(piece) if op != "-" else 0
            if k == len(pieces) - 1:
                break
            ends_old = op != "+" and o in o_side.breaks
            ends_new = op != "-" and n in n_side.breaks
            if op == "=" and ends_old and ends_new:
                close("=")
            elif op == "=" and (ends_old or ends_new):
                # a paragraph on one side, a line break on the other
                _add_text(paras[-1], "+" if ends_old else "-", "\n", n, ())
                close("-" if ends_old else "+")
            elif ends_old or ends_new:
                close("-" if op == "-" else "+")
            else:
                _add_text(paras[-1], status, "\n", n, ())
            o += 1 if op != "+" else 0
            n += 1 if op != "-" else 0
    paras[-1].mark = "=" if old is not None and new is not None else "-" if old else "+"
    return paras


def _ops(old: Sequence[Clause], new: Sequence[Clause], change: Change | None) -> list[InlineOp]:
    """The redline from the old clauses' paragraphs to the new ones': the report's own redline
    when the paragraphs differ only by it, else a redline of the paragraphs."""
    before, after = _Side.of(old).text, _Side.of(new).text
    if before == after:
        return [("=", before)] if before else []
    if change is not None and len(old) == len(new) == 1:
        o_text, n_text = visible(shown_text(old[0])), visible(shown_text(new[0]))
        prefix = before[: len(before) - len(o_text)]
        if before.endswith(o_text) and after == prefix + n_text:
            ops: list[InlineOp] = [("=", prefix)] if prefix else []
            ops += [(op, visible(text)) for op, text in change.inline]
            if _rebuilds(ops, before, after):
                return ops
    if not before:
        return [("+", after)]
    if not after:
        return [("-", before)]
    return list(redline(before, after))


def _rebuilds(ops: Sequence[InlineOp], before: str, after: str) -> bool:
    old = "".join(text for op, text in ops if op != "+")
    new = "".join(text for op, text in ops if op != "-")
    return old == before and new == after


# -- the order of the redline --------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One region of the redline: a match (both sides), or one side of a removed, added or
    displaced clause."""

    old: tuple[Clause, ...]
    new: tuple[Clause, ...]
    change: Change | None = None
    move: int | None = None
    """Index of the displaced match this side belongs to."""
    side: Literal["old", "new", "both"] = "both"
    """Which side of the match the region shows: where a displaced clause stood (``old``), where
    it stands (``new``), or both in one place."""


def _items(old: ClauseTree, new: ClauseTree, alignment: Alignment, report: Report) -> list[_Item]:
    """The regions in reading order.

    Matches that keep the order of both versions (a longest increasing run of the matches the
    report does not call moved) are the fixed points; between two of them come what the old
    version had there (removed clauses, and where displaced clauses stood), then what the new
    version has (added clauses, and where displaced clauses went). A displaced match is a moved
    clause, or a clause that went with a moved section.
    """
    old_by, new_by = old.by_id(), new.by_id()
    old_pos = {c.id: k for k, c in enumerate(old.clauses)}
    new_pos = {c.id: k for k, c in enumerate(new.clauses)}
    changes = {(tuple(r.id for r in c.old), tuple(r.id for r in c.new)): c for c in report.changes}
    matches = sorted(alignment.matches, key=lambda m: min(old_pos[i] for i in m.old))
    steady = [k for k, m in enumerate(matches) if not m.moved]
    kept = {
        steady[k]
        for k in longest_increasing([min(new_pos[j] for j in matches[i].new) for i in steady])
    }

    old_slot: dict[int, _Item] = {}
    new_slot: dict[int, _Item] = {}
    anchors: list[tuple[int, int, _Item | None]] = []
    for k, match in enumerate(matches):
        olds = tuple(old_by[i] for i in match.old)
        news = tuple(new_by[j] for j in match.new)
        change = changes.get((match.old, match.new))
        if k in kept:
            last_old = max(old_pos[i] for i in match.old)
            last_new = max(new_pos[j] for j in match.new)
            anchors.append((last_old, last_new, _Item(olds, news, change)))
            continue
        old_slot[min(old_pos[i] for i in match.old)] = _Item(olds, news, change, k, "old")
        new_slot[min(new_pos[j] for j in match.new)] = _Item(olds, news, change, k, "new")
    for clause_id in alignment.removed:
        old_slot[old_pos[clause_id]] = _Item((old_by[clause_id],), (), side="old")
    for clause_id in alignment.added:
        new_slot[new_pos[clause_id]] = _Item((), (new_by[clause_id],), side="new")

    out: list[_Item] = []
    old_keys, new_keys = sorted(old_slot), sorted(new_slot)
    a = b = 0
    anchors.append((len(old.clauses), len(new.clauses), None))
    for o_end, n_end, item in anchors:
        while a < len(old_keys) and old_keys[a] <= o_end:
            out.append(old_slot[old_keys[a]])
            a += 1
        while b < len(new_keys) and new_keys[b] <= n_end:
            out.append(new_slot[new_keys[b]])
            b += 1
        if item is not None:
            out.append(item)
    return out


def _body(
    old: ClauseTree, new: ClauseTree, alignment: Alignment, report: Report
) -> list[Paragraph]:
    """Every clause of both versions as paragraphs with revisions, moves named by range."""
    items = _items(old, new, alignment, report)
    names = _move_names(items)

    def same_range(a: int, b: int) -> bool:
        inside = 0 <= a < len(items) and 0 <= b < len(items)
        return inside and names.get(a) == names.get(b) and items[a].side == items[b].side

    paras: list[Paragraph] = []
    for k, item in enumerate(items):
        ops: list[tuple[Status, str]] = list(_ops(item.old, item.new, item.change))
        if item.move is not None and item.side == "old":
            # where a moved clause stood: its words moved away, the words it lost deleted
            ops = [("-" if op == "-" else "<", t) for op, t in ops if op != "+"]
        elif item.move is not None:
            # where it stands: its words moved here, the words it gained inserted
            ops = [("+" if op == "+" else ">", t) for op, t in ops if op != "-"]
        o_side = _Side.of(item.old) if item.side != "new" else None
        n_side = _Side.of(item.new) if item.side != "old" else None
        region = _region(ops, o_side, n_side)
        name = names.get(k)
        if name is not None:
            for para in region:
                para.move, para.moved_to = name, item.side == "new"
            region[0].range_start = not same_range(k - 1, k)
            region[-1].range_end = not same_range(k, k + 1)
        paras += region
    _break_before_insertions(paras)
    return _part_touching_insertions(paras)


def _break_before_insertions(paras: list[Paragraph]) -> None:
    """Inserted paragraphs that follow a paragraph ending with inserted words take their
    paragraph break from the end of that paragraph, as Word records a paragraph typed after
    another (the mark before the new text is the inserted one). The two forms read the same
    when every change is accepted or rejected, but LibreOffice rejects the other one wrongly:
    it joins the paragraph before to the one after."""
    k = 1
    while k < len(paras):
        before = paras[k - 1]
        last = k
        while last < len(paras) and paras[last].mark == "+" and _only_inserted(paras[last]):
            last += 1
        if last > k and before.mark == "=" and before.runs and before.runs[-1].status in "+>":
            before.mark, paras[last - 1].mark = "+", "="
        k = max(last, k + 1)


def _part_touching_insertions(paras: list[Paragraph]) -> list[Paragraph]:
    """Words inserted at the end of a paragraph and at the start of the next, across a break
    in both versions, parted by an empty paragraph whose break is deleted (the break before it
    becomes an inserted one). Every view reads the same, but LibreOffice joins two insertions of
    one author made within a minute of each other into one, the break between them included,
    and would reject that break too."""
    out: list[Paragraph] = []
    for k, para in enumerate(paras):
        out.append(para)
        following = paras[k + 1] if k + 1 < len(paras) else None
        if (
            following is not None
            and para.mark == "="
            and para.runs
            and para.runs[-1].status in ("+", ">")
            and following.runs
            and following.runs[0].status in ("+", ">")
        ):
            para.mark = "+"
            out.append(Paragraph(mark="-", depth=para.depth))
    return out


def _only_inserted(para: Paragraph) -> bool:
    return all(run.status in ("+", ">") for run in para.runs)


def _move_names(items: Sequence[_Item]) -> dict[int, str]:
    """A name for the move of every displaced item: displaced matches that stood together and
    stand together again share one (a section moved with its clauses is one move)."""
    where_from = {i.move: k for k, i in enumerate(items) if i.move is not None and i.side == "old"}
    where_to = {i.move: k for k, i in enumerate(items) if i.move is not None and i.side == "new"}
    names: dict[int, str] = {}
    count = 0
    previous: int | None = None
    for move in sorted(where_from, key=where_from.__getitem__):
        together = (
            previous is not None
            and where_from[move] == where_from[previous] + 1
            and where_to[move] == where_to[previous] + 1
        )
        if not together:
            count += 1
        name = f"move{count}"
        names[where_from[move]] = names[where_to[move]] = name
        previous = move
    return names


# -- the first page ------------------------------------------------------------------------------


def _cover(report: Report, changelog: Sequence[Para], date: str | None) -> list[Paragraph]:
    """The first page: the two versions, the decision, the findings by criterion, the
    change-log entry and how to read the redline."""
    title = str(report.new.meta.get("title") or report.old.meta.get("title") or "")
    out = [_text_para("title", f"Redline: {title}" if title else "Redline")]
    out.append(_text_para("paragraph", f"Old version: {_version_line(report.old)}"))
    out.append(_text_para("paragraph", f"New version: {_version_line(report.new)}"))
    out.append(_text_para("heading", f"Decision: {report.decision.level}", level=1))
    out.append(_text_para("paragraph", headline(report), bold=True))
    out.append(_text_para("heading", "Findings by criterion", level=1))
    quiet = []
    for criterion, found in criteria_with_findings(report):
        if not found:
            quiet.append(f"{criterion.id} {criterion.title}")
            continue
        head = f"{criterion.id} {criterion.title}: {criterion_state(criterion)}"
        out.append(_text_para("heading", head, level=2))
        for change, finding in found:
            line = f"{change.id} {clause_names(change)} ({kind_phrase(change)}): {finding.evidence}"
            out.append(_text_para("item", line))
            if finding.override is not None:
                out.append(_text_para("item", override_note(finding), level=2))
    if quiet:
        out.append(_text_para("paragraph", "No finding: " + "; ".join(quiet) + "."))
    if changelog:
        out.append(_text_para("heading", "Change-log entry", level=1))
        out += [_from_para(p, heading_base=2) for p in changelog]
    out.append(_text_para("heading", "How to read the redline", level=1))
    when = f" dated {date[:10]}" if date else ""
    out.append(
        _text_para(
            "paragraph",
            "Each clause is one paragraph: its number, its heading, its text. Every difference "
            f"is a tracked change by {AUTHOR}{when}; a moved clause is a tracked move. Accept "
            "all changes to read the new version, reject all to read the old one. "
            f"Criteria {report.criteria_pack}; similarity: {report.model}; policy-analyzer "
            f"{report.analyzer_version}.",
        )
    )
    out[-1].page_break = True
    return out


def _notes(report: Report) -> list[Paragraph]:
    """After the redline: what the analysis repaired or could not settle."""
    if not report.warnings:
        return []
    out = [_text_para("heading", f"Notes from the analysis ({len(report.warnings)})", level=1)]
    return out + [_text_para("item", warning) for warning in report.warnings]


def _version_line(info: Any) -> str:
    meta = info.meta
    parts = [info.source]
    for key in ("version", "updated", "effective", "status"):
        if meta.get(key) not in (None, ""):
            parts.append(f"{key} {meta[key]}")
    parts.append(f"sha256 {info.sha256[:12]}…")
    parts.append(f"{info.clauses} clauses")
    return ", ".join(parts[:1]) + (" (" + ", ".join(parts[1:]) + ")" if parts[1:] else "")


def _text_para(kind: ParaKind, text: str, *, level: int = 1, bold: bool = False) -> Paragraph:
    return _from_para(Para(kind, text, level, bold))


def _from_para(para: Para, *, heading_base: int = 1) -> Paragraph:
    text = visible(para.text)
    if para.kind == "title":
        out = Paragraph(style="Title")
    elif para.kind == "heading":
        level = min(max(para.level, 1) + heading_base - 1, 3)
        out = Paragraph(style=f"Heading{level}", keep_next=True)
    elif para.kind == "item":
        out = Paragraph(style="ListBullet" if para.level <= 1 else "ListBullet2")
    else:
        out = Paragraph()
    if text:
        out.runs.append(Run("=", text, para.bold))
    return out


# -- the two documents ---------------------------------------------------------------------------


def revision_date(meta: Mapping[str, Any]) -> str | None:
    """The date of a version's revisions, as Word writes it: the front matter's ``updated``,
    else its ``version``, at midnight UTC; None when neither is a date."""
    for key in ("updated", "version"):
        value = meta.get(key)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return f"{value.isoformat()}T00:00:00Z"
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            try:
                day = dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
            return f"{day.isoformat()}T00:00:00Z"
    return None


def redline_docx(
    report: Report,
    old: ClauseTree,
    new: ClauseTree,
    alignment: Alignment,
    *,
    changelog: Sequence[Para] = (),
) -> bytes:
    """The redline of a revision as a Word document with tracked changes (see the module's
    docstring). ``alignment`` is the one the report was made from; ``changelog`` the
    change-log entry shown on the first page."""
    report = shown(report)
    date = revision_date(new.meta)
    paras = _cover(report, changelog, date)
    paras.append(_text_para("heading", "The policy, old to new", level=1))
    paras += _body(old, new, alignment, report)
    paras.append(_text_para("paragraph", "End of the redline."))
    paras += _notes(report)
    title = str(report.new.meta.get("title") or "")
    document = document_xml(paras, date)
    return package(
        document, title=f"Redline: {title}" if title else "Redline", date=date, track=True
    )


def document_docx(paras: Sequence[Para], *, title: str, date: str | None = None) -> bytes:
    """A plain Word document of paragraphs (a notice), without revisions."""
    document = document_xml((_from_para(p) for p in paras), date)
    return package(document, title=title, date=date, track=False)


# -- notices as paragraphs -----------------------------------------------------------------------


def markdown_paras(markdown: str) -> list[Para]:
    """A Markdown notice (the change-log entry) as paragraphs: its headings (the first level
    it uses becomes level 1), paragraphs and bulleted items, nested items one level deeper;
    markup removed and link targets kept in brackets, as the Markdown reader keeps them."""
    from analyzer.parse.markdown import markdown_blocks

    blocks = markdown_blocks(markdown)
    top = min((b.level for b in blocks if b.kind == "heading"), default=1)
    out: list[Para] = []
    for block in blocks:
        depth = 0
        container = block.container
        while container is not None:
            if blocks[container].kind == "item":
                depth += 1
            container = blocks[container].container
        text = " ".join(block.text.split())
        if not text:
            continue
        if block.kind == "heading":
            out.append(Para("heading", text, level=block.level - top + 1))
        elif block.kind == "item":
            label = f"{block.label} " if block.label else ""
            out.append(Para("item", label + text, level=depth + 1))
        else:
            out.append(Para("item" if depth else "paragraph", text, level=depth))
    return out


_BULLET = regex(r"^\s*[-*•]\s+")


def email_paras(text: str) -> list[Para]:
    """A plain-text e-mail as paragraphs: its ``Subject:`` line as the title, each block of
    lines a paragraph, ``- `` lines bulleted items (their wrapped lines joined)."""
    out: list[Para] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if not out and lines[0].lower().startswith("subject:"):
            out.append(Para("title", lines[0].split(":", 1)[1].strip()))
            lines = lines[1:]
            if not lines:
                continue
        if not any(_BULLET.match(line) for line in lines):
            out.append(Para("paragraph", " ".join(line.strip() for line in lines)))
            continue
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line) or not items:
                items.append(_BULLET.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        out += [Para("item", item) for item in items]
    return out


def notice_docx(kind: str, text: str, meta: Mapping[str, Any]) -> bytes:
    """A notice as a Word document: the e-mail (``kind`` ``email``: plain text, its subject the
    title) or the change-log entry (Markdown), dated like the new version's revisions
    (``meta``: its front matter)."""
    paras = email_paras(text) if kind == "email" else markdown_paras(text)
    title = paras[0].text if paras else kind
    return document_docx(paras, title=title, date=revision_date(meta))
