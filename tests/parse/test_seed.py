"""The seed policy comes out the way a reader would outline it (acceptance for the parser)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.model import Clause, ClauseTree
from analyzer.parse.ingest import read_document
from analyzer.parse.lost import lost_text
from analyzer.parse.tree import parse

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
SEED_REF = "policy_versions/alibaba-cloud-privacy/2023-05-26.md"


@pytest.fixture(scope="module")
def tree() -> ClauseTree:
    path = ROOT / SEED_REF
    return parse(read_document(path.read_bytes(), SEED_REF))


def _by_id(tree: ClauseTree) -> dict[str, Clause]:
    return tree.by_id()


def _children(tree: ClauseTree, parent: str | None) -> list[str]:
    return [c.id for c in tree.clauses if c.parent == parent]


def test_no_text_lost(tree: ClauseTree) -> None:
    document = read_document((ROOT / SEED_REF).read_bytes(), SEED_REF)
    assert lost_text(document, tree) is None


def test_preamble(tree: ClauseTree) -> None:
    top = _children(tree, None)
    first_section = top.index("s1")
    preamble = [tree.by_id()[i] for i in top[:first_section]]
    assert [c.kind for c in preamble] == ["preamble"] * 5 + ["contents"]
    assert all(c.number == () for c in preamble)
    title, effective, updated, prompt, definition, contents = preamble
    assert title.heading == "Alibaba Cloud official website legal statement and privacy policy"
    assert effective.text == "Effective date: June 1, 2023" and effective.id == "p1"
    assert updated.text == "Updated: May 26, 2023" and updated.id == "p2"
    assert prompt.heading == "Prompt clause"
    assert len(_children(tree, prompt.id)) == 2
    assert definition.heading == "definition"
    definitions = [tree.by_id()[i].text for i in _children(tree, definition.id)]
    assert len(definitions) == 10
    assert definitions[0].startswith("Alibaba Cloud website: Refers to")
    assert definitions[-1].startswith("Business data: Different from user information")
    assert contents.heading == "This policy will help you understand the following:"
    assert contents.text.splitlines()[0] == "1、 Scope of application of this agreement"
    assert contents.text.splitlines()[-1] == "10、 How to contact us"
    assert contents.lines == (46, 66)


def test_top_level_sections_in_order(tree: ClauseTree) -> None:
    index = tree.by_id()
    sections = [index[i] for i in _children(tree, None) if i.startswith("s")]
    assert [c.number for c in sections] == [(n,) for n in range(1, 11)]
    assert [c.id for c in sections] == [f"s{n}" for n in range(1, 11)]
    assert index["s3"].label == "III"
    assert index["s3"].heading == "How can we provide your user information externally"
    assert index["s1"].lines == (68, 68)


def test_section_2_groups_and_numbers(tree: ClauseTree) -> None:
    index = tree.by_id()
    groups = {
        "s2(1)": ("To provide you with basic functions of AliCloud websites", [1, 2, 3, 4]),
        "s2(2)": ("To provide you with additional functions of AliCloud website", [5, 6, 7, 8, 9]),
        "s2(3)": ("Information obtained from a third party", [10]),
        "s2(4)": (
            "Exceptions to the collection and use of personal information without your "
            "authorization",
            [11, 12],
        ),
    }
    for group, (heading, members) in groups.items():
        assert index[group].heading == heading
        assert index[group].parent == "s2"
        assert index[group].kind == "section"
        numbered = [c for c in _children(tree, group) if c.startswith("s2.")]
        assert numbered == [f"s2.{n}" for n in members]
        for n in members:
            assert index[f"s2.{n}"].number == (2, n)
    assert index["s2.1"].heading == "Help you become our member"
    assert index["s2.1.1"].parent == "s2.1" and index["s2.1.1"].number == (2, 1, 1)
    assert index["s2.11.1"].heading is None  # a leaf without punctuation is text
    assert index["s2.11.1"].text.startswith("Related to national security")
    # the lists before the groups belong to the paragraphs that introduce them
    assert index["s2-p1"].text.endswith("in the following three ways:")
    assert _children(tree, "s2-p1") == ["s2-p1(1)", "s2-p1(2)", "s2-p1(3)"]
    assert _children(tree, "s2-p2") == ["s2-p2(1)", "s2-p2(2)"]


def test_section_2_oddities(tree: ClauseTree) -> None:
    index = tree.by_id()
    # (1)-(3) under 2.2.1, then its two closing paragraphs
    assert _children(tree, "s2.2.1") == [
        "s2.2.1(1)",
        "s2.2.1(2)",
        "s2.2.1(3)",
        "s2.2.1-p1",
        "s2.2.1-p2",
    ]
    assert index["s2.2.1(2)"].number == (2, 2, 1, 2)
    assert index["s2.2.1-p1"].text.startswith("You know and understand that")
    # 2.2.2 has no trailing dot among 2.2.1.
    assert index["s2.2.2"].parent == "s2.2" and index["s2.2.2"].label == "2.2.2"
    # the paragraph after the heading 2.3 belongs to it, before 2.3.1
    assert _children(tree, "s2.3") == ["s2.3-p1", "s2.3.1", "s2.3.2"]
    # the paragraph after 2.7.3 returns to the heading 2.7
    assert _children(tree, "s2.7")[-1] == "s2.7-p2"
    assert index["s2.7-p2"].text.startswith("Please note that the content")


def test_section_3_repairs(tree: ClauseTree) -> None:
    index = tree.by_id()
    assert index["s3.1.2"].label == "3.1.2 ." and index["s3.1.2"].number == (3, 1, 2)
    assert index["s3.1.2"].parent == "s3.1"
    repaired = index["s3.4.3"]
    assert repaired.label == "3.3.3" and repaired.number == (3, 4, 3)
    assert repaired.parent == "s3.4" and repaired.lines == (230, 230)
    assert repaired.text.startswith("Or in order to protect")
    assert index["s3.3.3"].text.startswith("Comply with relevant agreements")
    assert _children(tree, "s3.4") == ["s3.4-p1", "s3.4.1", "s3.4.2", "s3.4.3"]


def test_section_5_words_and_items(tree: ClauseTree) -> None:
    index = tree.by_id()
    for ident, label, heading in [
        ("s5.2", "five point two", "copy"),
        ("s5.5", "five point five", "Account cancellation"),
        ("s5.6", "five six", "How to respond to your right request"),
    ]:
        assert index[ident].label == label
        assert index[ident].heading == heading
        assert index[ident].parent == "s5"
    assert _children(tree, "s5.2") == ["s5.2.1", "s5.2.2"]
    assert _children(tree, "s5.3.2") == ["s5.3.2(1)", "s5.3.2(2)", "s5.3.2(3)"]
    assert [index[f"s5.3.2({n})"].number for n in (1, 2, 3)] == [
        (5, 3, 2, 1),
        (5, 3, 2, 2),
        (5, 3, 2, 3),
    ]
    assert _children(tree, "s5") == [f"s5.{n}" for n in range(1, 9)]


def test_section_9_and_10(tree: ClauseTree) -> None:
    index = tree.by_id()
    assert _children(tree, "s9.4") == [f"s9.4.{n}" for n in range(1, 7)]
    assert index["s9.4"].text.endswith("include but are not limited to:")
    # the closing paragraph after 9.4.6 is section 9's, not 9.4.6's
    assert _children(tree, "s9") == ["s9.1", "s9.2", "s9.3", "s9.4", "s9-p1"]
    assert index["s9-p1"].address == "9 ¶1"
    assert index["s10"].heading == "How to contact us"
    assert _children(tree, "s10") == ["s10-p1"]
    assert "(400-80-13260)" in index["s10-p1"].text
    assert index["s6-p1"].parent == "s6"


def test_warnings(tree: ClauseTree) -> None:
    assert list(tree.warnings) == [
        "line 186: number 'III' does not fit the numbering around it ('2、' before it): read as 3",
        "line 196: stray space in number '3.1.2 .' read as 3.1.2",
        "line 230: duplicated number '3.3.3' read as 3.4.3",
        "line 278: number written in words: 'five point two' read as 5.2",
        "line 306: number written in words: 'five point five' read as 5.5",
        "line 312: number written in words: 'five six' read as 5.6",
    ]


def test_ids_parents_lines(tree: ClauseTree) -> None:
    ids = [c.id for c in tree.clauses]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    for clause in tree.clauses:
        assert clause.parent is None or clause.parent in seen
        seen.add(clause.id)
        assert 12 <= clause.lines[0] <= clause.lines[1] <= 392
    assert tree.language == "en"


def test_raw_seed_gives_the_same_tree(raw_seed_path: Path, tree: ClauseTree) -> None:
    raw = parse(read_document(raw_seed_path.read_bytes(), str(raw_seed_path)))
    assert [(c.id, c.number, c.hash) for c in raw.clauses] == [
        (c.id, c.number, c.hash) for c in tree.clauses
    ]
    # line numbers are those of the raw file (no front matter, lines of a single no-break space)
    assert raw.warnings[3] == "line 285: number written in words: 'five point two' read as 5.2"


def test_golden_tree(golden: Callable[[Path, Any], None], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    shown = runner.invoke(app, ["show", SEED_REF])
    assert shown.exit_code == 0, shown.output
    golden(CASES / "seed-tree" / "tree.txt", shown.stdout)
    as_json = runner.invoke(app, ["show", SEED_REF, "--format", "json"])
    assert as_json.exit_code == 0
    golden(CASES / "seed-tree" / "tree.json", as_json.stdout)
