"""Word documents on the command line: ``policy import`` and ``policy diff`` read .docx,
``policy diff --format docx`` and ``policy notice --format docx`` write it; bad Word files are
one line, exit code 2, and nothing written."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from analyzer.cli import app
from tests.helpers.child_process import policy
from tests.helpers.word_documents import (
    NUMBERED_POLICY_MARKDOWN,
    encrypted_docx,
    lying_zip_bomb,
    macro_enabled,
    numbered_policy,
    old_binary_doc,
    rewrite,
)
from tests.helpers.word_views import W, document_xml, paragraphs

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "policy_versions"
OLD, NEW = "alibaba-cloud-privacy@2023-05-26", "alibaba-cloud-privacy@2026-02-02"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def draft_files(folder: Path) -> tuple[Path, Path, Path]:
    """The example policy in Word: as published, as a reviewer's draft with pending changes
    and a comment, and typed in Markdown."""
    draft, named = numbered_policy()
    published = folder / "published.docx"
    published.write_bytes(draft.to_bytes())
    draft.insert(
        named["1.1"], " and its apps", at=len("This policy applies to the Example website")
    )
    draft.delete(named["2.1.2"], " We may also use it to recover your account.")
    draft.comment(named["3.1"], "Is post still an option?")
    revised = folder / "revised.docx"
    revised.write_bytes(draft.to_bytes())
    markdown = folder / "policy.md"
    markdown.write_text(NUMBERED_POLICY_MARKDOWN, encoding="utf-8")
    return published, revised, markdown


def test_import_a_word_document(tmp_path: Path) -> None:
    published, _, markdown = draft_files(tmp_path)
    versions = tmp_path / "versions"
    code, out, err = run(
        "import", str(published), "--policy", "example", "--version", "2026-03-01",
        "--versions", str(versions),
    )  # fmt: skip
    assert code == 0, err
    stored = versions / "example" / "2026-03-01.md"
    assert out.strip() == f"wrote {stored}"
    text = stored.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    meta = yaml.safe_load(front.removeprefix("---\n"))
    assert meta["source"] == "published.docx"
    assert meta["source_sha256"] == hashlib.sha256(published.read_bytes()).hexdigest()
    assert meta["status"] == "draft"
    assert "format" not in meta  # stored as Markdown
    assert body == NUMBERED_POLICY_MARKDOWN
    # the stored version, the Word file and the Markdown give the same clause tree
    trees = []
    for ref in ("example@2026-03-01", str(published), str(markdown)):
        code, out, err = run("show", ref, "--format", "json", "--versions", str(versions))
        assert code == 0, err
        trees.append([{**c, "lines": None} for c in yaml.safe_load(out)["clauses"]])
    assert trees[0] == trees[1] == trees[2]


def test_pending_changes_are_refused_unless_a_view_is_chosen(tmp_path: Path) -> None:
    _, revised, _ = draft_files(tmp_path)
    versions = tmp_path / "versions"
    args = ["import", str(revised), "--policy", "example", "--version", "2026-03-01"]
    code, _, err = run(*args, "--versions", str(versions))
    assert code == 2
    assert err.strip().splitlines() == [
        f"policy: error: {revised}: 2 pending tracked changes (1 insertion, 1 deletion): accept "
        "or reject them in Word, or choose a view with --revisions accept|reject"
    ]
    assert not versions.exists()
    code, _, err = run(*args, "--versions", str(versions), "--revisions", "accept")
    assert code == 0, err
    assert f"policy: warning: {revised}: 2 tracked changes accepted" in err
    assert f"policy: warning: {revised}: 1 comment ignored" in err
    body = (versions / "example" / "2026-03-01.md").read_text(encoding="utf-8")
    assert "the Example website and its apps." in body
    # show reads the same views
    assert run("show", str(revised))[0] == 2
    code, out, err = run("show", str(revised), "--revisions", "reject")
    assert code == 0, err
    assert "the Example website and its apps" not in out
    assert "warning: 2 tracked changes rejected (--revisions reject)" in out


def test_diff_reads_word_documents(tmp_path: Path) -> None:
    published, revised, markdown = draft_files(tmp_path)
    code, out, err = run("diff", str(published), str(markdown), "--no-model")
    assert code == 0, err
    assert out.startswith("NONE: no changes")
    code, out, err = run(
        "diff", str(published), str(revised), "--revisions", "accept", "--no-model",
        "--format", "json",
    )  # fmt: skip
    assert code in (0, 1), err
    report = yaml.safe_load(out)
    assert report["new"]["source"] == str(revised)
    changed = [c for c in report["changes"] if c["kind"] == "modified"]
    assert any(["+", " and its apps"] in c["inline"] for c in changed)
    assert "new: 1 comment ignored (comments are not part of the text)" in report["warnings"]
    code, _, err = run("diff", str(published), str(revised), "--no-model")
    assert code == 2 and "2 pending tracked changes" in err


def test_diff_writes_the_redline_as_a_word_document(tmp_path: Path) -> None:
    target = tmp_path / "redline.docx"
    code, out, err = run(
        "diff", OLD, NEW, "--format", "docx", "-o", str(target), "--no-model",
        "--versions", str(VERSIONS),
    )  # fmt: skip
    assert code == 1, err  # the example revision needs consent
    assert out == ""
    data = target.read_bytes()
    lines = paragraphs(data, "as-is")
    assert lines[0].startswith("Redline: Alibaba Cloud")
    assert "Decision: consent" in lines
    # the change-log entry from notices/en/changelog.md is on the first page
    assert "Change-log entry" in lines
    assert any(line.startswith("In section 10 (How to contact us), we changed") for line in lines)
    again = tmp_path / "again.docx"
    run("diff", OLD, NEW, "--format", "docx", "-o", str(again), "--no-model",
        "--versions", str(VERSIONS))  # fmt: skip
    assert again.read_bytes() == data
    marks = [e for e in document_xml(data).iter() if e.tag in (W + "ins", W + "del")]
    assert {m.get(W + "date") for m in marks} == {"2026-02-02T00:00:00Z"}


def test_docx_needs_an_output_file() -> None:
    code, out, err = run("diff", OLD, NEW, "--format", "docx", "--no-model",
                         "--versions", str(VERSIONS))  # fmt: skip
    assert code == 2
    assert out == ""
    assert err.strip() == "policy: error: --format docx writes a Word file: give --output FILE"


@pytest.mark.parametrize("kind", ["email", "changelog"])
def test_notices_as_word_documents(kind: str, tmp_path: Path) -> None:
    target = tmp_path / f"{kind}.docx"
    code, out, err = run(
        "notice", OLD, NEW, "--kind", kind, "--format", "docx", "-o", str(target),
        "--no-model", "--versions", str(VERSIONS),
    )  # fmt: skip
    assert (code, out) == (0, ""), err
    code, text, _ = run("notice", OLD, NEW, "--kind", kind, "--no-model",
                        "--versions", str(VERSIONS))  # fmt: skip
    lines = paragraphs(target.read_bytes(), "as-is")
    if kind == "email":
        subject = text.splitlines()[0].removeprefix("Subject: ")
        assert lines[0] == subject
        assert "Hello," in lines
    else:
        assert lines[0] == "2026-02-02, effective March 9, 2026"
        assert "Major changes" in lines
    assert any("400-80-13260 to 95187" in line for line in lines)
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert "word/document.xml" in archive.namelist()


def test_a_popup_is_not_a_word_document(tmp_path: Path) -> None:
    target = tmp_path / "popup.docx"
    code, _, err = run("notice", OLD, NEW, "--kind", "popup", "--format", "docx", "-o",
                       str(target), "--no-model", "--versions", str(VERSIONS))  # fmt: skip
    assert code == 2
    assert "--format docx is for the e-mail and the change-log entry" in err
    assert not target.exists()


BAD_FILES = {
    "old.doc": lambda base: old_binary_doc(),
    "secret.docx": lambda base: encrypted_docx(),
    "macros.docm": macro_enabled,
    "cut.docx": lambda base: base[: len(base) // 3],
    "garbled.docx": lambda base: rewrite(base, {"word/document.xml": b"<w:document>"}),
    "bomb.docx": lambda base: lying_zip_bomb(base, 200 << 20),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_word_files_are_one_line_exit_2_and_nothing_written(name: str, tmp_path: Path) -> None:
    draft, _ = numbered_policy()
    bad = tmp_path / name
    bad.write_bytes(BAD_FILES[name](draft.to_bytes()))
    good = tmp_path / "good.docx"
    good.write_bytes(draft.to_bytes())
    versions = tmp_path / "versions"
    redline = tmp_path / "redline.docx"
    for args in (
        ["import", str(bad), "--policy", "example", "--version", "2026-03-01",
         "--versions", str(versions)],
        ["diff", str(good), str(bad), "--format", "docx", "-o", str(redline), "--no-model"],
        ["diff", str(bad), str(good), "--no-model"],
    ):  # fmt: skip
        done = policy(*args, cwd=tmp_path, timeout=120)
        line = done.one_line_error()
        assert line.startswith(f"policy: error: {bad}: "), line
        assert done.peak_mib < 400
    assert not versions.exists()
    assert not redline.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted(
        [name, "good.docx"]
    )
