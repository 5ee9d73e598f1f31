"""The site's analysis loop: every version of every policy read and parsed, every revision (a
version against the previous one of its policy and language) analysed through the pipeline's
one seam, :func:`revision_report`, and the site model made from them, with clause anchors that
survive renumbering (:func:`load_site`). Parsed versions, analyses and notices come from the
:class:`~analyzer.archive.cache.BuildCache` when their inputs are unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.archive.anchors import (
    ANCHORS_FILE,
    FrozenVersion,
    assign_anchors,
    load_frozen,
)
from analyzer.archive.cache import BuildCache, notices_fingerprint, plain_value, tree_from_dict
from analyzer.archive.data import (
    RevisionData,
    alignment_from_dict,
    revision_from_dict,
    revision_from_report,
)
from analyzer.archive.site import RESERVED, Site, SitePolicy, SiteVersion
from analyzer.errors import PolicyError
from analyzer.model import Alignment, ClauseTree, Report
from analyzer.parse.ingest import read_document
from analyzer.report_json import report_from_dict
from analyzer.statements.summary import PolicyFacts, facts_from_dict
from analyzer.store.files import read_bytes
from analyzer.store.versions import Store, VersionFile
from analyzer.text.version_ids import version_order

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

ProgressCallback = Callable[[str, int, int], None]
"""Called with ``(phase, done, total)``; phases are ``read``, ``analyse``, ``write``."""


# -- the one seam to the diff pipeline -------------------------------------------------------------


def revision_report(
    old: ClauseTree,
    new: ClauseTree,
    pack: CriteriaPack,
    *,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
    alignment: Alignment | None = None,
) -> Report:
    """The pipeline's report on the revision ``old`` -> ``new``: the one place the site asks
    for a judgement (the pipeline, and with it the criteria and the model, load lazily).
    ``alignment``, when given, is reused rather than computed again."""
    from analyzer.pipeline import analyze

    return analyze(
        old, new, pack=pack, embedder=embedder, unavailable=unavailable, alignment=alignment
    )


def analyse_revision(
    old: ClauseTree,
    new: ClauseTree,
    pack: CriteriaPack,
    *,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
) -> tuple[Alignment, RevisionData, Report]:
    """What the site keeps of a revision: the clause alignment (for the anchors), what its page
    shows, and the report its notices are made from."""
    from analyzer.diff.align import align_clauses

    alignment = align_clauses(old, new, embedder=embedder, unavailable=unavailable)
    report = revision_report(
        old, new, pack, embedder=embedder, unavailable=unavailable, alignment=alignment
    )
    return alignment, revision_from_report(report), report


def revision_entry(alignment: Alignment, revision: RevisionData, report: Report) -> dict[str, Any]:
    """A revision as the build cache keeps it (and as workers of ``--engine`` send it back)."""
    return {
        "alignment": alignment.to_dict(),
        "revision": revision.to_dict(),
        "report": report.to_dict(),  # the notices are made from it at every build
    }


@dataclass(frozen=True)
class PendingRevision:
    """A revision the cache does not hold, as handed to :data:`Precompute`."""

    key: str
    """The cache key its entry goes under."""
    old: ClauseTree
    new: ClauseTree
    pack: str
    """The criteria pack's reference (an id or a path), for :func:`analyzer.judge.criteria.load_pack`."""
    language: str = ""
    """The new version's language: its notices are made with the analysis ('': none)."""
    old_facts: bool = False
    """Whether the old version's facts are made too (the first revision of a chain; every
    other version's facts come with the revision into it)."""


def pending_extras(item: PendingRevision, pack: CriteriaPack, report: Report) -> dict[str, Any]:
    """What a worker makes beside a pending revision's analysis, while the versions' readings
    are warm in its process: what each version says (:func:`~analyzer.judge.reasons.policy_facts`)
    and the revision's notices. :meth:`_Analyser.precompute` files them in the build cache."""
    from analyzer.judge.reasons import policy_facts

    out: dict[str, Any] = {"facts_new": policy_facts(item.new, pack).to_dict()}
    if item.old_facts:
        out["facts_old"] = policy_facts(item.old, pack).to_dict()
    if item.language:
        from analyzer.notices.render import site_notices

        texts = site_notices(report, language=notice_language(item.language))
        out["notices"] = {k: str(v) for k, v in texts.items()}
    return out


_EXTRAS = ("facts_old", "facts_new", "notices")
"""What :func:`pending_extras` adds to a revision's entry (kept apart in the cache)."""

Precompute = Callable[[Sequence[PendingRevision]], Mapping[str, Mapping[str, Any]]]
"""Computes the entries (:func:`revision_entry`) of many revisions at once, elsewhere (the
processes or the Dask cluster of ``policy site build --engine``), keyed by cache key."""


def notice_texts(version: SiteVersion, report: Report | None) -> dict[str, str]:
    """The notices of the revision into ``version``, as the pages show them (``popup``: the
    pop-up's words, for a revision that needed one; ``changelog``: the change-log entry, an
    HTML fragment), in the version's language; nothing for the first version."""
    if report is None:
        return {}
    from analyzer.notices.render import site_notices

    return site_notices(report, language=notice_language(version.language))


def notice_language(language: str) -> str:
    """The language a version's notices are written in (``zh-CN`` -> ``zh``)."""
    return language.split("-")[0].lower()


def version_language(read: _Read) -> str:
    """A version's language: its file name's, its front matter's, or the one its text is in."""
    return read.item.language or _text(read.tree.meta, "language") or read.tree.language


# -- reading the versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    item: VersionFile
    raw: bytes
    tree: ClauseTree
    """Parsed, with the front matter as :attr:`ClauseTree.meta`."""


def _read_version(store: Store, item: VersionFile, cache: BuildCache) -> _Read:
    """Read and parse one version; a version read before (same bytes, same analyzer) comes
    from the cache without decoding, front matter or parsing."""
    raw = read_bytes(item.path, root=store.root)
    source = f"{item.policy}/{item.path.name}"
    key = cache.key("tree", item.path.suffix, hashlib.sha256(raw).hexdigest())
    cached = cache.get("tree", key)
    if cached is not None:
        with contextlib.suppress(KeyError, TypeError, IndexError, ValueError):
            return _Read(item, raw, tree_from_dict(cached, source))
    from analyzer.parse.tree import parse

    tree = parse(read_document(raw, source, name=item.path.name))
    entry = tree.to_dict()
    entry["front_matter"] = {str(k): plain_value(v) for k, v in tree.meta.items()}
    cache.put("tree", key, entry)
    return _Read(item, raw, tree)


def _text(meta: Mapping[str, Any], name: str) -> str | None:
    value = meta.get(name)
    if value is None or value == "":
        return None
    return str(value)


# -- analysing revisions --------------------------------------------------------------------------------


@dataclass
class _Revision:
    """One analysed revision: what its pages show, and the report its notices are made from
    (as analysed, or as the cache keeps it, read back only when the notices need it)."""

    key: str
    """Cache key of the analysis."""
    alignment: Alignment
    data: RevisionData
    report: Report | None = None
    report_json: Mapping[str, Any] | None = None

    def get_report(self) -> Report | None:
        if self.report is None and self.report_json is not None:
            with contextlib.suppress(PolicyError):
                self.report = report_from_dict(self.report_json)
        return self.report


@dataclass
class _Analyser:
    cache: BuildCache
    embedder: Embedder | None
    unavailable: str | None
    packs: dict[str, CriteriaPack] = field(default_factory=dict)
    ready: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """Entries computed by a :data:`Precompute` for this build, by cache key."""
    _notices_fingerprint: str = ""

    def pack_ref(self, store: Store, policy: str) -> str:
        ref = store.config(policy).criteria
        if "/" in ref or ref.endswith((".yaml", ".yml")):
            candidate = store.root / policy / ref
            ref = str(candidate) if candidate.is_file() else ref
        return ref

    def pack(self, store: Store, policy: str) -> CriteriaPack:
        from analyzer.judge.criteria import load_pack

        ref = self.pack_ref(store, policy)
        if ref not in self.packs:
            self.packs[ref] = load_pack(ref)
        return self.packs[ref]

    def model(self) -> str:
        if self.embedder is not None:
            return self.embedder.model_id
        return f"lexical; {self.unavailable or 'no model'}"

    def revision_key(self, old: _Read, new: _Read, pack: CriteriaPack) -> str:
        return self.cache.key(
            "revision",
            f"{pack.id}@{pack.sha256}",
            self.model(),
            hashlib.sha256(old.raw).hexdigest(),
            hashlib.sha256(new.raw).hexdigest(),
        )

    def precompute(
        self, store: Store, reads: Mapping[str, Sequence[_Read]], precompute: Precompute
    ) -> None:
        """Have ``precompute`` analyse, all at once, every revision the cache does not hold."""
        pending: list[PendingRevision] = []
        sides: dict[str, tuple[_Read, _Read, CriteriaPack]] = {}
        for policy, policy_reads in reads.items():
            chains = _chains(policy_reads)
            if not any(len(c) > 1 for c in chains.values()):
                continue
            pack = self.pack(store, policy)
            for chain in chains.values():
                for index, (old, new) in enumerate(itertools.pairwise(chain)):
                    key = self.revision_key(old, new, pack)
                    if not self.cache.holds("revision", key):
                        ref = self.pack_ref(store, policy)
                        language = version_language(new)
                        pending.append(
                            PendingRevision(key, old.tree, new.tree, ref, language, index == 0)
                        )
                        sides[key] = (old, new, pack)
        if pending:
            for key, entry in precompute(pending).items():
                kept = dict(entry)
                extras = {k: kept.pop(k) for k in _EXTRAS if k in kept}
                self.ready[key] = kept
                self.cache.put("revision", key, kept)
                if key not in sides:
                    continue
                old, new, pack = sides[key]
                for side, read in (("facts_old", old), ("facts_new", new)):
                    if side in extras:
                        self.ready[self.facts_key(read, pack)] = extras[side]
                if "notices" in extras:
                    notices_key = self.notices_key(key, version_language(new))
                    self.ready[notices_key] = extras["notices"]

    def analyse(self, old: _Read, new: _Read, pack: CriteriaPack) -> _Revision:
        key = self.revision_key(old, new, pack)
        cached = self.ready.pop(key, None)
        if cached is not None:
            self.cache.misses += 1  # computed for this build, not found in the cache
        else:
            cached = self.cache.get("revision", key)
        if cached is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                return _Revision(
                    key=key,
                    alignment=alignment_from_dict(cached["alignment"]),
                    data=revision_from_dict(cached["revision"]),
                    report_json=cached["report"],
                )
        alignment, revision, report = analyse_revision(
            old.tree, new.tree, pack, embedder=self.embedder, unavailable=self.unavailable
        )
        self.cache.put("revision", key, revision_entry(alignment, revision, report))
        return _Revision(key=key, alignment=alignment, data=revision, report=report)

    def facts_key(self, read: _Read, pack: CriteriaPack) -> str:
        return self.cache.key(
            "facts", f"{pack.id}@{pack.sha256}", hashlib.sha256(read.raw).hexdigest()
        )

    def notices_key(self, revision_key: str, language: str) -> str:
        if not self._notices_fingerprint:
            self._notices_fingerprint = notices_fingerprint()
        return self.cache.key("notices", revision_key, self._notices_fingerprint, language)

    def _ready_or_cached(self, kind: str, key: str) -> Any:
        """An entry a worker made for this build (filed in the cache now), else the cache's."""
        ready = self.ready.pop(key, None)
        if ready is None:
            return self.cache.get(kind, key)
        self.cache.misses += 1  # computed for this build, not found in the cache
        self.cache.put(kind, key, ready)
        return ready

    def facts(self, read: _Read, pack: CriteriaPack) -> PolicyFacts:
        """What a version says (:func:`~analyzer.judge.reasons.policy_facts`), cached by the
        version's bytes and the criteria pack (whose list of criteria the summary leaves out)."""
        key = self.facts_key(read, pack)
        cached = self._ready_or_cached("facts", key)
        if cached is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
                return facts_from_dict(cached)
        from analyzer.judge.reasons import policy_facts

        facts = policy_facts(read.tree, pack)
        self.cache.put("facts", key, facts.to_dict())
        return facts

    def notices(self, revision: _Revision, version: SiteVersion) -> dict[str, str]:
        """The revision's notices for the pages (:func:`notice_texts`), cached by the
        revision, the version's language and the notice templates' content: an unchanged
        build reads them back; an edited template or sentence pattern makes them again from
        the report the cache keeps, without analysing anything."""
        key = self.notices_key(revision.key, version.language)
        cached = self._ready_or_cached("notices", key)
        if cached is not None:
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                from analyzer.notices.render import site_notices_from_json

                return site_notices_from_json(cached)
        report = revision.get_report()
        texts = notice_texts(version, report) if report is not None else {}
        self.cache.put("notices", key, {k: str(v) for k, v in texts.items()})
        return texts


# -- the site model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedSite:
    """The site model and what the build noticed while making it."""

    site: Site
    notes: tuple[str, ...] = ()
    """Things worth telling the user (published versions whose anchors are not yet frozen)."""


def load_site(
    versions: Path,
    *,
    cache: BuildCache | None = None,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
    base_url: str | None = None,
    progress: ProgressCallback | None = None,
    only: Sequence[str] | None = None,
    precompute: Precompute | None = None,
) -> LoadedSite:
    """Read, parse and analyse every policy of ``versions`` (or the ``only`` ones) into the
    site model. With ``precompute``, the revisions the cache does not hold are analysed by it,
    all at once, before the model is made (``policy site build --engine``)."""
    store = Store(versions)
    cache = cache or BuildCache(None)
    analyser = _Analyser(cache, embedder, unavailable)
    policies = store.policies()
    if only:
        for policy in only:
            store.policy_dir(policy)  # the clear error for an unknown policy
        policies = [p for p in policies if p in only]
    if not policies:
        raise PolicyError("no policies here (want <policy>/<YYYY-MM-DD>.md)", path=str(versions))
    for policy in policies:
        if policy in RESERVED:
            raise PolicyError(f"policy id {policy!r} is reserved by the archive site; rename it")
    listed = {p: store.versions(p) for p in policies}
    empty = [p for p in policies if not listed[p]]
    policies = [p for p in policies if listed[p]]
    if not policies:
        raise PolicyError(
            "no version files here (want <policy>/<YYYY-MM-DD>.md)", path=str(versions)
        )
    total = sum(len(v) for v in listed.values())
    reads: dict[str, list[_Read]] = {}
    done = 0
    for policy in policies:
        reads[policy] = []
        for item in listed[policy]:
            reads[policy].append(_read_version(store, item, cache))
            done += 1
            if progress:
                progress("read", done, total)
    if precompute is not None:
        analyser.precompute(store, reads, precompute)
    pairs = sum(max(len(_chains(r)[c]) - 1, 0) for r in reads.values() for c in _chains(r))
    done = 0
    built: list[SitePolicy] = []
    notes: list[str] = [f"{p}: no versions yet, left out of the site" for p in empty]
    for policy in policies:
        site_policy, policy_notes = _policy(
            store, policy, reads[policy], analyser, progress, done, pairs
        )
        done += sum(1 for v in site_policy.versions if v.previous is not None)
        built.append(site_policy)
        notes.extend(f"{policy}: {note}" for note in policy_notes)
        if any("without frozen anchors" in note for note in policy_notes):
            where = "" if versions == Path("policy_versions") else f" --versions {versions}"
            notes.append(
                f"{policy}: run `policy site freeze-anchors{where}` to keep the clause links of "
                "published versions for good"
            )
    return LoadedSite(Site(tuple(built), base_url=base_url), tuple(notes))


def _chains(reads: Sequence[_Read]) -> dict[str, list[_Read]]:
    out: dict[str, list[_Read]] = {}
    for r in reads:
        out.setdefault(r.item.language or "", []).append(r)
    return out


def _key(item: VersionFile) -> str:
    return item.version + (f".{item.language}" if item.language else "")


def frozen_anchors(store: Store, policy: str) -> dict[str, FrozenVersion]:
    path = store.root / policy / ANCHORS_FILE
    if not path.is_file():
        return {}
    data = read_bytes(path, root=store.root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError("not UTF-8", path=str(path)) from None
    return load_frozen(text, str(path))


def _policy(
    store: Store,
    policy: str,
    reads: Sequence[_Read],
    analyser: _Analyser,
    progress: ProgressCallback | None,
    done: int,
    total: int,
) -> tuple[SitePolicy, list[str]]:
    """The policy's site model, and notes for the user."""
    config = store.config(policy)
    pack = analyser.pack(store, policy)
    frozen = frozen_anchors(store, policy)
    versions: list[SiteVersion] = []
    relations: dict[str, Any] = {}
    missing: list[str] = []
    changed: list[str] = []
    for chain_id, chain in _chains(reads).items():
        alignments: list[Alignment] = []
        revisions: list[RevisionData | None] = [None]
        analysed: list[_Revision | None] = [None]
        for old, new in itertools.pairwise(chain):
            result = analyser.analyse(old, new, pack)
            alignments.append(result.alignment)
            revisions.append(result.data)
            analysed.append(result)
            done += 1
            if progress:
                progress("analyse", done, total)
        keys = [_key(r.item) for r in chain]
        anchors = assign_anchors(
            policy,
            chain_id or "main",
            list(zip(keys, (r.tree for r in chain), strict=True)),
            alignments,
            frozen,
        )
        relations.update(anchors.relations)
        for index, read in enumerate(chain):
            meta = read.tree.meta
            status = _text(meta, "status")
            if status == "published" and keys[index] not in frozen:
                missing.append(keys[index])
            record = frozen.get(keys[index])
            if record is not None and record.sha256 and record.sha256 != read.tree.sha256:
                changed.append(keys[index])
            version = SiteVersion(
                policy=policy,
                key=keys[index],
                version=read.item.version,
                language=version_language(read),
                chain=chain_id,
                date=read.item.version[:10],
                updated=_text(meta, "updated"),
                effective=_text(meta, "effective"),
                status=status,
                notice=_text(meta, "notice"),
                title=_text(meta, "title") or config.title,
                note=_text(meta, "note"),
                example=meta.get("example") is True,
                tree=read.tree,
                anchors=anchors.by_version[index],
                previous=keys[index - 1] if index > 0 else None,
                next=keys[index + 1] if index + 1 < len(keys) else None,
                revision=revisions[index],
                fingerprint=_version_fingerprint(read.raw, anchors.by_version[index]),
                facts=analyser.facts(read, pack),
            )
            done_revision = analysed[index]
            texts = analyser.notices(done_revision, version) if done_revision else {}
            versions.append(replace(version, notices=texts) if texts else version)
    versions.sort(key=lambda v: (version_order(v.version), v.chain))
    chains = {v.chain for v in versions}
    # the main language: files without one in their name, else policy.yaml's first language
    main_chain = next((c for c in ("", config.languages[0]) if c in chains), min(chains))
    main = [v for v in versions if v.chain == main_chain]
    published = [v for v in main if v.published]
    current = (published or main)[-1].key
    title = config.title
    if not (store.root / policy / "policy.yaml").is_file():
        title = main[-1].title
    site_policy = SitePolicy(
        id=policy, title=title, versions=tuple(versions), current=current, relations=relations
    )
    notes = []
    if missing:
        notes.append(
            f"{len(missing)} published version(s) without frozen anchors ({', '.join(missing)})"
        )
    if changed:
        notes.append(
            f"the text of {', '.join(changed)} differs from the text its anchors were recorded "
            f"for in {ANCHORS_FILE}: a published version was edited (see `policy check`)"
        )
    return site_policy, notes


def _version_fingerprint(raw: bytes, anchors: Mapping[str, str]) -> str:
    digest = hashlib.sha256(raw)
    for clause_id, anchor in sorted(anchors.items()):
        digest.update(f"\n{clause_id}\t{anchor}".encode())
    return digest.hexdigest()
