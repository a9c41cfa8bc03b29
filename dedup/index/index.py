"""A persistent index that checks incoming articles and adds them in one step.

``check_many`` decides a batch against what the store holds, then, to add,
takes the store's write lock, looks again at anything another process
committed in the meantime (deciding the batch again only if some of it is a
candidate for an article of the batch), and adds the batch in one commit. So two
workers fed copies of one story at the same moment keep one of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..chance import Chance
from ..errors import SettingsError
from ..model import STATUSES, Article, Decision, Status
from ..settings import Settings
from .batch import Batch
from .decide import Decider, Rules, searched_chance
from .store import Store
from .stores import open_store

KEEP: frozenset[Status] = frozenset({"new", "partial"})
"""What ``add=True`` adds: everything but duplicates (they are copies of what is there)."""


class Index:
    """Check articles against a stored index and grow it (``Index.open``)."""

    def __init__(self, store: Store, rules: Rules | None = None):
        self.store = store
        self.rules = rules or Rules()
        self._chance: Chance | None = None

    @classmethod
    def open(cls, location: str | Path, settings: Settings | None = None, *, rules: Rules | None = None,
             create: bool = True, timeout: float = 30.0) -> Index:
        """Open (or create) the index at a file path or a ``redis://`` URL.

        Without ``settings`` an existing index uses the settings it was built
        with; with them, any difference is an error naming the parameter.
        ``timeout`` is how long a writer waits for another one.
        """
        return cls(open_store(location, settings, create=create, timeout=timeout), rules)

    @property
    def settings(self) -> Settings:
        return self.store.settings

    @property
    def location(self) -> str:
        return self.store.location

    def check(self, article: Article, *, add: bool | Collection[Status] = False) -> Decision:
        """Decide one article (see :meth:`check_many`)."""
        return self.check_many([article], add=add)[0]

    def check_many(self, articles: Iterable[Article], *, add: bool | Collection[Status] = False) -> list[Decision]:
        """Decide a batch of articles, in order, and add those whose status is in ``add``
        (``True``: new and partial) in one commit. Each article is checked against the
        index and against the articles before it in the batch that are added."""
        batch_articles = list(articles)
        if not batch_articles:
            return []
        wanted = KEEP if add is True else frozenset(add or ())
        if not wanted <= frozenset(STATUSES):
            raise SettingsError(f"add takes statuses among {', '.join(STATUSES)}, got {sorted(wanted)}")
        batch = Batch.of(batch_articles, self.settings)
        self.store.refresh()
        seen = self.store.last_seq()
        self._chance = searched_chance(self.store, batch, self.settings, self._chance)
        decisions, repeats = self._decide(batch, wanted)
        if not wanted:
            return decisions
        with self.store.writing() as writer:
            if self.store.last_seq() > seen and Decider(batch, self.store, self.settings, self.rules, seen).candidates:
                decisions, repeats = self._decide(batch, wanted)  # another writer added related articles meanwhile
            decisions = [replace(d, added=True) if d.status in wanted else d for d in decisions]
            writer.add([batch.entry(i, bool(repeats[i])) for i, d in enumerate(decisions) if d.added])
        return decisions

    def _decide(self, batch: Batch, wanted: frozenset[Status]) -> tuple[list[Decision], np.ndarray]:
        """Decisions in order, and which articles repeat a story of their outlet."""
        decider = Decider(batch, self.store, self.settings, self.rules, chance=self._chance)
        added = np.zeros(len(batch.articles), dtype=bool)
        decisions = []
        for i in range(len(batch.articles)):
            d = decider.decide(i, added)
            added[i] = d.status in wanted
            decisions.append(d)
        return decisions, decider.repeats

    def add(self, articles: Iterable[Article]) -> int:
        """Add articles as they are, without checking them, in one commit; an id
        already indexed is replaced. Returns how many were added."""
        items = list(articles)
        if not items:
            return 0
        batch = Batch.of(items, self.settings)
        with self.store.writing() as writer:
            decider = Decider(batch, self.store, self.settings, self.rules)
            every = np.ones(len(items), dtype=bool)
            for i in range(len(items)):
                decider.counts(i, every)  # whether it repeats a story, with those before it
            writer.add([batch.entry(i, bool(decider.repeats[i])) for i in range(len(items))])
        return len(items)

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove articles by id in one commit; returns the ids that were indexed."""
        with self.store.writing() as writer:
            return writer.remove(ids)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def __len__(self) -> int:
        return self.store.count()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.store.has([article_id])[0]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

