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
    """The Snowball stemmer of ``language`` (``english``, ``german``, ``french``, ...)."""
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


class _Stems:
    """Stems by word hash for one stemmer, as numbers (a 63-bit hash of the stem: two words
    of one stem share it, whenever each was met), in a sorted table looked up for a whole
    text at once (numpy): a word is looked for first where its hash's leading bits say
    (``slots``: most words are the first of theirs), the rest by binary search. Words met
    for the first time wait in a dict until there are enough of them to merge in."""

    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.int64)  # the hashes as signed numbers, sorted
        self.ids = np.zeros(0, dtype=np.int64)
        self.short = np.zeros(0, dtype=bool)
        self.slots = np.zeros(1, dtype=np.int64)  # per leading bits, the first hash with them (clipped)
        self.shift = 63
        self.new: dict[int, tuple[int, bool]] = {}

    def of(self, side: Side, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stem number of each word ``at`` of ``side`` (-1: no letters) and whether it is
        too short to be a content word without weights."""
        hashes = side.tokens.hashes[at].view(np.int64)
        ids = np.full(len(at), -1, dtype=np.int64)
        short = np.ones(len(at), dtype=bool)
        missing = np.arange(len(at))
        if len(self.hashes):
            where = self.slots[(hashes >> self.shift) + (self.slots.size >> 1)]
            hit = self.hashes[where] == hashes
            rest = np.flatnonzero(~hit)
            if len(rest):  # not the first of their leading bits, or not in the table
                where[rest] = np.minimum(np.searchsorted(self.hashes, hashes[rest]), len(self.hashes) - 1)
                hit[rest] = self.hashes[where[rest]] == hashes[rest]
            ids[hit], short[hit] = self.ids[where[hit]], self.short[where[hit]]
            missing = np.flatnonzero(~hit)
        if len(missing):
            t, k = side.tokens, at[missing]
            got = []
            for h, first, stop, flags in zip(hashes[missing].tolist(), t.starts[k].tolist(), t.ends[k].tolist(),
                                             t.flags[k].tolist()):
                entry = self.new.get(h)
                if entry is None:
                    entry = self.new[h] = _entry(side.text[first:stop], flags, side.stem)
                got.append(entry)
            ids[missing] = [number for number, _ in got]
            short[missing] = [too_short for _, too_short in got]
            if len(self.new) >= max(4096, len(self.hashes) // 4):
                self._merge()
        return ids, short

    def _merge(self) -> None:
        if len(self.hashes) + len(self.new) > CACHED:  # forget the words met so far (their numbers stay)
            self.__init__()  # type: ignore[misc]
            return
        hashes = np.concatenate((self.hashes, np.fromiter(self.new, dtype=np.int64, count=len(self.new))))
        values = list(self.new.values())
        ids = np.concatenate((self.ids, np.array([v[0] for v in values], dtype=np.int64)))
        short = np.concatenate((self.short, np.array([v[1] for v in values], dtype=bool)))
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.ids, self.short = hashes[order], ids[order], short[order]
        bits = len(self.hashes).bit_length() + 1  # about one hash for two slots
        self.shift = 64 - bits
        counts = np.bincount((self.hashes >> self.shift) + (1 << (bits - 1)), minlength=1 << bits)
        self.slots = np.minimum(np.cumsum(counts) - counts, len(self.hashes) - 1)
        self.new = {}


def _entry(raw: str, flags: int, stem: Callable[[str], str]) -> tuple[int, bool]:
    """The stem number of a word as written (``raw``, with its token ``flags``), and whether it
    is too short to be a content word without weights."""
    word = folded(raw)
    if not word:
        return -1, True
    number = bool(flags & NUMBER)
    key = word if number else stem(word)
    number_of_stem = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") >> 1
    return number_of_stem, not (len(word) > SHORT or number)


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
    _quoted: np.ndarray | None = None  # whether each word stands inside quotation marks (1) or not (0)

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
        at, stems = self._content()
        if self._quoted is None:
            self._quoted = ((self.tokens.flags & QUOTED) != 0).astype(np.uint8)
        return at, stems, self._quoted

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
    rows = np.array(chain, dtype=np.int64).reshape(-1, 3)
    return kernels.extend(rows, *a.content(), *b.content(), reach, near, NEAR, GAP_MATCHES, EXTEND_SCORE, SLACK)
