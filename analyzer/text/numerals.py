"""Numbers written in digits, English words or Chinese numerals: the tables, shared by the clause
numbers of :mod:`analyzer.parse.numbering` and the quantities of :mod:`analyzer.facts`, and
:func:`parse_number`.
"""

from __future__ import annotations

import re

__all__ = [
    "EN_NUMBER_WORDS",
    "ZH_DIGITS",
    "ZH_NUMERALS",
    "ZH_UNITS",
    "format_number",
    "parse_number",
]

EN_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_NUMERALS = "".join(ZH_DIGITS) + "".join(ZH_UNITS)
"""Characters of Chinese numerals (〇一二两三 … 十百千)."""


def parse_number(token: str) -> float | None:
    """A number written in digits (``1,000``, ``2.5``), English words (``fifteen``,
    ``twenty-one``) or Chinese numerals (``十五``, ``二〇二三``); None when it is none of these."""
    token = token.strip().replace(",", "")
    if not token or len(token) > 40:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    words = re.split(r"[\s\-]+", token.casefold())
    if all(w in EN_NUMBER_WORDS for w in words):
        return float(sum(EN_NUMBER_WORDS[w] for w in words))
    if all(ch in ZH_DIGITS or ch in ZH_UNITS for ch in token):
        if all(ch in ZH_DIGITS for ch in token):  # positional, as in 二〇二三
            return float(int("".join(str(ZH_DIGITS[ch]) for ch in token)))
        total, current = 0, 0
        for ch in token:
            if ch in ZH_DIGITS:
                current = ZH_DIGITS[ch]
            else:
                total += (current or 1) * ZH_UNITS[ch]
                current = 0
        return float(total + current)
    return None


def format_number(n: float) -> str:
    """``15`` for 15.0, ``2.5`` for 2.5."""
    return str(int(n)) if n == int(n) else f"{n:g}"
