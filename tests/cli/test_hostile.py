"""Hostile and broken input through the real command line: each case ends in a result or in one
line on stderr with exit code 2, never a traceback, within bounded time and memory.

The bounds are guards against a hang, a catastrophic regex or a file read whole when it should
not be, set generously (the machine running the suite is shared); speed itself is measured in
``bench/`` (BENCHMARKS.md). Every run is a child process: its exit code, stderr, wall time and
its own peak RSS are what a user would see.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from analyzer.store.files import MAX_FILE_BYTES
from tests.helpers.child_process import policy
from tests.helpers.site_histories import seed_parts

SMALL = "1. We collect your e-mail address.\n\n2. We keep it for one year.\n"


def seed_body() -> str:
    return seed_parts()[1]


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def git_commit_all(folder: Path) -> None:
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "versions"],
    ):
        subprocess.run(["git", *args], cwd=folder, check=True, timeout=120)


# -- size ---------------------------------------------------------------------------------------


def _realistic_text(size: int) -> str:
    """Real clauses (the seed's), numbered as parts of one long policy, about ``size`` bytes."""
    body = seed_body()
    parts, total, k = [], 0, 0
    while total < size:
        k += 1
        part = f"\n{k}. Part {k}\n\n" + body.replace("Alibaba Cloud", f"Alibaba Cloud {k}")
        parts.append(part)
        total += len(part.encode("utf-8"))
    return "Privacy policy\n" + "".join(parts)


@pytest.mark.slow
def test_a_50_mb_policy_is_refused_without_being_read(tmp_path: Path) -> None:
    text = _realistic_text(50 * 1024 * 1024)
    big = write(tmp_path, "big.md", text)
    del text
    assert big.stat().st_size > 50 * 1024 * 1024
    write(tmp_path, "small.md", SMALL)
    baseline = policy("show", "small.md", cwd=tmp_path)
    assert baseline.code == 0, baseline.stderr
    runs = {
        "show": policy("show", "big.md", cwd=tmp_path),
        "diff": policy("diff", "--no-model", "small.md", "big.md", cwd=tmp_path),
        "import": policy(
            "import", "big.md", "--policy", "p", "--version", "2024-01-01", cwd=tmp_path
        ),
    }
    store = tmp_path / "policy_versions" / "p"
    write(store, "2024-01-01.md", "---\ntitle: t\n---\n" + SMALL)
    big.rename(store / "2024-02-01.md")
    git_commit_all(tmp_path)
    runs["store"] = policy("show", "p@2024-02-01", cwd=tmp_path)
    runs["git"] = policy("show", "git:HEAD:policy_versions/p/2024-02-01.md", cwd=tmp_path)
    runs["check"] = policy("check", "--all", cwd=tmp_path)
    runs["site"] = policy("site", "build", "--no-model", cwd=tmp_path)
    for name, run in runs.items():
        line = run.one_line_error()
        assert "file too large" in line and "16 MiB" in line, (name, line)
        assert run.seconds < 60, (name, run.seconds)
        # never read: the process stays within a few MiB of one that read a tiny file
        assert run.peak_mib < baseline.peak_mib + 30, (name, run.peak_mib, baseline.peak_mib)
    assert not (tmp_path / "_site").exists()
    assert sorted(p.name for p in store.iterdir()) == ["2024-01-01.md", "2024-02-01.md"]


@pytest.mark.slow
def test_a_policy_just_under_the_limit_is_parsed_in_bounded_time(tmp_path: Path) -> None:
    text = _realistic_text(MAX_FILE_BYTES - 2 * 1024 * 1024)
    write(tmp_path, "large.txt", text)
    run = policy("show", "--format", "json", "large.txt", cwd=tmp_path, timeout=600)
    assert run.code == 0, run.stderr[-2000:]
    tree = json.loads(run.stdout)
    parts = text.count("\n1. Part ") + text.count(". Part ")
    assert len(tree["clauses"]) > parts > 200
    assert run.seconds < 300 and run.peak_mib < 2048, (run.seconds, run.peak_mib)


@pytest.mark.slow
def test_a_one_megabyte_line_without_spaces(tmp_path: Path) -> None:
    latin = "1. " + "x" * 1_000_000 + "\n"
    cjk = "1、" + "个人信息收集使用规则" * 100_000 + "\n"
    write(tmp_path, "small.txt", SMALL)
    write(tmp_path, "latin.txt", latin)
    write(tmp_path, "cjk.txt", cjk)
    write(tmp_path, "cjk2.txt", cjk.replace("规则", "规定", 3))
    for old, new, needle in [
        ("small.txt", "latin.txt", "x" * 1_000_000),
        ("cjk.txt", "cjk2.txt", "规定"),
    ]:
        run = policy("diff", "--no-model", "--format", "json", old, new, cwd=tmp_path)
        assert run.code in (0, 1), run.stderr[-2000:]
        assert run.seconds < 120 and run.peak_mib < 1536, (new, run.seconds, run.peak_mib)
        report = json.loads(run.stdout)
        assert report["changes"], new
        # the long line is reported whole (in pieces of at most 4 KiB, issue 14)
        texts = "".join((c["new"] or {}).get("text", "") for c in report["changes"])
        assert needle in texts, "the long line is reported whole"
    shown = policy("show", "--format", "json", "latin.txt", cwd=tmp_path)
    assert shown.code == 0
    tree = json.loads(shown.stdout)
    assert "x" * 1_000_000 in "".join(c["text"] for c in tree["clauses"])
    assert any("read in" in w and "pieces" in w for w in tree["warnings"])
    # what a megabyte of Chinese says: read in bounded time, every statement with its clause
    facts = policy("show", "--facts", "--format", "json", "cjk.txt", cwd=tmp_path)
    assert facts.code == 0, facts.stderr[-2000:]
    assert facts.seconds < 120 and facts.peak_mib < 1536, (facts.seconds, facts.peak_mib)
    summary = json.loads(facts.stdout)
    # clause 1, read in pieces of at most 4 KiB (its paragraphs 1 ¶1, 1 ¶2 …)
    (collect,) = [e["clauses"] for e in summary["handling"] if e["value"] == "collect"]
    assert collect[0] == "1" and all(c.startswith("1 ¶") for c in collect[1:]), collect[:5]


@pytest.mark.slow
def test_a_five_megabyte_line_is_diffed_in_bounded_time(tmp_path: Path) -> None:
    """Issue 14: a single 5 MB line of policy words took 155 s and 1.6 GB. It is read in
    pieces cut where its own words say (an insertion moves no other cut), so the unchanged
    pieces are matched as identical and the one that changed is found and judged. The bound
    is a generous guard against a hang (BENCHMARKS.md has the figures)."""
    one_line = " ".join(seed_parts()[1].split())
    old = (one_line + " ") * (5_000_000 // (len(one_line) + 1) + 1)
    old = old[:5_000_000]
    middle = old.index(" ", 2_500_000)
    new = old[:middle] + " We sell your precise location to advertisers." + old[middle:]
    write(tmp_path, "old.txt", old + "\n")
    write(tmp_path, "new.txt", new + "\n")
    run = policy("diff", "--no-model", "--format", "json", "old.txt", "new.txt", cwd=tmp_path)
    assert run.code == 1, run.stderr[-2000:]
    assert run.seconds < 240 and run.peak_mib < 1536, (run.seconds, run.peak_mib)
    report = json.loads(run.stdout)
    assert report["decision"]["level"] in ("popup", "consent")
    assert len(report["changes"]) == 1, "only the piece that changed"
    assert "advertisers" in report["changes"][0]["new"]["text"]


# -- nesting ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_nested_numbering_levels(tmp_path: Path) -> None:
    deep_label = ".".join(["1"] * 10_000) + " The deepest clause.\n"
    staircase = "".join(".".join(["1"] * i) + f" Clause at depth {i}.\n" for i in range(1, 1001))
    cases = {
        "label.txt": deep_label,
        "stairs.txt": staircase,
        "quotes.md": "> " * 10_000 + "deep words\n",
        "lists.md": "".join("  " * i + f"{i + 1}. item {i}\n" for i in range(500)),
        "divs.html": "<ol><li>" * 10_000 + "deep words" + "</li></ol>" * 10_000,
    }
    for name, text in cases.items():
        write(tmp_path, name, text)
        run = policy("show", "--format", "json", name, cwd=tmp_path)
        assert run.code == 0, (name, run.stderr[-2000:])
        assert run.seconds < 60 and run.peak_mib < 1024, (name, run.seconds, run.peak_mib)
        clauses = json.loads(run.stdout)["clauses"]
        assert clauses and max(c["depth"] for c in clauses) <= 64, name
    edited = staircase.replace("depth 500.", "depth five hundred.")
    write(tmp_path, "stairs2.txt", edited)
    run = policy(
        "diff", "--no-model", "--format", "json", "stairs.txt", "stairs2.txt", cwd=tmp_path
    )
    # a clause that stated a fact per line looked up each fact's sentence by reading the
    # whole clause again (quadratic: over 120 s here); now about 20 s on a busy machine
    assert run.code in (0, 1), run.stderr[-2000:]
    assert run.seconds < 120 and run.peak_mib < 1536, (run.seconds, run.peak_mib)
    changes = json.loads(run.stdout)["changes"]
    # past depth 64 the staircase is one paragraph of a megabyte, read in pieces cut where its
    # own words say: the edit changes the piece it falls in (and the cut its new words make),
    # never the hundreds of pieces after it
    assert 1 <= len(changes) <= 2 and "five hundred" in json.dumps(changes)


# -- characters ---------------------------------------------------------------------------------

HOSTILE_LINE = (
    "1. We share your data with\u202e srentrap \u202c partners, "
    "zero\u200bwidth, caf\u0065\u0301, \u0410ccount (Cyrillic A), 中文条款, "
    "\u2066isolated\u2069 and an escape \x1b[31m.\n\n2. We keep it for one year.\n"
)


def _invisible(text: str) -> list[str]:
    """Format and control characters a reader cannot see (line ends and tabs aside)."""
    return sorted(
        {
            f"U+{ord(ch):04X}"
            for ch in text
            if unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\t\r"
        }
    )


def test_bidi_zero_width_combining_and_mixed_scripts_are_shown_not_hidden(tmp_path: Path) -> None:
    write(tmp_path, "old.txt", SMALL)
    write(tmp_path, "new.txt", HOSTILE_LINE)
    for fmt in ("text", "markdown", "html"):
        run = policy("diff", "--no-model", "--format", fmt, "old.txt", "new.txt", cwd=tmp_path)
        assert run.code in (0, 1), run.stderr
        assert _invisible(run.stdout) == [], fmt
        shown = run.stdout.replace("\\+", "+")  # Markdown escapes the plus sign
        for code in ("U+202E", "U+202C", "U+2066", "U+2069", "U+001B"):
            assert code in shown, (fmt, code)
        assert "zerowidth" in shown, "a zero-width space is not a character of the word"
        assert "café" in shown  # the combining accent composed with its letter (NFC)
        # a Cyrillic letter inside a Latin word is a look-alike: marked, never shown as if Latin
        assert "⟨U+0410⟩ccount" in shown and "中文条款" in shown, "other scripts are kept"
        assert "U+0410 CYRILLIC CAPITAL LETTER A" in shown, "listed with its name"
    run = policy("diff", "--no-model", "--format", "json", "old.txt", "new.txt", cwd=tmp_path)
    assert _invisible(run.stdout) == []
    assert "\\u202e" in run.stdout.lower()
    report = json.loads(run.stdout)  # and the JSON reads back to the published characters
    assert "\u202e" in json.dumps(report, ensure_ascii=False)
    assert "\u0410ccount" in json.dumps(report, ensure_ascii=False)
    listed = {(s["code_point"], s["kind"]) for s in report["suspicious"]}
    assert {("U+202E", "bidi"), ("U+2066", "bidi"), ("U+0410", "look-alike")} <= listed
    tree = policy("show", "new.txt", cwd=tmp_path)
    assert tree.code == 0 and _invisible(tree.stdout) == [] and "U+202E" in tree.stdout


def test_bidi_characters_never_reach_a_site_page_invisibly(tmp_path: Path) -> None:
    versions = tmp_path / "policy_versions" / "p"
    write(versions, "policy.yaml", "title: P\nlanguages: [en]\n")
    write(versions, "2024-01-01.md", "---\ntitle: P\nstatus: published\n---\n" + SMALL)
    write(versions, "2024-02-01.md", "---\ntitle: P\nstatus: published\n---\n" + HOSTILE_LINE)
    run = policy("site", "build", "--no-model", cwd=tmp_path)
    assert run.code == 0, run.stderr
    pages = [p for p in (tmp_path / "_site").rglob("*") if p.is_file()]
    seen = ""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _invisible(text) == [], page
        seen += text
    assert "U+202E" in seen


def test_nul_bytes_are_refused_in_one_line(tmp_path: Path) -> None:
    write(tmp_path, "old.txt", SMALL)
    write(tmp_path, "nul.txt", SMALL.encode() + b"3. Hidden\x00 text.\n")
    for args in (
        ["show", "nul.txt"],
        ["diff", "--no-model", "old.txt", "nul.txt"],
        ["import", "nul.txt", "--policy", "p", "--version", "2024-01-01"],
    ):
        line = policy(*args, cwd=tmp_path).one_line_error()
        assert "nul.txt" in line and "NUL" in line, line
    assert not (tmp_path / "policy_versions").exists()


# -- encodings ----------------------------------------------------------------------------------

FRENCH = "1. Données « personnelles » – café, €5.\n\n2. Nous les gardons un an.\n"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (FRENCH.encode("cp1252"), "Windows-1252"),
        ("1. Données personnelles, café.\n".encode("latin-1"), "Latin-1"),
        (FRENCH.encode("utf-16-le"), "UTF-16LE"),
        (FRENCH.encode("utf-16-be"), "UTF-16BE"),
    ],
    ids=["cp1252", "latin1", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_an_encoding_we_cannot_be_sure_of_is_named(tmp_path: Path, data: bytes, named: str) -> None:
    write(tmp_path, "old.txt", SMALL)
    write(tmp_path, "v.txt", data)
    for args in (
        ["show", "v.txt"],
        ["diff", "--no-model", "old.txt", "v.txt"],
        ["import", "v.txt", "--policy", "p", "--version", "2024-01-01"],
    ):
        line = policy(*args, cwd=tmp_path).one_line_error()
        assert named in line and "convert it to UTF-8" in line, line
    assert not (tmp_path / "policy_versions").exists()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    data = FRENCH.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    write(tmp_path, "plain.txt", FRENCH)
    write(tmp_path, "marked.txt", data)
    plain = policy("show", "--format", "json", "plain.txt", cwd=tmp_path)
    marked = policy("show", "--format", "json", "marked.txt", cwd=tmp_path)
    assert marked.code == 0, marked.stderr
    assert _clauses(marked.stdout) == _clauses(plain.stdout)
    same = policy("diff", "--no-model", "plain.txt", "marked.txt", cwd=tmp_path)
    assert same.code == 0 and "no changes" in same.stdout.splitlines()[0], same.stdout


def _clauses(shown: str) -> list[tuple[str, str]]:
    return [(c["label"], c["text"]) for c in json.loads(shown)["clauses"]]


# -- YAML ---------------------------------------------------------------------------------------


def yaml_bomb(levels: int = 9, width: int = 9) -> str:
    """'Billion laughs': a few hundred bytes of anchors standing for width**levels strings."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + f"\ntitle: *a{levels - 1}\n"


def test_a_yaml_bomb_in_front_matter_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "old.md", SMALL)
    write(tmp_path, "bomb.md", f"---\n{yaml_bomb()}---\n{SMALL}")
    for args in (
        ["show", "bomb.md"],
        ["diff", "--no-model", "old.md", "bomb.md"],
        ["import", "bomb.md", "--policy", "p", "--version", "2024-01-01"],
    ):
        run = policy(*args, cwd=tmp_path, timeout=60)
        assert "anchors and aliases are not allowed" in run.one_line_error()
        assert run.seconds < 30 and run.peak_mib < 512


def test_a_yaml_bomb_in_policy_yaml_is_refused(tmp_path: Path) -> None:
    versions = tmp_path / "policy_versions" / "p"
    write(versions, "policy.yaml", yaml_bomb())
    write(versions, "2024-01-01.md", "---\ntitle: P\n---\n" + SMALL)
    write(versions, "2024-02-01.md", "---\ntitle: P\n---\n" + SMALL.replace("one", "two"))
    for args in (
        ["log", "p"],
        ["diff", "--no-model", "p@2024-01-01", "p@2024-02-01"],
        ["check", "--all"],
        ["site", "build", "--no-model"],
    ):
        run = policy(*args, cwd=tmp_path, timeout=60)
        line = run.one_line_error()
        assert "policy.yaml" in line and "anchors and aliases are not allowed" in line, line
        assert run.seconds < 30 and run.peak_mib < 512, (args, run.seconds, run.peak_mib)
    write(versions, "policy.yaml", "title: P\nreviewed: 2024-02-30\n")
    line = policy("log", "p", cwd=tmp_path).one_line_error()
    assert "policy.yaml" in line and "day is out of range" in line


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch pwned"]',
        "!!python/name:os.system",
        '!!python/object/new:subprocess.Popen [["touch", "pwned"]]',
        "!custom value",
    ],
)
def test_yaml_tags_are_never_constructed(tmp_path: Path, tag: str) -> None:
    write(tmp_path, "tagged.md", f"---\ntitle: {tag}\n---\n{SMALL}")
    line = policy("show", "tagged.md", cwd=tmp_path).one_line_error()
    assert "malformed front matter" in line
    versions = tmp_path / "policy_versions" / "p"
    write(versions, "policy.yaml", f"title: {tag}\n")
    write(versions, "2024-01-01.md", "---\ntitle: P\n---\n" + SMALL)
    line = policy("log", "p", cwd=tmp_path).one_line_error()
    assert "policy.yaml" in line and "malformed YAML" in line
    assert not (tmp_path / "pwned").exists()


# -- paths --------------------------------------------------------------------------------------


def _store_with_outside_file(tmp_path: Path) -> Path:
    """A store ``policy_versions/p`` with one version, and a secret next to the store."""
    versions = tmp_path / "policy_versions" / "p"
    write(versions, "2024-01-01.md", "---\ntitle: P\n---\n" + SMALL)
    write(tmp_path, "secret.md", "---\ntitle: S\n---\n1. The secret clause.\n")
    return versions


@pytest.mark.parametrize(
    "args",
    [
        ["show", "p@../../secret"],
        ["show", "../policy_versions@2024-01-01"],
        ["show", "..@2024-01-01"],
        ["diff", "--no-model", "p@2024-01-01", "p@../secret"],
        ["import", "secret.md", "--policy", "../escape", "--version", "2024-01-01"],
        ["import", "secret.md", "--policy", "p", "--version", "../../2024-01-01"],
        ["import", "secret.md", "--policy", "p", "--version", "2024-01-02", "--language", "../x"],
        [
            "import",
            "secret.md",
            "--policy",
            "p",
            "--version",
            "2024-01-02",
            "--language",
            "en/../..",
        ],
    ],
)
def test_a_version_name_with_dot_dot_is_refused(tmp_path: Path, args: list[str]) -> None:
    versions = _store_with_outside_file(tmp_path)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    run = policy(*args, cwd=tmp_path)
    run.one_line_error()
    assert "secret clause" not in run.stdout
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert after == before, "nothing written anywhere"
    assert [p.name for p in versions.iterdir()] == ["2024-01-01.md"]


def test_a_symlink_out_of_the_store_is_refused(tmp_path: Path) -> None:
    versions = _store_with_outside_file(tmp_path)
    (versions / "2024-02-01.md").symlink_to(tmp_path / "secret.md")
    (tmp_path / "policy_versions" / "q").symlink_to(tmp_path / "outside", target_is_directory=True)
    write(tmp_path / "outside", "2024-01-01.md", "---\ntitle: S\n---\n1. The secret clause.\n")
    for args in (
        ["show", "p@2024-02-01"],
        ["diff", "--no-model", "p@2024-01-01", "p@2024-02-01"],
        ["show", "q@2024-01-01"],
        ["log", "q"],
        ["site", "build", "--no-model"],
        ["import", "secret.md", "--policy", "q", "--version", "2024-03-01"],
    ):
        run = policy(*args, cwd=tmp_path)
        line = run.one_line_error()
        assert "outside" in line, (args, line)
        assert "secret clause" not in run.stdout
    assert not (tmp_path / "_site").exists()
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["2024-01-01.md"]
    # a symlink that stays inside the store is an ordinary version
    (versions / "2024-02-01.md").unlink()
    (versions / "2024-02-01.md").symlink_to("2024-01-01.md")
    assert policy("show", "p@2024-02-01", cwd=tmp_path).code == 0


def test_a_yaml_bomb_in_notice_templates_is_refused(tmp_path: Path) -> None:
    from analyzer.errors import PolicyError
    from analyzer.notices.patterns import load_patterns

    write(tmp_path / "templates" / "en", "sentences.yaml", yaml_bomb())
    shipped = Path(__file__).resolve().parents[2] / "notices"
    with pytest.raises(
        PolicyError, match=r"anchors and aliases are not allowed in sentences\.yaml"
    ):
        load_patterns("en", [tmp_path / "templates", shipped])
