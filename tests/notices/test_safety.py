"""Policy text is data: markup in a policy never reaches a notice alive.

A version carries ``<script>alert(1)</script>``, a Markdown link to ``javascript:alert(1)`` and
``<img src=x onerror=alert(1)>`` in its title, in a section heading, in a changed clause and in the
words a finding quotes, plus a terminal escape. Every notice (pop-up, change log, e-mail; text and
HTML; English and Chinese) is then checked the way a browser or a Markdown renderer would read it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import html5lib
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.model import Report
from analyzer.notices.context import NOTICE_KINDS, build_context
from analyzer.notices.links import archive_links
from analyzer.notices.render import render_notice
from tests.helpers.reports_with_findings import OLD, edited, finding, revision, with_findings

SCRIPT = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(1))"
IMAGE = "<img src=x onerror=alert(1)>"
ESCAPE = "\x1b[2J"
HOSTILE = f"{SCRIPT} {LINK} {IMAGE}"


def hostile(text: str) -> str:
    # YAML writes the escape character as \e
    text = text.replace("title: Example privacy policy", f'title: "{HOSTILE}\\e[2J"')
    text = text.replace("3、 Sharing", f"3、 Sharing {HOSTILE}{ESCAPE}")
    return text


OLD_HOSTILE = hostile(OLD)
NEW_HOSTILE = hostile(edited("hotline", "entrust")).replace(
    "3.1 We share your contact information with our affiliates.",
    f"3.1 We share your contact information with our affiliates {HOSTILE}.",
)


@pytest.fixture(scope="module")
def report() -> Report:
    quoted = finding(
        "9.4.3",
        "negation-flip",
        "cue:negation",
        before=f"We will not entrust {SCRIPT}",
        after=f"We will entrust {LINK} {IMAGE}{ESCAPE}",
    )
    hotline = finding(
        "9.4.5", "contact-change", "phone:4008013260", "phone:95187", before="400-80-13260"
    )
    return with_findings(revision(OLD_HOSTILE, NEW_HOSTILE), {"3.2": [quoted], "10 ¶1": [hotline]})


def assert_inert_html(html: str, *, own_scripts: int = 0) -> None:
    """No element or attribute that runs code or fetches: the page a browser builds from it."""
    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(html)
    scripts = [e for e in tree.iter() if e.tag == "script"]
    assert len(scripts) == own_scripts
    for script in scripts:
        assert "alert" not in (script.text or "")
    for element in tree.iter():
        assert element.tag not in ("img", "iframe", "object", "embed", "svg"), element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:")), value
    # the hostile words are still there, as text a reader sees
    text = "".join(tree.itertext())
    assert "alert(1)" in text


def outputs(report: Report, language: str) -> dict[tuple[str, str], str]:
    links = archive_links("https://example.com", "example", "2025-06-01", "2025-01-01")
    context = build_context(report, language=language, links=links)
    return {
        (kind, fmt): render_notice(context, kind, fmt)  # type: ignore[arg-type]
        for kind in NOTICE_KINDS
        for fmt in ("text", "html")
    }


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_markup_survives_in_any_notice(report: Report, language: str) -> None:
    rendered = outputs(report, language)
    assert report.decision.level == "popup"
    # the hostile words do reach the notices (title, section heading, quoted words) …
    assert all("alert(1)" in text for text in rendered.values())
    for (kind, fmt), text in rendered.items():
        assert ESCAPE not in text and "\x1b" not in text, (kind, fmt)
        if fmt == "html":
            # … escaped in HTML
            assert SCRIPT not in text and "<img" not in text, kind
            assert_inert_html(text, own_scripts=1 if kind == "popup" else 0)
        elif kind == "changelog":
            # … and in Markdown, even for a renderer that passes raw HTML through
            rendered_md = MarkdownIt("commonmark").render(text)
            assert_inert_html(rendered_md)
            assert 'href="javascript' not in rendered_md.lower()
            # one link: ours, to the change page
            assert rendered_md.count("<a ") == 1
        else:
            # plain text is never interpreted: the words are shown as the policy wrote them
            assert SCRIPT in text or "alert(1)" in text


def test_end_to_end_through_the_command(tmp_path: Path) -> None:
    old = tmp_path / "2025-01-01.md"
    new = tmp_path / "2025-06-01.md"
    old.write_text(OLD_HOSTILE, encoding="utf-8")
    new.write_text(NEW_HOSTILE, encoding="utf-8")
    for kind in ("changelog", "email"):
        for fmt in ("text", "html"):
            for language in ("en", "zh"):
                result = CliRunner().invoke(
                    app,
                    [
                        "notice", str(old), str(new), "--kind", kind, "--format", fmt,
                        "--lang", language, "--no-model",
                    ],
                )  # fmt: skip
                assert result.exit_code == 0, result.output
                text: Any = result.stdout
                assert "alert(1)" in text and "\x1b" not in text
                if fmt == "html":
                    assert_inert_html(text)
                elif kind == "changelog":
                    rendered_md = MarkdownIt("commonmark").render(text)
                    assert "<script" not in rendered_md and "<img" not in rendered_md
                    assert 'href="javascript' not in rendered_md


# --------------------------------------------------------------------------- escaping invariants

from html import unescape  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analyzer.notices.render import markdown_escape, plain_text  # noqa: E402

MARKUP = st.sampled_from(
    [
        *"[]()<>!*_`~|#&\\\"'=:/ \n\t-+.",
        *(SCRIPT, LINK, IMAGE, "&lt;", "javascript:"),
        *("[x](https://e.com)", "![i](https://e.com/i.png)", "<https://e.com>", "**b**"),
    ]
)
TEXT = st.lists(st.one_of(MARKUP, st.text(max_size=3)), max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_escaped_markdown_reads_back_as_the_same_words(value: str) -> None:
    # a value in the middle of a line, as the change-log template places every value
    rendered = MarkdownIt("commonmark").render("Words " + markdown_escape(value))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n")
    inner = rendered[len("<p>") : -len("</p>\n")]
    assert "<" not in inner.replace("&lt;", ""), rendered  # no element at all
    expected = " ".join(plain_text(value).replace("\x00", "\ufffd").split())
    assert unescape(inner) == ("Words " + expected).rstrip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_plain_text_drops_only_control_characters(value: str) -> None:
    out = plain_text(value)
    assert "\x1b" not in out and "\u202e" not in out
    assert all(ch in value for ch in out)
