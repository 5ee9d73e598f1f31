"""Text normalisation shared by every stage.

Only whitespace is normalised: line ends (CRLF, CR), no-break and other fixed-width spaces, runs
of spaces and tabs, trailing spaces and runs of blank lines. Words and punctuation are never
touched, so a normalised version keeps every word of its source. Two texts that differ only in
what this module removes are the same text: no change is reported between them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Spaces that render as a space but are not U+0020. The ideographic space (U+3000) is kept:
# Chinese typesetting uses it on purpose (indents) and it is a full character wide.
_SPACE_LIKE = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_SPACE_TABLE = str.maketrans(dict.fromkeys(_SPACE_LIKE + "\t\f\v", " "))
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
_ANY_WHITESPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

BOM = "\ufeff"


def normalize_text(text: str) -> str:
    """Normalise a whole document: line ends, space-like characters, runs of spaces, blank lines.

    Lines keep their order, so line numbers of the result match the source's lines as long as
    no run of blank lines was folded; callers that report line numbers count on the source.
    """
    text = text.removeprefix(BOM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_SPACE_TABLE)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    joined = "\n".join(lines).strip("\n")
    return _BLANK_LINES.sub("\n\n", joined) + "\n" if joined else ""


def normalize_lines(text: str) -> list[str]:
    """Normalise each line on its own, keeping one output line per source line.

    Parsers use this so that a clause's line span points at the line of the source file.
    """
    text = text.removeprefix(BOM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_SPACE_TABLE)
    return [_RUN_OF_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space and trim.

    This is the form clause texts are compared and hashed in: re-wrapping a paragraph does not
    change it.
    """
    return _ANY_WHITESPACE.sub(" ", text.translate(_SPACE_TABLE)).strip()


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the squashed text."""
    return hashlib.sha256(squash(text).encode("utf-8")).hexdigest()


def sha256_hex(data: str | bytes) -> str:
    """SHA-256 (hex) of a string (UTF-8) or bytes, as given."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def detect_language(text: str) -> str:
    """``"zh"`` when Chinese characters make up a real share of the words, else ``"en"``.

    Counts CJK characters against Latin words, so that a Chinese policy quoting English product
    names is still Chinese, and an English policy with one Chinese address stays English.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    return "zh" if cjk > 0 and cjk >= latin else "en"


def is_cjk(text: str) -> bool:
    """True when the text contains at least one CJK ideograph."""
    return _CJK.search(text) is not None
