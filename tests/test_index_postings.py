"""The in-memory postings and the run test, held against plain Python references."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Settings
from dedup.index import postings
from dedup.index.batch import in_runs

hashes = st.integers(min_value=0, max_value=2**64 - 1)
small = st.integers(min_value=0, max_value=40).map(lambda k: k * 0x9E3779B97F4A7C15 % 2**64)


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.lists(st.one_of(small, hashes), max_size=60), min_size=1, max_size=12),
       extra=st.lists(hashes, max_size=10), directory_from=st.sampled_from([2, 1 << 16]))
def test_lookup_finds_exactly_the_postings(batches: list[list[int]], extra: list[int], directory_from: int) -> None:
    old = postings.DIRECTORY_FROM
    postings.DIRECTORY_FROM = directory_from  # small runs get a directory too
    try:
        held = postings.Postings()
        reference: list[tuple[int, int]] = []
        value = 0
        for batch in batches:
            values = np.arange(value, value + len(batch), dtype=np.int64)
            value += len(batch)
            held.add(np.array(batch, dtype=np.uint64), values)
            reference += list(zip(batch, values.tolist()))
        query = np.unique(np.array([h for h, _ in reference[::2]] + extra, dtype=np.uint64))
        found_q, found_v = held.lookup(query)
    finally:
        postings.DIRECTORY_FROM = old
    wanted = set(query.tolist())
    assert sorted(zip(query[found_q].tolist(), found_v.tolist())) == sorted(p for p in reference if p[0] in wanted)
    assert len(held) == len(reference)


def test_removed_articles_leave_the_postings() -> None:
    held = postings.Postings()
    held.add(np.array([5, 7, 5], dtype=np.uint64), np.array([1, 1, 2], dtype=np.int64))
    held.add(np.array([7], dtype=np.uint64), np.array([3], dtype=np.int64))
    alive = np.array([False, False, True, True])
    held.keep(alive)
    q, v = held.lookup(np.array([5, 7], dtype=np.uint64))
    assert sorted(zip(q.tolist(), v.tolist())) == [(0, 2), (1, 3)]


def run_reference(a: list[int], i: int, b: list[int], j: int, s: Settings) -> bool:
    """Whether the shingle at a[i] (= b[j]) lies in a run of shingle + window - 1 equal words."""
    left = 0
    while left < s.window - 1 and i - left - 1 >= 0 and j - left - 1 >= 0 and a[i - left - 1] == b[j - left - 1]:
        left += 1
    right, n = 0, s.shingle
    while (right < s.window - 1 and i + n + right < len(a) and j + n + right < len(b)
           and a[i + n + right] == b[j + n + right]):
        right += 1
    return left + right >= s.window - 1


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_in_runs_matches_a_word_by_word_reference(data: st.DataObject) -> None:
    s = Settings()
    words = st.lists(st.integers(0, 3), min_size=s.shingle, max_size=30)
    a, b = data.draw(words), data.draw(words)
    i = data.draw(st.integers(0, len(a) - s.shingle))
    j = data.draw(st.integers(0, len(b) - s.shingle))
    b[j : j + s.shingle] = a[i : i + s.shingle]  # the shared shingle
    pad = data.draw(st.integers(0, 5))  # the words of b sit after other words in the flat array
    flat_b = np.array([9] * pad + b, dtype=np.uint16)
    got = in_runs(np.array(a, dtype=np.uint16), np.array([i]), np.array([0]), np.array([len(a)]),
                  flat_b, np.array([pad + j]), np.array([pad]), np.array([pad + len(b)]), s)
    assert bool(got[0]) == run_reference(a, i, b, j, s)
