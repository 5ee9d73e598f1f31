"""Characters that make a text read differently from how it is stored, and the text as a reader
sees it.

An honest policy never needs any of these; a hostile edit uses them to slip a change past a
reader or past the analysis:

``bidi``
    the bidirectional controls (embeddings, overrides, isolates, and the direction marks outside
    right-to-left text): ``RLO 06231-08-004 PDF`` displays as ``400-80-13260``;
``invisible``
    format characters that stay in the text after normalisation and split a word for the
    analysis while the reader sees it whole (``sh`` U+2062 ``are``, U+034F, a zero-width joiner
    between Chinese characters, a variation selector after a letter, the Hangul fillers);
``look-alike``
    a letter or digit that looks like one of the surrounding script but is not: a Cyrillic
    ``а`` in ``dаys``, a whole Cyrillic word spelling ``pay`` in English text, a mathematical
    bold ``𝐬``, a full-width ``ｓ`` inside a Latin word, a Kangxi radical among Chinese
    characters.

:func:`find_suspicious` lists them with their offsets; :func:`fold` gives the text a reader
sees, which is what the judgement reads: the invisible and bidi characters dropped, each
look-alike replaced by the character it imitates (its prototype in Unicode's confusables data,
UTS #39, from the maintained ``confusable-homoglyphs`` package; full-width and mathematical
forms by NFKC); :func:`mark` writes every one of them out as ``⟨U+0430⟩``, which is how every
human-readable output shows them.

Cost: one regular-expression search per text finds nothing in ordinary English or Chinese (the
characters a policy normally uses are outside :data:`_CANDIDATE`), and the confusables data
(about 1 MB of JSON, about 0.1 s) is loaded only when a text holds a letter of another script
that might imitate a Latin one. Zero-width spaces, word joiners, soft hyphens and a BOM inside
the text are not listed: :mod:`analyzer.text.normalize` removes them before anything reads the
text, so they cannot hide a word.
"""

from __future__ import annotations

import bisect
import collections
import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from analyzer.text.compiled import regex

__all__ = ["Suspicious", "SuspiciousKind", "find_suspicious", "fold", "has_candidates", "mark"]

SuspiciousKind = Literal["bidi", "invisible", "look-alike"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides, their terminator, and the isolates: always suspicious."""
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
"""Left-to-right, right-to-left and Arabic letter marks: honest in right-to-left text only."""

# The characters a policy normally uses, which can never be suspicious; everything else is a
# candidate that find_suspicious looks at closely. Ranges: ASCII; Latin-1 and Latin
# Extended-A (soft hyphen aside); Romanian ș ț; combining diacritics (U+034F aside); general
# punctuation (the format characters aside); currency; a few letterlike symbols (℃ ℉ № ℗ ℠ ™);
# arrows, mathematical operators, technical symbols, enclosed numbers (①), box drawing, shapes,
# dingbats; CJK punctuation, kana, bopomofo, Hangul (its fillers aside), enclosed CJK, the
# ideographs and their compatibility forms; CJK and small form variants; full-width
# punctuation; emoji.
_HONEST = (
    "\t\n\r\x20-\x7e"
    "\u00a0-\u00ac\u00ae-\u017f\u0218-\u021b"
    "\u0300-\u034e\u0350-\u036f"
    "\u2010-\u2027\u2030-\u205e"
    "\u20a0-\u20cf\u2103\u2109\u2116\u2117\u2120\u2122"
    "\u2190-\u2bff"
    "\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3131-\u3163\u3165-\u318f\u3190-\u33ff"
    "\u1100-\u115e\u1161-\u11ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\ufe30-\ufe4f\ufe50-\ufe6f"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\U0001f000-\U0001f3fa\U0001f400-\U0001faff"
)
_CANDIDATE = regex(f"[^{_HONEST}]")
_CANDIDATES = regex(f"[^{_HONEST}]+")
_SPECIAL = regex(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2e80-\u2fdf\u3164"
    "\ufe00-\ufe0f"
    "\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e01ef]"
)
"""The bidi controls and marks, the format characters (category Cf), the variation selectors,
tags, the other characters that show nothing (U+034F, the Hangul fillers), and the CJK
radicals."""
_LONGEST_WORD = 64
"""Longer runs of letters are judged in pieces of this length."""
_LETTER_OR_DIGIT = regex(r"[^\W_]")

_FULLWIDTH_ALNUM = regex("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_RTL_LETTER = regex(
    "[\u05d0-\u05ea\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0710-\u072f\ufb1d-\ufdff\ufe70-\ufefc]"
)
"""Hebrew, Arabic and Syriac letters (not their marks: the Arabic letter mark is not a letter)."""
_JOINING = regex(
    "[\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u07c0-\u07ff\u08a0-\u08ff"
    "\u0900-\u0dff\u1000-\u109f\u1780-\u17ff\u1800-\u18af\ua840-\ua877]"
)
"""Scripts in which a zero-width (non-)joiner changes how letters join (Arabic, Syriac, N'Ko,
the Indic scripts, Myanmar, Khmer, Mongolian, Phags-pa)."""
_CJK = regex("[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_RADICALS = regex("[\u2e80-\u2fdf]")
"""CJK radicals supplement and Kangxi radicals: dictionary characters that look exactly like
ideographs (⼈ U+2F08 and 人 U+4EBA)."""
_WORD = regex(
    "[\\w\u0300-\u036f\u034f\u200c\u200d\u2060-\u2064\ufe00-\ufe0f\u3164\uffa0\u115f\u1160"
    "\U000e0100-\U000e01ef]+"
)
"""A word as the look-alike rules see it: letters, digits and marks, with the invisible
characters that may sit inside one."""
_ALWAYS_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")
"""The combining grapheme joiner, the Hangul fillers and the Mongolian vowel separator: they
show nothing in a policy."""


@dataclass(frozen=True)
class Suspicious:
    """One suspicious character of a text."""

    offset: int
    """Where it is in the text that was scanned."""
    char: str
    kind: SuspiciousKind
    looks_like: str = ""
    """For a look-alike: what a reader takes it for (``a`` for U+0430); else empty."""

    @property
    def code_point(self) -> str:
        """``U+0430``."""
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        """The Unicode name (``CYRILLIC SMALL LETTER A``), or the code point when it has none."""
        return unicodedata.name(self.char, self.code_point)

    def describe(self) -> str:
        """``U+0430 CYRILLIC SMALL LETTER A (looks like 'a')``, ``U+202E RIGHT-TO-LEFT
        OVERRIDE (bidi control)``."""
        if self.kind == "look-alike":
            return f"{self.code_point} {self.name} (looks like {self.looks_like!r})"
        what = "bidi control" if self.kind == "bidi" else "invisible"
        return f"{self.code_point} {self.name} ({what})"


def has_candidates(text: str) -> bool:
    """Whether ``text`` holds a character that might be suspicious (one regex search; False for
    ordinary English and Chinese text)."""
    return _CANDIDATE.search(text) is not None


def find_suspicious(text: str) -> tuple[Suspicious, ...]:
    """Every suspicious character of ``text``, in order."""
    if _CANDIDATE.search(text) is None:
        return ()
    return tuple(_scan(text))


def fold(text: str) -> str:
    """``text`` as a reader sees it: bidi and invisible characters dropped, look-alikes replaced
    by what they imitate. ``text`` itself when it holds none."""
    found = find_suspicious(text)
    if not found:
        return text
    out: list[str] = []
    last = 0
    for item in found:
        out.append(text[last : item.offset])
        out.append(item.looks_like)  # empty for bidi and invisible characters
        last = item.offset + 1
    out.append(text[last:])
    return "".join(out)


def mark(text: str) -> str:
    """``text`` with every suspicious character written out as ``⟨U+0430⟩``."""
    found = find_suspicious(text)
    if not found:
        return text
    out: list[str] = []
    last = 0
    for item in found:
        out.append(text[last : item.offset])
        out.append(f"⟨{item.code_point}⟩")
        last = item.offset + 1
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------


def _scan(text: str) -> list[Suspicious]:
    rtl = None  # whether the text has right-to-left letters, worked out when first needed
    counts = functools.cache(lambda: _letter_counts(text))
    found: list[Suspicious] = []
    spans: list[tuple[int, int]] = []  # every word of the text, found once when first needed
    done_up_to = -1  # the end of the last word whose look-alikes were worked out
    for run in _CANDIDATES.finditer(text):
        for match in _SPECIAL.finditer(text, run.start(), run.end()):
            at = match.start()
            char = match.group()
            if char in BIDI_CONTROLS:
                found.append(Suspicious(at, char, "bidi"))
            elif _RADICALS.match(char):
                found.append(Suspicious(at, char, "look-alike", _nfkc(char)))
            elif char in BIDI_MARKS:
                if rtl is None:
                    rtl = _RTL_LETTER.search(text) is not None
                if not rtl:
                    found.append(Suspicious(at, char, "bidi"))
            elif _invisible(text, at, char):
                found.append(Suspicious(at, char, "invisible"))
        if run.end() <= done_up_to or _LETTER_OR_DIGIT.search(run.group()) is None:
            continue
        if not spans:
            spans = [m.span() for m in _WORD.finditer(text)] or [(0, 0)]
        index = max(0, bisect.bisect_right(spans, (run.start(), len(text) + 1)) - 1)
        while index < len(spans) and spans[index][0] < run.end():
            start, end = spans[index]
            index += 1
            if end <= run.start() or end <= done_up_to:
                continue
            done_up_to = end
            # a "word" of thousands of letters is read in pieces (repeated pieces are cached)
            for piece in range(start, end, _LONGEST_WORD):
                stop = min(end, piece + _LONGEST_WORD)
                always, whole, script = _word_look_alikes(text[piece:stop])
                found += [
                    Suspicious(piece + i, text[piece + i], "look-alike", p) for i, p in always
                ]
                if whole and _latin_around(counts(), script, len(whole)):
                    found += [
                        Suspicious(piece + i, text[piece + i], "look-alike", p) for i, p in whole
                    ]
    found.sort(key=lambda item: item.offset)
    return found


def _invisible(text: str, at: int, char: str) -> bool | None:
    """True: an invisible character that hides something here; False: one that is honest
    here (a joiner in Arabic, a variation selector after an emoji); None: not an invisible
    character at all."""
    code = ord(char)
    if char in _ALWAYS_INVISIBLE:
        return True
    if char in "\u200c\u200d":
        before = text[at - 1] if at > 0 else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        joined = bool(before and after) and (
            (_JOINING.match(before) is not None and _JOINING.match(after) is not None)
            or (_is_emoji(before) and _is_emoji(after))
        )
        return not joined
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        before = text[at - 1] if at > 0 else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        keycap = before in "#*0123456789" and after == "\u20e3"  # 6️⃣: digit, VS16, keycap
        honest = bool(before) and (_is_emoji(before) or keycap or _CJK.match(before) is not None)
        return not honest
    if 0xE0020 <= code <= 0xE007F:  # tag characters: honest only in an emoji flag sequence
        lead = at
        while lead > 0 and 0xE0020 <= ord(text[lead - 1]) <= 0xE007F:
            lead -= 1
        return not (lead > 0 and text[lead - 1] == "\U0001f3f4")
    if unicodedata.category(char) == "Cf":
        return True
    return None


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or char in "\ufe0f\u20e3"
        or unicodedata.category(char) == "So"
    )


@functools.lru_cache(maxsize=1 << 16)
def _word_look_alikes(
    word: str,
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...], str]:
    """The look-alikes of one word, as (offset in the word, what it imitates): those that are
    look-alikes wherever the word stands; those that are when the text around the word is
    Latin (a whole word of another script whose every letter imitates a Latin one), with that
    script. The invisible characters inside the word are left to the other rules; words
    repeat, so the answer is cached."""
    has_ascii = any(c in _ASCII_ALNUM for c in word)
    always: list[tuple[int, str]] = []
    foreign: list[tuple[int, str]] = []
    for index, char in enumerate(word):
        if char in _ASCII_ALNUM or _CANDIDATE.match(char) is None or _maybe_invisible(char):
            continue
        code = ord(char)
        if 0x1D400 <= code <= 0x1D7FF:  # mathematical letters and digits: never honest
            always.append((index, _nfkc(char)))
        elif _FULLWIDTH_ALNUM.match(char) or 0x2150 <= code <= 0x218F:
            # full-width forms and Roman numerals are honest among Chinese characters
            if has_ascii:
                always.append((index, _nfkc(char)))
        elif char.isalnum() or unicodedata.category(char).startswith("M"):
            foreign.append((index, char))
    if not foreign:
        return tuple(always), (), ""
    protos = [(index, char, _latin_prototype(char)) for index, char in foreign]
    if has_ascii:  # a mixed-script word: each letter that imitates a Latin one
        always += [(index, proto) for index, _char, proto in protos if proto]
        return tuple(always), (), ""
    letters = [p for p in protos if p[1].isalpha()]
    if not letters or any(not proto for _, _, proto in letters):
        return tuple(always), (), ""
    whole = tuple((index, proto) for index, _char, proto in protos if proto)
    return tuple(always), whole, _script(letters[0][1])


def _latin_around(counts: Mapping[str, int], script: str, here: int) -> bool:
    """Whether the text around a word of ``script`` (``here`` of its letters) is Latin: more
    ASCII letters than letters of that script elsewhere, or no other letter of it at all."""
    others = counts.get(script, 0) - here
    return others <= 0 or counts.get("LATIN", 0) > others


def _maybe_invisible(char: str) -> bool:
    """A character the invisible-character rules look at (whatever its neighbours)."""
    code = ord(char)
    return (
        char in _ALWAYS_INVISIBLE
        or char in "\u200c\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0000 <= code <= 0xE01EF
        or unicodedata.category(char) == "Cf"
    )


def _letter_counts(text: str) -> dict[str, int]:
    """Letters of the text by script: ``LATIN`` for the ASCII ones, the script of each other
    candidate letter (the ordinary Latin, Chinese and Japanese letters are not counted)."""
    counts = {"LATIN": 0}
    for char, number in collections.Counter(text).items():
        if "a" <= char <= "z" or "A" <= char <= "Z":
            counts["LATIN"] += number
        elif char.isalpha() and _CANDIDATE.match(char) is not None:
            script = _script(char)
            counts[script] = counts.get(script, 0) + number
    return counts


def _nfkc(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char else ""


@functools.cache
def _latin_prototype(char: str) -> str:
    """What ``char`` imitates among ASCII letters and digits (``a`` for U+0430), or ''."""
    folded = _nfkc(char)
    if folded and all(c in _ASCII_ALNUM for c in folded):
        return folded
    for entry in _confusables().get(char, ()):
        glyph = str(entry.get("c", "")).replace("\u200e", "")
        if glyph and all(c in _ASCII_ALNUM for c in glyph):
            return glyph
    return ""


@functools.cache
def _confusables() -> Mapping[str, Any]:
    """Unicode's confusables data (UTS #39) as the confusable-homoglyphs package ships it;
    loaded on first use only."""
    from confusable_homoglyphs import confusables  # noqa: TID251 (this module owns it)

    data: Mapping[str, Any] = confusables.confusables_data
    return data


@functools.cache
def _script(char: str) -> str:
    """The script of a character (``CYRILLIC``), from the package's copy of Scripts.txt."""
    from confusable_homoglyphs import categories  # noqa: TID251

    return str(categories.alias(char))
