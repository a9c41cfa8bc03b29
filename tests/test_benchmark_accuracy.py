"""The accuracy benchmark on the real Reuters stories: a seeded generator whose truth is right, and the runner."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest
from click.testing import CliRunner

from benchmarks.accuracy import generate, reuters
from benchmarks.accuracy.edits import words
from benchmarks.accuracy.run import benchmark
from dedup.cli import cli

pytestmark = pytest.mark.slow  # builds real corpora or kills processes: minutes, not seconds

SMALL = 24
"""Wire stories in the test corpora (about 180 articles)."""
EXACT = {"reprint", "trim", "embed", "sentence", "stitch", "quote-only"}
"""Cases whose spans hold the same words on both sides."""


@pytest.fixture(scope="module")
def stories(reuters_dir):
    return reuters.read(reuters_dir)


@pytest.fixture(scope="module")
def corpus(stories):
    return generate.build(stories, seed=7, wire=SMALL)


def test_reuters_records_are_read_with_dates_titles_and_bodies(stories):
    assert len(stories) > 18000
    first = stories[0]
    assert first.newid == 1 and first.date == "1987-02-26T15:01:01"
    assert first.title == "BAHIA COCOA REVIEW"
    assert first.text.startswith("BAHIA COCOA REVIEW\n\nSALVADOR, Feb 26 - Showers continued")
    assert not first.text.rstrip().endswith("Reuter")
    assert all("&lt;" not in s.title for s in stories[:500])


def test_the_generator_is_deterministic_for_a_seed(stories, corpus):
    again = generate.build(stories, seed=7, wire=SMALL)
    assert again.articles == corpus.articles and again.truth == corpus.truth
    other = generate.build(stories, seed=8, wire=SMALL)
    assert other.articles != corpus.articles


def test_the_corpus_holds_every_case_and_both_kinds_of_hard_negative(corpus):
    cases = {d["case"] for d in corpus.truth["documents"]}
    assert set(generate.CASES) | {"wire", "stitch", "quote-only", "unrelated", "repeat"} <= cases
    assert {c for c in cases if c.startswith("template:")} == {f"template:{s}" for s in
                                                               ("earnings", "dividends", "money-market", "fed-weekly")}
    pair_cases = {p["case"] for p in corpus.truth["pairs"]}
    assert {"sibling", "quote-only", "repeat"} <= pair_cases
    members = {m for g in corpus.truth["lookalikes"] for m in g["members"]}
    linked = {i for f in corpus.truth["families"] for i in f["members"]}
    assert members and not members & linked
    outlets = {a["outlet"] for a in corpus.articles}
    assert "reuters" in outlets and 5 <= len(outlets - {"reuters"}) <= 10


def test_truth_offsets_point_at_the_same_text_in_both_articles(corpus):
    texts = {a["id"]: a["text"] for a in corpus.articles}
    dates = {a["id"]: a["date"] for a in corpus.articles}
    for pair in corpus.truth["pairs"]:
        a, b = texts[pair["a"]], texts[pair["b"]]
        if pair["source"]:
            copier = pair["b"] if pair["source"] == pair["a"] else pair["a"]
            assert dates[pair["source"]][:10] <= dates[copier][:10]
        for s in pair["spans"]:
            assert 0 <= s["a_start"] < s["a_end"] <= len(a) and 0 <= s["b_start"] < s["b_end"] <= len(b)
            wa, wb = words(a[s["a_start"]:s["a_end"]]), words(b[s["b_start"]:s["b_end"]])
            assert min(len(wa), len(wb)) >= 8
            if pair["case"] in EXACT:
                assert wa == wb, (pair["a"], pair["b"], pair["case"])
            else:
                assert SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= 0.5, (pair["a"], pair["b"])
            if s["kind"] == "quote":
                assert '"' in a[s["a_start"] - 1:s["a_end"] + 1] and '"' in b[s["b_start"] - 1:s["b_end"] + 1]


def test_each_outlet_wraps_every_article_in_its_own_boilerplate(corpus):
    by_outlet: dict[str, list[str]] = {}
    for a in corpus.articles:
        if a["outlet"] != "reuters":
            by_outlet.setdefault(a["outlet"], []).append(a["text"])
    for texts in by_outlet.values():
        header = texts[0].split("\n", 1)[0]
        footer = texts[0].rstrip().rsplit("\n", 1)[-1]
        assert all(t.startswith(header) and t.rstrip().endswith(footer) for t in texts)


def test_stronger_edits_change_more(stories, corpus):
    doubled = generate.build(stories, seed=7, wire=SMALL, edit_strength=2.0)
    texts = {a["id"]: a["text"] for a in corpus.articles}

    def similarity(c):
        t = {a["id"]: a["text"] for a in c.articles}
        ratios = [SequenceMatcher(None, words(t[p["a"]][s["a_start"]:s["a_end"]]),
                                  words(t[p["b"]][s["b_start"]:s["b_end"]]), autojunk=False).ratio()
                  for p in c.truth["pairs"] if p["case"] == "rewrite" for s in p["spans"]]
        return sum(ratios) / len(ratios)

    assert texts and similarity(doubled) < similarity(corpus)


def test_the_benchmark_runs_end_to_end_and_dedup_eval_agrees(reuters_dir, tmp_path):
    markdown = benchmark(reuters_dir, tmp_path, seed=3, wire=SMALL)
    for row in ("| dedup |", "| MinHash LSH 0.5", "| MinHash LSH 0.3", "| shared 8-grams, k=3 |",
                "#### dedup by case", "| reprint |", "#### Goals (dedup)"):
        assert row in markdown
    dedup_row = next(line for line in markdown.splitlines() if line.startswith("| dedup |")).split(" | ")
    pair_f1 = dedup_row[3]
    assert 0.0 < float(pair_f1) <= 1.0
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "truth.json"), str(tmp_path / "dedup.json")])
    assert result.exit_code == 0, result.output
    assert f"F1 {pair_f1}" in result.output.splitlines()[0]


def test_truth_links_a_sentence_a_story_repeats_to_either_of_its_places():
    from benchmarks.accuracy.truth import Placed, shared

    text = "Alpha beta gamma delta epsilon zeta eta theta. Iota kappa. Alpha beta gamma delta epsilon zeta eta theta."
    wire = [Placed("w", 0, 0, 46), Placed("w", 1, 47, 58), Placed("w", 2, 59, 105)]
    copy_text = "Alpha beta gamma delta epsilon zeta eta theta."
    copy = [Placed("w", 2, 0, 46)]
    other = [Placed("w", 0, 0, 46)]
    assert shared(wire, copy, text, copy_text) == [(59, 105, 0, 46)]   # its own place, not both
    assert shared(other, copy, copy_text, copy_text) == []
    assert shared(other, copy, copy_text, copy_text, {2: 0}) == [(0, 46, 0, 46)]
