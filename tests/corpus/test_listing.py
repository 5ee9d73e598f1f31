"""Reading archives: the order of ``versions.json`` and what the corpus's metadata declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="the corpus extra is not installed")


def test_what_the_corpus_metadata_declares(corpus_dir: Path) -> None:
    from analyzer.corpus.declared import from_versions_json

    def declared(document: str) -> dict[str, tuple[str | None, str | None]]:
        entries = json.loads((corpus_dir / document / "versions.json").read_text("utf-8"))
        out, previous = {}, None
        for entry in entries:
            out[entry["file"]] = from_versions_json(entry, previous)
            previous = entry
        return out

    github = declared("github-site-policy/github-privacy-statement")
    assert github["2019-12-20.md"] == ("popup", "versions.json: source_says notice_timing")
    assert github["2023-02-22-4.md"][0] == "publish"  # "the changes are not material"
    assert github["2018-09-24.md"] == ("none", "versions.json: nothing on record")
    automattic = declared("automattic-legalmattic/automattic-privacy-policy")
    assert automattic["2019-02-01.md"] == ("publish", "versions.json: logged_in_changelog")
    assert automattic["2018-05-14.md"][0] == "popup"  # material: notice before the GDPR date
    firefox = declared("mozilla-legal-docs/firefox-privacy-notice-en")
    assert firefox["2025-12-02.md"] == ("popup", "versions.json: source_says in_doc_update_banner")
    assert firefox["2025-12-17.md"][0] == "popup"  # the banner of 2025-12-02 announced it
    basecamp = declared("basecamp-policies/basecamp-privacy-policy")
    assert basecamp["2022-07-18.md"] == (
        "popup",
        "versions.json: source_says in_doc_update_announcement_link",
    )


def test_the_corpus_layout_is_read_in_the_order_of_versions_json(tmp_path: Path) -> None:
    from analyzer.corpus.listing import list_archive

    doc = tmp_path / "src" / "doc"
    doc.mkdir(parents=True)
    for name in ("2024-01-01.md", "2024-01-01-2.md", "2024-01-01-10.md", "2024-02-01.md"):
        (doc / name).write_text(f"# Policy\n\nText of {name}.\n", encoding="utf-8")
    order = ["2024-01-01.md", "2024-01-01-2.md", "2024-01-01-10.md", "2024-03-01.md"]
    (doc / "versions.json").write_text(json.dumps([{"file": f} for f in order]), "utf-8")
    listing = list_archive(tmp_path)
    (chain,) = listing.chains
    assert chain.policy == "src/doc"
    assert [v.version for v in chain.versions] == ["2024-01-01", "2024-01-01-2", "2024-01-01-10"]
    assert sorted(listing.notes) == [
        "src/doc: 2024-02-01.md is not listed in versions.json; left out",
        "src/doc: 2024-03-01.md is listed in versions.json but missing",
    ]
