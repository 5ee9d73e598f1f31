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

:func:`cue_changes` locates negation and modal-verb changes in their sentences
(:class:`CueChange`) and says when one restricts a right.

Pure functions; no outside library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from analyzer.diff.embedding import Embedder
from analyzer.diff.tripwires import find_tripwires
from analyzer.facts.compare import diff_facts
from analyzer.facts.extract import facts_of
from analyzer.facts.items import Item, delta_items
from analyzer.facts.types import Fact, FactChange, FactDelta
from analyzer.judge.criteria import CriteriaPack, Criterion
from analyzer.model import Change, Clause, ClauseRef, ClauseTree, Finding
from analyzer.text.normalize import squash
from analyzer.text.scan import (
    ascii_lower,
    clause_starts,
    in_condition,
    modal_cues,
    negation_cues,
    piece_of,
    sentence_starts,
)

__all__ = [
    "ChangeView",
    "Context",
    "CueChange",
    "Kept",
    "cue_changes",
    "describe",
    "quote",
    "shown_words",
    "spec_matches",
]

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
USE_KINDS = frozenset({"pi-category", "purpose", "recipient", "processing", "location"})
"""What is processed, why and for whom: these count only when new to the policy or in a new
pairing (a category named again in a sentence about something else says nothing new)."""
RIGHTS_KINDS = frozenset({"right", "channel", "deadline", "fee"})
"""Facts that make a sentence one about the user's rights."""
_GENERIC_PROCESSING = frozenset({"collect", "store"})
_MODAL_RANK = {"may": 1, "should": 2, "entitled": 2, "will": 3, "must": 4}
_COMPANY = re.compile(r"(?<![a-z])(?:we|us|our|the company)(?![a-z])|我们|本公司|我司")
_USER = re.compile(r"(?<![a-z])(?:you|your|users?)(?![a-z])|您|你")
_WORDS = re.compile(r"[A-Za-z]{2}|[\u3400-\u9fff]")
_USER_ABILITY = re.compile(
    r"(?<![a-z])(?:you|users?)(?: [a-z]+){0,3} (?:can|may|could|have the right|has the right"
    r"|are entitled|is entitled|are able|will be able|cannot|can't|may not|no longer)(?![a-z])"
    r"|(?<![a-z])(?:right to|rights to|request|requests|requested|requesting|ask us)(?![a-z])"
    r"|(?<![a-z])(?:can|cannot|can't|could|may|may not|can no longer) be (?:[a-z]+ )?[a-z]+e[dn]"
    r"(?![a-z])"
    r"|您可以|您有权|您可|请求|申请|要求我们|不可|不能|无法"
)
"""A sentence in which the user does, may or asks something, or in which something can or
cannot be done ('cannot be corrected once submitted'): where a right is stated."""
_TOKENS = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
_DENIED_ABILITY = re.compile(
    r"(?<![a-z])(?:cannot|can't|can not|may not|no longer|unable|not be able|not able"
    r"|not allowed|not permitted)(?![a-z])|无法|不能|不可|不得|不再"
)
"""A negation that takes an ability away ('you cannot delete'), unlike one that states a
preference or a condition ('if you would rather not receive them')."""
_META_SHARE = 0.6
"""Share of a criterion's wording a clause must repeat to count as the list of criteria."""


# --------------------------------------------------------------------------- text helpers


def clause_text(clause: Clause, index: Mapping[str, Clause] | None = None) -> str:
    """What a clause states: its own heading and its text. A row of a table (given the tree's
    ``index``) reads with its column headings, cell by cell ('Subprocessor: Lumisight
    Analytics | Where the data sits: United States'): the headings say what each cell is."""
    text = f"{clause.heading}\n{clause.text}" if clause.heading else clause.text
    if index is None or clause.parent is None or clause.heading:
        return text
    table = index.get(clause.parent)
    if table is None or table.kind != "table":
        return text
    names = [c.strip() for c in table.text.split(" | ")]
    cells = [c.strip() for c in clause.text.split(" | ")]
    if len(names) != len(cells) or len(names) < 2 or not all(names):
        return text
    return " | ".join(f"{name}: {cell}" for name, cell in zip(names, cells, strict=True))


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around offset ``pos``, stripped."""
    starts = _starts_of(text)
    k = piece_of(starts, pos)
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return text[starts[k] : end].strip()


@lru_cache(maxsize=64)
def _starts_of(text: str) -> tuple[int, ...]:
    """:func:`sentence_starts` of a text, remembered: a long clause stating many facts asks for
    the sentence of each, and finding the sentences again each time made that quadratic."""
    return tuple(sentence_starts(ascii_lower(text)))


def quote(text: str, limit: int = 80) -> str:
    """Whitespace squashed, cut at ``limit`` characters with an ellipsis."""
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def spec_matches(specs: Iterable[str], fact: Fact) -> bool:
    """Whether a fact spec of a criterion (``recipient``, ``processing:share``) names it."""
    for spec in specs:
        kind, _, value = spec.partition(":")
        if fact.kind == kind and (not value or fact.value == value):
            return True
    return False


def has_term(lower: str, term: str) -> bool:
    """Whether ``lower`` (ascii-lowered) contains ``term`` as words (or as characters, for
    Chinese). An English term matches in the plural too ('partner' in 'partners') and with a
    hyphen for a space ('third party' in 'third-party')."""
    term = ascii_lower(term)
    if not term.isascii():
        return term in lower
    return _term_pattern(term).search(lower) is not None


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str]:
    body = r"[\s\-]+".join(re.escape(w) for w in term.split())
    return re.compile(r"(?<![a-z])" + body + r"(?:s|es)?(?![a-z])")


_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "by", "with",
        "from", "as", "is", "are", "be", "been", "was", "were", "this", "that", "these",
        "those", "it", "its", "you", "your", "we", "our", "us", "they", "their", "can", "may",
        "will", "would", "shall", "should", "must", "not", "no", "any", "all", "such",
        "other", "also", "if", "when", "which", "who",
    }
)  # fmt: skip


def _host(fact: Fact) -> str:
    return fact.value.split("/", 1)[0]


def _tokens(text: str) -> set[str]:
    """Content words and digit runs (function words left out); Chinese as character bigrams
    (single characters alone)."""
    out: set[str] = set()
    for run in _TOKENS.findall(ascii_lower(text)):
        if run.isascii():
            if run not in _STOPWORDS:
                out.add(run)
        elif len(run) == 1:
            out.add(run)
        else:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def related(old_sentence: str, new_sentence: str) -> bool:
    """Two sentences are versions of one another: they share at least half of the shorter
    one's words (characters, for Chinese)."""
    a, b = _tokens(old_sentence), _tokens(new_sentence)
    if not a or not b:
        return False
    return len(a & b) >= 0.5 * min(len(a), len(b))


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
        old = _clause_around(view.old_text, item.before.span[0])
        new = _clause_around(view.new_text, other.span[0]) if other else ""
        return old or item.before.text, new
    old = _clause_around(view.old_text, other.span[0]) if other else ""
    return old, _clause_around(view.new_text, item.after.span[0]) or item.after.text


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


# --------------------------------------------------------------------------- cue changes


@dataclass(frozen=True)
class CueChange:
    """A negation or modal verb that changed inside one sentence."""

    kind: Literal["negation", "modality"]
    before: str
    """The words around the cue in the old text."""
    after: str
    """The words that stand in their place in the new text."""
    old_sentence: str
    new_sentence: str
    facts: tuple[Fact, ...]
    """Facts of the old and the new sentence."""
    flipped: tuple[Fact, ...]
    """Facts stated in both sentences whose negation the change turned (new side)."""
    same_facts: bool
    """Both sentences state the same facts (kind and value), negation aside: only the cue
    changed, not what the sentence is about."""
    about_rights: bool
    """The sentences state a right, a channel, a deadline or a fee."""
    restricts: str
    """Why the change restricts a right ('' when it does not)."""
    old_phrase: str = ""
    """What a reader is shown of the old side: the tripwire's words, or the clause of the
    sentence around the cue when those words are a fragment (see :func:`shown_phrases`)."""
    new_phrase: str = ""
    """The same for the new side."""

    def words(self) -> tuple[str, str]:
        """The before and after words to show: the phrases, else the tripwire's words."""
        return (self.old_phrase or self.before, self.new_phrase or self.after)

    def strength(self) -> tuple[int, int]:
        """Strongest modal verb before and after (0 none, 1 may … 4 must)."""
        return strongest_modal(self.before), strongest_modal(self.after)


def strongest_modal(phrase: str) -> int:
    return max((_MODAL_RANK.get(c.key, 0) for c in modal_cues(phrase)), default=0)


def _negation_count(phrase: str) -> int:
    return sum(1 for c in negation_cues(phrase) if c.kind == "negation")


def _subject(phrase: str) -> str:
    """``company`` or ``user``: whose action the phrase states, from its first pronoun."""
    lower = ascii_lower(phrase)
    company = _COMPANY.search(lower)
    user = _USER.search(lower)
    if company and (not user or company.start() < user.start()):
        return "company"
    if user:
        return "user"
    return ""


def restriction_by_cue(kind: str, before: str, after: str) -> str:
    """Whether a cue change in a sentence about a right restricts it: the user's ability
    denied ('you can delete' -> 'you cannot delete'; a negation that denies no ability, such
    as 'if you would rather not', does not count), or the company's commitment weakened
    (a promise not to act removed: 'will no longer process' -> 'may continue to process';
    'will' or 'must' become 'may')."""
    who = _subject(after or before)
    if kind == "negation":
        added = _negation_count(after) > _negation_count(before)
        denied = _DENIED_ABILITY.search(ascii_lower(after)) and not _DENIED_ABILITY.search(
            ascii_lower(before)
        )
        if who == "user" and added and denied:
            return "the user can no longer do what the policy allowed"
        if who == "company" and not added:
            return "a commitment not to act is removed"
        return ""
    if who == "company":
        old_rank, new_rank = strongest_modal(before), strongest_modal(after)
        if 0 < new_rank < old_rank:
            return "the company's commitment is weakened"
    return ""


SHOWN_MIN_WORDS = 2
"""Fewest words either side of a cue change must have to be shown as the tripwire found
them ('will not entrust' -> 'will entrust'); with fewer ('…, we will not charge a fee' ->
'We'), both sides are widened."""
_SHOWN_MAX_WORDS = 16
_SHOWN_WORD = re.compile(r"[^\W\d_]+|[\u3400-\u9fff]")


def _clause_around(text: str, pos: int) -> str:
    """The clause of a sentence that contains ``pos`` (by :func:`clause_starts`), without its
    edge punctuation, at most :data:`_SHOWN_MAX_WORDS` words (those nearest ``pos``)."""
    lower = ascii_lower(text)
    starts = clause_starts(lower)
    i = piece_of(starts, pos)
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    piece = text[starts[i] : end]
    line_end = piece.find("\n", max(0, pos - starts[i]))
    if line_end >= 0:
        piece = piece[:line_end]
    line_start = piece.rfind("\n", 0, max(0, pos - starts[i]))
    if line_start >= 0:
        piece = piece[line_start + 1 :]
    words = piece.split()
    if len(words) > _SHOWN_MAX_WORDS:
        offset = max(0, pos - starts[i] - (line_start + 1 if line_start >= 0 else 0))
        before = len(piece[:offset].split())
        first = max(0, min(before - _SHOWN_MAX_WORDS // 2, len(words) - _SHOWN_MAX_WORDS))
        words = words[first : first + _SHOWN_MAX_WORDS]
    return " ".join(words).strip(" ,;:.，；：、。")


def _cue_position(phrase: str, kind: str) -> int:
    """Offset in ``phrase`` of its first cue of ``kind``, else of its first word."""
    cues = negation_cues(phrase) if kind == "negation" else modal_cues(phrase)
    if cues:
        return cues[0].span[0]
    word = _SHOWN_WORD.search(phrase)
    return word.start() if word else 0


def shown_phrases(
    kind: str, before: str, after: str, old_text: str, old_pos: int, new_text: str, new_pos: int
) -> tuple[str, str]:
    """The old and new words to show for a cue change found as ``before`` (at ``old_pos`` of
    ``old_text``) -> ``after`` (at ``new_pos``): ``('', '')`` (show the tripwire's words) when
    both have :data:`SHOWN_MIN_WORDS` words; otherwise the clause around the cue on each side
    ('we will not charge a fee in principle' -> 'We will charge a fee for every request you
    make', not '…, we will not charge a fee' -> 'We')."""
    if min(len(_SHOWN_WORD.findall(before)), len(_SHOWN_WORD.findall(after))) >= SHOWN_MIN_WORDS:
        return "", ""
    old_phrase = _clause_around(old_text, old_pos + _cue_position(before, kind))
    new_phrase = _clause_around(new_text, new_pos + _cue_position(after, kind))
    if not old_phrase or not new_phrase or old_phrase == new_phrase:
        return "", ""
    return old_phrase, new_phrase


def cue_changes(view: ChangeView, language: str) -> tuple[CueChange, ...]:
    """Negation and modal-verb changes of a modified clause, each inside a sentence that
    exists on both sides (a sentence added or removed whole is not a cue change)."""
    if view.cues is not None:
        return view.cues
    out: list[CueChange] = []
    if view.old_text and view.new_text:
        for wire in find_tripwires(view.old_text, view.new_text, language=language):
            if wire.kind not in ("negation", "modality"):
                continue
            if not (_WORDS.search(wire.before) and _WORDS.search(wire.after)):
                continue
            old_pos = view.old_text.find(wire.before)
            new_pos = view.new_text.find(wire.after)
            if old_pos < 0 or new_pos < 0:
                continue
            old_sentence = sentence_at(view.old_text, old_pos)
            new_sentence = sentence_at(view.new_text, new_pos)
            if not related(old_sentence, new_sentence):
                continue
            old_own = _facts_in(view.old_text, view.old_facts, old_pos)
            new_own = _facts_in(view.new_text, view.new_facts, new_pos)
            facts = old_own + new_own
            old_flags = {(f.kind, f.value): f.negated for f in old_own}
            flipped = tuple(
                f
                for f in new_own
                if (f.kind, f.value) in old_flags and old_flags[(f.kind, f.value)] != f.negated
            )
            if (
                wire.kind == "negation"
                and not flipped
                and polarity(old_sentence) == polarity(new_sentence)
            ):
                continue  # 'will no longer process' -> 'stop processing': the same denial
            same = {(f.kind, f.value) for f in old_own} == {(f.kind, f.value) for f in new_own}
            rights = any(f.kind in RIGHTS_KINDS for f in facts)
            restricts = restriction_by_cue(wire.kind, wire.before, wire.after) if rights else ""
            old_phrase, new_phrase = shown_phrases(
                wire.kind, wire.before, wire.after, view.old_text, old_pos, view.new_text, new_pos
            )
            out.append(
                CueChange(
                    kind="negation" if wire.kind == "negation" else "modality",
                    before=wire.before,
                    after=wire.after,
                    old_sentence=old_sentence,
                    new_sentence=new_sentence,
                    facts=facts,
                    flipped=flipped,
                    same_facts=same,
                    about_rights=rights,
                    restricts=restricts,
                    old_phrase=old_phrase,
                    new_phrase=new_phrase,
                )
            )
    view.cues = tuple(out)
    return view.cues


_CESSATION = re.compile(
    r"(?<![a-z])(?:stop|stops|stopped|stopping|cease|ceases|ceased|ceasing|discontinue"
    r"|discontinues|discontinued|refrain|refrains)(?![a-z])|停止|终止"
)
_UN_ADJECTIVE = re.compile(r"(?<![a-z])un[a-z]{3,20}(?:ed|able|ible)(?![a-z])")


def polarity(sentence: str) -> int:
    """How many denials a sentence makes outside its conditions: negations ('not', 'no
    longer', 不再), verbs of ceasing ('stop processing' says what 'no longer process' says) and
    adjectives with a negative prefix ('remains unaffected' says what 'will not affect' says);
    a negation inside a condition ('if you prefer not to …') denies nothing."""
    lower = ascii_lower(sentence)
    starts = clause_starts(lower)
    positions = [c.span[0] for c in negation_cues(sentence, lower) if c.kind == "negation"]
    positions += [m.start() for m in _CESSATION.finditer(lower)]
    positions += [m.start() for m in _UN_ADJECTIVE.finditer(lower)]
    return sum(1 for pos in positions if not in_condition(lower, starts, pos))


def _object_of_right(text: str, facts: Sequence[Fact], fact: Fact) -> bool:
    """A use fact (a purpose, a category …) in a sentence where the user does or may do
    something with a right ('you can object to our use of it for direct marketing', 您可以
    关闭个性化推荐): what the right is about, not a statement of processing."""
    own = _facts_in(text, facts, fact.span[0])
    if not any(f.kind == "right" for f in own):
        return False
    return _USER_ABILITY.search(ascii_lower(sentence_at(text, fact.span[0]))) is not None


def _facts_in(text: str, facts: Sequence[Fact], pos: int) -> tuple[Fact, ...]:
    starts = sentence_starts(ascii_lower(text))
    own = piece_of(starts, pos)
    return tuple(f for f in facts if piece_of(starts, f.span[0]) == own)


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

    def sentence(self, fact: Fact, side: Side) -> str:
        return sentence_at(self.old_text if side == "old" else self.new_text, fact.span[0])

    def sentence_facts(self, item: Item) -> tuple[Fact, ...]:
        """Facts of the item's old and new sentences."""
        out: tuple[Fact, ...] = ()
        if item.before is not None:
            out += _facts_in(self.old_text, self.old_facts, item.before.span[0])
        if item.after is not None:
            out += _facts_in(self.new_text, self.new_facts, item.after.span[0])
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
        self._wordings = [_tokens(c.wording) for c in pack.criteria] + [
            _tokens(t) for c in pack.criteria for t in (c.title.en, c.title.zh)
        ]
        self._stated_by_text: dict[str, _Stated | None] = {}
        self.old_inventory = self._inventory(old)
        self.new_inventory = self._inventory(new)
        self.warnings: list[str] = []
        self.scratch: dict[str, object] = {}
        """Per-revision data a detector computes once for all changes (prototype scores)."""
        self._views: dict[str, ChangeView] = {}

    # -- what a version states anywhere

    def lists_criteria(self, text: str) -> bool:
        """The text repeats most of a criterion's own wording or title (the policy's list of
        major changes)."""
        tokens = _tokens(text)
        return any(w and len(w & tokens) >= _META_SHARE * len(w) for w in self._wordings)

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
                    (f.key, frozenset(_tokens(sentence_at(text, f.span[0]))))
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
        if not _restated(_tokens(sentence), self.old_inventory.sentences.get(item.after.key, [])):
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


_LINKS = re.compile(r"\]\([^)\s]{0,2000}\)|(?:https?://|www\.)\S{1,2000}")


def _terms_in(lower: str, terms: Sequence[str]) -> set[str]:
    """Context terms found in ``lower``, without those contained in another one found."""
    found = {ascii_lower(t) for t in terms if has_term(lower, t)}
    return {t for t in found if not any(t != u and t in u for u in found)}


def _restated(words: set[str], others: Sequence[set[str]]) -> bool:
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
