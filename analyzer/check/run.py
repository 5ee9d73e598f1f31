"""``policy check``: every rule over the versions folder, with the one seam to the judgement.

:func:`run_check` is pure: it takes the versions folder as a :data:`~analyzer.store.snapshot.Snapshot`
(path -> bytes), optionally the snapshot at a git base, and a judge; reading files and git is
:mod:`analyzer.store.snapshot`'s job, printing is :mod:`analyzer.check.output`'s.

The judge is the one seam to the diff pipeline (:func:`judge_revision`); the pipeline, the
criteria pack and the embedding model are imported only when a revision has to be judged.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from analyzer.check.model import (
    CheckResult,
    Hit,
    Judge,
    PackSource,
    RevisionJudgement,
    RevisionResult,
    Scope,
)
from analyzer.check.records import (
    CONFIG,
    AnchorsContext,
    ConfigContext,
    EditContext,
    PolicyContext,
    RevisionContext,
    Translation,
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
from analyzer.model import Document, SuspiciousChar
from analyzer.parse.ingest import decode, read_document
from analyzer.store.ledger import LEDGER
from analyzer.store.snapshot import Base, Snapshot, changed_paths, pack_path
from analyzer.store.versions import PolicyConfig, parse_policy_config, version_sort_key
from analyzer.text.version_ids import sortable_name

ANCHORS = "anchors.json"
"""A policy's frozen clause anchors (:mod:`analyzer.archive.anchors`)."""

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

# ---------------------------------------------------------------------------------------------
# The judgement seam


def judge_revision(old: Document, new: Document, pack: PackSource) -> RevisionJudgement:
    """Judge one revision with the diff pipeline, exactly as ``policy diff`` does: parse both
    versions, run :func:`analyzer.pipeline.analyze` with the criteria pack ``pack`` (as it was
    at the git base, when the policy names it by a path) and the packaged embedding model
    (lexical similarity alone when it is not installed), and return its decision.

    The pipeline, the pack and the model are imported on first use and kept for the following
    revisions, so a check that judges nothing never loads them.
    """
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze

    embedder, unavailable = _default_embedder()
    old_tree, new_tree = parse(old), parse(new)
    report = analyze(
        old_tree,
        new_tree,
        pack=_load_pack(pack.ref, pack.data),
        embedder=embedder,
        unavailable=unavailable,
    )
    return RevisionJudgement(
        report.decision.level,
        tuple(report.decision.reasons),
        report,
        report.criteria_pack,
        suspicious=report.suspicious,
        hidden=_new_notes(old_tree.hidden, new_tree.hidden),
    )


def _new_notes(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    """The notes of ``new`` that ``old`` does not have (compared without their line)."""
    before = {note.split(": ", 1)[-1] for note in old}
    return tuple(note for note in new if note.split(": ", 1)[-1] not in before)


@functools.cache
def _load_pack(ref: str, data: bytes | None) -> CriteriaPack:
    from analyzer.judge.criteria import load_pack, parse_pack

    return load_pack(ref) if data is None else parse_pack(data, ref)


@functools.cache
def _default_embedder() -> tuple[Embedder | None, str | None]:
    """The packaged model (loaded lazily by its first use), or None and why not."""
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        return load_embedder(), None
    except EmbedderUnavailable as exc:
        return None, exc.reason


def _suspicious_in(document: Document) -> tuple[SuspiciousChar, ...]:
    """The suspicious characters of a whole version (parsed only when its text may hold any)."""
    from analyzer.text.suspicious import has_candidates

    if not has_candidates(document.text):
        return ()
    from analyzer.diff.folding import suspicious_in_tree
    from analyzer.parse.tree import parse

    return suspicious_in_tree(parse(document))


def _hidden_in(document: Document) -> tuple[str, ...]:
    """What a reader of a whole rendered version does not see as text."""
    if document.format == "text" or not any(c in document.text for c in "<~\"'("):
        return ()
    from analyzer.parse.tree import read_notes

    return read_notes(document)


def _judge(
    old: VersionRecord | None, new: VersionRecord, pack: PackSource, judge: Judge
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
            suspicious=_suspicious_in(new.document),
            hidden=_hidden_in(new.document),
        )
    if old.document is None:
        return RevisionJudgement(None, (), None, f"not judged: {old.file} cannot be read")
    if old.document.sha256 == new.document.sha256:
        return RevisionJudgement(
            "none", ("no textual change after normalisation",), None, "identical text"
        )
    return judge(old.document, new.document, pack)


# ---------------------------------------------------------------------------------------------
# Running the rules


def translation_extra(primary: Document, translation: Document) -> tuple[str, ...]:
    """What ``translation`` states that ``primary`` does not, one line each (the seam of
    ``translation-mismatch``: :func:`analyzer.judge.translation.statements_not_in`)."""
    from analyzer.judge.translation import statements_not_in
    from analyzer.parse.tree import parse

    return tuple(s.describe() for s in statements_not_in(parse(primary), parse(translation)))


Compare = Callable[[Document, Document], tuple[str, ...]]


def run_check(
    current: Snapshot,
    *,
    versions: str,
    base: Base | None = None,
    judge: Judge = judge_revision,
    compare: Compare = translation_extra,
    today: dt.date | None = None,
    jobs: int = 1,
) -> CheckResult:
    """Run every rule over the versions folder ``current``.

    ``today`` is the day the check runs (default: the clock's), for ``future-date``.
    ``compare`` says what a translation states that its primary version does not.

    Without ``base`` every version, revision and policy is checked. With a git ``base`` only
    what the difference touches is: version files added or edited since the base (all versions
    of a policy whose ``policy.yaml`` changed), the revisions into them and out of them (a
    version whose predecessor changed, appeared or went is judged again), the ledger of every
    policy with a changed file, and every file that was published at the base.

    The revisions are judged in ``jobs`` worker processes (:mod:`analyzer.workers`; ``judge``
    must then be a module-level function), their judgements taken in order: the result is
    the one a serial run gives.
    """
    show = shower(versions)
    changed = changed_paths(base.files, current) if base is not None else None
    # With a base, only the policies the difference touches are read at all.
    touched = None if changed is None else {rel.split("/")[0] for rel in changed if "/" in rel}
    configs = read_configs(current, show, touched)
    # The gate's configuration (criteria pack, notice period, languages) is the base's: a
    # change never judges itself with settings it brings (config-changed reports those).
    base_configs = _base_configs(base, show, touched) if base is not None else {}
    gate_configs = {
        policy: base_configs.get(policy) or config for policy, config in configs.items()
    }
    records = {
        rel: read_record(rel, data, show)
        for rel, data in sorted(current.items())
        if is_versionish(rel)
        and (touched is None or "/" not in rel or rel.split("/")[0] in touched)
    }
    groups, language_of = group_chains(records, gate_configs)
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
        base_predecessor = base_predecessors(base.files, gate_configs)
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
            gate_configs.get(rec.policy) if rec.policy is not None else None,
            language_of.get(rel) or None,
            duplicate.get(rel),
        )
        for rule_ in _rules("version"):
            emit(rule_.id, rule_.check(ctx))

    to_judge: list[tuple[VersionRecord | None, VersionRecord, PolicyConfig]] = []
    for rel in sorted(judged):
        rec = records[rel]
        config = gate_configs.get(rec.policy) if rec.policy is not None else None
        if config is not None:  # else front-matter reports the unknown policy
            to_judge.append((predecessor[rel], rec, config))
    judgements = _judgements(to_judge, base, judge, jobs)

    revisions: list[RevisionResult] = []
    for (prev, rec, config), judgement in zip(to_judge, judgements, strict=True):
        revision = RevisionContext(
            prev,
            rec,
            config,
            judgement,
            today=today or dt.date.today(),
            base_sha=_sha_at_base(base, rec.relative),
            has_base=base is not None,
            translation=_translation(rec, language_of[rec.relative], config, groups, compare),
        )
        for rule_ in _rules("revision"):
            emit(rule_.id, rule_.check(revision))
        revisions.append(
            RevisionResult(
                policy=config.id,
                language=language_of[rec.relative],
                old=prev.file if prev is not None else None,
                new=rec.file,
                declared=rec.fields.notice_raw,
                detected=judgement.level,
                reasons=judgement.reasons,
                note=judgement.note,
                report=judgement.report,
                overrides=_overrides(judgement),
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

    if base is not None and changed is not None:
        versions_changed = {
            rel.split("/")[0] for rel in changed if "/" in rel and is_versionish(rel)
        }
        for policy in sorted(touched or ()):
            config_rel = f"{policy}/{CONFIG}"
            now = configs.get(policy)
            config_context = ConfigContext(
                policy=policy,
                file=show(config_rel),
                text=file_text(current[config_rel]) if config_rel in current else "",
                before=base_configs.get(policy),
                after=now,
                existed=config_rel in base.files,
                versions_changed=policy in versions_changed,
                packs=base.packs,
                packs_changed=base.packs_changed,
                base_label=base.label,
            )
            for rule_ in _rules("config"):
                emit(rule_.id, rule_.check(config_context))

    if base is not None and changed is not None:
        for rel in sorted(changed):
            if rel.endswith("/" + ANCHORS) and rel in base.files and rel.count("/") == 1:
                after = current.get(rel)
                anchors = AnchorsContext(
                    show(rel),
                    base.label,
                    file_text(base.files[rel]),
                    file_text(after) if after is not None else None,
                )
                for rule_ in _rules("anchors"):
                    emit(rule_.id, rule_.check(anchors))

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


def _sha_at_base(base: Base | None, rel: str) -> str | None:
    """The normalised text's hash of a file at the base (None: not there, or unreadable)."""
    if base is None or rel not in base.files:
        return None
    try:
        return read_document(base.files[rel], "base").sha256
    except PolicyError:
        return None


def _translation(
    rec: VersionRecord,
    language: str,
    config: PolicyConfig,
    groups: Mapping[tuple[str, str], list[VersionRecord]],
    compare: Compare,
) -> Translation | None:
    """A version in another language than the primary one, against the primary-language
    version of its date (else the latest before it)."""
    primary_language = config.languages[0]
    if language == primary_language or rec.version is None or rec.document is None:
        return None
    key = version_sort_key(rec.version)
    candidates = [
        other
        for other in groups.get((config.id, primary_language), [])
        if other.version is not None and version_sort_key(other.version)[0] <= key[0]
    ]
    same_day = [other for other in candidates if other.version == rec.version]
    chosen = same_day or candidates
    primary = chosen[-1] if chosen else None
    if primary is None or primary.document is None:
        return Translation(primary)
    return Translation(primary, compare(primary.document, rec.document))


def _overrides(judgement: RevisionJudgement) -> tuple[dict[str, str | None], ...]:
    report = judgement.report
    if report is None:
        return ()
    seen: dict[tuple[str, str], dict[str, str | None]] = {}
    for change in report.changes:
        for finding in change.findings:
            override = finding.override
            if override is not None:
                data = override.to_dict()
                seen.setdefault((str(data["criterion"]), str(data["clause"])), data)
    return tuple(seen.values())


def _base_configs(
    base: Base, show: Callable[[str], str], touched: set[str] | None
) -> dict[str, PolicyConfig]:
    """Each touched policy's configuration at the base (a policy new in the change, or whose
    ``policy.yaml`` the base cannot read, has none)."""
    out: dict[str, PolicyConfig] = {}
    for folder in sorted(folders(base.files)):
        rel = f"{folder}/{CONFIG}"
        if (touched is not None and folder not in touched) or rel not in base.files:
            continue
        try:
            config = parse_policy_config(decode(base.files[rel], show(rel)), folder, show(rel))
        except PolicyError:
            continue
        out[folder] = config
    return out


def _pack_source(config: PolicyConfig, base: Base | None) -> PackSource:
    """The pack a revision is judged with: a shipped pack by its id; a pack the policy names by
    a path, as it was at the git base (the default pack when the base has no such file: the
    change brought it, and config-changed says so)."""
    if base is None or pack_path(config.criteria) is None:
        return PackSource(config.criteria)
    data = base.packs.get(config.criteria)
    if data is None:
        from analyzer.judge.criteria import DEFAULT_PACK

        return PackSource(DEFAULT_PACK)
    return PackSource(config.criteria, data)


def _judgements(
    revisions: list[tuple[VersionRecord | None, VersionRecord, PolicyConfig]],
    base: Base | None,
    judge: Judge,
    jobs: int,
) -> list[RevisionJudgement]:
    """The judgement of each revision, in order: the levels the definition settles at once,
    the others from ``judge``, in ``jobs`` workers."""
    packs = [_pack_source(config, base) for _, _, config in revisions]
    settled = [
        _judge(prev, rec, pack, _deferred)
        for (prev, rec, _), pack in zip(revisions, packs, strict=True)
    ]
    asked: list[tuple[Document, Document, PackSource]] = []
    for (prev, rec, _), pack, judgement in zip(revisions, packs, settled, strict=True):
        if judgement is _ASK:  # _judge asks only with both documents read
            assert prev is not None and prev.document is not None and rec.document is not None
            asked.append((prev.document, rec.document, pack))
    if not asked:
        return settled
    from analyzer.workers import change_weight, starmap_in_order

    # a history's revisions share their versions: each worker judges a run of neighbours,
    # the runs of about equal work
    answers = starmap_in_order(
        judge,
        asked,
        jobs=jobs,
        contiguous=True,
        weights=[change_weight(a.text.splitlines(), b.text.splitlines()) for a, b, _ in asked],
    )
    return [next(answers) if judgement is _ASK else judgement for judgement in settled]


_ASK = RevisionJudgement(None, (), None, "to be judged")


def _deferred(old: Document, new: Document, pack: PackSource) -> RevisionJudgement:
    """A judge that leaves the revision for the real one (:func:`_judgements`)."""
    return _ASK


def _rules(scope: Scope) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == scope]
