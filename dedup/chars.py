"""What counts as a word character, and how characters fold before hashing.

A word is a run of letters and digits; digits joined by ``,``, ``.`` or
``/`` make one word ("1,000", "7.5", "3/8": copies keep their figures,
templates change them). A character folds to its lower case with accents
removed, so case and accents never make two copies differ. Both tables
cover the Basic Multilingual Plane; astral characters (emoji) are never words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

WORD, UPPER, DIGIT = 1, 2, 4
"""Class bits of a character: part of a word, upper or title case, a digit."""
NUMBER_MARKS = np.array([ord(","), ord("."), ord("/")], dtype=np.uint32)
"""Marks that join two digits into one figure."""


@lru_cache(maxsize=1)
def tables() -> tuple[np.ndarray, np.ndarray]:
    """Class bits and folded code point of every character of the BMP."""
    size = 0x10000
    cls = np.zeros(size, dtype=np.uint8)
    fold = np.zeros(size, dtype=np.uint32)
    for code in range(size):
        ch = chr(code)
        if not ch.isalnum():
            continue
        bits = WORD
        if ch.isupper() or ch.istitle():
            bits |= UPPER
        if ch.isdigit():
            bits |= DIGIT
        cls[code] = bits
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if code >= 128:
            base = unicodedata.normalize("NFKD", low)[:1]
            if base and base.isalnum():
                low = base
        fold[code] = ord(low)
    return cls, fold
