"""What counts as a word character, and how characters fold before hashing.

A word is a run of letters and digits; digits joined by ``,``, ``.`` or
``/`` make one word ("1,000", "7.5", "3/8": copies keep their figures,
templates change them). In scripts written without spaces between words
(Chinese, Japanese, Thai, Lao, Khmer, Myanmar) each character with its marks
is a word of its own, a *unit*: there is no space to split on (README,
Settings, says why not a dictionary segmenter). In Thai and Lao a unit also
takes the vowels written after its consonant (ะ า ำ), and a vowel written
before one (เ แ โ ใ ไ) takes the consonant that follows it, so a unit is
about a syllable: "เป็น" is one, "ประกาศ" is ป, ระ, กา, ศ.

A character folds the way NFKC_Casefold and accent removal would fold it,
one character at a time, so that copies differ by none of these:

* compatibility forms (NFKC): full-width Latin, ligatures, mathematical
  letters, half-width katakana;
* case (full case folding: "Straße" and "STRASSE" are one word);
* accents (``DIACRITICS``: the combining marks of Latin, Greek, Cyrillic,
  Hebrew and Arabic, which writers add or leave out), whether the text is
  composed (NFC) or decomposed (NFD); the marks of other scripts are letters
  there (Thai and Hindi vowels, Japanese voicing) and keep their code;
* invisible characters (zero-width space and joiners, word joiner, BOM,
  soft hyphen, bidi marks: Unicode's format characters, and the invisible
  fillers ``INVISIBLE``) fold to nothing and never split a word;
* look-alikes (``HOMOGLYPHS``): Cyrillic and Greek letters that pass for Latin
  ones fold to the Latin letter, in every word, so a Latin word spelled with a
  Cyrillic "а" is the Latin word (Russian and Greek text folds consistently,
  so it still matches itself).

A character may fold to several (``ß`` to ``ss``, ``ﬁ`` to ``fi``, a Hangul
syllable to its jamo), so the fold table is a list per character:
``codes[at[c]:at[c + 1]]``. Marks and invisible characters are *joiners*:
they continue the word they follow and never start one. Folding a text piece
by piece gives what folding its NFC, NFD, NFKC or NFKD form gives.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

WORD, UPPER, DIGIT, JOIN, UNIT, LEAD = 1, 2, 4, 8, 16, 32
"""Class bits of a character: starts or continues a word; upper or title case;
a digit; a joiner (continues a word, never starts one); a unit (a word by
itself); a lead (the unit after it continues its word instead of starting one)."""
LIMIT = 0x32400
"""Code points the tables cover (every plane with letters); beyond it nothing is a word."""
NUMBER_MARKS = np.array([ord(","), ord("."), ord("/")], dtype=np.uint32)
"""Marks that join two digits into one figure (each folds to a code of 0)."""
UNIT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x3005, 0x3007),    # 々 〆 〇
    (0x3021, 0x3029),    # Hangzhou numerals
    (0x3031, 0x303C),    # kana repeat marks
    (0x3040, 0x312F),    # Hiragana, Katakana, Bopomofo
    (0x31A0, 0x31BF),    # Bopomofo extended
    (0x31F0, 0x31FF),    # Katakana phonetic extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0x1B000, 0x1B2FF),  # kana supplements
    (0x20000, 0x323AF),  # CJK extensions B to H
)
"""Folded characters that are words by themselves: scripts written without spaces between words."""
DIACRITICS: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F), (0x0483, 0x0489),  # combining diacritical marks; Cyrillic
    (0x0591, 0x05C7),  # Hebrew points and cantillation
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED),  # Arabic
    (0x0898, 0x089F), (0x08CA, 0x08FF),  # Arabic extended
    (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),  # combining marks, extended
    (0xFE00, 0xFE0F),  # variation selectors
)
"""Marks folded away: accents, vowel points and variation selectors."""
INVISIBLE = frozenset((0x0640, 0x115F, 0x1160, 0x3164, 0xFFA0))
"""Letters that show nothing: Arabic tatweel (a stretch of the baseline) and the Hangul fillers."""
FOLLOWING = frozenset((0x0E30, 0x0E32, 0x0E33, 0x0E45, 0x0EB0, 0x0EB2, 0x0EB3))
"""Thai and Lao vowels written after their consonant: they join its unit."""
LEADS = frozenset((*range(0x0E40, 0x0E45), *range(0x0EC0, 0x0EC5), 0x1039, 0x17D2))
"""Thai and Lao vowels written before their consonant, and the Myanmar and Khmer
signs that stack the next consonant: the unit after them joins theirs."""
HOMOGLYPHS = {
    # Cyrillic letters that pass for Latin ones, by their small letter (capitals fold to it first)
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l",
    # Greek letters, likewise
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m",
    "ν": "n", "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ω": "w",
    # Latin letters that pass for others
    "ı": "i", "ɑ": "a", "ɡ": "g", "ȷ": "j",
}
"""Look-alikes folded to the Latin letter. Case folding comes first, so a letter's
capital and small forms fold to one Latin letter; where they pass for different
ones, the capital decides (Greek Η and η fold to "h", Ν and ν to "n", Υ and υ to "y";
Cyrillic В and в to "b"), since capitals are drawn the same as Latin ones."""
_MARKS = frozenset(int(m) for m in NUMBER_MARKS)
_SPECIAL = INVISIBLE | FOLLOWING | LEADS
_GONE = INVISIBLE | frozenset(code for lo, hi in DIACRITICS for code in range(lo, hi + 1)
                              if unicodedata.category(chr(code))[0] == "M")
HANGUL = (0xAC00, 0xD7A3)
"""Hangul syllables, which fold to their jamo (computed, as Unicode defines them)."""


def _gone(e: str) -> bool:
    """Whether a character of a decomposition folds to nothing."""
    return ord(e) in _GONE or unicodedata.category(e) == "Cf"


def fold_char(ch: str) -> list[int]:
    """The folded code points of one character (NFKD, case folding, accents and
    invisible characters dropped, look-alikes and digits mapped); empty for
    one that folds to nothing."""
    folded: list[int] = []
    for part in unicodedata.normalize("NFKD", ch):
        for e in unicodedata.normalize("NFKD", part.casefold()):
            if _gone(e):
                continue
            e = HOMOGLYPHS.get(e, e)
            digit = unicodedata.decimal(e, None)
            if digit is not None:
                e = str(digit)
            if e.isalnum() or unicodedata.category(e)[0] == "M":
                folded.append(ord(e))
    return folded


def classify(ch: str) -> tuple[int, list[int]]:
    """Class bits (all but ``UNIT``, which :func:`tables` adds from the folded
    character) and folded code points of one character."""
    code = ord(ch)
    if _gone(ch):
        return JOIN, []
    lead = LEAD if code in LEADS else 0
    folded = fold_char(ch)
    if unicodedata.category(unicodedata.normalize("NFKD", ch)[0])[0] == "M" or code in FOLLOWING:
        return JOIN | lead, folded  # a mark, or a letter made of one (a half-width voiced mark)
    if not ch.isalnum():
        return 0, [0] if code in _MARKS else []
    if not folded:
        return JOIN, []
    bits = WORD | lead
    if ch.isupper() or ch.istitle():
        bits |= UPPER
    if 0x30 <= folded[0] <= 0x39:
        bits |= DIGIT
    return bits, folded


IDEOGRAPHS = 0x20000
"""From here on (planes 2 and 3), every assigned character is a CJK ideograph."""


def cache_file() -> Path | None:
    """Where :func:`tables` keeps what it made (``$XDG_CACHE_HOME/dedup``, else ``~/.cache/dedup``),
    named for this module's source and the Unicode version of this Python, so a
    change to either makes new tables; None when there is no home to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache")
                                                if os.path.expanduser("~") != "~" else "")
    if not base:
        return None
    key = hashlib.sha256(Path(__file__).read_bytes() + unicodedata.unidata_version.encode()).hexdigest()[:20]
    return Path(base) / "dedup" / f"chars-{key}.npz"


@lru_cache(maxsize=1)
def tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cls, at, codes)``: class bits of every character below ``LIMIT``, and
    its folded code points ``codes[at[c]:at[c + 1]]`` (each with its combining
    class above :data:`CODE_BITS`: marks that normalization reorders are hashed in
    its order, so every normal form of a text gives the same words). Reading every character's
    properties takes a few tenths of a second, which every run would pay at its
    start: they are made once and kept in :func:`cache_file` (plain arrays,
    written atomically; a file that does not read as the three arrays is made again)."""
    path = cache_file()
    try:
        if path is not None:
            with np.load(path, allow_pickle=False) as kept:
                cls, at, codes = kept["cls"], kept["at"], kept["codes"]
            if cls.shape == (LIMIT,) and at.shape == (LIMIT + 1,) and len(codes) == int(at[-1]):
                return cls, at, codes
    except (OSError, ValueError, KeyError, EOFError):
        pass
    made = _make_tables()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
                np.savez(out, cls=made[0], at=made[1], codes=made[2])
            os.replace(out.name, path)
        except OSError:
            pass  # a read-only home: made again next time
    return made


def _make_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    category, normalize = unicodedata.category, unicodedata.normalize
    cls = np.zeros(LIMIT, dtype=np.uint8)
    first = np.arange(LIMIT, dtype=np.uint32)  # a character's first folded code
    lengths = np.ones(LIMIT, dtype=np.int64)
    longer: dict[int, list[int]] = {}
    for code in range(IDEOGRAPHS):
        if HANGUL[0] <= code <= HANGUL[1]:
            continue
        ch = chr(code)
        cat = category(ch)
        if cat in ("Cn", "Cs", "Co") or cat[0] in "PSZ" or cat == "Cc":
            # unassigned, surrogates, private use: never words; punctuation, symbols, spaces: separators
            lengths[code] = int(code in _MARKS)
            first[code] = 0
            continue
        if cat[0] == "L" and ch.casefold() == ch and normalize("NFKD", ch) == ch \
                and ch not in HOMOGLYPHS and code not in _SPECIAL:
            upper = cat in ("Lu", "Lt") and (ch.isupper() or ch.istitle())
            cls[code] = WORD | (UPPER if upper else 0)  # the common case: a letter that folds to itself
            continue
        bits, folded = classify(ch)
        cls[code] = bits
        lengths[code] = len(folded)
        if folded:
            first[code] = folded[0]
        if len(folded) > 1:
            longer[code] = folded
    syllable = np.arange(HANGUL[1] - HANGUL[0] + 1)
    cls[HANGUL[0] : HANGUL[1] + 1] = WORD
    lengths[HANGUL[0] : HANGUL[1] + 1] = 2 + (syllable % 28 > 0)
    first[HANGUL[0] : HANGUL[1] + 1] = 0x1100 + syllable // 588
    for code in range(IDEOGRAPHS, LIMIT):
        ch = chr(code)
        if category(ch) == "Cn":
            lengths[code] = 0
            continue
        cls[code] = WORD
        if 0x2F800 <= code <= 0x2FA1F:  # compatibility ideographs fold to the unified one
            first[code] = ord(normalize("NFKD", ch))
    units = np.zeros(LIMIT, dtype=bool)
    for lo, hi in UNIT_RANGES:
        units[lo : hi + 1] = True
    cls[((cls & (WORD | DIGIT)) == WORD) & (lengths > 0) & units[first]] |= UNIT
    at = np.zeros(LIMIT + 1, dtype=np.uint32)
    at[1:] = np.cumsum(lengths)
    codes = np.repeat(first, lengths)
    for code, folded in longer.items():
        codes[at[code] : at[code + 1]] = folded
    jamo = at[HANGUL[0] : HANGUL[1] + 1].astype(np.int64)
    codes[jamo + 1] = 0x1161 + syllable % 588 // 28
    final = syllable % 28 > 0
    codes[jamo[final] + 2] = 0x11A7 + syllable[final] % 28
    marks = np.unique(codes)
    combining = np.array([unicodedata.combining(chr(c)) for c in marks.tolist()], dtype=np.uint32)
    order = combining[np.searchsorted(marks, codes)]
    return cls, at, codes | (order << np.uint32(CODE_BITS))


CODE_BITS = 21
"""Bits of a folded code point in :func:`tables`' ``codes``; the bits above hold its canonical
combining class, by which the tokenizer puts the marks after a letter in order (as NFD does)."""


@lru_cache(maxsize=1)
def _unseen() -> dict[int, None]:
    cls, at, _ = tables()
    gone = np.flatnonzero(((cls & JOIN) != 0) & (at[1:] == at[:-1]))
    return dict.fromkeys(gone.tolist())


def visible(text: str) -> str:
    """``text`` without the characters that fold to nothing (invisible ones, accents):
    for rules that read text with regular expressions rather than as words. No ASCII
    character is one of them, and most text is ASCII: it is returned as it is."""
    return text if text.isascii() else text.translate(_unseen())
