"""``policy site build``: the public archive, a static site built from a versions folder.

What the site shows is worked out in three steps:

1. **read** every version of every policy (``<versions>/<policy>/<date>[.<lang>].md``; a
   ``policy.yaml`` is optional, so a folder of imported history such as the corpus works too)
   and parse it;
2. **analyse** each revision (a version against the previous one of its policy and language):
   the clause alignment (for the anchors), and the pipeline's report through one seam,
   :func:`revision_report`;
3. **render** the pages (:mod:`analyzer.archive.pages`) with clause anchors that survive
   renumbering (:mod:`analyzer.archive.anchors`).

The build is deterministic (the same folder gives byte-identical files: no clock, no absolute
path), **atomic** (it writes into a temporary folder next to the output and swaps it in at the
end, so a failed or killed build leaves the previous site as it was), **locked** (a second
build of the same output waits for the first) and **incremental** (parsed versions and
analysed revisions are cached by content: see :class:`BuildCache`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer import __version__
from analyzer.archive.anchors import (
    ANCHORS_FILE,
    FrozenVersion,
    assign_anchors,
    dump_frozen,
    freeze,
    load_frozen,
)
from analyzer.archive.data import (
    RevisionData,
    alignment_from_dict,
    revision_from_dict,
    revision_from_report,
)
from analyzer.archive.pages import RESERVED, PageJob, Site, SitePolicy, SiteVersion, plan_site
from analyzer.errors import PolicyError
from analyzer.model import Alignment, Clause, ClauseTree, Report
from analyzer.parse.ingest import read_document
from analyzer.report_json import report_from_dict
from analyzer.store.files import read_bytes, write_atomic
from analyzer.store.versions import Store, VersionFile
from analyzer.templates import package_root, template_folder

if TYPE_CHECKING:
    from analyzer.diff.embedding import Embedder
    from analyzer.judge.criteria import CriteriaPack

__all__ = [
    "BuildCache",
    "BuildResult",
    "build_site",
    "freeze_anchors",
    "load_site",
    "notice_texts",
    "revision_report",
    "site_folder",
]

MARKER = ".policy-site"
"""File at the root of a built site: the build replaces only a folder that carries it."""
CACHE_SCHEMA = "site-cache/1"
PAUSE_ENV = "POLICY_SITE_TEST_PAUSE_AFTER"
"""Test hook: pause (sleep) after writing this many files, to test a build killed halfway."""

ProgressCallback = Callable[[str, int, int], None]
"""Called with ``(phase, done, total)``; phases are ``read``, ``analyse``, ``write``."""


def site_folder() -> Path:
    """Templates and assets: the repository's ``site/`` folder, else the copy in the wheel."""
    folder = template_folder("site", "templates/base.html")
    if folder is not None:
        return folder
    raise PolicyError("the archive site templates are missing (site/ or analyzer/_templates/site)")


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


def notice_texts(version: SiteVersion, report: Report | None) -> dict[str, str]:
    """The notices of the revision into ``version``, as the pages show them (``popup``: the
    pop-up's words, for a revision that needed one; ``changelog``: the change-log entry, an
    HTML fragment), in the version's language; nothing for the first version."""
    if report is None:
        return {}
    from analyzer.notices.render import site_notices

    return site_notices(report, language=version.language.split("-")[0].lower())


# -- the cache ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source and data files of the whole installed ``analyzer`` package: any
    change of the code, in any stage, invalidates what the cache holds."""
    root = package_root()
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """Parsed versions and analysed revisions on disk, keyed by content.

    A parsed version is keyed by the analyzer's code and the file's bytes; an analysed revision
    by the analyzer's code, the criteria pack's hash, the similarity model and both files'
    bytes. Entries are JSON files written atomically under ``root`` (``<cache>/site/`` of
    :func:`analyzer.embedder.cache_root` by default); an unreadable entry is recomputed.
    """

    root: Path | None
    """Where entries live; None caches nothing."""
    hits: int = 0
    misses: int = 0
    _fingerprint: str = ""

    def key(self, *parts: str) -> str:
        if not self._fingerprint:
            self._fingerprint = code_fingerprint()
        digest = hashlib.sha256(f"{CACHE_SCHEMA}\n{self._fingerprint}".encode())
        for part in parts:
            digest.update(b"\n" + part.encode("utf-8"))
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.root is None else self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            write_atomic(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def default_cache_root() -> Path:
    from analyzer.embedder import cache_root

    return cache_root() / "site"


# -- reading the versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    item: VersionFile
    raw: bytes
    tree: ClauseTree
    """Parsed, with the front matter as :attr:`ClauseTree.meta`."""


def _tree_from_dict(raw: Mapping[str, Any], source: str) -> ClauseTree:
    clauses = tuple(
        Clause(
            id=c["id"],
            label=c["label"],
            number=tuple(c["number"]),
            heading=c["heading"],
            text=c["text"],
            parent=c["parent"],
            depth=c["depth"],
            lines=(c["lines"][0], c["lines"][1]),
            hash=c["hash"],
            kind=c["kind"],
            place=c["address"],
        )
        for c in raw["clauses"]
    )
    return ClauseTree(
        source=source,
        meta=raw["front_matter"],
        clauses=clauses,
        warnings=tuple(raw["warnings"]),
        sha256=raw["sha256"],
        language=raw["language"],
    )


def _read_version(store: Store, item: VersionFile, cache: BuildCache) -> _Read:
    """Read and parse one version; a version read before (same bytes, same analyzer) comes
    from the cache without decoding, front matter or parsing."""
    raw = read_bytes(item.path, root=store.root)
    source = f"{item.policy}/{item.path.name}"
    key = cache.key("tree", item.path.suffix, hashlib.sha256(raw).hexdigest())
    cached = cache.get("tree", key)
    if cached is not None:
        with contextlib.suppress(KeyError, TypeError, IndexError, ValueError):
            return _Read(item, raw, _tree_from_dict(cached, source))
    from analyzer.parse.tree import parse

    tree = parse(read_document(raw, source, name=item.path.name))
    entry = tree.to_dict()
    entry["front_matter"] = {str(k): _plain(v) for k, v in tree.meta.items()}
    cache.put("tree", key, entry)
    return _Read(item, raw, tree)


def _plain(value: Any) -> Any:
    """Front-matter values as JSON (dates become ``YYYY-MM-DD`` strings)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


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


def notices_fingerprint() -> str:
    """SHA-256 over the notice templates and sentence patterns in use (``notices/``)."""
    from analyzer.notices.patterns import notice_folders

    digest = hashlib.sha256()
    for folder in notice_folders():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\n")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class _Analyser:
    cache: BuildCache
    embedder: Embedder | None
    unavailable: str | None
    packs: dict[str, CriteriaPack] = field(default_factory=dict)
    _notices_fingerprint: str = ""

    def pack(self, store: Store, policy: str) -> CriteriaPack:
        from analyzer.judge.criteria import load_pack

        ref = store.config(policy).criteria
        if "/" in ref or ref.endswith((".yaml", ".yml")):
            candidate = store.root / policy / ref
            ref = str(candidate) if candidate.is_file() else ref
        if ref not in self.packs:
            self.packs[ref] = load_pack(ref)
        return self.packs[ref]

    def model(self) -> str:
        if self.embedder is not None:
            return self.embedder.model_id
        return f"lexical; {self.unavailable or 'no model'}"

    def analyse(self, old: _Read, new: _Read, pack: CriteriaPack) -> _Revision:
        key = self.cache.key(
            "revision",
            f"{pack.id}@{pack.sha256}",
            self.model(),
            hashlib.sha256(old.raw).hexdigest(),
            hashlib.sha256(new.raw).hexdigest(),
        )
        cached = self.cache.get("revision", key)
        if cached is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                return _Revision(
                    key=key,
                    alignment=alignment_from_dict(cached["alignment"]),
                    data=revision_from_dict(cached["revision"]),
                    report_json=cached["report"],
                )
        from analyzer.diff.align import align_clauses

        alignment = align_clauses(
            old.tree, new.tree, embedder=self.embedder, unavailable=self.unavailable
        )
        report = revision_report(
            old.tree,
            new.tree,
            pack,
            embedder=self.embedder,
            unavailable=self.unavailable,
            alignment=alignment,
        )
        revision = revision_from_report(report)
        self.cache.put(
            "revision",
            key,
            {
                "alignment": alignment.to_dict(),
                "revision": revision.to_dict(),
                "report": report.to_dict(),  # the notices are made from it at every build
            },
        )
        return _Revision(key=key, alignment=alignment, data=revision, report=report)

    def notices(self, revision: _Revision, version: SiteVersion) -> dict[str, str]:
        """The revision's notices for the pages (:func:`notice_texts`), cached by the
        revision, the version's language and the notice templates' content: an unchanged
        build reads them back; an edited template or sentence pattern makes them again from
        the report the cache keeps, without analysing anything."""
        if not self._notices_fingerprint:
            self._notices_fingerprint = notices_fingerprint()
        key = self.cache.key("notices", revision.key, self._notices_fingerprint, version.language)
        cached = self.cache.get("notices", key)
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
) -> LoadedSite:
    """Read, parse and analyse every policy of ``versions`` (or the ``only`` ones) into the
    site model."""
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


def _frozen(store: Store, policy: str) -> dict[str, FrozenVersion]:
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
    pack = (
        analyser.pack(store, policy) if any(len(c) > 1 for c in _chains(reads).values()) else None
    )
    frozen = _frozen(store, policy)
    versions: list[SiteVersion] = []
    relations: dict[str, Any] = {}
    missing: list[str] = []
    changed: list[str] = []
    for chain_id, chain in _chains(reads).items():
        alignments: list[Alignment] = []
        revisions: list[RevisionData | None] = [None]
        analysed: list[_Revision | None] = [None]
        for old, new in itertools.pairwise(chain):
            assert pack is not None
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
                language=read.item.language or _text(meta, "language") or read.tree.language,
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
            )
            done_revision = analysed[index]
            texts = analyser.notices(done_revision, version) if done_revision else {}
            versions.append(replace(version, notices=texts) if texts else version)
    versions.sort(key=lambda v: (_order(v.version), v.chain))
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


def _order(version: str) -> tuple[str, int]:
    from analyzer.store.versions import version_sort_key

    return version_sort_key(version)


# -- anchors of published versions --------------------------------------------------------------------


def freeze_anchors(
    versions: Path,
    policies: Sequence[str] | None = None,
    *,
    cache: BuildCache | None = None,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
) -> list[tuple[str, str]]:
    """Record the anchors of published versions in each policy's ``anchors.json``.

    Only versions not yet recorded are added; a recorded version is never changed. Returns the
    ``(policy, version key)`` pairs added.
    """
    store = Store(versions)
    loaded = load_site(
        versions, cache=cache, embedder=embedder, unavailable=unavailable, only=policies
    )
    added: list[tuple[str, str]] = []
    for site_policy in loaded.site.policies:
        policy = site_policy.id
        frozen = _frozen(store, policy)
        new = [v for v in site_policy.versions if v.status == "published" and v.key not in frozen]
        if not new:
            continue
        for version in new:
            frozen[version.key] = freeze(version.key, version.tree, version.anchors)
            added.append((policy, version.key))
        write_atomic(store.root / policy / ANCHORS_FILE, dump_frozen(frozen.values()))
    return added


# -- building ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    """What ``policy site build`` made."""

    index: Path
    """The home page (``<output>/index.html``)."""
    policies: int
    versions: int
    revisions: int
    files: int
    rendered: int
    """Files made afresh; the others were reused from the previous build unchanged."""
    bytes: int
    cache_hits: int
    cache_misses: int
    seconds: float
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"{self.policies} polic{'y' if self.policies == 1 else 'ies'}, "
            f"{self.versions} versions, {self.revisions} revisions; {self.files} files "
            f"({self.rendered} rendered, {self.files - self.rendered} unchanged), "
            f"{self.bytes / 1_048_576:.1f} MiB in {self.seconds:.1f} s; analyses: "
            f"{self.cache_hits} cached, {self.cache_misses} computed"
        )


def build_site(
    versions: Path,
    output: Path,
    *,
    cache: BuildCache | None = None,
    embedder: Embedder | None = None,
    unavailable: str | None = None,
    base_url: str | None = None,
    progress: ProgressCallback | None = None,
    on_wait: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the archive of ``versions`` into ``output``, atomically (see the module docstring)."""
    started = time.monotonic()
    output = Path(os.path.abspath(output))
    _check_output(output, versions)
    folder = site_folder()
    cache = cache or BuildCache(None)
    output.parent.mkdir(parents=True, exist_ok=True)
    with _lock(output, on_wait):
        _clean_leftovers(output)
        loaded = load_site(
            versions,
            cache=cache,
            embedder=embedder,
            unavailable=unavailable,
            base_url=base_url,
            progress=progress,
        )
        site = loaded.site
        bytecode = None if cache.root is None else cache.root / "templates"
        try:
            jobs = plan_site(site, folder, code=code_fingerprint(), bytecode=bytecode)
        except OSError:  # a cache folder that cannot be made: compile the templates each time
            jobs = plan_site(site, folder, code=code_fingerprint())
        previous = _read_manifest(output)
        pause = int(os.environ.get(PAUSE_ENV, "0") or 0)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.build-", dir=output.parent))
        try:
            manifest: dict[str, list[str]] = {}
            size = rendered = 0
            for done, job in enumerate(jobs, start=1):
                target = staging / job.path
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = _reuse(job, previous, output, target)
                if digest is None:
                    data = job.render()
                    target.write_bytes(data)
                    digest = hashlib.sha256(data).hexdigest()
                    rendered += 1
                size += target.stat().st_size
                manifest[job.path] = [job.fingerprint or "", digest]
                if progress:
                    progress("write", done, len(jobs))
                if pause and done == pause:
                    sys.stderr.write(f"paused after {done} files\n")
                    sys.stderr.flush()
                    time.sleep(3600)
            (staging / MARKER).write_text(_manifest_text(manifest), encoding="utf-8")
            os.chmod(staging, 0o755)
            _swap(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(
        index=output / "index.html",
        policies=len(site.policies),
        versions=sum(len(p.versions) for p in site.policies),
        revisions=sum(1 for p in site.policies for v in p.versions if v.revision is not None),
        files=len(jobs),
        rendered=rendered,
        bytes=size,
        cache_hits=cache.hits,
        cache_misses=cache.misses,
        seconds=time.monotonic() - started,
        notes=loaded.notes,
    )


MANIFEST_SCHEMA = "policy-site-manifest/1"


def _manifest_text(files: Mapping[str, list[str]]) -> str:
    """The marker file: says who built the folder, and for each file its fingerprint and
    SHA-256, so that the next build can reuse the files whose inputs did not change."""
    body = json.dumps({"schema": MANIFEST_SCHEMA, "files": files}, sort_keys=True, indent=0)
    return body + "\n"


def _read_manifest(output: Path) -> dict[str, list[str]]:
    try:
        raw = json.loads((output / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("schema") != MANIFEST_SCHEMA:
        return {}
    files = raw.get("files")
    return files if isinstance(files, dict) else {}


def _reuse(
    job: PageJob, previous: Mapping[str, list[str]], output: Path, target: Path
) -> str | None:
    """Link the previous build's file into the new build when its fingerprint matches and its
    bytes are still what that build wrote; its SHA-256, or None when it must be made."""
    entry = previous.get(job.path)
    if job.fingerprint is None or not entry or entry[0] != job.fingerprint:
        return None
    source = output / job.path
    try:
        if hashlib.sha256(source.read_bytes()).hexdigest() != entry[1]:
            return None
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    except OSError:
        return None
    return entry[1]


def _check_output(output: Path, versions: Path) -> None:
    """Refuse an output the swap would destroy: a file, a folder not built by us, the versions
    folder or one of its parents."""
    if output.exists() and not output.is_dir():
        raise PolicyError("output exists and is not a folder", path=str(output))
    real_versions = versions.resolve()
    real_output = output.resolve()
    if real_output == real_versions or real_output in real_versions.parents:
        raise PolicyError("output would replace the versions folder", path=str(output))
    if real_versions in real_output.parents:
        raise PolicyError("output must not be inside the versions folder", path=str(output))
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise PolicyError(
            f"output folder is not empty and was not built by `policy site build` (no {MARKER}); "
            "refusing to replace it",
            path=str(output),
        )


@contextlib.contextmanager
def _lock(output: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """An exclusive lock on ``.<output>.lock`` next to the output, for the whole build."""
    lock_path = output.parent / f".{output.name}.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock (Windows): builds are not serialised
        yield
        return
    with lock_path.open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _clean_leftovers(output: Path) -> None:
    """Remove what a killed build left next to the output (we hold the lock: nobody else is
    building). If a build died between the two renames of the fallback swap, the previous site
    is put back."""
    for leftover in sorted(output.parent.glob(f".{output.name}.build-*")):
        shutil.rmtree(leftover, ignore_errors=True)
    olds = sorted(output.parent.glob(f".{output.name}.old-*"))
    if olds and not output.exists():
        os.rename(olds[-1], output)
        olds = olds[:-1]
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = function(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, output: Path) -> None:
    """Put the finished build in place of the output."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)
