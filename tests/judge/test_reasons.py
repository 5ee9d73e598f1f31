"""Findings a lawyer can read (analyzer.judge.reasons): a decision's findings grouped by
criterion and by what they say, each line citing its clauses, one screen for a big rewrite,
and every finding still in the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.judge.criteria import load_pack
from analyzer.judge.decide import finding_level, judge
from analyzer.judge.reasons import MAX_REASONS, cite, criteria_lists, group_reasons
from analyzer.model import Change, ClauseRef, Finding, Report
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from analyzer.statements.summary import summarize_policy
from analyzer.text.compiled import regex
from tests.helpers.judging import build_changes_for

PACK = load_pack()
GITHUB = "github-site-policy/github-privacy-statement"
CITED = regex(r"\((?P<clauses>[^()]*(?:\([^()]*\)[^()]*)*)\)( \[reviewed[^\]]*\])?$")


def markdown_tree(text: str, name: str):
    return parse(read_document(text.encode(), name, name=name))


def judged(old: str, new: str):
    old_tree, new_tree = markdown_tree(old, "old.md"), markdown_tree(new, "new.md")
    return judge(
        build_changes_for(old_tree, new_tree), old_tree, new_tree, pack=PACK, embedder=None
    )


OLD = """\
# Lumen privacy policy

## 1. What we collect

We collect your contact information to provide the service.

## 2. Sharing

We share your contact information with our affiliates for customer support.

## 3. Contact

Write to privacy@lumen.example.
"""


def test_a_new_recipient_is_told_with_what_it_receives() -> None:
    new = OLD.replace(
        "## 3. Contact",
        "We share your device information and your location with our advertising partners."
        "\n\n## 3. Contact",
    )
    j = judged(OLD, new)
    lines = [r for r in j.decision.reasons if r.startswith("9.4.3 ")]
    assert lines, j.decision.reasons
    assert "advertising partners now receive device information and location" in lines[0]
    assert lines[0].endswith("(2 ¶2)")


def test_a_statement_that_moved_is_told_as_still_in_the_policy() -> None:
    # the sharing sentence leaves section 2 for section 3, where it is stated with marketing
    new = OLD.replace(
        "We share your contact information with our affiliates for customer support.",
        "We take care of it.",
    ).replace(
        "Write to privacy@lumen.example.",
        "Write to privacy@lumen.example. We share your contact information with our affiliates "
        "for customer support and for marketing.",
    )
    j = judged(OLD, new)
    assert j.decision.level == "popup"
    told = " ".join(j.decision.reasons)
    assert "Purposes: newly stated: marketing" in told  # the one new statement
    assert "affiliates" not in told or "now receive" in told  # never "removed" and "added"
    assert "no longer stated anywhere" not in told


def test_every_line_cites_its_clauses_and_every_finding_is_kept() -> None:
    new = (
        OLD.replace("privacy@lumen.example", "legal@lumen.example")
        .replace("with our affiliates", "with our affiliates and with data brokers")
        .replace("to provide the service", "and your precise location to provide the service")
    )
    j = judged(OLD, new)
    findings = [f for c in j.changes for f in c.findings]
    assert len(j.decision.findings) == len(findings) > 2
    assert len(j.decision.reasons) == len(j.decision.groups) <= len(findings)
    for reason, group in zip(j.decision.reasons, j.decision.groups, strict=True):
        assert reason == group.text
        assert CITED.search(reason), reason
        assert reason.startswith(f"{group.criterion} ")
    cited = {c for g in j.decision.groups for c in g.clauses}
    named = {
        part.strip()
        for f in findings
        for side in (f.old_clause, f.new_clause)
        if side
        for part in side.split(",")
    }
    assert cited <= named and cited
    assert sum(g.findings for g in j.decision.groups) >= len(findings)
    triggered = {c.id for c in j.criteria if c.triggered}
    assert triggered == {g.criterion for g in j.decision.groups}


def _finding(k: int, criterion: str, fact: str, direction: str) -> tuple[Change, Finding]:
    address = f"Section {k} ¶{k % 3 + 1}"
    ref = ClauseRef(f"s{k}", address, (address,), None, f"text {k}")
    removed = direction == "removed"
    finding = Finding(
        criterion=criterion,
        detector="fact-change",
        change=f"c{k}",
        evidence=f"{fact} {direction}: word{k}",
        before=f"word{k}" if removed else "",
        after="" if removed else f"word{k}",
        confidence=0.9,
        old_clause=address if removed else None,
        new_clause=None if removed else address,
        facts=(fact,),
    )
    change = Change(
        f"c{k}",
        "removed" if removed else "added",
        "substantive",
        (direction,),
        (ref,) if removed else (),
        () if removed else (ref,),
        None,
        None,
        (),
        (),
        (finding,),
    )
    return change, finding


def test_a_big_revision_fits_on_one_screen_and_every_criterion_keeps_its_clauses() -> None:
    kinds = {
        "9.4.1": ["pi-category", "purpose", "retention"],
        "9.4.2": ["controller", "ownership"],
        "9.4.3": ["recipient", "location", "processing"],
        "9.4.4": ["right", "channel", "deadline"],
        "9.4.5": ["department", "complaint", "email"],
    }
    changes = []
    k = 0
    for criterion, facts in kinds.items():
        for fact in facts:
            for direction in ("added", "removed"):
                for value in range(3):
                    k += 1
                    change, _ = _finding(k, criterion, f"{fact}:value-{value}", direction)
                    changes.append(change)
    ungrouped = sum(len(c.findings) for c in changes)
    groups = group_reasons(
        changes,
        old_facts=None,
        new_facts=None,
        criteria_order=[c.id for c in PACK.criteria],
        level_of=finding_level,
    )
    assert ungrouped == 84 and len(groups) <= MAX_REASONS
    assert {g.criterion for g in groups} == set(kinds)
    assert sum(g.findings for g in groups) == ungrouped
    assert {c for g in groups for c in g.clauses} == {
        r.clause for c in changes for r in (*c.old, *c.new)
    }
    for group in groups:
        assert CITED.search(group.text), group.text
    # pack order
    order = [c.id for c in PACK.criteria]
    assert [g.criterion for g in groups] == sorted((g.criterion for g in groups), key=order.index)


def test_overridden_findings_come_last_with_the_verdict() -> None:
    change, finding = _finding(1, "9.4.5", "email:a@b.example", "added")
    other, _ = _finding(2, "9.4.3", "recipient:insurers", "added")
    from dataclasses import replace

    from analyzer.model import Override

    overridden = replace(
        finding, override=Override("9.4.5", "Section 1 ¶2", "not-major", "a typo fixed", "legal")
    )
    change = replace(change, findings=(overridden,))
    groups = group_reasons(
        [change, other],
        old_facts=None,
        new_facts=None,
        criteria_order=[c.id for c in PACK.criteria],
        level_of=finding_level,
    )
    assert [g.criterion for g in groups] == ["9.4.3", "9.4.5"]
    assert groups[-1].level == "none"
    assert groups[-1].text.endswith("[reviewed by legal: not-major: a typo fixed]")


def test_cite_writes_a_heading_once_and_says_how_many_more() -> None:
    assert cite(["3.1.4"]) == "3.1.4"
    assert cite(["Your choices ¶2", "Your choices ¶4", "Data portability ¶1"]) == (
        "Your choices ¶2, ¶4; Data portability ¶1"
    )
    many = [f"Section {k} ¶1" for k in range(40)]
    told = cite(many)
    assert len(told) < 160 and told.endswith("more")
    shown = told.count("Section")
    assert told.endswith(f"and {40 - shown} more")


def test_the_list_of_criteria_is_not_a_statement(seed_path: Path) -> None:
    tree = parse(read_document(seed_path.read_bytes(), str(seed_path)))
    listed = {c.address for c in tree.clauses if c.id in criteria_lists(tree, PACK)}
    assert {"9.4.1", "9.4.2", "9.4.3", "9.4.4", "9.4.5", "9.4.6"} <= listed
    assert "7.4" not in listed  # long clause on security incidents: a statement
    facts = summarize_policy(tree, skip=criteria_lists(tree, PACK))
    assert "responsible-department" not in {d.value for d in facts.departments}


# --------------------------------------------------------------------------- a real rewrite


def _github(corpus: Path, old: str, new: str) -> Report:
    folder = corpus / GITHUB
    trees = [
        parse(read_document((folder / name).read_bytes(), name, name=name)) for name in (old, new)
    ]
    return analyze(trees[0], trees[1], pack=PACK)


def test_the_github_rewrite_fits_on_one_screen(corpus_dir: Path) -> None:
    report = _github(corpus_dir, "2023-12-27-8.md", "2024-04-17.md")
    decision = report.decision
    findings = [f for c in report.changes for f in c.findings]
    assert len(findings) > 100
    assert len(decision.reasons) <= MAX_REASONS
    assert len(decision.findings) == len(findings)
    triggered = {c.id for c in report.criteria if c.triggered}
    assert {r.split()[0] for r in decision.reasons} == triggered
    for reason in decision.reasons:
        assert CITED.search(reason), reason
    # the full list of clauses stays in the groups: every finding is cited by one of its
    # sides (the new side of what was added, the old side of what went); the statement model
    # leaves out facts that only moved, so the rewrite cites some forty clauses, not fifty
    sides = [
        {part.strip() for side in (f.old_clause, f.new_clause) if side for part in side.split(",")}
        for f in findings
    ]
    named = set().union(*sides)
    cited = {c for g in decision.groups for c in g.clauses}
    assert cited <= named and len(cited) > 40
    assert all(side & cited for side in sides)
    assert sum(g.findings for g in decision.groups) >= len(findings)
    assert decision.reasons[0].startswith("9.2 ")  # what needs consent comes first
    # rights whose granting sentence went but that the new version still states are said so
    assert "the new version still grants" in decision.reasons[0]


@pytest.mark.parametrize("pair", [("2023-12-27-8.md", "2024-04-17.md")])
def test_grouped_reasons_are_deterministic(corpus_dir: Path, pair: tuple[str, str]) -> None:
    first = _github(corpus_dir, *pair).decision
    second = _github(corpus_dir, *pair).decision
    assert first == second
