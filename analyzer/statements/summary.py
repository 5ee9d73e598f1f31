"""What a policy says, as a whole: the facts of every clause gathered into one table per topic.

:func:`summarize_policy` reads a :class:`~analyzer.model.ClauseTree` and gives
:class:`PolicyFacts`: the controlling entity, the categories of personal information (sensitive
ones marked), the purposes, the recipients, the ways information is handled, the places it is
stored in or sent to, how long it is kept, the user's rights with the channels, reply deadlines
and fees of exercising them, the contact details, the responsible departments and where to
complain. Every :class:`Entry` keeps the addresses of the clauses that state it, so a reader can
check each line against the text. ``policy show POLICY@VERSION --facts`` prints it
(``policy-facts/1`` as JSON), the archive site shows it on every version page, and
:func:`compare_policy_facts` tells what a revision changed in it.

The version is read the way the statement model reads it (:mod:`analyzer.statements`):
passage by passage (a list item with its lead-in, a table row with its column headings:
"Recipient: advertising partners | Data: device information"), each fact in its role
(:func:`~analyzer.statements.roles.read_roles`: a word inside a product's or a document's name
is neither a recipient nor a data type), a category with its sub-type (a face among biometrics,
precise location), a denial ("we will not sell your information") as the clause's statements
read it, an entry of its own marked ``negated``. A right is listed where a statement grants,
limits or denies it, not wherever its name appears. A fact counts where a sentence states it: a
country counts as a place only in a sentence that stores, sends or collects information there
(not "the laws of the People's Republic of China"), a web address as a contact only in a
sentence about contacting or exercising a right. Clauses that only list topics (a table of
contents, and the clauses the caller names in ``skip``: the policy's own list of major
changes) state nothing and are left out.

Pure functions; no outside library.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analyzer.facts.extract import facts_of
from analyzer.facts.labels import fact_name, is_sensitive
from analyzer.facts.types import Fact
from analyzer.model import Clause, ClauseTree
from analyzer.statements.model import PolicyStatements, Statement
from analyzer.statements.passages import Passage, passages_of
from analyzer.statements.read import statements_of
from analyzer.statements.roles import facts_in_roles, subtype_of
from analyzer.text.scan import ascii_lower, piece_of, sentence_starts

__all__ = [
    "FACTS_SCHEMA",
    "SECTIONS",
    "Entry",
    "EntryChange",
    "FactsDelta",
    "PolicyFacts",
    "RightEntry",
    "compare_policy_facts",
    "facts_from_dict",
    "summarize_policy",
]

FACTS_SCHEMA = "policy-facts/1"
WORDS_KEPT = 6
"""Distinct wordings kept per entry (the first ones in the document)."""

_PLACE_ROLES = {
    "store": "storage",
    "collect": "collection",
    "transfer": "transfer",
    "cross-border": "transfer",
    "share": "transfer",
    "disclose": "transfer",
    "provide": "transfer",
    "entrust": "transfer",
}
"""Ways of handling that make a country in the same sentence a place where information is
kept, sent or gathered, and which role that is."""
_CONTACT_MATES = frozenset({"channel", "department", "complaint", "right", "email", "phone"})
"""Kinds whose presence in a sentence makes a web address in it a contact."""
_USE_MATES = frozenset({"processing"})
RELATED = {"recipient": ("pi-category", "receives"), "pi-category": ("purpose", "purposes")}
"""What an entry of a kind records of its sentences (:attr:`Entry.related`): the kind, and the
field of ``policy-facts/1`` that holds it."""
_GENERIC = frozenset({"service"})
"""Purposes too general to tell what a category is for ('to provide the service')."""
_AS_WRITTEN = frozenset({"phone", "email", "url", "address", "controller"})
"""Kinds named by the policy's own words (a phone number as written, a company's name)."""
_META_KEYS = ("title", "policy", "version", "updated", "effective", "language", "status")


@dataclass(frozen=True)
class Entry:
    """One thing the policy states, wherever it states it."""

    kind: str
    """The fact kind (:data:`~analyzer.facts.types.FACT_KINDS`)."""
    value: str
    """The canonical value (``advertisers``, ``4008013260``, ``15 days``)."""
    name: str
    """How a reader calls it (``advertising partners``; a phone number as first written)."""
    negated: bool
    """Stated as not done or not so: 'we will **not** share … with third parties'."""
    clauses: tuple[str, ...]
    """Addresses of the clauses that state it, in document order."""
    clause_ids: tuple[str, ...]
    """Ids of the same clauses (anchors of the archive site)."""
    words: tuple[str, ...]
    """The policy's own words for it, distinct, first ones first (at most :data:`WORDS_KEPT`)."""
    actions: tuple[str, ...] = ()
    """Ways of handling (``share``, ``entrust``, ``store`` …) stated in the same sentences,
    for categories, purposes, recipients and places."""
    related: tuple[str, ...] = ()
    """What the same sentences say with it: for a recipient, the categories of information it
    receives; for a category, the purposes it is used for (canonical values)."""
    sensitive: bool = False
    """A sensitive category of personal information (biometrics, identity documents, health,
    financial accounts, location, children's information, or "sensitive" unnamed)."""
    roles: tuple[str, ...] = ()
    """For a place: ``storage``, ``transfer``, ``collection`` (what its sentences do there);
    for a phone number: ``hotline`` when a sentence calls it one."""
    subtypes: tuple[str, ...] = ()
    """For a category: the more specific kinds its words name (``precise``, ``approximate``
    location; ``face``, ``fingerprint``, ``voice`` biometrics)."""
    status: str = ""
    """For a right: ``granted``, ``limited`` (under a condition, or 'only') or ``denied``, as
    the statements that grant it say (:attr:`~analyzer.statements.model.Statement.status`)."""

    @property
    def key(self) -> tuple[str, str, bool]:
        """What two entries must share to be the same statement: kind, value, negation."""
        return (self.kind, self.value, self.negated)

    @property
    def shown(self) -> str:
        """The name, with ``not`` in front for a denial."""
        return f"not {self.name}" if self.negated else self.name

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "value": self.value,
            "name": self.name,
            "negated": self.negated,
            "clauses": list(self.clauses),
            "clause_ids": list(self.clause_ids),
            "words": list(self.words),
        }
        if self.kind in ("pi-category", "purpose", "recipient", "location"):
            out["actions"] = list(self.actions)
        if self.kind in RELATED:
            out[RELATED[self.kind][1]] = list(self.related)
        if self.kind == "pi-category":
            out["sensitive"] = self.sensitive
            out["subtypes"] = list(self.subtypes)
        if self.kind == "right":
            out["status"] = self.status
        if self.kind in ("location", "phone"):
            out["roles"] = list(self.roles)
        return out


@dataclass(frozen=True)
class RightEntry:
    """A right of the user, with how it is exercised where the policy says so."""

    right: Entry
    """The right (``access``, ``delete``, ``withdraw-consent`` …)."""
    channels: tuple[Entry, ...] = ()
    """Ways of exercising it (a hotline, a console path, e-mail …) stated in the same section."""
    deadlines: tuple[Entry, ...] = ()
    """Reply deadlines stated in the same section."""
    fees: tuple[Entry, ...] = ()
    """Whether requests are free or charged, stated in the same section."""

    def to_dict(self) -> dict[str, Any]:
        out = self.right.to_dict()
        out["channels"] = [_brief(e) for e in self.channels]
        out["deadlines"] = [_brief(e) for e in self.deadlines]
        out["fees"] = [_brief(e) for e in self.fees]
        return out


def _brief(entry: Entry) -> dict[str, Any]:
    return {
        "value": entry.value,
        "name": entry.name,
        "negated": entry.negated,
        "clauses": list(entry.clauses),
    }


SECTIONS: tuple[tuple[str, str], ...] = (
    ("controller", "Controlling entity"),
    ("categories", "Categories of personal information"),
    ("purposes", "Purposes"),
    ("recipients", "Recipients"),
    ("handling", "Ways of handling"),
    ("places", "Places of storage and transfer"),
    ("retention", "Retention"),
    ("rights", "Rights"),
    ("channels", "Ways of exercising rights"),
    ("deadlines", "Reply deadlines"),
    ("fees", "Fees"),
    ("phones", "Phone numbers"),
    ("emails", "E-mail addresses"),
    ("addresses", "Postal addresses"),
    ("web", "Contact web addresses"),
    ("departments", "Responsible departments"),
    ("complaints", "Where to complain"),
)
"""The topics of :class:`PolicyFacts`, in the order views show them, with their titles."""


@dataclass(frozen=True)
class PolicyFacts:
    """What one version of a policy says, topic by topic (``policy-facts/1``)."""

    source: str
    """As in :attr:`~analyzer.model.ClauseTree.source`."""
    meta: Mapping[str, Any]
    """The front matter fields that name the version (title, policy, version, dates …)."""
    language: str
    sha256: str
    controller: tuple[Entry, ...] = ()
    """The entity in control of the information, by name (the word "controller" alone names
    none)."""
    categories: tuple[Entry, ...] = ()
    purposes: tuple[Entry, ...] = ()
    recipients: tuple[Entry, ...] = ()
    handling: tuple[Entry, ...] = ()
    """Ways of handling: collect, store, share, transfer abroad, sell, entrust …"""
    places: tuple[Entry, ...] = ()
    """Countries or regions where information is stored, sent or collected."""
    retention: tuple[Entry, ...] = ()
    rights: tuple[RightEntry, ...] = ()
    channels: tuple[Entry, ...] = ()
    """Every way of exercising a right or reaching the company the policy names."""
    deadlines: tuple[Entry, ...] = ()
    fees: tuple[Entry, ...] = ()
    phones: tuple[Entry, ...] = ()
    emails: tuple[Entry, ...] = ()
    addresses: tuple[Entry, ...] = ()
    web: tuple[Entry, ...] = ()
    departments: tuple[Entry, ...] = ()
    complaints: tuple[Entry, ...] = ()
    left_out: tuple[str, ...] = field(default=())
    """Addresses of clauses not read as statements (a table of contents, the list of major
    changes)."""
    stated: frozenset[tuple[str, str, bool]] = field(default=frozenset(), repr=False)
    """The (kind, value, negated) of every fact of every clause read, whatever its kind or
    sentence (a company named anywhere, a country in a postal address): what
    :meth:`states` answers from."""

    def section(self, name: str) -> tuple[Entry, ...]:
        """The entries of one topic of :data:`SECTIONS` (rights as their :class:`Entry`)."""
        if name == "rights":
            return tuple(r.right for r in self.rights)
        value: tuple[Entry, ...] = getattr(self, name)
        return value

    def entries(self) -> Iterable[Entry]:
        """Every entry of every topic, in :data:`SECTIONS` order."""
        for name, _ in SECTIONS:
            yield from self.section(name)

    def keys(self) -> frozenset[tuple[str, str, bool]]:
        """The (kind, value, negated) of every entry of the topics."""
        return frozenset(e.key for e in self.entries())

    def states(self, key: tuple[str, str, bool]) -> bool:
        """Whether any clause read states this fact (kind, value, negated), in any sentence."""
        return key in self.stated

    def to_dict(self) -> dict[str, Any]:
        """The ``policy-facts/1`` JSON of ``policy show --facts --format json``."""
        out: dict[str, Any] = {
            "schema": FACTS_SCHEMA,
            "source": self.source,
            "meta": dict(self.meta),
            "language": self.language,
            "sha256": self.sha256,
        }
        for name, _ in SECTIONS:
            if name == "rights":
                out["rights"] = [r.to_dict() for r in self.rights]
            else:
                out[name] = [e.to_dict() for e in self.section(name)]
        out["left_out"] = list(self.left_out)
        return out


# --------------------------------------------------------------------------- reading a tree


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


@dataclass
class _Found:
    """One entry while the tree is read."""

    first: int
    kind: str
    value: str
    negated: bool
    clauses: dict[str, str] = field(default_factory=dict)
    """Clause id -> address, in document order."""
    words: dict[str, str] = field(default_factory=dict)
    """Case-folded wording -> the wording as first written."""
    actions: dict[str, None] = field(default_factory=dict)
    related: dict[str, None] = field(default_factory=dict)
    roles: dict[str, None] = field(default_factory=dict)
    subtypes: dict[str, None] = field(default_factory=dict)
    statuses: dict[str, None] = field(default_factory=dict)
    sections: dict[str, None] = field(default_factory=dict)
    """Ids of the top-level clauses the entry is stated under."""

    def entry(self) -> Entry:
        name = fact_name(self.kind, self.value)
        if self.kind in _AS_WRITTEN and self.words:
            name = next(iter(self.words.values()))
        return Entry(
            kind=self.kind,
            value=self.value,
            name=name,
            negated=self.negated,
            clauses=tuple(self.clauses.values()),
            clause_ids=tuple(self.clauses),
            words=tuple(list(self.words.values())[:WORDS_KEPT]),
            actions=tuple(self.actions),
            related=tuple(self.related),
            sensitive=self.kind == "pi-category" and is_sensitive(self.value),
            roles=tuple(self.roles),
            subtypes=tuple(self.subtypes),
            status=next((s for s in ("granted", "limited", "denied") if s in self.statuses), ""),
        )

    def add(self, clause: str, address: str, words: str, top: str) -> None:
        self.clauses.setdefault(clause, address)
        if words:
            self.words.setdefault(" ".join(words.split()).casefold(), words)
        self.sections.setdefault(top)


def _top(clause: Clause, index: Mapping[str, Clause]) -> str:
    current = clause
    while current.parent is not None and current.parent in index:
        current = index[current.parent]
    return current.id


def _sentences(text: str, facts: Sequence[Fact]) -> dict[int, list[Fact]]:
    starts = sentence_starts(ascii_lower(text))
    out: dict[int, list[Fact]] = {}
    for f in facts:
        out.setdefault(piece_of(starts, f.span[0]), []).append(f)
    return out


@dataclass(frozen=True)
class _Mates:
    """What one sentence states, gathered once: the facts of a sentence are read against it
    (a sentence of a hostile text can hold a hundred thousand facts)."""

    kinds: frozenset[str]
    actions: tuple[str, ...]
    """Its ways of handling, distinct, in order."""
    hotline: bool
    related: Mapping[str, tuple[str, ...]]
    """Kind -> its values stated, not denied (generic purposes left out), distinct."""

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> _Mates:
        related: dict[str, dict[str, None]] = {}
        for f in facts:
            if not f.negated and f.value not in _GENERIC:
                related.setdefault(f.kind, {}).setdefault(f.value)
        return cls(
            kinds=frozenset(f.kind for f in facts),
            actions=tuple(dict.fromkeys(f.value for f in facts if f.kind in _USE_MATES)),
            hotline=any(f.kind == "channel" and f.value == "hotline" for f in facts),
            related={kind: tuple(values) for kind, values in related.items()},
        )

    def counts(self, fact: Fact) -> bool:
        """Whether a fact is a statement of its topic where it stands."""
        if fact.kind == "location":
            return "recipient" in self.kinds or any(a in _PLACE_ROLES for a in self.actions)
        if fact.kind == "url":
            return bool(self.kinds & _CONTACT_MATES)
        if fact.kind == "controller":
            return fact.value != "controller"
        return True


def summarize_policy(
    tree: ClauseTree,
    *,
    skip: Collection[str] = (),
    statements: PolicyStatements | None = None,
) -> PolicyFacts:
    """What ``tree`` says, topic by topic. ``skip`` names clauses (by id) that state nothing
    (the policy's own list of the changes it calls major); tables of contents are always left
    out. ``statements``: the tree's statements, when the caller has them
    (:func:`~analyzer.statements.read.statements_of`). Deterministic: entries in order of
    first appearance, denials after.

    The tree is read the way the statement model reads it: passage by passage (a list item with
    its lead-in, a table row with its column headings), each fact in its role (a word inside a
    product's name or a document's title is neither a recipient nor a data type; an identity
    document is one category), categories with their sub-types. Rights are those the
    statements grant, limit or deny, not every mention of a right's name."""
    index = tree.by_id()
    if statements is None:
        statements = statements_of(tree, exclude=_too_long)
    found: dict[tuple[str, str, bool], _Found] = {}
    left_out: list[str] = []
    stated: set[tuple[str, str, bool]] = set()
    passages = {p.clause: p for p in passages_of(tree)}
    practices: dict[str, list[Statement]] = {}
    for statement in statements.of_kind("practice"):
        practices.setdefault(statement.clause, []).append(statement)
    for clause in tree.clauses:
        if clause.kind == "contents" or clause.id in skip:
            left_out.append(clause.address)
            continue
        passage = passages.get(clause.id)
        if passage is None:
            continue
        text = passage.text
        facts = facts_in_roles(text, tree.language)
        stated.update(f.key for f in facts)
        top = _top(clause, index)
        polarities = _polarities(practices.get(clause.id, ()))
        for sentence in _sentences(text, facts).values():
            mates = _Mates.of(sentence)
            for fact in sentence:
                if fact.span[0] < passage.own or fact.kind == "right":
                    continue  # a lead-in's own words count in the lead-in; rights below
                if not mates.counts(fact):
                    continue
                key = (fact.kind, fact.value, _denied(fact, polarities))
                entry = found.get(key)
                if entry is None:
                    entry = found[key] = _Found(len(found), *key)
                entry.add(clause.id, clause.address, fact.text, top)
                if fact.kind in ("pi-category", "purpose", "recipient", "location"):
                    for action in mates.actions:
                        if action != fact.value:
                            entry.actions.setdefault(action)
                if fact.kind == "pi-category":
                    _, _, sub = subtype_of(text, fact).partition("/")
                    if sub:
                        entry.subtypes.setdefault(sub)
                if fact.kind in RELATED and not fact.negated:
                    for value in mates.related.get(RELATED[fact.kind][0], ()):
                        entry.related.setdefault(value)
                if fact.kind == "location":
                    for action in mates.actions:
                        if action in _PLACE_ROLES:
                            entry.roles.setdefault(_PLACE_ROLES[action])
                    if "recipient" in mates.kinds:
                        entry.roles.setdefault("transfer")  # a recipient there receives it
                if fact.kind == "phone" and mates.hotline:
                    entry.roles.setdefault("hotline")
    granting = _rights(statements, index, passages, skip, tree.language, len(found))
    for key, right in granting.items():
        found[key] = right
    ordered = sorted(found.values(), key=lambda f: (f.negated, f.first))

    def of(kind: str) -> tuple[Entry, ...]:
        return tuple(f.entry() for f in ordered if f.kind == kind)

    exercise = {k: [f for f in ordered if f.kind == k] for k in ("channel", "deadline", "fee")}
    rights = tuple(
        RightEntry(
            right=f.entry(),
            channels=_stated_with(f, exercise["channel"], by="clauses"),
            deadlines=_stated_with(f, exercise["deadline"], by="sections"),
            fees=_stated_with(f, exercise["fee"], by="sections"),
        )
        for f in ordered
        if f.kind == "right"
    )
    return PolicyFacts(
        source=tree.source,
        meta={k: _plain(tree.meta[k]) for k in _META_KEYS if k in tree.meta},
        language=tree.language,
        sha256=tree.sha256,
        controller=of("controller"),
        categories=of("pi-category"),
        purposes=of("purpose"),
        recipients=of("recipient"),
        handling=of("processing"),
        places=of("location"),
        retention=of("retention"),
        rights=rights,
        channels=of("channel"),
        deadlines=of("deadline"),
        fees=of("fee"),
        phones=of("phone"),
        emails=of("email"),
        addresses=of("address"),
        web=of("url"),
        departments=of("department"),
        complaints=of("complaint"),
        left_out=tuple(left_out),
        stated=frozenset(stated),
    )


def _polarities(practices: Sequence[Statement]) -> dict[tuple[str, str], set[str]]:
    """(kind, value) -> the polarities of a clause's practice statements about it (as their
    object, recipient, purpose, place or action)."""
    out: dict[tuple[str, str], set[str]] = {}
    for s in practices:
        about = [("processing", s.action)]
        about += [("pi-category", o.split("/", 1)[0]) for o in s.objects]
        about += [("recipient", r) for r in s.recipients]
        about += [("purpose", p) for p in s.purposes]
        about += [("location", p) for p in s.places]
        for key in about:
            out.setdefault(key, set()).add(s.polarity)
    return out


def _denied(fact: Fact, polarities: Mapping[tuple[str, str], set[str]]) -> bool:
    """Whether the clause denies the fact: as its practice statements read it (a negation that
    governs the verb: 'we will never sell', not 'we do not need your consent to collect'),
    where they are all of one polarity about it; else as the extractor read it."""
    found = polarities.get((fact.kind, fact.value), set())
    if len(found) == 1:
        return found == {"denied"}
    return fact.negated


STATEMENT_PASSAGE_LIMIT = 10_000
"""Longest passage (characters) read for statements: the statement reader's cost grows with a
sentence's length times its verbs, and no clause of a real policy comes near this (a hostile
megabyte line does); a longer passage is summarised from its facts alone (denials as the
extractor reads them, no right granted)."""


def _too_long(text: str) -> bool:
    return len(text) > STATEMENT_PASSAGE_LIMIT


def _rights(
    statements: PolicyStatements,
    index: Mapping[str, Clause],
    passages: Mapping[str, Passage],
    skip: Collection[str],
    language: str,
    first: int,
) -> dict[tuple[str, str, bool], _Found]:
    """The user's rights as the statements grant, limit or deny them, in the words of the
    clauses that do (a way of exercising one a statement names, ``channel:…``, is stated in its
    clause)."""
    out: dict[tuple[str, str, bool], _Found] = {}
    wordings: dict[str, dict[str, str]] = {}
    for statement in statements.of_kind("right"):
        clause = index.get(statement.clause)
        if statement.actor != "user" or clause is None or clause.id in skip:
            continue
        key = ("right", statement.action, statement.status == "denied")
        entry = out.get(key)
        if entry is None:
            entry = out[key] = _Found(first + len(out), *key)
        if clause.id not in wordings:
            passage = passages.get(clause.id)
            said: dict[str, str] = {}
            for f in facts_of(passage.text, language) if passage is not None else ():
                if f.kind == "right":
                    said.setdefault(f.value, f.text)
            wordings[clause.id] = said
        words = wordings[clause.id].get(statement.action, "")
        entry.add(
            clause.id,
            clause.address,
            words or fact_name("right", statement.action),
            _top(clause, index),
        )
        entry.statuses.setdefault(statement.status)
    return out


def _stated_with(
    right: _Found, others: Sequence[_Found], *, by: Literal["clauses", "sections"]
) -> tuple[Entry, ...]:
    """The entries of ``others`` stated with ``right``: in one of its clauses (a way of
    exercising it: 'withdraw your consent in [My AliCloud] - "Account Center"'), or under one of
    the top-level sections that state it (a reply deadline or a fee, which a policy states once
    for every request of its section on rights)."""
    return tuple(o.entry() for o in others if any(s in getattr(right, by) for s in getattr(o, by)))


# --------------------------------------------------------------------------- two versions


@dataclass(frozen=True)
class EntryChange:
    """An entry both versions state, with something else stated with it."""

    old: Entry
    new: Entry

    @property
    def gained(self) -> tuple[str, ...]:
        """Values now stated with it (:attr:`Entry.related`, a place's roles) that were not."""
        return tuple(v for v in self._with(self.new) if v not in self._with(self.old))

    @property
    def lost(self) -> tuple[str, ...]:
        """Values no longer stated with it."""
        return tuple(v for v in self._with(self.old) if v not in self._with(self.new))

    @staticmethod
    def _with(entry: Entry) -> tuple[str, ...]:
        return entry.related + entry.roles

    def names(self, values: Sequence[str]) -> tuple[str, ...]:
        """The values by name (roles as they are)."""
        kind = RELATED.get(self.new.kind, ("", ""))[0]
        return tuple(fact_name(kind, v) if kind else v for v in values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry": self.new.to_dict(),
            "gained": list(self.gained),
            "lost": list(self.lost),
        }


Topic = tuple[str, tuple[Entry, ...]]


@dataclass(frozen=True)
class FactsDelta:
    """What a revision changed in what the policy says: per topic, the entries only the new
    version states, those only the old one did, and those both state with something else
    (a recipient that now receives another category of information)."""

    added: tuple[Topic, ...]
    """(topic of :data:`SECTIONS`, entries of the new version the old did not state), for the
    topics with any."""
    removed: tuple[Topic, ...]
    """(topic, entries of the old version the new no longer states)."""
    changed: tuple[tuple[str, tuple[EntryChange, ...]], ...] = ()
    """(topic, entries both state whose :attr:`Entry.related` or roles differ)."""

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def topics(
        self,
    ) -> list[tuple[str, str, tuple[Entry, ...], tuple[Entry, ...], tuple[EntryChange, ...]]]:
        """(topic, title, added, removed, changed) for every topic with a difference, in
        :data:`SECTIONS` order."""
        added, removed, changed = dict(self.added), dict(self.removed), dict(self.changed)
        return [
            (name, title, added.get(name, ()), removed.get(name, ()), changed.get(name, ()))
            for name, title in SECTIONS
            if name in added or name in removed or name in changed
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            name: {
                "added": [e.to_dict() for e in plus],
                "removed": [e.to_dict() for e in minus],
                "changed": [c.to_dict() for c in other],
            }
            for name, _, plus, minus, other in self.topics()
        }


def compare_policy_facts(old: PolicyFacts, new: PolicyFacts) -> FactsDelta:
    """Entries stated by one version and not the other, topic by topic, and entries both state
    with other things (what a recipient receives, what a category is used for, whether a place
    stores or receives). An entry that moved to another clause, or is stated in more or fewer
    clauses, is the same entry: only what the policy as a whole says counts."""
    added: list[Topic] = []
    removed: list[Topic] = []
    changed: list[tuple[str, tuple[EntryChange, ...]]] = []
    for name, _ in SECTIONS:
        before = {e.key: e for e in old.section(name)}
        after = {e.key: e for e in new.section(name)}
        plus = tuple(e for k, e in after.items() if k not in before)
        minus = tuple(e for k, e in before.items() if k not in after)
        other = tuple(
            c
            for k, e in after.items()
            if k in before
            for c in [EntryChange(before[k], e)]
            if c.gained or c.lost
        )
        if plus:
            added.append((name, plus))
        if minus:
            removed.append((name, minus))
        if other:
            changed.append((name, other))
    return FactsDelta(added=tuple(added), removed=tuple(removed), changed=tuple(changed))


# --------------------------------------------------------------------------- reading it back


def _entry_from_dict(kind: str, data: Mapping[str, Any]) -> Entry:
    return Entry(
        kind=str(data.get("kind", kind)),
        value=str(data["value"]),
        name=str(data["name"]),
        negated=bool(data["negated"]),
        clauses=tuple(data["clauses"]),
        clause_ids=tuple(data.get("clause_ids", ())),
        words=tuple(data.get("words", ())),
        actions=tuple(data.get("actions", ())),
        related=tuple(data.get(RELATED[kind][1], ())) if kind in RELATED else (),
        sensitive=bool(data.get("sensitive", False)),
        roles=tuple(data.get("roles", ())),
        subtypes=tuple(data.get("subtypes", ())),
        status=str(data.get("status", "")),
    )


_SECTION_KINDS = {
    "controller": "controller",
    "categories": "pi-category",
    "purposes": "purpose",
    "recipients": "recipient",
    "handling": "processing",
    "places": "location",
    "retention": "retention",
    "rights": "right",
    "channels": "channel",
    "deadlines": "deadline",
    "fees": "fee",
    "phones": "phone",
    "emails": "email",
    "addresses": "address",
    "web": "url",
    "departments": "department",
    "complaints": "complaint",
}
"""The fact kind of each topic of :data:`SECTIONS`."""


def facts_from_dict(data: Mapping[str, Any]) -> PolicyFacts:
    """The :class:`PolicyFacts` a ``policy-facts/1`` document describes (the archive site keeps
    them in its cache). Raises ``KeyError``, ``TypeError`` or ``ValueError`` on a malformed
    one. :attr:`PolicyFacts.stated` is not part of the document and comes back empty."""
    if data.get("schema") != FACTS_SCHEMA:
        raise ValueError(f"not a {FACTS_SCHEMA} document")
    sections: dict[str, Any] = {}
    for name, kind in _SECTION_KINDS.items():
        if name == "rights":
            sections[name] = tuple(
                RightEntry(
                    right=_entry_from_dict(kind, r),
                    channels=tuple(_entry_from_dict("channel", e) for e in r["channels"]),
                    deadlines=tuple(_entry_from_dict("deadline", e) for e in r["deadlines"]),
                    fees=tuple(_entry_from_dict("fee", e) for e in r["fees"]),
                )
                for r in data[name]
            )
        else:
            sections[name] = tuple(_entry_from_dict(kind, e) for e in data[name])
    return PolicyFacts(
        source=str(data["source"]),
        meta=dict(data["meta"]),
        language=str(data["language"]),
        sha256=str(data["sha256"]),
        left_out=tuple(data.get("left_out", ())),
        **sections,
    )
