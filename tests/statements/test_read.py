"""Reading statements: what a sentence states, in the roles its words play."""

from __future__ import annotations

from analyzer.statements import Statement, statements_of, statements_of_text
from tests.helpers.judging import tree


def practices(text: str, language: str = "en") -> list[Statement]:
    return [s for s in statements_of_text(text, language) if s.kind == "practice"]


def test_a_negation_governs_the_verb_it_stands_before() -> None:
    (sell,) = practices("Our studio never directly sells the personal data of its members.")
    assert (sell.action, sell.polarity, sell.modality) == ("sell", "denied", "will")
    both = practices("We do not collect or process biometric data about our members.")
    assert {(s.action, s.polarity) for s in both} == {("collect", "denied"), ("use", "denied")}
    (passive,) = practices("Your reading history is never shared with advertisers.")
    assert passive.denied and passive.recipients == ("advertisers",)


def test_a_negation_elsewhere_in_the_sentence_denies_nothing() -> None:
    (collect,) = practices("It is no secret that we collect the addresses you give us.")
    assert collect.polarity == "affirmed"


def test_a_negative_subject_denies_the_clause() -> None:
    (receive,) = [
        s
        for s in practices("No insurer will receive the step counts recorded by the band.")
        if s.action == "receive"
    ]
    assert receive.actor == "recipient" and receive.denied
    assert receive.recipients == ("insurers",)


def test_chinese_denial_reaches_across_the_object() -> None:
    found = practices("我们不会将您的健康数据出售给保险公司。", "zh")
    assert [(s.action, s.polarity) for s in found] == [("sell", "denied")]


def test_a_list_item_is_read_with_its_lead_in() -> None:
    text = (
        "# Sharing\n\nOur clinic will never:\n\n- sell your appointment history;\n"
        "- pass your phone number to marketing partners.\n\nWe may:\n\n"
        "- share your appointment history with your insurer.\n"
    )
    read = statements_of(tree(text))
    by_action = {(s.action, s.polarity) for s in read.of_kind("practice")}
    assert ("sell", "denied") in by_action
    assert ("provide", "denied") in by_action
    assert ("share", "affirmed") in by_action
    sell = next(s for s in read.of_kind("practice") if s.action == "sell")
    assert len(sell.sources) == 2  # the item and the lead-in it completes


def test_what_the_user_does_is_no_practice_of_the_company() -> None:
    assert practices("You can share your playlists with friends from the app.") == []


def test_a_right_is_granted_only_where_the_sentence_grants_it() -> None:
    (granted,) = [
        s
        for s in statements_of_text("You can erase your reading list at any time.")
        if s.kind == "right"
    ]
    assert (granted.action, granted.actor, granted.status) == ("delete", "user", "granted")
    mentioned = "Questions about deletion requests go to our help desk."
    assert [s for s in statements_of_text(mentioned) if s.kind == "right"] == []
    (denied,) = [
        s
        for s in statements_of_text("Crash data collection cannot be turned off separately.")
        if s.kind == "right"
    ]
    assert denied.status == "denied"


def test_someone_else_holding_a_right_is_not_the_user() -> None:
    (right,) = [
        s
        for s in statements_of_text(
            "您的近亲属可以对您的相关个人信息行使查阅、复制、删除等权利。", "zh"
        )
        if s.kind == "right"
    ][:1]
    assert right.actor == "other"


def test_roles_product_names_and_identity_documents() -> None:
    found = statements_of_text(
        "We collect a government-issued photo ID to confirm who you are. "
        "The Nearby Share feature sends files to devices near you."
    )
    objects = {o for s in found for o in s.objects}
    recipients = {r for s in found for r in s.recipients}
    assert "id-document" in objects and "user-content" not in objects
    assert "authorities" not in recipients
    assert not any(s.action == "share" for s in found)


def test_sub_types_of_location() -> None:
    (precise,) = practices("With your permission we read the GPS coordinates of your phone.")
    assert "location/precise" in precise.objects or precise.objects == ()
    (coarse,) = practices("We use your approximate location, derived from your IP address.")
    assert "location/approximate" in coarse.objects


def test_contacts_are_read_in_a_contact_context() -> None:
    found = statements_of_text("Questions? Call our privacy line on +44 20 7946 0018.")
    assert any(s.kind == "contact" and s.values == ("phone:442079460018",) for s in found)


def test_a_request_deadline_and_a_window_imposed_on_the_user() -> None:
    found = statements_of_text(
        "When you ask us to erase your account, we erase it within 30 days of your request."
    )
    assert any(s.kind == "deadline" and s.actor == "company" and s.days == 30 for s in found)
    window = statements_of_text("You may contest a refusal within 10 days of our answer.")
    assert any(s.kind == "deadline" and s.actor == "user" for s in window)


def test_statements_serialise() -> None:
    read = statements_of(tree("# P\n\nWe never sell your data. You can delete your account.\n"))
    data = read.to_dict()
    assert data["schema"] == "policy-statements/1"
    assert {s["kind"] for s in data["statements"]} == {"practice", "right"}


def test_staff_access_is_a_practice_of_the_company() -> None:
    # 'access' with the company's own people as subject is the access practice; a user's or a
    # third party's access is not
    found = practices(
        "# Notes\n\nOur support engineers never access your saved notebooks unless you ask.\n"
    )
    assert any(s.action == "access" and s.denied and s.actor == "company" for s in found), found
    assert not any(
        s.action == "access"
        for s in practices(
            "# Notes\n\nVisitors to a shared notebook can access it from any browser.\n"
        )
    )
    zh = practices("# 笔记\n\n我们的工作人员不会访问您的私人笔记，除非您授权。\n", "zh")
    assert any(s.action == "access" and s.denied for s in zh), zh


def test_items_after_a_paragraph_that_breaks_off_complete_it() -> None:
    text = (
        "# Notes\n\nOur support engineers do not access your saved notebooks except for\n\n"
        "- fixing a sync failure\n- if we suspect fraud\n"
    )
    read = statements_of(tree(text, "notes.md", "en")).of_kind("practice")
    found = [s for s in read if s.action == "access"]
    assert len(found) == 3 and all(s.denied for s in found), found
    assert any("suspect fraud" in s.text for s in found)
