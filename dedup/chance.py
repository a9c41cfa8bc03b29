"""How often unrelated articles share a run of identical words: an expected count per span.

BLAST gives each alignment the number of hits as good that a search of that
size would find by chance (its E-value). dedup does the same for runs of
words. It measures, on random pairs of the corpus's own articles, how many
maximal runs of each length unrelated articles share per pair of word
positions; a span's ``expect`` is then the number of runs at least as long
that its article would share with the rest of the corpus by chance. Stock
phrasing raises the rate at the lengths it comes in, plain prose keeps it
low, and a larger corpus offers more chances: the same ten words can be
chance in one corpus and evidence in another.

Pairs that share a long run, or two runs of the length dedup always finds,
are related (copies, or one story told twice), not chance: they are left
out of the measure, so a corpus full of copies does not make copies look
like chance. So are pairs of one outlet, whose pages share its furniture
(mastheads, date lines, bylines, footers) by design.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import kernels
from .align import anchors
from .settings import Settings

SAMPLE = 400
"""Articles drawn to measure on (those whose id hashes lowest: the same in every engine)."""
PAIRS = 3000
"""Random pairs of the drawn articles measured."""
SHORTEST = 3
"""Shortest run measured: the runs of three words that anchor spans."""
RELATED = 24
"""A shared run this long makes a pair related: a copy, not chance."""
MIN_PAIRS = 300
"""Fewest pairs of articles to measure on (about 25 articles): a smaller corpus is not measured."""
STEP = 4.0
"""Bits of score per step of the measured rates."""
MIN_RUNS = 8
"""Fewest runs at or above a score for its rate to count as measured."""
DECAY_STEPS = 6
"""Steps past the lowest score whose fall gives the decay beyond the last score measured."""
STEEPEST = 0.5 ** (STEP / 8)
"""The slowest decay allowed: beyond the scores measured, every eight bits at least halve the
rate (text whose only shared runs are stock phrases shows no fall of its own)."""
HEAVY = 0.99
"""Share of words whose weight bounds what a run weighs per word (:meth:`Chance.heavy`)."""


@dataclass(frozen=True, eq=False)
class Chance:
    """Rates of chance runs of one corpus. A run scores the bits of its words (a word
    seen ``c`` times among ``n`` drawn words weighs ``log2(n / c)``: names and figures
    weigh more than "the", as a substitution matrix weighs residues in BLAST).
    ``rates[k]`` is the number of maximal runs scoring at least ``k * STEP`` bits that
    two unrelated articles share, per pair of word positions, up to the last score
    measured well; ``decay`` is the factor per step beyond it; ``words`` and
    ``articles`` are what is searched. ``keyed``: words are weighed by their 16-bit
    index keys (:func:`dedup.index.batch.word_keys`), as the filter draws them."""

    rates: tuple[float, ...]
    decay: float
    words: int
    pairs: int
    articles: int
    vocabulary: np.ndarray
    bits: np.ndarray
    unseen: float
    keyed: bool = False

    def weigh(self, hashes: np.ndarray) -> np.ndarray:
        """The bits of each word (by its 64-bit hash)."""
        h = np.ascontiguousarray(hashes, dtype=np.uint64)
        if self.keyed:
            h = h & np.uint64(0xFFFF)
        return kernels.lookup(self.vocabulary, self.bits, h, self.unseen)

    def rate(self, score: float) -> float:
        step, last = int(score // STEP), len(self.rates) - 1
        if step <= last:
            return self.rates[max(step, 0)]
        return float(self.rates[last] * self.decay ** (step - last))

    def expect(self, score: float, words: int) -> float:
        """Runs scoring at least ``score`` bits that an article of ``words`` words shares
        by chance with the rest of what is searched."""
        return self.rate(score) * words * max(self.words - words, 0)

    @property
    def searches(self) -> float:
        """How many one-article searches the whole search is worth: every article is
        searched against the rest, and each pair is met twice (half the articles)."""
        return max(self.articles, 2) / 2

    def least_score(self, words: np.ndarray, settings: Settings) -> np.ndarray:
        """Per article of ``words`` words, the least score a span of it needs to be expected
        fewer than ``max_expect`` times by chance (:func:`significant`)."""
        w = np.asarray(words, dtype=np.float64)
        room = np.maximum(w * np.maximum(self.words - w, 0), 1.0)
        target = settings.max_expect / room  # the rate a significant span must be below
        rates = np.asarray(self.rates, dtype=np.float64)
        if not len(rates):
            return np.zeros(len(w))
        step = np.searchsorted(-rates, -target, side="left").astype(np.float64)  # first rate below target
        beyond = step >= len(rates)
        last = len(rates) - 1
        more = np.log(np.maximum(target, 1e-300) / rates[last]) / np.log(self.decay)
        step = np.where(beyond, last + np.maximum(np.ceil(more), 1), step)
        return np.asarray(step * STEP)

    def heavy(self, share: float = HEAVY) -> float:
        """Bits a word of the drawn text reaches at most, but for the heaviest ``1 - share``
        of its words (names, figures): what a run of copied words can weigh per word."""
        if not len(self.bits):
            return self.unseen
        order = np.argsort(self.bits)
        weight = np.exp2(-self.bits[order])  # a word's share of the drawn words
        at = np.searchsorted(np.cumsum(weight) / weight.sum(), share)
        return float(self.bits[order][min(int(at), len(order) - 1)])

    def searching(self, words: int, articles: int) -> Chance:
        """The same rates for a search over ``words`` words of ``articles`` articles (an index that has grown)."""
        return replace(self, words=words, articles=articles)


def significant(spans: Sequence[float | None], settings: Settings) -> bool:
    """Whether a pair rests on more than chance: some span of it is expected fewer than
    ``max_expect`` times by chance (or was not measured)."""
    return any(e is None or e < settings.max_expect for e in spans)


def rounded(expect: float) -> float:
    """An expected count to three significant figures: what it can claim."""
    return float(f"{expect:.3g}")


def sample(ids: Sequence[str], size: int = SAMPLE) -> list[int]:
    """Positions of the articles to measure on: those whose ids hash lowest, so an engine
    that sees the articles in another order draws the same ones."""
    keys = [(sample_key(i), n) for n, i in enumerate(ids)]
    return [n for _, n in sorted(keys)[:size]]


def sample_key(article_id: str) -> str:
    """The key articles are drawn by, lowest first (a hex digest: it sorts alike everywhere)."""
    return hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def shared_runs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lengths of the maximal runs of ``SHORTEST`` or more identical words two texts share."""
    if len(a) < SHORTEST or len(b) < SHORTEST:
        return np.zeros(0, dtype=np.int64)
    return anchors(a, b, SHORTEST)[:, 2]


def of_corpus(ids: Sequence[str], outlets: Sequence[str | None], words_of: Callable[[int], np.ndarray],
              settings: Settings) -> Chance | None:
    """The chance rates of a corpus whose article ``n`` has id ``ids[n]``, outlet
    ``outlets[n]`` and words ``words_of(n)``."""
    drawn = sample(ids)
    return measure([words_of(n) for n in drawn], len(ids), settings, [outlets[n] for n in drawn])


def measure(words: Sequence[np.ndarray], articles: int, settings: Settings,
            outlets: Sequence[str | None] | None = None, pairs: int = PAIRS, keyed: bool = False) -> Chance | None:
    """The rates of chance runs from the word hashes of drawn articles (in :func:`sample`
    order) and their outlets, for a corpus of ``articles`` articles (its words estimated
    from theirs, so that every engine searches the same number); ``None`` when too few
    pairs of articles show enough runs to measure."""
    n = len(words)
    if n * (n - 1) // 2 < MIN_PAIRS:
        return None
    every = np.concatenate([np.asarray(w, dtype=np.uint64) for w in words])
    vocabulary, counts = np.unique(every, return_counts=True)
    bits = np.log2(len(every) / counts)
    chance = Chance((), 0.0, round(len(every) / n * articles), 0, articles, vocabulary, bits,
                    float(np.log2(2 * len(every))), keyed)
    if n * (n - 1) // 2 <= pairs:  # every pair
        first, second = np.triu_indices(n, 1)
    else:
        rng = np.random.default_rng(settings.seed)
        first = rng.integers(0, n, size=pairs)
        second = (first + rng.integers(1, n, size=pairs)) % n  # never the article itself
    outlet = list(outlets) if outlets is not None else [None] * n
    scores: list[np.ndarray] = []
    space = used = 0
    guaranteed = settings.guaranteed_words
    sums: dict[int, np.ndarray] = {}
    for i, j in zip(first.tolist(), second.tolist()):
        if outlet[i] is not None and outlet[i] == outlet[j]:
            continue  # one outlet's pages share its furniture
        a, b = words[i], words[j]
        runs = anchors(a, b, SHORTEST) if len(a) >= SHORTEST and len(b) >= SHORTEST else np.zeros((0, 3), np.int64)
        if (runs[:, 2] >= RELATED).any() or np.count_nonzero(runs[:, 2] >= guaranteed) >= 2:
            continue
        space += len(a) * len(b)
        used += 1
        if len(runs):
            if i not in sums:
                sums[i] = np.concatenate(([0.0], np.cumsum(chance.weigh(a))))
            cum = sums[i]
            scores.append(cum[runs[:, 0] + runs[:, 2]] - cum[runs[:, 0]])
    found = np.concatenate(scores) if scores else np.zeros(0)
    if not space or len(found) < MIN_RUNS:
        return None
    steps = np.bincount((found // STEP).astype(np.int64))
    at_least = np.cumsum(steps[::-1])[::-1]  # runs scoring at least k steps
    well = np.flatnonzero(at_least >= MIN_RUNS)
    low, last = int(np.flatnonzero(steps)[0]), int(well[-1])
    rates = at_least[: last + 1] / space
    # the tail falls as chance runs of prose do at their lowest scores, not as stock phrases hold up
    steep = min(last, low + DECAY_STEPS)
    decay = (rates[steep] / rates[low]) ** (1 / (steep - low)) if steep > low else STEEPEST
    return replace(chance, rates=tuple(float(r) for r in rates), decay=float(min(max(decay, 1e-3), STEEPEST)),
                   pairs=used)
