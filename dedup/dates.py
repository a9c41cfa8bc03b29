"""Publication dates: read in the forms newsrooms write them, compared, and ordered.

The order of publication decides which side of a pair is ``a``, which
articles are the hubs of an oversized bucket and, where dates differ, the
likely source; every engine orders articles by :func:`publication_key`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from .model import Article

_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y",
            "%d %B %Y", "%B %d, %Y", "%Y%m%d")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


@lru_cache(maxsize=1 << 16)
def parse_date(value: str | None) -> tuple[datetime, bool] | None:
    """A publication date and whether it carries a time of day, or None if unreadable
    (kept for the last dates read: an article is a side of many pairs)."""
    if not value:
        return None
    text = value.strip()
    if _ISO.match(text):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.replace(tzinfo=None), len(text) > 10
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed, "%H" in fmt
    return None


def earlier(a: str | None, b: str | None) -> int:
    """-1 if ``a`` was published first, 1 if ``b`` was, 0 if unknown or the same."""
    pa, pb = parse_date(a), parse_date(b)
    if pa is None or pb is None:
        return 0
    (da, ta), (db, tb) = pa, pb
    if not (ta and tb):
        da, db = datetime(da.year, da.month, da.day), datetime(db.year, db.month, db.day)
    return -1 if da < db else (1 if db < da else 0)


def publication_key(a: Article) -> tuple[int, str, str]:
    """Sort key: dated articles first, earliest first, then undated ones; ties by id."""
    parsed = parse_date(a.date)
    return (0, parsed[0].isoformat(), a.id) if parsed else (1, "", a.id)


def publication_order(articles: Iterable[Article]) -> list[Article]:
    """Articles earliest first (undated last), then by id: the order hubs and pairs follow."""
    return sorted(articles, key=publication_key)
