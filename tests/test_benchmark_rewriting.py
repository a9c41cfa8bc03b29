"""The rewriting cases: rewording that keeps the facts, and same-event stories that share only facts."""

from __future__ import annotations

import random

import pytest

from benchmarks.accuracy import reuters, rewriting
from benchmarks.accuracy.edits import words
from benchmarks.accuracy.pools import runs
from benchmarks.accuracy.rewording import STRENGTHS, merge, only, reorder, split, substitute


def test_the_speaker_moves_to_the_end_and_back():
    moved = reorder("Chrysler Corp said it would close two plants next year.")
    assert moved == "It would close two plants next year, Chrysler Corp said."
    assert reorder(moved) == "Chrysler Corp said that it would close two plants next year."


def test_a_leading_phrase_moves_behind_the_main_clause():
    assert reorder("In the first quarter, the company earned 12 mln dlrs.") == \
        "The company earned 12 mln dlrs in the first quarter."


def test_a_sentence_without_a_movable_clause_is_left_alone():
    assert reorder("Prices were steady.") == "Prices were steady."


def test_splitting_and_merging_keep_every_word_of_the_sentences():
    text = "The bank raised its prime rate to 7.5 pct, and other banks are expected to follow soon."
    first, second = split(text, random.Random(1)) or ("", "")
    assert first.endswith(".") and second[0].isupper()
    assert set(words(text)) <= set(words(first + " " + second)) | {"and"}
    head, link, tail = merge("It fell.", "The dollar rose.", random.Random(2))
    assert head == "It fell" and tail == "the dollar rose."


def test_substitution_keeps_figures_and_changes_known_words():
    text = "The company said profit rose 12 pct to 3.4 mln dlrs."
    swapped = substitute(text, 1.0, random.Random(3))
    assert {"12", "3", "4"} <= set(words(swapped))
    assert not {"said", "pct", "mln", "dlrs", "rose"} & set(words(swapped))
    assert substitute(text, 0.0, random.Random(3)) == text


def test_one_operation_alone_switches_the_others_off():
    heavy = STRENGTHS[-1]
    alone = only(heavy, "reorder")
    assert alone.reorder == heavy.reorder and alone.swap == alone.merge == alone.split == alone.pad == 0
    assert only(heavy, "rewrite") == heavy


@pytest.mark.slow
def test_the_cases_record_every_rewrite_and_same_event_stories_share_only_facts(reuters_dir):
    stories = reuters.read(reuters_dir)
    by_id = {f"reuters/{s.newid}": s for s in stories}
    cases = rewriting.build(stories, seed=5, wire=10)
    truth = cases.corpus.truth
    texts = {a["id"]: a["text"] for a in cases.corpus.articles}
    docs = {d["id"]: d for d in truth["documents"]}
    pair_cases = {p["case"] for p in truth["pairs"]}
    assert {"rewrite-light", "rewrite-medium", "rewrite-heavy", "sibling"} <= pair_cases
    assert len(cases.independent) == 20
    linked = {d for p in truth["pairs"] for d in (p["a"], p["b"])}
    assert not linked & cases.independent
    for key, group in cases.events.items():
        numbers, names = rewriting.facts(by_id[key])
        facts = set(words(" ".join(numbers + names)))
        for doc in set(group) & cases.independent:
            start, end = docs[doc]["body"]
            shared = runs(texts[doc][start:end]) & runs(texts[key])
            assert all(facts & set(run.split()) for run in shared), shared
    again = rewriting.build(stories, seed=5, wire=10)
    assert again.corpus.articles == cases.corpus.articles
