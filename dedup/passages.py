"""Passage fingerprints: the MinHash of every passage, kept once per run.

A passage is ``window`` consecutive shingles (``shingle`` words each). Its
fingerprint is its MinHash under one 64-bit hash permutation: the smallest
shingle hash in it. Neighbouring passages usually share that minimum, so each
distinct (shingle, position) is stored once; this is winnowing. LSH with bands
of one row over these fingerprints then makes two articles a candidate pair
as soon as they share one, which gives the guarantee a document-level MinHash
cannot: any run of ``shingle + window - 1`` identical words shared by two
articles, however long the articles, yields a shared fingerprint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import kernels
from .hashing import PRIME
from .settings import Settings
from .text import TokenBatch, tokenize_batch


@dataclass(frozen=True)
class Fingerprints:
    """Fingerprints of many articles: ``hashes[k]`` was taken in article
    ``docs[k]`` from the shingle starting at word ``positions[k]``."""

    hashes: np.ndarray  # uint64
    docs: np.ndarray  # int64
    positions: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.hashes)

    @classmethod
    def empty(cls) -> Fingerprints:
        return cls(np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int32))

    def bounds(self, articles: int, first_doc: int = 0) -> np.ndarray:
        """Rows of each article, when rows are in article order: article ``first_doc + i``
        holds rows ``bounds[i]:bounds[i + 1]``."""
        return np.searchsorted(self.docs, np.arange(first_doc, first_doc + articles + 1)).astype(np.int64)


def fingerprints(batch: TokenBatch, settings: Settings, first_doc: int = 0) -> Fingerprints:
    """Winnowed passage fingerprints of every article in ``batch``, in article order.

    Article ``i`` of the batch is numbered ``first_doc + i`` in the result.
    Articles shorter than one passage keep the minimum of all their shingles.
    """
    found = kernels.winnow(batch.hashes, batch.bounds, settings.shingle, settings.window, PRIME, first_doc)
    return Fingerprints(*found)


def read_texts(texts: Sequence[str], settings: Settings, first_doc: int = 0) -> tuple[TokenBatch, Fingerprints]:
    """Words and passage fingerprints of a batch of texts: the first step of every engine."""
    words = tokenize_batch(texts)
    return words, fingerprints(words, settings, first_doc)
