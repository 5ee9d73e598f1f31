"""Stage 6, render: a :class:`~analyzer.model.Report` -> text | json | markdown | html.

Takes a report and gives its views: JSON (the ``policy-diff/1`` contract), text for a terminal
(:mod:`~analyzer.render.text`), Markdown for a pull-request comment
(:mod:`~analyzer.render.markdown`) and a standalone HTML page (:mod:`~analyzer.render.html`),
all from one view model (:mod:`~analyzer.render.view`).

Each view is a pure function of the report; the same report always renders to the same bytes.
"""

from __future__ import annotations

import json
from typing import Literal

from analyzer.model import Report
from analyzer.render.html import render_html
from analyzer.render.markdown import render_markdown
from analyzer.render.text import render_text
from analyzer.text.normalize import json_invisible

__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown", "render_text"]

Format = Literal["text", "json", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "json", "markdown", "html")


def render_json(report: Report) -> str:
    """The ``policy-diff/1`` JSON document (see ``analyzer/schemas/policy-diff-1.json``).

    Text is written as UTF-8, except the controls and bidirectional characters of
    :data:`analyzer.text.normalize.INVISIBLE`, which are ``\\u`` escapes: the same strings to a JSON
    reader, but a file that shows them when opened in an editor or a terminal."""
    return json_text(report.to_dict())


def json_text(data: object) -> str:
    """``data`` as indented JSON, UTF-8 but for the escaped invisible characters."""
    return json_invisible(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def render(report: Report, fmt: Format, *, color: bool = False) -> str:
    """The report in one of :data:`FORMATS` (``color`` only affects ``text``)."""
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    return render_text(report, color=color)
