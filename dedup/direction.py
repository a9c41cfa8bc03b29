"""Which article of a pair is the likely source, and why.

In order: the earlier publication date; a wire service (AP, Reuters, AFP,
EFE, PA ...) against an outlet that is not one; containment (one text is
almost all copy, the other holds that copy inside more text of its own, so
the fuller one is the source). When none decides, dedup says it cannot tell.
"""

from __future__ import annotations

import re
from datetime import datetime

from .model import Article
from .settings import Settings

CONTAINED = 0.8
"""Coverage above which an article counts as mostly copy."""
MARGIN = 0.25
"""How much less of the other article must be copy for containment to decide."""

_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y",
            "%d %B %Y", "%B %d, %Y", "%Y%m%d")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_date(value: str | None) -> tuple[datetime, bool] | None:
    """A publication date and whether it carries a time of day, or None if unreadable."""
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


def is_wire(outlet: str | None, settings: Settings) -> bool:
    return bool(outlet) and outlet.strip().lower() in settings.wire_outlets


def attribute(
    a: Article, b: Article, a_coverage: float, b_coverage: float, settings: Settings
) -> tuple[str | None, str | None]:
    """``(source id, reason)`` for a pair sharing prose, or ``(None, None)``."""
    order = earlier(a.date, b.date)
    if order:
        return (a.id if order < 0 else b.id), "date"
    wire_a, wire_b = is_wire(a.outlet, settings), is_wire(b.outlet, settings)
    if wire_a != wire_b:
        return (a.id if wire_a else b.id), "wire"
    if b_coverage >= CONTAINED and a_coverage <= b_coverage - MARGIN:
        return a.id, "containment"
    if a_coverage >= CONTAINED and b_coverage <= a_coverage - MARGIN:
        return b.id, "containment"
    return None, None
