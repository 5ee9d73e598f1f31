"""Compiled patterns and vocabulary tries kept on disk (analyzer.store.compiled): a pattern read
back is the pattern ``re.compile`` makes, a damaged or foreign file is never trusted, tables are
built again when what they are built of changes, and the command line's output does not depend
on the cache."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import analyzer
from analyzer.facts.matcher import build_matcher, kept_matcher
from analyzer.facts.vocabulary import VOCABULARY, Terms
from analyzer.store.compiled import MAGIC, DiskCompiledStore, compiled_path, install_disk_store
from analyzer.text import compiled
from tests.helpers.child_process import ROOT, policy

SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"


def _analyzer_patterns() -> list[re.Pattern[str]]:
    """Every module-level pattern of the analyzer (the ones a command compiles at import)."""
    found: dict[tuple[str, int], re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(analyzer.__path__, "analyzer."):
        if info.name.endswith(("__main__", "embedder")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[(value.pattern, value.flags)] = value
    for matcher in (
        build_matcher(VOCABULARY, chinese=False),
        build_matcher(VOCABULARY, chinese=True),
    ):
        for pattern in matcher.patterns:  # the vocabulary's tries, the largest patterns
            found[(pattern.pattern, pattern.flags)] = pattern
    return list(found.values())


@pytest.fixture
def no_store() -> Iterator[None]:
    previous = compiled.install(None)
    try:
        yield
    finally:
        compiled.install(previous)


def test_patterns_read_back_are_the_patterns_re_compiles(tmp_path: Path, no_store: None) -> None:
    patterns = _analyzer_patterns()
    assert len(patterns) > 100  # the analyzer's own, not a handful
    path = compiled_path(tmp_path)
    writer = DiskCompiledStore(path)
    for p in patterns:
        writer.regex(p.pattern, p.flags)
    assert writer.compiled == len(patterns) and writer.save()
    reader = DiskCompiledStore(path)
    text = SEED.read_text("utf-8")
    lower = text.lower()
    for p in patterns:
        back = reader.regex(p.pattern, p.flags)
        assert (back.pattern, back.flags, back.groups, back.groupindex) == (
            p.pattern,
            p.flags,
            p.groups,
            p.groupindex,
        )
        for sample in (text, lower):
            assert [m.span() for m in back.finditer(sample)] == [
                m.span() for m in p.finditer(sample)
            ], p.pattern[:80]
    assert reader.loaded == len(patterns) and reader.compiled == 0
    assert not reader.save()  # nothing new: the file is left alone


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign"])
def test_a_damaged_file_is_never_trusted(tmp_path: Path, damage: str, no_store: None) -> None:
    path = compiled_path(tmp_path)
    writer = DiskCompiledStore(path)
    writer.regex(r"(?P<word>[a-z]+)\s+\d{2,}", 0)
    writer.save()
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped":
        path.write_bytes(raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:])
    else:
        path.write_bytes(b"PACRE\x00\x09\n" + raw[8:])
    reader = DiskCompiledStore(path)
    pattern = reader.regex(r"(?P<word>[a-z]+)\s+\d{2,}", 0)
    assert reader.compiled == 1 and reader.loaded == 0
    assert pattern.fullmatch("abc 123") and pattern.groupindex == {"word": 1}
    assert reader.save()
    assert path.read_bytes().startswith(MAGIC)
    assert DiskCompiledStore(path).regex(r"(?P<word>[a-z]+)\s+\d{2,}", 0).fullmatch("x 12")


def test_a_code_list_the_engine_refuses_is_compiled_again(tmp_path: Path, no_store: None) -> None:
    path = compiled_path(tmp_path)
    store = DiskCompiledStore(path)
    store.regex(r"ab+c", 0)
    store._patterns[("ab+c", 0)] = (32, [1, 2, 3], 0, {}, (None,))  # nonsense code
    again = store.regex(r"ab+c", 0)
    assert again.fullmatch("abbbc") and store.compiled == 2


def test_a_bad_pattern_is_still_an_error(tmp_path: Path, no_store: None) -> None:
    store = DiskCompiledStore(compiled_path(tmp_path))
    with pytest.raises(re.error):
        store.regex(r"(unclosed", 0)


def test_tables_are_built_once_and_again_when_their_key_changes(
    tmp_path: Path, no_store: None
) -> None:
    path = compiled_path(tmp_path)
    calls: list[str] = []

    def build(tag: str) -> tuple[str, ...]:
        calls.append(tag)
        return ("a", tag)

    first = DiskCompiledStore(path)
    assert first.table("t", "k1", lambda: build("one")) == ("a", "one")
    first.save()
    second = DiskCompiledStore(path)
    assert second.table("t", "k1", lambda: build("two")) == ("a", "one")
    assert second.table("t", "k2", lambda: build("three")) == ("a", "three")
    assert calls == ["one", "three"]
    # something that is not plain data is built every time and never written
    assert second.table("t", "k3", lambda: {object()}) is not None


def test_the_matcher_follows_its_vocabulary(tmp_path: Path, no_store: None) -> None:
    compiled.install(DiskCompiledStore(compiled_path(tmp_path)))
    english = kept_matcher(VOCABULARY, chinese=False)
    plain = build_matcher(VOCABULARY, chinese=False)
    assert (english.sources, english.firsts, dict(english.meanings)) == (
        plain.sources,
        plain.firsts,
        dict(plain.meanings),
    )
    assert not english.matches("the zorblax identifier")
    grown = {kind: dict(values) for kind, values in VOCABULARY.items()}
    first_kind = next(iter(grown))
    grown[first_kind]["zorblax"] = Terms(en=("zorblax identifier",), zh=())
    assert kept_matcher(grown, chinese=False).matches("the zorblax identifier") == [(4, 22)]


def test_install_is_once_per_process(tmp_path: Path, no_store: None) -> None:
    first = install_disk_store(tmp_path)
    assert first is not None and compiled.installed() is first
    assert install_disk_store(tmp_path / "other") is first


def test_the_command_line_gives_the_same_report_with_and_without_the_cache(
    tmp_path: Path,
) -> None:
    edited = tmp_path / "edited.md"
    edited.write_text(
        SEED.read_text("utf-8").replace("We will not entrust", "We will entrust"), "utf-8"
    )
    args = ("diff", str(SEED), str(edited), "--no-model", "--format", "json")
    cache = tmp_path / "cache"
    cold = policy(*args, cwd=ROOT, env={"POLICY_ANALYZER_CACHE": str(cache)})
    files = list((cache / "compiled").glob("*.bin"))
    assert len(files) == 1 and files[0].read_bytes().startswith(MAGIC)
    written = files[0].stat().st_mtime_ns
    warm = policy(*args, cwd=ROOT, env={"POLICY_ANALYZER_CACHE": str(cache)})
    assert files[0].stat().st_mtime_ns == written  # nothing new to keep
    unwritable = tmp_path / "file-not-folder"
    unwritable.write_text("")
    without = policy(*args, cwd=ROOT, env={"POLICY_ANALYZER_CACHE": str(unwritable)})
    assert cold.code == warm.code == without.code == 1, cold.stderr
    assert cold.stdout == warm.stdout == without.stdout
    assert "Traceback" not in cold.stderr + warm.stderr + without.stderr
