"""History import speed (issue 17): ``policy import --folder`` of the corpus's 58-version GitHub
privacy statement and ``policy import --git`` of a file with many commits, each against a
baseline measured in the same run.

Run from the repository root:  python bench/import_bench.py [--repeat N] [--commits N]

Baselines:
- ``--folder``: the shell loop a user wrote before, one ``policy import FILE --version …``
  process per version (given the corpus's ids), and ``cp -r`` of the folder (the least any
  import that writes every file does).
- ``--git``: ``git log --follow -p`` of the same file, git reading the same history with every
  version's text (the least an import of every commit reads).
- A second run of the same import (nothing new: every version skipped as already present).

Every figure is the best of ``--repeat`` child processes (wall seconds; CPU in brackets);
ratios are import / baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import CORPUS, Run, policy, print_machine, run

SOURCE = CORPUS / "github-site-policy" / "github-privacy-statement"
START = dt.datetime(2020, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def best(
    make: Callable[[Path], list[str]], repeat: int, *, prepare: Callable[[Path], None] | None = None
) -> Run:
    """The fastest of ``repeat`` runs of the command ``make(scratch)`` in a fresh folder."""
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            if prepare is not None:
                prepare(folder)
            done = run(make(folder), timeout=1800)
            assert done.code == 0, done
            runs.append(done)
    return min(runs, key=lambda r: r.wall)


def loop_of_imports(folder: Path) -> list[str]:
    """One ``policy import FILE`` process per version, as a shell loop runs them."""
    lines = []
    for path in sorted(SOURCE.glob("*.md")):
        version = path.name.removesuffix(".md")
        lines.append(
            f"'{sys.executable}' -m analyzer import '{path}' --policy gh --version {version} "
            f"--versions '{folder / 'v'}'"
        )
    return ["sh", "-c", " && ".join(lines) + " > /dev/null"]


def make_repo(path: Path, commits: int) -> None:
    """A repository whose ``privacy.md`` (the seed policy's text) changes in every commit, a
    few commits a day, with a rename half way."""
    seed = (
        Path(__file__).resolve().parent.parent
        / "policy_versions"
        / "alibaba-cloud-privacy"
        / "2023-05-26.md"
    ).read_text()
    path.mkdir(parents=True)
    git = [
        "git",
        "-c",
        "user.name=b",
        "-c",
        "user.email=b@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=path, check=True)
    name = "privacy.md"
    for n in range(commits):
        if n == commits // 2:
            subprocess.run([*git, "mv", name, "policy.md"], cwd=path, check=True)
            name = "policy.md"
        (path / name).write_text(seed.replace("Alibaba Cloud", f"Alibaba Cloud ({n})", 1 + n % 7))
        subprocess.run([*git, "add", "-A"], cwd=path, check=True)
        when = (START + dt.timedelta(hours=5 * n)).isoformat()  # four or five a day
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"}
        subprocess.run([*git, "commit", "-q", "-m", f"edit {n}"], cwd=path, check=True, env=env)


def row(name: str, done: Run, base: Run, label: str) -> str:
    return (
        f"| {name} | {done.wall:.2f} s ({done.cpu:.2f}) | {label} {base.wall:.2f} s "
        f"({base.cpu:.2f}) | {done.wall / base.wall:.1f}× |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=200)
    options = parser.parse_args()
    if not SOURCE.is_dir():
        sys.exit(f"the corpus is not at {SOURCE} (set POLICY_SHARED)")
    print_machine("History import (policy import --folder / --git)")
    repeat = options.repeat
    rows = ["| import | time (CPU) | baseline (CPU) | ratio |", "|---|---:|---:|---:|"]

    folder = best(
        lambda d: policy(
            "import", "--folder", str(SOURCE), "--policy", "gh", "--versions", str(d / "v")
        ),
        repeat,
    )
    loop = best(loop_of_imports, repeat)
    copy = best(lambda d: ["cp", "-r", str(SOURCE), str(d / "copy")], repeat)
    rows.append(row("`--folder`, 58 versions", folder, loop, "58 `policy import FILE`"))
    rows.append(row("`--folder`, 58 versions", folder, copy, "`cp -r`"))

    def imported_once(d: Path) -> None:
        subprocess.run(
            policy("import", "--folder", str(SOURCE), "--policy", "gh", "--versions", str(d / "v")),
            check=True,
            capture_output=True,
        )

    again = best(
        lambda d: policy(
            "import", "--folder", str(SOURCE), "--policy", "gh", "--versions", str(d / "v")
        ),
        repeat,
        prepare=imported_once,
    )
    rows.append(row("`--folder` again (nothing new)", again, folder, "first run"))

    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "repo"
        make_repo(repo, options.commits)
        commits = options.commits
        git_import = best(
            lambda d: policy(
                "import",
                "--git",
                str(repo),
                "--path",
                "policy.md",
                "--policy",
                "p",
                "--versions",
                str(d / "v"),
            ),
            repeat,
        )
        log = best(
            lambda d: ["sh", "-c", f"git -C '{repo}' log --follow -p -- policy.md > /dev/null"],
            repeat,
        )
        rows.append(row(f"`--git`, {commits} commits", git_import, log, "`git log --follow -p`"))
        shutil.rmtree(repo)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
