"""Reading clause numbers: every style the parser knows, and what must never be read as one."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.parse.numbering import (
    chinese_to_int,
    read_number,
    read_numbers,
    roman_to_int,
    to_chinese,
)

# text, label, style, family, values, rest, damage
READS = [
    ("1、 Scope of application", "1、", "digit-dun", "arabic", (1,), "Scope of application", None),
    ("10、 How to contact us", "10、", "digit-dun", "arabic", (10,), "How to contact us", None),
    ("一、总则", "一、", "cn-dun", "cn-dun", (1,), "总则", None),
    ("十二、附则", "十二、", "cn-dun", "cn-dun", (12,), "附则", None),
    ("（一）收集的信息", "（一）", "cn-paren", "cn-paren", (1,), "收集的信息", None),
    ("(二) 使用", "(二)", "cn-paren", "cn-paren", (2,), "使用", None),
    ("(1) If we deal with", "(1)", "paren-digit", "paren-digit", (1,), "If we deal with", None),
    ("（3）如果您", "（3）", "paren-digit", "paren-digit", (3,), "如果您", None),
    ("1. Introduction", "1.", "digit-dot", "arabic", (1,), "Introduction", None),
    ("1．设备信息", "1．", "digit-dot", "arabic", (1,), "设备信息", None),
    ("2) second", "2)", "digit-paren", "digit-paren", (2,), "second", None),
    (
        "1.1. This policy applies",
        "1.1.",
        "dotted-dot",
        "arabic",
        (1, 1),
        "This policy applies",
        None,
    ),
    ("2.1.1 When you create", "2.1.1", "dotted", "arabic", (2, 1, 1), "When you create", None),
    ("2.11.1. Related to", "2.11.1.", "dotted-dot", "arabic", (2, 11, 1), "Related to", None),
    ("2.1.1.本政策", "2.1.1.", "dotted-dot", "arabic", (2, 1, 1), "本政策", None),
    ("5.1 You can", "5.1", "dotted", "arabic", (5, 1), "You can", None),
    (
        "3.1.2 . Product or service",
        "3.1.2 .",
        "dotted-stray-space",
        "arabic",
        (3, 1, 2),
        "Product or service",
        "stray space",
    ),
    ("III How can we provide", "III", "roman-bare", "roman", (3,), "How can we provide", None),
    ("IV. Sharing", "IV.", "roman-dot", "roman", (4,), "Sharing", None),
    ("XII. Final", "XII.", "roman-dot", "roman", (12,), "Final", None),
    ("第一条 总则", "第一条", "cn-article", "cn-article", (1,), "总则", None),
    ("第十二条 我们不会", "第十二条", "cn-article", "cn-article", (12,), "我们不会", None),
    ("第一百零三条", "第一百零三条", "cn-article", "cn-article", (103,), "", None),
    ("第3条 适用范围", "第3条", "cn-article", "cn-article", (3,), "适用范围", None),
    ("第一章 总则", "第一章", "cn-chapter", "cn-chapter", (1,), "总则", None),
    ("第二节 收集", "第二节", "cn-section", "cn-section", (2,), "收集", None),
    ("(a) the purpose", "(a)", "paren-letter", "paren-letter", (1,), "the purpose", None),
    ("b) the recipient", "b)", "letter-paren", "letter-paren", (2,), "the recipient", None),
    ("(iv) fourth", "(iv)", "paren-roman", "paren-roman", (4,), "fourth", None),
    ("①设备信息", "①", "circled", "circled", (1,), "设备信息", None),
    ("⑳ last", "⑳", "circled", "circled", (20,), "last", None),
    (
        "five point two copy",
        "five point two",
        "words",
        "arabic",
        (5, 2),
        "copy",
        "number written in words",
    ),
    (
        "five point five Account cancellation",
        "five point five",
        "words",
        "arabic",
        (5, 5),
        "Account cancellation",
        "number written in words",
    ),
    (
        "five six How to respond to your right request",
        "five six",
        "words",
        "arabic",
        (5, 6),
        "How to respond to your right request",
        "number written in words",
    ),
    (
        "2.1.\nHelp you become our member",
        "2.1.",
        "dotted-dot",
        "arabic",
        (2, 1),
        "Help you become our member",
        None,
    ),
]


@pytest.mark.parametrize(("text", "label", "style", "family", "values", "rest", "damage"), READS)
def test_reads_every_style(
    text: str,
    label: str,
    style: str,
    family: str,
    values: tuple[int, ...],
    rest: str,
    damage: str | None,
) -> None:
    reading = read_number(text)
    assert reading is not None, text
    assert (reading.label, reading.style, reading.family) == (label, style, family)
    assert reading.values == values
    assert reading.rest == rest
    assert reading.damage == damage


@pytest.mark.parametrize(
    "text",
    [
        "I am the data controller",
        "I will tell you",
        "I.e. the data",
        "i.e. the data",
        "e.g. a cookie",
        "Mix of data",
        "CIVIL RIGHTS are protected",
        "MIX Data",
        "2023 年 5 月",
        "2023年5月26日",
        "1.5 GB of storage",
        "2.5 million users",
        "30 days after",
        "3.14",
        "3.14%",
        "2018. In May we changed",
        "1000. items",
        "1.2.3.4.5.6.7.8.9.10 deep",
        "Effective date: June 1, 2023",
        "One of our partners",
        "Five point two million users",
        "personal information : refers to",
        "十十、 not a number",
        "(1",
        "()",
        "",
    ],
)
def test_not_numbers(text: str) -> None:
    assert read_number(text) is None, read_numbers(text)


def test_a_year_that_starts_a_sentence_is_not_a_clause() -> None:
    # Decision: a four-digit number is never a clause number; "2018. In May…" stays prose.
    assert read_number("2018. In May we updated this policy.") is None
    assert read_number("999. The last clause") is not None


def test_upper_letters_only_in_headings() -> None:
    assert read_number("A. Smith signed the agreement") is None
    heading = read_number("A. Definitions", heading=True)
    assert heading is not None and heading.values == (1,) and heading.rest == "Definitions"


def test_ambiguous_letters_have_both_readings() -> None:
    readings = read_numbers("(i) first item")
    assert [(r.family, r.values) for r in readings] == [
        ("paren-roman", (1,)),
        ("paren-letter", (9,)),
    ]
    heading = read_numbers("I. GitHub Additional Product Terms", heading=True)
    assert [(r.family, r.values) for r in heading] == [("roman", (1,)), ("upper-letter", (9,))]


def test_strength() -> None:
    assert read_number("2.1.1 text").strength == "strong"  # type: ignore[union-attr]
    assert read_number("2.1 text").strength == "medium"  # type: ignore[union-attr]
    assert read_number("III How").strength == "weak"  # type: ignore[union-attr]
    assert read_number("five point two copy").strength == "weak"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("一百", 100),
        ("一百零三", 103),
        ("一百一十", 110),
        ("两百", 200),
        ("九百九十九", 999),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["十十", "三三", "百百", "零", "一千", "十百", "", "一百十"])
def test_chinese_numerals_refused(text: str) -> None:
    assert chinese_to_int(text) is None


def test_chinese_numerals_round_trip() -> None:
    assert all(chinese_to_int(to_chinese(n)) == n for n in range(1, 1000))


@pytest.mark.parametrize(
    ("text", "value"), [("I", 1), ("iv", 4), ("IX", 9), ("xiv", 14), ("XL", 40), ("xcix", 99)]
)
def test_roman(text: str, value: int) -> None:
    assert roman_to_int(text) == value


@pytest.mark.parametrize("text", ["IIII", "VV", "IC", "CIVIL", "MIX", ""])
def test_roman_refused(text: str) -> None:
    assert roman_to_int(text) is None


@settings(max_examples=300, deadline=200)
@given(st.text(max_size=300))
def test_reading_never_fails_and_keeps_the_text(text: str) -> None:
    for reading in read_numbers(text):
        assert reading.values and all(1 <= v <= 999 for v in reading.values)
        assert text.strip().endswith(reading.rest.strip()) or not reading.rest.strip()
        assert reading.label.split()[0] in text


@pytest.mark.parametrize(
    "text",
    [
        "1." * 500_000,
        "1" + ".1" * 300_000 + " x",
        "(" * 1_000_000,
        " " * 1_000_000 + "1.",
        "1.1" + " " * 1_000_000 + ".",
        "five " * 200_000,
        "I" * 1_000_000,
        "第" * 1_000_000,
    ],
    ids=["dots", "components", "parens", "spaces", "stray-spaces", "words", "romans", "cjk"],
)
def test_reading_a_megabyte_line_is_fast(text: str) -> None:
    started = time.perf_counter()
    read_numbers(text)
    # a guard against catastrophic backtracking (which would take hours), not a benchmark
    assert time.perf_counter() - started < 2.0


# --------------------------------------------------------------------------- first-character gate


def _first_chars(items: object) -> set[str] | None:
    """The characters a parsed pattern can start with (None: any, or too hard to tell)."""
    import re._constants as c  # the engine's own opcodes (CPython 3.11+)

    data = list(items.data if hasattr(items, "data") else items)  # type: ignore[attr-defined]
    if not data:
        return None
    op, av = data[0]
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN:
        out: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                out.add(chr(value))
            elif kind is c.RANGE:
                out.update(chr(x) for x in range(value[0], value[1] + 1))
            else:
                return None
        return out
    if op is c.SUBPATTERN:
        return _first_chars(av[-1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _first_chars(av[2]) if av[0] >= 1 else None
    if op is c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            first = _first_chars(alternative)
            if first is None:
                return None
            union |= first
        return union
    return None


def test_every_style_names_the_characters_it_can_start_with() -> None:
    """The gate that skips (and never compiles) a style must let through every match."""
    import re._parser

    from analyzer.parse.numbering import STYLES

    for style in STYLES:
        first = _first_chars(re._parser.parse(style.source, style.flags))
        assert first is not None, style.name
        if style.starts is None:  # case-insensitive: any letter may fold onto the pattern's
            assert all(ch.isalpha() for ch in first), style.name
        else:
            assert first <= set(style.starts), (style.name, sorted(first - set(style.starts)))


_LABELISH = st.lists(
    st.sampled_from(["five point two", "Six ", *"1234５．.、()（）一十第条章IVXivxabcAZ ſKİ①\t"]),
    max_size=14,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_LABELISH, st.booleans())
def test_the_gate_never_changes_a_reading(text: str, heading: bool) -> None:
    from analyzer.parse.numbering import STYLES

    gated = read_numbers(text, heading=heading)
    head = text.lstrip(" \t\n\u3000")[:160]
    possible = {
        s.name
        for s in STYLES
        if (heading or not s.heading_only) and s.pattern.match(head) is not None
    }
    assert {n.style for n in gated} <= possible
    for style in STYLES:
        if style.name in possible:
            assert style.may_start(head), style.name


# --------------------------------------------------------------------------- backtracking fuzz

_FRAGMENTS = [
    *"0123456789.、．,:;()（）[]【】-–#§*•·①⑳ \t\u3000",
    *"一二三十百第条章节款项IVXLCDMivxlcdmabcAZ",
    "1.",
    "1.1",
    "1 .",
    ". ",
    "(1)",
    "（一）",
    "第十二条",
    "five",
    " point ",
    "two ",
    "Article ",
    "Section ",
    "Chapter ",
]
_NUMBER_SOUP = st.lists(
    st.tuples(st.sampled_from(_FRAGMENTS), st.integers(min_value=1, max_value=400)),
    max_size=12,
).map(lambda runs: "".join(fragment * times for fragment, times in runs))
"""Runs of the pieces clause numbers are made of, each repeated up to 400 times: the shapes
(long runs of digits and dots, open brackets, Roman letters, number words) on which a regex
that backtracks takes exponential or high-polynomial time."""


@settings(max_examples=300, deadline=1000)
@given(_NUMBER_SOUP, st.sampled_from(["", " the clause text.", "\n2. next"]), st.booleans())
def test_number_shaped_text_is_read_without_backtracking(
    soup: str, tail: str, heading: bool
) -> None:
    """Each example must finish within Hypothesis' deadline (1 s for up to ~20 000 characters;
    a linear reading takes milliseconds, a catastrophic one hours)."""
    text = soup + tail
    for reading in read_numbers(text, heading=heading):
        assert reading.values and all(1 <= v <= 999 for v in reading.values)
        assert reading.label.split()[0] in text
    read_number(text, heading=heading)
