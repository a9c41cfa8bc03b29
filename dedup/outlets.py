"""Per-outlet figures: how much of each outlet's text is prose copied from others.

Verbatim (or lightly edited) prose and rewritten prose are counted apart: an
outlet's ``reused_share``, ``shared_share`` and ``reused_from`` are its text in
``prose`` spans, its ``rewritten_share`` its text in ``rewritten`` spans taken
from another article, outside its prose spans (so the shares add up).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import COPIED, Article, Match, OutletStats, SpanKind
from .ranges import Range, difference, length, subtract, union_length

NO_OUTLET = "(none)"


def outlet_of(article: Article) -> str:
    return article.outlet or NO_OUTLET


def copier_side(p: Match, kinds: tuple[SpanKind, ...]) -> list[Range]:
    """The copier's character ranges of the spans of ``kinds`` of a pair with a source."""
    if p.copier == p.b:
        return [(s.b_start, s.b_end) for s in p.spans if s.kind in kinds]
    return [(s.a_start, s.a_end) for s in p.spans if s.kind in kinds]


def attributed_ranges(pairs: Iterable[Match], by_id: dict[str, Article],
                      kinds: tuple[SpanKind, ...] = COPIED) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """For each copier, its character ranges copied in spans of ``kinds`` (verbatim or
    rewritten prose), keyed by the article they came from.

    A text copied by several outlets is found in all of them; each range is
    credited once, to the most original source that holds it: one that copies
    from no one first, then the earliest.
    """
    pairs = [p for p in pairs if p.source is not None and any(s.kind in kinds for s in p.spans)]
    copiers = {p.copier for p in pairs}
    offered: dict[str, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
    for p in pairs:
        offered[p.copier or ""].extend((p.source or "", side) for side in copier_side(p, kinds))

    def priority(source: str) -> tuple[bool, str, str]:
        return (source in copiers, by_id[source].date or "~", source)

    return {copier: credit(items, priority) for copier, items in offered.items()}


def credit(
    items: Iterable[tuple[str, tuple[int, int]]], priority: Callable[[str], Any]
) -> dict[str, list[tuple[int, int]]]:
    """One copier's ``(source, range)`` offers, each character credited once, to
    the source of lowest ``priority`` that offers it: no two pieces overlap, so
    :func:`dedup.ranges.length` measures them."""
    taken: list[tuple[int, int]] = []
    mine: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for source, (start, end) in sorted(items, key=lambda it: (priority(it[0]), it[1])):
        for piece in subtract((start, end), taken):
            mine[source].append(piece)
            taken.append(piece)
    return dict(mine)


@dataclass
class Tally:
    """Character counts of one outlet, before they become shares."""

    documents: int = 0
    characters: int = 0
    shared: int = 0
    reused: int = 0
    boilerplate: int = 0
    rewritten: int = 0
    sources: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def outlet_stats(
    articles: Sequence[Article], pairs: Sequence[Match], boilerplate: Mapping[str, int] | None = None
) -> list[OutletStats]:
    """One row per outlet, outlets in order of name.

    ``boilerplate`` gives, per article id, how many of its characters are its
    outlet's template text.
    """
    by_id = {a.id: a for a in articles}
    shared: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rewrote: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p in pairs:
        for s in p.prose:
            shared[p.a].append((s.a_start, s.a_end))
            shared[p.b].append((s.b_start, s.b_end))
        if p.source is not None:
            rewrote[p.copier or ""] += copier_side(p, ("rewritten",))
    copied = attributed_ranges(pairs, by_id, ("prose",))

    tallies: dict[str, Tally] = defaultdict(Tally)
    for art in articles:
        t = tallies[outlet_of(art)]
        t.documents += 1
        t.characters += len(art.text)
        t.shared += union_length(shared.get(art.id, ()))
        t.rewritten += rewritten_length(rewrote.get(art.id, ()), shared.get(art.id, ()))
        t.boilerplate += (boilerplate or {}).get(art.id, 0)
        for source, ranges in copied.get(art.id, {}).items():
            n = length(ranges)
            t.reused += n
            t.sources[outlet_of(by_id[source])] += n
    return outlet_rows(tallies)


def rewritten_length(rewritten: Iterable[Range], prose: Iterable[Range]) -> int:
    """Characters of one article in its rewritten ranges (taken from others) outside its
    prose ranges: a character copied verbatim from one article and rewritten from
    another is verbatim."""
    return union_length(difference(rewritten, prose))


def outlet_rows(tallies: Mapping[str, Tally]) -> list[OutletStats]:
    """Shares of each outlet's characters, outlets in order of name."""
    rows = []
    for name in sorted(tallies):
        t = tallies[name]
        chars = max(t.characters, 1)
        reused_from = {o: round(n / chars, 4) for o, n in sorted(t.sources.items(), key=lambda kv: (-kv[1], kv[0]))}
        rows.append(OutletStats(name, t.documents, t.characters, round(t.reused / chars, 4),
                                round(t.shared / chars, 4), reused_from, round(t.boilerplate / chars, 4),
                                round(t.rewritten / chars, 4)))
    return rows
