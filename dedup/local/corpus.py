"""The local engine's corpus: every article's words in flat arrays, its passage
fingerprints in hash shards, and the corpus-wide marks, on one machine.

Articles are numbered in the order they arrive; ``rank`` gives each one's
place in publication order (:func:`dedup.dates.publication_key`). Words are
tokenized in batches (in threads when the kernels release the GIL, worker
processes otherwise) and kept in flat arrays; large corpora keep them in
memory-mapped files of a work folder instead of RAM, and split the
fingerprints into shards that are sorted one at a time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.pool import ThreadPool
from typing import TypeVar

import numpy as np

from .. import kernels
from ..candidates import (
    Candidates,
    find_candidates,
    merge,
    order_by,
    outlet_numbers,
    repeated_only,
    repeats_of,
    seen_mask,
)
from ..dates import publication_key
from ..kinds import Marks
from ..model import Article
from ..page import body_range, credits
from ..passages import Fingerprints, read_texts
from ..progress import Progress
from ..settings import Settings
from ..text import BATCH, TokenBatch, Tokens

SPILL_WORDS = 150_000_000
"""Corpora with more words than this keep their word arrays on disk (memory-mapped)."""
SHARD_FINGERPRINTS = 40_000_000
"""Fingerprints per shard of the candidate stage (a shard is sorted in memory)."""
SPLIT_FINGERPRINTS = 4_000_000
"""Fingerprints in RAM from which the candidate stage splits them among its processes (about
12,000 articles of news). Set, not measured: below it the stage takes under a second in one
process; at 100,000 articles (33 million) two processes take it from 11.7 to 7.0 s wall."""

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """Processes to use by default: every core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Columns:
    """Growing flat arrays of words, in RAM or in files of a work folder.

    In RAM, each array is allocated once at an upper bound of the word count
    (a word takes one character at least: a Chinese character is a word) and
    filled in place: untouched pages cost no memory, and nothing is copied at the end.
    """

    NAMES = (("hashes", np.uint64), ("starts", np.int32), ("ends", np.int32), ("flags", np.uint8))

    def __init__(self, folder: str | None, capacity: int) -> None:
        self.folder = folder
        self.arrays = {} if folder else {n: np.empty(capacity, dtype=t) for n, t in self.NAMES}
        self.files = {n: open(os.path.join(folder, n), "wb") for n, _ in self.NAMES} if folder else {}
        self.count = 0

    def add(self, batch: TokenBatch) -> None:
        stop = self.count + len(batch.hashes)
        for name, dtype in self.NAMES:
            values = getattr(batch, name)
            if self.folder:
                self.files[name].write(values.astype(dtype, copy=False).tobytes())
            else:
                self.arrays[name][self.count : stop] = values
        self.count = stop

    def finish(self, bounds: np.ndarray) -> TokenBatch:
        arrays = {}
        for name, dtype in self.NAMES:
            if self.folder:
                self.files[name].close()
                path = os.path.join(self.folder, name)
                # a plain view of the mapping: np.memmap's Python-level slicing costs
                # microseconds per slice, and alignment slices every article of every pair
                arrays[name] = (np.memmap(path, dtype=dtype, mode="r").view(np.ndarray) if self.count
                                else np.zeros(0, dtype=dtype))
            else:
                arrays[name] = self.arrays.pop(name)[: self.count]
        return TokenBatch(arrays["hashes"], arrays["starts"], arrays["ends"], arrays["flags"], bounds)


_RECORD = np.dtype([("h", "<u8"), ("d", "<i4"), ("p", "<i4")])
_NONE = np.zeros(0, dtype=bool)


class _Shards:
    """Fingerprints split by hash into shards that fit in memory one at a time.

    One shard stays in RAM, in arrays allocated once at an upper bound (like
    :class:`_Columns`); several go to files of the work folder, so the
    candidate stage of a very large corpus sorts one shard at a time.
    """

    def __init__(self, count: int, folder: str | None, capacity: int, articles: int) -> None:
        self.count = count if folder else 1
        self.filled = 0
        self.per_article = np.zeros(articles, dtype=np.int64)  # fingerprints of each article
        self.ram = (Fingerprints(np.empty(capacity, np.uint64), np.empty(capacity, np.int64),
                                 np.empty(capacity, np.int32)) if self.count == 1 else None)
        self.paths = [os.path.join(folder, f"shard{i}") for i in range(self.count)] if folder and self.count > 1 else []
        for path in self.paths:
            open(path, "wb").close()

    def add(self, fp: Fingerprints, first: int, articles: int) -> None:
        """Fingerprints of articles ``first`` to ``first + articles``."""
        self.per_article[first : first + articles] = np.bincount(fp.docs - first, minlength=articles)
        if self.ram is not None:
            stop = self.filled + len(fp)
            self.ram.hashes[self.filled : stop] = fp.hashes
            self.ram.docs[self.filled : stop] = fp.docs
            self.ram.positions[self.filled : stop] = fp.positions
            self.filled = stop
            return
        which = (fp.hashes % np.uint64(self.count)).astype(np.int64)
        records = np.empty(len(fp), dtype=_RECORD)
        records["h"], records["d"], records["p"] = fp.hashes, fp.docs, fp.positions
        for i, path in enumerate(self.paths):
            with open(path, "ab") as out:
                out.write(records[which == i].tobytes())
        self.filled += len(fp)

    def __iter__(self) -> Iterator[Fingerprints]:
        if self.ram is not None:
            n = self.filled
            yield Fingerprints(self.ram.hashes[:n], self.ram.docs[:n], self.ram.positions[:n])
            return
        for path in self.paths:
            yield self._read(path)

    def shrink(self) -> Iterator[Fingerprints]:
        """Each shard cut to its repeated hashes (:func:`~dedup.candidates.repeated_only`),
        rewritten in place: later passes read a fraction of it, and the page
        cache holds a fraction of it while words are aligned."""
        for path in self.paths:
            fp = self._read(path)
            small = repeated_only(fp)
            if len(small) < len(fp):
                records = np.empty(len(small), dtype=_RECORD)
                records["h"], records["d"], records["p"] = small.hashes, small.docs, small.positions
                records.tofile(path)
            yield small

    @staticmethod
    def _read(path: str) -> Fingerprints:
        r = np.fromfile(path, dtype=_RECORD)
        return Fingerprints(r["h"].copy(), r["d"].astype(np.int64), r["p"].copy())

    def __len__(self) -> int:
        return self.filled


@dataclass(frozen=True)
class Flags:
    """Where each article's boilerplate and common fingerprints sit: (article, word) rows sorted by article."""

    boilerplate: np.ndarray  # (k, 2) int64
    common: np.ndarray  # (k, 2) int64

    @staticmethod
    def rows(fp: Fingerprints, mask: np.ndarray) -> np.ndarray:
        return np.stack((fp.docs[mask], fp.positions[mask].astype(np.int64)), axis=1)

    @classmethod
    def of_rows(cls, parts: list[tuple[np.ndarray, np.ndarray]]) -> Flags:
        """Flags from ``(boilerplate rows, common rows)`` of each shard."""
        def table(k: int) -> np.ndarray:
            rows = np.concatenate([p[k] for p in parts]) if parts else np.zeros((0, 2), dtype=np.int64)
            return np.asarray(rows[order_by(rows[:, 0], rows[:, 1])])
        return cls(table(0), table(1))

    def of(self, which: str, doc: int) -> np.ndarray:
        table = getattr(self, which)
        lo, hi = np.searchsorted(table[:, 0], [doc, doc + 1])
        return np.asarray(table[lo:hi, 1])


Job = tuple[int, TokenBatch, Fingerprints, np.ndarray, list[frozenset[str]]]


def _tokenize_job(job: tuple[int, list[str], Settings]) -> Job:
    """Words, fingerprints, body ranges and credits of a batch of texts, as compact
    arrays. A worker process is sent the texts rather than reading them from the
    parent's memory by fork, which would copy every page of text it touches."""
    start, texts, settings = job
    batch, fp = read_texts(texts, settings, first_doc=start)
    batch = TokenBatch(batch.hashes, batch.starts.astype(np.int32), batch.ends.astype(np.int32),
                       batch.flags, batch.bounds)
    bodies = np.array([body_range(t) for t in texts], dtype=np.int64).reshape(-1, 2)
    return start, batch, fp, bodies, [credits(t, (int(s), int(e))) or _NO_CREDITS
                                      for t, (s, e) in zip(texts, bodies.tolist())]


_NO_CREDITS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Corpus:
    """Articles in arrival order with their words (flat arrays) and passage fingerprints."""

    articles: list[Article]
    rank: np.ndarray  # place of each article in publication order
    words: TokenBatch
    shards: _Shards
    outlets: np.ndarray  # outlet number per article, -1 when unknown
    chars: np.ndarray  # length of each text
    bodies: np.ndarray  # (n, 2): where each text's body starts and ends (dedup.page)
    credits: list[frozenset[str]]  # the outlets each text credits (dedup.page)

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        settings: Settings,
        *,
        jobs: int = 1,
        workdir: str | None = None,
        progress: Progress | None = None,
    ) -> Corpus:
        order = sorted(range(len(articles)), key=lambda i: publication_key(articles[i]))
        rank = np.empty(len(articles), dtype=np.int64)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(articles))
        outlets = outlet_numbers([a.outlet for a in articles])

        lengths_of_texts = np.array([len(a.text) for a in articles], dtype=np.int64)
        chars = int(lengths_of_texts.sum())
        most_words = chars + 1
        columns = _Columns(workdir, most_words)
        lengths = np.zeros(len(articles), dtype=np.int64)
        bodies = np.zeros((len(articles), 2), dtype=np.int64)
        credited: list[frozenset[str]] = [_NO_CREDITS] * len(articles)
        words_guess = chars // 6
        shards = _Shards(1 + int(words_guess * 2 / (settings.window + 1)) // SHARD_FINGERPRINTS, workdir,
                         most_words, len(articles))
        jobs_iter = ((s, [a.text for a in articles[s : s + BATCH]], settings)
                     for s in range(0, len(articles), BATCH))
        # the compiled tokenizer lets go of the GIL, so threads share the texts without copying them
        for start, batch, fp, body, credit in pool_map(_tokenize_job, jobs_iter, jobs, threads=kernels.NOGIL):
            bodies[start : start + len(batch)] = body
            credited[start : start + len(batch)] = credit
            columns.add(batch)
            lengths[start : start + len(batch)] = np.diff(batch.bounds)
            shards.add(fp, start, len(batch))
            if progress:
                progress("tokenize", min(start + BATCH, len(articles)), len(articles))
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return cls(list(articles), rank, columns.finish(bounds), shards, outlets, lengths_of_texts, bodies, credited)

    def tokens(self, i: int) -> Tokens:
        return self.words.doc(i)

    def marks(self, i: int, flags: Flags, settings: Settings) -> Marks:
        """Boilerplate and common-passage word masks of article ``i``."""
        length = int(self.words.bounds[i + 1] - self.words.bounds[i])
        return Marks.of(flags.of("boilerplate", i), flags.of("common", i), length, settings)

    def candidates(self, settings: Settings, jobs: int = 1) -> tuple[Candidates, Flags]:
        """Candidate pairs of the whole corpus, one shard at a time, and the flagged fingerprints
        (their masks are not kept: the returned pairs carry empty ones). Fingerprints held in
        RAM are split by hash among ``jobs`` processes when there are enough of them
        (:data:`SPLIT_FINGERPRINTS`): the same pairs, as from shards on disk."""
        if self.shards.ram is not None and jobs > 1 and len(self.shards) >= SPLIT_FINGERPRINTS:
            return self._split_candidates(settings, jobs)
        repeats = None
        if self.shards.count > 1:  # which articles repeat a story is counted across all shards first
            seen = np.zeros(len(self.articles), dtype=np.int64)
            for fp in self.shards.shrink():
                seen += np.bincount(fp.docs[seen_mask(fp, self.outlets, self.rank)], minlength=len(seen))
            repeats = repeats_of(self.shards.per_article, seen)
        parts: list[Candidates] = []
        flagged: list[tuple[np.ndarray, np.ndarray]] = []
        for fp in self.shards:  # one shard in memory at a time: keep its pairs and flagged rows only
            found = find_candidates(fp, self.outlets, settings, rank=self.rank, repeats=repeats)
            flagged.append((Flags.rows(fp, found.boilerplate), Flags.rows(fp, found.common)))
            parts.append(replace(found, common=_NONE, boilerplate=_NONE))
        return merge(parts, self.rank), Flags.of_rows(flagged)

    def _split_candidates(self, settings: Settings, jobs: int) -> tuple[Candidates, Flags]:
        """:meth:`candidates` of fingerprints in RAM cut into ``jobs`` parts by hash, each part's
        done in a process of its own: first its repeated hashes and what its outlets had
        published (which articles repeat a story is counted over every part), then its pairs."""
        _SPLIT.update(corpus=self, parts=jobs, settings=settings)
        try:
            counted = list(pool_map(_repeated_part, range(jobs), jobs))
            seen = np.sum([n for _, n in counted], axis=0)
            _SPLIT.update(smalls=[fp for fp, _ in counted], repeats=repeats_of(self.shards.per_article, seen))
            del counted
            found = list(pool_map(_part_candidates, range(jobs), jobs))
        finally:
            _SPLIT.clear()
        return merge([c for c, _ in found], self.rank), Flags.of_rows([f for _, f in found])


# State shared with the forked processes of the split candidate stage (set before they start).
_SPLIT: dict[str, object] = {}


def _repeated_part(k: int) -> tuple[Fingerprints, np.ndarray]:
    """Part ``k`` of the corpus's fingerprints cut to its repeated hashes, and per article how
    many of them its outlet had already published."""
    corpus: Corpus = _SPLIT["corpus"]  # type: ignore[assignment]
    parts: int = _SPLIT["parts"]  # type: ignore[assignment]
    fp = next(iter(corpus.shards))
    mine = np.flatnonzero(fp.hashes % np.uint64(parts) == np.uint64(k))
    small = repeated_only(Fingerprints(fp.hashes[mine], fp.docs[mine], fp.positions[mine]))
    seen = np.bincount(small.docs[seen_mask(small, corpus.outlets, corpus.rank)], minlength=len(corpus.articles))
    return small, seen


def _part_candidates(k: int) -> tuple[Candidates, tuple[np.ndarray, np.ndarray]]:
    """Candidates of part ``k`` (masks left out) and its flagged fingerprints' rows."""
    corpus: Corpus = _SPLIT["corpus"]  # type: ignore[assignment]
    fp: Fingerprints = _SPLIT["smalls"][k]  # type: ignore[index]
    found = find_candidates(fp, corpus.outlets, _SPLIT["settings"], rank=corpus.rank,  # type: ignore[arg-type]
                            repeats=_SPLIT["repeats"])  # type: ignore[arg-type]
    return replace(found, common=_NONE, boilerplate=_NONE), (Flags.rows(fp, found.boilerplate),
                                                             Flags.rows(fp, found.common))


def pool_map(func: Callable[[T], R], items: Iterable[T], jobs: int, threads: bool = False) -> Iterator[R]:
    """``map`` in order, in ``jobs`` forked processes (or threads) when there is more than one."""
    if jobs <= 1 or not threads and "fork" not in mp.get_all_start_methods():
        yield from map(func, items)
        return
    pool = ThreadPool(jobs) if threads else mp.get_context("fork").Pool(jobs)
    with pool:
        yield from pool.imap(func, items)


