"""Word-level redlines: they rebuild both texts, read like an editor's, and stay bounded."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.diff.redline import (
    changed_regions,
    common_subsequence,
    longest_increasing,
    new_text,
    old_text,
    only_case_changed,
    only_punctuation_changed,
    only_whitespace_changed,
    redline,
    token_distance,
    token_similarity,
    tokenize,
)

# Text made of the pieces policies are made of: words, numbers, spaces, line breaks,
# ASCII and full-width punctuation, Chinese characters, and the odd astral or private-use one.
_pieces = st.sampled_from(
    [
        "we", "We", "data", "personal", "information", "not", "may", "shall", "the", "and",
        " ", "  ", "\n", "\n\n", "\t", ",", ".", ";", "(", ")", "-", "'", "“", "”",
        "400-80-13260", "1,000", "3.4.2", "14", "数据", "个人信息", "我们", "不", "，", "。",
        "、", "（", "）", "\u3000", "é", "\U0001f600", "\ue000", "\U00020000",
    ]
)  # fmt: skip
texts = st.lists(_pieces, max_size=40).map("".join)
any_text = st.text(max_size=60)


def _check(old: str, new: str) -> None:
    ops = redline(old, new)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(text for _, text in ops), "no empty ops"
    for (op1, _), (op2, _) in itertools.pairwise(ops):
        assert op1 != op2, "adjacent ops of one type are merged"
        assert (op1, op2) != ("+", "-"), "inside a change, removal comes first"


@settings(max_examples=300)
@given(texts, texts)
def test_ops_rebuild_both_texts(old: str, new: str) -> None:
    _check(old, new)


@given(any_text, any_text)
def test_ops_rebuild_arbitrary_unicode(old: str, new: str) -> None:
    _check(old, new)


@given(texts)
def test_identical_texts_give_one_equality(text: str) -> None:
    assert redline(text, text) == ((("=", text),) if text else ())


@given(texts, texts)
def test_deterministic(old: str, new: str) -> None:
    assert redline(old, new) == redline(old, new)


@given(any_text)
def test_tokens_rebuild_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


def test_tokens() -> None:
    assert tokenize("Don't call 400-80-13260, or 1,000.50 (3.4.2).") == [
        "Don't", " ", "call", " ", "400-80-13260", ",", " ", "or", " ", "1,000.50", " ",
        "(", "3.4.2", ")", ".",
    ]  # fmt: skip
    assert tokenize("第一条 我们收集") == ["第", "一", "条", " ", "我", "们", "收", "集"]
    assert tokenize("App个人信息") == ["App", "个", "人", "信", "息"]


def test_phone_number_change_reads_like_a_redline() -> None:
    old = "call the customer service hotline (400-80-13260) to contact us."
    new = "call the customer service hotline (95187) to contact us."
    assert redline(old, new) == (
        ("=", "call the customer service hotline ("),
        ("-", "400-80-13260"),
        ("+", "95187"),
        ("=", ") to contact us."),
    )


def test_no_confetti_between_neighbouring_changes() -> None:
    ops = redline("We collect your name and address", "They gather the name or address")
    assert ops == (
        ("-", "We collect your"),
        ("+", "They gather the"),
        ("=", " name "),
        ("-", "and"),
        ("+", "or"),
        ("=", " address"),
    )
    # a lone space never stands between two changes
    for i in range(1, len(ops) - 1):
        if ops[i][0] == "=":
            assert ops[i][1].strip(), ops


def test_words_are_never_cut() -> None:
    ops = redline("The data is collected.", "The data is recollected.")
    assert ("-", "collected") in ops and ("+", "recollected") in ops


def test_chinese_is_diffed_by_character() -> None:
    ops = redline("我们会收集您的姓名和电话号码。", "我们不会收集您的姓名、电话号码和地址。")
    assert changed_regions(ops) == [("", "不"), ("和", "、"), ("", "和地址")]


def test_mixed_latin_and_chinese() -> None:
    ops = redline("请拨打客服热线 400-80-13260 联系我们", "请拨打客服热线 95187 联系我们")
    assert changed_regions(ops) == [("400-80-13260", "95187")]


def test_changed_regions_keep_exact_words() -> None:
    ops = redline(
        "We will retain your information for 6 months.",
        "We will retain your information for 24 months, unless the law says otherwise.",
    )
    assert changed_regions(ops) == [("6", "24"), ("", ", unless the law says otherwise")]
    assert changed_regions(()) == []
    assert changed_regions((("-", "a"),)) == [("a", "")]


def test_editorial_predicates() -> None:
    assert only_whitespace_changed("personal  information,\nand", "personal information , and")
    assert not only_whitespace_changed("data base", "database")
    assert not only_whitespace_changed("same", "same")
    assert only_whitespace_changed("我们 收集", "我们收集")
    assert only_punctuation_changed('the "personal information".', "the “personal information”")
    assert only_punctuation_changed("数据，信息", "数据,信息")
    assert not only_punctuation_changed("we may share", "we may not share")
    assert not only_punctuation_changed("a b", "a  b"), "whitespace is its own category"
    assert only_case_changed("Personal Information", "personal information")
    assert not only_case_changed("personal information", "personal data")


def test_token_similarity() -> None:
    assert token_similarity("a b c d", "a b c d") == 1.0
    assert token_similarity("a b c d", "a  b\nc d") == 1.0, "whitespace does not count"
    assert token_distance("a b c d", "a x c d") == 1
    assert token_similarity("a b c d", "a x c d") == pytest.approx(0.75)
    assert token_similarity("", "") == 1.0
    assert token_similarity("a b", "") == 0.0


def test_common_subsequence() -> None:
    assert common_subsequence(["h1", "h2", "h3"], ["h1", "h3"]) == [(0, 0), (2, 1)]
    assert common_subsequence([], ["x"]) == []
    pairs = common_subsequence(list("abcabba"), list("cbabac"))
    assert len(pairs) == 4  # the LCS of the classic example
    assert all("abcabba"[i] == "cbabac"[j] for i, j in pairs)


def test_longest_increasing() -> None:
    assert longest_increasing([]) == []
    values = [3, 1, 2, 5, 4, 6]
    picked = [values[i] for i in longest_increasing(values)]
    assert picked == sorted(picked) and len(picked) == 4


# -- large inputs: bounded work, still exact ---------------------------------------------------


@pytest.mark.slow
def test_one_megabyte_line_without_spaces() -> None:
    rnd = random.Random(1)
    hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    old = "".join(rnd.choice(hanzi) for _ in range(1_000_000))
    chars = list(old)
    for _ in range(10):
        chars[rnd.randrange(len(chars))] = "X"
    new = "".join(chars)
    ops = redline(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert sum(len(t) for op, t in ops if op == "+") <= 10, "edits stay small"
    latin = "x" * 1_000_000
    ops = redline(latin, latin[:1000] + "y" + latin[1001:])
    assert old_text(ops) == latin


@pytest.mark.slow
def test_unrelated_long_texts_finish_as_a_replacement() -> None:
    rnd = random.Random(2)
    words = ["".join(rnd.choice("abcdefgh") for _ in range(5)) for _ in range(3000)]
    old = " ".join(rnd.choice(words) for _ in range(20_000))
    new = " ".join(rnd.choice(words) for _ in range(20_000))
    ops = redline(old, new)
    assert old_text(ops) == old and new_text(ops) == new


@pytest.mark.slow
def test_fifty_megabyte_document() -> None:
    rnd = random.Random(3)
    words = ["".join(rnd.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(5000)]
    para = [" ".join(rnd.choice(words) for _ in range(12)) + "\n" for _ in range(4000)]
    lines = [f"{i} {para[i % len(para)]}" for i in range(650_000)]
    old = "".join(lines)
    assert len(old) > 50_000_000
    lines[1234] = "1234 a changed line\n"
    del lines[400_000:400_010]
    new = "".join(lines)
    ops = redline(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    removed = [t for op, t in ops if op == "-"]
    assert sum(map(len, removed)) < 2000, "only the changed lines are marked"
