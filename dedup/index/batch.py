"""Incoming articles prepared for an index: words, passage fingerprints, and
what the index stores of each.

The index keeps each word as a 16-bit key: enough for the seed test
(:func:`dedup.align.near_seed`), which only asks whether identical words
surround a shared fingerprint, at an eighth of the memory of full hashes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..model import Article
from ..passages import Fingerprints, read_texts
from ..settings import Settings
from ..text import Tokens
from .store import MAX_WORDS, NO_SEED, Entry


def word_keys(hashes: np.ndarray) -> np.ndarray:
    """16-bit keys of 64-bit word hashes: what the index stores per word."""
    return np.asarray(hashes & np.uint64(0xFFFF)).astype(np.uint16)


def check_lengths(articles: list[Article], words: np.ndarray, limit: int = MAX_WORDS) -> None:
    """Refuse an article of more words than an index can number (``words[i]`` words of article i)."""
    over = np.flatnonzero(words > limit)
    if len(over):
        a = articles[int(over[0])]
        raise InputError(f"article {a.id!r} has {int(words[over[0]]):,} words; "
                         f"an index holds articles of up to {limit:,} words")


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
    def of(cls, articles: list[Article], settings: Settings) -> Batch:
        words, fp = read_texts([a.text for a in articles], settings)
        check_lengths(articles, np.diff(words.bounds))
        uniq, inverse = np.unique(fp.hashes, return_inverse=True)
        return cls(articles, words.docs(), fp, fp.bounds(len(articles)), uniq, inverse.ravel(),
                   word_keys(words.hashes), words.bounds)

    def rows(self, i: int) -> slice:
        return slice(int(self.bounds[i]), int(self.bounds[i + 1]))

    def entry(self, i: int, repeat: bool = False) -> Entry:
        """What the index stores of article ``i``: distinct fingerprints, the word
        where each occurs (``NO_SEED`` when it occurs more than once), word keys,
        and whether it repeats a story of its outlet."""
        rows = self.rows(i)
        hashes, first, counts = np.unique(self.fp.hashes[rows], return_index=True, return_counts=True)
        positions = np.where(counts > 1, NO_SEED, self.fp.positions[rows][first]).astype(np.uint32)
        return Entry(self.articles[i], hashes, positions, self.words[self.word_bounds[i] : self.word_bounds[i + 1]],
                     repeat)
