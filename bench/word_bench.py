"""Speed of Word in and out, against the Markdown and HTML paths, measured in the same run.

Run from the repository root:

    python bench/word_bench.py [--repeat N]

Revisions (lexical alignment only, no model): the shipped example 2023-05-26 -> 2026-02-02,
the seed with every clause edited (as in ``notice_bench.py``), and a large real revision of the
shared corpus (GitHub's privacy statement 2021-11-12 -> 2022-05-31) when the corpus is there.

- **import**: the new version written as a .docx whose clause numbers are Word's automatic
  numbering (dotted numbers on a three-level list, headings in heading styles), read back by
  ``read_word`` (package checks, numbering, Markdown) then parsed; the baseline is parsing the
  same Markdown the reader gives. Ratio: .docx / Markdown.
- **redline**: ``redline_docx`` (tracked changes, moves, the first page, the zip package) of
  the revision's report; the baseline is the standalone HTML page of the same report
  (``render_html``). Ratio: .docx / HTML. ``analyze`` is shown for scale.

Best of ``--repeat`` runs, wall time.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import sys
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from notice_bench import best, revisions  # noqa: E402

from analyzer.diff.align import align_clauses  # noqa: E402
from analyzer.judge.criteria import load_pack  # noqa: E402
from analyzer.model import ClauseTree, Document, Report  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.parse.tree import parse  # noqa: E402
from analyzer.parse.word import read_word  # noqa: E402
from analyzer.pipeline import analyze  # noqa: E402
from analyzer.render import render_html  # noqa: E402
from analyzer.render.word import redline_docx  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_AUTOMATIC = re.compile(r"^(\d+、|\d+\.\d+\.|\d+\.\d+\.\d+\.)$")


def as_docx(tree: ClauseTree) -> bytes:
    """The version as a Word document: numbers written ``1、``, ``1.1.`` and ``1.1.1.`` as a
    three-level automatic list (the number is not typed), headings in Heading styles, other
    labels typed."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for k, text in enumerate(("%1、", "%1.%2.", "%1.%2.%3."))
    )
    numbering.insert(
        0,
        parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">{levels}</w:abstractNum>'),
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for clause in tree.clauses:
        label = clause.label or ""
        automatic = bool(_AUTOMATIC.match(label)) and len(clause.number) <= 3
        words = " ".join(p for p in (clause.heading, clause.text) if p)
        text = words if automatic or not label else f"{label} {words}"
        style = "Heading 1" if clause.heading and not clause.text and clause.depth == 0 else None
        paragraph = document.add_paragraph(text, style=style)
        if automatic:
            props = paragraph._p.get_or_add_pPr()
            props.insert(
                0 if style is None else 1,
                parse_xml(
                    f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{len(clause.number) - 1}"/>'
                    '<w:numId w:val="90"/></w:numPr>'
                ),
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def redline_times(old: ClauseTree, new: ClauseTree, repeat: int) -> tuple[float, float, float, int]:
    """Best times of the analysis, the HTML page and the Word redline of one revision."""
    pack = load_pack("seed-9.4")
    alignment = align_clauses(old, new, embedder=None, unavailable="benchmark")

    def analysis() -> Report:
        return analyze(old, new, pack=pack, alignment=alignment, unavailable="benchmark")

    t_analyze = best(repeat, analysis)
    report = analysis()
    t_html = best(repeat, lambda: render_html(report))
    t_docx = best(repeat, lambda: redline_docx(report, old, new, alignment))
    return t_analyze, t_html, t_docx, len(report.changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(
        f"{'revision':<14}{'clauses':>8}{'md parse':>10}{'docx read':>11}{'ratio':>7}"
        f"{'changes':>9}{'analyze':>10}{'html':>9}{'docx':>9}{'ratio':>7}"
    )
    for name, old, old_name, new, new_name in revisions():
        old_tree = parse(read_document(old, old_name))
        new_tree = parse(read_document(new, new_name))
        data = as_docx(new_tree)
        markdown = read_word(data, "new.docx").markdown

        def markdown_parse(markdown: str = markdown) -> ClauseTree:
            return parse(Document("new.md", markdown, "markdown"))

        def word_parse(data: bytes = data) -> ClauseTree:
            return parse(Document("new.docx", read_word(data, "new.docx").markdown, "markdown"))

        t_md = best(options.repeat, markdown_parse)
        t_word = best(options.repeat, word_parse)

        t_analyze, t_html, t_docx, changes = redline_times(old_tree, new_tree, options.repeat)
        print(
            f"{name:<14}{len(new_tree.clauses):>8}{t_md * 1000:>8.0f}ms{t_word * 1000:>9.0f}ms"
            f"{t_word / t_md:>7.2f}{changes:>9}{t_analyze * 1000:>8.0f}ms"
            f"{t_html * 1000:>7.0f}ms{t_docx * 1000:>7.0f}ms{t_docx / t_html:>7.2f}"
        )


if __name__ == "__main__":
    main()
