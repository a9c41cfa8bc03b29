import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.hashing import ngram_hashes
from dedup.text import CAPITAL, NUMBER, QUOTED, tokenize, tokenize_batch

from profiles import examples


def words(text, tokens):
    return [text[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist())]


def test_words_keep_offsets_into_the_original_text():
    text = "Peña Nieto’s reply:\r\n\t“No, repeat, no” — 1.5% of 2,000 🚀 jobs."
    tokens = tokenize(text)
    assert words(text, tokens) == ["Peña", "Nieto", "s", "reply", "No", "repeat", "no",
                                   "1.5", "of", "2,000", "jobs"]


def test_folding_ignores_case_and_accents_but_not_spelling():
    a, b, c = tokenize("Peña SAID"), tokenize("pena said"), tokenize("pena sad")
    assert a.hashes.tolist() == b.hashes.tolist()
    assert a.hashes[1] != c.hashes[1]


def test_flags_mark_capitals_numbers_and_quotations():
    t = tokenize('Kelly said 2017 was "a good year"')
    flags = t.flags.tolist()
    assert flags[0] & CAPITAL and not flags[1] & CAPITAL
    assert flags[2] & NUMBER
    assert [bool(f & QUOTED) for f in flags] == [False, False, False, False, True, True, True]


def test_a_batch_gives_the_same_words_as_one_text_at_a_time():
    texts = ["First text, here.", "", "Second — text with ünïcode", "x"]
    batch = tokenize_batch(texts)
    assert len(batch) == len(texts)
    for i, text in enumerate(texts):
        alone = tokenize(text)
        got = batch.doc(i)
        assert got.hashes.tolist() == alone.hashes.tolist()
        assert got.starts.tolist() == alone.starts.tolist()
        assert got.ends.tolist() == alone.ends.tolist()


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=300))
def test_every_word_is_a_maximal_run_of_letters_and_digits(text):
    tokens = tokenize(text)
    for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist()):
        assert e > s
        assert all(ch.isalnum() or (ch in ",./" and text[i - 1].isdigit() and text[i + 1].isdigit())
                   for i, ch in enumerate(text[s:e], s) if ord(ch) <= 0xFFFF)
        assert s == 0 or not text[s - 1].isalnum() or ord(text[s - 1]) > 0xFFFF
        assert e == len(text) or not text[e].isalnum() or ord(text[e]) > 0xFFFF


def test_hashes_are_the_same_in_another_process():
    code = ("from dedup.text import tokenize; from dedup.hashing import ngram_hashes;"
            "t = tokenize('Wire copy travels far, said the editor.');"
            "print(ngram_hashes(t.hashes, 4).tolist())")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    here = ngram_hashes(tokenize("Wire copy travels far, said the editor.").hashes, 4).tolist()
    assert outs == {f"{here}\n"}


def test_ngram_hashes_depend_on_word_order():
    h = tokenize("a b c d a c b d").hashes
    grams = ngram_hashes(h, 2)
    assert len(grams) == 7
    assert grams[0] != grams[5]  # "a b" vs "c b"
    assert len(ngram_hashes(h[:1], 2)) == 0
    assert ngram_hashes(np.array(h), 3).dtype == np.uint64
