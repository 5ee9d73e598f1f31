"""What the words around a verb or a right say of it: who does it, whether it is denied, its
modal verb, its scope and its conditions.

- :func:`is_denied`: a negation that governs the word (in its clause, with only auxiliaries,
  adverbs and coordinated verbs between: 'we do not ever directly sell', 'will not be shared'),
  or a negative subject heading its clause ('No company … will receive');
- :func:`modality_of`: the nearest modal verb before it (will, must, may);
- :func:`scope_of`: ``only`` ('only with our payment processor') or ``open`` ('including');
- :func:`conditions_of`: consent, exceptions ('unless required by law') and other conditions
  ('if you opt in') of its clause and the clauses around it;
- :func:`actor_of`: who acts -- the company, the user (the subject 'you', an imperative), or a
  recipient ('No company outside our group will receive …').

Pure; each a scan of one sentence.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from analyzer.statements.model import Actor, Modality, Scope
from analyzer.statements.patterns import patterns
from analyzer.statements.sentences import Sentence
from analyzer.text.compiled import regex

__all__ = ["actor_of", "conditions_of", "is_denied", "modality_of", "scope_of"]


_GAP_WORDS = frozenset(
    {
        "be", "been", "being", "is", "are", "was", "were", "will", "would", "shall", "should",
        "can", "could", "may", "might", "must", "do", "does", "did", "have", "has", "had",
        "ever", "directly", "knowingly", "intentionally", "otherwise", "also", "actively",
        "currently", "routinely", "generally", "ordinarily", "any", "longer", "further", "or",
        "and", "nor", "to", "it", "them", "this", "that", "your", "you", "us", "with", "in",
        "such", "a", "the", "way", "ways", "going", "able", "allowed", "permitted", "at", "all",
        "need", "needs", "want", "wish", "choose", "automatically", "yet", "so",
    }
)  # fmt: skip
"""Words that may stand between a negation and the verb it governs ('do not ever directly
sell', 'will not be shared', 'cannot be turned off')."""


_WITHDRAWAL = regex(
    r"(?<![a-z])(?:withdraw|withdraws|withdrawn|withdrawal|revoke|revokes|revoked|revocation"
    r"|opt out|opted out|refuse|refuses|decline)(?![a-z])|撤回|撤销|拒绝|取消授权|关闭"
)
"""Words that turn a consent condition around: 'after you withdraw your consent' is no
consent asked for."""


# --------------------------------------------------------------------------- polarity


def _governs(s: Sentence, cue: tuple[int, int, str], target: int) -> bool:
    """Whether a negation ending before ``target`` governs the word at ``target``: in the same
    clause, with nothing between them but auxiliaries, adverbs and coordinated verbs
    (English), or no punctuation and at most 30 characters (Chinese)."""
    start, end, _words = cue
    if end > target or start < s.reach(target):
        return False
    gap = s.lower[end:target]
    if s.passage.own and end <= s.passage.own <= target:
        gap = gap.replace(":", " ", 1)  # across the lead-in's colon
    if not gap.isascii():
        return len(gap) <= 30 and not re.search(r"[，,。；;：:]|除", gap)
    words = re.findall(r"[a-z'’]+|[^\sa-z'’]", gap)
    if len(words) > 6:
        return False
    for w in words:
        if w in _GAP_WORDS or w.endswith("ly") or _is_action_word(w):
            continue
        return False
    return True


@cache
def _action_word_set() -> frozenset[str]:
    return frozenset(
        {
            "collect", "share", "sell", "disclose", "transfer", "store", "retain", "process",
            "use", "provide", "rent", "trade", "give", "send", "combine", "track", "keep",
            "access", "receive", "infer", "analyse", "analyze", "publish", "make",
        }
    )  # fmt: skip


def _is_action_word(word: str) -> bool:
    return word in _action_word_set()


def is_denied(s: Sentence, pos: int) -> bool:
    """Whether the word at ``pos`` is denied: a governing negation before it, or a negative
    subject heading its clause ('No company … will receive', 'Nobody looks at')."""
    if any(_governs(s, cue, pos) for cue in s.negations if cue[1] <= pos):
        return True
    a = s.reach(pos)
    return patterns()["determiner-denial"].match(s.lower, a, pos) is not None


def modality_of(s: Sentence, pos: int) -> Modality:
    """The modal verb nearest before ``pos`` in its clause (within 40 characters)."""
    a = s.reach(pos)
    best: Modality = ""
    for start, key in s.modals:
        if a <= start < pos and pos - start <= 40:
            best = "will" if key in ("will", "should") else "must" if key == "must" else "may"
    if best == "" and any(
        w in ("never",) for _st, _e, w in s.negations if a <= _st < pos and pos - _st <= 40
    ):
        best = "will"
    return best


def scope_of(s: Sentence, pos: int) -> Scope:
    """``only`` or ``open`` when the clause of the word at ``pos`` says so ('only with our
    payment processor', 'in limited circumstances'; 'including', 'such as')."""
    p = patterns()
    a, b = s.piece_span(pos)
    key = ("scope", a, b)
    if key not in s.memo:
        found: Scope = ""
        if p["only"].search(s.lower, a, b):
            found = "only"
        elif p["open"].search(s.lower, a, b):
            found = "open"
        s.memo[key] = found
    scope: Scope = s.memo[key]
    return scope


def conditions_of(s: Sentence, pos: int | None = None) -> tuple[str, ...]:
    """The conditions of the word at ``pos`` (of the whole sentence when None), each
    ``<type>:<words>``: ``consent`` (asks for the user's consent, opt-in, choice),
    ``except`` (unless, except, other than), ``if``. A word's conditions are those of its own
    clause, of a condition clause just before it ('If you opt in, we …') and of the exception
    clauses just after it ('… unless required by law')."""
    key = ("conditions", None if pos is None else s.piece(pos))
    if key not in s.memo:
        s.memo[key] = _conditions(s, pos)
    conditions: tuple[str, ...] = s.memo[key]
    return conditions


def _conditions(s: Sentence, pos: int | None) -> tuple[str, ...]:
    p = patterns()
    pieces: list[tuple[int, int]] = []
    if pos is None:
        pieces.append((s.start, s.end))
    else:
        own = s.piece(pos)
        a, b = s.piece_span(pos)
        pieces.append((a, b))
        if own > 0 and s.pieces[own] > s.start:
            before = s.piece_span(s.pieces[own] - 1)
            if p["condition"].search(s.lower, before[0], before[1]):
                pieces.append(before)
        k = own + 1
        while k < len(s.pieces) and s.pieces[k] < s.end:
            nxt = s.piece_span(s.pieces[k])
            head = len(s.lower[nxt[0] : nxt[1]]) - len(
                s.lower[nxt[0] : nxt[1]].lstrip(" ,;:，；（(")
            )
            if not p["condition"].match(s.lower, nxt[0] + head):
                break
            pieces.append(nxt)
            k += 1
    out: list[str] = []
    for lo, hi in pieces:
        covered = -1
        for m in p["condition"].finditer(s.lower, lo, hi):
            if m.start() < covered:
                continue  # 'except where …' is one condition, not two
            _a, b = s.piece_span(m.start())
            covered = b
            words = " ".join(s.lower[m.start() : min(b, hi)].split())[:100].strip(" ,;:.，；：。")
            if not words:
                continue
            if p["except"].match(s.lower, m.start()):
                kind = "except"
            elif p["consent"].search(words) and not _WITHDRAWAL.search(words):
                kind = "consent"
            else:
                kind = "if"
            out.append(f"{kind}:{words}")
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------- actors


_USER_ACTS = regex(
    r"(?:\s+[a-z]+){0,2}?\s+(?:can|may|could|will|would|must|choose|decide|want|wish"
    r"|need|have|are|share|provide|give|send|post|publish|make|allow|use|turn|opt"
    r"|[a-z]+s)\b"
)


PARENTHESES = r"（[^（）]{1,80}）|\([^()]{1,80}\)"
"""A short parenthesis, full-width or not (the pattern's source, for the readers that build on
it)."""
_ASIDE = regex(
    rf"{PARENTHESES}|除(?!非)[^，。；]{{0,24}}外"
    r"|(?:在|当|每当)(?:您|你|用户)[^，。；]{0,30}?(?:之后|以后|期间|后|时|前)"
)
"""A parenthesis, an exception (除…外) or a time phrase (在您…时, 当您…时): a subject inside it acts
there only, not in the clause around it."""


def _subjects(s: Sentence, a: int, b: int) -> list[tuple[int, Actor | None]]:
    """The subjects of the clause ``a``..``b`` in order: (where each ends, who it names:
    the company, the user acting, or None for a 'you' that does not act), read once per clause."""
    key = ("subjects", a, b)
    if key not in s.memo:
        found: list[tuple[int, Actor | None]] = []
        asides = [m.span() for m in _ASIDE.finditer(s.lower, a, b)]
        for m in patterns()["subject"].finditer(s.lower, a, b):
            if any(x <= m.start() < y for x, y in asides):
                continue  # '除您开启…外', '(when you turn it on)': not who does the main verb
            kind: Actor | None = None
            if m.group("company") or m.group("company_zh"):
                kind = "company"
            elif m.group("other"):
                kind = "other"  # other people acting ('adult players could contact …')
            elif m.group("user") or m.group("user_zh"):
                follow = s.lower[m.end() : m.end() + 40]
                if m.group("user_zh") or _USER_ACTS.match(follow):
                    kind = "user"
            found.append((m.end(), kind))
        s.memo[key] = found
    subjects: list[tuple[int, Actor | None]] = s.memo[key]
    return subjects


def actor_of(s: Sentence, pos: int, action: str = "") -> Actor:
    """Who does what the word at ``pos`` says: the last subject before it in its clause (we,
    you, a recipient), the company by default."""
    a, b = s.piece_span(pos)
    actor: Actor = "company"
    subjects = _subjects(s, a, b)
    before = bisect.bisect_right([end for end, _kind in subjects], pos)
    for _end, kind in reversed(subjects[:before]):
        if kind:
            actor = kind
            break
    if action in ("receive", "access"):
        for f in s.facts:
            if f.kind == "recipient" and a <= f.span[0] and f.span[1] <= pos:
                between = s.lower[f.span[1] : pos]
                if len(between) <= 40 and not re.search(
                    r"\b(?:to|with|by|from|for)\b|给|向", between
                ):
                    actor = "recipient"
        if (
            action == "receive"
            and actor == "company"
            and patterns()["determiner-denial"].match(s.lower, a, pos)
        ):
            actor = "recipient"  # 'No company outside our group will receive …'

    if (
        action
        and actor == "company"
        and not s.lower[s.start : pos].strip(" \t\n*_-•#>\"'“‘([0123456789.)")
    ):
        actor = "user"  # an imperative: 'Use the settings to …', 'Share a post with …'
    return actor
