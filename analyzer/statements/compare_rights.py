"""Rights, and the ways of exercising them or reaching the company, compared across two
versions.

- :func:`right_changes`: a right the old version granted the user and the new one grants
  nowhere (withdrawn, even if still named), a right newly denied, a right newly granted;
- :func:`channel_changes`: a console path for a right gone or moved, a new way to exercise a
  right, a kind of channel (phone, e-mail, post, an online form, settings …) no longer offered
  at all (withdrawn) or replaced by another;
- :func:`channel_type` and :func:`channel_types`: the kind of a channel value, the kinds a
  version offers.
"""

from __future__ import annotations

import re

from analyzer.statements.compare_common import make_change, overlaps, quote, related
from analyzer.statements.model import PolicyStatements, Statement, StatementChange
from analyzer.text.compiled import regex

__all__ = ["channel_changes", "channel_type", "channel_types", "right_changes"]


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
        related(o.text, s.text)
        or ((o.objects, o.purposes) == (s.objects, s.purposes) and bool(s.objects or s.purposes))
        for o in others
    )


_NAMED_RECIPIENTS = regex(
    r"(?<![a-z])(?:list|lists|names|identity|identities|specific)(?: or categories)?"
    r" of (?:the |all |any )?(?:specific )?(?:third[- ]parties|third[- ]party (?:recipients|companies)"
    r"|recipients|companies|businesses|partners|service providers|organi[sz]ations)(?![a-z])"
    r"|(?:第三方|接收方|合作方)(?:的)?(?:名单|清单|名称|身份)",
    re.IGNORECASE,
)
"""A right that reaches the recipients themselves, not only their categories ('the categories
or list of third parties we share it with', 第三方名单)."""


def _named_recipients_changes(
    old_granted: dict[str, list[Statement]], new_granted: dict[str, list[Statement]]
) -> list[StatementChange]:
    """A right kept that now also gives the list or names of the recipients, where no grant
    of the old version did: more the user can learn (a widened right, not a new wording)."""
    if any(_NAMED_RECIPIENTS.search(s.text) for ss in old_granted.values() for s in ss):
        return []
    out: list[StatementChange] = []
    for right in sorted(set(new_granted) & set(old_granted)):
        s = next((n for n in new_granted[right] if _NAMED_RECIPIENTS.search(n.text)), None)
        if s is None:
            continue
        out.append(
            make_change(
                "granted",
                s,
                f"right|{right}|recipients",
                f"the right ({right}) now also gives the recipients themselves: '{quote(s.text)}'",
                after=s,
            )
        )
    return out


def right_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = []
    old_granted, new_granted = _granted(old), _granted(new)
    for right in sorted(old_granted):
        for s in old_granted[right]:
            if _still_granted(s, new_granted):
                continue
            out.append(
                make_change(
                    "withdrawn",
                    s,
                    f"right|{right}",
                    f"the right ({right}) is no longer granted: '{quote(s.text)}'",
                    before=s,
                    restricts=True,
                )
            )
    for right in sorted(set(new_granted) - set(old_granted)):
        s = new_granted[right][0]
        out.append(
            make_change(
                "granted", s, f"right|{right}", f"new right ({right}): '{quote(s.text)}'", after=s
            )
        )
    out += _named_recipients_changes(old_granted, new_granted)
    old_denied = {
        (s.action, s.objects) for s in old.of_kind("right") if s.denied and s.actor == "user"
    }
    for s in new.of_kind("right"):
        if not s.denied or s.actor != "user" or (s.action, s.objects) in old_denied:
            continue
        if any(
            o.action == s.action and o.denied and overlaps(o.objects, s.objects)
            for o in old.of_kind("right")
        ):
            continue
        before = next((o for o in old_granted.get(s.action, []) if related(o.text, s.text)), None)
        out.append(
            make_change(
                "denied",
                s,
                f"right|{s.action}",
                f"the user can no longer exercise a right ({s.action}): '{quote(s.text)}'",
                before=before,
                after=s,
                restricts=True,
            )
        )
    return out


# --------------------------------------------------------------------------- channels


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


def _granted_in(statements: PolicyStatements, right: str, clause: str) -> Statement | None:
    """The statement granting ``right`` in ``clause``, if the clause still grants it there."""
    return next(
        (
            s
            for s in statements.of_kind("right")
            if s.action == right and s.clause == clause and not s.denied and s.actor == "user"
        ),
        None,
    )


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
                make_change(
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
                make_change(
                    "withdrawn",
                    s,
                    f"channel|path|{right}",
                    f"users can no longer exercise a right ({right}) themselves at "
                    f"{gone[0][5:]}: '{quote(s.text)}'",
                    before=s,
                    restricts=True,
                )
            )
    return out


def channel_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    out: list[StatementChange] = _path_changes(old, new)
    old_pairs, new_pairs = _right_channels(old), _right_channels(new)
    old_types_all = set(_channel_types(old))
    for right, kind in sorted(set(new_pairs) - set(old_pairs)):
        if any(r == right for r, _k in old_pairs) or kind not in old_types_all:
            s = new_pairs[(right, kind)]
            out.append(
                make_change(
                    "added",
                    s,
                    f"channel|{kind}",
                    f"a new way to exercise a right ({right}): by {kind}: '{quote(s.text)}'",
                    after=s,
                )
            )
    for right, kind in sorted(set(old_pairs) - set(new_pairs)):
        s = old_pairs[(right, kind)]
        kept = _granted_in(new, right, s.clause)
        if kept is None or kind not in _channel_types(old) or kind not in _channel_types(new):
            continue  # the right moved or went (told elsewhere), or the channel went everywhere
        out.append(
            make_change(
                "withdrawn",
                s,
                f"channel|{kind}",
                f"the right ({right}) can no longer be exercised by {kind}: "
                f"'{quote(s.text)}' -> '{quote(kept.text)}'",
                before=s,
                after=kept,
                restricts=True,
            )
        )
    old_types, new_types = _channel_types(old), _channel_types(new)
    fresh = sorted(set(new_types) - set(old_types))
    for kind in sorted(set(old_types) - set(new_types)):
        s = old_types[kind]
        if fresh:  # another kind of channel in its place: replaced, not withdrawn
            other = fresh.pop(0)
            out.append(
                make_change(
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
            make_change(
                "withdrawn",
                s,
                f"channel|{kind}",
                f"users can no longer reach the company or exercise their rights by {kind}: "
                f"'{quote(s.text)}'",
                before=s,
                restricts=True,
            )
        )
    return out
