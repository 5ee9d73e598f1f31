"""The no-text-lost check: the words of a clause tree against the words of its document.

:func:`lost_text` is None when the tree holds exactly the document's text (whitespace aside),
else where the two first differ; the parser's tests run it on every document they parse.
"""

from __future__ import annotations

import unicodedata

from analyzer.model import ClauseTree, Document
from analyzer.text.normalize import drop_invisible

__all__ = ["lost_text", "text_of_document", "text_of_tree"]


def text_of_document(document: Document) -> str:
    """Every word a reader of the document sees, in order (markup removed for Markdown and
    HTML, link targets kept as the readers keep them)."""
    if document.format == "markdown":
        from analyzer.parse.markdown import markdown_text

        return markdown_text(document.text)
    if document.format == "html":
        from analyzer.parse.html import html_text

        return html_text(document.text)
    return document.text


def text_of_tree(tree: ClauseTree) -> str:
    """Label, heading and text of every clause, in document order."""
    parts: list[str] = []
    for clause in tree.clauses:
        parts.extend(p for p in (clause.label, clause.heading, clause.text) if p)
    return "\n".join(parts)


def _comparable(text: str) -> str:
    # Whitespace never counts (nor the invisible formatting normalisation drops), nor the
    # Unicode composition the readers normalise to (NFC); "|" is how table cells are joined, so
    # it does not count either.
    text = drop_invisible(unicodedata.normalize("NFC", text))
    return "".join(text.split()).replace("|", "")


def lost_text(document: Document, tree: ClauseTree) -> str | None:
    """None when the tree holds exactly the document's text (whitespace aside); otherwise where
    the two first differ, for a test failure message."""
    want = _comparable(text_of_document(document))
    have = _comparable(text_of_tree(tree))
    if want == have:
        return None
    at = next(
        (i for i, (a, b) in enumerate(zip(want, have, strict=False)) if a != b),
        min(len(want), len(have)),
    )
    return (
        f"texts differ at character {at} of {len(want)} (tree has {len(have)}): "
        f"document …{want[max(0, at - 40) : at + 40]!r}… tree …{have[max(0, at - 40) : at + 40]!r}…"
    )
