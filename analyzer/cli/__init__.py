"""The ``policy`` command line. Each command reads its inputs, calls the library, writes output.

Heavy modules (the parser's markdown-it, the embedder's torch) are imported inside commands so
that ``policy --help`` stays instant. Bad input is a :class:`PolicyError`: one line on stderr,
exit code 2, nothing written.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

# numpy's BLAS in one thread unless the user says otherwise: the similarity products of a
# revision are small, and an idle pool of BLAS threads spinning after each product cost a
# typical diff 100-150 ms of CPU and the heavy rewrite 0.4 s (the same report to the byte).
# Set before numpy is first imported; the model's own threads (torch) are not touched.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer
from typer.core import TyperGroup

try:  # typer 0.2x vendors click; older releases use click itself
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import UsageError  # type: ignore[assignment]

from analyzer import __version__
from analyzer.errors import PolicyError
from analyzer.options import (
    CriteriaOption,
    JobsOption,
    ModelOption,
    NewArgument,
    NoModelOption,
    OldArgument,
    PlainValue,
    RevisionsOption,
    SchedulerOption,
    VersionsOption,
    WorkersOption,
    check_base_url,
    revisions_view,
)

EXIT_BAD_INPUT = 2


class _Group(TyperGroup):
    """Turns bad input and usage mistakes into one line on stderr and exit code 2, and
    converts plain option values without pydantic (:class:`~analyzer.options.PlainValue`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        for param in self.get_params(ctx):  # with the help option
            PlainValue.attach(param)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            for param in command.get_params(ctx):
                PlainValue.attach(param)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PolicyError as exc:
            _fail(exc.one_line())
        except UsageError as exc:
            _fail(" ".join(exc.format_message().split()))
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None


def _fail(message: str) -> None:
    typer.echo(f"policy: error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


app = typer.Typer(
    cls=_Group,
    help="Version privacy policies and tell, for every revision, what changed and what notice "
    "it needs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"policy-analyzer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Version privacy policies and tell, for every revision, what changed and what it needs."""


class TreeFormat(StrEnum):
    tree = "tree"
    text = "text"
    json = "json"


class HistoryFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(
    epilog="With --facts: what the version says, topic by topic (the controlling entity, "
    "categories of personal information, purposes, recipients, places, retention, rights with "
    "their channels, deadlines and fees, contacts, departments, where to complain), each with "
    "the clauses that state it; --format json gives the policy-facts/1 document."
)
def show(
    version: Annotated[str, typer.Argument(help="A file path, POLICY@VERSION or git:REV:PATH.")],
    fmt: Annotated[
        TreeFormat,
        typer.Option("--format", help="Output format (tree and text are the same view)."),
    ] = TreeFormat.tree,
    facts: Annotated[
        bool, typer.Option("--facts", help="What the policy says instead of its clause tree.")
    ] = False,
    criteria: CriteriaOption = None,
    revisions: RevisionsOption = None,
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Parse one version and print its clause tree, or what it says (--facts)."""
    from analyzer.parse.tree import parse
    from analyzer.render import json_text
    from analyzer.store.versions import Store, resolve
    from analyzer.text.normalize import visible

    store = Store(versions)
    tree = parse(resolve(version, store, revisions=revisions_view(revisions)))
    if facts:
        from analyzer.judge.criteria import load_pack
        from analyzer.judge.reasons import policy_facts
        from analyzer.render.facts import render_facts_text

        summary = policy_facts(tree, load_pack(criteria or store.criteria_of(version)))
        if fmt is TreeFormat.json:
            _emit(json_text(summary.to_dict()))
        else:
            _emit(render_facts_text(summary))
        return
    if criteria is not None:
        raise PolicyError("--criteria is used with --facts only")
    if fmt is TreeFormat.json:
        _emit(json_text(tree.to_dict()))
        return
    lines = []
    for warning in tree.warnings:
        lines.append(f"warning: {warning}")
    for clause in tree.clauses:
        indent = "  " * clause.depth
        label = clause.label if clause.label is not None else ""
        number = ".".join(map(str, clause.number))
        shown = f"{number} [{label}]" if label and label != number else (number or label)
        head = f" {clause.heading}" if clause.heading else ""
        text = " ".join(clause.text.split())
        preview = (text[:72] + "…") if len(text) > 73 else text
        sep = " — " if head and preview else " "
        lines.append(
            f"{indent}{clause.id:<10} {shown}{head}{sep if preview else ''}{preview}".rstrip()
        )
    _emit(visible("\n".join(lines)) + "\n")


@app.command()
def log(
    policy: Annotated[str, typer.Argument(help="Policy id (a folder of the versions store).")],
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """List the versions of a policy with their dates, status and declared notice."""
    from analyzer.store.versions import Store
    from analyzer.text.normalize import visible

    store = Store(versions)
    config = store.config(policy)
    rows = [("version", "lang", "updated", "effective", "status", "notice")]
    for item in store.versions(policy):
        meta = store.load(item).meta
        rows.append(
            (
                item.version,
                item.language or str(meta.get("language", config.languages[0])),
                str(meta.get("updated", "")),
                str(meta.get("effective", "")),
                str(meta.get("status", "")),
                str(meta.get("notice", "")),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = [f"{config.title} ({policy})"]
    out += [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    _emit(visible("\n".join(out)) + "\n")


@app.command()
def history(
    policy: Annotated[str, typer.Argument(help="Policy id (a folder of the versions store).")],
    clause: Annotated[
        str,
        typer.Argument(help="The clause: a number (5.6.2), an id (s5.6.2), a label or an anchor."),
    ],
    lang: Annotated[
        str,
        typer.Option("--lang", help="Chain of a translated version (zh); default the main one."),
    ] = "",
    fmt: Annotated[HistoryFormat, typer.Option("--format", help="Output format.")] = (
        HistoryFormat.text
    ),
    versions: VersionsOption = Path("policy_versions"),
    no_model: NoModelOption = False,
) -> None:
    """One clause across every version: when it was added, changed, renumbered or moved."""
    from analyzer.archive.analysis import load_site
    from analyzer.archive.history import find_lineage, history_dict, history_text
    from analyzer.render import json_text
    from analyzer.render.text import redline_text
    from analyzer.text.normalize import visible

    loaded = load_site(versions, only=[policy], **_site_analysis(None, no_model))
    (site_policy,) = loaded.site.policies
    found = find_lineage(site_policy, clause, chain=lang)
    if fmt is HistoryFormat.json:
        _emit(json_text(history_dict(site_policy, found)))
        return
    _emit(visible(history_text(site_policy, found, redline=redline_text)))


# ``policy import`` has a module of its own; importing it registers the command here, in the
# order of the help.
from analyzer.cli import importing  # noqa: E402, F401


@app.command()
def publish(
    policy: Annotated[str, typer.Argument(help="Policy id.")],
    version: Annotated[str, typer.Argument(help="Version id (YYYY-MM-DD[-N][.lang]).")],
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Mark a draft version published and record its hash in the policy's PUBLISHED ledger."""
    from analyzer.store.ledger import LEDGER
    from analyzer.store.versions import Store

    path, entry = Store(versions).publish(policy, version)
    typer.echo(f"published {path} (sha256 {entry.sha256[:12]}…, recorded in {LEDGER})")
    _record_anchors(versions, policy)


def _record_anchors(versions: Path, policy: str) -> None:
    """Freeze the clause anchors of the policy's published versions (the archive site's links
    to their clauses); a failure here does not undo the publication, it says what to run."""
    from analyzer.archive.anchors import ANCHORS_FILE
    from analyzer.archive.build import freeze_anchors

    analysis = _site_analysis(None, False)
    try:
        added = freeze_anchors(versions, [policy], **analysis)
    except PolicyError as exc:
        typer.echo(
            f"policy: warning: clause anchors not recorded ({exc.one_line()}); "
            f"run `policy site freeze-anchors {policy}`",
            err=True,
        )
        return
    if added:
        typer.echo(f"recorded the clause anchors of {len(added)} version(s) in {ANCHORS_FILE}")


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


EXIT_MAJOR = 1


@app.command(
    epilog="Exit status: 0 when the revision needs no more than publishing (decision none or "
    "publish), 1 when it needs a pop-up notice or consent (decision popup or consent), like "
    "diff(1) exits 1 on differences; 2 on bad input, with one line on stderr."
)
def diff(
    old: OldArgument,
    new: NewArgument,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            help="Output format; docx is a Word redline with tracked changes (needs --output).",
        ),
    ] = DiffFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report to FILE (atomically) instead of stdout."
        ),
    ] = None,
    criteria: CriteriaOption = None,
    model: ModelOption = None,
    no_model: NoModelOption = False,
    revisions: RevisionsOption = None,
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Compare two versions clause by clause and tell what notice the revision needs."""
    from analyzer.render import render

    if fmt is DiffFormat.docx and output is None:
        raise PolicyError("--format docx writes a Word file: give --output FILE")
    analysed = _analyze_refs(
        old, new, criteria, model, no_model, versions, revisions_view(revisions)
    )
    report = analysed.report
    if fmt is DiffFormat.docx:
        from analyzer.notices.context import no_notice_reason
        from analyzer.notices.render import render_notice
        from analyzer.render.word import markdown_paras, redline_docx

        changelog = ""  # the first page shows the change-log entry the revision needs, if any
        if no_notice_reason(report, "changelog") is None:
            changelog = render_notice(_notice_context(analysed, old, new), "changelog", "text")
        trees = (analysed.old_tree, analysed.new_tree, analysed.alignment)
        _emit(redline_docx(report, *trees, changelog=markdown_paras(changelog)), output)
    else:
        color = (
            fmt is DiffFormat.text
            and output is None
            and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR")
        )
        _emit(render(report, fmt.value, color=color), output)  # type: ignore[arg-type]
    if report.decision.level in ("popup", "consent"):
        raise typer.Exit(EXIT_MAJOR)


class NoticeKindChoice(StrEnum):
    popup = "popup"
    changelog = "changelog"
    email = "email"


class NoticeFormatChoice(StrEnum):  # the json choice prints the templates' data
    text = "text"
    html = "html"
    json = "json"
    docx = "docx"


class NoticeLanguage(StrEnum):
    en = "en"
    zh = "zh"


@app.command(
    epilog="A pop-up is written only for a revision that needs one (decision popup or consent); "
    "otherwise one line says why none is needed and nothing is written (exit status 0). The "
    "templates are notices/<lang>/ (popup.html, popup.txt, changelog.md, changelog.html, "
    "email.txt, email.html, sentences.yaml); --templates DIR is searched first."
)
def notice(
    old: OldArgument,
    new: NewArgument,
    kind: Annotated[
        NoticeKindChoice, typer.Option("--kind", help="Which notice.")
    ] = NoticeKindChoice.popup,
    lang: Annotated[
        NoticeLanguage | None,
        typer.Option("--lang", help="Language of the notice (default: the new version's)."),
    ] = None,
    fmt: Annotated[
        NoticeFormatChoice | None,
        typer.Option(
            "--format",
            help="text or html (default: html for a pop-up, text for the others: Markdown for "
            "the change log); json prints the data the templates receive; docx writes the "
            "e-mail or the change-log entry as a Word document (needs --output).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the notice to FILE (atomically)."),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            help="Where the archive site (policy site build) is served, for the links "
            "(default: links relative to the site's root).",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="A folder of templates searched before notices/."),
    ] = None,
    criteria: CriteriaOption = None,
    model: ModelOption = None,
    no_model: NoModelOption = False,
    revisions: RevisionsOption = None,
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Write the notice a revision owes its users: a pop-up, a change-log entry or an e-mail."""
    from analyzer.notices.context import NoticeFormat, no_notice_reason
    from analyzer.notices.render import render_notice

    if fmt is NoticeFormatChoice.docx:
        if kind is NoticeKindChoice.popup:
            raise PolicyError(
                "--format docx is for the e-mail and the change-log entry (a pop-up is shown "
                "on a web page): use --kind email or --kind changelog"
            )
        if output is None:
            raise PolicyError("--format docx writes a Word file: give --output FILE")
    analysed = _analyze_refs(
        old, new, criteria, model, no_model, versions, revisions_view(revisions)
    )
    report = analysed.report
    reason = no_notice_reason(report, kind.value)
    if reason is not None:
        typer.echo(reason)
        return
    language = lang.value if lang else None
    context = _notice_context(analysed, old, new, language, site_url, templates)
    if fmt is NoticeFormatChoice.docx:
        from analyzer.render.word import notice_docx

        text = render_notice(context, kind.value, "text", templates=templates)
        _emit(notice_docx(kind.value, text, report.new.meta), output)
        return
    if fmt is NoticeFormatChoice.json:
        from analyzer.render import json_text

        _emit(json_text(context.to_dict()), output)
        return
    shape: NoticeFormat | None = None
    if fmt is not None:
        shape = "html" if fmt is NoticeFormatChoice.html else "text"
    text = render_notice(context, kind.value, shape, templates=templates)
    _emit(text, output)


@dataclasses.dataclass(frozen=True)
class _Analysed:
    """A revision as ``diff`` and ``notice`` read it from the command line: the report, the two
    trees and the alignment it was made from, and the store the references point into."""

    report: Any
    old_tree: Any
    new_tree: Any
    alignment: Any
    store: Any


def _analyze_refs(
    old: str,
    new: str,
    criteria: str | None,
    model: str | None,
    no_model: bool,
    versions: Path,
    revisions: Literal["accept", "reject"] | None = None,
) -> _Analysed:
    """Read two version references, pick the criteria pack and the embedder, and analyse the
    revision (the part ``diff`` and ``notice`` share)."""
    from analyzer.diff.align import align_clauses
    from analyzer.judge.criteria import load_pack
    from analyzer.parse.tree import parse
    from analyzer.pipeline import analyze
    from analyzer.store.versions import Store, resolve

    if model is not None and no_model:
        raise PolicyError("--model and --no-model cannot be used together")
    store = Store(versions)
    # a report names each side as the user did (never a machine path the store resolved)
    docs = [
        dataclasses.replace(resolve(r, store, revisions=revisions), source=r) for r in (old, new)
    ]
    pack = load_pack(criteria or store.criteria_of(new, old))
    embedder, unavailable = _embedder(model, no_model, progress=sys.stderr.isatty())
    old_tree, new_tree = (parse(doc) for doc in docs)
    found: dict[str, Any] = {"embedder": embedder, "unavailable": unavailable}
    alignment = align_clauses(old_tree, new_tree, **found)
    report = analyze(old_tree, new_tree, pack=pack, alignment=alignment, **found)
    return _Analysed(report, old_tree, new_tree, alignment, store)


def _notice_context(
    analysed: _Analysed,
    old: str,
    new: str,
    language: str | None = None,
    site_url: str | None = None,
    templates: Path | None = None,
) -> Any:
    """The data the notice templates receive for a revision read from the command line."""
    from analyzer.notices.context import revision_context

    store, report = analysed.store, analysed.report
    policy = store.policy_of(new) or store.policy_of(old) or report.new.meta.get("policy")
    return revision_context(
        report,
        language=language or ("zh" if analysed.new_tree.language == "zh" else "en"),
        policy=str(policy) if policy else None,
        old_ref=old,
        new_ref=new,
        site_url=site_url,
        templates=templates,
    )


def _embedder(
    model: str | None, no_model: bool, *, progress: bool = False
) -> tuple[Any, str | None]:
    """The embedder to align with, or None and why not (``progress``: a bar on stderr while
    clauses are embedded)."""
    if model is not None and no_model:
        raise PolicyError("--model and --no-model cannot be used together")
    if no_model:
        return None, "--no-model given"
    from analyzer.diff.embedding import EmbedderUnavailable
    from analyzer.embedder import load_embedder

    try:
        return load_embedder(model, progress=_progress if progress else None), None
    except EmbedderUnavailable as exc:
        if model is not None:  # asked for by name: not having it is an error, not a fallback
            raise PolicyError(f"--model {model}: {exc.reason}") from None
        return None, exc.reason


def _progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr while clauses are embedded."""
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\rembedding clauses [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


@app.command(
    help="""Check policy_versions/ the way CI does: rules with ids and severities over each
new or changed version and its predecessor.

\b
What is compared:
- In a git repository, the working tree (files on disk, staged or not,
  untracked included) with a base commit: --base REV when given; else the
  merge base of HEAD and the default branch (origin/HEAD's target, else
  main, master, origin/main, origin/master); when that is HEAD itself and
  the versions folder has no uncommitted changes, HEAD~1 (the last commit
  is checked); a HEAD without parent is compared with the empty tree.
  Checked: every version file added or edited since the base (all versions
  of a policy whose policy.yaml changed), the revision from its predecessor
  (the previous version of the same policy and language) and the one into
  its successor, the PUBLISHED ledger of every policy with a changed file,
  and every file that was published at the base.
- Without git, with --versions outside a repository, or with --all: every
  version of the folder as it stands against its predecessor, and every
  ledger.

The level a revision needs is the decision of the diff pipeline under the
policy's criteria pack (as in policy diff); a first version needs publish,
a text equal to its predecessor's none.

\b
Rules: front-matter, published-edited, undeclared-notice, notice-period,
date-order, future-date, suspicious-characters, hidden-text,
translation-mismatch, unlisted-language, config-changed, anchors-edited,
integrity (errors); overdeclared-notice, self-reviewed, silent-change,
empty-revision (warnings). README.md documents each one.

\b
With --base, each policy's criteria pack, notice period and languages are
read as the base has them: a change is never judged with settings it
brings (config-changed). Every reviewer's verdict is printed with its
revision.

\b
Exit codes: 0 nothing at or above --fail-on fired; 1 something did;
2 bad input (unreadable file, malformed policy.yaml, --base outside a git
repository, unknown revision), with one line on stderr.""",
    short_help="CI gate over policy_versions/: rules with ids, severities and exit codes.",
)
def check(
    base: Annotated[
        str | None,
        typer.Option("--base", help="Git revision to compare with (default: see above)."),
    ] = None,
    versions: VersionsOption = Path("policy_versions"),
    fmt: Annotated[
        CheckFormat, typer.Option("--format", help="text, json (policy-check/1) or github.")
    ] = CheckFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that fails the check (exit 1).")
    ] = FailOn.error,
    check_all: Annotated[
        bool,
        typer.Option("--all", help="Ignore git: check every version of the folder as it stands."),
    ] = False,
    jobs: JobsOption = None,
) -> None:
    from analyzer.check import output as check_output
    from analyzer.check.model import Severity
    from analyzer.check.records import criteria_refs
    from analyzer.check.run import run_check
    from analyzer.store.snapshot import choose_base, find_repo, from_folder, with_packs
    from analyzer.workers import check_jobs

    workers = check_jobs(jobs)
    if check_all and base is not None:
        raise PolicyError("--all and --base exclude each other")
    if check_all and workers > 1:
        from analyzer.workers import warm_up

        warm_up()  # the workers' imports overlap the reading of the versions
    repo = None if check_all else find_repo(versions)
    if repo is None and base is not None:
        raise PolicyError(f"--base needs a git repository, and {versions} is not inside one")
    current = from_folder(versions)
    if repo is None:
        result = run_check(current, versions=versions.as_posix(), jobs=workers)
    else:
        chosen = choose_base(repo, base, current)
        refs = criteria_refs(current) | criteria_refs(chosen.files)
        chosen = with_packs(repo, chosen, refs)
        result = run_check(current, versions=repo.folder, base=chosen, jobs=workers)
    severity: Severity = "warning" if fail_on is FailOn.warning else "error"
    renderers = {
        CheckFormat.text: check_output.render_text,
        CheckFormat.json: check_output.render_json,
        CheckFormat.github: check_output.render_github,
    }
    _emit(renderers[fmt](result, severity))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt is CheckFormat.github and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(check_output.render_step_summary(result, severity))
        except OSError as exc:
            raise PolicyError(exc.strerror or "cannot write", path=summary) from None
    if result.failed(severity):
        raise typer.Exit(1)


class EngineChoice(StrEnum):
    local = "local"
    dask = "dask"


site_app = typer.Typer(
    cls=_Group,
    help="The public archive site: every version, what changed, and the notices shown.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(site_app, name="site")


@site_app.command("build")
def site_build(
    versions: VersionsOption = Path("policy_versions"),
    output: Annotated[
        Path, typer.Option("--output", help="Folder to build the site into (replaced whole).")
    ] = Path("_site"),
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="URL the site is served from (absolute feed links)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", help="A local sentence-transformers model folder to embed with."),
    ] = None,
    no_model: NoModelOption = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recompute every parse and analysis.")
    ] = False,
    engine: Annotated[
        EngineChoice | None,
        typer.Option("--engine", help="Analyse on local processes or Dask (default: here)."),
    ] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    jobs: JobsOption = None,
) -> None:
    """Build the static archive site: every version, each revision, clause histories, feeds."""
    from analyzer.archive.build import build_site
    from analyzer.corpus.engine import site_precompute
    from analyzer.workers import check_jobs

    if base_url is not None:
        check_base_url(base_url)
    analysis = _site_analysis(model, no_model, cache=not no_cache)
    analysis["precompute"] = site_precompute(
        engine, workers=workers, scheduler=scheduler, model=model, no_model=no_model, jobs=jobs
    )
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = build_site(
            versions,
            output,
            **analysis,
            base_url=base_url,
            progress=bar.update if bar else None,
            render_jobs=check_jobs(None if engine else jobs),
            on_wait=lambda: typer.echo(
                f"waiting for another build of {output} to finish…", err=True
            ),
        )
    finally:
        if bar:
            bar.close()
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"built {result.index}")
    typer.echo(result.summary())


@site_app.command("freeze-anchors")
def site_freeze_anchors(
    policies: Annotated[
        list[str] | None, typer.Argument(help="Policy ids (default: every policy).")
    ] = None,
    versions: VersionsOption = Path("policy_versions"),
    no_model: NoModelOption = False,
) -> None:
    """Record the clause anchors of published versions in <policy>/anchors.json, for good."""
    from analyzer.archive.build import freeze_anchors

    added = freeze_anchors(versions, policies or None, **_site_analysis(None, no_model))
    if not added:
        typer.echo("every published version already has its anchors recorded")
    for policy, key in added:
        typer.echo(f"recorded anchors of {policy}@{key}")


def _site_analysis(model: str | None, no_model: bool, *, cache: bool = True) -> dict[str, Any]:
    """What the archive's analysis of a versions folder takes from the command line: the build
    cache (in the user's cache folder, or none) and the embedder (or why there is none)."""
    from analyzer.archive.cache import BuildCache, default_cache_root

    embedder, unavailable = _embedder(model, no_model)
    return {
        "cache": BuildCache(default_cache_root() if cache else None),
        "embedder": embedder,
        "unavailable": unavailable,
    }


class _ProgressBar:
    """One line on stderr, redrawn in place: phase, a bar, done/total."""

    WIDTH = 28

    def __init__(self) -> None:
        self.shown = ""

    def update(self, phase: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // total if total else self.WIDTH
        line = f"{phase:<8}[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        if line != self.shown:
            sys.stderr.write("\r" + line)
            sys.stderr.flush()
            self.shown = line

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * len(self.shown) + "\r")
            sys.stderr.flush()


def _emit(text: str | bytes, output: Path | None = None) -> None:
    """Write to ``output`` atomically, or to stdout (text only: a Word file needs ``output``)."""
    if output is None:
        assert isinstance(text, str)
        sys.stdout.write(text)
        return
    from analyzer.store.files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot write", path=str(output)) from None


GC_THRESHOLD = 10_000
"""Allocations between two young-generation collections while a ``policy`` command runs
(Python's default is 700). A command builds many objects that live until it ends (modules,
compiled patterns, clause trees), and every collection rescans the young ones: a one-clause
``policy diff`` spent about 5 % of its CPU time in collections that found almost nothing.
Garbage cycles wait a little longer to be freed; nothing else changes."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    # At the interpreter's exit (not on return: a caller's process goes on), freeze what is
    # left, which spares the exit its last collections over every object the command built
    # (about a tenth of a one-shot diff's CPU time). Other exit hooks, registered later, run
    # first; open files are flushed and closed as usual.
    atexit.register(gc.freeze)
    # patterns compiled once, not per process; kept after exit 0 or 1, never after bad input
    from analyzer.store.compiled import install_disk_store

    store = install_disk_store(save_at_exit=False)
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], GC_THRESHOLD), *previous[1:])
    try:
        app(args=list(argv) if argv is not None else None, prog_name="policy")
    except SystemExit as done:
        if store is not None and done.code in (None, 0, EXIT_MAJOR):
            store.save()
        raise
    finally:
        gc.set_threshold(*previous)


# ``policy corpus`` has a module of its own; importing it registers the group after ``site``.
from analyzer.cli import corpus  # noqa: E402, F401
