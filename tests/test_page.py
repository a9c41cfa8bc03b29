"""Where a story stands in its page: the body inside the page's head and tail, credits, mastheads."""

from __future__ import annotations

import re

import pytest

import dedup
from dedup.ingest import MASTHEAD, lone_mastheads_dropped, outlet_of_url
from dedup.page import body_range, closing_lines, credits, masthead

STORY = ("PORT CALDER, March 2 - The council voted 7-2 on Monday to approve a bridge across the inner harbor, "
         "ending more than a decade of debate over how to reach the Eastmarsh peninsula.\n\nWork is due to "
         "start in the autumn, the harbor authority said.")
PAGE = ("THE DAILY HERALD - news for the whole coast since 1911\nTuesday, March 3, 1987\n\n"
        "Bridge wins its vote at last\nBy Ada Brennan, Daily Herald staff\n\n" + STORY
        + "\n\nReporting by Ada Brennan\nEditing by Tom Ruiz")


def test_the_body_is_the_story_inside_the_pages_head_and_tail():
    start, end = body_range(PAGE)
    assert PAGE[start:end] == STORY


@pytest.mark.parametrize("text", [
    STORY,  # a body field: all story
    "Bridge wins its vote\n\n" + STORY.replace("\n\n", " "),  # a headline above one paragraph
    "Short note\n\nNo story here",  # nothing but page lines: all of it
    "",
])
def test_a_text_without_page_lines_around_a_story_is_all_body(text):
    start, end = body_range(text)
    assert text[start:end].strip() in (text.strip(), STORY.replace("\n\n", " "))
    if text.startswith("Short") or not text:
        assert (start, end) == (0, len(text))


def test_invisible_characters_inside_page_words_leave_the_body_where_it_was():
    def hidden(text: str) -> str:  # a zero-width space inside every word: twice the runs of letters
        return re.sub(r"(\w)(\w+)", "\\1\u200b\\2", text)

    disguised = hidden(PAGE)
    assert disguised.count("\u200b") > 40
    start, end = body_range(disguised)
    assert disguised[start:end] == hidden(STORY)


def test_hard_wrapped_wire_copy_is_one_block_of_body():
    wire = "U.K. MONEY MARKET GIVEN 345 MLN STG ASSISTANCE\n\nLONDON, April 2 - The Bank of England said\n" + \
        "\n".join(["it had provided the money market with 345 mln stg"] * 9) + " in the morning."
    start, _ = body_range(wire)
    assert wire[start:].startswith("LONDON, April 2")


def test_credit_lines_name_the_source_outlet():
    assert credits(PAGE.replace("PORT CALDER, March 2 -", "PORT CALDER (Northline Wire) -")) == {"northline wire"}
    assert credits(STORY + "\n\n— AFP") == {"afp"}
    footer = "Copyright The Daily Herald. Write to the newsroom at 12 Quay Street with your letters."
    assert credits(STORY + "\n\n— AFP\n\n" + footer) == {"afp"}  # a sign-off above the outlet's footer
    assert credits(STORY + "\n\n- Meanwhile -\n\nMore text follows here in a paragraph of its own.") == set()
    assert credits(STORY + "\n\nThe Associated Press contributed to this report.") == {"the associated press"}
    assert credits(PAGE) == set()  # a staff byline credits the outlet itself: no source named
    agency = PAGE.replace("Ada Brennan, Daily Herald staff", "Ana Ruiz, Associated Press")
    assert credits(agency) == {"associated press"}


def test_a_page_names_its_outlet_in_its_masthead_without_its_figures():
    assert masthead(PAGE) == "THE DAILY HERALD - news for the whole coast since"
    assert masthead(STORY) is None


@pytest.mark.parametrize("url, host", [
    ("https://www.valley-courier.example/2026/03/bridge", "valley-courier.example"),
    ("http://News.Example.COM:8080/a", "news.example.com"),
    ("valley.example/a", "valley.example"),
    ("https://localhost/x", None), ("not a url", None), ("", None), (None, None), ("http://[::1", None),
])
def test_an_outlet_is_the_urls_host(url, host):
    assert outlet_of_url(url) == host


def test_articles_without_an_outlet_take_the_url_host_or_the_shared_masthead(tmp_path):
    lines = [{"id": "u", "text": STORY, "url": "https://www.herald.example/x"},
             {"id": "p1", "text": PAGE}, {"id": "p2", "text": PAGE.replace("Bridge wins", "Ferry wins")},
             {"id": "lone", "text": "A headline of its own\n\n" + STORY}]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(__import__("json").dumps(r) + "\n" for r in lines))
    articles, _ = dedup.load([str(path)])
    outlet = {a.id: a.outlet for a in articles}
    assert outlet["u"] == "herald.example"
    assert outlet["p1"] == outlet["p2"] == MASTHEAD + "THE DAILY HERALD - news for the whole coast since"
    assert outlet["lone"] is None  # a first line no other page opens with is a headline, not an outlet
    assert lone_mastheads_dropped(articles) == articles


def test_the_lines_of_a_short_closing_paragraph_are_where_a_footer_stands() -> None:
    text = ("Ledger\n\nThe council met on Tuesday and voted to close the bridge for repairs, "
            "the mayor said.\n\nCall the city desk with news tips.\nCopyright 1908 Ledger. All rights reserved.\n")
    assert [text[i:].split("\n", 1)[0] for i in closing_lines(text)] == [
        "Call the city desk with news tips.", "Copyright 1908 Ledger. All rights reserved."]
    story = "The council met on Tuesday and voted to close the bridge for repairs, the mayor said."
    assert closing_lines(story) == []  # the text's only paragraph
    assert closing_lines("Ledger\n\n" + story + " " + story) == []  # a line of the story's length
