"""The ``disguised`` condition: outlets' pages with invisible characters and look-alike letters.

A scraper that wants its copies to pass for its own text breaks them up
where a reader cannot see it: a zero-width or other invisible character
inside a word, a Cyrillic or Greek letter in place of the Latin one it looks
like. Every outlet's article (copies and its own stories alike; the wire's
are left as they are) gets one or the other in about every other word, at
random, after the corpus is built: the words and the truth are the
baseline's, and the truth's offsets move with the inserted characters, so
``plain`` of a disguised text is the baseline text and every span still
holds the same words.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .newsrooms import WIRE
from .records import Corpus

HIDDEN = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
"""Zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen."""
LOOKALIKES = {
    "a": "а", "c": "с", "e": "е", "i": "і", "j": "ј", "o": "о", "p": "р", "s": "ѕ", "x": "х", "y": "у",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "Ο", "P": "Р", "T": "Т",
    "X": "Χ", "Y": "Υ",
}
"""Latin letters and the Cyrillic or Greek ones that pass for them."""
HIDE = 0.25
"""Share of words that get an invisible character inside."""
SWAP = 0.25
"""Share of words (of the others) that get a look-alike letter."""
_WORD = re.compile(r"[^\W\d_]{2,}")
_PLAIN = str.maketrans({**{h: None for h in HIDDEN}, **{v: k for k, v in LOOKALIKES.items()}})


def plain(text: str) -> str:
    """``text`` without the disguise: hidden characters removed, look-alikes given back."""
    return text.translate(_PLAIN)


def disguise(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """``text`` disguised, and where each character of it went (and, last, its end)."""
    hidden: dict[int, str] = {}  # inserted before the character at this offset
    swapped: dict[int, str] = {}
    for m in _WORD.finditer(text):
        draw = rng.random()
        if draw < HIDE:
            hidden[m.start() + rng.randrange(1, len(m.group()))] = rng.choice(HIDDEN)
        elif draw < HIDE + SWAP:
            places = [i for i in range(m.start(), m.end()) if text[i] in LOOKALIKES]
            if places:
                at = rng.choice(places)
                swapped[at] = LOOKALIKES[text[at]]
    out: list[str] = []
    moved: list[int] = []
    for i, ch in enumerate(text):
        if i in hidden:
            out.append(hidden[i])
        moved.append(len(out))
        out.append(swapped.get(i, ch))
    moved.append(len(out))
    return "".join(out), moved


def disguised(corpus: Corpus, rng: random.Random) -> Corpus:
    """``corpus`` with every outlet's article disguised, and its truth's offsets moved with them."""
    outlets = {d["id"]: d["outlet"] for d in corpus.truth["documents"]}
    maps: dict[str, list[int]] = {}
    articles = []
    for record in corpus.articles:
        if outlets[record["id"]] == WIRE:
            articles.append(record)
            continue
        text, maps[record["id"]] = disguise(record["text"], rng)
        articles.append({**record, "text": text})

    def span(doc: str, start: int, end: int) -> tuple[int, int]:
        where = maps.get(doc)
        return (start, end) if where is None else (where[start], where[end - 1] + 1)

    truth: dict[str, Any] = dict(corpus.truth)
    documents = []
    for d in corpus.truth["documents"]:
        if d["id"] in maps:
            d = {**d, "length": maps[d["id"]][-1]}
            if "body" in d:
                d["body"] = list(span(d["id"], *d["body"]))
        documents.append(d)
    truth["documents"] = documents
    pairs = []
    for p in corpus.truth["pairs"]:
        spans = []
        for s in p["spans"]:
            (a0, a1), (b0, b1) = span(p["a"], s["a_start"], s["a_end"]), span(p["b"], s["b_start"], s["b_end"])
            spans.append({**s, "a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1})
        pairs.append({**p, "spans": spans})
    truth["pairs"] = pairs
    return Corpus(articles, truth, corpus.published)
