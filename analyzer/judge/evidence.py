"""What the detectors of :mod:`analyzer.judge.classify` look at: a revision's facts, seen per change
and across the whole document.

:class:`Context` holds one revision: both clause trees, the criteria pack, the embedder and
an inventory of what each version states anywhere (fact keys, and which categories,
purposes, recipients, rights and channels it states together in one sentence).
:meth:`Context.view` gives a :class:`ChangeView` of one change: its texts, its facts, and the
fact differences that matter for the whole document (:class:`Kept`):

- a fact the change adds counts when the old version never stated it anywhere (*new to the
  policy*), or when its sentence puts it together with a category, purpose, recipient, right
  or channel in a way the old version never did (*new use*: location data now used for
  advertising, consent now withdrawn by e-mail);
- a fact the change removes counts when the new version no longer states it anywhere, or
  when a pairing of its sentence is gone from the new version;
- anything else is a sentence that moved or was restated, and counts for nothing.

Clauses that only list the criteria themselves (the seed's 9.4.1-9.4.6, a Chinese policy's
重大变更 list) are left out of the inventory: naming "high risks" among the criteria is not a
statement that a risk exists.

Negation and modal-verb changes are found by :mod:`analyzer.judge.cues`; the words and
sentences of a change's text are read by :mod:`analyzer.judge.wording`.

Pure functions; no outside library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from analyzer.diff.embedding import Embedder
from analyzer.diff.tripwires import find_tripwires
from analyzer.facts.compare import diff_facts
from analyzer.facts.extract import facts_of
from analyzer.facts.items import Item, delta_items
from analyzer.facts.types import USE_KINDS, Fact, FactChange, FactDelta
from analyzer.judge.criteria import CriteriaPack, Criterion
from analyzer.judge.cues import CueChange
from analyzer.judge.wording import (
    clause_around,
    content_words,
    criteria_repeated,
    criteria_wordings,
    facts_in,
    has_term,
    quote,
    sentence_at,
    spec_matches,
)
from analyzer.model import Change, ClauseRef, ClauseTree, Finding
from analyzer.statements import (
    PolicyStatements,
    Statement,
    StatementChange,
    StatementDelta,
    compare_statements,
    statements_of,
)
from analyzer.statements.compare import channel_type, channel_types
from analyzer.statements.passages import clause_text
from analyzer.text.compiled import regex
from analyzer.text.scan import ascii_lower, piece_of, sentence_starts

FactKey = tuple[str, str, bool]
Side = Literal["old", "new"]

PAIRING_KINDS = frozenset(
    {"pi-category", "purpose", "recipient", "processing", "location", "right", "channel"}
)
"""Kinds whose co-occurrence in one sentence is itself a statement (what is used for what,
given to whom, exercised how)."""
_PAIR_GROUPS = {
    "pi-category": "use",
    "purpose": "use",
    "recipient": "use",
    "processing": "use",
    "location": "use",
    "right": "rights",
    "channel": "rights",
    "email": "rights",
    "phone": "rights",
    "url": "rights",
    "address": "rights",
}
_PARTNER_ONLY = frozenset({"email", "phone", "url", "address"})
"""Kinds that pair with a right as a way of exercising it, whatever their value (an e-mail
address, a phone number); they are never kept because of a pairing themselves."""
_CONTACT_VALUES = _PARTNER_ONLY - {"url"}
_GENERIC_PROCESSING = frozenset({"collect", "store"})
_USER_ABILITY = regex(
    r"(?<![a-z])(?:you|users?)(?: [a-z]+){0,3} (?:can|may|could|have the right|has the right"
    r"|are entitled|is entitled|are able|will be able|cannot|can't|may not|no longer)(?![a-z])"
    r"|(?<![a-z])(?:right to|rights to|request|requests|requested|requesting|ask us)(?![a-z])"
    r"|(?<![a-z])(?:can|cannot|can't|could|may|may not|can no longer) be (?:[a-z]+ )?[a-z]+e[dn]"
    r"(?![a-z])"
    r"|您可以|您有权|您可|请求|申请|要求我们|不可|不能|无法"
)
"""A sentence in which the user does, may or asks something, or in which something can or
cannot be done ('cannot be corrected once submitted'): where a right is stated."""


def _host(fact: Fact) -> str:
    return fact.value.split("/", 1)[0]


def _label(fact: Fact) -> str:
    if fact.kind in _PARTNER_ONLY:
        return f"{fact.kind}:*"
    return f"{fact.kind}:{fact.value}"


def _pairable(fact: Fact) -> bool:
    return fact.kind in _PAIR_GROUPS and not fact.negated and fact.value not in _GENERIC_PROCESSING


def sentence_pairs(text: str, facts: Sequence[Fact]) -> dict[str, set[str]]:
    """For each fact label of :data:`PAIRING_KINDS` (not denied), the labels it is stated
    together with in some sentence of ``text`` (same group, other kind)."""
    starts = sentence_starts(ascii_lower(text))
    by_sentence: dict[int, set[str]] = {}
    for f in facts:
        if _pairable(f):
            by_sentence.setdefault(piece_of(starts, f.span[0]), set()).add(_label(f))
    out: dict[str, set[str]] = {}
    for labels in by_sentence.values():
        for a in labels:
            for b in labels:
                if _pairs_with(a.split(":", 1)[0], b.split(":", 1)[0]):
                    out.setdefault(a, set()).add(b)
    return out


def _pairs_with(ka: str, kb: str) -> bool:
    """Two kinds whose co-occurrence is a statement: different kinds of the use group, or a
    right with a way of exercising it (a channel and an e-mail address name one way)."""
    if ka == kb or _PAIR_GROUPS[ka] != _PAIR_GROUPS[kb]:
        return False
    return _PAIR_GROUPS[ka] == "use" or "right" in (ka, kb)


def _fact_pairs(text: str, facts: Sequence[Fact], fact: Fact) -> set[str]:
    """Labels stated together with ``fact`` in its own sentence of ``text``."""
    if fact.kind not in PAIRING_KINDS or not _pairable(fact):
        return set()
    starts = sentence_starts(ascii_lower(text))
    own = piece_of(starts, fact.span[0])
    return {
        _label(f)
        for f in facts
        if _pairable(f) and _pairs_with(fact.kind, f.kind) and piece_of(starts, f.span[0]) == own
    }


# --------------------------------------------------------------------------- fact items


@dataclass(frozen=True)
class Kept:
    """A fact difference that matters for the whole document, and why."""

    item: Item
    confidence: float
    """0.9 new to or gone from the policy; 0.75 a new or lost pairing."""
    why: str
    """``new to the policy``, ``no longer in the policy``, ``newly stated with …``, ``no
    longer stated with …``."""
    mates: tuple[str, ...] = ()
    """For a new or lost pairing: the labels it is newly (or no longer) stated with."""

    @property
    def only_paired(self) -> bool:
        """Kept only because of whom or what it is now (or no longer) stated with."""
        return bool(self.mates)


_KIND_LABELS = {
    "phone": "phone number",
    "email": "e-mail address",
    "address": "postal address",
    "department": "responsible department",
    "complaint": "complaint channel",
    "url": "contact web address",
    "channel": "way of exercising rights",
    "pi-category": "category of information",
    "purpose": "purpose",
    "recipient": "recipient",
    "processing": "way of handling information",
    "location": "place of storage or transfer",
    "retention": "retention period",
    "right": "right",
    "deadline": "reply deadline",
    "fee": "fee",
    "organisation": "company",
    "controller": "controller",
    "ownership": "change of ownership or control",
    "risk": "risk",
    "commitment": "commitment on the user's rights",
    "duration": "time limit",
    "money": "amount",
}
_VALUED = frozenset({"pi-category", "purpose", "recipient", "right", "location", "processing"})
_VALUED |= {"ownership", "risk", "channel"}


def kind_label(kind: str) -> str:
    """How a reader calls a fact kind: ``phone`` -> ``phone number``."""
    return _KIND_LABELS.get(kind, kind)


def _counterpart(item: Item, view: ChangeView) -> Fact | None:
    """For a denial added or removed alone ('we will not charge a fee' gone): the fact of the
    same kind and value stated the other way on the other side of the change ('We will charge
    a fee for every request'), if there is one."""
    fact = item.any
    others = view.new_facts if item.after is None else view.old_facts
    return next(
        (
            f
            for f in others
            if f.kind == fact.kind and f.value == fact.value and f.negated != fact.negated
        ),
        None,
    )


def shown_words(item: Item, view: ChangeView) -> tuple[str, str]:
    """The before and after words a reader is shown for an item: the facts' own words, except
    for a denial added or removed alone, where the fact's words ('charge a fee') would read as
    the opposite of what changed: then the clause around the denial, and the clause that now
    (or before) states the same thing the other way, if any."""
    if item.direction == "changed" or not item.any.negated:
        return item.words()
    other = _counterpart(item, view)
    if item.after is None:
        assert item.before is not None
        old = clause_around(view.old_text, item.before.span[0])
        new = clause_around(view.new_text, other.span[0]) if other else ""
        return old or item.before.text, new
    old = clause_around(view.old_text, other.span[0]) if other else ""
    return old, clause_around(view.new_text, item.after.span[0]) or item.after.text


def describe(item: Item, view: ChangeView) -> str:
    """One line of evidence: ``hotline number changed: 400-80-13260 -> 95187``; for a denial
    removed or added alone, ``fee no longer ruled out: 'we will not charge a fee in
    principle' -> 'We will charge a fee for every request you make'``."""
    label = kind_label(item.kind)
    if item.kind == "phone" and re.search(r"hotline|热线", ascii_lower(view.sentences(item))):
        label = "hotline number"
    elif item.kind in _VALUED and not item.any.value.startswith("path:"):
        label = f"{label} ({item.any.value})"
    before, after = item.words()
    if item.before is not None and item.after is not None:
        if item.how in ("negated", "affirmed"):
            verb = "now denied" if item.how == "negated" else "no longer denied"
            return f"{label} {verb}: '{quote(view.sentence(item.before, 'old'))}' -> '{quote(view.sentence(item.after, 'new'))}'"
        verb = {"increased": "lengthened", "decreased": "shortened"}.get(item.how, "changed")
        if item.kind in ("fee", "money"):
            verb = {"increased": "raised", "decreased": "lowered"}.get(item.how, "changed")
        return f"{label} {verb}: {quote(before)} -> {quote(after)}"
    if item.any.negated:
        before, after = shown_words(item, view)
        verb = "now ruled out" if item.after is not None else "no longer ruled out"
        shown = " -> ".join(f"'{quote(w)}'" for w in (before, after) if w)
        return f"{label} {verb}: {shown}"
    if item.after is not None:
        return f"{label} added: {quote(after)}"
    return f"{label} removed: {quote(before)}"


def _object_of_right(text: str, facts: Sequence[Fact], fact: Fact) -> bool:
    """A use fact (a purpose, a category …) in a sentence where the user does or may do
    something with a right ('you can object to our use of it for direct marketing', 您可以
    关闭个性化推荐): what the right is about, not a statement of processing."""
    own = facts_in(text, facts, fact.span[0])
    if not any(f.kind == "right" for f in own):
        return False
    return _USER_ABILITY.search(ascii_lower(sentence_at(text, fact.span[0]))) is not None


# --------------------------------------------------------------------------- the revision


@dataclass
class ChangeView:
    """What the detectors need to know about one change, computed once per revision."""

    change: Change
    old_text: str
    new_text: str
    old_facts: tuple[Fact, ...]
    new_facts: tuple[Fact, ...]
    kept: tuple[Kept, ...]
    """Fact differences that matter for the whole document, in text order."""
    delta: FactDelta
    """The same differences as a :class:`FactDelta` (for the pack's restriction patterns)."""
    old_headings: str
    """Headings of the sections the old clauses sit in, outermost first, lower case."""
    new_headings: str
    old_clause: str | None
    new_clause: str | None
    tripwire_kinds: frozenset[str]
    cues: tuple[CueChange, ...] | None = field(default=None, repr=False)

    def in_heading(self, item: Item) -> bool:
        """The item's fact stands in the heading of its clause, not in its text."""
        for fact, refs in ((item.before, self.change.old), (item.after, self.change.new)):
            if fact is None or len(refs) != 1 or not refs[0].title:
                continue
            if fact.span[1] <= len(refs[0].title):
                return True
        return False

    def sentence(self, fact: Fact, side: Side) -> str:
        return sentence_at(self.old_text if side == "old" else self.new_text, fact.span[0])

    def sentence_facts(self, item: Item) -> tuple[Fact, ...]:
        """Facts of the item's old and new sentences."""
        out: tuple[Fact, ...] = ()
        if item.before is not None:
            out += facts_in(self.old_text, self.old_facts, item.before.span[0])
        if item.after is not None:
            out += facts_in(self.new_text, self.new_facts, item.after.span[0])
        return out

    def sentences(self, item: Item) -> str:
        """The item's old and new sentences together (for context words)."""
        parts = []
        if item.before is not None:
            parts.append(self.sentence(item.before, "old"))
        if item.after is not None:
            parts.append(self.sentence(item.after, "new"))
        return " ".join(parts)

    def finding(
        self,
        criterion: Criterion,
        detector: str,
        evidence: str,
        *,
        before: str,
        after: str,
        confidence: float,
        facts: Iterable[str] = (),
        restricts_rights: bool = False,
    ) -> Finding:
        """A :class:`Finding` on this change."""
        return Finding(
            criterion=criterion.id,
            detector=detector,
            change=self.change.id,
            evidence=evidence,
            before=before,
            after=after,
            confidence=round(confidence, 3),
            old_clause=self.old_clause,
            new_clause=self.new_clause,
            restricts_rights=restricts_rights,
            facts=tuple(dict.fromkeys(facts)),
        )


_MAJOR_CHANGES = regex(
    r"(?<![a-z])(?:major|material|significant|substantial|substantive|important)\s+"
    r"(?:change|changes|revision|revisions|update|updates|modification|modifications)(?![a-z])"
    r"|重大(?:变更|变化|调整|修改|修订)|重要变更",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Inventory:
    keys: frozenset[FactKey]
    """Every fact a version states (outside its list of criteria)."""
    pairs: dict[str, set[str]]
    """Fact label -> labels stated with it in some sentence."""
    sentences: dict[FactKey, list[set[str]]]
    """Fact key -> the word sets of the sentences that state it."""


_Stated = tuple[tuple[Fact, ...], dict[str, set[str]], tuple[tuple[FactKey, frozenset[str]], ...]]
"""What one clause states for the inventory: its facts, the labels stated together, and the
words of the sentence of each fact outside the use group."""


class Context:
    """A revision as the detectors see it: both trees, the pack, what each version states
    anywhere, and the embedder. One per classification; views of changes are cached."""

    def __init__(
        self,
        old: ClauseTree,
        new: ClauseTree,
        pack: CriteriaPack,
        embedder: Embedder | None = None,
    ) -> None:
        self.old = old
        self.new = new
        self.pack = pack
        self.embedder = embedder
        self.language = "zh" if new.language.startswith("zh") else "en"
        self.old_index = old.by_id()
        self.new_index = new.by_id()
        self._wordings = criteria_wordings(pack)
        self._stated_by_text: dict[str, _Stated | None] = {}
        self.old_inventory = self._inventory(old)
        self.new_inventory = self._inventory(new)
        self.warnings: list[str] = []
        self.scratch: dict[str, object] = {}
        """Per-revision data a detector computes once for all changes (prototype scores)."""
        self._views: dict[str, ChangeView] = {}
        self.old_statements: PolicyStatements = statements_of(old, exclude=self.lists_criteria)
        """What the old version states (its list of criteria left out)."""
        self.new_statements: PolicyStatements = statements_of(new, exclude=self.lists_criteria)
        self.statement_delta: StatementDelta = compare_statements(
            self.old_statements, self.new_statements
        )
        """What the two versions state differently, at policy level."""
        self._statement_owner: dict[int, str] = {}

    # -- statements

    def assign_statements(self, changes: Sequence[Change]) -> None:
        """Give each statement change to the first substantive clause change whose clauses
        its statements read (the clause, its lead-in, its table): the redline there is its
        evidence. A statement change no substantive change reads is left out (its words did
        not change)."""
        owner: dict[int, str] = {}
        substantive = [c for c in changes if c.nature == "substantive"]
        for k, sc in enumerate(self.statement_delta.changes):
            for change in substantive:
                if self.statement_touches(sc, change):
                    owner[k] = change.id
                    break
        self._statement_owner = owner

    @staticmethod
    def statement_touches(sc: StatementChange, change: Change) -> bool:
        """Whether the statements of ``sc`` read one of the change's clauses (the clause that
        states them, its lead-in, its table) on their side."""
        old_sources, new_sources = sc.sources
        return bool(
            {r.id for r in change.old}.intersection(old_sources)
            or {r.id for r in change.new}.intersection(new_sources)
        )

    def clause_statements(self, change: Change, side: Side) -> list[Statement]:
        """The statements read from the change's clauses on ``side``, in document order."""
        refs = change.old if side == "old" else change.new
        ids = {r.id for r in refs}
        statements = self.old_statements if side == "old" else self.new_statements
        return [st for st in statements.statements if ids.intersection(st.sources)]

    def in_a_statement(self, change: Change, fact: Fact, side: Side) -> bool:
        """Whether ``fact`` plays its vocabulary role in a statement of the change's clauses on
        ``side``: a category handled, a recipient given information, a purpose, a place where
        information goes, the action itself. True when the clauses make no statement at all
        (nothing to judge the role by). A recipient named as a joint controller, a category in
        a product's name or a place in a postal address plays no such role."""
        own = self.clause_statements(change, side)
        if not own:
            return True
        for st in own:
            if fact.kind == "pi-category" and any(
                o.split("/")[0] == fact.value for o in st.objects
            ):
                return True
            if fact.kind == "recipient" and fact.value in st.recipients:
                return True
            if fact.kind == "purpose" and fact.value in st.purposes:
                return True
            if fact.kind == "location" and fact.value in st.places:
                return True
            if fact.kind == "processing" and st.kind == "practice" and fact.value == st.action:
                return True
            if fact.kind == "organisation" and (
                st.kind == "controller"
                or (st.kind == "practice" and st.family in ("share", "sell", "abroad"))
            ):
                return not _addressee(fact, own)
        return False

    def names_controller(self, change: Change, fact: Fact, side: Side) -> bool:
        """Whether a company fact sits in a sentence of the change's clauses that says who
        handles the information (a controller statement): the controller's criterion, not
        the recipients'."""
        return any(
            st.kind == "controller" and fact.text.casefold() in st.text.casefold()
            for st in self.clause_statements(change, side)
        )

    def statements_know(self, change: Change, item: Item) -> bool:
        """Whether the statements read from the change's clauses speak of the item's fact
        (on the side where it is): a right the clause grants or denies, a channel of such a
        right or of a contact, an action of a practice, a retention period, a company as a
        controller or a recipient. When they do, their comparison at policy level decides;
        when they do not, the fact is all there is."""
        sides: tuple[tuple[Side, Fact | None], ...] = (("old", item.before), ("new", item.after))
        for side, fact in sides:
            if fact is None:
                continue
            own = self.clause_statements(change, side)
            if not any(_speaks_of(st, fact) for st in own):
                return False
        return True

    def channel_offered(self, fact: Fact) -> bool:
        """The old version already offered this kind of channel (an e-mail address, a phone
        number, settings …) for reaching the company or exercising rights."""
        offered = self.scratch.get("channels-offered")
        if not isinstance(offered, frozenset):
            offered = frozenset(channel_types(self.old_statements))
            self.scratch["channels-offered"] = offered
        return channel_type(fact.value) in offered

    def in_a_contact(self, change: Change, item: Item) -> bool:
        """Whether a channel word of the change ('by post', 'hotline') is said in a contact
        statement rather than only as the way of exercising a right."""
        sides: tuple[tuple[Side, Fact | None], ...] = (("old", item.before), ("new", item.after))
        for side, fact in sides:
            if fact is None:
                continue
            own = self.clause_statements(change, side)
            if any(st.kind == "contact" for st in own) or not any(
                st.kind == "right" and f"channel:{fact.value}" in st.values for st in own
            ):
                return True
        return False

    def only_in(self, change: Change, fact: Fact, side: Side, kinds: frozenset[str]) -> bool:
        """Whether every statement of the change's clauses on ``side`` that names ``fact``
        (as a purpose, a category …) is one of ``kinds`` (a statement kind, or a practice's
        family): a purpose stated only for what a recipient does is the recipient's."""
        naming = [
            st
            for st in self.clause_statements(change, side)
            if fact.value in (*st.purposes, *(o.split("/")[0] for o in st.objects))
        ]
        return bool(naming) and all(
            (st.family if st.kind == "practice" else st.kind) in kinds for st in naming
        )

    def polarity_kept(self, change: Change) -> bool:
        """Both sides of a modified clause make statements, and each kind of statement
        (practice by action family, right by value) is affirmed or denied as before: a
        negation that moved ('it is no surprise that we collect' -> 'unsurprisingly, we
        collect'; 有错误 -> 不准确) changed no statement."""
        if not change.old or not change.new:
            return False
        old_ids, new_ids = {r.id for r in change.old}, {r.id for r in change.new}

        def polarities(statements: PolicyStatements, ids: set[str]) -> set[tuple[str, str, bool]]:
            return {
                (s.kind, s.family, _protects(s))
                for s in statements.statements
                if ids.intersection(s.sources) and s.kind in ("practice", "right")
            }

        before = polarities(self.old_statements, old_ids)
        after = polarities(self.new_statements, new_ids)
        return bool(before) and before == after

    def statement_changes(
        self, change: Change, *, all_changes: bool = False
    ) -> tuple[StatementChange, ...]:
        """The statement changes :meth:`assign_statements` gave to ``change``; with
        ``all_changes``, every statement change whose statements read the change's clauses
        (also those told on another clause change)."""
        if all_changes:
            return self.statement_delta.touching(
                {r.id for r in change.old}, {r.id for r in change.new}
            )
        return tuple(
            sc
            for k, sc in enumerate(self.statement_delta.changes)
            if self._statement_owner.get(k) == change.id
        )

    # -- what a version states anywhere

    def lists_criteria(self, text: str) -> bool:
        """The text is the policy's list of major changes, or an item of it: it repeats most of
        the wording or title of several criteria, or of one under words that speak of major
        changes ('Major changes include:' + '(6) a high-risk impact assessment'). A paragraph
        on an impact assessment that found a high risk repeats one criterion and lists
        nothing: it is a statement."""
        repeated = criteria_repeated(content_words(text), self._wordings)
        return repeated >= 2 or (repeated == 1 and _MAJOR_CHANGES.search(text) is not None)

    def _inventory(self, tree: ClauseTree) -> _Inventory:
        keys: set[FactKey] = set()
        pairs: dict[str, set[str]] = {}
        sentences: dict[FactKey, list[set[str]]] = {}
        index = tree.by_id()
        for clause in tree.clauses:
            stated = self._stated(clause_text(clause, index))
            if stated is None:
                continue
            facts, clause_pairs, clause_sentences = stated
            keys.update(f.key for f in facts)
            for label, others in clause_pairs.items():
                pairs.setdefault(label, set()).update(others)
            for key, words in clause_sentences:
                sentences.setdefault(key, []).append(set(words))
        return _Inventory(frozenset(keys), pairs, sentences)

    def _stated(self, text: str) -> _Stated | None:
        """What one clause text adds to a version's inventory, read once for both versions
        (a revision's versions share most of their clauses)."""
        if text in self._stated_by_text:
            return self._stated_by_text[text]
        stated: _Stated | None = None
        if text.strip() and not self.lists_criteria(text):
            facts = facts_of(text, self.language)
            stated = (
                facts,
                sentence_pairs(text, facts),
                tuple(
                    (f.key, frozenset(content_words(sentence_at(text, f.span[0]))))
                    for f in facts
                    if f.kind not in USE_KINDS
                ),
            )
        self._stated_by_text[text] = stated
        return stated

    def words(self, side: Side) -> frozenset[str]:
        """Every word of one version, case folded (computed once)."""
        key = f"words-{side}"
        cached = self.scratch.get(key)
        if isinstance(cached, frozenset):
            return cached
        tree = self.old if side == "old" else self.new
        found = frozenset(
            w.casefold() for c in tree.clauses for w in re.findall(r"\w+", clause_text(c))
        )
        self.scratch[key] = found
        return found

    def new_to_policy(self, fact: Fact) -> bool:
        return fact.key not in self.old_inventory.keys

    def gone_from_policy(self, fact: Fact) -> bool:
        return fact.key not in self.new_inventory.keys

    def _keep(
        self,
        item: Item,
        view_texts: tuple[str, str],
        facts: tuple[tuple[Fact, ...], tuple[Fact, ...]],
    ) -> Kept | None:
        old_text, new_text = view_texts
        if item.kind in ("right", "fee") and not self._states_a_right(item, old_text, new_text):
            return None  # 'we delete account data after a year', 'fees for a subscription'
        if (
            item.kind in USE_KINDS
            and item.after is None
            and item.before is not None
            and _object_of_right(old_text, facts[0], item.before)
        ):
            return None  # 'to object to our use of it for direct marketing': the right's object
        if (
            item.kind == "url"
            and item.before
            and item.after
            and _host(item.before) == _host(item.after)
        ):
            return None  # a link moved within the same site: upkeep, not a new address
        if item.after is not None and self.new_to_policy(item.after):
            return Kept(item, 0.9, "new to the policy")
        if item.before is not None and self.gone_from_policy(item.before):
            return Kept(item, 0.9, "no longer in the policy")
        if item.kind in _CONTACT_VALUES:
            return None  # a number or an address the policy gives both before and after: the
            # same way to reach the company, wherever a sentence repeats it
        if item.after is not None:
            mates = _fact_pairs(new_text, facts[1], item.after)
            fresh = sorted(mates - self.old_inventory.pairs.get(_label(item.after), set()))
            if fresh:
                return Kept(item, 0.75, f"newly stated with {', '.join(fresh)}", tuple(fresh))
        if item.before is not None:
            mates = _fact_pairs(old_text, facts[0], item.before)
            lost = sorted(mates - self.new_inventory.pairs.get(_label(item.before), set()))
            if lost:
                return Kept(item, 0.75, f"no longer stated with {', '.join(lost)}", tuple(lost))
        if item.kind in USE_KINDS or item.kind == "channel" or item.after is None:
            return None
        # A right, a deadline, a department … stated again in a sentence the old version has
        # nothing like: a new statement, not a moved one. (A fact stated elsewhere still is
        # not removed when one of its sentences goes.)
        sentence = sentence_at(new_text, item.after.span[0])
        if not _restated(
            content_words(sentence), self.old_inventory.sentences.get(item.after.key, [])
        ):
            return Kept(item, 0.6, "stated in a new sentence")
        return None

    @staticmethod
    def _states_a_right(item: Item, old_text: str, new_text: str) -> bool:
        """A right or fee word counts where the user does, may or asks something (on either
        side of the item), not in 'we delete account data', 'check it by viewing this page' or
        'the fees of your subscription'."""
        sentences = []
        if item.before is not None:
            sentences.append(sentence_at(old_text, item.before.span[0]))
        if item.after is not None:
            sentences.append(sentence_at(new_text, item.after.span[0]))
        return any(_USER_ABILITY.search(ascii_lower(s)) for s in sentences)

    # -- changes

    def side_text(self, side: Side, refs: Sequence[ClauseRef]) -> str:
        """The clauses of one side of a change, each its own heading and text."""
        index = self.old_index if side == "old" else self.new_index
        return "\n".join(clause_text(index[r.id], index) if r.id in index else r.text for r in refs)

    def headings(self, side: Side, refs: Sequence[ClauseRef]) -> str:
        """Headings of the sections the clauses sit in, outermost first, lower case."""
        index = self.old_index if side == "old" else self.new_index
        out: list[str] = []
        for r in refs:
            chain: list[str] = []
            current = index.get(r.id)
            if current is None and r.heading:
                chain.append(r.heading)
            while current is not None:
                if current.heading:
                    chain.append(current.heading)
                current = index.get(current.parent) if current.parent else None
            out += reversed(chain)
        return ascii_lower(" / ".join(dict.fromkeys(out)))

    def view(self, change: Change) -> ChangeView:
        """The change as the detectors see it (computed once)."""
        cached = self._views.get(change.id)
        if cached is not None:
            return cached
        old_text = self.side_text("old", change.old)
        new_text = self.side_text("new", change.new)
        old_facts = facts_of(old_text, self.language)
        new_facts = facts_of(new_text, self.language)
        kept: list[Kept] = []
        for item in delta_items(diff_facts(old_facts, new_facts)):
            k = self._keep(item, (old_text, new_text), (old_facts, new_facts))
            if k is not None:
                kept.append(k)
        delta = FactDelta(
            added=tuple(k.item.after for k in kept if k.item.direction == "added" and k.item.after),
            removed=tuple(
                k.item.before for k in kept if k.item.direction == "removed" and k.item.before
            ),
            changed=tuple(_as_change(k.item) for k in kept if k.item.direction == "changed"),
        )
        wires = change.tripwires or find_tripwires(old_text, new_text, language=self.language)
        view = ChangeView(
            change=change,
            old_text=old_text,
            new_text=new_text,
            old_facts=old_facts,
            new_facts=new_facts,
            kept=tuple(kept),
            delta=delta,
            old_headings=self.headings("old", change.old),
            new_headings=self.headings("new", change.new),
            old_clause=", ".join(r.clause for r in change.old) or None,
            new_clause=", ".join(r.clause for r in change.new) or None,
            tripwire_kinds=frozenset(w.kind for w in wires),
        )
        self._views[change.id] = view
        return view

    # -- criteria of the pack

    def popup_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.pack.criteria if c.level == "popup")

    def consent_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.pack.criteria if c.level == "consent")

    def criteria_for(self, fact: Fact) -> list[Criterion]:
        """Popup criteria whose fact specs name this fact (kind, or kind:value)."""
        return [c for c in self.popup_criteria() if spec_matches(c.facts, fact)]

    def context_score(self, criterion: Criterion, sentence: str, headings: str = "") -> int:
        """How strongly a sentence and its section headings speak of a criterion's subject:
        two points per context term in the sentence, one per term in the headings. A term
        inside a longer matched term counts once ('contact' in 'contact us'); words inside a
        web address or a category of information count for nothing (a link to
        '…/export-my-email-and-contacts', 'your contact information')."""
        terms = criterion.context.zh if self.language == "zh" else criterion.context.en
        in_sentence = _terms_in(self._plain(sentence), terms)
        in_headings = _terms_in(_LINKS.sub(" ", headings), terms)
        return 2 * len(in_sentence) + len(in_headings)

    def _plain(self, text: str) -> str:
        """``text`` lower case, with web addresses and the names of categories of information
        blanked: 'contact information' and 'billing address' are things collected, not a way
        to reach anyone."""
        lower = ascii_lower(text)
        for f in facts_of(text, self.language):
            if f.kind == "pi-category":
                a, b = f.span
                lower = lower[:a] + " " * (b - a) + lower[b:]
        return _LINKS.sub(" ", lower)


_LINKS = regex(r"\]\([^)\s]{0,2000}\)|(?:https?://|www\.)\S{1,2000}")


def _terms_in(lower: str, terms: Sequence[str]) -> set[str]:
    """Context terms found in ``lower``, without those contained in another one found."""
    found = {ascii_lower(t) for t in terms if has_term(lower, t)}
    return {t for t in found if not any(t != u and t in u for u in found)}


def _speaks_of(s: Statement, fact: Fact) -> bool:
    if fact.kind == "right":
        return s.kind == "right" and (
            s.action == fact.value or (fact.value == "portability" and s.action == "copy")
        )
    if fact.kind == "channel":
        return f"channel:{fact.value}" in s.values or (
            s.kind == "contact" and s.action in ("phone", "email", "address")
        )
    if fact.kind == "processing":
        return s.kind == "practice" and s.action == fact.value
    if fact.kind == "retention":
        return s.kind == "retention"
    if fact.kind == "risk":
        return s.kind == "risk"
    if fact.kind in ("organisation", "controller", "ownership"):
        return any(
            v.startswith(("org:", "ownership:")) and v != "org:controller"
            for v in (*s.values, *s.recipients)
        )
    return False


def _protects(s: Statement) -> bool:
    """A statement that holds something back: a denial, a practice done only in stated cases
    or only with consent ('we never send messages without your opt-in' says what 'we only
    send messages to people who opted in' says)."""
    if s.kind == "right":
        return s.denied
    return (
        s.denied
        or s.scope == "only"
        or any(c.startswith(("consent:", "except:")) for c in s.conditions)
    )


def _restated(words: frozenset[str], others: Sequence[set[str]]) -> bool:
    """Some sentence of ``others`` shares at least half of the longer one's words: the same
    sentence moved or reworded, not a heading that names the same thing."""
    return any(
        other and words and len(words & other) >= 0.5 * max(len(words), len(other))
        for other in others
    )


def _as_change(item: Item) -> FactChange:
    assert item.before is not None and item.after is not None
    how = item.how if item.how != "added" and item.how != "removed" else "replaced"
    return FactChange(item.kind, item.before, item.after, how)  # type: ignore[arg-type]


def _addressee(fact: Fact, statements: Sequence[Statement]) -> bool:
    """A company named only in sentences that give contact details ('write to Acme Corp, 1
    Main St'): whom a letter goes to, not a controller or a recipient of information."""
    named = [st for st in statements if fact.text.casefold() in st.text.casefold()]
    return bool(named) and all(st.kind == "contact" for st in named)
