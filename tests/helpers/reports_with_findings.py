"""A test utility: revisions with findings, built by hand.

The notices read a :class:`~analyzer.model.Report` whose changes carry findings. These helpers
run the real pipeline on two small texts (changes, redlines and addresses are the pipeline's own)
and then replace its findings with findings written here (so that a test controls exactly what
the notices are told), the way the judgement stage writes them: the criterion,
the detector, the words before and after, ``kind:value`` fact labels, the consent flag. The
decision level follows the section 9 rule (consent when a finding restricts rights, else popup).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from analyzer.judge.criteria import load_pack
from analyzer.model import CriterionResult, Decision, Finding, Override, Report
from analyzer.parse.ingest import read_document
from analyzer.parse.tree import parse
from analyzer.pipeline import analyze

OLD = """---
title: Example privacy policy
policy: example
version: 2025-01-01
updated: 2025-01-01
effective: 2025-01-15
format: text
---
Example privacy policy

Prompt clause

If you have questions, call the customer service hotline (400-80-13260) to contact us.

3、 Sharing

3.1 We share your contact information with our affiliates.

3.2 We will not entrust your information to suppliers.

5、 Your rights

5.6 How we respond

5.6.1 We will reply within 15 days.

5.6.2 For your reasonable request, we will not charge a fee in principle.

10、 How to contact us

Call the customer service hotline (400-80-13260) directly to contact us.
"""

EDITS: dict[str, tuple[str, str]] = {
    "meta": (
        "version: 2025-01-01\nupdated: 2025-01-01\neffective: 2025-01-15",
        "version: 2025-06-01\nupdated: 2025-06-01\neffective: 2025-07-01",
    ),
    "hotline": ("(400-80-13260)", "(95187)"),
    "deadline": ("within 15 days", "within 60 days"),
    "fee": ("we will not charge a fee in principle.", "we will charge a fee for every request."),
    "entrust": ("3.2 We will not entrust", "3.2 We will entrust"),
    "advertising": (
        "5、 Your rights",
        "3.3 Advertising partners We will entrust your device information and log information "
        "to our advertising partners, so that they can show you advertisements.\n\n5、 Your rights",
    ),
    "editorial": ("5.6 How we respond", "5.6 How We Respond"),
}


def edited(*names: str, base: str = OLD) -> str:
    """``base`` with the named edits applied (each must apply)."""
    text = base
    for name in ("meta", *names):
        find, replace = EDITS[name]
        assert find in text, name
        text = text.replace(find, replace)
    return text


def revision(old: str, new: str) -> Report:
    """The pipeline's report of ``old`` -> ``new`` (no embedder, the seed pack)."""
    old_tree = parse(read_document(old.encode("utf-8"), "old.md"))
    new_tree = parse(read_document(new.encode("utf-8"), "new.md"))
    return analyze(old_tree, new_tree, pack=load_pack("seed-9.4"), unavailable="tests")


def finding(
    criterion: str,
    detector: str,
    *facts: str,
    before: str = "",
    after: str = "",
    restricts: bool = False,
    override: Override | None = None,
) -> Finding:
    """A finding as the judgement stage writes one (change and clauses are filled on attach)."""
    return Finding(
        criterion=criterion,
        detector=detector,
        change="",
        evidence=f"{detector}: {before} -> {after}",
        before=before,
        after=after,
        confidence=0.9,
        restricts_rights=restricts,
        facts=tuple(facts),
        override=override,
    )


def with_findings(report: Report, findings: Mapping[str, Sequence[Finding]]) -> Report:
    """``report`` with exactly these findings, attached to the changes at the given clause
    addresses (new side, else old side; every other change has none), and the criteria and
    decision that follow from them."""
    changes = []
    used: set[str] = set()
    for change in report.changes:
        address = (change.new or change.old)[0].clause
        found = findings.get(address, ())
        if found:
            used.add(address)
            found = [
                dataclasses.replace(
                    f,
                    change=change.id,
                    old_clause=", ".join(r.clause for r in change.old) or None,
                    new_clause=", ".join(r.clause for r in change.new) or None,
                )
                for f in found
            ]
        changes.append(dataclasses.replace(change, findings=tuple(found)))
    missing = set(findings) - used
    assert not missing, f"no change at {sorted(missing)}"
    counting = [
        f
        for c in changes
        for f in c.findings
        if f.override is None or f.override.verdict != "not-major"
    ]
    consent = any(
        (f.override is None and f.restricts_rights)
        or (f.override is not None and f.override.verdict == "consent")
        for f in counting
    )
    anything = bool(changes)
    level = "consent" if consent else "popup" if counting else "publish" if anything else "none"
    criteria = tuple(
        dataclasses.replace(
            c,
            triggered=any(f.criterion == c.id for f in counting),
            changes=tuple(
                dict.fromkeys(ch.id for ch in changes for f in ch.findings if f.criterion == c.id)
            ),
        )
        for c in report.criteria
    )
    reasons = tuple(f"{f.criterion}: {f.evidence}" for f in counting) or (
        f"{len(changes)} change(s), none major",
    )
    return dataclasses.replace(
        report,
        changes=tuple(changes),
        criteria=criteria,
        decision=Decision(level, reasons),
    )


def criterion_result(report: Report, criterion: str) -> CriterionResult:
    return next(c for c in report.criteria if c.id == criterion)
