"""bytes -> Document: decode, split off the front matter, decide how the body is parsed.

A Word document (:func:`is_word`) is read by :mod:`analyzer.parse.word` instead, as the
Markdown it reads as.

Pure functions over bytes and strings; reading the file is the caller's job (see ``store``).
Every problem is a :class:`PolicyError` naming the source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from analyzer.errors import PolicyError
from analyzer.model import Document
from analyzer.parse.frontmatter import parse_front_matter
from analyzer.text.compiled import regex
from analyzer.text.normalize import BOM, content_hash

Format = Literal["markdown", "text", "html"]
Revisions = Literal["accept", "reject"]
"""Which view of a Word document's pending tracked changes is read."""

WORD_EXTENSIONS = (".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot")
"""File names read as Word documents (the reader refuses all but .docx, with a reason)."""
_WORD_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""A zip package (.docx) or an OLE compound file (.doc, or an encrypted .docx)."""

_HTML_START = regex(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_MARKDOWN_HINT = regex(r"^(?:#{1,6}\s|\s*[-*+]\s+\S|\|.*\|\s*$)", re.M)
_EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
"""Byte-order marks that say how a file is encoded (UTF-32's first: it starts like UTF-16's)."""


def decode(data: bytes, source: str) -> str:
    """Decode a version file: UTF-8 (a BOM is accepted), or UTF-16 / UTF-32 with a BOM.

    Anything else is refused with a message naming what the bytes look like (Windows-1252,
    Latin-1, UTF-16 without a byte-order mark), so that the user can convert the file rather
    than have mojibake analysed as policy text.
    """
    if not data.strip():
        raise PolicyError("file is empty", path=source)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                name = codec.upper().replace("UTF", "UTF-").replace("--", "-")
                raise PolicyError(f"invalid {name} at byte {exc.start}", path=source) from None
            return _refuse_nul(text.removeprefix(BOM), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(_not_utf8(data, exc), path=source) from None
    if "\x00" in text:
        guess = _utf16_without_bom(data)
        if guess:
            raise PolicyError(
                f"looks like {guess} without a byte-order mark: convert it to UTF-8", path=source
            )
    return _refuse_nul(text.removeprefix(BOM), source)


def _refuse_nul(text: str, source: str) -> str:
    if "\x00" in text:
        raise PolicyError("binary file (contains NUL bytes)", path=source)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """``UTF-16LE`` or ``UTF-16BE`` when the bytes read as lines of text in that encoding (at
    least nine characters in ten ASCII, Latin or CJK, none of them NUL, some of them spaces or
    line ends); None otherwise."""
    head = data[: 4096 - 4096 % 4]
    if len(head) < 4 or len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for name in ("UTF-16LE", "UTF-16BE"):
        try:
            text = head.decode(name.replace("UTF-16", "utf-16-").lower())
        except UnicodeDecodeError:
            continue
        if "\x00" in text or len(text) < 8 or not any(ch.isspace() for ch in text):
            continue  # too short to tell, or not lines of text
        usual = sum(1 for ch in text if ch.isascii() or _READABLE.match(ch))
        score = usual / len(text)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


_READABLE = regex(r"[\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
"""Latin letters, general punctuation, CJK punctuation and ideographs, full-width forms."""


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why bytes are refused, naming the encoding they seem to be in."""
    where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess:
            return f"looks like {guess} without a byte-order mark: convert it to UTF-8"
        return f"binary file (NUL bytes, not a UTF-8 text; {where})"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if any(0x80 <= b <= 0x9F for b in data):
            # curly quotes, dashes, the euro sign: Windows-1252's own characters
            return f"not valid UTF-8 ({where}); it looks like Windows-1252: convert it to UTF-8"
        return f"not valid UTF-8 ({where}); it looks like Latin-1 (ISO-8859-1): convert it to UTF-8"
    return f"not valid UTF-8 ({where})"


def guess_format(name: str, body: str, meta: Mapping[str, Any]) -> Format:
    """The front matter's ``format:`` if given, else the extension, else a look at the text."""
    declared = meta.get("format")
    if declared is not None:
        if declared not in ("markdown", "text", "html"):
            raise PolicyError(f"unknown format {declared!r} in front matter", path=name)
        return declared  # type: ignore[no-any-return]
    lowered = name.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lowered.endswith(ext):
            return fmt
    if _HTML_START.match(body):
        return "html"
    if _MARKDOWN_HINT.search(body):
        return "markdown"
    return "text"


def is_word(name: str, data: bytes) -> bool:
    """Whether a file is read as a Word document: by its name, or by its first bytes (a zip
    package or an OLE compound file, which no text version starts with)."""
    return name.lower().endswith(WORD_EXTENSIONS) or data.startswith(_WORD_MAGIC)


def read_document(
    data: bytes, source: str, *, name: str | None = None, revisions: Revisions | None = None
) -> Document:
    """Bytes of a version file -> :class:`Document`.

    ``name`` is the file name used to guess the format (defaults to ``source``). A Word
    document is read as Markdown (:func:`analyzer.parse.word.read_word`), with the front-matter
    fields it gives and its warnings; ``revisions`` says which view of its pending tracked
    changes to read (without it, a document that has any is refused).
    """
    if is_word(name or source, data):
        from analyzer.parse.word import read_word  # python-docx loads only for Word files

        word = read_word(data, source, revisions=revisions, name=name)
        return Document(
            source=source,
            text=word.markdown,
            format="markdown",
            meta=word.meta,
            sha256=content_hash(word.markdown),
            warnings=word.warnings,
        )
    text = decode(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = parse_front_matter(text, source)
    fmt = guess_format(name or source, body, meta)
    if not body.strip():
        raise PolicyError("no policy text after the front matter", path=source)
    return Document(
        source=source,
        text=body,
        format=fmt,
        meta=meta,
        body_line=body_line,
        sha256=content_hash(body),
    )
