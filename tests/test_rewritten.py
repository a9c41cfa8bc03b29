"""Rewritten copies: prose whose words a desk mostly changed, its content kept in order."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.align import Segment
from dedup.bridges import Side as Words
from dedup.bridges import stemmer
from dedup.families import group
from dedup.kinds import CONTENT_SCORE, content_score
from dedup.local import scan
from dedup.model import Article, Match, Span
from dedup.outlets import outlet_stats
from dedup.pairs import compare
from dedup.render_text import summary
from dedup.settings import Settings
from dedup.text import tokenize

from rewrites import LIGHT, REWRITE, SOURCE

BRIDGES = Settings(bridge_words=24)
"""Anchors alone find only the rewrite's least changed sentence; bridges find all of it."""


def spans(a: str, b: str, settings: Settings = BRIDGES) -> list[Span]:
    m = compare(Article("a", "Our own opening line. " + a), Article("b", b + " A closing line of ours."), settings)
    return list(m.spans) if m else []


def test_a_heavy_rewrite_of_a_paragraph_is_rewritten():
    (span,) = spans(SOURCE, REWRITE)
    assert span.kind == "rewritten"
    assert span.score < BRIDGES.rewritten_score  # few identical words ...
    assert span.content is not None and span.content >= CONTENT_SCORE  # ... but the content, in order


def test_a_verbatim_copy_stays_prose():
    (span,) = spans(SOURCE, SOURCE)
    assert (span.kind, span.score, span.content) == ("prose", 1.0, None)


def test_a_light_edit_stays_prose():
    (span,) = spans(SOURCE, LIGHT)
    assert span.kind == "prose" and 0.9 < span.score < 1.0


def test_with_rewritten_score_zero_nothing_is_rewritten():
    (span,) = spans(SOURCE, REWRITE, replace(BRIDGES, rewritten_score=0.0))
    assert span.kind == "prose"


def test_a_rewritten_pair_is_a_copy_pair():
    m = compare(Article("a", SOURCE, date="2026-03-01"), Article("b", REWRITE, date="2026-03-02"), BRIDGES)
    assert m is not None and [s.kind for s in m.spans] == ["rewritten"]
    assert m.copied == m.spans and m.prose == ()
    assert m.source == "a" and m.b_coverage > 0.8  # coverage and direction read rewritten text as copied
    (family,) = group([m], [Article("a", SOURCE, date="2026-03-01"), Article("b", REWRITE, date="2026-03-02")])
    assert family.members == ("a", "b")


def test_content_words_in_another_order_are_no_rewrite():
    words = [Words(tokenize(t), t, stemmer("english"), None) for t in (SOURCE, " ".join(reversed(SOURCE.split())))]
    whole = Segment(0, len(words[0].tokens), 0, len(words[1].tokens), matched=0, score=0.0)
    assert content_score(words[0], words[0], whole) == 1.0
    assert content_score(words[0], words[1], whole) < CONTENT_SCORE


def test_outlet_figures_count_rewritten_text_apart_from_verbatim_prose():
    arts = [Article("w", "x" * 100, outlet="wire"), Article("g", "x" * 100, outlet="gazette"),
            Article("r", "x" * 100, outlet="rewriter")]
    pairs = [Match("w", "g", (Span(0, 50, 0, 50, 1.0, "prose"),), 0.5, 0.5, "w", "date"),
             Match("w", "r", (Span(0, 60, 0, 60, 0.7, "rewritten", content=0.7),
                              Span(60, 80, 60, 80, 1.0, "prose")), 0.8, 0.8, "w", "date")]
    stats = {o.outlet: o for o in outlet_stats(arts, pairs)}
    assert (stats["gazette"].reused_share, stats["gazette"].rewritten_share) == (0.5, 0.0)
    assert (stats["rewriter"].reused_share, stats["rewriter"].rewritten_share) == (0.2, 0.6)
    assert stats["rewriter"].shared_share == 0.2 and stats["rewriter"].reused_from == {"wire": 0.2}
    assert stats["wire"].rewritten_share == 0.0  # the source rewrote nothing


def test_text_both_copied_and_rewritten_counts_as_copied_once():
    arts = [Article("w", "x" * 100, outlet="wire"), Article("v", "x" * 100, outlet="wire"),
            Article("r", "x" * 100, outlet="rewriter")]
    pairs = [Match("w", "r", (Span(0, 60, 0, 60, 0.7, "rewritten", content=0.7),), 0.6, 0.6, "w", "date"),
             Match("v", "r", (Span(0, 40, 20, 60, 1.0, "prose"),), 0.4, 0.4, "v", "date")]
    (rewriter,) = [o for o in outlet_stats(arts, pairs) if o.outlet == "rewriter"]
    assert (rewriter.reused_share, rewriter.rewritten_share) == (0.4, 0.2)


@given(st.lists(st.tuples(st.integers(0, 90), st.integers(1, 40), st.sampled_from(["prose", "rewritten"])),
                max_size=6))
def test_verbatim_and_rewritten_shares_never_count_a_character_twice(cuts):
    arts = [Article("w", "x" * 200, outlet="wire"), Article("r", "x" * 200, outlet="rewriter")]
    found = tuple(Span(s, s + n, s, s + n, 1.0 if k == "prose" else 0.7, k) for s, n, k in cuts)
    stats = outlet_stats(arts, [Match("w", "r", found, 0.5, 0.5, "w", "date")])
    (rewriter,) = [o for o in stats if o.outlet == "rewriter"]
    verbatim = {c for s in found if s.kind == "prose" for c in range(s.a_start, s.a_end)}
    copied = {c for s in found for c in range(s.a_start, s.a_end)}
    assert rewriter.reused_share == pytest.approx(len(verbatim) / 200, abs=1e-4)
    assert rewriter.reused_share + rewriter.rewritten_share == pytest.approx(len(copied) / 200, abs=1e-4)


def test_the_summary_names_a_rewritten_pair_and_shows_the_outlets_rewritten_share():
    report = scan([Article("wire-1", SOURCE, outlet="wire", date="2026-03-01"),
                   Article("desk-1", REWRITE, outlet="desk", date="2026-03-02")], BRIDGES)
    text = summary(report)
    assert "1 pairs sharing copied prose (1 rewritten)" in text
    assert "desk-1 (desk, 2026-03-02) copies wire-1 (wire, 2026-03-01), by date: 89.0% of it rewritten" in text
    header, desk = (line.split() for line in text.splitlines() if line.startswith(("outlet ", "desk ")))
    assert dict(zip(header[1:6], desk[1:6])) == {"articles": "1", "reused": "–", "shared": "–",
                                                 "rewritten": "89.0%", "template": "–"}
