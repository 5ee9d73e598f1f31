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
from dataclasses import replace

from analyzer.statements.model import (
    ChangeHow,
    PolicyStatements,
    Statement,
    StatementChange,
    StatementDelta,
)
from analyzer.text.compiled import regex

__all__ = ["channel_type", "channel_types", "compare_statements", "entity_key", "same_number"]

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
    "form": "form",
    "web": "form",
    "work-order": "work-order",
    "online-service": "online-service",
    "feedback": "feedback",
    "support-page": "support-page",
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


_WORD = regex(r"[a-z0-9]+|[\u3400-\u9fff]")
_FILLER = frozenset(
    {"the", "a", "an", "of", "to", "or", "and", "by", "we", "our", "us", "you", "your", "is"}
    | {"are", "be", "as", "in", "on", "for", "it", "that", "this", "with", "under", "any"}
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _FILLER}


def _related(a: str, b: str, *, strict: bool = False) -> bool:
    """Two sentences are versions of one another: they share half the words of the shorter
    one (``strict``: of the longer one)."""
    x, y = _words(a), _words(b)
    size = max(len(x), len(y)) if strict else min(len(x), len(y))
    return bool(x and y) and len(x & y) >= 0.5 * size


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
    """What a practice statement says, as (family, role, value) atoms: what it handles
    (``object``), why (``purpose``, and ``for``: an object used for a purpose), where
    (``place``), and for the families that give information away, to whom (``recipient``, and
    ``given``: an object given to a recipient)."""
    family = s.family
    purposes = [p for p in s.purposes if p != "service"]
    out = {(family, "object", o) for o in s.objects}
    out |= {("any", "purpose", p) for p in purposes}
    out |= {("any", "for", f"{o}>{p}") for o in s.objects for p in purposes}
    out |= {(family, "place", p) for p in s.places}
    if family in _SHARE_FAMILIES:
        out |= {(family, "recipient", r) for r in s.recipients}
        out |= {(family, "given", f"{o}>{r}") for o in s.objects for r in s.recipients}
    return out


_PAIRS = frozenset({"given", "for"})


def _object_of(atom: tuple[str, str, str]) -> str:
    """The category of information an atom is about ('' when none)."""
    _family, role, value = atom
    if role == "object":
        return value
    if role in _PAIRS:
        return value.partition(">")[0]
    return ""


def _practising(statements: PolicyStatements) -> list[Statement]:
    return [
        s
        for s in statements.of_kind("practice")
        if not s.denied and s.actor in ("company", "recipient")
    ]


def _without_self(s: Statement, own: set[str]) -> Statement:
    recipients = tuple(r for r in s.recipients if _not_self(r, own))
    return s if recipients == s.recipients else replace(s, recipients=recipients)


def _not_self(value: str, own: set[str]) -> bool:
    if not value.startswith("org:"):
        return True
    name = re.sub(r"['’]s$", "", value[4:])
    return name.split()[0] not in own if name.split() else True


def _atom_covered(atom: tuple[str, str, str], pool: set[tuple[str, str, str]]) -> bool:
    """Whether the other version states the atom: the same family and role, and the same
    value -- an object without sub-type is stated by any of its sub-types, a sub-type only by
    itself."""
    family, role, value = atom
    if role in _PAIRS:
        obj, _, other = value.partition(">")
        return any(
            f == family
            and r == role
            and v.partition(">")[2] == other
            and _covered_value(obj, [v.partition(">")[0]])
            for f, r, v in pool
        )
    return any(f == family and r == role and _covered_value(value, [v]) for f, r, v in pool)


def _more_specific(atom: tuple[str, str, str], pool: set[tuple[str, str, str]]) -> bool:
    """A new atom about a sub-type of information whose category the other version does
    state (precise location where approximate location was): more specific, not unheard of."""
    obj = _object_of(atom)
    if "/" not in obj:
        return False
    return any(_category(_object_of(a)) == _category(obj) for a in pool if _object_of(a))


def _group(atom: tuple[str, str, str]) -> str:
    """``recipients`` for who receives information and where it goes, ``use`` for what is
    handled and why."""
    family, role, _value = atom
    if role in ("recipient", "given", "place") or (role == "object" and family in _SHARE_FAMILIES):
        return "recipients"
    return "use"


def _describe_atom(atom: tuple[str, str, str]) -> str:
    family, role, value = atom
    if role == "given":
        obj, _, rec = value.partition(">")
        verb = {"sell": "is sold", "abroad": "goes abroad"}.get(family, "is given")
        return f"{obj} {verb} to {rec}"
    if role == "for":
        obj, _, purpose = value.partition(">")
        return f"{obj} used for {purpose}"
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
    """Atoms one version states and the other does not, one change per statement, group
    (recipients, use) and kind of novelty (``more-specific``, ``added``, ``removed``)."""
    out: list[StatementChange] = []
    own = set(old.own_names | new.own_names)
    old_statements = [_without_self(s, own) for s in _practising(old)]
    new_statements = [_without_self(s, own) for s in _practising(new)]
    old_pool = {a for s in old_statements for a in _atoms(s)}
    new_pool = {a for s in new_statements for a in _atoms(s)}
    for side, statements, pool in (
        ("new", new_statements, old_pool),
        ("old", old_statements, new_pool),
    ):
        reported: set[tuple[str, str, str]] = set()
        for s in statements:
            fresh = sorted(a for a in _atoms(s) if a not in reported and not _atom_covered(a, pool))
            reported.update(fresh)
            for group in ("recipients", "use"):
                atoms = [a for a in fresh if _group(a) == group]
                if not atoms:
                    continue
                if side == "old":
                    detail = "no longer: " + "; ".join(_describe_atom(a) for a in atoms)
                    out.append(_change("removed", s, "|".join(atoms[0]), detail, before=s))
                    continue
                specific = [a for a in atoms if _more_specific(a, pool)]
                rest = [a for a in atoms if a not in specific]
                for how, chosen in (("more-specific", specific), ("added", rest)):
                    if chosen:
                        detail = "; ".join(_describe_atom(a) for a in chosen)
                        out.append(_change(how, s, "|".join(chosen[0]), detail, after=s))  # type: ignore[arg-type]
    out += _new_circumstances(old_statements, new_statements)
    return out


def _new_circumstances(old: list[Statement], new: list[Statement]) -> list[StatementChange]:
    """A sentence that gives information to a recipient in circumstances no sentence of the
    old version spoke of ('if you follow another site, we will share your e-mail address with
    its owner', where the old version only shared it when you commented): a new disclosure,
    though each of its words was there before."""
    out: list[StatementChange] = []
    old_sharing = [s for s in old if s.family in _SHARE_FAMILIES]
    for s in new:
        if s.family not in _SHARE_FAMILIES or not s.objects or not s.recipients:
            continue
        conditions = [c for c in s.conditions if c.startswith("if:")]
        if not conditions:
            continue
        if any(_related(o.text, s.text, strict=True) for o in old_sharing):
            continue
        if any(
            _related(c.split(":", 1)[1], oc.split(":", 1)[1])
            for o in old_sharing
            for oc in o.conditions
            for c in conditions
        ):
            continue
        detail = (
            f"{', '.join(s.objects)} given to {', '.join(s.recipients)} in a new case: "
            f"'{_quote(conditions[0].split(':', 1)[1], 60)}'"
        )
        out.append(
            _change(
                "added", s, f"{s.family}|given|{s.objects[0]}>{s.recipients[0]}", detail, after=s
            )
        )
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
    if s.action == "safeguard":
        return "only"  # 'we require our vendors to follow this policy'
    if (s.family in _SHARE_FAMILIES or s.actor == "recipient") and s.scope == "only":
        return "only"  # sharing presented as limited; a recipient limited in what it may do
    if any(c.startswith("consent:") for c in s.conditions):
        return "consent"
    return ""


_STRENGTH = {"consent": 1, "only": 2, "denial": 2}
"""How much a protective statement protects: 'we share only with X' and 'we do not share
except with X' say the same; 'we share with your consent' protects less (it is covered only
by a statement that protects as much)."""


def _exceptions(s: Statement) -> set[str]:
    return {w for c in s.conditions if c.startswith("except:") for w in _words(c.split(":", 1)[1])}


def _protects_as_much(new: Statement, old: Statement) -> bool:
    """``new`` protects at least what ``old`` did: the same family, at least its objects,
    recipients and purposes (none named is all of them), and either a version of the same
    sentence or the same statement exactly (a denial about children's data says nothing of
    everyone else's). A denial and an 'only' statement, or a statement without recipients
    covering one with, must share most of their words (a long general 'we only entrust
    partners for the stated purposes' does not restate 'we will not entrust your personally
    identifiable information to partners')."""
    return (
        new.family == old.family
        and _includes(new.objects, old.objects)
        and _includes(new.recipients, old.recipients)
        and _includes(new.purposes, old.purposes)
        and (
            _related(
                new.text,
                old.text,
                strict=(bool(old.recipients) and not new.recipients) or new.denied != old.denied,
            )
            or (
                (new.objects, new.recipients, new.purposes)
                == (old.objects, old.recipients, old.purposes)
                and bool(old.objects)
                and bool(old.recipients or old.family not in _SHARE_FAMILIES)
            )
        )
    )


def _promise_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    new_protective = [s for s in new.of_kind("practice") if _protective(s) or s.scope == "only"]
    new_affirmed = [s for s in _practising(new) if _protective(s) != "only"]
    seen: set[tuple[str, str]] = set()
    old_practices = old.of_kind("practice")
    for s in old_practices:
        why = _protective(s)
        if not why:
            continue
        if (
            why == "denial"
            and _CURRENTLY.search(s.text)
            and any(
                o.clause == s.clause and o.family == s.family and _asks_consent(o) and not o.denied
                for o in old_practices
            )
        ):
            why = "consent"  # not done at present, and if ever, only with the user's consent
        candidates = [
            n
            for n in new_protective
            if _protects_as_much(n, s) and _STRENGTH[_protective(n) or "only"] >= _STRENGTH[why]
        ]
        key = (s.family, s.text)
        if key in seen:
            continue
        seen.add(key)
        subject = f"{s.family}|{','.join(s.objects) or '*'}|{','.join(s.recipients) or '*'}"
        own = _exceptions(s) | _words(s.text)
        restated = [n for n in candidates if _related(n.text, s.text)]
        if restated:
            best = max(restated, key=lambda n: len(_words(n.text) & _words(s.text)))
            extra = _exceptions(best) - own
            if why == "denial" and best.denied and len(extra) >= 2:
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
        if any(not (_exceptions(n) - own) for n in candidates):
            continue  # protected as before, by another statement
        doing = [
            n
            for n in new_affirmed
            if n.family == s.family
            and not _ANAPHORIC.search(n.text)
            and _overlaps(n.objects, s.objects)
            and _overlaps(n.recipients, s.recipients)
            and (
                _related(n.text, s.text)
                or bool({_category(o) for o in n.objects} & {_category(o) for o in s.objects})
                or bool(set(n.recipients) & set(s.recipients))
            )
        ]
        if why != "denial" and not doing:
            continue  # the practice itself is gone: less processing, not a restriction
        if doing and all(_asks_consent(n) for n in doing):
            continue  # done from now on only with the user's consent: nothing taken away
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


_CURRENTLY = regex(
    r"(?<![a-z])(?:currently|at present|presently|at this time|for now|as of now)(?![a-z])"
    r"|目前|现阶段|暂时|暂不|当前",
    re.IGNORECASE,
)
_ANAPHORIC = regex(r"上述|前述|(?<![a-z])the above(?![a-z])", re.IGNORECASE)
"""A sentence that only refers back to a practice stated elsewhere ('the above transfer',
上述跨境提供): not itself a statement of doing it."""


def _asks_consent(s: Statement) -> bool:
    return any(c.startswith("consent:") for c in s.conditions)


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


_SPECIFIC_RIGHTS = frozenset({"object"})
"""Rights whose object matters: opting out of marketing e-mails is not opting out of a data
feed; another grant of the same right covers one only when it is about the same thing (a
version of the same sentence, or the same categories and purposes)."""
_INCLUDED = {"copy": ("portability",)}
"""Rights another right includes: portability gives the user a copy of their data."""


def _still_granted(s: Statement, granted: dict[str, list[Statement]]) -> bool:
    others = [
        *granted.get(s.action, []),
        *(g for r in _INCLUDED.get(s.action, ()) for g in granted.get(r, [])),
    ]
    if s.action not in _SPECIFIC_RIGHTS:
        return bool(others)
    return any(
        _related(o.text, s.text)
        or ((o.objects, o.purposes) == (s.objects, s.purposes) and bool(s.objects or s.purposes))
        for o in others
    )


def _right_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_granted, new_granted = _granted(old), _granted(new)
    for right in sorted(old_granted):
        for s in old_granted[right]:
            if _still_granted(s, new_granted):
                continue
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


def channel_type(value: str) -> str:
    """The kind of a channel value (``hotline`` -> ``phone``, ``form`` -> ``online``)."""
    return _CHANNEL_TYPES.get(value, value)


def channel_types(statements: PolicyStatements) -> set[str]:
    """The kinds of channel a version offers for reaching the company or exercising rights."""
    return set(_channel_types(statements))


def _channel_types(statements: PolicyStatements) -> dict[str, Statement]:
    """The ways of reaching the company or exercising rights the version offers, by type, with
    a statement that offers each."""
    out: dict[str, Statement] = {}
    for s in statements.statements:
        if s.kind == "right" and not s.denied and s.action != "complain":
            for v in s.values:
                if v.startswith("channel:"):
                    kind = _CHANNEL_TYPES.get(v.split(":", 1)[1])
                    if kind:
                        out.setdefault(kind, s)
        elif (
            s.kind == "contact" and s.action != "details" and not s.denied and s.actor == "company"
        ):
            kind = _CHANNEL_TYPES.get(s.action)
            if kind:
                out.setdefault(kind, s)
    return out


def _right_channels(statements: PolicyStatements) -> dict[tuple[str, str], Statement]:
    """(right, channel type) -> a statement granting the right through that channel."""
    out: dict[tuple[str, str], Statement] = {}
    for s in statements.of_kind("right"):
        if s.denied or s.actor != "user":
            continue
        for v in s.values:
            if v.startswith("channel:"):
                kind = _CHANNEL_TYPES.get(v.split(":", 1)[1])
                if kind:
                    out.setdefault((s.action, kind), s)
    return out


def _right_paths(statements: PolicyStatements) -> dict[str, dict[str, Statement]]:
    """Right -> console or menu path -> a statement granting the right there."""
    out: dict[str, dict[str, Statement]] = {}
    for s in statements.of_kind("right"):
        if s.denied or s.actor != "user":
            continue
        for v in s.values:
            if v.startswith("channel:path:"):
                out.setdefault(s.action, {}).setdefault(v[len("channel:") :], s)
    return out


def _path_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    """A right exercised at a console path the new version no longer gives for it: withdrawn
    when no path is left for the right (the user loses the way to do it themselves), replaced
    when another path is given."""
    out: list[StatementChange] = []
    old_paths, new_paths = _right_paths(old), _right_paths(new)
    granted = _granted(new)
    for right in sorted(old_paths):
        gone = sorted(set(old_paths[right]) - set(new_paths.get(right, {})))
        if not gone or right not in granted:
            continue  # nothing gone, or the right itself is withdrawn (told as such)
        s = old_paths[right][gone[0]]
        if new_paths.get(right):
            after = next(iter(new_paths[right].values()))
            out.append(
                _change(
                    "replaced",
                    s,
                    f"channel|path|{right}",
                    f"the way to exercise a right ({right}) moved: {gone[0][5:]} -> "
                    f"{sorted(new_paths[right])[0][5:]}",
                    before=s,
                    after=after,
                )
            )
        else:
            out.append(
                _change(
                    "withdrawn",
                    s,
                    f"channel|path|{right}",
                    f"users can no longer exercise a right ({right}) themselves at "
                    f"{gone[0][5:]}: '{_quote(s.text)}'",
                    before=s,
                    restricts=True,
                )
            )
    return out


def _channel_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = _path_changes(old, new)
    old_pairs, new_pairs = _right_channels(old), _right_channels(new)
    old_types_all = set(_channel_types(old))
    for right, kind in sorted(set(new_pairs) - set(old_pairs)):
        if any(r == right for r, _k in old_pairs) or kind not in old_types_all:
            s = new_pairs[(right, kind)]
            out.append(
                _change(
                    "added",
                    s,
                    f"channel|{kind}",
                    f"a new way to exercise a right ({right}): by {kind}: '{_quote(s.text)}'",
                    after=s,
                )
            )
    old_types, new_types = _channel_types(old), _channel_types(new)
    fresh = sorted(set(new_types) - set(old_types))
    for kind in sorted(set(old_types) - set(new_types)):
        s = old_types[kind]
        if fresh:  # another kind of channel in its place: replaced, not withdrawn
            other = fresh.pop(0)
            out.append(
                _change(
                    "replaced",
                    s,
                    f"channel|{kind}",
                    f"way of reaching the company replaced: {kind} -> {other}",
                    before=s,
                    after=new_types[other],
                )
            )
            continue
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


def same_number(a: str, b: str) -> bool:
    """Two phone numbers are one when their digits are the same, but for an international
    prefix one of them leaves out ('+1 (877) 273-3049' and '877-273-3049')."""
    x, y = re.sub(r"\D", "", a).removeprefix("00"), re.sub(r"\D", "", b).removeprefix("00")
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 7 and long_.endswith(short) and len(long_) - len(short) <= 3


def _same_contact(a: str, b: str) -> bool:
    if a == b:
        return True
    kind_a, _, va = a.partition(":")
    kind_b, _, vb = b.partition(":")
    return kind_a == kind_b == "phone" and same_number(va, vb)


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
    out += _department_changes(old, new, gone, came)
    out += _detail_changes(old, new)
    return out


def _department_changes(
    old: PolicyStatements, new: PolicyStatements, gone: list[str], came: list[str]
) -> list[StatementChange]:
    """A responsible department or officer the old version gave as a contact (a data
    protection officer) that the new version names nowhere, with no other department in its
    place: users can no longer reach it (a channel withdrawn)."""
    if any(v.startswith("department:") for v in came):
        return []
    out: list[StatementChange] = []
    old_values = _contact_values(old)
    reachable = {
        s.clause
        for s in old.of_kind("contact")
        if s.action in ("phone", "email", "address") and s.actor == "company"
    }
    for v in gone:
        if not v.startswith("department:") or old_values[v].clause not in reachable:
            continue
        value = v.split(":", 1)[1]
        if f"department:{value}" in new.mentions:
            continue
        s = old_values[v]
        out.append(
            _change(
                "withdrawn",
                s,
                f"channel|{value}",
                f"users can no longer reach the {value}: '{_quote(s.text)}'",
                before=s,
                restricts=True,
            )
        )
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


def entity_key(name: str) -> str:
    """A company's name as compared: apostrophes unified, case and spacing ignored, address
    words run into it left out ('D02 AY86 Ireland Automattic Inc' and 'IrelandAutomattic
    Inc' are one company)."""
    words = name.replace("’", "'").replace("‘", "'").casefold().split()
    numbered = [k for k, w in enumerate(words) if any(ch.isdigit() for ch in w)]
    if numbered and len(words) - numbered[-1] >= 2:
        last = numbered[-1]
        glued = re.match(r"^\d+([^\d\W]{3,})$", words[last])  # '94110automattic'
        words = ([glued.group(1)] if glued else []) + words[last + 1 :]
    return re.sub(r"[\W_]", "", "".join(words))


def _controller_values(statements: PolicyStatements) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for s in statements.of_kind("controller"):
        if s.denied:
            continue
        for v in s.values:
            if v == "org:controller":
                continue
            kind, _, name = v.partition(":")
            out.setdefault(f"{kind}:{entity_key(name)}" if kind == "org" else v, s)
    return out


def _controller_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_values, new_values = _controller_values(old), _controller_values(new)
    for v in sorted(set(new_values) - set(old_values)):
        s = new_values[v]
        what = next(
            (x.split(":", 1)[1] for x in s.values if x.startswith("org:")), v.split(":", 1)[1]
        )
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
            _change(
                "added",
                b,
                f"deadline|{what}",
                f"a time limit to {what}: {b.values[0].split(':', 1)[1]}",
                after=b,
            )
        )
    for key in sorted(set(old_company) & set(new_company)):
        befores, afters = list(old_company[key]), list(new_company[key])
        for a in list(befores):
            match = next(
                (
                    b
                    for b in afters
                    if a.days is not None and b.days is not None and _same_days(a.days, b.days)
                ),
                None,
            )
            if match is not None:
                befores.remove(a)
                afters.remove(match)
        for a, b in zip(befores, afters, strict=False):
            assert a.days is not None and b.days is not None
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
