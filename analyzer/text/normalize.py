"""Text normalisation shared by every stage.

Only whitespace and invisible formatting are normalised: line ends (CRLF, CR), no-break and other
fixed-width spaces, runs of spaces and tabs, trailing spaces and runs of blank lines, and the
characters that are not there for a reader (:data:`ZERO_WIDTH`: zero-width space, word joiner,
zero-width no-break space, soft hyphen; a zero-width (non-)joiner between two ASCII characters,
where it joins nothing). Words and punctuation are never touched, so a normalised version keeps
every word of its source. Two texts that differ only in what this module removes are the same
text: no change is reported between them, and a word split by a zero-width space is still the
word (``s\u200bell`` is found as ``sell``).

Characters that change what a reader sees without being words — controls, and the
bidirectional overrides and isolates that can make a line display in another order than it is
stored — are kept (they are part of what was published, and adding one is a change), and every
human-readable output shows them as ``⟨U+202E⟩`` (:func:`visible`), so that a redline can never
display one order of words while the analysis read another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Spaces that render as a space but are not U+0020. The ideographic space (U+3000) is kept:
# Chinese typesetting uses it on purpose (indents) and it is a full character wide.
_SPACE_LIKE = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad"
"""Removed wherever they are: zero-width space, word joiner, zero-width no-break space (a BOM
inside the text), soft hyphen (shown only where a line breaks)."""
_SPACE_TABLE = str.maketrans(
    {**dict.fromkeys(_SPACE_LIKE + "\t\f\v", " "), **dict.fromkeys(ZERO_WIDTH, None)}
)
_IDLE_JOINER = re.compile(r"(?<=[\x21-\x7e])[\u200c\u200d]+(?=[\x21-\x7e])")
"""A zero-width joiner or non-joiner between two ASCII characters joins nothing (in Arabic,
Indic scripts and emoji sequences it does, and stays)."""
INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufff9-\ufffb\U000e0000-\U000e007f]"
)
"""Characters :func:`visible` writes out: C0 and C1 controls (tab and line feed aside: a
terminal escape cannot reach a terminal), the bidirectional marks, embeddings, overrides and
isolates, the line and paragraph separators, interlinear annotations and the invisible tag
characters."""


def visible(text: str) -> str:
    """``text`` with every :data:`INVISIBLE` character written as ``⟨U+XXXX⟩``."""
    if INVISIBLE.search(text) is None:
        return text
    return INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def json_invisible(text: str) -> str:
    """JSON text with its :data:`INVISIBLE` characters as ``\\u`` escapes: the same strings to
    a JSON reader, but a file that shows them when opened in an editor or a terminal."""
    return INVISIBLE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON writes characters outside the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def drop_invisible(text: str) -> str:
    """``text`` without :data:`ZERO_WIDTH` characters and idle joiners (spaces untouched)."""
    text = text.translate(_DROP_TABLE)
    return _IDLE_JOINER.sub("", text) if "\u200c" in text or "\u200d" in text else text


_DROP_TABLE = str.maketrans(dict.fromkeys(ZERO_WIDTH, None))


def _blank(text: str) -> str:
    """Space-like characters to spaces, invisible formatting removed."""
    text = text.translate(_SPACE_TABLE)
    return _IDLE_JOINER.sub("", text) if "\u200c" in text or "\u200d" in text else text


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
    text = _blank(text)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    joined = "\n".join(lines).strip("\n")
    return _BLANK_LINES.sub("\n\n", joined) + "\n" if joined else ""


def normalize_lines(text: str, *, keep_runs: bool = False) -> list[str]:
    """Normalise each line on its own, keeping one output line per source line.

    Parsers use this so that a clause's line span points at the line of the source file.
    ``keep_runs`` leaves runs of blanks (as single spaces each) and the indentation alone, for
    reading the columns of a table laid out with spaces.
    """
    text = text.removeprefix(BOM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _blank(text)
    if keep_runs:
        return [line.rstrip(" ") for line in text.split("\n")]
    return [collapse_runs(line) for line in text.split("\n")]


def collapse_runs(line: str) -> str:
    """One line of :func:`normalize_lines` ``keep_runs=True`` output as the default form gives
    it: runs of spaces made one, the ends trimmed."""
    return _RUN_OF_SPACES.sub(" ", line).strip(" ")


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space and trim.

    This is the form clause texts are compared and hashed in: re-wrapping a paragraph does not
    change it.
    """
    return _ANY_WHITESPACE.sub(" ", _blank(text)).strip()


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
