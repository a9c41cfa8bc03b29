import pytest

from dedup.dates import earlier, parse_date
from dedup.direction import attribute
from dedup.model import Article
from dedup.settings import Settings

S = Settings()


@pytest.mark.parametrize("a, b, expected", [
    ("2026-03-02", "2026-03-03", -1),
    ("2026-03-04T10:00:00", "2026-03-04T09:00:00", 1),
    ("2026-03-04", "2026-03-04T09:00:00", 0),  # same day, one without time: cannot tell
    ("26-FEB-1987 15:01:01.79", "1987-02-27", -1),
    (None, "2026-03-03", 0),
    ("not a date", "2026-03-03", 0),
])
def test_earlier(a, b, expected):
    assert earlier(a, b) == expected


def test_parse_date_knows_iso_and_wire_formats():
    assert parse_date("2017-02-23")[0].day == 23
    assert parse_date("26-FEB-1987 15:01:01.79")[1] is True
    assert parse_date("yesterday") is None


def test_the_earlier_article_is_the_source():
    a, b = Article("a", "", date="2026-03-02"), Article("b", "", date="2026-03-01")
    assert attribute(a, b, 0.5, 0.5, S) == ("b", "date")


def test_a_wire_service_is_the_source_of_an_outlet():
    a, b = Article("a", "", outlet="Daily Herald"), Article("b", "", outlet="Reuters")
    assert attribute(a, b, 0.9, 0.9, S) == ("b", "wire")


def test_containment_names_the_fuller_text_as_source():
    a, b = Article("a", ""), Article("b", "")
    assert attribute(a, b, 0.55, 0.97, S) == ("a", "containment")
    assert attribute(a, b, 0.95, 0.4, S) == ("b", "containment")


def test_it_says_when_it_cannot_tell():
    a, b = Article("a", ""), Article("b", "")
    assert attribute(a, b, 0.3, 0.25, S) == (None, None)
    assert attribute(a, b, 0.95, 0.9, S) == (None, None)
