"""Fingerprint postings in memory: sorted runs searched in bulk with numpy.

An embedded index searches its fingerprints in sorted arrays, so a check
costs a binary search per fingerprint instead of a SQL query. Most of them
sit in frozen runs, memory-mapped from files beside the index
(:mod:`.frozen`), which open without being read; the rest arrive in small
sorted runs in memory that merge like a binary counter (a run merges with
the one before it once that is at most twice its size), which keeps the
number of runs logarithmic and each merge linear.

Fingerprints are uniform 64-bit hashes, so a large run also keeps a
directory: where each value of the top bits starts. A search then narrows to
a bucket of a dozen entries in one step, instead of some twenty cache misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

PER_BUCKET = 4
"""Average entries per directory bucket, at least."""
DIRECTORY_FROM = 1 << 16
"""Runs smaller than this are searched with a plain ``np.searchsorted``."""


def ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every index of the ranges ``starts[k]:starts[k] + counts[k]`` and the ``k`` each came from."""
    owner = np.repeat(np.arange(len(starts), dtype=np.int64), counts)
    total = int(counts.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts.astype(np.int64), counts) + offsets, owner


@dataclass
class Run:
    """Postings sorted by fingerprint, with a directory of the top bits when large."""

    hashes: np.ndarray  # uint64, sorted
    values: np.ndarray  # int64
    shift: int = 64
    directory: np.ndarray | None = None
    """Given with ``shift`` (a frozen run's, read from its file), or made here for a large run."""

    def __post_init__(self) -> None:
        n = len(self.hashes)
        if self.directory is None and n >= DIRECTORY_FROM:
            bits = max(1, int(np.log2(n / PER_BUCKET)))  # 4 to 8 entries a bucket
            self.shift = 64 - bits
            tops = np.arange(1 << bits, dtype=np.uint64) << np.uint64(self.shift)
            self.directory = np.append(np.searchsorted(self.hashes, tops), n).astype(np.int64)

    def __len__(self) -> int:
        return len(self.hashes)

    def search(self, query: np.ndarray, side: Literal["left", "right"] = "left") -> np.ndarray:
        """``np.searchsorted(self.hashes, query, side)``, through the directory when there is one."""
        if self.directory is None:
            return np.searchsorted(self.hashes, query, side=side)
        bucket = (query >> np.uint64(self.shift)).astype(np.int64)
        lo, hi = self.directory[bucket], self.directory[bucket + 1]
        last = len(self.hashes) - 1
        while True:
            active = np.flatnonzero(lo < hi)
            if len(active) == 0:
                return np.asarray(lo)
            mid = (lo[active] + hi[active]) // 2
            probe = self.hashes[np.minimum(mid, last)]
            right = probe < query[active] if side == "left" else probe <= query[active]
            lo[active[right]] = mid[right] + 1
            hi[active[~right]] = mid[~right]

    def merge(self, newer: Run) -> Run:
        """The two runs as one."""
        where = np.searchsorted(self.hashes, newer.hashes, side="right") + np.arange(len(newer))
        hashes = np.empty(len(self) + len(newer), dtype=np.uint64)
        values = np.empty(len(hashes), dtype=np.int64)
        mine = np.ones(len(hashes), dtype=bool)
        mine[where] = False
        hashes[where], values[where] = newer.hashes, newer.values
        hashes[mine], values[mine] = self.hashes, self.values
        return Run(hashes, values)


class Postings:
    """``(fingerprint, value)`` pairs; ``value`` is an int64 such as an article number."""

    def __init__(self) -> None:
        self.base: list[Run] = []
        """The frozen runs (memory-mapped): never merged with the others here, nor copied."""
        self._runs: list[Run] = []

    def __len__(self) -> int:
        return sum(len(r) for r in self.base) + self.in_memory()

    def in_memory(self) -> int:
        """Postings held in memory, outside the frozen runs."""
        return sum(len(r) for r in self._runs)

    def runs(self) -> list[Run]:
        return self.base + self._runs

    def add(self, hashes: np.ndarray, values: np.ndarray) -> None:
        """Add postings."""
        if len(hashes) == 0:
            return
        order = np.argsort(hashes)  # the order within one fingerprint does not matter: lookups sort hits
        self._runs.append(Run(hashes[order].astype(np.uint64), values[order].astype(np.int64)))
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            newer = self._runs.pop()
            self._runs.append(self._runs.pop().merge(newer))

    def keep(self, alive: np.ndarray, shift: int = 0) -> None:
        """Drop the postings of articles ``d = value >> shift`` where ``alive[d]`` is False
        (but from the frozen runs: lookups pass over them, a freeze leaves them out)."""
        runs = [Run(r.hashes[alive[r.values >> shift]], r.values[alive[r.values >> shift]]) for r in self._runs]
        self._runs = []
        for run in runs:
            if len(run):
                self._runs.append(self._runs.pop().merge(run) if self._runs else run)

    def lookup(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every posting of the query hashes: ``(index into query, value)``."""
        found_q: list[np.ndarray] = []
        found_v: list[np.ndarray] = []
        query = query.astype(np.uint64)
        for run in self.runs():
            hashes, last = run.hashes, len(run) - 1
            lo = run.search(query)
            hit = np.flatnonzero(hashes[np.minimum(lo, last)] == query)
            # most fingerprints are held once: search the end of a group only where it goes on
            more = hit[(lo[hit] < last) & (hashes[np.minimum(lo[hit] + 1, last)] == query[hit])]
            counts = np.ones(len(hit), dtype=np.int64)
            counts[np.searchsorted(hit, more)] = run.search(query[more], side="right") - lo[more]
            idx, owner = ranges(lo[hit], counts)
            found_q.append(hit[owner])
            found_v.append(run.values[idx])
        if not found_q:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found_q), np.concatenate(found_v)

@dataclass(frozen=True)
class Frozen:
    """The arrays of a frozen file (:mod:`.frozen`; views of its mapping) and the moment it holds."""

    token: str
    lo: int
    upto: int
    removed: int
    shift: int
    hashes: np.ndarray
    values: np.ndarray
    directory: np.ndarray
    alive: np.ndarray  # bool, by seq, lo + 1..upto
    repeat: np.ndarray
    outlet: np.ndarray
    word_start: np.ndarray
    word_len: np.ndarray
    words: np.ndarray

    def run(self) -> Run:
        return Run(self.hashes, self.values, self.shift, self.directory)


class Grow:
    """A numpy array that grows by doubling, so appends cost O(1) amortized."""

    def __init__(self, dtype: type, size: int = 1024):
        self.data: np.ndarray = np.zeros(size, dtype=dtype)
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
    each article's outlet code and liveness by sequence number, and its 16-bit word keys.

    With frozen files (:meth:`thaw`), their postings and words stay in the files'
    mappings and only the small per-article columns are copied; articles numbered
    above the last file's ``upto`` are held in memory."""

    def __init__(self, bits: int):
        self.bits = bits
        self._clear()

    def _clear(self) -> None:
        self.postings = Postings()
        self.alive = Grow(bool)
        self.repeat = Grow(bool)
        self.outlet = Grow(np.int64)
        self.word_start = Grow(np.int64)
        self.word_len = Grow(np.int64)
        self.words = Grow(np.uint16, 1 << 16)
        self.dead = 0
        self.frozen: list[Frozen] = []

    @property
    def upto(self) -> int:
        """The last article number the frozen files hold (0: none)."""
        return self.frozen[-1].upto if self.frozen else 0

    def thaw(self, files: list[Frozen]) -> None:
        """Start over from frozen files that follow one another: what they hold is what this holds."""
        self._clear()
        self.frozen = list(files)
        self.postings.base = [f.run() for f in files]
        top = self.upto + 1
        for column in (self.alive, self.repeat, self.outlet, self.word_start, self.word_len):
            column.reserve(top)
        for f in files:
            numbers = slice(f.lo + 1, f.upto + 1)
            self.alive.data[numbers], self.repeat.data[numbers] = f.alive, f.repeat
            self.outlet.data[numbers], self.word_start.data[numbers] = f.outlet, f.word_start
            self.word_len.data[numbers] = f.word_len

    def add(self, seqs: np.ndarray, outlets: np.ndarray, repeats: np.ndarray, hashes: np.ndarray,
            positions: np.ndarray, counts: np.ndarray, words: np.ndarray, word_counts: np.ndarray) -> None:
        """Articles ``seqs`` (ascending, above all held) with their fingerprints and words, concatenated."""
        top = int(seqs[-1]) + 1
        for column in (self.alive, self.repeat, self.outlet, self.word_start, self.word_len):
            column.reserve(top)
        self.alive.data[seqs] = True
        self.repeat.data[seqs] = repeats
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

    def lookup(self, hashes: np.ndarray, after: int = 0
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(query index, seq, position, outlet, repeat)`` of live postings of articles numbered above ``after``."""
        query, value = self.postings.lookup(hashes)
        seq = value >> self.bits
        keep = self.alive.data[seq] & (seq > after)
        query, seq, value = query[keep], seq[keep], value[keep]
        return query, seq, value & ((1 << self.bits) - 1), self.outlet.data[seq], self.repeat.data[seq]

    def word_spans(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The word keys of ``seqs`` one after another, and where each one's start and how many
        there are (none for a number not held)."""
        seqs = np.asarray(seqs, dtype=np.int64)
        inside = (seqs >= 0) & (seqs < self.word_len.used)
        safe = np.where(inside, seqs, 0)
        lengths = np.where(inside, self.word_len.data[safe], 0)
        starts = self.word_start.data[safe]
        flat = np.empty(int(lengths.sum()), dtype=np.uint16)
        out = np.cumsum(lengths) - lengths
        sources = [(f.words, (safe > f.lo) & (safe <= f.upto)) for f in self.frozen]
        for source, mine in sources + [(self.words.data, safe > self.upto)]:
            if mine.any():
                at, _ = ranges(starts[mine], lengths[mine])
                into, _ = ranges(out[mine], lengths[mine])
                flat[into] = source[at]
        return flat, out, lengths
