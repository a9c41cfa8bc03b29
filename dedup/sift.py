"""The one test every engine runs before aligning a candidate pair.

Aligning a pair costs thousands of operations; most candidates of stock-dense
text, and a few of plain prose, cannot give a span worth reporting. This test
tells them from the rest with what candidates already carry (how many
fingerprints a pair shares, how many of them are common, where one sits) and
the corpus's chance rates, at a few operations a pair.
"""

from __future__ import annotations

import numpy as np

from .align import Windows, near_seed
from .chance import Chance
from .settings import Settings

DROPPED = ("stock", "chance", "seed")
"""Why :func:`sift` leaves a candidate pair out, by code (1, 2, 3; 0: aligned)."""


def longest_run(shared: np.ndarray, settings: Settings) -> np.ndarray:
    """The longest run of identical words a pair sharing ``shared`` fingerprints can hold:
    winnowing keeps one in every ``window`` shingles of a shared run, so a run of ``L``
    words gives at least ``(L - shingle + 1) // window`` of them."""
    return settings.window * (np.asarray(shared, dtype=np.int64) + 1) + settings.shingle - 2


TIGHT = 12
"""Pairs sharing at most this many fingerprints are weighed by their own words in the chance test."""
CHUNK_WORDS = 4_000_000
"""Words weighed at a time by :func:`heaviest` (memory: a few dozen bytes each)."""


def heaviest(w: Windows, docs: np.ndarray, lengths: np.ndarray, chance: Chance) -> np.ndarray:
    """Per entry of ``docs``, the most bits that ``lengths`` (of the entry) consecutive words of
    that article weigh (all its words, if it has fewer). Each article's words are weighed
    once, whatever the lengths, and about ``CHUNK_WORDS`` words at a time."""
    uniq, back = np.unique(docs, return_inverse=True)
    wanted, which = np.unique(np.asarray(lengths, dtype=np.int64), return_inverse=True)
    sizes = (w.stops[uniq] - w.starts[uniq]).astype(np.int64)
    table = np.zeros((len(uniq), len(wanted)))
    cuts = np.searchsorted(np.cumsum(sizes), np.arange(CHUNK_WORDS, int(sizes.sum()), CHUNK_WORDS), side="right")
    edges = np.unique(np.concatenate(([0], cuts, [len(uniq)]))).tolist()
    for first, last in zip(edges[:-1], edges[1:]):
        table[first:last] = _heaviest(w, uniq[first:last], wanted, chance)
    return np.asarray(table[back.ravel(), which.ravel()])


def _heaviest(w: Windows, docs: np.ndarray, lengths: np.ndarray, chance: Chance) -> np.ndarray:
    """:func:`heaviest` of distinct ``docs`` for each of ``lengths``: shape ``(len(docs), len(lengths))``."""
    starts, stops = w.starts[docs].astype(np.int64), w.stops[docs].astype(np.int64)
    sizes = stops - starts
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    owner = np.repeat(np.arange(len(docs)), sizes)
    at = np.arange(int(offsets[-1])) - offsets[owner]  # each word's place in its article
    cum = np.concatenate(([0.0], np.cumsum(chance.weigh(w.words[at + starts[owner]]))))
    table = np.repeat((cum[offsets[1:]] - cum[offsets[:-1]])[:, None], len(lengths), axis=1)  # every word
    for k, length in enumerate(lengths.tolist()):
        long = sizes >= length
        if not long.any():
            continue
        sums = cum[length:] - cum[:-length]  # the ``length`` words from each position
        inside = at[: len(sums)] <= sizes[owner[: len(sums)]] - length
        table[long, k] = np.maximum.reduceat(np.where(inside, sums, -np.inf), offsets[:-1][long])
    return table


def around_seed(w: Windows, lengths: np.ndarray, shingle: int, chance: Chance) -> np.ndarray:
    """Per pair, the most bits that ``lengths`` consecutive words holding its seed shingle
    weigh (fewer words where the article ends first): all a pair sharing one
    fingerprint can hold, as :func:`dedup.align.near_seed` looks for it, at a few
    dozen words a pair where :func:`heaviest` weighs whole articles."""
    if not len(w.docs):
        return np.zeros(0)
    lengths = np.asarray(lengths, dtype=np.int64)
    longest = int(lengths.max())
    reach = np.arange(2 * longest - shingle)  # from the earliest start to the latest end
    base = (w.starts[w.docs].astype(np.int64) + w.seeds.astype(np.int64) + shingle - lengths)[:, None]
    at = base + reach
    inside = (at >= w.starts[w.docs].astype(np.int64)[:, None]) & (at < w.stops[w.docs].astype(np.int64)[:, None])
    bits = np.where(inside, chance.weigh(w.words[np.where(inside, at, 0)].ravel()).reshape(at.shape), 0.0)
    cum = np.concatenate((np.zeros((len(at), 1)), np.cumsum(bits, axis=1)), axis=1)
    starts = np.arange(longest - shingle + 1)  # a run of ``length`` words starts this far into ``reach``
    ends = np.minimum(starts[None, :] + lengths[:, None], reach.size)
    sums = np.take_along_axis(cum, ends, axis=1) - cum[:, starts]
    useful = starts[None, :] <= (lengths - shingle)[:, None]  # shorter runs have fewer starts
    return np.asarray(np.where(useful, sums, -np.inf).max(axis=1))


def sift(shared: np.ndarray, plain: np.ndarray, a: Windows, b: Windows, settings: Settings,
         chance: Chance | None = None) -> np.ndarray:
    """The one test every engine runs before aligning candidate pairs: per pair, 0 when it
    is aligned, else why not (the code of its reason in ``DROPPED``).

    ``stock``: it shares a single fingerprint and that one is common (``plain``
    counts the shared ones that are not: a stock phrase alone is no evidence,
    and aligning it would only find what else two articles of one outlet have
    in common). ``chance``: with the corpus's ``chance`` rates, its fingerprints
    cannot hold a run long enough to be significant (:func:`longest_run`), even
    if every word of it weighed as much as the heaviest words do
    (:meth:`dedup.chance.Chance.heavy`), and, sharing up to ``TIGHT``
    fingerprints, no run that long of either article weighs enough
    (:func:`heaviest`; sharing one, no span holding it: its run and a run too
    short to hold a fingerprint either side, :func:`around_seed`): in stock-dense
    text most candidates are such pairs, and this costs a few operations per
    pair where aligning costs thousands. (A span made of many short runs between such fingerprints is not looked for.)
    ``seed``: it shares a single fingerprint and :func:`near_seed` finds too few
    anchored words around it (a seed of -1, a shingle repeated inside its
    article, is always aligned). The tests are run cheapest first, so a pair
    left out by several counts under the cheapest.
    """
    code = np.zeros(len(shared), dtype=np.int8)
    code[(shared == 1) & (plain == 0)] = 1
    if chance is None or not len(shared):
        return _seed_test(code, shared, a, b, settings)
    shorter = np.minimum(a.stops[a.docs] - a.starts[a.docs], b.stops[b.docs] - b.starts[b.docs])
    least = chance.least_score(shorter, settings)
    longest = longest_run(shared, settings)
    code[(code == 0) & (longest * chance.heavy() < least)] = 2
    code = _seed_test(code, shared, a, b, settings)
    # the rest, by the words they hold: no run of that length in either weighs enough; only
    # where a run of words of the median weight would not be enough either (elsewhere the
    # heaviest window is all but sure to be: weighing would cost more than it saves)
    rows = np.flatnonzero((code == 0) & (shared <= TIGHT) & (longest * chance.heavy(0.5) < least))
    seeded = (shared[rows] == 1) & (a.seeds[rows] >= 0) & (b.seeds[rows] >= 0)
    if seeded.any():  # the run holds the one shingle they share: weigh the words around it
        at = rows[seeded]
        span = longest[at] + 2 * (settings.window + settings.shingle - 2)  # and a short run either side
        bound = np.minimum(around_seed(a.take(at), span, settings.shingle, chance),
                           around_seed(b.take(at), span, settings.shingle, chance))
        code[at[bound < least[at]]] = 2
        rows = rows[~seeded]
    if len(rows):
        runs = longest[rows]
        same = a.words is b.words and np.array_equal(a.starts, b.starts) and np.array_equal(a.stops, b.stops)
        if same:  # one corpus (the engines' case): weigh its words once
            both = heaviest(a, np.concatenate((a.docs[rows], b.docs[rows])), np.concatenate((runs, runs)), chance)
            bound = np.minimum(both[: len(rows)], both[len(rows):])
        else:
            bound = np.minimum(heaviest(a, a.docs[rows], runs, chance), heaviest(b, b.docs[rows], runs, chance))
        code[rows[bound < least[rows]]] = 2
    return code


def _seed_test(code: np.ndarray, shared: np.ndarray, a: Windows, b: Windows, settings: Settings) -> np.ndarray:
    """``code`` with the pairs that share one fingerprint and fail :func:`near_seed` marked ``seed``."""
    single = np.flatnonzero((code == 0) & (shared == 1) & (a.seeds >= 0) & (b.seeds >= 0))
    code[single[~near_seed(a.take(single), b.take(single), settings)]] = 3
    return code


def worth_aligning(shared: np.ndarray, plain: np.ndarray, a: Windows, b: Windows, settings: Settings,
                   chance: Chance | None = None) -> np.ndarray:
    """Which candidate pairs :func:`sift` lets through to alignment."""
    return np.asarray(sift(shared, plain, a, b, settings, chance) == 0)


def dropped(codes: np.ndarray) -> dict[str, int]:
    """How many candidate pairs :func:`sift` left out, by reason."""
    counts = np.bincount(np.asarray(codes, dtype=np.int64), minlength=len(DROPPED) + 1)
    return {why: int(n) for why, n in zip(DROPPED, counts[1:].tolist())}
