"""Passage fingerprints and candidate pairs, held against brute force."""

import random

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dedup.candidates import find_candidates
from dedup.passages import fingerprints
from dedup.settings import Settings
from dedup.text import tokenize_batch

from profiles import examples

VOCAB = [f"w{i}" for i in range(400)]
S = Settings()


def sentence(rng, n):
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def shared_fingerprints(texts, settings=S):
    fp = fingerprints(tokenize_batch(texts), settings)
    by_doc = [set(fp.hashes[fp.docs == d].tolist()) for d in range(len(texts))]
    return by_doc


@hsettings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 10**6), pre_a=st.integers(0, 300), pre_b=st.integers(0, 300),
       post=st.integers(0, 50), extra=st.integers(0, 20))
def test_any_shared_run_of_guaranteed_length_gives_a_shared_fingerprint(seed, pre_a, pre_b, post, extra):
    rng = random.Random(seed)
    run = sentence(rng, S.guaranteed_words + extra)
    a = f"{sentence(rng, pre_a)} {run} {sentence(rng, post)}"
    b = f"{sentence(rng, pre_b)} {run} {sentence(rng, post)}"
    fa, fb = shared_fingerprints([a, b])
    assert fa & fb


def brute_force_pairs(texts, k):
    """Pairs of texts sharing a run of k identical words (word k-gram sets intersect)."""
    grams = []
    for t in texts:
        w = t.lower().split()
        grams.append({tuple(w[i:i + k]) for i in range(len(w) - k + 1)})
    return {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if grams[i] & grams[j]}


@hsettings(max_examples=examples(30), deadline=None)
@given(seed=st.integers(0, 10**6))
def test_lsh_candidates_include_every_pair_sharing_a_guaranteed_run(seed):
    rng = random.Random(seed)
    runs = [sentence(rng, S.guaranteed_words) for _ in range(6)]
    texts = []
    for _ in range(12):
        parts = [sentence(rng, rng.randint(5, 60))]
        for r in rng.sample(runs, rng.randint(0, 2)):
            parts += [r, sentence(rng, rng.randint(3, 30))]
        texts.append(" ".join(parts))
    fp = fingerprints(tokenize_batch(texts), S)
    cands = find_candidates(fp, np.full(len(texts), -1), S)
    found = {tuple(p) for p in cands.pairs.tolist()}
    assert brute_force_pairs(texts, S.guaranteed_words) <= found


def test_short_articles_keep_one_fingerprint_and_tiny_ones_none():
    fp = fingerprints(tokenize_batch(["one two three four five six", "one two"]), S)
    assert fp.docs.tolist() == [0]


def test_fingerprint_positions_point_at_the_shingle():
    text = " ".join(f"w{i}" for i in range(50))
    fp = fingerprints(tokenize_batch([text]), S)
    assert len(fp) >= 50 // (S.window + 1)
    assert fp.positions.max() <= 50 - S.shingle
