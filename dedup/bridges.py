"""Bridges: one passage across sentences a rewriting desk reworded.

Anchors are runs of identical words, and a desk that swaps synonyms, moves
clauses and merges sentences leaves stretches with none: a copied story
falls apart into pieces, each too short or too far from the next to chain
(``max_gap``). Two chains that run in order on both sides, with at most
``bridge_words`` words between them on either side, are one passage when
the words between them say the same thing: the content words of the two
gaps (names, figures and rarer words; the commonest function words left
out), stemmed with the Snowball stemmer of the corpus's ``language``, share
enough of themselves in order. A rewritten sentence between two anchored
ones joins the passage; a sentence of another story does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import LCSseq

from . import kernels
from .chars import fold_char
from .errors import SettingsError
from .text import NUMBER, QUOTED, Tokens

Anchor = tuple[int, int, int]
"""``(a_first, b_first, length)``: a run of identical words."""
GAP_SCORE = 0.34
"""Least similarity of two gaps' content words (twice the stems in order over their sum) to bridge them."""
EXTEND_SCORE = 0.5
"""Least similarity of the content words that extend a chain: stricter than between two chains,
since nothing on the far side vouches for them."""
GAP_MATCHES = 2
"""Fewest content words two gaps must share, in order, to be bridged."""
SIZES = 0.5
"""Least ratio of the two gaps' lengths (in words): a sentence and a paragraph are no rewording of each other."""
RARE_BITS = 7.0
"""Words weighing less (a word seen more than once in 128 of the corpus's words) are function words."""
SLACK = 3
"""Words an extension may take across the edge of a quotation (``"...," he said``)."""
NEAR = 3
"""One content word shared this close to a chain's end (on both sides) extends it alone."""
SHORT = 3
"""Without weights, words of at most this many letters are function words."""
CACHED = 1 << 20
"""Words whose stem is remembered by hash, per stemmer (per process; forgotten when full)."""
Weigh = Callable[[np.ndarray], np.ndarray]
"""The bits of each word by its hash (:meth:`dedup.chance.Chance.weigh`)."""


@lru_cache(maxsize=8)
def stemmer(language: str) -> Callable[[str], str]:
    """The Snowball stemmer of ``language`` (``english``, ``german``, ``french``, ...):
    snowballstemmer runs the compiled stemmers of PyStemmer where it is installed
    (``pip install 'dedup[stem]'``: the same stems, some twenty times faster), its own
    pure Python ones otherwise."""
    import snowballstemmer  # type: ignore[import-untyped]

    try:
        stem = snowballstemmer.stemmer(language)
    except KeyError:
        known = ", ".join(sorted(snowballstemmer.algorithms()))
        raise SettingsError(f"language must be one of {known}, got {language!r}") from None
    return lru_cache(maxsize=1 << 17)(stem.stemWord)


@lru_cache(maxsize=1 << 17)
def folded(raw: str) -> str:
    """A word as written, folded as the tokenizer folds it (case, accents, invisible characters)."""
    if raw.isascii():
        return raw.lower()
    return "".join(chr(c) for ch in raw for c in fold_char(ch))


EMPTY = -2
"""A slot of :class:`_Stems` that holds no word (no entry packs to it)."""


class _Stems:
    """Stems by word hash for one stemmer, as numbers (a 62-bit hash of the stem: two words
    of one stem share it, whenever each was met), looked up for a whole text at once
    (numpy): a table holds one word per slot, the slot its hash's leading bits name (most
    words, found with one read of memory), and the words that share a slot stand sorted
    beside it. Each entry packs the stem number and whether the word is too short to be a
    content word without weights (:func:`_entry`). Words met for the first time wait in a
    dict until there are enough of them to merge in."""

    def __init__(self) -> None:
        self.table = np.array([[0, EMPTY], [0, EMPTY]], dtype=np.int64)  # per slot: a hash (signed), its entry
        self.shift = 63  # a hash's slot: its leading 64 - shift bits
        self.size = 0  # words in the table
        self.more = np.zeros(0, dtype=np.int64)  # the hashes that share a slot, sorted
        self.more_entries = np.zeros(0, dtype=np.int64)
        self.new: dict[int, int] = {}

    def of(self, side: Side, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stem number of each word ``at`` of ``side`` (-1: no letters) and whether it is
        too short to be a content word without weights."""
        entries = kernels.stem_entries(side.tokens.hashes, at, self.table, self.shift, self.more,
                                       self.more_entries, EMPTY)
        missing = np.flatnonzero(entries == EMPTY)
        if len(missing):
            words = side.tokens.hashes[at[missing]].view(np.int64).tolist()
            got = [self.new.get(h) for h in words]
            first_met = [n for n, entry in enumerate(got) if entry is None]
            if first_met:
                t, k = side.tokens, at[missing[first_met]]
                for n, first, stop, flags in zip(first_met, t.starts[k].tolist(), t.ends[k].tolist(),
                                                 t.flags[k].tolist()):
                    entry = self.new.get(words[n])  # None, unless met earlier in this text
                    got[n] = self.new[words[n]] = _entry(side.text[first:stop], flags, side.stem) \
                        if entry is None else entry
            entries[missing] = got
            if len(self.new) >= max(1024, self.size // 4):
                self._merge()
        return entries >> 1, (entries & 1).astype(bool)

    def _merge(self) -> None:
        held = self.table[:, 1] != EMPTY
        hashes = np.concatenate((self.table[held, 0], self.more, np.fromiter(self.new, np.int64, len(self.new))))
        entries = np.concatenate((self.table[held, 1], self.more_entries,
                                  np.fromiter(self.new.values(), np.int64, len(self.new))))
        self.new = {}
        if len(hashes) > CACHED:  # forget the words met so far (their numbers stay)
            self.__init__()  # type: ignore[misc]
            return
        self.size = len(hashes)
        bits = self.size.bit_length() + 1  # about one word for two slots
        self.shift = 64 - bits
        slots = (hashes.view(np.uint64) >> np.uint64(self.shift)).astype(np.intp)
        _, first = np.unique(slots, return_index=True)
        self.table = np.zeros((1 << bits, 2), dtype=np.int64)
        self.table[:, 1] = EMPTY
        self.table[slots[first]] = np.stack((hashes[first], entries[first]), axis=1)
        rest = np.ones(len(hashes), dtype=bool)
        rest[first] = False
        order = np.argsort(hashes[rest])
        self.more, self.more_entries = hashes[rest][order], entries[rest][order]


def _entry(raw: str, flags: int, stem: Callable[[str], str]) -> int:
    """The stem number of a word as written (``raw``, with its token ``flags``; -1: no letters),
    shifted left one bit, with whether it is too short to be a content word without weights
    in the lowest bit."""
    word = raw.lower() if raw.isascii() else folded(raw)  # as folded() folds it, without its cache
    if not word:
        return -1  # -1 and too short
    number = bool(flags & NUMBER)
    key = word if number else stem(word)
    number_of_stem = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") >> 2
    return number_of_stem << 1 | (not (len(word) > SHORT or number))


_STEMS: dict[Callable[[str], str], _Stems] = {}


@dataclass
class Side:
    """One text as bridging reads it: its words, where they stand in its text, and the
    stems of its content words (as numbers: :class:`_Stems`), worked out for the whole
    text at once the first time a gap needs them. It depends on the text alone, so one
    serves every pair the text is a side of (:meth:`dedup.pairs.Side.words`)."""

    tokens: Tokens
    text: str
    stem: Callable[[str], str]
    weigh: Weigh | None
    _arrays: tuple[np.ndarray, np.ndarray] | None = None  # where the content words are, and their stems
    _read: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # what content() returns, once made

    def _content(self) -> tuple[np.ndarray, np.ndarray]:
        """Where the content words are, and their stems."""
        if self._arrays is not None:
            return self._arrays
        t = self.tokens
        if self.weigh is not None:  # content words are the rarer ones
            at = np.flatnonzero(self.weigh(t.hashes) >= RARE_BITS)
        elif self.text.isascii():  # a word of ASCII letters folds to as many: the short ones are no content words
            at = np.flatnonzero((t.ends - t.starts > SHORT) | ((t.flags & NUMBER) != 0))
        else:
            at = np.arange(len(t))
        table = _STEMS.get(self.stem)
        if table is None:
            table = _STEMS[self.stem] = _Stems()
        ids, short = table.of(self, at)
        keep = ids >= 0 if self.weigh is not None else (ids >= 0) & ~short
        self._arrays = (np.ascontiguousarray(at[keep], dtype=np.int64), np.ascontiguousarray(ids[keep]))
        return self._arrays

    def content(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where the content words are, their stems, and whether each word stands inside
        quotation marks: what :func:`dedup.kernels.extend` reads of a text."""
        if self._read is None:  # with whether each word stands inside quotation marks (1) or not (0)
            self._read = (*self._content(), ((self.tokens.flags & QUOTED) != 0).astype(np.uint8))
        return self._read

    def keys(self, first: int, stop: int) -> list[int]:
        """The stems of the content words of words ``first:stop``."""
        at, stems = self._content()
        lo, hi = np.searchsorted(at, (first, stop)).tolist()
        keys: list[int] = stems[lo:hi].tolist()
        return keys


def similar(a: Side, b: Side, a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether words ``a0:a1`` of ``a`` and ``b0:b1`` of ``b`` say the same thing (see the module docstring)."""
    na, nb = a1 - a0, b1 - b0
    if min(na, nb) < SIZES * max(na, nb):
        return False
    ka, kb = a.keys(a0, a1), b.keys(b0, b1)
    if not ka or not kb:
        return False
    shared = int(LCSseq.similarity(ka, kb))
    return shared >= GAP_MATCHES and 2 * shared >= GAP_SCORE * (len(ka) + len(kb))


def bridged(chains: Sequence[list[Anchor]], a: Side, b: Side, most: int) -> list[list[list[Anchor]]]:
    """``chains`` (in order of their first anchor in ``a``) grouped into passages: each chain
    joins the open passage it follows in order on both sides, at most ``most`` words
    behind on either, whose gap to it is :func:`similar` (the nearest such passage)."""
    groups: list[list[list[Anchor]]] = []
    ends: list[tuple[int, int]] = []
    for chain in chains:
        a0, b0 = chain[0][0], chain[0][1]
        best = -1
        for g in range(len(groups) - 1, -1, -1):
            ea, eb = ends[g]
            if not (0 <= a0 - ea <= most and 0 <= b0 - eb <= most):
                continue
            if best < 0 or max(a0 - ea, b0 - eb) < max(a0 - ends[best][0], b0 - ends[best][1]):
                if similar(a, b, ea, a0, eb, b0):
                    best = g
        last = chain[-1]
        end = (last[0] + last[2], last[1] + last[2])
        if best >= 0:
            groups[best].append(chain)
            ends[best] = (max(ends[best][0], end[0]), max(ends[best][1], end[1]))
        else:
            groups.append([chain])
            ends.append(end)
    return groups


def extended(chain: list[Anchor], a: Side, b: Side, reach: int, *, near: bool = True) -> list[Anchor]:
    """``chain`` with the content words shared in order just before and after it (at most
    ``reach`` words away, again from each word so found) as one-word anchors: a reworded
    sentence keeps its names, figures and rarer words where identical runs are gone.
    ``near``: one content word right next to the chain extends it too (for a chain that
    stands alone; one that does not needs two). Words across the edge of a quotation are
    reached only ``SLACK`` deep, so a shared quotation does not become prose by the words
    around it; :func:`dedup.kernels.extend` walks the words."""
    if not chain:
        return []
    return kernels.extend(np.array(chain, dtype=np.int64), *a.content(), *b.content(), reach, near, NEAR,
                          GAP_MATCHES, EXTEND_SCORE, SLACK)
