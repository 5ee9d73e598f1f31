"""Extractors of values the extractor reads reliably: e-mail addresses, web addresses, dates,
phone numbers, amounts of money, percentages, durations (with reply deadlines and retention
periods), ages, cross-references and plain counts.

Each is a small function over the :class:`~analyzer.facts.state.Scan` of a text; they claim
their spans (a date is not also a phone number). Every pattern runs over lower-cased text
(``ascii_lower``) unless it says otherwise and follows the rules of :mod:`analyzer.text.scan`.
"""

from __future__ import annotations

import bisect
import itertools
import re

from analyzer.facts.state import Scan
from analyzer.facts.types import Fact
from analyzer.text.compiled import regex
from analyzer.text.numerals import ZH_NUMERALS, format_number, parse_number
from analyzer.text.scan import WORD_CHARS, piece_of, sentence_starts, starts_word, word_matches

# --------------------------------------------------------------------------- patterns
# Every pattern below runs over lower-cased text (ascii_lower) unless it says otherwise, and
# starts with a literal or a character class (see analyzer.text.scan for the rules).

_UNIT_DAYS = {
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "working day": 7 / 5,
    "week": 7.0,
    "month": 30.0,
    "year": 365.0,
}
_EN_UNITS = {
    "minute": "minute",
    "minutes": "minute",
    "hour": "hour",
    "hours": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
_ZH_UNITS_OF_TIME = {
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "自然日": "day",
    "日历日": "day",
    "工作日": "working day",
    "周": "week",
    "星期": "week",
    "月": "month",
    "年": "year",
}
_DURATION_TAIL = (
    r"(?:\s{1,3}\(\d{1,4}\))?[\s\-]{1,3}"
    r"(?:(?P<qual>working|business|calendar|natural|consecutive)[\s\-]{1,3})?"
    r"(?P<unit>minutes?|hours?|days?|weeks?|months?|years?)(?![a-z])"
)
_DURATION_DIGITS = regex(r"(?P<num>\d(?<![a-z0-9_.]\d)\d{0,3}(?:\.\d{1,2})?)" + _DURATION_TAIL)
_DURATION_WORDS = regex(
    r"(?P<num>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|hundred|an|a)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
    + _DURATION_TAIL
)
_NUM_ZH = r"[\d" + ZH_NUMERALS + r"]"
_DURATION_ZH = regex(
    r"(?P<num>" + _NUM_ZH + r"(?<!" + _NUM_ZH + _NUM_ZH + r")" + _NUM_ZH + r"{0,4}+)"
    r"(?:\s{0,2}+[（(]\s{0,2}+\d{1,4}+\s{0,2}+[）)])?"  # 三十（30）天: the digits repeated
    r"\s{0,2}+(?P<ge>个)?\s{0,2}+(?P<unit>工作日|自然日|日历日|分钟|小时|星期|天|日|周|月|年)"
)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    # (pattern, whether its match must start a word)
    (regex(_MONTH + r"\.?\s{1,3}(?P<day>\d\d?)(?:st|nd|rd|th)?,?\s{1,3}" + _YEAR), True),
    (
        regex(
            r"(?P<day>\d(?<![a-z0-9_]\d)\d?)(?:st|nd|rd|th)?\s{1,3}"
            + _MONTH
            + r"\.?,?\s{1,3}"
            + _YEAR
        ),
        True,
    ),
    (regex(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d?)-(?P<day>\d\d?)(?![a-z0-9_\-])"), True),
    (regex(r"(?P<year>(?:19|20)\d\d)/(?P<month>\d\d?)/(?P<day>\d\d?)(?![a-z0-9_/])"), True),
    (
        regex(
            r"(?P<year>(?:19|20)\d\d)\s{0,2}年\s{0,2}(?P<month>\d\d?)\s{0,2}月"
            r"(?:\s{0,2}(?P<day>\d\d?)\s{0,2}[日号])?"
        ),
        True,
    ),
    (regex(_MONTH + r"\.?,?\s{1,3}" + _YEAR), True),
)

_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "美元": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "英镑": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "人民币": "CNY",
    "元": "CNY",
}
_MONEY_BEFORE = regex(
    r"(?P<cur>us\$|usd|eur|gbp|rmb|cny|人民币|\$|€|£|¥|￥)\s{0,3}(?P<num>\d[\d,]{0,15}(?:\.\d{1,2})?)"
)
_MONEY_AFTER = regex(
    r"(?P<num>\d(?<![a-z0-9_.,]\d)[\d,]{0,15}(?:\.\d{1,2})?)\s{0,3}"
    r"(?P<cur>dollars?|euros?|pounds?|yuan|rmb|元|美元|欧元|英镑)(?![a-z])"
)
_PERCENT = regex(
    r"(?P<num>\d(?<![a-z0-9_.,]\d)\d{0,2}(?:[.,]\d{1,3})?)\s{0,2}"
    r"(?:%|％|percent(?![a-z])|per cent(?![a-z]))"
)
_PERCENT_ZH = regex(r"百分之(?P<num>[" + ZH_NUMERALS + r"]{1,5})")

# A run of digits with the separators telephone numbers use; its shape is checked in Python.
_PHONE = regex(r"[+(\d](?<![a-z0-9_+.\-/][+(\d])[\d ().\-]{1,24}\d(?![a-z0-9_\-]|\.\d)")
_PHONE_CONTEXT = regex(
    r"(?:hotline|phone|telephone|tel|call|dial|fax|mobile|电话|热线|拨打|致电|客服|传真|手机)"
    r"[^.;。；\n]{0,24}$"
)
_EMAIL_AT = regex(r"@[a-z0-9\-]{1,63}\.[a-z0-9.\-]{1,190}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_URL = regex(
    r"(?:https?://|www\.)[^\s<>\"'\[\](){}\u3000-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]{1,2000}"
)
_LINK_TARGET = regex(r"\]\((?P<target>[^()\s]{1,2000})\)")
_DOMAIN = regex(r"[a-z0-9](?<![a-z0-9_@./:\-][a-z0-9])[a-z0-9\-]{0,62}+\.[a-z][a-z0-9.\-]{1,200}+")
_TLDS = frozenset(
    {
        "com", "cn", "net", "org", "io", "co", "uk", "jp", "de", "fr", "eu", "info", "gov",
        "edu", "us", "ai", "app", "dev", "hk", "sg", "tw", "kr", "ru", "br", "au", "ca", "nl",
        "ch", "ie", "biz", "tv", "xyz", "mobi", "site", "online", "tech", "cloud",
    }
)  # fmt: skip

_REFERENCE_WORD = regex(
    r"(?:articles?|sections?|clauses?|paragraphs?|art\.|§)\s{0,3}(?P<num>\d\d{0,2}[\d.]{0,14})"
)
_REFERENCE_DOTTED = regex(r"\d(?<![a-z0-9_.]\d)\d{0,2}\.\d\d{0,2}[\d.]{0,12}")
_REFERENCE_ZH = regex(
    r"第\s{0,2}(?P<num>[\d" + ZH_NUMERALS + r".]{1,8})\s{0,2}(?:条|章|节|款|项|部分)"
)
_LIST_MARKER = regex(r"[(（](?P<inner>\d\d?|[a-z]|[ivx]{2,4}|[" + ZH_NUMERALS + r"]{1,3})[)）]")
_SPELLED_REFERENCE = regex(
    r"(?P<a>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s{1,3}point"
    r"\s{1,3}(?P<b>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?![a-z])"
)
_COUNT = regex(r"\d(?<![a-z0-9_.,\-/+@]\d)[\d,]{0,14}+(?![a-z0-9_%％])")
_COUNT_ZH = regex(
    r"[" + ZH_NUMERALS + r"][" + ZH_NUMERALS + r"]{0,3}(?=\s{0,2}[个项种类条次名家周岁])"
)
_AGE_WORDS = regex(
    r"(?:under|below|over|above|aged|age of|ages of|younger than|older than)\s{1,3}"
    r"(?:the\s{1,3}age\s{1,3}of\s{1,3})?(?P<n>\d\d?)(?!\d)"
)
_AGE_YEARS = regex(r"(?P<n>\d(?<!\d\d)\d?)(?:\s{1,3}years?\s{1,3}(?:old|of age)|-year-old)")
_AGE_ZH = regex(
    r"(?P<n>"
    + _NUM_ZH
    + r"(?<!"
    + _NUM_ZH
    + _NUM_ZH
    + r")"
    + _NUM_ZH
    + r"{0,2}+)\s{0,2}+(?:周岁|岁)"
)

_DEADLINE_CUE = regex(
    r"(?:reply|replies|respond|response|responses|answer|process your request"
    r"|handle your request|feedback|notify|inform|ask us|asks us|request|requests|requested"
    r"|complete|completes|completed|fulfil|fulfill|fulfils|fulfills|fulfilled"
    r"|回复|答复|响应|反馈|处理您的|申请|请求|注销)(?![a-z])"
)
"""Words of a sentence in which a time limit ('within 14 days') is the company's to act on
what a user asked ('Parents can ask us to delete …, and we will do so within 14 days'), not
how long information is kept, even when the sentence also speaks of deleting."""
_RETENTION_CUE = regex(
    r"(?:retain|retains|retained|retention|store|stores|stored|storage|keep|kept|save|saved"
    r"|delete|deleted|erase|erased|hold|held|保存|保留|存储|留存|删除)(?![a-z])"
)
_INACTION_BEFORE = regex(
    r"(?:(?<![a-z])(?:if|unless|should|when)\s+(?:you|the user)\s+(?:do\s+not|don['’]t|does\s+not"
    r"|doesn['’]t|did\s+not|didn['’]t|fail\s+to|have\s+not|haven['’]t|never)"
    r"|(?:如果?|若|倘若)(?:您|用户)(?:未|没有|不|未能))\s*$"
)
"""What makes a deadline word the user's inaction, the condition of what follows ('if you do
not reply within 60 days, we will delete your account'): a period the company waits, not a
time limit it has to answer in."""
_WITHIN_BEFORE = regex(
    r"(?:within|no later than|not later than|in no more than|up to|in)\s{1,3}"
    r"(?:the\s{1,3}(?:next|following)\s{1,3})?$"
)
_WITHIN_AFTER_ZH = regex(r"\s{0,2}(?:之内|以内|内)")


VALUE_PATTERNS: tuple[re.Pattern[str], ...] = (
    _DURATION_DIGITS,
    _DURATION_WORDS,
    _DURATION_ZH,
    *(p for p, _ in _DATE_PATTERNS),
    _MONEY_BEFORE,
    _MONEY_AFTER,
    _PERCENT,
    _PERCENT_ZH,
    _PHONE,
    _EMAIL_AT,
    _URL,
    _LINK_TARGET,
    _DOMAIN,
    _REFERENCE_WORD,
    _REFERENCE_DOTTED,
    _REFERENCE_ZH,
    _LIST_MARKER,
    _SPELLED_REFERENCE,
    _COUNT,
    _COUNT_ZH,
    _AGE_WORDS,
    _AGE_YEARS,
    _AGE_ZH,
    _DEADLINE_CUE,
    _RETENTION_CUE,
)
"""The patterns of this module that scan whole texts."""


def extract_emails(scan: Scan) -> None:
    """E-mail addresses; the value is lower case."""
    lower = scan.lower
    for m in _EMAIL_AT.finditer(lower):
        start = m.start()
        floor = max(0, m.start() - 64)
        while start > floor and lower[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start == m.start():
            continue
        raw = lower[start : m.end()].rstrip(".-")
        tld = raw.rsplit(".", 1)[-1]
        if not tld.isalpha() or len(tld) < 2:
            continue
        scan.add("email", raw, start, start + len(raw), exclusive=True)


def extract_urls(scan: Scan) -> None:
    """Web addresses (``https://…``, ``www.…``), then bare domains with a known top-level
    domain; the value drops the scheme and ``www.`` and lower-cases the host."""
    text, lower = scan.text, scan.lower
    for m in _URL.finditer(lower):
        if m.start() > 0 and lower[m.start() - 1] in WORD_CHARS | {"/", "@", "."}:
            continue
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?'\"":
            end -= 1
        raw = text[m.start() : end]
        value = re.sub(r"^https?://", "", raw, flags=re.IGNORECASE)
        host, _, rest = value.partition("/")
        host = host.casefold().removeprefix("www.")
        rest = rest.rstrip("/")
        scan.add("url", host + ("/" + rest if rest else ""), m.start(), end, exclusive=True)
    # A Markdown link's target, relative or not, is an address: its words are not statements.
    for m in _LINK_TARGET.finditer(lower):
        start, end = m.start("target"), m.end("target")
        target = text[start:end]
        value = re.sub(r"^https?://", "", target, flags=re.IGNORECASE)
        host, sep, rest = value.partition("/")
        value = (
            host.casefold().removeprefix("www.") + sep + rest.rstrip("/")
            if "." in host
            else target.rstrip("/")
        )
        scan.add("url", value, start, end, exclusive=True)
    for m in _DOMAIN.finditer(lower):
        raw = m.group(0).rstrip(".-")
        labels = raw.split(".")
        if len(labels) < 2 or labels[-1] not in _TLDS or "" in labels:
            continue
        if lower[m.start() + len(raw) : m.start() + len(raw) + 1] == "@":
            continue
        scan.add("url", raw.removeprefix("www."), m.start(), m.start() + len(raw), exclusive=True)


def extract_dates(scan: Scan) -> None:
    """Calendar dates in English and Chinese forms; the value is ISO 8601."""
    for pattern, word_start in _DATE_PATTERNS:
        matches = word_matches(pattern, scan.lower) if word_start else pattern.finditer(scan.lower)
        for m in matches:
            month_raw = m.group("month")
            month = int(month_raw) if month_raw.isdigit() else _MONTHS.get(month_raw, 0)
            day = m.group("day") if "day" in pattern.groupindex else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
                continue
            value = f"{int(m.group('year')):04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            scan.add("date", value, m.start(), m.end(), exclusive=True)


def extract_phones(scan: Scan) -> None:
    """Telephone numbers: international (``+86 571 …``), grouped national (``400-80-13260``,
    ``(0571) 8502 2088``, ``1-800-555-0100``), Chinese mobiles, and short service numbers
    (``95187``, ``12315``) right after a word such as hotline, call, 电话, 热线."""
    lower = scan.lower
    for m in _PHONE.finditer(lower):
        start, raw = m.start(), m.group(0)
        if raw.startswith("(") and not re.match(r"\(\d{1,5}\)", raw):
            start, raw = start + 1, raw[1:]  # an opening bracket around the number
            if not raw[:1].isdigit():
                continue
        if "+" in raw[1:] or raw.count("(") != raw.count(")"):
            continue
        has_plus = raw.startswith("+")
        # '+31 (0)20 …': the trunk zero dialled at home only, not part of the number
        dialled = re.sub(r"^(\+\d{1,3})\s*\(0\)", r"\1", raw) if has_plus else raw
        digits = re.sub(r"\D", "", dialled)
        groups = re.findall(r"\d+", dialled)
        context = _PHONE_CONTEXT.search(lower, max(0, start - 40), start) is not None
        if "." in raw and not re.fullmatch(r"\(?\d{3}\)?\.\d{3}\.\d{4}", raw):
            continue
        if len(digits) > 15:
            continue
        if len(groups) > 1 and max(len(g) for g in groups) <= 2 and not has_plus:
            continue
        if has_plus:
            plausible = len(digits) >= 8
        elif len(groups) >= 2:
            plausible = len(digits) >= 7 and (max(len(g) for g in groups) >= 4 or context)
        elif len(digits) >= 7:
            plausible = context or re.fullmatch(r"1[3-9]\d{9}|[48]00\d{7}", digits) is not None
        else:
            unit_after = re.match(
                r"\s{0,2}(?:days?|hours?|%|天|日|小时|个|年|月)", lower[m.end() : m.end() + 8]
            )
            plausible = 3 <= len(digits) <= 6 and context and unit_after is None
        if plausible:
            end = start + len(raw)
            scan.add("phone", ("+" if has_plus else "") + digits, start, end, exclusive=True)


def extract_money(scan: Scan) -> None:
    """Amounts of money with a currency sign, code or word; the value is ``CUR amount``."""
    lower = scan.lower
    for m in _MONEY_BEFORE.finditer(lower):
        cur = m.group("cur")
        if cur[0] in "urgc" and not starts_word(lower, m.start()):
            continue
        amount = parse_number(m.group("num"))
        if amount is not None:
            value = f"{_CURRENCIES[cur]} {format_number(amount)}"
            scan.add("money", value, m.start(), m.end(), magnitude=amount, exclusive=True)
    for m in _MONEY_AFTER.finditer(lower):
        amount = parse_number(m.group("num"))
        if amount is not None:
            value = f"{_CURRENCIES[m.group('cur')]} {format_number(amount)}"
            scan.add("money", value, m.start(), m.end(), magnitude=amount, exclusive=True)


def extract_percentages(scan: Scan) -> None:
    """Percentages (``5%``, ``5 percent``, ``百分之五``)."""
    for pattern in (_PERCENT, _PERCENT_ZH):
        for m in pattern.finditer(scan.lower):
            n = parse_number(m.group("num").replace(",", "."))
            if n is not None:
                value = f"{format_number(n)}%"
                scan.add("percentage", value, m.start(), m.end(), magnitude=n, exclusive=True)


def _duration_value(number: float, unit: str) -> tuple[str, float]:
    plural = "" if number == 1 else "s"
    return f"{format_number(number)} {unit}{plural}", number * _UNIT_DAYS[unit]


def extract_durations(scan: Scan) -> None:
    """Durations (``15 days``, ``thirty (30) days``, ``15 working days``, ``十五个工作日``,
    ``24 小时``); a duration in a reply sentence is also a ``deadline``, in a keeping or
    deleting sentence a ``retention`` period."""
    text, lower = scan.text, scan.lower
    found: list[tuple[int, int, str, float]] = []
    for pattern in (_DURATION_DIGITS, _DURATION_WORDS):
        matches = (
            word_matches(pattern, lower) if pattern is _DURATION_WORDS else pattern.finditer(lower)
        )
        for m in matches:
            n = parse_number(m.group("num"))
            if n is None:
                continue
            unit = _EN_UNITS[m.group("unit")]
            if m.group("qual") in ("working", "business") and unit == "day":
                unit = "working day"
            found.append((m.start(), m.end(), *_duration_value(n, unit)))
    for m in _DURATION_ZH.finditer(lower):
        raw_num, unit_raw = m.group("num"), m.group("unit")
        if not (raw_num.isdigit() or all(ch in ZH_NUMERALS for ch in raw_num)):
            continue
        n = parse_number(raw_num)
        after = lower[m.end() : m.end() + 3]
        if n is None or (unit_raw == "月" and not m.group("ge")):
            continue
        if unit_raw == "年" and (n > 100 or re.match(r"\s{0,2}\d", after)):
            continue
        if (unit_raw == "日" and n > 366) or (unit_raw == "周" and after.startswith("岁")):
            continue
        found.append((m.start(), m.end(), *_duration_value(n, _ZH_UNITS_OF_TIME[unit_raw])))
    if not found:
        return
    starts = sentence_starts(lower)
    deadline_cues = sorted(
        {
            piece_of(starts, m.start())
            for m in word_matches(_DEADLINE_CUE, lower)
            if not _INACTION_BEFORE.search(lower, max(0, m.start() - 30), m.start())
        }
    )
    retention_cues = sorted(
        {piece_of(starts, m.start()) for m in word_matches(_RETENTION_CUE, lower)}
    )

    def sentence_has(cues: list[int], sentence: int) -> bool:
        i = bisect.bisect_left(cues, sentence)
        return i < len(cues) and cues[i] == sentence

    for start, end, value, days in sorted(found):
        if not scan.add("duration", value, start, end, magnitude=days, exclusive=True):
            continue
        sentence = piece_of(starts, start)
        window = lower[max(starts[sentence], start - 30) : start]
        within = (
            _WITHIN_BEFORE.search(window) is not None
            or _WITHIN_AFTER_ZH.match(lower, end) is not None
        )
        role = None
        if within and sentence_has(deadline_cues, sentence):
            role = "deadline"
        elif sentence_has(retention_cues, sentence):
            role = "retention"
        elif within and retention_cues and not deadline_cues:
            role = "retention"  # 'up to 30 days' in a table of how long data is kept
        elif within:
            role = "deadline"
        if role:
            scan.facts.append(Fact(role, value, text[start:end], (start, end), magnitude=days))


def extract_ages(scan: Scan) -> None:
    """Age thresholds (``under the age of 14``, ``16 years old``, ``不满十四周岁``)."""
    text, lower = scan.text, scan.lower
    matches = itertools.chain(
        word_matches(_AGE_WORDS, lower), _AGE_YEARS.finditer(lower), _AGE_ZH.finditer(lower)
    )
    for m in matches:
        raw = m.group("n")
        n = parse_number(raw) if raw.isdigit() or all(ch in ZH_NUMERALS for ch in raw) else None
        if n is None or not 1 <= n <= 30:
            continue
        start, end = m.start("n"), m.end("n")
        if m.re is _AGE_ZH:
            start, end = m.start(), m.end()
        scan.facts.append(Fact("age", format_number(n), text[start:end], (start, end), magnitude=n))


def extract_references(scan: Scan) -> None:
    """Cross-references and list markers: ``Article 5.1``, ``2.1.1``, ``第五条``, ``(1)``,
    ``（一）``. The value drops the word and trailing dots (``Article 5.1.`` -> ``5.1``), so a
    reference written differently is the same reference."""
    lower = scan.lower

    def dotted(raw: str) -> str:
        value = raw.rstrip(".")
        return value[:-2] if value.count(".") == 1 and value.endswith(".0") else value

    for m in word_matches(_REFERENCE_WORD, lower):
        num = dotted(m.group("num"))
        scan.add("reference", num, m.start(), m.start("num") + len(num), exclusive=True)
    for m in _REFERENCE_DOTTED.finditer(lower):
        num = dotted(m.group(0))
        scan.add("reference", num, m.start(), m.start() + len(num), exclusive=True)
    for m in _REFERENCE_ZH.finditer(lower):
        n = parse_number(m.group("num"))
        value = format_number(n) if n is not None else m.group("num").strip(".")
        scan.add("reference", value, m.start(), m.end(), exclusive=True)
    for m in _LIST_MARKER.finditer(lower):
        inner = m.group("inner")
        n = parse_number(inner)
        scan.add(
            "reference",
            f"({format_number(n) if n is not None else inner})",
            m.start(),
            m.end(),
            exclusive=True,
        )
    for m in word_matches(_SPELLED_REFERENCE, lower):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b is not None:
            value = f"{format_number(a)}.{format_number(b)}"
            scan.add("reference", value, m.start(), m.end(), exclusive=True)


def extract_counts(scan: Scan) -> None:
    """Plain numbers left over after every other quantity (``1688``, ``No. 1008``, ``三种``)."""
    for m in _COUNT.finditer(scan.lower):
        raw = m.group(0).rstrip(",")
        n = parse_number(raw)
        if n is not None:
            scan.add(
                "count",
                format_number(n),
                m.start(),
                m.start() + len(raw),
                magnitude=n,
                exclusive=True,
            )
    for m in _COUNT_ZH.finditer(scan.lower):
        n = parse_number(m.group(0))
        if n is not None and n >= 2:
            scan.add("count", format_number(n), m.start(), m.end(), magnitude=n, exclusive=True)
