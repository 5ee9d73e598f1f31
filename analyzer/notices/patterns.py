"""The sentence patterns of one language: ``notices/<lang>/sentences.yaml``, validated.

:func:`load_patterns` reads the shipped file and the keys a templates folder overrides, and
checks that every leaf is a known key whose placeholders are the ones it takes
(:class:`Patterns`); :func:`format_address` writes a clause address the way the language does
(``5.6.1``, ``第5.6.1条``). The sentences themselves are chosen in
:mod:`analyzer.notices.sentences`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.errors import PolicyError
from analyzer.parse.frontmatter import load_yaml
from analyzer.templates import template_folder

PATTERNS_FILE = "sentences.yaml"
"""Name of the sentence patterns file in each language folder of ``notices/``."""

# --------------------------------------------------------------------------- patterns

_ANY = "*"
_PLACEHOLDERS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = tuple(
    (tuple(path.split("/")), frozenset(names))
    for path, names in (
        ("list/separator", ()),
        ("list/last", ()),
        ("list/shared_prefixes", ()),
        ("quote", ("text",)),
        ("address/numbered", ("number",)),
        ("address/paragraph", ("base", "n")),
        ("address/preamble", ()),
        ("address/named", ("name",)),
        ("address/paragraph_only", ("n",)),
        ("sentence/with_where", ("sentence", "where")),
        ("sentence/alone", ("sentence",)),
        ("generic/*", ("where", "old", "new", "reasons")),
        ("reasons/*", ()),
        ("values/*", ("before", "after")),
        ("added/*", ("value",)),
        ("removed/*", ("value",)),
        ("fee/*", ()),
        ("commitment/*", ()),
        ("use/frames/*", ("use",)),
        ("use/verbs/*/*", ("what", "whom", "places", "purpose")),
        ("use/purpose", ("purposes",)),
        ("use/default_what", ()),
        ("names/*/*", ()),
        ("topic/frames/*", ("topic",)),
        ("topic/unknown", ("id", "title")),
        ("topic/criteria/*", ()),
        ("wording", ("before", "after")),
        ("changelog/section/*", ("number", "title", "action")),
        ("changelog/actions/*", ("clause", "old", "new", "reasons")),
        ("changelog/clause_titled", ("clause", "title")),
        ("changelog/heading", ()),
        ("changelog/join", ()),
        ("dates/format", ("year", "month", "day", "month_name")),
        ("dates/months", ()),
        ("durations/*", ("n",)),
        ("default_title", ()),
    )
)
"""Every leaf of a patterns file, as a path with ``*`` for any key, and the placeholders its
text may use."""

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_OPENING_QUOTES = frozenset("“‘「『【[\"'《")
_CLOSING_QUOTES = frozenset("”’」』】]\"'》")
VERB_FORMS = ("with_whom", "with_places", "plain")


def _allowed(path: tuple[str, ...]) -> frozenset[str] | None:
    for pattern, names in _PLACEHOLDERS:
        if len(pattern) == len(path) and all(
            p in (_ANY, k) for p, k in zip(pattern, path, strict=True)
        ):
            return names
    return None


def _leaves(data: Any, path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, str(key)))
    else:
        yield path, data


def _check(data: Any, source: str) -> None:
    """Every leaf is a known key holding a string (or a list of strings) whose placeholders are
    the ones its key takes."""
    if not isinstance(data, dict):
        raise PolicyError("a sentence patterns file must be a mapping", path=source)
    for path, value in _leaves(data):
        where = "/".join(path)
        allowed = _allowed(path)
        if allowed is None:
            raise PolicyError(f"unknown key {where!r}", path=source)
        texts = value if isinstance(value, list) else [value]
        if not texts or not all(isinstance(t, str) for t in texts):
            raise PolicyError(f"{where}: expected text (or a list of texts)", path=source)
        for text in texts:
            for name in PLACEHOLDER.findall(text):
                if name not in allowed:
                    takes = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "no placeholders"
                    raise PolicyError(
                        f"{where}: unknown placeholder {{{name}}} (this pattern takes {takes})",
                        path=source,
                    )
    months = data.get("dates", {}).get("months")
    if months is not None and len(months) != 12:
        raise PolicyError("dates/months: expected the 12 month names", path=source)
    for unit, forms in data.get("durations", {}).items():
        if not isinstance(forms, list) or len(forms) != 2:
            raise PolicyError(f"durations/{unit}: expected [one, more than one]", path=source)


def _overlay(base: dict[str, Any], extra: Mapping[str, Any], source: str) -> dict[str, Any]:
    """``base`` with the keys of ``extra`` replaced; a key ``base`` does not have is an error
    (a typo would otherwise be ignored silently)."""
    out = dict(base)
    for key, value in extra.items():
        if key not in base:
            raise PolicyError(f"unknown key {key!r}", path=source)
        if isinstance(value, dict) and isinstance(base[key], dict):
            out[key] = _overlay(base[key], value, source)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read: {exc}", path=str(path)) from None
    try:
        return load_yaml(text, where=path.name)
    except ValueError as exc:  # a well-formed date that does not exist (2024-02-30)
        raise PolicyError(f"malformed YAML: {exc}", path=str(path)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"malformed YAML: {problem}", path=str(path)) from None


@dataclass(frozen=True)
class Patterns:
    """The sentence patterns of one language, validated."""

    language: str
    """``en`` or ``zh``."""
    data: Mapping[str, Any]
    """The merged YAML (shipped file, then the keys a templates folder overrides)."""
    sources: tuple[str, ...]
    """Files read, shipped first."""

    def text(self, *path: str) -> str:
        node: Any = self.data
        for key in path:
            node = node[key]
        assert isinstance(node, str), path
        return node

    def has(self, *path: str) -> bool:
        node: Any = self.data
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                return False
            node = node[key]
        return True

    def fill(self, *path: str, **values: str) -> str:
        """The pattern at ``path`` with its placeholders filled."""
        return fill(self.text(*path), values)

    def name(self, kind: str, value: str) -> str | None:
        """How the sentences call a fact's canonical value (``recipient``/``advertisers`` ->
        ``advertising partners``), or None when the file does not name it."""
        names = self.data.get("names", {}).get(kind, {})
        found = names.get(value)
        return found if isinstance(found, str) else None

    def join(self, items: Sequence[str]) -> str:
        """``a``, ``a and b``, ``a, b and c``; a prefix all items share is written once."""
        items = list(dict.fromkeys(items))
        if not items:
            return ""
        for prefix in self.data["list"].get("shared_prefixes", []):
            if len(items) > 1 and all(i.startswith(prefix) for i in items):
                items = [items[0]] + [i[len(prefix) :] for i in items[1:]]
                break
        if len(items) == 1:
            return items[0]
        sep, last = self.text("list", "separator"), self.text("list", "last")
        return sep.join(items[:-1]) + last + items[-1]

    def quote(self, words: str) -> str:
        """Words of the policy in quotation marks (unless they already stand in some, as a
        console path such as “Account Center”-“Settings” does)."""
        words = squash_spaces(words)
        if words[:1] in _OPENING_QUOTES and words[-1:] in _CLOSING_QUOTES:
            return words
        return self.fill("quote", text=words)

    def date(self, iso: str) -> str | None:
        """An ISO date (``2026-03-09``) as the language writes it, or None when it is not one."""
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        months = self.data["dates"]["months"]
        return self.fill(
            "dates",
            "format",
            year=str(year),
            month=str(month),
            day=str(day),
            month_name=str(months[month - 1]),
        )


def fill(pattern: str, values: Mapping[str, str]) -> str:
    """``pattern`` with each ``{name}`` replaced by ``values[name]`` (only plain names: a
    patterns file cannot reach into Python objects the way ``str.format`` would let it)."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], pattern)


def load_patterns(language: str, folders: Sequence[Path]) -> Patterns:
    """The sentence patterns of ``language``: the last folder of ``folders`` that has
    ``<language>/sentences.yaml`` is the base (the shipped file); earlier folders may override
    some of its keys. A bad file is a :class:`PolicyError` naming it. Files are read again when
    they change (a long-running site build sees an editor's edits)."""
    found = [
        f / language / PATTERNS_FILE for f in folders if (f / language / PATTERNS_FILE).is_file()
    ]
    if not found:
        raise PolicyError(f"no sentence patterns for language {language!r}")
    stamps = tuple((path, path.stat().st_mtime_ns) for path in found)
    return _load_patterns(language, stamps)


@functools.lru_cache(maxsize=16)
def _load_patterns(language: str, stamps: tuple[tuple[Path, int], ...]) -> Patterns:
    found = [path for path, _ in stamps]
    base_path = found[-1]
    data = _read_yaml(base_path)
    _check(data, str(base_path))
    sources = [str(base_path)]
    for path in reversed(found[:-1]):
        extra = _read_yaml(path)
        if extra is None:
            continue
        _check(extra, str(path))
        data = _overlay(data, extra, str(path))
        sources.append(str(path))
    return Patterns(language=language, data=data, sources=tuple(sources))


# --------------------------------------------------------------------------- addresses

NUMBERED_ADDRESS = re.compile(r"[0-9]+(?:\.[0-9]+)*(?:\([0-9A-Za-z]+\))*")


def format_address(address: str, patterns: Patterns) -> str:
    """A clause address (``5.6.1``, ``10 ¶1``, ``preamble ¶2``, ``Prompt clause ¶2``) as the
    language writes it (``第5.6.1条``, ``第10条第1段`` …)."""
    base, sep, paragraph = address.rpartition(" ¶")
    if sep and paragraph.isdigit():
        return patterns.fill("address", "paragraph", base=_format_base(base, patterns), n=paragraph)
    return _format_base(address, patterns)


def _format_base(base: str, patterns: Patterns) -> str:
    if NUMBERED_ADDRESS.fullmatch(base):
        return patterns.fill("address", "numbered", number=base)
    if base == "preamble":
        return patterns.text("address", "preamble")
    return patterns.fill("address", "named", name=squash_spaces(base))


def squash_spaces(text: str) -> str:
    return " ".join(text.split())


def notice_folders(templates: Path | None = None) -> tuple[Path, ...]:
    """Where templates and sentence patterns are looked up, first match wins: ``templates``
    (when given), the repository's ``notices/`` (a source checkout), the copy in the package."""
    folders: list[Path] = []
    if templates is not None:
        if not templates.is_dir():
            raise PolicyError("templates folder not found", path=str(templates))
        folders.append(templates)
    shipped = template_folder("notices", f"en/{PATTERNS_FILE}")
    if shipped is not None:
        folders.append(shipped)
    return tuple(folders)
