"""Detectors: what fires them on real revisions of the seed policy, what never does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from analyzer.judge.classify import DETECTORS, PROTOTYPE_THRESHOLD, classify, detector
from analyzer.judge.criteria import load_pack
from analyzer.judge.decide import judge
from analyzer.model import Change, Tripwire
from analyzer.parse.ingest import read_document
from tests.helpers.judgement_cases import SEED_VERSION
from tests.helpers.judging import build_changes_for, tree

PACK = load_pack()
SEED = read_document(SEED_VERSION.read_bytes(), str(SEED_VERSION)).text


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for find, new in pairs:
        assert text.count(find) == 1, find
        text = text.replace(find, new)
    return text


class RefusingEmbedder:
    """An embedder that fails the test when asked anything."""

    model_id = "refusing@0"
    languages = frozenset({"en"})

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError(f"the model was asked to embed {len(texts)} text(s)")


class LookupEmbedder:
    """Unit vectors by text: each prototype its own axis; a text listed in ``like`` gets the
    axis of the prototype it names; everything else a shared 'elsewhere' axis."""

    model_id = "lookup@0"

    def __init__(self, like: dict[str, str], languages: frozenset[str] = frozenset({"en"})):
        self.like = like
        self.languages = languages
        self.calls: list[int] = []
        self.axes: dict[str, int] = {}
        for criterion in PACK.criteria:
            for p in (*criterion.prototypes.en, *criterion.prototypes.zh):
                self.axes.setdefault(p, len(self.axes) + 1)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), len(self.axes) + 1), dtype=np.float32)
        for i, t in enumerate(texts):
            target = self.like.get(t, t)
            out[i, self.axes.get(target, 0)] = 1.0
        return out


def run(old_text: str, new_text: str, *, embedder=None, language: str = "en"):
    old, new = tree(old_text, "old.md", language), tree(new_text, "new.md", language)
    return judge(build_changes_for(old, new), old, new, pack=PACK, embedder=embedder)


def triggered(judgement) -> set[str]:
    return {c.id for c in judgement.criteria if c.triggered}


def findings(judgement):
    return [f for c in judgement.changes for f in c.findings]


# --------------------------------------------------------------------------- acceptance


def test_hotline_change_is_popup_9_4_5_with_both_numbers_and_never_loads_the_model():
    new = SEED.replace("400-80-13260", "95187")
    j = run(SEED, new, embedder=RefusingEmbedder())
    assert j.decision.level == "popup"
    assert triggered(j) == {"9.4.5"}
    evidence = [f.evidence for f in findings(j)]
    assert evidence and all("400-80-13260 -> 95187" in e for e in evidence)
    assert all(e.startswith("hotline number changed") for e in evidence)
    assert any(r.startswith("9.4.5: hotline number changed in 10") for r in j.decision.findings)
    finding = findings(j)[0]
    assert (finding.before, finding.after) == ("400-80-13260", "95187")
    assert finding.detector == "contact-change"
    assert finding.old_clause == finding.new_clause
    assert not finding.restricts_rights


def test_fee_for_every_request_needs_consent_under_9_2_and_9_4_4():
    new = edit(
        SEED,
        (
            "For your reasonable request, we will not charge a fee in principle, but for repeated "
            "requests that exceed the reasonable limit, we will charge a certain cost as "
            "appropriate.",
            "We will charge a fee for every request you make.",
        ),
    )
    j = run(SEED, new, embedder=RefusingEmbedder())
    assert j.decision.level == "consent"
    assert triggered(j) == {"9.2", "9.4.4"}
    restricting = [f for f in findings(j) if f.restricts_rights]
    assert restricting and all(f.criterion == "9.2" for f in restricting)
    assert all(f.new_clause == "5.6.2" for f in restricting)
    assert any("fee" in f.evidence for f in restricting)


# --------------------------------------------------------------------------- what never fires


def test_editorial_changes_never_trigger_a_criterion():
    old, new = tree(SEED, "old.md"), tree(SEED.replace("400-80-13260", "95187"), "new.md")
    changes = build_changes_for(old, new)
    assert changes and all(c.nature == "substantive" for c in changes)
    as_editorial = tuple(replace(c, nature="editorial", reasons=("reworded",)) for c in changes)
    out, _, _ = classify(as_editorial, old, new, pack=PACK, embedder=RefusingEmbedder())
    assert all(not c.findings for c in out)
    assert judge(as_editorial, old, new, pack=PACK, embedder=None).decision.level == "publish"


def test_a_sentence_moved_to_another_clause_states_nothing_new():
    sentence = (
        " We will entrust our partners with your browsing records to show you relevant "
        "advertisements."
    )
    old_text = "# P\n\n## 1. Sharing\n\nWe share data with partners.\n\n## 2. Other\n\nText here."
    old_text = old_text.replace("partners.", "partners." + sentence)
    new_text = old_text.replace(sentence, "").replace("Text here.", "Text here." + sentence)
    j = run(old_text, new_text)
    assert j.changes, "the move is a change"
    assert j.decision.level == "publish", j.decision.reasons


def test_a_category_new_to_the_policy_counts_even_inside_a_moved_sentence():
    sentence = " We use your device information to keep the service secure."
    old_text = "# P\n\n## 1. Use\n\nWe collect your contact details." + sentence
    old_text += "\n\n## 2. Security\n\nWe protect data."
    moved = sentence.replace("device information", "device information and precise location")
    new_text = old_text.replace(sentence, "").replace(
        "We protect data.", "We protect data." + moved
    )
    j = run(old_text, new_text)
    assert j.decision.level == "popup"
    assert "9.4.1" in triggered(j)
    assert any("location" in f.evidence for f in findings(j))


def test_a_denial_added_is_not_a_new_recipient():
    old_text = "# P\n\n## Sharing\n\nWe share your contact details with our service providers."
    new_text = old_text + " We do not share your information with advertisers or data brokers."
    j = run(old_text, new_text)
    assert "9.4.3" not in triggered(j), j.decision.reasons


def test_a_web_address_outside_a_contact_sentence_is_not_a_contact_change():
    old_text = "# P\n\n## Cookies\n\nFor details on cookies, see https://example.com/cookies ."
    new_text = old_text.replace("example.com/cookies", "example.com/help/cookie-policy")
    j = run(old_text, new_text)
    assert j.changes and j.changes[0].nature == "substantive"
    assert j.decision.level == "publish", j.decision.reasons


# --------------------------------------------------------------------------- what fires


@pytest.mark.parametrize(
    ("old_sentence", "new_sentence", "criterion"),
    [
        (
            "We will not share your location data with advertisers.",
            "We will share your location data with advertisers.",
            "9.4.3",
        ),
        (
            "You can contact us at privacy@example.com with any question.",
            "You can contact us at legal-team@example.org with any question.",
            "9.4.5",
        ),
        (
            "We keep your order history for 3 years.",
            "We keep your order history for 10 years.",
            "9.4.1",
        ),
    ],
)
def test_small_edits_that_change_meaning(old_sentence: str, new_sentence: str, criterion: str):
    head = "# Policy\n\n## Section\n\nWe process orders to provide the service. "
    j = run(head + old_sentence, head + new_sentence)
    assert criterion in triggered(j), j.decision.reasons
    assert j.decision.level in ("popup", "consent")


def test_commitment_weakened_after_withdrawal_restricts_rights():
    old = edit(SEED)
    new = edit(
        SEED,
        (
            "After you withdraw your consent, we will no longer process the corresponding user "
            "information.",
            "After you withdraw your consent, we may continue to process the corresponding user "
            "information.",
        ),
    )
    j = run(old, new)
    assert j.decision.level == "consent"
    restricting = [f for f in findings(j) if f.restricts_rights]
    assert any(
        f.detector == "rights-restriction" and "commitment" in f.evidence for f in restricting
    )
    assert any("will no longer process" in f.before for f in restricting)


def test_findings_name_clauses_words_and_confidence():
    new = edit(SEED, ("We will reply within 15 days.", "We will reply within 60 days."))
    j = run(SEED, new)
    restricting = [f for f in findings(j) if f.criterion == "9.2"]
    # the statement model quotes the clause's own sentences (not clause 10's, which still
    # says 15 days), the restriction pattern the words that changed
    told = next(f for f in restricting if f.detector == "statement-change")
    assert (told.before, told.after) == (
        "We will reply within 15 days.",
        "We will reply within 60 days.",
    )
    assert told.old_clause == told.new_clause == "5.6.1"
    f = next(f for f in restricting if f.detector == "rights-restriction")
    assert (f.before, f.after) == ("15 days", "60 days")
    assert f.old_clause == f.new_clause == "5.6.1"
    assert 0 < f.confidence <= 1
    assert f.change == j.changes[0].id
    assert f.facts and f.facts[0] == "restriction:deadline-lengthened"


# --------------------------------------------------------------------------- prototype fallback


UNEXPLAINED_OLD = "# P\n\n## Section\n\nWe keep things simple for everyone who uses the site."
UNEXPLAINED_NEW = UNEXPLAINED_OLD + " We pass what you type in the search box on to others."


def test_prototype_similarity_explains_what_cheap_detectors_cannot():
    prototype = PACK.criterion("9.4.3").prototypes.en[0]
    embedder = LookupEmbedder({"We pass what you type in the search box on to others.": prototype})
    j = run(UNEXPLAINED_OLD, UNEXPLAINED_NEW, embedder=embedder)
    assert embedder.calls and len(embedder.calls) == 1, "one batch per revision"
    assert j.embedded == 1
    assert triggered(j) == {"9.4.3"}
    f = findings(j)[0]
    assert f.detector == "prototype-similarity"
    assert "cosine 1.00" in f.evidence and prototype[:30] in f.evidence
    assert f.confidence <= 0.7


def test_prototype_similarity_below_threshold_or_without_model_finds_nothing():
    assert PROTOTYPE_THRESHOLD > 0.5
    j = run(UNEXPLAINED_OLD, UNEXPLAINED_NEW, embedder=LookupEmbedder({}))
    assert j.decision.level == "publish"
    j = run(UNEXPLAINED_OLD, UNEXPLAINED_NEW, embedder=None)
    assert j.decision.level == "publish"


def test_chinese_text_is_not_given_to_an_english_model():
    base = "# 政策\n\n## 一、说明\n\n我们致力于为您提供简单的服务。"
    embedder = LookupEmbedder({})
    j = run(
        base, base + "我们会把您在搜索框中输入的内容交给别人。", embedder=embedder, language="zh"
    )
    assert embedder.calls == []
    assert any("does not read 'zh'" in w for w in j.warnings)


# --------------------------------------------------------------------------- registry, determinism


def test_detectors_are_registered_by_name_in_order():
    assert list(DETECTORS) == [
        "statement-change",
        "contact-change",
        "contact-details",
        "value-change",
        "rights-restriction",
        "negation-flip",
        "fact-change",
        "section-context",
        "prototype-similarity",
    ]
    assert DETECTORS["prototype-similarity"].phase == "model"
    assert DETECTORS["contact-details"].phase == "unexplained"
    with pytest.raises(ValueError, match="registered twice"):
        detector("fact-change")(lambda change, ctx: [])


def test_same_inputs_give_identical_judgements():
    new = edit(
        SEED.replace("400-80-13260", "95187"),
        ("We will reply within 15 days.", "We will reply within 30 days."),
    )
    first = json.dumps(run(SEED, new).to_dict(), ensure_ascii=False, sort_keys=True)
    second = json.dumps(run(SEED, new).to_dict(), ensure_ascii=False, sort_keys=True)
    assert first == second


def test_changes_without_tripwires_are_read_from_their_texts():
    old, new = tree(SEED, "old.md"), tree(SEED.replace("400-80-13260", "95187"), "new.md")
    changes = tuple(replace(c, tripwires=()) for c in build_changes_for(old, new))
    out, _, _ = classify(changes, old, new, pack=PACK)
    assert all(c.findings for c in out)
    assert isinstance(changes[0], Change) and not isinstance(changes[0], Tripwire)


@pytest.mark.parametrize(
    ("old_sentence", "new_sentence"),
    [
        (
            "If you have questions, write to us at Nordpad ApS, Vestergade 12, 8000 Aarhus.",
            "If you have questions, write to us at Nordpad ApS, Sondergade 40, 8000 Aarhus.",
        ),
        (
            "Questions about your data are handled by our Privacy Office; contact them at any time.",
            "Questions about your data are handled by our Data Governance Board; contact them at any time.",
        ),
    ],
)
def test_contact_details_the_vocabulary_has_no_name_for(old_sentence: str, new_sentence: str):
    head = "# Policy\n\n## Contact us\n\n"
    j = run(head + old_sentence, head + new_sentence)
    assert triggered(j) == {"9.4.5"}, j.decision.reasons
    (finding,) = findings(j)
    assert finding.detector in ("contact-details", "contact-change")
    assert finding.before and finding.before != finding.after


@pytest.mark.parametrize(
    "new_sentence",
    [
        "You can contact our Privacy Office by calling 400-80-13260 or by writing to us.",
        "You can also contact the Privacy Office by writing to us or by calling 400 80 13260.",
    ],
)
def test_contact_sentence_rewordings_keep_their_details(new_sentence: str):
    head = "# Policy\n\n## Contact us\n\n"
    old = head + "You can contact our Privacy Office by writing to us or by calling 400-80-13260."
    j = run(old, head + new_sentence)
    assert j.decision.level == "publish", j.decision.reasons


@pytest.mark.slow
def test_prototype_similarity_with_the_real_model(tmp_path, monkeypatch):
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    monkeypatch.setenv("POLICY_ANALYZER_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    try:
        embedder = load_embedder()
    except EmbedderUnavailable as exc:
        pytest.skip(exc.reason)
    added = " You can reach the person in charge of data protection by writing to our office."
    j = run(UNEXPLAINED_OLD, UNEXPLAINED_OLD + added, embedder=embedder)
    assert triggered(j) == {"9.4.5"}, j.decision.reasons
    (finding,) = findings(j)
    assert finding.detector == "prototype-similarity" and finding.confidence <= 0.7
    assert j.embedded == 1


def test_a_negation_without_facts_is_placed_by_its_section_heading():
    old = "# P\n\n## How we share information\n\nIn principle this does not happen to your data."
    j = run(old, old.replace("does not happen", "happens"))
    assert triggered(j) == {"9.4.3"}, j.decision.reasons
    (finding,) = findings(j)
    assert finding.detector == "section-context" and finding.confidence == 0.5
    assert "how we share information" in finding.evidence


# --------------------------------------------------------------------------- same words, new lead-in

TWO_LISTS = """# P

## Sharing

We will never:

- sell your personal information to advertisers;
- share your location with data brokers.

We may:

- share your information with our payment processor.
"""


def test_an_item_moved_unchanged_under_a_may_lead_in_is_restated_and_needs_consent():
    moved = TWO_LISTS.replace("- share your location with data brokers.\n", "").replace(
        "- share your information with our payment processor.\n",
        "- share your information with our payment processor;\n"
        "- share your location with data brokers.\n",
    )
    j = run(TWO_LISTS, moved)
    assert j.decision.level == "consent"
    (restated,) = [c for c in j.changes if "restated" in c.reasons]
    assert restated.nature == "substantive"
    assert "data brokers" in restated.new[0].text
    assert {"9.2", "9.4.3"} <= {f.criterion for f in restated.findings}


def test_a_clause_moved_unchanged_under_another_heading_stays_editorial():
    old = (
        "# P\n\n## Sharing\n\nWe share your order with couriers.\n\n"
        "## Other\n\nWe keep server logs for security.\n"
    )
    new = (
        "# P\n\n## Sharing\n\nWe keep server logs for security.\n\n"
        "## Other\n\nWe share your order with couriers.\n"
    )
    j = run(old, new)
    assert all(c.nature == "editorial" for c in j.changes), [c.reasons for c in j.changes]
    assert j.decision.level == "publish"
