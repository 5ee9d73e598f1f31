"""Reading version files: decoding, front matter, format, and the errors bad input gets."""

from __future__ import annotations

import pytest

from analyzer.errors import PolicyError
from analyzer.parse.ingest import read_document
from analyzer.text.normalize import content_hash, detect_language, normalize_text


def test_crlf_bom_and_no_break_spaces_are_not_changes() -> None:
    plain = read_document(b"1. We collect data.\n\n2. We share it.\n", "a.txt")
    messy = read_document(
        "\ufeff1.\u00a0We collect  data.\r\n\r\n2. We\u00a0share it.\r\n".encode(), "b.txt"
    )
    assert plain.sha256 == messy.sha256
    assert normalize_text(messy.text) == normalize_text(plain.text)


def test_front_matter_is_split_off_and_lines_are_counted() -> None:
    doc = read_document(b"---\ntitle: T\nversion: 2023-05-26\n---\n# Heading\n\nText.\n", "v.md")
    assert doc.meta["title"] == "T"
    assert doc.text.startswith("# Heading")
    assert doc.body_line == 5
    assert doc.format == "markdown"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b"\x00\x01\x02\xff\xfe\x00binary", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"---\ntitle: [unclosed\n---\nText\n", "malformed front matter"),
        (b"---\n- a list\n---\nText\n", "must be a YAML mapping"),
        (b"---\ntitle: T\n", "not closed"),
        (b"---\ntitle: T\n---\n", "no policy text"),
        (b"---\na: &x [1]\nb: *x\n---\nText\n", "anchors and aliases"),
        (b"---\na: !!python/object:os.system ls\n---\nText\n", "malformed front matter"),
    ],
)
def test_bad_input_is_a_policy_error(data: bytes, message: str) -> None:
    with pytest.raises(PolicyError, match=message) as info:
        read_document(data, "bad.md")
    assert "bad.md" in str(info.value)
    assert "\n" not in info.value.one_line()


def test_utf16_with_bom_is_read() -> None:
    doc = read_document("1. Données personnelles.\n".encode("utf-16"), "u16.txt")
    assert "Données" in doc.text


def test_formats_are_guessed() -> None:
    assert read_document(b"<!DOCTYPE html><p>x</p>", "page").format == "html"
    assert read_document(b"plain words\n", "x.html").format == "html"
    assert read_document(b"1. text\n", "x.txt").format == "text"
    assert read_document(b"---\nformat: text\n---\n# not md\n", "x.md").format == "text"
    with pytest.raises(PolicyError, match="unknown format"):
        read_document(b"---\nformat: pdf\n---\ntext\n", "x.md")


def test_content_hash_ignores_wrapping_but_not_words() -> None:
    assert content_hash("We may\nshare it.") == content_hash("We may share  it.")
    assert content_hash("We may share it.") != content_hash("We will share it.")


def test_language_detection() -> None:
    assert detect_language("我们会收集您的个人信息，用于提供 Firefox 服务。") == "zh"
    assert detect_language("We collect data. Office: 杭州市") == "en"
