"""Bridges and extensions: one span across a reworded sentence, none across another story's."""

import importlib
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.align import align_tokens
from dedup.bridges import SLACK, Side, folded, stemmer
from dedup.errors import SettingsError
from dedup.kernels import reference
from dedup.settings import Settings
from dedup.text import QUOTED, tokenize

FIRST = ("The central bank raised its discount rate to seven percent on Tuesday in a move that surprised "
         "most currency dealers in the capital and sent the dollar sharply lower against the yen.")
LAST = ("Finance ministry officials declined to comment on the timing of the decision but said further "
        "measures to curb inflation were being studied by a committee of senior economic advisers.")
SOURCE = ("Governor Helmut Kranich told parliament the bank expected inflation of 4.5 pct this year, "
          "compared with 3.1 pct in 1986, because import prices were climbing quickly.")
REWORDED = ("Parliament heard from Governor Helmut Kranich that the bank now expects inflation of 4.5 percent "
            "for the year, against 3.1 percent during 1986, as import costs were rising fast.")
OTHER = ("Farmers in the northern provinces planted more soybeans than wheat this spring after heavy "
         "rains delayed the sowing season by several weeks across the whole region.")


ON = Settings(bridge_words=24)


def read(a: str, b: str, language: str = "english") -> tuple[Side, Side]:
    """Two texts as bridging reads them."""
    return Side(tokenize(a), a, stemmer(language), None), Side(tokenize(b), b, stemmer(language), None)


def spans(a: str, b: str, settings: Settings = ON) -> list[tuple[str, int, int]]:
    words = read(a, b, settings.language)
    found = align_tokens(words[0].tokens, words[1].tokens, settings, words=words)
    return [(s.found, s.a_first, s.a_stop) for s in found]


def test_a_reworded_sentence_between_two_anchored_ones_joins_the_span():
    a, b = f"{FIRST} {SOURCE} {LAST}", f"{FIRST} {REWORDED} {LAST}"
    found = spans(a, b)
    assert [(how, first) for how, first, _ in found] == [("bridged", 0)]
    assert found[0][2] == len(tokenize(a))


def test_a_sentence_of_another_story_between_them_is_no_bridge():
    found = spans(f"{FIRST} {SOURCE} {LAST}", f"{FIRST} {OTHER} {LAST}")
    assert [how for how, _, _ in found] == ["anchors", "anchors"]


def test_without_bridges_the_reworded_sentence_splits_the_copy():
    a, b = f"{FIRST} {SOURCE} {LAST}", f"{FIRST} {REWORDED} {LAST}"
    found = spans(a, b, Settings(bridge_words=0))
    assert [how for how, _, _ in found] == ["anchors", "anchors"]
    assert spans(a, b, Settings(bridge_words=0)) == \
        [(s.found, s.a_first, s.a_stop) for s in align_tokens(tokenize(a), tokenize(b), ON)]


def test_a_chain_is_extended_by_the_content_words_a_reworded_tail_keeps():
    a = f"{FIRST} Governor Helmut Kranich said inflation would reach 4.5 pct this year."
    b = f"{FIRST} Inflation will hit 4.5 percent in the year, said Governor Helmut Kranich."
    [(how, first, stop)] = spans(a, b)
    plain = align_tokens(tokenize(a), tokenize(b), Settings())
    assert how in ("extended", "anchors") and first == 0
    assert stop >= plain[0].a_stop


def test_an_extension_does_not_carry_a_quotation_into_the_prose_around_it():
    quote = ('"We will not accept any deal that leaves our members worse off than they were last year, '
             'whatever the ministry says," ')
    a = quote + "said Ruth Van Dijk, head of the dockers union at Rotterdam harbour, before the strike vote."
    b = quote + "Van Dijk, Rotterdam dockers union head, warned as a strike vote neared at the harbour."
    words = read(a, b)
    ta = words[0].tokens
    [segment] = align_tokens(ta, words[1].tokens, ON, words=words)
    quoted = sum(1 for k in range(segment.a_first, segment.a_stop) if ta.flags[k] & QUOTED)
    assert quoted and (segment.a_stop - segment.a_first) - quoted <= SLACK


def test_stems_and_folding_tie_inflections_and_disguised_words_together():
    stem = stemmer("english")
    assert stem("companies") == stem("company") and stem("increased") == stem("increases")
    assert folded("Ba\u200bnk") == "bank" and folded("BANK") == "bank"
    assert stemmer("german")("Banken") == stemmer("german")("Bank")


def test_an_unknown_language_names_the_setting():
    with pytest.raises(SettingsError, match="language must be one of"):
        spans(f"{FIRST} {SOURCE} {LAST}", f"{FIRST} {REWORDED} {LAST}", Settings(bridge_words=24, language="klingon"))
    assert Settings.parse(["language=french"]).language == "french"
    with pytest.raises(SettingsError, match="bridge_words"):
        Settings(bridge_words=-1)


def _reach_by_steps(flags: list[int], at: int, until: int) -> int:
    """How far an extension may reach, word by word: the rule :func:`reference.within_marks` computes."""
    n = len(flags)
    if not 0 <= at < n:
        return max(0, min(until, n))
    inside, step, k, left = flags[at] & QUOTED, 1 if until > at else -1, at, SLACK
    while k + step != until and 0 <= k + step < n:
        if (flags[k + step] & QUOTED) != inside:
            if left == 0:
                break
            left -= 1
        k += step
    return k + 1 if step > 0 else k


@given(st.lists(st.sampled_from([0, int(QUOTED), 1, 1 | int(QUOTED)]), min_size=1, max_size=60), st.data())
def test_the_reach_across_quotation_marks_is_the_word_by_word_rule(flags: list[int], data: st.DataObject) -> None:
    text = " ".join("w" for _ in flags)
    side = Side(replace(tokenize(text), flags=np.array(flags, dtype=np.uint8)), text, stemmer("english"), None)
    quoted = side.content()[2]
    at = data.draw(st.integers(0, len(flags) - 1))
    until = data.draw(st.integers(-3, len(flags) + 3).filter(lambda u: u != at))
    assert reference.within_marks(quoted, at, until, SLACK) == _reach_by_steps(flags, at, until)


def test_two_languages_in_one_process_keep_their_own_stems():
    text = "Governments governing"
    tokens = tokenize(text)
    english = Side(tokens, text, stemmer("english"), None).keys(0, 2)
    german = Side(tokens, text, stemmer("german"), None).keys(0, 2)
    assert english[0] == english[1]  # govern-
    assert Side(tokens, text, stemmer("english"), None).keys(0, 2) == english  # the same numbers again
    assert german[0] != german[1]  # government, governing: the German stemmer keeps them apart


def test_a_stem_s_number_does_not_depend_on_what_was_met_before(monkeypatch):
    from dedup import bridges

    text = "Governments governing the 4.5 pct rise"
    tokens = tokenize(text)
    first = Side(tokens, text, stemmer("english"), None).keys(0, len(tokens))
    monkeypatch.setattr(bridges, "_STEMS", {})  # a process that forgot every word it met (a full table)
    other = "Unrelated words first: harvests, sowing, provinces"
    Side(tokenize(other), other, stemmer("english"), None).keys(0, 6)
    assert Side(tokens, text, stemmer("english"), None).keys(0, len(tokens)) == first


@pytest.mark.parametrize("language", ["english", "german", "french", "spanish", "dutch_porter"])
def test_the_compiled_stemmers_give_the_pure_python_stems(language: str) -> None:
    """snowballstemmer runs PyStemmer's compiled stemmers where it is installed (the stem extra):
    they must stem as its own pure Python ones do, or two machines would not share stems."""
    compiled = pytest.importorskip("Stemmer").Stemmer(language)
    module = importlib.import_module(f"snowballstemmer.{language}_stemmer")
    pure = getattr(module, "".join(part.title() for part in language.split("_")) + "Stemmer")()
    words = {folded(w) for text in (FIRST, LAST, SOURCE, REWORDED, OTHER) for w in text.split()}
    endings = ("s", "es", "ed", "ing", "ation", "ly", "en", "ung", "ment")
    words |= {w + ending for w in list(words) for ending in endings}
    words |= {"Banken", "Regierungen", "gouvernements", "économiques", "años", "regeringen", "straße"}
    assert [compiled.stemWord(w) for w in sorted(words)] == [pure.stemWord(w) for w in sorted(words)]
