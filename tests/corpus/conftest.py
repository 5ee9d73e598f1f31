"""Fixtures of the corpus tests: a small archive, and its serial analysis (the tables every
other engine must give)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="the corpus extra is not installed")

from tests.helpers.corpus_archives import analyze, make_archive


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_archive(tmp_path_factory.mktemp("archive") / "versions")


@pytest.fixture(scope="session")
def serial(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive analysed by one local worker (the serial run the others must equal)."""
    out = tmp_path_factory.mktemp("serial") / "results"
    analyze(archive, out, "--engine", "local", "--workers", "1")
    return out
