from hypothesis import given
from hypothesis import strategies as st

from dedup.families import group
from dedup.model import Article, Match, Span
from dedup.outlets import credit, outlet_stats
from dedup.ranges import length, union_length

PROSE = (Span(0, 50, 0, 50, 1.0, "prose"),)
QUOTE = (Span(0, 50, 0, 50, 1.0, "quote"),)


def art(i, outlet="o", date=None):
    return Article(i, "x" * 100, outlet=outlet, date=date)


def test_families_are_connected_components_of_prose_reuse():
    arts = [art(x) for x in "abcdef"]
    pairs = [Match("a", "b", PROSE, 0.5, 0.5, "a", "date"), Match("b", "c", PROSE, 0.5, 0.5, "a", "date"),
             Match("d", "e", PROSE, 0.5, 0.5), Match("e", "f", QUOTE, 0.0, 0.0)]
    fams = group(pairs, arts)
    assert [f.members for f in fams] == [("a", "b", "c"), ("d", "e")]
    assert fams[0].source == "a" and fams[0].sources == ("a",)
    assert fams[1].source is None


def test_the_family_source_is_the_root_most_members_copy():
    arts = [art("w1", date="2026-01-01"), art("w2", date="2026-01-01"), art("x"), art("y"), art("s")]
    pairs = [Match("w1", "x", PROSE, .5, .5, "w1", "date"), Match("w1", "y", PROSE, .5, .5, "w1", "date"),
             Match("w1", "s", PROSE, .5, .5, "w1", "date"), Match("w2", "s", PROSE, .5, .5, "w2", "date")]
    (fam,) = group(pairs, arts)
    assert fam.source == "w1" and set(fam.sources) == {"w1", "w2"}


def test_union_length_counts_overlaps_once():
    assert union_length([(0, 10), (5, 15), (20, 25)]) == 20


def test_copied_text_is_credited_once_to_the_most_original_source():
    arts = [art("wire", "wire", "2026-01-01"), art("herald", "herald", "2026-01-02"),
            art("gazette", "gazette", "2026-01-03")]
    pairs = [Match("wire", "herald", PROSE, .5, .5, "wire", "date"),
             Match("wire", "gazette", PROSE, .5, .5, "wire", "date"),
             Match("herald", "gazette", (Span(0, 80, 0, 80, 1.0, "prose"),), .8, .8, "herald", "date")]
    stats = {o.outlet: o for o in outlet_stats(arts, pairs)}
    assert stats["gazette"].reused_share == 0.8
    assert dict(stats["gazette"].reused_from) == {"wire": 0.5, "herald": 0.3}
    assert stats["wire"].reused_share == 0.0 and stats["wire"].shared_share == 0.5


@given(st.lists(st.tuples(st.sampled_from("abc"), st.tuples(st.integers(0, 60), st.integers(0, 60))), max_size=12))
def test_credited_pieces_never_overlap_so_their_lengths_add_up(offers):
    credited = credit(offers, "abc".index)
    pieces = [r for ranges in credited.values() for r in ranges]
    assert length(pieces) == union_length(pieces) == union_length(r for _, r in offers)
