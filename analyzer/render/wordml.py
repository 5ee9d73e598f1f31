"""WordprocessingML written with the standard library: paragraphs with tracked changes as
``word/document.xml``, and the package around it (content types, relationships, styles, bullet
numbering, settings, document properties) zipped with fixed timestamps and order, so that the
same paragraphs give the same bytes.

The paragraphs (:class:`Paragraph` of :class:`Run`) say for every run and paragraph mark
whether it is in both versions, deleted, inserted or moved (:data:`Status`); every revision is
by :data:`AUTHOR` on one date. :mod:`analyzer.render.word` decides what they hold.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from analyzer.text.compiled import regex

__all__ = ["AUTHOR", "Paragraph", "Run", "Status", "document_xml", "package", "xml_text"]

AUTHOR = "policy-analyzer"
"""The author of every tracked change in a redline."""

Status = Literal["=", "-", "+", "<", ">"]
"""A run or paragraph mark: in both versions (``=``), only in the old one (``-``: deleted), only in
the new one (``+``: inserted); a run of a moved clause's words where it stood (``<``) or where it
stands (``>``)."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = regex("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INDENT = 360
"""Twips of indentation per level of a clause's depth (a quarter inch)."""
_MAX_INDENT_DEPTH = 8


@dataclass
class Run:
    status: Status
    text: str
    bold: bool = False


@dataclass
class Paragraph:
    """One paragraph of the document before it is written as XML."""

    runs: list[Run] = field(default_factory=list)
    mark: Status = "="
    """Whether the paragraph mark is in both versions, deleted or inserted: a deleted mark joins
    the paragraph to the next one when the deletion is accepted."""
    depth: int = 0
    move: str | None = None
    """The name of the move this paragraph belongs to (its moved words are moves)."""
    moved_to: bool = False
    """The paragraph is where a moved clause went (else where it stood, when ``move`` is set)."""
    range_start: bool = False
    range_end: bool = False
    style: str | None = None
    keep_next: bool = False
    page_break: bool = False


# -- XML -----------------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text escaped for XML, with what XML 1.0 cannot hold written out as ``⟨U+XXXX⟩``."""
    text = _NOT_XML.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_RUN_TAGS = {"-": "w:del", "+": "w:ins", "<": "w:moveFrom", ">": "w:moveTo"}


class _Writer:
    """Paragraphs -> ``word/document.xml``, numbering every revision."""

    def __init__(self, date: str | None) -> None:
        self.next_id = 0
        self.stamp = f' w:author="{AUTHOR}"' + (f' w:date="{date}"' if date else "")
        self.ranges: dict[tuple[str, str], int] = {}

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def paragraph(self, para: Paragraph) -> str:
        props = []
        if para.style:
            props.append(f'<w:pStyle w:val="{para.style}"/>')
        if para.keep_next:
            props.append("<w:keepNext/>")
        if para.depth and para.style is None:
            indent = _INDENT * min(para.depth, _MAX_INDENT_DEPTH)
            props.append(f'<w:ind w:left="{indent}"/>')
        if para.mark != "=":
            # a paragraph mark is inserted or deleted even in a move: LibreOffice does not
            # always take a mark marked as moved away when the move is accepted
            tag = "w:ins" if para.mark == "+" else "w:del"
            props.append(f'<w:rPr><{tag} w:id="{self._id()}"{self.stamp}/></w:rPr>')
        out = ["<w:p>"]
        if props:
            out.append(f"<w:pPr>{''.join(props)}</w:pPr>")
        side = "moveTo" if para.moved_to else "moveFrom"
        if para.move is not None and para.range_start:
            range_id = self._id()
            self.ranges[(side, para.move)] = range_id
            out.append(f'<w:{side}RangeStart w:id="{range_id}"{self.stamp} w:name="{para.move}"/>')
        for run in para.runs:
            out.append(self._run(run))
        if para.page_break:
            out.append('<w:r><w:br w:type="page"/></w:r>')
        if para.move is not None and para.range_end:
            out.append(f'<w:{side}RangeEnd w:id="{self.ranges[(side, para.move)]}"/>')
        out.append("</w:p>")
        return "".join(out)

    def _run(self, run: Run) -> str:
        tag = "w:delText" if run.status == "-" else "w:t"
        body = []
        for k, line in enumerate(run.text.split("\n")):
            if k:
                body.append("<w:br/>")
            for j, chunk in enumerate(line.split("\t")):
                if j:
                    body.append("<w:tab/>")
                if chunk:
                    body.append(f'<{tag} xml:space="preserve">{xml_text(chunk)}</{tag}>')
        props = "<w:rPr><w:b/></w:rPr>" if run.bold else ""
        xml = f"<w:r>{props}{''.join(body)}</w:r>"
        if run.status == "=":
            return xml
        tag = _RUN_TAGS[run.status]
        return f'<{tag} w:id="{self._id()}"{self.stamp}>{xml}</{tag}>'

    def document(self, paras: Iterable[Paragraph]) -> str:
        body = "\n".join(self.paragraph(p) for p in paras)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>\n{body}\n'
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" '
            'w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
            "</w:sectPr></w:body></w:document>\n"
        )


# -- the package ---------------------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>\
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>
"""

_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
</Relationships>
"""

_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>\
</Relationships>
"""

_NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:numbering xmlns:w="{_W}"><w:abstractNum w:abstractNumId="0">'
    '<w:multiLevelType w:val="hybridMultilevel"/>'
    + "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="{mark}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{360 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for level, mark in enumerate("•◦▪")
    )
    + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>\n'
)
"""Bullets for the lists of the first page and of notices."""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>policy-analyzer</Application></Properties>
"""


def _style(
    style_id: str, name: str, extra: str = "", *, run: str = "", based: str = "Normal"
) -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/><w:next w:val="Normal"/><w:qFormat/>'
        f"<w:pPr>{extra}</w:pPr><w:rPr>{run}</w:rPr></w:style>"
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="Noto Sans CJK SC" '
    'w:cs="Liberation Sans"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/>'
    "</w:rPr></w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    + _style("Title", "Title", '<w:spacing w:after="240"/>', run='<w:b/><w:sz w:val="36"/>')
    + _style(
        "Heading1",
        "heading 1",
        '<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>',
        run='<w:b/><w:sz w:val="28"/>',
    )
    + _style(
        "Heading2",
        "heading 2",
        '<w:keepNext/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="1"/>',
        run='<w:b/><w:sz w:val="24"/>',
    )
    + _style(
        "Heading3",
        "heading 3",
        '<w:keepNext/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/>',
        run="<w:b/>",
    )
    + _style(
        "ListBullet",
        "List Bullet",
        '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        '<w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>',
    )
    + _style(
        "ListBullet2",
        "List Bullet 2",
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
        '<w:spacing w:after="60"/><w:ind w:left="720" w:hanging="360"/>',
    )
    + "</w:styles>\n"
)


def _settings(track: bool) -> str:
    # keep tracking on in a redline: what a reviewer edits next is a revision too
    tracking = "<w:trackRevisions/>" if track else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{_W}">{tracking}<w:defaultTabStop w:val="720"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>\n"
    )


def _core(title: str, date: str | None) -> str:
    stamp = ""
    if date:
        stamp = (
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{AUTHOR}</dc:creator>"
        f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>{stamp}</cp:coreProperties>\n"
    )


def package(document: str, *, title: str, date: str | None, track: bool) -> bytes:
    """The .docx package of ``document`` (``word/document.xml``): ``track`` keeps tracking on
    for whoever edits it next."""
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _PACKAGE_RELS),
        ("docProps/core.xml", _core(title, date)),
        ("docProps/app.xml", _APP),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("word/numbering.xml", _NUMBERING),
        ("word/settings.xml", _settings(track)),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return buffer.getvalue()


def document_xml(paras: Iterable[Paragraph], date: str | None) -> str:
    """``word/document.xml`` of the paragraphs, every revision dated ``date`` (or undated)."""
    return _Writer(date).document(paras)
