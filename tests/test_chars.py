"""The character tables: every code point as :func:`dedup.chars.classify` says, and
folding a character is folding its decomposition, for every character."""

from __future__ import annotations

import unicodedata

from dedup.chars import (
    CODE_BITS,
    DIGIT,
    JOIN,
    LIMIT,
    UNIT,
    UNIT_RANGES,
    WORD,
    classify,
    fold_char,
    tables,
    visible,
)


def test_the_tables_hold_what_classify_says_for_every_character() -> None:
    cls, at, codes = tables()
    wrong = []
    for code in range(LIMIT):
        ch = chr(code)
        bits, folded = (0, []) if unicodedata.category(ch) in ("Cn", "Cs", "Co") else classify(ch)
        if bits & WORD and not bits & DIGIT and folded and any(lo <= folded[0] <= hi for lo, hi in UNIT_RANGES):
            bits |= UNIT
        mine = codes[at[code] : at[code + 1]]
        if (bits, folded) != (int(cls[code]), (mine & ((1 << CODE_BITS) - 1)).tolist()):
            wrong.append(hex(code))
        if (mine >> CODE_BITS).tolist() != [unicodedata.combining(chr(c)) for c in folded]:
            wrong.append(f"class of {code:#x}")
    assert wrong == []


def test_a_character_folds_as_its_decomposition_does() -> None:
    wrong = []
    for code in range(0x30000):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cn", "Cs", "Co"):
            continue
        for form in ("NFD", "NFKD", "NFKC"):
            parts = unicodedata.normalize(form, ch)
            if parts != ch and fold_char(ch) != [c for p in parts for c in fold_char(p)]:
                wrong.append((hex(code), form))
    assert wrong == []


def test_marks_and_invisible_characters_join_words() -> None:
    for ch in "\u0301\u064e\u05b0\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u202e\u0640\u3164\ufe0f\u093f\u0e34\u3099":
        assert classify(ch)[0] & JOIN, hex(ord(ch))
    assert [classify(ch)[1] for ch in "\u0301\u200b\u00ad"] == [[], [], []]  # accents and invisible ones fold away
    assert classify("\u0e34")[1] == [0x0E34] and classify("\u3099")[1] == [0x3099]  # Thai vowels, kana voicing stay


def test_visible_text_drops_what_folds_to_nothing_and_keeps_the_rest() -> None:
    assert visible("ca\u200bfe\u0301 \u00adne\u2060ws\ufeff") == "cafe news"
    assert visible("ประกาศ 東京 Straße") == "ประกาศ 東京 Straße"  # Thai vowels and letters stay


def test_no_ascii_character_folds_to_nothing_so_ascii_text_is_visible_as_it_is() -> None:
    cls, at, _ = tables()
    assert not [c for c in range(128) if cls[c] & JOIN and at[c + 1] == at[c]]
    ascii_text = "".join(map(chr, range(128)))
    assert visible(ascii_text) == ascii_text == visible("\u00ad" + ascii_text)
