"""Families: articles linked by prose reuse, and the original most of them copy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .dates import earlier
from .graph import components
from .model import Article, Family, Match


def group(pairs: Iterable[Match], articles: Sequence[Article]) -> list[Family]:
    """Connected components of the pairs that share prose, largest first.

    A family's ``sources`` are the members that copy from no other member and
    are the source of at least one; ``source`` is the one most members copy
    from (ties go to the earliest; still tied, None).
    """
    by_id = {a.id: a for a in articles}
    linked = [p for p in pairs if p.copied]
    copies: Counter[str] = Counter()
    copiers: set[str] = set()
    for p in linked:
        if p.source is not None:
            copies[p.source] += 1
            copiers.add(p.copier or "")

    def when(i: str) -> tuple[str, str]:
        return (by_id[i].date or "", i) if i in by_id else ("", i)

    families: list[Family] = []
    for n, comp in enumerate(components((p.a, p.b) for p in linked), 1):
        ordered = tuple(sorted(comp, key=when))
        roots = tuple(i for i in ordered if copies[i] and i not in copiers)
        source = None
        if roots:
            top = max(copies[i] for i in roots)
            best = [i for i in roots if copies[i] == top]
            if len(best) == 1:
                source = best[0]
            else:
                first = best[0]
                if all(earlier(by_id[first].date, by_id[i].date) < 0 for i in best[1:] if i in by_id):
                    source = first
        families.append(Family(f"F{n}", ordered, source, roots))
    return families
