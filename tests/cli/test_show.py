"""`policy show`: the clause tree of a version as a tree or as policy-tree/1 JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from tests.helpers.child_process import python_with_another_hash_seed

ROOT = Path(__file__).resolve().parents[2]
SEED_REF = "policy_versions/alibaba-cloud-privacy/2023-05-26.md"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_show_tree() -> None:
    result = runner.invoke(app, ["show", SEED_REF])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("warning: line 186: number 'III'")
    assert sum(line.startswith("warning:") for line in lines) == 6
    assert any(line.startswith("s3         3 [III] How can we provide") for line in lines)
    assert any(
        line.startswith("    s2.1       2.1 [2.1.] Help you become our member") for line in lines
    )


def test_show_json_by_reference_and_by_path_agree() -> None:
    by_path = runner.invoke(app, ["show", SEED_REF, "--format", "json"])
    by_ref = runner.invoke(app, ["show", "alibaba-cloud-privacy@2023-05-26", "--format", "json"])
    assert by_path.exit_code == 0 and by_ref.exit_code == 0, by_ref.output
    data = json.loads(by_path.stdout)
    assert data["schema"] == "policy-tree/1"
    assert data["source"] == SEED_REF
    assert data["meta"]["effective"] == "2023-06-01"
    assert data["language"] == "en"
    assert len(data["warnings"]) == 6
    clause = next(c for c in data["clauses"] if c["id"] == "s3.4.3")
    assert clause["label"] == "3.3.3" and clause["number"] == [3, 4, 3]
    assert clause["parent"] == "s3.4" and clause["lines"] == [230, 230]
    assert clause["address"] == "3.4.3" and len(clause["hash"]) == 64
    by_ref_data = json.loads(by_ref.stdout)
    assert by_ref_data["clauses"] == data["clauses"]


def test_show_is_deterministic() -> None:
    first = runner.invoke(app, ["show", SEED_REF, "--format", "json"]).stdout
    # again in another process with another hash seed (see helpers.child_process)
    second = python_with_another_hash_seed("-m", "analyzer", "show", SEED_REF, "--format", "json")
    assert first == second.decode("utf-8")


def test_show_markdown_and_html_files(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<nav>Menu</nav><main><h2>Cookies</h2><p>We use them.</p></main>")
    result = runner.invoke(app, ["show", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["clauses"]] == ["h-cookies", "h-cookies-p1"]
    notes = tmp_path / "notes.md"
    notes.write_text("# Terms\n\n## 1. Scope\n\nText.\n", encoding="utf-8")
    tree = runner.invoke(app, ["show", str(notes)])
    assert tree.exit_code == 0
    assert "s1         1 [1.] Scope" in tree.stdout


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "file is empty"),
        ("blank.txt", b"  \n\n", "file is empty"),
        ("binary.md", b"\x00\x01\x02\x03binary", "binary file"),
        ("latin1.txt", "café au lait\n".encode("latin-1"), "not valid UTF-8"),
        ("front.md", b"---\ntitle: [unclosed\n---\nBody\n", "malformed front matter"),
        ("open.md", b"---\ntitle: x\nBody without a closing line\n", "front matter is not closed"),
        ("nobody.md", b"---\ntitle: x\n---\n\n", "no policy text"),
    ],
)
def test_bad_files_exit_2_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["show", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"policy: error: {path}")
    assert reason in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("no/such/file.md", "no/such/file.md: no such file"),
        ("nosuch-policy@2023-05-26", "unknown policy 'nosuch-policy'"),
        ("alibaba-cloud-privacy@1999-01-01", "has no version '1999-01-01'"),
    ],
)
def test_bad_references_exit_2(ref: str, reason: str) -> None:
    result = runner.invoke(app, ["show", ref], catch_exceptions=False)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and reason in lines[0], result.stderr


def test_bad_format_option_exits_2() -> None:
    result = runner.invoke(app, ["show", SEED_REF, "--format", "yaml"])
    assert result.exit_code == 2


@pytest.mark.skipif(shutil.which("policy") is None, reason="console script not installed")
def test_installed_console_script() -> None:
    done = subprocess.run(
        ["policy", "show", SEED_REF, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["clauses"][0]["kind"] == "preamble"


# --------------------------------------------------------------------------- --facts

FACTS_SCHEMA = json.loads(
    (ROOT / "analyzer/schemas/policy-facts-1.json").read_text(encoding="utf-8")
)


def _facts_json(ref: str) -> dict:
    result = runner.invoke(app, ["show", ref, "--facts", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict = json.loads(result.stdout)
    return data


def _named(entries: list[dict]) -> dict[str, dict]:
    return {e["value"]: e for e in entries if not e["negated"]}


def test_show_facts_json_lists_what_the_seed_says() -> None:
    data = _facts_json("alibaba-cloud-privacy@2023-05-26")
    errors = list(jsonschema.Draft202012Validator(FACTS_SCHEMA).iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["schema"] == "policy-facts/1" and data["meta"]["version"] == "2023-05-26"
    categories = _named(data["categories"])
    biometric = categories["biometric"]
    assert biometric["sensitive"] and "2.2.1(3)" in biometric["clauses"]
    assert any("face" in w or "facial" in w for w in biometric["words"])
    assert biometric["subtypes"] == ["face"]
    assert categories["id-document"]["sensitive"]
    assert any("ID card" in w for w in categories["id-document"]["words"])
    (phone,) = data["phones"]
    assert (phone["name"], phone["roles"]) == ("400-80-13260", ["hotline"])
    assert phone["clauses"] == ["Prompt clause ¶2", "10 ¶1"]
    assert [(d["value"], d["clauses"]) for d in data["deadlines"]] == [
        ("15 days", ["5.6.1", "10 ¶1"])
    ]
    china = _named(data["places"])["CN"]
    assert china["name"] == "the People's Republic of China"
    assert "storage" in china["roles"] and china["clauses"] == ["7.6"]
    advertisers = _named(data["recipients"])["advertisers"]
    assert advertisers["name"] == "advertising partners" and advertisers["clauses"] == ["3.1.1"]
    rights = _named(data["rights"])
    # 5.2: "You can copy your personal information": a copy, not portability to another company
    assert {"access", "delete", "correct", "copy", "withdraw-consent"} <= set(rights)
    assert rights["access"]["status"] == "granted"
    # granted where a sentence grants it, not where it is only named (2.2.2: 'inquiries')
    assert "2.2.2" not in rights["access"]["clauses"]
    assert [d["value"] for d in rights["access"]["deadlines"]] == ["15 days"]
    assert [e["name"] for e in data["controller"]] == ["Alibaba Cloud Computing Ltd"]
    # the policy's own list of major changes (9.4.x) states none of them
    assert "9.4.5" in data["left_out"]
    assert not any("9.4.5" in d["clauses"] for d in data["departments"])


def test_show_facts_text_names_each_statement_with_its_clauses() -> None:
    result = runner.invoke(app, ["show", "alibaba-cloud-privacy@2026-02-02", "--facts"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("What alibaba-cloud-privacy@2026-02-02 says (")
    assert "Recipients" in lines and "Places of storage and transfer" in lines
    partners = next(line for line in lines if line.startswith("  advertising partners"))
    assert "receives: device information, log information" in partners
    assert partners.endswith("— 3.1.1, 3.1.4")
    assert any(line.startswith("  95187 [hotline]") for line in lines)
    assert any(line.strip() == "reply within: 15 days (5.6.1, 10 ¶1)" for line in lines)


def test_show_facts_is_deterministic() -> None:
    args = ["show", "alibaba-cloud-privacy@2023-05-26", "--facts", "--format", "json"]
    first = runner.invoke(app, args).stdout
    second = python_with_another_hash_seed("-m", "analyzer", *args)
    assert first == second.decode("utf-8")


def test_criteria_without_facts_is_a_usage_error() -> None:
    result = runner.invoke(app, ["show", SEED_REF, "--criteria", "seed-9.4"])
    assert result.exit_code == 2
    assert "--criteria is used with --facts only" in result.output


def test_the_readme_excerpt_of_show_facts_is_true() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- facts: lines of `policy show alibaba-cloud-privacy@2023-05-26")
    block = readme[start : readme.index("<!-- end of facts -->")]
    excerpt = block.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    result = runner.invoke(app, ["show", "alibaba-cloud-privacy@2023-05-26", "--facts"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(excerpt) > 10
    missing = [line for line in excerpt if line not in lines]
    assert not missing, missing
    # in the order the command prints them
    positions = [lines.index(line) for line in excerpt]
    assert positions == sorted(positions)
