"""Speed of ``policy check`` itself (everything but the judgement pipeline) on a large store,
against baselines measured in the same run on the same files.

Run from the repository root:  python bench/check_bench.py [--repeat N] [--corpus DIR]

The store is built in a temporary folder from the shared corpus (242 versions of 6 policies):
each version keeps its text and gets our front matter; the first half of each policy's versions
is published with ``Store.publish`` so that the ledgers are long. Nothing is copied into the
project.

Figures (best of ``--repeat`` runs):
- ``ingest`` (baseline): read every version file and ingest it (``read_document``), the least
  any check does;
- ``check --all``: read the folder and run every rule over every version, revision and ledger,
  with a judge that answers at once (the pipeline's cost is measured by its own bench);
- ``git archive`` (baseline): one git call that reads every file of the versions folder at HEAD
  (what reading the base costs at the least);
- ``git base``: choose the base (merge base with main) and read the folder at that commit with
  ``ls-tree`` and one ``cat-file --batch``;
- ``check (git)``: the whole check of one edited version against the merge base.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.check.model import RevisionJudgement  # noqa: E402
from analyzer.check.run import run_check  # noqa: E402
from analyzer.model import Document  # noqa: E402
from analyzer.parse.frontmatter import parse_front_matter  # noqa: E402
from analyzer.parse.ingest import read_document  # noqa: E402
from analyzer.store.snapshot import choose_base, find_repo, from_folder  # noqa: E402
from analyzer.store.versions import Store  # noqa: E402

CORPUS = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared")) / "corpus"


def _best_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def _instant_judge(old: Document, new: Document, pack: str) -> RevisionJudgement:
    return RevisionJudgement("publish", ("bench",), None, "bench")


def build_store(corpus: Path, root: Path) -> int:
    count = 0
    for document in sorted(p for p in corpus.glob("*/*") if p.is_dir()):
        policy = document.name
        folder = root / policy
        folder.mkdir(parents=True)
        language = "zh" if document.name.endswith("zh-cn") else "en"
        (folder / "policy.yaml").write_text(
            f"title: {policy}\nlanguages: [{language}]\nnotice_period_days: 30\n", "utf-8"
        )
        versions = sorted(document.glob("????-??-??*.md"))
        for path in versions:
            _meta, body, _line = parse_front_matter(path.read_text("utf-8"), str(path))
            version = path.stem
            front = (
                f"title: {policy}\npolicy: {policy}\nversion: {version}\nupdated: {version[:10]}\n"
                f"effective: {version[:10]}\nlanguage: {language}\nstatus: draft\nnotice: publish\n"
            )
            (folder / path.name).write_text(f"---\n{front}---\n{body}", "utf-8")
            count += 1
        store = Store(root)
        for path in versions[: len(versions) // 2]:
            store.publish(policy, path.stem)
    return count


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=7)
    options.add_argument("--corpus", type=Path, default=CORPUS)
    args = options.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found at {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        root = repo / "policy_versions"
        count = build_store(args.corpus, root)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())

        def ingest() -> None:
            for path in sorted(root.rglob("*.md")):
                read_document(path.read_bytes(), str(path))

        def check_all() -> None:
            result = run_check(from_folder(root), versions="policy_versions", judge=_instant_judge)
            assert result.revisions

        ingest_ms = _best_ms(ingest, args.repeat)
        check_ms = _best_ms(check_all, args.repeat)

        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "store")
        _git(repo, "checkout", "-q", "-b", "edit")
        target = sorted(root.glob("github-privacy-statement/*.md"))[-1]
        target.write_text(target.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
        _git(repo, "commit", "-q", "-am", "edit")
        found = find_repo(root)
        assert found is not None

        def git_base() -> None:
            choose_base(found, None, {})

        def check_git() -> None:
            current = from_folder(root)
            base = choose_base(found, None, current)
            result = run_check(current, versions=found.folder, base=base, judge=_instant_judge)
            assert len(result.revisions) == 1, result.revisions

        def archive() -> None:
            subprocess.run(
                ["git", "archive", "--format=tar", "HEAD", "policy_versions"],
                cwd=repo,
                check=True,
                capture_output=True,
            )

        ls_ms = _best_ms(archive, args.repeat)
        base_ms = _best_ms(git_base, args.repeat)
        check_git_ms = _best_ms(check_git, args.repeat)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"store: {count} versions, {size / 1024 / 1024:.1f} MiB, best of {args.repeat}")
    print("| step | ms | baseline | baseline ms | ratio |")
    print("|---|---:|---|---:|---:|")
    print(
        f"| check --all | {check_ms:.0f} | ingest | {ingest_ms:.0f} | {check_ms / ingest_ms:.2f} |"
    )
    print(f"| git base | {base_ms:.0f} | git archive | {ls_ms:.0f} | {base_ms / ls_ms:.2f} |")
    print(
        f"| check (git, one version edited) | {check_git_ms:.0f} | ingest | {ingest_ms:.0f} | "
        f"{check_git_ms / ingest_ms:.2f} |"
    )


if __name__ == "__main__":
    main()
