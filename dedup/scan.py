"""The local engine: every stage over a list of articles, on all cores of one machine.

Articles are numbered in the order they arrive; ``rank`` gives each one's
place in publication order (earliest first, undated last, then by id),
which decides the hubs of oversized buckets and which side of a pair is
``a``. Words are tokenized in batches (in ``jobs`` threads with the
compiled kernels, worker processes without) and kept in flat arrays; large
corpora keep them in memory-mapped files instead of RAM. Candidate pairs are aligned in worker processes that
share the corpus by fork.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.pool import ThreadPool
import os
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from . import heap, kernels
from .align import Grams, grams, near_seed
from .candidates import (Candidates, find_candidates, merge, recurring_mask, repeated_only,
                         repeated_stories)
from .compare import compare
from .direction import parse_date
from .families import group
from .kinds import Marks, cover
from .model import Article, Match, Problem, Report
from .outlets import outlet_stats
from .passages import Fingerprints, fingerprints
from .settings import Settings
from .text import Tokens, TokenBatch, tokenize_batch

BATCH = 512
"""Articles tokenized together (numpy works on the whole batch at once)."""
CHUNK = 2000
"""Candidate pairs handed to a worker at a time."""
CACHE = 4096
"""Articles whose words and k-grams a worker keeps ready (an article is in many pairs)."""
SPILL_WORDS = 150_000_000
"""Corpora with more words than this keep their word arrays on disk (memory-mapped)."""
SHARD_FINGERPRINTS = 40_000_000
"""Fingerprints per shard of the candidate stage (a shard is sorted in memory)."""

Progress = Callable[[str, int, int], None]


def publication_key(a: Article) -> tuple[int, str, str]:
    parsed = parse_date(a.date)
    return (0, parsed[0].isoformat(), a.id) if parsed else (1, "", a.id)


def publication_order(articles: Iterable[Article]) -> list[Article]:
    """Articles earliest first (undated last), then by id: the order hubs and pairs follow."""
    return sorted(articles, key=publication_key)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Columns:
    """Growing flat arrays of words, in RAM or in files of a work folder.

    In RAM, each array is allocated once at an upper bound of the word count
    (a word and its separator take two characters at least) and filled in
    place: untouched pages cost no memory, and nothing is copied at the end.
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
        self.paths = [os.path.join(folder, f"shard{i}") for i in range(self.count)] if self.count > 1 else []
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
    def of_rows(cls, parts: list[tuple[np.ndarray, np.ndarray]]) -> "Flags":
        """Flags from ``(boilerplate rows, common rows)`` of each shard."""
        def table(k: int) -> np.ndarray:
            rows = np.concatenate([p[k] for p in parts]) if parts else np.zeros((0, 2), dtype=np.int64)
            return rows[np.lexsort((rows[:, 1], rows[:, 0]))]
        return cls(table(0), table(1))

    def of(self, which: str, doc: int) -> np.ndarray:
        table = getattr(self, which)
        lo, hi = np.searchsorted(table[:, 0], [doc, doc + 1])
        return table[lo:hi, 1]


def _tokenize_job(job: tuple[int, list[str], Settings]) -> tuple[int, TokenBatch, Fingerprints]:
    """Words and fingerprints of a batch of texts, as compact arrays. A worker
    process is sent the texts rather than reading them from the parent's
    memory by fork, which would copy every page of text it touches."""
    start, texts, settings = job
    batch = tokenize_batch(texts)
    batch = TokenBatch(batch.hashes, batch.starts.astype(np.int32), batch.ends.astype(np.int32),
                       batch.flags, batch.bounds)
    return start, batch, fingerprints(batch, settings, first_doc=start)


@dataclass(frozen=True)
class Corpus:
    """Articles in arrival order with their words (flat arrays) and passage fingerprints."""

    articles: list[Article]
    rank: np.ndarray  # place of each article in publication order
    words: TokenBatch
    shards: _Shards
    outlets: np.ndarray  # outlet number per article, -1 when unknown
    chars: np.ndarray  # length of each text

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        settings: Settings,
        *,
        jobs: int = 1,
        workdir: str | None = None,
        progress: Progress | None = None,
    ) -> "Corpus":
        order = sorted(range(len(articles)), key=lambda i: publication_key(articles[i]))
        rank = np.empty(len(articles), dtype=np.int64)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(articles))
        names = sorted({a.outlet for a in articles if a.outlet})
        number = {name: i for i, name in enumerate(names)}
        outlets = np.array([number.get(a.outlet or "", -1) for a in articles], dtype=np.int64)

        lengths_of_texts = np.array([len(a.text) for a in articles], dtype=np.int64)
        chars = int(lengths_of_texts.sum())
        most_words = (chars + len(articles)) // 2 + 1
        columns = _Columns(workdir, most_words)
        lengths = np.zeros(len(articles), dtype=np.int64)
        words_guess = chars // 6
        shards = _Shards(1 + int(words_guess * 2 / (settings.window + 1)) // SHARD_FINGERPRINTS, workdir,
                         most_words, len(articles))
        jobs_iter = ((s, [a.text for a in articles[s : s + BATCH]], settings)
                     for s in range(0, len(articles), BATCH))
        # the compiled tokenizer lets go of the GIL, so threads share the texts without copying them
        for start, batch, fp in _map(_tokenize_job, jobs_iter, jobs, threads=kernels.AVAILABLE):
            columns.add(batch)
            lengths[start : start + len(batch)] = np.diff(batch.bounds)
            shards.add(fp, start, len(batch))
            if progress:
                progress("tokenize", min(start + BATCH, len(articles)), len(articles))
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return cls(list(articles), rank, columns.finish(bounds), shards, outlets, lengths_of_texts)

    def tokens(self, i: int) -> Tokens:
        return self.words.doc(i)

    def marks(self, i: int, flags: Flags, settings: Settings) -> Marks:
        """Boilerplate and common-passage word masks of article ``i``."""
        length = int(self.words.bounds[i + 1] - self.words.bounds[i])
        return Marks(cover(flags.of("boilerplate", i), settings.shingle, length),
                     cover(flags.of("common", i), settings.shingle, length))

    def candidates(self, settings: Settings) -> tuple[Candidates, Flags]:
        """Candidate pairs of the whole corpus, one shard at a time, and the flagged fingerprints
        (their masks are not kept: the returned pairs carry empty ones)."""
        repeats = None
        if self.shards.count > 1:  # the repeated-story rule counts across all shards first
            recurring = np.zeros(len(self.articles), dtype=np.int64)
            for fp in self.shards.shrink():
                recurring += np.bincount(fp.docs[recurring_mask(fp, self.outlets, settings)],
                                         minlength=len(recurring))
            repeats = repeated_stories(self.shards.per_article, recurring)
        parts: list[Candidates] = []
        flagged: list[tuple[np.ndarray, np.ndarray]] = []
        for fp in self.shards:  # one shard in memory at a time: keep its pairs and flagged rows only
            found = find_candidates(fp, self.outlets, settings, rank=self.rank, repeats=repeats)
            flagged.append((Flags.rows(fp, found.boilerplate), Flags.rows(fp, found.common)))
            parts.append(replace(found, common=_NONE, boilerplate=_NONE))
        return merge(parts, self.rank), Flags.of_rows(flagged)


def _map(func: Callable, items: Iterable, jobs: int, threads: bool = False) -> Iterator:
    """``map`` in order, in ``jobs`` forked processes (or threads) when there is more than one."""
    if jobs <= 1 or not threads and "fork" not in mp.get_all_start_methods():
        yield from map(func, items)
        return
    pool = ThreadPool(jobs) if threads else mp.get_context("fork").Pool(jobs)
    with pool:
        yield from pool.imap(func, items)


def scan(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    problems: Iterable[Problem] = (),
    progress: Progress | None = None,
    jobs: int | None = None,
    workdir: str | None = None,
) -> Report:
    """Find, align, label and attribute every passage the articles share.

    ``jobs`` is the number of processes (default: every core). ``workdir``
    is a folder for the word arrays of large corpora; by default a temporary
    one is used when the corpus is large.
    """
    settings = settings or Settings()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    articles = list(articles)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 4)
        clock = now

    with heap.frozen(), tempfile.TemporaryDirectory(prefix="dedup-", dir=workdir) as tmp:
        big = sum(len(a.text) for a in articles) // 6 > SPILL_WORDS
        corpus = Corpus.build(articles, settings, jobs=jobs, workdir=tmp if (big or workdir) else None,
                              progress=progress)
        lap("tokenize")
        candidates, flags = corpus.candidates(settings)
        lap("candidates")
        pairs = align_pairs(corpus, candidates, flags, settings, jobs=jobs, progress=progress)
        lap("alignment")
        template = {corpus.articles[i].id: n
                    for i, n in template_characters(corpus.words, flags.boilerplate, settings.shingle).items()}
        documents = [corpus.articles[i] for i in np.argsort(corpus.rank).tolist()]
        families = group(pairs, documents)
        outlets = outlet_stats(documents, pairs, template)
        lap("families")
        stats = {
            "articles": len(documents),
            "words": int(len(corpus.words.hashes)),
            "fingerprints": len(corpus.shards),
            "shards": corpus.shards.count,
            "candidate_pairs": int(len(candidates.pairs)),
            "capped_buckets": candidates.capped_buckets,
            "pairs": len(pairs),
            "jobs": jobs,
            "seconds": timings,
        }
    return Report(tuple(documents), tuple(pairs), tuple(families), tuple(outlets), tuple(problems), stats)


def template_characters(words: TokenBatch, rows: np.ndarray, width: int) -> dict[int, int]:
    """Per article, the characters its boilerplate covers: what :func:`marked_characters`
    gives for the words under its boilerplate shingles, for every article at once.

    ``rows`` are ``(article, word)`` of boilerplate shingles, sorted.
    """
    if len(rows) == 0:
        return {}
    doc, first = rows[:, 0], rows[:, 1]
    base = words.bounds[doc]
    stop = np.minimum(first + width, words.bounds[doc + 1] - base)
    new_run = np.ones(len(rows), dtype=bool)
    new_run[1:] = (doc[1:] != doc[:-1]) | (first[1:] > stop[:-1])
    begins = np.flatnonzero(new_run)
    last = np.append(begins[1:], len(rows)) - 1
    chars = (words.ends[base[last] + stop[last] - 1].astype(np.int64)
             - words.starts[base[begins] + first[begins]].astype(np.int64))
    docs, at = np.unique(doc[begins], return_index=True)
    return dict(zip(docs.tolist(), np.add.reduceat(chars, at).tolist()))


def marked_characters(tokens: Tokens, mask: np.ndarray) -> int:
    """Characters from the first to the last word of each run of marked words."""
    if not mask.any():
        return 0
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    first, stop = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((tokens.ends[stop - 1].astype(np.int64) - tokens.starts[first]).sum())


# State shared with forked alignment workers (set before the pool starts).
_SHARED: dict[str, object] = {}


def plausible_pairs(corpus: Corpus, candidates: Candidates, settings: Settings) -> np.ndarray:
    """Indices of the candidate pairs worth aligning: all that share several
    fingerprints, and those sharing one that pass :func:`~dedup.align.near_seed`."""
    single = np.flatnonzero((candidates.shared == 1) & (candidates.seeds >= 0).all(axis=1))
    words = corpus.words
    ok = near_seed(words.hashes, words.bounds, candidates.pairs[single], candidates.seeds[single], settings)
    keep = np.ones(len(candidates.pairs), dtype=bool)
    keep[single[~ok]] = False
    return np.flatnonzero(keep)


def _align_chunk(todo: np.ndarray) -> list[Match]:
    corpus: Corpus = _SHARED["corpus"]  # type: ignore[assignment]
    candidates: Candidates = _SHARED["candidates"]  # type: ignore[assignment]
    flags: Flags = _SHARED["flags"]  # type: ignore[assignment]
    settings: Settings = _SHARED["settings"]  # type: ignore[assignment]
    found: list[Match] = []
    cache: OrderedDict[int, tuple[Tokens, Marks, Grams | None]] = OrderedDict()

    def prepared(i: int) -> tuple[Tokens, Marks, Grams | None]:
        hit = cache.get(i)
        if hit is None:
            toks = corpus.tokens(i)
            hit = (toks, corpus.marks(i, flags, settings), grams(toks.hashes, settings.min_block))
            cache[i] = hit
            if len(cache) > CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(i)
        return hit

    arts = corpus.articles
    for i, j in candidates.pairs[todo].tolist():
        ta, ma, ga = prepared(i)
        tb, mb, gb = prepared(j)
        match = compare(arts[i], arts[j], settings, ta, tb, ma, mb, ga, gb,
                        lengths=(int(corpus.chars[i]), int(corpus.chars[j])))
        if match is not None and any(s.kind != "boilerplate" for s in match.spans):
            found.append(match)
    return found


def align_pairs(
    corpus: Corpus,
    candidates: Candidates,
    flags: Flags,
    settings: Settings,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[Match]:
    """Compare every candidate pair; keep those that share prose or a quotation."""
    todo = plausible_pairs(corpus, candidates, settings)
    total = len(todo)
    chunks = [todo[s : s + CHUNK] for s in range(0, total, CHUNK)]
    _SHARED.update(corpus=corpus, candidates=candidates, flags=flags, settings=settings)
    found: list[Match] = []
    try:
        for n, part in enumerate(_map(_align_chunk, chunks, jobs if len(chunks) > 1 else 1), 1):
            found.extend(part)
            if progress:
                progress("alignment", min(n * CHUNK, total), total)
    finally:
        _SHARED.clear()
    return found
