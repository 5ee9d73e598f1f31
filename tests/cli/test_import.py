"""``policy import`` of whole histories as a user meets it: the summary, progress (a bar on a
terminal, lines when piped), one-line errors with exit code 2 and nothing written, an
interrupted import that leaves whole files, and the corpus's GitHub privacy statement, every
version of it, through ``policy site build`` and ``policy check --all``."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.store.versions import Store
from tests.helpers.child_process import ROOT, policy
from tests.helpers.policy_histories import POLICY, history_repo, ota_dataset, policy_text

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_git_history_with_its_summary_and_progress_lines(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    versions = tmp_path / "versions"
    args = ("import", "--git", str(repo.path), "--path", repo.file, "--policy", POLICY)
    code, out, err = invoke(*args, "--versions", str(versions))
    assert code == 0, err
    assert out.splitlines()[0] == (
        f"{POLICY}: 6 imported, 1 skipped (0 already present, 1 without a change), 1 refused"
    )
    assert f"  skipped commit {repo.commits[5][:12]} (2023-04-01): the same text as " in out
    assert f"  refused commit {repo.commits[7][:12]} (2023-05-01): binary file" in out
    # piped: a plain line per commit saying what became of it, a warning for the binary one
    lines = err.splitlines()
    assert (
        f"1/8 commit {repo.commits[0][:12]} (2023-01-10): imported as {POLICY}@2023-01-10" in lines
    )
    assert (
        f"3/8 commit {repo.commits[2][:12]} (2023-03-02): imported as {POLICY}@2023-03-02-2"
        in lines
    )
    assert (
        f"5/8 commit {repo.commits[5][:12]} (2023-04-01): no change since {POLICY}@2023-03-05"
        in lines
    )
    warning = f"policy: warning: commit {repo.commits[7][:12]} (2023-05-01) skipped: binary file"
    assert any(line.startswith(warning) for line in lines)
    assert not any(line.startswith("7/8") for line in lines)
    assert "\r" not in err
    code, out, _err = invoke(*args, "--versions", str(versions))
    assert code == 0 and out.startswith(f"{POLICY}: 0 imported, 7 skipped (6 already present")
    logged = invoke("log", POLICY, "--versions", str(versions))[1]
    assert [line.split()[0] for line in logged.splitlines()[2:]] == [
        "2023-01-10",
        "2023-03-02",
        "2023-03-02-2",
        "2023-03-05",
        "2023-04-02",
        "2023-05-02",
    ]


def test_a_folder_and_an_ota_dataset_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "dated"
    folder.mkdir()
    for name in ("2024-01-01.md", "2024-01-01-2.md", "2024-02-01.md"):
        (folder / name).write_text(policy_text(f"From {name}."), encoding="utf-8")
    versions = tmp_path / "versions"
    code, out, err = invoke(
        "import",
        "--folder",
        str(folder),
        "--policy",
        "p",
        "--since",
        "2024-01-01",
        "--versions",
        str(versions),
    )
    assert (code, out) == (0, "p: 3 imported, 0 skipped, 0 refused\n"), err
    code, out, err = invoke(
        "import", "--ota", str(ota_dataset(tmp_path / "ota")), "--versions", str(versions)
    )
    assert code == 0, err
    assert out.splitlines() == [
        "servicea-terms-of-service: 3 imported, 0 skipped, 0 refused",
        "serviceb-privacy-policy: 1 imported, 0 skipped, 0 refused",
    ]
    shown = invoke("show", "servicea-terms-of-service@2021-01-01-2", "--versions", str(versions))
    assert shown[0] == 0 and "You agree to these terms." in shown[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--git", "{tmp}", "--path", "a.md", "--policy", "p"], "not a git repository"),
        (["--git", "{repo}", "--path", "../a.md", "--policy", "p"], "is not in the repository"),
        (["--git", "{repo}", "--path", "legal/never.md", "--policy", "p"], "was never committed"),
        (
            [
                "--git",
                "{repo}",
                "--path",
                "policies/privacy.md",
                "--policy",
                "p",
                "--rev",
                "v9..v10",
            ],
            "does not resolve",
        ),
        (["--git", "{repo}", "--path", "policies/privacy.md"], "--git needs --policy"),
        (["--git", "{repo}", "--policy", "p"], "--git needs --path"),
        (
            [
                "--git",
                "{repo}",
                "--path",
                "policies/privacy.md",
                "--policy",
                "p",
                "--version",
                "2024-01-01",
            ],
            "takes no FILE, --version",
        ),
        (
            ["--folder", "{tmp}", "--policy", "p", "--path", "x"],
            "--path, --rev and --first-parent go with --git",
        ),
        (["--folder", "{tmp}", "--ota", "{tmp}"], "give one history, not --folder and --ota"),
        (["--folder", "{tmp}/nope", "--policy", "p"], "no such folder"),
        (["--folder", "{tmp}", "--policy", "p", "--since", "last week"], "--since must be a date"),
        (["--ota", "{tmp}"], "not an Open Terms Archive dataset"),
        ([], "nothing to import"),
        (["README.md", "--policy", "p"], "FILE needs --policy and --version"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    repo = history_repo(tmp_path / "repo")
    (tmp_path / "empty").mkdir()
    filled = [a.format(tmp=tmp_path / "empty", repo=repo.path) for a in args]
    versions = tmp_path / "versions"
    run = policy("import", *filled, "--versions", str(versions), cwd=ROOT)
    assert message in run.one_line_error()
    assert not versions.exists()


def test_a_binary_file_history_is_refused_in_one_line(tmp_path: Path) -> None:
    from tests.helpers.policy_histories import Step, build_repo

    repo = build_repo(
        tmp_path / "repo", "logo.md", [Step("2023-01-01T10:00:00+00:00", b"\x00\x01")]
    )
    run = policy(
        "import",
        "--git",
        str(repo.path),
        "--path",
        "logo.md",
        "--policy",
        "p",
        "--versions",
        str(tmp_path / "versions"),
        cwd=ROOT,
    )
    assert "nothing imported: commit " in run.one_line_error()
    assert "binary file" in run.one_line_error()
    assert not (tmp_path / "versions").exists()  # not even a policy.yaml


def _child(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICY_ANALYZER_CACHE": "/nonexistent-cache"}
    return subprocess.Popen([sys.executable, "-m", "analyzer", *args], cwd=ROOT, env=env, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_on_a_terminal_progress_is_one_bar_redrawn(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    leader, follower = pty.openpty()
    args = ["import", "--git", str(repo.path), "--path", repo.file, "--policy", POLICY]
    child = _child(
        [*args, "--versions", str(tmp_path / "versions")], stdout=subprocess.PIPE, stderr=follower
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the child
            break
        if not chunk:
            break
        seen += chunk
    out = child.communicate(timeout=60)[0].decode()
    os.close(leader)
    assert child.returncode == 0 and out.startswith(f"{POLICY}: 6 imported")
    screen = seen.decode("utf-8", "replace")
    assert "\rimport  [" in screen and "] 8/8" in screen
    assert "1/8 commit" not in screen  # no line per version on a terminal
    assert "policy: warning: commit" in screen  # the binary commit, named


def test_an_interrupted_import_leaves_whole_versions_and_runs_on(tmp_path: Path) -> None:
    """Ctrl-C in the middle of a long import: exit 130 with what was done; every version file
    there is whole; the same command again imports the rest."""
    folder = tmp_path / "dated"
    folder.mkdir()
    texts = {}
    for n in range(400):
        name = f"2020-01-01-{n + 1}.md" if n else "2020-01-01.md"
        texts[name] = policy_text(f"Version number {n}.")
        (folder / name).write_text(texts[name], encoding="utf-8")
    versions = tmp_path / "versions"
    args = ["import", "--folder", str(folder), "--policy", "p", "--versions", str(versions)]
    child = _child(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stderr is not None
    first = child.stderr.readline()
    assert first.startswith(b"1/400 "), first
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err.decode()
    assert b"interrupted" in err and b"Traceback" not in err
    assert out.startswith(b"p: ") and b" imported" in out
    written = Store(versions).versions("p")
    assert 0 < len(written) < 400
    for item in written:
        assert Store(versions).load(item).text == texts[item.path.name]
    assert not [p for p in (versions / "p").iterdir() if p.name.startswith(".")]
    code, rest, err_text = invoke(*args)
    assert code == 0, err_text
    assert rest.startswith(f"p: {400 - len(written)} imported, {len(written)} skipped")
    assert len(Store(versions).versions("p")) == 400


@pytest.mark.slow
def test_the_corpus_privacy_statement_every_version_in_the_site_and_the_gate(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """58 versions, 21 of them sharing a day with another: every one imported with the
    corpus's own id, shown by the site, judged by the gate in the order of the commits."""
    source = corpus_dir / "github-site-policy" / "github-privacy-statement"
    listed = json.loads((source / "versions.json").read_text(encoding="utf-8"))
    in_order = [
        entry["file"].removesuffix(".md") for entry in sorted(listed, key=lambda e: e["datetime"])
    ]
    versions = tmp_path / "versions"
    code, out, err = invoke(
        "import", "--folder", str(source), "--policy", "gh", "--versions", str(versions)
    )
    assert (code, out) == (0, "gh: 58 imported, 0 skipped, 0 refused\n"), err
    ids = [v.version for v in Store(versions).versions("gh")]
    assert ids == in_order
    assert sum(1 for i in ids if len(i) > 10) == 21
    # the site: a page for every version, the policy's list in order
    code, _out, err = invoke(
        "site",
        "build",
        "--versions",
        str(versions),
        "--output",
        str(tmp_path / "site"),
        "--no-model",
        "--no-cache",
    )
    assert code == 0, err
    site = json.loads((tmp_path / "site" / "gh" / "versions.json").read_text(encoding="utf-8"))
    assert [v["key"] for v in site["versions"]] == in_order
    assert all((tmp_path / "site" / "gh" / key / "changes.html").is_file() for key in in_order[1:])
    # the gate, judged lexically here (the order is what this test is about, and the model
    # would take minutes on 57 revisions with a cold cache)
    import analyzer.check.run as check_run

    monkeypatch.setattr(check_run, "_default_embedder", lambda: (None, "lexical for the test"))
    code, out, err = invoke("check", "--all", "--versions", str(versions), "--format", "json")
    assert code in (0, 1), err
    revisions = json.loads(out)["revisions"]
    pairs = [(r["old"], r["new"]) for r in revisions]
    names = [f"{versions}/gh/{i}.md" for i in in_order]
    assert pairs == list(zip([None, *names[:-1]], names, strict=True))
