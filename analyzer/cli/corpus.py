"""``policy corpus``: an archive of many policies analysed into Parquet tables (``analyze``)
and what was announced (``report``). Importing this module registers the command group on
:data:`analyzer.cli.app`; the helpers it shares with the other commands are looked up when a
command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli import EngineChoice, _emit, _Group, _ProgressBar, app
from analyzer.options import (
    CriteriaOption,
    ModelOption,
    NoModelOption,
    SchedulerOption,
    WorkersOption,
)

__all__ = ["corpus_app"]

corpus_app = typer.Typer(
    cls=_Group,
    help="Archives of many policies: every revision into Parquet tables, on local processes "
    "or Dask; what was announced.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command(
    "analyze",
    epilog="Writes RESULTS/revisions.parquet and RESULTS/findings.parquet. Rows already there for "
    "the same files, analyzer, pack and model are reused: an interrupted run resumes. A failed "
    "revision is a row with its error (exit 0); bad input is one line and exit 2.",
)
def corpus_analyze(
    versions: Annotated[
        Path, typer.Option("--versions", help="Archive: policy_versions/ or the corpus layout.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Results folder (made if missing).")],
    engine: Annotated[
        EngineChoice,
        typer.Option("--engine", help="local: processes of this machine; dask: a Dask cluster."),
    ] = EngineChoice.local,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    criteria: CriteriaOption = None,
    model: ModelOption = None,
    no_model: NoModelOption = False,
    batch: Annotated[
        int | None, typer.Option("--batch", min=1, help="Revisions per task (default: up to 32).")
    ] = None,
    stats: Annotated[
        Path | None, typer.Option("--stats", help="Also write the run's figures as JSON here.")
    ] = None,
) -> None:
    """Analyse every revision of every policy of an archive into Parquet tables."""
    from analyzer.corpus.run import analyze_corpus

    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = analyze_corpus(
            versions,
            out,
            engine=engine.value,
            workers=workers,
            scheduler=scheduler,
            model=model,
            no_model=no_model,
            criteria=criteria,
            batch=batch,
            stats=stats,
            progress=(lambda done, total: bar.update("analyse", done, total)) if bar else None,
        )
    finally:
        if bar:
            bar.close()
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(result.summary())


@corpus_app.command("report")
def corpus_report(
    results: Annotated[Path, typer.Argument(help="A results folder of policy corpus analyze.")],
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Where to write the HTML page (default: RESULTS/report.html)."),
    ] = None,
) -> None:
    """Per policy: revisions, major ones, declared and announced ones; a table and a page."""
    from analyzer.corpus.report import load_report, render_html, render_text

    report = load_report(results)
    target = html if html is not None else results / "report.html"
    _emit(render_html(report), target)
    _emit(render_text(report))
    typer.echo(f"wrote {target}")
