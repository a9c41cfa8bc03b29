"""The five real seed articles: shared quoted lines are found, labelled quote, and nothing else links them."""

import pytest

import dedup

LINES = {
    "vibrant colors": ({"000", "003"}, "vibrant colors, two strong"),
    "bad dudes": ({"000", "002", "003"}, "bad dudes out of this country"),
    "listened closely": ({"003", "004"}, "We listened closely and carefully to each other"),
    "no mass deportations": ({"000", "002"}, "no mass deportations"),
    "sovereign countries": ({"000", "003", "004"}, "sovereign countries from time to time will have differences"),
}


@pytest.fixture(scope="module")
def report(seeds_dir):
    articles, problems = dedup.load([str(seeds_dir)])
    assert len(articles) == 5 and problems == []
    return dedup.scan(articles)


def short(doc_id):
    return doc_id[:3]


def spans_with(report, needle):
    texts = {a.id: a.text for a in report.documents}
    found = []
    for p in report.pairs:
        for s in p.spans:
            a_text, b_text = texts[p.a][s.a_start:s.a_end], texts[p.b][s.b_start:s.b_end]
            if needle in a_text or needle in b_text:
                found.append((short(p.a), short(p.b), s.kind, a_text, b_text))
    return found


@pytest.mark.parametrize("name", sorted(LINES))
def test_each_shared_quoted_line_is_found_between_the_right_articles_as_a_quote(report, name):
    articles, needle = LINES[name]
    found = spans_with(report, needle)
    linked = {x for a, b, *_ in found for x in (a, b)}
    assert linked == articles, found
    assert {kind for _, _, kind, *_ in found} == {"quote"}
    pairs = {frozenset((a, b)) for a, b, *_ in found}
    assert len(pairs) == len(articles) * (len(articles) - 1) // 2


def test_no_copied_prose_and_no_families(report):
    assert all(s.kind == "quote" for p in report.pairs for s in p.spans)
    assert report.families == ()


def test_001_is_linked_to_nothing_despite_the_stock_phrase(report):
    assert not [p for p in report.pairs if "001" in (short(p.a), short(p.b))]
    assert not [p for p in report.pairs if {short(p.a), short(p.b)} == {"001", "004"}]
