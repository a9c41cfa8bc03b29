import re
import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.chars import DIGIT, JOIN, LEAD, LIMIT, UNIT, UNIT_RANGES, UPPER, WORD, classify
from dedup.hashing import LENGTH_MIX, MAX_REL, POWERS, mix64, ngram_hashes
from dedup.text import CAPITAL, CLOSES, NUMBER, QUOTED, STOP, tokenize, tokenize_batch

from profiles import examples


def words(text, tokens):
    return [text[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist())]


def test_words_keep_offsets_into_the_original_text():
    text = "Peña Nieto’s reply:\r\n\t“No, repeat, no” — 1.5% of 2,000 🚀 jobs."
    tokens = tokenize(text)
    assert words(text, tokens) == ["Peña", "Nieto", "s", "reply", "No", "repeat", "no",
                                   "1.5", "of", "2,000", "jobs"]


def test_folding_ignores_case_and_accents_but_not_spelling():
    a, b, c = tokenize("Peña SAID"), tokenize("pena said"), tokenize("pena sad")
    assert a.hashes.tolist() == b.hashes.tolist()
    assert a.hashes[1] != c.hashes[1]


def test_flags_mark_capitals_numbers_and_quotations():
    t = tokenize('Kelly said 2017 was "a good year"')
    flags = t.flags.tolist()
    assert flags[0] & CAPITAL and not flags[1] & CAPITAL
    assert flags[2] & NUMBER
    assert [bool(f & QUOTED) for f in flags] == [False, False, False, False, True, True, True]


def test_a_batch_gives_the_same_words_as_one_text_at_a_time():
    texts = ["First text, here.", "", "Second — text with ünïcode. Two", "x", "Ends. \n\n", "y."]
    batch = tokenize_batch(texts)
    assert len(batch) == len(texts)
    for i, text in enumerate(texts):
        alone = tokenize(text)
        got = batch.doc(i)
        assert got.hashes.tolist() == alone.hashes.tolist()
        assert got.starts.tolist() == alone.starts.tolist()
        assert got.ends.tolist() == alone.ends.tolist()
        assert got.flags.tolist() == alone.flags.tolist()


def test_hashes_are_the_same_in_another_process():
    code = ("from dedup.text import tokenize; from dedup.hashing import ngram_hashes;"
            "t = tokenize('Wire copy travels far, said the editor.');"
            "print(ngram_hashes(t.hashes, 4).tolist())")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    here = ngram_hashes(tokenize("Wire copy travels far, said the editor.").hashes, 4).tolist()
    assert outs == {f"{here}\n"}


def test_ngram_hashes_depend_on_word_order():
    h = tokenize("a b c d a c b d").hashes
    grams = ngram_hashes(h, 2)
    assert len(grams) == 7
    assert grams[0] != grams[5]  # "a b" vs "c b"
    assert len(ngram_hashes(h[:1], 2)) == 0
    assert ngram_hashes(np.array(h), 3).dtype == np.uint64


# ---------------------------------------------------------------- every script, and text made to evade

def test_chinese_and_japanese_characters_are_words_of_their_own():
    text = "新华社北京3月2日电，iPhone手机「発売」された。"
    assert words(text, tokenize(text)) == ["新", "华", "社", "北", "京", "3", "月", "2", "日", "电", "iPhone",
                                           "手", "机", "発", "売", "さ", "れ", "た"]


def test_thai_is_split_into_consonants_with_their_vowels_and_marks():
    text = "เป็นที่รู้จัก ดี"
    assert words(text, tokenize(text)) == ["เป็", "น", "ที่", "รู้", "จั", "ก", "ดี"]
    text = "ประกาศแผนสร้างรถไฟฟ้าสายใหม่ในเมืองหลวง"
    assert words(text, tokenize(text)) == ["ป", "ระ", "กา", "ศ", "แผ", "น", "ส", "ร้า", "ง", "ร", "ถ", "ไฟ", "ฟ้า",
                                           "สา", "ย", "ให", "ม่", "ใน", "เมื", "อ", "ง", "ห", "ล", "ว", "ง"]


@pytest.mark.parametrize("text, expected", [
    ("Президент заявил: «Мы готовы»", ["Президент", "заявил", "Мы", "готовы"]),
    ("قال الرئيسُ إنّ الاتفاق", ["قال", "الرئيسُ", "إنّ", "الاتفاق"]),
    ("El niño dijo «sí» ¿verdad?", ["El", "niño", "dijo", "sí", "verdad"]),
    ("हिन्दी समाचार", ["हिन्दी", "समाचार"]),
    ("서울시는 오늘", ["서울시는", "오늘"]),
])
def test_words_of_scripts_with_spaces_keep_their_marks(text, expected):
    assert words(text, tokenize(text)) == expected


def test_composed_and_decomposed_accents_fold_alike():
    text = "Café crème, Ångström and São Paulo: ἀλήθεια, Ёлка, 한국어, ガイド"
    forms = {form: tokenize(unicodedata.normalize(form, text)) for form in ("NFC", "NFD", "NFKC", "NFKD")}
    hashes = {form: t.hashes.tolist() for form, t in forms.items()}
    assert len({tuple(h) for h in hashes.values()}) == 1
    decomposed = unicodedata.normalize("NFD", text)
    assert words(decomposed, forms["NFD"])[0] == "Cafe\u0301"  # the accent stays inside the word


def test_compatibility_forms_case_and_invisible_characters_fold_away():
    plain = tokenize("final fight in Tokyo, straße 12").hashes.tolist()
    assert tokenize("ﬁnal ｆｉｇｈｔ in 𝐓𝐨𝐤𝐲𝐨, STRASSE １２").hashes.tolist() == plain
    hidden = "fi\u200bnal fi\u00adght in To\u200dky\u2060o\ufeff, stra\u200cße 1\u200b2"
    assert tokenize(hidden).hashes.tolist() == plain
    assert words(hidden, tokenize(hidden))[0] == "fi\u200bnal"


def test_cyrillic_and_greek_look_alikes_inside_latin_words_fold_to_latin():
    plain = tokenize("The price of a coin").hashes.tolist()
    assert tokenize("Thе priсe оf а cοin").hashes.tolist() == plain  # Cyrillic е с о а, Greek ο
    assert tokenize("ТНЕ PRICE").hashes.tolist() == tokenize("the price").hashes.tolist()  # Cyrillic capitals
    assert tokenize("Москва").hashes.tolist() == tokenize("москва").hashes.tolist()


def test_a_mark_or_an_invisible_character_never_starts_a_word_and_ends_one_only_inside_it():
    text = "\u0301\u200b alone\u200b \u200bword\u0301."
    assert words(text, tokenize(text)) == ["alone\u200b", "word\u0301"]


# A plain reference of the word rules, one character at a time, from the
# per-character classes (dedup.chars.classify): what the kernels must give.

def reference_words(text: str) -> list[tuple[int, int, list[int], int]]:
    """``(start, end, folded codes, class of the first character)`` of every word."""
    info = []
    for ch in text:
        if ord(ch) >= LIMIT or unicodedata.category(ch) in ("Cn", "Cs", "Co"):
            info.append((0, []))
            continue
        bits, folded = classify(ch)
        alone = bool(folded) and any(lo <= folded[0] <= hi for lo, hi in UNIT_RANGES)
        if bits & WORD and not bits & DIGIT and alone:
            bits |= UNIT
        info.append((bits, folded))
    real = [i for i, (bits, _) in enumerate(info) if not bits & JOIN]

    def is_word(k: int) -> bool:
        i = real[k]
        if info[i][0] & WORD:
            return True
        digit = [0 < k and info[real[k - 1]][0] & DIGIT, k + 1 < len(real) and info[real[k + 1]][0] & DIGIT]
        return text[i] in ",./" and all(digit)

    found: list[tuple[int, int, list[int], int]] = []
    k = 0
    while k < len(real):
        if not is_word(k):
            k += 1
            continue
        first = k
        k += 1
        while k < len(real) and is_word(k):
            units = info[real[k - 1]][0] & UNIT or info[real[k]][0] & UNIT
            led = any(info[i][0] & LEAD for i in range(real[k - 1], real[k]))  # before it, or a joiner after that
            if units and not led:  # a unit is a word, unless a lead takes it
                break
            k += 1
        start, end = real[first], real[k] if k < len(real) else len(text)
        folded = canonical([code for i in range(start, end) for code in info[i][1]])
        found.append((start, end, folded, info[start][0]))
    return found


def canonical(codes: list[int]) -> list[int]:
    """The marks after each letter in canonical order (stable by combining class), as NFD puts them."""
    found: list[int] = []
    marks: list[int] = []
    for code in codes:
        if unicodedata.combining(chr(code)):
            marks.append(code)
            continue
        found += sorted(marks, key=lambda m: unicodedata.combining(chr(m))) + [code]
        marks = []
    return found + sorted(marks, key=lambda m: unicodedata.combining(chr(m)))


def folded_hash(folded: list[int]) -> int:
    acc = 0
    for rel, code in enumerate(folded):
        acc = (acc + code * int(POWERS[min(rel, MAX_REL - 1)])) % 2**64
    raw = np.array([acc ^ (len(folded) * int(LENGTH_MIX)) % 2**64], dtype=np.uint64)
    return int(mix64(raw)[0])


ALPHABET = list("aZé1 9,./'-\n") + ["\u0301", "\u0308", "\u093f", "\u0915", "\u200b", "\u00ad", "\u2060", "\ufeff",
                                    "\u200d", "а", "Ν", "ο", "中", "文", "ｶ", "ﾞ", "ガ", "ー", "ก", "\u0e34", "\u0e48",
                                    "ำ", "ﬁ", "ß", "한", "\u1112", "\u1161", "٣", "ـ", "ق", "\u064e", "𝐀", "🚀",
                                    "เ", "า", "\u0e4d", "ក", "\u17d2", "\u3099", "\u05b0",
                                    "𠀀", "\ud800", "\U000e0001"]


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join))
def test_words_offsets_and_hashes_equal_the_plain_reference(text):
    tokens = tokenize(text)
    expected = reference_words(text)
    assert list(zip(tokens.starts.tolist(), tokens.ends.tolist())) == [(s, e) for s, e, _, _ in expected]
    assert tokens.hashes.tolist() == [folded_hash(f) for _, _, f, _ in expected]
    assert [bool(f & CAPITAL) for f in tokens.flags.tolist()] == [bool(c & UPPER) for _, _, _, c in expected]


NORMAL = [ch for ch in ALPHABET if ch != "\ud800"] + ["e\u0301", "\u1100\u1161\u11a8", "ｶﾞ", "A\u030a", "Å"]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(NORMAL), max_size=40).map("".join))
def test_every_normal_form_of_a_text_gives_the_same_words(text):
    expected = tokenize(text).hashes.tolist()
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        other = unicodedata.normalize(form, text)
        tokens = tokenize(other)
        assert tokens.hashes.tolist() == expected, form
        pieces = [other[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist())]
        assert [tokenize(p).hashes.tolist() for p in pieces] == [[h] for h in expected]  # offsets into `other`


# ---------------------------------------------------------------- where sentences close

def closing(text):
    t = tokenize(text)
    return [w for w, f in zip(words(text, t), t.flags.tolist()) if f & CLOSES]


def test_a_sentence_closes_at_a_mark_and_a_space_at_a_blank_line_and_at_the_end():
    text = 'It hurts farmers. "We know," he said.\nThe wire is\nhard-wrapped\n\nA new paragraph'
    assert closing(text) == ["farmers", "said", "wrapped", "paragraph"]


def test_figures_and_initials_inside_a_word_close_nothing_an_abbreviation_before_a_space_does():
    assert closing("Rates of 4.35 pct in the U.S. market rose") == ["S", "rose"]


def test_chinese_and_japanese_full_stops_close_without_a_space():
    assert closing("新华社电。手机发售") == ["电", "售"]


def test_stop_marks_a_sentence_mark_right_after_the_word():
    t = tokenize('He said. "Yes!" Then: done')
    assert [bool(f & STOP) for f in t.flags.tolist()] == [False, True, True, False, False]


def reference_sentence_flags(text):
    """STOP and CLOSES of each word, one word at a time with a regular expression."""
    t = tokenize(text)
    out = []
    for k in range(len(t)):
        end = int(t.ends[k])
        stop = int(t.starts[k + 1]) if k + 1 < len(t) else len(text)
        gap = text[end:stop]
        closes = (k + 1 == len(t) or gap.count("\n") >= 2 or bool(re.search(r"[。！？｡]", gap))
                  or bool(re.search("[.!?…\u037e։؟۔।॥።][^\\s]{0,3}\\s", gap)))
        out.append((bool(gap[:1]) and gap[0] in ".!?…\u037e։؟۔।॥።。！？｡", closes))
    return out


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(["word", "U", "4.35", " ", "  ", "\n", "\n\n", ".", "!", "?", ",", '"', ")",
                                 "。", "…", "\u00a0", "-", "\u037e", "।", "\r\n"]), max_size=40))
def test_sentence_flags_agree_with_a_word_by_word_reference(pieces):
    text = "".join(pieces)
    t = tokenize(text)
    got = [(bool(f & STOP), bool(f & CLOSES)) for f in t.flags.tolist()]
    assert got == reference_sentence_flags(text)
