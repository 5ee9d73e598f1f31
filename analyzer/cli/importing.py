"""``policy import``: one version from a file, or a whole history (``--git``, ``--folder``,
``--ota``) with progress and a summary. ``analyzer.cli`` imports this module where the command
stands in the help, which registers the command on :data:`analyzer.cli.app` (the helpers
defined further down ``analyzer.cli`` are imported when the command runs).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from analyzer.cli import app
from analyzer.errors import PolicyError
from analyzer.options import RevisionsOption, VersionsOption, revisions_view

if TYPE_CHECKING:
    from analyzer.store.importing import Incoming, Target
    from analyzer.store.versions import Store

__all__ = ["import_"]


@app.command(
    "import",
    help="""Bring versions into policy_versions/; never overwrites an existing version.

\b
One file:      policy import FILE --policy ID --version YYYY-MM-DD[-N]
A git history: policy import --git REPO --path FILE --policy ID
               [--rev RANGE] [--since DATE] [--first-parent] [--published]
A folder:      policy import --folder DIR --policy ID  (files YYYY-MM-DD*.md|txt|html)
Open Terms Archive: policy import --ota DIR  (a policy per service and terms type)

A history's versions take their ids from their dates (a commit's date in the
commit's own time zone), YYYY-MM-DD-2, -3 … for later versions of a day, and
record where they came from in source:. Run again, it imports only what is
new. Versions are drafts unless --published.""",
    short_help="Bring a version, or a whole history (git, folder, Open Terms Archive), in.",
)
def import_(
    file: Annotated[
        Path | None, typer.Argument(help="A .txt, .md, .html or Word .docx version.")
    ] = None,
    policy: Annotated[str | None, typer.Option("--policy", help="Policy id (folder name).")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Version id, YYYY-MM-DD[-N] (one FILE).")
    ] = None,
    effective: Annotated[
        str | None, typer.Option("--effective", help="Effective date (default: --updated).")
    ] = None,
    updated: Annotated[
        str | None, typer.Option("--updated", help="Last-updated date (default: --version).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title (default: first line).")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Language code (default: detected).")
    ] = None,
    notice: Annotated[
        str | None,
        typer.Option("--notice", help="Declared notice: none, publish (default), popup, consent."),
    ] = None,
    git: Annotated[Path | None, typer.Option("--git", help="A git repository.")] = None,
    path: Annotated[str | None, typer.Option("--path", help="The file, in --git.")] = None,
    rev: Annotated[str | None, typer.Option("--rev", help="Range of --git (HEAD).")] = None,
    first_parent: Annotated[
        bool, typer.Option("--first-parent", help="Only --git's main line.")
    ] = False,
    folder: Annotated[Path | None, typer.Option("--folder", help="Dated files.")] = None,
    ota: Annotated[
        Path | None, typer.Option("--ota", help="An Open Terms Archive dataset.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date on.")] = None,
    published: Annotated[bool, typer.Option("--published", help="A history as published.")] = False,
    revisions: RevisionsOption = None,
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    from analyzer.store.histories import History
    from analyzer.store.versions import Store

    store = Store(versions)
    history = History(
        git, path, rev, first_parent, folder, ota, policy, since, published, title, notice
    )
    if file is not None and not history.given:
        if policy is None or version is None or since or published or path or rev or first_parent:
            raise PolicyError("FILE needs --policy and --version (and no history options)")
        written = store.import_version(
            file,
            policy=policy,
            version=version,
            effective=effective,
            updated=updated,
            title=title,
            language=language,
            notice=notice or "publish",
            revisions=revisions_view(revisions),
            warn=lambda warning: typer.echo(f"policy: warning: {file}: {warning}", err=True),
        )
        typer.echo(f"wrote {written}")
        return
    if file is not None or version or effective or updated or language:
        raise PolicyError(
            "a history (--git, --folder, --ota) takes no FILE, --version, --effective, "
            "--updated or --language: each version's come from the history itself"
        )
    for job, incoming in history.jobs():
        _import_one_history(store, job, incoming)


def _import_one_history(store: Store, target: Target, incoming: list[Incoming]) -> None:
    """Import one policy's history with progress on stderr (a bar on a terminal, a line per
    version when piped) and the summary on stdout; exit 130 when interrupted."""
    from analyzer.cli import _ProgressBar, _record_anchors
    from analyzer.store.importing import ImportInterrupted, import_history

    bar = _ProgressBar() if sys.stderr.isatty() else None

    def report(done: int, total: int, what: str | None) -> None:
        if bar is not None:
            bar.update("import", done, total)
        elif what is not None:  # a refused version is told once, by its warning
            typer.echo(f"{done}/{total} {what}", err=True)

    interrupted = None
    try:
        result = import_history(store, target, incoming, progress=report)
    except ImportInterrupted as stop:
        result, interrupted = stop.result, stop
    finally:
        if bar:
            bar.close()
    for warning in result.warnings:
        typer.echo(f"policy: warning: {warning}", err=True)
    typer.echo("\n".join(result.report()))
    if interrupted is not None:
        typer.echo(
            "policy: interrupted: each version written is whole; run the same command again "
            "to import the rest",
            err=True,
        )
        raise typer.Exit(130)
    if target.published and result.imported:
        _record_anchors(store.root, target.policy)
