"""Negation and modal-verb changes inside one sentence (:class:`CueChange`), and when one restricts
a right: the user's ability denied ('you can delete' -> 'you cannot delete'), or the
company's commitment weakened ('will not' removed, 'must' become 'may').

:func:`cue_changes` finds them in a change through the tripwires
(:mod:`analyzer.diff.tripwires`) and widens fragments to the clause around them, so that a
reader sees what changed ('we will not charge a fee in principle' -> 'We will charge a fee
for every request you make', not '…, we will not charge a fee' -> 'We').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from analyzer.diff.tripwires import find_tripwires
from analyzer.facts.types import Fact
from analyzer.judge.wording import clause_around, facts_in, related, sentence_at
from analyzer.text.scan import ascii_lower, clause_starts, in_condition, modal_cues, negation_cues

if TYPE_CHECKING:
    from analyzer.judge.evidence import ChangeView


RIGHTS_KINDS = frozenset({"right", "channel", "deadline", "fee"})
"""Facts that make a sentence one about the user's rights."""
_MODAL_RANK = {"may": 1, "should": 2, "entitled": 2, "will": 3, "must": 4}
_COMPANY = re.compile(r"(?<![a-z])(?:we|us|our|the company)(?![a-z])|我们|本公司|我司")
_USER = re.compile(r"(?<![a-z])(?:you|your|users?)(?![a-z])|您|你")
_WORDS = re.compile(r"[A-Za-z]{2}|[\u3400-\u9fff]")
_DENIED_ABILITY = re.compile(
    r"(?<![a-z])(?:cannot|can't|can not|may not|no longer|unable|not be able|not able"
    r"|not allowed|not permitted)(?![a-z])|无法|不能|不可|不得|不再"
)
"""A negation that takes an ability away ('you cannot delete'), unlike one that states a
preference or a condition ('if you would rather not receive them')."""


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
_SHOWN_WORD = re.compile(r"[^\W\d_]+|[\u3400-\u9fff]")


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
    old_phrase = clause_around(old_text, old_pos + _cue_position(before, kind))
    new_phrase = clause_around(new_text, new_pos + _cue_position(after, kind))
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
            old_own = facts_in(view.old_text, view.old_facts, old_pos)
            new_own = facts_in(view.new_text, view.new_facts, new_pos)
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
