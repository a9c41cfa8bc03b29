"""Words with offsets: the normalized view of a text that keeps a map back to it.

A text is split into words (runs of letters and digits). Each word is kept
as a 64-bit hash of its folded form (lower case, accents removed) plus the
character offsets of the word in the original text, so every later stage can
compare normalized words and still report positions in the text as it was read.

Tokenizing runs on a whole batch of texts at once with numpy, and the hashes
are plain arithmetic on code points: the same text gives the same hashes in
any process, on any machine (never Python's ``hash()``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from . import kernels, quotes

CAPITAL = np.uint8(1)
"""The word starts with an upper-case letter (names, titles, sentence starts)."""
NUMBER = np.uint8(2)
"""The word starts with a digit."""
QUOTED = np.uint8(4)
"""The word stands inside quotation marks."""

_WORD, _UPPER, _DIGIT = 1, 2, 4
_NUMBER_MARKS = np.array([ord(","), ord("."), ord("/")], dtype=np.uint32)
_MAX_REL = 64
PRIME = np.uint64(0x100000001B3)
"""Multiplier of the word and k-gram hashes (the FNV prime: odd, so its powers never vanish mod 2**64)."""
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)
_POWERS = np.concatenate(([np.uint64(1)], np.cumprod(np.full(_MAX_REL - 1, PRIME, dtype=np.uint64))))


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads structured integers over all 64 bits."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Class bits and folded code point of every character of the BMP."""
    size = 0x10000
    cls = np.zeros(size, dtype=np.uint8)
    fold = np.zeros(size, dtype=np.uint32)
    for code in range(size):
        ch = chr(code)
        if not ch.isalnum():
            continue
        bits = _WORD
        if ch.isupper() or ch.istitle():
            bits |= _UPPER
        if ch.isdigit():
            bits |= _DIGIT
        cls[code] = bits
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if code >= 128:
            base = unicodedata.normalize("NFKD", low)[:1]
            if base and base.isalnum():
                low = base
        fold[code] = ord(low)
    return cls, fold


@dataclass(frozen=True)
class Tokens:
    """The words of one text: folded hashes, original offsets and flags."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, offset of the first character
    ends: np.ndarray  # int64, offset after the last character
    flags: np.ndarray  # uint8, CAPITAL | NUMBER | QUOTED

    def __len__(self) -> int:
        return len(self.hashes)

    def char_span(self, first: int, stop: int) -> tuple[int, int]:
        """Character offsets covering words ``first`` up to (not including) ``stop``."""
        return int(self.starts[first]), int(self.ends[stop - 1])


@dataclass(frozen=True)
class TokenBatch:
    """The words of many texts packed in flat arrays; ``bounds[i]:bounds[i+1]`` is text i."""

    hashes: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    flags: np.ndarray
    bounds: np.ndarray  # int64, len = texts + 1

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def doc(self, i: int) -> Tokens:
        lo, hi = int(self.bounds[i]), int(self.bounds[i + 1])
        return Tokens(self.hashes[lo:hi], self.starts[lo:hi], self.ends[lo:hi], self.flags[lo:hi])

    def docs(self) -> list[Tokens]:
        return [self.doc(i) for i in range(len(self))]


def tokenize(text: str) -> Tokens:
    """Words of one text (see :func:`tokenize_batch`)."""
    return tokenize_batch([text]).doc(0)


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Split many texts into words at once.

    Offsets are relative to each text; a word never crosses two texts because
    the texts are joined with a newline, which is not a word character.
    """
    cls_table, fold_table = _tables()
    joined = "\n".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    find = kernels.words if kernels.AVAILABLE else _words
    starts, ends, raw, first_cls = find(codes, cls_table, fold_table, _POWERS, _LENGTH_MIX)
    hashes = mix64(raw)
    flags = np.where(first_cls & _UPPER, CAPITAL, np.uint8(0)).astype(np.uint8)
    flags |= np.where(first_cls & _DIGIT, NUMBER, np.uint8(0)).astype(np.uint8)

    text_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    if texts:
        text_starts[1:] = np.cumsum([len(t) + 1 for t in texts])
    bounds = np.searchsorted(starts, text_starts).astype(np.int64)
    # quotations of every text, in the joined text's offsets: one lookup for all words
    if kernels.AVAILABLE:
        ranges = kernels.quotations(codes, text_starts)
    else:
        ranges = [(s + at, e + at) for text, at in zip(texts, text_starts.tolist()) for s, e in quotes.regions(text)]
    if ranges:
        r = np.array(ranges, dtype=np.int64)
        which = np.searchsorted(r[:, 0], starts, side="right") - 1
        inside = (which >= 0) & (starts < r[np.maximum(which, 0), 1])
        flags[inside] |= QUOTED
    doc_of = np.repeat(np.arange(len(texts)), np.diff(bounds))
    base = text_starts[doc_of] if len(texts) else np.zeros(0, dtype=np.int64)
    starts = starts.astype(np.int64) - base
    ends = ends.astype(np.int64) - base
    return TokenBatch(hashes, starts, ends, flags, bounds)


def _words(
    codes: np.ndarray, cls_table: np.ndarray, fold_table: np.ndarray, powers: np.ndarray, length_mix: np.uint64
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Words of the joined text ``codes``: starts, ends, folded hashes before
    mixing, and the class bits of each word's first character. The numpy
    reference of :func:`dedup.kernels.words`."""
    clipped = np.minimum(codes, 0xFFFF)  # astral characters (emoji) are never words
    cls = cls_table[clipped]
    cls[codes > 0xFFFF] = 0
    word = (cls & _WORD).astype(bool)
    # a figure is one word: "1,000", "7.5", "3/8" (copies keep their figures, templates change them)
    digit = (cls & _DIGIT).astype(bool)
    inner = np.zeros(len(codes), dtype=bool)
    inner[1:-1] = np.isin(codes[1:-1], _NUMBER_MARKS) & digit[:-2] & digit[2:]
    word |= inner

    padded = np.concatenate(([False], word, [False]))
    edges = np.diff(padded.astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)

    lengths = ends - starts
    word_pos = np.flatnonzero(word)
    token_of = np.repeat(np.arange(len(starts)), lengths)
    rel = np.minimum(word_pos - starts[token_of], _MAX_REL - 1)
    contrib = fold_table[clipped[word_pos]].astype(np.uint64) * powers[rel]
    if len(starts):
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        raw = np.add.reduceat(contrib, offsets)
    else:
        raw = np.zeros(0, dtype=np.uint64)
    raw = raw ^ (lengths.astype(np.uint64) * length_mix)

    first_cls = cls[starts] if len(starts) else np.zeros(0, dtype=np.uint8)
    return starts.astype(np.int64), ends.astype(np.int64), raw, first_cls


def ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of ``n`` consecutive words (``len - n + 1`` of them)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    acc = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        acc = acc * PRIME + hashes[k : k + count]
    return mix64(acc)
