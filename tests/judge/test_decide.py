"""The decision rule and reviewers' verdicts (``reviewed:`` front matter)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from analyzer.errors import PolicyError
from analyzer.judge.criteria import load_pack
from analyzer.judge.decide import decide, judge, read_overrides, reason_line
from analyzer.model import Change, Finding, Override
from analyzer.parse.ingest import read_document
from tests.helpers.judgement_cases import SEED_VERSION
from tests.helpers.judging import build_changes_for, tree

PACK = load_pack()
SEED = read_document(SEED_VERSION.read_bytes(), str(SEED_VERSION)).text
HOTLINE = SEED.replace("400-80-13260", "95187")
FEE = SEED.replace(
    "For your reasonable request, we will not charge a fee in principle, but for repeated "
    "requests that exceed the reasonable limit, we will charge a certain cost as appropriate.",
    "We will charge a fee for every request you make.",
)


def run(new_text: str, reviewed: list[dict[str, Any]] | None = None, source: str = "new.md"):
    old = tree(SEED, "old.md")
    new = tree(new_text, source)
    if reviewed is not None:
        new = replace(new, meta={**new.meta, "reviewed": reviewed})
    return judge(build_changes_for(old, new), old, new, pack=PACK, embedder=None)


def criterion(j, cid):
    return next(c for c in j.criteria if c.id == cid)


# --------------------------------------------------------------------------- levels


def test_levels_none_publish_popup_consent():
    assert run(SEED).decision.level == "none"
    assert run(SEED).decision.reasons == ("no textual change after normalisation",)
    editorial = SEED.replace("Updated: May 26, 2023", "Updated: July 3, 2023")
    j = run(editorial)
    assert j.decision.level == "publish"
    assert j.changes and not any(c.findings for c in j.changes)
    assert "none meets a criterion" in j.decision.reasons[0]
    assert run(HOTLINE).decision.level == "popup"
    assert run(FEE).decision.level == "consent"


def test_every_criterion_of_the_pack_is_listed_in_pack_order():
    j = run(HOTLINE)
    assert [c.id for c in j.criteria] == [c.id for c in PACK.criteria]
    hit = criterion(j, "9.4.5")
    assert hit.triggered and hit.changes == tuple(c.id for c in j.changes)
    assert not criterion(j, "9.4.1").triggered and criterion(j, "9.4.1").changes == ()


def test_one_line_per_finding_and_one_reason_per_statement():
    j = run(HOTLINE)
    n = sum(len(c.findings) for c in j.changes)
    assert len(j.decision.findings) == n == 2
    assert j.decision.findings[1] == "9.4.5: hotline number changed in 10 ¶1: 400-80-13260 -> 95187"
    # the same number changed in two places is one statement, citing both clauses
    assert j.decision.reasons == (
        "9.4.5 Contact details: hotline number changed: 400-80-13260 -> 95187 (preamble ¶6; 10 ¶1)",
    )
    (group,) = j.decision.groups
    assert group.clauses == ("preamble ¶6", "10 ¶1")
    assert group.findings == 2 and group.level == "popup"
    assert group.changes == tuple(c.id for c in j.changes)


def test_decide_on_findings_alone():
    finding = Finding("9.2", "x", "c1", "fee added: a fee", "", "a fee", 0.9, None, "1", True)
    change = Change("c1", "modified", "substantive", (), (), (), 0.5, "lexical", (), (), (finding,))
    assert decide((change,)).level == "consent"
    assert decide(()).level == "none"
    assert reason_line(finding) == "9.2: fee added in 1: a fee"


# --------------------------------------------------------------------------- overrides


NOT_MAJOR = {
    "criterion": "9.4.5",
    "clause": "10 ¶1",
    "verdict": "not-major",
    "reason": "the old number forwards to the new one",
    "reviewer": "legal",
}


def test_not_major_downgrades_the_finding_but_keeps_it_visible():
    both = [NOT_MAJOR, {**NOT_MAJOR, "clause": "preamble ¶6"}]
    j = run(HOTLINE, both)
    assert j.decision.level == "publish"
    result = criterion(j, "9.4.5")
    assert not result.triggered
    assert result.overridden == tuple(c.id for c in j.changes)
    kept = [f for c in j.changes for f in c.findings]
    assert len(kept) == 2
    assert all(f.override is not None and f.override.verdict == "not-major" for f in kept)
    assert kept[1].override == Override(
        "9.4.5", "10 ¶1", "not-major", "the old number forwards to the new one", "legal"
    )
    assert j.changes[1].to_dict()["criteria"][0]["override"]["reason"].startswith("the old")
    assert not j.warnings
    assert j.decision.reasons == (
        "2 change(s), 0 editorial: none still counts for a criterion of the pack",
        "9.4.5 Contact details: hotline number changed: 400-80-13260 -> 95187 "
        "(preamble ¶6; 10 ¶1) "
        "[reviewed by legal: not-major: the old number forwards to the new one]",
    )
    assert j.decision.groups[0].level == "none"
    assert j.decision.findings[1] == (
        "9.4.5: hotline number changed in 10 ¶1: 400-80-13260 -> 95187 "
        "[reviewed by legal: not-major: the old number forwards to the new one]"
    )


def test_not_major_on_one_clause_leaves_the_other_finding_raising_the_level():
    j = run(HOTLINE, [NOT_MAJOR])
    assert j.decision.level == "popup"
    result = criterion(j, "9.4.5")
    assert result.triggered and len(result.changes) == 1 and len(result.overridden) == 1
    assert "preamble ¶6" in j.decision.reasons[0]
    assert j.decision.reasons[1].endswith(
        "[reviewed by legal: not-major: the old number forwards to the new one]"
    )


def test_an_override_matching_no_finding_is_a_warning():
    entry = {**NOT_MAJOR, "criterion": "9.4.3", "clause": "3.1.4"}
    j = run(HOTLINE, [entry])
    assert j.decision.level == "popup"
    assert j.warnings == (
        "reviewed: entry for 9.4.3 at 3.1.4 matches no finding (no change at 3.1.4 either)",
    )
    entry = {**NOT_MAJOR, "criterion": "9.4.1"}
    j = run(HOTLINE, [entry])
    assert j.warnings == ("reviewed: entry for 9.4.1 at 10 ¶1 matches no finding",)


def test_major_verdict_caps_a_rights_restriction_at_popup():
    entries = [
        {"criterion": "9.2", "clause": "5.6.2", "verdict": "major", "reason": "fee is symbolic"}
    ]
    j = run(FEE, entries)
    assert j.decision.level == "popup"
    assert criterion(j, "9.2").triggered
    assert any("[reviewed: major: fee is symbolic]" in r for r in j.decision.reasons)


def test_consent_verdict_raises_and_can_add_a_finding_the_detectors_missed():
    editorial = SEED.replace("Updated: May 26, 2023", "Updated: July 3, 2023")
    address = run(editorial).changes[0].new[0].clause
    entry = {"criterion": "9.2", "clause": address, "verdict": "consent", "reason": "test"}
    j = run(editorial, [entry])
    assert j.decision.level == "consent"
    reviewer = [f for c in j.changes for f in c.findings]
    assert len(reviewer) == 1 and reviewer[0].detector == "reviewer"
    assert reviewer[0].restricts_rights and reviewer[0].override is not None
    assert "added as the reviewer's own finding" in j.warnings[0]
    j = run(HOTLINE, [{**NOT_MAJOR, "verdict": "consent"}])
    assert j.decision.level == "consent"


@pytest.mark.parametrize(
    ("reviewed", "message"),
    [
        ("yes", "reviewed: expected a list of entries, got str"),
        (["x"], "reviewed[0]: expected a mapping, got str"),
        (
            [{**NOT_MAJOR, "verdict": "minor"}],
            "reviewed[0].verdict: expected one of not-major, major, consent, got 'minor'",
        ),
        (
            [{k: v for k, v in NOT_MAJOR.items() if k != "reason"}],
            "reviewed[0]: missing key 'reason'",
        ),
        ([{**NOT_MAJOR, "who": "me"}], "reviewed[0]: unknown key 'who'"),
        ([{**NOT_MAJOR, "criterion": "9.9"}], "reviewed[0].criterion: unknown criterion '9.9'"),
        (
            [{**NOT_MAJOR, "criterion": 9.2}],
            "reviewed[0].criterion: expected a string, got the number 9.2 (quote it",
        ),
        (
            [NOT_MAJOR, {**NOT_MAJOR, "reason": " "}],
            "reviewed[1].reason: expected a non-empty string",
        ),
        ([{**NOT_MAJOR, "reviewer": 3}], "reviewed[0].reviewer: expected a non-empty string"),
    ],
)
def test_bad_reviewed_entries_name_the_file_and_field(reviewed, message):
    with pytest.raises(PolicyError) as caught:
        read_overrides({"reviewed": reviewed}, "policy_versions/x/2024-01-01.md", PACK)
    text = caught.value.one_line()
    assert text.startswith("policy_versions/x/2024-01-01.md: front matter: ")
    assert message in text


def test_integer_clause_addresses_are_accepted():
    (override,) = read_overrides({"reviewed": [{**NOT_MAJOR, "clause": 10}]}, "v.md", PACK)
    assert override.clause == "10"
    assert read_overrides({}, "v.md", PACK) == ()


def test_reviewed_front_matter_is_read_from_the_version_file():
    front = (
        "---\nreviewed:\n  - criterion: '9.4.5'\n    clause: 10 ¶1\n    verdict: not-major\n"
        "    reason: number kept as an alias\n---\n"
    )
    new = tree(front + HOTLINE, "new.md")
    assert new.meta["reviewed"][0]["verdict"] == "not-major"
    old = tree(SEED, "old.md")
    j = judge(build_changes_for(old, new), old, new, pack=PACK, embedder=None)
    assert len(criterion(j, "9.4.5").overridden) == 1
