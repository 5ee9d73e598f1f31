"""Tripwires: token changes that carry meaning, and edits that must not trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.diff.tripwires import (
    EDITORIAL_KINDS,
    MEANING_KINDS,
    TRIPWIRE_KINDS,
    find_tripwires,
    meaningful,
    skeleton,
)
from analyzer.model import Tripwire

TRIPPING = [
    # (old, new, kind, before, after)
    (
        "We will not entrust your personally identifiable information to partners.",
        "We will entrust your personally identifiable information to partners.",
        "negation",
        "will not entrust",
        "will entrust",
    ),
    (
        "call the customer service hotline (400-80-13260) directly",
        "call the customer service hotline (95187) directly",
        "phone",
        "400-80-13260",
        "95187",
    ),
    (
        "We may share your data.",
        "We will share your data.",
        "modality",
        "We may share",
        "We will share",
    ),
    (
        "You must verify your identity.",
        "You should verify your identity.",
        "modality",
        "You must verify",
        "You should verify",
    ),
    (
        "We will reply within 15 days.",
        "We will reply within 60 days.",
        "duration",
        "15 days",
        "60 days",
    ),
    ("A fee of USD 10 applies.", "A fee of USD 25 applies.", "amount", "USD 10", "USD 25"),
    ("Children under 14 need consent.", "Children under 16 need consent.", "number", "14", "16"),
    (
        "Write to privacy@example.com.",
        "Write to dpo@example.com.",
        "email",
        "privacy@example.com",
        "dpo@example.com",
    ),
    (
        "See https://example.com/privacy.",
        "See https://example.org/privacy.",
        "url",
        "https://example.com/privacy",
        "https://example.org/privacy",
    ),
    (
        "Operated by Alpha Data Ltd.",
        "Operated by Beta Cloud Ltd.",
        "organisation",
        "Alpha Data Ltd.",
        "Beta Cloud Ltd.",
    ),
    (
        "We collect your e-mail address.",
        "We collect your e-mail address and location.",
        "pi-category",
        "",
        "location",
    ),
    (
        "We share it with partners.",
        "We share it with advertisers.",
        "recipient",
        "with partners.",
        "with advertisers.",
    ),
    ("Updated: May 26, 2023", "Updated: July 3, 2023", "date", "May 26, 2023", "July 3, 2023"),
    (
        "as listed in Article 5.1",
        "as listed in Article 5.4",
        "reference",
        "Article 5.1",
        "Article 5.4",
    ),
    (
        "Requests are free of charge.",
        "Requests carry a reasonable fee.",
        "fee",
        "free of charge",
        "reasonable fee",
    ),
    ("We keep it in China.", "We keep it in Singapore.", "location", "in China.", "in Singapore."),
    (
        "Prevent unauthorized access.",
        "Prevent authorized access.",
        "negation",
        "Prevent unauthorized access",
        "Prevent authorized access",
    ),
    (
        "Data is shared with your consent.",
        "Data is shared without your consent.",
        "negation",
        "",
        "",
    ),
    (
        "我们不会委托合作伙伴处理您的信息。",
        "我们会委托合作伙伴处理您的信息。",
        "negation",
        "我们不会委托",
        "我们会委托",
    ),
    ("我们可能共享您的信息。", "我们将会共享您的信息。", "modality", "", ""),
    ("客服电话：400-000-1234", "客服电话：95123", "phone", "400-000-1234", "95123"),
    (
        "我们将在15个工作日内答复。",
        "我们将在30个工作日内答复。",
        "duration",
        "15个工作日",
        "30个工作日",
    ),
]


@pytest.mark.parametrize(("old", "new", "kind", "before", "after"), TRIPPING)
def test_meaningful_changes_trip(old: str, new: str, kind: str, before: str, after: str) -> None:
    wires = find_tripwires(old, new, language="zh" if not old.isascii() else "en")
    matching = [t for t in wires if t.kind == kind]
    assert matching, f"no {kind} tripwire in {wires}"
    if before or after:
        assert any(before in t.before and after in t.after for t in matching), matching


def test_negation_flip_reads_on_its_own() -> None:
    wires = find_tripwires(
        "We will not entrust your personally identifiable information to partners for processing.",
        "We will entrust your personally identifiable information to partners for processing.",
    )
    assert wires == (Tripwire("negation", "will not entrust", "will entrust"),)


def test_hotline_change_is_exactly_the_numbers() -> None:
    wires = find_tripwires(
        "or call the customer service hotline (400-80-13260) directly to contact us",
        "or call the customer service hotline (95187) directly to contact us",
    )
    assert wires == (Tripwire("phone", "400-80-13260", "95187"),)


EDITORIAL = [
    ("typo", "the De identification process", "the De-identification process"),
    (
        "grammar repair, same words",
        "If you are not satisfied, you can also pass Alibaba Cloud Report Center Make a complaint.",
        "If you are not satisfied, you can also make a complaint through the Alibaba Cloud Report Center.",
    ),
    (
        "re-wrapping",
        "We will take measures to\nprotect your information.",
        "We will take measures to protect\nyour information.",
    ),
    (
        "punctuation",
        "Services include page browsing )。 Services",
        "Services include page browsing). Services",
    ),
    ("case", "We Will Publish Pair On This Policy", "we will publish pair on this policy"),
    (
        "cross-reference dot",
        "through the path listed in Article 5.1., or delete",
        "through the path listed in Article 5.1, or delete",
    ),
    ("number in words", "five point two copy", "5.2 copy"),
    (
        "synonym in the vocabulary",
        "front and back photos of your ID card",
        "front and back photos of your identity card",
    ),
    (
        "moved words",
        "We collect location. We share with partners.",
        "We share with partners. We collect location.",
    ),
    ("never vs not", "We will never sell your data.", "We will not sell your data."),
    ("can vs may", "You can delete your data.", "You may delete your data."),
    ("regrouped phone", "call 400-80-13260", "call 400-801-3260"),
    ("zh variant character", "申请注销帐号", "申请注销账号"),
    ("zh punctuation", "我们会收集您的手机号码,用于登录.", "我们会收集您的手机号码，用于登录。"),
]


@pytest.mark.parametrize(("why", "old", "new"), EDITORIAL, ids=[e[0] for e in EDITORIAL])
def test_editorial_edits_do_not_trip(why: str, old: str, new: str) -> None:
    assert meaningful(find_tripwires(old, new)) == ()


def test_editorial_kinds_are_reported_but_marked() -> None:
    wires = find_tripwires("Updated: May 26, 2023", "Updated: June 30, 2023")
    assert [t.kind for t in wires] == ["date"]
    assert meaningful(wires) == ()
    assert set(TRIPWIRE_KINDS) == EDITORIAL_KINDS | MEANING_KINDS


def test_company_name_spelling_fix_is_spelling() -> None:
    wires = find_tripwires(
        "Alibaba Group Holdng Limited refers to", "Alibaba Group Holding Limited refers to"
    )
    assert [t.kind for t in wires] == ["spelling"]


def test_every_reported_kind_is_documented() -> None:
    old = "We may share your location with partners within 15 days (400-80-13260), see www.a.com."
    new = "We will not share your contact information with advertisers within 30 days (95187)."
    kinds = {t.kind for t in find_tripwires(old, new)}
    assert kinds <= set(TRIPWIRE_KINDS)
    assert {"modality", "negation", "duration", "phone", "url", "recipient", "pi-category"} <= kinds


def test_skeleton_keeps_punctuation_inside_numbers() -> None:
    assert skeleton("Article 5.1.") == skeleton("article 5.1")
    assert skeleton("5.1") != skeleton("51")


_PIECES = st.sampled_from(
    [
        "We",
        " will",
        " not",
        " may",
        " share",
        " your",
        " location",
        " with",
        " partners",
        " within 15 days",
        " (400-80-13260)",
        " a@b.co",
        ".",
        ",",
        "\n",
        "不会",
        "共享",
        "第三方",
        " five point two",
    ]
)
_TEXT = st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_a_text_never_trips_against_itself(text: str) -> None:
    assert find_tripwires(text, text) == ()


@settings(max_examples=200, deadline=None)
@given(_TEXT, _TEXT)
def test_tripwires_never_raise_and_are_deterministic(old: str, new: str) -> None:
    wires = find_tripwires(old, new)
    assert wires == find_tripwires(old, new)
    assert all(t.kind in TRIPWIRE_KINDS for t in wires)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_whitespace_and_case_never_trip(text: str) -> None:
    assert find_tripwires(text, " ".join(text.split()).upper().lower()) == find_tripwires(
        text.lower(), text.lower()
    )
