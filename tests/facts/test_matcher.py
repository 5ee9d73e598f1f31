"""The vocabulary matcher finds exactly what the straightforward trie finds.

The matcher of :mod:`analyzer.facts.extract` checks the word boundary once after the whole trie
(:data:`analyzer.text.scan.WORD_END`) and compiles a bucket only when the text has one of its
first characters. Both are speed-ups that must not change a single match, so this module keeps
the plain construction — one ``(?![a-z0-9_])`` after every phrase that ends in a word character,
every bucket compiled — as the reference, and compares the two on generated and real text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.facts.matcher import BUCKET_SIZE, matchers
from analyzer.facts.vocabulary import STOP_PHRASES, VOCABULARY
from analyzer.text.scan import (
    WORD_CHARS,
    ascii_lower,
    expand_phrase,
    phrase_key,
    starts_word,
    trie_pattern,
)


def _reference_atoms(phrase: str, *, chinese: bool) -> list[str]:
    atoms = []
    for ch in ascii_lower(phrase):
        if ch == " ":
            atoms.append(r"\s*+" if chinese else r"\s++")
        elif ch == "-":
            atoms.append(r"[\s\-]{0,3}+")
        elif ch in "'’":
            atoms.append("['’]")
        else:
            atoms.append(re.escape(ch))
    if phrase[-1:] in WORD_CHARS:
        atoms.append(r"(?![a-z0-9_])")
    return atoms


def _reference_trie(phrases: list[list[str]]) -> str:
    trie: dict[str, Any] = {}
    for atoms in phrases:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        children = sorted(node.items(), key=lambda item: (item[0].startswith("(?!"), item[0]))
        branches = [atom + emit(child) for atom, child in children if atom != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def _reference_patterns(chinese: bool) -> list[re.Pattern[str]]:
    forms: dict[str, list[str]] = {}
    phrases = [
        phrase
        for values in VOCABULARY.values()
        for terms in values.values()
        for phrase in (terms.zh if chinese else terms.en)
    ] + list(STOP_PHRASES.zh if chinese else STOP_PHRASES.en)
    for phrase in phrases:
        for form in expand_phrase(phrase):
            if phrase_key(form):
                forms.setdefault(ascii_lower(form), _reference_atoms(form, chinese=chinese))
    by_first: dict[str, list[list[str]]] = {}
    for form in sorted(forms):
        by_first.setdefault(form[0], []).append(forms[form])
    firsts = sorted(by_first)
    buckets = [firsts[i : i + BUCKET_SIZE] for i in range(0, len(firsts), BUCKET_SIZE)]
    return [
        re.compile(_reference_trie([a for first in bucket for a in by_first[first]]))
        for bucket in buckets
    ]


_REFERENCE = {chinese: _reference_patterns(chinese) for chinese in (False, True)}


def _reference_matches(lower: str, chinese: bool) -> list[tuple[int, int]]:
    patterns = _REFERENCE[chinese]
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        pos = 0
        while pos <= len(lower):
            m = pattern.search(lower, pos)
            if m is None:
                break
            if lower[m.start()] not in WORD_CHARS or starts_word(lower, m.start()):
                found.append((m.start(), m.end()))
                pos = m.end() if m.end() > m.start() else m.start() + 1
            else:
                pos = m.start() + 1
    if len(patterns) > 1:
        found.sort(key=lambda se: (se[0], -se[1]))
    kept: list[tuple[int, int]] = []
    last_end = -1
    for start, end in found:
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


def _assert_same(text: str) -> None:
    lower = ascii_lower(text)
    english, chinese = matchers()
    assert english.matches(lower) == _reference_matches(lower, False)
    assert chinese.matches(lower) == _reference_matches(lower, True)


_FORMS = sorted(
    {
        form
        for values in VOCABULARY.values()
        for terms in values.values()
        for phrase in (*terms.en, *terms.zh)
        for form in expand_phrase(phrase)
    }
)
_PIECES = st.sampled_from(_FORMS) | st.sampled_from(
    [" ", "  ", "\n", "-", " - ", "'", "’", "s", "es", "ed", "x", "_", "1", ".", ",", "（", "的"]
)


def _mangle(form: str, draw: st.DrawFn) -> str:
    """A vocabulary phrase as a document may write it: cut short, other case, other spaces."""
    if draw(st.booleans()):
        form = form[: draw(st.integers(1, max(1, len(form))))]
    if draw(st.booleans()):
        form = form.upper() if draw(st.booleans()) else form.title()
    return form.replace(" ", draw(st.sampled_from([" ", "  ", "\n", "-", ""])))


@st.composite
def _texts(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, max_size=12))
    return "".join(_mangle(p, draw) if len(p) > 2 else p for p in pieces)


@settings(max_examples=400, deadline=None)
@given(_texts() | st.text(max_size=80))
def test_matches_equal_the_reference_on_generated_text(text: str) -> None:
    _assert_same(text)


def test_word_boundaries_and_longest_phrases() -> None:
    for text in (
        "personal datastore",  # 'personal data' runs on: 'personal' is the phrase
        "partnership partners partner_x partner",
        "e-mail addresses, email address, e mail  address",
        "minors' data and minors’ data",
        "个人信息 和 APP 以及 cookies 与 cookie",
        "",
    ):
        _assert_same(text)


def test_a_bucket_compiles_only_when_the_text_needs_it() -> None:
    from analyzer.facts.matcher import build_matcher

    chinese = build_matcher(VOCABULARY, chinese=True)
    chinese.matches(ascii_lower("plain English without any Chinese phrase start: 12345"))
    ascii_first = [k for k, firsts in enumerate(chinese.firsts) if any(c.isascii() for c in firsts)]
    compiled = [k for k, p in enumerate(chinese._compiled) if p is not None]
    assert set(compiled) <= set(ascii_first)
    assert len(compiled) < len(chinese.sources)


def test_a_phrase_may_not_end_in_a_hyphen() -> None:
    from analyzer.text.scan import phrase_atoms

    with pytest.raises(ValueError, match="hyphen"):
        phrase_atoms("re-", chinese=False)
    assert trie_pattern([["a"]]).startswith("(?:a)")


@pytest.mark.slow
def test_matches_equal_the_reference_on_the_corpus(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*/*/*.md"))
    assert files
    for path in files[::3]:
        _assert_same(path.read_text(encoding="utf-8"))
