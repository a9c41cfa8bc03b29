import pytest

from dedup.dates import earlier, parse_date
from dedup.direction import CONFIDENCE, UNKNOWN, attribute, learn_roles, with_roles
from dedup.model import Article, Match, Span
from dedup.page import credits
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


def named(found):
    return found.source, found.reason


def test_the_earlier_article_is_the_source():
    a, b = Article("a", "", date="2026-03-02"), Article("b", "", date="2026-03-01")
    found = attribute(a, b, 0.5, 0.5, S)
    assert named(found) == ("b", "date") and found.confidence == CONFIDENCE["date"]


def test_a_wire_service_is_the_source_of_an_outlet_in_any_case():
    a, b = Article("a", "", outlet="Daily Herald"), Article("b", "", outlet="REUTERS")
    assert named(attribute(a, b, 0.9, 0.9, S)) == ("b", "wire")


def test_a_credit_line_names_the_source():
    a, b = Article("a", "", outlet="Daily Herald"), Article("b", "", outlet="northline-wire")
    assert named(attribute(a, b, 0.9, 0.9, S, credits_a=frozenset({"northline wire"}))) == ("b", "credit")
    assert named(attribute(a, b, 0.9, 0.9, S)) == (None, None)
    herald = credits("DAILY HERALD\n\nBridge wins vote\n\nPORT CALDER (Northline Wire) — The council voted 7-2 on "
                     "Monday to approve a bridge across the inner harbor after a decade of debate.")
    assert herald == frozenset({"northline wire"})


def test_containment_names_the_fuller_text_as_source():
    a, b = Article("a", ""), Article("b", "")
    assert named(attribute(a, b, 0.55, 0.97, S)) == ("a", "containment")
    assert named(attribute(a, b, 0.95, 0.4, S)) == ("b", "containment")


def test_it_says_when_it_cannot_tell():
    a, b = Article("a", ""), Article("b", "")
    assert attribute(a, b, 0.3, 0.25, S) == UNKNOWN
    assert attribute(a, b, 0.95, 0.9, S).source is None


def match(a, b, source=None, reason=None):
    return Match(a, b, (Span(0, 10, 0, 10, 1.0, "prose"),), 0.5, 0.5, source, reason)


def test_an_outlet_others_copy_and_that_copies_little_is_learned_as_a_source():
    outlet_of = {f"agency/{i}": "agency" for i in range(5)} | {f"paper{i}/{i}": f"paper{i}" for i in range(5)}
    decided = [match(f"agency/{i}", f"paper{i}/{i}", f"agency/{i}", "date") for i in range(4)]
    open_ = [match("agency/4", "paper4/4"), match("paper1/1", "paper2/2")]
    roles = learn_roles(decided + open_, outlet_of)
    assert roles == frozenset({"agency"})
    named_ = with_roles(decided + open_, outlet_of, roles)
    assert (named_[4].source, named_[4].reason, named_[4].confidence) == ("agency/4", "role", CONFIDENCE["role"])
    assert named_[5].source is None  # neither side's outlet is a source
    assert named_[:4] == decided  # what other evidence decided stands


def test_an_outlet_that_copies_as_much_as_it_is_copied_is_no_source():
    outlet_of = {"x/1": "x", "x/2": "x", "x/3": "x", "x/4": "x", "y/1": "y", "y/2": "y", "y/3": "y", "y/4": "y"}
    pairs = [match(f"x/{i}", f"y/{i}", f"x/{i}" if i % 2 else f"y/{i}", "date") for i in range(1, 5)]
    assert learn_roles(pairs, outlet_of) == frozenset()


def test_two_copies_of_a_third_article_teach_no_role():
    outlet_of = {"wire/1": "wire", "wire/2": "wire", "wire/3": "wire"}
    outlet_of |= {f"fast/{i}": "fast" for i in range(1, 4)} | {f"slow/{i}": "slow" for i in range(1, 4)}
    pairs = []
    for i in range(1, 4):  # the wire's story, a fast outlet's copy, then a slow outlet's copy of it
        pairs += [match(f"wire/{i}", f"fast/{i}", f"wire/{i}", "date"),
                  match(f"wire/{i}", f"slow/{i}", f"wire/{i}", "date"),
                  match(f"fast/{i}", f"slow/{i}", f"fast/{i}", "date")]
    assert learn_roles(pairs, outlet_of) == frozenset({"wire"})  # not the fast outlet, first of the copies
