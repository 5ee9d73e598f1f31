"""What a policy says as a whole (analyzer.statements.summary): every entry with the clauses that
state it, places only where information goes, denials kept apart, moves not counted as changes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from analyzer.model import ClauseTree
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.statements.summary import (
    PolicyFacts,
    compare_policy_facts,
    facts_from_dict,
    summarize_policy,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "analyzer/schemas/policy-facts-1.json").read_text(encoding="utf-8"))

POLICY = """\
---
title: Nordpad privacy notice
policy: nordpad
version: 2025-01-10
---
# Nordpad privacy notice

## 1. Who we are

Nordpad Ltd is the data controller of your personal data. Our offices are governed by the laws of Denmark and the United States.

## 2. What we collect

We collect your email address and your device identifiers to run the service. We also collect your precise location when you use maps, and a photo of your passport when you verify your account.

| Recipient | Data |
|---|---|
| advertising partners | device identifiers |

## 3. Sharing

We share your email address with our affiliates for customer support. We will never sell your personal data to data brokers.

## 4. Where we keep it

We store your personal data in the European Union. We may transfer it to the United States.

## 5. Your rights

You can access your data and delete it in Settings > Privacy. We will reply within 30 days. Requests are free of charge.

## 6. Contact

Write to privacy@nordpad.example or call our hotline 020-555-0100. You may complain to the supervisory authority. See https://nordpad.example/help for help.
"""


def tree(text: str, name: str = "2025-01-10.md") -> ClauseTree:
    return parse(read_document(text.encode(), f"nordpad/{name}", name=name))


def by_value(entries) -> dict:
    return {(e.value, e.negated): e for e in entries}


@pytest.fixture(scope="module")
def facts() -> PolicyFacts:
    return summarize_policy(tree(POLICY))


def test_the_summary_validates_against_policy_facts_1(facts: PolicyFacts) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    document = json.loads(json.dumps(facts.to_dict()))
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert document["schema"] == "policy-facts/1"
    assert document["meta"]["version"] == "2025-01-10"


def test_schema_rejects_an_entry_without_its_clauses(facts: PolicyFacts) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    broken = json.loads(json.dumps(facts.to_dict()))
    broken["recipients"][0]["clauses"] = []
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(facts.to_dict()))
    broken["places"][0]["roles"] = ["mentioned"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(facts.to_dict()))
    del broken["rights"]
    assert not validator.is_valid(broken)


def test_every_entry_names_the_clauses_that_state_it(facts: PolicyFacts) -> None:
    categories = by_value(facts.categories)
    assert categories["contact", False].clauses == ("2 ¶1", "3 ¶1")
    assert categories["id-document", False].sensitive
    assert categories["location", False].sensitive
    assert not categories["contact", False].sensitive
    assert "passport" in " ".join(categories["id-document", False].words)
    recipients = by_value(facts.recipients)
    assert recipients["affiliates", False].clauses == ("3 ¶1",)
    assert recipients["affiliates", False].related == ("contact",)  # receives the e-mail address
    assert "share" in recipients["affiliates", False].actions
    # a table row reads with its column headings: the partners receive device identifiers
    assert recipients["advertisers", False].related == ("device",)
    assert [e.name for e in facts.controller] == ["Nordpad Ltd"]


def test_a_denial_is_its_own_entry(facts: PolicyFacts) -> None:
    recipients = by_value(facts.recipients)
    assert ("data-brokers", True) in recipients and ("data-brokers", False) not in recipients
    assert recipients["data-brokers", True].shown == "not data brokers"
    handling = by_value(facts.handling)
    assert ("sell", True) in handling and ("sell", False) not in handling


def test_a_country_is_a_place_only_where_information_goes(facts: PolicyFacts) -> None:
    places = by_value(facts.places)
    assert places["EU", False].roles == ("storage",)
    assert places["US", False].roles == ("transfer",)
    assert places["US", False].clauses == ("4 ¶1",)  # not 1: the laws of a country are no place
    assert ("DK", False) not in places


def test_rights_with_how_when_and_what_it_costs(facts: PolicyFacts) -> None:
    rights = {r.right.value: r for r in facts.rights}
    assert set(rights) >= {"access", "delete"}
    access = rights["access"]
    assert [c.value for c in access.channels] == ["path:settings > privacy"]
    assert [d.value for d in access.deadlines] == ["30 days"]
    assert [(f.value, f.negated) for f in access.fees] == [("free", False)]
    assert [p.name for p in facts.phones] == ["020-555-0100"]
    assert facts.phones[0].roles == ("hotline",)
    assert [e.value for e in facts.emails] == ["privacy@nordpad.example"]
    assert [c.value for c in facts.complaints] == ["regulator"]
    # a web address counts as a contact only in a sentence about contacting or rights
    assert facts.web == ()


def test_a_table_of_contents_and_skipped_clauses_state_nothing() -> None:
    parsed = tree(POLICY.replace("Our offices are", "We keep no health data. Our offices are"))
    assert "health" in {e.value for e in summarize_policy(parsed).categories}
    as_contents = replace(
        parsed,
        clauses=tuple(
            replace(c, kind="contents") if c.id == "s1-p1" else c for c in parsed.clauses
        ),
    )
    assert "health" not in {e.value for e in summarize_policy(as_contents).categories}
    skipped = summarize_policy(parsed, skip={"s3-p1"})
    assert "3 ¶1" in skipped.left_out
    assert "affiliates" not in {e.value for e in skipped.recipients}


def test_a_statement_that_only_moved_is_no_change(facts: PolicyFacts) -> None:
    moved = POLICY.replace(
        "We share your email address with our affiliates for customer support. ", ""
    ).replace(
        "Write to privacy",
        "We share your email address with our affiliates for customer support. Write to privacy",
    )
    after = summarize_policy(tree(moved))
    delta = compare_policy_facts(facts, after)
    assert delta.is_empty, delta.to_dict()
    assert by_value(after.recipients)["affiliates", False].clauses == ("6 ¶1",)


def test_what_a_revision_changes_in_what_the_policy_says(facts: PolicyFacts) -> None:
    revised = POLICY.replace(
        "We share your email address with our affiliates for customer support.",
        "We share your email address and your precise location with our affiliates for "
        "customer support. We share your precise location with insurers.",
    ).replace("Requests are free of charge.", "We may charge a fee for requests.")
    delta = compare_policy_facts(facts, summarize_policy(tree(revised)))
    topics = {
        name: (added, removed, changed) for name, _, added, removed, changed in delta.topics()
    }
    assert set(topics) == {"recipients", "categories", "fees"}
    assert [e.value for e in topics["recipients"][0]] == ["insurers"]
    (affiliates,) = topics["recipients"][2]  # still named, now receiving the location too
    assert affiliates.new.value == "affiliates" and affiliates.gained == ("location",)
    assert affiliates.names(affiliates.gained) == ("location",)
    (location,) = topics["categories"][2]  # now used for customer support
    assert location.gained == ("support",) and not location.lost
    assert [e.value for e in topics["fees"][0]] == ["charged"]
    assert [e.value for e in topics["fees"][1]] == ["free"]


def test_the_summary_reads_back_from_its_json(facts: PolicyFacts) -> None:
    again = facts_from_dict(json.loads(json.dumps(facts.to_dict())))
    assert again.to_dict() == facts.to_dict()
    assert compare_policy_facts(facts, again).is_empty
    with pytest.raises(ValueError):
        facts_from_dict({"schema": "policy-tree/1"})


def test_the_summary_is_deterministic(facts: PolicyFacts) -> None:
    assert summarize_policy(tree(POLICY)).to_dict() == facts.to_dict()
    assert list(facts.to_dict()) == [
        "schema",
        "source",
        "meta",
        "language",
        "sha256",
        "controller",
        "categories",
        "purposes",
        "recipients",
        "handling",
        "places",
        "retention",
        "rights",
        "channels",
        "deadlines",
        "fees",
        "phones",
        "emails",
        "addresses",
        "web",
        "departments",
        "complaints",
        "left_out",
    ]


def test_it_is_read_the_way_the_statement_model_reads_it() -> None:
    text = POLICY.replace(
        "## 4. Where we keep it",
        "We will never:\n\n- sell your precise location;\n- share your contact information with "
        "data brokers.\n\nQuestions about deletion requests go to our privacy team. Use the "
        "Family Sharing feature to invite others.\n\n## 4. Where we keep it",
    )
    facts = summarize_policy(tree(text))
    # a list item is read with its lead-in: 'We will never' + 'sell your precise location'
    handling = by_value(facts.handling)
    assert ("sell", True) in handling and ("sell", False) not in handling
    assert by_value(facts.categories)["location", False].subtypes == ("precise",)
    # a right counts where a sentence grants it, not where its name appears
    rights = {r.right.value: r.right for r in facts.rights}
    assert rights["delete"].status == "granted"
    assert rights["delete"].clauses == ("5 ¶1",)
    # a product's name is no way of handling information
    assert "Sharing" not in by_value(facts.handling)["share", False].words
