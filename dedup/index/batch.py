"""Incoming articles prepared for an index: words, passage fingerprints, and the
cheap test that tells a copied passage from a shared common phrase.

A shared fingerprint is one shared shingle (``shingle`` words). Copy
leaves a longer trace: the winnowing guarantee is about runs of
``shingle + window - 1`` identical words, and any such run holds a shared
fingerprint with identical words on either side. Checking those few
neighbours (16-bit word hashes are enough) costs a few array lookups, where
aligning a pair costs a tokenization and an alignment; a candidate that
shares only loose shingles is aligned only if it shares several.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Article
from ..passages import Fingerprints, fingerprints
from ..settings import Settings
from ..text import Tokens, tokenize_batch
from .store import Entry

MIN_SHARED = 3
"""Shared fingerprints that make two articles worth aligning even without a run of
identical words around any of them (an edited copy: a word changed every few words)."""


def word_keys(hashes: np.ndarray) -> np.ndarray:
    """16-bit keys of 64-bit word hashes: what the index stores per word."""
    return (hashes & np.uint64(0xFFFF)).astype(np.uint16)


@dataclass(frozen=True)
class Batch:
    """Incoming articles with their words and passage fingerprints."""

    articles: list[Article]
    tokens: list[Tokens]
    fp: Fingerprints  # docs: position in the batch
    bounds: np.ndarray  # fingerprints of article i: rows bounds[i]:bounds[i+1]
    uniq: np.ndarray  # distinct fingerprint hashes of the batch
    inverse: np.ndarray  # fingerprint row -> index into uniq
    words: np.ndarray  # uint16 key of every word of every article
    word_bounds: np.ndarray  # words of article i: word_bounds[i]:word_bounds[i+1]

    @classmethod
    def of(cls, articles: list[Article], settings: Settings) -> "Batch":
        batch = tokenize_batch([a.text for a in articles])
        fp = fingerprints(batch, settings)
        bounds = np.searchsorted(fp.docs, np.arange(len(articles) + 1))
        uniq, inverse = np.unique(fp.hashes, return_inverse=True)
        return cls(articles, batch.docs(), fp, bounds, uniq, inverse.ravel(), word_keys(batch.hashes), batch.bounds)

    def rows(self, i: int) -> slice:
        return slice(int(self.bounds[i]), int(self.bounds[i + 1]))

    def entry(self, i: int) -> Entry:
        """What the index stores of article ``i``: distinct fingerprints, first positions, word keys."""
        rows = self.rows(i)
        hashes, first = np.unique(self.fp.hashes[rows], return_index=True)
        positions = self.fp.positions[rows][first].astype(np.uint32)
        return Entry(self.articles[i], hashes, positions, self.words[self.word_bounds[i] : self.word_bounds[i + 1]])


def in_runs(words_a: np.ndarray, at_a: np.ndarray, lo_a: np.ndarray, hi_a: np.ndarray,
            words_b: np.ndarray, at_b: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray,
            settings: Settings) -> np.ndarray:
    """For shingles shared by two articles, whether each lies inside a run of
    ``shingle + window - 1`` identical words.

    ``words_a`` and ``words_b`` are flat word keys; shared shingle ``k`` starts at
    word ``at_a[k]`` (``at_b[k]``), and its article's words lie in ``lo:hi``.
    """
    need = settings.window - 1

    def run(step: int, start_a: np.ndarray, start_b: np.ndarray) -> np.ndarray:
        length = np.zeros(len(start_a), dtype=np.int64)
        going = np.ones(len(start_a), dtype=bool)
        for k in range(1, need + 1):
            ia, ib = start_a + step * k, start_b + step * k
            going &= (ia >= lo_a) & (ia < hi_a) & (ib >= lo_b) & (ib < hi_b)
            where = np.flatnonzero(going)
            going[where] = words_a[ia[where]] == words_b[ib[where]]
            length += going
        return length

    last = settings.shingle - 1
    return run(-1, at_a, at_b) + run(1, at_a + last, at_b + last) >= need
