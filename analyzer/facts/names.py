"""Extractors of what the vocabulary and the shape of names tell: categories, purposes,
recipients, rights and the other vocabulary kinds (through :mod:`analyzer.facts.matcher`),
company names, the controller, console paths and menu paths, postal and street addresses,
commitments about the user's rights, and risk levels.

Each is a small function over the :class:`~analyzer.facts.state.Scan` of a text. Every
pattern runs over lower-cased text (``ascii_lower``) unless it says otherwise (organisation
suffixes are matched on the original text) and follows the rules of :mod:`analyzer.text.scan`.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from analyzer.facts.matcher import matchers
from analyzer.facts.state import Scan
from analyzer.facts.types import Fact
from analyzer.facts.vocabulary import VOCABULARY
from analyzer.text.compiled import regex
from analyzer.text.scan import (
    negation_spans,
    phrase_key,
    piece_of,
    sentence_starts,
    starts_word,
    word_matches,
)

# Organisation suffixes are matched case-sensitively on the original text.
_ORG_SUFFIX_EN = regex(
    r"(?:Inc|Incorporated|Ltd|Limited|LLC|L\.L\.C|LLP|GmbH|AG|S\.A|SA|SAS|B\.V|BV|N\.V"
    r"|Corp|Corporation|Co|Company|PLC|plc|Pty|Pte|Holdings|Group|Foundation)(?![A-Za-z])\.?"
)
_ORG_SUFFIX_ZH = regex(r"有限责任公司|股份有限公司|有限公司|集团|公司|银行|基金会|研究院")
_ORG_CONNECTORS = frozenset({"&", "and", "of", "for", "de", "la", "und", "the"})
_ORG_STOPWORDS = frozenset(
    {
        "the", "this", "that", "these", "those", "our", "we", "you", "your", "its", "it", "a",
        "an", "and", "if", "for", "with", "by", "to", "from", "in", "on", "at", "see", "per",
        "as", "or", "such", "including", "unless", "except", "when", "where", "which", "who",
        "please", "all", "any", "each",
    }
)  # fmt: skip
_ORG_ZH_STOP = frozenset("的与和及或向由给将被在是为指即等其对从、我您你贵该此本")
_ORG_ZH_GENERIC = frozenset(
    {
        "关联", "子", "母", "分", "合作", "第三方", "其他", "其它", "相关", "上述", "前述",
        "新的", "新", "控股", "支付", "物流", "保险", "本", "该", "此", "贵", "总", "各",
        "任何", "一家", "集团", "全资子", "控股子", "全资", "独资", "参股",
    }
)  # fmt: skip
_ORG_SUFFIX_CANON = {
    "limited": "ltd",
    "ltd": "ltd",
    "incorporated": "inc",
    "inc": "inc",
    "corporation": "corp",
    "corp": "corp",
    "company": "co",
    "co": "co",
    "l.l.c": "llc",
}
_LIST_INTRO = regex(
    r"\s{0,2}[(（]?\s{0,2}(?:such as|including|like|e\.g\.,?|namely|for example,?)\s{0,2}"
)
_NAME_TOKEN = regex(r"[^\s,;:()（）、，。][^\s,;:()（）、，。]{0,39}")
_NAME_TOKEN_REVERSED = regex(r"(?P<gap>[ ,]{0,3}+)(?P<token>[^\s,;:()（）、，。]{1,40}+)")
_OR_OTHER = regex(r"(?:or|and) other(?![a-z])")

_PATH_SEGMENT = regex(r"[\[【“\"「『][^\[\]【】“”\"「」『』\n]{1,60}[\]】”\"」』]")
_PATH_GAP = regex(r"\s{0,3}(?:->|—>|[-—–>→/›»|＞]){1,2}\s{0,3}")

_ADDRESS_LABEL = regex(
    r"(?:registered address|registered office|postal address|mailing address|office address"
    r"|address|located at|headquartered at|注册地址|办公地址|联系地址|通讯地址|地址)"
)
_ADDRESS_SEPARATOR = regex(r"\s{0,2}[:：]\s{0,2}|\s{0,2}[为是]\s{0,2}|\s{1,3}(?=\S)")
_ADDRESS_END = regex(r"[)）;；。\n]|\.(?=\s|$)")
_ADDRESS_ZH = regex(r"[省市](?P<rest>[\u4e00-\u9fff0-9a-z\-]{2,40}?(?:号|室|楼|层|幢|栋|座))")
_CJK = regex(r"[\u3400-\u9fff\uf900-\ufaff]")

_RESTRICT_VERB = regex(
    r"(?:restrict|restricts|restricted|restricting|limit|limits|reduce|reduces|diminish"
    r"|curtail|impair|削减|限制|减少|降低|剥夺)(?![a-z])"
)
_RIGHTS_WORD = regex(r"(?:rights?|权利|权益)(?![a-z])")

# Menu paths written without quotes ('Settings > Privacy > Technical data'), street addresses
# without a label ('PO Box 440, Glasgow'), and risk levels stated after the noun ('the residual
# risk is serious'). Each pattern finds an anchor; the words around it are read by hand, a
# bounded number of them, so that scanning stays linear.
_MENU_SEPARATOR = regex(r"[ \t](?:>|›|→|»|->|＞)[ \t]")
_MENU_WORD = regex(r"[A-Za-z][A-Za-z0-9'’&\-]{0,29}")
_MENU_WORD_BACK = regex(r"[A-Za-z0-9'’&\-]{0,29}[A-Za-z]")
_MENU_JOINERS = frozenset(
    {"and", "or", "in", "to", "at", "on", "for", "from", "the", "a", "an", "of", "by", "with"}
    | {"under", "via", "through", "then", "into", "is", "are", "you", "we", "it", "this", "that"}
)
_MENU_MAX_WORDS = 3

_STREET_TYPE = regex(
    r"(?:street|road|avenue|lane|boulevard|drive|row|square|place|wharf|quay|court|parkway"
    r"|terrace|crescent|highway|way|st|rd|ave|blvd)(?![a-z])"
)
_PO_BOX = regex(r"p\.?\s{0,2}o\.?\s{0,2}box\s{1,3}\d{1,6}(?![\d])")
_STREET_ABBREVIATION = regex(r"(?<![a-z])(?:st|rd|ave|blvd|dr|ln|sq|ct|pl|no)$")
_ADDRESS_WORD_BACK = regex(r"\s{1,2}(?P<word>[a-z'’\-]{1,20}|\d{1,5}[a-z]?)(?![a-z0-9])")

_RISK_NOUN = regex(r"risks?(?![a-z])")
_RISK_LEVEL_AFTER = regex(
    r"(?:is|are|was|were|as|be|been|remains?|remained)\s{1,3}"
    r"(?:very\s{1,3}|still\s{1,3}|particularly\s{1,3}|too\s{1,3}|rather\s{1,3})?"
    r"(?P<level>high|serious|severe|significant|considerable|substantial|elevated"
    r"|unacceptable|critical|major)(?![a-z])"
)
_CLAUSE_END = regex(r"[.;:!?。；：！？\n]")


NAME_PATTERNS: tuple[re.Pattern[str], ...] = (
    _ORG_SUFFIX_EN,
    _ORG_SUFFIX_ZH,
    _OR_OTHER,
    _PATH_SEGMENT,
    _ADDRESS_LABEL,
    _ADDRESS_ZH,
    _RESTRICT_VERB,
    _RIGHTS_WORD,
    _MENU_SEPARATOR,
    _STREET_TYPE,
    _PO_BOX,
    _RISK_NOUN,
)
"""The patterns of this module that scan whole texts."""


@lru_cache(maxsize=8192)
def _cached_key(matched: str) -> str:
    return phrase_key(matched)


def extract_vocabulary(scan: Scan) -> None:
    """Every phrase of :mod:`analyzer.facts.vocabulary`, English and Chinese; stop phrases are
    matched and dropped, and so are words inside a URL, an e-mail or a postal address."""
    for matcher in matchers():
        for start, end in matcher.matches(scan.lower):
            meanings = matcher.meanings.get(_cached_key(scan.lower[start:end]), ())
            if not meanings or scan.overlaps(start, end):
                continue
            surface = scan.text[start:end]
            for kind, value in meanings:
                scan.facts.append(Fact(kind, value, surface, (start, end)))


def _org_value(name: str) -> str:
    """Canonical company name: lower case, commas and dots dropped, suffix normalised
    (``Alibaba Group Holding Limited`` -> ``alibaba group holding ltd``)."""
    words = name.replace(",", " ").split()
    if not words:
        return ""
    last = words[-1].casefold().rstrip(".")
    words = [w.casefold().rstrip(".") for w in words[:-1]] + [_ORG_SUFFIX_CANON.get(last, last)]
    return " ".join(words)


_LEGAL_FORMS = frozenset(
    {"ltd", "inc", "corp", "co", "llc", "llp", "gmbh", "ag", "s.a", "sa", "sas", "b.v", "bv"}
    | {"n.v", "plc", "pty", "pte"}
)


def org_stem(value: str) -> str:
    """A company's name without its legal form (``amazon web services inc`` -> ``amazon web
    services``; 有限公司 kept: it is most of a Chinese name): how the same company is named
    with and without it."""
    words = value.split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _is_name_word(word: str) -> bool:
    """A word that can be part of a company name: capitalised or a number, not 'The', 'Our' …"""
    return (word[:1].isupper() or word[:1].isdigit()) and word.casefold() not in _ORG_STOPWORDS


def _walk_back_name(scan: Scan, end: int, limit: int = 8) -> int:
    """Start of the run of name words (and connectors such as 'of', '&') that ends at
    ``end``; ``end`` when there is none. Reads at most ``limit`` words back, right to left
    (on the reversed text, so that each word costs its length)."""
    text, rev = scan.text, scan.reversed()
    start = end
    for _ in range(limit):
        m = _NAME_TOKEN_REVERSED.match(rev, len(text) - start)
        if m is None or (start != end and not m.group("gap")) or (start == end and m.group("gap")):
            break
        word = m.group("token")[::-1]
        if word[-1:] == "." and not re.fullmatch(r"[A-Z][A-Za-z]{0,3}\.", word):
            break
        if not (_is_name_word(word) or word in _ORG_CONNECTORS):
            break
        start = len(text) - m.end()
    while start < end:
        lead = re.match(r"(?:&|and|of|for|de|la|und|the)\s", text[start : start + 5])
        if not lead:
            break
        start += lead.end()
    return start


def _names_after(text: str, pos: int, limit: int = 8) -> list[tuple[int, int]]:
    """Capitalised names listed from ``pos``: 'Google, Microsoft and Apple Inc.'."""
    names: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for _ in range(limit * 3):
        while pos < len(text) and text[pos] in " \t" and pos < len(text):
            pos += 1
        tok = _NAME_TOKEN.match(text, pos)
        if not tok:
            break
        word = tok.group(0)
        if word in ("and", "or", "&"):
            if current:
                names.append(current)
            current = None
        elif _is_name_word(word):
            current = (current[0] if current else tok.start(), tok.end())
        else:
            break
        pos = tok.end()
        sep = re.match(r"\s{0,2}[,、，]", text[pos : pos + 3])
        if sep:
            if current:
                names.append(current)
            current = None
            pos += sep.end()
        if len(names) >= limit:
            break
    if current:
        names.append(current)
    return names


def extract_organisations(scan: Scan) -> None:
    """Named companies: capitalised names ending in a company suffix (``GitHub, Inc.``,
    ``Alibaba Group Holding Limited``), Chinese names ending in 有限公司 / 公司 / 集团 …, and
    capitalised names given as examples of a recipient ('partners such as X and Y', 'X or
    other financial institutions')."""
    text, lower = scan.text, scan.lower
    found: list[tuple[int, int]] = []
    for m in _ORG_SUFFIX_EN.finditer(text):
        if not starts_word(text, m.start()):
            continue
        gap_end = m.start()
        if text[max(0, gap_end - 2) : gap_end] == ", ":
            gap_end -= 2
        elif gap_end > 0 and text[gap_end - 1] == " ":
            gap_end -= 1
        else:
            continue
        start = _walk_back_name(scan, gap_end)
        if start < gap_end:
            found.append((start, m.end()))
    for m in _ORG_SUFFIX_ZH.finditer(text):
        start = m.start()
        floor = max(0, m.start() - 30)
        while start > floor:
            ch = text[start - 1]
            if ch in _ORG_ZH_STOP or not (ch.isalnum() or ch in "（）() &·-"):
                break
            start -= 1
        while start < m.start() and text[start] in " （(":
            start += 1
        name = text[start : m.start()].strip()
        if len(name) >= 2 and name not in _ORG_ZH_GENERIC and not name.endswith("性"):
            found.append((start, m.end()))
    context_found: list[tuple[int, int]] = []
    recipients = sorted((f for f in scan.facts if f.kind == "recipient"), key=lambda f: f.span)
    recipient_starts = [f.span[0] for f in recipients]
    for rec in recipients:
        intro = _LIST_INTRO.match(lower, rec.span[1])
        if intro and intro.group(0).strip():
            context_found += _names_after(text, intro.end())
    for m in word_matches(_OR_OTHER, lower):
        i = bisect.bisect_left(recipient_starts, m.end())
        if i >= len(recipients) or recipient_starts[i] - m.end() > 30:
            continue
        end = m.start()
        while end > 0 and text[end - 1] == " ":
            end -= 1
        start = _walk_back_name(scan, end, limit=4)
        before = text[max(0, start - 3) : start].rstrip()
        if start < end and before and before[-1] not in ".:;!?。：；\n":
            context_found.append((start, end))
    # A name found only from its context must not be a vocabulary word ('Suppliers and other
    # partners' in a heading is not a company).
    vocab_spans = sorted(f.span for f in scan.facts if f.kind in VOCABULARY)
    for start, end in context_found:
        i = bisect.bisect_left(vocab_spans, (start, start))
        near = vocab_spans[max(0, i - 1) : i + 2]
        if not any(s < end and start < e for s, e in near):
            found.append((start, end))
    # Longest first, so that 'Alibaba Group' inside 'Alibaba Group Holding Limited' is dropped.
    found.sort(key=lambda se: (se[0], -se[1]))
    last_end = -1
    for start, end in found:
        raw = text[start:end].rstrip(" ,")
        end = start + len(raw)
        if end <= last_end or not raw or scan.overlaps(start, end):
            continue
        last_end = end
        scan.facts.append(Fact("organisation", _org_value(raw), raw, (start, end)))


def extract_controllers(scan: Scan) -> None:
    """The controlling entity: a named company in the same sentence as a controller word
    ('Alibaba Cloud Computing Ltd is … the operator') becomes ``controller:<name>``; the word
    alone stays ``controller:controller``."""
    starts = sentence_starts(scan.lower)
    orgs: dict[int, list[Fact]] = {}
    for f in scan.facts:
        if f.kind == "organisation":
            orgs.setdefault(piece_of(starts, f.span[0]), []).append(f)
            if f.text.endswith("."):  # 'Co., Ltd. is the operator': the dot ends no sentence
                after = len(scan.text) - len(scan.text[f.span[1] :].lstrip())
                piece = piece_of(starts, after)
                if piece != piece_of(starts, f.span[0]):
                    orgs.setdefault(piece, []).append(f)
    kept: list[Fact] = []
    named: set[tuple[int, int]] = set()
    for f in scan.facts:
        candidates = orgs.get(piece_of(starts, f.span[0]), []) if f.kind == "controller" else []
        if not candidates:
            kept.append(f)
            continue
        for org in candidates:
            if org.span not in named:
                named.add(org.span)
                kept.append(Fact("controller", org.value, org.text, org.span))
    scan.facts = kept


def extract_paths(scan: Scan) -> None:
    """Console or menu paths: two or more bracketed or quoted segments joined by ``-``, ``>``,
    ``→`` or ``/`` (``[My AliCloud] - "Account Center"``, “我的”-“设置”); the value is
    ``path:`` and the segments in lower case joined by `` > ``."""
    text = scan.text
    segments = list(_PATH_SEGMENT.finditer(text))
    i = 0
    while i < len(segments):
        chain = [segments[i]]
        j = i + 1
        while j < len(segments):
            gap = text[chain[-1].end() : segments[j].start()]
            if len(gap) > 8 or not _PATH_GAP.fullmatch(gap):
                break
            chain.append(segments[j])
            j += 1
        if len(chain) < 2:
            i += 1
            continue
        names = [" ".join(s.group(0)[1:-1].split()).casefold() for s in chain]
        start, end = chain[0].start(), chain[-1].end()
        # A bracket around the whole path belongs to it.
        if start > 0 and text[start - 1] in "[【" and end < len(text) and text[end] in "]】":
            start, end = start - 1, end + 1
        # The path claims its span: 'Security Settings' in a menu path is a place, not a
        # statement about security.
        scan.add("channel", "path:" + " > ".join(names), start, end, exclusive=True)
        i = j


def extract_addresses(scan: Scan) -> None:
    """Postal addresses after a label ('registered address:', 地址：) and Chinese addresses
    (… 省 / 市 … 号 / 室 / 楼); the value is the address in lower case, spaces squashed."""
    text, lower = scan.text, scan.lower
    for m in word_matches(_ADDRESS_LABEL, lower):
        sep = _ADDRESS_SEPARATOR.match(lower, m.end())
        if sep is None or (
            not sep.group(0).strip() and m.group(0) not in ("located at", "headquartered at")
        ):
            continue
        begin = sep.end()
        limit = min(len(text), begin + 200)
        end = limit
        for tail in _ADDRESS_END.finditer(lower, begin, limit):
            if tail.group(0) == "." and re.search(
                r"(?<![A-Za-z])[A-Z][A-Za-z]{0,3}$", text[max(0, tail.start() - 5) : tail.start()]
            ):
                continue  # 'No.', 'Rd.', 'St.' inside the address
            end = tail.start()
            break
        raw = text[begin:end].strip()
        if len(raw) < 8 or not any(ch.isdigit() for ch in raw):
            continue
        start = begin + (len(text[begin:end]) - len(text[begin:end].lstrip()))
        value = " ".join(re.sub(r"[,，]", " ", raw).casefold().split())
        scan.add("address", value, start, start + len(raw), exclusive=True)
    for m in _ADDRESS_ZH.finditer(lower):
        start = m.start()
        floor = max(0, m.start() - 12)
        while start > floor and _CJK.match(text, start - 1) and text[start - 1] not in _ORG_ZH_STOP:
            start -= 1
        if m.start() - start < 2:
            continue
        scan.add("address", text[start : m.end()], start, m.end(), exclusive=True)


def extract_commitments(scan: Scan) -> None:
    """Sentences about restricting the user's rights ('we will not restrict … the rights',
    我们不会削减您…的权利): ``commitment:restrict-rights``, negated when it is a promise not to."""
    lower = scan.lower
    starts = [*sentence_starts(lower), len(lower)]
    verbs = [m for m in word_matches(_RESTRICT_VERB, lower)]
    rights = [m.start() for m in word_matches(_RIGHTS_WORD, lower)]
    rights_ends = {m.start(): m.end() for m in word_matches(_RIGHTS_WORD, lower)}
    used: set[int] = set()
    for verb in verbs:
        sentence = piece_of(starts, verb.start())
        if sentence in used:
            continue
        i = bisect.bisect_left(rights, verb.end())
        if i >= len(rights) or rights[i] >= starts[sentence + 1] or rights[i] - verb.end() > 80:
            continue
        used.add(sentence)
        span = (verb.start(), rights_ends[rights[i]])
        scan.facts.append(Fact("commitment", "restrict-rights", scan.text[span[0] : span[1]], span))


def _menu_segment_before(text: str, end: int) -> int | None:
    """Start of the menu label that ends at ``end`` ('Workspace settings' in 'from Workspace
    settings → Export'): up to three words read back, the first of them capitalised."""
    start: int | None = None
    pos = end
    for _ in range(_MENU_MAX_WORDS):
        window = text[max(0, pos - 30) : pos][::-1]
        m = _MENU_WORD_BACK.match(window)
        if m is None:
            break
        word_start = pos - m.end()
        word = text[word_start:pos]
        if word.casefold() in _MENU_JOINERS and not word[:1].isupper():
            break
        if word[:1].isupper():
            start = word_start
        if word_start == 0 or text[word_start - 1] != " ":
            break
        pos = word_start - 1
    return start


def _menu_segment_after(text: str, begin: int) -> int | None:
    """End of the menu label that starts at ``begin``: a capitalised word, then at most two
    more words that are not joiners, up to punctuation."""
    m = _MENU_WORD.match(text, begin)
    if m is None or not m.group(0)[:1].isupper():
        return None
    end = m.end()
    for _ in range(_MENU_MAX_WORDS - 1):
        if end >= len(text) or text[end] != " ":
            break
        nxt = _MENU_WORD.match(text, end + 1)
        if nxt is None or nxt.group(0).casefold() in _MENU_JOINERS:
            break
        if _MENU_SEPARATOR.match(text, end):
            break
        end = nxt.end()
    return end


def extract_menu_paths(scan: Scan) -> None:
    """Menu paths written without quotes: two or more capitalised labels joined by ``>``,
    ``›``, ``→`` or ``»`` ('Settings > Privacy > Technical data', 'Profile › Delete
    account'); the value is ``path:`` and the labels in lower case joined by `` > ``, as for
    quoted paths."""
    text = scan.text
    seps = list(_MENU_SEPARATOR.finditer(text))
    i = 0
    while i < len(seps):
        first = _menu_segment_before(text, seps[i].start())
        if first is None:
            i += 1
            continue
        bounds = [(first, seps[i].start())]
        j = i
        while True:
            end = _menu_segment_after(text, seps[j].end())
            if end is None:
                break
            bounds.append((seps[j].end(), end))
            if j + 1 < len(seps) and seps[j + 1].start() == end:
                j += 1
                continue
            break
        if len(bounds) >= 2:
            names = [" ".join(text[a:b].split()).casefold() for a, b in bounds]
            scan.add(
                "channel", "path:" + " > ".join(names), bounds[0][0], bounds[-1][1], exclusive=True
            )
        i = j + 1


def extract_street_addresses(scan: Scan) -> None:
    """Postal addresses without a label: a post office box ('PO Box 440, Glasgow G2 1QQ') or a
    house number and a street ('18 Weaver Street, Manchester M4 1HN'), read on to the end of the
    address (a full stop, a semicolon, a bracket or the end of the line)."""
    text, lower = scan.text, scan.lower
    anchors: list[int] = [m.start() for m in _PO_BOX.finditer(lower)]
    for m in word_matches(_STREET_TYPE, lower):
        if not text[m.start()].isupper():
            continue  # 'the way', 'in a row': a street type is written with a capital
        pos, number = m.start(), None
        for _ in range(4):
            back = _ADDRESS_WORD_BACK.match(lower[max(0, pos - 24) : pos][::-1])
            if back is None:
                break
            word_start = pos - back.end()
            word = text[word_start : word_start + len(back.group("word"))]
            if word[:1].isdigit():
                number = word_start
                break
            if not word[:1].isupper():
                break
            pos = word_start
        if number is not None:
            anchors.append(number)
    for start in sorted(set(anchors)):
        limit = min(len(text), start + 120)
        end = limit
        for tail in _ADDRESS_END.finditer(lower, start, limit):
            if tail.group(0) == "." and _STREET_ABBREVIATION.search(
                lower, max(0, tail.start() - 5), tail.start()
            ):
                continue  # 'St.', 'Rd.' inside the address
            end = tail.start()
            break
        raw = text[start:end].rstrip(" ,")
        if len(raw) < 8:
            continue
        value = " ".join(re.sub(r"[,，.]", " ", raw).casefold().split())
        scan.add("address", value, start, start + len(raw), exclusive=True)


def extract_risk_levels(scan: Scan) -> None:
    """A risk said to be high after the noun ('the residual risk to users is serious', 'rated
    the risk as severe'); a negation between the two ('is not high') leaves it out. Levels
    written before the noun ('a high risk') are vocabulary."""
    lower = scan.lower
    for m in word_matches(_RISK_NOUN, lower):
        stop = _CLAUSE_END.search(lower, m.end(), min(len(lower), m.end() + 80))
        window_end = stop.start() if stop else min(len(lower), m.end() + 80)
        level = _RISK_LEVEL_AFTER.search(lower, m.end(), window_end)
        if level is None:
            continue
        between = lower[m.end() : level.start("level")]
        if negation_spans(between):
            continue
        scan.add("risk", "high-risk", m.start(), level.end(), exclusive=True)
