"""The versions store: import keeps every word, never overwrites; references; publish ledger."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analyzer.errors import PolicyError
from analyzer.parse.ingest import read_document
from analyzer.store.ledger import read_ledger
from analyzer.store.versions import Store, resolve


def _words(text: str) -> list[str]:
    # str.split() treats no-break spaces, tabs and line ends as whitespace, as a reader does.
    return text.split()


def test_import_keeps_every_word_of_the_seed(raw_seed_path: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "versions")
    target = store.import_version(
        raw_seed_path, policy="alibaba-cloud-privacy", version="2023-05-26", effective="2023-06-01"
    )
    stored = read_document(target.read_bytes(), str(target))
    original = raw_seed_path.read_text(encoding="utf-8")
    assert _words(stored.text) == _words(original)
    # only whitespace changed: no no-break spaces, no CRs, no runs of spaces remain
    assert "\u00a0" not in stored.text and "\r" not in stored.text and "  " not in stored.text
    assert stored.meta["effective"].isoformat() == "2023-06-01"
    assert stored.meta["status"] == "draft"
    assert stored.meta["format"] == "text"


def test_shipped_seed_is_the_imported_seed(raw_seed_path: Path, seed_path: Path) -> None:
    shipped = read_document(seed_path.read_bytes(), str(seed_path))
    assert _words(shipped.text) == _words(raw_seed_path.read_text(encoding="utf-8"))
    assert shipped.meta["status"] == "published"


def test_import_never_overwrites(raw_seed_path: Path, tmp_path: Path) -> None:
    store = Store(tmp_path)
    target = store.import_version(raw_seed_path, policy="p", version="2023-05-26")
    before = target.read_bytes()
    with pytest.raises(PolicyError, match="already exists"):
        store.import_version(raw_seed_path, policy="p", version="2023-05-26")
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"policy": "Bad Id", "version": "2023-05-26"}, "invalid policy id"),
        ({"policy": "p", "version": "2023-13-01"}, "not a real date"),
        ({"policy": "p", "version": "yesterday"}, "must be a date"),
        ({"policy": "p", "version": "2023-05-26", "effective": "June"}, "--effective"),
    ],
)
def test_import_rejects_bad_options(
    raw_seed_path: Path, tmp_path: Path, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        Store(tmp_path).import_version(raw_seed_path, **kwargs)  # type: ignore[arg-type]
    assert not any(tmp_path.rglob("*.md"))


def test_versions_are_listed_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "pol"
    folder.mkdir()
    for name in ["2024-01-02.md", "2023-02-22-2.md", "2023-02-22.md", "2023-02-22.zh.md", "x.md"]:
        (folder / name).write_text("---\ntitle: t\n---\nText.\n", encoding="utf-8")
    store = Store(tmp_path)
    assert [v.ref for v in store.versions("pol")] == [
        "pol@2023-02-22",
        "pol@2023-02-22.zh",
        "pol@2023-02-22-2",
        "pol@2024-01-02",
    ]
    assert store.find("pol", "2023-02-22").language is None
    assert store.find("pol", "2023-02-22.zh").language == "zh"
    with pytest.raises(PolicyError, match="no version"):
        store.find("pol", "2020-01-01")
    with pytest.raises(PolicyError, match="unknown policy"):
        store.versions("nope")


def test_resolve_reads_paths_store_refs_and_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "policy_versions" / "pol"
    folder.mkdir(parents=True)
    version = folder / "2024-01-02.md"
    version.write_text("---\ntitle: t\n---\nOne.\n", encoding="utf-8")
    store = Store(Path("policy_versions"))
    assert resolve("pol@2024-01-02", store).text == "One.\n"
    assert resolve(str(version), store).text == "One.\n"
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1"], check=True
    )
    version.write_text("---\ntitle: t\n---\nTwo.\n", encoding="utf-8")
    assert resolve("git:HEAD:policy_versions/pol/2024-01-02.md", store).text == "One.\n"
    with pytest.raises(PolicyError, match="git cannot read"):
        resolve("git:HEAD:nope.md", store)


def test_symlink_out_of_the_store_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: t\n---\nSecret.\n", encoding="utf-8")
    folder = tmp_path / "store" / "pol"
    folder.mkdir(parents=True)
    (folder / "2024-01-02.md").symlink_to(outside)
    store = Store(tmp_path / "store")
    with pytest.raises(PolicyError, match="outside"):
        store.load(store.find("pol", "2024-01-02"))


def test_publish_records_a_chained_ledger(raw_seed_path: Path, tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = store.import_version(raw_seed_path, policy="p", version="2023-05-26")
    second = store.import_version(raw_seed_path, policy="p", version="2023-06-01")
    store.publish("p", "2023-05-26")
    store.publish("p", "2023-06-01")
    entries = read_ledger(tmp_path / "p")
    assert [e.version for e in entries] == ["2023-05-26", "2023-06-01"]
    assert entries[0].chain != entries[1].chain
    for path in (first, second):
        meta = read_document(path.read_bytes(), str(path)).meta
        assert meta["status"] == "published"
    # the body is untouched by publishing
    assert read_document(first.read_bytes(), "x").sha256 == entries[0].sha256
    with pytest.raises(PolicyError, match="already published"):
        store.publish("p", "2023-05-26")
