"""What a test needs from the machine, in one place.

Present: the test runs. Missing on a user's clone: the test is skipped with
the reason and the command that installs it. Missing under CI (``CI=true``),
which installs everything (``.ci/run``): the test fails, so a skipped check
is never counted as passing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason`` on a user's machine; fail under CI, which must have it."""
    if under_ci():
        pytest.fail(f"{reason}; CI must have it (see .ci/run)")
    pytest.skip(reason)


def module(name: str, install: str) -> None:
    """An importable Python module (``install`` says how to get it)."""
    if importlib.util.find_spec(name) is None:
        unavailable(f"{name} is not installed ({install})")


def program(name: str, install: str = ".ci/run installs it") -> str:
    """The path of a program on PATH."""
    found = shutil.which(name)
    if not found:
        unavailable(f"{name} is not installed ({install})")
    return found


def path(where: Path, what: str) -> Path:
    """A file or folder the test reads (the shared data beside the checkout)."""
    if not where.exists():
        unavailable(f"{where} is not there ({what})")
    return where
