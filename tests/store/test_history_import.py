"""Importing a policy's past: a file's git history, a folder of dated files, an Open Terms Archive
dataset; ids from dates (same-day versions numbered), ``source:`` recorded, idempotent, never
overwriting, whole files only."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from analyzer.errors import PolicyError
from analyzer.store import dated_files, git_history
from analyzer.store.histories import History
from analyzer.store.importing import ImportInterrupted, Incoming, Target, import_history
from analyzer.store.ledger import read_ledger
from analyzer.store.versions import Store
from tests.helpers.policy_histories import (
    HISTORY_IDS,
    POLICY,
    TITLE,
    V1,
    V2,
    Step,
    build_repo,
    history_repo,
    ota_dataset,
    policy_text,
    tree_digest,
)
from tests.helpers.versions_repo import git


def front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def import_git(store: Store, repo: Path, path: str, **options: object) -> object:
    jobs = History(git=repo, path=path, policy=POLICY, **options).jobs()  # type: ignore[arg-type]
    [(target, incoming)] = jobs
    return import_history(store, target, incoming)


# -- git ----------------------------------------------------------------------------------------


def test_every_commit_that_changed_the_file_is_a_version_in_order(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "versions")
    result = import_git(store, repo.path, repo.file)
    assert [v.version for v in store.versions(POLICY)] == HISTORY_IDS
    assert [version for version, _what in result.imported] == HISTORY_IDS  # type: ignore[attr-defined]
    # the rename changed no word: skipped, named; the binary commit refused, named
    [(renamed, same)] = result.unchanged  # type: ignore[attr-defined]
    assert renamed.startswith(f"commit {repo.commits[5][:12]}") and same == f"{POLICY}@2023-03-05"
    [(binary, why)] = result.refused  # type: ignore[attr-defined]
    assert binary.startswith(f"commit {repo.commits[7][:12]}") and "binary" in why
    assert any(repo.commits[7][:12] in w for w in result.warnings)  # type: ignore[attr-defined]


def test_front_matter_records_the_commit_the_date_and_the_title(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "versions")
    import_git(store, repo.path, repo.file)
    versions = {v.version: v for v in store.versions(POLICY)}
    first = front(versions["2023-01-10"].path)
    assert first == {
        "title": TITLE,
        "policy": POLICY,
        "version": dt.date(2023, 1, 10),
        "updated": dt.date(2023, 1, 10),
        "effective": dt.date(2023, 1, 10),
        "language": "en",
        "status": "draft",
        "notice": "publish",
        "source": f"git:{repo.commits[0]}:legal/privacy.md",
    }
    # the same day twice; a rename followed (each commit names the path it had)
    assert (
        front(versions["2023-03-02-2"].path)["source"] == f"git:{repo.commits[2]}:legal/privacy.md"
    )
    assert (
        front(versions["2023-04-02"].path)["source"] == f"git:{repo.commits[6]}:policies/privacy.md"
    )
    # the commit's own time zone: 23:30 in California, 00:30 in Tokyo
    assert front(versions["2023-03-05"].path)["updated"] == dt.date(2023, 3, 5)
    assert front(versions["2023-04-02"].path)["updated"] == dt.date(2023, 4, 2)
    # the text is the commit's, whitespace aside
    assert store.load(versions["2023-03-02"]).text.strip() == V2.strip()
    config = yaml.safe_load((store.root / POLICY / "policy.yaml").read_text(encoding="utf-8"))
    assert config["title"] == TITLE and config["languages"] == ["en"]


def test_running_it_again_imports_only_what_is_new(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "versions")
    import_git(store, repo.path, repo.file)
    before = tree_digest(store.root)
    again = import_git(store, repo.path, repo.file)
    assert again.imported == []  # type: ignore[attr-defined]
    assert len(again.present) == len(HISTORY_IDS)  # type: ignore[attr-defined]
    assert tree_digest(store.root) == before
    # two new commits, one of them on the day of the last version
    (repo.path / repo.file).write_text(policy_text("We collect nothing."), encoding="utf-8")
    git(repo.path, "commit", "-qam", "later that day", when="2023-05-02T18:00:00+00:00")
    (repo.path / repo.file).write_text(policy_text("We collect little."), encoding="utf-8")
    git(repo.path, "commit", "-qam", "next month", when="2023-06-01T09:00:00+02:00")
    third = import_git(store, repo.path, repo.file)
    assert [v for v, _ in third.imported] == ["2023-05-02-2", "2023-06-01"]  # type: ignore[attr-defined]
    assert all(tree_digest(store.root)[name] == digest for name, digest in before.items())


def test_a_version_already_in_the_store_is_never_overwritten(tmp_path: Path) -> None:
    """A hand-imported version holds the date of a commit: the commit becomes the next
    version of that day, and the file already there keeps every byte."""
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "versions")
    own = tmp_path / "own.md"
    own.write_text(policy_text("Our own text."), encoding="utf-8")
    store.import_version(own, policy=POLICY, version="2023-03-02")
    mine = (store.root / POLICY / "2023-03-02.md").read_bytes()
    import_git(store, repo.path, repo.file)
    assert (store.root / POLICY / "2023-03-02.md").read_bytes() == mine
    ids = [v.version for v in store.versions(POLICY)]
    assert ids == [
        "2023-01-10",
        "2023-03-02",
        "2023-03-02-2",
        "2023-03-02-3",
        "2023-03-05",
        "2023-04-02",
        "2023-05-02",
    ]


def test_since_and_a_revision_range_limit_the_commits(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "a")
    import_git(store, repo.path, repo.file, since="2023-03-05")
    assert [v.version for v in store.versions(POLICY)] == ["2023-03-05", "2023-04-02", "2023-05-02"]
    ranged = Store(tmp_path / "b")
    # --path names the file as it is at the end of the range (before its rename)
    import_git(ranged, repo.path, "legal/privacy.md", rev=f"{repo.commits[0]}..{repo.commits[3]}")
    assert [v.version for v in ranged.versions(POLICY)] == ["2023-03-02", "2023-03-02-2"]


def test_a_history_whose_dates_go_backwards_keeps_its_order(tmp_path: Path) -> None:
    """Committed in Tokyo early on the 2nd, then in New York late on the 1st (later in time):
    the second commit cannot take an id before the first, so it follows it, with a warning."""
    steps = [
        Step("2023-06-02T01:00:00+09:00", V1),
        Step("2023-06-01T20:00:00-05:00", V2),
    ]
    repo = build_repo(tmp_path / "repo", "privacy.md", steps)
    store = Store(tmp_path / "versions")
    result = import_git(store, repo.path, repo.file)
    assert [v.version for v in store.versions(POLICY)] == ["2023-06-02", "2023-06-02-2"]
    assert any("dated 2023-06-01" in w and "2023-06-02-2" in w for w in result.warnings)  # type: ignore[attr-defined]


def test_first_parent_keeps_only_the_states_merged_into_the_main_line(tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo", "privacy.md", [Step("2023-01-01T10:00:00+00:00", V1)])
    git(repo.path, "checkout", "-q", "-b", "draft")
    for n, when in enumerate(("2023-01-02T10:00:00+00:00", "2023-01-03T10:00:00+00:00")):
        (repo.path / "privacy.md").write_text(policy_text(f"Draft {n}."), encoding="utf-8")
        git(repo.path, "commit", "-qam", f"draft {n}", when=when)
    git(repo.path, "checkout", "-q", "main")
    git(
        repo.path,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "merge",
        "draft",
        when="2023-01-04T10:00:00+00:00",
    )
    every = Store(tmp_path / "every")
    import_git(every, repo.path, "privacy.md")
    assert [v.version for v in every.versions(POLICY)] == ["2023-01-01", "2023-01-02", "2023-01-03"]
    merged = Store(tmp_path / "merged")
    import_git(merged, repo.path, "privacy.md", first_parent=True)
    assert [v.version for v in merged.versions(POLICY)] == ["2023-01-01", "2023-01-04"]


@pytest.mark.parametrize(
    ("path", "rev", "message"),
    [
        ("../elsewhere.md", None, "is not in the repository"),
        ("legal/never.md", None, "never committed"),
        ("policies", None, "is a folder"),
        ("policies/privacy.md", "no-such-branch", "does not resolve"),
        ("policies/privacy.md", "HEAD..HEAD", "no commit of HEAD..HEAD"),
        ("policies/privacy.md", "--all", "is not a revision"),
    ],
)
def test_bad_input_is_one_clear_error_and_nothing_is_written(
    tmp_path: Path, path: str, rev: str | None, message: str
) -> None:
    repo = history_repo(tmp_path / "repo")
    with pytest.raises(PolicyError, match=message):
        import_git(Store(tmp_path / "versions"), repo.path, path, rev=rev)
    assert not (tmp_path / "versions").exists()


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(PolicyError, match="not a git repository"):
        git_history.file_history(tmp_path / "plain", "x.md")


def test_a_file_binary_in_every_commit_imports_nothing(tmp_path: Path) -> None:
    steps = [
        Step("2023-01-01T10:00:00+00:00", b"\x00\x01binary"),
        Step("2023-01-02T10:00:00+00:00", b"\x00\x02"),
    ]
    repo = build_repo(tmp_path / "repo", "logo.md", steps)
    with pytest.raises(
        PolicyError, match=r"nothing imported: commit \w+ \(2023-01-01\): binary file.*1 more"
    ):
        import_git(Store(tmp_path / "versions"), repo.path, "logo.md")
    assert not (tmp_path / "versions").exists()  # not even a policy.yaml


def test_an_unreadable_commit_is_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    steps = [
        Step("2023-01-01T10:00:00+00:00", V1),
        Step("2023-01-02T10:00:00+00:00", V2.encode("utf-8").replace(b"e-mail", b"\xe9-mail")),
        Step("2023-01-03T10:00:00+00:00", V2),
    ]
    repo = build_repo(tmp_path / "repo", "privacy.md", steps)
    store = Store(tmp_path / "versions")
    result = import_git(store, repo.path, "privacy.md")
    assert [v.version for v in store.versions(POLICY)] == ["2023-01-01", "2023-01-03"]
    [warning] = result.warnings  # type: ignore[attr-defined]
    assert f"commit {repo.commits[1][:12]} (2023-01-02) skipped: not valid UTF-8" in warning


def test_published_versions_join_the_ledger_in_order(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo")
    store = Store(tmp_path / "versions")
    import_git(store, repo.path, repo.file, published=True)
    ledger = read_ledger(store.root / POLICY)
    assert [e.version for e in ledger] == HISTORY_IDS
    assert all(front(v.path)["status"] == "published" for v in store.versions(POLICY))


# -- interrupted ----------------------------------------------------------------------------------


def _items(count: int, interrupt_at: int | None = None) -> list[Incoming]:
    def reader(n: int) -> bytes:
        if n == interrupt_at:
            raise KeyboardInterrupt
        return policy_text(f"Version {n}.").encode("utf-8")

    day = dt.date(2024, 1, 1)
    return [
        Incoming(
            f"file:{n}.md",
            day + dt.timedelta(days=n),
            f"{n}.md",
            f"item {n}",
            lambda n=n: reader(n),
        )
        for n in range(count)
    ]


def test_an_interrupted_import_leaves_whole_versions_and_goes_on_next_time(tmp_path: Path) -> None:
    store = Store(tmp_path / "versions")
    with pytest.raises(ImportInterrupted) as stopped:
        import_history(store, Target(POLICY, published=True), _items(5, interrupt_at=3))
    assert [v for v, _ in stopped.value.result.imported] == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
    ]
    files = sorted(p.name for p in (store.root / POLICY).iterdir())
    assert files == ["2024-01-01.md", "2024-01-02.md", "2024-01-03.md", "policy.yaml"]
    result = import_history(store, Target(POLICY, published=True), _items(5))
    assert [v for v, _ in result.imported] == ["2024-01-04", "2024-01-05"]
    # the versions written before the interruption are recorded as published too
    assert [e.version for e in read_ledger(store.root / POLICY)] == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
    ]


def test_interrupted_while_writing_leaves_no_part_of_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "versions")
    real_link = os.link
    calls = []

    def link(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:  # policy.yaml, the first version, then the second
            raise KeyboardInterrupt
        real_link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(ImportInterrupted):
        import_history(store, Target(POLICY), _items(3))
    names = sorted(p.name for p in (store.root / POLICY).iterdir())
    assert names == ["2024-01-01.md", "policy.yaml"]  # no temporary file, no half version


# -- folders -------------------------------------------------------------------------------------------


def test_a_folder_of_dated_files_in_order_of_day_then_number(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    names = [
        "2023-02-22-10.md",
        "2023-02-22.md",
        "2023-02-22-2.md",
        "2023-02-22-9.txt",
        "2021-05-01-evening.html",
    ]
    for n, name in enumerate(names):
        text = (
            f"<h1>Old</h1><p>Version {n}.</p>"
            if name.endswith(".html")
            else policy_text(f"Version {n}.")
        )
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "versions.json").write_text("[]", encoding="utf-8")
    (folder / "notes.md").write_text("not dated", encoding="utf-8")
    store = Store(tmp_path / "versions")
    [(target, incoming)] = History(folder=folder, policy=POLICY).jobs()
    import_history(store, target, incoming)
    ids = [(v.version, front(v.path)["source"]) for v in store.versions(POLICY)]
    assert ids == [
        ("2021-05-01", "file:2021-05-01-evening.html"),
        ("2023-02-22", "file:2023-02-22.md"),
        ("2023-02-22-2", "file:2023-02-22-2.md"),
        ("2023-02-22-9", "file:2023-02-22-9.txt"),
        ("2023-02-22-10", "file:2023-02-22-10.md"),
    ]
    assert front(store.versions(POLICY)[0].path)["format"] == "html"


def test_a_folder_without_dated_files_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(PolicyError, match="no dated files"):
        dated_files.folder_incoming(tmp_path / "empty")


# -- Open Terms Archive ------------------------------------------------------------------------------


def test_an_ota_dataset_is_one_policy_per_service_and_terms_type(tmp_path: Path) -> None:
    dataset = ota_dataset(tmp_path / "dataset")
    store = Store(tmp_path / "versions")
    for target, incoming in History(ota=dataset).jobs():
        import_history(store, target, incoming)
    assert store.policies() == ["servicea-terms-of-service", "serviceb-privacy-policy"]
    terms = store.versions("servicea-terms-of-service")
    assert [v.version for v in terms] == ["2021-01-01", "2021-01-01-2", "2021-01-11"]
    assert front(terms[1].path)["source"] == "ota:ServiceA/Terms of Service/2021-01-01T18-02-10Z.md"
    assert front(terms[1].path)["title"] == "Terms"
    config = yaml.safe_load((store.root / "servicea-terms-of-service" / "policy.yaml").read_text())
    assert config["title"] == "ServiceA Terms of Service"
    assert config["source"] == "Open Terms Archive — sandbox — January 11, 2022 dataset"
    assert config["source_url"] == "https://github.com/OpenTermsArchive/sandbox-versions"
    assert config["license"] == "ODC Open Database License (ODbL)"


def test_an_ota_service_or_terms_folder_is_read_too(tmp_path: Path) -> None:
    dataset = ota_dataset(tmp_path / "dataset")
    one = dated_files.ota_documents(dataset / "ServiceA" / "Terms of Service", policy="tos")
    assert [(d.target.policy, len(d.incoming)) for d in one] == [("tos", 3)]
    assert one[0].target.config["source_url"].endswith("sandbox-versions")
    service = dated_files.ota_documents(dataset / "ServiceB")
    assert [d.target.policy for d in service] == ["serviceb-privacy-policy"]
    with pytest.raises(PolicyError, match="--policy names one policy"):
        dated_files.ota_documents(dataset, policy="one")
    (tmp_path / "plain" / "notes").mkdir(parents=True)
    (tmp_path / "plain" / "notes" / "todo.md").write_text("x", encoding="utf-8")
    with pytest.raises(PolicyError, match="not an Open Terms Archive dataset"):
        dated_files.ota_documents(tmp_path / "plain")
