"""Alignment: spans of copied words, held against difflib as a slow, obviously correct reference."""

import difflib
import random

from hypothesis import given, settings as hsettings, strategies as st

from dedup.align import align_tokens, anchors
from dedup.compare import compare
from dedup.model import Article
from dedup.settings import Settings
from dedup.text import tokenize

S = Settings()
VOCAB = [f"w{i}" for i in range(2000)]


def words(rng, n):
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def test_anchors_are_maximal_runs_of_identical_words():
    a = tokenize("x y one two three four z").hashes
    b = tokenize("one two three four q").hashes
    assert anchors(a, b, 3).tolist() == [[2, 0, 4]]


@hsettings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10**6), n_runs=st.integers(1, 4))
def test_every_long_block_difflib_finds_is_inside_a_span(seed, n_runs):
    rng = random.Random(seed)
    a_parts, b_parts = [words(rng, rng.randint(0, 40))], [words(rng, rng.randint(0, 40))]
    for _ in range(n_runs):
        run = words(rng, rng.randint(S.min_words, 40))
        a_parts += [run, words(rng, rng.randint(15, 40))]
        b_parts += [run, words(rng, rng.randint(15, 40))]
    if rng.random() < 0.5:
        b_parts = b_parts[:1] + b_parts[1:][::-1]  # reordered passages
    a, b = " ".join(a_parts), " ".join(b_parts)
    ta, tb = tokenize(a), tokenize(b)
    segments = align_tokens(ta, tb, S)
    wa, wb = a.split(), b.split()
    for block in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks():
        if block.size < S.min_words:
            continue
        assert any(s.a_first <= block.a and block.a + block.size <= s.a_stop
                   and s.b_first <= block.b and block.b + block.size <= s.b_stop for s in segments)


def test_small_edits_do_not_split_a_span():
    rng = random.Random(3)
    base = [rng.choice(VOCAB) for _ in range(120)]
    edited = list(base)
    edited[30] = "changed"
    del edited[60:66]  # a dropped clause
    edited.insert(90, "inserted")
    segs = align_tokens(tokenize(" ".join(base)), tokenize(" ".join(edited)), S)
    assert len(segs) == 1
    assert segs[0].a_first == 0 and segs[0].a_stop == 120
    assert 0.9 < segs[0].score < 1.0


def test_offsets_point_into_the_original_text():
    a = "Intro.\r\n\r\nThe harbour bridge, a long-awaited link, will open in May — officials said."
    b = "Other words. THE HARBOUR BRIDGE a long awaited link will open in may, Officials said!"
    m = compare(Article("a", a), Article("b", b), S)
    assert m is not None and len(m.spans) == 1
    s = m.spans[0]
    assert a[s.a_start:s.a_end] == "The harbour bridge, a long-awaited link, will open in May — officials said"
    assert b[s.b_start:s.b_end] == "THE HARBOUR BRIDGE a long awaited link will open in may, Officials said"


def test_unrelated_texts_share_nothing():
    rng = random.Random(1)
    assert align_tokens(tokenize(words(rng, 300)), tokenize(words(rng, 300)), S) == []


def test_a_chain_of_names_and_titles_is_not_a_match():
    a = "On Monday Secretary of State Rex Tillerson and Homeland Security Secretary John Kelly met reporters."
    b = "Critics said Secretary of State Rex Tillerson and Homeland Security Secretary John Kelly were unwelcome."
    assert compare(Article("a", a), Article("b", b), S) is None


def test_a_span_below_min_words_is_not_reported():
    a = "alpha beta gamma delta epsilon zeta eta were all here"
    b = "we saw alpha beta gamma delta epsilon zeta eta today"
    assert compare(Article("a", a), Article("b", b), S) is None
    assert compare(Article("a", a), Article("b", b), Settings(min_words=7)) is not None
