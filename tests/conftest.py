"""Shared fixtures. The real seed articles live in ../shared/seeds/ beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

import profiles  # noqa: F401  (loads the Hypothesis profile)
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


MARKS_BY_FIXTURE = {"spark": "spark", "browser": "browser", "redis_url": "redis"}
"""A test that uses one of these fixtures gets the marker (``-m "not spark"`` leaves it out)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, mark in MARKS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))
