"""Markdown and HTML as a reader of the rendered page sees them.

What the readers (:mod:`~analyzer.parse.markdown`, :mod:`~analyzer.parse.html`) decide with
these rules:

- **struck or deleted text is removed text**: ``~~like this~~``, ``<del>``, ``<s>``,
  ``<strike>`` show a reader words that no longer apply, so they are not part of the version's
  text (a commitment struck through is a commitment removed);
- **hidden text is not read, and is flagged**: an element with the ``hidden`` attribute or an
  inline style that hides it (``display: none``, ``visibility: hidden``, ``font-size: 0``,
  ``opacity: 0``) shows nothing, so its words are not part of the text either, and a
  :class:`RenderNote` says what was hidden where;
- **text only in attributes is read, and is flagged**: a link's or an element's ``title``
  shows only in a tooltip, yet a policy can state something there ("we sell your location to
  advertisers"); its words are read after the element's text, ``(title: …)``, and a note says
  so.

Honest policies need none of these; ``policy check`` fails a revision that brings one
(``hidden-text``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from analyzer.text.compiled import regex

__all__ = ["STRUCK_TAGS", "RenderNote", "hiding", "title_words"]

STRUCK_TAGS = frozenset({"del", "s", "strike"})
"""Elements whose text a reader sees struck out."""

_HIDING_STYLE = regex(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0(?:\.0+)?(?:px|em|rem|pt|%)?\s*(?:!important\s*)?(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:!important\s*)?(?:;|$))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RenderNote:
    """Text a reader of the rendered page does not see as the policy's text."""

    line: int
    """Line of the body where it is (1-based)."""
    kind: Literal["hidden", "attribute"]
    """``hidden``: shown to nobody (its words are left out); ``attribute``: only in a tooltip
    (its words are read)."""
    reason: str
    """``display:none``, ``hidden attribute``, ``link title`` …"""
    text: str
    """The words concerned (whitespace squashed, cut to 200 characters)."""

    def describe(self) -> str:
        """``line 12: hidden (display:none): 'We will never sell …'``."""
        what = "hidden" if self.kind == "hidden" else "only in an attribute"
        return f"line {self.line}: {what} ({self.reason}): {self.text!r}"


def hiding(attrs: Mapping[str, str | None]) -> str | None:
    """Why an element with these attributes shows none of its content, or None."""
    if "hidden" in attrs:
        return "hidden attribute"
    style = attrs.get("style") or ""
    found = _HIDING_STYLE.search(style[:2000])
    if found is not None:
        return " ".join(found.group().strip(" ;").split()).replace(" : ", ":").replace(": ", ":")
    return None


def title_words(attrs: Mapping[str, str | None]) -> str:
    """An element's ``title`` as a reader would be told it ('' when it has none)."""
    return " ".join((attrs.get("title") or "").split())


def clipped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:200] + "…"
