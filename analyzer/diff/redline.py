"""Word-level redlines between two texts; the only module that imports diff-match-patch.

A redline is a tuple of :data:`~analyzer.model.InlineOp`: ``("=", text)`` kept, ``("-", text)``
removed, ``("+", text)`` added. Joining the ``=`` and ``-`` texts gives the old text back
exactly, joining ``=`` and ``+`` the new one; adjacent ops never share a type, and inside a run
of changes the ``-`` comes before the ``+``.

How it works
------------
Texts are cut into tokens (:func:`tokenize`): words (with inner apostrophes), numbers with their
inner separators (``400-80-13260``, ``1,000.50``, ``3.4.2``), runs of whitespace, single
punctuation marks, and, for Chinese and Japanese, single ideographs and kana. Each distinct token
is written as one character of a private alphabet (the Private Use Area of the BMP, then the
astral planes: :data:`ALPHABET_SIZE` characters), the way diff-match-patch's line mode writes a
line as one character. diff-match-patch diffs the encoded strings with ``Diff_Timeout = 0`` (so
the result never depends on machine speed), its semantic cleanup runs on the encoded diff (so
it counts tokens, not letters, and never cuts a word), and the diff is decoded.

Bounds on large input
---------------------
diff-match-patch's bisection costs up to ``len(a) * len(b)`` steps. A single call is only made
when that product is at most :data:`DIRECT_PRODUCT`; larger regions are first cut at *anchors*
(tokens that occur exactly once on each side, kept in order by a longest increasing
subsequence, as in patience diff), and regions without anchors are grouped into content-defined
chunks of about 16 tokens that are diffed as units and then refined. All quadratic work in one
redline is capped by :data:`WORK_BUDGET` steps; past it, what is left is shown as one removal
and one addition. The result is a correct redline in every case (both texts rebuild exactly),
only coarser where the budget ran out; it is deterministic because budgets count steps, not
seconds.

Texts longer than :data:`TOKEN_MODE_MAX_CHARS` together, or with more distinct tokens than
the alphabet holds, are diffed line by line first (lines encoded the same way) and only the
changed line regions are tokenised and refined.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch  # noqa: TID251 (this module owns diff-match-patch)

from analyzer.model import InlineOp

__all__ = [
    "ALPHABET_SIZE",
    "DIRECT_PRODUCT",
    "TOKEN_MODE_MAX_CHARS",
    "WORK_BUDGET",
    "changed_regions",
    "common_subsequence",
    "new_text",
    "old_text",
    "only_case_changed",
    "only_punctuation_changed",
    "only_whitespace_changed",
    "redline",
    "token_distance",
    "token_similarity",
    "tokenize",
    "word_tokens",
]

_CJK = (
    "\u2e80-\u2fdf"  # radicals
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3100-\u312f\u31a0-\u31ff"  # bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\U00020000-\U0003134f"  # ideographs, extensions B-H
)
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one ideograph or kana
    r"|\d+(?:[.,:/\-]\d+)+"  # a number with inner separators: 400-80-13260, 1,000.50, 3.4.2
    rf"|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*"  # a word, with inner apostrophes: don't
    r"|\s+"  # a run of whitespace
    r"|.",  # anything else, one character at a time (punctuation, symbols)
    re.DOTALL,
)
_SPACE = re.compile(r"\s+")
_WORDLIKE = re.compile(rf"[\w{_CJK}]")

ALPHABET_SIZE = (0xF8FF - 0xE000 + 1) + (0x10FFFF - 0x10000 + 1)
"""Distinct units one encoding can hold: the BMP Private Use Area plus the astral planes."""
DIRECT_PRODUCT = 250_000
"""Largest ``len(a) * len(b)`` (in tokens) handed to diff-match-patch in one call."""
WORK_BUDGET = 4_000_000
"""Quadratic steps one redline may spend in diff-match-patch before it stops refining."""
TOKEN_MODE_MAX_CHARS = 2_000_000
"""Above this many characters (old + new), texts are diffed by lines first."""
_MAX_DEPTH = 200
_CLEANUP_WINDOW = 600
_CHUNK_MASK = 0xF  # content-defined chunks of ~16 units

_DELETE, _EQUAL, _INSERT = -1, 0, 1
_OP: dict[int, Literal["=", "-", "+"]] = {_DELETE: "-", _EQUAL: "=", _INSERT: "+"}

Diff = list[tuple[int, str]]


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # never depend on the machine's speed
    return dmp


_DMP = _engine()


# ---------------------------------------------------------------------------------------------
# Tokens and their encoding


def tokenize(text: str) -> list[str]:
    """Cut a text into redline tokens; joining them gives the text back."""
    return _TOKEN.findall(text)


def word_tokens(text: str) -> list[str]:
    """The tokens of a text without whitespace runs (what similarity ratios count)."""
    return [t for t in _TOKEN.findall(text) if not t.isspace()]


def _code(index: int) -> str:
    """The character that stands for the ``index``-th distinct unit."""
    if index < 0x1900:
        return chr(0xE000 + index)
    return chr(0x10000 + index - 0x1900)


class _Encoder:
    """Maps units (tokens, lines, chunks) to single characters and back."""

    def __init__(self) -> None:
        self.units: list[str] = []
        self.codes: dict[str, str] = {}

    def encode(self, units: Iterable[str]) -> str | None:
        """The units as a string of codes, or None when the alphabet is exhausted."""
        out = []
        codes = self.codes
        for unit in units:
            code = codes.get(unit)
            if code is None:
                if len(self.units) >= ALPHABET_SIZE:
                    return None
                code = _code(len(self.units))
                codes[unit] = code
                self.units.append(unit)
            out.append(code)
        return "".join(out)

    def decode(self, codes: str) -> str:
        units = self.units
        return "".join(units[_index(c)] for c in codes)


def _index(code: str) -> int:
    point = ord(code)
    return point - 0xE000 if point < 0x10000 else point - 0x10000 + 0x1900


# ---------------------------------------------------------------------------------------------
# The bounded diff over encoded strings


@dataclass
class _Budget:
    work: int = WORK_BUDGET

    def take(self, cost: int) -> bool:
        if cost > self.work:
            return False
        self.work -= cost
        return True


def _coarse(a: str, b: str) -> Diff:
    out: Diff = []
    if a:
        out.append((_DELETE, a))
    if b:
        out.append((_INSERT, b))
    return out


def _diff_codes(a: str, b: str, budget: _Budget, depth: int = 0) -> Diff:
    """Diff two encoded strings, spending at most ``budget`` quadratic steps."""
    if a == b:
        return [(_EQUAL, a)] if a else []
    prefix = _DMP.diff_commonPrefix(a, b)
    head = a[:prefix]
    a, b = a[prefix:], b[prefix:]
    suffix = _DMP.diff_commonSuffix(a, b)
    tail = a[len(a) - suffix :] if suffix else ""
    if suffix:
        a, b = a[:-suffix], b[:-suffix]

    if not a or not b:
        middle = _coarse(a, b)
    elif len(a) * len(b) <= DIRECT_PRODUCT:
        middle = _DMP.diff_main(a, b, False) if budget.take(len(a) * len(b)) else _coarse(a, b)
    elif depth >= _MAX_DEPTH or not budget.take(len(a) + len(b)):
        middle = _coarse(a, b)
    else:
        middle = _diff_large(a, b, budget, depth + 1)

    out: Diff = []
    if head:
        out.append((_EQUAL, head))
    out.extend(middle)
    if tail:
        out.append((_EQUAL, tail))
    return out


def _anchors(a: str, b: str) -> list[tuple[int, int]]:
    """Units that occur exactly once on each side, kept in order (patience diff's anchors)."""
    count_a = Counter(a)
    count_b = Counter(b)
    pos_b = {c: i for i, c in enumerate(b) if count_b[c] == 1}
    pairs = [(i, pos_b[c]) for i, c in enumerate(a) if count_a[c] == 1 and c in pos_b]
    return [pairs[k] for k in longest_increasing([j for _, j in pairs])]


def longest_increasing(values: Sequence[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``values`` (the leftmost one)."""
    tails: list[int] = []  # tails[k]: smallest tail value of an increasing run of length k+1
    tail_at: list[int] = []  # index in values of that tail
    back: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    out: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(i)
        i = back[i]
    return out[::-1]


def _diff_large(a: str, b: str, budget: _Budget, depth: int) -> Diff:
    anchors = _anchors(a, b)
    if anchors:
        out: Diff = []
        ia = ib = 0
        for ja, jb in anchors:
            out.extend(_diff_codes(a[ia:ja], b[ib:jb], budget, depth))
            out.append((_EQUAL, a[ja]))
            ia, ib = ja + 1, jb + 1
        out.extend(_diff_codes(a[ia:], b[ib:], budget, depth))
        return _compact(out)
    return _diff_chunked(a, b, budget, depth)


def _compact(diffs: Diff) -> Diff:
    """Merge neighbouring equalities, and each run of changes into one deletion then one
    insertion, in linear time (diff-match-patch's own merge is quadratic on long lists)."""
    out: Diff = []
    equal: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush_changes() -> None:
        if deleted:
            out.append((_DELETE, "".join(deleted)))
            deleted.clear()
        if inserted:
            out.append((_INSERT, "".join(inserted)))
            inserted.clear()

    for op, text in diffs:
        if not text:
            continue
        if op == _EQUAL:
            flush_changes()
            equal.append(text)
            continue
        if equal:
            out.append((_EQUAL, "".join(equal)))
            equal.clear()
        (deleted if op == _DELETE else inserted).append(text)
    flush_changes()
    if equal:
        out.append((_EQUAL, "".join(equal)))
    return out


def _chunks(codes: str) -> list[str]:
    """Cut an encoded string after every unit whose (stable) hash ends in four zero bits."""
    out = []
    start = 0
    for i, c in enumerate(codes):
        if (ord(c) * 2654435761 >> 7) & _CHUNK_MASK == 0:
            out.append(codes[start : i + 1])
            start = i + 1
    if start < len(codes):
        out.append(codes[start:])
    return out


def _diff_chunked(a: str, b: str, budget: _Budget, depth: int) -> Diff:
    """Diff groups of units first, then refine the groups that differ."""
    chunks_a, chunks_b = _chunks(a), _chunks(b)
    if len(chunks_a) + len(chunks_b) >= len(a) + len(b):
        return _coarse(a, b)  # no unit ends a chunk: grouping does not help
    encoder = _Encoder()
    ca = encoder.encode(chunks_a)
    cb = encoder.encode(chunks_b)
    if ca is None or cb is None:  # more distinct chunks than the alphabet holds
        return _coarse(a, b)
    coarse = _diff_codes(ca, cb, budget, depth)
    out: Diff = []
    pending_a: list[str] = []
    pending_b: list[str] = []

    def flush() -> None:
        if pending_a and pending_b:
            ra, rb = "".join(pending_a), "".join(pending_b)
            if len(ra) + len(rb) < len(a) + len(b):
                out.extend(_diff_codes(ra, rb, budget, depth))
            else:
                out.extend(_coarse(ra, rb))
        else:
            out.extend(_coarse("".join(pending_a), "".join(pending_b)))
        pending_a.clear()
        pending_b.clear()

    for op, text in coarse:
        decoded = encoder.decode(text)
        if op == _EQUAL:
            flush()
            out.append((_EQUAL, decoded))
        elif op == _DELETE:
            pending_a.append(decoded)
        else:
            pending_b.append(decoded)
    flush()
    return _compact(out)


# ---------------------------------------------------------------------------------------------
# Redlines


def redline(old: str, new: str) -> tuple[InlineOp, ...]:
    """The word-level redline from ``old`` to ``new``, cleaned up to read like an editor's."""
    if old == new:
        return (("=", old),) if old else ()
    if len(old) + len(new) <= TOKEN_MODE_MAX_CHARS:
        ops = _token_redline(old, new)
        if ops is not None:
            return _normalise(ops)
    return _normalise(_line_redline(old, new))


def _token_redline(old: str, new: str, budget: _Budget | None = None) -> list[InlineOp] | None:
    encoder = _Encoder()
    a = encoder.encode(tokenize(old))
    b = encoder.encode(tokenize(new))
    if a is None or b is None:
        return None
    diffs = _cleanup(_diff_codes(a, b, budget or _Budget()))
    return [(_OP[op], encoder.decode(text)) for op, text in diffs]


def _cleanup(diffs: Diff) -> Diff:
    """diff-match-patch's semantic cleanup, in windows of at most :data:`_CLEANUP_WINDOW` ops.

    The cleanup can take time quadratic in the number of ops; a redline of two long, unrelated
    texts has tens of thousands. Windows end at the longest equality of their last third, and a
    last pass over the whole runs when the windows' result is small enough.
    """
    diffs = _compact(diffs)
    _DMP.diff_cleanupMerge(diffs)
    if len(diffs) <= _CLEANUP_WINDOW:
        _DMP.diff_cleanupSemantic(diffs)
        return diffs
    out: Diff = []
    start = 0
    while start < len(diffs):
        end = min(start + _CLEANUP_WINDOW, len(diffs))
        if end < len(diffs):
            low = start + 2 * _CLEANUP_WINDOW // 3
            cut = max(
                (i for i in range(low, end) if diffs[i][0] == _EQUAL),
                key=lambda i: (len(diffs[i][1]), -i),
                default=end - 1,
            )
            end = cut + 1
        window = diffs[start:end]
        _DMP.diff_cleanupSemantic(window)
        out.extend(window)
        start = end
    out = _compact(out)
    _DMP.diff_cleanupMerge(out)
    if len(out) <= _CLEANUP_WINDOW:
        _DMP.diff_cleanupSemantic(out)
    return out


def _line_units(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _line_redline(old: str, new: str) -> list[InlineOp]:
    """Lines first, then tokens inside the changed line regions."""
    budget = _Budget()
    units_a, units_b = _line_units(old), _line_units(new)
    encoder = _Encoder()
    a = encoder.encode(units_a)
    b = encoder.encode(units_b)
    if a is None or b is None:  # more distinct lines than the alphabet: group them
        encoder = _Encoder()
        a = encoder.encode(_group_lines(units_a))
        b = encoder.encode(_group_lines(units_b))
        if a is None or b is None:
            return list(_coarse_ops(old, new))
    diffs = _cleanup(_diff_codes(a, b, budget))
    out: list[InlineOp] = []
    pending: dict[int, list[str]] = {_DELETE: [], _INSERT: []}

    def flush() -> None:
        ra, rb = "".join(pending[_DELETE]), "".join(pending[_INSERT])
        pending[_DELETE].clear()
        pending[_INSERT].clear()
        refined = None
        if ra and rb and len(ra) + len(rb) <= TOKEN_MODE_MAX_CHARS:
            refined = _token_redline(ra, rb, budget)
        out.extend(refined if refined is not None else _coarse_ops(ra, rb))

    for op, text in diffs:
        if op == _EQUAL:
            flush()
            out.append(("=", encoder.decode(text)))
        else:
            pending[op].append(encoder.decode(text))
    flush()
    return out


def _group_lines(lines: list[str]) -> list[str]:
    """Lines joined into content-defined groups of about 16 lines."""
    out = []
    start = 0
    for i, line in enumerate(lines):
        if zlib.crc32(line.encode("utf-8", "surrogatepass")) & _CHUNK_MASK == 0:
            out.append("".join(lines[start : i + 1]))
            start = i + 1
    if start < len(lines):
        out.append("".join(lines[start:]))
    return out


def _coarse_ops(old: str, new: str) -> list[InlineOp]:
    out: list[InlineOp] = []
    if old:
        out.append(("-", old))
    if new:
        out.append(("+", new))
    return out


def _normalise(ops: Iterable[InlineOp]) -> tuple[InlineOp, ...]:
    """Drop empty ops; inside each run of changes, one ``-`` then one ``+``; merge equalities."""
    out: list[InlineOp] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            out.append(("-", "".join(removed)))
        if added:
            out.append(("+", "".join(added)))
        removed.clear()
        added.clear()

    for op, text in ops:
        if not text:
            continue
        if op == "=":
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
        elif op == "-":
            removed.append(text)
        else:
            added.append(text)
    flush()
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Reading redlines


def old_text(ops: Iterable[InlineOp]) -> str:
    """The old text a redline was made from."""
    return "".join(text for op, text in ops if op != "+")


def new_text(ops: Iterable[InlineOp]) -> str:
    """The new text a redline was made from."""
    return "".join(text for op, text in ops if op != "-")


def changed_regions(ops: Iterable[InlineOp]) -> list[tuple[str, str]]:
    """Each run of changes as ``(removed words, added words)``; either may be ``''``."""
    out: list[tuple[str, str]] = []
    removed: list[str] = []
    added: list[str] = []
    for op, text in ops:
        if op == "=":
            if removed or added:
                out.append(("".join(removed), "".join(added)))
                removed, added = [], []
        elif op == "-":
            removed.append(text)
        else:
            added.append(text)
    if removed or added:
        out.append(("".join(removed), "".join(added)))
    return out


# ---------------------------------------------------------------------------------------------
# Editorial predicates and ratios


def _without_space(text: str) -> str:
    return _SPACE.sub("", text)


def only_whitespace_changed(old: str, new: str) -> bool:
    """The texts differ, but only in whitespace (spacing, line breaks, spaces around marks).

    A space that joins or separates two words (``data base`` / ``database``) is a change of
    wording, not of whitespace: only spaces next to punctuation or CJK characters, and the
    width of runs, are ignored.
    """
    if old == new:
        return False
    return _space_skeleton(old) == _space_skeleton(new)


def _space_skeleton(text: str) -> str:
    """The text with whitespace kept only between two word characters (as one space)."""
    tokens = tokenize(text.strip())
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.isspace():
            before, after = tokens[i - 1], tokens[i + 1] if i + 1 < len(tokens) else ""
            if _is_spaced_word(before) and _is_spaced_word(after):
                out.append(" ")
        else:
            out.append(token)
    return "".join(out)


def _is_spaced_word(token: str) -> bool:
    return bool(token) and _WORDLIKE.match(token) is not None and not _is_cjk_token(token)


def _is_cjk_token(token: str) -> bool:
    return len(token) == 1 and re.match(rf"[{_CJK}]", token) is not None


def _punctuation_skeleton(text: str) -> str:
    return " ".join(t for t in word_tokens(text) if _WORDLIKE.match(t))


def only_punctuation_changed(old: str, new: str) -> bool:
    """The texts differ, but their words are the same in the same order: only punctuation
    (quotes, commas, full-width forms, brackets) and whitespace changed."""
    if old == new or only_whitespace_changed(old, new):
        return False
    return _punctuation_skeleton(old) == _punctuation_skeleton(new)


def only_case_changed(old: str, new: str) -> bool:
    """The texts differ only in upper/lower case (and whitespace)."""
    if old == new or only_whitespace_changed(old, new):
        return False
    return _space_skeleton(old).casefold() == _space_skeleton(new).casefold()


def token_distance(old: str, new: str) -> int:
    """Edit distance in tokens (whitespace not counted): insertions, deletions, substitutions."""
    encoder = _Encoder()
    a = encoder.encode(word_tokens(old))
    b = encoder.encode(word_tokens(new))
    if a is None or b is None:  # pragma: no cover - needs a million distinct words
        return max(len(word_tokens(old)), len(word_tokens(new)))
    return int(_DMP.diff_levenshtein(_diff_codes(a, b, _Budget())))


def token_similarity(old: str, new: str) -> float:
    """``1 - token_distance / longer length``: 1.0 for the same words, 0.0 for nothing shared."""
    longest = max(len(word_tokens(old)), len(word_tokens(new)))
    if longest == 0:
        return 1.0
    return 1.0 - token_distance(old, new) / longest


def common_subsequence(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``a[i] == b[j]`` forming a long common subsequence, in order.

    Items are compared as strings (clause hashes, for instance). The same bounded diff as the
    redline is used, so large inputs stay fast; when the budget runs out the subsequence is
    shorter than the longest one, never wrong.
    """
    encoder = _Encoder()
    ca = encoder.encode(a)
    cb = encoder.encode(b)
    if ca is None or cb is None:  # pragma: no cover - needs a million distinct items
        return []
    pairs: list[tuple[int, int]] = []
    i = j = 0
    for op, text in _diff_codes(ca, cb, _Budget()):
        if op == _EQUAL:
            pairs.extend((i + k, j + k) for k in range(len(text)))
            i += len(text)
            j += len(text)
        elif op == _DELETE:
            i += len(text)
        else:
            j += len(text)
    return pairs
