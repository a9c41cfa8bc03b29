import pytest

from dedup.quotes import regions


def quoted(text):
    return [text[s:e] for s, e in regions(text)]


@pytest.mark.parametrize("text, expected", [
    ('Kelly said: "No mass deportations." Then he left.', ['"No mass deportations."']),
    ("“We listened closely,” he said, “and carefully.”", ["“We listened closely,”", "“and carefully.”"]),
    ("Trump’s remark wasn't a joke, officials' said.", []),
    ("U.S. official tells Mexico there will be 'no mass deportations'", ["'no mass deportations'"]),
    ("‘Tough trip’ ahead, he said.", ["‘Tough trip’"]),
])
def test_quotation_marks_of_news_style(text, expected):
    assert quoted(text) == expected


def test_a_quotation_over_several_paragraphs_reopens_each_paragraph():
    text = ('"The first paragraph of the speech\n\n'
            '"and the second one, closed here," she said.\n\nNarrative.')
    found = quoted(text)
    assert found == ['"The first paragraph of the speech', '"and the second one, closed here,"']


def test_an_unclosed_quotation_ends_with_its_paragraph():
    text = 'He said "this never closes.\n\nThis is narrative.'
    assert quoted(text) == ['"this never closes.']


def test_hard_wrapped_wire_copy_keeps_a_quotation_across_lines():
    text = ('    The minister said "prices will\nrise further this year," adding nothing.\n'
            '    Next paragraph here.')
    assert quoted(text) == ['"prices will\nrise further this year,"']


@pytest.mark.parametrize("text, expected", [
    ("« Nous avons voté », a déclaré le maire.", ["« Nous avons voté »"]),  # French spacing
    ("«\u202fNous avons voté\u202f», a-t-il dit.", ["«\u202fNous avons voté\u202f»"]),
    ("Er sagte: „Wir haben gewählt“, und ging.", ["„Wir haben gewählt“"]),
    ("»Wir haben gewählt«, sagte sie.", ["»Wir haben gewählt«"]),
    ("Die ‚kurze‘ Sitzung", ["‚kurze‘"]),
    ("Il parle d’une ‹ petite › hausse.", ["‹ petite ›"]),
    ("市长说：「我们已经投票。」随后离开。", ["「我们已经投票。」"]),
    ("彼は『明日』と言った。", ["『明日』"]),
    ("El ministro dijo: «No habrá recortes».", ["«No habrá recortes»"]),
])
def test_quotation_marks_of_other_languages(text, expected):
    assert quoted(text) == expected


def test_a_quotation_holds_the_marks_of_another_family():
    assert quoted("“He called it «a fair deal» today,” she said.") == ["“He called it «a fair deal» today,”"]
    assert quoted("「外の『内側』も」と述べた。") == ["「外の『内側』も」"]
    assert quoted("«Il a dit “non” deux fois», a-t-elle ajouté.") == ["«Il a dit “non” deux fois»"]


def test_a_closing_corner_bracket_opens_nothing():
    assert quoted("」あと「本文」") == ["「本文」"]
