"""The test before alignment: what it leaves out, and that what it leaves out could not be reported."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_chance import chance_of, corpus

from dedup import sift
from dedup.align import Windows
from dedup.pairs import Side, align_sides, reported
from dedup.passages import read_texts
from dedup.settings import Settings
from dedup.sift import DROPPED, around_seed, dropped, heaviest, longest_run

from profiles import examples

S = Settings()


@hsettings(max_examples=examples(200), deadline=None)
@given(run=st.integers(1, 60), before=st.integers(0, 30), after=st.integers(0, 30), seed=st.integers(0, 10**6))
def test_a_pair_sharing_n_fingerprints_holds_no_run_longer_than_longest_run_says(run, before, after, seed):
    """The bound the chance pre-test rests on: two texts sharing one run of ``run`` words
    (and nothing else) share at least as many fingerprints as that run guarantees."""
    rng = random.Random(seed)
    shared = [f"w{rng.randrange(10**9)}" for _ in range(run)]
    a = [f"a{k}" for k in range(before)] + shared + [f"a{k}" for k in range(before, before + after)]
    b = [f"b{k}" for k in range(after)] + shared + [f"b{k}" for k in range(after, after + before)]
    _, fp = read_texts([" ".join(a), " ".join(b)], S)
    common = np.intersect1d(fp.hashes[fp.docs == 0], fp.hashes[fp.docs == 1])
    assert run <= longest_run(np.array([len(common)]), S)[0]


def test_dropped_counts_each_reason():
    assert dropped(np.array([0, 1, 2, 2, 3, 0], dtype=np.int8)) == dict(zip(DROPPED, [1, 2, 1]))


@hsettings(max_examples=examples(100), deadline=None)
@given(sizes=st.lists(st.integers(0, 30), min_size=1, max_size=6), length=st.integers(1, 12), data=st.data())
def test_heaviest_is_the_heaviest_window_of_each_article(sizes, length, data):
    chance = chance_of(corpus(40))
    known = chance.vocabulary  # words the corpus weighs, and one it never saw (the last)
    pick = data.draw(st.lists(st.integers(0, len(known)), min_size=sum(sizes), max_size=sum(sizes)))
    words = np.array([int(known[k]) if k < len(known) else 12345 for k in pick], dtype=np.uint64)
    bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    docs = np.array(data.draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=8)), dtype=np.int64)
    w = Windows.of(words, bounds, docs, np.zeros(len(docs), dtype=np.int64))
    bits = chance.weigh(words)

    lengths = np.array([length + 3 * (k % 2) for k in range(len(docs))])  # two lengths at once

    def brute(d: int, length: int) -> float:
        mine = bits[bounds[d]:bounds[d + 1]]
        if len(mine) < length:
            return float(mine.sum())
        return max(float(mine[i:i + length].sum()) for i in range(len(mine) - length + 1))

    want = [brute(d, n) for d, n in zip(docs.tolist(), lengths)]
    assert np.allclose(heaviest(w, docs, lengths, chance), want)
    monkeypatch = pytest.MonkeyPatch()
    with monkeypatch.context() as m:  # a few words at a time gives the same
        m.setattr(sift, "CHUNK_WORDS", data.draw(st.integers(1, 40)))
        assert np.allclose(heaviest(w, docs, lengths, chance), want)


@hsettings(max_examples=examples(100), deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=5), st.integers(4, 12), st.data())
def test_around_seed_is_the_heaviest_run_holding_the_seed_shingle(sizes, length, data):
    chance = chance_of(corpus(40))
    known = chance.vocabulary
    pick = data.draw(st.lists(st.integers(0, len(known)), min_size=sum(sizes), max_size=sum(sizes)))
    words = np.array([int(known[k]) if k < len(known) else 12345 for k in pick], dtype=np.uint64)
    bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    shingle = 3
    docs = [d for d in data.draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=8))
            if sizes[d] >= shingle]
    assume(docs)
    seeds = [data.draw(st.integers(0, sizes[d] - shingle)) for d in docs]
    w = Windows.of(words, bounds, np.array(docs, dtype=np.int64), np.array(seeds, dtype=np.int64))
    bits = chance.weigh(words)

    def brute(d: int, seed: int) -> float:  # every run of up to ``length`` words holding the shingle
        mine = bits[bounds[d]:bounds[d + 1]]
        return max(float(mine[max(p, 0):p + length].sum()) for p in range(seed + shingle - length, seed + 1))

    want = [brute(d, s) for d, s in zip(docs, seeds)]
    assert np.allclose(around_seed(w, np.full(len(docs), length), shingle, chance), want)


def test_a_pair_the_scan_cannot_report_is_left_at_once_and_only_such_a_pair():
    """Leaving out before labelling what chance rules out changes no reported pair."""
    articles = corpus(120, stock=True)
    chance = chance_of(articles)
    rng = random.Random(2)
    sides = [Side.alone(a) for a in articles]
    seen = 0
    for _ in range(300):
        x, y = rng.sample(sides, 2)
        full = align_sides(x, y, S, chance)
        quick = align_sides(x, y, S, chance, only_reported=True)
        assert (quick is not None and reported(quick)) == (full is not None and reported(full))
        if quick is not None:
            assert quick == full
        seen += full is not None and not reported(full)
    assert seen  # some pairs share only what chance gives
