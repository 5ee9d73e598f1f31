"""The ``policy`` command line. Each command reads its inputs, calls the library, writes output.

Heavy modules (the parser's markdown-it, the embedder's torch) are imported inside commands so
that ``policy --help`` stays instant. Bad input is a :class:`PolicyError`: one line on stderr,
exit code 2, nothing written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer 0.2x vendors click; older releases use click itself
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import UsageError  # type: ignore[assignment]

from . import __version__
from .errors import PolicyError

EXIT_BAD_INPUT = 2


class _Group(TyperGroup):
    """Turns bad input and usage mistakes into one line on stderr and exit code 2."""

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

VersionsOption = Annotated[
    Path,
    typer.Option("--versions", help="Folder of versions laid out as <policy>/<date>.md."),
]


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
    json = "json"


@app.command()
def show(
    version: Annotated[str, typer.Argument(help="A file path, POLICY@VERSION or git:REV:PATH.")],
    fmt: Annotated[TreeFormat, typer.Option("--format", help="Output format.")] = TreeFormat.tree,
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Parse one version and print its clause tree."""
    from .parser import parse
    from .store import Store, resolve

    tree = parse(resolve(version, Store(versions)))
    if fmt is TreeFormat.json:
        _emit(json.dumps(tree.to_dict(), ensure_ascii=False, indent=2) + "\n")
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
    _emit("\n".join(lines) + "\n")


@app.command()
def log(
    policy: Annotated[str, typer.Argument(help="Policy id (a folder of the versions store).")],
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """List the versions of a policy with their dates, status and declared notice."""
    from .store import Store

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
    _emit("\n".join(out) + "\n")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A .txt, .md or .html version to bring in.")],
    policy: Annotated[str, typer.Option("--policy", help="Policy id (folder name).")],
    version: Annotated[str, typer.Option("--version", help="Version date, YYYY-MM-DD.")],
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
        str, typer.Option("--notice", help="Declared notice: none, publish, popup or consent.")
    ] = "publish",
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Bring a version into policy_versions/ as a draft; never overwrites an existing version."""
    from .store import Store

    target = Store(versions).import_version(
        file,
        policy=policy,
        version=version,
        effective=effective,
        updated=updated,
        title=title,
        language=language,
        notice=notice,
    )
    typer.echo(f"wrote {target}")


@app.command()
def publish(
    policy: Annotated[str, typer.Argument(help="Policy id.")],
    version: Annotated[str, typer.Argument(help="Version date (YYYY-MM-DD[.lang]).")],
    versions: VersionsOption = Path("policy_versions"),
) -> None:
    """Mark a draft version published and record its hash in the policy's PUBLISHED ledger."""
    from .store import LEDGER, Store

    path, entry = Store(versions).publish(policy, version)
    typer.echo(f"published {path} (sha256 {entry.sha256[:12]}…, recorded in {LEDGER})")


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
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Align lexically only; never load a model.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recompute every parse and analysis.")
    ] = False,
) -> None:
    """Build the static archive site: every version, each revision, clause histories, feeds."""
    from .archive import BuildCache, build_site, default_cache_root

    embedder, unavailable = _site_embedder(model, no_model)
    cache = BuildCache(None if no_cache else default_cache_root())
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = build_site(
            versions,
            output,
            cache=cache,
            embedder=embedder,
            unavailable=unavailable,
            base_url=base_url,
            progress=bar.update if bar else None,
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
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Align lexically only; never load a model.")
    ] = False,
) -> None:
    """Record the clause anchors of published versions in <policy>/anchors.json, for good."""
    from .archive import BuildCache, default_cache_root, freeze_anchors

    embedder, unavailable = _site_embedder(None, no_model)
    added = freeze_anchors(
        versions,
        policies or None,
        cache=BuildCache(default_cache_root()),
        embedder=embedder,
        unavailable=unavailable,
    )
    if not added:
        typer.echo("every published version already has its anchors recorded")
    for policy, key in added:
        typer.echo(f"recorded anchors of {policy}@{key}")


def _site_embedder(model: str | None, no_model: bool) -> tuple[Any, str | None]:
    """The embedder for alignment, or None and why not."""
    if model is not None and no_model:
        raise PolicyError("--model and --no-model cannot be used together")
    if no_model:
        return None, "--no-model"
    from .embedder import EmbedderUnavailable, load_embedder

    try:
        return load_embedder(model), None
    except EmbedderUnavailable as exc:
        return None, exc.reason


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


def _emit(text: str, output: Path | None = None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    from .fsutil import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise PolicyError(exc.strerror or "cannot write", path=str(output)) from None


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=list(argv) if argv is not None else None, prog_name="policy")
