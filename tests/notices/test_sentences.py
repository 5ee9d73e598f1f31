"""Plain-language change sentences (analyzer.notices.sentences) and their pattern files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from analyzer.errors import PolicyError
from analyzer.facts.vocabulary import VOCABULARY
from analyzer.model import Override, Report
from analyzer.notices.context import build_context
from analyzer.notices.patterns import PLACEHOLDER, format_address, load_patterns, notice_folders
from tests.helpers.reports_with_findings import OLD, edited, finding, revision, with_findings

ROOT = Path(__file__).resolve().parents[2]
NOTICES = ROOT / "notices"

HOTLINE = finding(
    "9.4.5",
    "contact-change",
    "phone:4008013260",
    "phone:95187",
    before="400-80-13260",
    after="95187",
)
DEADLINE = [
    finding(
        "9.2",
        "rights-restriction",
        "restriction:deadline-lengthened",
        "deadline:15 days",
        "deadline:60 days",
        before="15 days",
        after="60 days",
        restricts=True,
    ),
    finding(
        "9.4.4",
        "value-change",
        "deadline:15 days",
        "deadline:60 days",
        before="15 days",
        after="60 days",
    ),
]
FEE = [
    finding(
        "9.2",
        "rights-restriction",
        "restriction:no-charge-removed",
        "fee:not charged",
        before="charge a fee",
        restricts=True,
    )
]
ENTRUST = [
    finding(
        "9.4.3",
        "negation-flip",
        "cue:negation",
        before="We will not entrust",
        after="We will entrust",
    )
]
ADVERTISING = [
    finding("9.4.3", "fact-change", "recipient:advertisers", after="advertising partners"),
    finding(
        "9.4.1",
        "fact-change",
        "pi-category:device",
        "pi-category:usage-log",
        after="device information; log information",
    ),
]


@pytest.fixture(scope="module")
def full() -> Report:
    report = revision(
        OLD, edited("hotline", "deadline", "fee", "entrust", "advertising", "editorial")
    )
    return with_findings(
        report,
        {
            "Prompt clause ¶1": [HOTLINE],
            "10 ¶1": [HOTLINE],
            "5.6.1": DEADLINE,
            "5.6.2": FEE,
            "3.2": ENTRUST,
            "3.3": ADVERTISING,
        },
    )


def texts(report: Report, language: str) -> tuple[list[str], list[str]]:
    context = build_context(report, language=language)
    return [s.text for s in context.major], [s.text for s in context.other]


# --------------------------------------------------------------------------- sentences


def test_english_sentences_of_a_revision_with_findings(full: Report) -> None:
    major, other = texts(full, "en")
    assert major == [
        "The customer service hotline changes from 400-80-13260 to 95187 (“Prompt clause” ¶1 and 10 ¶1).",
        "“We will not entrust” now reads “We will entrust” (3.2).",
        "A new clause allows entrusting your device information and log information to advertising partners for marketing (3.3).",
        "The time to answer your requests changes from 15 days to 60 days (5.6.1).",
        "Your requests may now be charged a fee (5.6.2).",
    ]
    assert other == ["Editorial corrections in 5 ¶1 (capitalisation)."]


def test_chinese_sentences_are_written_natively(full: Report) -> None:
    major, other = texts(full, "zh")
    assert major == [
        "客服热线由400-80-13260变更为95187（“Prompt clause”第1段和第10条第1段）。",
        "“We will not entrust”改为“We will entrust”（第3.2条）。",
        "新增条款允许委托广告合作伙伴处理您的设备信息和日志信息，用于营销推广（第3.3条）。",
        "我们答复您请求的期限由15天调整为60天（第5.6.1条）。",
        "我们可能对您的请求收取费用（第5.6.2条）。",
    ]
    assert other == ["对第5条第1段作了文字修订（大小写）。"]


def test_a_change_made_in_two_places_is_one_sentence_with_both_addresses(full: Report) -> None:
    context = build_context(full, language="en")
    hotline = context.major[0]
    assert hotline.clauses == ("Prompt clause ¶1", "10 ¶1")
    assert len(hotline.changes) == 2
    # … but the change log lists both changes
    assert sum("95187" in e.text for e in context.entries) == 2


def test_consent_flags_follow_the_findings(full: Report) -> None:
    context = build_context(full, language="en")
    assert context.level == "consent" and context.consent and context.popup
    flagged = [s.text for s in context.major if s.restricts_rights]
    assert flagged == [
        "The time to answer your requests changes from 15 days to 60 days (5.6.1).",
        "Your requests may now be charged a fee (5.6.2).",
    ]
    assert context.counts.restricting == 2


def test_change_log_lists_every_change_major_first(full: Report) -> None:
    context = build_context(full, language="en")
    assert len(context.entries) == len(full.changes)
    assert [e.major for e in context.entries] == sorted(
        (e.major for e in context.entries), reverse=True
    )
    assert context.entries[3].text == (
        "In section 5 (Your rights), we changed 5.6.1. "
        "The time to answer your requests changes from 15 days to 60 days."
    )
    assert context.entries[-1].text == (
        "In section 5 (Your rights), we made editorial corrections to paragraph 1 (capitalisation)."
    )
    assert context.entries[-1].details == ()


def test_a_reviewer_downgrade_makes_a_change_other() -> None:
    override = Override("9.4.5", "10 ¶1", "not-major", "typo fix of our own number")
    report = with_findings(
        revision(OLD, edited("hotline")),
        {"10 ¶1": [dataclasses.replace(HOTLINE, override=override)], "Prompt clause ¶1": [HOTLINE]},
    )
    context = build_context(report, language="en")
    assert [s.clauses for s in context.major] == [("Prompt clause ¶1",)]
    # still told, as another change, with what changed
    assert [s.text for s in context.other] == [
        "The customer service hotline changes from 400-80-13260 to 95187 (10 ¶1)."
    ]


def test_a_reviewer_consent_verdict_flags_the_sentence() -> None:
    override = Override("9.4.5", "10 ¶1", "consent", "the old number was the only channel")
    report = with_findings(
        revision(OLD, edited("hotline")),
        {"10 ¶1": [dataclasses.replace(HOTLINE, override=override)]},
    )
    context = build_context(report, language="en")
    assert context.consent
    assert [s.restricts_rights for s in context.major] == [True]


def test_a_finding_without_facts_says_what_its_criterion_is_about() -> None:
    reviewer = finding("9.4.3", "reviewer", before="", after="")
    report = with_findings(revision(OLD, edited("advertising")), {"3.3": [reviewer]})
    major, _ = texts(report, "en")
    assert major == [
        "A new clause concerns whom we share, transfer or disclose your information to (3.3)."
    ]
    major, _ = texts(report, "zh")
    assert major == ["新增了关于我们向谁共享、转让或公开披露您的个人信息的条款（第3.3条）。"]


def test_a_criterion_the_patterns_do_not_know_is_named_by_its_title() -> None:
    report = with_findings(revision(OLD, edited("advertising")), {"3.3": [finding("9.4.3", "x")]})
    report = dataclasses.replace(
        report,
        criteria=tuple(
            dataclasses.replace(c, id="X-1", title="Something else changed")
            if c.id == "9.4.3"
            else c
            for c in report.criteria
        ),
        changes=tuple(
            dataclasses.replace(
                ch, findings=tuple(dataclasses.replace(f, criterion="X-1") for f in ch.findings)
            )
            for ch in report.changes
        ),
    )
    major, _ = texts(report, "en")
    assert major == ["A new clause concerns criterion X-1 (Something else changed) (3.3)."]


def test_substantive_changes_without_findings_tell_their_values() -> None:
    # a change no finding names (a reviewer downgraded it, or no detector fired): its values
    # are still told, as other changes
    report = with_findings(revision(OLD, edited("hotline", "deadline")), {})
    assert all(not c.findings for c in report.changes)
    major, other = texts(report, "en")
    assert major == []
    assert other == [
        "The customer service hotline changes from 400-80-13260 to 95187 (“Prompt clause” ¶1 and 10 ¶1).",
        "The time to answer your requests changes from 15 days to 60 days (5.6.1).",
    ]


def test_a_change_nothing_specific_is_known_about_gets_a_generic_sentence() -> None:
    report = with_findings(revision(OLD, edited("entrust", "advertising")), {})
    _, other = texts(report, "en")
    assert other == ["Clause 3.2 was changed.", "Clause 3.3 was added."]
    _, other = texts(report, "zh")
    assert other == ["修改第3.2条。", "新增第3.3条。"]


def test_removed_clause_and_removed_uses() -> None:
    report = revision(edited("advertising"), edited())
    report = with_findings(report, {"3.3": ADVERTISING})
    major, _ = texts(report, "en")
    assert major == [
        "A clause that allowed entrusting your device information and log information to advertising partners for marketing was removed (3.3)."
    ]


ZH_OLD = """---
title: 示例隐私政策
format: text
---
示例隐私政策

三、您的权利

3.1 对于您合理的请求，我们原则上不收取费用。我们将在15个工作日内答复您的请求。

四、如何联系我们

4.1 如您对本政策有任何疑问，可以拨打客服热线400-000-1234联系我们。
"""


def test_chinese_policy_revision() -> None:
    new = (
        ZH_OLD.replace("我们原则上不收取费用", "我们将对每一次请求收取费用")
        .replace("15个工作日", "30个工作日")
        .replace("400-000-1234", "400-000-5678")
    )
    report = with_findings(
        revision(ZH_OLD, new),
        {
            "3.1": [
                finding(
                    "9.2",
                    "rights-restriction",
                    "restriction:free-removed",
                    "fee:free",
                    before="不收取费用",
                    restricts=True,
                ),
                finding(
                    "9.4.4",
                    "value-change",
                    "deadline:15 working days",
                    "deadline:30 working days",
                    before="15个工作日",
                    after="30个工作日",
                ),
            ],
            "4.1": [
                finding(
                    "9.4.5",
                    "contact-change",
                    "phone:4000001234",
                    "phone:4000005678",
                    before="400-000-1234",
                    after="400-000-5678",
                )
            ],
        },
    )
    major, _ = texts(report, "zh")
    assert major == [
        "我们可能对您的请求收取费用（第3.1条）。",
        "我们答复您请求的期限由15个工作日调整为30个工作日（第3.1条）。",
        "客服热线由400-000-1234变更为400-000-5678（第4.1条）。",
    ]
    major, _ = texts(report, "en")
    assert major == [
        "Your requests may now be charged a fee (3.1).",
        "The time to answer your requests changes from 15 working days to 30 working days (3.1).",
        "The customer service hotline changes from 400-000-1234 to 400-000-5678 (4.1).",
    ]
    context = build_context(report, language="zh")
    assert context.entries[0].intro == "在第3部分（您的权利）中，我们修改了第3.1条。"


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("address", "en", "zh"),
    [
        ("5.6.1", "5.6.1", "第5.6.1条"),
        ("10 ¶1", "10 ¶1", "第10条第1段"),
        ("preamble ¶2", "preamble ¶2", "序言第2段"),
        ("Prompt clause ¶2", "“Prompt clause” ¶2", "“Prompt clause”第2段"),
        ("5.3.2(1)", "5.3.2(1)", "第5.3.2(1)条"),
        ("What GitHub collects", "“What GitHub collects”", "“What GitHub collects”"),
    ],
)
def test_addresses_in_each_language(address: str, en: str, zh: str) -> None:
    folders = notice_folders()
    assert format_address(address, load_patterns("en", folders)) == en
    assert format_address(address, load_patterns("zh", folders)) == zh


# --------------------------------------------------------------------------- pattern files


def _keys(data: object, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(data, dict):
        out: set[tuple[str, ...]] = set()
        for k, v in data.items():
            out |= _keys(v, (*path, str(k)))
        return out
    return {path}


def test_both_languages_have_the_same_patterns_with_the_same_placeholders() -> None:
    en = yaml.safe_load((NOTICES / "en" / "sentences.yaml").read_text(encoding="utf-8"))
    zh = yaml.safe_load((NOTICES / "zh" / "sentences.yaml").read_text(encoding="utf-8"))
    assert _keys(en) == _keys(zh)
    for path in _keys(en):
        a, b = en, zh
        for key in path:
            a, b = a[key], b[key]
        if path == ("dates", "format"):
            continue  # the month by name (English) or by number (Chinese)
        assert set(PLACEHOLDER.findall(str(a))) == set(PLACEHOLDER.findall(str(b))), path


def test_every_vocabulary_value_has_a_name_in_both_languages() -> None:
    named_kinds = ("pi-category", "purpose", "recipient", "location", "right", "channel")
    named_kinds += ("department", "complaint", "ownership", "risk", "retention")
    for language in ("en", "zh"):
        patterns = load_patterns(language, notice_folders())
        for kind in named_kinds:
            for value in VOCABULARY[kind]:
                assert patterns.name(kind, value), (language, kind, value)
        for verb in VOCABULARY["processing"]:
            assert patterns.has("use", "verbs", verb), (language, verb)


def _write(folder: Path, language: str, text: str) -> Path:
    (folder / language).mkdir(parents=True, exist_ok=True)
    path = folder / language / "sentences.yaml"
    path.write_text(text, encoding="utf-8")
    return folder


def test_a_templates_folder_overrides_single_patterns(tmp_path: Path) -> None:
    folder = _write(
        tmp_path, "en", 'values:\n  hotline: "Our hotline is now {after} instead of {before}"\n'
    )
    report = with_findings(revision(OLD, edited("hotline")), {"10 ¶1": [HOTLINE]})
    context = build_context(report, language="en", templates=folder)
    assert context.major[0].text == "Our hotline is now 95187 instead of 400-80-13260 (10 ¶1)."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('values:\n  hotline: "from {befor}"\n', r"values/hotline: unknown placeholder \{befor\}"),
        ('value:\n  hotline: "x"\n', "unknown key 'value/hotline'"),
        ('values:\n  hotlines: "x"\n', "unknown key 'hotlines'"),
        ("values: [\n", "malformed YAML"),
        ('values:\n  hotline: "{before.__class__}"\n', "unknown placeholder"),
        ("dates:\n  months: [a, b]\n", "12 month names"),
    ],
)
def test_bad_pattern_files_are_bad_input(tmp_path: Path, text: str, message: str) -> None:
    folder = _write(tmp_path, "en", text)
    with pytest.raises(PolicyError, match=message) as info:
        load_patterns("en", (folder, *notice_folders()))
    assert str(folder) in str(info.value)


def test_every_editorial_reason_is_named_in_both_languages() -> None:
    from analyzer.diff.nature import EDITORIAL_REASONS

    for language in ("en", "zh"):
        patterns = load_patterns(language, notice_folders())
        for reason in EDITORIAL_REASONS:
            assert patterns.has("reasons", reason), (language, reason)


def test_words_already_in_quotation_marks_are_not_quoted_again() -> None:
    en = load_patterns("en", notice_folders())
    assert en.quote("“Account Center”-“Settings”") == "“Account Center”-“Settings”"
    assert en.quote("we will  not\nshare") == "“we will not share”"
    zh = load_patterns("zh", notice_folders())
    assert zh.quote("“账号中心”-“个人资料”") == "“账号中心”-“个人资料”"
