"""Stock phrases: wording unrelated stories share without anyone copying anyone.

Newsrooms open sentences with the same stock clauses ("in the run up to the
general election", "according to figures released earlier this week").
Two stories that share one are not copies, however long the phrase. The
phrases here (6 to 12 words) are the benchmark's own; each local story of the
``stock-phrases`` condition gets one to three of them, each opening one of
its sentences, so every phrase stands in many unrelated stories.
"""

from __future__ import annotations

import random
import re

from .edits import sentences, words

PHRASES: tuple[str, ...] = (
    "In the run up to the general election",
    "According to figures released earlier this week",
    "As expected by most analysts in the city",
    "Despite repeated assurances from senior officials at the time",
    "In a statement posted on its website late on Friday",
    "Speaking on condition of anonymity because the talks were continuing",
    "For the third time in as many months",
    "Amid growing concern among local residents and business owners",
    "With the deadline for a decision fast approaching",
    "Against the background of a slowing national economy",
    "As the council prepared to debate next year's budget",
    "In a move that surprised many observers in the region",
)

_LOWER = frozenset("The It He She They This That A An In But Its There These Those We Some Most However".split())


def _open_with(phrase: str, sentence: str, lower: set[str]) -> str:
    """``sentence`` opened by ``phrase``; its first word loses its capital when it is a
    common word (one of ``_LOWER``, or written in lower case elsewhere in the story)."""
    first, _, rest = sentence.partition(" ")
    core = first.strip(",;:")
    if core in _LOWER or (core[1:].islower() and core.lower() in lower):
        first = first[:1].lower() + first[1:]
    return f"{phrase}, {first} {rest}".rstrip()


def sprinkle(paragraphs: list[str], rng: random.Random) -> list[str]:
    """``paragraphs`` with one to three stock phrases, each opening another sentence."""
    spots = [(p, s) for p, para in enumerate(paragraphs) for s in sentences(para, 0, len(para))
             if len(words(para[s.start:s.end])) >= 4]
    if not spots:
        return paragraphs
    chosen = rng.sample(spots, min(len(spots), rng.choice((1, 2, 2, 3))))
    phrases = rng.sample(PHRASES, len(chosen))
    lower = {w for para in paragraphs for w in re.findall(r"\b[a-z]+\b", para)}
    out = list(paragraphs)
    for (p, s), phrase in sorted(zip(chosen, phrases), key=lambda c: (c[0][0], -c[0][1].start)):
        para = out[p]
        out[p] = para[:s.start] + _open_with(phrase, para[s.start:s.end], lower) + para[s.end:]
    return out
