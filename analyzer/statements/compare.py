"""Comparing what two versions state, at the level of the whole policy.

:func:`compare_statements` never pairs clauses: a statement the old version makes anywhere and
the new version makes anywhere is unchanged, however the text moved. What it reports
(:class:`~analyzer.statements.model.StatementChange`), the way a lawyer states the rules:

- **practices**: a practice is new when the new version states, for an action family
  (collect, use, share, sell, store, send abroad), an object, recipient, purpose or place -- or
  an object given to a recipient -- that no statement of the old version covers; a more
  specific object (precise location where only an approximate one was) is new; the reverse
  for what is gone;
- **promises**: a protective statement of the old version -- a denial ('we do not sell'), a
  sharing statement presented as complete ('only with', 'in limited circumstances'), a
  practice done only with the user's consent -- must be covered by one of the new version: a
  denial of the same family whose objects and recipients include the old ones, with no more
  exceptions. Otherwise it is *reversed* (the new version affirms it), *opened* ('including'),
  *consent-dropped* (done without asking), *narrowed* (more exceptions) or *withdrawn* (a denial
  simply gone); each restricts what users were promised;
- **rights**: a right the old version granted the user and the new one grants nowhere is
  withdrawn, even if it is still named; a right newly denied restricts; a right newly granted is
  new;
- **channels**: a way of reaching the company or exercising rights (phone, e-mail, post, an
  online form, settings) the new version no longer names at all is withdrawn;
- **contacts, controllers**: values replaced, added or removed; names and numbers of contact
  passages (a street, a named officer) the other version never uses;
- **risks**: a high risk found by an assessment; **deadlines**: the company's made longer, the
  user's imposed or shortened; **fees**: a charge where there was none; **retention** periods.

Each kind is compared in its own module: practices and promises in
:mod:`~analyzer.statements.compare_practices`, rights and channels in
:mod:`~analyzer.statements.compare_rights`, contacts and controllers in
:mod:`~analyzer.statements.compare_contacts` (what they share in
:mod:`~analyzer.statements.compare_common`); risks, deadlines, fees and retention periods here,
where :func:`compare_statements` gathers and sorts them all.

Pure; deterministic (every output sorted).
"""

from __future__ import annotations

from analyzer.statements.compare_common import make_change, quote, related
from analyzer.statements.compare_contacts import (
    contact_changes,
    controller_changes,
    entity_key,
    postal_key,
    same_number,
)
from analyzer.statements.compare_practices import practice_changes, promise_changes
from analyzer.statements.compare_rights import (
    channel_changes,
    channel_type,
    channel_types,
    right_changes,
)
from analyzer.statements.model import (
    ChangeHow,
    PolicyStatements,
    Statement,
    StatementChange,
    StatementDelta,
)
from analyzer.text.compiled import regex

__all__ = [
    "channel_type",
    "channel_types",
    "compare_statements",
    "entity_key",
    "postal_key",
    "same_number",
]

_TOLERANCE = 0.03
"""Relative difference under which two durations are the same ('24 months' and 'two
years')."""


def _same_days(a: float, b: float) -> bool:
    return abs(a - b) <= _TOLERANCE * max(a, b)


# --------------------------------------------------------------------------- risks, deadlines, fees


def _risk_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    old_high = [s for s in old.of_kind("risk") if s.action == "high-risk" and not s.denied]
    out = []
    for s in new.of_kind("risk"):
        if s.action != "high-risk" or s.denied:
            continue
        if any(related(o.text, s.text) for o in old_high):
            continue
        out.append(
            make_change(
                "added",
                s,
                "risk|high-risk",
                f"a high risk is reported: '{quote(s.text)}'",
                after=s,
            )
        )
    return out


def _paired(befores: list[Statement], afters: list[Statement]) -> list[tuple[Statement, Statement]]:
    """Old and new statements left unmatched, paired clause by clause where a clause states
    one of each, the rest in order: a deadline changed in one clause is told with that
    clause's old words, not with another clause that still says the old value."""
    befores, afters = list(befores), list(afters)
    pairs: list[tuple[Statement, Statement]] = []
    for a in list(befores):
        b = next((b for b in afters if b.clause == a.clause), None)
        if b is not None:
            befores.remove(a)
            afters.remove(b)
            pairs.append((a, b))
    pairs += zip(befores, afters, strict=False)
    return pairs


def _deadline_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []

    def company(ps: PolicyStatements) -> dict[tuple[str, tuple[str, ...]], list[Statement]]:
        found: dict[tuple[str, tuple[str, ...]], list[Statement]] = {}
        for s in ps.of_kind("deadline"):
            if s.actor == "company" and s.days is not None:
                found.setdefault((s.action, s.objects), []).append(s)
        for statements in found.values():
            statements.sort(key=lambda s: s.days or 0)
        return found

    old_company, new_company = company(old), company(new)
    for key in sorted(set(new_company) - set(old_company)):
        b = new_company[key][0]
        what = f"{key[0]} {'/'.join(key[1])}".strip()
        out.append(
            make_change(
                "added",
                b,
                f"deadline|{what}",
                f"a time limit to {what}: {b.values[0].split(':', 1)[1]}",
                after=b,
            )
        )
    for key in sorted(set(old_company) & set(new_company)):
        befores, afters = list(old_company[key]), list(new_company[key])
        for in_place in (True, False):  # the same value in the same clause first
            for a in list(befores):
                match = next(
                    (
                        b
                        for b in afters
                        if a.days is not None
                        and b.days is not None
                        and _same_days(a.days, b.days)
                        and (b.clause == a.clause or not in_place)
                    ),
                    None,
                )
                if match is not None:
                    befores.remove(a)
                    afters.remove(match)
        for a, b in _paired(befores, afters):
            assert a.days is not None and b.days is not None
            longer = b.days > a.days
            what = f"{key[0]} {'/'.join(key[1])}".strip()
            out.append(
                make_change(
                    "lengthened" if longer else "shortened",
                    b,
                    f"deadline|{what}",
                    f"time to {what}: {a.values[0].split(':', 1)[1]} -> {b.values[0].split(':', 1)[1]}",
                    before=a,
                    after=b,
                    restricts=longer,
                )
            )
    old_user = [s for s in old.of_kind("deadline") if s.actor == "user" and s.days is not None]
    for s in new.of_kind("deadline"):
        if s.actor != "user" or s.days is None:
            continue
        same = [o for o in old_user if o.objects == s.objects]
        if any(
            o.days is not None and (o.days < s.days or _same_days(o.days, s.days)) for o in same
        ):
            continue
        if not same and _new_ability(s, old):
            continue  # a new way to act that comes with its time limit: nothing taken away
        out.append(
            make_change(
                "imposed",
                s,
                f"deadline|user {'/'.join(s.objects)}".strip(),
                f"the user now has {s.values[0].split(':', 1)[1]} to act: '{quote(s.text)}'",
                before=same[0] if same else None,
                after=s,
                restricts=True,
            )
        )
    return out


_ABILITY = regex(
    r"(?<![a-z])(?:you|users?|customers?) (?:may|can|could|are able to|have the right to"
    r"|are entitled to|will be able to) (?:also |still |then )?([a-z]{3,})"
)


def _new_ability(s: Statement, old: PolicyStatements) -> bool:
    """The deadline's sentence gives the user something to do that the old version never
    names ('you can appeal our decision within 60 days' where no appeal was offered)."""
    m = _ABILITY.search(s.text.casefold())
    if m is None:
        return False
    stem = m.group(1)[:5]
    return not any(w.startswith(stem) for w in old.words)


def _fee_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    def charged(ps: PolicyStatements) -> list[Statement]:
        return [s for s in ps.of_kind("fee") if s.action == "charged" and not s.denied]

    out: list[StatementChange] = []
    old_charged = charged(old)
    old_keys = {tuple(v for v in s.values if v.startswith("right:")) for s in old_charged}
    for s in charged(new):
        key = tuple(v for v in s.values if v.startswith("right:"))
        money = [v for v in s.values if v.startswith("money:")]
        if key in old_keys and not money:
            continue
        if any(
            tuple(v for v in o.values if v.startswith("right:")) == key
            and [v for v in o.values if v.startswith("money:")] == money
            for o in old_charged
        ):
            continue
        if not key and not money:
            continue
        out.append(
            make_change(
                "charged",
                s,
                "fee|" + (",".join(v.split(":", 1)[1] for v in key) or "request"),
                f"a fee is now charged: '{quote(s.text)}'",
                after=s,
                restricts=True,
            )
        )
    return out


def _retention_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []

    def longest(ps: PolicyStatements) -> dict[tuple[str, ...], Statement]:
        found: dict[tuple[str, ...], Statement] = {}
        for s in ps.of_kind("retention"):
            if s.days is None or s.denied or not s.objects:
                continue
            if s.objects not in found or s.days > (found[s.objects].days or 0):
                found[s.objects] = s
        return found

    before, after = longest(old), longest(new)
    for key in sorted(set(before) & set(after)):
        a, b = before[key], after[key]
        assert a.days is not None and b.days is not None
        if _same_days(a.days, b.days):
            continue
        how: ChangeHow = "lengthened" if b.days > a.days else "shortened"
        out.append(
            make_change(
                how,
                b,
                f"retention|{'/'.join(key)}",
                f"{'/'.join(key)} kept {a.values[0].split(':', 1)[1]} -> {b.values[0].split(':', 1)[1]}",
                before=a,
                after=b,
            )
        )
    # a period the old version never gave, now given for information it named no period for
    # ('For HEY, we keep the IP addresses … until the account is deleted'): a new rule
    old_periods = {v for s in old.of_kind("retention") if not s.denied for v in s.values}
    old_objects = {o for s in old.of_kind("retention") if not s.denied for o in s.objects}
    seen: set[tuple[tuple[str, ...], str]] = set()
    for s in new.of_kind("retention"):
        if s.denied or not s.objects or not s.values or s.values[0] in old_periods:
            continue
        if set(s.objects) <= old_objects or (s.objects, s.values[0]) in seen:
            continue  # a period for information that had one: lengthened or shortened above
        seen.add((s.objects, s.values[0]))
        out.append(
            make_change(
                "added",
                s,
                f"retention|{'/'.join(s.objects)}",
                f"{'/'.join(s.objects)} kept {s.values[0].split(':', 1)[1]} (newly stated)",
                after=s,
            )
        )
    return out


# --------------------------------------------------------------------------- the delta


def compare_statements(old: PolicyStatements, new: PolicyStatements) -> StatementDelta:
    """What ``new`` states differently from ``old``, at policy level (see the module)."""
    changes = [
        *practice_changes(old, new),
        *promise_changes(old, new),
        *right_changes(old, new),
        *channel_changes(old, new),
        *contact_changes(old, new),
        *controller_changes(old, new),
        *_risk_changes(old, new),
        *_deadline_changes(old, new),
        *_fee_changes(old, new),
        *_retention_changes(old, new),
    ]
    changes.sort(
        key=lambda c: (
            c.kind,
            c.subject,
            c.how,
            c.before.clause if c.before else "",
            c.after.clause if c.after else "",
            c.detail,
        )
    )
    old_keys = {_identity(s) for s in old.statements}
    unchanged = sum(1 for s in new.statements if _identity(s) in old_keys)
    return StatementDelta(changes=tuple(changes), unchanged=unchanged)


def _identity(s: Statement) -> tuple[object, ...]:
    return (
        s.kind,
        s.actor,
        s.action,
        s.polarity,
        s.objects,
        s.recipients,
        s.purposes,
        s.places,
        s.values,
    )
