"""Deterministic 64-bit hashes of words and runs of words.

Plain arithmetic on integers, so the same text gives the same hashes in any
process, on any machine, in Spark (never Python's ``hash()``).
"""

from __future__ import annotations

import numpy as np

PRIME = np.uint64(0x100000001B3)
"""Multiplier of the word and k-gram hashes (the FNV prime: odd, so its powers never vanish mod 2**64)."""
LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)
"""Mixed into a word's hash with its length, so "ab" and "ba"-like sums differ."""
MAX_REL = 64
"""Characters of a word that weigh in its hash by their own power (later ones share the last)."""
POWERS = np.concatenate(([np.uint64(1)], np.cumprod(np.full(MAX_REL - 1, PRIME, dtype=np.uint64))))


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads structured integers over all 64 bits."""
    y = x.astype(np.uint64, copy=True)
    y ^= y >> np.uint64(30)
    y *= np.uint64(0xBF58476D1CE4E5B9)
    y ^= y >> np.uint64(27)
    y *= np.uint64(0x94D049BB133111EB)
    y ^= y >> np.uint64(31)
    return y


def ngram_hashes(hashes: np.ndarray, n: int, prime: np.uint64 = PRIME) -> np.ndarray:
    """Hash of every run of ``n`` consecutive words (``len - n + 1`` of them)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    acc = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        acc = acc * prime + hashes[k : k + count]
    return mix64(acc)
