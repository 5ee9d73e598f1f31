"""Issue 14, bypass 4: Markdown and HTML are judged as a reader of the rendered page sees them.
Struck or deleted text is removed text; hidden text is left out and flagged; text only in a
title is read and flagged. Each case is a git change run through ``policy check --base``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.gate_changes import NEW_VERSION, gate_repo, propose
from tests.helpers.versions_repo import BODY, version_text, with_front_matter

MAJOR = ("popup", "consent")
"""A major change needs at least a pop-up (a withdrawn promise may need consent)."""

if shutil.which("git") is None:  # pragma: no cover - git is part of the test environment
    pytest.skip("git is not installed", allow_module_level=True)

PROMISE = "We will not share your location information with advertisers."
WITH_PROMISE = BODY.replace(
    "1.2. We keep server logs for security.",
    "1.2. We keep server logs for security.\n\n1.3. " + PROMISE,
)


@pytest.mark.parametrize(
    "written",
    [f"~~{PROMISE}~~", f"<del>{PROMISE}</del>", f"<s>{PROMISE}</s>"],
    ids=["tildes", "del", "s"],
)
def test_a_promise_struck_through_is_a_promise_removed(tmp_path: Path, written: str) -> None:
    gate = gate_repo(tmp_path, body=WITH_PROMISE)
    outcome = propose(gate, WITH_PROMISE.replace(PROMISE, written))
    assert outcome.code == 1
    assert "undeclared-notice" in outcome.rules
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["detected"] in MAJOR
    assert any("no longer ruled out" in reason for reason in revision["reasons"])
    assert "hidden-text" not in outcome.rules  # striking out is honest: it reads as removal


@pytest.mark.parametrize(
    ("written", "why"),
    [
        (f'<span style="display:none">{PROMISE}</span>', "display:none"),
        (f'<span style="visibility: hidden">{PROMISE}</span>', "visibility:hidden"),
        (f"<span hidden>{PROMISE}</span>", "hidden attribute"),
        (f'<span style="font-size:0">{PROMISE}</span>', "font-size:0"),
    ],
    ids=["display-none", "visibility-hidden", "hidden-attribute", "font-size-0"],
)
def test_a_promise_hidden_by_css_is_removed_and_flagged(
    tmp_path: Path, written: str, why: str
) -> None:
    gate = gate_repo(tmp_path, body=WITH_PROMISE)
    outcome = propose(gate, WITH_PROMISE.replace(PROMISE, written))
    assert outcome.code == 1
    assert {"undeclared-notice", "hidden-text"} <= outcome.rules
    assert outcome.revision(f"{NEW_VERSION}.md")["detected"] in MAJOR
    found = outcome.messages("hidden-text")
    assert why in found and "We will not share your location" in found


def test_a_promise_rewritten_in_inline_code_is_judged_as_the_words_it_shows(
    tmp_path: Path,
) -> None:
    gate = gate_repo(tmp_path, body=WITH_PROMISE)
    outcome = propose(gate, WITH_PROMISE.replace(PROMISE, f"`{PROMISE.replace(' not', '')}`"))
    assert outcome.code == 1
    assert "undeclared-notice" in outcome.rules
    assert outcome.revision(f"{NEW_VERSION}.md")["detected"] in MAJOR


def test_a_sale_stated_only_in_a_link_title_is_read_and_flagged(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    body = BODY.replace(
        "1.2. We keep server logs for security.",
        '1.2. We keep server logs for [security](https://example.com/security "We sell your '
        'precise location to advertisers").',
    )
    outcome = propose(gate, body)
    assert outcome.code == 1
    assert {"undeclared-notice", "hidden-text"} <= outcome.rules
    reasons = " ".join(outcome.revision(f"{NEW_VERSION}.md")["reasons"])
    # the recipient as the vocabulary names it ("advertising partners now receive …")
    assert "location" in reasons and "advertising partners" in reasons
    assert "link title" in outcome.messages("hidden-text")


HTML_BODY = """<main>
<h1>Demo privacy policy</h1>
<ol>
<li>We collect your name and e-mail address to run your account.</li>
<li>We keep server logs for security.</li>
<li>{clause}</li>
</ol>
</main>
"""


def _html_version(clause: str, version: str, **fields: str) -> str:
    text = version_text(version, body=HTML_BODY.format(clause=clause), **fields)
    return with_front_matter(text, "format: html\n")


def test_an_html_version_is_judged_as_rendered(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, body="placeholder\n")
    gate.write("2024-01-01.md", _html_version(PROMISE, "2024-01-01", status="draft"))
    gate.commit("an HTML version")
    hidden = f'<abbr title="We sell your precise location to advertisers">{PROMISE}</abbr>'
    for clause, rules in (
        (f"<del>{PROMISE}</del>", {"undeclared-notice"}),
        (f'<div style="display:none">{PROMISE}</div>', {"undeclared-notice", "hidden-text"}),
        (hidden, {"undeclared-notice", "hidden-text"}),
    ):
        gate.write(f"{NEW_VERSION}.md", _html_version(clause, NEW_VERSION))
        gate.commit(clause)
        outcome = gate.check()
        assert rules <= outcome.rules, (clause, outcome.output)
        assert outcome.revision(f"{NEW_VERSION}.md")["detected"] in MAJOR, clause
