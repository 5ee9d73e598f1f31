"""Issue 14, bypass 3: changes of meaning made by the structure of a text, not its words. Each
case is a git change run through ``policy check --base``, which must fail with
``undeclared-notice`` (the revision needs a pop-up or consent it does not declare).

The statement model of the whole policy (issue 13: list lead-ins distributed over their items,
"No company … except" versus "Any company … including") is what judges these; until it is
merged, the cases that the per-clause facts cannot read fail here, on purpose (they are not
marked xfail: this module says how far the gate is)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.gate_changes import NEW_VERSION, gate_repo, propose
from tests.helpers.versions_repo import BODY

if shutil.which("git") is None:  # pragma: no cover - git is part of the test environment
    pytest.skip("git is not installed", allow_module_level=True)

NEVER_LIST = """3. What we will never do

3.1. We will never:

- sell your personal information to advertisers;
- share your location with data brokers.
"""

TWO_LISTS = """3. Sharing

3.1. We will never:

- sell your personal information to advertisers;
- share your location with data brokers.

3.2. We may:

- share your information with our payment processor.
"""

NO_COMPANY = """3. Sharing

3.1. No company outside our group will receive your location information, except our
payment processor.
"""


def _fails(tmp_path: Path, old: str, new: str) -> None:
    gate = gate_repo(tmp_path, body=BODY + "\n" + old)
    outcome = propose(gate, BODY + "\n" + new)
    revision = outcome.revision(f"{NEW_VERSION}.md")
    assert outcome.code == 1 and "undeclared-notice" in outcome.rules, revision
    assert revision["detected"] in ("popup", "consent"), revision


def test_a_never_lead_in_turned_into_a_will_lead_in_fails(tmp_path: Path) -> None:
    _fails(tmp_path, NEVER_LIST, NEVER_LIST.replace("We will never:", "We will:"))


def test_an_item_moved_from_a_never_list_to_a_may_list_fails(tmp_path: Path) -> None:
    moved = TWO_LISTS.replace("- share your location with data brokers.\n", "").replace(
        "- share your information with our payment processor.\n",
        "- share your information with our payment processor;\n"
        "- share your location with data brokers.\n",
    )
    _fails(tmp_path, TWO_LISTS, moved)


def test_no_company_except_turned_into_any_company_including_fails(tmp_path: Path) -> None:
    _fails(
        tmp_path,
        NO_COMPANY,
        NO_COMPANY.replace(
            "No company outside our group will", "Any company outside our group may"
        ).replace("except our", "including our"),
    )
