"""A revision as the user names it: two version references read, parsed, aligned and judged.

``policy diff`` and ``policy notice`` (and their Word outputs) start the same way: each side is
a file path, ``POLICY@VERSION`` or ``git:REV:PATH`` (a Word document read in the view of its
tracked changes the user chose), the criteria pack is the policy's own when a reference points
into the versions store, and the report keeps the alignment and both trees it was made from
(the Word redline needs all three). :func:`read_revision` does this once; the notice data of
the revision come from :meth:`Revision.notice_context`. Files are read through
:mod:`analyzer.store` only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.model import Alignment, ClauseTree, Report

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.notices.context import NoticeContext
    from analyzer.parse.ingest import Revisions
    from analyzer.store.versions import Store

__all__ = ["Revision", "read_revision"]


@dataclass(frozen=True)
class Revision:
    """Two versions read from what the user typed, and what the analysis made of them."""

    old_ref: str
    new_ref: str
    """The references as the user typed them (the report names each side so)."""
    old_tree: ClauseTree
    new_tree: ClauseTree
    alignment: Alignment
    """The alignment the report was made from."""
    report: Report
    store: Store

    def notice_context(
        self,
        language: str | None = None,
        site_url: str | None = None,
        templates: Path | None = None,
    ) -> NoticeContext:
        """The data the notice templates receive: in ``language`` (default: the new
        version's, English or Chinese), with links into the archive site of the policy the
        references point into (under ``site_url``)."""
        from analyzer.notices.context import revision_context

        store, meta = self.store, self.report.new.meta
        policy = (
            store.policy_of(self.new_ref) or store.policy_of(self.old_ref) or meta.get("policy")
        )
        return revision_context(
            self.report,
            language=language or ("zh" if self.new_tree.language == "zh" else "en"),
            policy=str(policy) if policy else None,
            old_ref=self.old_ref,
            new_ref=self.new_ref,
            site_url=site_url,
            templates=templates,
        )


def read_revision(
    old: str,
    new: str,
    *,
    versions: Path,
    criteria: str | None = None,
    embedder: Callable[[], tuple[Embedder | None, str | None]] | None = None,
    revisions: Revisions | None = None,
) -> Revision:
    """Read and analyse the revision from ``old`` to ``new`` (references into ``versions`` or
    paths). ``criteria`` names the pack (default: the policy's, else the default pack);
    ``embedder`` gives the embedder, or None and why not (as :func:`analyzer.pipeline.analyze`
    takes them), and is called once both versions are read, so that bad input fails before a
    model loads; ``revisions`` is the view of a Word document's pending tracked changes."""
    from analyzer.diff.align import align_clauses
    from analyzer.judge.criteria import load_pack
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.store.versions import Store, resolve

    store = Store(versions)
    # a report names each side as the user did (never a machine path the store resolved)
    old_doc = dataclasses.replace(resolve(old, store, revisions=revisions), source=old)
    new_doc = dataclasses.replace(resolve(new, store, revisions=revisions), source=new)
    pack = load_pack(criteria or store.criteria_of(new, old))
    model, unavailable = embedder() if embedder is not None else (None, None)
    old_tree, new_tree = parse(old_doc), parse(new_doc)
    found: dict[str, Any] = {"embedder": model, "unavailable": unavailable}
    alignment = align_clauses(old_tree, new_tree, **found)
    report = analyze(old_tree, new_tree, pack=pack, alignment=alignment, **found)
    return Revision(old, new, old_tree, new_tree, alignment, report, store)
