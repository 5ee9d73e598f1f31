"""Invariants of the judgement, checked by Hypothesis on a short policy of our own."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.judge.criteria import load_pack
from analyzer.judge.decide import finding_level
from analyzer.model import level_rank
from tests.helpers.judgement_cases import JUDGEMENT
from tests.helpers.judging import judge_texts

PACK = load_pack()
BASE = (JUDGEMENT / "bases" / "shopright-privacy.md").read_text(encoding="utf-8")
SENTENCES = [
    m.group(0)
    for m in re.finditer(r"[A-Z][^.\n]{20,}\.", BASE)
    if "@" not in m.group(0) and "**" not in m.group(0)
]

editorial_edit = st.sampled_from(["double-space", "case", "comma", "rewrap"])


def _perturb(sentence: str, how: str) -> str:
    words = sentence.split(" ")
    if how == "double-space":
        return "  ".join(words)
    if how == "case":
        return sentence[0].lower() + sentence[1:] if sentence[0].isupper() else sentence
    if how == "comma":
        return sentence.replace(", ", " , ", 1) if ", " in sentence else sentence + " "
    return "\n".join([" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SENTENCES), editorial_edit), min_size=1, max_size=3))
def test_spacing_case_and_punctuation_never_meet_a_criterion(edits) -> None:
    new = BASE
    for sentence, how in edits:
        if new.count(sentence) == 1:
            new = new.replace(sentence, _perturb(sentence, how))
    report = judge_texts(BASE, new, pack=PACK)
    assert level_rank(report.decision.level) <= level_rank("publish"), report.decision.reasons
    assert all(not c.findings for c in report.changes)


new_sentence = st.sampled_from(
    [
        "We share your purchase history with advertising networks.",
        "You can no longer delete your account yourself.",
        "Our data protection officer can also be reached on +44 20 7946 0000.",
        "We keep device data for ten years.",
        "We may use your order data for any purpose.",
        "Thank you for shopping with us.",
    ]
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SENTENCES), new_sentence)
def test_the_decision_follows_the_findings(anchor: str, added: str) -> None:
    new = BASE.replace(anchor, anchor + " " + added, 1)
    report = judge_texts(BASE, new, pack=PACK)
    findings = [f for c in report.changes for f in c.findings]
    wanted = max((level_rank(finding_level(f)) for f in findings), default=0)
    floor = level_rank("publish") if report.changes else level_rank("none")
    assert level_rank(report.decision.level) == max(wanted, floor)
    assert [c.id for c in report.criteria] == [c.id for c in PACK.criteria]
    for result in report.criteria:
        own = [f for f in findings if f.criterion == result.id]
        assert result.triggered == any(finding_level(f) != "none" for f in own)
        assert set(result.changes) <= {c.id for c in report.changes}
    for change in report.changes:
        assert all(f.change == change.id for f in change.findings)
        if change.nature == "editorial":
            assert not change.findings
    assert report.to_dict() == judge_texts(BASE, new, pack=PACK).to_dict()
