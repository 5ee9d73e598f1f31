"""The nature of a change: ``editorial`` (the wording moved, the meaning did not) or
``substantive`` (the meaning may have changed), with typed reasons.

Rules, in order
---------------
1. **Tripwires decide first.** :func:`analyzer.diff.tripwires.find_tripwires` compares the two sides
   token by token. A tripwire of a kind that carries meaning
   (:data:`~analyzer.diff.tripwires.MEANING_KINDS`: a negation added or removed, a modal verb, a
   number, duration, amount, phone number, e-mail, URL or domain, organisation, category of
   personal information, recipient, purpose, right, channel …) makes the change substantive,
   whatever any similarity says: an embedding scores 'we will not share' and 'we will share'
   0.94. The reasons are the tripwire kinds.
2. **Cross-references.** A changed reference is editorial when it follows the renumbering
   (``Article 5.1`` -> ``Article 5.4`` where clause 5.1 became 5.4), when it is a list marker
   (``(2)`` -> ``(3)``), or when it is the number that opens the clause (a label the parser read
   as text); a reference that now points to another clause is substantive (``reference``).
   Dates (a header date bump) and a company name spelled within two letters are editorial
   (``date``, ``typo``).
3. **Whole sentences.** A sentence of at least :data:`SENTENCE_WORDS` words (CJK: two
   characters count as one word) of which at least :data:`SENTENCE_COVERED` is new (not on a
   common subsequence of the two texts' words) is new content: substantive
   ``sentence-added``; the same on the old side is ``sentence-removed``. A paraphrase keeps
   enough of its words in order to stay below that share. Inside a sentence, a run of words
   inserted where (almost) nothing was, with at least :data:`PHRASE_WORDS` content words the
   old text does not use ('(such as the operating system version**, and the list of other
   applications installed on it**)'), is new content too: ``phrase-added`` (``phrase-removed``
   on the old side). A paraphrase replaces words; it does not insert a clause of new ones.
4. **Rewrites.** What is left is typed region by region: ``whitespace``, ``punctuation``,
   ``case``, ``typo`` (one word within a small edit distance) or ``reworded``. A reworded
   clause whose words overlap less than :data:`REWORD_FLOOR` (:func:`word_overlap`, order
   aside) was rewritten too much to call editorial without a reader: substantive
   ``low-similarity``. A reworded heading (both sides a single title line) is editorial
   ``heading``: headings state no obligation.
5. **Otherwise editorial** with the region types as reasons; ``reworded`` means the same
   meaning in other words: no tripwire, no whole sentence, enough words kept.

Structure adds its own editorial reasons (``moved``, ``renumbered``, ``split``, ``merged``), and
a table of contents is always editorial (``contents``): it mirrors the headings, whose own
changes are reported where they happen.

Added and removed clauses
-------------------------
A clause added or removed with text is substantive (``added`` / ``removed``). One that is
empty, only a number, or only a heading is editorial (``heading-only``): a heading states no
obligation, and the clauses under it are reported on their own. A heading that trips a
meaning tripwire (it names a category of personal information, a recipient …) is substantive
all the same. The tripwires of the added or removed text are kept on the change for the
classifier.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from analyzer.diff.redline import changed_regions, common_subsequence, word_tokens
from analyzer.diff.tripwires import MEANING_KINDS, find_tripwires
from analyzer.model import InlineOp, Nature, Tripwire
from analyzer.text.compiled import regex

__all__ = [
    "EDITORIAL_REASONS",
    "PHRASE_AGAINST",
    "PHRASE_WORDS",
    "REWORD_FLOOR",
    "SENTENCE_COVERED",
    "SENTENCE_WORDS",
    "SUBSTANTIVE_REASONS",
    "Assessment",
    "assess",
    "assess_one_sided",
    "region_reason",
    "word_overlap",
]

REWORD_FLOOR = 0.5
"""Least :func:`word_overlap` of a reworded clause that is still editorial: half its words
shared. A paraphrase reorders words but keeps most of them: the judgement set's editorial
paraphrases overlap 0.63-0.88 sentence by sentence, more at clause level."""
SENTENCE_WORDS = 5
"""Least words (or CJK characters / 2) of a sentence whose insertion counts as new content."""
SENTENCE_COVERED = 0.8
"""Share of a sentence's words that must be inserted (or deleted) for it to count as new
(or dropped)."""
PHRASE_WORDS = 5
"""Least content words (not function words; CJK: two characters count as one) the other side
does not use, inserted (or deleted) in one run against at most :data:`PHRASE_AGAINST` words,
for the run to count as new content inside a sentence."""
PHRASE_AGAINST = 2
"""Most words a ``phrase-added`` run may replace (an inserted clause often swallows a comma
and a conjunction)."""
_TYPO_MIN_LENGTH = 4

EDITORIAL_REASONS = {
    "whitespace": "only spacing or line breaks changed",
    "punctuation": "only punctuation changed (quotes, commas, full-width forms)",
    "case": "only upper/lower case changed",
    "typo": "a misspelt word corrected (or a name spelled within two letters)",
    "reworded": "the same meaning in other words (no tripwire, similar enough)",
    "date": "a date changed (a header date bump)",
    "reference": "a cross-reference follows the renumbering, or a list marker changed",
    "renumbered": "the number the document writes changed",
    "moved": "the clause left the order of the others",
    "split": "one clause became several",
    "merged": "several clauses became one",
    "contents": "a table of contents, which mirrors the headings",
    "heading-only": "an added or removed clause without text (a heading or a bare number)",
    "heading": "a heading reworded (headings state no obligation)",
}
"""Every editorial reason, with what it means."""

SUBSTANTIVE_REASONS = {
    "added": "a clause with text was added",
    "removed": "a clause with text was removed",
    "sentence-added": "a whole sentence was added to the clause",
    "sentence-removed": "a whole sentence was removed from the clause",
    "phrase-added": "a run of new words was inserted into a sentence",
    "phrase-removed": "a run of words was deleted from a sentence",
    "low-similarity": "rewritten beyond recognition (token similarity below the floor)",
    "reference": "a cross-reference now points to another clause",
    "restated": "the words are the same but what the clause states changed (it moved under "
    "another list lead-in or heading)",
    **{kind: f"a {kind} tripwire" for kind in sorted(MEANING_KINDS)},
}
"""Every substantive reason (tripwire kinds included), with what it means."""

_SPACE_OR_PUNCT = regex(r"[\s\W_]+", re.UNICODE)
_SPACES = regex(r"\s+")
_SENTENCE_END = regex(r"(?<=[.!?;])\s+|(?<=[。！？；])")
_DOTTED = regex(r"\d+(?:\.\d+)*")
_CJK = regex(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Assessment:
    """What :func:`assess` found out about one change."""

    nature: Nature
    reasons: tuple[str, ...]
    """Structural reasons first, then the text's (see the module docstring)."""
    tripwires: tuple[Tripwire, ...]
    """Every tripwire between the two sides (editorial kinds included)."""
    same_entries: bool = False
    """For a table of contents: the same titles, only numbered or ordered differently."""


def assess_one_sided(
    kind: Literal["added", "removed"],
    text: str,
    *,
    language: str,
    contents: bool = False,
) -> Assessment:
    """Nature of an added or removed clause (``text`` is its heading and text)."""
    if contents:
        return Assessment("editorial", (kind, "contents"), ())
    old, new = ("", text) if kind == "added" else (text, "")
    tripwires = find_tripwires(old, new, language=language) if text.strip() else ()
    if _is_heading_only(text):
        meaning = [t.kind for t in tripwires if t.kind in MEANING_KINDS]
        if not meaning:
            return Assessment("editorial", (kind, "heading-only"), tripwires)
        return Assessment("substantive", (kind, *_unique(meaning)), tripwires)
    return Assessment("substantive", (kind,), tripwires)


def _is_heading_only(text: str) -> bool:
    """No body: empty, or a single line (the heading) of a clause without text."""
    return "\n" not in text.strip() and _looks_like_title(text)


def _looks_like_title(text: str) -> bool:
    words = word_tokens(text)
    stripped = text.strip()
    return len(words) <= 16 and not stripped.endswith((".", "。", ";", "；", ":", "："))


def assess(
    old: str,
    new: str,
    inline: Sequence[InlineOp],
    *,
    language: str,
    structural: Sequence[str] = (),
    contents: bool = False,
    renumbering: Mapping[str, str] | None = None,
) -> Assessment:
    """Nature of a change between two texts that the alignment matched.

    ``inline`` is their redline; ``structural`` the editorial facts the alignment found
    (``moved``, ``renumbered``, ``split``, ``merged``); ``renumbering`` maps old dotted numbers
    to new ones, for cross-references.
    """
    reasons: list[str] = list(structural)
    text_changed = _SPACES.sub(" ", old).strip() != _SPACES.sub(" ", new).strip()
    if text_changed and any(r in ("moved", "split", "merged") for r in structural):
        reasons.append("modified")
    if contents:
        same = _entries(old) == _entries(new)
        return Assessment("editorial", _unique([*reasons, "contents"]), (), same_entries=same)
    if not text_changed:  # the same words: only the structure (or the spacing) changed
        return Assessment("editorial", _unique(reasons or ["whitespace"]), ())
    regions = changed_regions(inline)
    region_kinds = [region_reason(removed, added) for removed, added in regions]
    if all(k == "whitespace" for k in region_kinds):
        return Assessment("editorial", _unique([*reasons, "whitespace"]), ())

    tripwires = find_tripwires(old, new, language=language)
    substantive: list[str] = []
    editorial: list[str] = []
    for wire in tripwires:
        if wire.kind in MEANING_KINDS:
            substantive.append(wire.kind)
        elif wire.kind == "reference":
            editorial_reference = _follows(wire, renumbering or {}) or _is_label(wire, old, new)
            (editorial if editorial_reference else substantive).append("reference")
        elif wire.kind == "spelling":
            editorial.append("typo")
        else:
            editorial.append(wire.kind)
    if not substantive:  # (a tripwire already settled it: spare the sentence check)
        substantive += _whole_sentences(old, new, cjk=language == "zh")
    if not substantive:
        substantive += _inserted_phrases(old, new, regions)
    explained = [t for t in tripwires if t.kind not in MEANING_KINDS]
    text_reasons = [
        kind
        for kind, (removed, added) in zip(region_kinds, regions, strict=True)
        if kind != "whitespace"
        and not (kind == "reworded" and _explained(removed, added, explained))
    ]
    if not substantive and "reworded" in text_reasons:
        if _is_heading_only(old) and _is_heading_only(new):
            text_reasons = ["heading" if k == "reworded" else k for k in text_reasons]
        elif word_overlap(old, new) < REWORD_FLOOR:
            substantive.append("low-similarity")
    if substantive:
        return Assessment("substantive", _unique([*reasons, *substantive]), tripwires)
    if not editorial and not text_reasons:
        text_reasons = ["whitespace"]
    return Assessment("editorial", _unique([*reasons, *editorial, *text_reasons]), tripwires)


def word_overlap(old: str, new: str) -> float:
    """Share of words the two texts have in common, order aside (Dice coefficient over the
    case-folded word multisets): 1.0 for the same words, 0.0 for none shared."""
    a = Counter(w.casefold() for w in _WORD.findall(old))
    b = Counter(w.casefold() for w in _WORD.findall(new))
    total = sum(a.values()) + sum(b.values())
    if total == 0:
        return 1.0
    return 2 * sum((a & b).values()) / total


def _explained(removed: str, added: str, tripwires: Sequence[Tripwire]) -> bool:
    """A reworded region that is the words of an editorial tripwire (a date bump)."""
    r, a = removed.strip(), added.strip()
    return any(r in t.before and a in t.after for t in tripwires)


def _is_label(wire: Tripwire, old: str, new: str) -> bool:
    """The 'reference' is the number that opens the clause: its label, read as text."""
    before, after = wire.before.strip(), wire.after.strip()
    return (
        bool(before or after)
        and (not before or old.lstrip().startswith(before))
        and (not after or new.lstrip().startswith(after))
    )


def region_reason(removed: str, added: str) -> str:
    """What one changed region of a redline is: ``whitespace``, ``punctuation``, ``case``,
    ``typo`` or ``reworded``."""
    if _SPACES.sub("", removed) == _SPACES.sub("", added):
        return "whitespace"
    bare_old, bare_new = _SPACE_OR_PUNCT.sub("", removed), _SPACE_OR_PUNCT.sub("", added)
    if bare_old == bare_new:
        return "punctuation"
    if bare_old.casefold() == bare_new.casefold():
        return (
            "case"
            if _SPACES.sub("", removed).casefold() == _SPACES.sub("", added).casefold()
            else "punctuation"
        )
    if _is_typo(removed, added):
        return "typo"
    return "reworded"


def _is_typo(removed: str, added: str) -> bool:
    """One word on each side, not a number, within one edit (two for long words)."""
    a, b = word_tokens(removed), word_tokens(added)
    words_a = [t for t in a if t.isalpha()]
    words_b = [t for t in b if t.isalpha()]
    if len(words_a) != 1 or len(words_b) != 1 or len(a) != len(b):
        return False
    x, y = words_a[0].casefold(), words_b[0].casefold()
    if min(len(x), len(y)) < _TYPO_MIN_LENGTH or _CJK.search(x + y):
        return False
    return _within(x, y, 1 if min(len(x), len(y)) < 8 else 2)


def _within(a: str, b: str, limit: int) -> bool:
    """Optimal-string-alignment distance (a swap of neighbours is one edit) at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1] <= limit


def _follows(wire: Tripwire, renumbering: Mapping[str, str]) -> bool:
    """A reference change is editorial when it is a list marker, or the new number is what the
    old one was renumbered to."""
    if wire.before.lstrip().startswith(("(", "（")) or wire.after.lstrip().startswith(("(", "（")):
        return True
    before: list[str] = _DOTTED.findall(wire.before)
    after: list[str] = _DOTTED.findall(wire.after)
    if not before or not after:
        return False
    return renumbering.get(before[-1]) == after[-1]


def _whole_sentences(old: str, new: str, *, cjk: bool) -> list[str]:
    """``sentence-added`` / ``sentence-removed`` when a sentence is (nearly) all new / gone.

    Words are kept when they are on a common subsequence of the two texts' case-folded words,
    so a reordered paraphrase keeps most of its words while an inserted sentence keeps none.
    """
    words_old = [(m.start(), m.group().casefold()) for m in _WORD.finditer(old)]
    words_new = [(m.start(), m.group().casefold()) for m in _WORD.finditer(new)]
    pairs = common_subsequence([w for _, w in words_old], [w for _, w in words_new])
    kept_old = {words_old[i][0] for i, _ in pairs}
    kept_new = {words_new[j][0] for _, j in pairs}
    out = []
    if _has_new_sentence(new, words_new, kept_new, cjk=cjk):
        out.append("sentence-added")
    if _has_new_sentence(old, words_old, kept_old, cjk=cjk):
        out.append("sentence-removed")
    return out


def _has_new_sentence(
    text: str, words: list[tuple[int, str]], kept: set[int], *, cjk: bool
) -> bool:
    bounds = [*(m.start() for m in _SENTENCE_END.finditer(text)), len(text)]
    k = 0
    for end in bounds:
        inside: list[int] = []
        while k < len(words) and words[k][0] < end:
            inside.append(words[k][0])
            k += 1
        size = len(inside) / 2 if cjk else len(inside)
        if size < SENTENCE_WORDS:
            continue
        fresh = sum(1 for start in inside if start not in kept)
        if fresh >= SENTENCE_COVERED * len(inside):
            return True
    return False


_WORD = regex(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+(?:['’][^\W_]+)*")
_FUNCTION_WORD_LIST = """a an the of to and or in on at for by with from as is are be been was were this that
    these those it its you your we our us they their them can may will would shall should must
    not no any all such other also if when which who whom whose than then there here so but
    into onto about over under up out only just very more most some each every same"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())


def _content_words(text: str) -> list[str]:
    """Words that carry meaning (function words left out); CJK characters in pairs."""
    words = [w.casefold() for w in _WORD.findall(text)]
    latin = [w for w in words if not _CJK.match(w) and w not in _FUNCTION_WORDS and not w.isdigit()]
    cjk = "".join(w for w in words if _CJK.match(w))
    return latin + [cjk[i : i + 2] for i in range(0, len(cjk) - 1, 2)]


def _inserted_phrases(old: str, new: str, regions: Sequence[tuple[str, str]]) -> list[str]:
    """``phrase-added`` / ``phrase-removed`` when one changed region inserts (or deletes) at
    least :data:`PHRASE_WORDS` content words that the other text does not use, against at most
    :data:`PHRASE_AGAINST` words on the other side."""
    old_words, new_words = set(_content_words(old)), set(_content_words(new))
    out: list[str] = []
    for removed, added in regions:
        for mine, theirs, other, reason in (
            (added, removed, old_words, "phrase-added"),
            (removed, added, new_words, "phrase-removed"),
        ):
            if len(_WORD.findall(theirs)) > PHRASE_AGAINST:
                continue
            fresh = [w for w in _content_words(mine) if w not in other]
            if len(fresh) >= PHRASE_WORDS and reason not in out:
                out.append(reason)
    return out


def _entries(text: str) -> list[str]:
    """Lines of a table of contents without their numbers, sorted."""
    out = []
    for line in text.splitlines():
        words = _SPACE_OR_PUNCT.sub(" ", _DOTTED.sub(" ", line)).split()
        if words:
            out.append(" ".join(w.casefold() for w in words))
    return sorted(out)


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
