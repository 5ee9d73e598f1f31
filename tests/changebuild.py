"""A test utility: the changes between two parsed versions, built the simple way.

The classifier (``analyzer.classify``, ``analyzer.decide``) takes :class:`~analyzer.model.Change`
objects that the pipeline builds (``changes.py``, ``nature.py``). Until that stage is on the
same branch, tests build changes here: align the clauses, one change per match whose text
differs (or that moved), per removed and per added clause; the nature is ``substantive`` when
a meaning-carrying tripwire fired or a clause with words was added or removed, else
``editorial``. Deliberately plain: it must not be cleverer than the real stage.
"""

from __future__ import annotations

import re

from analyzer.align import align_clauses
from analyzer.evidence import related
from analyzer.ingest import read_document
from analyzer.model import Change, Clause, ClauseRef, ClauseTree
from analyzer.normalize import squash
from analyzer.parser import parse
from analyzer.redline import redline
from analyzer.tripwires import find_tripwires, meaningful

_WORD = re.compile(r"\w")


def tree(text: str, source: str = "version.md", language: str | None = None) -> ClauseTree:
    """Parse a Markdown/plain text body (no front matter needed)."""
    head = f"---\nlanguage: {language}\n---\n" if language else ""
    return parse(read_document((head + text).encode("utf-8"), source))


def ref(t: ClauseTree, clause_id: str) -> ClauseRef:
    chain = t.path(clause_id)
    clause = chain[-1]
    heading = next((c.heading for c in reversed(chain) if c.heading), None)
    return ClauseRef(
        id=clause.id,
        clause=clause.address,
        path=tuple(c.address for c in chain),
        heading=heading,
        text=clause.text,
        label=clause.label,
    )


def _full(c: Clause) -> str:
    return squash(f"{c.heading or ''} {c.text}")


def _sentences(text: str) -> list[str]:
    return [
        s
        for s in re.split(r"(?<=[.!?。！？；;])\s*", text)
        if len(s.split()) >= 5 or (len(s) >= 10 and not s.isascii())
    ]


def _whole_sentence_changed(old: str, new: str) -> set[str]:
    """``sentence-added`` / ``sentence-removed`` when a sentence has no version on the other
    side (the real nature stage does the same more carefully)."""
    olds, news = _sentences(old), _sentences(new)
    out = set()
    if any(not any(related(n, o) for o in olds) for n in news):
        out.add("sentence-added")
    if any(not any(related(o, n) for n in news) for o in olds):
        out.add("sentence-removed")
    return out


def build_changes(old: ClauseTree, new: ClauseTree) -> tuple[Change, ...]:
    """Changes between two trees, in new-document order (removed clauses where they stood)."""
    alignment = align_clauses(old, new)
    o_index, n_index = old.by_id(), new.by_id()
    o_pos = {c.id: k for k, c in enumerate(old.clauses)}
    n_pos = {c.id: k for k, c in enumerate(new.clauses)}
    language = new.language if new.language in ("en", "zh") else "en"
    items: list[tuple[float, Change]] = []
    for m in alignment.matches:
        olds = [o_index[i] for i in m.old]
        news = [n_index[i] for i in m.new]
        old_text = "\n".join(_full(c) for c in olds)
        new_text = "\n".join(_full(c) for c in news)
        same_labels = [c.label for c in olds] == [c.label for c in news]
        if old_text == new_text and not m.moved and len(olds) == len(news) == 1 and same_labels:
            continue
        wires = find_tripwires(old_text, new_text, language=language)
        kind = {"split": "split", "merge": "merged"}.get(m.method)
        if kind is None:
            kind = "modified" if old_text != new_text else ("moved" if m.moved else "renumbered")
        whole = _whole_sentence_changed(old_text, new_text)
        nature = "substantive" if meaningful(wires) or whole else "editorial"
        reasons = tuple(sorted({w.kind for w in meaningful(wires)} | whole)) or ("reworded",)
        items.append(
            (
                n_pos[news[0].id],
                Change(
                    id="",
                    kind=kind,  # type: ignore[arg-type]
                    nature=nature,
                    reasons=reasons,
                    old=tuple(ref(old, c.id) for c in olds),
                    new=tuple(ref(new, c.id) for c in news),
                    similarity=m.similarity,
                    method=m.method,
                    inline=redline(old_text, new_text),
                    tripwires=wires,
                ),
            )
        )
    for cid in alignment.added:
        c = n_index[cid]
        text = _full(c)
        items.append(
            (
                n_pos[cid],
                Change(
                    id="",
                    kind="added",
                    nature="substantive" if _WORD.search(text) else "editorial",
                    reasons=("added",),
                    old=(),
                    new=(ref(new, cid),),
                    similarity=None,
                    method=None,
                    inline=(("+", text),),
                    tripwires=find_tripwires("", text, language=language),
                ),
            )
        )
    # Removed clauses go after the new clause that follows their old predecessor.
    matched_new_of_old = {o: m.new[0] for m in alignment.matches for o in m.old}
    for cid in alignment.removed:
        c = o_index[cid]
        k = o_pos[cid]
        anchor = -0.5
        for prev in reversed(old.clauses[:k]):
            if prev.id in matched_new_of_old:
                anchor = n_pos[matched_new_of_old[prev.id]] + 0.5
                break
        text = _full(c)
        items.append(
            (
                anchor + k / 100000,
                Change(
                    id="",
                    kind="removed",
                    nature="substantive" if _WORD.search(text) else "editorial",
                    reasons=("removed",),
                    old=(ref(old, cid),),
                    new=(),
                    similarity=None,
                    method=None,
                    inline=(("-", text),),
                    tripwires=find_tripwires(text, "", language=language),
                ),
            )
        )
    items.sort(key=lambda item: item[0])
    out = []
    for n, (_, change) in enumerate(items, 1):
        out.append(
            Change(
                **{**change.__dict__, "id": f"c{n}"}  # frozen: rebuild with the id
            )
        )
    return tuple(out)
