"""Linear-time scanning primitives shared by :mod:`analyzer.facts.extract` and :mod:`analyzer.diff.tripwires`:
case folding that keeps offsets, word-boundary matching, a phrase trie, sentence and clause
boundaries, negation and modal cues, numbers written in digits, English words or Chinese.

Policies are fed to these functions unchecked (a later stage fuzzes them with megabyte lines),
so every pattern that scans a whole text follows three rules, checked by the tests:

1. **No nested quantifiers**: no repeated group contains a repeated atom (optional groups are
   fine), so no match can backtrack exponentially.
2. **A fast first character**: the pattern starts with a literal, a character class or an
   alternation of literals, so the regex engine jumps from candidate to candidate instead of
   trying the pattern at every position. Case-insensitive patterns therefore run on
   :func:`ascii_lower` of the text (same length, so offsets hold) instead of using
   ``re.IGNORECASE``, and a left word boundary is checked after the first character or in
   Python (:func:`word_matches`), never by a leading look-behind.
3. **Bounded runs**: a run that may fail at its end is bounded or possessive, so a long run of
   the same character is not rescanned from every position.

Pure functions, no outside library.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import string
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from analyzer.text.compiled import regex

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")
"""Characters that continue a Latin word (a left or right word boundary is anything else)."""


def ascii_lower(text: str) -> str:
    """``text`` with A-Z in lower case and every other character kept: the same length, so a
    match in the result has the same offsets in ``text``."""
    return text.translate(_ASCII_LOWER)


def starts_word(lower: str, pos: int) -> bool:
    """Whether ``pos`` is at the start of a Latin word (not preceded by a letter or digit)."""
    return pos == 0 or lower[pos - 1] not in WORD_CHARS


def word_matches(pattern: re.Pattern[str], lower: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(lower)`` keeping only matches that start a word; after a match inside
    a word, the search resumes one character later, so no match at a word start is lost."""
    pos = 0
    end = len(lower)
    while pos <= end:
        m = pattern.search(lower, pos)
        if m is None:
            return
        if starts_word(lower, m.start()):
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1
        else:
            pos = m.start() + 1


# --------------------------------------------------------------------------- phrase tries


def expand_phrase(phrase: str) -> list[str]:
    """``partner{,s}`` -> ``partner``, ``partners``; several groups multiply out."""
    if "{" not in phrase:
        return [" ".join(phrase.split())]
    parts = re.split(r"\{([^{}]*)\}", phrase)
    literals = parts[0::2]
    choices = [group.split(",") for group in parts[1::2]]
    out = [literals[0]]
    for group, literal in zip(choices, literals[1:], strict=True):
        out = [done + alt + literal for done in out for alt in group]
    return [" ".join(form.split()) for form in out]


def phrase_key(text: str) -> str:
    """Lookup key of a phrase or of matched text: lower case without whitespace, hyphens or
    apostrophes (``E-mail  address`` and ``email address`` share a key)."""
    return re.sub(r"[\s\-'’]", "", text.casefold())


WORD_END = r"(?:(?<![a-z0-9_])|(?![a-z0-9_]))"
"""What :func:`trie_pattern` checks after every phrase: a phrase that ends with a Latin letter,
digit or underscore must not run on into a word. Written once at the end of the pattern instead
of after each phrase: the engine backtracks into the trie when it fails, trying the other
phrases in the same order, so the match is the one a check after each phrase would give, and
the pattern is half as long (it compiles twice as fast)."""

_SPECIAL_ATOMS = {
    "-": r"[\s\-]{0,3}+",
    "'": "['’]",
    "’": "['’]",
}
_EN_ATOMS = {**_SPECIAL_ATOMS, " ": r"\s++"}
_ZH_ATOMS = {**_SPECIAL_ATOMS, " ": r"\s*+"}


def phrase_atoms(phrase: str, *, chinese: bool) -> list[str]:
    """Regex atoms of a phrase, one per character: a space matches a run of whitespace
    (optional in Chinese), a hyphen a hyphen, whitespace or nothing, an apostrophe either
    apostrophe. The word boundary after the last character is :data:`WORD_END`'s job."""
    if phrase[-1:] in (" ", "-") or phrase[:1] in (" ", "-"):
        # WORD_END looks at the last character consumed, which a trailing hyphen (it may
        # consume nothing) does not determine; a leading one defeats the first-character gate
        raise ValueError(f"a phrase may not start or end with a space or a hyphen: {phrase!r}")
    special = _ZH_ATOMS if chinese else _EN_ATOMS
    return [special.get(ch) or _escaped(ch) for ch in ascii_lower(phrase)]


@functools.cache
def _escaped(ch: str) -> str:
    return re.escape(ch)


def trie_pattern(phrases: Iterable[list[str]]) -> str:
    """One alternation for many phrases, factored as a trie, then :data:`WORD_END`: trying a
    position costs the length of the longest phrase, not the number of phrases, and the longest
    phrase that passes the word-boundary check wins (a phrase's continuations are tried before
    the phrase itself ends)."""
    trie: dict[str, Any] = {}
    for atoms in phrases:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        chain = []  # a run of nodes with one child and no phrase ending: plain concatenation
        while len(node) == 1 and "" not in node:
            ((atom, node),) = node.items()
            chain.append(atom)
        branches = [atom + emit(child) for atom, child in sorted(node.items()) if atom != ""]
        if not branches:
            body = ""
        elif len(branches) == 1 and "" in node:
            only = branches[0]
            single = len(only) == 1 or (len(only) == 2 and only[0] == "\\")
            body = only + "?" if single else "(?:" + only + ")?"
        elif len(branches) == 1:
            body = branches[0]
        else:
            body = "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")
        return "".join(chain) + body

    return "(?:" + emit(trie) + ")" + WORD_END


# --------------------------------------------------------------------------- sentences

_SENTENCE_END = regex(r"[.!?;\n。！？；](?=\s(?!\s*\|)|$|(?<=[;\n。！？；]))")
"""A sentence ends at these marks before a space; a dot before a table's cell bar ('Acme
e.K. | Germany') ends an abbreviation, not the row."""
_CLAUSE_PUNCT = regex(
    r"[.!?;:\n。！？；：,，](?:(?<=[;:\n。！？；：])"
    r"|(?<=[.!?])(?=\s|$)"
    r"|(?<=,)(?=\s{0,2}(?:you|we|they|it|he|she|our|your|their|this|these|such|users?)(?![a-z]))"
    r"|(?<=，)(?=您|我们|你|他们|其|该|用户))"
)
_CLAUSE_WORD = regex(
    r"(?:except|unless|but|however|other than|excluding|whereas|除非|除外|但是|但|然而|不过|除了"
    r"|and\s{1,3}(?:must|should|needs?\s{1,3}to|ha(?:ve|s)\s{1,3}to))"
    r"(?![a-z])"
)


def sentence_starts(lower: str) -> list[int]:
    """Offsets where sentences start (0 first): after ``.`` ``!`` ``?`` followed by a space,
    after ``;``, a line break, and the Chinese 。！？；."""
    return [0] + [
        m.end()
        for m in _SENTENCE_END.finditer(lower)
        if not (
            lower[m.start()] == "."
            and _LEGAL_FORM_DOT.search(lower, max(0, m.start() - 6), m.end())
            and _NAME_GOES_ON.match(lower, m.end())
        )
    ]


_LEGAL_FORM_DOT = regex(r"(?<![a-z])(?:inc|ltd|llc|plc|corp|co|pte|pty|gmbh|s\.a|b\.v|n\.v)\.$")
_NAME_GOES_ON = regex(r"\s{1,3}[(（]")
"""A company's legal form followed by a parenthesis ('Density Inc. (United States) |'): the
row or sentence goes on."""


_CONDITION_WORD = regex(
    r"(?:if|unless|when|whenever|once|in case|should you|如果|假如|若|如您|如你)(?![a-z])"
)
_CONDITION_END = regex(r"[,，]")
_CONDITION_REACH = 160


def clause_starts(lower: str) -> list[int]:
    """Offsets where the clauses of sentences start, for the scope of a negation: sentence
    ends, ':', a comma before a new subject ('…, you can'), contrast words ('except', 'and must',
    'but', 除非, 但), and the comma that closes a condition opening a clause ('If you prefer
    not to send it, switch it off': the negation stays in the condition)."""
    starts = {0}
    starts.update(m.end() for m in _CLAUSE_PUNCT.finditer(lower))
    starts.update(m.start() for m in word_matches(_CLAUSE_WORD, lower))
    ordered = sorted(starts)
    for m in _CONDITION_WORD.finditer(lower):
        if m.start() > 0 and not starts_word(lower, m.start()) and lower[m.start()].isascii():
            continue
        opening = ordered[bisect.bisect_right(ordered, m.start()) - 1]
        if lower[opening : m.start()].strip(" \t\"'“‘(（"):
            continue  # not at the head of its clause: 'contact us if needed'
        limit = min(len(lower), m.end() + _CONDITION_REACH)
        following = bisect.bisect_right(ordered, m.start())
        if following < len(ordered):
            limit = min(limit, ordered[following])
        comma = _CONDITION_END.search(lower, m.end(), limit)
        if comma is not None:
            starts.add(comma.end())
    return sorted(starts)


def in_condition(lower: str, starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies in a clause (of :func:`clause_starts` ``starts``) that opens with a
    condition word ('if you prefer not to …', 如果您不同意…)."""
    opening = starts[piece_of(starts, pos)]
    head = lower[opening : opening + 40].lstrip(" \t\"'“‘(（")
    m = _CONDITION_WORD.match(head)
    return m is not None and (
        not head[:1].isascii() or m.end() == len(head) or not head[m.end()].isalnum()
    )


def piece_of(starts: Sequence[int], pos: int) -> int:
    """Index of the piece (sentence or clause) that contains ``pos``."""
    return bisect.bisect_right(starts, pos) - 1


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Cue:
    """A function word that qualifies a statement: a negation or a modal verb."""

    kind: Literal["negation", "condition", "modality"]
    """``negation`` (not, never, 不会 …), ``condition`` (without your consent, 未经 …
    同意: a negation that states a condition rather than denying) or ``modality``."""
    key: str
    """Canonical form: ``not``, ``without``; for modals ``may``, ``will``, ``must``,
    ``should``, ``entitled``."""
    text: str
    """The exact words."""
    span: tuple[int, int]
    """Where they are."""


_NEGATION_EN = regex(
    r"(?:not|never|no|none|nothing|neither|nor|cannot|unable|without|refrain from|prohibited"
    r"|forbidden)(?![a-z])"
)
_NEGATION_CONTRACTED = regex(r"n['’]t(?![a-z])")
_NOT_A_NEGATION_AFTER = regex(
    r"\s{0,3}(?:\.|\d|limited|only|later|more|less|longer than|fewer|sooner|matter)"
)
_CONDITION_AFTER = regex(
    r"[^.;:。；：\n]{0,40}?(?:consent|authori[sz]ation|permission|agreement|approval)"
)
_NEGATION_ZH = regex(
    r"不(?!同|断|良|当|法|便|足|仅|限|少于|超过|晚于|论|久|过|但|管|妨|利|适|时|定期|可抗力|易|止|满)"
    r"|没有|未(?!成年|来|满|经)|无法|无需|无须|无权|并无|毫无|禁止|绝不|并非|请勿|勿"
)
_WITHOUT_ZH = regex(r"(?:未经|非经)(?P<cond>[^，。；,;]{0,12}?(?:同意|授权|许可|批准))?")
_IF_SUBJECT_EN = regex(
    r"(?<![a-z])(?:if|unless|when|whenever|where|should|in case)\s+(?:you|we)"
    r"(?:\s+(?:do|does|did|ca|can|could|wo|would|are|were|have|has|had|choose|chose|decide"
    r"|decided|prefer|opt|elect)(?:\s+to)?)?\s*$"
)
_IF_SUBJECT_ZH = regex(
    r"(?:如果?|若|倘若|假如|如若|一旦|当)(?:您|我们)(?:选择|决定|暂时|仍|坚持)?$"
)


def _conditional(lower: str, start: int, starts: list[int]) -> bool:
    """A negation inside a condition ('if you do not provide your phone number, you cannot
    register', 'we will delete it if we do not hear back', 如您不提供…): it says what follows
    when something does not happen, and denies none of the company's practices."""
    if _IF_SUBJECT_ZH.search(lower, max(0, start - 8), start):
        return True
    if _IF_SUBJECT_EN.search(lower, max(0, start - 40), start):
        return True
    return in_condition(lower, starts, start)


_MODAL_EN = regex(
    r"(?:may|might|can|could|will|would|shall|should|must|cannot|need to|needs to|have to"
    r"|has to|required to|ought to|reserve the right|reserves the right|has the right"
    r"|have the right|entitled to)(?![a-z'’])"
)
_MODAL_CONTRACTED = regex(r"(?:can|won|wouldn|shouldn|couldn|mustn|needn)['’]t(?![a-z])")
_MODAL_EN_KEYS = {
    "may": "may",
    "might": "may",
    "can": "may",
    "could": "may",
    "cannot": "may",
    "couldn": "may",
    "will": "will",
    "would": "will",
    "won": "will",
    "wouldn": "will",
    "shall": "will",
    "must": "must",
    "mustn": "must",
    "need to": "must",
    "needs to": "must",
    "needn": "must",
    "have to": "must",
    "has to": "must",
    "required to": "must",
    "should": "should",
    "shouldn": "should",
    "ought to": "should",
    "reserve the right": "entitled",
    "reserves the right": "entitled",
    "has the right": "entitled",
    "have the right": "entitled",
    "entitled to": "entitled",
}
_MODAL_ZH = regex(
    r"可能|可以|能够|可(?=通过|向|在|随时|自行|选择|要求|联系|申请|按照|根据|登录|前往|访问|使用)"
    r"|将会|将(?<=[们司并也亦还则均都仍]将)(?!来|近)"
    r"|会(?<=[们将不也还都均仍则才就]会)(?![员议计话谈社])"
    r"|应(?<=[们您你方均亦也则仍并]应)(?!用|对|答|急|聘|届|激|该|当)"
    r"|必须|应当|务必|须|需要|需|应该|有权"
)
_MODAL_ZH_KEYS = {
    "可能": "may",
    "可以": "may",
    "能够": "may",
    "可": "may",
    "将会": "will",
    "将": "will",
    "会": "will",
    "必须": "must",
    "应当": "must",
    "应": "must",
    "务必": "must",
    "须": "must",
    "需要": "must",
    "需": "must",
    "应该": "should",
    "有权": "entitled",
}


def _negations(lower: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, key, is a condition) of every negation, unordered."""
    starts: list[int] = []

    def conditional(start: int) -> bool:
        if not starts:
            starts.extend(clause_starts(lower))
        return _conditional(lower, start, starts)

    for m in word_matches(_NEGATION_EN, lower):
        word = " ".join(m.group(0).split())
        if word in ("no", "not") and _NOT_A_NEGATION_AFTER.match(lower, m.end()):
            continue
        if word == "not" and lower[max(0, m.start() - 12) : m.start()].endswith(
            ("whether or ", "if ")
        ):
            continue
        if word == "without":
            yield m.start(), m.end(), "without", _CONDITION_AFTER.match(lower, m.end()) is not None
        else:
            yield m.start(), m.end(), "not", conditional(m.start())
    for m in _NEGATION_CONTRACTED.finditer(lower):
        yield m.start(), m.end(), "not", conditional(m.start())
    for m in _WITHOUT_ZH.finditer(lower):
        yield m.start(), m.start() + 2, "without", m.group("cond") is not None
    for m in _NEGATION_ZH.finditer(lower):
        yield m.start(), m.end(), "not", conditional(m.start())


def negation_spans(lower: str) -> list[tuple[int, int]]:
    """Sorted spans of the negations that deny (conditions such as 'without your consent'
    left out), in :func:`ascii_lower` text: what marks a fact as negated."""
    return sorted((a, b) for a, b, _key, condition in _negations(lower) if not condition)


def negation_cues(text: str, lower: str | None = None) -> list[Cue]:
    """Negations in ``text``, in order: ``not``-like words (key ``not``) and ``without``,
    which is a ``condition`` when it introduces consent ('without your explicit consent',
    未经您同意) and a ``negation`` otherwise.

    Not counted: 'not limited to', 'not only', 'no later than', 'no more than', 'whether or
    not', the abbreviation 'No.'; 不同, 不断, 不限于, 不超过, 未成年, 未来 …
    ``lower`` is :func:`ascii_lower` of ``text`` when the caller has it.
    """
    lower = ascii_lower(text) if lower is None else lower
    cues = [
        Cue("condition" if condition else "negation", key, text[a:b], (a, b))
        for a, b, key, condition in _negations(lower)
    ]
    cues.sort(key=lambda c: c.span)
    return cues


def modal_cues(text: str, lower: str | None = None) -> list[Cue]:
    """Modal verbs in ``text``, in order, keyed by strength: ``may`` (may, might, can, could,
    可能, 可以), ``will`` (will, would, shall, 将, 会), ``must`` (must, need to, 必须, 应当),
    ``should`` (should, 应该), ``entitled`` (has the right to, reserve the right, 有权).

    'May' followed by a day number is the month, not a modal.
    """
    lower = ascii_lower(text) if lower is None else lower
    cues: list[Cue] = []
    for m in itertools.chain(
        word_matches(_MODAL_EN, lower), word_matches(_MODAL_CONTRACTED, lower)
    ):
        word = " ".join(m.group(0).split())
        word = re.sub(r"['’]t$", "", word)
        if (
            word == "may"
            and text[m.start()] == "M"
            and re.match(r"\s{0,3}\d", lower[m.end() : m.end() + 4])
        ):
            continue
        key = _MODAL_EN_KEYS.get(word, word)
        cues.append(Cue("modality", key, text[m.start() : m.end()], (m.start(), m.end())))
    for m in _MODAL_ZH.finditer(lower):
        cues.append(Cue("modality", _MODAL_ZH_KEYS[m.group(0)], m.group(0), (m.start(), m.end())))
    cues.sort(key=lambda c: c.span)
    return cues
