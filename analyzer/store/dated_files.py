"""Histories kept as dated files, as versions to import: a folder of ``YYYY-MM-DD*.md|txt|html``
(``policy import --folder DIR --policy ID``) and an Open Terms Archive dataset
(``policy import --ota DIR``).

An Open Terms Archive dataset (the zip its collections publish, unpacked) holds one folder per
service, in it one folder per terms type, in it one Markdown file per recorded version named by
the UTC time it was recorded (``2021-08-01T01-03-12Z.md``), and at the top a ``README.md`` that
names the collection and its versions repository and a ``LICENSE``. Each service and terms type
becomes one policy (``ServiceB`` + ``Privacy Policy`` -> ``serviceb-privacy-policy``); the
README's title and link and the LICENSE's first line go into the new ``policy.yaml``. Several
records on one day become ``YYYY-MM-DD``, ``-2``, ``-3`` … in the order of their times.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.errors import PolicyError
from analyzer.store.files import read_bytes
from analyzer.store.importing import Incoming, Target
from analyzer.store.versions import POLICY_ID
from analyzer.text.version_ids import parse_version_id

__all__ = ["OtaDocument", "folder_incoming", "ota_documents"]

DATED_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)\.(md|markdown|txt|html?)$")
"""A file of a folder history: a date, anything (``-2``, ``.zh``, ``-evening``), an extension."""
OTA_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2})[-:](\d{2})[-:](\d{2})(?:[.,]\d+)?Z?)?\.md$")
"""A version of an Open Terms Archive dataset: its UTC record time, ``:`` written ``-``."""


# -- a folder of dated files -----------------------------------------------------------------------


def folder_incoming(folder: Path) -> list[Incoming]:
    """The dated files at the top of ``folder`` (others are ignored), oldest first: by date,
    then by the ``-N`` of a name that is a version id, then by name."""
    if not folder.is_dir():
        raise PolicyError("no such folder", path=str(folder))
    found: list[tuple[tuple[str, int, str], Incoming]] = []
    for path in folder.iterdir():
        match = DATED_FILE.match(path.name)
        if match is None or not path.is_file():
            continue
        day = _day(match.group(1))
        if day is None:
            continue
        stem = path.name[: path.name.index(".")]
        preferred = parse_version_id(stem)
        order = preferred.n if preferred is not None else 1
        item = Incoming(
            source=f"file:{path.name}",
            day=day,
            name=path.name,
            label=str(path),
            read=functools.partial(read_bytes, path),
            preferred=preferred,
        )
        found.append(((day.isoformat(), order, path.name), item))
    if not found:
        raise PolicyError("no dated files (YYYY-MM-DD*.md, .txt or .html) in it", path=str(folder))
    return [item for _key, item in sorted(found, key=lambda pair: pair[0])]


# -- an Open Terms Archive dataset ------------------------------------------------------------------


@dataclass(frozen=True)
class OtaDocument:
    """One service's terms of one type in a dataset: a policy to import."""

    service: str
    terms_type: str
    target: Target
    incoming: list[Incoming] = field(default_factory=list)


def ota_documents(root: Path, *, policy: str | None = None) -> list[OtaDocument]:
    """Every service and terms type of the dataset at ``root`` (also a service's folder, or one
    terms type's), each with its versions oldest first. ``policy`` names the policy when the
    dataset holds one document only."""
    if not root.is_dir():
        raise PolicyError("no such folder", path=str(root))
    top, folders = _dataset_folders(root)
    if not folders:
        raise PolicyError(
            "not an Open Terms Archive dataset: no <service>/<terms type>/<date>.md in it",
            path=str(root),
        )
    if policy is not None and len(folders) > 1:
        raise PolicyError(
            f"--policy names one policy, but the dataset holds {len(folders)} documents; "
            "leave it out to import each as its own policy",
            path=str(root),
        )
    metadata = _dataset_metadata(top)
    documents = []
    seen: dict[str, str] = {}
    for folder in folders:
        service, terms_type = folder.parent.name, folder.name
        policy_id = policy or _slug(f"{service} {terms_type}")
        if not POLICY_ID.match(policy_id):
            raise PolicyError(f"cannot make a policy id of {service!r} and {terms_type!r}")
        if policy_id in seen:
            raise PolicyError(
                f"{service}/{terms_type} and {seen[policy_id]} would both be policy {policy_id!r}"
            )
        seen[policy_id] = f"{service}/{terms_type}"
        title = f"{service} {terms_type}"
        target = Target(policy_id, title=title, config=metadata)
        documents.append(OtaDocument(service, terms_type, target, _ota_versions(folder)))
    return documents


def _dataset_folders(root: Path) -> tuple[Path, list[Path]]:
    """The dataset's top folder and its terms-type folders (those holding dated ``.md``
    files), whether ``root`` is the dataset, a service's folder or a terms type's."""
    if _has_versions(root):
        return root.parent.parent, [root]
    services = [root] if any(_has_versions(c) for c in _subfolders(root)) else _subfolders(root)
    found = [t for s in services for t in _subfolders(s) if _has_versions(t)]
    top = root.parent if services == [root] else root
    return top, sorted(found, key=lambda p: (p.parent.name, p.name))


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _has_versions(folder: Path) -> bool:
    return any(OTA_FILE.match(p.name) for p in folder.iterdir())


def _ota_versions(folder: Path) -> list[Incoming]:
    found = []
    for path in folder.iterdir():
        match = OTA_FILE.match(path.name)
        day = _day(match.group(1)) if match else None
        if match is None or day is None or not path.is_file():
            continue
        moment = ":".join(g or "00" for g in match.groups()[1:])
        service, terms_type = folder.parent.name, folder.name
        item = Incoming(
            source=f"ota:{service}/{terms_type}/{path.name}",
            day=day,
            name=path.name,
            label=f"{service}/{terms_type}/{path.name}",
            read=functools.partial(read_bytes, path),
        )
        found.append(((day, moment, path.name), item))
    return [item for _key, item in sorted(found, key=lambda pair: pair[0])]


_LINK = re.compile(r"\((https?://[^)\s]+)\)")


def _dataset_metadata(top: Path) -> dict[str, Any]:
    """What the dataset says about itself: the README's title and the versions repository it
    links, the LICENSE's first line (keys ``source``, ``source_url``, ``license``)."""
    out: dict[str, Any] = {}
    readme = _text(top / "README.md")
    if readme:
        title = next((line.lstrip("#").strip() for line in readme.splitlines() if line.strip()), "")
        if title:
            out["source"] = title[:300]
        link = next(
            (
                m.group(1)
                for m in _LINK.finditer(readme)
                if "opentermsarchive.org" not in m.group(1)
            ),
            None,
        )
        if link:
            out["source_url"] = link
    licence = _text(top / "LICENSE")
    if licence:
        first = next((line.strip() for line in licence.splitlines() if line.strip()), "")
        if first:
            out["license"] = first[:300]
    return out


def _text(path: Path) -> str | None:
    """A small metadata file's text, or None when it is missing or unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > 1024 * 1024:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _day(text: str) -> dt.date | None:
    parsed = parse_version_id(text)
    return parsed.day if parsed is not None else None


def _slug(words: str) -> str:
    """A policy id made of a service's and a terms type's names."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")[:100]
