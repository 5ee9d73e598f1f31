"""Findings a lawyer can read: a decision's findings grouped by criterion and by what they say.

A big rewrite meets the criteria through a hundred findings, one per word that moved in or out
of a clause. :func:`group_reasons` tells them in a few lines, one per criterion and statement,
each citing its clauses::

    9.2 Rights restricted: a right the user had is no longer stated, or is now denied: deletion,
        objection (opt-out), a copy (portability) (Your choices ¶2, ¶4; Data portability ¶1 …)
    9.4.3 Recipients: advertising partners now receive device information and log information;
        Ways of handling: newly stated: entrust to processors (3.1.4)

How findings are grouped:

1. **What each finding says.** A finding's facts (``recipient:advertisers``) are read against
   what each version says as a whole (:func:`~analyzer.statements.summary.summarize_policy`): a fact
   the clause adds is *newly stated* when the old policy never stated it, a fact it drops is *no
   longer stated anywhere* when the new policy does not state it either; otherwise the policy
   still says it elsewhere, and the finding is about where or with what it is said (*restated*).
   A value that changed (a phone number, a deadline) is told with its evidence. Findings without
   facts (a negation that flipped, a sentence like a criterion's prototype, a reviewer's
   verdict) are told by their evidence.
2. **One line per statement.** Findings of one criterion, level, topic and status are one
   group; the groups of a criterion that cite the same clauses are one line (what one clause
   says about a criterion). Lines run consent first, then pack order, new before gone before
   restated; findings a reviewer overrode come last, with the verdict.
3. **One screen.** When there are more than :data:`MAX_REASONS` lines, a criterion's restated
   groups are told in one line, then, if still too many, each criterion in one line. A line
   names at most :data:`CITED_CHARS` characters of clause addresses and says how many more it
   stands for; :class:`~analyzer.model.ReasonGroup` keeps them all, and
   :attr:`~analyzer.model.Decision.findings` keeps every finding with its clause.

Pure functions; no outside library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from analyzer.facts.extract import facts_of
from analyzer.facts.labels import fact_name
from analyzer.judge.criteria import CriteriaPack
from analyzer.judge.wording import content_words, criteria_wordings, repeats_criteria
from analyzer.model import (
    Change,
    ClauseRef,
    ClauseTree,
    Finding,
    Level,
    ReasonGroup,
    level_rank,
)
from analyzer.statements import ATOM_KINDS
from analyzer.statements.summary import PolicyFacts, summarize_policy
from analyzer.text.compiled import regex
from analyzer.text.scan import ascii_lower, piece_of, sentence_starts

__all__ = [
    "CITED_CHARS",
    "MAX_REASONS",
    "criteria_lists",
    "group_reasons",
    "policy_facts",
]

MAX_REASONS = 25
"""Most lines :attr:`~analyzer.model.Decision.reasons` holds for a revision: one screen."""
CITED_CHARS = 110
"""Characters of clause addresses a line cites before it says how many more there are."""
VALUES_SHOWN = 8
"""Values a line names before it says how many more there are."""
_VALUES_SHOWN_COARSE = 4

_META_KINDS = frozenset({"restriction", "cue", "prototype", "details", "statement"})
"""Labels of :attr:`Finding.facts` that are not facts of the text."""
_TOPICS = {
    "pi-category": "Categories of information",
    "purpose": "Purposes",
    "processing": "Ways of handling",
    "recipient": "Recipients",
    "location": "Places",
    "retention": "Retention",
    "right": "Rights",
    "channel": "Ways of exercising rights",
    "deadline": "Reply deadline",
    "fee": "Fees",
    "phone": "Contact details",
    "email": "Contact details",
    "url": "Contact details",
    "address": "Contact details",
    "details": "Contact details",
    "department": "Responsible department",
    "complaint": "Where to complain",
    "controller": "Controller",
    "organisation": "Controller",
    "ownership": "Ownership and control",
    "risk": "Risk",
    "commitment": "Commitments",
}
_AS_WRITTEN = frozenset({"organisation", "controller", "phone", "email", "url", "address"})
"""Kinds named by the policy's own words."""
_STATUS_ORDER = {"new": 0, "changed": 1, "said": 2, "gone": 3, "also": 4, "still": 5}
_STATUS_TOPICS = {
    "new": "Newly stated",
    "changed": "Changed",
    "said": "Found",
    "gone": "No longer stated",
    "also": "Restated (moved or reworded, still in the policy)",
    "still": "Restated (moved or reworded, still in the policy)",
}
"""How a criterion's groups of one status read when they are told together."""

FactKey = tuple[str, str, bool]


# --------------------------------------------------------------------------- what each version says


def criteria_lists(tree: ClauseTree, pack: CriteriaPack) -> frozenset[str]:
    """Ids of the clauses that only list the pack's criteria (the seed's 9.4.1-9.4.6, a
    Chinese policy's 重大变更 list): naming "high risks" among the changes a policy calls major
    states no risk, so these clauses are no statements of the policy. A clause counts when it
    repeats most of a criterion's wording or title and is not much longer (a long clause on
    security incidents that shares the words of 9.4.6 is a statement)."""
    wordings = criteria_wordings(pack)
    out = set()
    for clause in tree.clauses:
        if repeats_criteria(content_words(f"{clause.heading or ''}\n{clause.text}"), wordings):
            out.add(clause.id)
    return frozenset(out)


def policy_facts(tree: ClauseTree, pack: CriteriaPack) -> PolicyFacts:
    """What ``tree`` says (:func:`summarize_policy`), its list of the pack's criteria left out."""
    return summarize_policy(tree, skip=criteria_lists(tree, pack))


# --------------------------------------------------------------------------- atoms


@dataclass(frozen=True)
class _Atom:
    """One thing one finding says."""

    finding: int
    """Index of the finding in the revision (for counting findings per group)."""
    change: str
    criterion: str
    level: Level
    note: str
    """The reviewer's verdict on the finding ('' when none)."""
    topic: str
    status: str
    """``new``, ``gone``, ``restated`` (a fact the other version also states), ``changed`` (a
    value replaced), ``said`` (a finding told by its evidence)."""
    negated: bool
    head: str
    """For a finding told by its evidence: what it says (the evidence before its ':')."""
    value: str
    """A name of a fact, or ''."""
    detail: str
    """The evidence after its ':', or ''."""
    clauses: tuple[str, ...]
    receives: tuple[str, ...] = ()
    """What the clause states with the fact in one sentence: for a recipient, the categories
    of information it receives; for a category, the purposes it is used for."""
    elsewhere: str = ""
    """For a fact a restriction found gone from its clause: ``granted`` when the new version
    still grants the right in another sentence, ``named`` when it only names it (a right's name
    in a contact section grants nothing), ``stated`` for another fact it still states; ''
    when it is gone."""


def _labels(finding: Finding) -> tuple[list[FactKey], dict[str, str]]:
    """The finding's facts as keys, and its meta labels (``restriction`` -> ``right-removed``).
    A statement change (``statement:added:share|given|location>data-brokers``) is the fact
    its first atom names when it only adds or drops a practice, else a meta label (told by its
    evidence)."""
    keys: list[FactKey] = []
    meta: dict[str, str] = {}
    for label in finding.facts:
        kind, sep, value = label.partition(":")
        if not sep:
            continue
        if kind == "statement":
            key = _statement_key(value)
            if key is None:
                meta.setdefault(kind, value)
            else:
                keys.append(key)
            continue
        if kind in _META_KINDS:
            meta.setdefault(kind, value)
            continue
        negated = value.startswith("not ")
        keys.append((kind, value[4:] if negated else value, negated))
    return keys, meta


_STATEMENT_TOPICS = {
    "deadline": "Reply deadline",
    "fee": "Fees",
    "channel": "Ways of exercising rights",
    "right": "Rights",
    "contact": "Contact details",
    "controller": "Controller",
    "risk": "Risk",
    "retention": "Retention",
}
"""Topics of statement changes told by their evidence, by the first part of their subject;
any other (a practice: a promise reversed, withdrawn, opened, narrowed) is a commitment."""


_NAMED_IN_HEAD = regex(r" \(([^()]+)\)")
"""What a statement change's evidence names in its head (``the right (object) is no longer
granted``): the value of its line."""


def _statement_key(value: str) -> FactKey | None:
    """The fact a statement change only adding or dropping a practice is about, else None."""
    how, _, subject = value.partition(":")
    parts = subject.split("|")
    if how not in ("added", "removed", "more-specific") or len(parts) != 3:
        return None
    kind = ATOM_KINDS.get(parts[1])
    if kind is None or parts[0] in _STATEMENT_TOPICS:
        return None
    fact = parts[2].partition(">")[2] if ">" in parts[2] else parts[2]
    return (kind, fact, False) if fact else None


def _direction(finding: Finding) -> str:
    if finding.new_clause is None or (finding.before and not finding.after):
        return "removed"
    if finding.old_clause is None or (finding.after and not finding.before):
        return "added"
    return "changed"


def _clauses(finding: Finding, direction: str) -> tuple[str, ...]:
    side = finding.old_clause if direction == "removed" else finding.new_clause
    side = side or finding.new_clause or finding.old_clause or "?"
    return tuple(part.strip() for part in side.split(","))


def _override_note(finding: Finding) -> str:
    o = finding.override
    if o is None:
        return ""
    by = f" by {o.reviewer}" if o.reviewer else ""
    return f"[reviewed{by}: {o.verdict}: {o.reason}]"


def _atoms(
    index: int,
    change: Change,
    finding: Finding,
    level: Level,
    old_keys: Collection[FactKey],
    new_keys: Collection[FactKey],
    names: Mapping[FactKey, str],
    granted: Collection[FactKey] = frozenset(),
) -> list[_Atom]:
    keys, meta = _labels(finding)
    direction = _direction(finding)
    if (
        len(keys) == 1
        and keys[0][0] in _AS_WRITTEN
        and keys[0] not in names
        and keys[0][1] != "controller"
    ):
        words = finding.after if direction != "removed" else finding.before
        if words and "'" not in words:
            names = {**names, keys[0]: words}
    clauses = _clauses(finding, direction)
    head, sep, detail = finding.evidence.partition(": ")
    base = _Atom(
        finding=index,
        change=change.id,
        criterion=finding.criterion,
        level=level,
        note=_override_note(finding),
        topic="",
        status="said",
        negated=False,
        head="",
        value="",
        detail="",
        clauses=clauses,
    )
    told_by_evidence = bool(meta) or not keys or finding.detector == "reviewer"
    if told_by_evidence:
        said = replace(
            base,
            topic="Rights restricted"
            if "restriction" in meta or (finding.restricts_rights and "statement" in meta)
            else _topic(keys, meta, finding),
            head=head if sep else finding.evidence,
            detail=detail if sep else "",
        )
        if "statement" in meta:
            named = _NAMED_IN_HEAD.search(said.head)
            if named:  # 'the right (object) is no longer granted': one line for every right
                head = (said.head[: named.start()] + said.head[named.end() :]).strip()
                return [replace(said, head=head, value=named.group(1))]
        if "restriction" not in meta or len(keys) != 1:
            return [said]
        return [
            replace(
                said,
                value=_name(keys[0], names),
                elsewhere=_elsewhere(keys[0], new_keys, granted) if direction == "removed" else "",
            )
        ]
    out: list[_Atom] = []
    mates = (
        _mates(change.new if direction == "added" else change.old) if direction != "changed" else {}
    )
    seen: set[tuple[str, str]] = set()
    for key in dict.fromkeys(keys):
        kind, _, negated = key
        if direction == "changed":
            if key[:2] in seen:
                continue  # 'not partners' -> 'partners': one change of one fact, told once
            seen.add(key[:2])
            status = "changed"
        elif direction == "added":
            status = "new" if key not in old_keys else "also"
        else:
            status = "gone" if key not in new_keys else "still"
        out.append(
            replace(
                base,
                topic=_TOPICS.get(kind, kind),
                status=status,
                negated=negated,
                head="",
                value=_name(key, names),
                detail=finding.evidence if status == "changed" else "",
                receives=tuple(mates.get(key, ())),
            )
        )
    return out


def _topic(keys: Sequence[FactKey], meta: Mapping[str, str], finding: Finding) -> str:
    if finding.detector == "reviewer":
        return "Reviewer's finding"
    if "statement" in meta:
        subject = meta["statement"].partition(":")[2]
        return _STATEMENT_TOPICS.get(subject.split("|")[0], _TOPICS["commitment"])
    if "cue" in meta:
        return "Wording"
    if "prototype" in meta:
        return "Like a major change"
    if keys:
        return _TOPICS.get(keys[0][0], keys[0][0])
    if "details" in meta:
        return _TOPICS["details"]
    return "Other"


def _name(key: FactKey, names: Mapping[FactKey, str]) -> str:
    """A fact's name: as the policy summary calls it (a company or a phone number as the
    policy writes it), else its English name."""
    kind, value, _ = key
    named = names.get(key) or names.get((kind, value, not key[2]))
    if named:
        return named
    if value.startswith("org:"):
        return value[4:]  # a company as the statement model names it
    if "/" in value:
        general, _, sub = value.partition("/")
        return f"{fact_name(kind, general)} ({sub})"  # a sub-type: precise location
    return fact_name(kind, value)


_MATE_KINDS = {"recipient": "pi-category", "pi-category": "purpose"}
"""What a clause's sentence tells about a fact of a kind: what a recipient receives, what a
category is used for."""


def _mates(refs: Sequence[ClauseRef]) -> dict[FactKey, list[str]]:
    """For each fact the clauses state (not denied), the names of the facts of its
    :data:`_MATE_KINDS` kind stated in the same sentence."""
    out: dict[FactKey, list[str]] = {}
    for ref in refs:
        text = _ref_text(ref)
        facts = facts_of(text, "zh" if _is_chinese(text) else "en")
        starts = sentence_starts(ascii_lower(text))
        by_sentence: dict[int, dict[FactKey, None]] = {}
        for f in facts:
            by_sentence.setdefault(piece_of(starts, f.span[0]), {}).setdefault(f.key)
        for keys in by_sentence.values():
            stated: dict[str, dict[str, None]] = {}
            for kind, value, negated in keys:
                if not negated and value != "service":
                    stated.setdefault(kind, {}).setdefault(fact_name(kind, value))
            for key in keys:
                wanted = _MATE_KINDS.get(key[0])
                if wanted is None or key[2]:
                    continue
                found = out.setdefault(key, [])
                found += [name for name in stated.get(wanted, {}) if name not in found]
    return out


def _ref_text(ref: ClauseRef) -> str:
    return f"{ref.title}\n{ref.text}" if ref.title else ref.text


def _is_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


# --------------------------------------------------------------------------- groups and lines


@dataclass
class _Group:
    """Atoms of one criterion, level, topic, status and negation (or one evidence head)."""

    criterion: str
    level: Level
    note: str
    topic: str
    status: str
    negated: bool
    head: str
    values: dict[str, None] = field(default_factory=dict)
    details: dict[str, None] = field(default_factory=dict)
    clauses: dict[str, None] = field(default_factory=dict)
    changes: dict[str, None] = field(default_factory=dict)
    findings: dict[int, None] = field(default_factory=dict)
    receives: dict[str, dict[str, None]] = field(default_factory=dict)
    merged: bool = False
    """Groups of several topics told together: the values carry their topics."""
    elsewhere: dict[str, str] = field(default_factory=dict)
    """Values the new version still states in other clauses, and how (``granted``,
    ``named``, ``stated``)."""

    def add(self, atom: _Atom) -> None:
        if atom.value:
            self.values.setdefault(atom.value)
        if atom.detail:
            self.details.setdefault(atom.detail)
        for clause in atom.clauses:
            self.clauses.setdefault(clause)
        self.changes.setdefault(atom.change)
        self.findings.setdefault(atom.finding)
        if atom.elsewhere:
            self.elsewhere.setdefault(atom.value, atom.elsewhere)
        if atom.receives:
            got = self.receives.setdefault(atom.value, {})
            for name in atom.receives:
                got.setdefault(name)

    @property
    def detail(self) -> str:
        """The one detail of a group told by its evidence ('' when it has none or several)."""
        if self.status != "said" or self.merged or len(self.details) != 1:
            return ""
        return next(iter(self.details))

    def phrase(self, shown: int, *, detail: bool = True) -> str:
        """What the group says, after its topic (``detail=False``: its evidence's head only,
        when the next group of its line tells the same detail)."""
        values = _listed(list(self.values), shown)
        if self.merged:
            for how, told in _ELSEWHERE.items():
                still = [v.rsplit(" (", 1)[0] for v in self.values if self.elsewhere.get(v) == how]
                if still:
                    values += f"; {told.format(_listed(still, shown))}"
            return values
        if self.status == "said":
            if self.detail:
                return f"{self.head}: {self.detail}" if detail else self.head
            if not values:
                return self.head
            for how, told in _ELSEWHERE.items():
                still = [v for v in self.values if self.elsewhere.get(v) == how]
                if still:
                    values += f"; {told.format(_listed(still, shown))}"
            return f"{self.head}: {values}"
        if self.status == "changed":
            details = list(self.details)
            more = len(details) - 2
            return "; ".join(details[:2]) + (f"; and {more} more" if more > 0 else "")
        plain = _STATUS_PHRASES[(self.status, self.negated)]
        verb = _WITH_VERBS.get((self.status, self.topic))
        if verb and self.receives and not self.negated:
            return _with(list(self.values), self.receives, verb, plain, shown)
        return f"{plain}: {values}"


_STATUS_PHRASES = {
    ("new", False): "newly stated",
    ("new", True): "now ruled out",
    ("gone", False): "no longer stated anywhere",
    ("gone", True): "no longer ruled out anywhere",
    ("also", False): "restated with new information",
    ("also", True): "ruled out again",
    ("still", False): "dropped here, still stated elsewhere",
    ("still", True): "no longer ruled out here, still ruled out elsewhere",
}
"""How a group of one status reads (and negation: a denial added or gone)."""
_ELSEWHERE = {
    "granted": "the new version still grants {} in another clause",
    "named": "the new version still names {}, but no sentence grants it",
    "stated": "the new version still states {} elsewhere",
}


def _elsewhere(key: FactKey, stated: Collection[FactKey], granted: Collection[FactKey]) -> str:
    if key[0] == "right":
        if key in granted:
            return "granted"
        return "named" if key in stated else ""
    return "stated" if key in stated else ""


def _listed(values: Sequence[str], shown: int) -> str:
    if len(values) <= shown:
        return ", ".join(values)
    return ", ".join(values[:shown]) + f" and {len(values) - shown} more"


_WITH_VERBS = {
    ("new", _TOPICS["recipient"]): "now receive",
    ("also", _TOPICS["recipient"]): "now receive",
    ("new", _TOPICS["pi-category"]): "now used for",
    ("also", _TOPICS["pi-category"]): "now used for",
    ("gone", _TOPICS["recipient"]): "no longer receive",
    ("still", _TOPICS["recipient"]): "no longer receive, in these clauses,",
}
"""How a group tells what its clauses state with each value (:data:`_MATE_KINDS`)."""


def _with(
    values: Sequence[str],
    mates: Mapping[str, Mapping[str, None]],
    verb: str,
    plain: str,
    shown: int,
) -> str:
    """'advertising partners now receive device information and log information; newly
    stated: affiliates'; values told with the same mates are joined ('device information and log
    information now used for marketing'), those without any told ``plain``."""
    told: dict[tuple[str, ...], list[str]] = {}
    for value in values[:shown]:
        told.setdefault(tuple(mates.get(value, {})), []).append(value)
    parts = []
    for got, named in told.items():
        parts.append(
            f"{_and(named)} {verb} {_and(list(got))}" if got else f"{plain}: {', '.join(named)}"
        )
    if len(values) > shown:
        parts.append(f"and {len(values) - shown} more")
    return "; ".join(parts)


def _and(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


@dataclass
class _Line:
    groups: list[_Group]

    @property
    def first(self) -> _Group:
        return self.groups[0]

    def clauses(self) -> list[str]:
        out: dict[str, None] = {}
        for g in self.groups:
            for c in g.clauses:
                out.setdefault(c)
        return list(out)

    def text(self, shown: int) -> str:
        phrases: list[str] = []
        topic = ""
        for k, g in enumerate(self.groups):
            following = self.groups[k + 1] if k + 1 < len(self.groups) else None
            shared = bool(g.detail) and following is not None and following.detail == g.detail
            phrase = g.phrase(shown, detail=not shared)
            phrases.append(phrase if g.topic == topic else f"{g.topic}: {phrase}")
            topic = g.topic
        note = f" {self.first.note}" if self.first.note else ""
        return f"{self.first.criterion} {'; '.join(phrases)} ({cite(self.clauses())}){note}"

    def result(self, shown: int) -> ReasonGroup:
        changes: dict[str, None] = {}
        findings: set[int] = set()
        for g in self.groups:
            changes.update(g.changes)
            findings |= set(g.findings)
        return ReasonGroup(
            criterion=self.first.criterion,
            level=max((g.level for g in self.groups), key=level_rank),
            topics=tuple(dict.fromkeys(g.topic for g in self.groups)),
            text=self.text(shown),
            clauses=tuple(self.clauses()),
            changes=tuple(changes),
            findings=len(findings),
        )


_ADDRESS_TAIL = regex(r"^(?P<base>.+?)(?P<tail> (?:¶|•|table |row ).*)$")


def cite(addresses: Sequence[str], limit: int = CITED_CHARS) -> str:
    """Clause addresses as a line cites them: those under one heading written once ('Your
    choices ¶2, ¶4'), groups separated by '; ', and after ``limit`` characters how many more
    there are ('… and 12 more')."""
    bases: dict[str, list[str]] = {}
    for address in addresses:
        m = _ADDRESS_TAIL.match(address)
        base, tail = (m.group("base"), m.group("tail").strip()) if m else (address, "")
        bases.setdefault(base, []).append(tail)
    parts: list[str] = []
    used = 0
    told = 0
    for base, tails in bases.items():
        named = [t for t in tails if t]
        part = base if not named else f"{base} {', '.join(named)}"
        if len(tails) > len(named) and named:
            part = f"{base}, {base} {', '.join(named)}"
        if parts and used + len(part) > limit:
            break
        parts.append(part)
        used += len(part) + 2
        told += len(tails)
    more = len(addresses) - told
    return "; ".join(parts) + (f" and {more} more" if more > 0 else "")


def _line_key(group: _Group, order: Mapping[str, int]) -> tuple[int, int, int, str]:
    overridden = 1 if group.level == "none" else 0
    return (
        overridden,
        -level_rank(group.level),
        order.get(group.criterion, len(order)),
        group.note,
    )


def _lines(groups: Iterable[_Group], order: Mapping[str, int]) -> list[_Line]:
    """Groups of one criterion (and level and verdict) that cite the same clauses, one line;
    lines ordered consent first, then the pack's order, the statuses in their order."""
    by_place: dict[tuple[object, ...], _Line] = {}
    for g in sorted(groups, key=lambda g: (*_line_key(g, order), _STATUS_ORDER[g.status])):
        key = (*_line_key(g, order), tuple(g.clauses))
        line = by_place.get(key)
        if line is None:
            by_place[key] = _Line([g])
        else:
            line.groups.append(g)
    return sorted(
        by_place.values(),
        key=lambda line: (*_line_key(line.first, order), _STATUS_ORDER[line.first.status]),
    )


def _merged(groups: Sequence[_Group], topic: str, status: str, negated: bool) -> _Group:
    """Groups of one criterion told as one: each value with its topic."""
    first = groups[0]
    out = _Group(first.criterion, first.level, first.note, topic, status, negated, "")
    out.merged = True
    for g in groups:
        out.level = max(out.level, g.level, key=level_rank)
        if g.status == "said":
            out.values.setdefault(g.head)
        prefix = "not " if g.negated and not negated else ""
        for v in g.values:
            told = f"{prefix}{v} ({g.topic.lower()})"
            out.values.setdefault(told)
            if v in g.elsewhere:
                out.elsewhere.setdefault(told, g.elsewhere[v])
        out.details.update(g.details)
        out.clauses.update(g.clauses)
        out.changes.update(g.changes)
        out.findings.update(g.findings)
    return out


def _coarsen(
    groups: list[_Group], order: Mapping[str, int], statuses: Collection[str]
) -> list[_Group]:
    """The groups of each criterion with one of ``statuses``, as one group per status (across
    topics, denials and evidence)."""
    out: list[_Group] = []
    together: dict[tuple[object, ...], list[_Group]] = {}
    for g in groups:
        if g.status in statuses:
            together.setdefault((*_line_key(g, order), _STATUS_TOPICS[g.status]), []).append(g)
        else:
            out.append(g)
    for members in together.values():
        status = members[0].status
        if len(members) == 1:
            out.append(members[0])
            continue
        negated = all(m.negated for m in members)
        out.append(_merged(members, _STATUS_TOPICS[status], status, negated))
    return out


def _by_criterion(lines: Sequence[_Line], order: Mapping[str, int]) -> list[_Line]:
    """Every criterion (and level and verdict) in one line."""
    out: dict[tuple[object, ...], _Line] = {}
    for line in lines:
        key = _line_key(line.first, order)
        if key in out:
            out[key].groups.extend(line.groups)
        else:
            out[key] = _Line(list(line.groups))
    for line in out.values():
        line.groups.sort(key=lambda g: (_STATUS_ORDER[g.status], g.topic))
    return list(out.values())


def group_reasons(
    changes: Sequence[Change],
    *,
    old_facts: PolicyFacts | None,
    new_facts: PolicyFacts | None,
    criteria_order: Sequence[str] = (),
    level_of: Callable[[Finding], Level],
    limit: int = MAX_REASONS,
) -> tuple[ReasonGroup, ...]:
    """The findings of ``changes`` grouped into at most ``limit`` lines (more only when the
    pack has more criteria than that); ``level_of`` gives the level a finding asks for
    (``none`` when a reviewer overrode it). ``old_facts`` / ``new_facts``: what each version
    says (without them every fact counts as new or gone)."""
    old_keys = old_facts.stated if old_facts is not None else frozenset()
    new_keys = new_facts.stated if new_facts is not None else frozenset()
    granted = {r.right.key for r in new_facts.rights} if new_facts is not None else set()
    names = {
        e.key: e.name
        for facts in (old_facts, new_facts)
        if facts is not None
        for e in facts.entries()
    }
    order = {c: k for k, c in enumerate(criteria_order)}
    groups: dict[tuple[object, ...], _Group] = {}
    index = 0
    for change in changes:
        for finding in change.findings:
            level = level_of(finding)
            for atom in _atoms(index, change, finding, level, old_keys, new_keys, names, granted):
                key = (
                    atom.criterion,
                    atom.level,
                    atom.note,
                    atom.topic,
                    atom.status,
                    atom.negated,
                    atom.head,
                )
                group = groups.get(key)
                if group is None:
                    group = groups[key] = _Group(
                        atom.criterion,
                        atom.level,
                        atom.note,
                        atom.topic,
                        atom.status,
                        atom.negated,
                        atom.head,
                    )
                group.add(atom)
            index += 1
    chosen = list(groups.values())
    lines = _lines(chosen, order)
    shown = VALUES_SHOWN
    for statuses in (("also", "still"), tuple(_STATUS_ORDER)):
        if len(lines) <= limit:
            break
        chosen = _coarsen(chosen, order, statuses)
        lines = _lines(chosen, order)
    if len(lines) > limit:
        shown = _VALUES_SHOWN_COARSE
        lines = _by_criterion(lines, order)
    return tuple(line.result(shown) for line in lines)
