"""Plain-language sentences about the changes of a revision, for notices.

:func:`describe_changes` reads a :class:`~analyzer.model.Report` and says, for every change,
what it means for a user: "The customer service hotline changes from 400-80-13260 to 95187",
"A new clause allows entrusting your device information and log information to advertising
partners for marketing", "Clause 3.1.4 was added". The words come from sentence patterns, one
file per language (``notices/<lang>/sentences.yaml``, :class:`Patterns`); this module only
decides which pattern applies and fills it with what the analyzer knows:

1. **Facts.** The facts of the change's two sides are compared (:func:`analyzer.facts.compare.diff_texts`)
   and each difference becomes an item (a phone number replaced, a deadline lengthened, a
   recipient added …). For a *major* change only the items its findings name (``Finding.facts``)
   are told; for another substantive change only values (numbers, addresses, deadlines, fees,
   dates), which the extractor reads reliably.
2. **Uses.** Added or removed categories of information, recipients, places, purposes and ways
   of handling are told together, one sentence of the policy at a time, from the facts that
   sentence states ("entrusting" + "your device information" + "advertising partners").
3. **Findings without facts.** A negation or modal verb that changed is quoted ("“we will not
   entrust” now reads “we will entrust”"); a finding the facts cannot explain (a reviewer's
   verdict, a sentence close to a criterion's prototype) says what its criterion is about.
4. **Otherwise** a generic sentence that is always true: "Clause 3.1.4 was added", "Editorial
   corrections in 5.3 (capitalisation)".

Nothing is guessed from free text: every name in a sentence is a fact's canonical value looked up
in the patterns file, or words quoted from the policy. Pure functions apart from
:func:`load_patterns`, which reads the YAML files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analyzer.facts.compare import diff_texts
from analyzer.facts.extract import facts_of
from analyzer.facts.items import Item, delta_items
from analyzer.facts.types import USE_KINDS, Fact, FactDelta
from analyzer.judge.statement_detector import statement_fact_labels
from analyzer.model import Change, ClauseRef, Finding
from analyzer.notices.patterns import (
    NUMBERED_ADDRESS,
    PLACEHOLDER,
    VERB_FORMS,
    Patterns,
    fill,
    format_address,
    squash_spaces,
)
from analyzer.text.compiled import regex
from analyzer.text.normalize import detect_language
from analyzer.text.scan import ascii_lower, piece_of, sentence_starts

# --------------------------------------------------------------------------- findings


def _counts(finding: Finding) -> bool:
    """Whether a finding raises the level (a reviewer's ``not-major`` verdict stops it)."""
    return finding.override is None or finding.override.verdict != "not-major"


counts = _counts


def restricts(finding: Finding) -> bool:
    """Whether a finding restricts the user's rights (the consent rule): the detector said so
    and no reviewer capped it, or a reviewer said it needs consent."""
    if finding.override is not None:
        return finding.override.verdict == "consent"
    return finding.restricts_rights


# --------------------------------------------------------------------------- items


_MEASURED_KINDS = frozenset(
    {
        "phone",
        "email",
        "url",
        "address",
        "deadline",
        "retention",
        "duration",
        "money",
        "percentage",
        "age",
        "date",
    }
)
"""Values read from the words themselves: numbers, addresses, durations, dates."""
_PLAIN_KINDS = _MEASURED_KINDS | {"fee"}
"""Kinds told for a substantive change that no finding names: values the extractor reads
reliably (the other kinds need a finding's context to be worth a sentence)."""
_GENERIC_RECIPIENTS = frozenset({"partners", "third-parties"})
"""Recipients left out when the same sentence names a more specific one ('authorized partners
… our advertising partners' is told as 'advertising partners')."""
_GENERIC_VERBS = ("collect", "store")


def _items(delta: FactDelta) -> list[Item]:
    """The items of the delta (:func:`~analyzer.facts.items.delta_items`), each told once."""
    out = delta_items(delta)
    # A duration that is also a reply deadline or retention period is told once, as that.
    roles = {
        (side, f.span)
        for i in out
        if i.kind in ("deadline", "retention")
        for side, f in (("old", i.before), ("new", i.after))
        if f is not None
    }
    out = [
        i
        for i in out
        if not (
            i.kind == "duration"
            and (
                ("old", i.before.span) if i.before else ("new", i.after.span if i.after else (0, 0))
            )
            in roles
        )
    ]
    return out


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Sentence:
    """One thing to say about a change."""

    pattern: str
    """The pattern that produced it (``values/hotline``, ``use/frames/added_clause``,
    ``generic/added`` …), for reviewers and tests."""
    body: str
    """The sentence without its clause address and final punctuation."""
    inline_where: bool = False
    """The body names the clause itself (generic sentences); no address is appended."""


@dataclass(frozen=True)
class ChangeNote:
    """What the notices say about one change."""

    change: str
    """Id of the change (``c7``)."""
    kind: str
    nature: str
    major: bool
    """At least one finding of the change raises the level."""
    restricts_rights: bool
    """A finding of the change restricts the user's rights (it needs consent)."""
    criteria: tuple[str, ...]
    """Criteria of the findings that count, in order of appearance."""
    clauses: tuple[str, ...]
    """Addresses of the change's clauses as the report names them (new side; old side for a
    removed clause)."""
    where: str
    """The addresses as the language writes them, joined."""
    sentences: tuple[Sentence, ...]
    """What the change means, most specific first; never empty."""
    specific: bool
    """The sentences say more than the generic one."""
    section: str
    """Address of the top-level section the change is in (``5``, ``Prompt clause``,
    ``preamble ¶2``)."""
    section_title: str | None
    """Heading of that section, when it has one."""
    changelog: str
    """The change log's opening of this change: ``In section 5 (…), we changed 5.6.1.``"""


@dataclass
class _Context:
    change: Change
    patterns: Patterns
    language: str
    old_text: str
    new_text: str
    titles: dict[str, str]
    _facts: dict[str, tuple[Fact, ...]]

    def facts(self, side: str) -> tuple[Fact, ...]:
        if side not in self._facts:
            text = self.old_text if side == "old" else self.new_text
            self._facts[side] = facts_of(text, self.language)
        return self._facts[side]

    def text(self, side: str) -> str:
        return self.old_text if side == "old" else self.new_text

    def sentence_facts(self, fact: Fact, side: str) -> tuple[Fact, ...]:
        """Facts stated by the sentence of ``side`` that holds ``fact``."""
        text = self.text(side)
        starts = sentence_starts(ascii_lower(text))
        index = piece_of(starts, fact.span[0])
        begin = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        return tuple(f for f in self.facts(side) if begin <= f.span[0] < end)


def _side_text(refs: Sequence[ClauseRef]) -> str:
    """What a side of a change says: each clause's own heading and text (as the redline)."""
    parts = []
    for ref in refs:
        parts.append(f"{ref.title}\n{ref.text}" if ref.title else ref.text)
    return "\n".join(parts)


def _language(text: str) -> str:
    return "zh" if detect_language(text) == "zh" else "en"


def describe_changes(
    changes: Sequence[Change],
    patterns: Patterns,
    criteria_titles: Mapping[str, str] | None = None,
) -> tuple[ChangeNote, ...]:
    """A :class:`ChangeNote` for every change, in the report's order. ``criteria_titles``
    (criterion id -> title, as the report lists them) names a criterion the patterns file has
    no topic for."""
    return tuple(describe_change(change, patterns, criteria_titles) for change in changes)


def describe_change(
    change: Change,
    patterns: Patterns,
    criteria_titles: Mapping[str, str] | None = None,
) -> ChangeNote:
    """What the notices say about one change (see the module docstring for the order of
    preference)."""
    old_text, new_text = _side_text(change.old), _side_text(change.new)
    ctx = _Context(
        change=change,
        patterns=patterns,
        language=_language(new_text or old_text),
        old_text=old_text,
        new_text=new_text,
        titles=dict(criteria_titles or {}),
        _facts={},
    )
    counting = [f for f in change.findings if _counts(f)]
    major = bool(counting)
    refs = change.new or change.old
    clauses = tuple(r.clause for r in refs)
    where = patterns.join([format_address(c, patterns) for c in clauses])

    sentences: list[Sentence] = []
    if major or change.nature == "substantive":
        delta = diff_texts(old_text, new_text, ctx.language)
        items = _items(delta)
        if major:
            sentences = _finding_sentences(counting, items, ctx)
        else:
            sentences = _item_sentences([i for i in items if i.kind in _PLAIN_KINDS], ctx)
    specific = bool(sentences)
    if not sentences:
        sentences = [_generic(change, patterns, where)]
    section, section_title, intro = _changelog_intro(change, patterns)
    return ChangeNote(
        change=change.id,
        kind=change.kind,
        nature=change.nature,
        major=major,
        restricts_rights=any(restricts(f) for f in counting),
        criteria=tuple(dict.fromkeys(f.criterion for f in counting)),
        clauses=clauses,
        where=where,
        sentences=tuple(_unique(sentences)),
        specific=specific,
        section=section,
        section_title=section_title,
        changelog=intro,
    )


def _unique(sentences: Iterable[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    out = []
    for s in sentences:
        if s.body not in seen:
            seen.add(s.body)
            out.append(s)
    return out


_FACT_LABEL = regex(r"^[a-z][a-z-]*:")


def _labels(finding: Finding) -> set[str]:
    """The fact labels a finding names, those of a statement change included (a practice
    added or dropped names its category, recipient, purpose or place)."""
    labels = {f for f in finding.facts if _FACT_LABEL.match(f)}
    for f in finding.facts:
        labels |= statement_fact_labels(f)
    return labels


def _finding_sentences(
    findings: Sequence[Finding], items: Sequence[Item], ctx: _Context
) -> list[Sentence]:
    """Sentences for a major change: the fact items its findings name, then quoted wording for
    findings about a negation or modal verb, then the topic of each criterion still untold."""
    named: list[Item] = []
    told: set[str] = set()
    for finding in findings:
        labels = _labels(finding)
        hits = [i for i in items if i.labels & labels]
        if hits:
            named += [i for i in hits if i not in named]
    out = _item_sentences(named, ctx)
    for finding in findings:
        labels = _labels(finding)
        if any(i.labels & labels for i in named) and out:
            told.add(finding.criterion)
    for finding in findings:
        if finding.criterion in told:
            continue
        cue = any(f.startswith("cue:") for f in finding.facts)
        if cue and finding.before.strip() and finding.after.strip():
            out.append(
                Sentence(
                    "wording",
                    ctx.patterns.fill(
                        "wording",
                        before=ctx.patterns.quote(_cut(finding.before)),
                        after=ctx.patterns.quote(_cut(finding.after)),
                    ),
                )
            )
            told.add(finding.criterion)
    for finding in findings:
        if finding.criterion not in told:
            out.append(_topic(finding.criterion, ctx))
            told.add(finding.criterion)
    return out


_QUOTE_LIMIT = 120


def _cut(words: str, limit: int = _QUOTE_LIMIT) -> str:
    """Words quoted from the policy, shortened at a word boundary when long."""
    words = squash_spaces(words)
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > limit // 2 else limit] + "…"


def _topic(criterion: str, ctx: _Context) -> Sentence:
    p = ctx.patterns
    if p.has("topic", "criteria", criterion):
        topic = p.text("topic", "criteria", criterion)
    else:
        title = ctx.titles.get(criterion, criterion)
        topic = p.fill("topic", "unknown", id=criterion, title=_cut(title, 80))
    frame = {"added": "added", "removed": "removed"}.get(ctx.change.kind, "changed")
    return Sentence(f"topic/frames/{frame}", p.fill("topic", "frames", frame, topic=topic))


def _item_sentences(items: Sequence[Item], ctx: _Context) -> list[Sentence]:
    """Sentences for fact items: one per value, right, fee or commitment item; uses grouped
    by the sentence of the policy they come from."""
    out: list[Sentence] = []
    uses: dict[tuple[str, str, int], list[Item]] = {}
    for item in items:
        if item.kind in USE_KINDS:
            direction, side = _use_direction(item)
            if direction is None:
                continue
            fact = item.after if side == "new" else item.before
            assert fact is not None
            text = ctx.text(side)
            starts = sentence_starts(ascii_lower(text))
            key = (direction, side, piece_of(starts, fact.span[0]))
            uses.setdefault(key, []).append(item)
            continue
        sentence = _single(item, ctx)
        if sentence is not None:
            out.append(sentence)
    for (direction, side, _), anchors in sorted(uses.items(), key=lambda kv: kv[0][2]):
        sentence = _use_sentence(direction, side, anchors, ctx)
        if sentence is not None:
            out.append(sentence)
    return out


def _value(fact: Fact, ctx: _Context) -> str:
    """A fact's value as the notice writes it: durations in the notice's language, dates
    formatted, named values by their name, anything else as the policy wrote it."""
    p = ctx.patterns
    if fact.kind in ("deadline", "retention", "duration"):
        m = re.fullmatch(r"(\d+(?:\.\d+)?) (.+?)s?", fact.value)
        if m and p.has("durations", m.group(2)):
            n = m.group(1)
            forms = p.data["durations"][m.group(2)]
            return fill(str(forms[0 if n == "1" else 1]), {"n": n})
    if fact.kind == "date":
        formatted = p.date(fact.value)
        if formatted:
            return formatted
    named = p.name(fact.kind, fact.value)
    if named is not None:
        return named
    return squash_spaces(fact.text)


def _is_hotline(item: Item, ctx: _Context) -> bool:
    """A phone number given in a sentence that speaks of a hotline (a ``channel:hotline``
    fact), on either side."""
    for side, fact in (("old", item.before), ("new", item.after)):
        if fact is not None and any(
            f.kind == "channel" and f.value == "hotline" for f in ctx.sentence_facts(fact, side)
        ):
            return True
    return False


def _fee_state(fact: Fact) -> str:
    """``free`` or ``charged``: what a fee fact says ('not charged' is free)."""
    charged = fact.value == "charged"
    return "charged" if charged != fact.negated else "free"


def _single(item: Item, ctx: _Context) -> Sentence | None:
    p = ctx.patterns
    kind = item.kind
    if kind == "phone" and _is_hotline(item, ctx):
        kind = "hotline"
    if kind == "fee":
        return _fee_sentence(item, p)
    if kind == "commitment":
        return _commitment_sentence(item, p)
    if kind == "right":
        return _right_sentence(item, ctx)
    path = kind == "channel" and item.any.value.startswith("path:")
    if item.before is not None and item.after is not None:
        if item.how in ("negated", "affirmed"):
            return None
        if path:
            key = "path"
            before, after = p.quote(item.before.text), p.quote(item.after.text)
        elif kind in p.data["values"]:
            key = kind
            before, after = _value(item.before, ctx), _value(item.after, ctx)
        else:
            return None
        if before == after:
            return None
        return Sentence(f"values/{key}", p.fill("values", key, before=before, after=after))
    fact = item.any
    if fact.negated:
        return None
    group = "added" if item.after is not None else "removed"
    if kind not in p.data[group]:
        return None
    if path:
        value = p.quote(fact.text)
    elif kind in ("channel", "ownership", "risk"):
        named = p.name(kind, fact.value)
        if named is None:
            return None
        value = named
    else:
        value = _value(fact, ctx)
    return Sentence(f"{group}/{kind}", p.fill(group, kind, value=value))


def _fee_sentence(item: Item, p: Patterns) -> Sentence | None:
    before = _fee_state(item.before) if item.before else None
    after = _fee_state(item.after) if item.after else None
    if before == after:
        return None
    key = f"{after}_added" if after is not None else f"{before}_removed"
    return Sentence(f"fee/{key}", p.text("fee", key))


def _commitment_sentence(item: Item, p: Patterns) -> Sentence | None:
    """The promise not to restrict rights (a negated ``commitment``) removed or added, or a
    statement about restricting them."""
    if item.any.value != "restrict-rights":
        return None
    if item.how == "affirmed":
        key = "promise_removed"
    elif item.how == "negated":
        key = "promise_added"
    elif item.how == "added":
        key = "promise_added" if item.any.negated else "restriction_added"
    elif item.how == "removed":
        key = "promise_removed" if item.any.negated else "restriction_removed"
    else:
        return None
    return Sentence(f"commitment/{key}", p.text("commitment", key))


def _right_sentence(item: Item, ctx: _Context) -> Sentence | None:
    p = ctx.patterns
    name = p.name("right", item.any.value)
    if name is None:
        return None
    if item.how == "negated":
        group, key = "added", "right_denied"
    elif item.how == "affirmed":
        group, key = "removed", "right_denied"
    elif item.how in ("added", "removed"):
        group = item.how
        key = "right_denied" if item.any.negated else "right"
    else:
        return None
    return Sentence(f"{group}/{key}", p.fill(group, key, value=name))


def _use_direction(item: Item) -> tuple[str | None, str]:
    """Which frame tells a use item, and which side's sentence it comes from."""
    if item.how == "added":
        return ("negated" if item.any.negated else "added"), "new"
    if item.how == "removed":
        return ("denial_removed" if item.any.negated else "removed"), "old"
    if item.how in ("negated", "affirmed"):
        return item.how, "new"
    return None, "new"


def _use_sentence(
    direction: str, side: str, anchors: Sequence[Item], ctx: _Context
) -> Sentence | None:
    """One sentence about what a sentence of the policy does with information, from the facts
    it states; the anchors (the facts that changed) must all be told."""
    p = ctx.patterns
    anchor_facts = [a.after if side == "new" else a.before for a in anchors]
    facts = [f for f in anchor_facts if f is not None]
    if not facts:
        return None
    negated = direction in ("negated", "denial_removed")
    around = [f for f in ctx.sentence_facts(facts[0], side) if f.negated == negated]

    def values(kind: str, pool: Iterable[Fact]) -> list[str]:
        return list(dict.fromkeys(f.value for f in pool if f.kind == kind))

    anchored = {(f.kind, f.value) for f in facts}
    categories = values("pi-category", around)
    recipients = values("recipient", around)
    if any(r not in _GENERIC_RECIPIENTS for r in recipients):
        recipients = [
            r for r in recipients if r not in _GENERIC_RECIPIENTS or ("recipient", r) in anchored
        ]
    places = values("location", around)
    purposes = values("purpose", around)
    verbs = values("processing", facts) + [
        v for v in values("processing", around) if v not in _GENERIC_VERBS
    ]
    verbs += [v for v in values("processing", around) if v in _GENERIC_VERBS]
    verbs = [v for v in dict.fromkeys(verbs) if p.has("use", "verbs", v)]

    def names(kind: str, vals: Sequence[str]) -> str:
        return p.join([n for n in (p.name(kind, v) for v in vals) if n is not None])

    what = names("pi-category", categories) or p.text("use", "default_what")
    slots = {
        "what": what,
        "whom": names("recipient", recipients),
        "places": names("location", places),
        "purpose": (
            p.fill("use", "purpose", purposes=names("purpose", purposes)) if purposes else ""
        ),
    }
    need_whom = any(f.kind == "recipient" for f in facts) and bool(slots["whom"])
    need_places = any(f.kind == "location" for f in facts) and bool(slots["places"])
    need_purpose = any(f.kind == "purpose" for f in facts) and bool(slots["purpose"])
    fallback = "provide" if slots["whom"] else "process"
    for verb in [*verbs, fallback]:
        form = _verb_form(verb, slots, p)
        if form is None:
            continue
        text = p.text("use", "verbs", verb, form)
        fields = set(PLACEHOLDER.findall(text))
        if (
            (need_whom and "whom" not in fields)
            or (need_places and "places" not in fields)
            or (need_purpose and "purpose" not in fields)
        ):
            continue
        use = fill(text, slots)
        frame = direction
        if direction == "added" and ctx.change.kind == "added":
            frame = "added_clause"
        elif direction == "removed" and ctx.change.kind == "removed":
            frame = "removed_clause"
        return Sentence(f"use/frames/{frame}", p.fill("use", "frames", frame, use=use))
    return None


def _verb_form(verb: str, slots: Mapping[str, str], p: Patterns) -> str | None:
    """The first form of ``verb`` whose placeholders the slots can fill."""
    if not p.has("use", "verbs", verb):
        return None
    for form in VERB_FORMS:
        if not p.has("use", "verbs", verb, form):
            continue
        fields = set(PLACEHOLDER.findall(p.text("use", "verbs", verb, form)))
        if all(slots.get(name) for name in fields if name != "purpose"):
            return form
    return None


# --------------------------------------------------------------------------- generic


def _addresses(refs: Sequence[ClauseRef], p: Patterns) -> str:
    return p.join([format_address(r.clause, p) for r in refs])


def _reasons(change: Change, p: Patterns) -> str:
    names = [p.text("reasons", r) for r in change.reasons if p.has("reasons", r)]
    return p.join(list(dict.fromkeys(names)))


def _relabelled(change: Change) -> bool:
    """Renumbered in writing only: the clause keeps its address (``five point two`` -> ``5.2``,
    ``III`` -> ``3、``, a duplicated ``3.3.3`` -> ``3.4.3``)."""
    return change.kind == "renumbered" and [r.clause for r in change.old] == [
        r.clause for r in change.new
    ]


def _old_labels(change: Change, p: Patterns) -> str:
    return p.join([p.quote(r.label or r.clause) for r in change.old])


def _generic_key(change: Change, p: Patterns) -> str:
    if _relabelled(change):
        return "relabelled"
    if change.kind == "moved" and "modified" in change.reasons:
        return "moved_modified"
    if change.kind == "modified" and change.nature == "editorial":
        return "editorial" if _reasons(change, p) else "editorial_bare"
    return change.kind


def _generic(change: Change, p: Patterns, where: str) -> Sentence:
    key = _generic_key(change, p)
    body = p.fill(
        "generic",
        key,
        where=where,
        old=_old_labels(change, p) if key == "relabelled" else _addresses(change.old, p),
        new=_addresses(change.new, p),
        reasons=_reasons(change, p),
    )
    return Sentence(f"generic/{key}", body, inline_where=True)


def _changelog_intro(change: Change, p: Patterns) -> tuple[str, str | None, str]:
    """How the change log introduces a change: where it is, and what was done."""
    ref = (change.new or change.old)[0]
    key = ref.path[0] if ref.path else ref.clause
    title = squash_spaces(ref.section) if ref.section else None
    if key.startswith("preamble"):
        section_key, values = "preamble", {}
    elif NUMBERED_ADDRESS.fullmatch(key):
        section_key = "numbered" if title and title != key else "untitled"
        values = {"number": key, "title": title or ""}
    else:
        section_key, values = "named", {"title": title or squash_spaces(key)}

    def clause_name(refs: Sequence[ClauseRef]) -> str:
        names = []
        for r in refs:
            base, sep, paragraph = r.clause.rpartition(" ¶")
            if r.clause == key and section_key != "preamble":
                names.append(p.text("changelog", "heading"))
                continue
            if (
                sep
                and paragraph.isdigit()
                and (base == key or (base == "preamble" and section_key == "preamble"))
            ):
                name = p.fill("address", "paragraph_only", n=paragraph)
            else:
                name = format_address(r.clause, p)
            if r.title:
                name = p.fill(
                    "changelog", "clause_titled", clause=name, title=squash_spaces(r.title)
                )
            names.append(name)
        return p.join(names)

    action_key = _generic_key(change, p)
    action = p.fill(
        "changelog",
        "actions",
        action_key,
        clause=clause_name(change.new or change.old),
        old=_old_labels(change, p) if action_key == "relabelled" else clause_name(change.old),
        new=clause_name(change.new),
        reasons=_reasons(change, p),
    )
    intro = p.fill("changelog", "section", section_key, action=action, **values)
    return key, title, intro
