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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
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
from analyzer.text.compiled import regex
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
        "verbs": regex(
            r"(?<![a-z])(?:(?P<use>use|uses|used|using|process|processes|processed|processing"
            r"|fed into|feed into|feeds into|train|trains|trained|training(?= (?:of |our |the )?(?:models?|algorithms?|ai))"
            r"|analy[sz]e|analy[sz]es|analy[sz]ed)"
            r"|(?P<infer>infer|infers|inferred|inferring|profile|profiles|profiling)"
            r"|(?P<receive>receive|receives|received|receiving|obtain access|gain access)"
            r"|(?P<safeguard>require|requires|required|oblige|obliges|obliged|obligate|obligates"
            r"|bind|binds|bound)(?= (?:[a-z]+ ){0,5}?(?:to|by) (?:follow|comply|agree|keep|protect|use|process"
            r"|adhere|abide|this|our|the same|confidential|appropriate)\b)"
            r"|(?P<safeguard_zh>要求(?:其|他们|对方|合作方|第三方|受托方|接收方)|签署(?:严格的)?(?:保密|数据处理|委托)?协议)"
            r"|(?P<message>send|sends|sent|sending)(?= (?:you |them |users )?(?:[a-z]+ )?(?:marketing|promotional"
            r"|advertising|text|sms|e-?mails?|messages|newsletters?|notifications|communications)\b)"
            r"|(?P<store>host|hosts|hosted|hosting|housed|located)(?= (?:[a-z]+ ){0,4}?(?:in|on|at|by)\b)"
            r"|(?P<provide>send|sends|sent|sending|pass|passes|passed|hand|hands|handed)"
            r"(?= [^.;:]{0,60}?\bto\b)"
            r"|(?P<sell>for sale|on sale)"
            r"|(?P<give>provide|provides|provided|providing)(?= (?:[a-z]+ ){0,3}?with (?:your|their|the|such"
            r"|this|these|personal|information|data)\b)"
            r"|(?P<access>look at|looks at|looked at|looking at|read your|reads your|view your"
            r"|views your|access your|accesses your|access to your)"
            r"|(?P<collect>obtain|obtains|obtained|record|records|recorded|capture|captures"
            r"|captured|read(?= (?:the|your|a)\b)))(?![a-z])"
            r"|(?P<use_zh>使用|用于|处理您|利用)|(?P<infer_zh>用户画像|画像)|(?P<receive_zh>接收)"
            r"|(?P<collect_zh>获取|采集)|(?P<access_zh>查看|访问您)"
        ),
        "ability": regex(
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
        "instruction": regex(
            r"(?<![a-z])to [a-z ]{2,40}?, (?:please )?(?:go to|visit|click|tap|select|open|contact"
            r"|email|e-mail|write|call|use|sign in|log in|navigate|follow|adjust|change|update)"
            r"(?![a-z])|如(?:您|你)?(?:需要|需|希望|想|要)[^，。；]{1,30}[，,]\s*(?:请|可|您可以|可以)"
            r"|(?<![a-z])(?:learn|find out|read|see|find)(?: more)?(?: about)?(?: how)?(?: to)?\s*$"
        ),
        "someone-else": regex(
            r"(?<![a-z])(?:next of kin|relatives?|heirs?|parents?|guardians?|authori[sz]ed agents?"
            r"|agents?|representatives?|executors?)(?![a-z])|近亲属|监护人|法定代理人|继承人|代理人"
        ),
        "request": regex(r"(?<![a-z])requests?(?![a-z])|请求|申请"),
        "respond": regex(
            r"(?<![a-z])(?:respond|responds|responded|reply|replies|answer|answers|process your"
            r"|handle|handles|fulfil|fulfill|complete|completed|deleted|delete|deletes|erase|erases"
            r"|erased|remove|removes|removed|correct|corrects|corrected|provided|provide)(?![a-z])"
            r"|答复|回复|响应|处理完毕|完成|删除"
        ),
        "user-window": regex(
            r"(?<![a-z])(?:you|users?)(?:[ ,]+[a-z]+){0,4}?[ ,]+(?:may|can|must|need to|have to"
            r"|are required to)(?![a-z])"
            r"|(?<![a-z])(?:received|submitted|filed|lodged|made) (?:after|later than|outside)"
            r"(?![a-z])|您(?:应当|应|须|需要|需|可以|可)"
        ),
        "only": regex(
            r"(?<![a-z])(?:only|solely|exclusively|limited circumstances|limited to)"
            r"(?![a-z])|仅|只(?!要)|限于|唯一"
        ),
        "open": regex(
            r"(?<![a-z])(?:including|such as|for example|for instance|e\.g\.|a variety of"
            r"|among others|among other things|various)(?![a-z])|包括|例如|诸如|比如|等(?:情形|情况|场景)"
        ),
        "condition": regex(
            r"(?<![a-z])(?:if|unless|except|other than|apart from|only if|only when|provided that"
            r"|where|when|whenever|once|subject to|with your|without your|upon your|after you"
            r"|before you)(?![a-z])|除非|除[^，。；]{0,20}外|如果|如您|若|在您[^，。；]{0,30}(?:后|时|前)"
            r"|经您|征得您|取得您|单独同意"
        ),
        "consent": regex(
            r"(?<![a-z])(?:consent|opt[- ]in|opted in|agree|agreed|permission|authori[sz]e"
            r"|authori[sz]ation|ask(?:s|ed)? (?:you )?(?:if|whether) you|choose to|decide to"
            r"|allow us|enable|turn on|switch on)(?![a-z])|同意|授权|允许|开启|选择"
        ),
        "except": regex(
            r"(?<![a-z])(?:unless|except|other than|apart from|save)(?![a-z])|除非|除[^，。；]{0,20}外"
        ),
        "subject": regex(
            r"(?<![a-z])(?P<company>we|us|the company)(?![a-z])|(?P<user>you|users?)(?![a-z'’])"
            r"|(?P<company_zh>我们|本公司|我司)|(?P<user_zh>您|你|用户)(?!的)"
        ),
        "determiner-denial": regex(
            r"[\s*_\"'“‘(\[]*(?:no|none of|nobody|no one|neither|nothing)(?![a-z])"
        ),
        "contact-words": regex(
            r"(?<![a-z])(?:contact (?:us|our|the)|reach (?:us|our)|write to|call (?:us|our)"
            r"|(?:e-?mail|phone|telephone|ring) us|get in touch|complain|complaint|lodge"
            r"|questions|enquir|inquir|hotline|customer (?:service|care|support)|support team"
            r"|data protection officer|dpo|privacy (?:officer|team|office)|mailing address"
            r"|postal address|by post|by mail|by letter|contact details|contact information)"
            r"|联系我们|联系方式|投诉|举报|咨询|疑问|热线|客服|邮寄|负责人"
        ),
        "contact-heading": regex(
            r"(?<![a-z])(?:contact|complain|complaint|dpo|data protection officer|privacy officer"
            r"|questions|reach us|get in touch|address|representative)|联系|投诉|负责人|客服"
        ),
        "entity": regex(
            r"(?<![\w])[A-Z][\w&'’.-]*(?:[ \t]+(?:\([A-Za-z]{2,4}\)|[A-Z][\w&'’.-]*|&|of|and)){0,6}"
            r"[ \t]+(?:Inc|Ltd|Limited|LLC|GmbH|AG|S\.A|B\.V|BV|N\.V|Corp|Corporation|PLC|Pty|Pte)"
            r"(?![A-Za-z])\.?"
        ),
        "operated": regex(
            r"(?<![a-z])(?:operated by|is operated|are operated|run by|provided by|operator of|operates"
            r"|is the controller|are the controllers|joint controllers?)(?![a-z])"
            r"|运营|经营|提供服务的主体|运营主体|控制者"
        ),
        "controller-heading": regex(
            r"(?<![a-z])(?:controllers?|responsible compan|operators?|who we are|about us)"
            r"|控制者|运营者|运营主体|个人信息处理者|关于我们"
        ),
        "complaint-words": regex(
            r"(?<![a-z])(?:complain|complaint|lodge|appeal|dispute|escalate|not satisfied"
            r"|dissatisfied|unhappy|concerns?)|投诉|举报|申诉|不满意|诉讼|仲裁"
        ),
        "high-risk": regex(
            r"(?<![a-z])(?:high|higher|significant|serious|severe|elevated)(?:[ -]level)? risks?"
            r"(?![a-z])|较高风险|高风险|重大风险|严重风险"
        ),
        "detail": regex(r"(?<![\w@./-])[A-Z][\w&’'-]+|(?<![\w.])\d[\d ]{1,}\d|\d+"),
        "named": regex(r"[A-Z][\w&’'.-]*(?: (?:[A-Z][\w&’'.-]*|&|of|de))*"),
        "appositive": regex(
            r",?\s{1,2}(?:called |named |namely |such as |like |including )?([A-Z][\w&’'.-]*)"
        ),
        "to-name": regex(
            r"(?:passed|sent|transferred|disclosed|provided|given|handed|shared|sold|made available)"
            r" (?:on )?(?:to|with) (?:our |a |an |the )?(?:partner |provider |vendor |processor )?"
            r"([A-Z][\w&’'.-]*)"
        ),
        "site-operators": regex(
            r"(?<![a-z])(?:(?:owner|owners|administrator|administrators|admin|admins|operator|operators"
            r"|author|authors)(?:\(s\))? of (?:the|that|this|a|an|another|other) (?:site|sites|website"
            r"|websites|blog|blogs|community|communities|group|groups|page|pages|workspace|workspaces"
            r"|organi[sz]ation|organi[sz]ations|server|servers)|(?:site|website|blog|workspace|group)"
            r" (?:owner|owners|administrator|administrators|admin|admins|operator|operators)(?:\(s\))?)"
            r"(?![a-z])|(?:网站|店铺|群组|社区)(?:的)?(?:所有者|管理员|运营者)"
        ),
        "includes": regex(
            r"\s*(?:this|these|they|it|which|those)\s+(?:also\s+)?(?:include|includes|including)"
            r"(?![a-z])"
        ),
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

    def reach(self, pos: int) -> int:
        """Where the clause of ``pos`` starts for what governs it: its own start, or for the
        first clause of a list item, the start of the lead-in's last clause ('We will never:'
        governs 'sell your data')."""
        a, _b = self.piece_span(pos)
        own = self.passage.own
        if own and own - 2 <= a <= own and a - 2 > self.start:
            return self.piece_span(a - 2)[0]
        return a


# --------------------------------------------------------------------------- polarity


def _governs(s: _Sentence, cue: tuple[int, int, str], target: int) -> bool:
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


def _denied(s: _Sentence, pos: int) -> bool:
    """Whether the word at ``pos`` is denied: a governing negation before it, or a negative
    subject heading its clause ('No company … will receive', 'Nobody looks at')."""
    if any(_governs(s, cue, pos) for cue in s.negations if cue[1] <= pos):
        return True
    a = s.reach(pos)
    return _patterns()["determiner-denial"].match(s.lower, a, pos) is not None


def _modality(s: _Sentence, pos: int) -> Modality:
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


def _scope(s: _Sentence, pos: int) -> Scope:
    """``only`` or ``open`` when the clause of the word at ``pos`` says so ('only with our
    payment processor', 'in limited circumstances'; 'including', 'such as')."""
    p = _patterns()
    a, b = s.piece_span(pos)
    if p["only"].search(s.lower, a, b):
        return "only"
    if p["open"].search(s.lower, a, b):
        return "open"
    return ""


def _conditions(s: _Sentence, pos: int | None = None) -> tuple[str, ...]:
    """The conditions of the word at ``pos`` (of the whole sentence when None), each
    ``<type>:<words>``: ``consent`` (asks for the user's consent, opt-in, choice),
    ``except`` (unless, except, other than), ``if``. A word's conditions are those of its own
    clause, of a condition clause just before it ('If you opt in, we …') and of the exception
    clauses just after it ('… unless required by law')."""
    p = _patterns()
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
        if (
            action == "receive"
            and actor == "company"
            and _patterns()["determiner-denial"].match(s.lower, a, pos)
        ):
            actor = "recipient"  # 'No company outside our group will receive …'

    if (
        action
        and actor == "company"
        and not s.lower[s.start : pos].strip(" \t\n*_-•#>\"'“‘([0123456789.)")
    ):
        actor = "user"  # an imperative: 'Use the settings to …', 'Share a post with …'
    return actor


# --------------------------------------------------------------------------- practices


@dataclass(frozen=True)
class _Action:
    value: str
    span: tuple[int, int]


_CESSATION = regex(
    r"(?<![a-z])(?:stop|stops|stopped|cease|ceases|ceased|discontinue|discontinues|no longer)"
    r"(?![a-z])|停止|终止|不再"
)
"""Verbs of ceasing: 'we will stop processing' says what 'we will no longer process' says."""
_WITHDRAWAL = regex(
    r"(?<![a-z])(?:withdraw|withdraws|withdrawn|withdrawal|revoke|revokes|revoked|revocation"
    r"|opt out|opted out|refuse|refuses|decline)(?![a-z])|撤回|撤销|拒绝|取消授权|关闭"
)
"""Words that turn a consent condition around: 'after you withdraw your consent' is no
consent asked for."""
_COORDINATED = regex(
    r"(?<=[a-z,] )(?:and|but|or|while|whereas)(?= (?:we|you|they|it|our|users?) )|(?<=，)(?:并且|而且|但|但是)?(?=我们|您)"
)
"""A clause joined to the one before with a new subject ('we do not use it for advertising
and we do not look at it'): its own piece for negation and arguments."""
_DOCUMENT_REFERENCE = regex(
    r"\s+(?:in|by|under|at|within|throughout) (?:this|the|our) (?:policy|notice|statement|section"
    r"|document|page|privacy policy|privacy notice|privacy statement)|\s+(?:below|above|herein"
    r"|hereunder|hereinafter)(?![a-z])"
)
"""'the contact information disclosed in this policy': a word of the document about itself,
no practice."""
_TO_US = regex(r"\b(?:to|with) us\b")


def _actions(s: _Sentence) -> list[_Action]:
    """The practice verbs of the sentence: the vocabulary's ways of handling information and
    the verbs it leaves to context (use, receive, look at, send … to)."""
    out = [
        _Action(f.value, f.span)
        for f in s.facts
        if f.kind == "processing"
        and f.value not in _NOT_ACTIONS
        and not _DOCUMENT_REFERENCE.match(s.lower, f.span[1])
    ]
    taken = [a.span for a in out]
    for m in _patterns()["verbs"].finditer(s.lower, s.start, s.end):
        if any(x < m.end() and m.start() < y for x, y in taken):
            continue
        group = next(g for g, v in m.groupdict().items() if v is not None)
        value = group.removesuffix("_zh").replace("give", "provide").replace("message", "use")
        if value == "provide" and _TO_US.search(s.lower, m.end(), min(s.end, m.end() + 80)):
            value = "collect"  # 'sends … to us': the company receives it
        out.append(_Action(value, m.span()))
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
    taken = [span for _v, span in out]
    p = _patterns()
    starts: list[int] = []
    for f in s.facts:
        if f.kind == "recipient":
            m = p["appositive"].match(s.text, f.span[1])
            if m:
                starts.append(m.start(1))
    for m in p["to-name"].finditer(s.text, s.start, s.end):
        starts.append(m.start(1))
    includes = p["includes"].match(s.lower, s.start)
    if includes:
        starts += [m.start() for m in p["named"].finditer(s.text, includes.end(), s.end)]
    for start in starts:
        m = p["named"].match(s.text, start)
        if m is None or any(a <= m.start() < b for a, b in taken):
            continue
        name = re.split(r"\.\s", m.group(0))[0].strip(" .,")
        if name.split()[0] in _FUNCTION_NAMES or len(name) < 2:
            continue
        out.append((f"org:{name.casefold()}", m.span()))
        taken.append(m.span())
    return out


def _exercised_rights(s: _Sentence) -> tuple[str, ...]:
    """``right:<value>`` for the rights whose exercise the sentence's practices follow from
    ('After you withdraw your consent, we will no longer process …', a clause under a heading
    naming the right): what the company does then is part of the right."""
    found = {f.value for f in s.facts if f.kind == "right" and s.conditional(f.span[0])}
    if s.passage.headings:
        found |= {
            f.value
            for f in facts_of(s.passage.headings, s.language)
            if f.kind == "right" and not f.negated
        }
    return tuple(f"right:{v}" for v in sorted(found))


def _heading_purposes(s: _Sentence) -> tuple[str, ...]:
    """Purposes the section headings name ('To provide relevant content and ads', 为保障安全):
    the purpose of a statement that names none itself, in a policy organised by purpose."""
    if not s.passage.headings:
        return ()
    facts = facts_of(s.passage.headings, s.language)
    return tuple(sorted({f.value for f in facts if f.kind == "purpose" and not f.negated}))


def _practices(s: _Sentence, *, share_context: bool) -> list[Statement]:
    actions = [a for a in _actions(s) if not s.conditional(a.span[0])]
    if (
        not actions
        and " | " in s.text[s.start : s.end]
        and any(f.kind == "recipient" for f in s.facts)
    ):
        # a row of a table of recipients: who receives what, for what, where
        return _statements_of_actions(
            s, [_Action("share", (s.start, s.start))], share_context=True, implicit=True
        )
    if not actions and share_context and _patterns()["includes"].match(s.lower, s.start):
        # 'This includes AppsFlyer.' after a sentence that shares: the recipients named
        actions = [_Action("share", (s.start, s.start))]
        return _statements_of_actions(s, actions, share_context=share_context, implicit=True)
    return _statements_of_actions(s, actions, share_context=share_context)


def _statements_of_actions(
    s: _Sentence, actions: list[_Action], *, share_context: bool, implicit: bool = False
) -> list[Statement]:
    if not actions:
        return []
    objects: list[tuple[str, tuple[int, int]]] = [
        (subtype_of(s.text, f), f.span) for f in s.facts if f.kind == "pi-category"
    ]
    objects += extra_objects(s.text, s.start, s.end)
    recipients = [(f.value, f.span) for f in s.facts if f.kind == "recipient"]
    recipients += [
        ("site-operators", m.span())
        for m in _patterns()["site-operators"].finditer(s.lower, s.start, s.end)
    ]
    purposes = [(f.value, f.span) for f in s.facts if f.kind == "purpose"]
    places = [(f.value, f.span) for f in s.facts if f.kind == "location"]
    named = _named_recipients(s)
    heading_purposes = _heading_purposes(s)
    exercised = _exercised_rights(s)
    action_pieces = {s.piece(a.span[0]) for a in actions}
    out: list[Statement] = []
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
        actor = "company" if implicit else _actor(s, action.span[0], action.value)
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
                scope=_scope(s, action.span[0]),
                objects=mine(objects),
                recipients=rec if family in ("share", "sell", "abroad") else (),
                purposes=mine(purposes) or heading_purposes,
                places=mine(places),
                conditions=(*_conditions(s, action.span[0]), *exercised),
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
    instruction = p["instruction"].search(s.lower, s.start, s.end) or p["instruction"].search(
        s.lower[max(s.start, a - 40) : a]
    )
    piece_start, _end = s.piece_span(a)
    imperative = (
        _IMPERATIVE_FORM.match(s.lower, a) is not None
        and not s.conditional(a)
        and not re.sub(
            r"^(?:please|simply|just|also|then|or)\b",
            "",
            s.lower[piece_start:a].strip(" \t\n*_-•,;:("),
        ).strip()
    )
    row = " | " in s.text[s.start : s.end] and len(s.passage.sources) > 1
    if frame is None and instruction is None and not imperative and not row:
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
    channel_facts = [f for f in s.facts if f.kind == "channel" or f.kind in _CHANNEL_OF]
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
        value = _right_value(fact, s.lower[slice(*s.piece_span(fact.span[0]))])
        key = (value, "denied" if denied else "affirmed")
        if key in seen:
            continue
        seen.add(key)
        channels = sorted(
            {
                f"channel:{f.value}" if f.kind == "channel" else f"channel:{_CHANNEL_OF[f.kind]}"
                for f in channel_facts
                if fact in _channel_owners(s, f)
            }
        )
        out.append(
            Statement(
                kind="right",
                actor=holder,
                action=value,
                polarity="denied" if denied else "affirmed",
                modality=_modality(s, fact.span[0]) or "may",
                scope=_scope(s, fact.span[0]),
                objects=objects,
                purposes=purposes,
                conditions=_conditions(s, fact.span[0]),
                values=tuple([*channels, *extras]),
                clause=s.passage.clause,
                address=s.passage.address,
                sources=s.passage.sources,
                text=_shown(s),
            )
        )
    return out


_IMPERATIVE_FORM = regex(
    r"(?:delete|erase|remove|download|export|copy|correct|update|edit|access|view|opt|turn"
    r"|switch|unsubscribe|withdraw|close|object|cancel|deactivate|disable|manage|change)"
    r"(?![a-z])(?! requests?)"
)
"""A right named by a verb in the imperative ('Delete your account from Settings'), not by a
noun that opens a sentence ('Deletion requests are not accepted …')."""
_COORDINATION = regex(r"^[\s,]*(?:,|and|or|and/or|或|和|及|、)[\s,]*$")


def _channel_owners(s: _Sentence, channel: Fact) -> list[Fact]:
    """The rights a channel of the sentence is the way of exercising: the nearest right
    before it ('correct your profile at any time, and delete your profile from Profile ›
    Delete account'), with the rights listed together with that one ('access, correct or
    delete your data from Settings'); the first right after it when none is before."""
    rights = [f for f in s.facts if f.kind == "right"]
    if not rights:
        return []
    before = [f for f in rights if f.span[0] < channel.span[0]]
    anchor = before[-1] if before else rights[0]
    k = rights.index(anchor)
    group = [anchor]
    for j in range(k - 1, -1, -1):  # rights listed just before it
        if not _COORDINATION.match(s.lower[rights[j].span[1] : group[0].span[0]]):
            break
        group.insert(0, rights[j])
    for j in range(k + 1, len(rights)):
        if not _COORDINATION.match(s.lower[group[-1].span[1] : rights[j].span[0]]):
            break
        group.append(rights[j])
    return group


_PORTABLE = regex(
    r"portab|可携|(?:转移|迁移)(?:至|给|到)|transmi\w* (?:\w+ ){0,4}to|transfer\w* (?:\w+ ){0,4}to "
    r"(?:another|a third|other)|another (?:company|controller|service|provider|organi[sz]ation)"
    r"|其他(?:个人信息处理者|公司|机构)",
    re.IGNORECASE,
)


def _right_value(fact: Fact, clause: str) -> str:
    """The right a fact names, with a copy of one's data told apart from portability proper
    (the vocabulary reads both as ``portability``): 'request a copy' is ``copy``, 'request
    portability', 'transfer a copy to another company' is ``portability`` (which includes a
    copy)."""
    if fact.value == "portability" and not (
        _PORTABLE.search(fact.text) or _PORTABLE.search(clause)
    ):
        return "copy"
    return fact.value


_DENYING_FRAME = regex(
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
    complaint = _patterns()["complaint-words"].search(s.lower, s.start, s.end) is not None
    authority = [f.span[1] for f in s.facts if f.kind == "complaint" and f.value == "regulator"]
    for f in s.facts:
        if f.kind == "channel" and not f.negated and f.value not in ("settings",):
            out.append(
                Statement(
                    kind="contact",
                    actor="company",
                    action="channel",
                    polarity="affirmed",
                    values=(f"channel:{f.value}",),
                    clause=s.passage.clause,
                    address=s.passage.address,
                    sources=s.passage.sources,
                    text=_shown(s),
                )
            )
            continue
        if f.kind not in _CONTACT_KINDS or (f.kind == "complaint" and not complaint):
            continue
        value = _phone_value(f.value) if f.kind == "phone" else f.value
        # a number or an address given after a regulator is the regulator's, not the company's
        whose: Actor = "other" if any(end <= f.span[0] for end in authority) else "company"
        out.append(
            Statement(
                kind="contact",
                actor=whose if f.kind != "complaint" else "company",
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
    for m in _patterns()["detail"].finditer(s.text, max(s.start, s.passage.own), s.end):
        token = m.group(0)
        if first and not token[0].isdigit():
            first = False
            continue
        first = False
        if any(x < m.end() and m.start() < y for x, y in taken):
            continue  # a phone number, an e-mail or a date has its own statement
        if (token.isdigit() and len(token) < 2) or token in _FUNCTION_NAMES:
            continue
        out += [
            f"detail:{w.casefold()}" for w in re.findall(r"\w+", token) if len(w) > 1 or w.isdigit()
        ]
    return tuple(dict.fromkeys(out))


def _others(s: _Sentence) -> list[Statement]:
    out: list[Statement] = []
    base = {
        "clause": s.passage.clause,
        "address": s.passage.address,
        "sources": s.passage.sources,
        "text": _shown(s),
    }
    operated = _patterns()["operated"].search(s.lower, s.start, s.end) is not None
    if operated:
        for f in s.facts:
            if f.kind == "organisation":
                out.append(
                    Statement(
                        kind="controller",
                        actor="company",
                        action="controller",
                        polarity="affirmed",
                        values=(f"org:{f.value}",),
                        **base,  # type: ignore[arg-type]
                    )
                )
    controllers_section = (
        _patterns()["controller-heading"].search(s.passage.headings) is not None
        and _patterns()["contact-words"].search(s.lower, s.start, s.end) is None
    )
    if controllers_section:
        known = {f.value for f in s.facts if f.kind in ("organisation", "controller")}
        for m in _patterns()["entity"].finditer(s.text, s.start, s.end):
            name = " ".join(re.sub(r"[(),.*]", " ", m.group(0)).split()).casefold()
            if name and not any(name.endswith(k) or k.endswith(name) for k in known):
                out.append(
                    Statement(
                        kind="controller",
                        actor="company",
                        action="controller",
                        polarity="affirmed",
                        values=(f"org:{name}",),
                        **base,  # type: ignore[arg-type]
                    )
                )
    for f in s.facts:
        polarity = "denied" if f.negated else "affirmed"
        if f.kind == "organisation" and controllers_section:
            out.append(
                Statement(
                    kind="controller",
                    actor="company",
                    action="controller",
                    polarity="affirmed",
                    values=(f"org:{f.value}",),
                    **base,  # type: ignore[arg-type]
                )
            )
        elif f.kind == "controller" or f.kind == "ownership":
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
    about_request = p["request"].search(window) is not None
    if not about_request and not any(f.kind == "deadline" for f in durations):
        return []
    rights = sorted({f.value for f in s.facts if f.kind == "right"})
    out: list[Statement] = []
    seen: set[tuple[int, int]] = set()
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
        if f.span in seen:
            continue
        seen.add(f.span)
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
    pieces = sorted({*clause_starts(lower), *(m.start() for m in _COORDINATED.finditer(lower))})
    negations = [
        (c.span[0], c.span[1], ascii_lower(c.text))
        for c in negation_cues(text, lower)
        if c.kind == "negation"
    ]
    negations += [(m.start(), m.end(), m.group(0)) for m in _CESSATION.finditer(lower)]
    negations.sort()
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
    named = _named_item(passage, language)
    if named is not None:
        out.append(named)
    _inherit_recipients(out)
    valued = any(st.kind == "contact" and st.action in ("phone", "email", "address") for st in out)
    if valued or _is_address_block(passage):
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


_LINK_TARGET = regex(r"\s*\((?:https?://|www\.|mailto:)[^)\s]*\)|[*_\[\]`]")


def _named_item(passage: Passage, language: str) -> Statement | None:
    """A list item that only names someone, under a lead-in that names a class of recipients
    ('our default DNS resolver service providers below:' + 'CIRA'): a named recipient."""
    if not passage.own:
        return None
    lead = passage.text[: passage.own]
    classes = sorted(
        {f.value for f in read_roles(lead, facts_of(lead, language)) if f.kind == "recipient"}
    )
    if not classes:
        return None
    name = _LINK_TARGET.sub("", passage.text[passage.own :]).strip(" .;,:-–—")
    if not name or len(name.split()) > 6 or not (name[0].isupper() or not name[0].isascii()):
        return None
    if re.search(r"[.!?。]\s", name):
        return None
    return Statement(
        kind="practice",
        actor="company",
        action="share",
        polarity="affirmed",
        recipients=tuple(sorted({*classes, f"org:{name.casefold()}"})),
        clause=passage.clause,
        address=passage.address,
        sources=passage.sources,
        text=" ".join(passage.text.split()),
    )


def _inherit_recipients(statements: list[Statement]) -> None:
    """In one passage, a sharing statement that names no recipient shares with the recipients
    of the sharing statement before it ('If we are audited by a tax authority, we may be
    required to share billing-related information. If that happens, we only share the bare
    minimum …')."""
    last: tuple[str, ...] = ()
    for k, st in enumerate(statements):
        if st.kind != "practice" or st.family not in ("share", "sell", "abroad") or st.denied:
            continue
        if st.recipients:
            last = st.recipients
        elif last:
            statements[k] = replace(st, recipients=last)


_ADDRESS_LINE = regex(r"\d")


def _is_address_block(passage: Passage) -> bool:
    """A passage that holds a postal address: at least two short lines (eight words or
    fewer, table bars aside), one with a number, most of their words capitalised or numbers
    ('Rue de la Loi 28' / '1040 Brussels' / 'Belgium')."""
    lines = [
        line.strip(" |*_\t") for line in passage.text[passage.own :].replace("|", "\n").splitlines()
    ]
    shaped = []
    for line in lines:
        words = line.split()
        if not words or len(words) > 8:
            continue
        named = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or not w[:1].isascii())
        if named >= 0.6 * len(words):
            shaped.append(line)
    return len(shaped) >= 2 and any(_ADDRESS_LINE.search(line) for line in shaped)


def statements_of_text(
    text: str, language: str = "en", *, clause: str = "text"
) -> tuple[Statement, ...]:
    """The statements of one text read as a single passage (tests, one-off checks)."""
    passage = Passage(clause, clause, (clause,), text, 0, "")
    return tuple(_read_passage(passage, _language(language)))


def _language(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


_CAPITALISED = regex(r"(?<![\w.])[A-Z][a-z]{2,}(?:[A-Z][a-z]+)?(?![\w])")
_OWN_NAME_LEAST = 8
"""Fewest uses that make a capitalised word the company's own name (with at least a third of
the uses of the most frequent one: the company and its main product, 'Mozilla' and
'Firefox')."""


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
    capitalised: Counter[str] = Counter()
    for passage in passages_of(tree):
        words.update(w.casefold() for w in re.findall(r"\w+", passage.text))
        capitalised.update(m.group(0).casefold() for m in _CAPITALISED.finditer(passage.text))
        if exclude is not None and exclude(passage.text):
            continue
        facts = read_roles(passage.text, facts_of(passage.text, language))
        mentions.update(f"{f.kind}:{f.value}" for f in facts)
        out += _read_passage(passage, language)
    top = max(capitalised.values(), default=0)
    own = {w for w, n in capitalised.items() if n >= max(_OWN_NAME_LEAST, top / 3)}
    for st in out:
        if st.kind == "controller":
            own.update(
                v[4:].split()[0] for v in st.values if v.startswith("org:") and v[4:].split()
            )
    own.discard("controller")
    return PolicyStatements(
        statements=tuple(out),
        language=language,
        source=tree.source,
        mentions=frozenset(mentions),
        words=frozenset(words),
        own_names=frozenset(own),
    )
