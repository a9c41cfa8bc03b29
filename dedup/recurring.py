"""Recurring passages: one passage held by several articles that share nothing else.

A wire story reprinted by five outlets links six articles that share most of
their text. A sentence that four articles hold and nothing else links them is
something else: the stock phrasing of a template (market reports, results
tables, legal notices), or the text of a common source the corpus lacks (a
press release). Chance tells the two apart, but at another scale: each pair's
``expect`` (:mod:`dedup.chance`) counts the runs chance gives one article
against the rest, so over a whole corpus about one pair in every two articles
reaches ``max_expect`` by chance. That is the price of finding one sentence
copied once; a passage that recurs across otherwise unrelated articles is where
that price is paid, so such a pair must be beyond chance in the corpus as a
whole: some span of it expected fewer than ``max_expect`` times among all pairs
of articles (``expect`` times the searches, :attr:`dedup.chance.Chance.searches`).
A press release's sentence clears that bar in any corpus of news; a template's
sentence, in a corpus of templates, does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Match
from .ranges import Range
from .settings import Settings

SMALL = 0.25
"""A pair whose prose covers less than this share of each of its articles shares little else."""
HOLDERS = 4
"""Articles holding one passage, pairwise sharing little else, for it to recur."""


def _on(pair: Match, article: str) -> list[Range]:
    """The prose ranges of ``pair`` in ``article`` (one of its two)."""
    if pair.a == article:
        return [(s.a_start, s.a_end) for s in pair.copied]
    return [(s.b_start, s.b_end) for s in pair.copied]


def _meet(x: list[Range], y: list[Range]) -> bool:
    return any(a0 < b1 and b0 < a1 for a0, a1 in x for b0, b1 in y)


def _small(pairs: Sequence[Match]) -> list[int]:
    """Positions of the pairs that copy prose and share little else."""
    return [i for i, p in enumerate(pairs) if p.copied and max(p.a_coverage, p.b_coverage) < SMALL]


def recurring(pairs: Sequence[Match]) -> list[int]:
    """Positions of the pairs that rest on a recurring passage: pairs sharing little else,
    whose passage in each article is also what ``HOLDERS - 2`` or more third articles
    share with both of them, each of those pairs sharing little else too. A wire story's
    sentence copied by outlets that reprint the wire does not recur (the wire and its
    reprints share more); one paragraph that three outlets lift from a source no one
    reprints whole does, as a template's sentence does: only chance tells them apart."""
    small = _small(pairs)
    partners: dict[str, dict[str, int]] = defaultdict(dict)
    for i in small:
        p = pairs[i]
        partners[p.a][p.b] = partners[p.b][p.a] = i
    found = []
    for i in small:
        p = pairs[i]
        mine_a, mine_b = _on(p, p.a), _on(p, p.b)
        third = partners[p.a].keys() & partners[p.b].keys()
        held = sum(1 for c in third if _meet(_on(pairs[partners[p.a][c]], p.a), mine_a)
                   and _meet(_on(pairs[partners[p.b][c]], p.b), mine_b))
        if held >= HOLDERS - 2:
            found.append(i)
    return found


@dataclass(frozen=True)
class Around:
    """What one article's view of its pairs needs beyond them (:func:`recurring_in`)."""

    article: str
    related: Callable[[str, str], bool]
    """Whether two articles share more than a passage (copies of one story)."""
    holders: Callable[[Match], Iterable[str]] = lambda pair: ()
    """Articles seen to hold the pair's passage in ``article`` but not aligned with it (the
    stream's: the filter's batch, before and after it, dropped or not)."""


def recurring_in(pairs: Sequence[Match], around: Around) -> list[int]:
    """:func:`recurring` seen from one article: ``pairs`` are its pairs with the articles it
    was aligned with (the filter's matches of an incoming article), and the pairs among
    those were never aligned. A third article counts when it holds this pair's passage
    in the article (its own pair with the article meets it and shares little else, or
    ``around.holders`` names it) and is ``related`` neither to the article nor to the
    pair's other article (a reprint of the same story holds its sentences too)."""
    me = around.article
    small = _small(pairs)
    found = []
    for i in small:
        mine, other = _on(pairs[i], me), _partner(pairs[i], me)
        third = {_partner(pairs[k], me) for k in small if k != i and _meet(_on(pairs[k], me), mine)}
        third |= set(around.holders(pairs[i]))
        third -= {me, other}
        held = sum(1 for c in third if not around.related(other, c) and not around.related(me, c))
        if held >= HOLDERS - 2:
            found.append(i)
    return found


def _partner(pair: Match, article: str) -> str:
    return pair.b if pair.a == article else pair.a


def beyond_chance(pair: Match, searches: float, settings: Settings) -> bool:
    """Whether some prose span of ``pair`` is expected fewer than ``max_expect`` times among
    all pairs of articles (``searches`` times its own ``expect``), or was not measured."""
    return any(s.expect is None or s.expect * searches < settings.max_expect for s in pair.copied)


def kept(pairs: Sequence[Match], searches: float | None, settings: Settings, *,
         around: Around | None = None) -> list[Match]:
    """The pairs without those that rest on a recurring passage no further than chance goes
    in the corpus as a whole (``searches``: None when chance was not measured, and then
    every pair is kept). ``around``: the pairs are one article's (:func:`recurring_in`)."""
    if searches is None:
        return list(pairs)
    found = recurring(pairs) if around is None else recurring_in(pairs, around)
    drop = {i for i in found if not beyond_chance(pairs[i], searches, settings)}
    return [p for i, p in enumerate(pairs) if i not in drop]
