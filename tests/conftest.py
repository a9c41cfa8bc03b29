"""Shared fixtures. The real seed articles live in ../shared/seeds/ beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

import requires

# fixtures: the Spark session, index locations and Redis; schema checks of all output
pytest_plugins = ["spark_fixtures", "index_helpers", "contracts"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REUTERS = SHARED / "data" / "reuters21578"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return requires.path(SEEDS, "the shared data beside the checkout")


@pytest.fixture(scope="session")
def reuters_dir() -> Path:
    return requires.path(REUTERS, "the shared data beside the checkout")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
