"""Recurring passages: a passage several otherwise unrelated articles hold must be beyond chance in the whole corpus."""

from __future__ import annotations

from itertools import combinations

from dedup.model import Match, Span
from dedup.recurring import HOLDERS, SMALL, Around, beyond_chance, kept, recurring, recurring_in
from dedup.settings import Settings

S = Settings()


def pair(a: str, b: str, at: int = 100, expect: float | None = 0.01, cover: float = 0.05) -> Match:
    """Two articles sharing one prose span that starts at ``at`` in both."""
    return Match(a, b, (Span(at, at + 150, at, at + 150, 1.0, "prose", expect),), cover, cover, None, None, None)


def test_a_sentence_that_four_articles_share_and_nothing_else_recurs() -> None:
    holders = [f"s{k}" for k in range(HOLDERS)]
    pairs = [pair(a, b) for a, b in combinations(holders, 2)]
    assert recurring(pairs) == list(range(len(pairs)))


def test_fewer_holders_or_another_passage_do_not_recur() -> None:
    few = [pair(a, b) for a, b in combinations([f"s{k}" for k in range(HOLDERS - 1)], 2)]
    assert recurring(few) == []
    holders = [f"s{k}" for k in range(HOLDERS)]
    elsewhere = [pair(a, b, at=100 if "s0" not in (a, b) else 100 + 400 * k)
                 for k, (a, b) in enumerate(combinations(holders, 2))]
    assert 0 not in recurring(elsewhere)  # s0 shares a different passage with each of the others


def test_a_wire_sentence_copied_by_outlets_that_reprint_the_wire_does_not_recur() -> None:
    """The wire and its reprints share their whole text: they are related, not a template."""
    outlets = [f"o{k}" for k in range(HOLDERS + 1)]
    pairs = [pair("wire", o, cover=0.9) for o in outlets] + [pair(a, b, cover=0.9) for a, b in combinations(outlets, 2)]
    pairs += [pair("lede-copy", x) for x in ["wire", *outlets]]
    assert recurring(pairs) == []


def test_a_recurring_pair_stays_only_beyond_chance_in_the_whole_corpus() -> None:
    holders = [f"s{k}" for k in range(HOLDERS)]
    weak = [pair(a, b, expect=0.01) for a, b in combinations(holders, 2)]
    assert kept(weak, searches=1000, settings=S) == []  # 0.01 x 1000 searches: ten expected by chance
    assert kept(weak, searches=50, settings=S) == weak  # half an expected run: beyond chance
    strong = [pair(a, b, expect=1e-9) for a, b in combinations(holders, 2)]
    assert kept(strong, searches=1e6, settings=S) == strong  # a press release's sentence
    assert kept(weak, searches=None, settings=S) == weak  # chance not measured: nothing to hold it to
    assert beyond_chance(pair("x", "y", expect=None), 1e9, S)


def test_pairs_that_share_much_are_never_dropped() -> None:
    holders = [f"s{k}" for k in range(HOLDERS + 2)]
    pairs = [pair(a, b, cover=SMALL, expect=0.5) for a, b in combinations(holders, 2)]
    assert recurring(pairs) == [] and kept(pairs, 1e6, S) == pairs


def test_a_paragraph_three_outlets_lift_from_a_source_no_one_reprints_whole_recurs() -> None:
    """The rule's cost where a corpus is not templated: nothing in the pairs tells these
    copies from a template's sentence, so they must be beyond chance in the whole corpus."""
    pairs = [pair(a, b, cover=0.1) for a, b in combinations(["source", "o1", "o2", "o3"], 2)]
    assert recurring(pairs) == list(range(len(pairs)))
    assert kept(pairs, searches=5000, settings=S) == []  # expect 0.01 each: 50 such runs by chance
    assert kept([pair(a, b, cover=0.1, expect=1e-6) for a, b in combinations(["source", "o1", "o2", "o3"], 2)],
                searches=5000, settings=S) != []


def unrelated(x: str, y: str) -> bool:
    return False


ALONE = Around("in", unrelated)


def test_seen_from_one_article_a_passage_it_shares_with_three_others_recurs() -> None:
    """The filter's view: an incoming article's matches, the pairs among its partners never aligned."""
    mine = [pair("in", f"s{k}") for k in range(HOLDERS - 1)]
    assert recurring_in(mine, ALONE) == list(range(len(mine)))
    assert recurring_in(mine[:-1], ALONE) == []  # three holders with "in": too few
    elsewhere = [pair("in", f"s{k}", at=100 + 400 * k) for k in range(HOLDERS - 1)]
    assert recurring_in(elsewhere, ALONE) == []  # another passage of "in" with each
    assert kept(mine, searches=1000, settings=S, around=ALONE) == []
    assert kept(mine, searches=50, settings=S, around=ALONE) == mine


def test_seen_from_one_article_the_stream_holds_the_passage_too() -> None:
    """Articles of the stream that hold the passage count as holders before they are aligned
    with anything (a young index), but not the pair's own articles, nor copies of either."""
    mine = [pair("in", "s1")]
    stream = Around("in", unrelated, lambda p: ["in", "s1", "later-1", "later-2"])
    assert recurring_in(mine, stream) == [0]
    assert recurring_in(mine, Around("in", unrelated, lambda p: ["in", "s1", "later-1"])) == []
    copies = Around("in", lambda x, y: {x, y} == {"s1", "later-2"}, stream.holders)
    assert recurring_in(mine, copies) == []


def test_seen_from_one_article_copies_of_one_story_hold_its_sentence_once() -> None:
    """A sentence of a wire story that the index holds with a reprint of it: for the pair
    with the wire, the reprint is no third holder (their own pair shares more), as in a
    scan; for the pair with an outlet that lifted the sentence alone, both are."""
    mine = [pair("in", "wire"), pair("in", "reprint"), pair("in", "o1")]

    def related(x: str, y: str) -> bool:
        return {x, y} == {"wire", "reprint"}

    assert recurring_in(mine, Around("in", related)) == [2]
    assert recurring_in(mine, ALONE) == [0, 1, 2]
