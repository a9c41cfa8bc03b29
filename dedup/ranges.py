"""Character ranges ``[start, end)``: joined, measured and taken apart, in one place.

Spans, quotations, credited text and truth spans are all such ranges; every
stage that adds them up uses these functions, so "covered" means one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Range = tuple[int, int]


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted ranges, overlapping or touching ones joined, empty ones left out."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def union_length(ranges: Iterable[Range]) -> int:
    """Characters covered by the union of the ranges."""
    return sum(end - start for start, end in merge(ranges))


def length(ranges: Iterable[Range]) -> int:
    """Characters of ranges known not to overlap (a copier's credited pieces): no sort, no merge."""
    return sum(end - start for start, end in ranges)


def covered(span: Range, others: Iterable[Range]) -> int:
    """Characters of ``span`` inside the union of ``others``."""
    return sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in merge(others))


def covered_each(parts: Sequence[Range], others: Iterable[Range]) -> list[int]:
    """Characters of each of ``parts`` (sorted, not overlapping) inside the union of ``others``, in one sweep."""
    inside = merge(others)
    found, j = [], 0
    for start, end in parts:
        while j < len(inside) and inside[j][1] <= start:
            j += 1
        n, k = 0, j
        while k < len(inside) and inside[k][0] < end:
            n += min(end, inside[k][1]) - max(start, inside[k][0])
            k += 1
        found.append(n)
    return found


def subtract(span: Range, taken: Iterable[Range]) -> list[Range]:
    """The parts of ``span`` outside every range of ``taken``, in order."""
    pieces = [span] if span[1] > span[0] else []
    for t0, t1 in taken:
        pieces = [p for s0, s1 in pieces for p in ((s0, min(s1, t0)), (max(s0, t1), s1)) if p[1] > p[0]]
    return pieces


def difference(ranges: Iterable[Range], taken: Iterable[Range]) -> list[Range]:
    """The parts of the union of ``ranges`` outside the union of ``taken``, in order (one sweep
    of both: a body less dozens of furniture runs is cut once, not once per run)."""
    away = merge(taken)
    found: list[Range] = []
    j = 0
    for start, end in merge(ranges):
        while j < len(away) and away[j][1] <= start:
            j += 1
        at, k = start, j
        while k < len(away) and away[k][0] < end:
            if away[k][0] > at:
                found.append((at, away[k][0]))
            at = max(at, away[k][1])
            k += 1
        if at < end:
            found.append((at, end))
    return found


def intersection(ranges: Iterable[Range], other: Iterable[Range]) -> list[Range]:
    """The parts of the union of ``ranges`` inside the union of ``other``, in order."""
    inside = merge(other)
    return merge((max(s, t0), min(e, t1)) for s, e in merge(ranges) for t0, t1 in inside if min(e, t1) > max(s, t0))
