"""Alignment: the copied passages of two texts, word by word.

Anchors are runs of at least ``min_block`` identical words on one diagonal.
Anchors in order on both sides, with at most ``max_gap`` words between them,
chain into one passage, so a changed word, a typo or a dropped clause does
not split it; reordered paragraphs become separate passages. A passage that
stops inside a sentence on both sides takes the words that end (or open)
that sentence on both sides alike, however few: an edit near a sentence's end
leaves its last words too short to anchor. rapidfuzz's LCS then scores each
passage (matched words over its length).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz.distance import LCSseq

from . import kernels
from .bridges import Side as BridgeSide
from .bridges import bridged, extended
from .hashing import PRIME
from .settings import Settings
from .text import CAPITAL, CLOSES, NUMBER, Tokens

MAX_REPEATS = 16
"""Anchor words repeated more often than this in one text are skipped (lists, tables)."""
FIGURE_WORDS = 20
"""A span with at least one figure per this many words, most of them different
on the other side, is a template filled in with other figures (an earnings
table, a bond issue, a crop report), not a copy: copies keep their figures. A
long copy with a few figures changed (by an editor or a scanner) stays a copy."""


@dataclass(frozen=True)
class Segment:
    """Words ``a_first:a_stop`` of one text match words ``b_first:b_stop`` of the other."""

    a_first: int
    a_stop: int
    b_first: int
    b_stop: int
    matched: int
    score: float
    longest: int = 0
    """Longest run of identical words in the span."""
    anchored: int = 0
    """Words in the span's runs of ``min_block`` or more identical words (what chance
    must produce for the span to arise by chance: :mod:`dedup.chance`)."""
    found: str = "anchors"
    """How it was found: one chain of anchors (``anchors``), chains bridged across
    reworded words (``bridged``), a chain extended by content words shared around it
    (``extended``), or a chain that does not stand alone, kept beside prose that does
    (``loose``)."""
    core: tuple[int, int, int, int] | None = None
    """``(a_first, a_stop, b_first, b_stop)`` of the words its runs of identical words span,
    where an extension reaches beyond them (what its chance and a stock phrase are judged
    on); None: the whole span."""


def anchors(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """Maximal runs of ``k`` or more identical words: rows ``(a_first, b_first, length)``,
    sorted by ``a_first`` then ``b_first`` (words repeated more than
    ``MAX_REPEATS`` times anchor nothing)."""
    return kernels.anchors(np.ascontiguousarray(a, dtype=np.uint64), np.ascontiguousarray(b, dtype=np.uint64),
                           k, MAX_REPEATS, PRIME)


def _as_ints(values: np.ndarray) -> list[int]:
    ints: list[int] = values.view(np.int64).tolist()
    return ints


def align_tokens(a: Tokens, b: Tokens, settings: Settings, *, words: tuple[BridgeSide, BridgeSide] | None = None,
                 bodies: tuple[Words, Words] | None = None) -> list[Segment]:
    """Copied passages between two tokenized texts, in order of ``a``. With the two texts
    as bridging reads them (``words``), chains are also bridged across reworded sentences
    (:mod:`dedup.bridges`). ``bodies``: the words of each side's body
    (:func:`dedup.page.body_range`), where sentences are completed; None: the whole texts."""
    within = bodies or ((0, len(a)), (0, len(b)))
    bridging = words if settings.bridge_words else None
    if bridging is not None and _later(a, b):  # bridges are read from one side: the same whichever comes first
        flipped = align_tokens(b, a, settings, words=(bridging[1], bridging[0]), bodies=(within[1], within[0]))
        return sorted((_flip(s) for s in flipped), key=lambda s: (s.a_first, s.b_first))
    runs = anchors(a.hashes, b.hashes, settings.min_block)
    if len(runs) == 0:
        return []
    chains = kernels.chains(np.ascontiguousarray(runs, dtype=np.int64), settings.max_gap)
    marks = _Marks(a)
    least = settings.min_words  # a chain shorter than this on either side makes no span (:func:`_segment`)
    if bridging is None:
        return _drop_overlaps([s for c in chains if c[-1][0] + c[-1][2] - c[0][0] >= least  # _long, inline
                               and c[-1][1] + c[-1][2] - c[0][1] >= least
                               and (s := _completed(c, a, b, settings, marks, within)) is not None])
    sa, sb = bridging
    groups = bridged(chains, sa, sb, settings.bridge_words) if len(chains) > 1 else [list(chains)]
    found: list[Segment] = []
    loose: list[list[Anchor]] = []
    for group in groups:
        joined = group[0] if len(group) == 1 else [x for c in group for x in c]
        whole = _segment(joined, a, b, settings, marks, BRIDGED) if len(group) > 1 else None
        if whole is not None:
            standing = [(joined, BRIDGED, whole)]
        else:
            standing = [(c, ANCHORED, own) for c in group
                        if _long(c, least) and (own := _segment(c, a, b, settings, marks)) is not None]
        for chain, how, own in standing:  # each with the content words shared around it, if they hold
            wider = extended(chain, sa, sb, settings.max_gap)
            more = _segment(wider, a, b, settings, marks, EXTENDED if how == ANCHORED else how) \
                if len(wider) > len(chain) else None
            found.append(more or _completed(chain, a, b, settings, marks, within, how, own))  # type: ignore[arg-type]
        if not standing:  # too short or unlike to stand: a reworded sentence may still hold its content words
            loose.append(joined)
    if found:  # a pair rests on what stands alone; extended spans only add to it, where nothing else is
        found = _drop_overlaps(found)
        rescued = [more for joined in loose if not _touches(joined, found)  # nor would it, extended
                   and len(wider := extended(joined, sa, sb, settings.max_gap)) > 1
                   and (more := _segment(wider, a, b, settings, marks, LOOSE)) is not None]
        found.extend(r for r in rescued if not any(
            _overlap(r.a_first, r.a_stop, k.a_first, k.a_stop) or _overlap(r.b_first, r.b_stop, k.b_first, k.b_stop)
            for k in found))
    return _drop_overlaps(found)


def _long(chain: list[Anchor], least: int) -> bool:
    """Whether a chain spans at least ``least`` words on both sides: most chains of a pair
    do not, and this is cheaper than making their span to find that out."""
    last = chain[-1]
    return last[0] + last[2] - chain[0][0] >= least and last[1] + last[2] - chain[0][1] >= least


def _touches(chain: list[Anchor], found: list[Segment]) -> bool:
    """Whether the words of a chain overlap one of the ``found`` spans on either side."""
    a0, b0, a1, b1 = chain[0][0], chain[0][1], chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
    for k in found:
        if (a0 < k.a_stop and k.a_first < a1) or (b0 < k.b_stop and k.b_first < b1):
            return True
    return False


def _later(a: Tokens, b: Tokens) -> bool:
    """Whether ``a`` comes after ``b`` in a fixed order of texts (length, then words)."""
    if len(a) != len(b):
        return len(a) > len(b)
    return a.hashes.tobytes() > b.hashes.tobytes()


def _flip(s: Segment) -> Segment:
    core = (s.core[2], s.core[3], s.core[0], s.core[1]) if s.core else None
    return Segment(s.b_first, s.b_stop, s.a_first, s.a_stop, s.matched, s.score, s.longest, s.anchored, s.found,
                   core)  # not dataclasses.replace: a fifth of the cost, on every flipped span


BRIDGED = "bridged"
"""How a span was found: chains of anchors bridged across reworded words (:mod:`dedup.bridges`)."""
EXTENDED = "extended"
"""How a span was found: a chain of anchors extended by content words shared in order (:mod:`dedup.bridges`)."""
LOOSE = "loose"
"""How a span was found: a chain of anchors too short or too unlike the other side to stand
alone (below ``min_words`` or ``min_score``), extended by the content words around it where
they hold, and kept beside copied prose that stands: a reworded sentence out of place."""
ANCHORED = "anchors"
"""How a span was found: one chain of runs of identical words."""
BRIDGED_SCORE = 0.5
"""Lowest word similarity of a bridged span: most of its words may be reworded, not most of them new."""


class _Marks:
    """Which words of ``a`` are plain (not names or figures) and which are figures, worked out
    once a chain is long enough to keep; many pairs have none."""

    def __init__(self, a: Tokens) -> None:
        self.a = a
        self.plain = self.numbers = np.zeros(0, dtype=bool)
        self.made = False

    def make(self) -> None:
        if not self.made:
            self.plain = ~(self.a.flags & (CAPITAL | NUMBER)).astype(bool)
            self.numbers = (self.a.flags & NUMBER).astype(bool)
            self.made = True


def _segment(chain: list[tuple[int, int, int]], a: Tokens, b: Tokens, settings: Settings, marks: _Marks,
             how: str = ANCHORED) -> Segment | None:
    """The span a chain of anchors makes, or None when it is too short, too unlike, all
    names, or a template filled in with other figures."""
    a0, b0 = chain[0][0], chain[0][1]
    a1, b1 = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
    if min(a1 - a0, b1 - b0) < settings.min_words:
        return None
    marks.make()
    ha, hb = a.hashes[a0:a1], b.hashes[b0:b1]
    if a1 - a0 == b1 - b0 and ha.tobytes() == hb.tobytes():
        matched = a1 - a0  # a verbatim run: its LCS is itself
    else:
        matched = int(LCSseq.similarity(_as_ints(ha), _as_ints(hb)))
    score = 2.0 * matched / ((a1 - a0) + (b1 - b0))
    lowest = min(settings.min_score, BRIDGED_SCORE) if how != ANCHORED else settings.min_score
    if matched < settings.min_words or score < lowest:
        return None
    if np.count_nonzero(marks.plain[a0:a1]) < settings.min_lowercase:
        return None
    figures = np.count_nonzero(marks.numbers[a0:a1])
    if figures and figures * FIGURE_WORDS >= a1 - a0:
        kept = sum(np.count_nonzero(marks.numbers[x : x + n]) for x, _, n in chain)
        if 2 * kept < figures:
            return None
    runs = [(x, y, n) for x, y, n in chain if n >= settings.min_block]
    core = (runs[0][0], runs[-1][0] + runs[-1][2], runs[0][1], runs[-1][1] + runs[-1][2]) if runs else None
    lengths = [n for _, _, n in runs]
    return Segment(a0, a1, b0, b1, matched, round(score, 4), max(lengths, default=0), sum(lengths), how,
                   core if core != (a0, a1, b0, b1) else None)


Anchor = tuple[int, int, int]
Words = tuple[int, int]
"""``(first, stop)``: a range of word numbers."""


def _completed(chain: list[Anchor], a: Tokens, b: Tokens, settings: Settings, marks: _Marks,
               within: tuple[Words, Words], how: str = ANCHORED, own: Segment | None = None) -> Segment | None:
    """The span of a chain, with its sentences completed (:func:`sentence_ends`) where the
    wider span holds. Completing adds words to a span that stands, never makes one, and
    the span is judged as the chain's own: its chance, a stock phrase or a quotation on
    the chain's runs (its ``core``; ``own``: the chain's span, when made already)."""
    own = own or _segment(chain, a, b, settings, marks, how)
    whole = sentence_ends(chain, a, b, settings.max_gap, within) if own is not None else chain
    if own is None or whole is chain or (wide := _segment(whole, a, b, settings, marks, how)) is None:
        return own
    return replace(wide, longest=own.longest, anchored=own.anchored,
                   core=own.core or (own.a_first, own.a_stop, own.b_first, own.b_stop))


def sentence_ends(chain: list[Anchor], a: Tokens, b: Tokens, max_gap: int,
                  within: tuple[Words, Words] | None = None) -> list[Anchor]:
    """The chain with one more anchor at either end where it stops inside a sentence on
    both sides and the words that close (or open) that sentence are the same on both:
    the run they share, however short, after (before) at most ``max_gap`` other words
    on each side, within the sentence. An edit near a sentence's end leaves its last
    words too few to anchor, yet they are the copied sentence's; a run of common words
    a sentence away joins nothing (``kernels.trim`` drops it). Sentences are completed
    ``within`` the given words of each side only (the bodies: a page's headline and
    byline are lines, not sentences). Returns ``chain`` itself when nothing is added."""
    (a_lo, a_hi), (b_lo, b_hi) = within or ((0, len(a)), (0, len(b)))
    reach = 2 * max_gap  # the rest of the sentence looked at: at most a gap and a run
    first, last = chain[0], chain[-1]
    a1, b1 = last[0] + last[2], last[1] + last[2]
    if not (a_lo <= first[0] and a1 <= a_hi and b_lo <= first[1] and b1 <= b_hi):
        return chain  # a chain reaching out of a body: the page's lines are no sentence to complete
    head, tail = kernels.sentence_edges(a.hashes, a.flags, b.hashes, b.flags, a_lo, first[0], a1, a_hi,
                                        b_lo, first[1], b1, b_hi, reach, max_gap, CLOSES)
    if head is None and tail is None:
        return chain
    return ([head] if head else []) + chain + ([tail] if tail else [])


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def _drop_overlaps(segments: list[Segment]) -> list[Segment]:
    """Keep the larger of two segments that cover mostly the same words on either
    side: a formula repeated in a story (a line of a price table) matches every
    other instance of it, but each instance was copied once."""
    if len(segments) < 2:
        return segments
    kept: list[Segment] = []
    for s in sorted(segments, key=lambda s: (-s.matched, s.a_first, s.b_first)):
        clash = any(
            _overlap(s.a_first, s.a_stop, k.a_first, k.a_stop) * 2 > s.a_stop - s.a_first
            or _overlap(s.b_first, s.b_stop, k.b_first, k.b_stop) * 2 > s.b_stop - s.b_first
            for k in kept
        )
        if not clash:
            kept.append(s)
    return sorted(kept, key=lambda s: (s.a_first, s.b_first))


@dataclass(frozen=True)
class Windows:
    """One side of many candidate pairs, for the seed test: the word keys the
    articles sit in (any integer keys: full hashes, or the index's 16 bits),
    where each article's words start and stop in them, which article each
    pair holds (``docs``) and the word where the shared shingle starts in it
    (``seeds``; -1 when the shingle occurs more than once there)."""

    words: np.ndarray
    starts: np.ndarray
    stops: np.ndarray
    docs: np.ndarray
    seeds: np.ndarray

    @classmethod
    def of(cls, words: np.ndarray, bounds: np.ndarray, docs: np.ndarray, seeds: np.ndarray) -> Windows:
        """Articles numbered as in ``bounds`` (article ``d`` is ``words[bounds[d]:bounds[d + 1]]``)."""
        return cls(words, bounds[:-1], bounds[1:], docs, seeds)

    def take(self, rows: np.ndarray) -> Windows:
        return Windows(self.words, self.starts, self.stops, self.docs[rows], self.seeds[rows])

    def spans(self) -> np.ndarray:
        """``(start, stop)`` of each pair's article, shape ``(k, 2)``."""
        return np.stack((self.starts[self.docs], self.stops[self.docs]), axis=1).astype(np.int64)


def near_seed(a: Windows, b: Windows, settings: Settings) -> np.ndarray:
    """Which pairs have ``min_words`` anchored words in the window around their seed.

    A cheap test run before full alignment on pairs that share a single
    fingerprint. It counts, in the window of ``a`` around the seed, the words
    that belong to a run of at least ``min_block`` identical words in ``b``'s
    window on a diagonal at most ``max_gap`` words from the seed's: the
    anchors alignment would chain. Any span holding the seed passes; most
    pairs brought together by one coincidental shingle do not.
    """
    if len(a.docs) == 0:
        return np.zeros(0, dtype=bool)
    words_a, words_b = np.ascontiguousarray(a.words), np.ascontiguousarray(b.words)
    if words_a.dtype != words_b.dtype or words_a.dtype not in (np.uint64, np.uint16):
        words_a, words_b = words_a.astype(np.uint64), words_b.astype(np.uint64)

    def rows(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x, dtype=np.int64)

    return kernels.near_seed(words_a, a.spans(), rows(a.seeds), words_b, b.spans(), rows(b.seeds),
                             settings.max_gap + settings.min_words, settings.shingle, settings.max_gap,
                             settings.min_block, settings.min_words)
