"""The redline as a Word document: accept all gives the new version, reject all the old one,
clause by clause; moves are tracked moves; the first page tells the decision; the same inputs
give the same bytes."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.diff.align import align_clauses
from analyzer.judge.criteria import load_pack
from analyzer.model import Clause, ClauseTree, Document
from analyzer.parse.tree import parse
from analyzer.parse.word import read_word
from analyzer.pipeline import analyze
from analyzer.render.word import AUTHOR, Para, redline_docx
from tests.helpers.child_process import python_with_another_hash_seed
from tests.helpers.diff_cases import case_names, load_case
from tests.helpers.hand_trees import Row, build
from tests.helpers.word_documents import numbered_policy
from tests.helpers.word_views import (
    W,
    document_xml,
    libreoffice_available,
    libreoffice_text,
    paragraphs,
    revisions,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policy_versions" / "alibaba-cloud-privacy"
BODY_START = "The policy, old to new"
BODY_END = "End of the redline."


def redline_of(old: ClauseTree, new: ClauseTree, **options: object) -> bytes:
    alignment = align_clauses(old, new, embedder=None, unavailable="tests")
    report = analyze(old, new, pack=load_pack("seed-9.4"), alignment=alignment, unavailable="tests")
    return redline_docx(report, old, new, alignment, **options)  # type: ignore[arg-type]


def shipped(version: str) -> ClauseTree:
    from analyzer.parse.ingest import read_document

    path = SHIPPED / f"{version}.md"
    return parse(read_document(path.read_bytes(), f"alibaba-cloud-privacy@{version}"))


def clause_line(clause: Clause) -> str:
    """What one clause reads as in the redline: number, heading, line break, text."""
    head = " ".join(p for p in (clause.label, clause.heading) if p)
    if head and clause.text:
        return f"{head}{chr(10) if clause.heading else ' '}{clause.text}"
    return head or clause.text


def body(lines: list[str]) -> list[str]:
    return lines[lines.index(BODY_START) + 1 : lines.index(BODY_END)]


def assert_views(data: bytes, old: ClauseTree, new: ClauseTree) -> None:
    for view, tree in (("accept", new), ("reject", old)):
        got = body(paragraphs(data, view))
        want = [clause_line(c) for c in tree.clauses]
        assert len(got) == len(want), f"{view}: {len(got)} paragraphs for {len(want)} clauses"
        for k, (have, expected) in enumerate(zip(got, want, strict=True)):
            assert have == expected, f"{view}: clause {k} ({tree.clauses[k].id}) differs"


@pytest.mark.parametrize("name", case_names())
def test_accept_all_gives_the_new_version_and_reject_all_the_old(name: str) -> None:
    old, new = load_case(name).trees()
    assert_views(redline_of(old, new), old, new)


def test_the_shipped_revision() -> None:
    old, new = shipped("2023-05-26"), shipped("2026-02-02")
    data = redline_of(old, new)
    assert_views(data, old, new)
    marks = revisions(data)
    assert {e.tag for e in marks} == {W + "ins", W + "del"}
    # the new hotline is an insertion next to the deletion of the old one, in the same paragraph
    found = [
        p
        for p in paragraphs(data, "as-is")
        if "400-80-13260" in p and "95187" in p and p.startswith("If you have any questions")
    ]
    assert found


def test_a_moved_section_is_a_tracked_move() -> None:
    old, new = load_case("diff-swap-sections-6-7").trees()
    data = redline_of(old, new)
    names: dict[str, set[str]] = {"moveFromRangeStart": set(), "moveToRangeStart": set()}
    root = document_xml(data)
    for element in root.iter():
        tag = element.tag.removeprefix(W)
        if tag in names:
            names[tag].add(element.get(W + "name") or "")
    assert names["moveFromRangeStart"] and names["moveFromRangeStart"] == names["moveToRangeStart"]
    moved_from = "".join(t.text or "" for e in root.iter(W + "moveFrom") for t in e.iter(W + "t"))
    moved_to = "".join(t.text or "" for e in root.iter(W + "moveTo") for t in e.iter(W + "t"))
    # the section that moved, heading and clauses, is in both places as a move
    heading = next(c for c in new.clauses if c.heading and "cookies" in c.heading.lower())
    assert heading.heading in moved_from and heading.heading in moved_to
    deleted = "".join(t.text or "" for t in root.iter(W + "delText"))
    assert heading.heading not in deleted


MOVED_OLD: list[Row] = [
    ("", None, "This policy explains how Example handles your information."),
    ("1", "Scope", ""),
    ("1.1", None, "This policy applies to the Example website."),
    ("2", "Sharing", ""),
    ("2.1", None, "We share your information with our payment provider."),
    ("2.2", None, "We never sell your information to anyone."),
    ("3", "Contact", ""),
    ("3.1", None, "Write to privacy@example.com with any question."),
]
MOVED_NEW: list[Row] = [
    ("", None, "This policy explains how Example handles your information."),
    ("1", "Scope", ""),
    ("1.1", None, "This policy applies to the Example website."),
    ("1.2", None, "We never sell your information to advertisers or to anyone."),
    ("2", "Sharing", ""),
    ("2.1", None, "We share your information with our payment provider."),
    ("3", "Contact", ""),
    ("3.1", None, "Write to privacy@example.com with any question."),
]
"""Clause 2.2 moves to 1.2, and gains words on the way."""


def test_a_moved_and_reworded_clause_shows_its_words_on_both_sides() -> None:
    old, new = build(MOVED_OLD), build(MOVED_NEW)
    data = redline_of(old, new)
    assert_views(data, old, new)
    root = document_xml(data)
    paragraphs_of = {
        tag: [p for p in root.iter(W + "p") if p.find(f".//{W}{tag}RangeStart") is not None]
        for tag in ("moveFrom", "moveTo")
    }
    assert len(paragraphs_of["moveFrom"]) == len(paragraphs_of["moveTo"]) == 1

    def pieces(paragraph: object, tag: str) -> list[str]:
        """The text of each revision of one kind in a paragraph (not its mark)."""
        return [
            "".join(t.text or "" for t in e.iter() if t.tag in (W + "t", W + "delText"))
            for e in paragraph.findall(W + tag)  # type: ignore[attr-defined]
        ]

    source, target = paragraphs_of["moveFrom"][0], paragraphs_of["moveTo"][0]
    # where it stood: the old number is a deletion, the clause's words moved away
    assert pieces(source, "del") == ["2.2"]
    assert "".join(pieces(source, "moveFrom")).startswith(" We never sell your information to")
    # where it stands: the new number and the words it gained are insertions among moved words
    assert pieces(target, "ins") == ["1.2", "advertisers or to "]
    assert "".join(pieces(target, "moveTo")) == " We never sell your information to anyone."


def test_every_revision_is_by_policy_analyzer_dated_by_the_new_version() -> None:
    old, new = shipped("2023-05-26"), shipped("2026-02-02")
    marks = revisions(redline_of(old, new))
    assert marks
    assert {e.get(W + "author") for e in marks} == {AUTHOR}
    assert {e.get(W + "date") for e in marks} == {"2026-02-02T00:00:00Z"}
    ids = [e.get(W + "id") for e in marks]
    assert len(ids) == len(set(ids))


def test_the_first_page_tells_the_decision_the_findings_and_the_change_log() -> None:
    old, new = shipped("2023-05-26"), shipped("2026-02-02")
    changelog = (
        Para("heading", "2026-02-02, effective March 9, 2026"),
        Para("item", "In section 10, we changed paragraph 1."),
    )
    first = paragraphs(redline_of(old, new, changelog=changelog), "as-is")
    first = first[: first.index(BODY_START)]
    assert first[0].startswith("Redline: Alibaba Cloud")
    assert "Decision: consent" in first
    assert any(p.startswith("9.4.5 ") and p.endswith(": triggered") for p in first)
    assert any(p.startswith("c") and "hotline number changed" in p for p in first)
    assert any(p.startswith("No finding: 9.4.2 ") for p in first)
    assert "Change-log entry" in first
    assert "In section 10, we changed paragraph 1." in first
    # the first page ends with a page break
    root = document_xml(redline_of(old, new))
    breaks = [e for e in root.iter(W + "br") if e.get(W + "type") == "page"]
    assert len(breaks) == 1


def test_the_same_inputs_give_the_same_bytes() -> None:
    old, new = shipped("2023-05-26"), shipped("2026-02-02")
    data = redline_of(old, new)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos][:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a reviewer's edits are tracked too
        assert b"<w:trackRevisions/>" in archive.read("word/settings.xml")
    script = (
        "import sys\n"
        "from tests.render.test_word import redline_of, shipped\n"
        "sys.stdout.buffer.write(redline_of(shipped('2023-05-26'), shipped('2026-02-02')))\n"
    )
    assert python_with_another_hash_seed("-c", script) == data


def test_a_revision_drafted_in_word_round_trips() -> None:
    """Both sides read from one .docx with pending changes: its reject view is the old
    version, its accept view the new one, and the redline gives each back."""
    draft, named = numbered_policy()
    draft.insert(
        named["1.1"], " and its apps", at=len("This policy applies to the Example website")
    )
    draft.delete(named["2.1.2"], " We may also use it to recover your account.")
    draft.inserted_paragraph("3.3. We answer every request within 15 days.")
    data = draft.to_bytes()

    def side(view: str) -> ClauseTree:
        text = read_word(data, "draft.docx", revisions=view).markdown  # type: ignore[arg-type]
        return parse(Document(source=f"draft.docx ({view})", text=text, format="markdown"))

    old, new = side("reject"), side("accept")
    assert_views(redline_of(old, new), old, new)


_WORDS = st.sampled_from(
    [
        "we",
        "may",
        "share",
        "your",
        "data",
        "with",
        "partners",
        "for",
        "marketing",
        "purposes",
        "and",
        "you",
        "can",
        "object",
        "at",
        "any",
        "time",
        "by",
        "e-mail",
        "to",
        "privacy@example.com",
        "within",
        "15",
        "days",
    ]
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)


@st.composite
def revisions_of_a_policy(draw: st.DrawFn) -> tuple[list[Row], list[Row]]:
    """A small policy (sections with clauses) and a revision of it: clauses reworded, added,
    removed, split, merged; sections swapped; paragraphs re-wrapped."""
    sections = draw(st.integers(1, 4))
    rows: list[Row] = [("", None, draw(_SENTENCE))]
    for s in range(1, sections + 1):
        rows.append((str(s), draw(_SENTENCE), ""))
        for c in range(1, draw(st.integers(0, 3)) + 1):
            rows.append((f"{s}.{c}", None, draw(_SENTENCE)))
    new = list(rows)
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(0, len(new) - 1))
        spec, heading, text = new[k]
        action = draw(st.sampled_from(["reword", "remove", "add", "split", "merge", "wrap"]))
        if action == "reword":
            new[k] = (spec, heading, draw(_SENTENCE) if text else text)
        elif action == "remove" and len(new) > 1:
            del new[k]
        elif action == "add" and spec:
            new.insert(k + 1, (f"{spec}.9", None, draw(_SENTENCE)))
        elif action == "split" and text and " " in text:
            cut = text.index(" ")
            new[k] = (spec, heading, text[:cut])
            new.insert(k + 1, (f"{spec or '1'}/p1", None, text[cut + 1 :]))
        elif action == "merge" and k + 1 < len(new) and new[k + 1][2]:
            new[k] = (spec, heading, f"{text} {new[k + 1][2]}".strip())
            del new[k + 1]
        elif action == "wrap" and " " in text:
            new[k] = (spec, heading, text.replace(" ", "\n", 1))
    if sections >= 2 and draw(st.booleans()):
        first = [r for r in new if r[0].split("/")[0].split(".")[0] == "1"]
        rest = [r for r in new if r not in first]
        new = rest + first  # section 1 moves to the end with its clauses
    return rows, new


def _tree(rows: list[Row]) -> ClauseTree:
    seen: set[str] = set()
    unique = []
    for spec, heading, text in rows:
        if spec in seen:
            continue
        parent = spec.split("/")[0]
        if "/" in spec and parent and parent not in {r.split("/")[0] for r in seen | {spec}}:
            continue
        seen.add(spec)
        unique.append((spec, heading, text))
    known = {s for s, _, _ in unique}
    kept = []
    for spec, heading, text in unique:
        number = spec.split("/")[0]
        parts = number.split(".")
        parents = {".".join(parts[:n]) for n in range(1, len(parts))}
        if "/" in spec:
            parents.add(number)
        if all(p in known for p in parents if p):
            kept.append((spec, heading, text))
    return build(kept)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(revisions_of_a_policy())
def test_any_revision_round_trips(pair: tuple[list[Row], list[Row]]) -> None:
    old, new = _tree(pair[0]), _tree(pair[1])
    assert_views(redline_of(old, new), old, new)


@pytest.mark.slow
def test_corpus_revisions_round_trip(corpus_dir: Path) -> None:
    """Every tenth revision of the corpus (real moves, splits, tables and lists)."""
    from analyzer.parse.ingest import read_document

    checked = 0
    for folder in sorted(p for p in corpus_dir.glob("*/*") if p.is_dir()):
        files = sorted(f for f in folder.iterdir() if f.suffix in (".md", ".html", ".txt"))
        for k in range(1, len(files), 10):
            old, new = (
                parse(read_document(f.read_bytes(), f.name, name=f.name))
                for f in (files[k - 1], files[k])
            )
            assert_views(redline_of(old, new), old, new)
            checked += 1
    assert checked >= 20


libreoffice = pytest.mark.skipif(
    not libreoffice_available(), reason="LibreOffice with python3-uno is not installed"
)


ADDED_AFTER_INSERTION: tuple[list[Row], list[Row]] = (
    [("", None, "Intro."), ("1", None, "We share data."), ("2", None, "Contact us.")],
    [
        ("", None, "Intro."),
        ("1", None, "We share data with partners."),
        ("1.1", None, "A new clause."),
        ("2", None, "Contact us."),
    ],
)
"""A clause added right after words added at the end of the clause before it (LibreOffice
rejects this one wrongly unless the new paragraph's break is recorded as Word records it)."""
INSERTIONS_ACROSS_A_BREAK: tuple[list[Row], list[Row]] = (
    [("", None, "Intro."), ("1", None, "We share data"), ("2", None, "contact us")],
    [
        ("", None, "Intro."),
        ("1", None, "We share data with partners"),
        ("2", None, "Please contact us"),
    ],
)
"""Words added at the end of one clause and at the start of the next (LibreOffice joins the two
insertions, the break between them included, unless something parts them)."""


def assert_libreoffice_views(old: ClauseTree, new: ClauseTree) -> None:
    data = redline_of(old, new)
    for view, tree in (("accept", new), ("reject", old)):
        lines = libreoffice_text(data, view).split("\n")  # type: ignore[arg-type]
        want = "\n".join(clause_line(c) for c in tree.clauses).split("\n")
        assert body(lines) == want, f"LibreOffice's {view} view differs"


@libreoffice
@pytest.mark.slow
@pytest.mark.parametrize(
    "revision",
    [
        "shipped",
        "moved-and-reworded",
        "added-after-inserted-words",
        "insertions-across-a-break",
        "diff-swap-sections-6-7",
        "diff-split-clause",
    ],
)
def test_libreoffice_accepts_and_rejects_every_change(revision: str) -> None:
    if revision == "shipped":
        old, new = shipped("2023-05-26"), shipped("2026-02-02")
    elif revision == "moved-and-reworded":
        old, new = build(MOVED_OLD), build(MOVED_NEW)
    elif revision == "added-after-inserted-words":
        old, new = build(ADDED_AFTER_INSERTION[0]), build(ADDED_AFTER_INSERTION[1])
    elif revision == "insertions-across-a-break":
        old, new = build(INSERTIONS_ACROSS_A_BREAK[0]), build(INSERTIONS_ACROSS_A_BREAK[1])
    else:
        old, new = load_case(revision).trees()
    assert_libreoffice_views(old, new)


@libreoffice
@pytest.mark.slow
def test_libreoffice_on_corpus_revisions_with_moves(corpus_dir: Path) -> None:
    """The first revision of each corpus policy that moves, splits or merges clauses."""
    from analyzer.parse.ingest import read_document

    checked = 0
    for folder in sorted(p for p in corpus_dir.glob("*/*") if p.is_dir()):
        files = sorted(f for f in folder.iterdir() if f.suffix == ".md")
        for a, b in itertools.pairwise(files):
            old, new = (parse(read_document(f.read_bytes(), f.name, name=f.name)) for f in (a, b))
            alignment = align_clauses(old, new, embedder=None, unavailable="tests")
            if any(m.moved or len(m.old) + len(m.new) > 2 for m in alignment.matches):
                assert_libreoffice_views(old, new)
                checked += 1
                break
    assert checked >= 5
