"""Invariants of the parser on any text: it never raises, never loses or duplicates text, ids
are unique, parents exist and come first, line spans stay inside the document."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.model import ClauseTree, Document
from analyzer.parse.lost import lost_text
from analyzer.parse.tree import parse

FORMATS = st.sampled_from(["text", "markdown", "html"])

LABELS = [
    "1、",
    "2、",
    "一、",
    "二、",
    "（一）",
    "(二)",
    "(1)",
    "（2）",
    "1.",
    "2.",
    "1)",
    "1.1.",
    "1.2.",
    "2.1.1",
    "2.1.1.",
    "3.1.2 .",
    "III",
    "IV.",
    "第一条",
    "第十二条",
    "第一章",
    "第二节",
    "(a)",
    "a)",
    "①",
    "⑳",
    "five point two",
    "five six",
    "A.",
    "#",
    "##",
    "###",
    "-",
    "*",
    ">",
    "|",
    "<li>",
    "<h2>",
    "<p>",
    "<table><tr><td>",
]
WORDS = st.sampled_from(
    [
        "We",
        "collect",
        "your",
        "data",
        "cookies",
        "privacy",
        "consent",
        "信息",
        "收集",
        "。",
        ":",
        ".",
    ]
)
LINE = st.builds(
    lambda label, words, end: " ".join([label, *words]) + end,
    st.sampled_from(LABELS),
    st.lists(WORDS, max_size=12),
    st.sampled_from(["", ".", ":", "；", "。"]),
)
POLICY_LIKE = st.lists(st.one_of(LINE, st.just(""), st.just("\u00a0"), WORDS), max_size=40).map(
    "\n".join
)


def _check(text: str, fmt: str) -> ClauseTree:
    document = Document(source="generated", text=text, format=fmt)  # type: ignore[arg-type]
    tree = parse(document)
    assert lost_text(document, tree) is None
    ids = [c.id for c in tree.clauses]
    assert len(ids) == len(set(ids)), "ids are unique"
    seen: set[str] = set()
    lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for clause in tree.clauses:
        assert clause.parent is None or clause.parent in seen, "parent precedes child"
        if clause.parent is not None:
            assert clause.depth == tree.by_id()[clause.parent].depth + 1
        seen.add(clause.id)
        first, last = clause.lines
        assert 1 <= first <= last <= lines, (clause.id, clause.lines, lines)
    return tree


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), FORMATS)
def test_any_text(text: str, fmt: str) -> None:
    _check(text, fmt)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(POLICY_LIKE, FORMATS)
def test_policy_like_text(text: str, fmt: str) -> None:
    _check(text, fmt)


@settings(max_examples=60, deadline=None)
@given(POLICY_LIKE)
def test_parsing_is_deterministic(text: str) -> None:
    document = Document(source="generated", text=text, format="text")
    assert parse(document) == parse(document)


def test_deep_nesting_keeps_every_word() -> None:
    for text, fmt in [
        ("> " * 10_000 + "deep words\n", "markdown"),
        ("".join("  " * i + "- item\n" for i in range(200)), "markdown"),
        ("<div>" * 10_000 + "deep words" + "</div>" * 10_000, "html"),
        ("<ul><li>" * 5_000 + "deep words", "html"),
        ("\n".join(["(1) a", "① b", "a) c", "（一） d", "1) e"] * 200), "text"),
        (".".join(["1"] * 10_000) + " text\n", "text"),
    ]:
        tree = _check(text, fmt)
        assert max(c.depth for c in tree.clauses) <= 64


def test_megabyte_line() -> None:
    for fmt in ("text", "markdown", "html"):
        _check("1.1 " + "word " * 200_000, fmt)
