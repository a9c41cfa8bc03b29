"""Stories: originals and their copies, the edit summary of each copy, and every article's coverage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dedup
from dedup.model import Article, Edits, Match, Span
from dedup.stories import Layout, describe, most_copied, summary, tell

import samples_readme

WORDS = ("harbor council bridge vote ferry tunnel budget grant toll river school garden library mayor "
         "engineer tower spring winter season farmer wheat rain drought market price bread bakery").split()


def paragraph(n: int, quote: bool = False) -> str:
    """A distinct paragraph of about thirty words (a quotation when ``quote``)."""
    words = [WORDS[(n * 7 + k * 3) % len(WORDS)] + ("s" if (n + k) % 4 == 0 else "") for k in range(30)]
    body = " ".join(words).capitalize() + f" number {n}."
    return f'"{body}" said the mayor of district {n}.' if quote else body


def text(parts: list[str]) -> str:
    return "\n\n".join(parts)


def ranges(whole: str, parts: list[str]) -> list[tuple[int, int]]:
    return [(whole.index(p), whole.index(p) + len(p)) for p in parts]


def edits_of(original: list[str], copy: list[str], furniture: int = 0, changed: int = 0) -> Edits:
    """The edit summary of a copy that took, word for word, the paragraphs both lists share."""
    o, c = text(original), text(copy)
    shared = [p for p in original if p in copy]
    return summary(Layout.of(o), Layout.of(c), ranges(o, shared), ranges(c, shared), [], furniture, changed)


WIRE = [paragraph(n, quote=n == 3) for n in range(8)]


@pytest.mark.parametrize("copy, words", [
    (WIRE, ("whole",)),
    (WIRE[:5], ("5 of 8 paragraphs", "trimmed at the end (3 paragraphs)")),
    ([paragraph(50)] + WIRE[1:], ("7 of 8 paragraphs", "lede rewritten")),
    (WIRE[:3] + WIRE[4:], ("7 of 8 paragraphs", "1 quotation dropped")),
    (WIRE[:5] + WIRE[6:], ("7 of 8 paragraphs", "1 paragraph dropped")),
    (WIRE[:2] + [paragraph(60), paragraph(61)] + WIRE[2:], ("whole", "2 paragraphs added")),
    ([paragraph(70)] + WIRE[4:6] + [paragraph(71)],
     ("2 of 8 paragraphs", "6 paragraphs dropped", "2 paragraphs added")),
], ids=["whole", "trimmed", "lede", "quotation", "dropped", "added", "excerpt"])
def test_edit_summaries_say_what_the_copy_changed(copy: list[str], words: tuple[str, ...]) -> None:
    assert describe(edits_of(WIRE, copy)) == words


def test_a_short_paragraph_copied_whole_is_kept_not_dropped() -> None:
    """A paragraph shorter than PART characters, held whole, counts as kept (never a negative "shortened")."""
    original = WIRE[:3] + ["Votes: 7 to 2."] + WIRE[3:]
    for copy in (original, original[:4]):
        edits = edits_of(original, copy)
        assert edits.kept == len(copy) and edits.shortened == 0 and edits.dropped == 0


def test_a_footer_the_template_accounts_for_is_furniture_not_a_paragraph_of_its_own() -> None:
    footer = "Subscribe to our morning letter for the news of the valley, every weekday before seven."
    assert describe(edits_of(WIRE, WIRE + [footer])) == ("whole", "1 paragraph added")
    edits = edits_of(WIRE, WIRE + [footer], furniture=len(footer))
    assert describe(edits) == ("whole", "furniture added") and edits.furniture_added == len(footer)


def test_a_paragraph_held_in_part_is_shortened_and_words_changed_are_counted() -> None:
    o, c = text(WIRE), text(WIRE[:4] + [WIRE[4][:60]] + WIRE[5:])
    taken = ranges(o, WIRE[:4] + [WIRE[4][:60]] + WIRE[5:])
    edits = summary(Layout.of(o), Layout.of(c), taken, ranges(c, WIRE[:4] + [WIRE[4][:60]] + WIRE[5:]), [], 0, 3)
    assert (edits.kept, edits.shortened, edits.dropped) == (7, 1, 0)
    assert describe(edits) == ("whole", "1 paragraph shortened", "3 words changed")


def prose(a: str, b: str, whole_a: str, whole_b: str, parts: list[str]) -> tuple[Span, ...]:
    return tuple(Span(whole_a.index(p), whole_a.index(p) + len(p), whole_b.index(p), whole_b.index(p) + len(p), 1.0)
                 for p in parts)


def pair(x: Article, y: Article, parts: list[str], source: str | None = "x") -> Match:
    spans = prose(x.id, y.id, x.text, y.text, parts)
    cov = [round(sum(s.a_end - s.a_start for s in spans) / len(x.text), 4),
           round(sum(s.b_end - s.b_start for s in spans) / len(y.text), 4)]
    src = {"x": x.id, "y": y.id, None: None}[source]
    return Match(x.id, y.id, spans, cov[0], cov[1], src, "date" if src else None, 0.99 if src else None)


def art(i: str, parts: list[str], date: str) -> Article:
    return Article(i, text(parts), outlet=i.split("/")[0], date=date, title=f"Title of {i}")


def test_a_stitched_article_is_under_each_original_with_the_share_from_each() -> None:
    bridge = [paragraph(n) for n in range(6)]
    grain = [paragraph(n) for n in range(20, 26)]
    w1, w2 = art("wire/bridge", bridge, "2026-01-01"), art("wire/grain", grain, "2026-01-01")
    mix = art("farm/roundup", [bridge[1], grain[2], grain[3]], "2026-01-03")
    reprint = art("herald/reprint", bridge, "2026-01-02")
    pairs = [pair(w1, reprint, bridge), pair(w1, mix, [bridge[1]]), pair(w2, mix, grain[2:4]),
             pair(reprint, mix, [bridge[1]])]
    stories, coverage = tell([w1, w2, reprint, mix], pairs)
    assert [(s.original, [c.id for c in s.copies]) for s in stories] == [
        ("wire/bridge", ["herald/reprint", "farm/roundup"]), ("wire/grain", ["farm/roundup"])]
    share = {s.original: c.share for s in stories for c in s.copies if c.id == "farm/roundup"}
    cov = {c.id: c for c in coverage}["farm/roundup"]
    assert share == {"wire/bridge": cov.sources["wire/bridge"], "wire/grain": cov.sources["wire/grain"]}
    assert share["wire/grain"] > 1.8 * share["wire/bridge"]  # two grain paragraphs, one bridge paragraph
    assert set(cov.sources) == {"wire/bridge", "wire/grain"}  # the reprint's copy of it is the wire's
    assert cov.original == pytest.approx(1 - sum(cov.sources.values()), abs=1e-3)
    assert {c.id: c for c in coverage}["wire/bridge"].original == 1.0


def test_a_copy_of_a_copy_is_under_the_original_via_the_copy_it_took_from() -> None:
    w = art("wire/a", [paragraph(n) for n in range(5)], "2026-01-01")
    x = art("x/b", w.text.split("\n\n") + [paragraph(40)], "2026-01-02")
    y = art("y/c", [paragraph(40), paragraph(41)], "2026-01-03")  # only what x added
    (story,) = tell([w, x, y], [pair(w, x, w.text.split("\n\n")), pair(x, y, [paragraph(40)])])[0]
    assert story.original == "wire/a"
    assert [(c.id, c.via) for c in story.copies] == [("x/b", None), ("y/c", "x/b")]


def test_pairs_without_a_source_make_no_story_and_more_copies_come_first() -> None:
    parts = [paragraph(n) for n in range(4)]
    a, b, c, d, g = (art(f"o{n}/s", parts, f"2026-01-0{n + 1}") for n in range(5))
    e, f = art("p/e", [paragraph(9)], "2026-01-01"), art("p/f", [paragraph(9)], "2026-01-01")
    pairs = [pair(d, g, parts), pair(a, b, parts[:2]), pair(a, c, parts[:1]), pair(e, f, [paragraph(9)], None)]
    stories, _ = tell([a, b, c, d, g, e, f], pairs)
    assert [(s.original, len(s.copies)) for s in stories] == [("o0/s", 2), ("o3/s", 1)]


def test_most_copied_orders_pairs_by_copied_shares_then_spans() -> None:
    span = Span(0, 10, 0, 10, 1.0, "quote")
    pairs = [Match("a", "b", (), 0.2, 0.3), Match("c", "d", (span, span), 0.0, 0.0), Match("e", "f", (), 0.5, 0.5),
             Match("g", "h", (span,), 0.0, 0.0)]
    assert most_copied(pairs) == [2, 0, 1, 3]


def test_the_samples_have_the_stories_and_summaries_samples_readme_gives(samples_dir: Path) -> None:
    articles, _ = dedup.load([str(samples_dir)])
    report = dedup.scan(articles)
    found = [(s.original, c.id, ", ".join(describe(c.edits))) for s in report.stories for c in s.copies]
    assert found == samples_readme.stories() and len(found) == 10
    assert not any(re.search("mayor", x) for row in found for x in row[:2])


def test_a_dense_web_of_copies_of_copies_is_told_without_walking_every_path() -> None:
    """Each article copies a paragraph from every earlier copy (2**20 paths back to the wire):
    every one is under the wire's story, via an earlier copy it took from."""
    w = art("wire/w", [paragraph(0)], "2026-01-01")
    copies = [art(f"o{k}/c", [paragraph(n) for n in range(k + 1)], f"2026-02-{k:02d}") for k in range(1, 23)]
    pairs = [pair(w, copies[0], [paragraph(0)])]
    pairs += [pair(copies[j], copies[k], [paragraph(j + 1)]) for k in range(1, len(copies)) for j in range(k)]
    (story,) = tell([w, *copies], pairs)[0]
    assert story.original == "wire/w"
    assert [c.id for c in story.copies] == [c.id for c in copies]
    order = {c.id: k for k, c in enumerate(copies)}
    assert story.copies[0].via is None
    assert all(c.via is not None and order[c.via] < order[c.id] for c in story.copies[1:])
