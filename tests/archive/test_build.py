"""The archive site: anchors through renumbering, clause histories, feeds, safety, determinism,
incremental and atomic builds."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from analyzer.archive.build import PAUSE_ENV, build_site, freeze_anchors
from analyzer.archive.cache import BuildCache
from analyzer.archive.publish import MARKER
from analyzer.cli import app
from analyzer.errors import PolicyError
from analyzer.text.compiled import regex
from tests.helpers.child_process import python_with_another_hash_seed
from tests.helpers.site_histories import (
    POLICY,
    POLICY_YAML,
    parse_html,
    seed_parts,
    snapshot,
    swapped_history,
    write_version,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def build(versions: Path, output: Path, cache: Path | None = None, **kwargs: Any) -> Any:
    return build_site(
        versions,
        output,
        cache=BuildCache(cache),
        unavailable="tests build without the model",
        **kwargs,
    )


@pytest.fixture(scope="module")
def swapped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("swapped")
    versions = swapped_history(root)
    build(versions, root / "_site", root / "cache")
    return root / "_site"


def clause_ids(page: Path) -> dict[str, str]:
    """data-clause (parser id) -> id (anchor) for every clause of a version page."""
    tree = parse_html(page)
    return {el.get("data-clause"): el.get("id") for el in tree.iter() if el.get("data-clause")}


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


# -- anchors that survive renumbering ------------------------------------------------------------


def test_swapped_sections_keep_their_anchors(swapped_site: Path) -> None:
    second = clause_ids(swapped_site / POLICY / "2023-07-01" / "index.html")
    third = clause_ids(swapped_site / POLICY / "2023-09-01" / "index.html")
    anchor = second["s7.1"]
    assert third["s6.1"] == anchor
    assert second["s6"] == third["s7"]  # the cookies section, now number 7
    assert second["s7"] == third["s6"]
    # the clause that kept its number everywhere also kept its anchor
    first = clause_ids(swapped_site / POLICY / "2023-05-26" / "index.html")
    assert first["s7.1"] == second["s7.1"]
    assert first["s1.1"] == second["s1.1"] == third["s1.1"]
    # anchors are unique on every page
    for page in (swapped_site / POLICY).glob("*/index.html"):
        ids = [el.get("id") for el in parse_html(page).iter() if el.get("id")]
        assert len(ids) == len(set(ids)), page


def test_clause_history_lists_the_clause_under_both_numbers(swapped_site: Path) -> None:
    second = clause_ids(swapped_site / POLICY / "2023-07-01" / "index.html")
    anchor = second["s7.1"]
    page = swapped_site / POLICY / "clause" / f"{anchor}.html"
    tree = parse_html(page)
    links = [a.get("href") for a in tree.iter("a")]
    for version in ("2023-05-26", "2023-07-01", "2023-09-01"):
        assert f"../{version}/index.html#{anchor}" in links
    text = text_of(tree.find(".//main"))
    assert "renumbered: 7.1 → 6.1" in text
    assert "Alibaba Cloud attaches great importance to your information security" in text
    # the version page links each clause to its history
    version_page = parse_html(swapped_site / POLICY / "2023-09-01" / "index.html")
    assert f"../clause/{anchor}.html" in [a.get("href") for a in version_page.iter("a")]


def test_revision_page_shows_the_swap_as_a_move(swapped_site: Path) -> None:
    tree = parse_html(swapped_site / POLICY / "2023-09-01" / "changes.html")
    changes = [el for el in tree.iter("article") if "change" in (el.get("class") or "")]
    kinds = {el.get("id"): el.get("class") for el in changes}
    assert any("kind-moved" in k for k in kinds.values())
    texts = [text_of(el) for el in changes]
    assert any("6.1" in t and "was 7.1" in t for t in texts), texts[:5]
    # the hotline edit of the revision before is a real redline with <del>/<ins>
    edit = parse_html(swapped_site / POLICY / "2023-07-01" / "changes.html")
    assert "400-80-13260" in [text_of(d) for d in edit.iter("del")]
    assert "95187" in [text_of(i) for i in edit.iter("ins")]


def test_superseded_banner_links_the_next_version(swapped_site: Path) -> None:
    tree = parse_html(swapped_site / POLICY / "2023-07-01" / "index.html")
    banner = next(el for el in tree.iter("aside") if "superseded" in (el.get("class") or ""))
    hrefs = [a.get("href") for a in banner.iter("a")]
    assert "../2023-09-01/index.html" in hrefs
    assert "../latest/index.html" in hrefs
    current = parse_html(swapped_site / POLICY / "2023-09-01" / "index.html")
    assert not [el for el in current.iter("aside") if "superseded" in (el.get("class") or "")]


def test_pages_are_semantic_html(swapped_site: Path) -> None:
    """Landmarks, a skip link, headings that never skip a level, machine-readable dates."""
    pages = sorted(swapped_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        tree = parse_html(page)
        assert tree.get("lang"), page
        body = tree.find("body")
        assert body is not None
        first_link = next(body.iter("a"))
        assert first_link.get("href") == "#main" and "skip" in (first_link.get("class") or "")
        for landmark in ("header", "main", "footer"):
            assert len(list(tree.iter(landmark))) >= 1, (page, landmark)
        assert len(list(tree.iter("main"))) == 1
        levels = [int(el.tag[1]) for el in tree.iter() if el.tag in {f"h{n}" for n in range(1, 7)}]
        assert levels[0] == 1 and levels.count(1) == 1, page
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (page, levels)
        for time_el in tree.iter("time"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", time_el.get("datetime", "")), page


# -- feeds and machine-readable files ---------------------------------------------------------------


def test_atom_feed_is_valid_and_dated_by_the_versions(swapped_site: Path) -> None:
    feed = ET.parse(swapped_site / POLICY / "feed.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text  # type: ignore[union-attr]
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    assert feed.find(f"{ATOM}updated").text == "2023-09-01T00:00:00Z"  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2  # one per revision
    stamp = regex(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    ids = set()
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            node = entry.find(f"{ATOM}{name}")
            assert node is not None and node.text, name
        assert stamp.match(entry.find(f"{ATOM}updated").text or "")  # type: ignore[union-attr]
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").endswith("changes.html")
        assert (swapped_site / POLICY / link.get("href", "")).is_file()
        ids.add(entry.find(f"{ATOM}id").text)  # type: ignore[union-attr]
    assert len(ids) == 2
    updated = [e.find(f"{ATOM}updated").text for e in entries]  # type: ignore[union-attr]
    assert updated == ["2023-09-01T00:00:00Z", "2023-07-01T00:00:00Z"]


def test_base_url_makes_feed_links_absolute(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    build(versions, tmp_path / "_site", base_url="https://example.org/archive/")
    feed = ET.parse(tmp_path / "_site" / POLICY / "feed.atom").getroot()
    assert feed.find(f"{ATOM}id").text == f"https://example.org/archive/{POLICY}/"  # type: ignore[union-attr]
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert links == [
        f"https://example.org/archive/{POLICY}/2023-09-01/changes.html",
        f"https://example.org/archive/{POLICY}/2023-07-01/changes.html",
    ]
    # without a base URL, ids are stable URNs and links relative to the feed
    build(versions, tmp_path / "plain")
    plain = ET.parse(tmp_path / "plain" / POLICY / "feed.atom").getroot()
    assert plain.find(f"{ATOM}id").text.startswith("urn:uuid:")  # type: ignore[union-attr]


def test_json_index_lists_versions_and_revisions(swapped_site: Path) -> None:
    index = json.loads((swapped_site / "index.json").read_text(encoding="utf-8"))
    assert index["schema"] == "policy-archive/1"
    assert [p["id"] for p in index["policies"]] == [POLICY]
    versions = json.loads((swapped_site / POLICY / "versions.json").read_text(encoding="utf-8"))
    assert versions["current"] == "2023-09-01"
    keys = [v["key"] for v in versions["versions"]]
    assert keys == ["2023-05-26", "2023-07-01", "2023-09-01"]
    assert versions["versions"][0]["revision"] is None
    revision = versions["versions"][1]["revision"]
    assert revision["from"] == "2023-05-26" and revision["url"] == "2023-07-01/changes.html"
    assert revision["counts"]["changes"] >= 1
    for record in versions["versions"]:
        assert (swapped_site / POLICY / record["url"]).is_file()


def test_search_index_holds_each_wording_once(swapped_site: Path) -> None:
    raw = (swapped_site / "search" / "index.js").read_text(encoding="ascii")
    assert raw.startswith('window.policyArchive.receive("search",')
    data = json.loads(raw[raw.index(",") + 1 : raw.rindex(")")])
    hotline_old = [d for d in data["docs"] if "400-80-13260" in d[3]]
    hotline_new = [d for d in data["docs"] if "95187" in d[3]]
    assert hotline_old and hotline_new
    # the old number is only in the first version (position 0), the new one from the second on
    assert all(d[4] == [[0, 0]] for d in hotline_old)
    assert all(d[4] == [[1, 2]] for d in hotline_new)
    versions = clause_ids(swapped_site / POLICY / "2023-09-01" / "index.html").values()
    assert {d[1] for d in hotline_new} <= set(versions)


# -- safety ------------------------------------------------------------------------------------


HOSTILE = """
# Privacy <script>alert(1)</script>

1. We collect <img src=x onerror="alert(2)"> your e-mail address.

2. See [our page](javascript:alert(3)) and <a href="javascript:alert(4)">this</a>.

3. Contact <svg onload=alert(5)></svg> us at <iframe src="javascript:alert(6)"></iframe>.
"""


def test_no_script_from_a_version_reaches_a_page(tmp_path: Path) -> None:
    """Markdown drops raw HTML; plain text keeps it as words: both end up escaped."""
    versions = tmp_path / "versions"
    for policy, fmt in (("hostile", "markdown"), ("hostile-text", "text")):
        folder = versions / policy
        folder.mkdir(parents=True)
        head = (
            'title: "Hostile <script>alert(7)</script>"\n'
            f"policy: {policy}\nformat: {fmt}\n"
            'note: "<b onmouseover=alert(8)>hi</b>"\n'
        )
        (folder / "2024-01-01.md").write_text(f"---\n{head}---\n{HOSTILE}", encoding="utf-8")
        (folder / "2024-02-01.md").write_text(
            f"---\n{head}---\n{HOSTILE.replace('e-mail', 'postal')}", encoding="utf-8"
        )
    output = tmp_path / "_site"
    build(versions, output)
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        tree = parse_html(page)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "script":
                src = element.get("src") or ""
                assert src.endswith("assets/site.js") and not (element.text or "").strip(), page
            assert element.tag not in ("iframe", "svg", "img", "object", "embed"), page
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                if name in ("href", "src", "action", "formaction"):
                    scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                    assert not scheme.startswith(("javascript:", "data:", "vbscript:")), page
    # the words are shown, as text
    text = text_of(parse_html(output / "hostile-text" / "2024-02-01" / "index.html"))
    assert "<script>alert(1)</script>" in text
    assert 'onerror="alert(2)"' in text
    # data files cannot close a tag either
    for data in output.rglob("*.js"):
        if data.name != "site.js":
            assert "<" not in data.read_text(encoding="ascii"), data
    feed = ET.parse(output / "hostile" / "feed.atom").getroot()
    assert feed.find(f"{ATOM}title").text.startswith("Hostile <script>")  # type: ignore[union-attr]


# -- trustworthy builds -----------------------------------------------------------------------------


_BUILD = """
import sys
from pathlib import Path
from analyzer.archive.build import build_site
from analyzer.archive.cache import BuildCache
build_site(
    Path(sys.argv[1]), Path(sys.argv[2]), cache=BuildCache(None),
    unavailable="tests build without the model",
)
"""
"""``build`` in a child process: python -c _BUILD VERSIONS OUTPUT."""


def test_builds_are_deterministic(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    build(versions, tmp_path / "one", tmp_path / "cache-one")
    # no cache, another folder, another process with another hash seed
    python_with_another_hash_seed("-c", _BUILD, str(versions), str(tmp_path / "two" / "deeper"))
    first, second = snapshot(tmp_path / "one"), snapshot(tmp_path / "two" / "deeper")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert str(tmp_path) not in "".join(v.decode("utf-8", "replace") for v in first.values())
    # a rebuild in place reuses every file and changes no byte (the home, search and index
    # files and each policy's own pages are always made: four + five)
    result = build(versions, tmp_path / "one", tmp_path / "cache-one")
    assert result.rendered == 9
    assert snapshot(tmp_path / "one") == first


def test_adding_a_version_rerenders_only_what_it_touches(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    third = versions / POLICY / "2023-09-01.md"
    held = third.read_bytes()
    third.unlink()
    cache, output = tmp_path / "cache", tmp_path / "_site"
    before = build(versions, output, cache)
    third.write_bytes(held)
    after = build(versions, output, cache)
    # the new version's parse and what it says, the new revision, its notices
    assert after.cache_misses == 4
    assert after.rendered < after.files / 3, (after.rendered, after.files)
    # and the result is exactly what a cold build makes
    cold = tmp_path / "cold"
    build(versions, cold)
    assert snapshot(output) == snapshot(cold)
    assert before.files < after.files


def test_killed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    output = tmp_path / "_site"
    build(versions, output, tmp_path / "cache")
    previous = snapshot(output)
    # the next build has more to write: a new version
    _, body = seed_parts()
    write_version(versions, "2023-10-01", body.replace("Alibaba Cloud", "Alibaba Cloud Ltd"))
    env = dict(os.environ, **{PAUSE_ENV: "40", "POLICY_ANALYZER_CACHE": str(tmp_path / "pc")})
    command = [sys.executable, "-m", "analyzer", "site", "build", "--no-model"]
    with subprocess.Popen(
        [*command, "--versions", str(versions), "--output", str(output)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    ) as process:
        assert process.stderr is not None
        line = ""
        deadline = time.monotonic() + 120
        while "paused after" not in line and time.monotonic() < deadline:
            line = process.stderr.readline().decode()
            if not line and process.poll() is not None:
                break
        assert "paused after 40 files" in line
        staging = list(tmp_path.glob(f".{output.name}.build-*"))
        assert len(staging) == 1 and len(list(staging[0].rglob("*.*"))) >= 30
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert snapshot(output) == previous
    # the next build cleans up after the killed one and completes
    result = build(versions, output, tmp_path / "cache")
    assert result.versions == 4
    assert not list(tmp_path.glob(f".{output.name}.build-*"))


def test_concurrent_builds_wait_for_each_other(tmp_path: Path) -> None:
    import fcntl

    versions = swapped_history(tmp_path)
    output = tmp_path / "_site"
    waited = threading.Event()
    outcome: list[Any] = []
    lock = (tmp_path / f".{output.name}.lock").open("a+b")
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # another build holds the output
    worker = threading.Thread(
        target=lambda: outcome.append(build(versions, output, on_wait=waited.set))
    )
    worker.start()
    assert waited.wait(30)
    time.sleep(0.3)
    assert not output.exists() and not outcome  # it waits and writes nothing meanwhile
    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    lock.close()
    worker.join(120)
    assert outcome and (output / "index.html").is_file()


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete", encoding="utf-8")
    with pytest.raises(PolicyError, match="not built by"):
        build(versions, precious)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "do not delete"
    with pytest.raises(PolicyError, match="versions folder"):
        build(versions, versions)
    with pytest.raises(PolicyError, match="versions folder"):
        build(versions, tmp_path)
    # an empty folder is fine, and so is a site built before
    empty = tmp_path / "empty"
    empty.mkdir()
    build(versions, empty)
    assert (empty / MARKER).is_file()


# -- anchors of published versions are kept for good ------------------------------------------------


def test_frozen_anchors_win_and_are_inherited(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path, third_status="draft")
    added = freeze_anchors(versions, cache=BuildCache(None), unavailable="test")
    assert added == [(POLICY, "2023-05-26"), (POLICY, "2023-07-01")]
    assert freeze_anchors(versions, cache=BuildCache(None), unavailable="test") == []
    path = versions / POLICY / "anchors.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["versions"]) == ["2023-05-26", "2023-07-01"]
    # pretend an earlier analyzer gave clause 7.1 of the second version another anchor
    record = data["versions"]["2023-07-01"]["anchors"]
    entry = next(a for a in record if a[0] == "s7.1")
    entry[2] = "c-frozen0001"
    path.write_text(json.dumps(data), encoding="utf-8")
    output = tmp_path / "_site"
    build(versions, output)
    second = clause_ids(output / POLICY / "2023-07-01" / "index.html")
    third = clause_ids(output / POLICY / "2023-09-01" / "index.html")
    assert second["s7.1"] == "c-frozen0001"
    assert third["s6.1"] == "c-frozen0001"  # the draft inherits it through the alignment
    assert (output / POLICY / "clause" / "c-frozen0001.html").is_file()


def test_a_published_version_edited_after_its_anchors_were_recorded_is_noted(
    tmp_path: Path,
) -> None:
    versions = swapped_history(tmp_path)
    freeze_anchors(versions, cache=BuildCache(None), unavailable="test")
    first = versions / POLICY / "2023-05-26.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nA sentence added later.\n")
    result = build(versions, tmp_path / "_site")
    assert any("2023-05-26 differs from the text" in note for note in result.notes)
    assert not any("without frozen anchors" in note for note in result.notes)


def test_a_malformed_anchors_file_is_bad_input(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    (versions / POLICY / "anchors.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"anchors\.json"):
        build(versions, tmp_path / "_site")
    assert not (tmp_path / "_site").exists()


# -- other folders of versions ------------------------------------------------------------------------


def test_builds_a_folder_of_imported_history(corpus_dir: Path, tmp_path: Path) -> None:
    """Corpus layout: no policy.yaml, no status, names like 2023-02-22-2.md, other front matter
    keys, and versions.json / document.json next to the versions."""
    source = corpus_dir / "github-site-policy" / "github-privacy-statement"
    folder = tmp_path / "versions" / "github-privacy-statement"
    folder.mkdir(parents=True)
    for name in ("2023-02-22.md", "2023-02-22-2.md", "2023-02-22-3.md", "document.json"):
        shutil.copyfile(source / name, folder / name)
    output = tmp_path / "_site"
    result = build(tmp_path / "versions", output)
    assert (result.versions, result.revisions) == (3, 2)
    policy = json.loads((output / "github-privacy-statement" / "versions.json").read_text())
    assert [v["key"] for v in policy["versions"]] == ["2023-02-22", "2023-02-22-2", "2023-02-22-3"]
    assert policy["current"] == "2023-02-22-3"
    assert policy["title"] == "GitHub Privacy Statement"
    assert all(v["status"] is None for v in policy["versions"])
    home = text_of(parse_html(output / "index.html"))
    assert "GitHub Privacy Statement" in home


def test_cli_builds_and_says_where_the_site_is(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    output = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["site", "build", "--versions", str(versions), "--output", str(output), "--no-model"],
        env={"POLICY_ANALYZER_CACHE": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"built {output / 'index.html'}"
    assert re.match(r"1 policy, 3 versions, 2 revisions; \d+ files", lines[1])
    bad = runner.invoke(app, ["site", "build", "--versions", str(tmp_path / "nowhere")])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("policy: error:") and len(bad.stderr.splitlines()) == 1
    for command in ("build", "freeze-anchors"):
        shown = runner.invoke(app, ["site", command, "--help"])
        assert shown.exit_code == 0 and "Usage:" in shown.output


def test_reserved_policy_names_are_refused(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    (versions / "assets").mkdir(parents=True)
    (versions / "assets" / "policy.yaml").write_text(POLICY_YAML, encoding="utf-8")
    _, body = seed_parts()
    (versions / "assets" / "2023-05-26.md").write_text(body, encoding="utf-8")
    with pytest.raises(PolicyError, match="reserved"):
        build(versions, tmp_path / "_site")


def test_publish_records_the_anchors(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path, third_status="draft")
    result = CliRunner().invoke(
        app,
        ["publish", POLICY, "2023-09-01", "--versions", str(versions)],
        env={"POLICY_ANALYZER_CACHE": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    assert "recorded the clause anchors of 3 version(s) in anchors.json" in result.stdout
    data = json.loads((versions / POLICY / "anchors.json").read_text(encoding="utf-8"))
    second = {a[0]: a[2] for a in data["versions"]["2023-07-01"]["anchors"]}
    third = {a[0]: a[2] for a in data["versions"]["2023-09-01"]["anchors"]}
    assert third["s6.1"] == second["s7.1"]


def test_notice_texts_fill_the_notice_slot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.archive.analysis

    def texts(version: Any, report: Any) -> dict[str, str]:
        if version.key != "2023-07-01":
            return {}
        return {"popup": "Our hotline is now 95187 <b>.", "email": "Dear user,\n\nwe changed."}

    monkeypatch.setattr(analyzer.archive.analysis, "notice_texts", texts)
    versions = swapped_history(tmp_path)
    build(versions, tmp_path / "_site")
    for page in ("2023-07-01/index.html", "2023-07-01/changes.html"):
        tree = parse_html(tmp_path / "_site" / POLICY / page)
        notices = {el.get("class"): text_of(el) for el in tree.iter("article")}
        assert "Our hotline is now 95187 <b>." in notices["notice notice-popup"]
        assert "we changed." in notices["notice notice-email"]
    other = parse_html(tmp_path / "_site" / POLICY / "2023-09-01" / "index.html")
    assert "No notice text is recorded" in text_of(other)


ZH_V1 = """隐私政策

1、 适用范围

1.1 本政策适用于我们提供的全部服务。

2、 我们收集的信息

2.1 我们收集您的手机号码和电子邮件地址。

2.2 我们不会向第三方出售您的个人信息。
"""


def test_each_language_is_its_own_chain(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    (versions / POLICY / "policy.yaml").write_text(
        POLICY_YAML.replace("- en\n", "- en\n- zh\n"), encoding="utf-8"
    )
    head = "title: 隐私政策\npolicy: alibaba-cloud-privacy\nlanguage: zh\nstatus: published\n"
    for version, text in (
        ("2023-05-26", ZH_V1),
        ("2023-08-01", ZH_V1.replace("手机号码和", "手机号码、位置信息和")),
    ):
        path = versions / POLICY / f"{version}.zh.md"
        path.write_text(f"---\n{head}version: {version}\n---\n{text}", encoding="utf-8")
    output = tmp_path / "_site"
    result = build(versions, output)
    assert (result.versions, result.revisions) == (5, 3)
    index = json.loads((output / POLICY / "versions.json").read_text(encoding="utf-8"))
    by_key = {v["key"]: v for v in index["versions"]}
    assert by_key["2023-08-01.zh"]["previous"] == "2023-05-26.zh"
    assert by_key["2023-09-01"]["previous"] == "2023-07-01"  # the zh version is not in between
    assert index["current"] == "2023-09-01"
    page = parse_html(output / POLICY / "2023-08-01.zh" / "index.html")
    text = [a for a in page.iter("article") if a.get("class") == "policy-text"]
    assert [a.get("lang") for a in text] == ["zh"]
    # the revision's notices are written in the version's language too
    assert {a.get("lang") for a in page.iter("article") if a.get("lang")} == {"zh"}
    revision = parse_html(output / POLICY / "2023-08-01.zh" / "changes.html")
    assert any("位置信息" in text_of(i) for i in revision.iter("ins"))
    zh = set(clause_ids(output / POLICY / "2023-08-01.zh" / "index.html").values())
    en = set(clause_ids(output / POLICY / "2023-09-01" / "index.html").values())
    assert zh and not zh & en


def test_progress_reports_every_phase(tmp_path: Path) -> None:
    versions = swapped_history(tmp_path)
    seen: dict[str, tuple[int, int]] = {}
    build(versions, tmp_path / "_site", progress=lambda p, d, t: seen.__setitem__(p, (d, t)))
    assert seen["read"] == (3, 3)
    assert seen["analyse"] == (2, 2)
    done, total = seen["write"]
    assert done == total == len([p for p in (tmp_path / "_site").rglob("*") if p.is_file()]) - 1


def test_progress_bar_draws_one_line_and_clears_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from analyzer.cli import _ProgressBar

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    bar = _ProgressBar()
    bar.update("write", 5, 10)
    bar.update("write", 5, 10)  # unchanged: not drawn again
    bar.update("write", 10, 10)
    bar.close()
    drawn = err.getvalue()
    assert drawn.count("\r") == 4 and "\n" not in drawn
    assert "[##############..............] 5/10" in drawn
    assert drawn.endswith("\r")
