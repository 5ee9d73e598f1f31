"""The site's pages written by forked processes (``policy site build --jobs N``): the same files
and manifest as one process writes, a previous build's unchanged files still reused, and an
error while rendering a page raised in the build, as in a serial build."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pytest

from analyzer.archive import build
from analyzer.archive.pages import PageJob

pytestmark = pytest.mark.skipif(not build._can_fork(), reason="forked rendering needs Linux")


def _page(number: int) -> bytes:
    return f"<p>page {number}: {'x' * (number % 7)}</p>\n".encode()


def _broken() -> bytes:
    raise ValueError("template blew up on page 90")


def _jobs(count: int, broken: int | None = None) -> list[PageJob]:
    return [
        PageJob(
            f"p{n % 5}/page-{n}.html",
            _broken if n == broken else functools.partial(_page, n),
            fingerprint=f"f{n}",
        )
        for n in range(count)
    ]


def _write(
    tmp_path: Path, name: str, jobs: list[PageJob], workers: int, previous: Path | None = None
) -> tuple[dict[str, list[str]], int, int, Path]:
    staging = tmp_path / name
    staging.mkdir()
    manifest = {} if previous is None else build.read_manifest(previous)
    output = previous or tmp_path / "none"
    made = build._write_files(jobs, manifest, output, staging, workers, None, 0)
    return (*made, staging)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


def test_forked_writers_make_the_serial_files_and_manifest(tmp_path: Path) -> None:
    jobs = _jobs(3 * build._FORK_LEAST)
    serial = _write(tmp_path, "one", jobs, 1)
    forked = _write(tmp_path, "two", jobs, 2)
    assert forked[:3] == serial[:3]
    assert list(forked[0]) == [job.path for job in jobs]  # the manifest in the pages' order
    assert _files(forked[3]) == _files(serial[3])
    assert forked[0]["p3/page-8.html"][1] == hashlib.sha256(_page(8)).hexdigest()


def test_unchanged_files_are_reused_and_only_the_rest_rendered(tmp_path: Path) -> None:
    jobs = _jobs(3 * build._FORK_LEAST)
    first = _write(tmp_path, "site", jobs, 2)
    (first[3] / build.MARKER).write_text(build.manifest_text(first[0]), encoding="utf-8")
    changed = [PageJob(j.path, j.render, j.fingerprint + "'") for j in jobs[:100]] + jobs[100:]
    again = _write(tmp_path, "again", changed, 2, previous=first[3])
    assert again[2] == 100  # rendered; the other files were linked from the previous build
    assert _files(again[3]) == _files(first[3])


def test_an_error_while_rendering_in_a_worker_is_raised(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page 90"):
        _write(tmp_path, "site", _jobs(3 * build._FORK_LEAST, broken=90), 2)


def test_few_pages_are_rendered_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "_render_forked", lambda *a: pytest.fail("forked for few pages"))
    made = _write(tmp_path, "site", _jobs(build._FORK_LEAST - 1), 2)
    assert made[2] == build._FORK_LEAST - 1
