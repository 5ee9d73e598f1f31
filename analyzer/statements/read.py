"""Reading statements: every sentence of a policy as the statements it makes.

:func:`statements_of` reads a clause tree passage by passage (:mod:`analyzer.statements.passages`:
list items with their lead-ins, table rows with their headings), sentence by sentence. The
facts of a passage (:func:`analyzer.facts.extract.facts_of`) are read in their roles
(:mod:`analyzer.statements.roles`), then grouped around what the sentence does:

- **practices**: an action ('collect', 'share', 'sell', 'look at', 'receive' …) with the
  information, recipients, purposes and places of its sentence; who acts (we, you, a
  recipient as in 'no company … will receive'); whether it is denied (a negation that governs
  the verb: 'we do not collect or process', 'is never sold', 'No company … will receive',
  不会将…出售 -- not 'it is no surprise that we collect'); its modal verb; whether it presents
  itself as complete ('only', 'in limited circumstances') or open ('including'); the
  conditions it depends on (consent, 'unless', 'if');
- **rights**: a right the user may (or may not) exercise, only where the sentence grants or
  denies it ('you can delete', 'you have the right to:' + 'request portability', 'to delete
  your account, go to …', 您可以…删除, 'cannot be turned off'), not where it is only named
  ('contact us about any of the rights above', 'we answer deletion requests'); who holds it
  (the user, or someone else: 'your next of kin may …'); its channels, deadline and fee;
- **contacts** in a contact context (a sentence about reaching or complaining, a section
  headed 'Contact us' or 'Data Protection Officer', a table row), with the names and numbers
  of an address block or a table cell as details;
- **controllers**, **risks**, **deadlines** (the company's to answer or act on a request, the
  user's to exercise a right), **fees** and **retention** periods.

Pure; small patterns compiled once; linear in the length of each passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from analyzer.facts.extract import facts_of
from analyzer.facts.types import Fact
from analyzer.model import ClauseTree
from analyzer.statements.model import (
    ACTION_FAMILIES,
    Actor,
    Modality,
    PolicyStatements,
    Scope,
    Statement,
)
from analyzer.statements.passages import Passage, passages_of
from analyzer.statements.roles import extra_objects, read_roles, subtype_of
from analyzer.text.scan import (
    ascii_lower,
    clause_starts,
    in_condition,
    modal_cues,
    negation_cues,
    piece_of,
    sentence_starts,
)

__all__ = ["statements_of", "statements_of_text"]

_NOT_ACTIONS = frozenset({"anonymise"})
"""Processing words that protect rather than process (de-identifying, aggregating)."""

_CONTACT_KINDS = frozenset({"phone", "email", "address", "department", "complaint"})
_VOCABULARY_KINDS = frozenset(
    {"pi-category", "purpose", "recipient", "processing", "location", "right", "channel", "fee"}
    | {"retention", "department", "complaint", "controller", "ownership", "risk", "commitment"}
)
_FUNCTION_NAMES = frozenset(
    {"If", "You", "We", "Our", "Your", "The", "This", "Please", "For", "To", "In", "Or", "And"}
)
_CHANNEL_OF = {"email": "email", "phone": "phone", "url": "web", "address": "postal"}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The few patterns the reader needs beyond the vocabulary, compiled on first use."""
    return {
        # verbs of practices the vocabulary leaves to context
        "verbs": re.compile(
            r"(?<![a-z])(?:(?P<use>use|uses|used|using|process|processes|processed"
            r"|analy[sz]e|analy[sz]es|analy[sz]ed)"
            r"|(?P<infer>infer|infers|inferred|inferring|profile|profiles|profiling)"
            r"|(?P<receive>receive|receives|received|receiving|obtain access|gain access)"
            r"|(?P<provide>send|sends|sent|sending|give|gives|gave|given|pass|passes|passed"
            r"|hand|hands|handed)(?= [^.;:]{0,60}?\bto\b)"
            r"|(?P<access>look at|looks at|looked at|looking at|read your|reads your|view your"
            r"|views your|access your|accesses your|access to your)"
            r"|(?P<collect>obtain|obtains|obtained|record|records|recorded|capture|captures"
            r"|captured|read(?= (?:the|your|a)\b)))(?![a-z])"
            r"|(?P<use_zh>使用|用于|处理您|利用)|(?P<infer_zh>推断|画像)|(?P<receive_zh>接收|获得您)"
            r"|(?P<collect_zh>获取|获得|记录)|(?P<access_zh>查看|访问您)"
        ),
        "ability": re.compile(
            r"(?<![a-z])(?:you|users?|customers?|members?)(?:[ ,]+[a-z]+){0,3}?[ ,]+"
            r"(?:can|may|could|are able to|will be able to|have the right|has the right"
            r"|are entitled|is entitled|have the option|has the option|have a right"
            r"|cannot|can't|may not|can no longer|are not able|will not be able|are unable)"
            r"(?![a-z])"
            r"|(?<![a-z])(?:right|rights) (?:to|of)(?![a-z])"
            r"|(?<![a-z])(?:can|cannot|can't|may|may not|could) (?:not )?be(?= [a-z])"
            r"|您(?:也|还|均|亦)?(?:可以|可|有权|能够|能|无法|不能|不可|不得)"
            r"|你(?:也|还)?(?:可以|可|有权|能够|能|无法|不能)"
            r"|用户(?:也|还)?(?:可以|可|有权|能够|无法|不能)|有权(?:要求|请求|申请|查阅|复制|更正|删除)"
            r"|(?:可以|可)(?:通过|向我们|随时|在)|(?<=[\u4e00-\u9fff])(?:可以|有权|能够)"
        ),
        "instruction": re.compile(
            r"(?<![a-z])to [a-z ]{2,40}?, (?:please )?(?:go to|visit|click|tap|select|open|contact"
            r"|email|e-mail|write|call|use|sign in|log in|navigate|follow|adjust|change|update)"
            r"(?![a-z])|如(?:您|你)?(?:需要|需|希望|想|要)[^，。；]{1,30}[，,]\s*(?:请|可|您可以|可以)"
        ),
        "someone-else": re.compile(
            r"(?<![a-z])(?:next of kin|relatives?|heirs?|parents?|guardians?|authori[sz]ed agents?"
            r"|agents?|representatives?|executors?)(?![a-z])|近亲属|监护人|法定代理人|继承人|代理人"
        ),
        "request": re.compile(r"(?<![a-z])requests?(?![a-z])|请求|申请"),
        "respond": re.compile(
            r"(?<![a-z])(?:respond|responds|responded|reply|replies|answer|answers|process your"
            r"|handle|handles|fulfil|fulfill|complete|completed|deleted|delete|deletes|erase|erases"
            r"|erased|remove|removes|removed|correct|corrects|corrected|provided|provide)(?![a-z])"
            r"|答复|回复|响应|处理完毕|完成|删除"
        ),
        "user-window": re.compile(
            r"(?<![a-z])(?:you|users?)(?:[ ,]+[a-z]+){0,4}?[ ,]+(?:may|can|must|need to|have to"
            r"|are required to)(?![a-z])"
            r"|(?<![a-z])(?:received|submitted|filed|lodged|made) (?:after|later than|outside)"
            r"(?![a-z])|您(?:应当|应|须|需要|需|可以|可)"
        ),
        "only": re.compile(
            r"(?<![a-z])(?:only|solely|exclusively|limited circumstances|limited to)"
            r"(?![a-z])|仅|只(?!要)|限于|唯一"
        ),
        "open": re.compile(
            r"(?<![a-z])(?:including|such as|for example|for instance|e\.g\.|a variety of"
            r"|among others|among other things|various)(?![a-z])|包括|例如|诸如|比如|等(?:情形|情况|场景)"
        ),
        "condition": re.compile(
            r"(?<![a-z])(?:if|unless|except|other than|apart from|only if|only when|provided that"
            r"|where|when|whenever|once|subject to|with your|without your|upon your|after you"
            r"|before you)(?![a-z])|除非|除[^，。；]{0,20}外|如果|如您|若|在您[^，。；]{0,30}(?:后|时|前)"
            r"|经您|征得您|取得您|单独同意"
        ),
        "consent": re.compile(
            r"(?<![a-z])(?:consent|opt[- ]in|opted in|agree|agreed|permission|authori[sz]e"
            r"|authori[sz]ation|ask(?:s|ed)? (?:you )?(?:if|whether) you|choose to|decide to"
            r"|allow us|enable|turn on|switch on)(?![a-z])|同意|授权|允许|开启|选择"
        ),
        "except": re.compile(
            r"(?<![a-z])(?:unless|except|other than|apart from|save)(?![a-z])|除非|除[^，。；]{0,20}外"
        ),
        "subject": re.compile(
            r"(?<![a-z])(?P<company>we|us|the company)(?![a-z])|(?P<user>you|users?)(?![a-z'’])"
            r"|(?P<company_zh>我们|本公司|我司)|(?P<user_zh>您|你|用户)(?!的)"
        ),
        "determiner-denial": re.compile(
            r"^[\s*_\"'“‘(\[]*(?:no|none of|nobody|no one|neither|nothing)(?![a-z])"
        ),
        "contact-words": re.compile(
            r"(?<![a-z])(?:contact|reach|write to|call|phone|email us|e-mail us|complain|complaint"
            r"|questions?|enquir|inquir|concerns?|get in touch|by post|mail|address|officer|dpo"
            r"|hotline|representative)|联系|投诉|举报|咨询|疑问|热线|客服|邮寄|地址|负责人"
        ),
        "high-risk": re.compile(
            r"(?<![a-z])(?:high|higher|significant|serious|severe|elevated)(?:[ -]level)? risks?"
            r"(?![a-z])|较高风险|高风险|重大风险|严重风险"
        ),
        "detail": re.compile(r"(?<![\w@./-])[A-Z][\w&’'-]+|(?<![\w.])\d[\d ]{1,}\d|\d+"),
        "named": re.compile(r"[A-Z][\w&’'.-]*(?: (?:[A-Z][\w&’'.-]*|&|of|de|and))*"),
    }


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


@dataclass
class _Sentence:
    """One sentence of a passage while it is read."""

    passage: Passage
    text: str
    """The passage's whole text (offsets are into it)."""
    lower: str
    start: int
    end: int
    pieces: list[int]
    """Clause starts of the whole passage."""
    facts: list[Fact]
    """Facts of the sentence, in their roles."""
    negations: list[tuple[int, int, str]]
    """(start, end, words) of the denying negations of the passage."""
    modals: list[tuple[int, str]]
    """(start, key) of the modal verbs of the passage."""
    language: str

    def piece(self, pos: int) -> int:
        return piece_of(self.pieces, pos)

    def piece_span(self, pos: int) -> tuple[int, int]:
        k = self.piece(pos)
        start = max(self.pieces[k], self.start)
        end = self.pieces[k + 1] if k + 1 < len(self.pieces) else len(self.text)
        return start, min(end, self.end)

    def conditional(self, pos: int) -> bool:
        return in_condition(self.lower, self.pieces, pos)


# --------------------------------------------------------------------------- polarity


def _governs(s: _Sentence, cue: tuple[int, int, str], target: int) -> bool:
    """Whether a negation ending before ``target`` governs the word at ``target``: in the same
    clause, with nothing between them but auxiliaries, adverbs and coordinated verbs
    (English), or no punctuation and at most 30 characters (Chinese)."""
    start, end, _words = cue
    if end > target or s.piece(start) != s.piece(target):
        return False
    gap = s.lower[end:target]
    if not gap.isascii():
        return len(gap) <= 30 and not re.search(r"[，,。；;：:]", gap)
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


def _denied(s: _Sentence, pos: int) -> bool:
    """Whether the word at ``pos`` is denied: a governing negation before it, or a negative
    subject heading its clause ('No company … will receive', 'Nobody looks at')."""
    if any(_governs(s, cue, pos) for cue in s.negations if cue[1] <= pos):
        return True
    a, _b = s.piece_span(pos)
    return _patterns()["determiner-denial"].match(s.lower, a, pos) is not None


def _modality(s: _Sentence, pos: int) -> Modality:
    """The modal verb nearest before ``pos`` in its clause (within 40 characters)."""
    a, _b = s.piece_span(pos)
    best: Modality = ""
    for start, key in s.modals:
        if a <= start < pos and pos - start <= 40:
            best = "will" if key in ("will", "should") else "must" if key == "must" else "may"
    if best == "" and any(
        w in ("never",) for _st, _e, w in s.negations if a <= _st < pos and pos - _st <= 40
    ):
        best = "will"
    return best


def _scope(s: _Sentence) -> Scope:
    p = _patterns()
    window = s.lower[s.start : s.end]
    if p["only"].search(window):
        return "only"
    if p["open"].search(window):
        return "open"
    return ""


def _conditions(s: _Sentence) -> tuple[str, ...]:
    """The conditions of the sentence, each ``<type>:<words>``: ``consent`` (asks for the
    user's consent, opt-in, choice), ``except`` (unless, except, other than), ``if``."""
    p = _patterns()
    out: list[str] = []
    covered = -1
    for m in p["condition"].finditer(s.lower, s.start, s.end):
        if m.start() < covered:
            continue  # 'except where …' is one condition, not two
        _a, b = s.piece_span(m.start())
        covered = b
        words = " ".join(s.lower[m.start() : b].split())[:100].strip(" ,;:.，；：。")
        if not words:
            continue
        if p["except"].match(s.lower, m.start()):
            kind = "except"
        elif p["consent"].search(words):
            kind = "consent"
        else:
            kind = "if"
        out.append(f"{kind}:{words}")
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------- actors


def _actor(s: _Sentence, pos: int, action: str = "") -> Actor:
    """Who does what the word at ``pos`` says: the last subject before it in its clause (we,
    you, a recipient), the company by default."""
    a, _b = s.piece_span(pos)
    actor: Actor = "company"
    for m in _patterns()["subject"].finditer(s.lower, a, pos):
        if m.group("company") or m.group("company_zh"):
            actor = "company"
        elif m.group("user") or m.group("user_zh"):
            follow = s.lower[m.end() : m.end() + 40]
            if m.group("user_zh") or re.match(
                r"(?:\s+[a-z]+){0,2}?\s+(?:can|may|could|will|would|must|choose|decide|want|wish"
                r"|need|have|are|share|provide|give|send|post|publish|make|allow|use|turn|opt"
                r"|[a-z]+s)\b",
                follow,
            ):
                actor = "user"
    if action in ("receive", "access"):
        for f in s.facts:
            if f.kind == "recipient" and a <= f.span[0] and f.span[1] <= pos:
                between = s.lower[f.span[1] : pos]
                if len(between) <= 40 and not re.search(
                    r"\b(?:to|with|by|from|for)\b|给|向", between
                ):
                    actor = "recipient"
        if actor == "company" and _patterns()["determiner-denial"].match(s.lower, a, pos):
            actor = "recipient"
    if actor == "company" and not s.lower[s.start : pos].strip(" \t\n*_-•#>\"'“‘([0123456789.)"):
        actor = "user"  # an imperative: 'Use the settings to …', 'Share a post with …'
    return actor


# --------------------------------------------------------------------------- practices


@dataclass(frozen=True)
class _Action:
    value: str
    span: tuple[int, int]


def _actions(s: _Sentence) -> list[_Action]:
    """The practice verbs of the sentence: the vocabulary's ways of handling information and
    the verbs it leaves to context (use, receive, look at, send … to)."""
    out = [
        _Action(f.value, f.span)
        for f in s.facts
        if f.kind == "processing" and f.value not in _NOT_ACTIONS
    ]
    taken = [a.span for a in out]
    for m in _patterns()["verbs"].finditer(s.lower, s.start, s.end):
        if any(x < m.end() and m.start() < y for x, y in taken):
            continue
        group = next(g for g, v in m.groupdict().items() if v is not None)
        out.append(_Action(group.removesuffix("_zh"), m.span()))
    out.sort(key=lambda a: a.span)
    return out


def _named_recipients(s: _Sentence) -> list[tuple[str, tuple[int, int]]]:
    """Companies named in a sentence that gives information to someone: the organisations the
    vocabulary found, and capitalised names the policy gives as the recipients ('sent to our
    email vendor, Acoustic', 'This includes AppsFlyer')."""
    out = [
        (f"org:{f.value}", f.span)
        for f in s.facts
        if f.kind in ("organisation", "controller") and f.value != "controller"
    ]
    return out


def _practices(s: _Sentence, *, share_context: bool) -> list[Statement]:
    actions = [a for a in _actions(s) if not s.conditional(a.span[0])]
    if not actions:
        return []
    objects: list[tuple[str, tuple[int, int]]] = [
        (subtype_of(s.text, f), f.span) for f in s.facts if f.kind == "pi-category"
    ]
    objects += extra_objects(s.text, s.start, s.end)
    recipients = [(f.value, f.span) for f in s.facts if f.kind == "recipient"]
    purposes = [(f.value, f.span) for f in s.facts if f.kind == "purpose"]
    places = [(f.value, f.span) for f in s.facts if f.kind == "location"]
    named = _named_recipients(s)
    action_pieces = {s.piece(a.span[0]) for a in actions}
    out: list[Statement] = []
    scope = _scope(s)
    conditions = _conditions(s)
    for action in actions:
        own = s.piece(action.span[0])

        def mine(spans: list[tuple[str, tuple[int, int]]], own: int = own) -> tuple[str, ...]:
            return tuple(
                sorted(
                    {
                        v
                        for v, (a, _b) in spans
                        if s.piece(a) == own or s.piece(a) not in action_pieces
                    }
                )
            )

        family = ACTION_FAMILIES.get(action.value, action.value)
        actor = _actor(s, action.span[0], action.value)
        if actor == "user":
            continue  # what the user does ('you can share a post') is not a practice
        rec = mine(recipients)
        if family in ("share", "sell", "abroad") or share_context:
            rec = tuple(sorted({*rec, *mine(named)}))
        out.append(
            Statement(
                kind="practice",
                actor=actor,
                action=action.value,
                polarity="denied" if _denied(s, action.span[0]) else "affirmed",
                modality=_modality(s, action.span[0]),
                scope=scope,
                objects=mine(objects),
                recipients=rec if family in ("share", "sell", "abroad") else (),
                purposes=mine(purposes),
                places=mine(places) if family in ("share", "sell", "abroad", "store") else (),
                conditions=conditions,
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=_shown(s),
            )
        )
    return out


def _shown(s: _Sentence) -> str:
    return " ".join(s.text[s.start : s.end].split())


# --------------------------------------------------------------------------- rights


def _grants(s: _Sentence, fact: Fact) -> tuple[bool, Actor] | None:
    """Whether the sentence grants or denies the right ``fact`` names, and to whom: an ability
    frame before it in its sentence ('you can', 'you have the right to', 您可以, 'cannot be
    turned off') or an instruction ('to delete your account, go to …'); None when the right is
    only named."""
    p = _patterns()
    a = fact.span[0]
    head = s.lower[s.start : a]
    frame = None
    for m in p["ability"].finditer(s.lower, s.start, s.end):
        if m.end() <= a:
            frame = m
    instruction = p["instruction"].search(s.lower, s.start, s.end)
    if frame is None and instruction is None:
        return None
    holder: Actor = "user"
    if frame is not None:
        before = s.lower[max(s.start, frame.start() - 40) : frame.end()]
        if p["someone-else"].search(before):
            holder = "other"
    elif p["someone-else"].search(head):
        holder = "other"
    return True, holder


def _rights(s: _Sentence) -> list[Statement]:
    out: list[Statement] = []
    channels = sorted(
        {f"channel:{f.value}" for f in s.facts if f.kind == "channel"}
        | {f"channel:{_CHANNEL_OF[f.kind]}" for f in s.facts if f.kind in _CHANNEL_OF}
    )
    extras = sorted(
        {f"deadline:{f.value}" for f in s.facts if f.kind == "deadline"}
        | {f"fee:{'not ' if f.negated else ''}{f.value}" for f in s.facts if f.kind == "fee"}
    )
    objects = tuple(sorted({subtype_of(s.text, f) for f in s.facts if f.kind == "pi-category"}))
    purposes = tuple(sorted({f.value for f in s.facts if f.kind == "purpose"}))
    seen: set[tuple[str, str]] = set()
    for fact in s.facts:
        if fact.kind != "right":
            continue
        granted = _grants(s, fact)
        if granted is None:
            continue
        _ok, holder = granted
        denied = _denied(s, fact.span[0]) or _frame_denies(s, fact.span[0])
        key = (fact.value, "denied" if denied else "affirmed")
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Statement(
                kind="right",
                actor=holder,
                action=fact.value,
                polarity="denied" if denied else "affirmed",
                modality=_modality(s, fact.span[0]) or "may",
                scope=_scope(s),
                objects=objects,
                purposes=purposes,
                conditions=_conditions(s),
                values=tuple([*channels, *extras]),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=_shown(s),
            )
        )
    return out


_DENYING_FRAME = re.compile(
    r"(?<![a-z])(?:cannot|can't|may not|can no longer|are not able|will not be able|are unable"
    r"|no longer able)(?![a-z])|无法|不能|不可|不得|不再"
)


def _frame_denies(s: _Sentence, pos: int) -> bool:
    a, _b = s.piece_span(pos)
    return _DENYING_FRAME.search(s.lower, a, pos) is not None


# --------------------------------------------------------------------------- contacts and others


def _phone_value(value: str) -> str:
    """Digits of a phone number without an international prefix, so that '+1 (877) 273-3049'
    and '1-877-273-3049' read as one number."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("00"):
        digits = digits[2:]
    return digits


def _contact_context(s: _Sentence) -> bool:
    p = _patterns()["contact-words"]
    return bool(
        p.search(s.lower, s.start, s.end)
        or p.search(s.passage.headings)
        or (len(s.passage.sources) > 1 and "|" in s.text)
    )


def _contacts(s: _Sentence) -> list[Statement]:
    if not _contact_context(s):
        return []
    out: list[Statement] = []
    for f in s.facts:
        if f.kind not in _CONTACT_KINDS:
            continue
        value = _phone_value(f.value) if f.kind == "phone" else f.value
        out.append(
            Statement(
                kind="contact",
                actor="company",
                action=f.kind,
                polarity="denied" if f.negated else "affirmed",
                values=(f"{f.kind}:{value}",),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=_shown(s),
            )
        )
    return out


def _details(s: _Sentence) -> tuple[str, ...]:
    """The names and numbers of a contact passage that the vocabulary has no kind for: the
    capitalised words (not the sentence's first) and digit runs ('Rue de la Loi 28', '1040
    Brussels', a named person in a complaints table)."""
    out: list[str] = []
    taken = [f.span for f in s.facts if f.kind not in _VOCABULARY_KINDS]
    first = True
    for m in _patterns()["detail"].finditer(s.text, s.start, s.end):
        token = m.group(0)
        if first and not token[0].isdigit():
            first = False
            continue
        first = False
        if any(x < m.end() and m.start() < y for x, y in taken):
            continue  # a phone number, an e-mail or a date has its own statement
        if (token.isdigit() and len(token) < 2) or token in _FUNCTION_NAMES:
            continue
        out.append(("detail:" + re.sub(r"\s", "", token)).casefold())
    return tuple(dict.fromkeys(out))


def _others(s: _Sentence) -> list[Statement]:
    out: list[Statement] = []
    base = {
        "clause": s.passage.clause,
        "address": s.passage.address,
        "sources": s.passage.sources,
        "text": _shown(s),
    }
    for f in s.facts:
        polarity = "denied" if f.negated else "affirmed"
        if f.kind == "controller" or f.kind == "ownership":
            value = f"org:{f.value}" if f.kind == "controller" else f"ownership:{f.value}"
            out.append(
                Statement(
                    kind="controller",
                    actor="company",
                    action="controller" if f.kind == "controller" else f.value,
                    polarity=polarity,  # type: ignore[arg-type]
                    values=(value,),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "risk":
            high = _patterns()["high-risk"].search(s.lower, s.start, s.end) is not None
            action = "high-risk" if f.value == "high-risk" or high else f.value
            out.append(
                Statement(
                    kind="risk",
                    actor="company",
                    action=action,
                    polarity="denied" if _denied(s, f.span[0]) or f.negated else "affirmed",
                    values=(f"risk:{f.value}",),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "retention" and not s.conditional(f.span[0]) and not _about_request(s):
            objects = tuple(
                sorted({subtype_of(s.text, g) for g in s.facts if g.kind == "pi-category"})
            )
            out.append(
                Statement(
                    kind="retention",
                    actor="company",
                    action="keep",
                    polarity=polarity,  # type: ignore[arg-type]
                    objects=objects,
                    values=(f"duration:{f.value}",),
                    days=f.magnitude,
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "fee":
            rights = sorted({g.value for g in s.facts if g.kind == "right"})
            money = sorted({g.value for g in s.facts if g.kind == "money"})
            denied = f.negated or _denied(s, f.span[0])
            out.append(
                Statement(
                    kind="fee",
                    actor="company",
                    action=f.value,
                    polarity="denied" if denied else "affirmed",
                    conditions=_conditions(s),
                    values=tuple([*(f"right:{r}" for r in rights), *(f"money:{m}" for m in money)]),
                    **base,  # type: ignore[arg-type]
                )
            )
    out += _deadlines(s)
    return out


def _about_request(s: _Sentence) -> bool:
    """The sentence speaks of a user's request about a right ('when you request deletion …'):
    its durations are deadlines, not retention periods."""
    return any(f.kind == "right" for f in s.facts) and (
        _patterns()["request"].search(s.lower, s.start, s.end) is not None
    )


def _deadlines(s: _Sentence) -> list[Statement]:
    """Time limits of a sentence about a request: the company's to answer or to act on it
    ('we respond within 15 days', 'it will be deleted within 30 days of the request'), the
    user's to exercise a right ('you may appeal within 14 days')."""
    p = _patterns()
    durations = [f for f in s.facts if f.kind in ("deadline", "duration")]
    if not durations:
        return []
    window = s.lower[s.start : s.end]
    about_request = p["request"].search(window) is not None or any(
        f.kind == "right" for f in s.facts
    )
    if not about_request and not any(f.kind == "deadline" for f in durations):
        return []
    rights = sorted({f.value for f in s.facts if f.kind == "right"})
    out: list[Statement] = []
    seen: set[tuple[str, float | None]] = set()
    for f in durations:
        if s.conditional(f.span[0]):
            continue
        a, _b = s.piece_span(f.span[0])
        user = p["user-window"].search(s.lower, a, f.span[0]) is not None and not p[
            "respond"
        ].search(s.lower, a, f.span[0])
        if user:
            actor: Actor = "user"
            action = "exercise"
        elif p["respond"].search(window) or f.kind == "deadline":
            actor = "company"
            action = "respond" if not rights else "fulfil"
        else:
            continue
        key = (action, f.magnitude)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Statement(
                kind="deadline",
                actor=actor,
                action=action,
                polarity="affirmed",
                objects=tuple(rights),
                values=(f"duration:{f.value}",),
                days=f.magnitude,
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=_shown(s),
            )
        )
    return out


# --------------------------------------------------------------------------- reading


def _sentences(passage: Passage, language: str) -> list[_Sentence]:
    text = passage.text
    lower = ascii_lower(text)
    facts = list(read_roles(text, facts_of(text, language)))
    pieces = clause_starts(lower)
    negations = [
        (c.span[0], c.span[1], ascii_lower(c.text))
        for c in negation_cues(text, lower)
        if c.kind == "negation"
    ]
    modals = [(c.span[0], c.key) for c in modal_cues(text, lower)]
    starts = [*sentence_starts(lower), len(text)]
    out: list[_Sentence] = []
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        if not text[a:b].strip():
            continue
        own = [f for f in facts if a <= f.span[0] < b]
        out.append(_Sentence(passage, text, lower, a, b, pieces, own, negations, modals, language))
    return out


def _read_passage(passage: Passage, language: str) -> list[Statement]:
    out: list[Statement] = []
    sentences = _sentences(passage, language)
    share_context = False
    for s in sentences:
        practices = _practices(s, share_context=share_context)
        share_context = share_context or any(
            p.family in ("share", "sell", "abroad") and not p.denied for p in practices
        )
        out += practices
        out += _rights(s)
        out += _contacts(s)
        out += _others(s)
    if (out and any(st.kind == "contact" for st in out)) or _is_address_block(passage):
        details = tuple(d for s in sentences for d in _details(s))
        if details:
            out.append(
                Statement(
                    kind="contact",
                    actor="company",
                    action="details",
                    polarity="affirmed",
                    values=details,
                    clause=passage.clause,
                    address=passage.address,
                    sources=passage.sources,
                    text=" ".join(passage.text.split())[:300],
                )
            )
    return out


def _is_address_block(passage: Passage) -> bool:
    """A passage that is a postal address under a contact heading: short lines of names and
    numbers, no sentence."""
    if not _patterns()["contact-words"].search(passage.headings):
        return False
    text = passage.text
    return bool(re.search(r"\d", text)) and not re.search(r"[.!?。](?:\s|$)", text.strip()[:-1])


def statements_of_text(
    text: str, language: str = "en", *, clause: str = "text"
) -> tuple[Statement, ...]:
    """The statements of one text read as a single passage (tests, one-off checks)."""
    passage = Passage(clause, clause, (clause,), text, 0, "")
    return tuple(_read_passage(passage, _language(language)))


def _language(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def statements_of(
    tree: ClauseTree, *, exclude: Callable[[str], bool] | None = None
) -> PolicyStatements:
    """Everything ``tree`` states, passage by passage, in document order. ``exclude`` names
    passages to leave out (the judgement leaves out the policy's own list of what counts as
    a major change: naming 'high risks' there is no statement that a risk exists)."""
    language = _language(tree.language)
    out: list[Statement] = []
    mentions: set[str] = set()
    words: set[str] = set()
    for passage in passages_of(tree):
        words.update(w.casefold() for w in re.findall(r"\w+", passage.text))
        if exclude is not None and exclude(passage.text):
            continue
        facts = read_roles(passage.text, facts_of(passage.text, language))
        mentions.update(f"{f.kind}:{f.value}" for f in facts)
        out += _read_passage(passage, language)
    return PolicyStatements(
        statements=tuple(out),
        language=language,
        source=tree.source,
        mentions=frozenset(mentions),
        words=frozenset(words),
    )
