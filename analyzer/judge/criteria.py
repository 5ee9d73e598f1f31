"""Criteria packs: what makes a revision major, as versioned YAML data.

A pack encodes criteria such as 9.4.1-9.4.6 of the seed policy (major changes, which need a
prominent notice) and the 9.2 consent rule (a change that restricts the user's rights needs
explicit consent). For each criterion it names the fact kinds (:mod:`analyzer.facts.extract`) and
tripwire kinds (:mod:`analyzer.diff.tripwires`) that detect it, English and Chinese context words,
prototype sentences for an embedding detector and, for consent rules, the restriction
patterns over a :class:`~analyzer.facts.types.FactDelta`.

:func:`load_pack` reads a pack by id (a YAML file shipped in ``analyzer/judge/packs/``) or by path and
validates it strictly: an unknown key, a missing field, an unknown fact kind … is a
:class:`~analyzer.errors.PolicyError` naming the file and the problem. The pack's identity in a
report is ``<id>@<first 12 hex of the sha256 of the file bytes>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml

from analyzer.diff.tripwires import TRIPWIRE_KINDS
from analyzer.errors import PolicyError
from analyzer.facts.types import FACT_KINDS, FactChange, FactDelta
from analyzer.facts.vocabulary import VOCABULARY
from analyzer.model import LEVELS
from analyzer.parse.frontmatter import load_yaml

DEFAULT_PACK = "seed-9.4"
"""The pack used when a policy names none: 9.4.1-9.4.6 and 9.2 of the seed policy."""

RestrictionChange = Literal["added", "removed", "increased", "decreased"]
_CHANGES = ("added", "removed", "increased", "decreased")
_LANGS = ("en", "zh")


@dataclass(frozen=True)
class Localized:
    """A text in English and Simplified Chinese."""

    en: str
    zh: str

    def to_dict(self) -> dict[str, Any]:
        return {"en": self.en, "zh": self.zh}


@dataclass(frozen=True)
class LocalizedTerms:
    """Words or sentences in English and Simplified Chinese."""

    en: tuple[str, ...]
    zh: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"en": list(self.en), "zh": list(self.zh)}


@dataclass(frozen=True)
class Restriction:
    """A pattern over a fact delta that restricts the user's rights (the 9.2 rule)."""

    id: str
    """Name of the pattern (``fee-added``), used as evidence."""
    fact: str
    """Fact kind it looks at."""
    change: RestrictionChange
    """``added``, ``removed`` (a fact stated before is gone, denied or replaced),
    ``increased`` or ``decreased`` (a magnitude, such as a deadline in days)."""
    value: str | None
    """Canonical value the fact must have, or None for any."""
    negated: bool
    """Negation the fact must have (``true`` for a promise such as 'we will not restrict')."""
    description: Localized
    """What it means, for the report and the notice."""

    def find(self, delta: FactDelta) -> tuple[Any, ...]:
        """The differences of ``delta`` that match this pattern (facts or fact changes)."""
        return delta.matching(self.fact, self.change, value=self.value, negated=self.negated)

    def evidence(self, delta: FactDelta) -> tuple[str, ...]:
        """One readable line per match: ``fee-added: 'charge a fee'``."""
        lines = []
        for item in self.find(delta):
            if isinstance(item, FactChange):
                lines.append(f"{self.id}: '{item.before.text}' -> '{item.after.text}'")
            else:
                lines.append(f"{self.id}: '{item.text}'")
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fact": self.fact,
            "change": self.change,
            "value": self.value,
            "negated": self.negated,
            "description": self.description.to_dict(),
        }


@dataclass(frozen=True)
class Criterion:
    """One criterion of a pack: when a revision meets it and how to detect that."""

    id: str
    """``9.4.1`` … ``9.4.6``, ``9.2``."""
    title: Localized
    """Short statement of the criterion."""
    level: Literal["popup", "consent"]
    """The notice a revision meeting it needs."""
    wording: str
    """The policy's own sentence."""
    facts: tuple[str, ...]
    """Fact specs whose change may meet it: a kind (``recipient``) or a kind and one of its
    values (``processing:share``); see :meth:`analyzer.facts.types.FactDelta.touches`."""
    tripwires: tuple[str, ...]
    """Tripwire kinds whose change may meet it."""
    context: LocalizedTerms
    """Words that place a clause or section in this criterion's subject."""
    prototypes: LocalizedTerms
    """Sentences of the kind whose change meets it, for an embedding-similarity detector."""
    restrictions: tuple[Restriction, ...] = ()
    """Patterns that restrict the user's rights (consent rules only)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.to_dict(),
            "level": self.level,
            "wording": self.wording,
            "facts": list(self.facts),
            "tripwires": list(self.tripwires),
            "context": self.context.to_dict(),
            "prototypes": self.prototypes.to_dict(),
            "restrictions": [r.to_dict() for r in self.restrictions],
        }


@dataclass(frozen=True)
class CriteriaPack:
    """A versioned set of criteria, as loaded from one YAML file."""

    id: str
    """``seed-9.4``."""
    version: int
    """Version of the pack's content; bump it when a criterion's meaning changes."""
    title: Localized
    source: Mapping[str, Any]
    """Where the criteria come from (document and clauses)."""
    criteria: tuple[Criterion, ...]
    sha256: str
    """SHA-256 of the file's bytes."""
    path: str
    """Where it was read from: ``<package>/seed-9.4.yaml`` for a shipped pack, else the path
    as given (never made absolute, so reports stay free of machine paths)."""

    @property
    def ref(self) -> str:
        """``<id>@<first 12 hex of sha256>``, as recorded in every report."""
        return f"{self.id}@{self.sha256[:12]}"

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError when there is none)."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "ref": self.ref,
            "title": self.title.to_dict(),
            "source": dict(self.source),
            "criteria": [c.to_dict() for c in self.criteria],
        }


# --------------------------------------------------------------------------- loading


def _load_yaml(text: str) -> Any:
    """:func:`~analyzer.parse.frontmatter.load_yaml`, through libyaml when PyYAML was built with it.

    The pure-Python loader takes about ten times as long over the default pack (~30 ms of a
    one-shot ``policy diff``). libyaml reads only a text the Python loader would read the same
    way: one without aliases and without the characters PyYAML refuses; anything else, and any
    error, goes to the Python loader, so refusals and error messages are worded as before.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            events = yaml.parse(text, Loader=fast)
            if not any(isinstance(event, yaml.AliasEvent) for event in events):
                return yaml.load(text, Loader=fast)
        except Exception:  # the Python loader below names the problem
            pass
    return load_yaml(text, where="a criteria pack")


class _Checker:
    """Schema checks that raise :class:`PolicyError` naming the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> PolicyError:
        return PolicyError(f"criteria pack: {where}: {problem}", path=self.source)

    def mapping(
        self,
        value: Any,
        where: str,
        required: set[str],
        optional: frozenset[str] | set[str] = frozenset(),
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in required | optional)
        if unknown:
            raise self.fail(
                where,
                f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(required | optional))})",
            )
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"missing key {missing[0]!r}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            hint = " (quote it)" if isinstance(value, int | float) else ""
            raise self.fail(where, f"expected a non-empty string, got {value!r}{hint}")
        return " ".join(value.split())

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list")
        return tuple(self.text(v, f"{where}[{i}]") for i, v in enumerate(value))

    def kinds(self, value: Any, where: str, known: Mapping[str, str]) -> tuple[str, ...]:
        items = self.texts(value, where)
        for i, item in enumerate(items):
            if item not in known:
                raise self.fail(
                    f"{where}[{i}]", f"unknown kind {item!r} (known: {', '.join(sorted(known))})"
                )
        if len(set(items)) != len(items):
            raise self.fail(where, "a kind is listed twice")
        return items

    def fact_specs(self, value: Any, where: str) -> tuple[str, ...]:
        """Fact kinds, or ``kind:value`` with a value the vocabulary knows."""
        items = self.texts(value, where)
        for i, item in enumerate(items):
            kind, _, val = item.partition(":")
            if kind not in FACT_KINDS:
                known = ", ".join(sorted(FACT_KINDS))
                raise self.fail(f"{where}[{i}]", f"unknown fact kind {kind!r} (known: {known})")
            if val and kind in VOCABULARY and val not in VOCABULARY[kind]:
                known = ", ".join(sorted(VOCABULARY[kind]))
                raise self.fail(
                    f"{where}[{i}]", f"unknown value {val!r} of {kind} (known: {known})"
                )
        if len(set(items)) != len(items):
            raise self.fail(where, "a fact spec is listed twice")
        return items

    def localized(self, value: Any, where: str) -> Localized:
        m = self.mapping(value, where, set(_LANGS))
        return Localized(self.text(m["en"], f"{where}.en"), self.text(m["zh"], f"{where}.zh"))

    def localized_terms(self, value: Any, where: str) -> LocalizedTerms:
        m = self.mapping(value, where, set(_LANGS))
        return LocalizedTerms(
            self.texts(m["en"], f"{where}.en"), self.texts(m["zh"], f"{where}.zh")
        )


def parse_pack(data: bytes, source: str) -> CriteriaPack:
    """A pack from the bytes of its YAML file; ``source`` names the file in errors."""
    check = _Checker(source)
    try:
        raw = _load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyError(
            f"criteria pack: not valid UTF-8 (offset {exc.start})", path=source
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(
            f"criteria pack: invalid YAML: {' '.join(str(problem).split())}", path=source, line=line
        ) from None
    top = check.mapping(raw, "top level", {"id", "version", "title", "criteria"}, {"source"})
    pack_id = check.text(top["id"], "id")
    version = top["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise check.fail("version", f"expected a positive integer, got {version!r}")
    source_info = top.get("source", {})
    check.mapping(source_info, "source", set(), {"document", "clauses"})
    criteria_raw = top["criteria"]
    if not isinstance(criteria_raw, list) or not criteria_raw:
        raise check.fail("criteria", "expected a non-empty list")
    criteria: list[Criterion] = []
    for i, item in enumerate(criteria_raw):
        criteria.append(_parse_criterion(check, item, f"criteria[{i}]"))
    ids = [c.id for c in criteria]
    duplicate = next((x for x in ids if ids.count(x) > 1), None)
    if duplicate is not None:
        raise check.fail("criteria", f"criterion id {duplicate!r} appears twice")
    return CriteriaPack(
        id=pack_id,
        version=version,
        title=check.localized(top["title"], "title"),
        source={str(k): v for k, v in source_info.items()},
        criteria=tuple(criteria),
        sha256=hashlib.sha256(data).hexdigest(),
        path=source,
    )


def _parse_criterion(check: _Checker, item: Any, where: str) -> Criterion:
    m = check.mapping(
        item,
        where,
        {"id", "title", "level", "wording", "facts", "tripwires", "context", "prototypes"},
        {"restrictions"},
    )
    criterion_id = check.text(m["id"], f"{where}.id")
    level = check.text(m["level"], f"{where}.level")
    if level not in ("popup", "consent"):
        raise check.fail(
            f"{where}.level",
            f"expected popup or consent, got {level!r} (levels: {', '.join(LEVELS)})",
        )
    restrictions: list[Restriction] = []
    raw_restrictions = m.get("restrictions", [])
    if not isinstance(raw_restrictions, list):
        raise check.fail(f"{where}.restrictions", "expected a list")
    for j, r in enumerate(raw_restrictions):
        rw = f"{where}.restrictions[{j}]"
        rm = check.mapping(r, rw, {"id", "fact", "change", "description"}, {"value", "negated"})
        fact = check.text(rm["fact"], f"{rw}.fact")
        if fact not in FACT_KINDS:
            raise check.fail(f"{rw}.fact", f"unknown fact kind {fact!r}")
        change = check.text(rm["change"], f"{rw}.change")
        if change not in _CHANGES:
            raise check.fail(
                f"{rw}.change", f"expected one of {', '.join(_CHANGES)}, got {change!r}"
            )
        negated = rm.get("negated", False)
        if not isinstance(negated, bool):
            raise check.fail(f"{rw}.negated", f"expected true or false, got {negated!r}")
        value = rm.get("value")
        restrictions.append(
            Restriction(
                id=check.text(rm["id"], f"{rw}.id"),
                fact=fact,
                change=change,  # type: ignore[arg-type]
                value=None if value is None else check.text(value, f"{rw}.value"),
                negated=negated,
                description=check.localized(rm["description"], f"{rw}.description"),
            )
        )
    if level == "consent" and not restrictions:
        raise check.fail(
            f"{where}.restrictions", "a consent criterion needs at least one restriction"
        )
    if level == "popup" and restrictions:
        raise check.fail(f"{where}.restrictions", "only consent criteria carry restrictions")
    return Criterion(
        id=criterion_id,
        title=check.localized(m["title"], f"{where}.title"),
        level=level,  # type: ignore[arg-type]
        wording=check.text(m["wording"], f"{where}.wording"),
        facts=check.fact_specs(m["facts"], f"{where}.facts"),
        tripwires=check.kinds(m["tripwires"], f"{where}.tripwires", TRIPWIRE_KINDS),
        context=check.localized_terms(m["context"], f"{where}.context"),
        prototypes=check.localized_terms(m["prototypes"], f"{where}.prototypes"),
        restrictions=tuple(restrictions),
    )


def available_packs() -> tuple[str, ...]:
    """Ids of the packs shipped with the package, sorted."""
    folder = _packs()
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def _packs() -> Traversable:
    """The folder of shipped packs (``analyzer/judge/packs/``)."""
    return resources.files("analyzer.judge").joinpath("packs")


def _looks_like_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


def load_pack(ref: str | None = None) -> CriteriaPack:
    """A criteria pack by id (``seed-9.4``, shipped in this package) or by path to a YAML file.

    ``None`` is :data:`DEFAULT_PACK`. A shipped pack's file must carry its own id. Every
    problem (no such pack, unreadable file, invalid YAML, schema violation) is a
    :class:`PolicyError` naming the file.
    """
    ref = DEFAULT_PACK if ref is None else ref
    if _looks_like_path(ref):
        path = Path(ref)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise PolicyError("criteria pack not found", path=ref) from None
        except OSError as exc:
            raise PolicyError(
                f"criteria pack unreadable: {exc.strerror or exc}", path=ref
            ) from None
        return parse_pack(data, ref)
    if ref not in available_packs():
        known = ", ".join(available_packs())
        raise PolicyError(
            f"unknown criteria pack {ref!r} (shipped packs: {known}; or give a path to a .yaml file)"
        )
    data = _packs().joinpath(f"{ref}.yaml").read_bytes()
    pack = parse_pack(data, f"analyzer/judge/packs/{ref}.yaml")
    if pack.id != ref:
        raise PolicyError(
            f"criteria pack: id {pack.id!r} does not match the file name", path=pack.path
        )
    return pack
