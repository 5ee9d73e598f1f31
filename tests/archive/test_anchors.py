"""Clause anchors: inherited through the alignment, minted deterministically, frozen for good."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.archive.anchors import (
    assign_anchors,
    dump_frozen,
    freeze,
    load_frozen,
    mint_anchor,
)
from analyzer.errors import PolicyError
from analyzer.model import Alignment, ClauseTree, Match
from tests.helpers.hand_trees import build


def align(pairs: list[tuple[tuple[str, ...], tuple[str, ...]]], old: ClauseTree, new: ClauseTree):
    """An alignment made by hand: ``pairs`` are matches, the rest removed or added."""
    matched_old = {o for olds, _ in pairs for o in olds}
    matched_new = {n for _, news in pairs for n in news}
    return Alignment(
        matches=tuple(Match(o, n, "lexical", 0.9) for o, n in pairs),
        removed=tuple(c.id for c in old.clauses if c.id not in matched_old),
        added=tuple(c.id for c in new.clauses if c.id not in matched_new),
        similarity_method="by hand",
    )


V1 = build([("1", "Scope", ""), ("1.1", None, "We collect e-mail."), ("2", "Rights", "")])
V2 = build(
    [
        ("1", "Rights", ""),
        ("2", "Scope", ""),
        ("2.1", None, "We collect e-mail addresses."),
        ("2.2", None, "We keep them a year."),
    ]
)


def test_matched_clauses_keep_their_anchor_and_new_ones_are_minted() -> None:
    alignment = align([(("s1",), ("s2",)), (("s1.1",), ("s2.1",)), (("s2",), ("s1",))], V1, V2)
    chain = assign_anchors("p", "en", [("2020-01-01", V1), ("2021-01-01", V2)], [alignment])
    first, second = chain.by_version
    assert second["s2"] == first["s1"] and second["s2.1"] == first["s1.1"]
    assert second["s1"] == first["s2"]
    assert second["s2.2"] == mint_anchor("p", "en", "2021-01-01", "s2.2", set())
    assert first["s1"] == mint_anchor("p", "en", "2020-01-01", "s1", set())
    assert all(a.startswith("c-") and len(a) == 12 for a in first.values())


def test_a_split_keeps_the_anchor_on_its_first_part() -> None:
    alignment = align(
        [(("s1",), ("s2",)), (("s1.1",), ("s2.1", "s2.2")), (("s2",), ("s1",))], V1, V2
    )
    chain = assign_anchors("p", "en", [("a", V1), ("b", V2)], [alignment])
    first, second = chain.by_version
    assert second["s2.1"] == first["s1.1"]
    assert second["s2.2"] not in first.values()
    kinds = {(r.kind, r.other) for r in chain.relations[first["s1.1"]]}
    assert ("split-into", second["s2.2"]) in kinds
    assert chain.relations[second["s2.2"]][0].kind == "split-from"


def test_a_merge_keeps_the_first_old_anchor() -> None:
    merged = build([("1", "Scope", ""), ("1.1", None, "We collect e-mail. Rights apply.")])
    alignment = align([(("s1",), ("s1",)), (("s1.1", "s2"), ("s1.1",))], V1, merged)
    chain = assign_anchors("p", "en", [("a", V1), ("b", merged)], [alignment])
    first, second = chain.by_version
    assert second["s1.1"] == first["s1.1"]
    assert [r.kind for r in chain.relations[first["s2"]]] == ["merged-into"]


def test_a_clause_that_comes_back_gets_its_anchor_again() -> None:
    without = build([("1", "Scope", ""), ("1.1", None, "We collect e-mail.")])
    alignments = [
        align([(("s1",), ("s1",)), (("s1.1",), ("s1.1",))], V1, without),
        align([(("s1",), ("s1",)), (("s1.1",), ("s1.1",))], without, V1),
    ]
    chain = assign_anchors("p", "en", [("a", V1), ("b", without), ("c", V1)], alignments)
    first, _, third = chain.by_version
    assert third["s2"] == first["s2"]
    assert [r.kind for r in chain.relations[first["s2"]]] == ["restored"]


def test_frozen_anchors_win_and_follow_a_clause_the_parser_renamed() -> None:
    record = freeze("a", V1, {"s1": "c-one", "s1.1": "c-two", "s2": "c-three"})
    renamed = build([("1", "Scope", ""), ("1.2", None, "We collect e-mail."), ("2", "Rights", "")])
    chain = assign_anchors("p", "en", [("a", renamed)], [], {"a": record})
    assert chain.by_version[0] == {"s1": "c-one", "s1.2": "c-two", "s2": "c-three"}
    assert chain.frozen == ("a",)


def test_minting_skips_anchors_taken() -> None:
    natural = mint_anchor("p", "en", "v", "s1", set())
    assert mint_anchor("p", "en", "v", "s1", {natural}) != natural
    assert mint_anchor("p", "en", "v", "s1", {natural}) == mint_anchor(
        "p", "en", "v", "s1", {natural}
    )
    assert mint_anchor("p", "zh", "v", "s1", set()) != natural


def test_anchors_file_round_trip_and_errors() -> None:
    record = freeze("2023-05-26", V1, {"s1": "c-one", "s1.1": "c-two", "s2": "c-three"})
    text = dump_frozen([record])
    assert load_frozen(text, "anchors.json") == {"2023-05-26": record}
    assert text.count("\n") > 6  # one clause per line: reviewable diffs
    with pytest.raises(PolicyError, match="schema"):
        load_frozen('{"versions": {}}', "anchors.json")
    with pytest.raises(PolicyError, match="twice"):
        load_frozen(
            '{"schema": "policy-anchors/1", "versions": {"v": {"anchors": '
            '[["s1", "ab", "c-x"], ["s2", "cd", "c-x"]]}}}',
            "anchors.json",
        )


POOL = [f"Clause number {n} says something different." for n in range(12)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(range(12)), unique=True, max_size=8), min_size=1, max_size=5)
)
def test_anchor_invariants(versions: list[list[int]]) -> None:
    """Unique per version; matched clauses share an anchor; the same input, the same anchors."""
    trees = [
        build([(str(k + 1), None, POOL[t]) for k, t in enumerate(texts)]) for texts in versions
    ]
    alignments = []
    for (old_texts, old), (new_texts, new) in zip(
        zip(versions, trees, strict=True), list(zip(versions, trees, strict=True))[1:], strict=False
    ):
        pairs = [
            ((f"s{old_texts.index(t) + 1}",), (f"s{k + 1}",))
            for k, t in enumerate(new_texts)
            if t in old_texts
        ]
        alignments.append(align(pairs, old, new))
    chain = list(zip([f"v{i}" for i in range(len(trees))], trees, strict=True))
    result = assign_anchors("p", "en", chain, alignments)
    assert assign_anchors("p", "en", chain, alignments) == result
    for anchors in result.by_version:
        assert len(set(anchors.values())) == len(anchors)
    for index, alignment in enumerate(alignments):
        for match in alignment.matches:
            assert (
                result.by_version[index][match.old[0]] == result.by_version[index + 1][match.new[0]]
            )
    # one lineage per text: the same words never carry two anchors
    by_text: dict[str, set[str]] = {}
    for tree, anchors in zip(trees, result.by_version, strict=True):
        for clause in tree.clauses:
            by_text.setdefault(clause.text, set()).add(anchors[clause.id])
    assert all(len(found) == 1 for found in by_text.values())
