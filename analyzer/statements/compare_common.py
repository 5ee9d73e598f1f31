"""What the comparison of two versions' statements shares: the category of a sub-typed value,
whether two value lists overlap, the content words of a sentence and whether two sentences are
versions of one another, and how a change is recorded and quoted."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from analyzer.statements.model import ChangeHow, Statement, StatementChange
from analyzer.text.compiled import regex

__all__ = [
    "SHARE_FAMILIES",
    "category",
    "content_words",
    "make_change",
    "overlaps",
    "quote",
    "related",
]


SHARE_FAMILIES = frozenset({"share", "sell", "abroad"})


def category(value: str) -> str:
    return value.split("/", 1)[0]


def overlaps(a: Sequence[str], b: Sequence[str]) -> bool:
    if not a or not b:
        return True
    return bool({category(v) for v in a} & {category(v) for v in b})


_WORD = regex(r"[a-z0-9]+|[\u3400-\u9fff]")
_FILLER = frozenset(
    {"the", "a", "an", "of", "to", "or", "and", "by", "we", "our", "us", "you", "your", "is"}
    | {"are", "be", "as", "in", "on", "for", "it", "that", "this", "with", "under", "any"}
)


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _FILLER)


def related(a: str, b: str, *, strict: bool = False) -> bool:
    """Two sentences are versions of one another: they share half the words of the shorter
    one (``strict``: of the longer one)."""
    x, y = content_words(a), content_words(b)
    size = max(len(x), len(y)) if strict else min(len(x), len(y))
    return bool(x and y) and len(x & y) >= 0.5 * size


def make_change(
    how: ChangeHow,
    statement: Statement,
    subject: str,
    detail: str,
    *,
    before: Statement | None = None,
    after: Statement | None = None,
    restricts: bool = False,
) -> StatementChange:
    return StatementChange(
        how=how,
        kind=statement.kind,
        subject=subject,
        detail=detail,
        before=before,
        after=after,
        restricts=restricts,
    )


def quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
