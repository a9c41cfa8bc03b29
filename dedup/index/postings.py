"""Fingerprint postings in memory: sorted runs searched with ``np.searchsorted``.

An embedded index loads every stored fingerprint into one sorted array when
it opens, so a check costs a binary search per fingerprint instead of a SQL
query. New postings arrive in small sorted runs that merge like a binary
counter (a run merges with the one before it once that is at most twice its
size), which keeps the number of runs logarithmic and each merge linear.
"""

from __future__ import annotations

import numpy as np


def merge_runs(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two runs sorted by hash as one."""
    (ha, da), (hb, db) = a, b
    where_b = np.searchsorted(ha, hb, side="right") + np.arange(len(hb))
    hashes = np.empty(len(ha) + len(hb), dtype=np.uint64)
    docs = np.empty(len(hashes), dtype=np.int64)
    in_a = np.ones(len(hashes), dtype=bool)
    in_a[where_b] = False
    hashes[where_b], docs[where_b] = hb, db
    hashes[in_a], docs[in_a] = ha, da
    return hashes, docs


def ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every index of the ranges ``starts[k]:starts[k] + counts[k]`` and the ``k`` each came from."""
    owner = np.repeat(np.arange(len(starts), dtype=np.int64), counts)
    total = int(counts.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts.astype(np.int64), counts) + offsets, owner


class Postings:
    """``(fingerprint, value)`` pairs; ``value`` is an int64 such as an article number."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (hashes sorted, values)

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self._runs)

    def add(self, hashes: np.ndarray, docs: np.ndarray) -> None:
        """Add postings (of articles numbered above every article already held)."""
        if len(hashes) == 0:
            return
        order = np.argsort(hashes)  # the order within one fingerprint does not matter: lookups sort hits
        self._runs.append((hashes[order].astype(np.uint64), docs[order].astype(np.int64)))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            newer = self._runs.pop()
            self._runs.append(merge_runs(self._runs.pop(), newer))

    def keep(self, alive: np.ndarray, shift: int = 0) -> None:
        """Drop the postings of articles ``d = value >> shift`` where ``alive[d]`` is False."""
        runs = [(h[alive[d >> shift]], d[alive[d >> shift]]) for h, d in self._runs]
        self._runs = []
        for h, d in runs:
            if self._runs:
                h, d = merge_runs(self._runs.pop(), (h, d))
            self._runs.append((h, d))

    def lookup(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every posting of the query hashes: ``(index into query, value)``."""
        found_q: list[np.ndarray] = []
        found_d: list[np.ndarray] = []
        for hashes, docs in self._runs:
            lo = np.searchsorted(hashes, query, side="left")
            inside = lo < len(hashes)
            hit = np.flatnonzero(inside)
            hit = hit[hashes[lo[hit]] == query[hit]]
            # most fingerprints are held once: search the end of a run only where it goes on
            more = hit[(lo[hit] + 1 < len(hashes)) & (hashes[np.minimum(lo[hit] + 1, len(hashes) - 1)] == query[hit])]
            counts = np.zeros(len(query), dtype=np.int64)
            counts[hit] = 1
            counts[more] = np.searchsorted(hashes, query[more], side="right") - lo[more]
            idx, owner = ranges(lo[hit], counts[hit])
            found_q.append(hit[owner])
            found_d.append(docs[idx])
        if not found_q:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found_q), np.concatenate(found_d)

class Grow:
    """A numpy array that grows by doubling, so appends cost O(1) amortized."""

    def __init__(self, dtype: type, size: int = 1024):
        self.data = np.zeros(size, dtype=dtype)
        self.used = 0

    def reserve(self, size: int) -> np.ndarray:
        if size > len(self.data):
            bigger = np.zeros(max(size, 2 * len(self.data)), dtype=self.data.dtype)
            bigger[: len(self.data)] = self.data
            self.data = bigger
        self.used = max(self.used, size)
        return self.data

    def append(self, values: np.ndarray) -> int:
        """Append and return where the values start."""
        start = self.used
        self.reserve(start + len(values))[start : start + len(values)] = values
        return start


class Resident:
    """What an embedded index keeps in memory: postings ``(fingerprint, seq << bits | position)``,
    each article's outlet code and liveness by sequence number, and its 16-bit word keys."""

    def __init__(self, bits: int):
        self.bits = bits
        self.postings = Postings()
        self.alive = Grow(bool)
        self.outlet = Grow(np.int64)
        self.word_start = Grow(np.int64)
        self.word_len = Grow(np.int64)
        self.words = Grow(np.uint16, 1 << 16)
        self.dead = 0

    def add(self, seqs: np.ndarray, outlets: np.ndarray, hashes: np.ndarray, positions: np.ndarray,
            counts: np.ndarray, words: np.ndarray, word_counts: np.ndarray) -> None:
        """Articles ``seqs`` (ascending, above all held) with their fingerprints and words, concatenated."""
        top = int(seqs[-1]) + 1
        for column in (self.alive, self.outlet, self.word_start, self.word_len):
            column.reserve(top)
        self.alive.data[seqs] = True
        self.outlet.data[seqs] = outlets
        start = self.words.append(words)
        self.word_start.data[seqs] = start + np.cumsum(word_counts) - word_counts
        self.word_len.data[seqs] = word_counts
        self.postings.add(hashes, (np.repeat(seqs, counts) << self.bits) | positions.astype(np.int64))

    def remove(self, seqs: np.ndarray) -> None:
        seqs = seqs[seqs < self.alive.used]
        self.dead += int(self.alive.data[seqs].sum())
        self.alive.data[seqs] = False
        if self.dead * 4 > int(self.alive.data.sum()):  # mostly removed: drop their postings
            self.postings.keep(self.alive.data, self.bits)
            self.dead = 0

    def lookup(self, hashes: np.ndarray, after: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(query index, seq, position, outlet)`` of live postings of articles numbered above ``after``."""
        query, value = self.postings.lookup(hashes)
        seq = value >> self.bits
        keep = self.alive.data[seq] & (seq > after)
        query, seq, value = query[keep], seq[keep], value[keep]
        return query, seq, value & ((1 << self.bits) - 1), self.outlet.data[seq]

    def word_spans(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All word keys, and where the words of each of ``seqs`` start and how many there are."""
        inside = seqs < self.word_len.used
        safe = np.where(inside, seqs, 0)
        return (self.words.data, np.where(inside, self.word_start.data[safe], 0),
                np.where(inside, self.word_len.data[safe], 0))
