"""Keeping Python's garbage collector out of the way of a large corpus.

Articles, their metadata and their words' bookkeeping are millions of small
objects without reference cycles. A full collection walks every one of them
(0.08 s at 100,000 articles, growing with them), and collections run more often the
faster objects are made: building the article list spends half its time in
them. In a forked worker a collection also writes to every page those
objects sit on, which copies the pages the worker shares with its parent.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
