"""``PUBLISHED``: the ledger of a policy's published versions.

One line per published version, ``VERSION SHA256 CHAIN``: the version (``2023-05-26`` or
``2023-05-26.zh``), the SHA-256 of its normalised text, and a chain hash over the line before,
so that rewriting history shows. ``policy publish`` appends to it; the ``integrity`` rule of
``policy check`` reads it line by line with :func:`parse_ledger_line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import PolicyError
from analyzer.text.normalize import sha256_hex

__all__ = [
    "GENESIS",
    "LEDGER",
    "MALFORMED",
    "LedgerEntry",
    "chain_hash",
    "is_blank_line",
    "parse_ledger_line",
    "read_ledger",
]

LEDGER = "PUBLISHED"
GENESIS = "0" * 64


@dataclass(frozen=True)
class LedgerEntry:
    """One line of ``PUBLISHED``: a version, its text hash, and a hash chaining the line before."""

    version: str
    sha256: str
    chain: str

    def line(self) -> str:
        return f"{self.version} {self.sha256} {self.chain}"


def chain_hash(previous: str, version: str, sha256: str) -> str:
    """The chain value of a ledger line: SHA-256 of the previous chain, the version and its hash."""
    return sha256_hex(f"{previous} {version} {sha256}")


def read_ledger(folder: Path) -> list[LedgerEntry]:
    """Parse ``PUBLISHED`` (missing file: empty). Malformed lines are an error naming the line."""
    path = folder / LEDGER
    if not path.exists():
        return []
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if is_blank_line(raw):
            continue
        entry = parse_ledger_line(raw)
        if entry is None:
            raise PolicyError(MALFORMED, path=str(path), line=number)
        entries.append(entry)
    return entries


MALFORMED = "malformed ledger line (want: VERSION SHA256 CHAIN)"


def is_blank_line(raw: str) -> bool:
    """A ledger line that records nothing: empty, or a ``#`` comment."""
    return not raw.strip() or raw.startswith("#")


def parse_ledger_line(raw: str) -> LedgerEntry | None:
    """One line of ``PUBLISHED`` (``VERSION SHA256 CHAIN``), or None when it is malformed."""
    parts = raw.split()
    if len(parts) != 3 or not all(_HEX64.fullmatch(p) for p in parts[1:]):
        return None
    return LedgerEntry(*parts)


_HEX64 = re.compile(r"[0-9a-f]{64}")
