"""Word's list numbering, counted the way Word counts it: what number each paragraph shows.

Works on the parsed XML of ``word/styles.xml`` and ``word/numbering.xml`` (elements handed in by
:mod:`analyzer.parse.word`, which owns the XML library): each list (``w:num``) points at an
abstract definition (``w:abstractNum``, possibly through a numbering style's
``w:numStyleLink``) whose levels say their format (``w:numFmt``: decimal, roman, letters,
Chinese counting …), their text pattern (``w:lvlText``: ``%1.%2.``), their start value and when
they restart (``w:lvlRestart``); a list may override a level or its start
(``w:lvlOverride``/``w:startOverride``: "restart numbering"). Counters belong to the abstract
definition, so lists that share one continue each other's numbers, as in Word; a deeper level
starts again whenever a shallower one is counted, unless its ``w:lvlRestart`` says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Numbering", "Style", "format_number", "read_styles"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """A WordprocessingML tag or attribute name in Clark notation."""
    return f"{{{W}}}{tag}"


@dataclass
class Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


def val(element: Any, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(w("val"))


def int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def read_styles(root: Any) -> dict[str, Style]:
    """The paragraph styles of ``word/styles.xml`` (its root element, or None) by id."""
    out: dict[str, Style] = {}
    if root is None:
        return out
    for style in root.iter(w("style")):
        style_id = style.get(w("styleId"))
        if not style_id:
            continue
        out[style_id] = Style(
            name=(val(style, w("name")) or style_id).strip().lower(),
            based_on=val(style, w("basedOn")),
            outline=int_or_none(val(style, f"{w('pPr')}/{w('outlineLvl')}")),
            num_id=val(style, f"{w('pPr')}/{w('numPr')}/{w('numId')}"),
            ilvl=int_or_none(val(style, f"{w('pPr')}/{w('numPr')}/{w('ilvl')}")),
        )
    return out


@dataclass
class _Level:
    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    style: str | None = None


def _level(element: Any) -> _Level:
    return _Level(
        start=int_or_none(val(element, w("start"))) or 0,
        fmt=val(element, w("numFmt")) or "decimal",
        text=val(element, w("lvlText")) or "",
        restart=int_or_none(val(element, w("lvlRestart"))),
        legal=element.find(w("isLgl")) is not None
        and val(element, w("isLgl")) not in ("0", "false", "off"),
        style=val(element, w("pStyle")),
    )


@dataclass
class _List:
    """One numbering instance (``w:num``): its abstract definition and its overrides."""

    abstract: str
    levels: dict[int, _Level]
    start_overrides: dict[int, int]


class Numbering:
    """Word's list numbering, counted through the document in reading order."""

    def __init__(self, root: Any, styles: dict[str, Style]) -> None:
        self.styles = styles
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstract id -> numbering style it stands for
        self.lists: dict[str, _List] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        raw_abstracts: dict[str, Any] = {}
        for abstract in root.iter(w("abstractNum")):
            key = abstract.get(w("abstractNumId")) or ""
            raw_abstracts[key] = abstract
            levels = {}
            for lvl in abstract.findall(w("lvl")):
                ilvl = int_or_none(lvl.get(w("ilvl")))
                if ilvl is not None and 0 <= ilvl < 9:
                    levels[ilvl] = _level(lvl)
            self.abstracts[key] = levels
            link = val(abstract, w("numStyleLink"))
            if link:
                self.links[key] = link
        for num in root.iter(w("num")):
            num_id = num.get(w("numId"))
            abstract_id = val(num, w("abstractNumId"))
            if not num_id or abstract_id is None:
                continue
            levels = {}
            starts = {}
            for override in num.findall(w("lvlOverride")):
                ilvl = int_or_none(override.get(w("ilvl")))
                if ilvl is None or not 0 <= ilvl < 9:
                    continue
                start = int_or_none(val(override, w("startOverride")))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.lists[num_id] = _List(abstract_id, levels, starts)

    def _abstract(self, num: _List) -> str:
        """The abstract definition behind a list, through a numbering style's link."""
        key = num.abstract
        for _ in range(4):  # a numStyleLink points at a style whose list has the definition
            style_id = self.links.get(key)
            style = self.styles.get(style_id) if style_id else None
            target = self.lists.get(style.num_id or "") if style else None
            if target is None or target.abstract == key:
                break
            key = target.abstract
        return key

    def _levels(self, num: _List) -> dict[int, _Level]:
        return {**self.abstracts.get(self._abstract(num), {}), **num.levels}

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        num = self.lists.get(num_id)
        if num is None or style_id is None:
            return 0
        for ilvl, level in sorted(self._levels(num).items()):
            if level.style == style_id:
                return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """Count one paragraph of list ``num_id`` at level ``ilvl``: the number Word shows for
        it, and whether it is a bullet. None when the list or level does not exist."""
        num = self.lists.get(num_id)
        if num is None:
            return None
        levels = self._levels(num)
        if ilvl not in levels:
            return None
        key = self._abstract(num)
        counters = self.counters.setdefault(key, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden in num.start_overrides:
                counters[overridden] = None
        starts = {k: num.start_overrides.get(k, lvl.start) for k, lvl in levels.items()}
        current = counters[ilvl]
        counters[ilvl] = starts[ilvl] if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                counters[deeper] = None
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "", True

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            if k not in levels or k > ilvl:
                return ""
            value = counters[k]
            if value is None:
                value = starts[k]
            fmt = "decimal" if level.legal and k != ilvl else levels[k].fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level.text).strip(), False


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
_CJK_DIGITS = "〇一二三四五六七八九"
_CJK_TEN_THOUSAND = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _roman(value: int) -> str:
    out = []
    for amount, letters in _ROMAN:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def _letters(value: int) -> str:
    """Word's lettering: a … z, then aa … zz, aaa …"""
    if value <= 0:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _chinese(value: int) -> str:
    """一, 十, 十一, 二十, 一百零五 … (chineseCounting, up to 9999)."""
    if value == 0:
        return "〇"
    if not 0 < value < 10000:
        return str(value)
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    gap = False
    for amount, unit in units:
        digit = value // amount % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        if not (amount == 10 and digit == 1 and not out):
            out += _CJK_DIGITS[digit]
        out += unit
    return out


def format_number(value: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (``w:numFmt``); decimal for a format
    that is not known here."""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(value) if value > 0 else str(value)
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(value)
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return _chinese(value)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return "".join(_CJK_TEN_THOUSAND[int(d)] for d in str(value)) if value >= 0 else str(value)
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(value - 1) % 10] if value > 0 else str(value)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(value - 1) % 12] if value > 0 else str(value)
    if fmt == "ideographDigital":
        return "".join(_CJK_DIGITS[int(d)] for d in str(value)) if value >= 0 else str(value)
    if fmt == "ordinal":
        suffix = (
            "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        )
        return f"{value}{suffix}"
    if fmt == "none":
        return ""
    return str(value)
