"""How newsrooms change wire copy: sentences, word changes, merges and scanning noise.

Everything here works on one sentence or paragraph at a time and takes its
randomness from the ``random.Random`` it is given, so a corpus is the same for
the same seed. The word lists are the benchmark's own.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset("""
mr mrs ms dr co corp inc ltd bros jr sr st sen rep gov gen lt col capt no vs etc
jan feb mar apr jun jul aug sep sept oct nov dec
u.s u.k n.y n.j n.z s.a u.s.s.r calif conn mass va wash ill fla pa ky ind mich minn mo
tex ariz colo wis md ore okla ga la nev del ala tenn neb kan miss
""".split())
_BOUNDARY = re.compile(r"[.!?][\"']?(?=\s+[\"']?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]+(?=\S)|\n\s*\n")
WORD = re.compile(r"[^\W_]+")

SYNONYMS: dict[str, str] = {
    "said": "stated", "says": "states", "told": "informed", "added": "continued",
    "rose": "climbed", "fell": "dropped", "declined": "slipped", "increased": "grew",
    "company": "firm", "companies": "firms", "expected": "anticipated", "expects": "anticipates",
    "announced": "disclosed", "about": "around", "government": "administration",
    "officials": "authorities", "official": "spokesperson", "plans": "intends", "would": "will",
    "however": "but", "purchase": "buy", "acquire": "buy", "agreed": "consented",
    "spokesman": "representative", "statement": "release", "meeting": "session",
    "yesterday": "on Monday", "today": "on Tuesday", "major": "big", "large": "big",
    "since": "as", "because": "as", "total": "overall", "previous": "prior", "current": "present",
    "increase": "rise", "decrease": "fall", "reduce": "cut", "higher": "greater", "lower": "smaller",
    "market": "marketplace", "prices": "rates", "help": "assist", "began": "started",
    "mln": "million", "dlrs": "dollars", "dlr": "dollar", "pct": "percent", "cts": "cents",
    "stg": "sterling", "qtr": "quarter", "shr": "share", "yr": "year", "billion": "bln",
}
ADVERBS = ("also", "now", "reportedly", "recently", "still", "already")
_LOWER_STARTS = frozenset("The It He She They This That A An In But Its There These Those We".split())
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("I", "l"), ("O", "0"), ("o", "0"), ("e", "c"),
    ("c", "e"), ("h", "b"), ("cl", "d"), ("d", "cl"), ("i", "l"), ("S", "5"), ("B", "8"),
    ("a", "o"), ("u", "v"), ("t", "f"), ("n", "ri"),
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source text: ``text[start:end]``, in paragraph ``paragraph``."""

    index: int
    start: int
    end: int
    paragraph: int


def words(text: str) -> list[str]:
    """Folded words (runs of letters and digits), the unit of every overlap check."""
    return WORD.findall(text.lower())


def reflow(text: str) -> str:
    """One line, single spaces: how a newspaper sets hard-wrapped wire copy."""
    return " ".join(text.split())


def _ends_sentence(text: str, stop: int) -> bool:
    token = text[:stop].rsplit(None, 1)[-1] if text[:stop].strip() else ""
    core = token.rstrip("\"'").rstrip(".!?").lstrip("(\"'").lower()
    return not (core in _ABBREVIATIONS or (len(core) == 1 and core.isalpha()))


def sentences(text: str, start: int, stop: int) -> list[Sentence]:
    """Sentences of ``text[start:stop]`` with absolute offsets; paragraphs are
    indented lines (wire copy) or blank lines."""
    found: list[Sentence] = []
    region = text[start:stop]
    cuts = [0] + [m.end() for m in _PARAGRAPH.finditer(region)] + [len(region)]
    for para, (p0, p1) in enumerate(zip(cuts, cuts[1:])):
        pieces = []
        last = p0
        for m in _BOUNDARY.finditer(region, p0, p1):
            if _ends_sentence(region, m.end()):
                pieces.append((last, m.end()))
                last = m.end()
        pieces.append((last, p1))
        for a, b in pieces:
            chunk = region[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            if trail > lead:
                found.append(Sentence(len(found), start + a + lead, start + a + trail, para))
    return _renumber_paragraphs(found)


def _renumber_paragraphs(found: list[Sentence]) -> list[Sentence]:
    numbers: dict[int, int] = {}
    return [Sentence(s.index, s.start, s.end, numbers.setdefault(s.paragraph, len(numbers))) for s in found]


def _swap_core(token: str, replacement: str) -> str:
    m = re.match(r"^(\W*)(.*?)(\W*)$", token)
    assert m is not None
    lead, core, trail = m.groups()
    if core[:1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    return lead + replacement + trail


def change_words(text: str, rate: float, rng: random.Random) -> str:
    """Change about ``rate`` of the words: a synonym or spelled-out abbreviation
    where one is known, otherwise a dropped word or an inserted adverb."""
    tokens = text.split(" ")
    out: list[str] = []
    for i, token in enumerate(tokens):
        if i == 0 or rng.random() >= rate:
            out.append(token)
            continue
        core = re.sub(r"^\W+|\W+$", "", token).lower()
        if core in SYNONYMS:
            out.append(_swap_core(token, SYNONYMS[core]))
        elif rng.random() < 0.5 and len(tokens) > 6 and token.isalpha():
            continue
        else:
            out.append(rng.choice(ADVERBS))
            out.append(token)
    return " ".join(out)


def merge(first: str, second: str, rng: random.Random) -> tuple[str, str, str]:
    """Two sentences made one: ``(first, connector, second)`` with the pieces changed."""
    head = first.rstrip(".")
    word = second.split(" ", 1)[0]
    tail = second
    if word in _LOWER_STARTS:
        tail = word.lower() + second[len(word):]
    return head, rng.choice((", and ", "; ", ", while ")), tail


def scan_noise(text: str, rate: float, rng: random.Random) -> str:
    """Scanned-copy errors: about ``rate`` of the words get a character confusion,
    and about ``rate / 2`` of the spaces are lost."""
    tokens = text.split(" ")
    noisy = []
    for token in tokens:
        if rng.random() < rate:
            options = [(a, b) for a, b in CONFUSIONS if a in token]
            if options:
                a, b = rng.choice(options)
                at = [m.start() for m in re.finditer(re.escape(a), token)]
                k = rng.choice(at)
                token = token[:k] + b + token[k + len(a):]
        noisy.append(token)
    out = noisy[0]
    for token in noisy[1:]:
        out += ("" if rng.random() < rate / 2 else " ") + token
    return out


def drop_count(strength: float, base: float, rng: random.Random) -> int:
    """``base * strength`` rounded up or down at random, so the mean is exact."""
    value = base * strength
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)
