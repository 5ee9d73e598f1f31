"""The command line's options: the ones several commands share, and their values converted
without pydantic.

typer 0.2x converts the value of every parameter through a pydantic ``TypeAdapter`` it builds on
first use, which imports pydantic: about a tenth of a one-shot ``policy diff``. The values of
this command line are plain (strings, paths, numbers, flags, choices), and
:class:`PlainValue` converts those as typer would, leaving anything else to typer.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import typer

from analyzer.errors import PolicyError

__all__ = [
    "CriteriaOption",
    "JobsOption",
    "ModelOption",
    "NewArgument",
    "NoModelOption",
    "OldArgument",
    "PlainValue",
    "Revisions",
    "RevisionsOption",
    "SchedulerOption",
    "VersionsOption",
    "WorkersOption",
    "check_base_url",
    "revisions_view",
]

VersionsOption = Annotated[
    Path,
    typer.Option("--versions", help="Folder of versions laid out as <policy>/<date>.md."),
]
NoModelOption = Annotated[
    bool, typer.Option("--no-model", help="Lexical similarity only; never load a model.")
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Worker processes for the revisions (default: the number of cores; 1: one after "
        "the other, in this process). The output is the same for any number.",
    ),
]
CriteriaOption = Annotated[
    str | None,
    typer.Option(
        "--criteria",
        help="Criteria pack id or YAML path (default: the policy's policy.yaml, else seed-9.4).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="A local sentence-transformers model folder to embed with."),
]
OldArgument = Annotated[
    str, typer.Argument(help="Old version: a file path, POLICY@VERSION or git:REV:PATH.")
]
NewArgument = Annotated[
    str, typer.Argument(help="New version: a file path, POLICY@VERSION or git:REV:PATH.")
]


class Revisions(StrEnum):
    """Which view of a Word document's pending tracked changes to read."""

    accept = "accept"
    reject = "reject"


def revisions_view(choice: Revisions | None) -> Literal["accept", "reject"] | None:
    """The library's name of the chosen view (None: refuse pending changes)."""
    if choice is None:
        return None
    return "accept" if choice is Revisions.accept else "reject"


RevisionsOption = Annotated[
    Revisions | None,
    typer.Option(
        "--revisions",
        help="Read a Word document's pending tracked changes all accepted or all rejected "
        "(without it, a document that has any is refused).",
    ),
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help="Worker processes (default: one per core).")
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="A running Dask scheduler (tcp://host:8786).")
]


class PlainValue:
    """Converts the value of a ``str``, ``Path``, ``int``, ``bool`` or ``StrEnum`` parameter as typer
    would, without building typer's pydantic ``TypeAdapter`` (typer 0.2x builds one for every
    parameter it converts, which imports pydantic: about a tenth of a one-shot ``policy diff``).

    Only values whose conversion is plain are converted here (a string for ``str``, a member's
    exact value for an enum, digits for ``int``, a readable or missing path for ``Path``);
    anything else, a bad value above all, goes to typer's own conversion, so its results and
    its error messages are the ones typer gives."""

    KINDS = (str, Path, int, bool)

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation

    @classmethod
    def attach(cls, param: Any) -> None:
        """Use plain conversion for ``param`` when typer would convert it through pydantic and
        its type is plain (a typer without that machinery is left alone)."""
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return
        annotation = descriptor.annotation
        info = descriptor.parameter_info
        plain_type = annotation in cls.KINDS or (
            isinstance(annotation, type) and issubclass(annotation, StrEnum)
        )
        plain_info = (
            getattr(info, "parser", None) is None
            and getattr(info, "case_sensitive", True)
            and not getattr(info, "resolve_path", False)
            and not getattr(info, "exists", False)
            and not getattr(info, "allow_dash", False)
            and getattr(info, "min", None) is None
            and getattr(info, "max", None) is None
        )
        single = param.nargs == 1 and not param.multiple
        if plain_type and plain_info and single and descriptor.file_annotation is None:
            param._runtime_param = cls(annotation)

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return None
        converted = self._plain(value, ctx)
        if converted is not None:
            return converted
        param._runtime_param = None  # typer's own conversion, with its own messages
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)

    def _plain(self, value: Any, ctx: Any) -> Any:
        kind = self.annotation
        if kind is str:
            return value if isinstance(value, str) else None
        if kind is bool:
            return value if isinstance(value, bool) else None
        if kind is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return (
                int(value)
                if isinstance(value, str) and value.isascii() and value.isdigit()
                else None
            )
        if kind is Path:
            if isinstance(value, str) and value:
                value = Path(value)
            if not isinstance(value, Path) or (value.exists() and not os.access(value, os.R_OK)):
                return None
            return value
        if isinstance(value, kind):
            return value
        if isinstance(value, str) and getattr(ctx, "token_normalize_func", None) is None:
            return kind._value2member_map_.get(value)
        return None


def check_base_url(url: str) -> None:
    """``--base-url`` goes into every feed and page link: an http(s) URL with a host, nothing
    else (a ``javascript:`` or ``data:`` URL would run in readers' feed readers and browsers)."""
    parts = urlsplit(url.strip())
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c in url for c in "\"'<>` \t\r\n\\")
    ):
        raise PolicyError(
            f"--base-url must be an http(s) URL such as https://example.org/, not {url!r}"
        )
