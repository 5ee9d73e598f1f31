"""Lexical similarity: TF-IDF cosines that rank rewordings above unrelated clauses, at scale."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.diff.similarity import (
    LexicalModel,
    candidate_pairs,
    cosine_matrix,
    lexical_similarity,
    pair_cosines,
)

CLAUSES = [
    "We collect your name, e-mail address and phone number when you register an account.",
    "We collect your name, email address and telephone number when you create an account.",
    "Cookies are small text files that a website stores on your device.",
    "You may withdraw your consent at any time by contacting customer service.",
    "我们会收集您的姓名、电子邮件地址和电话号码。",
    "我们会收集您的姓名、电子邮箱和手机号码。",
    "您可以随时撤回您的同意。",
]


def test_rewording_ranks_above_unrelated() -> None:
    model = LexicalModel.fit(CLAUSES)
    m = model.matrix(CLAUSES, CLAUSES)
    assert m.shape == (7, 7)
    assert np.allclose(np.diag(m), 1.0, atol=1e-5)
    assert np.allclose(m, m.T, atol=1e-6)
    assert m[0, 1] > 0.5 > m[0, 2] and m[0, 1] > m[0, 3]
    assert m[4, 5] > 0.3 > m[4, 6], "Chinese works through character n-grams"
    assert m[0, 4] == 0.0


def test_case_and_whitespace_do_not_matter() -> None:
    assert lexical_similarity("Personal  Information\nis", "personal information is") == 1.0
    assert lexical_similarity("", "") == 0.0
    assert lexical_similarity("a", "a") == 1.0
    assert lexical_similarity("a", "b") == 0.0
    assert 0.0 < lexical_similarity("We share data.", "We never share data.") < 1.0


def test_pair_cosines_equal_the_matrix() -> None:
    model, rows = LexicalModel.fit_transform(CLAUSES)
    dense = cosine_matrix(rows, rows)
    ia, ib = np.meshgrid(np.arange(7), np.arange(7), indexing="ij")
    pairs = pair_cosines(rows, rows, ia.ravel(), ib.ravel())
    assert np.allclose(pairs.reshape(7, 7), dense, atol=1e-6)
    assert np.allclose(model.matrix(CLAUSES, CLAUSES), dense, atol=1e-6)


def test_unseen_ngrams_are_ignored() -> None:
    model = LexicalModel.fit(CLAUSES[:2])
    m = model.matrix(["completely different words"], CLAUSES[:1])
    assert m.shape == (1, 1) and m[0, 0] < 0.2


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_cosines_are_bounded_and_symmetric(texts: list[str]) -> None:
    _model, rows = LexicalModel.fit_transform(texts)
    m = cosine_matrix(rows, rows)
    assert ((m >= 0) & (m <= 1)).all()
    assert np.allclose(m, m.T, atol=1e-6)
    for i, text in enumerate(texts):
        if text.strip():
            assert m[i, i] == pytest.approx(1.0, abs=1e-5)


def _synthetic(n: int, seed: int) -> tuple[list[str], list[str]]:
    rnd = random.Random(seed)
    words = [
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9)))
        for _ in range(6000)
    ]
    old = [" ".join(rnd.choice(words) for _ in range(rnd.randint(8, 40))) for _ in range(n)]
    new = [t.replace(" ", " also ", 1) if i % 3 == 0 else t for i, t in enumerate(old)]
    order = list(range(n))
    rnd.shuffle(order)
    return old, [new[k] for k in order]


def test_candidates_find_the_true_counterpart() -> None:
    old, new = _synthetic(3000, seed=5)
    _, rows = LexicalModel.fit_transform(old + new)
    a, b = rows.take(range(3000)), rows.take(range(3000, 6000))
    ra, rb, scores = candidate_pairs(a, b)
    assert len(ra) < 3000 * 8, "a few candidates per row, not all pairs"
    best: dict[int, tuple[float, int]] = {}
    for i, j, s in zip(ra.tolist(), rb.tolist(), scores.tolist(), strict=True):
        if s > best.get(i, (-1.0, -1))[0]:
            best[i] = (s, j)
    found = sum(
        1 for i in range(3000) if i in best and new[best[i][1]].replace(" also ", " ", 1) == old[i]
    )
    assert found == 3000
    # scores are the exact cosines
    exact = pair_cosines(a, b, ra[:50], rb[:50])
    assert np.allclose(exact, scores[:50])


def test_fitting_for_a_few_texts_gives_their_full_vectors() -> None:
    full = LexicalModel.fit(CLAUSES)
    few = LexicalModel.fit(CLAUSES, only=CLAUSES[:2])
    assert len(few.vocabulary) < len(full.vocabulary)
    a, b = full.transform(CLAUSES[:2]), few.transform(CLAUSES[:2])
    assert np.allclose(cosine_matrix(a, a), cosine_matrix(b, b), atol=1e-6)
    # same weights, feature by feature
    for r in range(2):
        fa, wa = a.row(r)
        fb, wb = b.row(r)
        assert np.allclose(sorted(wa), sorted(wb), atol=1e-6) and len(fa) == len(fb)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 60), max_size=50),
    st.lists(st.integers(0, 60), max_size=50),
)
def test_set_helpers_equal_numpy_unique_and_intersect1d(a: list[int], b: list[int]) -> None:
    """The helpers that avoid numpy.ma's import give numpy's own answers, dtype included."""
    from analyzer.diff.similarity import _distinct, _shared

    for dtype in (np.int64, np.uint64):
        x, y = np.array(a, dtype=dtype), np.array(b, dtype=dtype)
        assert np.array_equal(_distinct(x), np.unique(x))
        assert _distinct(x).dtype == np.unique(x).dtype
        assert np.array_equal(_shared(x, y), np.intersect1d(x, y))
        assert _shared(x, y).dtype == np.intersect1d(x, y).dtype
