"""Which article of a pair is the likely source, and why.

In order: the earlier publication date; a wire service (AP, Reuters, AFP,
EFE, PA ...) against an outlet that is not one; containment (one text is
almost all copy, the other holds that copy inside more text of its own, so
the fuller one is the source). When none decides, dedup says it cannot tell.
"""

from __future__ import annotations

from .dates import earlier
from .model import Article
from .settings import Settings

CONTAINED = 0.8
"""Coverage above which an article counts as mostly copy."""
MARGIN = 0.25
"""How much less of the other article must be copy for containment to decide."""


def is_wire(outlet: str | None, settings: Settings) -> bool:
    return outlet is not None and outlet.strip().lower() in settings.wire_outlets


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
