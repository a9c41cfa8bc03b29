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

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .settings import Settings
from . import kernels
from .text import PRIME, TokenBatch, ngram_hashes

_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


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
    def empty(cls) -> "Fingerprints":
        return cls(np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int32))


def fingerprints(batch: TokenBatch, settings: Settings, first_doc: int = 0) -> Fingerprints:
    """Winnowed passage fingerprints of every article in ``batch``.

    Article ``i`` of the batch is numbered ``first_doc + i`` in the result.
    Articles shorter than one passage keep the minimum of all their shingles.
    """
    n, w = settings.shingle, settings.window
    hashes, bounds = batch.hashes, batch.bounds
    if kernels.AVAILABLE:
        return Fingerprints(*kernels.winnow(hashes, bounds, n, w, PRIME, first_doc))
    doc_of = np.repeat(np.arange(len(batch), dtype=np.int64), np.diff(bounds))
    sh = ngram_hashes(hashes, n)
    if len(sh) == 0:
        return Fingerprints.empty()
    sh = np.where(doc_of[: len(sh)] == doc_of[n - 1 :], sh, _EMPTY)

    picked = np.zeros(0, dtype=np.int64)
    span = n + w - 1  # words covered by one passage
    if len(sh) >= w:
        windows = sliding_window_view(sh, w)
        starts = np.arange(len(windows), dtype=np.int64)
        whole = doc_of[starts] == doc_of[starts + span - 1]
        choice = starts[whole] + windows[whole].argmin(axis=1)
        # the minimum of a sliding window never moves left, so repeats are neighbours
        keep = np.ones(len(choice), dtype=bool)
        keep[1:] = choice[1:] != choice[:-1]
        picked = choice[keep]

    lengths = np.diff(bounds)
    short = np.flatnonzero((lengths >= n) & (lengths < span))
    if len(short):
        extra = [bounds[d] + int(np.argmin(sh[bounds[d] : bounds[d + 1] - n + 1])) for d in short]
        picked = np.unique(np.concatenate((picked, np.array(extra, dtype=np.int64))))

    docs = doc_of[picked]
    return Fingerprints(sh[picked], docs + first_doc, (picked - bounds[docs]).astype(np.int32))
