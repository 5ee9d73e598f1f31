"""Token changes that carry meaning, whatever the similarity of the two texts says.

An embedding scores 'we will not share' and 'we will share' as near-identical; a legal reader
does not. :func:`find_tripwires` compares two versions of a clause and reports every change of
a word that can turn its meaning: a negation added or removed, a modal verb changed, a number,
duration, amount, date, phone number, e-mail address, URL or company name changed, a category
of personal information, a recipient, a purpose, a right or a channel named or dropped.

Tokens are compared as multisets per kind, so words that only moved are not reported, while a
flipped one is. Each tripwire shows the exact words before and after: values as they are
written (``400-80-13260`` -> ``95187``), negations and modal verbs with their neighbours
(``will not entrust`` -> ``will entrust``) so that the change reads on its own.

What does not trip, by design: re-wrapping, case, punctuation (except inside numbers), a typo
outside the vocabulary, a grammar repair that keeps the same words, a different wording of the
same vocabulary value ('ID card' -> 'identity card'), and a cross-reference written differently
('Article 5.1.' -> 'Article 5.1'). Two kinds are reported but usually editorial, and the
classifier should weigh them as such (:data:`EDITORIAL_KINDS`): ``date`` (a date bump in the
header) and ``reference`` (a renumbered cross-reference or list marker), plus ``spelling`` (a
company name spelled differently, within two letters).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.facts.extract import facts_of
from analyzer.facts.types import Fact
from analyzer.model import Tripwire
from analyzer.text.scan import Cue, modal_cues, negation_cues

TRIPWIRE_KINDS: dict[str, str] = {
    "negation": "a negation added or removed: 'will not entrust' -> 'will entrust', 不会 -> 会",
    "modality": "a modal verb changed: 'may share' -> 'will share', 可能 -> 将",
    "number": "a plain number changed: 'under 14' -> 'under 16'",
    "duration": "a duration changed: '15 days' -> '60 days'",
    "amount": "an amount of money changed: 'USD 10' -> 'USD 25'",
    "percentage": "a percentage changed",
    "date": "a date changed (often a header date bump: editorial)",
    "phone": "a phone number changed: '400-80-13260' -> '95187'",
    "email": "an e-mail address changed",
    "address": "a postal address changed: '12 Quay Street, Leeds' -> 'PO Box 440, Glasgow'",
    "url": "a web address or domain changed",
    "organisation": "a company name added, removed or replaced",
    "spelling": "a company name spelled differently (two letters or fewer): editorial",
    "reference": "a cross-reference or list marker changed: 'Article 5.1' -> 'Article 5.4' (editorial when renumbered)",
    "pi-category": "a category of personal information named or dropped: 'location data'",
    "recipient": "a recipient named or dropped: 'advertisers'",
    "purpose": "a purpose named or dropped: 'marketing'",
    "right": "a right named or dropped: 'delete', 'withdraw consent'",
    "channel": "a channel of exercising rights named or dropped: 'hotline', a console path",
    "department": "a responsible department or complaint channel named or dropped",
    "location": "a country or region named or dropped: 'overseas', 'Singapore'",
    "fee": "free or charged: 'free of charge' -> 'a reasonable fee'",
    "processing": "a way of handling named or dropped: 'share' -> 'sell'",
    "risk": "a risk, an impact assessment or a security incident named or dropped",
    "ownership": "a merger, acquisition, bankruptcy or change of control named or dropped",
    "commitment": "a statement about restricting the user's rights added, dropped or negated",
}
"""Every kind :func:`find_tripwires` reports, with an example."""

EDITORIAL_KINDS = frozenset({"date", "reference", "spelling"})
"""Tripwire kinds that are usually editorial on their own (header date bump, renumbering,
spelling of a name). The classifier decides; they are reported so that it can."""

MEANING_KINDS = frozenset(TRIPWIRE_KINDS) - EDITORIAL_KINDS
"""Tripwire kinds that, on their own, make a change substantive."""

_FACT_TO_TRIPWIRE = {
    "count": "number",
    "duration": "duration",
    "money": "amount",
    "percentage": "percentage",
    "date": "date",
    "phone": "phone",
    "email": "email",
    "address": "address",
    "url": "url",
    "organisation": "organisation",
    "reference": "reference",
    "pi-category": "pi-category",
    "recipient": "recipient",
    "purpose": "purpose",
    "right": "right",
    "channel": "channel",
    "department": "department",
    "complaint": "department",
    "location": "location",
    "fee": "fee",
    "processing": "processing",
    "risk": "risk",
    "ownership": "ownership",
    "commitment": "commitment",
}
"""Which fact kinds feed which tripwire kind (others, such as ``deadline``, repeat a duration)."""

_VALUE_KINDS = frozenset(
    {
        "number",
        "duration",
        "amount",
        "percentage",
        "date",
        "phone",
        "email",
        "address",
        "url",
        "organisation",
        "reference",
    }
)
"""Kinds reported as the values themselves; the others (vocabulary and cues) with context."""

_TOKEN = re.compile(r"[A-Za-z0-9_'’\-]{1,200}|[^\sA-Za-z0-9_'’\-]")
_STRAY_PUNCTUATION = re.compile(r"(?<![A-Za-z0-9])[^\w\s]+|[^\w\s]+(?![A-Za-z0-9])")
_PREFIXES = ("non-", "non", "un")
_MAX_DIFF_CELLS = 4_000_000
_CONTEXT_TOKENS = 3
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class _Signal:
    kind: str
    key: str
    surface: str
    span: tuple[int, int]


def skeleton(text: str) -> str:
    """The text as far as tripwires care: lower case, whitespace squashed, punctuation dropped
    unless it sits between two letters or digits (``5.1``, ``e-mail``, ``400-80-13260``)."""
    return " ".join(_STRAY_PUNCTUATION.sub(" ", text.casefold()).split())


def _signals(text: str, facts: Sequence[Fact], cues: Sequence[Cue]) -> list[_Signal]:
    out = [
        _Signal("negation" if c.kind != "modality" else "modality", c.key, c.text, c.span)
        for c in cues
    ]
    for f in facts:
        kind = _FACT_TO_TRIPWIRE.get(f.kind)
        if kind is None:
            continue
        key = f.value.casefold() if kind == "organisation" else f.value
        out.append(_Signal(kind, key, f.text, f.span))
    return out


@dataclass(frozen=True)
class _Tokens:
    text: str
    spans: list[tuple[int, int]]
    words: list[str]
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        return cls(text, spans, [text[a:b].casefold() for a, b in spans], [a for a, _ in spans])

    def index(self, pos: int) -> int:
        """Index of the token at or after character ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def phrase(self, i: int, j: int) -> str:
        """Text from token ``i`` to token ``j`` (exclusive), as written."""
        i, j = max(0, i), min(len(self.spans), j)
        if i >= j:
            return ""
        return self.text[self.spans[i][0] : self.spans[j - 1][1]]


Opcode = tuple[str, int, int, int, int]


def _opcodes(a: _Tokens, b: _Tokens) -> list[Opcode]:
    """Token-level alignment used to place a tripwire (never to decide one): common head and
    tail first, then difflib on the middle when it is small enough, else one replacement."""
    na, nb = len(a.words), len(b.words)
    head = 0
    while head < na and head < nb and a.words[head] == b.words[head]:
        head += 1
    tail = 0
    while (
        tail < na - head and tail < nb - head and a.words[na - 1 - tail] == b.words[nb - 1 - tail]
    ):
        tail += 1
    ops: list[Opcode] = []
    if head:
        ops.append(("equal", 0, head, 0, head))
    mid_a, mid_b = na - head - tail, nb - head - tail
    if mid_a or mid_b:
        if mid_a and mid_b and mid_a * mid_b <= _MAX_DIFF_CELLS:
            matcher = difflib.SequenceMatcher(
                None, a.words[head : na - tail], b.words[head : nb - tail], autojunk=False
            )
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                ops.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
        else:
            tag = "replace" if mid_a and mid_b else ("delete" if mid_a else "insert")
            ops.append((tag, head, na - tail, head, nb - tail))
    if tail:
        ops.append(("equal", na - tail, na, nb - tail, nb))
    return ops


def _op_at(ops: list[Opcode], index: int, side: int) -> Opcode | None:
    """The opcode covering token ``index`` of side 0 (old) or 1 (new)."""
    # Opcodes are in order on both sides; empty ranges (pure inserts/deletes) cover nothing.
    lows = [op[1] if side == 0 else op[3] for op in ops]
    k = bisect.bisect_right(lows, index) - 1
    while k >= 0:
        op = ops[k]
        lo, hi = (op[1], op[2]) if side == 0 else (op[3], op[4])
        if lo <= index < hi:
            return op
        if hi <= index:
            return None
        k -= 1
    return None


def _in_change(ops: list[Opcode], tokens: _Tokens, span: tuple[int, int], side: int) -> bool:
    op = _op_at(ops, tokens.index(span[0]), side)
    return op is not None and op[0] != "equal"


def _context(
    ops: list[Opcode], own: _Tokens, other: _Tokens, span: tuple[int, int], side: int
) -> tuple[str, str]:
    """The words around ``span`` on its own side and the words that stand in their place on the
    other side, each clipped to a few tokens around the change."""
    i = own.index(span[0])
    j = max(i + 1, own.index(span[1]))
    op = _op_at(ops, i, side)
    if op is None:
        return own.phrase(i, j), ""
    lo, hi = (op[1], op[2]) if side == 0 else (op[3], op[4])
    olo, ohi = (op[3], op[4]) if side == 0 else (op[1], op[2])
    # Chinese is read character by character: show more of them.
    cjk = bool(_CJK_CHAR.match(own.text, own.spans[i][0])) if i < len(own.spans) else False
    width, edge = (2 * _CONTEXT_TOKENS, 3) if cjk else (_CONTEXT_TOKENS, 1)
    if op[0] == "equal":
        # The word did not change here (its count changed elsewhere): show it in place.
        k = olo + (i - lo)
        return own.phrase(i - edge, j + edge), other.phrase(k - edge, k + (j - i) + edge)
    start = max(lo, i - width)
    end = min(hi, j + width)
    # Unchanged neighbours on each side, so that 'not' reads as 'will not entrust'.
    mine = own.phrase(start - edge if start == lo else start, end + edge if end == hi else end)
    if ohi - olo <= 2 * width + 2:
        theirs = other.phrase(olo - edge, ohi + edge)
    else:
        offset = olo + (start - lo)
        theirs = other.phrase(offset, min(ohi, offset + (end - start)))
    return mine, theirs


def _levenshtein_at_most(a: str, b: str, limit: int) -> bool:
    """Whether two short strings are within ``limit`` edits."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for x, ca in enumerate(a, 1):
        current = [x]
        for y, cb in enumerate(b, 1):
            current.append(min(previous[y] + 1, current[y - 1] + 1, previous[y - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _pick(signals: list[_Signal], key: str, n: int, changed: list[bool]) -> list[_Signal]:
    """``n`` occurrences of ``key``, preferring those inside changed words, in text order."""
    candidates = [(not changed[i], i) for i, s in enumerate(signals) if s.key == key]
    chosen = sorted(candidates)[:n]
    return [signals[i] for _, i in sorted(chosen, key=lambda c: c[1])]


def _prefix_negations(ops: list[Opcode], a: _Tokens, b: _Tokens) -> list[Tripwire]:
    """'authorized' -> 'unauthorized', 'essential' -> 'non-essential' inside one edit."""
    found: list[Tripwire] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace":
            continue
        olds = {a.words[i]: i for i in range(i1, min(i2, i1 + 50))}
        for j in range(j1, min(j2, j1 + 50)):
            word = b.words[j]
            for prefix in _PREFIXES:
                base_new = word[len(prefix) :] if word.startswith(prefix) else None
                if base_new and len(base_new) >= 4 and base_new in olds:
                    i = olds[base_new]
                    found.append(
                        Tripwire("negation", a.phrase(i - 1, i + 2), b.phrase(j - 1, j + 2))
                    )
                    break
                if prefix + word in olds and len(word) >= 4:
                    i = olds[prefix + word]
                    found.append(
                        Tripwire("negation", a.phrase(i - 1, i + 2), b.phrase(j - 1, j + 2))
                    )
                    break
    return found


def find_tripwires(old: str, new: str, *, language: str = "en") -> tuple[Tripwire, ...]:
    """Token changes between ``old`` and ``new`` that can change the meaning.

    Returns tripwires in a stable order (old-text position, then kind). ``find_tripwires(x, x)``
    is always empty, and so is any pair that differs only in case, whitespace or punctuation
    outside numbers. ``language`` is passed to :func:`analyzer.facts.extract.extract_facts`.
    """
    if skeleton(old) == skeleton(new):
        return ()
    old_facts, new_facts = facts_of(old, language), facts_of(new, language)
    old_sig = _signals(old, old_facts, negation_cues(old) + modal_cues(old))
    new_sig = _signals(new, new_facts, negation_cues(new) + modal_cues(new))
    a, b = _Tokens.of(old), _Tokens.of(new)
    ops = _opcodes(a, b)

    placed: list[tuple[int, int, str, Tripwire]] = []
    kinds = sorted({s.kind for s in old_sig} | {s.kind for s in new_sig})
    for kind in kinds:
        olds = [s for s in old_sig if s.kind == kind]
        news = [s for s in new_sig if s.kind == kind]
        excess_old = Counter(s.key for s in olds) - Counter(s.key for s in news)
        excess_new = Counter(s.key for s in news) - Counter(s.key for s in olds)
        if not excess_old and not excess_new:
            continue
        old_changed = [_in_change(ops, a, s.span, 0) for s in olds]
        new_changed = [_in_change(ops, b, s.span, 1) for s in news]
        gone = sorted(
            (s for k, n in excess_old.items() for s in _pick(olds, k, n, old_changed)),
            key=lambda s: s.span,
        )
        came = sorted(
            (s for k, n in excess_new.items() for s in _pick(news, k, n, new_changed)),
            key=lambda s: s.span,
        )
        for index in range(max(len(gone), len(came))):
            g = gone[index] if index < len(gone) else None
            c = came[index] if index < len(came) else None
            out_kind = kind
            if kind in _VALUE_KINDS:
                before, after = (g.surface if g else ""), (c.surface if c else "")
                if (
                    kind == "organisation"
                    and g
                    and c
                    and min(len(g.key), len(c.key)) >= 6
                    and _levenshtein_at_most(g.key, c.key, 2)
                ):
                    out_kind = "spelling"
            elif g and c:
                before = _context(ops, a, b, g.span, 0)[0]
                after = _context(ops, b, a, c.span, 1)[0]
            elif g:
                before, after = _context(ops, a, b, g.span, 0)
            else:
                assert c is not None
                after, before = _context(ops, b, a, c.span, 1)
            position = g.span[0] if g else (c.span[0] if c else 0)
            placed.append((0 if g else 1, position, out_kind, Tripwire(out_kind, before, after)))
    for wire in _prefix_negations(ops, a, b):
        placed.append((0, old.find(wire.before) if wire.before else 0, "negation", wire))
    placed.sort(key=lambda p: (p[1], p[0], p[2], p[3].before, p[3].after))
    seen: set[Tripwire] = set()
    out: list[Tripwire] = []
    for *_, wire in placed:
        if wire not in seen:
            seen.add(wire)
            out.append(wire)
    return tuple(out)


def meaningful(tripwires: Sequence[Tripwire]) -> tuple[Tripwire, ...]:
    """The tripwires whose kind makes a change substantive on its own (:data:`MEANING_KINDS`)."""
    return tuple(t for t in tripwires if t.kind in MEANING_KINDS)
