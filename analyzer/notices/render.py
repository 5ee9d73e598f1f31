"""Notices from templates: the Jinja2 templates of ``notices/<lang>/`` filled with a
:class:`~analyzer.notices.context.NoticeContext`.

=============  =======================  ====================================================
kind           ``text``                 ``html``
=============  =======================  ====================================================
``popup``      ``popup.txt`` (preview)  ``popup.html``: a ``<dialog>`` fragment (the default)
``changelog``  ``changelog.md``         ``changelog.html``: a fragment for the archive page
``email``      ``email.txt``            ``email.html``: a whole document
=============  =======================  ====================================================

A folder given as ``templates`` is searched first (per file; ``sentences.yaml`` there may
override single keys), then the repository's ``notices/`` (a source checkout), then the copy
the wheel ships in ``analyzer/_templates/notices`` (:mod:`analyzer.templates`).

Policy text is data. HTML templates autoescape everything; Markdown templates escape what could
make Markdown markup (links, images, raw HTML, emphasis) in every value; text templates drop
control characters (a terminal escape in a policy cannot reach a terminal).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from analyzer.errors import PolicyError
from analyzer.model import Report
from analyzer.notices.context import (
    LANGUAGES,
    NoticeContext,
    NoticeFormat,
    NoticeKind,
    build_context,
    no_notice_reason,
)
from analyzer.notices.patterns import notice_folders

TEMPLATES: Mapping[tuple[NoticeKind, NoticeFormat], str] = {
    ("popup", "html"): "popup.html",
    ("popup", "text"): "popup.txt",
    ("changelog", "text"): "changelog.md",
    ("changelog", "html"): "changelog.html",
    ("email", "text"): "email.txt",
    ("email", "html"): "email.html",
}
"""The template of each kind and format, in ``notices/<lang>/``."""
DEFAULT_FORMAT: Mapping[NoticeKind, NoticeFormat] = {
    "popup": "html",
    "changelog": "text",
    "email": "text",
}


# --------------------------------------------------------------------------- folders


def site_notices(report: Report, *, language: str) -> dict[str, str]:
    """What the archive site shows of a revision's notices, by kind: ``popup``, the pop-up's
    words as its text preview (only for a revision that needed one), and ``changelog``, the
    change-log entry as an HTML fragment (a :class:`markupsafe.Markup`: made by an autoescaped
    template, so the site's own autoescaping leaves it as it is) whose headings start at level
    4. No links: the archive's pages are the pages they would point to. Nothing for a revision
    without changes. ``language`` falls back to English for a language without templates."""
    language = language if language in LANGUAGES else "en"
    out: dict[str, str] = {}
    if no_notice_reason(report, "changelog") is not None:
        return out
    context = build_context(report, language=language)
    if context.popup:
        out["popup"] = render_notice(context, "popup", "text")
    out["changelog"] = Markup(render_notice(context, "changelog", "html", heading=4))
    return out


SITE_HTML_KINDS = frozenset({"changelog"})
"""Kinds :func:`site_notices` returns as HTML fragments (the others are text)."""


def site_notices_from_json(data: Mapping[str, str]) -> dict[str, str]:
    """:func:`site_notices`' result as stored in JSON (every value a string) made whole again:
    the HTML fragments marked as such."""
    return {
        str(kind): Markup(text) if kind in SITE_HTML_KINDS else str(text)
        for kind, text in data.items()
    }


# --------------------------------------------------------------------------- rendering

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&!|~#])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def markdown_escape(value: Any) -> str:
    """A value as literal Markdown text: on one line (it cannot start a heading, a list or a
    block of HTML), with every character that could start inline markup (a link, an image,
    raw HTML, emphasis, code, a table cell) backslash-escaped and control characters dropped."""
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub("", str(value)).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_text(value: Any) -> str:
    """A value for a plain-text notice: control characters (terminal escapes, bidirectional
    overrides) dropped; everything else exactly as written."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def _html_value(value: Any) -> Any:
    """Autoescaping does the escaping; control characters are dropped first."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("", value)
    return "" if value is None else value


def _environment(folders: Sequence[Path], language: str, template: str) -> jinja2.Environment:
    """The environment for a template: one per output type (HTML, Markdown, text), kept for
    the process so that its compiled templates are reused (Jinja2 reloads a template whose file
    changed)."""
    suffix = template.rsplit(".", 1)[-1]
    return _cached_environment(tuple(folders), language, suffix)


@functools.lru_cache(maxsize=32)
def _cached_environment(
    folders: tuple[Path, ...], language: str, suffix: str
) -> jinja2.Environment:
    finalize: Callable[[Any], Any]
    if suffix == "html":
        finalize, autoescape = _html_value, True
    elif suffix == "md":
        finalize, autoescape = markdown_escape, False
    else:
        finalize, autoescape = plain_text, False
    return jinja2.Environment(
        # a language's own folder first, then the parts every language shares (``common/``:
        # the pop-up's style and script)
        loader=jinja2.FileSystemLoader(
            [str(f / language) for f in folders] + [str(f / "common") for f in folders]
        ),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_notice(
    context: NoticeContext,
    kind: NoticeKind,
    fmt: NoticeFormat | None = None,
    *,
    templates: Path | None = None,
    heading: int = 2,
) -> str:
    """The notice of ``kind`` in ``fmt`` (``text`` or ``html``; the kind's default when None),
    from the templates of the context's language. ``heading`` is the level of the fragment's
    first heading (the change log's ``<h2>`` or ``##``; 4 when the archive nests it under its
    own headings); the templates receive it as ``heading``."""
    fmt = fmt or DEFAULT_FORMAT[kind]
    name = TEMPLATES[(kind, fmt)]
    if not 1 <= heading <= 5:
        raise ValueError(f"heading level {heading} (expected 1-5)")
    env = _environment(notice_folders(templates), context.language, name)
    try:
        template = env.get_template(name)
        text = template.render(notice=context, heading=heading)
    except jinja2.TemplateNotFound:
        raise PolicyError(f"no template {context.language}/{name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise PolicyError(
            f"template syntax error: {exc.message}", path=exc.filename, line=exc.lineno
        ) from None
    except jinja2.UndefinedError as exc:
        raise PolicyError(f"template {context.language}/{name}: {exc.message}") from None
    # No trailing spaces, at most one blank line in a row, one final newline: templates stay
    # readable (a blank line around each block tag) and the output the same whatever the
    # editor's habits.
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
