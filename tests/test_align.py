"""Alignment: spans of copied words, held against difflib as a slow, obviously correct reference."""

import difflib
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dedup.align import Windows, align_tokens, anchors, near_seed
from dedup.model import Article
from dedup.pairs import compare
from dedup.settings import Settings
from dedup.text import CLOSES, tokenize

from profiles import examples

S = Settings()
VOCAB = [f"w{i}" for i in range(2000)]


def words(rng, n):
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def test_anchors_are_maximal_runs_of_identical_words():
    a = tokenize("x y one two three four z").hashes
    b = tokenize("one two three four q").hashes
    assert anchors(a, b, 3).tolist() == [[2, 0, 4]]


@hsettings(max_examples=examples(100), deadline=None)
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
    assert a[s.a_start:s.a_end] == "The harbour bridge, a long-awaited link, will open in May — officials said."
    assert b[s.b_start:s.b_end] == "THE HARBOUR BRIDGE a long awaited link will open in may, Officials said!"


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


@hsettings(max_examples=examples(200), deadline=None)
@given(data=st.data())
def test_the_seed_test_passes_every_guaranteed_run_wherever_the_words_are_kept(data):
    """Two articles sharing a run of ``shingle + window - 1`` identical words around
    the seed always pass; reading b's words from inside a larger array (as the
    index keeps them, 16 bits a word) changes nothing."""
    s = S
    words = st.lists(st.integers(0, 3), min_size=s.shingle, max_size=40)
    a, b = data.draw(words), data.draw(words)
    i = data.draw(st.integers(0, len(a) - s.shingle))
    j = data.draw(st.integers(0, len(b) - s.shingle))
    b[j : j + s.shingle] = a[i : i + s.shingle]  # the shared shingle
    pad = data.draw(st.integers(0, 5))
    flat_b = np.array([9] * pad + b + [9] * pad, dtype=np.uint16)
    alone = near_seed(Windows.of(np.array(a, np.uint64), np.array([0, len(a)]), np.array([0]), np.array([i])),
                      Windows.of(np.array(b, np.uint64), np.array([0, len(b)]), np.array([0]), np.array([j])), s)
    inside = near_seed(Windows(np.array(a, np.uint16), np.array([0]), np.array([len(a)]), np.array([0]), np.array([i])),
                       Windows(flat_b, np.array([pad]), np.array([pad + len(b)]), np.array([0]), np.array([j])), s)
    assert alone.tolist() == inside.tolist()
    if run_around(a, i, b, j) >= s.guaranteed_words:
        assert alone[0]


def run_around(a, i, b, j):
    """Length of the run of identical words on the diagonal through a[i] = b[j]."""
    lo = 0
    while i - lo - 1 >= 0 and j - lo - 1 >= 0 and a[i - lo - 1] == b[j - lo - 1]:
        lo += 1
    hi = 0
    while i + hi < len(a) and j + hi < len(b) and a[i + hi] == b[j + hi]:
        hi += 1
    return lo + hi



# ---------------------------------------------------------------- completing the sentences a span stops in

COUNCIL = "The council will vote on the new harbour budget next week, but the mayor said the plan"


def copied(a, b, settings=S):
    m = compare(Article("a", a), Article("b", b), settings)
    assert m is not None and len(m.prose) == 1
    s = m.prose[0]
    return a[s.a_start:s.a_end], b[s.b_start:s.b_end]


@pytest.mark.parametrize(("a_rest", "b_rest", "copied_a", "copied_b"), [
    pytest.param(" hurts fishermen. Other news followed here.", " reportedly hurts fishermen. Something else now.",
                 " hurts fishermen.", " reportedly hurts fishermen.", id="a word put in before the last words"),
    pytest.param(" will come into force. Other news followed here.", " force. Something else entirely now.",
                 " will come into force.", " force.", id="a clause dropped before the last word"),
    pytest.param(" would hurt trade in town. The harbour master said.", " would cost jobs. A port spokesman said.",
                 " would", " would", id="the next sentence's words join nothing"),
    pytest.param(" hurts fishermen. Other news.", " hurts fishermen, adding nothing.",
                 " hurts fishermen", " hurts fishermen", id="the mark only where both sides have one"),
])
def test_a_span_takes_the_words_that_close_its_sentence_alike_on_both_sides(a_rest, b_rest, copied_a, copied_b):
    assert copied(COUNCIL + a_rest, COUNCIL + b_rest) == (COUNCIL + copied_a, COUNCIL + copied_b)


def test_an_edit_after_a_sentences_first_word_leaves_it_in_the_span():
    a = f"Not at all the same. NEW YORK, March 30 - {COUNCIL} hurts trade."
    b = f"Something else again. NEW now YORK, March 30 - {COUNCIL} hurts trade."
    got_a, got_b = copied(a, b)
    assert got_a.startswith("NEW YORK,") and got_b.startswith("NEW now YORK,")


def test_sentences_are_completed_inside_the_page_bodies_only():
    # the shared byline word "staff" starts the chain in the page's head: its headline,
    # which shares its first words, is a line of the page, not a sentence to complete
    a = f"Harbour and Budget: the details\nBy Ann Lee, Coast Post staff\n\n{COUNCIL} hurts trade."
    b = f"Harbour and Budget explained\nBy Bo Kim, Bay Times staff\n\n{COUNCIL} hurts trade."
    got_a, got_b = copied(a, b)
    assert got_a.startswith("staff") and got_b.startswith("staff")


def test_completing_a_sentence_never_makes_a_span_that_does_not_stand():
    a = "Yes. alpha beta gamma delta epsilon zeta eta were here."
    b = "No. alpha beta gamma delta epsilon zeta eta now here."
    assert compare(Article("a", a), Article("b", b), S) is None


def test_a_completed_span_is_judged_on_its_chain():
    a, b = f"{COUNCIL} hurts fishermen.", f"{COUNCIL} reportedly hurts fishermen."
    ta, tb = tokenize(a), tokenize(b)
    [s] = align_tokens(ta, tb, S)
    chain = len(tokenize(COUNCIL))
    assert (s.a_stop, s.b_stop) == (len(ta), len(tb))
    assert s.core == (0, chain, 0, chain) and s.anchored == chain


SENTENCE_WORDS = [f"v{i}" for i in range(40)]


@hsettings(max_examples=examples(200), deadline=None)
@given(seed=st.integers(0, 10**6))
def test_completed_words_close_or_open_the_same_sentence_on_both_sides(seed):
    rng = random.Random(seed)
    sentences = [[rng.choice(SENTENCE_WORDS) for _ in range(rng.randint(4, 16))] for _ in range(rng.randint(2, 6))]
    edited = []
    for sentence in sentences:
        words_b = list(sentence)
        for _ in range(rng.randint(0, 3)):
            k = rng.randrange(len(words_b) + 1)
            if rng.random() < 0.5:
                words_b.insert(k, "inserted")
            elif k < len(words_b) and len(words_b) > 1:
                del words_b[k]
        edited.append(words_b)
    a = " ".join(" ".join(s) + "." for s in sentences)
    b = " ".join(" ".join(s) + "." for s in edited)
    ta, tb = tokenize(a), tokenize(b)
    for s in align_tokens(ta, tb, S):
        if s.core is None:
            continue
        a0, a1, b0, b1 = s.core
        sides = ((ta, s.a_first, a0, a1, s.a_stop), (tb, s.b_first, b0, b1, s.b_stop))
        for t, first, core_first, core_stop, stop in sides:
            closes = (t.flags & CLOSES).astype(bool)
            if stop > core_stop:  # the tail taken: to the first close after the chain, within the gap
                assert closes[stop - 1] and not closes[core_stop - 1 : stop - 1].any()
                assert stop - core_stop <= 2 * S.max_gap
            if first < core_first:  # the head taken: from the sentence's first word
                assert (first == 0 or closes[first - 1]) and not closes[first : core_first - 1].any()
        if s.a_stop > a1:
            assert ta.hashes[s.a_stop - 1] == tb.hashes[s.b_stop - 1]
        if s.a_first < a0:
            assert ta.hashes[s.a_first] == tb.hashes[s.b_first]
