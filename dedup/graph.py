"""Connected components of an undirected graph (union-find), used wherever
articles are grouped by the links between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


class DisjointSets:
    """Union-find with path halving; each set is named by its smallest member."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: object, y: object) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            low, high = (rx, ry) if _less(rx, ry) else (ry, rx)
            self.parent[high] = low


def _less(x: object, y: object) -> bool:
    return bool(x < y)  # type: ignore[operator]


def components(edges: Iterable[tuple[N, N]]) -> list[list[N]]:
    """Groups of two or more nodes linked by ``edges``, each sorted; largest
    first, then by smallest member."""
    sets = DisjointSets()
    for a, b in edges:
        sets.union(a, b)
    groups: dict[object, list[N]] = defaultdict(list)
    for node in sorted(sets.parent):  # type: ignore[type-var]
        groups[sets.find(node)].append(node)  # type: ignore[arg-type]
    return sorted(groups.values(), key=lambda m: (-len(m), m[0]))
