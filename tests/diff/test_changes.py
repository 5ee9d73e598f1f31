"""Changes and their nature: kinds, order, ids, and the editorial/substantive rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from analyzer.diff.align import align_clauses
from analyzer.diff.changes import build_changes, label_key, side_text
from analyzer.diff.nature import assess, region_reason, word_overlap
from analyzer.diff.redline import new_text, old_text, redline
from analyzer.judge.criteria import load_pack
from analyzer.model import Change, ClauseTree
from analyzer.pipeline import analyze
from tests.helpers.hand_trees import Row, build, renumber
from tests.helpers.judgement_cases import TRIPPING_LOOKALIKES, load_cases

POLICY: list[Row] = [
    ("", None, "Effective date: June 1, 2023"),
    ("1", "Scope", ""),
    ("1.1", None, "This policy applies to all services on our websites."),
    ("1.2", None, "This policy does not apply to services of other companies."),
    ("2", "Sharing", ""),
    ("2.1", None, "We will not share your personal information with advertisers."),
    ("2.2", None, "We keep your account data for the period necessary to provide the service."),
    ("2.3", None, "See Article 1.2 for services of other companies."),
    ("3", "Contact", ""),
    ("3.1", None, "Call the customer service hotline 400-80-13260 to contact us."),
]


def _changes(old_rows: list[Row], new_rows: list[Row], **kw: object) -> tuple[Change, ...]:
    old, new = build(old_rows), build(new_rows)
    return build_changes(old, new, align_clauses(old, new, **kw))  # type: ignore[arg-type]


def _edit(rows: list[Row], spec: str, text: str) -> list[Row]:
    return [(s, h, text if s == spec else t) for s, h, t in rows]


def test_label_style_is_not_a_number() -> None:
    assert label_key("1、") == label_key("1.") == label_key("(1)") == label_key("（1）") == "1"
    assert label_key("3.1.2 .") == "3.1.2"
    assert label_key("five point two") != label_key("5.2")
    assert label_key(None) == ""


def test_identical_versions_have_no_changes() -> None:
    assert _changes(POLICY, POLICY) == ()


def test_an_edit_in_place_is_one_modified_change_with_a_redline() -> None:
    new = _edit(POLICY, "1.1", "This policy applies to all services on our websites and apps.")
    (change,) = _changes(POLICY, new)
    assert change.kind == "modified" and change.id == "c1"
    assert change.old[0].clause == change.new[0].clause == "1.1"
    assert change.old[0].path == ("1", "1.1") and change.old[0].heading == "Scope"
    assert old_text(change.inline) == side_text(change.old)
    assert new_text(change.inline) == side_text(change.new)
    assert ("+", " and apps") in change.inline


def test_removed_clause_sits_where_it_stood_and_ids_follow_the_new_document() -> None:
    new = [r for r in POLICY if r[0] != "2.2"]
    new = _edit(new, "3.1", "Call the customer service hotline 95187 to contact us.")
    new = _edit(new, "1.1", "This policy applies to every service on our websites.")
    new = [(("2.2" if s == "2.3" else s), h, t) for s, h, t in new]
    changes = _changes(POLICY, new)
    summary = [
        (c.id, c.kind, c.old[0].clause if c.old else None, c.new[0].clause if c.new else None)
        for c in changes
    ]
    assert summary == [
        ("c1", "modified", "1.1", "1.1"),
        ("c2", "removed", "2.2", None),
        ("c3", "renumbered", "2.3", "2.2"),
        ("c4", "modified", "3.1", "3.1"),
    ]


def test_swapped_sections_are_one_move_and_renumberings() -> None:
    order = ["1", "3", "2"]
    swapped = renumber([r for top in order for r in POLICY if r[0].split(".")[0] == top])
    swapped = [r for r in POLICY if not r[0]] + [r for r in swapped if r[0]]
    changes = _changes(POLICY, swapped)
    kinds = {c.kind for c in changes}
    assert kinds == {"moved", "renumbered"}
    (moved,) = [c for c in changes if c.kind == "moved"]
    assert "renumbered" in moved.reasons and moved.nature == "editorial"
    assert all(c.nature == "editorial" for c in changes)
    # children of the moved section are not reported as moved again
    assert all(c.new[0].path[0] == moved.new[0].clause for c in changes if c is moved)


def test_split_keeps_its_words_and_is_editorial() -> None:
    new: list[Row] = []
    for row in POLICY:
        if row[0] == "2.2":
            new += [("2.2", None, "We keep your account data."), ("2.3", None, row[2][27:])]
        elif row[0] == "2.3":
            new.append(("2.4", None, row[2]))
        else:
            new.append(row)
    POLICY_SPLIT = _edit(POLICY, "2.2", "We keep your account data. " + POLICY[6][2][27:])
    changes = _changes(POLICY_SPLIT, new)
    split = [c for c in changes if c.kind == "split"]
    assert len(split) == 1
    assert [r.clause for r in split[0].new] == ["2.2", "2.3"]
    assert split[0].nature == "editorial" and split[0].reasons == ("split",)
    assert old_text(split[0].inline) == side_text(split[0].old)
    assert new_text(split[0].inline) == side_text(split[0].new)


def test_added_clause_with_text_is_substantive_and_a_bare_heading_is_not() -> None:
    new = [*POLICY, ("4", "Miscellaneous", ""), ("4.1", None, "We use cookies to remember you.")]
    changes = _changes(POLICY, new)
    by_clause = {c.new[0].clause: c for c in changes}
    assert by_clause["4"].kind == "added" and by_clause["4"].nature == "editorial"
    assert by_clause["4"].reasons == ("added", "heading-only")
    assert by_clause["4.1"].nature == "substantive" and by_clause["4.1"].reasons == ("added",)
    assert any(t.kind == "pi-category" for t in by_clause["4.1"].tripwires)
    # a heading that names a category of personal information is substantive all the same
    named = _changes(POLICY, [*POLICY, ("4", "Location data", "")])
    assert named[0].nature == "substantive" and "pi-category" in named[0].reasons


class SameVector:
    """An embedder for which every text means the same thing."""

    model_id = "fake/same@0"
    languages = frozenset({"en"})

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


def test_similarity_never_makes_a_negation_flip_editorial() -> None:
    new = _edit(POLICY, "2.1", "We will share your personal information with advertisers.")
    old_tree, new_tree = build(POLICY), build(new)
    report = analyze(old_tree, new_tree, pack=load_pack(), embedder=SameVector())
    (change,) = report.changes
    assert change.nature == "substantive" and "negation" in change.reasons
    assert any(t.kind == "negation" and "not" in t.before for t in change.tripwires)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("call 400-80-13260 now", "call 95187 now", "phone"),
        ("we keep it for 15 days", "we keep it for 60 days", "duration"),
        ("we may share it", "we will share it", "modality"),
        ("write to privacy@a.example", "write to dpo@b.example", "email"),
        ("we offer 3 plans", "we offer 4 plans", "number"),
    ],
)
def test_tripwires_make_a_change_substantive(old: str, new: str, reason: str) -> None:
    verdict = assess(old, new, redline(old, new), language="en")
    assert verdict.nature == "substantive" and reason in verdict.reasons


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("We keep  your data.", "We keep your data .", "whitespace"),
        ("We keep your data, always.", "We keep your data; always!", "punctuation"),
        ("we keep your data.", "We Keep your data.", "case"),
        ("We recieve your request.", "We receive your request.", "typo"),
        ("Updated: May 26, 2023", "Updated: July 3, 2023", "date"),
    ],
)
def test_editorial_reasons_are_typed(old: str, new: str, reason: str) -> None:
    verdict = assess(old, new, redline(old, new), language="en")
    assert verdict.nature == "editorial", verdict
    assert reason in verdict.reasons


def test_cross_reference_following_a_renumbering_is_editorial() -> None:
    old, new = "As listed in Article 5.1, you may ask.", "As listed in Article 5.4, you may ask."
    follows = assess(old, new, redline(old, new), language="en", renumbering={"5.1": "5.4"})
    assert follows.nature == "editorial" and "reference" in follows.reasons
    elsewhere = assess(old, new, redline(old, new), language="en", renumbering={"5.1": "5.2"})
    assert elsewhere.nature == "substantive" and "reference" in elsewhere.reasons


def test_a_whole_new_sentence_is_substantive_even_without_a_tripwire() -> None:
    old = "Please keep your password safe."
    new = "Please keep your password safe. Records of every visit are kept by the team forever."
    verdict = assess(old, new, redline(old, new), language="en")
    assert verdict.nature == "substantive" and "sentence-added" in verdict.reasons


def test_a_paraphrase_is_reworded_and_a_rewrite_is_low_similarity() -> None:
    old = "To ensure the normal operation of the websites, we store cookies on your device."
    new = "We store cookies on your device so that the websites operate normally."
    verdict = assess(old, new, redline(old, new), language="en")
    assert verdict.nature == "editorial" and verdict.reasons == ("reworded",)
    rewrite = "Visitors of the pages receive small files that help the pages function."
    verdict = assess(old, rewrite, redline(old, rewrite), language="en")
    assert verdict.nature == "substantive", verdict
    assert word_overlap(old, new) > 0.5 > word_overlap(old, rewrite)


def test_region_reasons() -> None:
    assert region_reason(" ", "\n") == "whitespace"
    assert region_reason("，", ",") == "punctuation"
    assert region_reason("In", "in") == "case"
    assert region_reason("adress", "address") == "typo"
    assert region_reason("may", "will") == "reworded"
    assert region_reason("2023", "2024") == "reworded"  # a digit is never a typo


def _trees(old_text: str, new_text: str, name: str) -> tuple[ClauseTree, ClauseTree]:
    from analyzer.parse.ingest import read_document
    from analyzer.parse.tree import parse

    return (
        parse(read_document(old_text.encode(), name)),
        parse(read_document(new_text.encode(), name)),
    )


def test_nature_on_the_labelled_judgement_set() -> None:
    """Editorial cases have no substantive change (except the look-alikes whose tokens change,
    which the classifier must still leave at publish); every other case has at least one."""
    wrong = []
    pack = load_pack()
    for case in load_cases():
        name = "v.txt" if case.base == "seed" else "v.md"
        old, new = _trees(case.old_text, case.new_text, name)
        report = analyze(old, new, pack=pack)
        substantive = [c for c in report.changes if c.nature == "substantive"]
        if case.name in TRIPPING_LOOKALIKES:
            ok = bool(substantive) and report.decision.level == "publish"
        elif "editorial" in case.name:
            ok = not substantive and (bool(report.changes) or case.level == "none")
        else:
            ok = bool(substantive)
        if not ok:
            wrong.append((case.name, [(c.kind, c.reasons) for c in report.changes]))
    assert not wrong, wrong
