"""Issue 14: every kind of change that needs a pop-up or consent, written the way a hostile
contributor would write it, fails ``policy check --base main`` with its rule id; the honest
changes still pass. Each case is a git change on a branch, checked as CI checks a pull request
(tests/helpers/gate_changes.py). The structural cases (lead-ins, lists, exceptions) are in
test_gate_structure.py; the rendered-Markdown/HTML ones in test_gate_rendering.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.gate_changes import BASE_VERSION, NEW_VERSION, gate_repo, propose
from tests.helpers.versions_repo import BODY, ZH_BODY, git, version_text, with_front_matter

MAJOR = ("popup", "consent")
"""A major change needs at least a pop-up (a withdrawn promise may need consent)."""

if shutil.which("git") is None:  # pragma: no cover - git is part of the test environment
    pytest.skip("git is not installed", allow_module_level=True)

LOCATION_CLAUSE = "1.3. We share your precise location with advertisers."
WITH_LOCATION = BODY.replace(
    "1.2. We keep server logs for security.",
    "1.2. We keep server logs for security.\n\n" + LOCATION_CLAUSE,
)
DEADLINE = BODY.replace(
    "2.1. You can ask us to correct or delete your information.",
    "2.1. You can ask us to correct or delete your information. We answer within 15 days.",
)
TWO_LANGUAGES = "title: Demo\nlanguages: [en, zh]\ncriteria: seed-9.4\nnotice_period_days: 30\n"
ZH_POLICY = "title: 演示\nlanguages: [zh]\ncriteria: seed-9.4\nnotice_period_days: 30\n"
ZH_ONLY_BODY = """# 隐私政策

1. 我们收集的信息

1.1 我们收集您的姓名和电子邮件地址，用于管理您的账户。

1.2 我们保存服务器日志，用于安全保障。

2. 您的权利

2.1 您可以要求我们更正或删除您的信息。
"""
ZH_SALE = "1.3 我们会将您的位置信息出售给广告合作伙伴。"


# -- the honest controls -----------------------------------------------------------------------


def test_a_typo_fix_declared_publish_passes(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, body=BODY.replace("to run your account", "to run yuor acount"))
    outcome = propose(gate, BODY, notice="publish")
    assert outcome.code == 0, outcome.output
    assert outcome.rules == set()
    assert outcome.revision(f"{NEW_VERSION}.md")["detected"] == "publish"


def test_a_hotline_change_declared_popup_with_the_notice_period_passes(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(
        gate, BODY.replace("400-80-13260", "95187"), notice="popup", effective="2024-04-15"
    )
    assert outcome.code == 0, outcome.output
    assert outcome.rules == set()
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["detected"] in MAJOR
    assert any("400-80-13260 -> 95187" in reason for reason in revision["reasons"])


# -- 1. look-alike and invisible characters -----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code_points"),
    [
        # a Cyrillic а (U+0430) in the key words
        ("1.3. We share your precise loc\u0430tion with \u0430dvertisers.", ["U+0430"]),
        # invisible times (U+2062) and the combining grapheme joiner (U+034F) inside them
        (
            "1.3. We sh\u2062are your precise loc\u034fation with adver\u2062tisers.",
            ["U+2062", "U+034F"],
        ),
        # a mathematical bold s
        ("1.3. We \U0001d42chare your precise location with advertisers.", ["U+1D42C"]),
    ],
    ids=["cyrillic-a", "invisible-times-and-cgj", "mathematical-s"],
)
def test_a_new_sharing_clause_in_look_alike_or_invisible_characters_fails(
    tmp_path: Path, written: str, code_points: list[str]
) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(gate, WITH_LOCATION.replace(LOCATION_CLAUSE, written))
    assert outcome.code == 1
    assert {"undeclared-notice", "suspicious-characters"} <= outcome.rules
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["detected"] in MAJOR  # judged as a reader sees it
    reasons = " ".join(revision["reasons"])
    # the recipient as the vocabulary names it ("advertising partners now receive …")
    assert "location" in reasons and "advertising partners" in reasons
    found = outcome.messages("suspicious-characters")
    assert "1.3" in found
    for code_point in code_points:
        assert code_point in found


def test_a_deadline_lengthened_with_a_cyrillic_a_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, body=DEADLINE)
    outcome = propose(gate, DEADLINE.replace("15 days", "60 d\u0430ys"))
    assert outcome.code == 1
    assert {"undeclared-notice", "suspicious-characters"} <= outcome.rules
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["detected"] == "consent"
    assert any("15 days -> 60 days" in reason for reason in revision["reasons"])
    assert "U+0430 CYRILLIC SMALL LETTER A (looks like 'a')" in outcome.messages(
        "suspicious-characters"
    )


def test_a_zero_width_joiner_between_chinese_characters_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, body=ZH_ONLY_BODY, policy_yaml=ZH_POLICY, language="zh")
    hidden = ZH_SALE.replace("位置", "位\u200d置").replace("出售", "出\u200d售")
    body = ZH_ONLY_BODY.replace(
        "1.2 我们保存服务器日志，用于安全保障。",
        "1.2 我们保存服务器日志，用于安全保障。\n\n" + hidden,
    )
    outcome = propose(gate, body, language="zh")
    assert outcome.code == 1
    assert {"undeclared-notice", "suspicious-characters"} <= outcome.rules
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["detected"] in MAJOR
    # the reasons name the sale in English, whatever the policy's language
    reasons = " ".join(revision["reasons"])
    assert all(w in reasons for w in ("location", "advertising partners", "sell")), reasons
    assert "U+200D ZERO WIDTH JOINER" in outcome.messages("suspicious-characters")


def test_the_redline_shows_the_suspicious_characters(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, body=DEADLINE)
    propose(gate, DEADLINE.replace("15 days", "60 d\u0430ys"))
    code, text = gate.check_text()
    assert code == 1
    assert "[suspicious-characters]" in text and "2.1: U+0430" in text


# -- 2. bidi controls ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hotline",
    [
        "\u202e06231-08-004\u202c",  # stored as another number, displayed as the old one
        "\u202e400-80-13260\u202c",  # stored as the old number, displayed backwards
    ],
    ids=["another-number-displayed-as-the-old", "the-old-number-displayed-backwards"],
)
def test_a_hotline_number_wrapped_in_a_right_to_left_override_fails(
    tmp_path: Path, hotline: str
) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(gate, BODY.replace("400-80-13260", hotline))
    assert outcome.code == 1
    assert "suspicious-characters" in outcome.rules
    found = outcome.messages("suspicious-characters")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE (bidi control)" in found and "2.2" in found


# -- 5. the change configures its own gate --------------------------------------------------------

LENIENT = "id: lenient\ntitle: {en: lenient, zh: 宽松}\ncriteria: []\n"


def test_a_lenient_pack_added_by_the_same_change_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    gate.write("lenient.yaml", LENIENT)
    gate.write(
        "policy.yaml",
        "title: Demo\nlanguages: [en]\ncriteria: policy_versions/demo/lenient.yaml\n"
        "notice_period_days: 30\n",
    )
    outcome = propose(gate, WITH_LOCATION)
    assert outcome.code == 1
    assert {"config-changed", "undeclared-notice"} <= outcome.rules
    # judged with the base's pack, not the one the change brings
    assert outcome.revision(f"{NEW_VERSION}.md")["detected"] in MAJOR
    assert "'criteria' changes from 'seed-9.4'" in outcome.messages("config-changed")


def test_a_notice_period_of_zero_in_the_same_change_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    gate.write(
        "policy.yaml", "title: Demo\nlanguages: [en]\ncriteria: seed-9.4\nnotice_period_days: 0\n"
    )
    outcome = propose(gate, BODY.replace("400-80-13260", "95187"), notice="popup")
    assert outcome.code == 1
    assert {"config-changed", "notice-period"} <= outcome.rules
    assert "needs 30 days' notice" in outcome.messages("notice-period")
    assert "'notice_period_days' changes from 30 to 0" in outcome.messages("config-changed")


def test_an_edit_of_a_shipped_pack_in_the_same_change_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    # a repository that keeps the analyzer beside its policies (as this one does)
    packs = gate.top / "analyzer" / "judge" / "packs"
    packs.mkdir(parents=True)
    (packs / "seed-9.4.yaml").write_text("id: seed-9.4\n", encoding="utf-8")
    gate.commit("the analyzer")
    (packs / "seed-9.4.yaml").write_text("id: seed-9.4\n# lenient now\n", encoding="utf-8")
    outcome = propose(gate, WITH_LOCATION, notice="popup", effective="2024-04-15")
    assert outcome.code == 1
    assert outcome.rules == {"config-changed"}
    [hit] = [h for h in outcome.data["hits"] if h["rule"] == "config-changed"]
    assert hit["file"] == "analyzer/judge/packs/seed-9.4.yaml"
    assert "the analyzer of the base" in hit["message"]


def test_a_configuration_change_on_its_own_passes(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    gate.write(
        "policy.yaml", "title: Demo\nlanguages: [en]\ncriteria: seed-9.4\nnotice_period_days: 45\n"
    )
    gate.commit("a longer notice period")
    outcome = gate.check()
    assert outcome.code == 0, outcome.output
    assert "config-changed" not in outcome.rules


# -- 6. dates --------------------------------------------------------------------------------------


def test_an_effective_date_long_before_the_version_date_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(
        gate, BODY.replace("400-80-13260", "95187"), notice="popup", effective="2023-12-01"
    )
    assert outcome.code == 1
    assert "date-order" in outcome.rules
    assert "effective 2023-12-01 is 91 days before the version date 2024-03-01" in (
        outcome.messages("date-order")
    )


def test_updated_before_the_previous_versions_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(gate, BODY.replace("server logs", "the server logs"), updated="2023-11-01")
    assert outcome.code == 1
    assert "updated 2023-11-01 is earlier than the previous version's updated 2024-01-01" in (
        outcome.messages("date-order")
    )


def test_a_version_dated_far_in_the_future_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    outcome = propose(
        gate,
        BODY.replace("400-80-13260", "95187"),
        version="2099-01-01",
        notice="popup",
        effective="2099-03-01",
    )
    assert outcome.code == 1
    assert "future-date" in outcome.rules
    assert "version date 2099-01-01 is" in outcome.messages("future-date")


# -- 7. self-review -------------------------------------------------------------------------------

REVIEWED = (
    "reviewed:\n  - criterion: '9.4.5'\n    clause: '2.2'\n    verdict: not-major\n"
    "    reason: the old number forwards to the new one\n    reviewer: legal\n"
)


def _reviewed_version(body: str) -> str:
    return with_front_matter(version_text(NEW_VERSION, body=body), REVIEWED)


def test_an_override_written_with_the_text_it_overrides_is_flagged_and_shown(
    tmp_path: Path,
) -> None:
    gate = gate_repo(tmp_path)
    gate.write(f"{NEW_VERSION}.md", _reviewed_version(BODY.replace("400-80-13260", "95187")))
    gate.commit()
    outcome = gate.check()
    assert outcome.code == 0  # a warning by default …
    assert outcome.rules == {"self-reviewed"}
    assert "9.4.5 at 2.2: not-major by legal" in outcome.messages("self-reviewed")
    assert "(without it: 'popup')" in outcome.messages("self-reviewed")
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert revision["overrides"] == [
        {
            "criterion": "9.4.5",
            "clause": "2.2",
            "verdict": "not-major",
            "reason": "the old number forwards to the new one",
            "reviewer": "legal",
        }
    ]
    failing = gate.check("--fail-on", "warning")  # … an error when CI asks for it
    assert failing.code == 1
    _code, text = gate.check_text()
    assert "override 9.4.5 at 2.2: not-major by legal: the old number forwards" in text


def test_an_override_landed_after_its_text_is_shown_but_not_flagged(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    hotline = BODY.replace("400-80-13260", "95187")
    gate.write(f"{NEW_VERSION}.md", version_text(NEW_VERSION, body=hotline, notice="popup"))
    gate.commit("the text, as a draft")
    git(gate.top, "checkout", "-q", "main")
    git(gate.top, "merge", "-q", "change")
    git(gate.top, "checkout", "-q", "-b", "review")
    gate.write(f"{NEW_VERSION}.md", _reviewed_version(hotline))
    gate.commit("the reviewer's verdict")
    outcome = gate.check()
    assert "self-reviewed" not in outcome.rules
    assert outcome.revision(f"{NEW_VERSION}.md")["overrides"][0]["reviewer"] == "legal"


# -- 8. a new language ----------------------------------------------------------------------------


def test_a_first_translation_that_sells_location_data_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, policy_yaml=TWO_LANGUAGES)
    sale = ZH_BODY + "\n3. 我们会将您的位置信息出售给广告合作伙伴。\n"
    gate.write(f"{BASE_VERSION}.zh.md", version_text(BASE_VERSION, body=sale, language="zh"))
    gate.commit("a Chinese translation")
    outcome = gate.check()
    assert outcome.code == 1
    assert "translation-mismatch" in outcome.rules
    found = outcome.messages("translation-mismatch")
    for words in ("location", "sold", "advertising partners", f"{BASE_VERSION}.md"):
        assert words in found


def test_a_translation_in_a_language_the_policy_does_not_list_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    gate.write(f"{BASE_VERSION}.zh.md", version_text(BASE_VERSION, body=ZH_BODY, language="zh"))
    gate.commit("a Chinese translation")
    outcome = gate.check()
    assert outcome.code == 1
    assert "unlisted-language" in outcome.rules


def test_a_faithful_translation_passes_and_a_later_unfaithful_one_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path, policy_yaml=TWO_LANGUAGES)
    gate.write(f"{BASE_VERSION}.zh.md", version_text(BASE_VERSION, body=ZH_BODY, language="zh"))
    gate.commit("a faithful Chinese translation")
    outcome = gate.check()
    assert outcome.code == 0, outcome.output
    # the rule also runs on every later revision of a translation
    later = ZH_BODY.replace("2.2.", "2.2. 我们会与广告合作伙伴共享您的信息。\n\n2.3.")
    propose(gate, BODY.replace("server logs", "the server logs"))
    gate.write(f"{NEW_VERSION}.zh.md", version_text(NEW_VERSION, body=later, language="zh"))
    gate.commit("a later translation")
    outcome = gate.check()
    assert "translation-mismatch" in outcome.rules
    assert "advertising partners" in outcome.messages("translation-mismatch")


# -- 9. the smaller items --------------------------------------------------------------------------


def test_an_edit_of_a_published_versions_anchors_fails(tmp_path: Path) -> None:
    gate = gate_repo(tmp_path)
    anchors = (
        '{\n  "schema": "policy-anchors/1",\n  "versions": {\n    "2024-01-01": {\n'
        '      "sha256": "x",\n      "anchors": [\n        ["s1", "00", "c-aaaa"]\n      ]\n'
        "    }\n  }\n}\n"
    )
    gate.write("anchors.json", anchors)
    gate.commit("the anchors")
    git(gate.top, "checkout", "-q", "main")
    git(gate.top, "merge", "-q", "change")
    git(gate.top, "checkout", "-q", "-b", "retarget")
    gate.write("anchors.json", anchors.replace("c-aaaa", "c-bbbb"))
    gate.commit("another anchor")
    outcome = gate.check()
    assert outcome.code == 1
    assert outcome.rules == {"anchors-edited"}
    assert "published version 2024-01-01 were edited" in outcome.messages("anchors-edited")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://example.org/"]
)
def test_a_base_url_that_is_not_http_is_refused(tmp_path: Path, url: str) -> None:
    from analyzer.cli import app
    from tests.helpers.versions_repo import runner

    gate = gate_repo(tmp_path)
    result = runner.invoke(
        app, ["site", "build", "--no-model", "--versions", str(gate.versions), "--base-url", url]
    )
    assert result.exit_code == 2
    assert "--base-url must be an http(s) URL" in result.stderr
