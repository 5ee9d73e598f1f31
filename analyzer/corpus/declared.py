"""What a version says it announced: the notice its publisher declared for the revision into it.

``policy corpus report`` compares this with what the analyzer decides, to answer the Open Terms
Archive community's question "what proportion of changes are officially announced?". The
declared level uses the analyzer's own scale (``none`` < ``publish`` < ``popup`` < ``consent``);
a revision is **announced** when the declared level is ``popup`` or ``consent``: users were told
prominently, not only by a new text on the policy's page.

Where the declaration comes from:

``policy_versions/`` layout
    The new version's front matter ``notice:`` (what the editor declares, the field ``policy
    check`` gates). No ``notice:`` means nothing declared (null).

Corpus layout (``versions.json`` beside the files, as in ``../shared/corpus``)
    The metadata of the new version's entry, by the first rule that applies:

    1. ``popup`` (announced) when the source gave notice of the change: a ``source_says`` entry
       of kind ``notice_timing`` (a notice or comment period before an effective date),
       ``prominent_announcement`` (a blog post), ``in_doc_update_banner`` or
       ``in_doc_update_announcement_link``; or ``explicit_materiality`` together with
       ``source_materiality: material``; or ``source_materiality: material`` alone (the corpus
       sets it only where the source says so or where its own notice process implies it); or an
       ``in_doc_update_banner`` on the *previous* version (a banner announcing the coming text).
    2. ``publish`` (recorded, not announced) when the source recorded the change without a
       prominent notice: ``logged_in_changelog: true`` or an ``in_doc_changelog`` entry (a
       change-log line), an ``in_doc_date_changed`` entry or field (the "last updated" date at
       the top was refreshed), or ``source_materiality: not_material`` (the source said the
       change needs no notice).
    3. ``none`` otherwise: nothing on record. This is not a claim that nothing was announced
       elsewhere, only that the archive holds no trace of it.

The rule that applied is kept as the row's ``declared_basis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.model import LEVELS

__all__ = ["ANNOUNCED_LEVELS", "Declared", "from_front_matter", "from_versions_json"]

Declared = tuple[str | None, str | None]
"""``(level, basis)``: the declared level (None: nothing declared) and why."""

ANNOUNCED_LEVELS = frozenset({"popup", "consent"})
"""Declared levels that count as announced (a prominent notice, or a request for consent)."""

_ANNOUNCING_KINDS = (
    "notice_timing",
    "prominent_announcement",
    "in_doc_update_banner",
    "in_doc_update_announcement_link",
)
_RECORDING_KINDS = ("in_doc_changelog", "in_doc_date_changed")


def from_front_matter(meta: Mapping[str, Any]) -> Declared:
    """The ``notice:`` a version of ``policy_versions/`` declares, if it is a known level."""
    value = meta.get("notice")
    if isinstance(value, str) and value in LEVELS:
        return value, "front matter notice:"
    return None, None


def from_versions_json(entry: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Declared:
    """The declared level of the revision into ``entry`` (see the module docstring)."""
    kinds = [
        str(item.get("kind"))
        for item in entry.get("source_says") or ()
        if isinstance(item, Mapping)
    ]
    materiality = entry.get("source_materiality")
    for kind in _ANNOUNCING_KINDS:
        if kind in kinds:
            return "popup", f"versions.json: source_says {kind}"
    if materiality == "material":
        if "explicit_materiality" in kinds:
            return "popup", "versions.json: source_says explicit_materiality (material)"
        basis = str(entry.get("source_materiality_basis") or "").split(":", 1)[0].strip()
        return "popup", f"versions.json: source_materiality material ({basis or 'no basis'})"
    if previous is not None and previous.get("in_doc_update_banner"):
        return "popup", "versions.json: in_doc_update_banner on the previous version"
    if entry.get("logged_in_changelog") is True:
        return "publish", "versions.json: logged_in_changelog"
    for kind in _RECORDING_KINDS:
        if kind in kinds:
            return "publish", f"versions.json: source_says {kind}"
    if entry.get("in_doc_date_changed") is True:
        return "publish", "versions.json: in_doc_date_changed"
    if materiality == "not_material":
        return "publish", "versions.json: source_materiality not_material"
    return "none", "versions.json: nothing on record"
