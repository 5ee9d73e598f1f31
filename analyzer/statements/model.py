"""What a policy says, as statements, and how two policies' statements differ.

A :class:`Statement` is one thing a sentence of the policy states, read the way a lawyer reads
it: who acts, doing what, to which information, for whom, why, where, whether it is affirmed
or denied, with which modal verb, under which conditions. :class:`PolicyStatements` holds every
statement of one version in document order; :class:`StatementDelta` is what
:func:`analyzer.statements.compare.compare_statements` finds between two of them, as
:class:`StatementChange` records.

Values are canonical and comparable across wording and language: a category of information is
``location/precise`` (a sub-type after the slash), a recipient ``advertisers`` or
``org:acoustic`` (a named company), a right ``delete``, a contact ``phone:8772733049``.

Every class is frozen and has one ``to_dict()`` (the ``policy-statements/1`` JSON); nothing
here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ACTION_FAMILIES",
    "ATOM_KINDS",
    "CHANGE_HOWS",
    "STATEMENT_KINDS",
    "PolicyStatements",
    "Statement",
    "StatementChange",
    "StatementDelta",
]

ATOM_KINDS = {
    "object": "pi-category",
    "purpose": "purpose",
    "for": "purpose",
    "place": "location",
    "recipient": "recipient",
    "given": "recipient",
}
"""For a practice atom's role (``share|given|device>advertising-partners``), the fact kind of
its value (for a pair, of the value after ``>``; the value before it is a category)."""

StatementKind = Literal[
    "practice", "right", "contact", "controller", "risk", "deadline", "fee", "retention"
]
STATEMENT_KINDS: dict[str, str] = {
    "practice": "the company (or a recipient) does something with information: collect, use, "
    "share, sell, store, transfer abroad …",
    "right": "the user may (or may not) do something about their information: access, delete, "
    "object …, with the channels, deadline and fee of doing so",
    "contact": "where the user reaches the company or complains: a phone number, an e-mail or "
    "postal address, a department, a named person, a regulator",
    "controller": "which entity controls the information (a named controller, joint "
    "controllers, a change of owner)",
    "risk": "an impact assessment, its finding of a high risk, a security incident",
    "deadline": "a time limit: the company's to answer or act on a request, or the user's to "
    "exercise a right",
    "fee": "whether exercising a right is free or charged",
    "retention": "how long information is kept",
}
"""Every kind of statement, with what it means."""

Actor = Literal["company", "user", "recipient", "other"]
Polarity = Literal["affirmed", "denied"]
Modality = Literal["", "may", "will", "must"]
Scope = Literal["", "only", "open"]

ACTION_FAMILIES: dict[str, str] = {
    "collect": "collect",
    "combine": "use",
    "use": "use",
    "infer": "use",
    "tracking": "use",
    "automated-decision": "use",
    "share": "share",
    "provide": "share",
    "disclose": "share",
    "disclose-publicly": "share",
    "transfer": "share",
    "entrust": "share",
    "receive": "share",
    "access": "use",
    "safeguard": "share",
    "sell": "sell",
    "store": "store",
    "cross-border": "abroad",
}
"""Practice actions by family: two statements of one family say the same kind of thing
('disclose to' and 'share with' both give information to someone else; 'look at' is a use;
'we require our vendors to follow this policy' is a safeguard on sharing)."""


@dataclass(frozen=True)
class Statement:
    """One thing the policy states, with where it says it."""

    kind: StatementKind
    """One of :data:`STATEMENT_KINDS`."""
    actor: Actor
    """Who acts: ``company`` (we, the operator), ``user`` (you), ``recipient`` (a third party
    that receives or looks at information: 'no company … will receive'), ``other`` (someone
    else: a user's next of kin, a parent, a regulator)."""
    action: str
    """What is done: a practice's action (``collect``, ``use``, ``share``, ``sell``, ``store``,
    ``cross-border`` …), a right (``access``, ``delete``, ``object`` …), a contact's kind
    (``phone``, ``email``, ``address``, ``department``, ``name``, ``complaint``), ``controller``,
    a risk (``impact-assessment``, ``high-risk``, ``incident``), ``respond`` / ``fulfil`` /
    ``exercise`` for a deadline, ``charged`` / ``free`` for a fee, ``keep`` for retention."""
    polarity: Polarity
    """``denied`` when the statement says it is not done ('we do not sell', 'you cannot
    delete', 'no company will receive'), else ``affirmed``."""
    modality: Modality = ""
    """The modal verb of the action: ``may`` (may, can, could, 可以), ``will`` (will, shall,
    never), ``must`` (must, is required to, 应当), or ``''`` (plain present)."""
    scope: Scope = ""
    """``only`` when the statement presents itself as complete ('only with', 'in limited
    circumstances', 仅), ``open`` when it says it is not ('including', 'such as', 'for
    example', 包括), else ``''``."""
    objects: tuple[str, ...] = ()
    """Categories of personal information, with a sub-type after a slash
    (``location/precise``, ``biometric/face``)."""
    recipients: tuple[str, ...] = ()
    """Classes of recipient (``advertisers``, ``affiliates``) and named companies
    (``org:acoustic``)."""
    purposes: tuple[str, ...] = ()
    """Purposes (``marketing``, ``security`` …)."""
    places: tuple[str, ...] = ()
    """Where information is stored or sent (``CN``, ``overseas``, ``US``)."""
    conditions: tuple[str, ...] = ()
    """What the statement depends on, each as ``<type>:<words>``: ``consent:with your
    separate consent``, ``except:unless required by law``, ``if:if you opt in`` …"""
    values: tuple[str, ...] = ()
    """Values the statement carries: a contact's canonical value (``phone:8772733049``,
    ``email:privacy@example.com``), a right's channels (``channel:email``), durations
    (``duration:30 days``, in days after the colon for comparisons see :attr:`days`), a fee
    (``fee:charged``), an amount (``money:CNY 20``), a risk level."""
    days: float | None = None
    """A deadline's or retention period's length in days (months as 30.44 days, years as
    365.25), when it has one."""
    clause: str = ""
    """Id of the clause that states it."""
    address: str = ""
    """The clause as a reader names it (``3.1.4``, ``Your rights ¶2 •3``)."""
    sources: tuple[str, ...] = ()
    """Ids of every clause whose words the statement reads: the clause, the list lead-in it
    completes ('We will never:'), the table whose column headings it reads."""
    text: str = ""
    """The sentence, as read (a list item with its lead-in, a table row with its headings)."""

    @property
    def family(self) -> str:
        """The action's family (:data:`ACTION_FAMILIES`); the action itself for other kinds."""
        if self.kind == "practice":
            return ACTION_FAMILIES.get(self.action, self.action)
        return self.action

    @property
    def denied(self) -> bool:
        return self.polarity == "denied"

    @property
    def status(self) -> str:
        """For a right: ``granted``, ``limited`` (granted under a condition or with an
        ``only``) or ``denied``; for other kinds the polarity."""
        if self.kind != "right":
            return self.polarity
        if self.denied:
            return "denied"
        if self.scope == "only" or any(not c.startswith("consent:") for c in self.conditions):
            return "limited"
        return "granted"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "actor": self.actor,
            "action": self.action,
            "polarity": self.polarity,
            "modality": self.modality,
            "scope": self.scope,
            "status": self.status,
            "objects": list(self.objects),
            "recipients": list(self.recipients),
            "purposes": list(self.purposes),
            "places": list(self.places),
            "conditions": list(self.conditions),
            "values": list(self.values),
            "days": self.days,
            "clause": self.clause,
            "address": self.address,
            "sources": list(self.sources),
            "text": self.text,
        }


@dataclass(frozen=True)
class PolicyStatements:
    """Everything one version states, in document order."""

    statements: tuple[Statement, ...]
    """Every statement, in the order of the clauses that state them."""
    language: str = "en"
    """``en`` or ``zh``."""
    source: str = ""
    """Where the version came from (as in :attr:`analyzer.model.ClauseTree.source`)."""
    mentions: frozenset[str] = frozenset()
    """Every fact the version names anywhere, as ``kind:value`` (granted or not, in a
    statement or not): what 'still mentioned' means."""
    words: frozenset[str] = frozenset()
    """Every word of the version, case folded (a name the other version never uses is new)."""
    own_names: frozenset[str] = frozenset()
    """Words naming the company itself, case folded: the capitalised words the version uses
    most ('Mozilla', 'Automattic') and the first word of its controllers' names. 'Sent to
    Mozilla' names no recipient."""

    def of_kind(self, kind: str) -> tuple[Statement, ...]:
        """The statements of one kind, in document order."""
        return tuple(s for s in self.statements if s.kind == kind)

    def in_clause(self, clause_id: str) -> tuple[Statement, ...]:
        """The statements that read clause ``clause_id`` (as the clause stating them, or as a
        lead-in or a table heading they read)."""
        return tuple(s for s in self.statements if clause_id in s.sources)

    def to_dict(self) -> dict[str, Any]:
        """The ``policy-statements/1`` JSON."""
        return {
            "schema": "policy-statements/1",
            "source": self.source,
            "language": self.language,
            "statements": [s.to_dict() for s in self.statements],
        }


ChangeHow = Literal[
    "added",
    "removed",
    "more-specific",
    "reversed",
    "withdrawn",
    "narrowed",
    "opened",
    "consent-dropped",
    "granted",
    "denied",
    "replaced",
    "lengthened",
    "shortened",
    "imposed",
    "charged",
]
CHANGE_HOWS: dict[str, str] = {
    "added": "a practice, contact, controller or risk the old version did not state",
    "removed": "one the new version no longer states anywhere",
    "more-specific": "a practice now concerns a more specific (more sensitive) sub-type of "
    "information than the old version ever named (precise location where only an approximate "
    "one was)",
    "reversed": "what the old version denied the new one affirms ('we never sell' -> 'we may "
    "sell', an item moved from a 'never' list to a 'may' list)",
    "withdrawn": "a protective statement is gone: a denial ('we do not share …'), a right's "
    "granting statement (even if the right is still mentioned), a way of reaching the company",
    "narrowed": "a denial keeps fewer cases: its exceptions grew ('unless required by law' -> "
    "'… or by a court order')",
    "opened": "a statement that presented itself as complete ('only', 'in limited "
    "circumstances') now says it is not ('including', 'a variety of')",
    "consent-dropped": "a practice that needed the user's consent or opt-in no longer does",
    "granted": "a right the old version did not grant",
    "denied": "a right the new version says the user cannot exercise",
    "replaced": "a value replaced by another (a contact, a controller)",
    "lengthened": "a deadline or retention period made longer",
    "shortened": "a deadline or retention period made shorter",
    "imposed": "a time limit on the user that was not there",
    "charged": "a fee for exercising a right that was not there",
}
"""Every way a statement can change between two versions."""


@dataclass(frozen=True)
class StatementChange:
    """One difference between the statements of two versions, at policy level."""

    how: ChangeHow
    """One of :data:`CHANGE_HOWS`."""
    kind: StatementKind
    """The kind of the statements concerned."""
    subject: str
    """What changed, canonical: the atom a reader is told about (``share|location/precise``,
    ``right|delete``, ``phone:4008013260``, ``controller|org:acme ltd``)."""
    detail: str
    """One line a lawyer reads: ``advertisers now receive precise location``."""
    before: Statement | None = None
    """The old statement concerned (None when the change adds)."""
    after: Statement | None = None
    """The new statement concerned (None when it removes)."""
    restricts: bool = False
    """It takes away something users had under the old version (section 9.2: consent)."""
    shown: str = ""
    """:attr:`detail` as readers are told it, where it differs (the English names of values:
    ``advertising partners now receive device information``)."""

    @property
    def told(self) -> str:
        """What a reader is told of the change."""
        return self.shown or self.detail

    @property
    def sources(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The clause ids read on the old and on the new side."""
        return (
            self.before.sources if self.before else (),
            self.after.sources if self.after else (),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "how": self.how,
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
            "restricts": self.restricts,
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
        }


@dataclass(frozen=True)
class StatementDelta:
    """What two versions state differently, wherever in the text they state it."""

    changes: tuple[StatementChange, ...] = ()
    """Every difference, sorted by kind, subject and how."""
    unchanged: int = 0
    """How many statements of the new version the old one states too (moved or not)."""

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def restricting(self) -> tuple[StatementChange, ...]:
        """The changes that take something away from users (9.2)."""
        return tuple(c for c in self.changes if c.restricts)

    def touching(self, old_ids: set[str], new_ids: set[str]) -> tuple[StatementChange, ...]:
        """The changes whose old statement reads one of ``old_ids`` or whose new statement
        reads one of ``new_ids`` (the clauses of one clause-level change)."""
        out = []
        for change in self.changes:
            old_sources, new_sources = change.sources
            if old_ids.intersection(old_sources) or new_ids.intersection(new_sources):
                out.append(change)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.to_dict() for c in self.changes],
            "unchanged": self.unchanged,
        }
