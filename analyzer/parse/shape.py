"""The shape of a line: whether it reads like a title, like the start of running text, and the
slug of a heading.
"""

from __future__ import annotations

import unicodedata

from analyzer.text.compiled import regex
from analyzer.text.normalize import is_cjk
from analyzer.text.suspicious import fold

__all__ = ["plain_title_like", "slug", "starts_like_text", "title_like"]

_CLOSING = frozenset(".。;；:：,，!！?？、…")
_CLOSERS = ")）\"'”’」』】]"
_SLUG_DROP = regex(r"[^\w]+")


def title_like(text: str, *, max_words: int = 16, max_cjk: int = 40) -> bool:
    """Reads like a title: one short line that does not end like a sentence or a lead-in, as a
    reader sees it (an invisible character after the full stop does not make a title)."""
    text = fold(text).strip()
    if not text or "\n" in text:
        return False
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _CLOSING:
        return False
    if is_cjk(text):
        return len(text) <= max_cjk
    return len(text) <= 150 and len(text.split()) <= max_words


def plain_title_like(text: str) -> bool:
    """Stricter, for an unnumbered line of plain text: ``Prompt clause``, ``definition``; not
    ``Effective date: June 1, 2023``."""
    if not title_like(text, max_words=10, max_cjk=24):
        return False
    first = text.strip()[0]
    return (first.isalpha() or is_cjk(first)) and ": " not in text and "：" not in text


def slug(text: str) -> str:
    """``What information GitHub collects`` -> ``what-information-github-collects`` (letters
    and digits of any script kept, at most 48 characters, cut at a word)."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    words = [w for w in _SLUG_DROP.split(lowered.replace("_", " ")) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > 48:
            if not out:
                out = word[:48]
            break
        out = candidate
    return out or "untitled"


def starts_like_text(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.isupper() or first.isdigit() or is_cjk(first) or first in '“"(（')
