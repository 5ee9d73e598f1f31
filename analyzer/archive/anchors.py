"""Clause anchors that survive renumbering: one id per clause lineage, across all versions.

A clause's parser id (``s7.1``) names its place in one version; when sections 6 and 7 swap, the
same words are ``s6.1`` in the next version. The archive site links to clauses by *anchor*
instead: an id that follows the clause through the versions as far as the alignment says it is
the same clause (identical, edited, moved, renumbered).

How anchors are assigned, version by version in chronological order (one chain per policy and
language):

1. **frozen** — a published version whose anchors were recorded in the policy's
   ``anchors.json`` (see :mod:`analyzer.archive.build`) gets exactly those, matched to its clauses by
   clause id and text hash, then by text hash alone, then by clause id. This is what makes
   anchors of published versions permanent even if a later analyzer aligns differently.
2. **inherited** — a clause matched to a clause of the previous version takes its anchor. A
   split keeps the anchor on its first part (the others start new lineages "split from" it); a
   merge keeps the anchor of its first old part (the other lineages end "merged into" it).
3. **restored** — a clause whose exact text belonged to a lineage that had ended (a revert, a
   paragraph that comes back) takes that lineage's anchor again.
4. **minted** — anything else is a new clause: its anchor is derived from the policy, the
   language, the version and the clause id (``c-`` + 10 base-32 characters of a SHA-256), so a
   rebuild from the same files mints the same anchors.

An anchor is used at most once per version, and a minted anchor never repeats one used earlier
in the policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analyzer.errors import PolicyError
from analyzer.model import Alignment, ClauseTree
from analyzer.text.version_ids import key_order

__all__ = [
    "ANCHORS_FILE",
    "ANCHORS_SCHEMA",
    "ChainAnchors",
    "FrozenVersion",
    "Relation",
    "assign_anchors",
    "dump_frozen",
    "freeze",
    "load_frozen",
    "mint_anchor",
]

ANCHORS_FILE = "anchors.json"
"""Name of the file, in a policy's folder, that records the anchors of published versions."""
ANCHORS_SCHEMA = "policy-anchors/1"
HASH_PREFIX = 16
"""Hex digits of a clause's text hash kept in ``anchors.json`` (enough to tell clauses apart)."""

RelationKind = Literal["split-from", "split-into", "merged-into", "merged-from", "restored"]


@dataclass(frozen=True)
class Relation:
    """Something that happened to a lineage at one version, besides being edited."""

    version: str
    """Key of the version where it happened (``2024-03-18``)."""
    kind: RelationKind
    """``split-from``/``split-into`` (a clause became several), ``merged-into``/``merged-from``
    (several became one), ``restored`` (an ended lineage's text came back)."""
    other: str
    """The other lineage's anchor (the lineage itself for ``restored``)."""

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "kind": self.kind, "other": self.other}


@dataclass(frozen=True)
class FrozenVersion:
    """The anchors recorded for one published version in ``anchors.json``."""

    version: str
    """Version key (``2023-05-26``, ``2023-05-26.zh``)."""
    sha256: str
    """The version's text hash when its anchors were recorded."""
    anchors: tuple[tuple[str, str, str], ...]
    """``(clause id, first 16 hex of the clause hash, anchor)`` in document order."""

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "anchors": [list(a) for a in self.anchors]}


@dataclass(frozen=True)
class ChainAnchors:
    """The anchors of one chain of versions (one policy, one language)."""

    versions: tuple[str, ...]
    """Version keys in chronological order."""
    by_version: tuple[Mapping[str, str], ...]
    """For each version: clause id -> anchor (every clause has one)."""
    relations: Mapping[str, tuple[Relation, ...]] = field(default_factory=dict)
    """Anchor -> splits, merges and restorations, in version order."""
    frozen: tuple[str, ...] = ()
    """Versions whose anchors came from ``anchors.json``."""


def mint_anchor(policy: str, language: str, version: str, clause_id: str, taken: set[str]) -> str:
    """A new anchor for a clause first seen in ``version``: ``c-`` + 10 base-32 characters.

    Deterministic: the same inputs give the same anchor; on a collision with ``taken`` the
    next candidate of a fixed sequence is used.
    """
    seed = f"{policy}\n{language}\n{version}\n{clause_id}"
    attempt = 0
    while True:
        material = seed if attempt == 0 else f"{seed}\n{attempt}"
        digest = hashlib.sha256(material.encode("utf-8")).digest()
        anchor = "c-" + base64.b32encode(digest).decode("ascii")[:10].lower()
        if anchor not in taken:
            return anchor
        attempt += 1


def assign_anchors(
    policy: str,
    language: str,
    chain: Sequence[tuple[str, ClauseTree]],
    alignments: Sequence[Alignment],
    frozen: Mapping[str, FrozenVersion] | None = None,
) -> ChainAnchors:
    """Anchors for every clause of every version of a chain (see the module docstring).

    ``chain`` is ``(version key, tree)`` in chronological order; ``alignments[i]`` aligns
    ``chain[i]`` (old) with ``chain[i + 1]`` (new).
    """
    if len(alignments) != max(len(chain) - 1, 0):
        raise ValueError("one alignment per pair of consecutive versions is needed")
    frozen = frozen or {}
    everything: set[str] = set()  # every anchor given so far in the chain
    ended: dict[str, str] = {}  # clause hash -> anchor of a lineage that has ended
    relations: dict[str, list[Relation]] = {}
    result: list[dict[str, str]] = []
    from_file: list[str] = []
    previous: dict[str, str] = {}
    previous_tree: ClauseTree | None = None

    def relate(anchor: str, key: str, kind: RelationKind, other: str) -> None:
        relations.setdefault(anchor, []).append(Relation(key, kind, other))

    for index, (key, tree) in enumerate(chain):
        given = _Given(everything)
        here, taken_here, give = given.anchors, given.taken, given.give
        record = frozen.get(key)
        if record is not None:
            _apply_frozen(tree, record, give, taken_here)
            from_file.append(key)
        alignment = alignments[index - 1] if index > 0 else None
        if alignment is not None:
            for match in alignment.matches:
                sources = [previous[o] for o in match.old if o in previous]
                if not sources:
                    continue
                heir = sources[0]
                targets = [n for n in match.new if n not in here]
                if heir not in taken_here and targets:
                    give(targets[0], heir)
                    targets = targets[1:]
                if len(match.new) > 1:
                    for part in targets:
                        anchor = mint_anchor(policy, language, key, part, everything)
                        give(part, anchor)
                        relate(anchor, key, "split-from", heir)
                        relate(heir, key, "split-into", anchor)
                if len(match.old) > 1:
                    for other in sources[1:]:
                        if other != heir and other not in taken_here:
                            relate(other, key, "merged-into", heir)
                            relate(heir, key, "merged-from", other)
        for clause in tree.clauses:
            if clause.id in here:
                continue
            revived = ended.get(clause.hash)
            if revived is not None and revived not in taken_here:
                give(clause.id, revived)
                relate(revived, key, "restored", revived)
                continue
            give(clause.id, mint_anchor(policy, language, key, clause.id, everything))
        # lineages of the previous version that stop here can be restored later, by text
        if previous_tree is not None:
            for clause in previous_tree.clauses:
                anchor = previous[clause.id]
                if anchor not in taken_here:
                    ended[clause.hash] = anchor
        for clause in tree.clauses:
            if ended.get(clause.hash) == here[clause.id]:
                del ended[clause.hash]
        result.append(here)
        previous, previous_tree = here, tree
    return ChainAnchors(
        versions=tuple(key for key, _ in chain),
        by_version=tuple(result),
        relations={a: tuple(r) for a, r in sorted(relations.items())},
        frozen=tuple(from_file),
    )


@dataclass
class _Given:
    """The anchors given so far in one version."""

    everything: set[str]
    """Every anchor given in the chain (shared between versions)."""
    anchors: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def give(self, clause_id: str, anchor: str) -> None:
        self.anchors[clause_id] = anchor
        self.taken.add(anchor)
        self.everything.add(anchor)


def _apply_frozen(tree: ClauseTree, record: FrozenVersion, give: Any, taken: set[str]) -> None:
    """Give the clauses of ``tree`` the anchors ``record`` holds: by id and hash, then by hash
    alone (a clause the parser now names differently), then by id (a clause re-hashed)."""
    remaining = list(record.anchors)
    free = {c.id: c.hash[:HASH_PREFIX] for c in tree.clauses}

    def settle(pick: Any) -> None:
        nonlocal remaining
        left = []
        for entry in remaining:
            clause_id = pick(entry)
            if clause_id is not None and clause_id in free and entry[2] not in taken:
                give(clause_id, entry[2])
                del free[clause_id]
            else:
                left.append(entry)
        remaining = left

    settle(lambda e: e[0] if free.get(e[0]) == e[1] else None)
    by_hash: dict[str, list[str]] = {}
    for clause_id, digest in free.items():
        by_hash.setdefault(digest, []).append(clause_id)
    settle(lambda e: by_hash[e[1]][0] if len(by_hash.get(e[1], ())) == 1 else None)
    settle(lambda e: e[0])


def freeze(key: str, tree: ClauseTree, anchors: Mapping[str, str]) -> FrozenVersion:
    """The record of a version's anchors, as ``anchors.json`` keeps it."""
    return FrozenVersion(
        version=key,
        sha256=tree.sha256,
        anchors=tuple((c.id, c.hash[:HASH_PREFIX], anchors[c.id]) for c in tree.clauses),
    )


def load_frozen(text: str, source: str) -> dict[str, FrozenVersion]:
    """Parse ``anchors.json``; anything malformed is a :class:`PolicyError` naming the file."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(f"malformed JSON: {exc.msg}", path=source, line=exc.lineno) from None
    if not isinstance(raw, dict) or raw.get("schema") != ANCHORS_SCHEMA:
        raise PolicyError(f"not an anchors file (want schema {ANCHORS_SCHEMA!r})", path=source)
    versions = raw.get("versions")
    if not isinstance(versions, dict):
        raise PolicyError("'versions' must be a mapping", path=source)
    out: dict[str, FrozenVersion] = {}
    for key, entry in versions.items():
        anchors = entry.get("anchors") if isinstance(entry, dict) else None
        if not isinstance(anchors, list) or not all(
            isinstance(a, list) and len(a) == 3 and all(isinstance(x, str) for x in a)
            for a in anchors
        ):
            raise PolicyError(
                f"version {key!r}: 'anchors' must be a list of [clause, hash, anchor]",
                path=source,
            )
        names = [a[2] for a in anchors]
        if len(set(names)) != len(names):
            raise PolicyError(f"version {key!r}: an anchor is used twice", path=source)
        out[str(key)] = FrozenVersion(
            version=str(key),
            sha256=str(entry.get("sha256", "")),
            anchors=tuple((a[0], a[1], a[2]) for a in anchors),
        )
    return out


def dump_frozen(records: Iterable[FrozenVersion]) -> str:
    """``anchors.json`` text: versions in key order, one clause per line (reviewable diffs)."""
    items = sorted(records, key=lambda r: key_order(r.version))
    lines = ["{", f'  "schema": {json.dumps(ANCHORS_SCHEMA)},', '  "versions": {']
    for v_index, record in enumerate(items):
        lines.append(f"    {json.dumps(record.version)}: {{")
        lines.append(f'      "sha256": {json.dumps(record.sha256)},')
        lines.append('      "anchors": [')
        for a_index, anchor in enumerate(record.anchors):
            comma = "," if a_index < len(record.anchors) - 1 else ""
            lines.append(f"        {json.dumps(list(anchor), ensure_ascii=False)}{comma}")
        lines.append("      ]")
        lines.append("    }" + ("," if v_index < len(items) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
