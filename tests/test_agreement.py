"""The filter and the scan judge alike: the same rules, in the same stage modules.

A corpus checked against an index in publication order, every article added
after its check, gives the filter's matches; a scan of the same corpus
gives the scan's pairs. They must agree on every pair sharing copied
prose, and on its spans, except where the filter cannot know yet what the
scan knows from the whole corpus. The allowed differences, each checked:

* an outlet's furniture (header, footer) counts as boilerplate only once
  ``boilerplate_docs`` articles of the outlet are in the index; before that
  the filter sees two of the outlet's first articles share prose (the
  furniture) where the scan, counting the whole corpus, sees boilerplate.
* where an outlet publishes one story ``boilerplate_docs`` times or more, the
  story's passages recur in the outlet like its furniture; the furniture rule
  (:func:`dedup.candidates.furniture`) decides from counts of holders, and
  the index's counts so far are not the whole corpus's (the outlet's copies
  may come before the other outlets' of the same day), so the two can call
  that story furniture or copy differently, for the pairs its articles take part in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dedup
from dedup.batching import batches
from dedup.dates import publication_order
from dedup.model import STATUSES, Match

from synthetic import articles as synthetic

Pair = frozenset[str]


def prose_spans(m: Match, first: str) -> list[tuple[int, int, int, int]]:
    """The prose spans of a match, with ``first``'s side first."""
    spans = [(s.a_start, s.a_end, s.b_start, s.b_end) for s in m.prose]
    return sorted(spans if m.a == first else [(c, d, a, b) for a, b, c, d in spans])


def scanned(articles: list[dedup.Article]) -> dict[Pair, Match]:
    return {frozenset((m.a, m.b)): m for m in dedup.scan(articles, jobs=1).pairs if m.prose}


def filtered(articles: list[dedup.Article], location: Path) -> dict[Pair, Match]:
    found: dict[Pair, Match] = {}
    with dedup.Index.open(location) as idx:
        for batch in batches(publication_order(articles), 40):
            for decision in idx.check_many(batch, add=STATUSES):
                found.update((frozenset((m.a, m.b)), m) for m in decision.matches)
    return found


def young_outlet(pair: Pair, articles: list[dedup.Article], settings: dedup.Settings) -> bool:
    """Both articles of one outlet, the later among the outlet's first ``boilerplate_docs - 1``
    published: its furniture was not yet the outlet's boilerplate when it was checked."""
    by_id = {a.id: a for a in articles}
    outlet = {by_id[i].outlet for i in pair}
    if len(outlet) != 1 or None in outlet:
        return False
    order = [a.id for a in publication_order(articles) if a.outlet in outlet]
    return max(order.index(i) for i in pair) < settings.boilerplate_docs - 1


def repeated_in_outlet(pair: Pair, articles: list[dedup.Article], linked: dict[Pair, Match],
                       settings: dedup.Settings) -> bool:
    """One article of the pair is a story its outlet publishes ``boilerplate_docs`` times or
    more: as many of the outlet's articles (itself counted) are linked to it, or to an
    article it is linked to (its source), by either side."""
    outlet = {a.id: a.outlet for a in articles}
    near: dict[str, set[str]] = {}
    for p in linked:
        x, y = sorted(p)
        near.setdefault(x, set()).add(y)
        near.setdefault(y, set()).add(x)
    for x in pair:
        story = {x} | near.get(x, set())
        story |= {z for y in near.get(x, set()) for z in near.get(y, set())}
        if outlet[x] is not None and sum(outlet[z] == outlet[x] for z in story) >= settings.boilerplate_docs:
            return True
    return False


@pytest.mark.parametrize("corpus", ["samples", "synthetic"])
def test_the_filter_finds_the_scans_prose_pairs_and_spans(corpus, samples_dir, tmp_path):
    if corpus == "samples":
        articles, _ = dedup.load([str(samples_dir)])
    else:
        articles = [dedup.Article(r["id"], r["text"], outlet=r["outlet"], date=r["date"])
                    for r in synthetic(300, outlets=6, seed=3)]
    scan, filt = scanned(articles), filtered(articles, tmp_path / "agree.idx")
    assert len(scan) > 10
    only_filter = set(filt) - set(scan)
    s, linked = dedup.Settings(), {**scan, **filt}

    def allowed(p: Pair) -> bool:
        return young_outlet(p, articles, s) or repeated_in_outlet(p, articles, linked, s)

    assert {p for p in set(scan) - set(filt) if not allowed(p)} == set()
    assert {p for p in only_filter if not allowed(p)} == set()
    differ = [sorted(p) for p in set(scan) & set(filt)
              if prose_spans(filt[p], min(p)) != prose_spans(scan[p], min(p)) and not allowed(p)]
    assert differ == []
    assert len(set(scan) & set(filt)) > 0.8 * len(scan)  # the allowances leave most pairs to compare
