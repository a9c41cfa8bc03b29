"""Keeping Python's garbage collector, and the C heap, out of the way of a large corpus.

Articles, their metadata and their words' bookkeeping are millions of small
objects without reference cycles. A full collection walks every one of them
(0.08 s at 100,000 articles, growing with them), and collections run more often the
faster objects are made: building the article list spends half its time in
them. In a forked worker a collection also writes to every page those
objects sit on, which copies the pages the worker shares with its parent.

The C library's allocator keeps memory that was freed, and the tokenizer's
threads each have an arena of their own: the arrays one stage makes and drops
stay counted against the process until it is given back (:func:`trim`). At
30,000 articles that was a third of a scan's memory after its candidate stage
(``benchmarks/RESULTS.md``, "Memory a local scan needs").
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collections while the block builds objects (cycles made meanwhile
    are collected after it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Objects that exist now are left out of collections until the block ends
    (``gc.freeze``, meant for processes that fork). A caller that froze
    objects of its own keeps its state."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` among the symbols the process has loaded (no search for the
    library, which would start ``ldconfig``), or None where there is none (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


_TRIM: list[Callable[[int], int] | None] = []


def trim() -> None:
    """Give the memory freed since the last call back to the operating system (every
    arena's free pages, not only those at the top of the heap)."""
    if not _TRIM:
        _TRIM.append(_malloc_trim())
    if _TRIM[0] is not None:
        _TRIM[0](0)
