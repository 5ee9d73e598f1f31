"""Golden cases of ``policy notice``: ``tests/cases/notices-*/``.

Each folder holds ``case.yaml``::

    why: What the revision changes and what notice it owes, in one paragraph.
    old: policy_versions/alibaba-cloud-privacy/2023-05-26.md   # from the repository root
    new: policy_versions/alibaba-cloud-privacy/2024-03-18.md   # … or edits of the old text:
    edits:
      - find: within 15 days        # each find occurs exactly once
        replace: within 60 days
    meta:                            # front matter of the new side (merged over the old one's)
      version: 2026-01-01
    expect:
      level: popup                   # the decision the notices are for
      sentences: [...]               # optional: English major sentences, in order

and the expected notices, for each language ``<lang>`` (en, zh): ``popup.<lang>.html`` (or
``popup.txt``, the one line saying no pop-up is needed), ``changelog.<lang>.md``,
``email.<lang>.txt`` and ``email.<lang>.html``. They are made by the ``policy notice`` command
(``--no-model``, links under ``https://example.com/policies``) and regenerated with
``python -m pytest --regen-goldens``; review the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
SITE_URL = "https://example.com/policies"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class NoticeCase:
    name: str
    folder: Path
    why: str
    old: str
    """The old side as ``policy notice`` is given it (a store reference or a path)."""
    new_text: str | None
    """The new side's text when it is written from edits (else ``new`` names it)."""
    new: str | None
    expect: dict[str, Any]

    def arguments(self, tmp: Path) -> tuple[str, str]:
        """OLD and NEW for the command line (the edited new side is written to ``tmp``)."""
        if self.new_text is None:
            assert self.new is not None
            return self.old, self.new
        meta = (
            yaml.safe_load(self.new_text.split("---\n", 2)[1])
            if self.new_text.startswith("---\n")
            else {}
        )
        name = f"{meta.get('version', 'new')}.md"
        path = tmp / name
        path.write_text(self.new_text, encoding="utf-8")
        return self.old, str(path)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.glob("notices-*") if (p / "case.yaml").is_file())


def _with_meta(text: str, meta: dict[str, Any]) -> str:
    """``text`` with its front matter updated by ``meta`` (a front matter is added if none)."""
    if text.startswith("---\n"):
        _, head, body = text.split("---\n", 2)
        current = yaml.safe_load(head) or {}
    else:
        current, body = {}, text
    current.update(meta)
    dumped = yaml.safe_dump(current, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n{body}"


def _reference(path: str) -> str:
    """A version of the shipped store as ``POLICY@VERSION``, anything else as a path."""
    parts = Path(path).parts
    if len(parts) == 3 and parts[0] == "policy_versions":
        return f"{parts[1]}@{Path(parts[2]).stem}"
    return str(ROOT / path)


def load_case(name: str) -> NoticeCase:
    folder = CASES / name
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    new_text = None
    new = None
    if "new" in spec:
        new = _reference(spec["new"])
    else:
        text = (ROOT / spec["old"]).read_text(encoding="utf-8")
        for edit in spec.get("edits") or []:
            found = text.count(edit["find"])
            if found != 1:
                raise ValueError(f"{name}: edit find occurs {found} times: {edit['find']!r}")
            text = text.replace(edit["find"], edit["replace"])
        new_text = _with_meta(text, dict(spec.get("meta") or {}))
    return NoticeCase(
        name=name,
        folder=folder,
        why=" ".join(str(spec["why"]).split()),
        old=_reference(spec["old"]),
        new_text=new_text,
        new=new,
        expect=dict(spec.get("expect") or {}),
    )
