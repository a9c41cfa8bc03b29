"""The ``dedup`` command: a thin layer over the library.

Each command lives in its own module and registers itself on the group in
:mod:`.base`, which holds what they share (option groups, error handling,
output). Everything a command does, a pipeline can do by importing :mod:`dedup`.
"""

from __future__ import annotations

import sys

from . import diff, evaluate, filter, index, scan  # noqa: F401  (each module adds its commands to the group)
from .base import build_settings, cli

__all__ = ["build_settings", "cli", "main"]


def main() -> None:
    try:
        cli(prog_name="dedup")
    except BrokenPipeError:  # e.g. dedup scan ... | head
        sys.stderr.close()
        sys.exit(0)
