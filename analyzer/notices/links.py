"""Links in notices: only ``http``, ``https`` or relative ones, percent-encoded so that they cannot
break out of Markdown or HTML (:func:`safe_link`), and the links into the archive site built by
``policy site build`` (:func:`archive_links`, :class:`NoticeLinks`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.errors import PolicyError
from analyzer.text.version_ids import ID_PATTERN


@dataclass(frozen=True)
class NoticeLinks:
    """Where users read more; each is an ``http(s)`` or relative URL, or None."""

    changes: str | None = None
    """The page listing every change of the revision (the archive's revision page)."""
    policy: str | None = None
    """The policy's archive page (every version, every revision)."""
    new_version: str | None = None
    """The full text of the new version."""
    old_version: str | None = None
    """The full text of the old version."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "policy": self.policy,
            "new_version": self.new_version,
            "old_version": self.old_version,
        }


# --------------------------------------------------------------------------- links


_SAFE_URL_CHARS = "/:?#=&%@+,;~.-_!$*'"


def safe_link(url: str | None) -> str | None:
    """``url`` if it is an ``http``/``https`` or relative link, percent-encoding characters that
    could break out of Markdown or HTML; a ``javascript:``, ``data:`` … link is bad input."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("", "http", "https"):
        raise PolicyError(f"link {url!r}: only http, https or relative links are allowed")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise PolicyError(f"link {url!r}: a link cannot contain spaces or control characters")
    return urllib.parse.quote(url, safe=_SAFE_URL_CHARS)


_SOURCE_KEY = re.compile(
    rf"(?P<version>{ID_PATTERN})"
    r"(?P<lang>\.(?!(?:md|markdown|txt|html?)$)[a-z]{2,3}(?:-[A-Za-z]{2,4})?)?"
    r"(?:\.(?:md|markdown|txt|html?))?$"
)


def archive_key(source: str, meta: Mapping[str, Any]) -> str | None:
    """The archive site's URL segment of a version: its id, with ``.<lang>`` when the file name
    carries a language (``2023-05-26.zh``); from the reference the user gave, else the front
    matter's ``version``."""
    tail = re.split(r"[/@:]", source)[-1]
    m = _SOURCE_KEY.fullmatch(tail)
    if m:
        return m.group("version") + (m.group("lang") or "")
    version = meta.get("version")
    return str(version) if version else None


def archive_links(
    base: str | None, policy: str | None, new_key: str | None, old_key: str | None
) -> NoticeLinks:
    """Links into the archive site built by ``policy site build`` under ``base`` (a URL or a
    relative path; '' for links relative to the site's root): the revision page
    ``<policy>/<version>/changes.html``, the policy page ``<policy>/index.html`` and the version
    pages ``<policy>/<version>/index.html`` (the site links ``index.html`` explicitly, so that it
    works from the disk too). None for what cannot be known."""
    if policy is None:
        return NoticeLinks()
    root = (base or "").rstrip("/")
    prefix = f"{root}/{policy}" if root else policy
    return NoticeLinks(
        changes=safe_link(f"{prefix}/{new_key}/changes.html") if new_key else None,
        policy=safe_link(f"{prefix}/index.html"),
        new_version=safe_link(f"{prefix}/{new_key}/index.html") if new_key else None,
        old_version=safe_link(f"{prefix}/{old_key}/index.html") if old_key else None,
    )
