"""Character ranges against the simplest reference: the set of characters they cover."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedup.ranges import Range, covered_each, difference, intersection, merge, union_length

ranges = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12)


def chars(rs: list[Range]) -> set[int]:
    return {c for s, e in rs for c in range(s, e)}


def runs(cs: set[int]) -> list[Range]:
    """Sorted maximal runs of a set of characters."""
    found: list[Range] = []
    for c in sorted(cs):
        if found and found[-1][1] == c:
            found[-1] = (found[-1][0], c + 1)
        else:
            found.append((c, c + 1))
    return found


@given(ranges, ranges)
def test_difference_is_the_characters_of_one_outside_the_other(a: list[Range], b: list[Range]) -> None:
    assert difference(a, b) == runs(chars(a) - chars(b))


@given(ranges, ranges)
def test_intersection_is_the_characters_both_cover(a: list[Range], b: list[Range]) -> None:
    assert intersection(a, b) == runs(chars(a) & chars(b))


@given(ranges)
def test_merge_and_union_length_count_each_character_once(a: list[Range]) -> None:
    assert merge(a) == runs(chars(a))
    assert union_length(a) == len(chars(a))


@given(ranges, ranges)
def test_covered_each_counts_the_characters_of_each_part_inside_the_others(a: list[Range], b: list[Range]) -> None:
    parts = merge(a)
    assert covered_each(parts, b) == [len(chars([p]) & chars(b)) for p in parts]


def test_a_body_less_its_furniture_keeps_the_story_between() -> None:
    assert difference([(0, 100)], [(0, 10), (40, 50), (95, 120)]) == [(10, 40), (50, 95)]
