"""The labelled judgement set loads, covers what it must, and this stage's extractors see
what a reviewer would notice in it.

The classifier stage asserts its decisions against the same cases; here we check only that
the vocabulary under it is adequate: a major revision leaves a trace of its criterion's kinds,
a rights restriction matches a restriction pattern, an editorial one trips nothing that carries
meaning.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from analyzer.diff.tripwires import MEANING_KINDS
from analyzer.judge.criteria import CriteriaPack, load_pack
from tests.helpers.judgement_cases import (
    TRIPPING_LOOKALIKES,
    CaseError,
    JudgementCase,
    Signals,
    load_case,
    load_cases,
    load_corpus_pairs,
    signals,
)

CASES = load_cases()
GENERIC = frozenset({"negation", "modality"})


@cache
def _pack() -> CriteriaPack:
    return load_pack()


@cache
def _signals(name: str) -> Signals:
    case = next(c for c in CASES if c.name == name)
    return signals(case.old_text, case.new_text, case.language, _pack())


def test_the_set_covers_every_criterion_and_enough_editorial_and_chinese_cases() -> None:
    assert len(CASES) >= 30
    per_criterion = Counter(cid for c in CASES for cid in c.criteria)
    for cid in ("9.4.1", "9.4.2", "9.4.3", "9.4.4", "9.4.5", "9.4.6"):
        assert per_criterion[cid] >= 2, cid
    assert per_criterion["9.2"] >= 4
    assert sum(c.editorial for c in CASES) >= 10
    assert sum(c.language == "zh" for c in CASES) >= 3
    assert {c.level for c in CASES} == {"none", "publish", "popup", "consent"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_case_loads_and_changes_the_text(case: JudgementCase) -> None:
    assert case.why and case.old_text != case.new_text
    for edit in case.edits:
        assert edit.find != edit.replace


def test_an_edit_that_does_not_apply_exactly_once_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "judgement" / "bad-case"
    folder.mkdir(parents=True)
    (folder / "case.yaml").write_text(
        "why: x\nlevel: publish\ncriteria: []\nedits:\n- find: 'the'\n  replace: 'a'\n",
        encoding="utf-8",
    )
    import tests.helpers.judgement_cases as judgement_cases

    root = judgement_cases.ROOT
    judgement_cases.ROOT = tmp_path  # the loader names files relative to ROOT
    try:
        with pytest.raises(CaseError, match=r"occurs [0-9]+ times"):
            load_case(folder)
    finally:
        judgement_cases.ROOT = root


MAJOR = [c for c in CASES if c.major]
EDITORIAL = [c for c in CASES if c.editorial]
CONSENT = [c for c in CASES if "9.2" in c.criteria]


VOCABULARY_GAPS: dict[str, str] = {}
"""Major cases whose criterion no fact kind or tripwire names; the classifier finds them by
other means (tests/test_judgement_decisions.py asserts that it does)."""


@pytest.mark.parametrize("case", MAJOR, ids=[c.name for c in MAJOR])
def test_a_major_revision_leaves_a_trace_of_its_criterion(case: JudgementCase) -> None:
    if case.name in VOCABULARY_GAPS:
        pytest.skip(VOCABULARY_GAPS[case.name])
    found = _signals(case.name)
    for cid in case.criteria:
        if cid == "9.2":
            continue
        criterion = _pack().criterion(cid)
        traces = {spec for spec in criterion.facts if found.touches(spec)}
        traces |= found.tripwire_kinds & set(criterion.tripwires)
        assert traces, f"{case.name}: nothing of {cid}'s kinds changed ({case.why})"


@pytest.mark.parametrize("case", CONSENT, ids=[c.name for c in CONSENT])
def test_a_rights_restriction_is_evidenced(case: JudgementCase) -> None:
    found = _signals(case.name)
    assert found.restrictions or found.rights_clause_flips or found.promises_broken, (
        f"{case.name}: no restriction pattern matched, no negation or modal verb changed in a "
        f"clause stating a right, and no promise or grant of the old version is broken "
        f"({case.why})"
    )
    for detail, promised in found.promises_broken:
        # a broken promise is told with the old version's words that made it (a right newly
        # denied has none: its detail quotes the new words)
        assert detail
        assert all(w in case.old_text for w in re.findall(r"\w+", promised)), (detail, promised)


@pytest.mark.parametrize("case", EDITORIAL, ids=[c.name for c in EDITORIAL])
def test_an_editorial_revision_trips_nothing_meaningful(case: JudgementCase) -> None:
    found = _signals(case.name)
    wires = [t for t in found.tripwires if t.kind in MEANING_KINDS]
    if case.name in TRIPPING_LOOKALIKES:
        assert wires, f"{case.name} no longer trips: drop it from TRIPPING_LOOKALIKES"
    else:
        assert wires == [], f"{case.name}: {wires}"
    assert found.restrictions == ()


RESTRICTION_LOOKALIKES = {
    "9.4.5-work-order-replaced-by-post": "the work order is replaced in one clause but still "
    "offered in another; only the document-wide view (analyzer.judge.evidence) sees that",
}


def test_no_editorial_or_popup_case_looks_like_a_restriction() -> None:
    wrongly = [
        c.name
        for c in CASES
        if "9.2" not in c.criteria
        and _signals(c.name).restrictions
        and c.name not in RESTRICTION_LOOKALIKES
    ]
    assert wrongly == []


# --------------------------------------------------------------------------- corpus pairs


def test_corpus_pairs_match_the_corpus_labels(corpus_dir: Path) -> None:
    pairs = load_corpus_pairs()
    assert pairs
    for pair in pairs:
        folder = corpus_dir / pair.document
        assert (folder / pair.old).is_file() and (folder / pair.new).is_file()
        versions = json.loads((folder / "versions.json").read_text(encoding="utf-8"))
        files = [v["file"] for v in versions]
        i = files.index(pair.new)
        assert files[i - 1] == pair.old
        assert versions[i]["source_materiality"] == pair.materiality
    labelled = sum(
        v.get("source_materiality") in ("material", "not_material")
        for f in corpus_dir.glob("*/*/versions.json")
        for v in json.loads(f.read_text(encoding="utf-8"))[1:]
    )
    assert labelled == len(pairs)  # every labelled revision is listed


@pytest.mark.slow
def test_a_material_corpus_revision_is_never_silent(corpus_dir: Path) -> None:
    for pair in load_corpus_pairs():
        if pair.materiality != "material":
            continue
        old, new = pair.texts(corpus_dir)
        found = signals(old, new, pair.language, _pack())
        assert [t for t in found.tripwires if t.kind in MEANING_KINDS], pair
