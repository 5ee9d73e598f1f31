"""Golden notices from real revisions (see ``tests/helpers/notice_cases.py``), made by the command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from tests.helpers.notice_cases import LANGUAGES, SITE_URL, case_names, load_case

CASES = case_names()


def notice(*args: str) -> Any:
    result = CliRunner().invoke(
        app, ["notice", *args, "--no-model", "--site-url", SITE_URL], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_acceptance_cases_are_all_there() -> None:
    assert set(CASES) >= {
        "notices-editorial",
        "notices-hotline",
        "notices-fee-5.6.2",
        "notices-zh-fee",
    }


@pytest.mark.parametrize("name", CASES)
def test_notices_match_their_goldens(
    name: str, tmp_path: Path, golden: Callable[[Path, Any], None]
) -> None:
    case = load_case(name)
    old, new = case.arguments(tmp_path)
    data = json.loads(notice(old, new, "--format", "json", "--kind", "changelog"))
    level = case.expect["level"]
    assert data["level"] == level, data["reasons"]
    if "sentences" in case.expect:
        assert [s["text"] for s in data["major"]] == case.expect["sentences"]
    folder = case.folder
    popup_needed = level in ("popup", "consent")
    for language in LANGUAGES:
        popup = notice(old, new, "--kind", "popup", "--lang", language)
        if popup_needed:
            html5lib.HTMLParser(strict=True).parseFragment(popup)
            golden(folder / f"popup.{language}.html", popup)
        else:
            assert len(popup.splitlines()) == 1
            golden(folder / "popup.txt", popup)
        golden(
            folder / f"changelog.{language}.md",
            notice(old, new, "--kind", "changelog", "--lang", language),
        )
        golden(
            folder / f"email.{language}.txt",
            notice(old, new, "--kind", "email", "--lang", language),
        )
        email = notice(old, new, "--kind", "email", "--lang", language, "--format", "html")
        html5lib.HTMLParser(strict=True).parse(email)
        golden(folder / f"email.{language}.html", email)
