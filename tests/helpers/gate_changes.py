"""A change to a policy written as a git change and run through ``policy check --base main``,
the way CI runs it on a pull request: a repository whose ``main`` holds a published version,
a branch ``change`` with the edit committed, and the check's ``policy-check/1`` JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.store.versions import Store
from tests.helpers.versions_repo import (
    BODY,
    POLICY,
    check,
    commit_all,
    git,
    new_repo,
    write_version,
)

BASE_VERSION = "2024-01-01"
NEW_VERSION = "2024-03-01"
"""The version a change adds (its dates default to this day, ``effective`` 40 days later
when a test asks for a notice period)."""


@dataclass(frozen=True)
class Gate:
    """A repository on the branch ``change``, with ``main`` as the base."""

    top: Path
    versions: Path

    @property
    def folder(self) -> Path:
        return self.versions / POLICY

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str = "the change") -> None:
        commit_all(self.top, message)

    def check(self, *args: str) -> Outcome:
        """``policy check --base main --format json`` over the versions folder."""
        result = check(
            "--versions", str(self.versions), "--base", "main", "--format", "json", *args
        )
        assert result.exit_code in (0, 1), result.output
        return Outcome(result.exit_code, json.loads(result.stdout), result.output)

    def check_text(self, *args: str) -> tuple[int, str]:
        """The same check, as text."""
        result = check("--versions", str(self.versions), "--base", "main", *args)
        assert result.exit_code in (0, 1), result.output
        return result.exit_code, result.stdout


@dataclass(frozen=True)
class Outcome:
    code: int
    data: dict[str, Any]
    output: str

    @property
    def rules(self) -> set[str]:
        return {hit["rule"] for hit in self.data["hits"]}

    def messages(self, rule: str) -> str:
        return "\n".join(h["message"] for h in self.data["hits"] if h["rule"] == rule)

    def revision(self, name: str) -> dict[str, Any]:
        [found] = [r for r in self.data["revisions"] if r["new"].endswith("/" + name)]
        return found


def gate_repo(
    tmp_path: Path,
    *,
    body: str = BODY,
    policy_yaml: str | None = None,
    published: bool = True,
    language: str = "en",
) -> Gate:
    """``main``: the demo policy with one version (published); then the branch ``change``."""
    top, versions = new_repo(tmp_path / "repo")
    if policy_yaml is not None:
        (versions / POLICY / "policy.yaml").write_text(policy_yaml, encoding="utf-8")
    write_version(versions, BASE_VERSION, body=body, language=language)
    if published:
        Store(versions).publish(POLICY, BASE_VERSION)
    commit_all(top, "the published policy")
    git(top, "checkout", "-q", "-b", "change")
    return Gate(top, versions)


def propose(
    gate: Gate,
    body: str,
    *,
    notice: str = "publish",
    version: str = NEW_VERSION,
    effective: str | None = None,
    **fields: Any,
) -> Outcome:
    """Commit a new version with ``body`` on the branch and run the check."""
    write_version(gate.versions, version, body=body, notice=notice, effective=effective, **fields)
    gate.commit()
    return gate.check()
