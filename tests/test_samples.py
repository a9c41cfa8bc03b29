"""dedup scan samples/ shows what samples/README.md says it shows."""

import pytest

import dedup

WIRE = "wire/harbor-bridge.txt"
COPIES = {"daily-herald/bridge-reprint.txt", "valley-news/bridge-trimmed.txt",
          "coast-gazette/bridge-edited.txt", "city-times/council-budget.txt", "quicknews/roundup.txt"}


@pytest.fixture(scope="module")
def report(samples_dir):
    articles, problems = dedup.load([str(samples_dir)])
    assert problems == []
    return dedup.scan(articles)


def pair(report, x, y):
    found = [p for p in report.pairs if {p.a, p.b} == {x, y}]
    assert found, f"no pair {x} ~ {y}"
    return found[0]


def test_the_wire_family_and_its_source(report):
    fam = next(f for f in report.families if WIRE in f.members)
    assert set(fam.members) == COPIES | {WIRE, "wire/grain-prices.txt"}
    assert fam.source == WIRE
    assert set(fam.sources) == {WIRE, "wire/grain-prices.txt"}
    for copy in COPIES:
        p = pair(report, WIRE, copy)
        assert p.source == WIRE and p.reason == "date"
        assert {s.kind for s in p.spans} == {"prose"}


@pytest.mark.parametrize("copy, at_least", [
    ("daily-herald/bridge-reprint.txt", 0.85), ("valley-news/bridge-trimmed.txt", 0.95),
    ("coast-gazette/bridge-edited.txt", 0.9), ("city-times/council-budget.txt", 0.2),
    ("quicknews/roundup.txt", 0.35),
])
def test_each_copy_is_covered_as_much_as_it_copies(report, copy, at_least):
    p = pair(report, WIRE, copy)
    assert (p.b_coverage if p.b == copy else p.a_coverage) >= at_least


def test_the_stitched_article_has_a_span_per_copied_paragraph_of_each_source(report):
    assert len(pair(report, WIRE, "quicknews/roundup.txt").prose) == 2
    assert len(pair(report, "wire/grain-prices.txt", "quicknews/roundup.txt").prose) == 2


def test_spans_point_at_the_same_words_in_both_texts(report):
    texts = {a.id: a.text for a in report.documents}
    p = pair(report, WIRE, "daily-herald/bridge-reprint.txt")
    (span,) = p.spans
    assert texts[p.a][span.a_start:span.a_end] == texts[p.b][span.b_start:span.b_end]


def test_the_mayor_stories_share_only_quotations(report):
    p = pair(report, "daily-herald/mayor-speech.txt", "city-times/mayor-address.txt")
    assert [s.kind for s in p.spans] == ["quote", "quote"]
    assert p.a_coverage == p.b_coverage == 0.0 and p.source is None
    assert not any("mayor" in m for f in report.families for m in f.members)


def test_the_herald_template_is_boilerplate_and_recycled_prose_is_reuse(report):
    p = pair(report, "daily-herald/school-garden.txt", "daily-herald/garden-harvest.txt")
    assert [s.kind for s in p.spans] == ["boilerplate", "prose", "boilerplate"]
    assert p.source == "daily-herald/school-garden.txt"
    herald = next(o for o in report.outlets if o.outlet == "daily-herald")
    assert 0.1 < herald.boilerplate_share < 0.2


def test_unrelated_articles_match_nothing(report):
    for lone in ("valley-news/library-hours.txt", "coast-gazette/fishing-season.txt"):
        assert not [p for p in report.pairs if lone in (p.a, p.b)]
    linked = {x for p in report.pairs for x in (p.a, p.b)}
    assert "daily-herald/school-garden.txt" in linked  # only through its own recycled paragraph


def test_per_outlet_reuse(report):
    outlets = {o.outlet: o for o in report.outlets}
    assert outlets["wire"].reused_share == 0.0
    assert outlets["quicknews"].reused_share > 0.8
    assert list(outlets["quicknews"].reused_from) == ["wire"]
    assert set(outlets["daily-herald"].reused_from) == {"wire", "daily-herald"}
    assert outlets["city-times"].reused_share < 0.2  # the mayor quotations add nothing
