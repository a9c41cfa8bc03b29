import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.candidates import (
    HUBS,
    boilerplate_mask,
    find_candidates,
    order_by,
    repeated_only,
    repeats_of,
    seen_mask,
)
from dedup.passages import Fingerprints
from dedup.settings import Settings


def fps(rows):
    h, d, p = zip(*rows)
    return Fingerprints(np.array(h, np.uint64), np.array(d, np.int64), np.array(p, np.int32))


def test_articles_sharing_a_fingerprint_become_pairs_counted_once():
    fp = fps([(7, 0, 0), (7, 1, 3), (9, 0, 5), (9, 1, 8), (7, 2, 1), (5, 2, 0)])
    c = find_candidates(fp, np.full(3, -1), Settings())
    assert c.pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert c.shared.tolist() == [2, 1, 1]


def test_an_oversized_bucket_becomes_a_star_on_its_earliest_articles():
    n = 30
    fp = fps([(42, d, 0) for d in range(n)])
    c = find_candidates(fp, np.full(n, -1), Settings(max_bucket=10))
    assert c.capped_buckets == 1
    pairs = {tuple(p) for p in c.pairs.tolist()}
    assert all(a < HUBS for a, _ in pairs)
    assert len(pairs) == sum(n - 1 - h for h in range(HUBS))


def test_common_fingerprints_are_those_in_many_articles():
    fp = fps([(1, d, 0) for d in range(5)] + [(2, 0, 3), (2, 1, 3)])
    c = find_candidates(fp, np.full(5, -1), Settings(stock_docs=4))
    assert c.common.tolist() == [True] * 5 + [False, False]


def test_boilerplate_recurs_within_one_outlet_only():
    # outlet 0 has a footer (hash 99) in 3 of its articles; outlet 1 has it once
    rows = [(99, d, 40) for d in (0, 1, 2, 3)] + [(d + 10, d, 0) for d in range(4)]
    outlets = np.array([0, 0, 0, 1])
    mask = boilerplate_mask(fps(rows), outlets, Settings(boilerplate_docs=3))
    assert mask.tolist() == [True, True, True, False, False, False, False, False]


def test_an_article_that_is_all_repeats_is_a_repeated_story_not_a_template():
    rows = [(h, d, h) for d in range(3) for h in (1, 2, 3)]
    mask = boilerplate_mask(fps(rows), np.zeros(3, np.int64), Settings(boilerplate_docs=3))
    assert not mask.any()


def test_a_story_an_outlet_repeats_stays_copy_while_its_footer_is_furniture():
    footer, story = 99, (1, 2, 3, 4)
    rows = [(footer, d, 40) for d in range(6)] + [(10 + d, d, 0) for d in range(3)]  # three stories of their own
    rows += [(h, d, h) for d in (3, 4, 5) for h in story]  # then one story, three times
    mask = boilerplate_mask(fps(rows), np.zeros(6, np.int64), Settings(boilerplate_docs=3))
    assert mask.tolist()[:6] == [True] * 6  # the footer, in every article
    assert not mask[6:].any()  # neither the stories of their own nor the repeated one
    c = find_candidates(fps(rows), np.zeros(6, np.int64), Settings(boilerplate_docs=3))
    assert c.pairs.tolist() == [[3, 4], [3, 5], [4, 5]]


def test_a_page_that_copies_another_outlets_footer_is_linked_to_its_articles():
    rows = [(99, d, 40) for d in range(4)] + [(d + 10, d, 0) for d in range(4)]
    c = find_candidates(fps(rows), np.array([0, 0, 0, 1]), Settings(boilerplate_docs=3))
    assert c.boilerplate.tolist()[:4] == [True, True, True, False]
    assert c.pairs.tolist() == [[0, 3], [1, 3], [2, 3]]


def test_a_wire_story_an_outlets_pages_hold_as_furniture_still_links_them_to_the_wire():
    story = (1, 2, 3)
    rows = [(h, d, h) for d in range(4) for h in story]  # the wire (0), three copies in one outlet (1-3)
    rows += [(100 + 10 * d + k, d, 50 + k) for d in (1, 2, 3) for k in range(3)]  # each with words of its own
    outlets = np.array([0, 1, 1, 1])
    c = find_candidates(fps(rows), outlets, Settings(boilerplate_docs=3))
    assert c.boilerplate.tolist()[3:12] == [True] * 9  # the story recurs in the outlet's pages...
    assert c.pairs.tolist() == [[0, 1], [0, 2], [0, 3]]  # ...and links each of them to the wire only


def test_boilerplate_does_not_make_pairs():
    rows = [(99, d, 40) for d in range(3)]
    c = find_candidates(fps(rows + [(d + 10, d, 0) for d in range(3)]), np.zeros(3, np.int64),
                        Settings(boilerplate_docs=3))
    assert len(c.pairs) == 0


def reference(rows, outlets, settings):
    """Candidate pairs, shared counts and masks, counted the slow obvious way."""
    docs_of: dict[int, set[int]] = {}
    for h, d, _ in rows:
        docs_of.setdefault(h, set()).add(d)
    per_outlet = {}
    for h, d, _ in rows:
        if outlets[d] >= 0:
            per_outlet.setdefault((h, outlets[d]), set()).add(d)
    # published before: an earlier article of the outlet holds it (articles are numbered by date)
    k = settings.boilerplate_docs
    recurring = [outlets[d] >= 0 and any(e < d for e in per_outlet[(h, outlets[d])]) for h, d, _ in rows]
    total = np.bincount([d for _, d, _ in rows], minlength=len(outlets))
    again = np.bincount([d for (_, d, _), r in zip(rows, recurring) if r], minlength=len(outlets))
    repeat = [again[d] >= 0.6 * total[d] for d in range(len(outlets))]
    # furniture: held by boilerplate_docs articles of the outlet that repeat no story
    boiler = [outlets[d] >= 0 and len({e for e in per_outlet[(h, outlets[d])] if not repeat[e]}) >= k
              for h, d, _ in rows]
    furniture = {(h, d) for (h, d, _), b in zip(rows, boiler) if b}
    shared: dict[tuple[int, int], int] = {}
    for h, members in docs_of.items():  # two articles share a bucket unless it is furniture for both
        for a in members:
            for b in members:
                if a < b and not ((h, a) in furniture and (h, b) in furniture):
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    common = [len(docs_of[h]) >= settings.stock_docs for h, _, _ in rows]
    return shared, common, boiler


@pytest.mark.parametrize("seed", range(5))
def test_candidates_agree_with_counting_by_hand(seed):
    rng = np.random.default_rng(seed)
    # hashes that differ only in their low bits, so that packing tricks cannot hide a collision
    alphabet = (rng.integers(0, 4, 12).astype(np.uint64) << np.uint64(60)) | rng.integers(0, 3, 12).astype(np.uint64)
    n_docs = 12
    rows = [(int(rng.choice(alphabet)), int(rng.integers(n_docs)), int(rng.integers(50))) for _ in range(120)]
    outlets = rng.integers(-1, 3, n_docs)
    settings = Settings(boilerplate_docs=3, stock_docs=6, max_bucket=100)
    c = find_candidates(fps(rows), outlets, settings)
    shared, common, boiler = reference(rows, outlets, settings)
    assert {tuple(p): s for p, s in zip(c.pairs.tolist(), c.shared.tolist())} == shared
    assert c.common.tolist() == common
    assert c.boilerplate.tolist() == boiler


@pytest.mark.parametrize("seed", range(5))
def test_a_shard_cut_to_its_repeated_hashes_gives_the_same_candidates(seed):
    rng = np.random.default_rng(seed)
    n_docs = 15
    rows = [(int(rng.integers(0, 60)), int(rng.integers(n_docs)), int(rng.integers(50))) for _ in range(200)]
    outlets = rng.integers(-1, 3, n_docs)
    settings = Settings(boilerplate_docs=3, stock_docs=5, max_bucket=4)
    whole = fps(rows)
    small = repeated_only(whole)
    assert 0 < len(small) < len(whole)
    assert len(set(small.hashes.tolist())) * 2 <= len(small)  # every hash kept occurs twice or more
    repeats = repeats_of(np.bincount(whole.docs, minlength=n_docs),
                             np.bincount(small.docs[seen_mask(small, outlets)], minlength=n_docs))
    full, cut = find_candidates(whole, outlets, settings, repeats=repeats), find_candidates(small, outlets, settings,
                                                                                             repeats=repeats)

    def flagged(f, mask):
        return sorted(zip(f.docs[mask].tolist(), f.positions[mask].tolist()))

    assert cut.pairs.tolist() == full.pairs.tolist()
    assert cut.shared.tolist() == full.shared.tolist() and cut.seeds.tolist() == full.seeds.tolist()
    assert flagged(small, cut.common) == flagged(whole, full.common)
    assert flagged(small, cut.boilerplate) == flagged(whole, full.boilerplate)
    assert full.boilerplate.any() and full.common.any() and full.capped_buckets > 0


@given(st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 50)), max_size=40),
       st.sampled_from([1, 2**30]))
def test_order_by_is_lexsort(rows: list[tuple[int, int]], scale: int) -> None:
    """Both keys packed in one when they fit, ``lexsort`` when they do not: the same order."""
    major = np.array([r[0] for r in rows], dtype=np.int64) * scale
    minor = np.array([r[1] for r in rows], dtype=np.int64)
    assert np.array_equal(order_by(major, minor), np.lexsort((minor, major)))
