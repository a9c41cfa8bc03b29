"""Chance runs: how often unrelated articles share words, measured on the corpus itself."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import dedup
from dedup.align import MAX_REPEATS
from dedup.chance import MIN_PAIRS, measure, sample, shared_runs
from dedup.index import Index
from dedup.model import Article
from dedup.pairs import Side
from dedup.settings import Settings
from dedup.text import tokenize

from profiles import examples

SYLLABLES = ["ka", "lo", "mi", "ter", "san", "du", "ve", "ron", "pa", "li", "nor", "ez", "ul", "bra", "tis", "om"]
CLAUSES = 30
"""Stock clauses of stock-dense stories: each opens a sentence of about one story in ten,
fewer than the ``stock_docs`` articles that make a fingerprint common, so only the
chance rates tell them from copy."""


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def story(rng: random.Random, vocab: list[str], clauses: list[str]) -> str:
    """Sentences of words drawn as often as their rank says (Zipf), as in prose, where
    common words make short runs that unrelated stories share; two of them open with
    stock ``clauses`` if there are any."""
    weights = [1 / rank for rank in range(1, len(vocab) + 1)]
    sentences = [" ".join(rng.choices(vocab, weights, k=rng.randint(10, 20))) for _ in range(rng.randint(12, 18))]
    for k, clause in zip(rng.sample(range(len(sentences)), 2), rng.sample(clauses, 2) if clauses else []):
        sentences[k] = f"{clause}, {sentences[k]}"
    return " ".join(s[0].upper() + s[1:] + "." for s in sentences)


def corpus(n: int, *, stock: bool = False, copies: int = 0, seed: int = 3) -> list[Article]:
    """``n`` unrelated stories (with stock clauses if asked), and ``copies`` reprints of the first ones."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    clauses = [" ".join(rng.choices(vocab[:400], k=10)) for _ in range(CLAUSES)] if stock else []
    found = [Article(f"story-{k:03d}", story(rng, vocab, clauses), outlet=f"outlet-{k % 7}") for k in range(n)]
    found += [Article(f"copy-{k:03d}", found[k].text, outlet=f"outlet-{(k + 1) % 7}") for k in range(copies)]
    return found


def chance_of(articles: list[Article], settings: Settings = Settings()):
    words = [tokenize(a.text).hashes for a in articles]
    return measure([words[n] for n in sample([a.id for a in articles])], len(articles), settings)


def maximal_runs(a: list[int], b: list[int], k: int = 3) -> list[int]:
    """Lengths of maximal runs of ``k`` or more identical words, by brute force."""
    found = []
    for i in range(len(a)):
        for j in range(len(b)):
            if i and j and a[i - 1] == b[j - 1]:
                continue  # not where a run starts
            n = 0
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            if n >= k:
                found.append(n)
    return sorted(found)


@hsettings(max_examples=examples(200), deadline=None)
@given(st.lists(st.integers(1, 4), max_size=24), st.lists(st.integers(1, 4), max_size=24))
def test_shared_runs_are_the_maximal_runs_of_three_words_or_more(a, b):
    grams = [tuple(b[j:j + 3]) for j in range(len(b) - 2)]
    if any(grams.count(g) > MAX_REPEATS for g in grams):
        return  # a phrase repeated that often anchors nothing, by design
    runs = shared_runs(np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64))
    assert sorted(runs.tolist()) == maximal_runs(a, b)


def expect_of(chance, text: str, words: int = 250) -> float:
    """What a span of ``text`` expects, every word of it anchored."""
    return chance.expect(float(chance.weigh(tokenize(text).hashes).sum()), words)


def clause_of(articles: list[Article]) -> str:
    """A stock clause the articles use: the ten words before the first comma of a sentence."""
    text = articles[0].text
    return " ".join(text[: text.index(",")].split()[-10:])


def test_stock_phrasing_makes_a_ten_word_run_chance_and_plain_prose_keeps_it_evidence():
    plain, stocky = corpus(120), corpus(120, stock=True)
    p, s = chance_of(plain), chance_of(stocky)
    assert p is not None and s is not None
    clause = clause_of(stocky)
    assert expect_of(s, clause) > Settings().max_expect > expect_of(p, clause)
    paragraph = " ".join(stocky[3].text.split()[40:70])
    assert expect_of(s, paragraph) < 0.01  # a copied paragraph stays evidence even here


def test_rare_words_weigh_more_than_common_ones():
    s = chance_of(corpus(120))
    vocab = np.unique(np.concatenate([tokenize(a.text).hashes for a in corpus(120)]), return_counts=True)
    common, rare = vocab[0][np.argmax(vocab[1])], vocab[0][np.argmin(vocab[1])]
    unseen = tokenize("zzyzx").hashes
    assert s.weigh(np.array([common]))[0] < s.weigh(np.array([rare]))[0] <= s.weigh(unseen)[0]


def test_a_side_weighs_its_words_once_for_the_rates_it_is_given():
    articles = corpus(60)
    first, again = chance_of(articles), chance_of(articles)
    side = Side.alone(articles[5])
    bits = side.bits(first)
    assert bits.tolist() == first.weigh(side.tokens.hashes).tolist()
    assert side.bits(first) is bits  # kept for the rates it was weighed by
    assert side.bits(again) is not bits and side.bits(again).tolist() == bits.tolist()


def test_copies_in_the_corpus_do_not_make_copies_look_like_chance():
    alone, copied = corpus(120), corpus(120, copies=60)
    a, c = chance_of(alone), chance_of(copied)
    assert a is not None and c is not None
    passage = " ".join(alone[3].text.split()[40:60])
    assert expect_of(c, passage) < 1e-3
    assert expect_of(c, passage) <= 10 * max(expect_of(a, passage), 1e-12)


def test_the_same_articles_in_another_order_give_the_same_rates():
    articles = corpus(80, stock=True)
    shuffled = list(articles)
    random.Random(5).shuffle(shuffled)
    one, other = chance_of(articles), chance_of(shuffled)
    assert one is not None and other is not None
    assert (one.rates, one.decay, one.words) == (other.rates, other.decay, other.words)
    assert np.array_equal(one.vocabulary, other.vocabulary) and np.array_equal(one.bits, other.bits)


def test_a_corpus_too_small_to_measure_has_no_rates():
    few = corpus(20)
    assert len(few) * (len(few) - 1) // 2 < MIN_PAIRS
    assert chance_of(few) is None


def lifted(articles: list[Article], phrase_of: int, into: int, words: int) -> Article:
    """A new article: story ``into`` with the first ``words`` words of story ``phrase_of`` put in front."""
    head = " ".join(articles[phrase_of].text.split()[:words])
    return Article(f"lifted-{phrase_of}-{into}", f"{head} {articles[into].text}", outlet="outlet-lift")


def test_a_scan_drops_a_pair_that_rests_on_a_stock_clause_and_keeps_a_copied_sentence():
    articles = corpus(120, stock=True)
    report = dedup.scan(articles + [lifted(articles, 0, 1, 18)], Settings(), jobs=1)
    found = {frozenset((p.a, p.b)): p for p in report.pairs}
    copy = found[frozenset(("story-000", "lifted-0-1"))]
    assert [s.expect is not None and s.expect < Settings().max_expect for s in copy.prose] == [True]
    stock_only = [p for p in report.pairs if p.a.startswith("story") and p.b.startswith("story")]
    assert not stock_only  # unrelated stories that share stock clauses are no pair
    allowed = dedup.scan(articles, Settings(max_expect=1e9), jobs=1)
    assert any(p.a.startswith("story") and p.b.startswith("story") for p in allowed.pairs)


def test_the_filter_measures_the_stream_so_a_young_index_is_not_fooled_by_stock_clauses(tmp_path):
    articles = corpus(120, stock=True)
    with Index.open(tmp_path / "young.idx") as index:
        decisions = index.check_many(articles, add=True)
        assert {d.status for d in decisions} == {"new"}
        later = index.check(lifted(articles, 5, 6, 20))
    assert later.status != "new" and "story-005" in {m.b for m in later.matches}
