"""The remaining kinds of statement read from a sentence: controllers (and changes of
ownership), risks, deadlines, fees and retention periods.

:func:`others_of` reads controllers from a sentence about who operates the service or a
section about controllers, a risk (high when the sentence says so), a retention period (not
one that is a condition or the deadline of a request), a fee, and the time limits of a request:
the company's to answer or act on it, the user's to exercise a right.
"""

from __future__ import annotations

import re

from analyzer.statements.model import Actor, Statement
from analyzer.statements.patterns import patterns
from analyzer.statements.qualifiers import conditions_of, is_denied
from analyzer.statements.roles import subtype_of
from analyzer.statements.sentences import Sentence, shown
from analyzer.text.compiled import regex

_HYPOTHETICAL = regex(
    r"(?<![a-z])(?:likely|liable|may|might|could|can|would)\s+(?:[a-z]+\s+){0,3}?(?:to\s+)?"
    r"(?:result|results|lead|leads|pose|poses|present|presents|involve|involves|entail|entails"
    r"|cause|causes|give rise)\s+(?:in\s+|to\s+)?(?:a\s+|an\s+)?[^.;:]{0,12}$"
    r"|可能(?:会)?(?:产生|导致|带来|存在|造成|引发|涉及)[^，。；]{0,8}$"
)
"""Words that make a risk one the company looks out for, not one it found ('processing that
is likely to result in a high risk', 可能产生高风险的处理活动): a procedure, not a finding."""


def _hypothetical(s: Sentence, at: int) -> bool:
    return _HYPOTHETICAL.search(s.lower, max(s.start, at - 60), at) is not None


__all__ = ["others_of"]


def others_of(s: Sentence) -> list[Statement]:
    out: list[Statement] = []
    base = {
        "clause": s.passage.clause,
        "address": s.passage.address,
        "sources": s.passage.sources,
        "text": shown(s),
    }
    operated = patterns()["operated"].search(s.lower, s.start, s.end) is not None
    if operated:
        for f in s.facts:
            if f.kind == "organisation":
                out.append(
                    Statement(
                        kind="controller",
                        actor="company",
                        action="controller",
                        polarity="affirmed",
                        values=(f"org:{f.value}",),
                        **base,  # type: ignore[arg-type]
                    )
                )
    controllers_section = (
        patterns()["controller-heading"].search(s.passage.headings) is not None
        and patterns()["contact-words"].search(s.lower, s.start, s.end) is None
    )
    if controllers_section:
        known = {f.value for f in s.facts if f.kind in ("organisation", "controller")}
        for m in patterns()["entity"].finditer(s.text, s.start, s.end):
            name = " ".join(re.sub(r"[(),.*]", " ", m.group(0)).split()).casefold()
            if name and not any(name.endswith(k) or k.endswith(name) for k in known):
                out.append(
                    Statement(
                        kind="controller",
                        actor="company",
                        action="controller",
                        polarity="affirmed",
                        values=(f"org:{name}",),
                        **base,  # type: ignore[arg-type]
                    )
                )
    for f in s.facts:
        polarity = "denied" if f.negated else "affirmed"
        if f.kind == "organisation" and controllers_section:
            out.append(
                Statement(
                    kind="controller",
                    actor="company",
                    action="controller",
                    polarity="affirmed",
                    values=(f"org:{f.value}",),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "controller" or f.kind == "ownership":
            value = f"org:{f.value}" if f.kind == "controller" else f"ownership:{f.value}"
            out.append(
                Statement(
                    kind="controller",
                    actor="company",
                    action="controller" if f.kind == "controller" else f.value,
                    polarity=polarity,  # type: ignore[arg-type]
                    values=(value,),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "risk":
            high = any(
                not _hypothetical(s, m.start())
                for m in patterns()["high-risk"].finditer(s.lower, s.start, s.end)
            )
            action = "high-risk" if f.value == "high-risk" or high else f.value
            if _hypothetical(s, f.span[0]):
                action = f"possible-{action}"
            out.append(
                Statement(
                    kind="risk",
                    actor="company",
                    action=action,
                    polarity="denied" if is_denied(s, f.span[0]) or f.negated else "affirmed",
                    values=(f"risk:{f.value}",),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "retention" and not s.conditional(f.span[0]) and not _about_request(s):
            objects = tuple(
                sorted({subtype_of(s.text, g) for g in s.facts if g.kind == "pi-category"})
            )
            out.append(
                Statement(
                    kind="retention",
                    actor="company",
                    action="keep",
                    polarity=polarity,  # type: ignore[arg-type]
                    objects=objects,
                    values=(f"duration:{f.value}",),
                    days=f.magnitude,
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "fee":
            rights = sorted({g.value for g in s.facts if g.kind == "right"})
            money = sorted({g.value for g in s.facts if g.kind == "money"})
            denied = f.negated or is_denied(s, f.span[0])
            out.append(
                Statement(
                    kind="fee",
                    actor="company",
                    action=f.value,
                    polarity="denied" if denied else "affirmed",
                    conditions=conditions_of(s),
                    values=tuple([*(f"right:{r}" for r in rights), *(f"money:{m}" for m in money)]),
                    **base,  # type: ignore[arg-type]
                )
            )
    out += _deadlines(s)
    return out


def _about_request(s: Sentence) -> bool:
    """The sentence speaks of a user's request about a right ('when you request deletion …'):
    its durations are deadlines, not retention periods."""
    return any(f.kind == "right" for f in s.facts) and (
        patterns()["request"].search(s.lower, s.start, s.end) is not None
    )


def _deadlines(s: Sentence) -> list[Statement]:
    """Time limits of a sentence about a request: the company's to answer or to act on it
    ('we respond within 15 days', 'it will be deleted within 30 days of the request'), the
    user's to exercise a right ('you may appeal within 14 days')."""
    p = patterns()
    durations = [f for f in s.facts if f.kind in ("deadline", "duration")]
    if not durations:
        return []
    window = s.lower[s.start : s.end]
    about_request = p["request"].search(window) is not None
    if not about_request and not any(f.kind == "deadline" for f in durations):
        return []
    rights = sorted({f.value for f in s.facts if f.kind == "right"})
    out: list[Statement] = []
    seen: set[tuple[int, int]] = set()
    for f in durations:
        if s.conditional(f.span[0]):
            continue
        a, _b = s.piece_span(f.span[0])
        user = p["user-window"].search(s.lower, a, f.span[0]) is not None and not p[
            "respond"
        ].search(s.lower, a, f.span[0])
        if user:
            actor: Actor = "user"
            action = "exercise"
        elif p["respond"].search(window) or f.kind == "deadline":
            actor = "company"
            action = "respond" if not rights else "fulfil"
        else:
            continue
        if f.span in seen:
            continue
        seen.add(f.span)
        out.append(
            Statement(
                kind="deadline",
                actor=actor,
                action=action,
                polarity="affirmed",
                objects=tuple(rights),
                values=(f"duration:{f.value}",),
                days=f.magnitude,
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=shown(s),
            )
        )
    return out
