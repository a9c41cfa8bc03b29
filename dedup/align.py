"""Alignment: the copied passages of two texts, word by word.

Anchors are runs of at least ``min_block`` identical words on one diagonal.
Anchors in order on both sides, with at most ``max_gap`` words between them,
chain into one passage, so a changed word, a typo or a dropped clause does
not split it; reordered paragraphs become separate passages. rapidfuzz's
LCS then scores each passage (matched words over its length).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import LCSseq

from . import kernels
from .hashing import PRIME
from .settings import Settings
from .text import CAPITAL, NUMBER, Tokens

MAX_REPEATS = 16
"""Anchor words repeated more often than this in one text are skipped (lists, tables)."""
FIGURE_WORDS = 20
"""A span with at least one figure per this many words, most of them different
on the other side, is a template filled in with other figures (an earnings
table, a bond issue, a crop report), not a copy: copies keep their figures. A
long copy with a few figures changed (by an editor or a scanner) stays a copy."""


@dataclass(frozen=True)
class Segment:
    """Words ``a_first:a_stop`` of one text match words ``b_first:b_stop`` of the other."""

    a_first: int
    a_stop: int
    b_first: int
    b_stop: int
    matched: int
    score: float
    longest: int = 0
    """Longest run of identical words in the span."""
    anchored: int = 0
    """Words in the span's runs of ``min_block`` or more identical words (what chance
    must produce for the span to arise by chance: :mod:`dedup.chance`)."""


def anchors(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """Maximal runs of ``k`` or more identical words: rows ``(a_first, b_first, length)``,
    sorted by ``a_first`` then ``b_first`` (words repeated more than
    ``MAX_REPEATS`` times anchor nothing)."""
    return kernels.anchors(np.ascontiguousarray(a, dtype=np.uint64), np.ascontiguousarray(b, dtype=np.uint64),
                           k, MAX_REPEATS, PRIME)


def _as_ints(values: np.ndarray) -> list[int]:
    ints: list[int] = values.view(np.int64).tolist()
    return ints


def align_tokens(a: Tokens, b: Tokens, settings: Settings) -> list[Segment]:
    """Copied passages between two tokenized texts, in order of ``a``."""
    runs = anchors(a.hashes, b.hashes, settings.min_block)
    if len(runs) == 0:
        return []
    found: list[Segment] = []
    plain = numbers = np.zeros(0, dtype=bool)
    made = False
    for chain in kernels.chains(np.ascontiguousarray(runs, dtype=np.int64), settings.max_gap):
        a0, b0 = chain[0][0], chain[0][1]
        a1, b1 = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
        if min(a1 - a0, b1 - b0) < settings.min_words:
            continue
        if not made:  # made once a chain is long enough to keep; many pairs have none
            plain = ~(a.flags & (CAPITAL | NUMBER)).astype(bool)
            numbers = (a.flags & NUMBER).astype(bool)
            made = True
        ha, hb = a.hashes[a0:a1], b.hashes[b0:b1]
        if len(chain) == 1 and np.array_equal(ha, hb):
            matched = a1 - a0  # a verbatim run: its LCS is itself
        else:
            matched = int(LCSseq.similarity(_as_ints(ha), _as_ints(hb)))
        score = 2.0 * matched / ((a1 - a0) + (b1 - b0))
        if matched < settings.min_words or score < settings.min_score:
            continue
        if np.count_nonzero(plain[a0:a1]) < settings.min_lowercase:
            continue
        figures = np.count_nonzero(numbers[a0:a1])
        if figures and figures * FIGURE_WORDS >= a1 - a0:
            kept = sum(np.count_nonzero(numbers[x : x + n]) for x, _, n in chain)
            if 2 * kept < figures:
                continue
        lengths = [length for _, _, length in chain]
        found.append(Segment(a0, a1, b0, b1, matched, round(score, 4), max(lengths), sum(lengths)))
    return _drop_overlaps(found)


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def _drop_overlaps(segments: list[Segment]) -> list[Segment]:
    """Keep the larger of two segments that cover mostly the same words on either
    side: a formula repeated in a story (a line of a price table) matches every
    other instance of it, but each instance was copied once."""
    if len(segments) < 2:
        return segments
    kept: list[Segment] = []
    for s in sorted(segments, key=lambda s: (-s.matched, s.a_first, s.b_first)):
        clash = any(
            _overlap(s.a_first, s.a_stop, k.a_first, k.a_stop) * 2 > s.a_stop - s.a_first
            or _overlap(s.b_first, s.b_stop, k.b_first, k.b_stop) * 2 > s.b_stop - s.b_first
            for k in kept
        )
        if not clash:
            kept.append(s)
    return sorted(kept, key=lambda s: (s.a_first, s.b_first))


@dataclass(frozen=True)
class Windows:
    """One side of many candidate pairs, for the seed test: the word keys the
    articles sit in (any integer keys: full hashes, or the index's 16 bits),
    where each article's words start and stop in them, which article each
    pair holds (``docs``) and the word where the shared shingle starts in it
    (``seeds``; -1 when the shingle occurs more than once there)."""

    words: np.ndarray
    starts: np.ndarray
    stops: np.ndarray
    docs: np.ndarray
    seeds: np.ndarray

    @classmethod
    def of(cls, words: np.ndarray, bounds: np.ndarray, docs: np.ndarray, seeds: np.ndarray) -> Windows:
        """Articles numbered as in ``bounds`` (article ``d`` is ``words[bounds[d]:bounds[d + 1]]``)."""
        return cls(words, bounds[:-1], bounds[1:], docs, seeds)

    def take(self, rows: np.ndarray) -> Windows:
        return Windows(self.words, self.starts, self.stops, self.docs[rows], self.seeds[rows])

    def spans(self) -> np.ndarray:
        """``(start, stop)`` of each pair's article, shape ``(k, 2)``."""
        return np.stack((self.starts[self.docs], self.stops[self.docs]), axis=1).astype(np.int64)


def near_seed(a: Windows, b: Windows, settings: Settings) -> np.ndarray:
    """Which pairs have ``min_words`` anchored words in the window around their seed.

    A cheap test run before full alignment on pairs that share a single
    fingerprint. It counts, in the window of ``a`` around the seed, the words
    that belong to a run of at least ``min_block`` identical words in ``b``'s
    window on a diagonal at most ``max_gap`` words from the seed's: the
    anchors alignment would chain. Any span holding the seed passes; most
    pairs brought together by one coincidental shingle do not.
    """
    if len(a.docs) == 0:
        return np.zeros(0, dtype=bool)
    words_a, words_b = np.ascontiguousarray(a.words), np.ascontiguousarray(b.words)
    if words_a.dtype != words_b.dtype or words_a.dtype not in (np.uint64, np.uint16):
        words_a, words_b = words_a.astype(np.uint64), words_b.astype(np.uint64)

    def rows(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x, dtype=np.int64)

    return kernels.near_seed(words_a, a.spans(), rows(a.seeds), words_b, b.spans(), rows(b.seeds),
                             settings.max_gap + settings.min_words, settings.shingle, settings.max_gap,
                             settings.min_block, settings.min_words)
