from dedup.compare import compare
from dedup.kinds import Marks, cover
from dedup.model import Article
from dedup.settings import Settings
from dedup.text import tokenize

S = Settings()
QUOTE = "We will build the bridge even if the winter storms delay every single crew"


def kinds(a, b, **marks):
    m = compare(Article("a", a), Article("b", b), S, **marks)
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


def test_a_span_mostly_in_the_outlet_boilerplate_is_boilerplate():
    footer = "Subscribe to the morning briefing for the news that matters in our city every day"
    a, b = f"Story one about roads. {footer}", f"Story two about schools. {footer}"
    ta, tb = tokenize(a), tokenize(b)
    ma = Marks(cover(__import__("numpy").arange(4, len(ta)), 1, len(ta)), Marks.empty(len(ta)).common)
    assert kinds(a, b, tokens_a=ta, tokens_b=tb, marks_a=ma) == ["boilerplate"]


def test_a_short_span_of_common_passages_is_a_stock_phrase_and_dropped():
    phrase = "did not immediately respond to a request for comment on the matter"
    a, b = f"The ministry {phrase} today.", f"A spokesman {phrase} late on Friday."
    ta, tb = tokenize(a), tokenize(b)
    every = __import__("numpy").arange(len(ta))
    ma = Marks(Marks.empty(len(ta)).boilerplate, cover(every, 1, len(ta)))
    assert kinds(a, b) == ["prose"]
    assert kinds(a, b, tokens_a=ta, tokens_b=tb, marks_a=ma) == []


def test_cover_marks_the_words_of_each_shingle():
    import numpy as np
    assert cover(np.array([1, 6]), 3, 8).tolist() == [False, True, True, True, False, False, True, True]
