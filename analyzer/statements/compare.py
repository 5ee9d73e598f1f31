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

Pure; deterministic (every output sorted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from analyzer.statements.model import (
    ChangeHow,
    PolicyStatements,
    Statement,
    StatementChange,
    StatementDelta,
)

__all__ = ["compare_statements"]

_TOLERANCE = 0.03
"""Relative difference under which two durations are the same ('24 months' and 'two
years')."""
_SHARE_FAMILIES = frozenset({"share", "sell", "abroad"})
_CHANNEL_TYPES = {
    "hotline": "phone",
    "phone": "phone",
    "email": "email",
    "postal": "postal",
    "address": "postal",
    "form": "online",
    "work-order": "online",
    "online-service": "online",
    "feedback": "online",
    "support-page": "online",
    "web": "online",
    "settings": "settings",
    "in-person": "in-person",
}
_CONTACT_CHANNELS = frozenset({"phone", "email", "postal"})


# --------------------------------------------------------------------------- helpers


def _category(value: str) -> str:
    return value.split("/", 1)[0]


def _covered_value(value: str, others: Iterable[str]) -> bool:
    """A value is covered by the same value, and a category without sub-type by any of its
    sub-types (a more specific object is not covered by a general one)."""
    return any(
        other == value or ("/" not in value and _category(other) == value) for other in others
    )


def _includes(wide: Sequence[str], narrow: Sequence[str]) -> bool:
    """Every value of ``narrow`` is in ``wide``; an empty ``wide`` is everything (a denial of
    'personal information' covers any category), an empty ``narrow`` only an empty ``wide``."""
    if not wide:
        return True
    if not narrow:
        return False
    return all(v in wide or _category(v) in wide for v in narrow)


def _overlaps(a: Sequence[str], b: Sequence[str]) -> bool:
    if not a or not b:
        return True
    return bool({_category(v) for v in a} & {_category(v) for v in b})


def _same_days(a: float, b: float) -> bool:
    return abs(a - b) <= _TOLERANCE * max(a, b)


_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")
_FILLER = frozenset(
    {"the", "a", "an", "of", "to", "or", "and", "by", "we", "our", "us", "you", "your", "is"}
    | {"are", "be", "as", "in", "on", "for", "it", "that", "this", "with", "under", "any"}
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _FILLER}


def _related(a: str, b: str) -> bool:
    x, y = _words(a), _words(b)
    return bool(x and y) and len(x & y) >= 0.5 * min(len(x), len(y))


def _change(
    how: ChangeHow,
    statement: Statement,
    subject: str,
    detail: str,
    *,
    before: Statement | None = None,
    after: Statement | None = None,
    restricts: bool = False,
) -> StatementChange:
    return StatementChange(
        how=how,
        kind=statement.kind,
        subject=subject,
        detail=detail,
        before=before,
        after=after,
        restricts=restricts,
    )


# --------------------------------------------------------------------------- practices


def _atoms(s: Statement) -> set[tuple[str, str, str]]:
    """What a practice statement says, as (family, role, value) atoms; an object given to a
    recipient is the atom (family, object>recipient)."""
    family = s.family
    out = {(family, "object", o) for o in s.objects}
    out |= {("any", "purpose", p) for p in s.purposes if p != "service"}
    out |= {(family, "place", p) for p in s.places}
    if family in _SHARE_FAMILIES:
        out |= {(family, "recipient", r) for r in s.recipients}
        out |= {(family, "given", f"{o}>{r}") for o in s.objects for r in s.recipients}
    return out


def _practising(statements: PolicyStatements) -> list[Statement]:
    return [
        s
        for s in statements.of_kind("practice")
        if not s.denied and s.actor in ("company", "recipient")
    ]


def _atom_covered(atom: tuple[str, str, str], pool: set[tuple[str, str, str]]) -> bool:
    family, role, value = atom
    if role == "given":
        obj, _, rec = value.partition(">")
        return any(
            f == family
            and r == "given"
            and v.partition(">")[2] == rec
            and _covered_value(obj, [v.partition(">")[0]])
            for f, r, v in pool
        )
    return any(f == family and r == role and _covered_value(value, [v]) for f, r, v in pool) or (
        role == "object"
        and _covered_value(value, [v for f, r, v in pool if r == "object" and f == family])
    )


_ROLE_WORDS = {
    "object": "information",
    "recipient": "recipient",
    "purpose": "purpose",
    "place": "place",
    "given": "information given to a recipient",
}


def _describe_atom(atom: tuple[str, str, str]) -> str:
    family, role, value = atom
    if role == "given":
        obj, _, rec = value.partition(">")
        verb = {"sell": "is sold", "abroad": "goes abroad"}.get(family, "is given")
        return f"{obj} {verb} to {rec}"
    if role == "purpose":
        return f"information used for {value}"
    verb = {"share": "shared", "sell": "sold", "abroad": "sent abroad", "store": "stored"}.get(
        family, f"{family}ed" if not family.endswith("e") else f"{family}d"
    )
    if role == "recipient":
        return f"{value} receive{'s' if not value.endswith('s') else ''} information ({verb})"
    if role == "place":
        return f"information {verb} in {value}"
    return f"{value} {verb}"


def _practice_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_statements, new_statements = _practising(old), _practising(new)
    old_pool = {a for s in old_statements for a in _atoms(s)}
    new_pool = {a for s in new_statements for a in _atoms(s)}
    for side, statements, pool in (
        ("new", new_statements, old_pool),
        ("old", old_statements, new_pool),
    ):
        reported: set[tuple[str, str, str]] = set()
        for s in statements:
            fresh = sorted(a for a in _atoms(s) if a not in reported and not _atom_covered(a, pool))
            if not fresh:
                continue
            reported.update(fresh)
            specific = [
                a
                for a in fresh
                if a[1] == "object"
                and "/" in a[2]
                and any(r == "object" and _category(v) == _category(a[2]) for _f, r, v in pool)
            ]
            if side == "new":
                how: ChangeHow = (
                    "more-specific" if specific and len(specific) == len(fresh) else "added"
                )
                detail = "; ".join(_describe_atom(a) for a in fresh)
                out.append(_change(how, s, "|".join(fresh[0]), detail, after=s))
            else:
                detail = "no longer: " + "; ".join(_describe_atom(a) for a in fresh)
                out.append(_change("removed", s, "|".join(fresh[0]), detail, before=s))
    return out


# --------------------------------------------------------------------------- promises


def _protective(s: Statement) -> str:
    """Why a practice statement protects users ('' when it does not): ``denial`` (we do not
    …), ``only`` (a sharing statement presented as complete), ``consent`` (done only with the
    user's consent or choice)."""
    if s.kind != "practice" or s.actor == "user":
        return ""
    if s.denied:
        return "denial"
    if s.family in _SHARE_FAMILIES and s.scope == "only":
        return "only"
    if any(c.startswith("consent:") for c in s.conditions):
        return "consent"
    return ""


def _exceptions(s: Statement) -> set[str]:
    return {w for c in s.conditions if c.startswith("except:") for w in _words(c.split(":", 1)[1])}


def _protects_as_much(new: Statement, old: Statement) -> bool:
    """``new`` protects at least what ``old`` did: the same family, at least its objects and
    recipients (none named is all of them)."""
    return (
        new.family == old.family
        and _includes(new.objects, old.objects)
        and _includes(new.recipients, old.recipients)
    )


def _promise_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    new_protective = [s for s in new.of_kind("practice") if _protective(s)]
    new_affirmed = [s for s in _practising(new) if not _protective(s)]
    seen: set[tuple[str, str]] = set()
    for s in old.of_kind("practice"):
        why = _protective(s)
        if not why:
            continue
        keepers = [n for n in new_protective if _protects_as_much(n, s)]
        key = (s.family, s.text)
        if key in seen:
            continue
        seen.add(key)
        subject = f"{s.family}|{','.join(s.objects) or '*'}|{','.join(s.recipients) or '*'}"
        if keepers:
            if why == "denial":
                best = max(keepers, key=lambda n: len(_words(n.text) & _words(s.text)))
                extra = _exceptions(best) - _exceptions(s) - _words(s.text)
                if best.denied and len(extra) >= 2:
                    out.append(
                        _change(
                            "narrowed",
                            s,
                            subject,
                            f"the promise not to {s.action} has more exceptions: "
                            f"'{_quote(s.text)}' -> '{_quote(best.text)}'",
                            before=s,
                            after=best,
                            restricts=True,
                        )
                    )
            continue
        doing = [
            n
            for n in new_affirmed
            if n.family == s.family
            and _overlaps(n.objects, s.objects)
            and _overlaps(n.recipients, s.recipients)
        ]
        if why != "denial" and not doing:
            continue  # the practice itself is gone: less processing, not a restriction
        best_after = (
            max(doing, key=lambda n: len(_words(n.text) & _words(s.text))) if doing else None
        )
        if why == "denial":
            how: ChangeHow = "reversed" if best_after else "withdrawn"
            verb = "now affirmed" if best_after else "no longer stated"
            detail = f"the promise not to {s.action} is {verb}: '{_quote(s.text)}'"
        elif why == "only":
            how = "opened"
            detail = f"sharing presented as limited is no longer: '{_quote(s.text)}'"
        else:
            how = "consent-dropped"
            detail = (
                f"a practice done with the user's consent no longer asks for it: '{_quote(s.text)}'"
            )
        if best_after is not None:
            detail += f" -> '{_quote(best_after.text)}'"
        out.append(_change(how, s, subject, detail, before=s, after=best_after, restricts=True))
    return out


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- rights


def _granted(statements: PolicyStatements) -> dict[str, list[Statement]]:
    out: dict[str, list[Statement]] = {}
    for s in statements.of_kind("right"):
        if s.actor == "user" and not s.denied:
            out.setdefault(s.action, []).append(s)
    return out


def _right_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_granted, new_granted = _granted(old), _granted(new)
    for right in sorted(set(old_granted) - set(new_granted)):
        s = old_granted[right][0]
        out.append(
            _change(
                "withdrawn",
                s,
                f"right|{right}",
                f"the right ({right}) is no longer granted: '{_quote(s.text)}'",
                before=s,
                restricts=True,
            )
        )
    for right in sorted(set(new_granted) - set(old_granted)):
        s = new_granted[right][0]
        out.append(
            _change(
                "granted", s, f"right|{right}", f"new right ({right}): '{_quote(s.text)}'", after=s
            )
        )
    old_denied = {
        (s.action, s.objects) for s in old.of_kind("right") if s.denied and s.actor == "user"
    }
    for s in new.of_kind("right"):
        if not s.denied or s.actor != "user" or (s.action, s.objects) in old_denied:
            continue
        if any(
            o.action == s.action and o.denied and _overlaps(o.objects, s.objects)
            for o in old.of_kind("right")
        ):
            continue
        before = next((o for o in old_granted.get(s.action, []) if _related(o.text, s.text)), None)
        out.append(
            _change(
                "denied",
                s,
                f"right|{s.action}",
                f"the user can no longer exercise a right ({s.action}): '{_quote(s.text)}'",
                before=before,
                after=s,
                restricts=True,
            )
        )
    return out


# --------------------------------------------------------------------------- channels and contacts


def _channel_types(statements: PolicyStatements) -> dict[str, Statement]:
    """The ways of reaching the company or exercising rights the version offers, by type, with
    a statement that offers each."""
    out: dict[str, Statement] = {}
    for s in statements.statements:
        if s.kind == "right" and not s.denied:
            for v in s.values:
                if v.startswith("channel:"):
                    kind = _CHANNEL_TYPES.get(v.split(":", 1)[1])
                    if kind:
                        out.setdefault(kind, s)
        elif s.kind == "contact" and s.action != "details" and not s.denied:
            kind = _CHANNEL_TYPES.get(s.action)
            if kind:
                out.setdefault(kind, s)
    return out


def _mentioned_types(statements: PolicyStatements) -> set[str]:
    out: set[str] = set()
    for m in statements.mentions:
        kind, _, value = m.partition(":")
        if kind == "channel":
            out.add(_CHANNEL_TYPES.get(value, value))
        elif kind in _CHANNEL_TYPES:
            out.add(_CHANNEL_TYPES[kind])
    return out


def _channel_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_types, new_types = _channel_types(old), _channel_types(new)
    still = _mentioned_types(new)
    for kind in sorted(set(old_types) - set(new_types) - still):
        s = old_types[kind]
        out.append(
            _change(
                "withdrawn",
                s,
                f"channel|{kind}",
                f"users can no longer reach the company or exercise their rights by {kind}: "
                f"'{_quote(s.text)}'",
                before=s,
                restricts=True,
            )
        )
    return out


def _same_contact(a: str, b: str) -> bool:
    if a == b:
        return True
    kind_a, _, va = a.partition(":")
    kind_b, _, vb = b.partition(":")
    if kind_a != kind_b or kind_a != "phone":
        return False
    short, long_ = sorted((va, vb), key=len)
    return len(short) >= 7 and long_.endswith(short) and len(long_) - len(short) <= 3


def _contact_values(statements: PolicyStatements) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for s in statements.of_kind("contact"):
        if s.action == "details" or s.denied:
            continue
        for v in s.values:
            out.setdefault(v, s)
    return out


def _contact_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_values, new_values = _contact_values(old), _contact_values(new)
    gone = sorted(v for v in old_values if not any(_same_contact(v, n) for n in new_values))
    came = sorted(v for v in new_values if not any(_same_contact(v, o) for o in old_values))
    for kind in sorted({v.split(":", 1)[0] for v in gone + came}):
        removed = [v for v in gone if v.startswith(kind + ":")]
        added = [v for v in came if v.startswith(kind + ":")]
        for k in range(max(len(removed), len(added))):
            before = old_values[removed[k]] if k < len(removed) else None
            after = new_values[added[k]] if k < len(added) else None
            if before is not None and after is not None:
                out.append(
                    _change(
                        "replaced",
                        after,
                        f"contact|{kind}",
                        f"{kind} changed: {removed[k].split(':', 1)[1]} -> {added[k].split(':', 1)[1]}",
                        before=before,
                        after=after,
                    )
                )
            elif after is not None:
                out.append(
                    _change(
                        "added",
                        after,
                        f"contact|{kind}",
                        f"{kind} added: {added[k].split(':', 1)[1]}",
                        after=after,
                    )
                )
            elif before is not None:
                out.append(
                    _change(
                        "removed",
                        before,
                        f"contact|{kind}",
                        f"{kind} removed: {removed[k].split(':', 1)[1]}",
                        before=before,
                    )
                )
    out += _detail_changes(old, new)
    return out


def _detail_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    """Names and numbers of contact passages that the other version never uses anywhere."""
    out: list[StatementChange] = []
    olds = [s for s in old.of_kind("contact") if s.action == "details"]
    news = [s for s in new.of_kind("contact") if s.action == "details"]
    fresh = {s.clause: [v for v in s.values if v.split(":", 1)[1] not in old.words] for s in news}
    lost = {s.clause: [v for v in s.values if v.split(":", 1)[1] not in new.words] for s in olds}
    used: set[str] = set()
    for s in news:
        came = fresh[s.clause]
        if not came:
            continue
        partner = next(
            (
                o
                for o in olds
                if lost[o.clause] and o.clause not in used and _related(o.text, s.text)
            ),
            None,
        )
        if partner is not None:
            used.add(partner.clause)
        gone = lost[partner.clause] if partner else []
        shown = " ".join(v.split(":", 1)[1] for v in came)
        was = " ".join(v.split(":", 1)[1] for v in gone)
        out.append(
            _change(
                "replaced" if partner else "added",
                s,
                "contact|details",
                f"contact details changed: {was or '—'} -> {shown}",
                before=partner,
                after=s,
            )
        )
    for o in olds:
        if o.clause in used or not lost[o.clause]:
            continue
        if any(_related(o.text, s.text) for s in news):
            continue
        out.append(
            _change(
                "removed",
                o,
                "contact|details",
                f"contact details removed: {' '.join(v.split(':', 1)[1] for v in lost[o.clause])}",
                before=o,
            )
        )
    return out


def _controller_values(statements: PolicyStatements) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for s in statements.of_kind("controller"):
        if s.denied:
            continue
        for v in s.values:
            if v != "org:controller":
                out.setdefault(v, s)
    return out


def _controller_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_values, new_values = _controller_values(old), _controller_values(new)
    for v in sorted(set(new_values) - set(old_values)):
        s = new_values[v]
        what = v.split(":", 1)[1]
        detail = (
            f"change of control: {what}" if v.startswith("ownership:") else f"controller: {what}"
        )
        out.append(_change("added", s, f"controller|{v}", detail, after=s))
    for v in sorted(set(old_values) - set(new_values)):
        s = old_values[v]
        if v.startswith("ownership:"):
            continue
        out.append(
            _change(
                "removed",
                s,
                f"controller|{v}",
                f"no longer controller: {v.split(':', 1)[1]}",
                before=s,
            )
        )
    return out


# --------------------------------------------------------------------------- risks, deadlines, fees


def _risk_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    old_high = [s for s in old.of_kind("risk") if s.action == "high-risk" and not s.denied]
    out = []
    for s in new.of_kind("risk"):
        if s.action != "high-risk" or s.denied:
            continue
        if any(_related(o.text, s.text) for o in old_high):
            continue
        out.append(
            _change(
                "added",
                s,
                "risk|high-risk",
                f"a high risk is reported: '{_quote(s.text)}'",
                after=s,
            )
        )
    return out


def _deadline_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []

    def company(ps: PolicyStatements) -> dict[tuple[str, tuple[str, ...]], Statement]:
        found: dict[tuple[str, tuple[str, ...]], Statement] = {}
        for s in ps.of_kind("deadline"):
            if s.actor != "company" or s.days is None:
                continue
            key = (s.action, s.objects)
            if key not in found or s.days > (found[key].days or 0):
                found[key] = s
        return found

    old_company, new_company = company(old), company(new)
    for key in sorted(set(old_company) & set(new_company)):
        a, b = old_company[key], new_company[key]
        assert a.days is not None and b.days is not None
        if _same_days(a.days, b.days):
            continue
        longer = b.days > a.days
        what = f"{key[0]} {'/'.join(key[1])}".strip()
        out.append(
            _change(
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
        out.append(
            _change(
                "imposed",
                s,
                f"deadline|user {'/'.join(s.objects)}".strip(),
                f"the user now has {s.values[0].split(':', 1)[1]} to act: '{_quote(s.text)}'",
                before=same[0] if same else None,
                after=s,
                restricts=True,
            )
        )
    return out


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
            _change(
                "charged",
                s,
                "fee|" + (",".join(v.split(":", 1)[1] for v in key) or "request"),
                f"a fee is now charged: '{_quote(s.text)}'",
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
            _change(
                how,
                b,
                f"retention|{'/'.join(key)}",
                f"{'/'.join(key)} kept {a.values[0].split(':', 1)[1]} -> {b.values[0].split(':', 1)[1]}",
                before=a,
                after=b,
            )
        )
    return out


# --------------------------------------------------------------------------- the delta


def compare_statements(old: PolicyStatements, new: PolicyStatements) -> StatementDelta:
    """What ``new`` states differently from ``old``, at policy level (see the module)."""
    changes = [
        *_practice_changes(old, new),
        *_promise_changes(old, new),
        *_right_changes(old, new),
        *_channel_changes(old, new),
        *_contact_changes(old, new),
        *_controller_changes(old, new),
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
