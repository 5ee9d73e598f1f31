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
from itertools import pairwise

from analyzer.statements.compare_common import make_change, quote, related
from analyzer.statements.model import PolicyStatements, Statement, StatementChange

__all__ = ["contact_changes", "controller_changes", "entity_key", "same_number"]


def same_number(a: str, b: str) -> bool:
    """Two phone numbers are one when their digits are the same, but for an international
    prefix one of them leaves out ('+1 (877) 273-3049' and '877-273-3049'), with the national
    trunk zero it replaces ('020 7946 0321' and '+44 20 7946 0321')."""
    x, y = re.sub(r"\D", "", a).removeprefix("00"), re.sub(r"\D", "", b).removeprefix("00")
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 7 and long_.endswith(short) and len(long_) - len(short) <= 3:
        return True
    trunk = short.removeprefix("0")
    return (
        trunk != short
        and len(trunk) >= 7
        and long_.endswith(trunk)
        and 1 <= len(long_) - len(trunk) <= 3
    )


def _same_contact(a: str, b: str) -> bool:
    if a == b:
        return True
    kind_a, _, va = a.partition(":")
    kind_b, _, vb = b.partition(":")
    if kind_a == kind_b == "address":
        return postal_key(va) == postal_key(vb)
    return kind_a == kind_b == "phone" and same_number(va, vb)


def _contact_values(statements: PolicyStatements) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for s in statements.of_kind("contact"):
        if s.action == "details" or s.denied:
            continue
        for v in s.values:
            out.setdefault(v, s)
        if s.action == "address" and s.actor == "company":
            out.setdefault("channel:postal", s)  # a postal address given is a way to write
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
    blocks = reachable | {s.clause for s in old.of_kind("contact") if s.action == "details"}
    order = list(dict.fromkeys(s.clause for s in old.statements))
    following = dict(pairwise(order))
    for v in gone:
        clause = old_values[v].clause if v.startswith("department:") else ""
        # its own clause, or the address block right under it ('**Data Protection Officer**'
        # over its postal address)
        if not clause or (clause not in reachable and following.get(clause) not in blocks):
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


_POSTAL_WORDS: dict[str, tuple[str, ...]] = {
    "st": ("street",), "str": ("street",), "ave": ("avenue",), "av": ("avenue",),
    "rd": ("road",), "blvd": ("boulevard",), "dr": ("drive",), "ln": ("lane",),
    "ct": ("court",), "pl": ("place",), "sq": ("square",), "hwy": ("highway",),
    "pkwy": ("parkway",), "ste": ("suite",), "fl": ("floor",), "flr": ("floor",),
    "bldg": ("building",), "apt": ("apartment",), "rm": ("room",), "dept": ("department",),
    "n": ("north",), "s": ("south",), "e": ("east",), "w": ("west",),
    "ne": ("northeast",), "nw": ("northwest",), "se": ("southeast",), "sw": ("southwest",),
    "usa": ("united", "states"), "us": ("united", "states"), "uk": ("united", "kingdom"),
    "gb": ("united", "kingdom"), "uae": ("united", "arab", "emirates"),
    "prc": ("people", "republic", "china"), "nl": ("netherlands",), "de": ("germany",),
    "al": ("alabama",), "ak": ("alaska",), "az": ("arizona",), "ar": ("arkansas",),
    "ca": ("california",), "co": ("colorado",), "dc": ("columbia",), "fla": ("florida",),
    "ga": ("georgia",), "il": ("illinois",), "ia": ("iowa",), "ks": ("kansas",),
    "ky": ("kentucky",), "la": ("louisiana",), "md": ("maryland",), "mass": ("massachusetts",),
    "mi": ("michigan",), "mn": ("minnesota",), "mo": ("missouri",), "nc": ("carolina",),
    "nj": ("jersey",), "ny": ("york",), "oh": ("ohio",), "ok": ("oklahoma",),
    "pa": ("pennsylvania",), "tn": ("tennessee",), "tx": ("texas",), "ut": ("utah",),
    "va": ("virginia",), "wa": ("washington",), "wi": ("wisconsin",), "or": ("oregon",),
    "ma": ("massachusetts",),
}  # fmt: skip
"""Postal abbreviations and the words they stand for ('Ste' is 'Suite', 'IL' is 'Illinois',
'USA' is 'United States'): an address written out in full is the same address."""


def _known_words(statements: PolicyStatements) -> frozenset[str]:
    """The words a version uses anywhere, with the words its postal abbreviations stand for
    and the joins of neighbouring details ('1097 JB' is also '1097jb')."""
    known = set(statements.words)
    for w in statements.words:
        if not w.isalpha() and not w.isdigit():
            known.update(re.findall(r"\d+|[^\W\d]+", w))  # a postcode written '1097JB'
    for s in statements.of_kind("contact"):
        if s.action == "details":
            parts = [v.split(":", 1)[1] for v in s.values]
            known.update(a + b for a, b in pairwise(parts))
        elif s.action == "address":
            parts = [w for v in s.values for w in re.findall(r"\w+", v.split(":", 1)[1])]
        else:
            continue
        # abbreviations spelt out only where they stand in an address ('us' in 'contact us'
        # is no country)
        for w in parts:
            known.update(_POSTAL_WORDS.get(w, ()))
    return frozenset(known)


def _unknown(s: Statement, known: frozenset[str]) -> list[str]:
    """The details of ``s`` the other version never uses, spelt out or abbreviated, apart
    or joined with a neighbour ('1097JB' and '1097 JB')."""
    parts = [v.split(":", 1)[1] for v in s.values]
    out = []
    for k, word in enumerate(parts):
        joins = [parts[k - 1] + word] if k else []
        joins += [word + parts[k + 1]] if k + 1 < len(parts) else []
        spelt = _POSTAL_WORDS.get(word)
        if word in known or any(j in known for j in joins):
            continue
        if spelt and all(w in known for w in spelt):
            continue
        out.append(s.values[k])
    return out


def postal_key(address: str) -> tuple[str, ...]:
    """An address's words with its postal abbreviations spelt out ('2045 W Grand Ave, IL' and
    '2045 West Grand Avenue, Illinois' are one address)."""
    out: list[str] = []
    for w in re.findall(r"\w+", address.casefold()):
        out += _POSTAL_WORDS.get(w, (w,))
    return tuple(out)


def _detail_changes(old: PolicyStatements, new: PolicyStatements) -> list[StatementChange]:
    """Names and numbers of contact passages that the other version never uses anywhere."""
    out: list[StatementChange] = []
    olds = [s for s in old.of_kind("contact") if s.action == "details"]
    news = [s for s in new.of_kind("contact") if s.action == "details"]
    old_known, new_known = _known_words(old), _known_words(new)
    fresh = {s.clause: _unknown(s, old_known) for s in news}
    lost = {s.clause: _unknown(s, new_known) for s in olds}
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
