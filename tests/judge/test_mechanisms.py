"""General mechanisms of the judgement, each on a small policy of our own words (not the seed,
not a labelled set): what a privacy editor would decide, and why."""

from __future__ import annotations

from functools import cache

import pytest

from analyzer.judge.criteria import CriteriaPack, load_pack
from analyzer.model import Report
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.statements.read import statements_of_text
from tests.helpers.judging import judge_texts


@cache
def pack() -> CriteriaPack:
    return load_pack()


def judged(old: str, new: str, language: str = "en") -> Report:
    return judge_texts(old, new, pack=pack(), language=language)


def triggered(report: Report) -> set[str]:
    return {c.id for c in report.criteria if c.triggered}


def decided(
    old: str,
    new: str,
    level: str,
    *,
    has: tuple[str, ...] = (),
    lacks: tuple[str, ...] = (),
    language: str = "en",
) -> Report:
    """The revision's decision is ``level``, meeting every criterion of ``has`` and none of
    ``lacks``."""
    report = judged(old, new, language)
    assert report.decision.level == level, report.decision.reasons
    found = triggered(report)
    assert set(has) <= found, (found, report.decision.reasons)
    assert not set(lacks) & found, (found, report.decision.reasons)
    return report


FITNESS = """# Pulsebit privacy notice

## 1. What we collect

1.1 When you wear a Pulsebit band, we collect your steps, heart rate and sleep duration to show
you daily trends.

1.2 We keep your trend data for 24 months.

## 2. Contact

Write to our privacy team at privacy@pulsebit.example.
"""


def test_a_more_sensitive_health_measurement_is_a_new_category() -> None:
    new = FITNESS.replace(
        "heart rate and sleep duration",
        "heart rate, sleep duration, blood pressure and a single-lead ECG",
    )
    report = decided(FITNESS, new, "popup", has=("9.4.1",))
    assert any("clinical" in r for r in report.decision.reasons), report.decision.reasons


def test_health_words_next_to_a_clinical_one_keep_their_own_sub_type() -> None:
    new = FITNESS.replace("heart rate and sleep duration", "sleep duration and heart rate")
    assert judged(FITNESS, new).decision.level == "publish"


TUTORING = """# Lumen Tutors privacy policy

## 1. Information we collect

We collect the following information:

- Account details: the name and e-mail address of the parent.
- Payment details: billing name, billing address and the last four digits of the card.

## 2. How we use it

We use payment details to take payments and send receipts.

## 3. Recordings

3.1 Lessons are recorded for safeguarding. We do not use recordings to train automated
systems and we do not share them with anyone other than the tutors listed in section 4.
"""


def test_income_is_a_more_sensitive_kind_of_financial_information() -> None:
    new = TUTORING.replace(
        "- Payment details:",
        "- Hardship grants: the household income band of the family, if you apply for a grant.\n"
        "- Payment details:",
    )
    decided(TUTORING, new, "popup", has=("9.4.1",))


def test_a_promise_not_to_train_on_recordings_withdrawn_needs_consent() -> None:
    new = TUTORING.replace(
        "We do not use recordings to train automated\nsystems and we do not share them",
        "We use transcripts of recordings to train our homework assistant. We do not share\n"
        "recordings",
    )
    # the promise not to share still stands
    decided(TUTORING, new, "consent", has=("9.2",), lacks=("9.4.3",))


CAR = """# Ostara Motors connected services privacy notice

## 1. Location

Location data is transmitted only:

- when you use live navigation;
- when you ask the app to find your car.

## 2. Your choices

2.1 Incognito drive: you can switch on Incognito drive in the settings menu. In Incognito
drive, the car stops transmitting location and driving data.

## 3. Safety

3.1 We ran a data protection impact assessment for the theft tracking service.

## 4. Complaints

You may lodge a complaint with the data protection authority of your country.
"""


def test_a_control_that_stopped_transmission_no_longer_does() -> None:
    new = CAR.replace(
        "In Incognito\ndrive, the car stops transmitting location and driving data.",
        "In Incognito\ndrive, your trips are hidden in the app. The car continues to transmit "
        "location and driving data to Ostara.",
    )
    decided(CAR, new, "consent", has=("9.2",))


def test_an_authority_consulted_is_no_new_place_to_complain() -> None:
    new = CAR.replace(
        "for the theft tracking service.",
        "for the theft tracking service. It found a high risk that a tracked driver is not the "
        "thief, so we consulted the supervisory authority before launch.",
    )
    decided(CAR, new, "popup", has=("9.4.6",), lacks=("9.4.5",))


CONTACT = """# Brindle Books privacy policy

## 1. Your rights

You can ask for a copy of your data by writing to us.

## 2. Contact us

Brindle Books Ltd
2045 W Grand Ave Ste B
Chicago, IL 60612 USA

**Brindle Data Protection Officer**

c/o Keel DPO Services GmbH,
Hafenstrasse 12,
24103 Kiel, Germany
"""


def test_an_address_written_out_in_full_is_the_same_address() -> None:
    new = CONTACT.replace(
        "2045 W Grand Ave Ste B\nChicago, IL 60612 USA",
        "2045 West Grand Avenue, Suite B\nChicago, Illinois 60612, United States",
    )
    assert judged(CONTACT, new).decision.level == "publish"


def test_a_postcode_written_with_a_space_is_only_whitespace() -> None:
    old = CONTACT.replace("24103 Kiel", "1097JB Amsterdam")
    new = CONTACT.replace("24103 Kiel", "1097 JB Amsterdam")
    assert judged(old, new).decision.level == "none"


def test_an_officer_users_could_write_to_withdrawn_needs_consent() -> None:
    new = CONTACT.split("**Brindle Data Protection Officer**")[0]
    decided(CONTACT, new, "consent", has=("9.2", "9.4.5"))


def test_a_new_right_that_comes_with_a_time_limit_takes_nothing_away() -> None:
    new = CONTACT.replace(
        "by writing to us.",
        "by writing to us. If we refuse, you can appeal our decision within 60 days by replying "
        "to our answer.",
    )
    decided(CONTACT, new, "popup", lacks=("9.2",))


ZH = """---
format: text
---
青禾阅读个人信息保护政策

一、我们如何共享您的个人信息

为实现相关功能，我们接入了以下第三方SDK：

| SDK名称 | 提供方 | 使用目的 | 收集的个人信息 |
|---|---|---|---|
| 推送SDK | 北京极光信息技术有限公司 | 消息推送 | 设备标识符 |

二、如何联系我们

如您有任何疑问或投诉，可通过以下方式与我们联系：

| 联系事项 | 联系方式 |
|---|---|
| 个人信息保护负责人 | 周明远 |
| 客服电话 | 400-100-2000 |

三、共同处理

青禾书城作为独立的个人信息处理者，依据其自身的规则处理您的订单信息。
"""


def test_a_pipe_table_in_plain_text_is_read_as_a_table() -> None:
    tree = parse(read_document(ZH.encode("utf-8"), "policy.md"))
    rows = [c for c in tree.clauses if "北京极光" in c.text]
    assert len(rows) == 1 and "SDK名称" not in rows[0].text


def test_padding_the_cells_of_a_pipe_table_is_whitespace_only() -> None:
    new = ZH.replace("| SDK名称 | 提供方 |", "|  SDK名称  |  提供方  |")
    assert judged(ZH, new, "zh").decision.level == "none"


def test_a_new_sdk_provider_in_a_table_is_a_new_recipient() -> None:
    new = ZH.replace(
        "| 推送SDK | 北京极光信息技术有限公司 | 消息推送 | 设备标识符 |",
        "| 推送SDK | 北京极光信息技术有限公司 | 消息推送 | 设备标识符 |\n"
        "| 号码认证SDK | 上海云盾网络科技有限公司 | 一键登录 | 手机号码、运营商类型 |",
    )
    # a telecom carrier (运营商) is no controller
    decided(ZH, new, "popup", has=("9.4.3",), lacks=("9.4.2",), language="zh")


def test_the_person_in_charge_named_in_a_contact_table_replaced() -> None:
    new = ZH.replace("| 个人信息保护负责人 | 周明远 |", "| 个人信息保护负责人 | 林思源 |")
    decided(ZH, new, "popup", has=("9.4.5",), language="zh")


def test_a_contact_table_row_label_renamed_is_editorial() -> None:
    new = ZH.replace("| 客服电话 | 400-100-2000 |", "| 联系电话 | 400-100-2000 |")
    assert judged(ZH, new, "zh").decision.level == "publish"


@pytest.mark.parametrize(
    ("before", "after", "language"),
    [
        (
            "青禾书城作为独立的个人信息处理者，依据其自身的规则处理您的订单信息。",
            "我们与青禾书城共同决定订单信息的处理目的和处理方式，双方为共同个人信息处理者。",
            "zh",
        ),
    ],
)
def test_an_independent_handler_becoming_a_joint_one_is_a_change_of_control(
    before: str, after: str, language: str
) -> None:
    decided(ZH, ZH.replace(before, after), "popup", has=("9.4.2",), language=language)


def test_joint_controllers_in_english() -> None:
    old = FITNESS + "\n## 3. Who is responsible\n\nPulsebit Ltd is the controller of your data.\n"
    new = old.replace(
        "Pulsebit Ltd is the controller of your data.",
        "Pulsebit Ltd and Corvid Health Ltd jointly determine the purposes and means of "
        "processing your data and are joint controllers.",
    )
    decided(old, new, "popup", has=("9.4.2",))


FORMS = """# Tallyform privacy policy

## Security

We use your IP address to protect our service from fraud.

## Retention

We keep form responses for as long as your account is open.
"""


def test_a_captcha_that_evaluates_mouse_movements_is_new_processing() -> None:
    new = FORMS.replace(
        "## Retention",
        "## Bot checks\n\nWhen you fill in a form, a CAPTCHA service evaluates your IP address "
        "and mouse movements to check that you are not an automated program.\n\n## Retention",
    )
    decided(FORMS, new, "popup", has=("9.4.1",))


CLUB = """# Fernhill Swim Club privacy notice

## 1. Your requests

1.1 You can make a request from the members' area or by e-mail to data@fernhill.example.
Parents can ask us to delete their child's records, and we will do so within 10 days.

## 2. Keeping records

2.1 We keep attendance records for 2 years.

## 3. Sharing

3.1 We share your name with the regional swimming federation to register you for galas.

## 4. Contact

Call the membership desk on 0161 555 0188.
"""


def test_a_longer_time_to_act_on_a_request_is_no_retention_period() -> None:
    new = CLUB.replace("within 10 days", "within 30 days")
    decided(CLUB, new, "consent", has=("9.2", "9.4.4"), lacks=("9.4.1",))


def test_a_phone_number_the_policy_already_gives_is_no_new_contact() -> None:
    new = CLUB.replace(
        "or by e-mail to data@fernhill.example.",
        "or by e-mail to data@fernhill.example, or call 0161 555 0188.",
    )
    assert "9.4.5" not in triggered(judged(CLUB, new))


def test_an_insurance_partner_is_a_new_kind_of_recipient() -> None:
    new = CLUB.replace(
        "to register you for galas.",
        "to register you for galas. If you join the accident cover scheme, we share your "
        "name and date of birth with our insurance partner.",
    )
    report = decided(CLUB, new, "popup", has=("9.4.3",))
    assert any("insurers" in r for r in report.decision.reasons), report.decision.reasons


ZH_LIST = """---
format: text
---
青禾骑行个人信息保护政策

一、我们收集的信息

（一）注册
1. 注册时，我们收集您的手机号码。
2. 手机号码用于登录。

（二）骑行记录
1. 我们记录您的骑行轨迹，用于展示骑行统计。
"""


def test_a_blank_line_under_a_numbered_heading_is_layout() -> None:
    new = ZH_LIST.replace("（一）注册\n1.", "（一）注册\n\n1.")
    decided(ZH_LIST, new, "none", language="zh")


# --------------------------------------------------------------------------- third round

CLINIC = """# Fernleaf Clinic privacy notice

## 1. Who receives your information

| Recipient | What they receive | Why |
|---|---|---|
| Pharmacies you pick | Your name and prescription | To fill your prescription |
| Imaging centres | Your name and referral | To carry out scans |

## 2. How long we keep it

We keep appointment notes for 10 years after your last visit.

## 3. Contact us

| Channel | Details |
|---|---|
| E-mail | privacy@fernleaf.example |
| Phone | (555) 010-2288, Monday to Friday, 9 am to 5 pm |
"""


def test_a_row_under_a_recipient_column_names_a_recipient_in_any_words() -> None:
    row = "| Imaging centres | Your name and referral | To carry out scans |"
    new = CLINIC.replace(
        row,
        f"{row}\n| Benefit administrators that work with your employer | Your name and "
        "claim codes | To check what your plan covers |",
    )
    decided(CLINIC, new, "popup", has=("9.4.3",))


def test_a_contact_table_tidied_keeps_its_channels_and_hours() -> None:
    new = CLINIC.replace("| E-mail |", "| Email |").replace(
        "(555) 010-2288, Monday to Friday, 9 am to 5 pm",
        "555-010-2288, Monday–Friday, 9:00 a.m. to 5:00 p.m.",
    )
    decided(CLINIC, new, "publish")


def test_up_to_a_period_in_a_table_of_how_long_data_is_kept_is_no_deadline() -> None:
    old = (
        "---\nformat: text\n---\nLumen Cameras privacy notice\n\n7. Keeping your data\n\n"
        "7.1 We keep data only as long as we need it:\n\n"
        "Data                  | Retention\n----------------------|------------------------\n"
        "Clips (free plan)     | 24 hours\nClips (paid plan)     | 30 days, or less if you choose\n"
    )
    new = old.replace("| Retention", "| How long we keep it").replace(
        "| 30 days, or less if you choose", "| up to 30 days (you can choose less)"
    )
    decided(old, new, "publish", lacks=("9.4.4",))


def test_a_period_tied_to_the_account_given_for_the_first_time_is_new() -> None:
    new = CLINIC.replace(
        "after your last visit.",
        "after your last visit. We keep the IP addresses you sign in from until your account "
        "is deleted.",
    )
    decided(CLINIC, new, "popup", has=("9.4.1",))


RENTAL = """驰行租车个人信息保护政策

一、我们如何收集您的信息

1. 在您用车期间，我们会收集车辆的实时位置，用于车辆防盗。

2. 车载终端仅记录车辆位置，不采集车内音频或视频。

二、联系我们

如果您有任何问题，请发送电子邮件至 privacy@chixing.example 与我们联系。
"""


def test_an_exception_that_is_the_users_own_opt_in_takes_nothing_away() -> None:
    new = RENTAL.replace(
        "2. 车载终端仅记录车辆位置",
        "2. 如您开启“安心驾驶”功能，车载终端还会记录您的驾驶行为数据，我们会据此生成驾驶分，"
        "用于确定押金金额。\n\n3. 除您开启安心驾驶的情形外，车载终端仅记录车辆位置",
    )
    decided(RENTAL, new, "popup", has=("9.4.1",), lacks=("9.2",), language="zh")


def test_an_e_mail_to_get_in_touch_with_us_is_a_contact_in_chinese() -> None:
    old = RENTAL.replace("二、联系我们", "二、其他事项").replace(
        "与我们联系。",
        "与我们联系，也可以发送电子邮件至 dpo@chixing.example 与我们的数据保护官联系。",
    )
    new = old.replace("dpo@chixing.example", "dataprotection@chixing.example")
    decided(old, new, "popup", has=("9.4.5",), lacks=("9.2",), language="zh")


def test_blank_lines_between_the_items_of_a_plain_text_list_are_layout() -> None:
    old = (
        "---\nformat: text\n---\n存储期限\n\n1. 保存期限\n\n我们保存您的信息的期限如下：\n"
        "1. 账号信息：在您注销账号前持续保存；\n2. 订单信息：自订单完成之日起保存3年。\n"
    )
    new = old.replace("持续保存；\n2.", "持续保存；\n\n2.").replace("如下：\n1.", "如下：\n\n1.")
    decided(old, new, "none", language="zh")


def test_access_the_company_gives_the_police_is_no_right_of_access() -> None:
    old = (
        "# Lumen Cameras privacy notice\n\n## 5. Law enforcement\n\nWe never give law "
        "enforcement access to your clips without a valid warrant or court order.\n"
    )
    new = old.replace("We never give", "We give").replace("without", "when we receive")
    decided(old, new, "consent", has=("9.2", "9.4.3"), lacks=("9.4.4", "9.4.5"))


QUARRY = """---
format: text
---
QUARRY GAMES PRIVACY POLICY

2. WHAT WE COLLECT

2.1 We collect your username, your scores and the device model you play on.

4. SHARING

4.1 We share information with these service providers:

  Recipient                      Purpose                        Location
  Nimbus Hosting Ltd             Game servers                   Ireland
  Tally Analytics GmbH           Crash reporting                Germany

5. YOUR RIGHTS

5.1 You can delete your Quarry account in Settings > Account, or by emailing privacy@quarry.example. Deletion is completed within 30 days.

5.2 We will respond within 30 days. We do not charge a fee for requests.

5.3 Q: Do you share my data with advertisers? A: Only with the providers listed in 4.1.

6. CONTACT

6.1 Call us on +44 20 7946 0123, Monday to Friday, or write to Quarry Games Ltd, 12 Mill St, Leeds LS1 4AP.
"""


def test_a_new_row_of_a_column_aligned_table_names_its_recipient() -> None:
    row = "  Tally Analytics GmbH           Crash reporting                Germany"
    new = QUARRY.replace(
        row, f"{row}\n  Vexa Security e.K.             Anti-cheat                     Germany"
    )
    decided(QUARRY, new, "popup", has=("9.4.3",))


def test_serial_numbers_are_a_more_sensitive_kind_of_device_information() -> None:
    new = QUARRY.replace(
        "the device model you play on.",
        "the device model you play on and hardware serial numbers of your disk.",
    )
    decided(QUARRY, new, "popup", has=("9.4.1",))


def test_a_right_whose_own_sentence_drops_a_channel_needs_consent() -> None:
    # the address still serves other questions: only the right lost its channel
    old = QUARRY.replace("6.1 Call us", "6.1 E-mail privacy@quarry.example with questions. Call us")
    new = old.replace(", or by emailing privacy@quarry.example.", ".")
    decided(old, new, "consent", has=("9.2", "9.4.4"))


def test_the_same_fee_promise_and_limit_said_the_other_way_round_are_editorial() -> None:
    new = QUARRY.replace(
        "We will respond within 30 days. We do not charge a fee for requests.",
        "Requests are free of charge, and we will respond within 30 days.",
    ).replace("A: Only with the providers", "A: No, except for the providers")
    decided(QUARRY, new, "publish")


def test_a_contact_line_written_out_in_full_is_the_same_contact() -> None:
    new = QUARRY.replace(
        "+44 20 7946 0123, Monday to Friday, or write to Quarry Games Ltd, 12 Mill St,",
        "+44 (0)20 7946 0123, Mon–Fri, or send a letter to Quarry Games Ltd, 12 Mill Street,",
    )
    decided(QUARRY, new, "publish")


JOBS = """# Talentway privacy notice

Talentway Ltd is the controller of your personal information.

## 4. Who sees your profile

4.1 Your profile is never shown to employers who search our database unless you switch on "Open to offers" in your settings.

## 5. Reports

5.1 When the app crashes, we will ask you to send a crash report to Talentway, and you can always decline.
"""


def test_a_profile_no_longer_hidden_from_employers_needs_consent() -> None:
    new = JOBS.replace(
        "Your profile is never shown to employers who search our database unless you switch on "
        '"Open to offers" in your settings.',
        'Your profile is shown to employers who search our database. You can switch off "Open '
        'to offers" in your settings.',
    )
    decided(JOBS, new, "consent", has=("9.2",))


def test_reports_the_user_was_asked_for_now_sent_without_asking_need_consent() -> None:
    new = JOBS.replace(
        "we will ask you to send a crash report to Talentway, and you can always decline.",
        "a crash report is sent to Talentway automatically.",
    )
    decided(JOBS, new, "consent", has=("9.2",))


TRAVEL = """# Roamly privacy notice

## 3. Sign-up

3.1 If you do not give us your phone number, you cannot book a trip, but you can still browse
destinations.

3.2 If you do not sign in for 24 months, we will email you. If you do not reply within 30 days,
we will close your account.

## 4. Who we share with

We may share personal data with third parties when the law requires it.

We may share personal data with the following recipients:

* Hotels you book: we send your name and dates of stay so that they can hold your room.
* Payment processors: we send your card details to take payment.

| Recipient | What we share | Why |
|---|---|---|
| Airlines | Name, e-mail address, passport number | To issue your ticket |

## 5. Contact us

| Contact | Details |
|---|---|
| Privacy team | privacy@roamly.example |
"""

ROAMLY_ZH = """# 漫游旅行个人信息保护政策

## 一、我们如何收集和使用您的个人信息

### （一）注册

1. 如您拒绝提供手机号码，将无法预订行程，但可以浏览目的地。

### （二）征得授权同意的例外

在以下情形中，我们收集、使用您的个人信息无需征得您的授权同意：

1. 为订立、履行您作为一方当事人的合同所必需；
2. 法律、行政法规规定的其他情形。
"""


def test_what_follows_when_the_user_does_not_act_denies_nothing() -> None:
    # 'if you do not give' / 'if we do not hear back' set a condition: rewording them changes
    # neither the information collected nor any time limit of the company
    new = TRAVEL.replace("If you do not give us", "Should you choose not to give us").replace(
        "If you do not reply within 30 days,", "If we do not hear back from you within 30 days,"
    )
    decided(TRAVEL, new, "publish")
    zh = ROAMLY_ZH.replace("如您拒绝提供手机号码，将无法", "如您不提供手机号码，您将无法")
    decided(ROAMLY_ZH, zh, "publish", language="zh")


def test_exceptions_to_consent_are_the_cases_needing_no_consent() -> None:
    new = ROAMLY_ZH.replace("### （二）征得授权同意的例外", "### （二）无需征得您授权同意的情形")
    decided(ROAMLY_ZH, new, "publish", language="zh")


def test_an_e_mail_address_shared_with_a_recipient_is_no_contact_detail() -> None:
    new = TRAVEL.replace(
        "| Airlines | Name, e-mail address, passport number | To issue your ticket |",
        "| Airlines | Name, e-mail address, passport number | To issue your ticket |\n"
        "| Car rental partner (Wheelo GmbH) | Name, e-mail address, driving licence | To offer "
        "you a car when you book |",
    )
    report = decided(TRAVEL, new, "popup", has=("9.4.3",), lacks=("9.4.5",))
    assert any(
        "wheelo" in r.casefold() or "car rental" in r.casefold() for r in report.decision.reasons
    )


def test_a_new_labelled_item_in_a_list_of_recipients_is_a_new_recipient() -> None:
    new = TRAVEL.replace(
        "* Payment processors:",
        "* Itinerary Assistants: when you plan a trip with the assistant, we send your "
        "destinations and dates to it; it is hosted by a third party.\n* Payment processors:",
    )
    decided(TRAVEL, new, "popup", has=("9.4.3",))
    # the same list with an item relabelled in other letters is the same list
    same = TRAVEL.replace("* Hotels you book:", "* Hotels You Book:")
    decided(TRAVEL, same, "publish")


LENS = """# Lensly privacy notice

## 2. Features

2.1 Scanner. When you use the scanner, we do not receive or share your camera images.

2.2 Step counter. When you use the step counter, we do not receive your accelerometer readings.

## 6. Risk

6.1 We carry out a data protection impact assessment before introducing processing that is
likely to result in a high risk to your rights and freedoms.

## 7. Contact

7.1 We have appointed a Data Protection Officer (DPO). You can reach our DPO by email at
dpo@lensly.example or by writing to: Data Protection Officer, Lensly Ltd, 8 Quay Road, Leeds LS1 4AB.

7.2 Is this call really from you? No. We will never ask for your password by phone, text or email.
"""


def test_a_denial_of_other_information_does_not_keep_a_withdrawn_promise() -> None:
    # 'we do not receive your accelerometer readings' promises nothing about camera images
    new = LENS.replace(
        "we do not receive or share your camera images.",
        "the scanned links are sent to us to detect malicious websites.",
    )
    decided(LENS, new, "consent", has=("9.2",))


def test_a_risk_found_by_an_assessment_is_new_where_the_policy_only_looked_for_risks() -> None:
    new = LENS.replace(
        "likely to result in a high risk to your rights and freedoms.",
        "likely to result in a high risk to your rights and freedoms.\n\n6.2 Our assessment of "
        "the scanner concluded that a high residual risk remains for people filmed by chance.",
    )
    decided(LENS, new, "popup", has=("9.4.6",))


def test_contact_and_warning_sentences_reworded_are_editorial() -> None:
    new = LENS.replace(
        "You can reach our DPO by email at\ndpo@lensly.example or by writing to:",
        "Our DPO can be contacted by email at\ndpo@lensly.example or by post at:",
    ).replace(
        "No. We will never ask for your password by phone, text or email.",
        "No. Whether by phone, text or email, we will never ask you for your password.",
    )
    decided(LENS, new, "publish")


CONTACT_ZH = """# 栖木社区个人信息保护政策

## 九、如何联系我们

| 联系事项 | 联系方式 |
|---|---|
| 个人信息保护负责人 | 电子邮箱：privacy@qimu.example |
| 通信地址 | 浙江省杭州市西湖区文三路100号 法务部（邮编：310012） |
"""


def test_a_department_replaced_by_another_in_an_address_row_is_a_new_contact() -> None:
    new = CONTACT_ZH.replace(
        "浙江省杭州市西湖区文三路100号 法务部（邮编：310012）",
        "浙江省杭州市滨江区江南大道8号 个人信息保护办公室（邮编：310052）",
    )
    decided(CONTACT_ZH, new, "popup", has=("9.4.5",), lacks=("9.2",), language="zh")


CARSHARE = """# Wheelie privacy notice

## 2. Information we collect

### 2.2 Information generated when you use our service

- **Trip data**: the car you booked, start and end times and distance driven.
- **Damage photos**: the photos you take of the car before a trip.

## 4. Who we share it with

| Recipient | What they receive | Why |
|---|---|---|
| Roadside assistance partner | Your name, phone number, car location | To send help |
| Cloud hosting provider (Amazon Web Services) | All categories, stored on our behalf | To host our systems |
"""

CARSHARE_ZH = """# 快骑个人信息保护政策

## 五、您的权利

1. 如您申请删除账户，系统将在收到请求后 30 天内删除您的个人信息。
"""


def test_a_company_given_its_legal_form_or_moved_in_a_table_is_the_same_recipient() -> None:
    new = CARSHARE.replace(
        "| Roadside assistance partner | Your name, phone number, car location | To send help |\n"
        "| Cloud hosting provider (Amazon Web Services) | All categories, stored on our behalf | "
        "To host our systems |",
        "| Cloud hosting provider (Amazon Web Services, Inc.) | All categories, stored on our "
        "behalf | To host our systems |\n"
        "| Roadside assistance partner | Your name, phone number, car location | To send help |",
    )
    decided(CARSHARE, new, "publish")
    other = CARSHARE.replace("(Amazon Web Services)", "(Google Cloud EMEA Ltd)")
    decided(CARSHARE, other, "popup", has=("9.4.3",))


def test_a_number_written_out_with_its_digits_is_the_same_deadline() -> None:
    new = CARSHARE_ZH.replace("收到请求后 30 天内", "收到请求后三十（30）天内")
    decided(CARSHARE_ZH, new, "publish", language="zh")


def test_a_new_entry_of_a_list_of_what_is_collected_is_collected() -> None:
    new = CARSHARE.replace(
        "- **Damage photos**:",
        "- **In-cabin camera clips**: some cars save a 20-second video clip of the cabin when "
        "they detect harsh braking.\n- **Damage photos**:",
    )
    decided(CARSHARE, new, "popup", has=("9.4.1",))


COWORK = """# Deskly privacy notice

## 6. Who we share with

| Recipient | Purpose |
|---|---|
| Keycard Systems Ltd | Door access control |
| Ledgerly Limited | Accounting |

## 12. Contact

- Post: Deskly Ltd, 4 Mill Lane, London E1 6AN
- Email: privacy@deskly.example
- Phone: 020 7946 0321
"""


def test_a_new_recipient_row_naming_a_company_and_its_country_is_a_new_recipient() -> None:
    new = COWORK.replace(
        "| Ledgerly Limited | Accounting |",
        "| Ledgerly Limited | Accounting |\n| Roomcount Inc. (United States) | Occupancy sensors "
        "using Wi-Fi connection data |",
    )
    decided(COWORK, new, "popup", has=("9.4.3",))
    # the legal form's dot before a parenthesis ends no sentence: the row is read whole
    row = "Recipient: Roomcount Inc. (United States) | Purpose: Occupancy sensors"
    statements = statements_of_text(row)
    assert any("org:roomcount" in r for st in statements for r in st.recipients), statements


def test_a_phone_number_with_its_country_code_is_the_same_number() -> None:
    new = COWORK.replace("Phone: 020 7946 0321", "Phone: +44 20 7946 0321")
    decided(COWORK, new, "publish")


STREAM = """# Tunely privacy notice

## 5. Advertising

We share aggregated data about the sponsored tracks you play with our advertising partner
Adzerkly so that advertisers can see how many people listened.

## 9. Complaints

You can complain to the Data Protection Commission at dataprotection.example or on 01 765 0100.

## 11. Contact

Please contact us at privacy@tunely.example.

| Who | How to reach them |
|---|---|
| Data Protection Officer | dpo@tunely.example, or by post to the DPO, Tunely Ltd, 14 Quay Road, Dublin 2, D02 XK61 |
"""


def test_a_second_company_named_beside_the_first_is_a_new_recipient() -> None:
    new = STREAM.replace("partner\nAdzerkly so", "partner\nAdzerkly and Google Ad Manager so")
    decided(STREAM, new, "popup", has=("9.4.3",))


def test_channel_words_around_the_same_addresses_and_numbers_are_editorial() -> None:
    new = (
        STREAM.replace(
            "Please contact us at privacy@tunely.example.", "Please email privacy@tunely.example."
        )
        .replace("or on 01 765 0100.", "or by phone on 01 765 0100.")
        .replace(
            "dpo@tunely.example, or by post to the DPO, Tunely Ltd,",
            "dpo@tunely.example; post: Data Protection Officer, Tunely Ltd,",
        )
    )
    decided(STREAM, new, "publish")


def test_a_compliance_department_in_place_of_the_legal_one_is_a_new_contact() -> None:
    old = CONTACT_ZH
    new = old.replace(
        "浙江省杭州市西湖区文三路100号 法务部（邮编：310012）",
        "浙江省杭州市滨江区网商路9号 数据合规部（邮编：310052）",
    )
    decided(old, new, "popup", has=("9.4.5",), lacks=("9.2",), language="zh")


INSURE = """# Harbourside Insurance privacy notice

## 7. Your rights

7.1 You have the right to:

1. ask for a copy of your information;
2. ask us to correct inaccurate information;
3. withdraw consent to marketing at any time.

7.2 You can also designate an authorized agent to make a request on your behalf. If we deny
your request, you may appeal our decision by replying to our email.
"""

SDK_TEXT = """---
format: text
---
速记App个人信息保护政策

三、我们如何共享您的个人信息

我们接入的第三方SDK情况如下：

| SDK名称 | 提供方 | 使用目的 | 收集的个人信息 |
| 微信登录SDK | 深圳市腾讯计算机系统有限公司 | 微信授权登录 | 设备标识信息 |
| 友盟统计SDK | 友盟同欣（北京）科技有限公司 | 崩溃统计 | 设备标识信息、设备型号 |
"""


def test_an_agent_and_an_appeal_no_longer_offered_need_consent() -> None:
    new = INSURE.replace(
        "You can also designate an authorized agent to make a request on your behalf. If we deny\n"
        "your request, you may appeal our decision by replying to our email.",
        "We only accept requests from the policyholder. If we deny your request, our decision "
        "is final.",
    )
    decided(INSURE, new, "consent", has=("9.2",))


def test_a_right_reworded_and_a_new_right_to_a_human_decision() -> None:
    same = INSURE.replace(
        "ask us to correct inaccurate information",
        "ask us to put right any information that is inaccurate",
    )
    decided(INSURE, same, "publish")
    new = INSURE.replace(
        "3. withdraw consent to marketing at any time.",
        "3. withdraw consent to marketing at any time; and\n4. ask that your claim is assessed by "
        "a claims handler rather than by our automated fraud scoring.",
    )
    decided(INSURE, new, "popup", has=("9.4.4",))


def test_a_pipe_table_without_a_rule_in_plain_text_is_a_table() -> None:
    new = SDK_TEXT.replace(
        "| 友盟统计SDK | 友盟同欣（北京）科技有限公司 | 崩溃统计 | 设备标识信息、设备型号 |",
        "| 友盟统计SDK | 友盟同欣（北京）科技有限公司 | 崩溃统计 | 设备标识信息、设备型号 |\n"
        "| 穿山甲广告SDK | 北京巨量引擎网络技术有限公司 | 广告投放 | 设备标识信息、粗略位置信息 |",
    )
    decided(SDK_TEXT, new, "popup", has=("9.4.3",), language="zh")
