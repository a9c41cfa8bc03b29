"""A persistent index of articles: check incoming ones, add them, share it between workers.

:class:`Index` is the entry point; stores are an SQLite file
(:mod:`.sqlite_store`, the default) or a Redis server (:mod:`.redis_store`).
"""

from .decide import Rules
from .index import CONFLICTS, EXPIRE_BATCH, Added, Expired, Index, OnConflict
from .store import Compacted
from .stores import open_store

__all__ = ["CONFLICTS", "EXPIRE_BATCH", "Added", "Compacted", "Expired", "Index", "OnConflict", "Rules", "open_store"]
