"""Version ids, the one parser of them: ``YYYY-MM-DD`` names the first version of a day,
``YYYY-MM-DD-N`` (N = 2, 3, … 999) the N-th version of that day.

Everything that names or orders versions reads ids here: the store's file names,
``POLICY@VERSION``, the ``PUBLISHED`` ledger, the gate's order and date rules, the archive
site's URLs, feeds and anchors, and the importers that give versions their ids. Ids sort by
date, then by N; a plain string sort would put ``2023-02-22-10`` before ``2023-02-22-2`` and,
in file names, ``2023-02-22-2.md`` before ``2023-02-22.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ID_PATTERN",
    "VersionId",
    "free_id",
    "key_order",
    "parse_version_id",
    "sortable_name",
    "version_order",
]

ID_PATTERN = r"\d{4}-\d{2}-\d{2}(?:-(?:[1-9]\d{1,2}|[2-9]))?"
"""A version id as a regular-expression fragment (no groups), to build file-name and URL
patterns from. It accepts the shape; :func:`parse_version_id` also checks that the day exists."""

_ID = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-([1-9]\d{1,2}|[2-9]))?")
MAX_PER_DAY = 999


@dataclass(frozen=True, order=True)
class VersionId:
    """A parsed version id; instances order chronologically."""

    day: dt.date
    """The date the id starts with."""
    n: int = 1
    """The version's place among those of its day: 1 for ``YYYY-MM-DD``, N for ``-N``."""

    def __str__(self) -> str:
        return self.day.isoformat() if self.n == 1 else f"{self.day.isoformat()}-{self.n}"


def parse_version_id(text: object) -> VersionId | None:
    """The id ``text`` spells (a YAML date counts as the day's first version), or None: not
    ``YYYY-MM-DD[-N]``, a day that does not exist, or N outside 2 … 999 (``-1`` and ``-02``
    are not ids: the first version of a day has no suffix)."""
    if isinstance(text, dt.datetime):
        return None
    if isinstance(text, dt.date):
        return VersionId(text)
    if not isinstance(text, str):
        return None
    match = _ID.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
    return VersionId(day, int(match.group(2) or 1))


def version_order(version: str) -> tuple[str, int]:
    """Sort key of a version id: chronological (date, then N). Text that is not an id keeps a
    key of the same shape, so mixed lists still sort."""
    parsed = parse_version_id(version)
    if parsed is None:
        return (version, 0)
    return (parsed.day.isoformat(), parsed.n)


def key_order(key: str) -> tuple[str, int, str]:
    """Sort key of ``VERSION[.lang]`` (a ledger line, a site URL segment, an anchors entry):
    the version chronologically, then the language (none first)."""
    version, _, language = key.partition(".")
    return (*version_order(version), language)


def sortable_name(path: str) -> str:
    """``path`` with a same-day version's file name respelled so that a plain string sort is
    chronological: ``…/2023-02-22-2.md`` sorts after ``…/2023-02-22.md`` and
    ``…/2023-02-22.zh.md`` and before ``…/2023-02-23.md``, and ``-10`` after ``-9``. Any other
    path is returned as it is, so its order among others does not change."""
    head, slash, name = path.rpartition("/")
    match = _ID.match(name)
    if match is None or match.group(2) is None or not name[match.end() :].startswith("."):
        return path
    # '~' sorts after every letter and digit, so after the day's first version in any language
    respelled = f"{match.group(1)}.~{int(match.group(2)):04d}{name[match.end() :]}"
    return f"{head}{slash}{respelled}"


def free_id(
    day: dt.date, taken: Iterable[VersionId], *, after: VersionId | None = None
) -> VersionId:
    """The id a new version of ``day`` gets: after every id of that day in ``taken`` and after
    ``after`` (the version it must follow). When ``after`` is on a later day, the new version
    takes that day instead (a history whose dates go backwards keeps its order)."""
    if after is not None and after.day > day:
        day = after.day
    same_day = [t.n for t in taken if t.day == day]
    if after is not None and after.day == day:
        same_day.append(after.n)
    n = max(same_day, default=0) + 1
    if n > MAX_PER_DAY:
        raise ValueError(f"more than {MAX_PER_DAY} versions on {day.isoformat()}")
    return VersionId(day, n)
