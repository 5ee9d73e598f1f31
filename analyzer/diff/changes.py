"""Alignment -> Changes: one clause-level difference per entry, with its redline and nature.

:func:`build_changes` walks an :class:`~analyzer.model.Alignment` and reports what a legal editor
would mark up:

- **added** / **removed** — a clause with no counterpart;
- **modified** — the clause stayed where it was and its heading or text changed;
- **moved** — the alignment put the clause off the unchanged order (it may also be modified or
  renumbered: ``reasons`` says so). A section that moved with its clauses is one move; its
  clauses, which moved with it, are only renumbered (the alignment decides this);
- **renumbered** — only the number the document writes changed (``7.1.`` -> ``6.1.``);
- **split** / **merged** — one clause became several consecutive ones, or the reverse.

A matched clause whose words (heading and text, whitespace squashed: :attr:`Clause.hash`) and
written number are unchanged, and that kept its place, is not a change: re-wrapping a paragraph
or a heading line that became the first line of the text is presentation. Numbers are
compared as the document writes them, style aside (``1、``, ``1.`` and ``(1)`` are the same
number ``1``; ``five point two`` -> ``5.2`` is a renumbering); a clause the document does not
number (a paragraph, a bullet) is never renumbered.

What a side shows
-----------------
The redline of a change covers, on each side, :func:`side_text`: every clause's own heading and
text joined by a newline, parts of a split or merge joined by newlines. Joining the ``=`` and
``-`` ops of ``inline`` gives the old side's text back, ``=`` and ``+`` the new one.

Order and ids
-------------
Changes are numbered ``c1``, ``c2`` … in new-document order; a removed clause sits right after
the new place of the nearest clause before it that kept its place. The same two trees and
alignment always give the same changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzer.diff.nature import Assessment, assess, assess_one_sided
from analyzer.diff.redline import redline
from analyzer.model import Alignment, Change, ChangeKind, Clause, ClauseRef, ClauseTree, Match
from analyzer.text.compiled import regex

__all__ = ["build_changes", "label_key", "renumbering", "shown_text", "side_text", "written_form"]

_LABEL_DROP = regex(r"[\s()（）\[\]【】、.。:：,，]+")


def label_key(label: str | None) -> str:
    """A written number without its style: ``1、``, ``1.``, ``(1)`` and ``（1）`` are all ``1``;
    ``3.1.2 .`` is ``3.1.2``; words and Roman numerals stay as written (case-folded)."""
    if not label:
        return ""
    return _LABEL_DROP.sub(".", label.strip().casefold()).strip(".")


def shown_text(clause: Clause) -> str:
    """What the redline shows of one clause: its own heading, a newline, its text."""
    if clause.heading and clause.text:
        return f"{clause.heading}\n{clause.text}"
    return clause.heading or clause.text


def side_text(refs: Sequence[ClauseRef]) -> str:
    """The text a change's redline covers on one side (parts joined by newlines)."""
    return "\n".join(
        f"{r.title}\n{r.text}" if r.title and r.text else r.title or r.text for r in refs
    )


def written_form(refs: Sequence[ClauseRef]) -> str:
    """A side as the document writes it, list numbers included, without any whitespace: two
    sides with the same written form differ only in spacing and blank lines."""
    return "".join("".join(f"{r.label or ''}{r.title or ''}{r.text}".split()) for r in refs)


def renumbering(old: ClauseTree, new: ClauseTree, alignment: Alignment) -> dict[str, str]:
    """Old dotted number -> new dotted number, for every matched clause whose number changed.

    Used to tell a cross-reference that follows a renumbering (editorial) from one that now
    points elsewhere.
    """
    old_by, new_by = old.by_id(), new.by_id()
    out: dict[str, str] = {}
    for match in alignment.matches:
        o, n = old_by[match.old[0]], new_by[match.new[0]]
        if o.number and n.number and o.number != n.number and o.kind != "paragraph":
            out[".".join(map(str, o.number))] = ".".join(map(str, n.number))
    return out


@dataclass(frozen=True)
class _Draft:
    """A change before it has an id: where it sorts, and everything else."""

    order: tuple[int, int, int]
    kind: ChangeKind
    old: tuple[Clause, ...]
    new: tuple[Clause, ...]
    match: Match | None
    structural: tuple[str, ...]


def build_changes(old: ClauseTree, new: ClauseTree, alignment: Alignment) -> tuple[Change, ...]:
    """Every clause-level difference between two versions, in new-document order."""
    old_by, new_by = old.by_id(), new.by_id()
    old_pos = {c.id: k for k, c in enumerate(old.clauses)}
    new_pos = {c.id: k for k, c in enumerate(new.clauses)}
    drafts: list[_Draft] = []

    # Where a removed clause sorts: after the counterpart of the nearest earlier clause that
    # kept its place.
    anchor_of_old: dict[int, int] = {}
    for match in alignment.matches:
        if not match.moved:
            for o in match.old:
                anchor_of_old[old_pos[o]] = min(new_pos[n] for n in match.new)

    for match in alignment.matches:
        olds = tuple(old_by[i] for i in match.old)
        news = tuple(new_by[j] for j in match.new)
        draft = _draft_for_match(match, olds, news, new_pos)
        if draft is not None:
            drafts.append(draft)
    for clause_id in alignment.added:
        drafts.append(
            _Draft((new_pos[clause_id], 0, 0), "added", (), (new_by[clause_id],), None, ())
        )
    for clause_id in alignment.removed:
        k = old_pos[clause_id]
        before = max((p for p in anchor_of_old if p < k), default=None)
        place = anchor_of_old[before] if before is not None else -1
        drafts.append(_Draft((place, 1, k), "removed", (old_by[clause_id],), (), None, ()))

    drafts.sort(key=lambda d: d.order)
    numbers = renumbering(old, new, alignment)
    language = _language(old, new)
    return tuple(
        _finish(f"c{k}", draft, old_by, new_by, numbers, language)
        for k, draft in enumerate(drafts, start=1)
    )


def _draft_for_match(
    match: Match,
    olds: tuple[Clause, ...],
    news: tuple[Clause, ...],
    new_pos: Mapping[str, int],
) -> _Draft | None:
    order = (min(new_pos[c.id] for c in news), 0, 0)
    if len(olds) == 1 and len(news) > 1:
        structural = ("split",) + (("moved",) if match.moved else ())
        return _Draft(order, "split", olds, news, match, structural)
    if len(olds) > 1:
        structural = ("merged",) + (("moved",) if match.moved else ())
        return _Draft(order, "merged", olds, news, match, structural)
    o, n = olds[0], news[0]
    renumbered = label_key(o.label) != label_key(n.label)
    text_changed = o.hash != n.hash
    structural = (("moved",) if match.moved else ()) + (("renumbered",) if renumbered else ())
    if match.moved:
        kind: ChangeKind = "moved"
    elif text_changed:
        kind = "modified"
    elif renumbered:
        kind = "renumbered"
    else:
        return None
    return _Draft(order, kind, olds, news, match, structural)


def _ref(index: Mapping[str, Clause], clause: Clause) -> ClauseRef:
    chain = [clause]
    while chain[-1].parent is not None:
        chain.append(index[chain[-1].parent])
    chain.reverse()
    heading = next((c.heading for c in reversed(chain) if c.heading), None)
    return ClauseRef(
        id=clause.id,
        clause=clause.address,
        path=tuple(c.address for c in chain),
        heading=heading,
        text=clause.text,
        label=clause.label,
        title=clause.heading,
        section=chain[0].heading,
    )


def _finish(
    change_id: str,
    draft: _Draft,
    old_index: Mapping[str, Clause],
    new_index: Mapping[str, Clause],
    numbers: Mapping[str, str],
    language: str,
) -> Change:
    old_refs = tuple(_ref(old_index, c) for c in draft.old)
    new_refs = tuple(_ref(new_index, c) for c in draft.new)
    before, after = side_text(old_refs), side_text(new_refs)
    if before and after:
        inline = redline(before, after)
    else:  # added or removed: the whole text, without tokenising it
        inline = (("-", before),) if before else (("+", after),) if after else ()
    contents = any(c.kind == "contents" for c in draft.old + draft.new)
    if draft.kind in ("added", "removed"):
        verdict = assess_one_sided(
            draft.kind, before or after, language=language, contents=contents
        )
        similarity = None
    elif draft.kind in ("split", "merged") and written_form(old_refs) == written_form(new_refs):
        # the same words with their list numbers: blank lines made items of a paragraph's
        # lines, or the reverse
        verdict = Assessment("editorial", (*draft.structural, "whitespace"), ())
        similarity = draft.match.similarity if draft.match is not None else None
    else:
        verdict = assess(
            before,
            after,
            inline,
            language=language,
            structural=draft.structural,
            contents=contents,
            renumbering=numbers,
        )
        similarity = draft.match.similarity if draft.match is not None else None
    kind = draft.kind
    if kind == "modified" and contents and verdict.same_entries:
        kind = "renumbered"  # a table of contents whose titles only changed numbers
    return Change(
        id=change_id,
        kind=kind,
        nature=verdict.nature,
        reasons=verdict.reasons,
        old=old_refs,
        new=new_refs,
        similarity=similarity,
        method=draft.match.method if draft.match is not None else None,
        inline=inline,
        tripwires=verdict.tripwires,
    )


def _language(old: ClauseTree, new: ClauseTree) -> str:
    """The language tripwires read: Chinese when either side is Chinese."""
    for tree in (new, old):
        if tree.language.split("-")[0].lower() in {"zh", "ja"}:
            return "zh"
    return new.language.split("-")[0].lower() or "en"
