"""A persistent index that checks incoming articles and adds them in one step.

``check_many`` decides a batch against what the store holds, then, to add,
takes the store's write lock, looks again at anything another process
committed in the meantime (deciding the batch again only if some of it is a
candidate for an article of the batch), and adds the batch in one commit. So two
workers fed copies of one story at the same moment keep one of them. A caller
that passes the batch on (the filter) does so inside the commit, before it is
made: a crash then leaves a batch passed on and not indexed (it is checked
again on replay), never indexed and not passed on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..chance import Chance
from ..dates import parse_date
from ..errors import SettingsError
from ..model import STATUSES, Article, Decision, Status
from ..settings import Settings
from .batch import Batch
from .decide import Decider, Rules, searched_chance
from .store import Compacted, Store
from .stores import open_store

KEEP: frozenset[Status] = frozenset({"new", "partial"})
"""What ``add=True`` adds: everything but duplicates (they are copies of what is there)."""
OnConflict = Literal["reject", "keep", "replace"]
CONFLICTS: tuple[OnConflict, ...] = ("reject", "keep", "replace")
"""What to do with an article whose id is indexed with another text (see :class:`Index`)."""
Deliver = Callable[[list[Decision]], None]
EXPIRE_BATCH = 10_000
"""Articles :meth:`Index.expire` removes in one commit: a short hold of the write lock."""


@dataclass(frozen=True)
class Added:
    """What :meth:`Index.add` did: ``added`` articles written, ``unchanged`` ones already
    indexed with the same text, and the ids of those left out because their id is
    indexed with another text (``on_conflict`` ``reject`` or ``keep``)."""

    added: int = 0
    unchanged: int = 0
    conflicts: tuple[str, ...] = ()

    @property
    def held(self) -> int:
        """Articles of the call the index now holds as given."""
        return self.added + self.unchanged


@dataclass(frozen=True)
class Expired:
    """What :meth:`Index.expire` did: ``removed`` articles, and how many it kept because
    they have no date (``undated``) or one it cannot read (``unreadable``)."""

    removed: int = 0
    undated: int = 0
    unreadable: int = 0


class Index:
    """Check articles against a stored index and grow it (``Index.open``).

    Ids are unique. An article whose id is indexed (or comes earlier in the
    batch) with another text is a conflict, and ``on_conflict`` decides:
    ``reject`` (the default) keeps the indexed article and adds nothing, the
    decision says ``conflict`` and the filter rejects the record with the
    reason; ``keep`` keeps the indexed article too, and the record is checked
    and passed on like any other, without joining the index; ``replace``
    checks the record without the article it replaces and, if it is added,
    puts it in that article's place in the same commit. The same id with the
    same text is no conflict: a check finds it a duplicate of itself, an add
    leaves it as it is.
    """

    def __init__(self, store: Store, rules: Rules | None = None):
        self.store = store
        self.rules = rules or Rules()
        self._chance: Chance | None = None

    @classmethod
    def open(cls, location: str | Path, settings: Settings | None = None, *, rules: Rules | None = None,
             create: bool = True, timeout: float = 30.0, readonly: bool = False) -> Index:
        """Open (or create) the index at a file path or a ``redis://`` URL.

        Without ``settings`` an existing index uses the settings it was built
        with; with them, any difference is an error naming the parameter.
        ``timeout`` is how long a writer waits for another one. ``readonly``
        never writes (and never creates): checks only.
        """
        return cls(open_store(location, settings, create=create, timeout=timeout, readonly=readonly), rules)

    @property
    def settings(self) -> Settings:
        return self.store.settings

    @property
    def location(self) -> str:
        return self.store.location

    def check(self, article: Article, *, add: bool | Collection[Status] = False,
              on_conflict: OnConflict = "reject") -> Decision:
        """Decide one article (see :meth:`check_many`)."""
        return self.check_many([article], add=add, on_conflict=on_conflict)[0]

    def check_many(self, articles: Iterable[Article], *, add: bool | Collection[Status] = False,
                   on_conflict: OnConflict = "reject", deliver: Deliver | None = None) -> list[Decision]:
        """Decide a batch of articles, in order, and add those whose status is in ``add``
        (``True``: new and partial) in one commit. Each article is checked against the
        index and against the articles before it in the batch that are added.

        ``deliver``, if given, is called once with the final decisions before they are
        committed: if it raises, nothing of the batch is. So whatever it passed on
        before a crash is either in the index or not, and never in the index without
        having been passed on (at-least-once delivery, :mod:`dedup.filter`).
        """
        batch_articles = list(articles)
        wanted = KEEP if add is True else frozenset(add or ())
        if not wanted <= frozenset(STATUSES):
            raise SettingsError(f"add takes statuses among {', '.join(STATUSES)}, got {sorted(wanted)}")
        if on_conflict not in CONFLICTS:
            raise SettingsError(f"on_conflict takes {', '.join(CONFLICTS)}, got {on_conflict!r}")
        if not batch_articles:
            if deliver:
                deliver([])
            return []
        batch = Batch.of(batch_articles, self.settings)
        self.store.refresh()
        seen = self.store.last_seq()
        self._chance = searched_chance(self.store, batch, self.settings, self._chance)
        indexed = self._indexed_texts(batch_articles)
        decisions, repeats = self._decide(batch, wanted, indexed, on_conflict)
        if not wanted:
            if deliver:
                deliver(decisions)
            return decisions
        with self.store.writing() as writer:
            if self.store.last_seq() > seen:  # another writer committed meanwhile: related to this batch?
                now = self._indexed_texts(batch_articles)
                if now != indexed or Decider(batch, self.store, self.settings, self.rules, seen).candidates:
                    decisions, repeats = self._decide(batch, wanted, now, on_conflict)
            writer.add([batch.entry(i, bool(repeats[i])) for i, d in enumerate(decisions) if d.added])
            if deliver:
                deliver(decisions)
        return decisions

    def _indexed_texts(self, articles: list[Article]) -> dict[str, str]:
        """The stored texts of the ids of ``articles`` that are indexed."""
        seqs = self.store.seqs([a.id for a in articles])
        stored = self.store.fetch(sorted(seqs.values())) if seqs else {}
        return {a.id: a.text for a in stored.values()}

    def _decide(self, batch: Batch, wanted: frozenset[Status], indexed: dict[str, str],
                on_conflict: OnConflict) -> tuple[list[Decision], np.ndarray]:
        """Decisions in order (``added`` set to what joins the index), and which articles
        repeat a story of their outlet. ``indexed`` holds the stored texts of the batch's ids."""
        replacing: frozenset[str] = frozenset()
        if on_conflict == "replace":
            texts: dict[str, set[str]] = {}
            for a in batch.articles:
                texts.setdefault(a.id, {indexed[a.id]} if a.id in indexed else set()).add(a.text)
            replacing = frozenset(i for i, t in texts.items() if len(t) > 1)
        decider = Decider(batch, self.store, self.settings, self.rules, chance=self._chance,
                          replacing=replacing)
        added = np.zeros(len(batch.articles), dtype=bool)
        taken = dict(indexed)  # id -> text, with the batch's articles added so far
        decisions = []
        for i, article in enumerate(batch.articles):
            d = decider.decide(i, added)
            conflict = taken.get(article.id, article.text) != article.text
            added[i] = d.status in wanted and (not conflict or on_conflict == "replace")
            if added[i]:
                taken[article.id] = article.text
            decisions.append(replace(d, added=bool(added[i]), conflict=conflict))
        return decisions, decider.repeats

    def add(self, articles: Iterable[Article], *, on_conflict: OnConflict = "reject") -> Added:
        """Add articles as they are, without checking them, in one commit. An id indexed
        with the same text is left as it is; with another text, ``replace`` replaces it
        and ``reject`` or ``keep`` leave the indexed article (see :class:`Added`)."""
        if on_conflict not in CONFLICTS:
            raise SettingsError(f"on_conflict takes {', '.join(CONFLICTS)}, got {on_conflict!r}")
        items = list(articles)
        if not items:
            return Added()
        batch = Batch.of(items, self.settings)
        with self.store.writing() as writer:
            taken = self._indexed_texts(items)
            chosen = np.zeros(len(items), dtype=bool)
            unchanged, conflicts = 0, []
            for i, a in enumerate(items):
                if a.id not in taken or (taken[a.id] != a.text and on_conflict == "replace"):
                    chosen[i] = True
                    taken[a.id] = a.text
                elif taken[a.id] == a.text:
                    unchanged += 1
                else:
                    conflicts.append(a.id)
            decider = Decider(batch, self.store, self.settings, self.rules)
            for i in np.flatnonzero(chosen).tolist():
                decider.counts(i, chosen)  # whether it repeats a story, with those before it
            writer.add([batch.entry(i, bool(decider.repeats[i])) for i in np.flatnonzero(chosen).tolist()])
        return Added(int(chosen.sum()), unchanged, tuple(conflicts))

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove articles by id in one commit; returns the ids that were indexed."""
        with self.store.writing() as writer:
            return writer.remove(ids)

    def expire(self, before: date, *, batch: int = EXPIRE_BATCH,
               committed: Callable[[int], None] | None = None) -> Expired:
        """Remove every article dated before the day ``before`` (its date as written, in
        any form :func:`dedup.dates.parse_date` reads), ``batch`` at a time, each batch
        one commit; ``committed`` is told the total removed after each. Articles
        without a readable date are kept. A run stopped part way leaves every batch
        it committed removed and the index readable; running it again finishes the job."""
        if batch < 1:
            raise SettingsError(f"batch must be at least 1, got {batch}")
        day = before.date() if isinstance(before, datetime) else before
        removed, doomed = 0, []
        undated: set[str] = set()
        unreadable: set[str] = set()
        for page in self.store.dates(batch):
            for article_id, written in page:
                parsed = parse_date(written)
                if parsed is None:
                    (unreadable if written else undated).add(article_id)
                elif parsed[0].date() < day:
                    doomed.append(article_id)
            while len(doomed) >= batch:
                removed += len(self.remove(doomed[:batch]))
                del doomed[:batch]
                if committed:
                    committed(removed)
        if doomed:
            removed += len(self.remove(doomed))
            if committed:
                committed(removed)
        return Expired(removed, len(undated), len(unreadable))

    def compact(self) -> Compacted:
        """Give back the space removed articles left (SQLite: trim the log of removals
        and VACUUM; Redis: nothing to do, ``note`` says why). Safe to interrupt, and
        readers and writers may go on meanwhile (a writer waits for the VACUUM)."""
        return self.store.compact()

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def __len__(self) -> int:
        return self.store.count()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and article_id in self.store.seqs([article_id])

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
