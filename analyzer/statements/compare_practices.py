"""Practices and promises compared across two versions.

- :func:`practice_changes`: what a version states about handling information, as atoms
  (family, role, value: an object collected, information used for a purpose, given to a
  recipient, sent to a place) that the other version states nowhere -- added, removed or more
  specific (precise location where only approximate location was); and information given to a
  recipient in circumstances no old sentence spoke of;
- :func:`promise_changes`: a protective statement of the old version (a denial, sharing
  presented as complete, a practice done only with consent) that no statement of the new
  version protects as much -- reversed, withdrawn, opened, consent-dropped or narrowed; each
  restricts what users were promised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from analyzer.facts.labels import fact_name
from analyzer.statements.compare_common import (
    SHARE_FAMILIES,
    category,
    content_words,
    make_change,
    overlaps,
    quote,
    related,
)
from analyzer.statements.model import ChangeHow, PolicyStatements, Statement, StatementChange
from analyzer.statements.patterns import patterns
from analyzer.text.compiled import regex

__all__ = ["practice_changes", "promise_changes"]


def _covered_value(value: str, others: Iterable[str]) -> bool:
    """A value is covered by the same value, and a category without sub-type by any of its
    sub-types (a more specific object is not covered by a general one)."""
    return any(
        other == value or ("/" not in value and category(other) == value) for other in others
    )


def _includes(wide: Sequence[str], narrow: Sequence[str]) -> bool:
    """Every value of ``narrow`` is in ``wide``; an empty ``wide`` is everything (a denial of
    'personal information' covers any category), an empty ``narrow`` only an empty ``wide``."""
    if not wide:
        return True
    if not narrow:
        return False
    return all(v in wide or category(v) in wide for v in narrow)


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
    if family in SHARE_FAMILIES:
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
    """``s`` without the company among its recipients; information given to no one but the
    company itself ('a report is sent to Mozilla', in Mozilla's policy) is collected."""
    recipients = tuple(r for r in s.recipients if _not_self(r, own))
    if recipients == s.recipients:
        return s
    if not recipients and s.family in SHARE_FAMILIES:
        return replace(s, action="collect", recipients=())
    return replace(s, recipients=recipients)


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
    return any(category(_object_of(a)) == category(obj) for a in pool if _object_of(a))


def _group(atom: tuple[str, str, str]) -> str:
    """``recipients`` for who receives information and where it goes, ``use`` for what is
    handled and why."""
    family, role, _value = atom
    if role in ("recipient", "given", "place") or (role == "object" and family in SHARE_FAMILIES):
        return "recipients"
    return "use"


def _raw(kind: str, value: str) -> str:
    return value


def english(kind: str, value: str) -> str:
    """A value's English name ('advertisers': 'advertising partners'); a name the policy wrote
    itself ('org:Acoustic') as written."""
    if value.startswith("org:"):
        return value[4:]
    base, _, finer = value.partition("/")
    if finer:  # a sub-type: 'location/precise' is 'location (precise)'
        return f"{fact_name(kind, base)} ({finer})"
    return fact_name(kind, value)


def _describe_atom(atom: tuple[str, str, str], name: Callable[[str, str], str] = _raw) -> str:
    """What an atom of a practice says ('device is given to advertisers'); with
    ``name=english``, with the English names of its values ('device information is given to
    advertising partners')."""
    family, role, value = atom
    if role == "given":
        obj, _, rec = value.partition(">")
        verb = {"sell": "is sold", "abroad": "goes abroad"}.get(family, "is given")
        return f"{name('pi-category', obj)} {verb} to {name('recipient', rec)}"
    if role == "for":
        obj, _, purpose = value.partition(">")
        return f"{name('pi-category', obj)} used for {name('purpose', purpose)}"
    if role == "purpose":
        return f"information used for {name('purpose', value)}"
    verb = {"share": "shared", "sell": "sold", "abroad": "sent abroad", "store": "stored"}.get(
        family, f"{family}ed" if not family.endswith("e") else f"{family}d"
    )
    if role == "recipient":
        named = name("recipient", value)
        return f"{named} receive{'s' if not named.endswith('s') else ''} information ({verb})"
    if role == "place":
        return f"information {verb} in {name('location', value)}"
    return f"{name('pi-category', value)} {verb}"


def _shown(prefix: str, atoms: Sequence[tuple[str, str, str]]) -> str:
    return prefix + "; ".join(_describe_atom(a, english) for a in atoms)


def practice_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
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
                    change = make_change("removed", s, "|".join(atoms[0]), detail, before=s)
                    out.append(replace(change, shown=_shown("no longer: ", atoms)))
                    continue
                specific = [a for a in atoms if _more_specific(a, pool)]
                rest = [a for a in atoms if a not in specific]
                for how, chosen in (("more-specific", specific), ("added", rest)):
                    if chosen:
                        detail = "; ".join(_describe_atom(a) for a in chosen)
                        change = make_change(how, s, "|".join(chosen[0]), detail, after=s)  # type: ignore[arg-type]
                        out.append(replace(change, shown=_shown("", chosen)))
    out += _new_circumstances(old_statements, new_statements)
    return out


_MAIN_CLAUSE = regex(r"\s+(?=(?:we|our|they|it)\s+(?:will|would|may|might|can|could|shall|also)\s)")
"""Where the main clause starts in a condition read without a comma ('if you follow a site we
will share …'): the circumstance ends there."""


def _new_circumstances(old: list[Statement], new: list[Statement]) -> list[StatementChange]:
    """A sentence that gives information to a recipient in circumstances no sentence of the
    old version spoke of ('if you follow another site, we will share your e-mail address with
    its owner', where the old version only shared it when you commented): a new disclosure,
    though each of its words was there before."""
    out: list[StatementChange] = []
    old_sharing = [s for s in old if s.family in SHARE_FAMILIES]
    for s in new:
        if s.family not in SHARE_FAMILIES or not s.objects or not s.recipients:
            continue
        conditions = [
            "if:" + _MAIN_CLAUSE.split(c.split(":", 1)[1], maxsplit=1)[0]
            for c in s.conditions
            if c.startswith("if:")
        ]
        if not conditions:
            continue
        if any(related(o.text, s.text, strict=True) for o in old_sharing):
            continue
        if any(
            related(
                c.split(":", 1)[1],
                _MAIN_CLAUSE.split(oc.split(":", 1)[1], maxsplit=1)[0],
                strict=True,
            )
            for o in old_sharing
            if o.objects  # 'if you interact with another site, your information may be
            # shared' names no information: an umbrella, not a circumstance of giving it
            for oc in o.conditions
            for c in conditions
        ):
            continue
        detail = (
            f"{', '.join(s.objects)} given to {', '.join(s.recipients)} in a new case: "
            f"'{quote(conditions[0].split(':', 1)[1], 60)}'"
        )
        out.append(
            make_change(
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
    if (s.family in SHARE_FAMILIES or s.actor == "recipient") and s.scope == "only":
        return "only"  # sharing presented as limited; a recipient limited in what it may do
    if any(c.startswith("consent:") for c in s.conditions):
        return "consent"
    return ""


_STRENGTH = {"consent": 1, "only": 2, "denial": 2}
"""How much a protective statement protects: 'we share only with X' and 'we do not share
except with X' say the same; 'we share with your consent' protects less (it is covered only
by a statement that protects as much)."""


def _exceptions(s: Statement, *, conditional: bool = False) -> set[str]:
    """The words of the exceptions of ``s`` ('unless …', 'except …'); with ``conditional``
    also of its conditions ('if we have reason to believe …': an item of a list of
    exceptions)."""
    kinds = ("except:", "if:") if conditional else ("except:",)
    return {
        w
        for c in s.conditions
        if c.startswith(kinds) and not _users_choice(c.split(":", 1)[1])
        for w in content_words(c.split(":", 1)[1])
    }


_USER = regex(r"(?<![a-z])(?:you|your)(?![a-z])|您|你")


def _users_choice(exception: str) -> bool:
    """An exception that is the user's own choice ('unless you turn it on', 除您开启…外):
    for whoever does not choose it the promise holds as before; nothing is taken away."""
    lower = exception.casefold()
    return patterns()["consent"].search(lower) is not None and _USER.search(lower) is not None


_INFORMATION_NAMED = regex(
    r"(?<![a-z])(?P<en>[a-z]+)\s+(?:information|data|details|readings|records|recordings|logs"
    r"|files|images|history)(?![a-z])"
    r"|(?P<zh>[\u4e00-\u9fff]{2})(?:信息|数据|资料)"
)
_GENERAL_INFORMATION = frozenset(
    [
        "personal",
        "your",
        "such",
        "this",
        "that",
        "these",
        "those",
        "the",
        "any",
        "all",
        "user",
        "users",
        "customer",
        "customers",
        "of",
        "about",
        "other",
        "identifiable",
        "our",
        "their",
        "relevant",
        "related",
        "same",
        "more",
        "some",
        "no",
        "a",
        "an",
        "and",
        "or",
        "for",
        "with",
        "from",
        "to",
        "in",
        "on",
        "by",
        "as",
        "at",
        "is",
        "are",
        "be",
        "we",
        "us",
        "you",
        "it",
        "its",
        "my",
        "his",
        "her",
        "which",
        "what",
        "whose",
        "个人",
        "您的",
        "你的",
        "用户",
        "相关",
        "上述",
        "这些",
        "此类",
        "任何",
        "有关",
        "该等",
        "前述",
        "其他",
        "以上",
        "所述",
        "全部",
    ]
)


def _names_other_information(text: str) -> bool:
    """Whether a statement that names no information the vocabulary knows speaks of some
    information of its own all the same ('your accelerometer information', 加速度计信息),
    rather than of information in general ('your personal data', 您的个人信息): then it
    covers only that information, not every kind."""
    for m in _INFORMATION_NAMED.finditer(text.casefold()):
        word = m.group("en") or m.group("zh")
        if word not in _GENERAL_INFORMATION:
            return True
    return False


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
        and not (old.objects and not new.objects and _names_other_information(new.text))
        and _includes(new.recipients, old.recipients)
        and _includes(new.purposes, old.purposes)
        and (
            related(
                new.text,
                old.text,
                strict=(bool(old.recipients) and not new.recipients) or new.denied != old.denied,
            )
            or (
                (new.objects, new.recipients, new.purposes)
                == (old.objects, old.recipients, old.purposes)
                # 'only when …' does not cover 'not at all'; 'only to those who opted in'
                # covers 'never without your opt-in'
                and (new.denied == old.denied or _asks_consent(old))
                and bool(old.objects)
                and bool(old.recipients or old.family not in SHARE_FAMILIES)
            )
        )
    )


def promise_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    own = set(old.own_names | new.own_names)
    new_protective = [s for s in new.of_kind("practice") if _protective(s) or s.scope == "only"]
    new_affirmed = [_without_self(s, own) for s in _practising(new) if _protective(s) != "only"]
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
        own = _exceptions(s) | content_words(s.text)
        restated = [n for n in candidates if related(n.text, s.text)]
        if restated:
            best = max(restated, key=lambda n: len(content_words(n.text) & content_words(s.text)))
            # a denial whose exceptions are listed item by item ('… except for:' + '• if we
            # have reason to believe …') has the exceptions of all its items
            extra = (
                set().union(
                    *(
                        _exceptions(n, conditional=True)
                        for n in restated
                        if n.denied and n.clause != best.clause and best.sources[-1] in n.sources
                    ),
                    _exceptions(best),
                )
                - own
            )
            if why == "denial" and best.denied and len(extra) >= 2:
                out.append(
                    make_change(
                        "narrowed",
                        s,
                        subject,
                        f"the promise not to {s.action} has more exceptions: "
                        f"'{quote(s.text)}' -> '{quote(best.text)}'",
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
            and overlaps(n.objects, s.objects)
            and overlaps(n.recipients, s.recipients)
            and (
                related(n.text, s.text)
                or bool({category(o) for o in n.objects} & {category(o) for o in s.objects})
                or bool(set(n.recipients) & set(s.recipients))
            )
        ]
        if why != "denial" and not doing:
            continue  # the practice itself is gone: less processing, not a restriction
        if doing and all(_asks_consent(n) for n in doing):
            continue  # done from now on only with the user's consent: nothing taken away
        best_after = (
            max(doing, key=lambda n: len(content_words(n.text) & content_words(s.text)))
            if doing
            else None
        )
        if why == "denial":
            how: ChangeHow = "reversed" if best_after else "withdrawn"
            verb = "now affirmed" if best_after else "no longer stated"
            detail = f"the promise not to {s.action} is {verb}: '{quote(s.text)}'"
        elif why == "only":
            how = "opened"
            detail = f"sharing presented as limited is no longer: '{quote(s.text)}'"
        else:
            how = "consent-dropped"
            detail = (
                f"a practice done with the user's consent no longer asks for it: '{quote(s.text)}'"
            )
        if best_after is not None:
            detail += f" -> '{quote(best_after.text)}'"
        out.append(make_change(how, s, subject, detail, before=s, after=best_after, restricts=True))
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
