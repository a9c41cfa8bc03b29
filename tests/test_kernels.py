"""The compiled kernels give what their numpy references give, bit for bit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedup import kernels, quotes
from dedup.align import MAX_REPEATS
from dedup.bridges import EXTEND_SCORE, GAP_MATCHES, NEAR, SLACK
from dedup.chars import tables
from dedup.hashing import LENGTH_MIX, POWERS, PRIME
from dedup.kernels import reference
from dedup.settings import Settings
from dedup.text import CLOSES, STOP, sentence_table

import requires
from profiles import examples


@pytest.fixture(autouse=True)
def compiled() -> None:
    """The kernels must be built here (pip install -e . with a C compiler)."""
    if not kernels.AVAILABLE:
        requires.unavailable("dedup.kernels._compiled is not built (pip install -e . with a C compiler)")


# letters, accents, digits with the marks that join figures, quotation marks,
# apostrophes, line breaks and indents, an astral letter and a lone surrogate;
# combining and spacing marks, invisible characters, look-alikes, units
# (Han, kana, Thai) and characters that fold to several
PIECES = list("aZé1 9,./'\"“”„«»‟‘’‚‹›「」『』＂-\n\t\r") + [
    "\n\n", "\n  ", "\n \n", "𝐀", "🚀", "\ud800", "\xa0", "ǅ", "ß", "\u0301", "\u093f", "\u200b", "\u00ad",
    "\ufeff", "\u2060", "а", "Ν", "中", "ｶ", "ﾞ", "ー", "ก", "\u0e34", "ﬁ", "한", "٣", "ـ", "𠀀", "\U000323af",
    "เ", "า", "ำ", "\u0e4d", "ក", "\u17d2", "\u3099"]
texts = st.lists(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), min_size=1, max_size=4)


def codes_of(batch: list[str]) -> tuple[np.ndarray, np.ndarray]:
    joined = "\n".join(batch)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.zeros(len(batch) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(t) + 1 for t in batch])
    return codes, starts


@settings(max_examples=examples(400), deadline=None)
@given(texts)
@example(["Ca\u0301\u0323fe\u0323\u0301 x,y 1,5 ne\u0301e ", "A\u0301B"])  # ASCII letters before and after held marks
@example(["ab12,345.6x 7/8", "Z" * 70 + "9,1", "aเb เa 中a a中"])  # runs of ASCII: figures, past MAX_REL, by units
def test_words_equal_the_numpy_tokenizer(batch):
    cls, at, folded = tables()
    codes, _ = codes_of(batch)
    expected = reference.words(codes, cls, at, folded, POWERS, LENGTH_MIX)
    got = kernels.words(codes, cls, at, folded, POWERS, LENGTH_MIX)
    for e, g in zip(expected, got):
        assert e.dtype == g.dtype and e.tolist() == g.tolist()


@settings(max_examples=examples(400), deadline=None)
@given(texts)
@example(['He said "no\r\n\r\nmore" and\n\nthen'])  # a blank line with a carriage return ends a paragraph
@example(["  'Quoted,' wire copy\n    hard-wrapped \"and\n\tindented"])
@example(['"one\n\n  two "three\n \n\n\tfour', "'five\nsix"])  # the break after a blank line, indented
def test_quotations_equal_the_regions_of_each_text(batch):
    codes, starts = codes_of(batch)
    expected = [(s + at, e + at) for text, at in zip(batch, starts.tolist()) for s, e in quotes.regions(text)]
    assert reference.quotations(codes, starts) == expected
    assert kernels.quotations(codes, starts) == expected


SENTENCE_PIECES = [*PIECES, "!", "?", "…", "。", "！", ")", "  ", "\r\n", "\u3000", "\u0964"]


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=40).map("".join), min_size=1, max_size=4),
       st.integers(0, 5))
@example(["He said.\")  Then", "", "end. "], 4)  # a mark, closing marks, then a space; an empty text
def test_sentence_bits_equal_the_numpy_gaps(batch, look):
    cls, at, folded = tables()
    codes, text_starts = codes_of(batch)
    starts, ends, _, _ = reference.words(codes, cls, at, folded, POWERS, LENGTH_MIX)
    args = (codes, sentence_table(), starts, ends, text_starts, look, STOP, CLOSES)
    expected, got = reference.sentences(*args), kernels.sentences(*args)
    assert got.dtype == expected.dtype == np.uint8 and got.tolist() == expected.tolist()


def pure(code: str) -> str:
    """What ``code`` prints in a fresh interpreter that runs the references (``DEDUP_PURE=1``)."""
    done = subprocess.run([sys.executable, "-c", "import dedup.kernels as k; assert not k.AVAILABLE\n" + code],
                          capture_output=True, text=True, env={**os.environ, "DEDUP_PURE": "1"}, check=True)
    return done.stdout


def test_long_words_and_figures_hash_alike_on_both_paths():
    from dedup.text import tokenize_batch

    batch = ["x" * 200 + " 1,000,000.5 don't “say” 'so'", "", "Ünïcode ΣΑΣ 3/8",
             "北京「報道」によると、ภาษาไทย ca\u0301fe\u0301 wo\u200brd 1\u200b,000 ﬁnal ｶﾞ 𝐁𝐨𝐥𝐝"]
    fast = tokenize_batch(batch)
    got = json.loads(pure(f"import json; from dedup.text import tokenize_batch; b = tokenize_batch({batch!r}); "
                          "print(json.dumps({n: getattr(b, n).tolist() for n in "
                          "('hashes', 'starts', 'ends', 'flags', 'bounds')}))"))
    for name in ("hashes", "starts", "ends", "flags", "bounds"):
        assert getattr(fast, name).tolist() == got[name], name


@settings(max_examples=examples(400), deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 4), st.booleans())
def test_anchors_equal_the_sorted_gram_join(seed, vocabulary, k, shared):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, vocabulary, rng.integers(0, 60)).astype(np.uint64)
    b = rng.integers(0, vocabulary, rng.integers(0, 60)).astype(np.uint64)
    if shared and len(a) > 4:  # a copied run inside b
        b = np.concatenate((b, a[2:], b))
    expected = reference.anchors(a, b, k, MAX_REPEATS, PRIME)
    got = kernels.anchors(a, b, k, MAX_REPEATS, PRIME)
    assert got.tolist() == expected.tolist()


def test_words_repeated_past_the_limit_anchor_nothing():
    a = np.array([7] * 40, dtype=np.uint64)
    assert kernels.anchors(a, a, 3, MAX_REPEATS, PRIME).tolist() == []
    assert reference.anchors(a, a, 3, MAX_REPEATS, PRIME).tolist() == []


def test_a_scan_reports_the_same_with_and_without_the_kernels(samples_dir):
    code = ("import json; from dedup import load, scan; from dedup.report import to_dict; "
            f"a, p = load([{str(samples_dir)!r}]); d = to_dict(scan(a, problems=p, jobs=2)); "
            "d['stats'].pop('seconds'); print(json.dumps(d))")
    fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(pure(code)) == json.loads(fast)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=6), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_winnowing_equals_the_sliding_window_of_numpy(lengths, seed, vocabulary):
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, vocabulary, sum(lengths)).astype(np.uint64)
    bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    config = Settings()  # texts shorter than one passage (10 words) keep their smallest shingle
    got = kernels.winnow(hashes, bounds, config.shingle, config.window, PRIME, 5)
    expected = reference.winnow(hashes, bounds, config.shingle, config.window, PRIME, 5)
    for e, g in zip(expected, got):
        assert e.dtype == g.dtype and e.tolist() == g.tolist()


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80), st.integers(3, 12)), max_size=30),
       st.integers(0, 15))
def test_chains_equal_the_python_chaining(rows, max_gap):
    runs = np.array(sorted(rows) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3)
    assert kernels.chains(runs, max_gap) == reference.chains(runs, max_gap)


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.sampled_from([np.uint64, np.uint16]))
def test_seed_test_equals_the_numpy_windows(seed, vocabulary, dtype):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 70, 6)
    words = rng.integers(0, vocabulary, int(lengths.sum())).astype(dtype)
    bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    docs = rng.integers(0, 6, (40, 2))
    spans = [np.ascontiguousarray(np.stack((bounds[docs[:, k]], bounds[docs[:, k] + 1]), axis=1)) for k in (0, 1)]
    seeds = [rng.integers(0, np.maximum(lengths[docs[:, k]], 1)).astype(np.int64) for k in (0, 1)]
    c = Settings()
    args = (words, spans[0], seeds[0], words, spans[1], seeds[1], c.max_gap + c.min_words, c.shingle, c.max_gap,
            c.min_block, c.min_words)
    got, expected = kernels.near_seed(*args), reference.near_seed(*args)
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()


def _content_side(rng: np.random.Generator, words: int, vocabulary: int) -> tuple[np.ndarray, ...]:
    """A text of ``words`` words as the extension reads it: its content words (about half
    of the words), their stems, and quotation marks around runs of words."""
    at = np.flatnonzero(rng.random(words) < 0.5).astype(np.int64)
    stems = rng.integers(0, vocabulary, len(at)).astype(np.int64)
    quoted = (np.cumsum(rng.random(words) < 0.15) % 2).astype(np.uint8)
    return at, stems, quoted


@settings(max_examples=examples(400), deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 8), st.integers(1, 90), st.integers(1, 90), st.integers(0, 16),
       st.booleans(), st.integers(0, 4), st.integers(1, 3), st.sampled_from([0.3, 0.5, 0.8]), st.integers(0, 4))
@example(1, 2, 40, 40, 12, True, NEAR, GAP_MATCHES, EXTEND_SCORE, SLACK)  # the settings bridges run
@example(7, 1, 30, 30, 0, True, NEAR, GAP_MATCHES, EXTEND_SCORE, SLACK)  # no reach: nothing to walk
def test_extensions_equal_the_greedy_python_walk(seed, vocabulary, na, nb, reach, near, near_words, gap_matches,
                                                 extend_score, slack):
    rng = np.random.default_rng(seed)
    side_a, side_b = _content_side(rng, na, vocabulary), _content_side(rng, nb, vocabulary)
    if rng.random() < 0.5 and min(len(side_a[1]), len(side_b[1])):  # b's content words follow a's
        shared = min(len(side_a[1]), len(side_b[1]))
        side_b[1][:shared] = side_a[1][:shared]
    anchors = []
    x, y = int(rng.integers(0, na)), int(rng.integers(0, nb))
    for _ in range(int(rng.integers(1, 4))):  # a chain in order on both sides, inside both texts
        length = int(rng.integers(1, 5))
        if x + length > na or y + length > nb:
            break
        anchors.append((x, y, length))
        x, y = x + length + int(rng.integers(0, 4)), y + length + int(rng.integers(0, 4))
    chain = np.array(anchors, dtype=np.int64).reshape(-1, 3)
    args = (chain, *side_a, *side_b, reach, near, near_words, gap_matches, extend_score, slack)
    assert kernels.extend(*args) == reference.extend(*args)


def test_an_extension_reaches_past_its_chain_on_both_paths():
    at = np.arange(10, dtype=np.int64)
    stems = np.arange(10, dtype=np.int64)
    quoted = np.zeros(10, dtype=np.uint8)
    chain = np.array([[3, 3, 2]], dtype=np.int64)
    args = (chain, at, stems, quoted, at, stems, quoted, 3, True, NEAR, GAP_MATCHES, EXTEND_SCORE, SLACK)
    expected = [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 2), (5, 5, 1), (6, 6, 1), (7, 7, 1), (8, 8, 1), (9, 9, 1)]
    assert reference.extend(*args) == expected
    assert kernels.extend(*args) == expected


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 255)), max_size=60), st.integers(-1, 6))
@example([(True, True, 0), (False, False, 0), (False, True, 0), (True, False, 0)], 2)  # runs at both edges
def test_furniture_equals_the_numpy_sentence_edges(words, reach):
    marked = np.array([m for m, _, _ in words], dtype=bool)
    flags = np.array([(CLOSES if c else 0) | (other & ~CLOSES) for _, c, other in words], dtype=np.uint8)
    got, expected = kernels.furniture(marked, flags, CLOSES, reach), reference.furniture(marked, flags, CLOSES, reach)
    assert got.dtype == expected.dtype == np.bool_ and got.tolist() == expected.tolist()


def test_furniture_takes_the_rest_of_a_sentence_a_run_opens_and_closes():
    # words: 0 1 2. | 3 4 [5 6] 7. | 8 9 10 11 12 13 14. (a run of 5-6; sentence 3..7)
    marked = np.zeros(15, dtype=bool)
    marked[5:7] = True
    flags = np.zeros(15, dtype=np.uint8)
    flags[[2, 7, 14]] = CLOSES
    for furniture in (kernels.furniture, reference.furniture):
        assert np.flatnonzero(furniture(marked, flags, CLOSES, 2)).tolist() == [3, 4, 5, 6, 7]
        assert np.flatnonzero(furniture(marked, flags, CLOSES, 1)).tolist() == [5, 6, 7]  # two back is too far
        assert np.flatnonzero(furniture(marked, flags, CLOSES, 0)).tolist() == [5, 6]


@settings(max_examples=examples(400), deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 40), st.integers(2, 40), st.integers(0, 6))
@example(3, 1, 20, 20, 4)  # one word everywhere: every run is as long as the sentence allows
def test_sentence_edges_equal_the_numpy_walk(seed, vocabulary, na, nb, max_gap):
    rng = np.random.default_rng(seed)
    sides = []
    for n in (na, nb):
        hashes = rng.integers(0, vocabulary, n).astype(np.uint64)
        flags = np.where(rng.random(n) < 0.2, CLOSES, 0).astype(np.uint8) | rng.integers(0, 4, n).astype(np.uint8)
        lo, hi = sorted(rng.integers(0, n + 1, 2).tolist())
        start = int(rng.integers(lo, hi + 1))
        stop = int(rng.integers(start, hi + 1))
        sides.append((hashes, flags, lo, start, stop, hi))
    (ha, fa, *edges_a), (hb, fb, *edges_b) = sides
    args = (ha, fa, hb, fb, *edges_a, *edges_b, 2 * max_gap, max_gap, CLOSES)
    assert kernels.sentence_edges(*args) == reference.sentence_edges(*args)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30, unique=True), st.lists(st.integers(0, 45), max_size=50))
@example([], [1, 2])  # nothing known: every word is missing
@example([0, 2**64 - 1], [0, 2**64 - 1, 5])  # the first and the last key
def test_lookup_equals_the_numpy_searchsorted(keys, hashes):
    table = np.array(sorted(keys), dtype=np.uint64)
    values = np.arange(len(table), dtype=np.float64) / 3 + 0.5
    words = np.array(hashes, dtype=np.uint64)
    got, expected = kernels.lookup(table, values, words, 7.25), reference.lookup(table, values, words, 7.25)
    assert got.dtype == expected.dtype == np.float64 and got.tolist() == expected.tolist()
    assert [v for h, v in zip(hashes, got.tolist()) if h not in keys] == [7.25] * sum(h not in keys for h in hashes)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.integers(0, 60), max_size=20), st.integers(1, 8), st.integers(0, 50), st.booleans())
def test_cover_equals_the_numpy_shingle_words(positions, width, length, strided):
    rows = np.array([[7, p] for p in positions], dtype=np.int64).reshape(-1, 2)
    at = rows[:, 1] if strided else np.ascontiguousarray(rows[:, 1])  # a column of the flag table, or a copy
    got, expected = kernels.cover(at, width, length), reference.cover(at, width, length)
    assert got.dtype == expected.dtype == np.bool_ and got.tolist() == expected.tolist()


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=40, unique=True), st.integers(1, 4), st.data())
@example([], 1, None)  # an empty table: every word is missing
def test_stem_entries_equal_the_numpy_slots_and_overflow(known, bits, data):
    words = np.array(known, dtype=np.uint64)
    shift = 64 - bits
    slots = (words >> np.uint64(shift)).astype(np.intp)
    _, first = np.unique(slots, return_index=True)
    table = np.zeros((1 << bits, 2), dtype=np.int64)
    table[:, 1] = -2
    table[slots[first]] = np.stack((words.view(np.int64)[first], np.arange(len(first)) * 2 + 1), axis=1)
    rest = np.setdiff1d(np.arange(len(words)), first)
    more = np.sort(words.view(np.int64)[rest])
    more_entries = np.arange(len(more), dtype=np.int64) * 4
    others = [0, 2**63, 2**64 - 1] if data is None else data.draw(st.lists(st.integers(0, 2**64 - 1), max_size=10))
    hashes = np.array(known + others, dtype=np.uint64)
    at = np.arange(len(hashes), dtype=np.int64)
    if data is not None:
        at = np.array(data.draw(st.lists(st.integers(0, max(len(hashes) - 1, 0)), max_size=30)) if len(hashes) else [],
                      dtype=np.int64)
    got = kernels.stem_entries(hashes, at, table, shift, more, more_entries, -2)
    expected = reference.stem_entries(hashes, at, table, shift, more, more_entries, -2)
    assert got.dtype == expected.dtype == np.int64 and got.tolist() == expected.tolist()
    held = dict(zip(words.view(np.int64)[first].tolist(), (np.arange(len(first)) * 2 + 1).tolist()))
    held.update(zip(more.tolist(), more_entries.tolist()))
    assert got.tolist() == [held.get(int(hashes.view(np.int64)[k]), -2) for k in at.tolist()]
