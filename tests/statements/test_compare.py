"""Comparing statements at policy level: moves are not changes; what a lawyer would call a
change is."""

from __future__ import annotations

from analyzer.statements import StatementDelta, compare_statements, statements_of
from tests.helpers.judging import tree


def delta(old: str, new: str, language: str = "en") -> StatementDelta:
    return compare_statements(
        statements_of(tree(old, "old.md", language)), statements_of(tree(new, "new.md", language))
    )


def hows(d: StatementDelta) -> set[tuple[str, str]]:
    return {(c.how, c.kind) for c in d.changes}


def test_a_statement_that_moved_is_unchanged() -> None:
    a = "# Terms\n\nWe never sell your order history.\n\nWe share your address with couriers.\n"
    b = "# Terms\n\nWe share your address with couriers.\n\nWe never sell your order history.\n"
    d = delta(a, b)
    assert d.is_empty and d.unchanged >= 2


def test_a_list_lead_in_turned_positive_reverses_every_item() -> None:
    a = "# Data\n\nOur bakery will never:\n\n- sell your loyalty data;\n- rent out your e-mail address.\n"
    b = "# Data\n\nOur bakery will:\n\n- sell your loyalty data;\n- rent out your e-mail address.\n"
    d = delta(a, b)
    reversed_ = [c for c in d.changes if c.how == "reversed"]
    assert reversed_ and all(c.restricts for c in reversed_)


def test_an_item_moved_from_a_never_list_to_a_may_list() -> None:
    a = (
        "# Data\n\nWe will never:\n\n- share your trip history with insurers;\n- sell it.\n\n"
        "We may:\n\n- share your trip history with your employer.\n"
    )
    b = (
        "# Data\n\nWe will never:\n\n- sell it.\n\n"
        "We may:\n\n- share your trip history with your employer;\n"
        "- share your trip history with insurers.\n"
    )
    d = delta(a, b)
    assert any(c.how == "reversed" and c.restricts and "insurers" in c.subject for c in d.changes)


def test_no_company_except_becomes_any_company_including() -> None:
    a = "# Data\n\nNo partner of ours will receive your listening history, except our billing agent.\n"
    b = "# Data\n\nAny partner of ours may receive your listening history, including our billing agent.\n"
    d = delta(a, b)
    assert any(c.restricts for c in d.changes), d.changes


def test_a_more_specific_object_is_new() -> None:
    a = "# Data\n\nWe use your approximate location, derived from your IP address, to pick a store.\n"
    b = (
        "# Data\n\nWe use your approximate location, derived from your IP address, to pick a store."
        " With your permission we also collect the precise location of your phone.\n"
    )
    d = delta(a, b)
    assert ("more-specific", "practice") in hows(d)


def test_a_right_whose_grant_is_gone_is_withdrawn_even_if_still_named() -> None:
    a = (
        "# Rights\n\nYou can ask us to erase your profile.\n\n"
        "## Contact\n\nWrite to us about erasure or any other request.\n"
    )
    b = "# Rights\n\n## Contact\n\nWrite to us about erasure or any other request.\n"
    d = delta(a, b)
    assert any(c.how == "withdrawn" and c.kind == "right" and c.restricts for c in d.changes)


def test_a_staff_access_promise_with_more_listed_exceptions_is_narrowed() -> None:
    a = (
        "# Notes\n\nOur support engineers do not access your saved notebooks unless required to"
        " fix a sync failure.\n"
    )
    b = (
        "# Notes\n\nOur support engineers do not access your saved notebooks except for\n\n"
        "- fixing a sync failure\n- if we suspect the notebook breaks local law\n"
    )
    d = delta(a, b)
    assert any(c.how == "narrowed" and c.restricts for c in d.changes), d.changes
    assert not any(c.how == "narrowed" for c in delta(a, a).changes)


def test_a_new_occasion_of_giving_read_without_a_comma_is_new() -> None:
    # the circumstance ends where the main clause starts ('… a group we will share …'), and a
    # sentence naming no information ('your details may be shared') is no circumstance
    a = (
        "# Sharing\n\nIf you use Quillpad and interact with another group, your details may be"
        " shared with the group administrators. For example, if you post a review on a group"
        " page, your email address may be shared with the administrators of the group.\n"
    )
    b = a.replace(
        "group.\n",
        "group. Or if you join another Quillpad group we will share your email address with"
        " the group admins.\n",
    )
    assert any(c.how == "added" and "new case" in c.detail for c in delta(a, b).changes)
    assert not any("new case" in c.detail for c in delta(a, a).changes)


def test_a_right_that_now_reaches_the_recipients_themselves_is_widened() -> None:
    a = (
        "# Your rights\n\nYou have the right to request a copy of your data and to know the"
        " categories of recipients we disclose it to.\n"
    )
    b = a.replace("the categories of recipients", "the names of the recipients")
    assert any(
        c.how == "granted" and c.subject.endswith("|recipients") for c in delta(a, b).changes
    )
    assert not any(c.subject.endswith("|recipients") for c in delta(b, b).changes)
