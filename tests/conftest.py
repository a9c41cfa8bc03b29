"""Shared fixtures. The real seed articles live in ../shared/seeds/ beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["spark_fixtures", "contracts"]  # the Spark tests' SparkSession; schema checks of all output

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REUTERS = SHARED / "data" / "reuters21578"


def need_shared(path: Path) -> Path:
    """``path`` under ../shared/, or a skip where a user's clone has none (a failure under CI)."""
    if path.exists():
        return path
    message = f"{path} is not there (the shared data beside the checkout)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must have it")
    pytest.skip(message)


def need_module(name: str, extra: str) -> None:
    """Skip when an optional dependency is missing, except under CI, where it must be installed."""
    import importlib.util

    if importlib.util.find_spec(name) is not None:
        return
    message = f"{name} is not installed (pip install 'dedup[{extra}]')"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must have it")
    pytest.skip(message)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need_shared(SEEDS)


@pytest.fixture(scope="session")
def reuters_dir() -> Path:
    return need_shared(REUTERS)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
