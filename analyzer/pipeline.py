"""The pure core of ``policy diff``: two clause trees in, one :class:`~analyzer.model.Report` out.

``align -> build changes -> judge -> report``. Nothing here reads a file; the embedder (when
given) is asked only about clauses the lexical step cannot settle.
"""

from __future__ import annotations

from collections import Counter
from typing import get_args

from analyzer import __version__
from analyzer.diff.align import LEXICAL_METHOD, align_clauses
from analyzer.diff.changes import build_changes
from analyzer.diff.embedding import Embedder
from analyzer.judge.criteria import CriteriaPack
from analyzer.judge.decide import Judgement, judge
from analyzer.model import Alignment, Change, ChangeKind, ClauseTree, Nature, Report, VersionInfo

__all__ = ["analyze", "model_note", "summarize"]


def analyze(
    old: ClauseTree,
    new: ClauseTree,
    *,
    pack: CriteriaPack,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
    alignment: Alignment | None = None,
) -> Report:
    """Everything ``policy diff`` reports about the revision from ``old`` to ``new``.

    ``unavailable`` says why there is no embedder (``--no-model``, the model is not installed),
    for the report's ``model`` line. ``alignment`` is the alignment of the two trees when the
    caller already has it (the archive site aligns every revision for its anchors); it must come
    from :func:`align_clauses` with the same embedder.
    """
    if alignment is None:
        alignment = align_clauses(old, new, embedder=embedder, unavailable=unavailable)
    changes = build_changes(old, new, alignment)
    judgement = judge(changes, old, new, pack=pack, embedder=embedder)
    warnings = (
        *(f"old: {w}" for w in old.warnings),
        *(f"new: {w}" for w in new.warnings),
        *judgement.warnings,
        *_cache_warnings(embedder),
    )
    return Report(
        analyzer_version=__version__,
        criteria_pack=f"{pack.id}@{pack.sha256[:12]}",
        model=model_note(alignment, embedder, unavailable) + _prototype_note(judgement, embedder),
        old=_info(old),
        new=_info(new),
        decision=judgement.decision,
        criteria=judgement.criteria,
        changes=judgement.changes,
        warnings=tuple(dict.fromkeys(warnings)),
        summary=summarize(judgement.changes, alignment),
    )


def _prototype_note(judgement: Judgement, embedder: Embedder | None) -> str:
    """What the classifier asked the embedder, if anything (prototype similarity)."""
    if not judgement.embedded or embedder is None:
        return ""
    return (
        f"; classification embedded {judgement.embedded} added or removed sentence(s) that no "
        f"cheaper detector explained, against the criteria's prototypes ({embedder.model_id})"
    )


def _info(tree: ClauseTree) -> VersionInfo:
    return VersionInfo(
        source=tree.source, sha256=tree.sha256, clauses=len(tree.clauses), meta=tree.meta
    )


def model_note(alignment: Alignment, embedder: Embedder | None, unavailable: str | None) -> str:
    """Which similarity methods the alignment used, and why not the others."""
    note = alignment.similarity_method
    if note != LEXICAL_METHOD:
        return note  # the aligner already says what it used or why it could not
    if embedder is not None:
        return f"{LEXICAL_METHOD}; embedding ({embedder.model_id}) not needed: every clause settled lexically"
    if unavailable:
        return f"{LEXICAL_METHOD}; no embedding model: {unavailable}"
    return LEXICAL_METHOD


def summarize(changes: tuple[Change, ...], alignment: Alignment) -> dict[str, int]:
    """Counts for the report: changes by kind and by nature, clauses matched and embedded."""
    kinds = Counter(c.kind for c in changes)
    natures = Counter(c.nature for c in changes)
    out: dict[str, int] = {"changes": len(changes)}
    out.update({kind: kinds.get(kind, 0) for kind in get_args(ChangeKind)})
    out.update({nature: natures.get(nature, 0) for nature in get_args(Nature)})
    out["clauses_matched_old"] = sum(len(m.old) for m in alignment.matches)
    out["clauses_matched_new"] = sum(len(m.new) for m in alignment.matches)
    out["clauses_embedded"] = alignment.embedded
    out["model_loaded"] = int(alignment.model_loaded)
    return out


def _cache_warnings(embedder: Embedder | None) -> tuple[str, ...]:
    cache = getattr(embedder, "cache", None)
    return tuple(getattr(cache, "warnings", ()) or ())
