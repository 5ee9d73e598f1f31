"""Notices: the data the templates receive, the rendered pop-up, change log and e-mail, and the
``policy notice`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import html5lib
import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.errors import PolicyError
from analyzer.model import Report
from analyzer.notices.context import NOTICE_KINDS, NoticeContext, build_context, no_notice_reason
from analyzer.notices.links import archive_key, archive_links, safe_link
from analyzer.notices.patterns import notice_folders
from analyzer.notices.render import TEMPLATES, markdown_escape, render_notice
from tests.helpers.child_process import python_with_another_hash_seed
from tests.helpers.reports_with_findings import OLD, edited, finding, revision, with_findings

ROOT = Path(__file__).resolve().parents[2]
HOTLINE = finding(
    "9.4.5",
    "contact-change",
    "phone:4008013260",
    "phone:95187",
    before="400-80-13260",
    after="95187",
)
FEE = finding(
    "9.2",
    "rights-restriction",
    "restriction:no-charge-removed",
    "fee:not charged",
    before="charge a fee",
    restricts=True,
)
LINKS = archive_links("https://example.com/policies", "example", "2025-06-01", "2025-01-01")


@pytest.fixture(scope="module")
def popup_report() -> Report:
    return with_findings(
        revision(OLD, edited("hotline", "editorial")),
        {"Prompt clause ¶1": [HOTLINE], "10 ¶1": [HOTLINE]},
    )


@pytest.fixture(scope="module")
def consent_report() -> Report:
    return consent_revision()


def consent_revision() -> Report:
    """A revision that needs consent: the hotline changed in two places, and a fee."""
    return with_findings(
        revision(OLD, edited("hotline", "fee", "editorial")),
        {"Prompt clause ¶1": [HOTLINE], "10 ¶1": [HOTLINE], "5.6.2": [FEE]},
    )


@pytest.fixture(scope="module")
def editorial_report() -> Report:
    return revision(OLD, edited("editorial"))


def html_tree(text: str, *, document: bool = False) -> Any:
    """Parse with html5lib's strict parser: any HTML5 parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text) if document else parser.parseFragment(text)


# --------------------------------------------------------------------------- the data model


def test_context_of_a_popup_revision(popup_report: Report) -> None:
    context = build_context(popup_report, language="en", links=LINKS)
    assert context.level == "popup" and context.popup and not context.consent
    assert context.title == "Example privacy policy"
    assert (context.new.version, context.new.effective, context.new.effective_text) == (
        "2025-06-01",
        "2025-07-01",
        "July 1, 2025",
    )
    assert context.old.version == "2025-01-01"
    assert context.links.changes == "https://example.com/policies/example/2025-06-01/changes.html"
    assert context.counts.to_dict() == {
        "changes": 3,
        "major": 2,
        "other": 1,
        "restricting": 0,
        "substantive": 2,
        "editorial": 1,
    }
    zh = build_context(popup_report, language="zh", links=LINKS)
    assert zh.new.effective_text == "2025年7月1日"


_CONTEXT_JSON = """
import json, sys
from analyzer.notices.context import build_context
from tests.notices.test_notices import consent_revision
report = consent_revision()
sys.stdout.write(json.dumps(build_context(report, language="zh").to_dict(), ensure_ascii=False))
"""
"""Prints the notice data of :func:`consent_revision`."""


def test_context_json_is_deterministic(consent_report: Report) -> None:
    a = json.dumps(build_context(consent_report, language="zh").to_dict(), ensure_ascii=False)
    # the same data made in another process with another hash seed
    b = python_with_another_hash_seed("-c", _CONTEXT_JSON).decode("utf-8")
    assert a == b
    assert json.loads(a)["schema"] == "policy-notice/1"


def test_every_template_documents_the_data_it_receives() -> None:
    fields = [f"notice.{name}" for name in NoticeContext.__dataclass_fields__]
    nested = [".version", ".effective_text", ".restricts_rights", ".pattern", ".intro", ".details"]
    nested += [".section_title", ".new_version", ".restricting"]
    for language in ("en", "zh"):
        for name in TEMPLATES.values():
            text = (ROOT / "notices" / language / name).read_text(encoding="utf-8")
            header = text[: text.index("#}")]
            for field in fields + nested:
                assert field in header, (language, name, field)


def test_unsupported_language_is_bad_input(popup_report: Report) -> None:
    with pytest.raises(PolicyError, match="unsupported notice language 'fr'"):
        build_context(popup_report, language="fr")


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("language", ["en", "zh"])
def test_popup_is_an_accessible_dialog(popup_report: Report, language: str) -> None:
    html = render_notice(build_context(popup_report, language=language, links=LINKS), "popup")
    tree = html_tree(html)
    dialog = tree.find(".//dialog")
    assert dialog is not None
    assert dialog.get("role") == "dialog"
    assert dialog.get("aria-modal") == "true"
    title = tree.find(f".//*[@id='{dialog.get('aria-labelledby')}']")
    assert title is not None and title.tag == "h2"
    assert tree.find(f".//*[@id='{dialog.get('aria-describedby')}']") is not None
    buttons = dialog.findall(".//button")
    assert len(buttons) == 1 and buttons[0].get("autofocus") is not None
    assert dialog.find(".//form").get("method") == "dialog"
    links = [a.get("href") for a in dialog.iter("a")]
    assert links == ["https://example.com/policies/example/2025-06-01/changes.html"]
    # one sentence per major change (the hotline, told once for both places)
    items = ["".join(li.itertext()) for li in dialog.iter("li")]
    assert len(items) == 1 and "95187" in items[0]
    # nothing fetched from elsewhere
    assert not re.search(r"<(?:link|img|iframe)\b|src=|@import|url\(", html)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_consent_popup_asks_for_explicit_agreement(consent_report: Report, language: str) -> None:
    html = render_notice(build_context(consent_report, language=language), "popup")
    dialog = html_tree(html).find(".//dialog")
    values = [b.get("value") for b in dialog.iter("button")]
    assert values == ["decline", "accept"]
    # Enter on the initial focus never gives consent
    focused = [b.get("value") for b in dialog.iter("button") if b.get("autofocus") is not None]
    assert focused == ["decline"]
    text = "".join(dialog.itertext())
    if language == "en":
        assert "previous terms keep applying" in text and "explicit consent" in text
        assert "close your account" in text
    else:
        assert "原有条款将继续对您适用" in text and "明确同意" in text and "注销账号" in text
    flagged = dialog.findall(".//span[@class='needs-consent']")
    assert len(flagged) == 1


def test_popup_text_preview(consent_report: Report) -> None:
    text = render_notice(build_context(consent_report, language="en"), "popup", "text")
    assert text.splitlines()[0].startswith("Your consent is needed: we are changing the Example")
    assert "- Your requests may now be charged a fee (5.6.2). [needs your consent]" in text
    assert "[ Decline ]  [ Accept the changes ]" in text


def test_changelog_markdown(consent_report: Report) -> None:
    md = render_notice(build_context(consent_report, language="en", links=LINKS), "changelog")
    assert md.startswith("## 2025-06-01, effective July 1, 2025\n")
    lines = md.splitlines()
    major = lines.index("### Major changes")
    other = lines.index("### Other changes")
    assert major < other
    entries = [line for line in lines if line.startswith("- ")]
    assert len(entries) == len(consent_report.changes)
    assert entries[1] == (
        "- In section 5 (Your rights), we changed 5.6.2. Your requests may now be charged a fee."
        " (needs your consent)"
    )
    assert lines[-1] == (
        "[Compare the two versions, clause by clause]"
        "(https://example.com/policies/example/2025-06-01/changes.html)"
    )


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", ["changelog", "email"])
def test_html_outputs_parse_strictly(consent_report: Report, language: str, kind: str) -> None:
    context = build_context(consent_report, language=language, links=LINKS)
    html = render_notice(context, kind, "html")  # type: ignore[arg-type]
    tree = html_tree(html, document=kind == "email")
    assert tree.find(".//li") is not None
    if kind == "email":
        assert tree.find(".//title").text.strip()
        assert tree.find(".//script") is None


def test_email_text_has_a_subject_then_the_body(consent_report: Report) -> None:
    text = render_notice(build_context(consent_report, language="zh", links=LINKS), "email")
    subject, blank, *body = text.splitlines()
    assert (
        subject == "Subject: 需要您的同意：《Example privacy policy》更新通知（2025年7月1日起生效）"
    )
    assert blank == ""
    assert "  - 我们可能对您的请求收取费用（第5.6.2条）。【需要您的同意】" in body


def test_rendering_is_byte_identical(consent_report: Report) -> None:
    for kind in NOTICE_KINDS:
        for fmt in ("text", "html"):
            a = render_notice(build_context(consent_report, language="en"), kind, fmt)  # type: ignore[arg-type]
            b = render_notice(build_context(consent_report, language="en"), kind, fmt)  # type: ignore[arg-type]
            assert a == b and a.endswith("\n") and not a.endswith("\n\n")


def test_a_templates_folder_replaces_a_template(tmp_path: Path, popup_report: Report) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "email.txt").write_text(
        "Dear customer, {{ notice.major | length }} important change(s) from {{ "
        "notice.new.effective_text }}.\n",
        encoding="utf-8",
    )
    context = build_context(popup_report, language="en", templates=tmp_path)
    assert render_notice(context, "email", templates=tmp_path) == (
        "Dear customer, 1 important change(s) from July 1, 2025.\n"
    )
    # the other templates still come from notices/
    assert "<dialog" in render_notice(context, "popup", templates=tmp_path)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ notice.nonexistent }}", "has no attribute 'nonexistent'"),
        ("{% if %}", "template syntax error"),
    ],
)
def test_broken_templates_are_bad_input(
    tmp_path: Path, popup_report: Report, template: str, message: str
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "email.txt").write_text(template, encoding="utf-8")
    context = build_context(popup_report, language="en")
    with pytest.raises(PolicyError, match=message):
        render_notice(context, "email", templates=tmp_path)


def test_no_notice_reasons(popup_report: Report, editorial_report: Report) -> None:
    assert no_notice_reason(popup_report, "popup") is None
    reason = no_notice_reason(editorial_report, "popup")
    assert reason is not None and reason.startswith("no pop-up needed: the decision is 'publish'")
    assert no_notice_reason(editorial_report, "changelog") is None
    unchanged = revision(OLD, OLD)
    reason = no_notice_reason(unchanged, "changelog")
    assert reason is not None and "'none'" in reason


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc"],
)
def test_only_web_links_are_accepted(url: str) -> None:
    with pytest.raises(PolicyError, match="only http, https or relative links"):
        safe_link(url)


def test_links_are_percent_encoded() -> None:
    with pytest.raises(PolicyError):
        safe_link("https://example.com/a b")
    assert safe_link('https://example.com/x"<y>(z)') == "https://example.com/x%22%3Cy%3E%28z%29"


@pytest.mark.parametrize(
    ("source", "meta", "key"),
    [
        ("alibaba-cloud-privacy@2026-02-02", {}, "2026-02-02"),
        ("policy_versions/p/2023-05-26.zh.md", {}, "2023-05-26.zh"),
        ("git:HEAD~1:policy_versions/p/2023-05-26.md", {}, "2023-05-26"),
        ("/tmp/draft.md", {"version": "2026-01-01"}, "2026-01-01"),
        ("/tmp/draft.md", {}, None),
    ],
)
def test_archive_keys(source: str, meta: dict[str, str], key: str | None) -> None:
    assert archive_key(source, meta) == key


def test_markdown_escape() -> None:
    assert markdown_escape("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
    assert markdown_escape("<b>*a*</b>\n# b") == r"\<b\>\*a\*\</b\> \# b"


# --------------------------------------------------------------------------- the command


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, [*args, "--no-model"], catch_exceptions=False)


def test_cli_popup_for_a_publish_revision_writes_nothing(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(edited("editorial"), encoding="utf-8")
    out = tmp_path / "popup.html"
    result = invoke("notice", str(old), str(new), "--kind", "popup", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout.startswith("no pop-up needed: the decision is 'publish'")
    assert len(result.stdout.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_changelog_and_email(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "2025-06-01.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(edited("hotline", "editorial"), encoding="utf-8")
    out = tmp_path / "entry.md"
    result = invoke("notice", str(old), str(new), "--kind", "changelog", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    entry = out.read_text(encoding="utf-8")
    assert "The customer service hotline changes from 400-80-13260 to 95187." in entry
    result = invoke(
        "notice", str(old), str(new), "--kind", "email", "--lang", "zh", "--format", "html",
        "--site-url", "https://example.com/archive/",
    )  # fmt: skip
    assert result.exit_code == 0
    tree = html_tree(result.stdout, document=True)
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert hrefs == [
        "https://example.com/archive/example/2025-06-01/changes.html",
        "https://example.com/archive/example/index.html",
    ]
    result = invoke("notice", str(old), str(new), "--format", "json", "--kind", "email")
    assert json.loads(result.stdout)["major"][0]["pattern"] == "values/hotline"


def test_cli_store_references(tmp_path: Path) -> None:
    result = invoke(
        "notice",
        "alibaba-cloud-privacy@2023-05-26",
        "alibaba-cloud-privacy@2023-05-26",
        "--kind",
        "changelog",
        "--versions",
        str(ROOT / "policy_versions"),
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("no change-log entry needed: the decision is 'none'")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--site-url", "javascript:alert(1)//"], "only http, https or relative links"),
        (["--templates", "/nonexistent/folder"], "templates folder not found"),
        (["--lang", "fr"], "Invalid value for '--lang'"),
        (["--kind", "banner"], "Invalid value for '--kind'"),
    ],
)
def test_cli_bad_input(tmp_path: Path, extra: list[str], message: str) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(edited("hotline"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["notice", str(old), str(new), "--kind", "changelog", "--no-model", *extra]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_shipped_templates_are_found() -> None:
    folders = notice_folders()
    assert folders and (folders[-1] / "en" / "popup.html").is_file()
