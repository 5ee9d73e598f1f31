"""Invariants of ``policy diff`` over generated versions, through the real parser:
``diff(v, v)`` is empty, inline ops rebuild both texts, every clause is accounted for exactly
once, and the JSON report is byte-identical from one run to the next."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.diff.align import align_clauses
from analyzer.diff.changes import build_changes, side_text
from analyzer.diff.redline import new_text, old_text
from analyzer.judge.criteria import load_pack
from analyzer.model import ClauseTree
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze
from analyzer.render import render_json, render_markdown, render_text

PACK = load_pack()
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "analyzer/schemas/policy-diff-1.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

SENTENCES = [
    "We will not share your personal information with advertisers.",
    "We keep your account data for 15 days after you close the account.",
    "You can call the customer service hotline 400-80-13260 to contact us.",
    "Cookies help us remember your preferences.",
    "You may ask us to delete your personal information at any time.",
    "We may revise this policy from time to time.",
    "Children under the age of 14 need the consent of a guardian.",
    "As mentioned in Article 1.1, the policy applies to all services.",
]
HEADINGS = ["Scope", "Sharing", "Your rights", "Cookies", "Contact us"]


@st.composite
def policies(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    """Sections, each a heading and a few clause sentences."""
    n = draw(st.integers(1, 4))
    return [
        (
            draw(st.sampled_from(HEADINGS)),
            draw(st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=4)),
        )
        for _ in range(n)
    ]


def as_text(sections: list[tuple[str, list[str]]], *, wrap: bool = False) -> str:
    lines = ["Demo privacy policy", "", "Updated: May 26, 2023", ""]
    for s, (heading, clauses) in enumerate(sections, start=1):
        lines += [f"{s}、 {heading}", ""]
        for c, sentence in enumerate(clauses, start=1):
            text = sentence.replace(". ", ".\n") if wrap else sentence
            lines += [f"{s}.{c}. {text}", ""]
    return "\n".join(lines)


WORD_EDITS = [
    ("not ", ""),
    ("will", "may"),
    ("15", "60"),
    ("400-80-13260", "95187"),
    ("your", "the"),
    (".", ";"),
    ("Cookies", "cookies"),
]


@st.composite
def revisions(draw: st.DrawFn) -> tuple[str, str]:
    """A version and a revision of it: sections swapped or dropped, clauses edited, added."""
    sections = draw(policies())
    old = as_text(sections)
    revised = [(h, list(cs)) for h, cs in sections]
    if len(revised) > 1 and draw(st.booleans()):
        i, j = draw(st.permutations(range(len(revised))))[:2]
        revised[i], revised[j] = revised[j], revised[i]
    if len(revised) > 1 and draw(st.booleans()):
        del revised[draw(st.integers(0, len(revised) - 1))]
    for _heading, clauses in revised:
        for k in range(len(clauses)):
            if draw(st.integers(0, 3)) == 0:
                find, replace = draw(st.sampled_from(WORD_EDITS))
                clauses[k] = clauses[k].replace(find, replace, 1)
        if draw(st.integers(0, 4)) == 0:
            clauses.append(draw(st.sampled_from(SENTENCES)))
        if clauses and draw(st.integers(0, 4)) == 0:
            clauses.pop(draw(st.integers(0, len(clauses) - 1)))
    return old, as_text(revised, wrap=draw(st.booleans()))


def tree(text: str, name: str) -> ClauseTree:
    return parse(read_document(text.encode("utf-8"), name, name="policy.txt"))


@settings(max_examples=40, deadline=None)
@given(policies(), st.booleans())
def test_a_version_against_itself_has_no_changes(
    sections: list[tuple[str, list[str]]], wrap: bool
) -> None:
    text = as_text(sections, wrap=wrap)
    report = analyze(tree(text, "a"), tree(text, "b"), pack=PACK)
    assert report.changes == ()
    assert report.decision.level == "none"
    assert report.summary["changes"] == 0


@settings(max_examples=60, deadline=None)
@given(revisions())
def test_changes_rebuild_both_texts_and_account_for_every_clause(pair: tuple[str, str]) -> None:
    old, new = tree(pair[0], "old"), tree(pair[1], "new")
    alignment = align_clauses(old, new)
    olds = [o for m in alignment.matches for o in m.old] + list(alignment.removed)
    news = [n for m in alignment.matches for n in m.new] + list(alignment.added)
    assert sorted(olds) == sorted(c.id for c in old.clauses)
    assert sorted(news) == sorted(c.id for c in new.clauses)

    changes = build_changes(old, new, alignment)
    assert [c.id for c in changes] == [f"c{k}" for k in range(1, len(changes) + 1)]
    seen_old: set[str] = set()
    seen_new: set[str] = set()
    for change in changes:
        assert old_text(change.inline) == side_text(change.old), change.id
        assert new_text(change.inline) == side_text(change.new), change.id
        ids_old = {r.id for r in change.old}
        ids_new = {r.id for r in change.new}
        assert not ids_old & seen_old and not ids_new & seen_new, "a clause in two changes"
        seen_old |= ids_old
        seen_new |= ids_new
        assert change.reasons, change
        if change.kind == "added":
            assert not change.old and change.new
        elif change.kind == "removed":
            assert change.old and not change.new
        else:
            assert change.old and change.new
    assert {a for a in alignment.added} <= seen_new
    assert {r for r in alignment.removed} <= seen_old


@settings(max_examples=25, deadline=None)
@given(revisions())
def test_reports_are_deterministic_and_valid(pair: tuple[str, str]) -> None:
    first = analyze(tree(pair[0], "old"), tree(pair[1], "new"), pack=PACK)
    second = analyze(tree(pair[0], "old"), tree(pair[1], "new"), pack=PACK)
    assert render_json(first) == render_json(second)
    assert render_text(first) == render_text(second)
    assert render_markdown(first) == render_markdown(second)
    errors = list(VALIDATOR.iter_errors(json.loads(render_json(first))))
    assert not errors, [e.message for e in errors[:3]]
