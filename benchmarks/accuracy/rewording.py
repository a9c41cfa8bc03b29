"""How a rewriting desk changes wire copy: synonyms, clauses in another order, sentences merged and split.

A rewriting desk keeps the facts and changes the words: it swaps words and
phrases for others that mean the same, puts a sentence's clauses in another
order ("X said Y" becomes "Y, X said"), joins two sentences into one and cuts
one into two. Every function works on one sentence (or two) and takes its
randomness from the ``random.Random`` it is given. The substitution table is
the benchmark's own: common news-English wording, written for it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

SUBSTITUTIONS: dict[str, tuple[str, ...]] = {
    # wire abbreviations, spelled out
    "mln": ("million",), "bln": ("billion",), "dlrs": ("dollars",), "dlr": ("dollar",), "pct": ("percent",),
    "cts": ("cents",), "stg": ("sterling",), "yr": ("year",), "qtr": ("quarter",), "shr": ("share",),
    "avg": ("average",), "vs": ("against",),
    # reporting verbs
    "said": ("stated", "noted", "reported"), "says": ("states", "notes"), "told": ("informed",),
    "added": ("went on to say", "continued"), "announced": ("disclosed", "made public"),
    "reported": ("posted", "recorded"), "estimated": ("put", "reckoned"), "predicted": ("forecast",),
    "confirmed": ("acknowledged",), "denied": ("rejected",), "noted": ("pointed out", "observed"),
    "said it": ("stated that it", "reported that it"), "said the": ("stated that the", "noted that the"),
    "said that": ("stated that", "noted that"),
    # movement
    "rose": ("climbed", "increased", "advanced"), "fell": ("dropped", "declined", "slid"),
    "declined": ("slipped", "eased"), "increased": ("grew", "went up"), "decreased": ("shrank", "went down"),
    "rise": ("increase", "gain"), "fall": ("drop", "decline"), "gain": ("advance",), "loss": ("deficit",),
    "losses": ("deficits",), "higher": ("greater", "up"), "lower": ("smaller", "down"),
    "sharply": ("steeply",), "slightly": ("a little", "marginally"), "up from": ("compared with",),
    "down from": ("against",), "compared with": ("against", "versus"),
    # business
    "company": ("firm", "group", "concern"), "companies": ("firms", "groups"), "shares": ("stock",),
    "share": ("stock",), "stake": ("holding", "interest"), "profit": ("earnings",), "profits": ("earnings",),
    "net": ("bottom-line",), "revenue": ("sales",), "revenues": ("sales",), "sales": ("turnover",),
    "quarter": ("three months",), "year": ("twelve months",), "market": ("marketplace",),
    "prices": ("rates",), "price": ("cost",), "offer": ("bid", "proposal"), "deal": ("transaction",),
    "agreement": ("accord", "pact"), "merger": ("combination",), "acquisition": ("takeover", "purchase"),
    "acquire": ("buy", "take over"), "purchase": ("buy",), "sell": ("dispose of",), "sold": ("disposed of",),
    "bought": ("acquired", "purchased"), "subsidiary": ("unit", "affiliate"), "unit": ("division",),
    "chairman": ("board chair",), "president": ("head",), "spokesman": ("representative", "spokesperson"),
    "officials": ("authorities",), "official": ("officer",), "analysts": ("market watchers", "observers"),
    "investors": ("shareholders",), "output": ("production",), "production": ("output",),
    "exports": ("foreign sales",), "imports": ("foreign purchases",), "debt": ("borrowing",),
    "interest rates": ("borrowing costs",), "tonnes": ("metric tons",), "barrels": ("bbl",),
    # government
    "government": ("administration", "authorities"), "minister": ("secretary",), "ministry": ("department",),
    "talks": ("negotiations", "discussions"), "meeting": ("session",), "statement": ("release",),
    "proposal": ("plan",), "plan": ("scheme",), "plans": ("intends", "aims"), "policy": ("stance",),
    # time and manner
    "yesterday": ("on Monday",), "today": ("on Tuesday",), "recently": ("lately",), "currently": ("now",),
    "previously": ("earlier",), "already": ("by now",), "expected": ("anticipated", "forecast"),
    "expects": ("anticipates", "forecasts"), "expect": ("anticipate",), "about": ("around", "some"),
    "approximately": ("about",), "nearly": ("almost",), "more than": ("over",), "less than": ("under",),
    "because": ("as", "since"), "however": ("but", "yet"), "also": ("as well",), "would": ("will",),
    "could": ("might",), "will": ("is to", "is set to"), "began": ("started",), "begin": ("start",),
    "ended": ("finished",), "help": ("assist",), "major": ("big", "leading"), "large": ("big",),
    "small": ("minor",), "new": ("fresh",), "total": ("overall",), "previous": ("prior", "earlier"),
    "current": ("present",), "increase": ("rise", "boost"), "reduce": ("cut", "lower"), "cut": ("reduce",),
    "raise": ("lift",), "raised": ("lifted",), "set": ("fixed",), "agreed": ("consented",),
    "continue": ("keep on",), "expected to": ("likely to", "set to"), "in order to": ("to",),
    "because of": ("owing to", "due to"), "including": ("among them",), "following": ("after",),
    "amid": ("during",), "despite": ("in spite of",), "due to": ("because of",), "said on": ("announced on",),
    "per share": ("a share",), "a share": ("per share",), "a year earlier": ("twelve months before",),
    "last year": ("the year before",), "this year": ("in the current year",), "next year": ("the coming year",),
    # more of the nouns and verbs of wire copy
    "bank": ("lender",), "banks": ("lenders",), "trade": ("commerce",), "oil": ("crude",),
    "board": ("directors",), "exchange": ("bourse",), "countries": ("nations",), "country": ("nation",),
    "week": ("seven days",), "first": ("initial",), "world": ("global",), "tax": ("levy",),
    "made": ("produced",), "make": ("produce",), "month": ("four weeks",), "months": ("periods",),
    "u.s.": ("American", "United States"), "united states": ("U.S.",), "federal": ("national",),
    "economy": ("economic activity",), "economic": ("business",), "growth": ("expansion",),
    "industry": ("sector",), "foreign": ("overseas",), "domestic": ("home",), "capital": ("funds",),
    "value": ("worth",), "rate": ("level",), "level": ("rate",), "record": ("all-time high",),
    "reached": ("hit",), "received": ("got",), "paid": ("handed over",), "pay": ("hand over",),
    "hold": ("keep",), "held": ("kept",), "took": ("assumed",), "take": ("assume",), "give": ("grant",),
    "gave": ("granted",), "called": ("urged",), "asked": ("requested",), "issued": ("put out",),
    "believe": ("think",), "believes": ("thinks",), "likely": ("probably going",), "possible": ("feasible",),
    "effective": ("in force",), "immediately": ("at once",), "further": ("additional",),
    # function words and tense
    "and": ("as well as", "plus"), "but": ("though",), "with": ("along with",), "after": ("following",),
    "before": ("ahead of",), "over": ("above",), "under": ("below",), "when": ("as",), "which": ("that",),
    "some": ("several",), "all": ("every one of",), "other": ("further",), "is": ("was",),
    "was": ("had been",), "has": ("had",), "have": ("had",), "are": ("were",), "were": ("had been",),
    "by": ("through",), "from": ("out of",), "its": ("the",), "their": ("the",), "this": ("the",),
    # inflection a rewrite changes (what stems still tie together)
    "reports": ("reported",), "expected to be": ("expecting to be",), "companies'": ("company's",),
    "increases": ("increased",), "rates": ("rate",), "products": ("product",), "plants": ("plant",),
    "operations": ("operation",), "operating": ("operations",), "earnings": ("earned",),
}
"""Words and phrases with what a rewriting desk writes instead (the benchmark's own list)."""

_KEYS = sorted(SUBSTITUTIONS, key=lambda k: (-len(k), k))
_SUBSTITUTE = re.compile(r"(?<![\w'])(" + "|".join(re.escape(k) for k in _KEYS) + r")(?![\w'])", re.I)

_LEADS = ("In", "On", "At", "After", "Before", "During", "For", "Since", "Under", "With", "Although",
          "While", "If", "Because", "As", "Despite", "Following", "Last", "Earlier")
_LEADING = re.compile(r"^(" + "|".join(_LEADS) + r") ([^,]{4,70}), (.{12,})\.$")
_SAID = re.compile(r"^([A-Z][^,;:\"]{2,60}?) (said|says|told reporters|reported|announced)(?: that)? (.{12,})\.$")
_SAID_END = re.compile(r"^(.{12,}), ([^,;:\"]{3,60}) (said|says|added)\.$")
_SPLIT = re.compile(r"(, and |; |, but |, which |, while )")
_STARTS = frozenset("The It He She They This That A An In But Its There These Those We".split())


def _case_like(word: str, replacement: str) -> str:
    if word.isupper() and len(word) > 1:
        return replacement.upper()
    if word[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _lower_start(text: str) -> str:
    word = text.split(" ", 1)[0]
    return word.lower() + text[len(word):] if word in _STARTS else text


def _upper_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def substitute(text: str, rate: float, rng: random.Random) -> str:
    """About ``rate`` of the words and phrases the table knows swapped for another wording."""
    def one(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group()
        return _case_like(m.group(), rng.choice(SUBSTITUTIONS[m.group().lower()]))

    return _SUBSTITUTE.sub(one, text)


PADDING = ("also", "now", "indeed", "reportedly", "meanwhile", "in fact", "notably", "further")
"""Words a rewriting desk puts in that the wire did not write."""


def pad(text: str, rate: float, rng: random.Random) -> str:
    """About ``rate`` of the words (not the first) preceded by a word the wire did not write."""
    tokens = text.split(" ")
    return " ".join(t if k == 0 or rng.random() >= rate else f"{rng.choice(PADDING)} {t}"
                    for k, t in enumerate(tokens))


def reorder(text: str) -> str:
    """The sentence's clauses in another order, where it has a form that allows it:
    the speaker moved to the end or the front, a leading phrase moved behind the main clause."""
    if not text.endswith("."):
        return text
    m = _SAID.match(text)
    if m and '"' not in text:
        speaker, verb, said = m.groups()
        return f"{_upper_start(said)}, {_lower_start(speaker)} {verb}."
    m = _SAID_END.match(text)
    if m and '"' not in text:
        said, speaker, verb = m.groups()
        return f"{_upper_start(speaker)} {verb} that {_lower_start(said)}."
    m = _LEADING.match(text)
    if m:
        lead, phrase, rest = m.groups()
        return f"{_upper_start(rest)} {lead.lower()} {phrase}."
    return text


def split(text: str, rng: random.Random) -> tuple[str, str] | None:
    """One sentence cut into two at a clause boundary (both parts of five words or more), or None."""
    cuts = [m for m in _SPLIT.finditer(text)
            if len(text[:m.start()].split()) >= 5 and len(text[m.end():].split()) >= 5]
    if not cuts:
        return None
    m = rng.choice(cuts)
    tail = text[m.end():]
    if m.group() == ", which ":
        tail = "This " + tail
    elif m.group() == ", but ":
        tail = "But " + tail
    return text[:m.start()] + ".", _upper_start(tail)


def merge(first: str, second: str, rng: random.Random) -> tuple[str, str, str]:
    """Two sentences made one: ``(first, connector, second)``."""
    return first.rstrip("."), rng.choice((", and ", "; ", ", while ", " and ")), _lower_start(second)


@dataclass(frozen=True)
class Strength:
    """How hard a rewriting desk works, per operation."""

    name: str
    swap: float
    """Share of the words and phrases the table knows that are swapped."""
    reorder: float
    """Share of sentences whose clauses are reordered (where their form allows)."""
    merge: float
    """Share of sentences merged with the next one in their paragraph."""
    split: float
    """Share of sentences cut in two (where they have a clause boundary)."""
    pad: float = 0.0
    """Share of words preceded by a word the wire did not write (with the swaps)."""


STRENGTHS: tuple[Strength, ...] = (
    Strength("light", 0.25, 0.25, 0.15, 0.15, 0.02),
    Strength("medium", 0.5, 0.5, 0.3, 0.3, 0.05),
    Strength("heavy", 0.9, 0.85, 0.5, 0.5, 0.1),
)
"""The three strengths of the rewriting cases."""

OPERATIONS: tuple[str, ...] = ("synonyms", "reorder", "merge-split", "rewrite")
"""The rewriting cases: one operation alone, or all of them (``rewrite``)."""


def only(strength: Strength, operation: str) -> Strength:
    """``strength`` with every operation but ``operation`` switched off (``rewrite``: all on)."""
    if operation == "rewrite":
        return strength
    return Strength(strength.name, strength.swap if operation == "synonyms" else 0.0,
                    strength.reorder if operation == "reorder" else 0.0,
                    strength.merge if operation == "merge-split" else 0.0,
                    strength.split if operation == "merge-split" else 0.0,
                    strength.pad if operation == "synonyms" else 0.0)
