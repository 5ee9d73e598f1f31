"""Building small versions folders and throw-away git repositories for the ``policy check`` tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from analyzer.cli import app

POLICY = "demo"

BODY = """# Demo privacy policy

1. What we collect

1.1. We collect your name and e-mail address to run your account.

1.2. We keep server logs for security.

2. Your rights

2.1. You can ask us to correct or delete your information.

2.2. Questions? Call our hotline (400-80-13260) or write to privacy@example.com.
"""

runner = CliRunner()


def version_text(
    version: str,
    *,
    body: str = BODY,
    updated: str | None = None,
    effective: str | None = None,
    status: str = "draft",
    notice: str = "publish",
    language: str = "en",
    policy: str = POLICY,
    drop: tuple[str, ...] = (),
) -> str:
    """A version file: front matter (``drop`` leaves fields out) and the body."""
    fields = {
        "title": "Demo privacy policy",
        "policy": policy,
        "version": version,
        "updated": updated or version[:10],
        "effective": effective or updated or version[:10],
        "language": language,
        "status": status,
        "notice": notice,
    }
    front = "".join(f"{key}: {value}\n" for key, value in fields.items() if key not in drop)
    return f"---\n{front}---\n{body}"


def make_policy(root: Path, policy: str = POLICY, *, period: int = 30) -> Path:
    folder = root / policy
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy.yaml").write_text(
        f"title: Demo\nlanguages: [en]\ncriteria: seed-9.4\nnotice_period_days: {period}\n",
        encoding="utf-8",
    )
    return folder


def write_version(root: Path, version: str, text: str | None = None, **fields: Any) -> Path:
    """Write ``<root>/demo/<version>.md`` (the name may carry a language: ``2024-01-01.zh``)."""
    path = root / POLICY / f"{version}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else version_text(version, **fields), encoding="utf-8")
    return path


def check(*args: str) -> Result:
    """``policy check ARGS`` through the CLI."""
    return runner.invoke(app, ["check", *args])


def git(repo: Path, *args: str, when: str | None = None) -> str:
    """Run git in ``repo`` with a throw-away identity (and ``when`` as the author and committer
    date of a commit); return stdout."""
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Policy Tester",
            "-c",
            "user.email=tester@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=repo,
        env={**os.environ, **dates},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def new_repo(path: Path) -> tuple[Path, Path]:
    """An empty repository on ``main`` with a ``policy_versions/demo`` policy (not committed)."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    versions = path / "policy_versions"
    make_policy(versions)
    return path, versions


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()
