"""Which history ``policy import`` is asked to read, and the versions it holds, per policy.

:class:`History` is the command's options for a history (one of ``--git``, ``--folder``,
``--ota``, with what goes with each); :meth:`History.jobs` checks that they fit together and
lists, for each policy the history fills, the versions to import (oldest first). A new kind
of history is one more field and one more branch here, with its reader beside
:mod:`~analyzer.store.git_history` and :mod:`~analyzer.store.dated_files`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import PolicyError
from analyzer.store import dated_files, git_history
from analyzer.store.importing import Incoming, Target, parse_day

__all__ = ["History", "Job"]

Job = tuple[Target, list[Incoming]]
"""One policy to fill and its versions, oldest first."""


@dataclass(frozen=True)
class History:
    """The options of ``policy import`` that name a history."""

    git: Path | None = None
    path: str | None = None
    rev: str | None = None
    first_parent: bool = False
    folder: Path | None = None
    ota: Path | None = None
    policy: str | None = None
    since: str | None = None
    published: bool = False
    title: str | None = None
    notice: str | None = None

    @property
    def given(self) -> bool:
        """Whether any history is named at all."""
        return any(v is not None for v in (self.git, self.folder, self.ota))

    def jobs(self) -> list[Job]:
        """The policies to fill and their versions; a :class:`PolicyError` for options that do
        not fit together or a history that cannot be read."""
        named = [
            n for n, v in (("--git", self.git), ("--folder", self.folder), ("--ota", self.ota)) if v
        ]
        if not named:
            raise PolicyError(
                "nothing to import: give a FILE, or a history: --git REPO, --folder DIR or --ota DIR"
            )
        if len(named) > 1:
            raise PolicyError(f"give one history, not {' and '.join(named)}")
        if self.git is None and (self.path or self.rev or self.first_parent):
            raise PolicyError("--path, --rev and --first-parent go with --git")
        if self.ota is None and self.policy is None:
            raise PolicyError(f"{named[0]} needs --policy ID (the policy to fill)")
        if self.notice not in (None, "none", "publish", "popup", "consent"):
            raise PolicyError(
                f"--notice must be none, publish, popup or consent, not {self.notice!r}"
            )
        since = parse_day(self.since, "--since") if self.since else None
        if self.ota is not None:
            documents = dated_files.ota_documents(self.ota, policy=self.policy)
            return [
                (self._target(d.target.policy, d.target), self._since(d.incoming, since))
                for d in documents
            ]
        assert self.policy is not None
        if self.git is not None:
            if not self.path:
                raise PolicyError("--git needs --path FILE (the file's path in the repository)")
            top, _relative, commits = git_history.file_history(
                self.git, self.path, rev=self.rev, first_parent=self.first_parent
            )
            incoming = git_history.git_incoming(top, commits)
            return [(self._target(self.policy), self._since(incoming, since))]
        assert self.folder is not None
        incoming = dated_files.folder_incoming(self.folder)
        return [(self._target(self.policy), self._since(incoming, since))]

    def _target(self, policy: str, base: Target | None = None) -> Target:
        return Target(
            policy,
            published=self.published,
            title=self.title or (base.title if base else None),
            notice=self.notice or "publish",
            config=base.config if base else {},
        )

    @staticmethod
    def _since(incoming: list[Incoming], since: dt.date | None) -> list[Incoming]:
        return [i for i in incoming if since is None or i.day >= since]
