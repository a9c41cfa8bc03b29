"""Words with offsets: the normalized view of a text that keeps a map back to it.

A text is split into words (runs of letters and digits; in Chinese, Japanese
and Thai, each character with its marks). Each word is kept as a 64-bit hash
of its folded form (:mod:`dedup.chars`: NFKC and case folded, accents,
invisible characters and look-alikes folded away) plus the character offsets
of the word in the original text, so every later stage can compare
normalized words and still report positions in the text as it was read:
``text[start:end]`` is the word as written, with any invisible characters
and marks inside it.

Tokenizing runs on a whole batch of texts at once with numpy, and the hashes
are plain arithmetic on code points: the same text gives the same hashes in
any process, on any machine (never Python's ``hash()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from . import kernels
from .chars import DIGIT, UPPER, tables
from .hashing import LENGTH_MIX, POWERS

CAPITAL = np.uint8(1)
"""The word starts with an upper-case letter (names, titles, sentence starts)."""
NUMBER = np.uint8(2)
"""The word starts with a digit."""
QUOTED = np.uint8(4)
"""The word stands inside quotation marks."""
STOP = np.uint8(8)
"""A sentence mark (``.``, ``!``, ``?``, ``。`` ...) follows the word at once: a span that
ends on it on both sides takes the mark."""
CLOSES = np.uint8(16)
"""The word closes a sentence: a sentence mark and then a space follow it (a wide mark
such as ``。`` needs no space), or a blank line, or the end of the text. Abbreviations
("U.S. officials") close one too: a sentence is what alignment may complete, never
what it must."""
SENTENCE_MARKS = ".!?\u2026\u037e\u0589\u061f\u06d4\u0964\u0965\u1362"
"""Marks that end a sentence when a space follows (Latin, Greek, Armenian, Arabic,
Devanagari, Ethiopic)."""
WIDE_MARKS = "\u3002\uff01\uff1f\uff61"
"""Marks that end a sentence by themselves (Chinese and Japanese full stops)."""
SPACES = (9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
"""White space: what follows a sentence mark that ends a sentence."""
BATCH = 512
"""Texts tokenized together: numpy and the kernels work on a whole batch at once."""


@dataclass(frozen=True)
class Tokens:
    """The words of one text: folded hashes, original offsets and flags."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, offset of the first character
    ends: np.ndarray  # int64, offset after the last character
    flags: np.ndarray  # uint8, CAPITAL | NUMBER | QUOTED | STOP | CLOSES

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
    cls_table, fold_at, fold_codes = tables()
    joined = "\n".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts, ends, hashes, first_cls = kernels.words(codes, cls_table, fold_at, fold_codes, POWERS, LENGTH_MIX)
    text_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    if texts:
        text_starts[1:] = np.cumsum([len(t) + 1 for t in texts])
    flags = kernels.sentences(codes, sentence_table(), starts, ends, text_starts, LOOK_AFTER_MARK, STOP, CLOSES)
    flags |= _first_flags()[first_cls]
    # quotations of every text, in the joined text's offsets (sorted, apart): the words
    # starting inside each are a run, between two places found in the word starts
    ranges = kernels.quotations(codes, text_starts)
    if ranges:
        places = np.searchsorted(starts, np.array(ranges, dtype=np.int64).ravel())
        runs = np.diff(places, prepend=0, append=len(starts))
        flags |= np.repeat(np.resize(np.array([0, QUOTED], dtype=np.uint8), len(runs)), runs)
    bounds = np.searchsorted(starts, text_starts).astype(np.int64)
    base = np.repeat(text_starts[:-1], np.diff(bounds))
    starts -= base
    ends -= base
    return TokenBatch(hashes, starts, ends, flags, bounds)


@cache
def _first_flags() -> np.ndarray:
    """:data:`CAPITAL` and :data:`NUMBER` for each class bits of a word's first character."""
    bits = np.arange(256)
    table: np.ndarray = (np.where(bits & UPPER, CAPITAL, 0) | np.where(bits & DIGIT, NUMBER, 0)).astype(np.uint8)
    return table


@cache
def sentence_table() -> np.ndarray:
    """Each code point's sentence bits (one byte each, every code point), as
    :func:`dedup.kernels.sentences` reads them."""
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(c) for c in SENTENCE_MARKS]] = kernels.reference.MARK
    table[[ord(c) for c in WIDE_MARKS]] = kernels.reference.MARK | kernels.reference.WIDE
    table[list(SPACES)] = kernels.reference.SPACE
    return table


LOOK_AFTER_MARK = 4
"""Characters after a sentence mark in which a space ends the sentence: closing quotation
marks and brackets may stand between (``he said.")``)."""
