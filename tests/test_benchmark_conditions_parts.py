"""Parts of the benchmark by condition that need no Reuters text: the filter's expected calls,
sized furniture, stock phrases and the spans of copies of copies, on small cases worked out by hand."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from benchmarks.accuracy.filtering import FilterScores, Stream, expected, score, streams
from benchmarks.accuracy.furniture import SizedNewsroom
from benchmarks.accuracy.newsrooms import NEWSROOMS
from benchmarks.accuracy.pools import Pools
from benchmarks.accuracy.stock import PHRASES, sprinkle
from benchmarks.accuracy.truth import Placed, build_truth
from benchmarks.accuracy.variants import FURNITURE_BAND, WIRE_NAMES, credited, slug, unlisted


def span(a0, a1, b0, b1, kind="prose"):
    return {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1, "kind": kind}


TRUTH = {
    "wire_outlets": ["nordpress"],
    "documents": [
        {"id": "w", "outlet": "nordpress", "length": 100},
        {"id": "a", "outlet": "herald", "length": 140, "body": [20, 120]},   # reprint of w in a page
        {"id": "b", "outlet": "post", "length": 240, "body": [20, 220]},     # one paragraph of w, 200 of its own
        {"id": "c", "outlet": "times", "length": 120, "body": [10, 110]},    # copies a whole
        {"id": "q", "outlet": "post", "length": 200, "body": [20, 180]},     # shares a quotation with b only
        {"id": "u", "outlet": "herald", "length": 150, "body": [20, 130]},
    ],
    "pairs": [
        {"a": "w", "b": "a", "source": "w", "spans": [span(0, 95, 20, 115)]},
        {"a": "w", "b": "b", "source": "w", "spans": [span(0, 40, 50, 90)]},
        {"a": "a", "b": "c", "source": "a", "spans": [span(20, 120, 10, 110)]},
        {"a": "w", "b": "c", "source": "w", "spans": [span(0, 95, 10, 105)]},
        {"a": "b", "b": "q", "spans": [span(100, 140, 60, 100, "quote")]},
    ],
}
PUBLISHED = {"w": "1987-03-02T10:00:00", "a": "1987-03-02T12:00:00", "b": "1987-03-02T13:00:00",
             "c": "1987-03-03T09:00:00", "q": "1987-03-03T10:00:00", "u": "1987-03-04T08:00:00"}


def test_streams_feed_every_article_in_time_or_index_the_wire_first():
    empty, full = streams(TRUTH, PUBLISHED)
    assert empty == Stream("empty", (), ("w", "a", "b", "c", "q", "u"))
    assert full == Stream("full", ("w",), ("a", "b", "c", "q", "u"))


def test_expected_calls_follow_the_truth_spans_over_each_body():
    empty, full = streams(TRUTH, PUBLISHED)
    want = expected(TRUTH, empty)
    # w: nothing before it. a: w covers 95 of its 100 body characters. b: 40 of 200.
    # c: a (a duplicate, so not kept) is not held; w covers 95 of 100. q: a quotation only. u: nothing.
    assert want == {"w": "new", "a": "duplicate", "b": "partial", "c": "duplicate", "q": "new", "u": "new"}
    assert expected(TRUTH, full) == {k: v for k, v in want.items() if k != "w"}


def test_one_article_must_cover_a_reprint_not_several_together():
    truth = {"documents": [{"id": i, "outlet": "x", "length": 100} for i in ("s1", "s2", "digest")],
             "pairs": [{"a": "s1", "b": "digest", "source": "s1", "spans": [span(0, 50, 0, 50)]},
                       {"a": "s2", "b": "digest", "source": "s2", "spans": [span(0, 50, 50, 100)]}]}
    stream = Stream("empty", (), ("s1", "s2", "digest"))
    assert expected(truth, stream)["digest"] == "partial"


def test_filter_scores_count_calls_by_what_was_expected():
    s = score("empty", 0, {"a": "duplicate", "b": "duplicate", "c": "new", "d": "partial"},
              {"a": "duplicate", "b": "partial", "c": "new", "d": "partial"})
    assert s == FilterScores("empty", 0, {("duplicate", "duplicate"): 1, ("duplicate", "partial"): 1,
                                          ("new", "new"): 1, ("partial", "partial"): 1})
    assert (s.right("duplicate"), s.right("partial"), s.right("new")) == (0.5, 1.0, 1.0)
    assert score("full", 3, {"a": "new"}, {"a": "new"}).right("duplicate") is None


@pytest.mark.parametrize("share", [0.15, 0.30])
@pytest.mark.parametrize("length", [250, 400, 800, 1300])
def test_sized_furniture_comes_within_the_band_of_its_share(share, length):
    room = SizedNewsroom.draw(NEWSROOMS[0], share, random.Random(length))
    body = ("word " * (length // 5)).strip()
    text, offset = room.page(datetime(1987, 3, 2, 9, 30), "Focus on Trade", "By Ada Brennan, staff", body)
    assert text[offset:offset + len(body)] == body
    assert abs((len(text) - len(body)) / len(text) - share) <= FURNITURE_BAND


def test_no_furniture_at_all_is_the_body_alone():
    room = SizedNewsroom.draw(NEWSROOMS[1], 0.0, random.Random(1))
    assert room.page(datetime(1987, 3, 2), "Headline", "By someone", "The body.") == ("The body.", 0)


def test_stock_phrases_open_sentences_of_a_story():
    paras = ["The council met on Monday. It voted to close the old ferry terminal at the harbour.",
             "Residents said they would miss the ferry, which has run since the war."]
    out = sprinkle(paras, random.Random(3))
    used = [p for p in PHRASES if p in " ".join(out)]
    assert 1 <= len(used) <= 3 and len(out) == len(paras)
    assert " ".join(out).replace(", ", " ").split() != " ".join(paras).split()
    for phrase in used:
        assert f"{phrase}, " in " ".join(out)


def test_invented_wire_names_are_on_no_list_and_take_the_credit_in_the_text():
    assert all(unlisted(n) for n in WIRE_NAMES)
    assert not unlisted("Reuters") and not unlisted("Associated Press") and not unlisted("AP")
    assert slug("Agencia Austral") == "agencia-austral"
    text = "He told Reuters. A REUTERS survey.\n\nReuter4 Reuters' view; Reutersville stays."
    assert credited(text, "Meridian Newswire") == \
        "He told Meridian. A MERIDIAN survey.\n\nMeridian4 Meridian's view; Reutersville stays."


WIRE_TEXT = "Harbour board votes to close the old ferry terminal at the end of the summer season."
OWN = "Residents who take the ferry every morning say the drive round the bay will add an hour."


def test_a_copy_of_a_copy_has_the_article_it_took_from_as_source():
    # a reprints the wire sentence and adds a paragraph of its own; c reprints a whole; b reprints the wire
    page_a = f"HERALD\n\n{WIRE_TEXT}\n\n{OWN}"
    start = page_a.index(WIRE_TEXT)
    own = page_a.index(OWN)
    texts = {"w": WIRE_TEXT, "a": page_a, "c": f"TIMES\n\n{WIRE_TEXT}\n\n{OWN}", "b": f"POST\n\n{WIRE_TEXT}"}
    c0 = texts["c"].index(WIRE_TEXT)
    placed = {
        "w": [Placed("w", 0, 0, len(WIRE_TEXT))],
        "a": [Placed("w", 0, start, start + len(WIRE_TEXT)), Placed("a", 0, own, own + len(OWN))],
        "c": [Placed("w", 0, c0, c0 + len(WIRE_TEXT)), Placed("a", 0, c0 + len(WIRE_TEXT) + 2, len(texts["c"]))],
        "b": [Placed("w", 0, 6, 6 + len(WIRE_TEXT))],
    }
    cases = {"w": "wire", "a": "embed", "c": "outlet-copy", "b": "reprint"}
    truth = build_truth(texts, {k: k for k in texts}, cases, placed, Pools([], [], {}, []), took={"c": "a"})
    pairs = {(p["a"], p["b"]): p for p in truth["pairs"]}
    copied = pairs[("a", "c")]
    assert (copied["source"], copied["case"]) == ("a", "outlet-copy")
    assert [(s["a_start"], s["a_end"], s["b_start"], s["b_end"]) for s in copied["spans"]] == \
        [(start, len(page_a), c0, len(texts["c"]))]   # the wire sentence and a's own paragraph, one span
    assert (pairs[("w", "c")]["source"], pairs[("w", "c")]["case"]) == ("w", "indirect")
    assert (pairs[("w", "b")]["source"], pairs[("w", "b")]["case"]) == ("w", "reprint")
    assert pairs[("a", "b")]["source"] is None and pairs[("a", "b")]["case"] == "sibling"


def test_the_lower_bound_of_a_share_grows_with_the_pairs_that_measure_it():
    from benchmarks.accuracy.condition_tables import wilson_lower

    assert wilson_lower(0, 0) == 0.0
    assert round(wilson_lower(8, 10), 3) == 0.490  # the textbook Wilson interval of 8 in 10
    bounds = [wilson_lower(n, n) for n in (1, 10, 100, 1000)]
    assert bounds == sorted(bounds) and all(0 < b < 1 for b in bounds)
    assert wilson_lower(90, 100) < 0.9 < wilson_lower(9000, 10000) + 0.01
