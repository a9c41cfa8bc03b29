"""The compiled kernels give what their numpy references give, bit for bit."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from dedup import kernels, quotes
from dedup.align import MAX_REPEATS, Grams, _chain, anchors, near_seed
from dedup.ingest import load
from dedup.report import to_dict
from dedup.scan import scan
from dedup.passages import fingerprints
from dedup.settings import Settings
from dedup.text import _LENGTH_MIX, _POWERS, PRIME, TokenBatch, _tables, _words, tokenize_batch


@pytest.fixture(autouse=True)
def compiled() -> None:
    """The kernels must be built here; under CI their absence is a failure."""
    if kernels.AVAILABLE:
        return
    message = "dedup._kernels is not built (pip install -e . with a C compiler)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must build it")
    pytest.skip(message)


# letters, accents, digits with the marks that join figures, quotation marks,
# apostrophes, line breaks and indents, an astral letter and a lone surrogate
PIECES = list("aZé1 9,./'\"“”„«»‟‘’‚-\n\t\r") + ["\n\n", "\n  ", "\n \n", "𝐀", "🚀", "\ud800", "\xa0", "ǅ", "ß"]
texts = st.lists(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), min_size=1, max_size=4)


def codes_of(batch: list[str]) -> tuple[np.ndarray, np.ndarray]:
    joined = "\n".join(batch)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.zeros(len(batch) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(t) + 1 for t in batch])
    return codes, starts


@settings(max_examples=400, deadline=None)
@given(texts)
def test_words_equal_the_numpy_tokenizer(batch):
    cls, fold = _tables()
    codes, _ = codes_of(batch)
    expected = _words(codes, cls, fold, _POWERS, _LENGTH_MIX)
    got = kernels.words(codes, cls, fold, _POWERS, _LENGTH_MIX)
    for e, g in zip(expected, got):
        assert e.dtype == g.dtype and e.tolist() == g.tolist()


@settings(max_examples=400, deadline=None)
@given(texts)
@example(['He said "no\r\n\r\nmore" and\n\nthen'])  # a blank line with a carriage return ends a paragraph
@example(["  'Quoted,' wire copy\n    hard-wrapped \"and\n\tindented"])
def test_quotations_equal_the_regions_of_each_text(batch):
    codes, starts = codes_of(batch)
    expected = [(s + at, e + at) for text, at in zip(batch, starts.tolist()) for s, e in quotes.regions(text)]
    assert kernels.quotations(codes, starts) == expected


def test_long_words_and_figures_hash_alike_on_both_paths(monkeypatch):
    batch = ["x" * 200 + " 1,000,000.5 don't “say” 'so'", "", "Ünïcode ΣΑΣ 3/8"]
    fast = tokenize_batch(batch)
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    pure = tokenize_batch(batch)
    for name in ("hashes", "starts", "ends", "flags", "bounds"):
        assert getattr(fast, name).tolist() == getattr(pure, name).tolist(), name


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 4), st.booleans())
def test_anchors_equal_the_sorted_gram_join(seed, vocabulary, k, shared):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, vocabulary, rng.integers(0, 60)).astype(np.uint64)
    b = rng.integers(0, vocabulary, rng.integers(0, 60)).astype(np.uint64)
    if shared and len(a) > 4:  # a copied run inside b
        b = np.concatenate((b, a[2:], b))
    expected = anchors(Grams.of(a, k), Grams.of(b, k), k)  # Grams take the numpy path
    got = kernels.anchors(a, b, k, MAX_REPEATS, PRIME)
    assert got.tolist() == expected.tolist()


def test_words_repeated_past_the_limit_anchor_nothing():
    a = np.array([7] * 40, dtype=np.uint64)
    assert kernels.anchors(a, a, 3, MAX_REPEATS, PRIME).tolist() == []
    assert anchors(Grams.of(a, 3), Grams.of(a, 3), 3).tolist() == []


def test_a_scan_reports_the_same_with_and_without_the_kernels(samples_dir, monkeypatch):
    articles, problems = load([str(samples_dir)])

    def report() -> dict:
        data = to_dict(scan(articles, problems=problems, jobs=2))
        data["stats"].pop("seconds")
        return data

    fast = report()
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    assert report() == fast


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=6), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_winnowing_equals_the_sliding_window_of_numpy(lengths, seed, vocabulary):
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, vocabulary, sum(lengths)).astype(np.uint64)
    bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    batch = TokenBatch(hashes, np.zeros(len(hashes), np.int64), np.zeros(len(hashes), np.int64),
                       np.zeros(len(hashes), np.uint8), bounds)
    config = Settings()  # texts shorter than one passage (10 words) keep their smallest shingle
    got = fingerprints(batch, config, first_doc=5)
    kernels.AVAILABLE = False
    try:
        expected = fingerprints(batch, config, first_doc=5)
    finally:
        kernels.AVAILABLE = True
    for name in ("hashes", "docs", "positions"):
        e, g = getattr(expected, name), getattr(got, name)
        assert e.dtype == g.dtype and e.tolist() == g.tolist(), name


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80), st.integers(3, 12)), max_size=30),
       st.integers(0, 15))
def test_chains_equal_the_python_chaining(rows, max_gap):
    runs = np.array(sorted(rows) or np.zeros((0, 3)), dtype=np.int64).reshape(-1, 3)
    got = kernels.chains(runs, max_gap)
    kernels.AVAILABLE = False
    try:
        expected = _chain(runs, max_gap)
    finally:
        kernels.AVAILABLE = True
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_seed_test_equals_the_numpy_windows(seed, vocabulary):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 70, 6)
    hashes = rng.integers(0, vocabulary, int(lengths.sum())).astype(np.uint64)
    bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    docs = rng.integers(0, 6, (40, 2))
    seeds = np.stack([rng.integers(0, np.maximum(lengths[docs[:, side]], 1)) for side in (0, 1)], axis=1)
    config = Settings()
    got = near_seed(hashes, bounds, docs, seeds, config)
    kernels.AVAILABLE = False
    try:
        expected = near_seed(hashes, bounds, docs, seeds, config)
    finally:
        kernels.AVAILABLE = True
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
