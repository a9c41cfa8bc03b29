"""The in-memory postings and the run test, held against plain Python references."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.index import postings

from profiles import examples

hashes = st.integers(min_value=0, max_value=2**64 - 1)
small = st.integers(min_value=0, max_value=40).map(lambda k: k * 0x9E3779B97F4A7C15 % 2**64)


@settings(max_examples=examples(60), deadline=None)
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
