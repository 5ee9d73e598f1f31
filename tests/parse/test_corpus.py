"""Every version of the real corpus parses, keeps every word, and has a sound tree."""

from __future__ import annotations

import functools
import string
from pathlib import Path

import pytest

from analyzer.model import ClauseTree
from analyzer.parse.ingest import read_document
from analyzer.parse.lost import lost_text
from analyzer.parse.tree import parse

DOCUMENTS = [
    "automattic-legalmattic/automattic-privacy-policy",
    "basecamp-policies/basecamp-privacy-policy",
    "github-site-policy/github-privacy-statement",
    "github-site-policy/github-terms-of-service",
    "mozilla-legal-docs/firefox-privacy-notice-en",
    "mozilla-legal-docs/firefox-privacy-notice-zh-cn",
]


@functools.cache
def _versions(corpus_dir: Path, document: str) -> list[tuple[Path, ClauseTree]]:
    files = sorted((corpus_dir / document).glob("*.md"))
    assert files, f"no versions under {document}"
    out = []
    for path in files:
        parsed = read_document(path.read_bytes(), path.name)
        tree = parse(parsed)
        problem = lost_text(parsed, tree)
        assert problem is None, f"{path.name}: {problem}"
        out.append((path, tree))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.split("/")[1] for d in DOCUMENTS])
def test_every_version_parses_without_loss(corpus_dir: Path, document: str) -> None:
    for path, tree in _versions(corpus_dir, document):
        assert len(tree.clauses) >= 20, path.name
        ids = [c.id for c in tree.clauses]
        assert len(ids) == len(set(ids)), path.name
        seen: set[str] = set()
        lines = path.read_text(encoding="utf-8").count("\n") + 1
        for clause in tree.clauses:
            assert clause.parent is None or clause.parent in seen, (path.name, clause.id)
            seen.add(clause.id)
            assert 1 <= clause.lines[0] <= clause.lines[1] <= lines, (path.name, clause.id)
        assert not tree.warnings, (path.name, tree.warnings)  # nothing in these needs repair
        expected = "zh" if document.endswith("zh-cn") else "en"
        assert tree.language == expected, path.name


@pytest.mark.slow
def test_github_terms_sections_are_lettered_and_numbered(corpus_dir: Path) -> None:
    for path, tree in _versions(corpus_dir, "github-site-policy/github-terms-of-service"):
        sections = [c for c in tree.clauses if c.parent is None and c.id.startswith("s")]
        labels = [c.label for c in sections]
        assert labels == [f"{letter}." for letter in string.ascii_uppercase[: len(labels)]]
        assert [c.number for c in sections] == [(n,) for n in range(1, len(labels) + 1)]
        assert len(labels) >= 18, path.name
        # "### 1. Account Controls" under "## B. Account Terms"
        account = tree.by_id().get("s2.1")
        assert account is not None and account.parent == "s2", path.name


@pytest.mark.slow
def test_basecamp_link_list_is_a_contents_clause(corpus_dir: Path) -> None:
    latest = sorted((corpus_dir / "basecamp-policies/basecamp-privacy-policy").glob("*.md"))[-1]
    tree = parse(read_document(latest.read_bytes(), latest.name))
    contents = tree.by_id()["contents"]
    assert contents.kind == "contents" and contents.parent is None
    assert contents.text.splitlines()[1] == "What we collect and why (#what-we-collect-and-why)"
