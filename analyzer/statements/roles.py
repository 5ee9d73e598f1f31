"""Roles: what a word found by the vocabulary is doing in its sentence, and how specific it is.

The vocabulary finds 'share' in 'the Family Sharing feature', a recipient ('government') and a
kind of content ('photo') in 'a government-issued photo ID', a category of information in 'our
Cookie Policy'. A lawyer reads them by their role:

- a word inside the name of a product or feature (capitalised next to another capitalised
  word that is not part of the phrase, or followed by 'feature', 'button', 功能 …) names the
  product, not a practice or a recipient;
- a word inside the title of a document (a capitalised name ending in Policy, Notice, Act,
  Framework …, the text of a link to one, a title in 《》) names the document;
- the words of an identity document ('a government-issued photo ID', 'a photo of your ID
  card') name one category of information, the identity document, and nothing else;
- 'as a service provider', 'acting as a processor' names the company's own role, not a
  recipient.

:func:`read_roles` applies these rules to the facts of a text and returns the facts that keep
their meaning, with the identity documents added. :func:`subtype_of` and :func:`extra_objects`
refine categories of information: precise or approximate location, a face, a fingerprint or a
voice among biometric data, recordings of a voice among what users provide.

Pure functions; small patterns only (compiled once, on first use).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from analyzer.facts.extract import facts_of
from analyzer.facts.types import Fact
from analyzer.text.compiled import regex

__all__ = ["extra_objects", "facts_in_roles", "read_roles", "subtype_of"]

_ROLE_KINDS = frozenset({"processing", "recipient", "pi-category", "purpose", "location"})
"""Kinds a product name or a document title can hide (a right or a channel inside a product
name is still how the user exercises it: 'the Delete Account button')."""

_PRODUCT_NOUNS = (
    r"feature|features|button|buttons|tab|app|apps|application|tool|tools|extension|block"
    r"|plugin|plug-in|add-on|widget|program|programme|plan|plans|product|products|setting"
    r"|toggle|option|menu|icon|link|page|sdk|api|service|services"
)
_CAPITAL_WORD = regex(r"[A-Z][\w'’&.-]*")
_FUNCTION_WORDS = frozenset(
    {
        "A", "An", "The", "Our", "Your", "We", "You", "Us", "These", "This", "That", "Those",
        "Such", "Any", "All", "Other", "Certain", "Some", "Each", "Every", "If", "When",
        "Where", "For", "To", "In", "On", "With", "By", "And", "Or", "Of", "As", "At", "No",
        "Not", "Third", "It", "They", "Their", "Its", "I", "Note", "Please", "Also",
    }
)  # fmt: skip
_DOCUMENT_NOUNS = (
    r"Policy|Policies|Notice|Notices|Statement|Terms|Agreement|Act|Law|Regulation|Regulations"
    r"|Framework|Principles|Clauses|Guidelines|Rules|Code|Standards|Shield|Directive|Charter"
)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "title": regex(
            r"(?:[A-Z][\w'’&.-]*\s+)(?:(?:[A-Z][\w'’&.-]*|of|and|for|on|the|de|&)\s+){0,6}"
            rf"(?:{_DOCUMENT_NOUNS})(?![\w])"
        ),
        "link": regex(r"\[([^\]\n]{1,200})\]\((?:https?://|www\.|/|#|mailto:)[^)\s]{0,500}\)"),
        "book": regex(r"《[^》\n]{1,80}》"),
        "product-after": regex(rf"\s{{1,2}}(?:{_PRODUCT_NOUNS})(?![\w-])", re.IGNORECASE),
        "product-zh": regex(
            r"[“「『【\"][^”」』】\"\n]{1,20}[”」』】\"]\s*(?:功能|按钮|页面|服务|板块|频道|小程序|插件)"
        ),
        "id-document": regex(
            r"(?<![\w-])(?:(?:(?:government|state|federal)[- ]issued|government|official|national"
            r"|valid)\s+(?:photo\s+|picture\s+)?(?:id|i\.d\.|identification|identity)"
            r"|photo\s+(?:id|i\.d\.|identification)"
            r"|(?:photo|picture|image|copy|scan)s?\s+of\s+(?:your\s+|an?\s+|the\s+)?"
            r"(?:id|identity|passport|driver'?s licen[cs]e|identification)"
            r"|identity (?:card|document)s?|identification (?:card|document)s?|student (?:id|card)s?)"
            r"(?:\s+(?:card|document|number))?s?(?![\w-])"
            r"|学生证(?:照片)?|工作证(?:照片)?|证件照片",
            re.IGNORECASE,
        ),
        "self-role": regex(
            r"(?:\bas an?|\bacting as an?|\bact as an?|\bacts as an?|\bcapacity as an?|\bwe are an?)"
            r"\s+(?:[\w-]+\s+){0,2}$",
            re.IGNORECASE,
        ),
    }


def _inside(spans: Sequence[tuple[int, int]], fact: Fact) -> bool:
    return any(a <= fact.span[0] and fact.span[1] <= b for a, b in spans)


def _product_name(text: str, fact: Fact) -> bool:
    """The fact's words are capitalised and part of a longer capitalised name ('Family
    Sharing', 'Nearby Share', 'Google Analytics'), or a capitalised name followed by a
    product noun ('the Payments feature', 'the Share button')."""
    a, b = fact.span
    if not text[a : a + 1].isupper():
        return False
    if _patterns()["product-after"].match(text, b):
        return True
    before = re.search(r"([A-Z][\w'’&.-]*) $", text[max(0, a - 40) : a])
    if (
        before is not None
        and before.group(1) not in _FUNCTION_WORDS
        and not _sentence_initial(text, a - len(before.group(0)))
    ):
        return True
    after = _CAPITAL_WORD.match(text, b + 1) if text[b : b + 1] == " " else None
    return after is not None and after.group(0) not in _FUNCTION_WORDS


def _sentence_initial(text: str, pos: int) -> bool:
    head = text[max(0, pos - 4) : pos].rstrip(" *_\"'“‘([")
    return not head or head[-1] in ".!?:;\n|"


def _document_spans(text: str) -> list[tuple[int, int]]:
    p = _patterns()
    spans = [m.span() for m in p["title"].finditer(text)]
    spans += [m.span() for m in p["book"].finditer(text)]
    for m in p["link"].finditer(text):
        label = m.group(1)
        if re.search(rf"(?:{_DOCUMENT_NOUNS})\b", label, re.IGNORECASE):
            spans.append(m.span(1))
    return spans


@lru_cache(maxsize=8192)
def facts_in_roles(text: str, language: str) -> tuple[Fact, ...]:
    """:func:`read_roles` over the facts of ``text`` (:func:`~analyzer.facts.extract.facts_of`),
    kept per process: a passage is read by the statements, the policy summary and the evidence,
    and in a history the same passage comes back in every revision."""
    return read_roles(text, facts_of(text, language))


def read_roles(text: str, facts: Sequence[Fact]) -> tuple[Fact, ...]:
    """The facts of ``text`` that keep their vocabulary meaning in their role, plus one
    ``pi-category:id-document`` fact per identity document named (see the module's rules)."""
    p = _patterns()
    documents = _document_spans(text)
    products = [m.span() for m in p["product-zh"].finditer(text)]
    ids = [m.span() for m in p["id-document"].finditer(text)]
    out: list[Fact] = []
    for fact in facts:
        if fact.kind in _ROLE_KINDS:
            if _inside(documents, fact) or _inside(products, fact):
                continue
            if any(a <= fact.span[0] < b or a < fact.span[1] <= b for a, b in ids):
                continue  # part of an identity document's name
            if fact.kind != "location" and _product_name(text, fact):
                continue
            if fact.kind == "recipient" and p["self-role"].search(
                text, max(0, fact.span[0] - 40), fact.span[0]
            ):
                continue  # 'as a service provider': the company's own role
        out.append(fact)
    for a, b in ids:
        if not any(
            f.kind == "pi-category" and f.value == "id-document" and a <= f.span[0] < b for f in out
        ):
            out.append(Fact("pi-category", "id-document", text[a:b], (a, b)))
    out.sort(key=lambda f: (f.span, f.kind, f.value))
    return tuple(out)


# --------------------------------------------------------------------------- sub-types

_SUBTYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "location": (
        (
            "precise",
            r"precise|exact|gps|latitude|longitude|coordinates|fine[- ]grained|street[- ]level"
            r"|精确|精准|精细|经纬度|GPS|卫星定位",
        ),
        (
            "approximate",
            r"approximate|coarse|general|city[- ]level|country[- ]level|region(?:al)?"
            r"|(?:inferred|derived|estimated) (?:from|based on) (?:your )?ip|ip[- ]based|ip address"
            r"|粗略|大致|大概|城市|区县|省份|IP\s*(?:地址)?\s*推断|基于\s*IP",
        ),
    ),
    "health": (
        (
            "clinical",
            r"electrocardiograms?|ecgs?|ekgs?|blood pressure|blood[- ]oxygen|oxygen saturation|spo2"
            r"|blood glucose|blood sugar|心电图?|血压|血氧(?:饱和度)?|血糖",
        ),
        (
            "medical",
            r"diagnos[ie]s|prescriptions?|medications?|symptoms?|medical (?:conditions?|history"
            r"|records?)|health records?|诊断|处方|用药|症状|病史|病历",
        ),
        (
            "reproductive",
            r"menstrua\w*|pregnan\w*|fertility|月经|经期|怀孕|孕期|生育",
        ),
        ("mental", r"mental health|心理健康"),
    ),
    "financial": (
        (
            "income",
            r"income|salary|salaries|wages?|credit (?:scores?|histor(?:y|ies)|reports?)"
            r"|tax returns?|benefits? letters?|welfare benefits?|收入|工资|薪资|征信|信用报告|纳税",
        ),
    ),
    "device": (
        (
            "hardware",
            r"hardware identifiers?|hardware ids?|serial numbers?|imei|mac address(?:es)?"
            r"|设备序列号|硬件序列号|硬件标识|IMEI|MAC\s*地址",
        ),
    ),
    "usage-log": (
        (
            "interaction",
            r"mouse movements?|cursor movements?|keystrokes?|session replays?|screen recordings?"
            r"|鼠标轨迹|滑动轨迹|按键记录",
        ),
        ("driving", r"driving behaviou?r|driving data|driving habits?|驾驶行为|驾驶习惯"),
    ),
    "user-content": (
        (
            "video",
            r"videos?|video clips?|footage|dash ?cams?|cctv|camera recordings?|录像|视频|监控录像",
        ),
    ),
    "biometric": (
        ("face", r"face|facial|selfie|人脸|面部|刷脸|面容"),
        ("fingerprint", r"fingerprint|指纹"),
        ("voice", r"voiceprint|voice|声纹"),
        ("iris", r"iris|虹膜"),
    ),
}
_NAMED_SUBTYPES = frozenset({"health", "financial", "usage-log", "device"})
"""Categories whose sub-types are named by the category's own words ('blood pressure' is
clinical health data; 'heart rate' next to it is not): only the fact's own words count."""
_SUBTYPE_REACH = 40
"""Characters either side of a category's words in which a qualifying word counts (same
clause of the sentence: 'your precise location', 'location (latitude and longitude)',
'基于 IP 推断的位置信息')."""


@cache
def _subtype_patterns() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    return {
        category: tuple(
            (name, regex(rf"(?<![a-z])(?:{words})(?![a-z])", re.IGNORECASE))
            for name, words in pairs
        )
        for category, pairs in _SUBTYPES.items()
    }


def subtype_of(text: str, fact: Fact) -> str:
    """The category of a ``pi-category`` fact with its sub-type when its own words or those
    next to it (same clause, :data:`_SUBTYPE_REACH` characters) say one: ``location/precise``,
    ``biometric/face``; the plain category otherwise."""
    patterns = _subtype_patterns().get(fact.value)
    if not patterns:
        return fact.value
    a, b = fact.span
    if fact.value in _NAMED_SUBTYPES:
        best_own = next((name for name, p in patterns if p.search(text, a, b)), None)
        return f"{fact.value}/{best_own}" if best_own else fact.value
    lo = max(0, a - _SUBTYPE_REACH)
    hi = min(len(text), b + _SUBTYPE_REACH)
    # stay inside the clause: cut at sentence punctuation and semicolons
    left = text[lo:a]
    cut = max(left.rfind(ch) for ch in ".;。；!?")
    if cut >= 0:
        lo += cut + 1
    right = text[b:hi]
    ends = [right.find(ch) for ch in ".;。；!?，," if right.find(ch) >= 0]
    if ends:
        hi = b + min(ends)
    best: tuple[int, str] | None = None
    for name, pattern in patterns:
        for m in pattern.finditer(text, lo, hi):
            distance = 0 if a <= m.start() < b else min(abs(m.start() - b), abs(m.end() - a))
            if best is None or distance < best[0]:
                best = (distance, name)
    return f"{fact.value}/{best[1]}" if best else fact.value


_EXTRA_OBJECTS = (
    (
        "user-content/voice",
        r"recordings? of (?:your |the user's |a user's )?voice|voice recordings?|voice input"
        r"|voice data|voice commands?|audio of your voice|语音(?:信息|输入|数据|指令|内容)?|录音",
    ),
    (
        "biometric/face",
        r"face (?:match|matching|comparison|verification|geometry|template)s?|人脸比对|人脸识别|刷脸",
    ),
)


@cache
def _extra_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (value, regex(rf"(?<![a-z])(?:{words})(?![a-z])", re.IGNORECASE))
        for value, words in _EXTRA_OBJECTS
    )


def extra_objects(text: str, lo: int, hi: int) -> list[tuple[str, tuple[int, int]]]:
    """Categories the vocabulary has no phrase for, found between ``lo`` and ``hi``: a
    recording of the user's voice, a face matched against a document."""
    out = []
    for value, pattern in _extra_patterns():
        out += [(value, m.span()) for m in pattern.finditer(text, lo, hi)]
    return out
