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


# ---------------------------------------------------------------- other languages, and a copy made to evade

CHINESE = ("dongfang-wire/river-bridge.txt", "chengwan-evening/bridge-residents.txt")
RUSSIAN = ("severny-vestnik/port-strike.txt", "rechnoy-listok/port-strike.txt")
SPANISH = "agencia-meridiana/embalses.txt"
DISGUISED = "espejo-digital/embalses.txt"
QUOTING = "diario-del-valle/pleno-agua.txt"
OTHER = {*CHINESE, *RUSSIAN, SPANISH, DISGUISED, QUOTING}
HIDDEN = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
LOOKALIKES = str.maketrans("аеорсіху", "aeopcixy")


def texts(report):
    return {a.id: a.text for a in report.documents}


@pytest.mark.parametrize("source, copy, spans, at_least", [(*CHINESE, 2, 0.45), (*RUSSIAN, 1, 0.85)])
def test_copies_in_chinese_and_russian_name_their_source_and_point_at_the_copied_text(
        report, source, copy, spans, at_least):
    p = pair(report, source, copy)
    assert (p.a, p.source, p.reason) == (source, source, "date")
    assert len(p.prose) == spans and {s.kind for s in p.spans} == {"prose"}
    assert p.b_coverage >= at_least
    text = texts(report)
    for s in p.prose:
        if s.score == 1.0:
            assert text[p.a][s.a_start:s.a_end] == text[p.b][s.b_start:s.b_end]
    fam = next(f for f in report.families if source in f.members)
    assert set(fam.members) == {source, copy} and fam.source == source


def test_a_copy_with_hidden_characters_and_look_alikes_is_found_as_its_clean_text_would_be(report):
    text = texts(report)
    sly = text[DISGUISED]
    visible = sly.translate(HIDDEN)
    assert len(visible) < len(sly) and visible != visible.translate(LOOKALIKES)
    p = pair(report, SPANISH, DISGUISED)
    (span,) = p.spans
    assert (p.source, span.kind, span.score) == (SPANISH, "prose", 1.0)
    copied = sly[span.b_start:span.b_end]
    assert copied.translate(HIDDEN).translate(LOOKALIKES) == text[SPANISH][span.a_start:span.a_end]
    clean = dedup.Article("clean", sly.translate(HIDDEN).translate(LOOKALIKES), outlet="elsewhere", date="2026-03-05")
    (plain,) = dedup.scan([a for a in report.documents if a.id == SPANISH] + [clean], jobs=1).pairs[0].spans
    assert (plain.a_start, plain.a_end) == (span.a_start, span.a_end)


def test_a_quotation_in_guillemets_shared_by_spanish_stories_is_a_quote(report):
    for other in (SPANISH, DISGUISED):
        p = pair(report, other, QUOTING)
        assert [s.kind for s in p.spans] == ["quote"] and p.source is None
    assert not any(QUOTING in f.members for f in report.families)


def test_other_languages_pair_only_as_designed(report):
    touching = {frozenset((p.a, p.b)) for p in report.pairs if {p.a, p.b} & OTHER}
    assert touching == {frozenset(CHINESE), frozenset(RUSSIAN), frozenset((SPANISH, DISGUISED)),
                        frozenset((SPANISH, QUOTING)), frozenset((DISGUISED, QUOTING))}
