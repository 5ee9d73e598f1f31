"""Suspicious characters: found where a reader would be misled, never in honest text, folded
to what a reader sees, and marked in what the tool prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.text.normalize import visible
from analyzer.text.suspicious import find_suspicious, fold, has_candidates, mark


@pytest.mark.parametrize(
    ("text", "folded", "found"),
    [
        ("60 d\u0430ys", "60 days", [("U+0430", "look-alike", "a")]),
        ("We sh\u2062are", "We share", [("U+2062", "invisible", "")]),
        ("loc\u034fation", "location", [("U+034F", "invisible", "")]),
        ("出售\u200d位置数据", "出售位置数据", [("U+200D", "invisible", "")]),
        (
            "\u202e06231-08-004\u202c",
            "06231-08-004",
            [("U+202E", "bidi", ""), ("U+202C", "bidi", "")],
        ),
        ("a \u2066b\u2069", "a b", [("U+2066", "bidi", ""), ("U+2069", "bidi", "")]),
        # the Arabic letter mark is a mark, not an Arabic letter: no right-to-left text here
        ("withi\u061cn 60 days", "within 60 days", [("U+061C", "bidi", "")]),
        ("ｓell data", "sell data", [("U+FF53", "look-alike", "s")]),
        ("\U0001d42cell", "sell", [("U+1D42C", "look-alike", "s")]),
        (
            "р\u0430у now",
            "pay now",
            [
                ("U+0440", "look-alike", "p"),
                ("U+0430", "look-alike", "a"),
                ("U+0443", "look-alike", "y"),
            ],
        ),
        ("人\u2f08", "人人", [("U+2F08", "look-alike", "人")]),
        ("sh\ufe0fare", "share", [("U+FE0F", "invisible", "")]),
        ("\u3164hidden", "hidden", [("U+3164", "invisible", "")]),
    ],
)
def test_suspicious_characters_are_found_and_folded(
    text: str, folded: str, found: list[tuple[str, str, str]]
) -> None:
    items = find_suspicious(text)
    assert [(i.code_point, i.kind, i.looks_like) for i in items] == found
    assert fold(text) == folded
    marked = mark(text)
    for code_point, _kind, _like in found:
        assert f"⟨{code_point}⟩" in marked


@pytest.mark.parametrize(
    "text",
    [
        "We keep your data for 15 days. 我们保存您的数据15天。",
        "保存１５天，第１条（一）",  # full-width digits among Chinese characters
        "Société Générale, naïve café, Æsir, Łódź, Ørsted",
        "Firefox在访问您设备上的相机之前总是询问",
        "❤\ufe0f 👨\u200d👩\u200d👧 1\ufe0f\u20e3",  # emoji sequences
        "Москва и Яндекс",  # Russian words that are not all look-alikes
        "ООО Рога и Копыта",  # a Russian text: Cyrillic among Cyrillic
        "مرحبا\u200cبكم \u200fשלום",  # joiners and marks in right-to-left scripts
        "™ № ℃ ① → … — “quotes” ‘single’ «guillemets»",
    ],
)
def test_honest_text_has_none(text: str) -> None:
    assert find_suspicious(text) == ()
    assert fold(text) == text
    assert mark(text) == text


def test_visible_marks_suspicious_characters_and_controls() -> None:
    assert visible("60 d\u0430ys \u202eabc") == "60 d⟨U+0430⟩ys ⟨U+202E⟩abc"


def test_ordinary_text_costs_one_search_and_never_loads_the_confusables_data() -> None:
    code = (
        "import sys\n"
        "from analyzer.text.suspicious import find_suspicious, fold\n"
        "text = 'We keep your data for 15 days. 我们保存您的数据１５天。' * 1000\n"
        "assert find_suspicious(text) == () and fold(text) is text\n"
        "assert find_suspicious('出售\\u200d位置 d\\u0430ys'[:6]) != ()\n"
        "print('confusable_homoglyphs' in ' '.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "False"


def test_a_megabyte_of_look_alikes_is_scanned_whole() -> None:
    text = ("d\u0430ys р\u0430у " * 100_000)[:1_000_000]
    found = find_suspicious(text)
    assert len(found) >= 100_000
    assert "d\u0430ys" not in fold(text) and "days" in fold(text)


def test_the_corpus_has_no_suspicious_character(corpus_dir: Path) -> None:
    """Real policies, as published: the rule has no false positive there."""
    for path in sorted(corpus_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if has_candidates(text):
            assert find_suspicious(text) == (), path
