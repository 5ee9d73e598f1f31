"""Facts: what a clause states, in English and Chinese, and how two texts differ in it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.facts.compare import diff_document_facts, diff_facts, diff_texts
from analyzer.facts.extract import SCANNING_PATTERNS, extract_facts
from analyzer.facts.matcher import matchers
from analyzer.facts.types import FACT_KINDS, Fact
from analyzer.text import scan as textscan


def facts_of(text: str, kind: str, language: str = "en") -> list[Fact]:
    return [f for f in extract_facts(text, language) if f.kind == kind]


def values(text: str, kind: str, language: str = "en") -> list[str]:
    return [f.value for f in facts_of(text, kind, language)]


# --------------------------------------------------------------------------- extraction, en

EN_CASES = [
    # (text, kind, expected canonical value)
    ("we collect your mobile phone number and e-mail address", "pi-category", "contact"),
    ("your login password is stored encrypted", "pi-category", "account"),
    ("the operating system version of your device", "pi-category", "device"),
    ("we keep network logs and your search history", "pi-category", "usage-log"),
    ("we may use your precise location", "pi-category", "location"),
    ("biometric information of facial features", "pi-category", "biometric"),
    ("front and back photos of your ID card", "pi-category", "id-document"),
    ("bank account information (including deposit bank)", "pi-category", "financial"),
    ("we do not process medical records", "pi-category", "health"),
    ("personal information of minors under the age of 14", "pi-category", "minors"),
    ("the content of your communications", "pi-category", "communications"),
    ("your IP address and cookies", "pi-category", "online-identifier"),
    ("sensitive personal information such as religious beliefs", "pi-category", "sensitive"),
    ("to prevent fraud and phishing websites", "purpose", "security"),
    ("to send you marketing information", "purpose", "marketing"),
    ("to create user portraits and personalized recommendations", "purpose", "personalisation"),
    ("we analyze usage to improve our services", "purpose", "analytics"),
    ("to fulfil our legal obligations", "purpose", "legal"),
    ("statistics for research", "purpose", "research"),
    ("to train our machine learning models", "purpose", "ai-training"),
    ("to provide you with services", "purpose", "service"),
    ("we share it with our business partners", "recipient", "partners"),
    ("our affiliated companies", "recipient", "affiliates"),
    ("advertisers and ad networks", "recipient", "advertisers"),
    ("service providers and sub-processors", "recipient", "service-providers"),
    ("third-party payment institutions", "recipient", "payment-processors"),
    ("requests from law enforcement authorities", "recipient", "authorities"),
    ("the overseas recipient", "recipient", "overseas"),
    ("disclosed to the public", "recipient", "public"),
    ("the buyer or successor entity", "recipient", "buyer"),
    ("we sell personal information", "processing", "sell"),
    ("we may transfer necessary user information overseas", "processing", "cross-border"),
    ("stored in the People's Republic of China", "location", "CN"),
    ("transferred to the United States", "location", "US"),
    ("servers in Singapore", "location", "SG"),
    ("only for the period necessary to achieve the purpose", "retention", "necessary-period"),
    ("you can query your information", "right", "access"),
    ("you can copy your personal information", "right", "portability"),
    ("corrections and supplements", "right", "correct"),
    ("request us to delete user information", "right", "delete"),
    ("withdraw the scope of your authorization", "right", "withdraw-consent"),
    ("by canceling your AliCloud account", "right", "close-account"),
    ("you can opt out at any time", "right", "object"),
    ("you can lodge a complaint", "right", "complain"),
    ("call the customer service hotline", "channel", "hotline"),
    ("submit a work order", "channel", "work-order"),
    ("free of charge", "fee", "free"),
    ("we will charge a reasonable fee", "fee", "charged"),
    ("our data protection officer", "department", "dpo"),
    ("the legal department", "department", "legal"),
    ("through the Alibaba Cloud Report Center", "complaint", "report-center"),
    ("you may complain to the supervisory authority", "complaint", "regulator"),
    ("in the event of a merger, acquisition or bankruptcy", "ownership", "merger"),
    ("a change of control", "ownership", "change-of-control"),
    ("the impact assessment report indicates high risks", "risk", "high-risk"),
    ("our data protection impact assessment", "risk", "impact-assessment"),
]


@pytest.mark.parametrize(("text", "kind", "value"), EN_CASES)
def test_english_vocabulary(text: str, kind: str, value: str) -> None:
    assert value in values(text, kind)


VALUE_CASES = [
    ("call the customer service hotline (400-80-13260) directly", "phone", "4008013260"),
    ("call 95187 for help", "phone", "95187"),
    ("dial +86 571 8502 2088", "phone", "+8657185022088"),
    ("phone: (0571) 8502-2088", "phone", "057185022088"),
    ("call 1-800-555-0100 toll free", "phone", "18005550100"),
    ("write to Privacy@Example.COM today", "email", "privacy@example.com"),
    (
        "see http://www.alibabagroup.com/cn/ir/secfilings.",
        "url",
        "alibabagroup.com/cn/ir/secfilings",
    ),
    ("domain name: www.aliyun.com )", "url", "aliyun.com"),
    ("including alibabacloud.com and all pages", "url", "alibabacloud.com"),
    ("Effective date: June 1, 2023", "date", "2023-06-01"),
    ("updated 2023-05-26", "date", "2023-05-26"),
    ("2025 年 12 月 17 日生效", "date", "2025-12-17"),
    ("We will reply within 15 days.", "deadline", "15 days"),
    ("we respond within thirty (30) days", "deadline", "30 days"),
    ("logs are deleted after 90 days", "retention", "90 days"),
    ("a fee of USD 25 per request", "money", "USD 25"),
    ("人民币100元", "money", "CNY 100"),
    ("up to 5% of turnover", "percentage", "5%"),
    ("children under the age of 14", "age", "14"),
    ("through the path listed in Article 5.1.", "reference", "5.1"),
    ("five point two copy", "reference", "5.2"),
    ("GitHub, Inc. operates the service", "organisation", "github inc"),
    ("Alibaba Group Holding Limited refers to", "organisation", "alibaba group holding ltd"),
    (
        "from the trading partner you choose, Alipay or other financial institutions",
        "organisation",
        "alipay",
    ),
    ("advertising partners such as Google and Meta", "organisation", "google"),
    ('through [My AliCloud] - "Account Center".', "channel", "path:my alicloud > account center"),
    (
        "registered address: Room 1-2-A06, No. 1008, Dengcai Street, Hangzhou)",
        "address",
        "room 1-2-a06 no. 1008 dengcai street hangzhou",
    ),
    (
        "Alibaba Cloud Computing Ltd is the operator of the website",
        "controller",
        "alibaba cloud computing ltd",
    ),
]


@pytest.mark.parametrize(("text", "kind", "value"), VALUE_CASES)
def test_values_are_canonical(text: str, kind: str, value: str) -> None:
    assert value in values(text, kind)


ZH_CASES = [
    ("我们会收集您的手机号码", "pi-category", "contact"),
    ("您的精确位置信息", "pi-category", "location"),
    ("人脸识别", "pi-category", "biometric"),
    ("身份证号码", "pi-category", "id-document"),
    ("不满十四周岁的儿童", "pi-category", "minors"),
    ("不满十四周岁的儿童", "age", "14"),
    ("IP 地址和 Cookie", "pi-category", "online-identifier"),
    ("用于个性化推荐", "purpose", "personalisation"),
    ("用于营销推广", "purpose", "marketing"),
    ("与广告合作伙伴共享", "recipient", "advertisers"),
    ("我们的关联公司", "recipient", "affiliates"),
    ("向境外接收方提供", "recipient", "overseas"),
    ("个人信息出境", "processing", "cross-border"),
    ("存储于中华人民共和国境内", "location", "CN"),
    ("您可以查询、更正和删除您的个人信息", "right", "delete"),
    ("撤回同意", "right", "withdraw-consent"),
    ("申请注销账号", "right", "close-account"),
    ("我们将在15个工作日内答复", "deadline", "15 working days"),
    ("我们将在十五日内回复", "deadline", "15 days"),
    ("原则上不收取费用", "fee", "free"),
    ("拨打客服热线400-000-1234", "phone", "4000001234"),
    ("发送邮件至privacy@qingmu.example.com", "email", "privacy@qingmu.example.com"),
    ("个人信息保护负责人", "department", "dpo"),
    ("向网信部门投诉", "complaint", "regulator"),
    ("所有权结构发生变化", "ownership", "change-of-control"),
    ("破产清算", "ownership", "bankruptcy"),
    ("影响评估报告表明存在高风险", "risk", "high-risk"),
    ("本政策由杭州青木数据科技有限公司制定", "organisation", "杭州青木数据科技有限公司"),
    ("通过“账号中心”-“安全设置”-“注销账号”", "channel", "path:账号中心 > 安全设置 > 注销账号"),
    ("2024年3月1日", "date", "2024-03-01"),
    ("第五条", "reference", "5"),
]


@pytest.mark.parametrize(("text", "kind", "value"), ZH_CASES)
def test_chinese_vocabulary(text: str, kind: str, value: str) -> None:
    assert value in values(text, kind, "zh")


# --------------------------------------------------------------------------- not facts

NOT_FACTS = [
    ("Alibaba Cloud is in charge of the service", "fee"),  # 'in charge of' is not a fee
    ("prevent unauthorized access to user information", "right"),  # not the right of access
    ("the headcount grew 1.5 times", "phone"),
    ("on 2023-05-26 we changed", "phone"),  # a date is not a phone number
    ("within 15 days", "phone"),  # nor is a short number without a phone word
    ("please log in to the console", "pi-category"),  # 'log in' is not a log
    ("the operation of our data centers", "recipient"),
    ("未成年人", "age"),
    ("May 26, 2023", "count"),  # the day and year belong to the date
    ("Article 5.1 and 2.1.1", "count"),  # references are not counts
    ("the main objects of user information sharing", "right"),  # 'objects' is not an objection
]


@pytest.mark.parametrize(("text", "kind"), NOT_FACTS)
def test_words_that_only_look_like_facts(text: str, kind: str) -> None:
    assert facts_of(text, kind) == []


def test_a_word_inside_a_url_or_menu_path_is_not_a_statement() -> None:
    text = 'see https://example.com/cookie-policy and ["Account Center" - "Security Settings"]'
    kinds = {(f.kind, f.value) for f in extract_facts(text)}
    assert ("pi-category", "online-identifier") not in kinds  # 'cookie' in the URL
    assert ("purpose", "security") not in kinds  # 'Security' in the menu path
    assert ("channel", "path:account center > security settings") in kinds


# --------------------------------------------------------------------------- negation

NEGATION_CASES = [
    (
        "We will not entrust your personally identifiable information to partners.",
        "recipient",
        True,
    ),
    ("We will entrust your personally identifiable information to partners.", "recipient", False),
    ("We never share data with advertisers.", "recipient", True),
    ("We don't sell personal information.", "processing", True),
    (
        "We will not share your information, except with service providers.",
        "recipient",
        False,  # the exception is affirmed
    ),
    ("Without your explicit consent, we share data with partners.", "recipient", False),
    ("If you are not satisfied, you can complain through the Report Center.", "complaint", False),
    ("此类信息不会发送至广告合作伙伴。", "recipient", True),
    ("未经您的同意，我们与合作伙伴共享。", "recipient", False),  # 未经 … 同意 is a condition
    ("我们不会收集儿童的个人信息", "pi-category", True),
]


@pytest.mark.parametrize(("text", "kind", "negated"), NEGATION_CASES)
def test_negation_marks_what_the_sentence_denies(text: str, kind: str, negated: bool) -> None:
    found = facts_of(text, kind, "zh" if textscan.ascii_lower(text) != text.lower() else "en")
    found = found or facts_of(text, kind, "zh")
    assert found, f"no {kind} fact in {text!r}"
    assert found[-1].negated is negated


def test_the_promise_not_to_restrict_rights_is_a_negated_commitment() -> None:
    en = facts_of(
        "Without your explicit consent, we will not restrict you to This policy The rights that "
        "should be enjoyed.",
        "commitment",
    )
    zh = facts_of("未经您的明确同意，我们不会削减您按照本政策所应享有的权利。", "commitment", "zh")
    assert [(f.value, f.negated) for f in en] == [("restrict-rights", True)]
    assert [(f.value, f.negated) for f in zh] == [("restrict-rights", True)]
    assert [f.negated for f in facts_of("We may restrict your rights.", "commitment")] == [False]


# --------------------------------------------------------------------------- diffs


def test_a_longer_deadline_is_a_change_with_a_direction() -> None:
    delta = diff_texts("We will reply within 15 days.", "We will reply within 60 days.")
    changes = delta.matching("deadline", "increased")
    assert len(changes) == 1
    assert "15 days -> 60 days" in f"{changes[0].before.value} -> {changes[0].after.value}"  # type: ignore[union-attr]
    assert delta.matching("deadline", "decreased") == ()


def test_working_days_are_longer_than_calendar_days() -> None:
    delta = diff_texts("我们将在15日内答复。", "我们将在15个工作日内答复。", "zh")
    assert delta.matching("deadline", "increased")


def test_a_fee_where_there_was_none() -> None:
    delta = diff_texts(
        "For your reasonable request, we will not charge a fee in principle.",
        "We will charge a fee for every request.",
    )
    assert delta.matching("fee", "added", value="charged")
    flips = [c for c in delta.changed if c.kind == "fee"]
    assert flips and flips[0].how == "affirmed"


def test_a_recipient_added() -> None:
    delta = diff_texts(
        "We share your data with service providers.",
        "We share your data with service providers and advertisers.",
    )
    assert [f.value for f in delta.added if f.kind == "recipient"] == ["advertisers"]
    assert delta.removed == ()


def test_a_phone_number_replaced_is_one_change() -> None:
    delta = diff_texts("hotline (400-80-13260)", "hotline (95187)")
    assert [(c.before.text, c.after.text) for c in delta.changed] == [("400-80-13260", "95187")]


def test_moved_words_change_nothing() -> None:
    old = "We collect your location. We share data with partners."
    new = "We share data with partners. We collect your location."
    assert diff_texts(old, new).is_empty


def test_a_menu_path_that_moved_is_changed_not_removed() -> None:
    delta = diff_texts(
        'go to ["My AliCloud" - "Account Center" - "Log off account"]',
        'go to ["Console" - "Settings" - "Close Account"]',
    )
    assert delta.matching("channel", "removed") == ()
    assert [c.how for c in delta.changed if c.kind == "channel"] == ["replaced"]


def test_document_level_a_category_that_moved_is_not_new() -> None:
    old = {"2.1": "We collect your location data.", "3.1": "We share data with partners."}
    new = {
        "2.1": "We collect nothing here.",
        "3.1": "We share data with partners and your location data.",
    }
    delta = diff_document_facts(old, new)
    assert not delta.touches("pi-category:location")
    per_clause = diff_texts(old["2.1"], new["2.1"])
    assert per_clause.touches("pi-category:location")  # clause by clause it did change


def test_document_level_a_category_collected_for_the_first_time_is_new() -> None:
    old = {"2.1": "We collect your e-mail address."}
    new = {"2.1": "We collect your e-mail address.", "2.9": "We also collect your fingerprints."}
    delta = diff_document_facts(old, new)
    added = [f for f in delta.added if f.kind == "pi-category"]
    assert [(f.value, f.clause) for f in added] == [("biometric", "2.9")]


def test_fact_and_delta_serialise() -> None:
    fact = extract_facts("call 95187 now")[0]
    assert fact.to_dict()["span"] == list(fact.span)
    delta = diff_facts(extract_facts("within 15 days"), extract_facts("within 60 days"))
    data = delta.to_dict()
    assert data["changed"][0]["how"] == "increased"


def test_every_emitted_kind_is_documented() -> None:
    text = (
        Path(__file__)
        .resolve()
        .parents[2]
        .joinpath("policy_versions", "alibaba-cloud-privacy", "2023-05-26.md")
        .read_text(encoding="utf-8")
    )
    kinds = {f.kind for f in extract_facts(text)}
    assert kinds <= set(FACT_KINDS)
    assert {"pi-category", "recipient", "right", "phone", "deadline", "organisation"} <= kinds


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        extract_facts("text", "fr")
    assert extract_facts("text", "zh-CN") == extract_facts("text", "en")


# --------------------------------------------------------------------------- corpus (zh)


def test_mozilla_chinese_notice_yields_the_facts_a_reader_sees(corpus_dir: Path) -> None:
    path = corpus_dir / "mozilla-legal-docs" / "firefox-privacy-notice-zh-cn" / "2025-12-17.md"
    text = path.read_text(encoding="utf-8")
    facts = extract_facts(text, "zh")
    found = {(f.kind, f.value) for f in facts}
    for expected in [
        ("pi-category", "location"),
        ("pi-category", "online-identifier"),
        ("recipient", "advertisers"),
        ("recipient", "partners"),
        ("purpose", "marketing"),
        ("right", "delete"),
        ("date", "2025-12-17"),
        ("department", "dpo"),
    ]:
        assert expected in found, expected
    assert any(f.kind == "email" and f.value.endswith("@mozilla.com") for f in facts)
    assert all(text[f.span[0] : f.span[1]] == f.text for f in facts)


# --------------------------------------------------------------------------- invariants

_TOKENS = st.sampled_from(
    [
        "We",
        " will",
        " not",
        " share",
        " data",
        " with",
        " partners",
        " advertisers",
        " within 15 days",
        " (400-80-13260)",
        " a@b.co",
        " www.x.com",
        " GitHub, Inc.",
        " Ltd",
        ".",
        ",",
        "\n",
        "不会",
        "共享",
        "第三方",
        "十五个工作日内",
        "【设置】-【隐私】",
        " five point two",
        " (1)",
        "¥",
        "%",
    ]
)
_TEXT = st.lists(_TOKENS, max_size=40).map("".join) | st.text(max_size=300)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_extraction_never_raises_and_spans_point_at_the_text(text: str) -> None:
    facts = extract_facts(text)
    for f in facts:
        assert text[f.span[0] : f.span[1]] == f.text
        assert f.kind in FACT_KINDS
    assert facts == extract_facts(text)  # deterministic


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_a_text_against_itself_has_no_delta(text: str) -> None:
    assert diff_texts(text, text).is_empty


# --------------------------------------------------------------------------- linear-time rules


def _repeats(node: Any, inside_repeat: bool = False) -> list[str]:
    """Problems: a repeated (max > 1) group that contains another repeat."""
    problems: list[str] = []
    for op, av in node.data if hasattr(node, "data") else node:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _lo, hi, sub = av
            repeated = hi > 1
            if repeated and inside_repeat:
                problems.append(name)
            if _contains_repeat(sub) and repeated and not _single_atom(sub):
                problems.append(f"{name} around a repeat")
            problems += _repeats(sub, inside_repeat or repeated)
        elif name == "SUBPATTERN":
            problems += _repeats(av[-1], inside_repeat)
        elif name == "BRANCH":
            for alt in av[1]:
                problems += _repeats(alt, inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            problems += _repeats(av[1], inside_repeat)
        elif name == "ATOMIC_GROUP":
            problems += _repeats(av, inside_repeat)
    return problems


def _contains_repeat(node: Any) -> bool:
    for op, av in node.data if hasattr(node, "data") else node:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[1] > 1:
            return True
        if name == "SUBPATTERN" and _contains_repeat(av[-1]):
            return True
        if name == "BRANCH" and any(_contains_repeat(alt) for alt in av[1]):
            return True
    return False


def _single_atom(node: Any) -> bool:
    data = node.data if hasattr(node, "data") else node
    return len(data) == 1 and str(data[0][0]) in ("IN", "LITERAL", "ANY", "NOT_LITERAL")


def _all_scanning_patterns() -> list[re.Pattern[str]]:
    english, chinese = matchers()
    return [
        *SCANNING_PATTERNS,
        *english.patterns,
        *chinese.patterns,
        textscan._SENTENCE_END,
        textscan._CLAUSE_PUNCT,
        textscan._CLAUSE_WORD,
        textscan._NEGATION_EN,
        textscan._NEGATION_CONTRACTED,
        textscan._NEGATION_ZH,
        textscan._WITHOUT_ZH,
        textscan._MODAL_EN,
        textscan._MODAL_CONTRACTED,
        textscan._MODAL_ZH,
    ]


def _sre(name: str) -> Any:
    """The regex engine's own parser and compiler (private modules of CPython 3.11+)."""
    try:
        return importlib.import_module(f"re.{name}")
    except ImportError:
        pytest.skip(f"re.{name} is not available on this Python")


@pytest.mark.parametrize("pattern", _all_scanning_patterns(), ids=lambda p: p.pattern[:40])
def test_scanning_patterns_have_no_nested_quantifiers(pattern: re.Pattern[str]) -> None:
    assert _repeats(_sre("_parser").parse(pattern.pattern, pattern.flags)) == []


@pytest.mark.parametrize("pattern", _all_scanning_patterns(), ids=lambda p: p.pattern[:40])
def test_scanning_patterns_start_with_a_literal_or_a_character_class(
    pattern: re.Pattern[str],
) -> None:
    """So that the engine jumps to candidates instead of trying every position."""
    parsed = _sre("_parser").parse(pattern.pattern, pattern.flags)
    compiler = _sre("_compiler")
    prefix, _skip, _all = compiler._get_literal_prefix(parsed, pattern.flags)
    assert prefix or compiler._get_charset_prefix(parsed, pattern.flags) is not None
    assert not pattern.flags & re.IGNORECASE  # case-insensitive patterns run on ascii_lower()


@pytest.mark.slow
def test_a_megabyte_line_is_handled() -> None:
    line = "We will not share your location data with advertisers within 15 days (400-80-13260). "
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    facts = extract_facts(text)
    assert len(facts) > 10_000
    assert all(text[f.span[0] : f.span[1]] == f.text for f in facts[:1000])
