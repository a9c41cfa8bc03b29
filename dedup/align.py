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

from .settings import Settings
from . import kernels
from .text import CAPITAL, PRIME, NUMBER, Tokens, ngram_hashes

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


@dataclass(frozen=True)
class Grams:
    """One text's word k-grams, sorted, with their positions: computed once per
    text and reused for every pair it is in."""

    sorted: np.ndarray  # uint64 k-gram hashes, ascending
    positions: np.ndarray  # int64 word index of each, same order

    @classmethod
    def of(cls, hashes: np.ndarray, k: int) -> "Grams":
        grams = ngram_hashes(hashes, k)
        order = np.argsort(grams, kind="stable")
        return cls(grams[order], order.astype(np.int64))


def grams(hashes: np.ndarray, k: int) -> Grams | None:
    """What :func:`align_tokens` can reuse for a text that is in many pairs:
    its sorted grams for the numpy path, nothing for the compiled one."""
    return None if kernels.AVAILABLE else Grams.of(hashes, k)


def anchors(a: np.ndarray | Grams, b: np.ndarray | Grams, k: int) -> np.ndarray:
    """Maximal runs of ``k`` or more identical words: rows ``(a_first, b_first, length)``,
    sorted by ``a_first`` then ``b_first``."""
    if kernels.AVAILABLE and not isinstance(a, Grams) and not isinstance(b, Grams):
        return kernels.anchors(a, b, k, MAX_REPEATS, PRIME)
    ga = a if isinstance(a, Grams) else Grams.of(a, k)
    gb = b if isinstance(b, Grams) else Grams.of(b, k)
    if len(ga.sorted) == 0 or len(gb.sorted) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    lo = np.searchsorted(gb.sorted, ga.sorted, side="left")
    hi = np.searchsorted(gb.sorted, ga.sorted, side="right")
    counts = hi - lo
    counts[counts > MAX_REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 3), dtype=np.int64)
    ia = np.repeat(ga.positions, counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    jb = gb.positions[np.repeat(lo, counts) + within]
    diag = jb - ia
    srt = np.lexsort((ia, diag))
    ia, jb, diag = ia[srt], jb[srt], diag[srt]
    new_run = np.ones(len(ia), dtype=bool)
    new_run[1:] = (diag[1:] != diag[:-1]) | (ia[1:] != ia[:-1] + 1)
    run_id = np.cumsum(new_run) - 1
    firsts = np.flatnonzero(new_run)
    lengths = np.bincount(run_id) + k - 1
    runs = np.stack((ia[firsts], jb[firsts], lengths), axis=1)
    return runs[np.lexsort((runs[:, 1], runs[:, 0]))]


def _chain(runs: np.ndarray, max_gap: int) -> list[list[tuple[int, int, int]]]:
    """Group anchors ``(a_first, b_first, length)``, sorted by ``a_first``, into
    chains that run in order on both sides with small gaps."""
    if kernels.AVAILABLE:
        return kernels.chains(np.ascontiguousarray(runs, dtype=np.int64), max_gap)
    chains: list[list[tuple[int, int, int]]] = []
    active: list[int] = []
    for a0, b0, length in runs.tolist():
        best, best_cost = -1, None
        still: list[int] = []
        for c in active:
            ca, cb, cl = chains[c][-1]
            ca1, cb1 = ca + cl, cb + cl
            if ca1 < a0 - max_gap:
                continue  # too far behind to be extended again
            still.append(c)
            gap_a, gap_b = a0 - ca1, b0 - cb1
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                cost = abs(gap_a - gap_b) + max(gap_a, gap_b)
                if best_cost is None or cost < best_cost:
                    best, best_cost = c, cost
        active = still
        if best >= 0:
            chains[best].append((a0, b0, length))
        else:
            chains.append([(a0, b0, length)])
            active.append(len(chains) - 1)
    return [_trim(c) for c in chains]


def _gap(x: tuple[int, int, int], y: tuple[int, int, int]) -> int:
    return max(y[0] - x[0] - x[2], y[1] - x[1] - x[2])


def _trim(chain: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop end anchors shorter than the gap that joins them: a few common words
    a sentence away extend a span by chance, not by copy."""
    lo, hi = 0, len(chain)
    while hi - lo > 1 and chain[lo][2] < _gap(chain[lo], chain[lo + 1]):
        lo += 1
    while hi - lo > 1 and chain[hi - 1][2] < _gap(chain[hi - 2], chain[hi - 1]):
        hi -= 1
    return chain[lo:hi]


def _as_ints(values: np.ndarray) -> list[int]:
    return values.view(np.int64).tolist()


def align_tokens(
    a: Tokens, b: Tokens, settings: Settings, grams_a: Grams | None = None, grams_b: Grams | None = None
) -> list[Segment]:
    """Copied passages between two tokenized texts, in order of ``a``.

    ``grams_a``/``grams_b`` (``Grams.of(tokens.hashes, settings.min_block)``)
    save recomputing them when a text is in many pairs.
    """
    if kernels.AVAILABLE:  # the compiled kernel needs no sorted grams
        grams_a = grams_b = None
    runs = anchors(grams_a or a.hashes, grams_b or b.hashes, settings.min_block)
    if len(runs) == 0:
        return []
    found: list[Segment] = []
    plain = numbers = None
    for chain in _chain(runs, settings.max_gap):
        a0, b0 = chain[0][0], chain[0][1]
        a1, b1 = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
        if min(a1 - a0, b1 - b0) < settings.min_words:
            continue
        if plain is None:  # made once a chain is long enough to keep; many pairs have none
            plain = ~(a.flags & (CAPITAL | NUMBER)).astype(bool)
            numbers = (a.flags & NUMBER).astype(bool)
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
        longest = max(length for _, _, length in chain)
        found.append(Segment(a0, a1, b0, b1, matched, round(score, 4), longest))
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


def near_seed(
    hashes: np.ndarray,
    bounds: np.ndarray,
    pairs: np.ndarray,
    seeds: np.ndarray,
    settings: Settings,
) -> np.ndarray:
    """Which pairs have ``min_words`` anchored words in the window around their seed.

    A cheap, vectorized test run before full alignment on pairs that share a
    single fingerprint. It counts, in the window of ``a`` around the seed, the
    words that belong to a run of at least ``min_block`` identical words in
    ``b``'s window on a diagonal at most ``max_gap`` words from the seed's:
    the anchors alignment would chain. Any span holding the seed passes; most
    pairs brought together by one coincidental shingle do not.
    """
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    reach = settings.max_gap + settings.min_words
    k = settings.min_block
    if kernels.AVAILABLE:
        return kernels.near_seed(np.ascontiguousarray(hashes), np.ascontiguousarray(bounds, dtype=np.int64),
                                 np.ascontiguousarray(pairs, dtype=np.int64),
                                 np.ascontiguousarray(seeds, dtype=np.int64), reach, settings.shingle,
                                 settings.max_gap, k, settings.min_words)
    offsets = np.arange(-reach, reach + settings.shingle, dtype=np.int64)

    def window(docs: np.ndarray, seed: np.ndarray, shift: int, fill: int) -> np.ndarray:
        lo, hi = bounds[docs][:, None], bounds[docs + 1][:, None]
        idx = lo + seed[:, None] + offsets[None, :] + shift
        inside = (idx >= lo) & (idx < hi)
        values = hashes[np.clip(idx, 0, max(len(hashes) - 1, 0))]
        return np.where(inside, values, np.uint64(fill))

    wa = window(pairs[:, 0], seeds[:, 0], 0, 0)
    anchored = np.zeros(wa.shape, dtype=bool)
    for shift in range(-settings.max_gap, settings.max_gap + 1):
        eq = wa == window(pairs[:, 1], seeds[:, 1], shift, 1)
        run = eq[:, : eq.shape[1] - k + 1].copy()
        for step in range(1, k):
            run &= eq[:, step : eq.shape[1] - k + 1 + step]
        for step in range(k):
            anchored[:, step : step + run.shape[1]] |= run
    return anchored.sum(axis=1) >= settings.min_words
