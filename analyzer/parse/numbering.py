"""Reading a clause number at the start of a block: ``1、`` ``一、`` ``（一）`` ``2.1.1`` ``III``
``第一条`` ``(a)`` ``①`` and the seed's damaged forms (``3.1.2 .``, ``five point two``).

The styles are a table (:data:`STYLES`): each row names the style, the numbering *family* it
belongs to (the series a reader follows: ``arabic`` outline numbers, ``paren-digit`` items …),
an anchored regular expression, how to turn the match into integers, and how much the match can
be trusted on its own. :func:`read_numbers` returns every reading of a line, best first; the tree
builder picks the one that fits the numbering around it (``(i)`` is a Roman one after ``(h)``?
no: a letter). A *weak* reading (a bare Roman numeral, a number written in words) is only taken
when it continues a sequence; a *medium* one when it continues a sequence or starts one.

Every pattern is anchored and built from bounded repetitions separated by fixed delimiters, and
only the first :data:`SCAN` characters of a block are examined, so reading is linear in the block
and a 1 MB line costs no more than a short one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from analyzer.text.numerals import EN_NUMBER_WORDS, ZH_DIGITS

Strength = Literal["strong", "medium", "weak"]

SCAN = 160
"""Characters at the start of a block that can hold a label."""

MAX_VALUE = 999
"""Largest value of one component; ``2018.`` is a year, not clause two thousand and eighteen."""

SECTION_FAMILIES = frozenset(
    {
        "arabic",
        "roman",
        "upper-letter",
        "cn-dun",
        "cn-part",
        "cn-chapter",
        "cn-section",
        "cn-article",
    }
)
"""Families whose members are sections a document is divided into; the others are items of a
list inside a clause (``(1)``, ``a)``, ``①``, ``（一）``)."""


@dataclass(frozen=True)
class Numbering:
    """One reading of the number that opens a block."""

    label: str
    """The number as written, delimiters included (``2.1.``, ``（一）``, ``five point two``)."""
    style: str
    """The row of :data:`STYLES` that matched (``dotted``, ``cn-paren``, ``roman-bare`` …)."""
    family: str
    """The series the number belongs to; numbers of one family are siblings or ancestors."""
    values: tuple[int, ...]
    """Normalised value: ``(2, 1, 1)`` for ``2.1.1``, ``(3,)`` for ``III``, ``(5, 2)`` for
    ``five point two``."""
    rest: str
    """The text after the label and the blank that separates it."""
    strength: Strength
    """How far the reading can be trusted without looking at the numbers around it."""
    damage: str | None = None
    """What was repaired to read it (``stray space``, ``number written in words``), or None."""

    @property
    def is_item(self) -> bool:
        """Whether the number marks an item of a list rather than a section."""
        return self.family not in SECTION_FAMILIES

    @property
    def dotted(self) -> str:
        """The value written the way reports name it: ``5.2``."""
        return ".".join(str(v) for v in self.values)


# -- converters --------------------------------------------------------------------------------

_CN_DIGITS = ZH_DIGITS
_CN_NUMERAL = "零〇一二三四五六七八九两十百"


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese numeral from 1 to 999 (``十二`` 12, ``二十一`` 21, ``一百零三`` 103).

    Returns None for anything that is not written the way a number is written (``十十``,
    ``三三``), so that a word that happens to use numeral characters is not read as a number.
    """
    if not text or len(text) > 6:
        return None
    total = 0
    current: int | None = None
    last_unit = 1000
    for char in text:
        if char in "零〇" and current is None and last_unit == 100:
            continue  # the placeholder in 一百零三
        if char in _CN_DIGITS:
            if current is not None:
                return None
            current = _CN_DIGITS[char]
        elif char in "十百":
            unit = 10 if char == "十" else 100
            if unit >= last_unit:
                return None
            total += (1 if current is None else current) * unit
            current = None
            last_unit = unit
        else:
            return None
    total += current or 0
    if not 1 <= total <= MAX_VALUE or to_chinese(total) != _canonical_chinese(text):
        return None
    return total


def _canonical_chinese(text: str) -> str:
    text = text.replace("两", "二").replace("〇", "零")
    return text[1:] if text.startswith("一十") else text


def to_chinese(value: int) -> str:
    """``12`` -> ``十二``; the canonical spelling :func:`chinese_to_int` compares against."""
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("一" if hundreds and tens == 1 else "" if tens == 1 else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(text: str) -> int | None:
    """Value of a Roman numeral up to 99 (``III`` 3, ``xiv`` 14), or None when malformed."""
    lowered = text.lower()
    if not lowered or not _ROMAN_STRICT.fullmatch(lowered):
        return None
    total = 0
    previous = 0
    for char in reversed(lowered):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


_ROMAN_STRICT = re.compile(r"(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")

_NUMBER_WORDS = {
    word: value
    for word, value in EN_NUMBER_WORDS.items()
    if word not in ("a", "an") and value <= 20
}
"""One to twenty: the numbers a clause number is written in words with (``five point two``)."""
_WORD = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# -- the table ---------------------------------------------------------------------------------

_D = "[0-9０-９]{1,3}"  # one component: at most three digits, so a year is never a clause number
_CN = f"[{_CN_NUMERAL}]{{1,6}}"
_UPPER_ROMAN = "[IVXLC]{1,7}"
_LOWER_ROMAN = "[ivxlc]{1,7}"
_BLANK = "[ \t\n\u3000]"
_GAP = rf"(?:{_BLANK}{{1,8}}|\Z)"  # the blank after a Latin label (or the end of the block)
_GAP_OR_CJK = rf"(?:{_BLANK}{{1,8}}|\Z|(?=[\u3400-\u9fff“「《(（\"']))"
_OPEN = "[(（]"
_CLOSE = "[)）]"

Converter = Callable[[re.Match[str]], tuple[int, ...] | None]


def _ints(match: re.Match[str]) -> tuple[int, ...] | None:
    values = tuple(int(part) for part in re.split(r"[.．]", match.group("n")) if part)
    return values if values and all(1 <= v <= MAX_VALUE for v in values) else None


def _chinese(match: re.Match[str]) -> tuple[int, ...] | None:
    value = chinese_to_int(match.group("n"))
    return (value,) if value is not None else None


def _chinese_or_int(match: re.Match[str]) -> tuple[int, ...] | None:
    return (
        _ints(match) if match.group("n")[0] in "0123456789０１２３４５６７８９" else _chinese(match)
    )


def _roman(match: re.Match[str]) -> tuple[int, ...] | None:
    value = roman_to_int(match.group("n"))
    return (value,) if value is not None else None


def _letter(match: re.Match[str]) -> tuple[int, ...] | None:
    return (ord(match.group("n").lower()) - ord("a") + 1,)


def _circled(match: re.Match[str]) -> tuple[int, ...] | None:
    return (_CIRCLED.index(match.group("n")) + 1,)


def _words(match: re.Match[str]) -> tuple[int, ...] | None:
    return (_NUMBER_WORDS[match.group("a").lower()], _NUMBER_WORDS[match.group("b").lower()])


@dataclass(frozen=True)
class Style:
    """One numbering style: a row of :data:`STYLES`."""

    name: str
    family: str
    source: str
    """The regular expression, anchored at the start; group ``n`` holds the number, the whole
    match is the label plus the blank after it."""
    convert: Converter
    strength: Strength
    damage: str | None = None
    heading_only: bool = False
    """Only read at the start of a heading (``A. Definitions``), never of running text."""
    starts: str | None = None
    """Every character a match can start with; None for a case-insensitive style, which can
    start with any letter (``re.IGNORECASE`` also folds ``ſ`` and the Kelvin sign)."""
    flags: int = 0

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The compiled expression, compiled the first time a block could match it: a style
        whose first characters a document never opens a block with (Chinese numbering in an
        English policy) costs nothing."""
        return re.compile(self.source, self.flags)

    def may_start(self, head: str) -> bool:
        """Whether a match could start at the first character of ``head``."""
        first = head[:1]
        return first.isalpha() if self.starts is None else bool(first) and first in self.starts


_DIGITS = "0123456789０１２３４５６７８９"
_OPENERS = "(（"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()


def _style(
    name: str,
    family: str,
    pattern: str,
    convert: Converter,
    strength: Strength,
    *,
    starts: str | None,
    damage: str | None = None,
    heading_only: bool = False,
    flags: int = 0,
) -> Style:
    return Style(name, family, pattern, convert, strength, damage, heading_only, starts, flags)


STYLES: tuple[Style, ...] = (
    # Chinese structural numbers: 第一条 第十二条 第一章 第二节 第一部分.
    _style(
        "cn-article",
        "cn-article",
        rf"第(?P<n>{_CN}|{_D})条{_BLANK}{{0,8}}",
        _chinese_or_int,
        "strong",
        starts="第",
    ),
    _style(
        "cn-chapter",
        "cn-chapter",
        rf"第(?P<n>{_CN}|{_D})章{_BLANK}{{0,8}}",
        _chinese_or_int,
        "strong",
        starts="第",
    ),
    _style(
        "cn-section",
        "cn-section",
        rf"第(?P<n>{_CN}|{_D})节{_BLANK}{{0,8}}",
        _chinese_or_int,
        "strong",
        starts="第",
    ),
    _style(
        "cn-part",
        "cn-part",
        rf"第(?P<n>{_CN}|{_D})部分{_BLANK}{{0,8}}",
        _chinese_or_int,
        "strong",
        starts="第",
    ),
    # 一、  （一）  (一)
    _style(
        "cn-dun",
        "cn-dun",
        rf"(?P<n>{_CN})[、．]{_BLANK}{{0,8}}",
        _chinese,
        "strong",
        starts=_CN_NUMERAL,
    ),
    _style(
        "cn-paren",
        "cn-paren",
        rf"{_OPEN}(?P<n>{_CN}){_CLOSE}{_BLANK}{{0,8}}",
        _chinese,
        "strong",
        starts=_OPENERS,
    ),
    # 3.1.2 . (a stray space before the last dot)
    _style(
        "dotted-stray-space",
        "arabic",
        rf"(?P<n>{_D}(?:[.．]{_D}){{1,7}})[ \t]{{1,3}}[.．]{_GAP}",
        _ints,
        "strong",
        damage="stray space",
        starts=_DIGITS,
    ),
    # 1.1.  2.1.1.  (trailing dot) and 2.1.1 / 1.1 (without)
    _style(
        "dotted-dot",
        "arabic",
        rf"(?P<n>{_D}(?:[.．]{_D}){{1,7}})[.．]{_GAP_OR_CJK}",
        _ints,
        "strong",
        starts=_DIGITS,
    ),
    _style(
        "dotted",
        "arabic",
        rf"(?P<n>{_D}(?:[.．]{_D}){{1,7}}){_GAP_OR_CJK}",
        _ints,
        "medium",
        starts=_DIGITS,
    ),
    # 1、  1.  1．
    _style(
        "digit-dun", "arabic", rf"(?P<n>{_D})、{_BLANK}{{0,8}}", _ints, "strong", starts=_DIGITS
    ),
    _style(
        "digit-dot", "arabic", rf"(?P<n>{_D})[.．]{_GAP_OR_CJK}", _ints, "medium", starts=_DIGITS
    ),
    # (1) （1）  1)
    _style(
        "paren-digit",
        "paren-digit",
        rf"{_OPEN}(?P<n>{_D}){_CLOSE}{_BLANK}{{0,8}}",
        _ints,
        "strong",
        starts=_OPENERS,
    ),
    _style(
        "digit-paren",
        "digit-paren",
        rf"(?P<n>{_D}){_CLOSE}{_GAP_OR_CJK}",
        _ints,
        "medium",
        starts=_DIGITS,
    ),
    # ① … ⑳
    _style(
        "circled",
        "circled",
        rf"(?P<n>[{_CIRCLED}]){_BLANK}{{0,8}}",
        _circled,
        "strong",
        starts=_CIRCLED,
    ),
    # (iv)  (a)  a)  a.   — (i), (v), (x) read both ways; the builder decides by the sequence
    _style(
        "paren-roman",
        "paren-roman",
        rf"{_OPEN}(?P<n>{_LOWER_ROMAN}){_CLOSE}{_GAP}",
        _roman,
        "strong",
        starts=_OPENERS,
    ),
    _style(
        "paren-letter",
        "paren-letter",
        rf"{_OPEN}(?P<n>[a-z]){_CLOSE}{_GAP}",
        _letter,
        "strong",
        starts=_OPENERS,
    ),
    _style(
        "letter-paren", "letter-paren", rf"(?P<n>[a-z])\){_GAP}", _letter, "medium", starts=_LOWER
    ),
    _style("letter-dot", "letter-dot", rf"(?P<n>[a-z])\.{_GAP}", _letter, "weak", starts=_LOWER),
    # IV.  III、  III How … (bare: weak)   A. Definitions (headings only)
    _style(
        "roman-dot",
        "roman",
        rf"(?P<n>{_UPPER_ROMAN})[.、]{_GAP_OR_CJK}",
        _roman,
        "medium",
        starts="IVXLC",
    ),
    _style(
        "upper-letter",
        "upper-letter",
        rf"(?P<n>[A-Z])\.{_GAP}",
        _letter,
        "medium",
        heading_only=True,
        starts=_UPPER,
    ),
    _style(
        "roman-bare",
        "roman",
        rf"(?P<n>{_UPPER_ROMAN})[ \t]{{1,8}}(?=[A-Z\u3400-\u9fff])",
        _roman,
        "weak",
        starts="IVXLC",
    ),
    # five point two / five six (the seed's numbers written in words)
    _style(
        "words",
        "arabic",
        rf"(?P<a>{_WORD})(?:[ \t]{{1,3}}point)?[ \t]{{1,3}}(?P<b>{_WORD}){_GAP}",
        _words,
        "weak",
        damage="number written in words",
        flags=re.IGNORECASE,
        starts=None,
    ),
)

# After a number without a closing delimiter, these mean it was a quantity: ``1.5 GB``.
_QUANTITY = re.compile(
    r"(?:%|％|‰|percent\b|per cent\b|[kmgtp]i?b\b|bytes?\b|bits?\b|million\b|billion\b|"
    r"thousand\b|years?\b|months?\b|weeks?\b|days?\b|hours?\b|minutes?\b|seconds?\b|"
    r"[kcm]?m\b|kg\b|g\b|mb/s\b|usd\b|eur\b|gbp\b|cny\b|rmb\b|dollars?\b|euros?\b|yuan\b|"
    r"[元万亿年月日天岁个]|小时|分钟|秒)",
    re.IGNORECASE,
)
_NO_CLOSING_DELIMITER = frozenset({"dotted", "words"})
_BLANKS = " \t\n\u3000"


def read_numbers(text: str, *, heading: bool = False) -> list[Numbering]:
    """Every reading of a number at the start of ``text``, most likely first.

    ``heading`` allows the styles that only make sense in a heading (``A. Definitions``).
    Leading blanks are skipped. Nothing here looks at other blocks: whether ``III`` really is
    section 3 is the tree builder's call.
    """
    stripped = text.lstrip(_BLANKS)
    head = stripped[:SCAN]
    found: list[Numbering] = []
    families: set[str] = set()
    for style in STYLES:
        if (
            (style.heading_only and not heading)
            or style.family in families
            or not style.may_start(head)
        ):
            continue
        match = style.pattern.match(head)
        if match is None:
            continue
        values = style.convert(match)
        if values is None:
            continue
        label = match.group(0).rstrip(_BLANKS)
        rest = stripped[match.end() :].lstrip(_BLANKS)
        if style.name in _NO_CLOSING_DELIMITER and (not rest or _QUANTITY.match(rest)):
            continue  # "3.14" alone, "1.5 GB": a quantity, not a label
        if style.name == "roman-bare" and values == (1,):
            continue  # "I will …": the pronoun, never a section number
        if style.name == "letter-dot" and label[0] in "ie" and rest[:2] in ("e.", "g."):
            continue
        strength = style.strength
        if style.name == "dotted" and len(values) >= 3:
            strength = "strong"  # 2.1.1 is a clause number whatever follows it
        families.add(style.family)
        found.append(
            Numbering(
                label=label,
                style=style.name,
                family=style.family,
                values=values,
                rest=rest,
                strength=strength,
                damage=style.damage,
            )
        )
    return found


def read_number(text: str, *, heading: bool = False) -> Numbering | None:
    """The most likely reading of a number at the start of ``text``, or None."""
    found = read_numbers(text, heading=heading)
    return found[0] if found else None


def token(family: str, value: int) -> str:
    """How one component is written in an id: ``3``, or ``a`` for letter lists, ``iv`` for
    lower-case Roman items (so ``(a)`` under 1.2 is ``s1.2(a)``)."""
    if family in ("paren-letter", "letter-paren", "letter-dot") and 1 <= value <= 26:
        return chr(ord("a") + value - 1)
    if family == "paren-roman":
        return to_roman(value).lower()
    return str(value)


def to_roman(value: int) -> str:
    """``14`` -> ``XIV`` (1 to 99)."""
    out = ""
    for number, letters in (
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out + "I" * value
