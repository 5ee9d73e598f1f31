"""Front matter and YAML: the one safe YAML loader, the ``---`` front matter of a version, and the
one parser of the dates it holds.

:func:`load_yaml` reads every YAML file of the project (front matter, ``policy.yaml``, criteria
packs, sentence patterns): safe tags only, no anchors or aliases. :func:`front_matter_date` is
how a ``updated:`` or ``effective:`` value (a YAML date or an ISO string), or an option typed
as a date, becomes a :class:`datetime.date`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from analyzer.errors import PolicyError

__all__ = ["MAX_FRONT_MATTER", "front_matter_date", "load_yaml", "parse_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: front matter and ``policy.yaml`` never need them,
    and refusing them removes the 'billion laughs' expansion (a few lines of aliases that stand
    for billions of values once a program walks or prints them)."""

    where = "front matter"
    """What the text is, for the refusal's message."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.constructor.ConstructorError(
                None, None, f"anchors and aliases are not allowed in {self.where}", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, *, where: str = "front matter") -> Any:
    """Safe YAML (no tags beyond the standard ones, so no object is ever constructed) without
    anchors and aliases. Raises :class:`yaml.YAMLError`; callers turn it into a PolicyError."""
    loader = _NoAliasLoader(text)
    loader.where = where
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_front_matter(text: str, source: str) -> tuple[dict[str, Any], str, int]:
    """Split ``---`` YAML front matter from the body.

    Returns (meta, body, line of the body in the file). Text without front matter gives an empty
    mapping and line 1.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n") and "\n---" not in text[4:]:
            raise PolicyError("front matter is not closed by a '---' line", path=source, line=1)
        return {}, text, 1
    raw = match.group(1)
    if len(raw) > MAX_FRONT_MATTER:
        raise PolicyError("front matter larger than 64 KiB", path=source, line=1)
    try:
        meta = load_yaml(raw)
    except ValueError as exc:  # a well-formed date that does not exist (2024-02-30)
        raise PolicyError(f"malformed front matter: {exc}", path=source, line=1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"malformed front matter: {problem}", path=source, line=line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PolicyError("front matter must be a YAML mapping", path=source, line=2)
    body = text[match.end() :]
    body_line = text.count("\n", 0, match.end()) + 1
    return {str(k): v for k, v in meta.items()}, body, body_line


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def front_matter_date(value: Any) -> dt.date | None:
    """A date as front matter writes it: a YAML date, or a ``YYYY-MM-DD`` string naming a day
    that exists; None for anything else (a time of day included)."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
