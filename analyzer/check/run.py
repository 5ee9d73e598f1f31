"""``policy check``: every rule over the versions folder, with the one seam to the judgement.

:func:`run_check` is pure: it takes the versions folder as a :data:`~analyzer.store.snapshot.Snapshot`
(path -> bytes), optionally the snapshot at a git base, and a judge; reading files and git is
:mod:`analyzer.store.snapshot`'s job, printing is :mod:`analyzer.check.output`'s.

The judge is the one seam to the diff pipeline (:func:`judge_revision`); the pipeline, the
criteria pack and the embedding model are imported only when a revision has to be judged.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from analyzer.check.model import CheckResult, Hit, Judge, RevisionJudgement, RevisionResult, Scope
from analyzer.check.records import (
    CONFIG,
    EditContext,
    PolicyContext,
    RevisionContext,
    VersionContext,
    VersionRecord,
    base_predecessors,
    file_text,
    folders,
    group_chains,
    is_versionish,
    ledger_text,
    read_configs,
    read_record,
    shower,
    was_published,
)
from analyzer.check.rules import RULES, Rule, Spot
from analyzer.errors import PolicyError
from analyzer.model import Document
from analyzer.store.ledger import LEDGER
from analyzer.store.snapshot import Base, Snapshot, changed_paths
from analyzer.store.versions import PolicyConfig
from analyzer.text.version_ids import sortable_name

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

# ---------------------------------------------------------------------------------------------
# The judgement seam


def judge_revision(old: Document, new: Document, pack_ref: str) -> RevisionJudgement:
    """Judge one revision with the diff pipeline, exactly as ``policy diff`` does: parse both
    versions, run :func:`analyzer.pipeline.analyze` with the criteria pack ``pack_ref`` and the
    packaged embedding model (lexical similarity alone when it is not installed), and return
    its decision.

    The pipeline, the pack and the model are imported on first use and kept for the following
    revisions, so a check that judges nothing never loads them.
    """
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze

    embedder, unavailable = _default_embedder()
    report = analyze(
        parse(old),
        parse(new),
        pack=_load_pack(pack_ref),
        embedder=embedder,
        unavailable=unavailable,
    )
    return RevisionJudgement(
        report.decision.level, tuple(report.decision.reasons), report, report.criteria_pack
    )


@functools.cache
def _load_pack(ref: str) -> CriteriaPack:
    from analyzer.judge.criteria import load_pack

    return load_pack(ref)


@functools.cache
def _default_embedder() -> tuple[Embedder | None, str | None]:
    """The packaged model (loaded lazily by its first use), or None and why not."""
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        return load_embedder(), None
    except EmbedderUnavailable as exc:
        return None, exc.reason


def _judge(
    old: VersionRecord | None, new: VersionRecord, config: PolicyConfig, judge: Judge
) -> RevisionJudgement:
    """The levels the definition settles (first version, identical text), else the judge's."""
    if new.document is None:
        return RevisionJudgement(None, (), None, "not judged: the version cannot be read")
    if old is None:
        return RevisionJudgement(
            "publish",
            ("first version of the policy in this language: new text to publish",),
            None,
            "first version",
        )
    if old.document is None:
        return RevisionJudgement(None, (), None, f"not judged: {old.file} cannot be read")
    if old.document.sha256 == new.document.sha256:
        return RevisionJudgement(
            "none", ("no textual change after normalisation",), None, "identical text"
        )
    return judge(old.document, new.document, config.criteria)


# ---------------------------------------------------------------------------------------------
# Running the rules


def run_check(
    current: Snapshot,
    *,
    versions: str,
    base: Base | None = None,
    judge: Judge = judge_revision,
) -> CheckResult:
    """Run every rule over the versions folder ``current``.

    Without ``base`` every version, revision and policy is checked. With a git ``base`` only
    what the difference touches is: version files added or edited since the base (all versions
    of a policy whose ``policy.yaml`` changed), the revisions into them and out of them (a
    version whose predecessor changed, appeared or went is judged again), the ledger of every
    policy with a changed file, and every file that was published at the base.
    """
    show = shower(versions)
    changed = changed_paths(base.files, current) if base is not None else None
    # With a base, only the policies the difference touches are read at all.
    touched = None if changed is None else {rel.split("/")[0] for rel in changed if "/" in rel}
    configs = read_configs(current, show, touched)
    records = {
        rel: read_record(rel, data, show)
        for rel, data in sorted(current.items())
        if is_versionish(rel)
        and (touched is None or "/" not in rel or rel.split("/")[0] in touched)
    }
    groups, language_of = group_chains(records, configs)
    predecessor: dict[str, VersionRecord | None] = {}
    duplicate: dict[str, VersionRecord] = {}
    for members in groups.values():
        previous: VersionRecord | None = None
        for rec in members:
            if previous is not None and previous.version == rec.version:
                duplicate[rec.relative] = previous
            predecessor[rec.relative] = previous
            previous = rec

    if base is None or changed is None:
        in_scope = set(records)
        judged = set(predecessor)
        policies = {rel.split("/")[0] for rel in current if "/" in rel}
        edits: list[str] = []
    else:
        retuned = {rel.split("/")[0] for rel in changed if rel.endswith("/" + CONFIG)}
        in_scope = {rel for rel, rec in records.items() if rel in changed or rec.policy in retuned}
        base_predecessor = base_predecessors(base.files, configs)
        judged = set()
        for rel, prev in predecessor.items():
            prev_rel = prev.relative if prev is not None else None
            if (
                rel in in_scope
                or base_predecessor.get(rel, "") != prev_rel
                or (prev_rel is not None and prev_rel in changed)
            ):
                judged.add(rel)
        policies = (touched or set()) & folders(current)
        edits = sorted(
            rel for rel in changed if rel in base.files and was_published(base.files[rel])
        )

    spots: list[Hit] = []

    def emit(rule_id: str, found: Iterable[Spot]) -> None:
        rule_ = RULES[rule_id]
        spots.extend(
            Hit(rule_id, rule_.severity, s.file, s.line, " ".join(s.message.split())) for s in found
        )

    for rel in sorted(in_scope):
        rec = records[rel]
        ctx = VersionContext(
            rec,
            configs.get(rec.policy) if rec.policy is not None else None,
            language_of.get(rel) or None,
            duplicate.get(rel),
        )
        for rule_ in _rules("version"):
            emit(rule_.id, rule_.check(ctx))

    revisions: list[RevisionResult] = []
    for rel in sorted(judged):
        rec = records[rel]
        config = configs.get(rec.policy) if rec.policy is not None else None
        if config is None:
            continue  # front-matter reports the unknown policy
        prev = predecessor[rel]
        judgement = _judge(prev, rec, config, judge)
        revision = RevisionContext(prev, rec, config, judgement)
        for rule_ in _rules("revision"):
            emit(rule_.id, rule_.check(revision))
        revisions.append(
            RevisionResult(
                policy=config.id,
                language=language_of[rel],
                old=prev.file if prev is not None else None,
                new=rec.file,
                declared=rec.fields.notice_raw,
                detected=judgement.level,
                reasons=judgement.reasons,
                note=judgement.note,
                report=judgement.report,
            )
        )

    for policy in sorted(policies):
        ledger_rel = f"{policy}/{LEDGER}"
        try:
            ledger, ledger_error = ledger_text(current.get(ledger_rel), show(ledger_rel)), None
        except PolicyError as exc:
            ledger, ledger_error = None, exc.reason
        context = PolicyContext(
            policy,
            show(ledger_rel),
            ledger,
            tuple(rec for rec in records.values() if rec.policy == policy),
            ledger_error,
        )
        for rule_ in _rules("policy"):
            emit(rule_.id, rule_.check(context))

    assert base is not None or not edits
    for rel in edits:
        assert base is not None
        after = current.get(rel)
        edit = EditContext(
            show(rel),
            base.label,
            file_text(base.files[rel]),
            file_text(after) if after is not None else None,
        )
        for rule_ in _rules("edit"):
            emit(rule_.id, rule_.check(edit))

    # files in chronological order: a same-day version after the first one of its day
    hits = tuple(
        sorted(set(spots), key=lambda h: (sortable_name(h.file), h.line, h.rule, h.message))
    )
    revisions.sort(key=lambda r: (r.policy, r.language, sortable_name(r.new)))
    return CheckResult(
        versions=versions,
        base=base,
        changed=(
            tuple(sorted((show(rel) for rel in changed), key=sortable_name))
            if changed is not None
            else None
        ),
        files=tuple(sorted((records[rel].file for rel in in_scope), key=sortable_name)),
        hits=hits,
        revisions=tuple(revisions),
    )


def _rules(scope: Scope) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == scope]
