from dataclasses import replace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup.align import Segment
from dedup.kinds import Marks, cover, furniture_words, label
from dedup.model import Article
from dedup.pairs import Side, align_sides, compare
from dedup.settings import Settings
from dedup.text import CLOSES, tokenize

S = Settings()
QUOTE = "We will build the bridge even if the winter storms delay every single crew"


def kinds(a, b, marks_a=None, marks_b=None):
    """Kinds of the spans two texts share, the first given corpus marks if any."""
    if marks_a is None and marks_b is None:
        m = compare(Article("a", a), Article("b", b), S)
    else:
        ta, tb = tokenize(a), tokenize(b)
        sides = [Side(Article(name, text), t, marks if marks is not None else Marks.empty(len(t)), len(text))
                 for name, text, t, marks in (("a", a, ta, marks_a), ("b", b, tb, marks_b))]
        m = align_sides(*sides, S)
    return [s.kind for s in m.spans] if m else []


def test_the_same_quotation_in_two_stories_is_a_quote():
    a = f'The mayor spoke at noon. "{QUOTE}," she said. Traffic was light downtown afterwards.'
    b = f'Residents cheered when Varga told them: "{QUOTE}." Then the band played for hours.'
    assert kinds(a, b) == ["quote"]


def test_a_quotation_inside_copied_prose_is_prose():
    para = (f'The council voted on Monday to fund the crossing after a long debate. "{QUOTE}," the mayor '
            "said, adding that the port would pay a third of the cost over ten years.")
    assert kinds(f"Local intro here. {para}", f"{para} Other ending text follows.") == ["prose"]


def test_a_quotation_next_to_copied_prose_is_part_of_the_copy():
    prose = "The council voted on Monday to fund the crossing after a long and bitter debate over costs."
    filler_a = "Our reporter adds two sentences of her own here. They say what residents of the east side think."
    filler_b = "A different outlet inserted this other remark instead, about the weather and the tides near the port."
    a = f'{prose} {filler_a} "{QUOTE}," she said.'
    b = f'{prose} {filler_b} "{QUOTE}," she said.'
    assert kinds(a, b) == ["prose", "prose"]


def test_unquoted_copy_is_prose():
    assert kinds(f"Intro words. {QUOTE}.", f"{QUOTE}. Other words.") == ["prose"]


def test_a_span_mostly_in_the_outlet_boilerplate_on_both_sides_is_boilerplate():
    footer = "Subscribe to the morning briefing for the news that matters in our city every day"
    a, b = f"Story one about roads. {footer}", f"Story two about schools. {footer}"
    ta, tb = tokenize(a), tokenize(b)
    ma = Marks(cover(np.arange(4, len(ta)), 1, len(ta)), Marks.empty(len(ta)).common)
    mb = Marks(cover(np.arange(4, len(tb)), 1, len(tb)), Marks.empty(len(tb)).common)
    assert kinds(a, b, marks_a=ma, marks_b=mb) == ["boilerplate"]
    # one outlet's footer inside another outlet's article was copied with the text
    assert kinds(a, b, marks_a=ma) == ["prose"]


def test_a_quotation_closing_two_stories_stays_a_quote_across_their_outlets_footers():
    """The aligned passage runs on from the quotation into each page's footer, which both
    outlets made from one template; the footer words are each side's furniture, not narrative."""
    a = (f'The mayor spoke at noon about the crossing. "{QUOTE}."\n\n'
         "Call the metro desk at 555-6773 with news tips.")
    b = (f'Residents cheered on the quay as Varga spoke. "{QUOTE}."\n\n'
         "Call the newsroom desk at 555-0800 with news tips.")

    def footer(text: str) -> Marks:
        t = tokenize(text)
        start = [i for i in range(len(t)) if text[t.starts[i]:t.ends[i]] == "Call"][0]
        return Marks(cover(np.arange(start, len(t)), 1, len(t)), Marks.empty(len(t)).common)

    assert kinds(a, b) == ["prose"]  # no corpus: nothing is known to be furniture
    assert kinds(a, b, marks_a=footer(a), marks_b=footer(b)) == ["quote"]


def footer_marks(text: str, first: str, uncovered: int = 0) -> Marks:
    """Marks of a page whose footer opens with the word ``first``: every word from there on
    is furniture, but the first ``uncovered`` of them lie under no sampled fingerprint."""
    t = tokenize(text)
    start = [i for i in range(len(t)) if text[t.starts[i]:t.ends[i]] == first][-1]
    return Marks(cover(np.arange(start + uncovered, len(t)), 1, len(t)), Marks.empty(len(t)).common)


def test_an_attribution_and_the_footer_words_sampling_left_unmarked_leave_a_quotation_a_quote():
    """One side names the speaker after the quotation (six words, all ``quote_slack``
    allows); winnowing sampled that side's footer from its third word on. "Call the" opens
    the footer's sentence, so it is furniture too, not narrative."""
    a = (f'The mayor spoke at noon about the crossing. "{QUOTE}," said Anna Varga, the port mayor.\n\n'
         "Call the metro desk at 555-6773 with news tips.")
    b = (f'Residents cheered on the quay as the band played. Varga said: "{QUOTE}."\n\n'
         "Call the newsroom desk at 555-0800 with news tips.")
    assert kinds(a, b, marks_a=footer_marks(a, "Call", uncovered=2), marks_b=footer_marks(b, "Call")) == ["quote"]


def test_an_attribution_inside_one_side_only_leaves_a_quotation_a_quote():
    """One side names the speaker after the quotation in more words than ``quote_slack``
    allows, and the passage runs on into both footers; the other side named the speaker
    before the quotation, outside the passage. Those words are the one side's own: the two
    share the quotation and no narrative."""
    a = (f'The mayor spoke at noon about the crossing. "{QUOTE}," said Anna Maria Varga, the long serving '
         "port mayor.\n\nCall the metro desk at 555-6773 with news tips.")
    b = (f'Residents cheered on the quay as the band played. Anna Maria Varga, the port mayor, told them: "{QUOTE}."'
         "\n\nCall the newsroom desk at 555-0800 with news tips.")
    assert kinds(a, b, marks_a=footer_marks(a, "Call"), marks_b=footer_marks(b, "Call")) == ["quote"]


def test_a_quotation_left_open_on_one_side_does_not_make_copied_narrative_a_quote():
    """Wire copy leaves a quotation mark open to the paragraph's end; when the copied
    paragraph follows it without a blank line on one side, that side marks it quoted. The
    other side does not quote it: it is copied narrative."""
    told = ("OKLAHOMA CITY, March 30 - Texas International Inc said it has received an unqualified audit "
            "opinion from its auditor on the accounts of the year")
    a = f'"The situation now is worse than it was. {told}. The plan froze prices.'
    b = f"Morning edition\n\n{told}.\n\nSubsequently it sold almost all its domestic refining."
    assert kinds(a, b) == ["prose"]


def test_narrative_before_a_footer_is_still_narrative():
    """The words before the footer's sentence are the story's own: a quotation followed by a
    sentence of copied narrative and then the footer is copy, however the footer was sampled."""
    told = "The bridge will open in the spring of next year."
    a = (f'The mayor spoke at noon about the crossing. "{QUOTE}." {told}\n\n'
         "Call the metro desk at 555-6773 with news tips.")
    b = (f'Residents cheered on the quay as the band played. "{QUOTE}." {told}\n\n'
         "Call the newsroom desk at 555-0800 with news tips.")
    assert kinds(a, b, marks_a=footer_marks(a, "Call", uncovered=2),
                 marks_b=footer_marks(b, "Call", uncovered=2)) == ["prose"]


def test_furniture_reaches_the_edges_of_the_sentences_its_runs_open_and_close():
    text = "The story ends here. Call the metro desk now. Tips are welcome by mail"
    t = tokenize(text)
    marked = np.zeros(len(t), dtype=bool)
    marked[6:9] = True  # "metro desk now", sampled; "Call the" and the next sentence's "Tips are" not
    marked[11:12] = True  # "welcome"
    words = [text[t.starts[i]:t.ends[i]] for i in range(len(t))]
    got = [w for w, f in zip(words, furniture_words(marked, t.flags, 2)) if f]
    assert got == ["Call", "the", "metro", "desk", "now", "Tips", "are", "welcome", "by", "mail"]
    # a word further than ``reach`` from the run keeps the sentence out
    assert [w for w, f in zip(words, furniture_words(marked, t.flags, 1)) if f] == ["metro", "desk", "now", "welcome"]


def furniture_reference(marked: list[bool], closes: list[bool], reach: int) -> list[bool]:
    """Word by word: an unmarked word is furniture when the nearest marked word after it
    (or before it) stands in its sentence, and that sentence's first word (or the word
    after its last) is at most ``reach`` words from that run."""
    n = len(marked)
    first = [i for i in range(n) if i == 0 or closes[i - 1]]  # each sentence's first word
    stop = [*first[1:], n]
    sentence = [sum(f <= i for f in first) - 1 for i in range(n)]
    out = list(marked)
    for i in range(n):
        after = next((j for j in range(i + 1, n) if marked[j]), None)
        before = next((j for j in range(i - 1, -1, -1) if marked[j]), None)
        s = sentence[i]
        if after is not None and sentence[after] == s and after - first[s] <= reach:
            out[i] = True
        if before is not None and sentence[before] == s and stop[s] - (before + 1) <= reach:
            out[i] = True
    return out


@given(words=st.lists(st.tuples(st.booleans(), st.booleans()), max_size=40), reach=st.integers(0, 4))
def test_furniture_words_match_a_word_by_word_reference(words, reach):
    marked = [m for m, _ in words]
    closes = [c for _, c in words]
    flags = np.array([CLOSES if c else 0 for c in closes], dtype=np.uint8)
    got = furniture_words(np.array(marked, dtype=bool), flags, reach)
    assert got.tolist() == furniture_reference(marked, closes, reach)


def test_a_short_span_of_common_passages_is_a_stock_phrase_and_dropped():
    phrase = "did not immediately respond to a request for comment on the matter"
    a, b = f"The ministry {phrase} today.", f"A spokesman {phrase} late on Friday."
    ta = tokenize(a)
    every = np.arange(len(ta))
    ma = Marks(Marks.empty(len(ta)).boilerplate, cover(every, 1, len(ta)))
    assert kinds(a, b) == ["prose"]
    assert kinds(a, b, marks_a=ma) == []


def test_cover_marks_the_words_of_each_shingle():
    import numpy as np
    assert cover(np.array([1, 6]), 3, 8).tolist() == [False, True, True, True, False, False, True, True]


def test_a_short_passage_at_the_head_of_two_pages_of_one_outlet_is_furniture():
    masthead = "THE VALLEY POST serving the river towns since 1921 with news every morning of the week"
    a = (f"{masthead}\n\nThe bridge over the river will close for repairs in June, the county said on Monday. "
         "Drivers will be sent through the old mill road, which adds ten minutes at the busiest hours, and the "
         "ferry will run every half hour until the work is done late in the autumn.")
    b = (f"{masthead}\n\nSchool buses will run on the winter timetable from next week, the district announced. "
         "Parents were asked to check the new pick-up times online, as three routes now start earlier to "
         "avoid the road works by the river and the closed lane near the market square.")

    def kinds_of(outlet_a, outlet_b):
        m = align_sides(*(Side(Article(n, t, outlet=o), tokenize(t), Marks.empty(len(tokenize(t))), len(t))
                          for n, t, o in (("a", a, outlet_a), ("b", b, outlet_b))), S)
        return [s.kind for s in m.spans]

    assert kinds_of("valley-post", "valley-post") == ["boilerplate"]  # even before the outlet is counted
    assert kinds_of("valley-post", "river-daily") == ["prose"]  # another outlet printing it copied it
    assert kinds_of(None, None) == ["prose"]  # nothing says the two are one outlet's


def test_furniture_at_the_edge_of_one_outlets_pages_is_judged_on_the_chain_not_the_sentence_around_it():
    # 30 words each; the chain's 8 words close both pages (a third of them at most: furniture),
    # and completing their sentence back to its first words would cover 14 of the 30
    ta, tb = tokenize(" ".join(f"a{i}" for i in range(30))), tokenize(" ".join(f"b{i}" for i in range(30)))
    completed = Segment(16, 30, 16, 30, matched=10, score=0.71, longest=8, anchored=8, core=(22, 30, 22, 30))
    chain_alone = Segment(22, 30, 22, 30, matched=8, score=1.0, longest=8, anchored=8)
    marks = Marks.empty(30)
    for segment in (chain_alone, completed):
        [labelled] = label([segment], ta, tb, marks, marks, S, one_outlet=True)
        assert labelled.kind == "boilerplate"
    assert [x.kind for x in label([replace(completed, core=None)], ta, tb, marks, marks, S, one_outlet=True)] \
        == ["prose"]
