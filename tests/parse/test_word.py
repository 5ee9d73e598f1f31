"""Reading Word documents (.docx) as versions: numbering, structure, tracked changes, comments
and files that are not plain .docx."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import PolicyError
from analyzer.model import ClauseTree, Document
from analyzer.parse.ingest import is_word
from analyzer.parse.lost import lost_text
from analyzer.parse.tree import parse
from analyzer.parse.word import MAX_UNPACKED, read_word
from analyzer.parse.word_numbering import format_number
from tests.helpers.word_documents import (
    NUMBERED_POLICY_MARKDOWN,
    WordDraft,
    encrypted_docx,
    lying_zip_bomb,
    macro_enabled,
    numbered_policy,
    old_binary_doc,
    rewrite,
    template,
    zip_bomb,
)


def tree_of(markdown: str) -> ClauseTree:
    return parse(Document(source="policy", text=markdown, format="markdown"))


def shape(tree: ClauseTree) -> list[tuple[object, ...]]:
    """What a reader of the tree sees of each clause (not where it sits in the file)."""
    return [
        (c.id, c.label, c.number, c.heading, c.text, c.parent, c.depth, c.kind, c.address)
        for c in tree.clauses
    ]


def test_automatic_numbering_gives_the_tree_of_the_same_text_typed_in_markdown() -> None:
    draft, _ = numbered_policy()
    read = read_word(draft.to_bytes(), "policy.docx")
    tree = tree_of(read.markdown)
    assert shape(tree) == shape(tree_of(NUMBERED_POLICY_MARKDOWN))
    by_id = tree.by_id()
    # Word's numbers are the clause labels: "2.1.2" in Word is clause 2.1.2 here
    assert by_id["s2.1.2"].label == "2.1.2."
    assert by_id["s2.1.2"].text.startswith("We may collect your phone number")
    assert by_id["s2.1"].heading == "Account information"
    assert by_id["s3.1(b)"].parent == "s3.1"
    assert by_id["s3.2"].label == "3.2."  # typed, not automatic
    assert [c.text for c in tree.clauses if c.kind in ("table", "item") and "|" in c.text] == [
        "Category | Purpose",
        "Contact data | Support",
        "Device data | Security",
    ]
    assert "cookie notice (https://example.com/cookies)" in by_id["s2.2"].text
    assert tree.warnings == ()
    assert lost_text(Document("policy", read.markdown, "markdown"), tree) is None


def test_front_matter_fields_name_the_source_file() -> None:
    draft, _ = numbered_policy()
    draft.document.core_properties.title = "Example  privacy\npolicy"
    data = draft.to_bytes()
    read = read_word(data, "policy.docx")
    import hashlib

    assert read.meta == {
        "title": "Example privacy policy",
        "source_sha256": hashlib.sha256(data).hexdigest(),
    }


def test_numbering_attached_to_heading_styles_and_restarted_lists() -> None:
    draft = WordDraft()
    headings = draft.define_list(
        [("decimal", "%1"), ("decimal", "%1.%2")], style_levels={0: "Heading1", 1: "Heading2"}
    )
    draft.number_style("Heading 1", headings)
    draft.number_style("Heading 2", headings)
    steps = draft.define_list([("upperRoman", "%1."), ("lowerLetter", "%2)")])
    draft.heading("Introduction", 1)
    draft.heading("Purpose", 2)
    draft.paragraph("First step", number=(steps, 0))
    draft.paragraph("its detail", number=(steps, 1))
    draft.paragraph("Second step", number=(steps, 0))
    draft.paragraph("its detail", number=(steps, 1))  # restarts at a) under II.
    draft.heading("Rights", 1)
    draft.heading("Access", 2)
    draft.paragraph("A list that goes on", number=(steps, 0))  # III.: the list continues
    again = draft.restart_list(steps)
    draft.paragraph("A list started again", number=(again, 0))
    draft.paragraph("No numbering here", number=(0, 0))  # numId 0 switches numbering off
    markdown = read_word(draft.to_bytes(), "x.docx").markdown
    assert markdown.split("\n\n") == [
        "# 1 Introduction",
        "## 1.1 Purpose",
        "I. First step",
        "a) its detail",
        "II. Second step",
        "a) its detail",
        "# 2 Rights",
        "## 2.1 Access",
        "III. A list that goes on",
        "I. A list started again",
        "No numbering here\n",
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (4, "decimal", "4"),
        (4, "decimalZero", "04"),
        (14, "upperRoman", "XIV"),
        (9, "lowerRoman", "ix"),
        (3, "lowerLetter", "c"),
        (28, "upperLetter", "BB"),
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (12, "decimalFullWidth", "１２"),
        (2, "ordinal", "2nd"),
        (7, "someFutureFormat", "7"),
    ],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_chinese_numbering_reads_as_sections_and_items() -> None:
    draft = WordDraft()
    chapters = draft.define_list([("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    draft.paragraph("我们如何收集您的信息", number=(chapters, 0))
    draft.paragraph("您提供的信息。", number=(chapters, 1))
    draft.paragraph("我们主动收集的信息。", number=(chapters, 1))
    draft.paragraph("我们如何使用您的信息", number=(chapters, 0))
    tree = tree_of(read_word(draft.to_bytes(), "x.docx").markdown)
    assert [(c.label, c.number) for c in tree.clauses] == [
        ("一、", (1,)),
        ("（一）", (1, 1)),
        ("（二）", (1, 2)),
        ("二、", (2,)),
    ]


def revised_policy() -> bytes:
    """The example policy with a reviewer's pending changes and a comment."""
    draft, named = numbered_policy()
    draft.insert(
        named["1.1"], " and its apps", at=len("This policy applies to the Example website")
    )
    draft.delete(named["2.1.2"], " We may also use it to recover your account.")
    draft.comment(named["3.1"], "Is post still an option?")
    return draft.to_bytes()


def test_pending_tracked_changes_are_refused_naming_how_many() -> None:
    with pytest.raises(PolicyError) as caught:
        read_word(revised_policy(), "draft.docx")
    message = caught.value.one_line()
    assert message.startswith("draft.docx: 2 pending tracked changes (1 insertion, 1 deletion)")
    assert "--revisions accept|reject" in message
    assert "\n" not in str(caught.value)


def test_revisions_accept_and_reject_read_either_view() -> None:
    data = revised_policy()
    accepted = read_word(data, "draft.docx", revisions="accept")
    rejected = read_word(data, "draft.docx", revisions="reject")
    new = tree_of(accepted.markdown).by_id()
    old = tree_of(rejected.markdown).by_id()
    assert new["s1.1"].text == "This policy applies to the Example website and its apps."
    assert old["s1.1"].text == "This policy applies to the Example website."
    assert new["s2.1.2"].text == "We may collect your phone number to secure your account."
    assert old["s2.1.2"].text == (
        "We may collect your phone number to secure your account. "
        "We may also use it to recover your account."
    )
    assert accepted.warnings == (
        "2 tracked changes accepted (--revisions accept)",
        "1 comment ignored (comments are not part of the text)",
    )
    assert rejected.warnings[0] == "2 tracked changes rejected (--revisions reject)"
    assert "Is post still" not in accepted.markdown


def test_inserted_and_deleted_paragraphs_follow_the_view() -> None:
    draft, _ = numbered_policy()
    draft.inserted_paragraph("A clause a reviewer added.")
    data = draft.to_bytes()
    assert "A clause a reviewer added." in read_word(data, "x", revisions="accept").markdown
    rejected = read_word(data, "x", revisions="reject").markdown
    assert "reviewer added" not in rejected
    assert rejected == NUMBERED_POLICY_MARKDOWN


def test_a_document_without_revisions_reads_the_same_in_every_view() -> None:
    draft, _ = numbered_policy()
    data = draft.to_bytes()
    plain = read_word(data, "x").markdown
    assert read_word(data, "x", revisions="accept").markdown == plain
    assert read_word(data, "x", revisions="reject").markdown == plain


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("old.doc", lambda base: old_binary_doc(), "an old binary Word document (.doc)"),
        ("secret.docx", lambda base: encrypted_docx(), "encrypted (password-protected)"),
        ("macros.docm", macro_enabled, "a macro-enabled Word document (.docm)"),
        ("renamed.docx", macro_enabled, "a macro-enabled Word document (.docm)"),
        ("form.docx", template, "a Word template"),
        ("cut.docx", lambda base: base[: len(base) // 2], "damaged Word document"),
        ("empty.docx", lambda base: b"", "not a Word document"),
        ("text.docx", lambda base: b"1. Just text\n", "not a Word document"),
        (
            "nobody.docx",
            lambda base: rewrite(base, {"word/document.xml": None}),
            "damaged Word document",
        ),
        (
            "badxml.docx",
            lambda base: rewrite(base, {"word/document.xml": b"<w:document><w:body>"}),
            "damaged Word document",
        ),
        ("bomb.docx", lambda base: zip_bomb(base, MAX_UNPACKED + 1), "refused as a zip bomb"),
        (
            "liar.docx",
            lambda base: lying_zip_bomb(base, MAX_UNPACKED + (1 << 20)),
            "damaged Word document: word/media/filler.bin: Bad CRC-32",
        ),
    ],
)
def test_files_that_are_not_plain_docx_are_refused_in_one_line(
    name: str, make: object, reason: str
) -> None:
    draft, _ = numbered_policy()
    data = make(draft.to_bytes())  # type: ignore[operator]
    with pytest.raises(PolicyError) as caught:
        read_word(data, name)
    message = caught.value.one_line()
    assert message.startswith(f"{name}: ")
    assert reason in message
    assert len(message) < 300


def test_a_zip_bomb_is_refused_without_being_expanded() -> None:
    """Parts are decompressed in small chunks and counted: a part that says it holds 1 KB but
    expands to more than the limit, or one that really is that big, is refused while the
    memory in use stays small (a zip reader asked for a whole part would expand all of it)."""
    import tracemalloc

    draft, _ = numbered_policy()
    base = draft.to_bytes()
    liar = lying_zip_bomb(base, MAX_UNPACKED + (1 << 20))
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert sum(e.file_size for e in archive.infolist()) < MAX_UNPACKED
    honest = zip_bomb(base, MAX_UNPACKED + 1)
    for data in (liar, honest):
        tracemalloc.start()
        try:
            with pytest.raises(PolicyError):
                read_word(data, "bomb.docx")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 8 * len(data) + (4 << 20)


def test_word_files_are_recognised_by_name_or_by_their_first_bytes() -> None:
    assert is_word("Draft.DOCX", b"")
    assert is_word("draft", b"PK\x03\x04rest")
    assert is_word("draft.bin", old_binary_doc())
    assert not is_word("policy.md", b"# Policy\n")


_TEXT = st.text(
    alphabet=st.sampled_from([*"abc XYZ 019.,;:()[]{}<>&*_`~|#+-=!\\/'\"@%$^\n", "é", "中", "»"]),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_every_character_of_a_paragraph_survives_the_markdown(texts: list[str]) -> None:
    """Markdown's own characters in the Word text are escaped, at the start of a line too (a
    line break in a paragraph starts one): the parsed text is the text."""
    draft = WordDraft()
    for text in texts:
        draft.paragraph(text)
    markdown = read_word(draft.to_bytes(), "x.docx").markdown
    tree = tree_of(markdown)
    words = "".join("".join(c.label or "") + (c.heading or "") + c.text for c in tree.clauses)
    assert "".join(words.split()) == "".join("".join(texts).split())
