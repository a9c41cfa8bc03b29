"""Which store a location names: a Redis URL reaches a shared server, anything else is an index file."""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings
from .sqlite_store import SqliteStore
from .store import Store

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def open_store(location: str | Path, settings: Settings | None, *, create: bool = True,
               timeout: float = 30.0, readonly: bool = False) -> Store:
    """A store for ``location``: ``redis://``, ``rediss://`` and ``unix://`` URLs reach
    a shared Redis (the redis extra), anything else is the path of an index file."""
    text = str(location)
    if text.startswith(REDIS_SCHEMES):
        from .redis_store import RedisStore

        return RedisStore(text, settings, create=create, timeout=timeout, readonly=readonly)
    return SqliteStore(Path(text), settings, create=create, timeout=timeout, readonly=readonly)
