"""Policy histories to import: a git repository whose commits carry chosen dates and time zones
(edits, two on one day, a rename, a binary commit), and an Open Terms Archive dataset laid out
as its published zips are."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.versions_repo import git

POLICY = "example-privacy"

TITLE = "Example privacy policy"


def policy_text(*sentences: str) -> str:
    """A small Markdown policy whose section 1 holds ``sentences``."""
    items = "\n\n".join(f"1.{n}. {s}" for n, s in enumerate(sentences, start=1))
    return (
        f"# {TITLE}\n\n## 1. What we collect\n\n{items}\n\n"
        "## 2. Contact\n\n2.1. Write to privacy@example.com with any question.\n"
    )


@dataclass(frozen=True)
class Step:
    """One commit of a history: what it does to the file and when."""

    when: str
    """Committer date with the commit's own offset (``2023-03-05T23:30:00-08:00``)."""
    text: str | bytes | None = None
    """The file's new content (None: no change to it)."""
    move_to: str | None = None
    """Rename the file to this path (before writing ``text``)."""
    other: bool = False
    """Change another file only (not a version)."""


@dataclass
class Repo:
    """A repository built from steps, with the hash of each step's commit."""

    path: Path
    file: str
    """The file's path at the end (after renames)."""
    commits: list[str]


def build_repo(path: Path, start: str, steps: list[Step]) -> Repo:
    """A repository in ``path`` whose file begins at ``start`` and goes through ``steps``."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    current = start
    commits = []
    for number, step in enumerate(steps, start=1):
        if step.move_to is not None:
            (path / step.move_to).parent.mkdir(parents=True, exist_ok=True)
            git(path, "mv", current, step.move_to)
            current = step.move_to
        if step.other:
            (path / "README.md").write_text(f"Notes, step {number}.\n", encoding="utf-8")
        if step.text is not None:
            target = path / current
            target.parent.mkdir(parents=True, exist_ok=True)
            data = step.text.encode("utf-8") if isinstance(step.text, str) else step.text
            target.write_bytes(data)
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"step {number}", when=step.when)
        commits.append(git(path, "rev-parse", "HEAD").strip())
    return Repo(path, current, commits)


V1 = policy_text("We collect your name.")
V2 = policy_text("We collect your name and e-mail address.")
V3 = policy_text("We collect your name and e-mail address.", "We keep logs for 30 days.")
V4 = policy_text("We collect your name and e-mail address.", "We keep logs for 90 days.")
V5 = policy_text(
    "We collect your name, e-mail address and phone number.", "We keep logs for 90 days."
)
V6 = policy_text(
    "We collect your name, e-mail address and phone number.", "We keep logs for 60 days."
)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))

HISTORY = [
    Step("2023-01-10T09:00:00+01:00", V1),
    Step("2023-03-02T10:00:00+01:00", V2),
    Step("2023-03-02T17:30:00+01:00", V3),  # the same day: 2023-03-02-2
    Step("2023-03-04T08:00:00+01:00", other=True),  # another file: not a version
    # 23:30 in California is already 07:30 on the 6th in UTC: the commit's own day counts
    Step("2023-03-05T23:30:00-08:00", V4),
    Step("2023-04-01T12:00:00+00:00", move_to="policies/privacy.md"),  # a rename, same text
    # 00:30 in Tokyo is still the 1st in UTC: the id says the 2nd
    Step("2023-04-02T00:30:00+09:00", V5),
    Step("2023-05-01T12:00:00+00:00", BINARY),  # a binary blob: refused, named
    Step("2023-05-02T12:00:00+00:00", V6),
]
"""Nine commits; six versions (2023-01-10, 2023-03-02, 2023-03-02-2, 2023-03-05, 2023-04-02,
2023-05-02), a rename without a change, another file's commit and a binary commit."""
HISTORY_IDS = [
    "2023-01-10",
    "2023-03-02",
    "2023-03-02-2",
    "2023-03-05",
    "2023-04-02",
    "2023-05-02",
]


def history_repo(path: Path) -> Repo:
    """The repository of :data:`HISTORY`, the file starting at ``legal/privacy.md``."""
    return build_repo(path, "legal/privacy.md", HISTORY)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> SHA-256), to prove nothing changed."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


OTA_README = """# Open Terms Archive — sandbox — January 11, 2022 dataset

This dataset consolidates the contractual documents of 2 service providers, in all their \
versions that were accessible online between January 1, 2021 and January 6, 2022.

You can also explore all these versions interactively on \
[https://github.com/OpenTermsArchive/sandbox-versions](https://github.com/OpenTermsArchive/sandbox-versions).

It has been generated with [Open Terms Archive](https://opentermsarchive.org).
"""


def ota_dataset(root: Path) -> Path:
    """An unpacked Open Terms Archive dataset: ``<service>/<terms type>/<UTC time>.md`` (two
    records on one day), a README naming the collection and its versions repository, a
    LICENSE."""
    records = {
        ("ServiceA", "Terms of Service", "2021-01-01T11-27-00Z.md"): "# Terms\n\n1. You agree.\n",
        ("ServiceA", "Terms of Service", "2021-01-01T18-02-10Z.md"): (
            "# Terms\n\n1. You agree to these terms.\n"
        ),
        ("ServiceA", "Terms of Service", "2021-01-11T11-32-47Z.md"): (
            "# Terms\n\n1. You agree to these terms.\n\n2. We may end your account.\n"
        ),
        ("ServiceB", "Privacy Policy", "2022-01-06T11-32-47Z.md"): (
            "# Privacy\n\nWe collect your e-mail address to send you the newsletter.\n"
        ),
    }
    for (service, terms_type, name), text in records.items():
        folder = root / service / terms_type
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (root / "README.md").write_text(OTA_README, encoding="utf-8")
    (root / "LICENSE").write_text("ODC Open Database License (ODbL)\n\n…\n", encoding="utf-8")
    return root
