"""Versions folders for the archive-site tests, made from the seed policy's real text.

``swapped_history`` writes three versions of the seed: the seed itself, an edit of its
hotline, and that edit with sections 6 and 7 swapped and renumbered (old 7.1 becomes 6.1).
"""

from __future__ import annotations

import re
from pathlib import Path

import html5lib

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"
POLICY = "alibaba-cloud-privacy"
POLICY_YAML = (
    "title: Alibaba Cloud official website legal statement and privacy policy\n"
    "languages:\n- en\ncriteria: seed-9.4\nnotice_period_days: 30\n"
)


def seed_parts() -> tuple[str, str]:
    """The seed's front matter (without the fences) and its body."""
    text = SEED.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return head, body


def front_matter(head: str, **fields: str) -> str:
    """``head`` with some fields replaced (or added)."""
    for name, value in fields.items():
        line = f"{name}: {value}"
        if re.search(rf"^{name}:", head, re.M):
            head = re.sub(rf"^{name}:.*$", line, head, count=1, flags=re.M)
        else:
            head += line + "\n"
    return head


def swap_sections_6_and_7(body: str) -> str:
    """The seed with its sections 6 (cookies) and 7 (security) swapped and renumbered."""
    start = body.rindex("\n6、 ")
    middle = body.rindex("\n7、 ")
    end = body.rindex("\n8、 ")
    six, seven = body[start:middle], body[middle:end]
    seven = seven.replace("\n7、 ", "\n6、 ", 1)
    seven = re.sub(r"^7\.(\d+)\.", r"6.\1.", seven, flags=re.M)
    six = six.replace("\n6、 ", "\n7、 ", 1)
    return body[:start] + seven + six + body[end:]


def write_version(folder: Path, version: str, body: str, **fields: str) -> Path:
    head, _ = seed_parts()
    head = front_matter(head, version=version, updated=version, **fields)
    path = folder / POLICY / f"{version}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    return path


def swapped_history(root: Path, *, third_status: str = "published") -> Path:
    """Three versions of the seed in ``root/versions`` (see the module docstring)."""
    versions = root / "versions"
    (versions / POLICY).mkdir(parents=True, exist_ok=True)
    (versions / POLICY / "policy.yaml").write_text(POLICY_YAML, encoding="utf-8")
    _, body = seed_parts()
    write_version(versions, "2023-05-26", body, effective="2023-06-01")
    edited = body.replace("400-80-13260", "95187")
    assert edited != body
    write_version(versions, "2023-07-01", edited, effective="2023-07-01", notice="popup")
    write_version(
        versions,
        "2023-09-01",
        swap_sections_6_and_7(edited),
        effective="2023-09-01",
        status=third_status,
    )
    return versions


def parse_html(path: Path) -> object:
    """An HTML file parsed the way a browser would (html5lib, namespace-free elements)."""
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
