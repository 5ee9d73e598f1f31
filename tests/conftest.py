"""Shared fixtures: paths to the seed and the corpus, and golden files."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# The property tests run the same examples on every run, so that CI's verdict depends on the
# code, not on the draw; HYPOTHESIS_PROFILE=explore draws new ones (run it when changing the
# judgement or the readers, and turn what it finds into a fixed case).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SHARED = Path(os.environ.get("POLICY_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_2309bfadd8d97b39.txt"
CORPUS = SHARED / "corpus"
SHIPPED_SEED = ROOT / "policy_versions" / "alibaba-cloud-privacy" / "2023-05-26.md"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-goldens",
        action="store_true",
        help="Rewrite golden files under tests/cases/ from the current output (then review them).",
    )


@pytest.fixture
def seed_path() -> Path:
    """The seed policy as shipped in policy_versions/ (always present in the repository)."""
    return SHIPPED_SEED


@pytest.fixture
def raw_seed_path() -> Path:
    """The original seed file in ../shared (skips when absent)."""
    if not SEED.is_file():
        pytest.skip(f"seed not available at {SEED}")
    return SEED


@pytest.fixture
def corpus_dir() -> Path:
    """The shared corpus (skips when absent)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not available at {CORPUS}")
    return CORPUS


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, Any], None]:
    """Compare text or JSON-able data with a golden file; ``--regen-goldens`` rewrites it."""
    regen = bool(request.config.getoption("--regen-goldens"))

    def check(path: Path, actual: Any) -> None:
        text = (
            actual
            if isinstance(actual, str)
            else json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        )
        if regen or not path.exists():
            if not regen:
                pytest.fail(f"golden file {path} is missing; run with --regen-goldens")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path}; review and --regen-goldens"

    return check
