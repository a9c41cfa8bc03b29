"""Cutting a stream into batches: the unit of tokenizing, committing and writing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter), read lazily."""
    if size < 1:
        raise ValueError(f"batch size must be a positive integer, got {size!r}")
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
