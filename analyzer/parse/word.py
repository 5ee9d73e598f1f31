"""Word (.docx) -> Markdown: what a reader of the document sees, as a version's text.

:func:`read_word` takes the bytes of a .docx and gives the Markdown a version is stored as
(:class:`WordText`): headings by their style (``Title``, ``Heading 1`` … or an outline level),
paragraphs, bulleted and numbered lists, tables as Markdown tables, links as Markdown links.
**Word's automatic numbering is rebuilt into the text**: the numbering definitions
(``word/numbering.xml``: each level's format, text pattern such as ``%1.%2.%3``, start value,
restarts and overrides, and numbering attached to a paragraph style) are counted through the
document the way Word counts them, so that a paragraph Word shows as "2.1.3" reads
``2.1.3 …`` and the clause parser numbers it 2.1.3, as it would the same text typed in
Markdown. Typed numbers are text like any other.

**Tracked changes are never merged silently.** A document with pending insertions, deletions or
moves is refused (:class:`PolicyError` naming how many) unless the caller says which view to
read: ``accept`` (the text as it would be with every change accepted) or ``reject``. Comments
are not part of the text: they are counted in a warning. Footnotes, headers, footers and text
boxes are not read either, and a warning says so when the document has any.

**Hostile files** are refused before a part is parsed: an old binary .doc, an encrypted
(password-protected) document, a macro-enabled .docm or a template, a damaged package, and a
package whose parts expand to more than :data:`MAX_UNPACKED` bytes (a "zip bomb": each part is
decompressed in bounded chunks and counted, never trusted by its declared size).

The only module that imports python-docx and lxml (ruff's banned-api enforces it).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from docx.opc.constants import CONTENT_TYPE as CT  # noqa: TID251 (this module owns python-docx)
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: TID251
from docx.opc.exceptions import OpcError  # noqa: TID251
from docx.opc.package import OpcPackage  # noqa: TID251
from lxml import etree  # noqa: TID251 (this module owns lxml, which python-docx uses)

from analyzer.errors import PolicyError
from analyzer.parse.ingest import Revisions
from analyzer.parse.word_numbering import Numbering, Style, int_or_none, read_styles, val
from analyzer.text.compiled import regex

__all__ = ["MAX_UNPACKED", "WordText", "read_word"]

MAX_UNPACKED = 100 * 1024 * 1024
"""The most bytes the parts of a .docx may expand to, together."""
MAX_ENTRIES = 10_000
"""The most files a .docx package may hold."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 16

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_TEMPLATE_MAINS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _R_RUN, _T, _TBL, _TR, _TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_INSERTS = frozenset({_w("ins"), _w("moveTo")})
_DELETES = frozenset({_w("del"), _w("moveFrom")})
_PASS_THROUGH = frozenset(
    {_w("smartTag"), _w("customXml"), _w("fldSimple"), _w("dir"), _w("bdo"), _w("sdtContent")}
)
_PROPERTY_CHANGES = frozenset(
    {_w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange")}
    | {_w(t) for t in ("tcPrChange", "tblGridChange", "tblPrExChange", "numberingChange")}
)


@dataclass(frozen=True)
class WordText:
    """A Word document read as a version's text."""

    markdown: str
    """The body as Markdown (no front matter)."""
    meta: dict[str, Any]
    """Front-matter fields the document gives: ``title`` (when its properties name one),
    ``source_sha256`` (of the .docx file's bytes)."""
    warnings: tuple[str, ...] = ()
    """What was not read (comments, footnotes …) and which view of tracked changes was read."""


def read_word(
    data: bytes, source: str, *, revisions: Revisions | None = None, name: str | None = None
) -> WordText:
    """The text of a .docx as Markdown, with the front-matter fields it gives and warnings.

    ``revisions`` says how pending tracked changes are read; without it a document that has any
    is refused. Every problem is a :class:`PolicyError` naming ``source``.
    """
    _check_package(data, source, (name or source).lower())
    document = _open(data, source)
    reader = _Reader(document, revisions)
    pending = reader.count_revisions()
    if pending and revisions is None:
        raise PolicyError(_pending_message(pending), path=source)
    markdown = reader.markdown()
    if not markdown.strip():
        raise PolicyError("the Word document has no text", path=source)
    warnings = list(reader.warnings())
    if pending:
        total = sum(pending.values())
        verb = "accepted" if revisions == "accept" else "rejected"
        warnings.insert(0, f"{_count(total, 'tracked change')} {verb} (--revisions {revisions})")
    meta: dict[str, Any] = {}
    title = " ".join((document.core_properties.title or "").split())
    if title:
        meta["title"] = title
    meta["source_sha256"] = hashlib.sha256(data).hexdigest()
    return WordText(markdown=markdown, meta=meta, warnings=tuple(warnings))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _pending_message(pending: Counter[str]) -> str:
    total = sum(pending.values())
    kinds = ", ".join(
        _count(pending[k], k) for k in ("insertion", "deletion", "move") if pending.get(k)
    )
    return (
        f"{_count(total, 'pending tracked change')} ({kinds}): accept or reject them in Word, "
        "or choose a view with --revisions accept|reject"
    )


# -- the package ---------------------------------------------------------------------------------


def _check_package(data: bytes, source: str, name: str) -> None:
    """Refuse what is not a plain .docx package before any part of it is parsed."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise PolicyError(
                "the Word document is encrypted (password-protected): save a copy without a "
                "password",
                path=source,
            )
        raise PolicyError(
            "an old binary Word document (.doc): save it as a Word document (.docx)", path=source
        )
    if data.startswith(b"{\\rtf"):
        raise PolicyError(
            "an RTF file, not a .docx: save it as a Word document (.docx)", path=source
        )
    if not data.startswith(_ZIP_MAGIC):
        raise PolicyError("not a Word document (a .docx is a zip package)", path=source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PolicyError(f"damaged Word document: {exc}", path=source) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise PolicyError(f"a .docx of {len(entries)} files: not a Word document", path=source)
        if any(e.flag_bits & 0x1 for e in entries):
            raise PolicyError(
                "the Word document is encrypted: save a copy without a password", path=source
            )
        names = {e.filename.lower() for e in entries}
        if name.endswith((".docm", ".dotm")) or any(n.endswith("vbaproject.bin") for n in names):
            raise PolicyError(
                "a macro-enabled Word document (.docm): save it as a Word document (.docx) "
                "without macros",
                path=source,
            )
        declared = sum(e.file_size for e in entries)
        if declared > MAX_UNPACKED:
            raise PolicyError(_bomb(declared), path=source)
        unpacked = 0
        for entry in entries:
            try:
                with archive.open(entry) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED:
                            raise PolicyError(_bomb(unpacked, more=True), path=source)
            except (
                zipfile.BadZipFile,
                NotImplementedError,
                zlib.error,
                EOFError,
                ValueError,
            ) as exc:
                raise PolicyError(
                    f"damaged Word document: {entry.filename}: {exc}", path=source
                ) from None
            except RuntimeError as exc:  # an encrypted entry without its flag
                raise PolicyError(
                    f"damaged or encrypted Word document: {exc}", path=source
                ) from None


def _bomb(size: int, *, more: bool = False) -> str:
    shown = f"more than {MAX_UNPACKED >> 20} MiB" if more else f"{size >> 20} MiB"
    return (
        f"the Word document's parts expand to {shown} (at most {MAX_UNPACKED >> 20} MiB): "
        "refused as a zip bomb"
    )


def _open(data: bytes, source: str) -> Any:
    """The python-docx document of a checked package."""
    try:
        package = OpcPackage.open(io.BytesIO(data))
        part = package.main_document_part
        content_type = part.content_type
    except (KeyError, ValueError, AttributeError, IndexError, TypeError) as exc:
        raise PolicyError(f"damaged Word document: {_reason(exc)}", path=source) from None
    except (OpcError, etree.LxmlError, zipfile.BadZipFile) as exc:
        raise PolicyError(f"damaged Word document: {_reason(exc)}", path=source) from None
    if content_type == _MACRO_MAIN:
        raise PolicyError(
            "a macro-enabled Word document (.docm): save it as a Word document (.docx) without "
            "macros",
            path=source,
        )
    if content_type in _TEMPLATE_MAINS:
        raise PolicyError("a Word template: save it as a Word document (.docx)", path=source)
    if content_type != CT.WML_DOCUMENT_MAIN:
        raise PolicyError(f"not a Word document (its main part is {content_type})", path=source)
    document = part.document
    root = document.element
    if root.tag.startswith(f"{{{_STRICT_W}}}"):
        raise PolicyError(
            "a Strict Open XML document: save it as 'Word Document (*.docx)'", path=source
        )
    if root.find(_w("body")) is None:
        raise PolicyError("damaged Word document: it has no body", path=source)
    return document


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# -- the body ------------------------------------------------------------------------------------


@dataclass
class _Inline:
    """Text of a paragraph as Markdown, and as plain text (to tell whether it has any)."""

    markdown: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)

    def add(self, markdown: str, plain: str) -> None:
        self.markdown.append(markdown)
        self.plain.append(plain)

    def extend(self, other: _Inline) -> None:
        self.markdown += other.markdown
        self.plain += other.plain


@dataclass
class _Paragraph:
    inline: _Inline
    style: str | None
    num_id: str | None
    ilvl: int | None
    mark: Literal["inserted", "deleted"] | None
    in_table: bool = False


@dataclass
class _Table:
    rows: list[list[list[_Paragraph]]]


_Block = _Paragraph | _Table

_INLINE_ESCAPE = regex(r"([\\`*_\[\]<>&~|])")
_LINE_START = regex(r"^(#|[-+=]|\d{1,9}[.)](?=\s|$))")
_LIST_LABEL = regex(r"^\d{1,9}[.)]$")


def escape_inline(text: str) -> str:
    """Text that Markdown reads back as the same characters, wherever it stands in a line."""
    return _INLINE_ESCAPE.sub(r"\\\1", text)


class _Reader:
    """One pass over the body: blocks in reading order, then Markdown."""

    def __init__(self, document: Any, view: Revisions | None) -> None:
        self.document = document
        self.view = view
        self.styles = read_styles(self._styles_root())
        self.numbering = Numbering(self._part_root(RT.NUMBERING), self.styles)
        self.body = document.element.find(_w("body"))
        self.links: dict[str, str] = {}
        for rel_id, rel in document.part.rels.items():
            if rel.reltype == RT.HYPERLINK and rel.is_external:
                self.links[rel_id] = str(rel.target_ref)
        self.in_field: list[bool] = []  # complex fields open: True while in their instructions
        self.skipped: Counter[str] = Counter()

    def _part_root(self, reltype: str) -> Any:
        try:
            return self.document.part.part_related_by(reltype).element
        except (KeyError, AttributeError):
            return None

    def _styles_root(self) -> Any:
        return self._part_root(RT.STYLES)

    # -- what is pending ---------------------------------------------------------------------

    def count_revisions(self) -> Counter[str]:
        """Pending tracked changes of the body by kind (each revision mark counted once)."""
        seen: set[tuple[str, str]] = set()
        kinds: Counter[str] = Counter()
        for element in self.body.iter(*_INSERTS, *_DELETES):
            if any(
                a.tag in _PROPERTY_CHANGES or a.tag == _w("numPr") for a in element.iterancestors()
            ):
                continue  # a change of formatting or numbering, not of the text
            tag = etree.QName(element).localname
            key = (tag, element.get(_w("id")) or str(id(element)))
            if key in seen:
                continue
            seen.add(key)
            kind = "move" if tag.startswith("move") else "insertion" if tag == "ins" else "deletion"
            kinds[kind] += 1
        return kinds

    def warnings(self) -> Iterator[str]:
        root = self._part_root(RT.COMMENTS)
        comments = 0 if root is None else sum(1 for _ in root.iter(_w("comment")))
        if comments:
            yield f"{_count(comments, 'comment')} ignored (comments are not part of the text)"
        for kind, label in (
            ("footnote", "footnote"),
            ("endnote", "endnote"),
            ("textbox", "text box"),
        ):
            if self.skipped[kind]:
                yield f"{_count(self.skipped[kind], label)} not imported"
        if self._has_part(RT.HEADER) or self._has_part(RT.FOOTER):
            yield "page headers and footers not imported"

    def _has_part(self, reltype: str) -> bool:
        return any(rel.reltype == reltype for rel in self.document.part.rels.values())

    # -- reading -----------------------------------------------------------------------------

    def _shown(self, wrappers: Sequence[str]) -> bool:
        if self.view == "reject":
            return not any(w in _INSERTS for w in wrappers)
        return not any(w in _DELETES for w in wrappers)

    def blocks(self, container: Any, *, in_table: bool = False) -> list[_Block]:
        out: list[_Block] = []
        for child in container:
            tag = child.tag
            if tag == _P:
                out.append(self._paragraph(child, in_table))
            elif tag == _TBL:
                out.append(self._table(child))
            elif tag in (_w("sdt"),):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    out += self.blocks(content, in_table=in_table)
            elif tag in (_w("customXml"),) or tag in _INSERTS or tag in _DELETES:
                out += self.blocks(child, in_table=in_table)
        return out

    def _table(self, table: Any) -> _Table:
        rows: list[list[list[_Paragraph]]] = []
        for row in table.iter(_TR):
            if _nearest_table(row) is not table:
                continue
            marks = row.find(f"{_w('trPr')}")
            if marks is not None:
                if self.view == "accept" and any(m.tag in _DELETES for m in marks):
                    continue
                if self.view == "reject" and any(m.tag in _INSERTS for m in marks):
                    continue
            cells: list[list[_Paragraph]] = []
            for cell in row.iter(_TC):
                if _nearest_table(cell) is not table:
                    continue
                span = int_or_none(val(cell, f"{_w('tcPr')}/{_w('gridSpan')}")) or 1
                cells.append(list(self._flatten(self.blocks(cell, in_table=True))))
                cells.extend([] for _ in range(min(span, 64) - 1))
            rows.append(cells)
        return _Table(rows)

    def _flatten(self, blocks: Sequence[_Block]) -> Iterator[_Paragraph]:
        for block in blocks:
            if isinstance(block, _Paragraph):
                yield block
            else:
                for row in block.rows:
                    for cell in row:
                        yield from cell

    def _paragraph(self, p: Any, in_table: bool) -> _Paragraph:
        props = p.find(_w("pPr"))
        style = num_id = None
        ilvl = None
        mark: Literal["inserted", "deleted"] | None = None
        if props is not None:
            style = val(props, _w("pStyle"))
            num_id = val(props, f"{_w('numPr')}/{_w('numId')}")
            ilvl = int_or_none(val(props, f"{_w('numPr')}/{_w('ilvl')}"))
            run_props = props.find(_w("rPr"))
            if run_props is not None:
                for child in run_props:
                    if child.tag in _INSERTS:
                        mark = "inserted"
                    elif child.tag in _DELETES:
                        mark = "deleted"
        inline = _Inline()
        self._inline(p, (), inline)
        return _Paragraph(inline, style, num_id, ilvl, mark, in_table)

    def _inline(self, element: Any, wrappers: tuple[str, ...], out: _Inline) -> None:
        for child in element:
            tag = child.tag
            if tag == _R_RUN:
                self._run(child, wrappers, out)
            elif tag in _INSERTS or tag in _DELETES:
                self._inline(child, (*wrappers, tag), out)
            elif tag == _w("hyperlink"):
                self._link(child, wrappers, out)
            elif tag in _PASS_THROUGH:
                self._inline(child, wrappers, out)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self._inline(content, wrappers, out)
            elif tag == f"{{{_MC}}}AlternateContent":
                fallback = child.find(f"{{{_MC}}}Fallback")
                if fallback is not None:
                    self._inline(fallback, wrappers, out)

    def _link(self, link: Any, wrappers: tuple[str, ...], out: _Inline) -> None:
        inner = _Inline()
        self._inline(link, wrappers, inner)
        url = self.links.get(link.get(f"{{{_R}}}id") or "")
        if not "".join(inner.plain).strip():
            return  # nothing of the link is shown in this view (or it is only a picture)
        if not url:
            out.extend(inner)
            return
        target = re.sub(r"[<>\s]", lambda m: f"%{ord(m.group()):02X}", url)
        if not re.fullmatch(r"[^()\\]*", target):
            target = f"<{target}>"
        text = "".join(inner.markdown).replace("\n", " ")
        out.add(f"[{text}]({target})", "".join(inner.plain) or url)

    def _run(self, run: Any, wrappers: tuple[str, ...], out: _Inline) -> None:
        shown = self._shown(wrappers)
        props = run.find(_w("rPr"))
        hidden = props is not None and any(
            c.tag == _w("vanish") and c.get(_w("val")) not in ("0", "false", "off") for c in props
        )
        for child in run:
            tag = child.tag
            if tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.in_field.append(True)
                elif kind == "separate" and self.in_field:
                    self.in_field[-1] = False
                elif kind == "end" and self.in_field:
                    self.in_field.pop()
                continue
            if tag in (_w("footnoteReference"), _w("endnoteReference")):
                self.skipped["footnote" if "foot" in tag else "endnote"] += 1
                continue
            if tag in (_w("drawing"), _w("pict"), f"{{{_MC}}}AlternateContent"):
                if any(True for _ in child.iter(_w("txbxContent"))):
                    self.skipped["textbox"] += 1
                continue
            if not shown or hidden or (self.in_field and self.in_field[-1]):
                continue
            text = _run_text(child)
            if text:
                out.add(escape_inline(text) if text != "\n" else "\n", text)

    # -- Markdown ----------------------------------------------------------------------------

    def markdown(self) -> str:
        blocks = self._merge(self.blocks(self.body))
        heading_offset = (
            1 if any(self._title(b) for b in blocks if isinstance(b, _Paragraph)) else 0
        )
        lines: list[str] = []
        stack: list[tuple[int, int]] = []  # open list items: (level, indent of their content)
        for block in blocks:
            if isinstance(block, _Table):
                stack.clear()
                table = self._table_markdown(block)
                if table:
                    lines += [table, ""]
                continue
            text, kind, level, marker = self._paragraph_markdown(block, heading_offset)
            if not text:
                continue
            if kind != "item":
                stack.clear()
                lines += [text, ""]
                continue
            if stack and lines and not lines[-1]:
                lines.pop()  # consecutive items make one tight list
            while stack and stack[-1][0] >= level:
                stack.pop()
            indent = stack[-1][1] if stack else 0
            pad = " " * indent
            inner = " " * (indent + len(marker) + 1)
            first, *rest = text.split("\n")
            lines.append(f"{pad}{marker} {first}")
            lines += [f"{inner}{line}" for line in rest]
            lines.append("")
            stack.append((level, indent + len(marker) + 1))
        return "\n".join(lines).rstrip("\n") + "\n" if lines else ""

    def _merge(self, blocks: list[_Block]) -> list[_Block]:
        """Join the paragraphs whose mark goes away in the chosen view to the next paragraph
        (which keeps its own properties, as the surviving mark's)."""
        if self.view is None:
            return blocks
        gone = "deleted" if self.view == "accept" else "inserted"
        out: list[_Block] = []
        carry: _Inline | None = None
        for k, block in enumerate(blocks):
            if isinstance(block, _Table):
                if carry is not None:
                    out.append(_Paragraph(carry, None, None, None, None))
                    carry = None
                for row in block.rows:
                    for c, cell in enumerate(row):
                        row[c] = [p for p in self._merge(list(cell)) if isinstance(p, _Paragraph)]
                out.append(block)
                continue
            if carry is not None:
                joined = _Inline()
                joined.extend(carry)
                joined.extend(block.inline)
                block = _Paragraph(
                    joined, block.style, block.num_id, block.ilvl, block.mark, block.in_table
                )
                carry = None
            if block.mark == gone and k + 1 < len(blocks):
                carry = block.inline
                continue
            out.append(block)
        if carry is not None:
            out.append(_Paragraph(carry, None, None, None, None))
        return out

    def _style_chain(self, style_id: str | None) -> Iterator[Style]:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _title(self, block: _Paragraph) -> bool:
        return any(s.name == "title" for s in self._style_chain(block.style))

    def _heading_level(self, block: _Paragraph) -> int | None:
        for style in self._style_chain(block.style):
            match = re.fullmatch(r"heading ([1-9])", style.name)
            if match:
                return int(match.group(1))
            if style.name == "title":
                return 0
            if style.outline is not None and 0 <= style.outline < 9:
                return style.outline + 1
        return None

    def _numbering_of(self, block: _Paragraph) -> tuple[str, int] | None:
        num_id, ilvl = block.num_id, block.ilvl
        if num_id is None:
            for style in self._style_chain(block.style):
                if style.num_id is not None:
                    num_id = style.num_id
                    if ilvl is None:
                        ilvl = style.ilvl
                    break
            if num_id is not None and ilvl is None:
                ilvl = self.numbering.level_of_style(num_id, block.style)
        if num_id is None or num_id == "0":
            return None
        return num_id, ilvl or 0

    def _paragraph_markdown(
        self, block: _Paragraph, heading_offset: int
    ) -> tuple[str, str, int, str]:
        """(Markdown, kind, list level, list marker) of one paragraph; kind is ``heading``,
        ``item`` (a Markdown list item) or ``paragraph``."""
        numbering = self._numbering_of(block)
        label, bullet = "", False
        if numbering is not None:
            counted = self.numbering.label(*numbering)
            if counted is not None:
                label, bullet = counted
        text = "".join(block.inline.markdown)
        if not "".join(block.inline.plain).strip():
            return "", "paragraph", 0, ""
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        heading = None if block.in_table else self._heading_level(block)
        if heading is not None:
            level = min(max(heading + heading_offset, 1), 6)
            title = " ".join(lines)
            if label:
                title = f"{escape_inline(label)} {title}"
            return f"{'#' * level} {title}", "heading", 0, ""
        lines = [
            _escape_line_start(line) if k or label or bullet else line
            for k, line in enumerate(lines)
        ]
        if lines and not label and not bullet and re.match(r"^(#|[-+=])|\d{1,9}[.)]$", lines[0]):
            # a typed number stays a Markdown list marker, unless nothing follows it
            lines[0] = _escape_line_start(lines[0])
        level = numbering[1] if numbering else 0
        if bullet:
            return "\n".join(lines), "item", level, "-"
        if label and _LIST_LABEL.match(label):
            return "\n".join(lines), "item", level, label
        if label:
            lines[0] = f"{_escape_line_start(escape_inline(label))} {lines[0]}"
        return "\n".join(lines), "paragraph", 0, ""

    def _table_markdown(self, table: _Table) -> str:
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            for cell in row:
                parts = []
                for paragraph in cell:
                    text, _kind, _level, marker = self._paragraph_markdown(paragraph, 0)
                    if text:
                        parts.append(f"{marker} {text}" if marker and marker != "-" else text)
                cells.append("<br>".join(p.replace("\n", "<br>") for p in parts))
            rows.append(cells)
        rows = [r for r in rows if r]
        if not rows or not any(any(c.strip() for c in r) for r in rows):
            return ""
        width = max(len(r) for r in rows)
        lines = []
        for k, texts in enumerate(rows):
            padded = texts + [""] * (width - len(texts))
            lines.append("| " + " | ".join(padded) + " |")
            if k == 0:
                lines.append("|" + "---|" * width)
        return "\n".join(lines)


def _nearest_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _escape_line_start(line: str) -> str:
    """A line that Markdown would read as a heading, a list item, a rule or a setext underline
    written so that it reads as text (``\\#``, ``\\-``, ``1\\.``: a backslash escapes only
    punctuation, so a number keeps its digits and loses its list-marker role at the dot)."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    marker = match.group(1)
    if marker[0].isdigit():
        return f"{marker[:-1]}\\{line[len(marker) - 1 :]}"
    return "\\" + line


def _run_text(element: Any) -> str:
    """The text one child of a run contributes."""
    tag = element.tag
    if tag in (_T, _w("delText")):
        return str(element.text or "")
    if tag in (_w("tab"), _w("ptab")):
        return " "
    if tag in (_w("br"), _w("cr")):
        return "\n"
    if tag == _w("noBreakHyphen"):
        return "-"
    if tag == _w("sym"):
        code = element.get(_w("char")) or ""
        try:
            value = int(code, 16)
        except ValueError:
            return ""
        return chr(value) if 0x20 <= value < 0xE000 or 0xF900 <= value < 0x110000 else ""
    return ""
