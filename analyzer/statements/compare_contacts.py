"""Contacts and controllers compared across two versions.

- :func:`contact_changes`: phone numbers, e-mail and postal addresses, departments and
  complaint channels replaced, added or removed (a phone number regrouped is the same,
  :func:`same_number`); a responsible department the new version names nowhere (a channel
  withdrawn); names and numbers of contact passages the other version never uses;
- :func:`controller_changes`: a controller or a change of ownership added, a controller gone
  (companies compared by :func:`entity_key`).
"""

from __future__ import annotations

import re

from analyzer.statements.compare_common import make_change, quote, related
from analyzer.statements.model import PolicyStatements, Statement, StatementChange

__all__ = ["contact_changes", "controller_changes", "entity_key", "same_number"]


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


def contact_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
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
                    make_change(
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
                    make_change(
                        "added",
                        after,
                        f"contact|{kind}",
                        f"{kind} added: {added[k].split(':', 1)[1]}",
                        after=after,
                    )
                )
            elif before is not None:
                out.append(
                    make_change(
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
            make_change(
                "withdrawn",
                s,
                f"channel|{value}",
                f"users can no longer reach the {value}: '{quote(s.text)}'",
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
                if lost[o.clause] and o.clause not in used and related(o.text, s.text)
            ),
            None,
        )
        if partner is not None:
            used.add(partner.clause)
        gone = lost[partner.clause] if partner else []
        shown = " ".join(v.split(":", 1)[1] for v in came)
        was = " ".join(v.split(":", 1)[1] for v in gone)
        out.append(
            make_change(
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
        if any(related(o.text, s.text) for s in news):
            continue
        out.append(
            make_change(
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


def controller_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
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
        out.append(make_change("added", s, f"controller|{v}", detail, after=s))
    for v in sorted(set(old_values) - set(new_values)):
        s = old_values[v]
        if v.startswith("ownership:"):
            continue
        out.append(
            make_change(
                "removed",
                s,
                f"controller|{v}",
                f"no longer controller: {v.split(':', 1)[1]}",
                before=s,
            )
        )
    return out
