"""The accuracy benchmark's conditions: each corpus has the property its name claims, and its truth is exact."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from difflib import SequenceMatcher
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from benchmarks.accuracy import generate, reuters
from benchmarks.accuracy.conditions import benchmark
from benchmarks.accuracy.edits import words
from benchmarks.accuracy.evasion import HIDDEN, LOOKALIKES, plain
from benchmarks.accuracy.newsrooms import FARM, NEWSROOMS, WIRE
from benchmarks.accuracy.stock import PHRASES
from benchmarks.accuracy.variants import BASELINE, CONDITIONS, FURNITURE_BAND
from dedup.cli import cli
from dedup.ranges import covered
from dedup.settings import WIRE_OUTLETS

pytestmark = pytest.mark.slow  # builds real corpora or kills processes: minutes, not seconds

SMALL = 12
"""Wire stories in the test corpora (about 100 articles each)."""
BASELINE_SHA256 = {
    "corpus.jsonl": "3391ce372e146c0abb8be59edf3d1dee006bcbcda68c7758b0d65934e8ba6f1b",
    "truth.json": "a3d1aa57dacb61d943843cba10cf46e920801ad59aaebb58293c7766b3f43aa6",
}
"""The seed-1 corpus of 12 wire stories as the generator wrote it before it had conditions
(commit f75562a); the baseline condition must still write exactly these bytes."""
EXACT = {"reprint", "trim", "embed", "sentence", "stitch", "quote-only", "outlet-copy"}
"""Pair cases whose spans hold the same words on both sides."""
COPIES = {"reprint", "trim", "edit", "rewrite", "scan", "embed", "sentence"}


@pytest.fixture(scope="module")
def stories(reuters_dir):
    return reuters.read(reuters_dir)


@pytest.fixture(scope="module")
def corpora(stories):
    return {name: generate.build(stories, seed=1, wire=SMALL, condition=c) for name, c in CONDITIONS.items()}


def texts(corpus):
    return {a["id"]: a["text"] for a in corpus.articles}


def documents(corpus):
    return {d["id"]: d for d in corpus.truth["documents"]}


def outlet_records(corpus):
    wires = set(corpus.truth.get("wire_outlets", [WIRE]))
    docs = documents(corpus)
    return [a for a in corpus.articles if docs[a["id"]]["outlet"] not in wires]


def test_the_baseline_is_byte_for_byte_the_corpus_before_conditions(stories, tmp_path):
    corpus = generate.build(stories, seed=1, wire=SMALL)
    for name, path in zip(("corpus.jsonl", "truth.json"), generate.write(corpus, tmp_path)):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == BASELINE_SHA256[name], name
    explicit = generate.build(stories, seed=1, wire=SMALL, condition=BASELINE)
    assert explicit.articles == corpus.articles and explicit.truth == corpus.truth


def test_a_condition_is_the_same_for_a_seed_and_differs_from_the_baseline(stories, corpora):
    for name in ("same-day", "outlet-copies", "furniture-15"):
        again = generate.build(stories, seed=1, wire=SMALL, condition=CONDITIONS[name])
        assert again.articles == corpora[name].articles and again.truth == corpora[name].truth
        assert corpora[name].articles != corpora["baseline"].articles
        assert corpora[name].truth["truth"]["condition"] == name


@pytest.mark.parametrize("name", list(CONDITIONS))
def test_every_condition_holds_the_usual_mix_of_cases(corpora, name):
    cases = {d["case"] for d in corpora[name].truth["documents"]}
    assert COPIES | {"wire", "stitch", "quote-only", "unrelated", "repeat"} <= cases
    pair_cases = {p["case"] for p in corpora[name].truth["pairs"]}
    assert COPIES | {"sibling", "quote-only", "stitch"} <= pair_cases


@pytest.mark.parametrize("name", list(CONDITIONS))
def test_truth_spans_of_every_condition_hold_the_same_words_on_both_sides(corpora, name):
    corpus = corpora[name]
    text = texts(corpus)
    for pair in corpus.truth["pairs"]:
        a, b = text[pair["a"]], text[pair["b"]]
        if pair["source"]:
            copier = pair["b"] if pair["source"] == pair["a"] else pair["a"]
            assert corpus.published[pair["source"]] <= corpus.published[copier], (pair["a"], pair["b"])
        for s in pair["spans"]:
            assert 0 <= s["a_start"] < s["a_end"] <= len(a) and 0 <= s["b_start"] < s["b_end"] <= len(b)
            wa, wb = words(plain(a[s["a_start"]:s["a_end"]])), words(plain(b[s["b_start"]:s["b_end"]]))
            assert min(len(wa), len(wb)) >= 8
            if pair["case"] in EXACT:
                assert wa == wb, (pair["a"], pair["b"], pair["case"])
            else:
                assert SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= 0.5, (pair["a"], pair["b"])


@pytest.mark.parametrize("name", ["unlisted-wire", "unlisted-wire-same-day", "credit-lines"])
def test_an_unlisted_wire_is_on_no_list_and_no_id_gives_its_name_away(corpora, name):
    corpus = corpora[name]
    [wire] = corpus.truth["wire_outlets"]
    assert wire.lower() not in {w.lower() for w in WIRE_OUTLETS} and wire != WIRE
    stories = [a for a in corpus.articles if documents(corpus)[a["id"]]["case"] == "wire"]
    assert stories and all(a["outlet"] == wire for a in stories)
    assert not any("reuters" in a["id"].lower() or a["outlet"] == WIRE for a in corpus.articles)
    assert not any("reuter" in (a["text"] + a["title"]).lower() for a in corpus.articles)  # "told Reuters" too
    assert any(wire.split("-")[0] in a["text"].lower() for a in corpus.articles if a["outlet"] != wire)
    assert not any("reuters" in m for p in corpus.truth["pairs"] for m in (p["a"], p["b"]))


@pytest.mark.parametrize("name", ["same-day", "unlisted-wire-same-day", "credit-lines"])
def test_same_day_copies_carry_the_wire_story_s_day_and_no_time(corpora, name):
    corpus = corpora[name]
    dates = {a["id"]: a.get("date") for a in corpus.articles}
    docs = documents(corpus)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", dates[a["id"]]) for a in outlet_records(corpus))
    checked = 0
    for pair in corpus.truth["pairs"]:
        if pair["source"] and docs[pair["source"]]["case"] == "wire":
            copier = pair["b"] if pair["source"] == pair["a"] else pair["a"]
            if docs[copier]["case"] in COPIES:
                assert dates[copier] == dates[pair["source"]][:10]
                checked += 1
    assert checked > SMALL


def test_most_copies_credit_the_wire_in_a_form_dedup_reads_and_no_other_page_does(corpora):
    from benchmarks.accuracy.variants import CREDIT_FORMS
    from dedup.page import credits, name_key

    corpus = corpora["credit-lines"]
    [wire] = corpus.truth["wire_outlets"]
    docs = documents(corpus)
    copies = [a for a in outlet_records(corpus) if docs[a["id"]]["case"] in COPIES]
    crediting = [a for a in copies if name_key(wire) in credits(a["text"])]
    assert 0.5 <= len(crediting) / len(copies) <= 0.9
    forms = {form.split("{")[0] or form.split("}")[-1] for form in CREDIT_FORMS}
    assert all(any(f.strip() in a["text"] for a in crediting) for f in forms)  # every form is used
    others = [a for a in corpus.articles if a not in copies]
    assert not any(name_key(wire) in credits(a["text"]) for a in others)


def test_undated_outlets_have_no_date_and_mixed_ones_every_kind(corpora):
    undated = corpora["undated"]
    assert all("date" not in a for a in outlet_records(undated))
    assert all(a.get("date") for a in undated.articles if a not in outlet_records(undated))
    kinds = {"none" if "date" not in a else ("day" if len(a["date"]) == 10 else "time")
             for a in outlet_records(corpora["dates-mixed"])}
    assert kinds == {"none", "day", "time"}


def test_without_outlets_records_have_no_outlet_and_ids_that_say_nothing(corpora):
    for name in ("no-outlet", "no-outlet-url"):
        corpus = corpora[name]
        assert all("outlet" not in a and re.fullmatch(r"doc-\d{5}", a["id"]) for a in corpus.articles)
        assert {d["outlet"] for d in corpus.truth["documents"]} >= {WIRE, "valley-courier"}  # the truth knows
    docs = documents(corpora["no-outlet-url"])
    for a in corpora["no-outlet-url"].articles:
        assert urlparse(a["url"]).hostname == f"www.{docs[a['id']]['outlet']}.example"
    assert not any("url" in a for a in corpora["no-outlet"].articles)


@pytest.mark.parametrize("name", ["furniture-0", "furniture-15", "furniture-30"])
def test_furniture_is_its_share_of_each_short_page(corpora, name):
    corpus, target = corpora[name], CONDITIONS[name].furniture
    docs = documents(corpus)
    shares, bodies = [], []
    for a in outlet_records(corpus):
        start, end = docs[a["id"]]["body"]
        shares.append(1 - (end - start) / len(a["text"]))
        bodies.append(end - start)
    assert all(abs(s - target) <= FURNITURE_BAND for s in shares) if target else set(shares) == {0.0}
    assert sorted(bodies)[len(bodies) // 2] < 1000  # short articles: half under 1,000 characters


def test_furniture_text_is_drawn_afresh_for_each_condition(corpora):
    def template_lines(corpus):
        """Per outlet, the lines outside the body that recur on three of its pages or more."""
        docs, seen = documents(corpus), {}
        for a in outlet_records(corpus):
            start, end = docs[a["id"]]["body"]
            outlet = seen.setdefault(docs[a["id"]]["outlet"], {})
            for line in set((a["text"][:start] + a["text"][end:]).splitlines()) - {""}:
                outlet[line] = outlet.get(line, 0) + 1
        return {o: {line for line, n in lines.items() if n >= 3} for o, lines in seen.items()}

    fifteen, thirty = template_lines(corpora["furniture-15"]), template_lines(corpora["furniture-30"])
    fixed = {line for room in NEWSROOMS + (FARM,) for line in (room.header, room.footer)}
    assert sum(map(len, thirty.values())) > 5 * len(thirty)  # every outlet has a template
    for outlet, lines in thirty.items():
        assert not fixed & lines
        assert len(lines & fifteen.get(outlet, set())) <= 2, (outlet, lines & fifteen.get(outlet, set()))


def test_outlet_copies_have_the_copied_outlet_as_source_and_the_wire_as_indirect_source(corpora):
    corpus = corpora["outlet-copies"]
    docs, text = documents(corpus), texts(corpus)
    copies = [d for d in docs.values() if d["case"] == "outlet-copy"]
    assert copies
    for copy in copies:
        mine = [p for p in corpus.truth["pairs"] if copy["id"] in (p["a"], p["b"])]
        [took] = [p for p in mine if p["case"] == "outlet-copy"]
        assert took["b"] == copy["id"] and docs[took["a"]]["case"] in generate.COPYABLE
        assert docs[took["a"]]["outlet"] not in (WIRE, copy["outlet"])
        body = tuple(copy["body"])
        assert covered(body, [(s["b_start"], s["b_end"]) for s in took["spans"]]) == body[1] - body[0]
        wire = [p for p in mine if p["source"] and docs[p["source"]]["case"] == "wire"]
        assert wire and all(p["case"] == "indirect" for p in wire)
        assert text[took["a"]][took["spans"][0]["a_start"]:took["spans"][0]["a_end"]] == \
            text[copy["id"]][took["spans"][0]["b_start"]:took["spans"][0]["b_end"]]


def test_versions_are_sourced_to_the_version_they_revise(corpora):
    corpus = corpora["versions"]
    docs = documents(corpus)
    later = [d for d in docs.values() if d["case"] in ("wire-update", "wire-correction")]
    assert {d["case"] for d in later} == {"wire-update", "wire-correction"}
    for version in later:
        [parent] = [p for p in corpus.truth["pairs"] if p["b"] == version["id"] and p["case"] == version["case"]]
        assert docs[parent["a"]]["outlet"] == WIRE and parent["source"] == parent["a"]
        assert corpus.published[parent["a"]] < corpus.published[version["id"]]
        assert version["id"].startswith(parent["a"].removesuffix("-update"))
    reprinted = {p["source"] for p in corpus.truth["pairs"]
                 if p["source"] in {v["id"] for v in later} and docs[p["b"]]["case"] in COPIES}
    assert reprinted  # outlets reprint later versions too
    updates = [d for d in later if d["case"] == "wire-update"]
    first = {p["b"]: p for p in corpus.truth["pairs"] if p["case"] == "wire-update"}
    for u in updates:  # an update adds text the first version does not have
        spans = [(s["b_start"], s["b_end"]) for s in first[u["id"]]["spans"]]
        assert covered((0, u["length"]), spans) < 0.95 * u["length"]


def test_stock_phrases_stand_in_many_unrelated_stories_that_are_not_pairs(corpora):
    corpus = corpora["stock-phrases"]
    docs = documents(corpus)
    local = {"unrelated", "quote-only", "embed", "sentence"}
    holding = {phrase: {a["id"] for a in corpus.articles if phrase in a["text"] and docs[a["id"]]["case"] in local}
               for phrase in PHRASES}
    assert sum(len(ids) >= 3 for ids in holding.values()) >= len(PHRASES) // 2
    assert all(6 <= len(phrase.split()) <= 12 for phrase in PHRASES)
    paired = {frozenset((p["a"], p["b"])) for p in corpus.truth["pairs"]}
    unrelated = {i for i, d in docs.items() if d["case"] == "unrelated"}
    for ids in holding.values():
        alone = sorted(ids & unrelated)
        assert not any(frozenset((x, y)) in paired for i, x in enumerate(alone) for y in alone[i + 1:])
    assert not any(phrase in a["text"] for phrase in PHRASES for a in corpora["baseline"].articles)


def test_disguised_pages_are_the_baseline_s_with_hidden_characters_and_look_alikes(corpora):
    corpus, base = corpora["disguised"], corpora["baseline"]
    before = texts(base)
    outlets = {d["id"]: d["outlet"] for d in corpus.truth["documents"]}
    hidden = swapped = words_seen = 0
    for doc, text in texts(corpus).items():
        assert plain(text) == before[doc]
        if outlets[doc] == WIRE:
            assert text == before[doc]
            continue
        hidden += sum(text.count(h) for h in HIDDEN)
        swapped += sum(text.count(v) for v in LOOKALIKES.values())
        words_seen += len(before[doc].split())
    assert 0.15 < hidden / words_seen < 0.3 and 0.1 < swapped / words_seen < 0.3  # every few words
    base_pairs = {(p["a"], p["b"]): p for p in base.truth["pairs"]}
    for pair in corpus.truth["pairs"]:  # the same spans, moved with the inserted characters
        old = base_pairs[(pair["a"], pair["b"])]
        for s, t in zip(pair["spans"], old["spans"], strict=True):
            for side in "ab":
                got = texts(corpus)[pair[side]][s[f"{side}_start"]:s[f"{side}_end"]]
                assert plain(got) == before[pair[side]][t[f"{side}_start"]:t[f"{side}_end"]]


def test_the_runner_prints_a_row_per_condition_and_dedup_eval_agrees(reuters_dir, tmp_path):
    markdown = benchmark(reuters_dir, tmp_path, wire=SMALL, only=("baseline", "furniture-30"), log=False)
    for heading in ("#### The scan", "#### The filter", "| furniture-30 | empty |", "| baseline | full |",
                    "#### Sources by reason", "| date |"):
        assert heading in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| furniture-30 |")).split(" | ")
    f1 = row[5].strip("*")
    assert 0.0 < float(f1) <= 1.0
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "furniture-30" / "truth.json"),
                                      str(tmp_path / "furniture-30" / "dedup.json")])
    assert result.exit_code == 0, result.output
    assert f"F1 {f1}" in result.output.splitlines()[0]
    assert any(line.startswith("by reason   date ") for line in result.output.splitlines())


def test_the_wire_stream_of_a_full_index_is_the_wire_s_own_articles(corpora):
    from benchmarks.accuracy.filtering import streams

    corpus = corpora["unlisted-wire"]
    empty, full = streams(corpus.truth, corpus.published)
    [wire] = corpus.truth["wire_outlets"]
    outlets = {d["id"]: d["outlet"] for d in corpus.truth["documents"]}
    assert set(empty.arriving) == set(outlets) and not empty.indexed
    assert {outlets[i] for i in full.indexed} == {wire} and wire not in {outlets[i] for i in full.arriving}
    times = [datetime.fromisoformat(corpus.published[i]) for i in empty.arriving]
    assert times == sorted(times)
