"""Views of a report: JSON against its schema, text with and without colour, Markdown and HTML
that no policy text can inject markup or script into."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from analyzer.judge.criteria import load_pack
from analyzer.model import Report
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from analyzer.render import render, render_html, render_json, render_markdown, render_text
from tests.helpers.diff_cases import case_names, load_case

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "analyzer/schemas/policy-diff-1.json").read_text(encoding="utf-8"))

OLD = """Demo policy

1、 Sharing

1.1. We will not share your information with partners.

1.2. Contact us at privacy@example.com.
"""
HOSTILE = """Demo policy

1、 Sharing

1.1. We will not share your information with partners. <script>alert(1)</script>

1.2. Contact us at privacy@example.com. **bold** [link](https://evil.example/x) <img src=x onerror=alert(2)> @octocat #12 ~~gone~~ `code` | table |
"""


def _report(old: str, new: str) -> Report:
    return analyze(
        parse(read_document(old.encode(), "old.txt")),
        parse(read_document(new.encode(), "new.txt")),
        pack=load_pack(),
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", case_names())
def test_golden_reports_validate_against_the_schema(name: str) -> None:
    document = json.loads(render_json(load_case(name).report()))
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_what_the_contract_forbids() -> None:
    document = json.loads(render_json(_report(OLD, HOSTILE)))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(document)
    broken = json.loads(json.dumps(document))
    broken["decision"]["level"] = "urgent"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(document))
    broken["changes"][0]["inline"][0] = ["?", "x"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(document))
    del broken["criteria"]
    assert not validator.is_valid(broken)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def test_html_escapes_every_policy_string() -> None:
    page = render_html(_report(OLD, HOSTILE))
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    # self-contained: no external resource, scripts forbidden by policy
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not any(name in ("src", "href") and v and "//" in v for name, v in parsed.attrs)
    assert "<del>" in page or "<ins>" in page


def test_html_title_and_sources_are_escaped() -> None:
    report = analyze(
        parse(read_document(OLD.encode(), "<b>old</b>.txt", name="old.txt")),
        parse(read_document(HOSTILE.encode(), '"><script>x</script>.txt', name="new.txt")),
        pack=load_pack(),
    )
    page = render_html(report)
    assert "<script" not in page.lower() and "<b>old" not in page


def test_markdown_escapes_policy_text() -> None:
    md = render_markdown(_report(OLD, HOSTILE))
    body = md.split("#### Changes", 1)[1]
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;" in body
    assert "](https" not in body  # no live link
    assert "\\@octocat" in body and "\\#12" in body
    assert "\\*\\*bold\\*\\*" in body
    assert "<details" in body and "</details>" in body


def test_markdown_section_summaries_are_html_escaped() -> None:
    new = OLD.replace("1、 Sharing", "1、 Sharing <i>now</i>")
    md = render_markdown(_report(OLD, new))
    summaries = re.findall(r"<summary>(.*?)</summary>", md)
    assert any("Sharing &lt;i&gt;now&lt;/i&gt;" in s for s in summaries), summaries
    assert "<i>" not in md


def test_markdown_redline_uses_strike_and_strong() -> None:
    new = OLD.replace("We will not share", "We will share").replace(
        "privacy@example.com", "dpo@example.org"
    )
    md = render_markdown(_report(OLD, new))
    assert "~~not~~" in md
    assert "**dpo" in md or "<ins>dpo" in md


def test_markdown_never_leaves_a_marker_that_does_not_render() -> None:
    # a punctuation-only insertion next to a word cannot be '**,**': Markdown would show it
    new = OLD.replace("with partners.", "with partners, always.")
    md = render_markdown(_report(OLD, new))
    assert not re.search(r"\w\*\*\\?[,.;]", md)


def test_text_colour_only_when_asked() -> None:
    report = _report(OLD, OLD.replace("will not share", "will share"))
    plain = render_text(report)
    coloured = render_text(report, color=True)
    assert "\x1b[" not in plain and "[-not -]" in plain
    assert "\x1b[31;9mnot \x1b[0m" in coloured


def test_text_starts_with_a_one_line_summary() -> None:
    # a promise not to share withdrawn restricts what users were promised: consent (9.2)
    report = _report(OLD, OLD.replace("will not share", "will share"))
    first = render_text(report).splitlines()[0]
    assert first.startswith("CONSENT: 1 change (1 substantive, 0 editorial; 1 modified)")


def test_render_dispatches_every_format() -> None:
    report = _report(OLD, OLD)
    assert json.loads(render(report, "json"))["schema"] == "policy-diff/1"
    assert render(report, "text").startswith("NONE: no changes")
    assert render(report, "markdown").startswith("### policy diff")
    assert render(report, "html").startswith("<!DOCTYPE html>")
