"""Whole-document MinHash signatures, bit-compatible with datasketch.

A signature is what datasketch's ``MinHash(num_perm, seed)`` (permutation
scheme ``affine32``) holds after ``update_batch`` with the low 32 bits of the
article's shingle hashes as hash values, computed here with numpy for a whole
batch. ``to_minhash`` hands one to datasketch (LSH, Jaccard estimates, its
Redis storage).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from .hashing import ngram_hashes
from .settings import Settings
from .text import Tokens

_EMPTY32 = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own ``(a, b)`` permutation parameters for ``affine32``."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def shingle_values(tokens: Tokens, settings: Settings) -> np.ndarray:
    """The 32-bit values a datasketch MinHash of this article is updated with."""
    return np.asarray(ngram_hashes(tokens.hashes, settings.shingle) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def signature(tokens: Tokens, settings: Settings) -> np.ndarray:
    """MinHash signature (``num_perm`` uint32 values) of one tokenized article."""
    values = np.unique(shingle_values(tokens, settings))
    a, b = permutations(settings.num_perm, settings.seed)
    if len(values) == 0:
        return np.full(settings.num_perm, _EMPTY32, dtype=np.uint32)
    mixed = fmix32(values)[:, None]
    return np.asarray((mixed * a[None, :] + b[None, :]).min(axis=0)).astype(np.uint32)


def to_minhash(sig: np.ndarray, settings: Settings) -> LeanMinHash:
    """A datasketch LeanMinHash holding this signature."""
    return LeanMinHash(seed=settings.seed, hashvalues=sig.astype(np.uint32), scheme="affine32")


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(x == y))
