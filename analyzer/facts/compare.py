"""Comparing facts: what two texts, or two whole documents, state differently.

:func:`diff_facts` compares the facts of two texts (one clause, old and new) as multisets;
:func:`diff_document_facts` those of two whole documents (a category collected anywhere for
the first time is new even when its sentence moved). A flipped negation and a replaced value
of a :data:`~analyzer.facts.types.PAIRED_KINDS` kind come out as one
:class:`~analyzer.facts.types.FactChange`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from analyzer.facts.extract import extract_document_facts, extract_facts
from analyzer.facts.types import PAIRED_KINDS, ChangeHow, Fact, FactChange, FactDelta

# --------------------------------------------------------------------------- comparing facts


def _replaces(old: Fact, new: Fact) -> bool:
    """Whether ``new`` can be read as ``old`` with another value: same kind and negation, and
    a kind of :data:`PAIRED_KINDS`, or two console paths (a right moved in the menus)."""
    if old.kind != new.kind or old.negated != new.negated:
        return False
    return old.kind in PAIRED_KINDS or (
        old.value.startswith("path:") and new.value.startswith("path:")
    )


def _pair(
    removed: list[Fact], added: list[Fact]
) -> tuple[list[Fact], list[Fact], list[FactChange]]:
    """Turn removed/added facts that are one statement changed into :class:`FactChange`."""
    changed: list[FactChange] = []
    # The same value with the opposite negation: the statement was flipped.
    rest_added = list(added)
    rest_removed: list[Fact] = []
    for old in removed:
        flip = next(
            (
                n
                for n in rest_added
                if n.kind == old.kind and n.value == old.value and n.negated != old.negated
            ),
            None,
        )
        if flip is None:
            rest_removed.append(old)
            continue
        rest_added.remove(flip)
        changed.append(FactChange(old.kind, old, flip, "negated" if flip.negated else "affirmed"))
    # Kinds whose values replace one another (and console paths): pair in order of appearance.
    final_removed: list[Fact] = []
    for old in rest_removed:
        new = next((n for n in rest_added if _replaces(old, n)), None)
        if new is None:
            final_removed.append(old)
            continue
        rest_added.remove(new)
        how: ChangeHow = "replaced"
        if (
            old.magnitude is not None
            and new.magnitude is not None
            and old.magnitude != new.magnitude
        ):
            if _same_length(old, new):
                continue  # '24 months' and 'two years' are one period, written two ways
            how = "increased" if new.magnitude > old.magnitude else "decreased"
        changed.append(FactChange(old.kind, old, new, how))
    return final_removed, rest_added, changed


_SAME_LENGTH = 0.03
"""Relative difference under which two periods are the same (a month counts 30 days, a year
365: '24 months' is 720 days, 'two years' 730)."""
_PERIOD_KINDS = frozenset({"duration", "retention", "deadline"})


def _same_length(old: Fact, new: Fact) -> bool:
    assert old.magnitude is not None and new.magnitude is not None
    return old.kind in _PERIOD_KINDS and abs(old.magnitude - new.magnitude) <= _SAME_LENGTH * max(
        old.magnitude, new.magnitude
    )


def _order(facts: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple(sorted(facts, key=lambda f: (f.clause or "", f.span, f.kind, f.value)))


def diff_facts(old_facts: Sequence[Fact], new_facts: Sequence[Fact]) -> FactDelta:
    """Differences between the facts of two texts (one clause, old and new).

    Facts are compared as multisets of (kind, value, negated): a fact stated twice and now once
    is one removed. Moving words inside the text changes nothing. A flipped negation and a
    replaced value of a :data:`PAIRED_KINDS` kind come out as :class:`FactChange`.
    """
    old_count = Counter(f.key for f in old_facts)
    new_count = Counter(f.key for f in new_facts)
    removed: list[Fact] = []
    added: list[Fact] = []
    for key, n in (old_count - new_count).items():
        removed += [f for f in old_facts if f.key == key][-n:]
    for key, n in (new_count - old_count).items():
        added += [f for f in new_facts if f.key == key][-n:]
    removed.sort(key=lambda f: f.span)
    added.sort(key=lambda f: f.span)
    removed, added, changed = _pair(removed, added)
    return FactDelta(added=_order(added), removed=_order(removed), changed=tuple(changed))


def diff_texts(old: str, new: str, language: str = "en") -> FactDelta:
    """:func:`diff_facts` of the facts of two texts."""
    return diff_facts(extract_facts(old, language), extract_facts(new, language))


def diff_document_facts(
    old: Mapping[str, str], new: Mapping[str, str], language: str = "en"
) -> FactDelta:
    """Differences between what two whole documents state, wherever they state it.

    Compared as sets: a (kind, value, negated) that the new document states in any clause and
    the old one in none is *added* (reported at its first clause), and the reverse is
    *removed*; a category that only moved to another clause is neither. Flipped negations and
    replaced values of :data:`PAIRED_KINDS` are paired as in :func:`diff_facts`.

    This answers "is it new anywhere?"; it does not replace :func:`diff_facts` per changed
    clause: a clause added with facts the document already stated elsewhere is silent here.
    """
    old_facts = extract_document_facts(old, language)
    new_facts = extract_document_facts(new, language)
    old_first: dict[tuple[str, str, bool], Fact] = {}
    for f in old_facts:
        old_first.setdefault(f.key, f)
    new_first: dict[tuple[str, str, bool], Fact] = {}
    for f in new_facts:
        new_first.setdefault(f.key, f)
    removed = [f for k, f in old_first.items() if k not in new_first]
    added = [f for k, f in new_first.items() if k not in old_first]
    removed, added, changed = _pair(removed, added)
    return FactDelta(added=_order(added), removed=_order(removed), changed=tuple(changed))
