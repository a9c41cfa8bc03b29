"""What a copied passage is: copied prose, a shared quotation, or boilerplate.

* ``quote``: inside quotation marks in both texts, apart from a short
  attribution and each side's outlet furniture (the sentences its boilerplate
  fingerprints stand in: :func:`furniture_words`), with no copied narrative
  around it. Two outlets quoting one speaker is not syndication.
* ``boilerplate``: on both sides mostly made of the side's outlet furniture:
  passages that recur across many stories of the outlet (headers, footers,
  newsletter pleas).
* ``rewritten``: copied prose whose words are mostly changed (its word
  similarity, ``score``, below ``rewritten_score``) but whose content words
  (words of four letters or more, and figures; stemmed, as :mod:`dedup.bridges`
  stems them)
  still follow the other side's in order, at least ``CONTENT_SCORE`` of them:
  a desk's rewrite of the story, synonyms swapped and clauses moved. It is
  copied text like prose (a copy pair, a family link, coverage, the filter's
  calls) and is counted apart only in the outlet figures
  (:mod:`dedup.outlets`) and shown apart by the renderers.
* ``prose``: everything else, including a quotation that travels inside a
  longer copied passage, or next to one.

Stock phrases (short passages made mostly of fingerprints common across the
corpus) are dropped altogether: they are not reuse of any kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import LCSseq

from . import kernels
from .align import LOOSE, Segment
from .bridges import Side
from .model import SpanKind
from .settings import Settings
from .text import CLOSES, QUOTED, TokenBatch, Tokens

MOSTLY = 0.5
"""Share of a passage's words that makes it boilerplate or a stock phrase."""
CONTENT_SCORE = 0.5
"""Least similarity of a span's content words in order (twice the stems in order over
their sum) for a span of few identical words to be ``rewritten``: half its content at
least, in its order. Heavy rewrites measure 0.53 and up on the rewriting benchmark."""
EDGE_SHARE = 1 / 3
"""Most of either article that a passage at their head or tail may cover and still be
page furniture when two articles of one outlet share it (see :func:`label`)."""


@dataclass(frozen=True)
class Marks:
    """Per-word masks of one article: words in its outlet's boilerplate, words in common passages."""

    boilerplate: np.ndarray
    common: np.ndarray

    @classmethod
    def empty(cls, length: int) -> Marks:
        return cls(np.zeros(length, dtype=bool), np.zeros(length, dtype=bool))

    @classmethod
    def of(cls, boilerplate: np.ndarray, common: np.ndarray, length: int, settings: Settings) -> Marks:
        """Masks of an article of ``length`` words from the word positions of its
        boilerplate and common fingerprints (each covers one shingle)."""
        return cls(cover(boilerplate, settings.shingle, length), cover(common, settings.shingle, length))


def cover(positions: np.ndarray, width: int, length: int) -> np.ndarray:
    """Mask of the words covered by shingles starting at ``positions``."""
    return kernels.cover(np.asarray(positions, dtype=np.int64), width, length)


@dataclass(frozen=True)
class Labelled:
    segment: Segment
    kind: SpanKind
    content: float | None = None
    """For a ``rewritten`` span, the similarity of its content words (:func:`content_score`)."""


def label(
    segments: list[Segment],
    a: Tokens,
    b: Tokens,
    marks_a: Marks,
    marks_b: Marks,
    settings: Settings,
    *,
    one_outlet: bool = False,
    words: Callable[[], tuple[Side, Side] | None] | None = None,
    furniture_of: Callable[[int], tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[Labelled]:
    """Kind of each passage of one pair; stock phrases are left out.

    ``one_outlet``: both articles are of one outlet, whose furniture marked on
    either side is furniture on both (winnowing may mark a little less of
    the same text on one side); across outlets, furniture must stand on both.
    Two articles of one outlet that share a short passage at the head of both,
    or at the tail of both, share page furniture (masthead, date line, byline,
    footer) even before the outlet has published it often enough to be
    counted: a young outlet, or one with few pages in the corpus.
    ``words`` gives the texts of ``a`` and ``b`` as :mod:`dedup.bridges` reads them
    (asked for only when prose of few identical words is to be read for its content
    words, to tell a rewrite: ``rewritten``); without them, no span is rewritten.
    ``furniture_of`` gives the furniture words of ``a`` and ``b`` for a reach
    (:func:`furniture_words`), where the caller keeps them per article (an article
    is a side of many pairs); without it, they are read here once a pair holds a quotation.
    """
    quoted_a = (a.flags & QUOTED).astype(bool)
    quoted_b = (b.flags & QUOTED).astype(bool)
    boiler_a = marks_a.boilerplate.any()
    boiler_b = marks_b.boilerplate.any()
    furniture_a: np.ndarray | None = None
    furniture_b: np.ndarray | None = None
    labelled: list[Labelled] = []
    for s in segments:
        # a stock phrase, furniture or a quotation is judged by the span's runs of identical words
        ca0, ca1, cb0, cb1 = s.core or (s.a_first, s.a_stop, s.b_first, s.b_stop)
        if (ca1 - ca0 < 2 * settings.min_words or s.longest < settings.guaranteed_words) and (
            _mostly(marks_a.common[ca0:ca1]) or _mostly(marks_b.common[cb0:cb1])
        ):
            continue
        kind: SpanKind = "prose"
        # furniture where it stands on both sides: one outlet's own pages, or outlets sharing
        # a template; an outlet's furniture inside another outlet's article was copied with it
        template_a = boiler_a and _template(marks_a.boilerplate[ca0:ca1], settings)
        template_b = boiler_b and _template(marks_b.boilerplate[cb0:cb1], settings)
        if one_outlet:
            furniture = bool(template_a or template_b or _edge(s, len(a), len(b), settings))
        else:
            furniture = bool(template_a and template_b)
        if furniture:
            kind = "boilerplate"
        elif quoted_a[ca0:ca1].any():
            if furniture_a is None or furniture_b is None:  # read once a pair holds a quotation
                reach = settings.window - 1
                if furniture_of is not None:
                    furniture_a, furniture_b = furniture_of(reach)
                else:
                    furniture_a = furniture_words(marks_a.boilerplate, a.flags, reach)
                    furniture_b = furniture_words(marks_b.boilerplate, b.flags, reach)
            if _quotation(a.hashes[ca0:ca1], quoted_a[ca0:ca1], furniture_a[ca0:ca1],
                          b.hashes[cb0:cb1], quoted_b[cb0:cb1], furniture_b[cb0:cb1], settings):
                kind = "quote"
        labelled.append(Labelled(s, kind))
    labelled = _leaning(_quotes_in_context(labelled, settings))
    return _rewritten(labelled, words, settings) if words is not None else labelled


def content_score(a: Side, b: Side, s: Segment) -> float:
    """How much of its content two sides of a span share in order: twice the stems of
    their content words in order (LCS) over the content words of both (0.0: none)."""
    ka, kb = a.keys(s.a_first, s.a_stop), b.keys(s.b_first, s.b_stop)
    if not ka or not kb:
        return 0.0
    return round(2.0 * LCSseq.similarity(ka, kb) / (len(ka) + len(kb)), 4)


def _rewritten(labelled: list[Labelled], words: Callable[[], tuple[Side, Side] | None],
               settings: Settings) -> list[Labelled]:
    """Prose of few identical words whose content follows the other side's in order is
    ``rewritten``. The texts (``words``) are read only for such spans (most pairs have none)."""
    if not any(x.kind == "prose" and x.segment.score < settings.rewritten_score for x in labelled):
        return labelled
    both = words()
    if both is None:
        return labelled
    sa, sb = both
    out = []
    for x in labelled:
        if x.kind == "prose" and x.segment.score < settings.rewritten_score:
            content = content_score(sa, sb, x.segment)
            if content >= CONTENT_SCORE:
                x = Labelled(x.segment, "rewritten", content)
        out.append(x)
    return out


def _leaning(labelled: list[Labelled]) -> list[Labelled]:
    """Loose spans (:data:`dedup.align.LOOSE`: chains that do not stand alone) only add to
    copied prose that does: beside a shared quotation alone they are its attribution."""
    if any(x.kind == "prose" and x.segment.found != LOOSE for x in labelled):
        return labelled
    return [x for x in labelled if x.segment.found != LOOSE]


def _edge(s: Segment, words_a: int, words_b: int, settings: Settings) -> bool:
    """The passage stands at the head of both texts or at the tail of both, and is short beside
    either (judged, like the rest, on its runs of identical words: its ``core``)."""
    a0, a1, b0, b1 = s.core or (s.a_first, s.a_stop, s.b_first, s.b_stop)
    near = settings.min_words
    head = a0 <= near and b0 <= near
    tail = a1 >= words_a - near and b1 >= words_b - near
    short = a1 - a0 <= EDGE_SHARE * words_a and b1 - b0 <= EDGE_SHARE * words_b
    return (head or tail) and short


def _template(marked: np.ndarray, settings: Settings) -> bool:
    """Mostly the outlet's template, or template plus too little else to count
    (a header followed by a date line and a byline)."""
    marked_words = np.count_nonzero(marked)
    if not marked_words:
        return False
    return bool(marked_words >= MOSTLY * len(marked) or len(marked) - marked_words < settings.min_words)


def _quotation(hashes_a: np.ndarray, quoted_a: np.ndarray, furniture_a: np.ndarray,
               hashes_b: np.ndarray, quoted_b: np.ndarray, furniture_b: np.ndarray, settings: Settings) -> bool:
    """A passage holding a quotation is one when neither side tells more than ``quote_slack``
    words that are neither quotation nor its outlet's furniture (a quotation that closes a
    story runs on into the page's footer, which is no copied narrative); or when the two
    share a quotation of ``min_words`` or more and at most ``quote_slack`` other words (in
    order: the words of the two sides' texts without furniture they share, less those of
    their quotations): an attribution that one side holds inside the passage and the other
    outside it ("..." said the minister) is the one side's own. A quotation marked on one
    side only (wire copy leaves a quotation mark open into the next paragraph) is none."""
    told_a, told_b = ~quoted_a & ~furniture_a, ~quoted_b & ~furniture_b
    slack = settings.quote_slack
    if np.count_nonzero(told_a) <= slack and np.count_nonzero(told_b) <= slack:
        return True
    if not (quoted_a.any() and quoted_b.any()):
        return False
    quotation = _shared(hashes_a[quoted_a], hashes_b[quoted_b])
    return quotation >= settings.min_words and (
        _shared(hashes_a[~furniture_a], hashes_b[~furniture_b]) - quotation <= slack)


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """Words of ``a`` and ``b`` (hashes) in common, in order."""
    if not len(a) or not len(b):
        return 0
    if len(a) == len(b) and a.tobytes() == b.tobytes():
        return len(a)  # the same words: their LCS is all of them (most quotations are copied whole)
    return int(LCSseq.similarity(a.view(np.int64).tolist(), b.view(np.int64).tolist()))


def furniture_words(boilerplate: np.ndarray, flags: np.ndarray, reach: int) -> np.ndarray:
    """The words of an article's furniture: those under its boilerplate fingerprints, and at
    each edge of a run of them the words on to the edge of the sentence the run begins or
    ends in, when that edge is at most ``reach`` words away.

    Winnowing samples one shingle of every ``window``, so up to ``window - 1`` words at the
    head and at the tail of a footer (or a header) lie under no sampled fingerprint: a
    footer's "Call the" before "metro desk ...". Furniture stands in whole sentences, so the
    sentence the run opens or closes tells those words from the story's own, which end
    the sentence before it (``flags``: the words' :data:`dedup.text.CLOSES`).
    """
    return kernels.furniture(np.asarray(boilerplate, dtype=bool), np.ascontiguousarray(flags, dtype=np.uint8),
                             CLOSES, reach)


def _mostly(marked: np.ndarray) -> bool:
    """At least ``MOSTLY`` of the words marked (``count_nonzero``: a mean costs microseconds)."""
    return bool(np.count_nonzero(marked) >= MOSTLY * len(marked))


def _quotes_in_context(labelled: list[Labelled], settings: Settings) -> list[Labelled]:
    """A quotation next to copied prose on both sides is part of that copy."""
    prose = [x.segment for x in labelled if x.kind == "prose" and x.segment.found != LOOSE]
    if not prose:
        return labelled
    near = settings.context_words

    def close(s: Segment) -> bool:
        return any(
            s.a_first - p.a_stop <= near and p.a_first - s.a_stop <= near
            and s.b_first - p.b_stop <= near and p.b_first - s.b_stop <= near
            for p in prose
        )

    return [Labelled(x.segment, "prose") if x.kind == "quote" and close(x.segment) else x for x in labelled]


def marked_ranges(tokens: Tokens, mask: np.ndarray) -> list[tuple[int, int]]:
    """Character ranges of one text from the first to the last word of each run of marked words."""
    if not mask.any():
        return []
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    first, stop = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(tokens.starts[first].tolist(), tokens.ends[stop - 1].tolist()))


def template_characters(words: TokenBatch, rows: np.ndarray, width: int) -> dict[int, int]:
    """Per article, the characters its boilerplate covers, from the first to the
    last word of each run of words under its boilerplate shingles, for every
    article of ``words`` at once.

    ``rows`` are ``(article, word)`` of boilerplate shingles, sorted.
    """
    if len(rows) == 0:
        return {}
    doc, first = rows[:, 0], rows[:, 1]
    base = words.bounds[doc]
    stop = np.minimum(first + width, words.bounds[doc + 1] - base)
    new_run = np.ones(len(rows), dtype=bool)
    new_run[1:] = (doc[1:] != doc[:-1]) | (first[1:] > stop[:-1])
    begins = np.flatnonzero(new_run)
    last = np.append(begins[1:], len(rows)) - 1
    chars = (words.ends[base[last] + stop[last] - 1].astype(np.int64)
             - words.starts[base[begins] + first[begins]].astype(np.int64))
    docs, at = np.unique(doc[begins], return_index=True)
    return dict(zip(docs.tolist(), np.add.reduceat(chars, at).tolist()))
