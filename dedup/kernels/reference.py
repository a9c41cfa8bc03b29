"""The reference of every kernel: numpy or plain Python, slow and obviously right.

:mod:`dedup.kernels` runs these when the compiled extension is not built (or
``DEDUP_PURE=1``); the tests hold the compiled loops to them bit for bit.
Each function takes and returns exactly what its compiled twin does.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import quotes
from ..chars import CODE_BITS, DIGIT, JOIN, LEAD, NUMBER_MARKS, UNIT, WORD
from ..hashing import MAX_REL, mix64, ngram_hashes

_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


def words(
    codes: np.ndarray, cls_table: np.ndarray, fold_at: np.ndarray, fold_codes: np.ndarray,
    powers: np.ndarray, length_mix: np.uint64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Words of the joined text ``codes``: starts, ends, folded hashes (mixed by
    :func:`~dedup.hashing.mix64`), and the class bits of each word's first character.

    Joiners (marks, invisible characters) are left out while words are found
    and belong to the character before them: a word runs from its first
    character to the next character that is not a joiner and not in it. A
    unit is a word by itself, unless the character just before it is a lead;
    digits around a number mark make one figure.
    """
    n = len(codes)
    clipped = np.minimum(codes, len(cls_table) - 1)
    cls = np.where(codes < len(cls_table), cls_table[clipped], 0).astype(np.uint8)
    real = np.flatnonzero((cls & JOIN) == 0)  # the characters words are found on
    rc, rk = codes[real], cls[real]
    digit = (rk & DIGIT) != 0
    word = (rk & WORD) != 0
    inner = np.zeros(len(real), dtype=bool)  # a figure is one word: "1,000", "7.5", "3/8"
    inner[1:-1] = np.isin(rc[1:-1], NUMBER_MARKS) & digit[:-2] & digit[2:]
    word |= inner
    unit = (rk & UNIT) != 0
    before = np.concatenate(([False], word[:-1]))
    unit_before = np.concatenate(([False], unit[:-1]))
    # a lead just before: the character before, or one of the joiners after it (in any order)
    leads = np.concatenate(([0], np.cumsum((cls & LEAD) != 0)))
    lead = leads[real] > leads[np.concatenate(([0], real[:-1]))]
    first = word & (~before | ((unit | unit_before) & ~lead))
    after = np.concatenate((first[1:], [True])) | ~np.concatenate((word[1:], [False]))
    last = word & after
    first_r, last_r = np.flatnonzero(first), np.flatnonzero(last)
    starts = real[first_r].astype(np.int64)
    nexts = np.append(real, n)[last_r + 1].astype(np.int64)  # the next character that counts
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint8)

    # every character of every word, and the folded codes it gives
    inside = np.zeros(n + 1, dtype=np.int64)
    np.add.at(inside, starts, 1)
    np.add.at(inside, nexts, -1)
    member = np.flatnonzero(np.cumsum(inside[:n]) > 0)
    word_of = np.searchsorted(starts, member, side="right") - 1
    at = fold_at[clipped[member]].astype(np.int64)
    count = fold_at[clipped[member] + 1].astype(np.int64) - at
    total = int(count.sum())
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    entries = fold_codes[np.repeat(at, count) + within].astype(np.uint64)
    owner = np.repeat(word_of, count)
    lengths = np.bincount(owner, minlength=len(starts)).astype(np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # the marks after a letter in canonical order (stable by combining class), as NFD puts them
    order = entries >> np.uint64(CODE_BITS)
    opens = order == 0
    opens[offsets[lengths > 0]] = True
    folded = (entries & np.uint64((1 << CODE_BITS) - 1))[np.lexsort((order, np.cumsum(opens)))]
    rel = np.minimum(np.arange(total, dtype=np.int64) - offsets[owner], MAX_REL - 1)
    raw = np.add.reduceat(folded * powers[rel], offsets)
    raw = raw ^ (lengths.astype(np.uint64) * length_mix)
    return starts, nexts, mix64(raw), cls[starts]


def quotations(codes: np.ndarray, text_starts: np.ndarray) -> list[tuple[int, int]]:
    """Quotation ranges of every text, in offsets of the joined ``codes`` (text
    ``i`` is ``codes[text_starts[i]:text_starts[i + 1] - 1]``): each text's
    :func:`dedup.quotes.regions`, shifted."""
    joined = codes.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    found: list[tuple[int, int]] = []
    for t in range(len(text_starts) - 1):
        at, stop = int(text_starts[t]), int(text_starts[t + 1]) - 1
        found.extend((s + at, e + at) for s, e in quotes.regions(joined[at:stop]))
    return found


MARK, WIDE, SPACE = 1, 2, 4
"""Bits of the ``kinds`` table :func:`sentences` reads: a sentence mark, one that ends a
sentence by itself (a wide mark), a space."""


def sentences(
    codes: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray, text_starts: np.ndarray,
    look: int, stop: int, closes: int,
) -> np.ndarray:
    """Each word's ``stop`` and ``closes`` bits, read from the characters between it and
    the next word of its text (offsets in the joined ``codes``; text ``i`` is
    ``codes[text_starts[i]:text_starts[i + 1] - 1]``). ``stop``: a mark right after the
    word. ``closes``: the text's last word; a wide mark in the gap, or a mark with a space
    at most ``look`` characters after it in the gap; or two line breaks in the gap."""
    n, count = len(codes), len(starts)
    if count == 0:
        return np.zeros(0, dtype=np.uint8)
    bounds = np.searchsorted(starts, text_starts)
    doc_of = np.repeat(np.arange(len(text_starts) - 1), np.diff(bounds))
    text_ends = text_starts[doc_of + 1] - 1
    kind = np.take(kinds, codes)
    gap_end = np.minimum(np.append(starts[1:], n), text_ends)  # the separator after each word
    closing = gap_end == text_ends

    def owners(places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The word whose separator holds each place, and which places lie in one."""
        owner = np.searchsorted(ends, places, side="right") - 1
        return owner, (owner >= 0) & (places < gap_end[owner])

    marks = np.flatnonzero(kind & MARK)
    owner, inside = owners(marks)
    ends_one = (kind[marks] & WIDE).astype(bool)
    for k in range(1, look + 1):
        at = marks + k
        ends_one |= (at < gap_end[owner]) & (kind[np.minimum(at, n - 1)] & SPACE).astype(bool)
    closing[owner[inside & ends_one]] = True
    breaks = np.flatnonzero(codes == 10)
    owner, inside = owners(breaks)
    closing |= np.bincount(owner[inside], minlength=count) >= 2  # a blank line
    stopping = (ends < text_ends) & (kind[np.minimum(ends, n - 1)] & MARK).astype(bool)
    bits: np.ndarray = np.where(closing, np.uint8(closes), np.uint8(0))
    bits |= np.where(stopping, np.uint8(stop), np.uint8(0))
    return bits


def winnow(
    hashes: np.ndarray, bounds: np.ndarray, n: int, w: int, prime: np.uint64, first_doc: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Winnowed fingerprints of every text of a batch: ``(hashes, docs, positions)``.

    A passage is ``w`` consecutive shingles of ``n`` words; each keeps its
    smallest shingle hash, and a minimum shared by neighbouring passages is
    kept once. Texts shorter than one passage keep their smallest shingle.
    """
    docs_count = len(bounds) - 1
    doc_of = np.repeat(np.arange(docs_count, dtype=np.int64), np.diff(bounds))
    sh = ngram_hashes(hashes, n, prime)
    if len(sh) == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int32)
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
    return sh[picked], docs + first_doc, (picked - bounds[docs]).astype(np.int32)


def _sorted_grams(hashes: np.ndarray, k: int, prime: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    grams = ngram_hashes(hashes, k, prime)
    order = np.argsort(grams, kind="stable")
    return grams[order], order.astype(np.int64)


def anchors(a: np.ndarray, b: np.ndarray, k: int, max_repeats: int, prime: np.uint64) -> np.ndarray:
    """Maximal runs of ``k`` or more identical words: rows ``(a_first, b_first, length)``,
    sorted by ``a_first`` then ``b_first``; a k-gram found more than
    ``max_repeats`` times in ``b`` anchors nothing."""
    ga, pa = _sorted_grams(a, k, prime)
    gb, pb = _sorted_grams(b, k, prime)
    if len(ga) == 0 or len(gb) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    lo = np.searchsorted(gb, ga, side="left")
    hi = np.searchsorted(gb, ga, side="right")
    counts = hi - lo
    counts[counts > max_repeats] = 0
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 3), dtype=np.int64)
    ia = np.repeat(pa, counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    jb = pb[np.repeat(lo, counts) + within]
    diag = jb - ia
    srt = np.lexsort((ia, diag))
    ia, jb, diag = ia[srt], jb[srt], diag[srt]
    new_run = np.ones(len(ia), dtype=bool)
    new_run[1:] = (diag[1:] != diag[:-1]) | (ia[1:] != ia[:-1] + 1)
    run_id = np.cumsum(new_run) - 1
    firsts = np.flatnonzero(new_run)
    lengths = np.bincount(run_id) + k - 1
    runs = np.stack((ia[firsts], jb[firsts], lengths), axis=1)
    return runs[np.lexsort((runs[:, 1], runs[:, 0]))]


Anchor = tuple[int, int, int]


def chains(runs: np.ndarray, max_gap: int) -> list[list[Anchor]]:
    """Anchors ``(a_first, b_first, length)``, sorted by ``a_first``, grouped into
    chains that run in order on both sides with at most ``max_gap`` words
    between them (each anchor joins the open chain it extends most cheaply),
    each chain trimmed (:func:`trim`)."""
    found: list[list[Anchor]] = []
    active: list[int] = []
    for a0, b0, length in runs.tolist():
        best, best_cost = -1, None
        still: list[int] = []
        for c in active:
            ca, cb, cl = found[c][-1]
            ca1, cb1 = ca + cl, cb + cl
            if ca1 < a0 - max_gap:
                continue  # too far behind to be extended again
            still.append(c)
            gap_a, gap_b = a0 - ca1, b0 - cb1
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                cost = abs(gap_a - gap_b) + max(gap_a, gap_b)
                if best_cost is None or cost < best_cost:
                    best, best_cost = c, cost
        active = still
        if best >= 0:
            found[best].append((a0, b0, length))
        else:
            found.append([(a0, b0, length)])
            active.append(len(found) - 1)
    return [trim(c) for c in found]


def _gap(x: Anchor, y: Anchor) -> int:
    return max(y[0] - x[0] - x[2], y[1] - x[1] - x[2])


def trim(chain: list[Anchor]) -> list[Anchor]:
    """Drop end anchors shorter than the gap that joins them: a few common words
    a sentence away extend a span by chance, not by copy."""
    lo, hi = 0, len(chain)
    while hi - lo > 1 and chain[lo][2] < _gap(chain[lo], chain[lo + 1]):
        lo += 1
    while hi - lo > 1 and chain[hi - 1][2] < _gap(chain[hi - 2], chain[hi - 1]):
        hi -= 1
    return chain[lo:hi]


def near_seed(
    words_a: np.ndarray, spans_a: np.ndarray, seeds_a: np.ndarray,
    words_b: np.ndarray, spans_b: np.ndarray, seeds_b: np.ndarray,
    reach: int, shingle: int, max_gap: int, k: int, min_words: int,
) -> np.ndarray:
    """Which pairs have ``min_words`` words, in the window of ``a`` around its seed,
    that belong to a run of ``k`` or more identical words in ``b``'s window on a
    diagonal at most ``max_gap`` words from the seed's. Pair ``p``'s article ``a``
    is ``words_a[spans_a[p, 0]:spans_a[p, 1]]``, its seed word ``seeds_a[p]``
    (relative to the article), and so for ``b``; outside its article, ``a``
    reads 0 and ``b`` reads 1, so they never match there."""
    if len(spans_a) == 0:
        return np.zeros(0, dtype=bool)
    offsets = np.arange(-reach, reach + shingle, dtype=np.int64)

    def window(words: np.ndarray, spans: np.ndarray, seeds: np.ndarray, shift: int, fill: int) -> np.ndarray:
        lo, hi = spans[:, 0][:, None], spans[:, 1][:, None]
        idx = lo + seeds[:, None] + offsets[None, :] + shift
        inside = (idx >= lo) & (idx < hi)
        values = words[np.clip(idx, 0, max(len(words) - 1, 0))] if len(words) else np.zeros(idx.shape, np.uint64)
        return np.where(inside, values.astype(np.uint64), np.uint64(fill))

    wa = window(words_a, spans_a, seeds_a, 0, 0)
    anchored = np.zeros(wa.shape, dtype=bool)
    for shift in range(-max_gap, max_gap + 1):
        eq = wa == window(words_b, spans_b, seeds_b, shift, 1)
        run = eq[:, : eq.shape[1] - k + 1].copy()
        for step in range(1, k):
            run &= eq[:, step : eq.shape[1] - k + 1 + step]
        for step in range(k):
            anchored[:, step : step + run.shape[1]] |= run
    return np.asarray(anchored.sum(axis=1) >= min_words)


def within_marks(quoted: np.ndarray, at: int, until: int, slack: int) -> int:
    """How far from word ``at`` towards ``until`` an extension may reach (``quoted``: whether
    each word stands inside quotation marks, 1, or not, 0): to where the words leave (or
    enter) quotation marks, and past that only ``slack`` words (an attribution)."""
    n = len(quoted)
    if not 0 <= at < n:
        return max(0, min(until, n))
    if until > at:  # the (slack + 1)-th word across the marks, or until
        stop = min(until, n)
        across = np.flatnonzero(quoted[at + 1 : stop] != quoted[at])
        return at + 1 + int(across[slack]) if len(across) > slack else stop
    stop = max(until + 1, 0)
    across = np.flatnonzero(quoted[stop:at] != quoted[at])
    return stop + int(across[-1 - slack]) + 1 if len(across) > slack else stop


def _in_order(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> list[Anchor]:
    """Words of ``xs`` found in ``ys`` with the same stem, in order on both sides (greedy)."""
    found: list[Anchor] = []
    at = 0
    for i, key in xs:
        for n in range(at, len(ys)):
            if ys[n][1] == key:
                found.append((i, ys[n][0], 1))
                at = n + 1
                break
    return found


def extend(
    chain: np.ndarray, at_a: np.ndarray, stems_a: np.ndarray, quoted_a: np.ndarray,
    at_b: np.ndarray, stems_b: np.ndarray, quoted_b: np.ndarray,
    reach: int, near: bool, near_words: int, gap_matches: int, extend_score: float, slack: int,
) -> list[Anchor]:
    """The anchors ``chain`` (rows ``(a_first, b_first, length)``) with the content words
    shared in order just before and after them as one-word anchors, a window of ``reach``
    words (kept to one side of the quotation marks, :func:`within_marks`) at a time, at most
    eight each way. Content word ``k`` of ``a`` is word ``at_a[k]``, of stem ``stems_a[k]``
    (ascending positions), and so for ``b``. The words found in a window are kept while
    at least ``gap_matches`` of them make ``extend_score`` of the content words passed on
    both sides (the last ones dropped until they do), or, with ``near``, one alone at most
    ``near_words`` words from the chain on both sides."""
    if len(chain) == 0:
        return []
    pa, ka, pb, kb = at_a, stems_a, at_b, stems_b

    def content(at: np.ndarray, keys: np.ndarray, first: int, stop: int) -> list[tuple[int, int]]:
        lo, hi = at.searchsorted((first, stop)).tolist()
        return list(zip(at[lo:hi].tolist(), keys[lo:hi].tolist()))

    def enough(found: list[Anchor], a: int, b: int, start: tuple[int, int]) -> bool:
        if len(found) == 1 and near:
            return abs(found[0][0] - start[0]) <= near_words and abs(found[0][1] - start[1]) <= near_words
        return len(found) >= gap_matches and 2 * len(found) >= extend_score * (a + b)

    out: list[Anchor] = [(int(x), int(y), int(n)) for x, y, n in chain.tolist()]
    for _ in range(8):  # forward, a window at a time
        last = out[-1]
        a1, b1 = last[0] + last[2], last[1] + last[2]
        xs = content(pa, ka, a1, within_marks(quoted_a, a1 - 1, a1 + reach, slack))
        ys = content(pb, kb, b1, within_marks(quoted_b, b1 - 1, b1 + reach, slack))
        found = _in_order(xs, ys)
        xi, yj = [i for i, _ in xs], [j for j, _ in ys]
        while found and not enough(found, bisect_right(xi, found[-1][0]), bisect_right(yj, found[-1][1]), (a1, b1)):
            found.pop()
        if not found:
            break
        out.extend(found)
    for _ in range(8):  # backward
        a0, b0 = out[0][0], out[0][1]
        xs = content(pa, ka, within_marks(quoted_a, a0, a0 - reach, slack), a0)[::-1]
        ys = content(pb, kb, within_marks(quoted_b, b0, b0 - reach, slack), b0)[::-1]
        found = _in_order(xs, ys)
        xi, yj = [-i for i, _ in xs], [-j for j, _ in ys]  # xs and ys run backward: their words fall
        while found and not enough(found, bisect_right(xi, -found[-1][0]), bisect_right(yj, -found[-1][1]),
                                   (a0 - 1, b0 - 1)):
            found.pop()
        if not found:
            break
        out[:0] = found[::-1]
    return out


def furniture(marked: np.ndarray, flags: np.ndarray, closes: int, reach: int) -> np.ndarray:
    """The words of marked runs (``marked``, bool) widened, at each edge of a run, to the
    edge of the sentence the run begins or ends in when that edge is at most ``reach``
    words away; a word ends a sentence where its ``flags`` hold the bit ``closes``."""
    n = len(marked)
    if not marked.any() or reach <= 0:
        return np.array(marked, dtype=bool)
    ends_sentence = (flags & closes).astype(bool)
    sentence = np.concatenate(([0], np.cumsum(ends_sentence[:-1])))  # each word's sentence, counted from 0
    first_of = np.flatnonzero(np.concatenate(([True], ends_sentence[:-1])))  # first word of each sentence
    stop_of = np.append(np.flatnonzero(ends_sentence) + 1, n)[: len(first_of)]  # and the word after its last
    edges = np.diff(np.concatenate(([0], marked.astype(np.int8), [0])))
    begins, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    head = first_of[sentence[begins]]
    tail = stop_of[sentence[ends - 1]]
    delta = np.zeros(n + 1, dtype=np.int64)
    back = begins - head <= reach
    np.add.at(delta, head[back], 1)
    np.add.at(delta, begins[back], -1)
    on = tail - ends <= reach
    np.add.at(delta, ends[on], 1)
    np.add.at(delta, tail[on], -1)
    return np.asarray(marked | (np.cumsum(delta[:n]) > 0))


def sentence_edges(
    hashes_a: np.ndarray, flags_a: np.ndarray, hashes_b: np.ndarray, flags_b: np.ndarray,
    a_lo: int, a0: int, a1: int, a_hi: int, b_lo: int, b0: int, b1: int, b_hi: int,
    reach: int, max_gap: int, closes: int,
) -> tuple[Anchor | None, Anchor | None]:
    """The runs that open and close the sentences a chain (words ``a0:a1`` of ``a``,
    ``b0:b1`` of ``b``) starts and stops in, where the same on both sides: the words
    shared from the sentence's first word (to its last), after (before) at most
    ``max_gap`` others, the sentence looked for at most ``reach`` words away and within
    ``a_lo:a_hi`` and ``b_lo:b_hi``; a word ends a sentence where its flags hold
    ``closes``. None for an edge the chain holds already or that is not the same."""
    return (_opening((hashes_a, flags_a, a_lo, a0), (hashes_b, flags_b, b_lo, b0), reach, max_gap, closes),
            _closing((hashes_a, flags_a, a1, a_hi), (hashes_b, flags_b, b1, b_hi), reach, max_gap, closes))


def _closing(a: tuple[np.ndarray, np.ndarray, int, int], b: tuple[np.ndarray, np.ndarray, int, int],
             reach: int, max_gap: int, closes: int) -> Anchor | None:
    ends = []
    for _, flags, at, hi in (a, b):
        if at == 0 or at >= hi or flags[at - 1] & closes:
            return None  # the chain ends its sentence (or its body) already
        closing = np.flatnonzero(flags[at : min(hi, at + reach)] & closes)
        if len(closing):
            ends.append(at + int(closing[0]) + 1)
        elif hi <= at + reach:
            ends.append(hi)  # the body's last words close it
        else:
            return None
    ea, eb = ends
    a1, b1 = a[2], b[2]
    run = _common_start(a[0][a1:ea][::-1], b[0][b1:eb][::-1])
    if run == 0 or ea - run - a1 > max_gap or eb - run - b1 > max_gap:
        return None
    return ea - run, eb - run, run


def _opening(a: tuple[np.ndarray, np.ndarray, int, int], b: tuple[np.ndarray, np.ndarray, int, int],
             reach: int, max_gap: int, closes: int) -> Anchor | None:
    opens = []
    for _, flags, lo, at in (a, b):
        if at <= lo or flags[at - 1] & closes:
            return None  # the chain opens its sentence (or its body) already
        first = max(lo, at - reach - 1)
        closing = np.flatnonzero(flags[first : at - 1] & closes)
        if len(closing):
            opens.append(first + int(closing[-1]) + 1)
        elif first == lo:
            opens.append(lo)  # the body's first words open it
        else:
            return None
    sa, sb = opens
    a0, b0 = a[3], b[3]
    run = _common_start(a[0][sa:a0], b[0][sb:b0])
    if run == 0 or a0 - sa - run > max_gap or b0 - sb - run > max_gap:
        return None
    return sa, sb, run


def _common_start(x: np.ndarray, y: np.ndarray) -> int:
    """How many words ``x`` and ``y`` share from their start."""
    n = min(len(x), len(y))
    differ = np.flatnonzero(x[:n] != y[:n])
    return int(differ[0]) if len(differ) else n


def lookup(keys: np.ndarray, values: np.ndarray, hashes: np.ndarray, missing: float) -> np.ndarray:
    """``values[k]`` for each hash that is ``keys[k]`` (``keys`` sorted), ``missing`` for the others."""
    at = np.minimum(np.searchsorted(keys, hashes), max(len(keys) - 1, 0))
    known = keys[at] == hashes if len(keys) else np.zeros(len(hashes), dtype=bool)
    return np.where(known, values[at] if len(values) else 0.0, missing).astype(np.float64)


def cover(positions: np.ndarray, width: int, length: int) -> np.ndarray:
    """Mask of the ``length`` words covered by shingles of ``width`` words starting at ``positions`` (none below 0)."""
    mask = np.zeros(length, dtype=bool)
    if len(positions):
        words = (np.asarray(positions, dtype=np.int64)[:, None] + np.arange(width)).ravel()
        mask[words[words < length]] = True
    return mask


def stem_entries(hashes: np.ndarray, at: np.ndarray, table: np.ndarray, shift: int, more: np.ndarray,
                 more_entries: np.ndarray, empty: int) -> np.ndarray:
    """The entry of each word ``at`` by its hash (:class:`dedup.bridges._Stems`), ``empty`` where
    none is held: its slot (row ``hash >> shift`` of ``table``: a hash, signed, and its entry),
    else the sorted overflow ``more`` (entries ``more_entries``)."""
    signed = hashes[at].view(np.int64)
    rows = table[(hashes[at] >> np.uint64(shift)).astype(np.intp)]
    entries = rows[:, 1].copy()
    missing = np.flatnonzero((rows[:, 0] != signed) | (entries == empty))
    entries[missing] = empty
    if len(missing) and len(more):
        where = np.minimum(np.searchsorted(more, signed[missing]), len(more) - 1)
        there = more[where] == signed[missing]
        entries[missing[there]] = more_entries[where[there]]
    out: np.ndarray = entries.astype(np.int64)
    return out
