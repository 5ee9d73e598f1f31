"""Word documents built in code for the tests: python-docx for what it can say (styles,
paragraphs, tables, comments), raw WordprocessingML where it cannot (list numbering
definitions, tracked changes).

:class:`WordDraft` builds one document; :func:`numbered_policy` is the example policy every
docx test starts from, with :data:`NUMBERED_POLICY_MARKDOWN`, the same text written by hand in
Markdown (what an editor would type).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REVIEWER = 'w:author="A. Reviewer" w:date="2026-01-15T10:00:00Z"'


class WordDraft:
    """A .docx under construction."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self._numbering = self.document.part.numbering_part.element
        self._next_abstract = 100
        self._next_num = 100
        self._next_revision = 1000

    # -- numbering ---------------------------------------------------------------------------

    def define_list(
        self,
        levels: Sequence[tuple[str, str]],
        *,
        start: int = 1,
        style_levels: dict[int, str] | None = None,
    ) -> int:
        """A list numbering definition: one ``(numFmt, lvlText)`` per level (``("decimal",
        "%1.%2.")``); returns its ``numId``. ``style_levels`` links levels to paragraph styles
        (``{0: "Heading1"}``), as Word's multilevel heading numbering does."""
        abstract_id, num_id = self._next_abstract, self._next_num
        self._next_abstract += 1
        self._next_num += 1
        lvls = []
        for k, (fmt, text) in enumerate(levels):
            style = (style_levels or {}).get(k)
            lvls.append(
                f'<w:lvl w:ilvl="{k}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
                + (f'<w:pStyle w:val="{style}"/>' if style else "")
                + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{360 * (k + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            )
        abstract = parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>'
        )
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # abstract definitions come before the lists
        else:
            self._numbering.append(abstract)
        self._numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )
        return num_id

    def restart_list(self, num_id: int, *, level: int = 0, start: int = 1) -> int:
        """A new list on the definition of ``num_id`` that starts again (Word's "Restart
        numbering"); returns its ``numId``."""
        abstract = None
        for num in self._numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == str(num_id):
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        assert abstract is not None
        new_id = self._next_num
        self._next_num += 1
        self._numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
                f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/>'
                "</w:lvlOverride></w:num>"
            )
        )
        return new_id

    @staticmethod
    def number(paragraph: Paragraph, num_id: int, level: int = 0) -> Paragraph:
        """Put ``paragraph`` in list ``num_id`` at ``level`` (0-based)."""
        props = paragraph._p.get_or_add_pPr()
        props.insert_element_before(
            parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/>'
                f'<w:numId w:val="{num_id}"/></w:numPr>'
            ),
            "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
            "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange",
        )  # fmt: skip
        return paragraph

    def number_style(self, style: str, num_id: int, *, level: int | None = None) -> None:
        """Attach list ``num_id`` to a paragraph style, as Word's multilevel heading numbering
        does; without ``level`` the list's level that names the style is used."""
        element = self.document.styles[style].element
        props = element.get_or_add_pPr()
        ilvl = f'<w:ilvl w:val="{level}"/>' if level is not None else ""
        props.insert(
            0, parse_xml(f'<w:numPr xmlns:w="{W_NS}">{ilvl}<w:numId w:val="{num_id}"/></w:numPr>')
        )

    # -- content -----------------------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        number: tuple[int, int] | None = None,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph(text, style=style)
        if number is not None:
            self.number(paragraph, *number)
        return paragraph

    def heading(self, text: str, level: int, *, number: tuple[int, int] | None = None) -> Paragraph:
        return self.paragraph(
            text, style="Title" if level == 0 else f"Heading {level}", number=number
        )

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text

    def link(self, paragraph: Paragraph, text: str, url: str) -> None:
        rel_id = self.document.part.relate_to(
            url,
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        paragraph._p.append(
            parse_xml(
                f'<w:hyperlink xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships" r:id="{rel_id}"><w:r>'
                f'<w:t xml:space="preserve">{text}</w:t></w:r></w:hyperlink>'
            )
        )

    # -- tracked changes and comments ----------------------------------------------------------

    def _revision_id(self) -> int:
        self._next_revision += 1
        return self._next_revision

    def _place(self, paragraph: Paragraph, element: object, at: int | None) -> None:
        """Put a revision element at character ``at`` of the paragraph's text (its end when
        None), splitting the run it falls in."""
        if at is None:
            paragraph._p.append(element)
            return
        seen = 0
        for run in paragraph.runs:
            text = run.text
            if seen + len(text) >= at:
                head, tail = text[: at - seen], text[at - seen :]
                run.text = head
                run._r.addnext(element)
                if tail:
                    rest = parse_xml(
                        f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">{tail}</w:t></w:r>'
                    )
                    element.addnext(rest)  # type: ignore[attr-defined]
                return
            seen += len(text)
        raise ValueError(f"no character {at} in the paragraph")

    def insert(self, paragraph: Paragraph, text: str, *, at: int | None = None) -> None:
        """A pending insertion of ``text`` at character ``at`` of ``paragraph`` (its end)."""
        element = parse_xml(
            f'<w:ins xmlns:w="{W_NS}" w:id="{self._revision_id()}" {REVIEWER}><w:r>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
        )
        self._place(paragraph, element, at)

    def delete(self, paragraph: Paragraph, text: str, *, at: int | None = None) -> None:
        """A pending deletion of ``text`` (which the paragraph does not show any more) at
        character ``at`` of ``paragraph`` (its end)."""
        element = parse_xml(
            f'<w:del xmlns:w="{W_NS}" w:id="{self._revision_id()}" {REVIEWER}><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
        )
        self._place(paragraph, element, at)

    def inserted_paragraph(self, text: str) -> Paragraph:
        """A whole paragraph inserted as a pending change (its mark included)."""
        paragraph = self.paragraph()
        props = paragraph._p.get_or_add_pPr()
        props.append(
            parse_xml(
                f'<w:rPr xmlns:w="{W_NS}"><w:ins w:id="{self._revision_id()}" {REVIEWER}/></w:rPr>'
            )
        )
        self.insert(paragraph, text)
        return paragraph

    def comment(self, paragraph: Paragraph, text: str) -> None:
        self.document.add_comment(paragraph.runs, text=text, author="A. Reviewer", initials="AR")

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# -- the example policy --------------------------------------------------------------------------

NUMBERED_POLICY_MARKDOWN = """\
# Example privacy policy

Effective date: 1 March 2026.

## 1. Scope

1.1. This policy applies to the Example website.

1.2. It does not apply to services of third parties:

- services of partners;
- services of advertisers.

## 2. What we collect

2.1. Account information

2.1.1. When you register, we collect your name and e-mail address.

2.1.2. We may collect your phone number to secure your account.

| Category | Purpose |
|---|---|
| Contact data | Support |
| Device data | Security |

2.2. We use cookies as the [cookie notice](https://example.com/cookies) explains.

## 3. Your rights

3.1. You may ask for a copy of your information:

(a) by e-mail to privacy@example.com;

(b) by post.

3.2. You may ask us to delete your information (a typed number).
"""
"""The same policy typed in Markdown by an editor."""


def numbered_policy() -> tuple[WordDraft, dict[str, Paragraph]]:
    """The example policy in Word with automatic multi-level numbering (headings on level 1,
    clauses on levels 2 and 3, lettered items on level 4), a bulleted list, a table, a link and
    one typed number; with the paragraphs a test may want to revise, by name."""
    draft = WordDraft()
    clauses = draft.define_list(
        [
            ("decimal", "%1."),
            ("decimal", "%1.%2."),
            ("decimal", "%1.%2.%3."),
            ("lowerLetter", "(%4)"),
        ]
    )
    named: dict[str, Paragraph] = {}
    draft.heading("Example privacy policy", 0)
    draft.paragraph("Effective date: 1 March 2026.")
    draft.heading("Scope", 1, number=(clauses, 0))
    named["1.1"] = draft.paragraph(
        "This policy applies to the Example website.", number=(clauses, 1)
    )
    draft.paragraph("It does not apply to services of third parties:", number=(clauses, 1))
    draft.paragraph("services of partners;", style="List Bullet")
    draft.paragraph("services of advertisers.", style="List Bullet")
    draft.heading("What we collect", 1, number=(clauses, 0))
    draft.paragraph("Account information", number=(clauses, 1))
    draft.paragraph(
        "When you register, we collect your name and e-mail address.", number=(clauses, 2)
    )
    named["2.1.2"] = draft.paragraph(
        "We may collect your phone number to secure your account.", number=(clauses, 2)
    )
    draft.table([("Category", "Purpose"), ("Contact data", "Support"), ("Device data", "Security")])
    cookies = draft.paragraph("We use cookies as the ", number=(clauses, 1))
    draft.link(cookies, "cookie notice", "https://example.com/cookies")
    cookies.add_run(" explains.")
    draft.heading("Your rights", 1, number=(clauses, 0))
    named["3.1"] = draft.paragraph(
        "You may ask for a copy of your information:", number=(clauses, 1)
    )
    draft.paragraph("by e-mail to privacy@example.com;", number=(clauses, 3))
    draft.paragraph("by post.", number=(clauses, 3))
    draft.paragraph("3.2. You may ask us to delete your information (a typed number).")
    return draft, named


# -- files that are not plain .docx ------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def old_binary_doc() -> bytes:
    """The start of a Word 97-2003 .doc: an OLE compound file holding a WordDocument stream."""
    return OLE_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 2048


def encrypted_docx() -> bytes:
    """A password-protected .docx: Office wraps the encrypted package in an OLE compound file."""
    return (
        OLE_MAGIC
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x17" * 4096
    )


def rewrite(
    data: bytes, changes: dict[str, bytes | None], *, extra: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """A copy of a .docx package with parts replaced (None drops one) and parts added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in changes:
                replacement = changes[info.filename]
                if replacement is not None:
                    target.writestr(info.filename, replacement)
                continue
            target.writestr(info, source.read(info.filename))
        for name, blob in extra:
            target.writestr(name, blob)
    return out.getvalue()


def _main_part_as(data: bytes, content_type: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        content_type,
    )
    return rewrite(data, {"[Content_Types].xml": types})


def macro_enabled(data: bytes) -> bytes:
    """The document saved as .docm: a macro-enabled main part and a VBA project."""
    docm = _main_part_as(data, b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return rewrite(docm, {}, extra=[("word/vbaProject.bin", b"\xcc" * 512)])


def template(data: bytes) -> bytes:
    """The document saved as a Word template (.dotx)."""
    return _main_part_as(
        data, b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    )


def zip_bomb(data: bytes, size: int) -> bytes:
    """The document with one more part of ``size`` zero bytes (a few hundred KB compressed)."""
    return rewrite(data, {}, extra=[("word/media/filler.bin", b"\x00" * size)])


def lying_zip_bomb(data: bytes, size: int) -> bytes:
    """A part that says it holds 1 KB but expands to ``size`` bytes (its sizes in the zip
    headers are rewritten): a reader that trusts the declared sizes lets it through."""
    bomb = zip_bomb(data, size)
    blob = bytearray(bomb)
    name = b"word/media/filler.bin"
    small = (1024).to_bytes(4, "little")
    real = size.to_bytes(4, "little")
    start = 0
    while (at := blob.find(name, start)) >= 0:
        # local header: size fields end 4 bytes before the name length; central header likewise
        for offset in (at - 30 + 22, at - 46 + 24):
            if blob[offset : offset + 4] == real:
                blob[offset : offset + 4] = small
        start = at + 1
    return bytes(blob)
