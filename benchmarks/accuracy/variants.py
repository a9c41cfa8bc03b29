"""The conditions of the accuracy benchmark: corpora built differently from the one dedup was tuned on.

Each condition is the baseline corpus with one thing changed (two where its
name says so), so a figure that moves between the baseline row and a
condition's row moves because of that one thing. Every condition is seeded:
the same seed, wire count and condition give the same corpus, byte for byte.
Draws a condition adds come from a generator of its own (seeded with the
corpus seed and the condition's name), so the baseline's draws are left
alone wherever the condition does not change the text.

The knobs are read by :func:`benchmarks.accuracy.generate.build`, by
:mod:`.relabel` (ids, outlet fields, the wire's name) and by :mod:`.evasion`
(invisible characters and look-alike letters).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

from dedup.settings import WIRE_OUTLETS

Dates = Literal["baseline", "same-day", "undated", "mixed"]
OutletField = Literal["outlet", "none", "url"]

WIRE_NAMES: tuple[str, ...] = (
    "Meridian Newswire", "Agencia Austral", "Nordpress", "Orbis Dispatch", "Tidewater Information Service",
    "Kestrel Agency", "Lantern Feed", "Compass Telegraph",
)
"""Invented news agencies for the wire when its name must be on no list."""


def slug(name: str) -> str:
    """An outlet name as the corpus writes it: lower case, words joined by hyphens."""
    return "-".join(name.lower().split())


def unlisted(name: str) -> bool:
    """Whether neither the name nor its slug is one of dedup's wire services."""
    known = {w.lower() for w in WIRE_OUTLETS}
    return name.lower() not in known and slug(name) not in known and "reuters" not in name.lower()


def wire_name(rng: random.Random) -> str:
    """An invented agency name on no list (checked against ``dedup.settings.WIRE_OUTLETS``)."""
    names = [n for n in WIRE_NAMES if unlisted(n)]
    if not names:
        raise ValueError("every invented wire name is on dedup's list of wire services")
    return rng.choice(names)


_CREDIT = re.compile(r"\breuter(s')?s?(?![a-z])", re.I)  # "Reuter4": a sign-off run into the next line


def credited(text: str, name: str) -> str:
    """``text`` with every mention of Reuters ("told Reuters", "a Reuters survey") giving
    the first word of ``name`` instead, in the same case: one word for one word, so no
    two stories come to share a run of words they did not share before."""
    word = name.split()[0]

    def one(m: re.Match[str]) -> str:
        said = word.upper() if m.group().isupper() else word
        return said + ("'s" if m.group(1) else "")  # Reuters' -> Meridian's

    return _CREDIT.sub(one, text)


@dataclass(frozen=True)
class Condition:
    """How a corpus differs from the baseline."""

    name: str
    about: str
    wire_name: bool = False
    """The wire outlet gets an invented name on no list; neither ids nor texts give the old one away."""
    dates: Dates = "baseline"
    """How outlets' articles are dated: ``same-day`` (the wire story's day, no time),
    ``undated`` (no date), ``mixed`` (a third each: a time, a day, nothing)."""
    outlet_field: OutletField = "outlet"
    """``none``: records without ``outlet`` and ids that do not reveal it; ``url``:
    the same, with a ``url`` whose host names the outlet."""
    furniture: float | None = None
    """Short articles whose header and footer make about this share of the page."""
    outlet_copies: float = 0.0
    """Share of outlets' copies of a wire story that another outlet reprints in turn."""
    versions: bool = False
    """The wire sends updates and corrections of some stories; outlets reprint any version."""
    stock_phrases: bool = False
    """Local stories share invented stock phrases (``stock.PHRASES``) without copying each other."""
    credits: float = 0.0
    """Share of outlets' copies of a wire story whose page credits the wire (byline, sign-off
    or "... contributed to this report"), as ``CREDIT_FORMS`` write it."""
    disguise: bool = False
    """Outlets' articles hide an invisible character or a look-alike letter in about every
    other word (:mod:`.evasion`); the words and the truth are the baseline's."""

    def rng(self, seed: int) -> random.Random:
        """The condition's own draws, apart from the baseline's."""
        return random.Random(f"{seed}/{self.name}")


CREDIT_FORMS: tuple[str, ...] = ("By {staff}, {wire}", "{wire} contributed to this report.", "— {wire}")
"""How a page credits the wire: its byline, or a line after the story."""


def credit(byline: str, wire: str, rng: random.Random) -> tuple[str, str]:
    """A page's byline and the line after its story (empty or one credit) when it credits ``wire``."""
    form = rng.choice(CREDIT_FORMS)
    if form.startswith("By "):
        return form.format(staff=byline.split(",")[0].removeprefix("By "), wire=wire), ""
    return byline, form.format(wire=wire)


FURNITURE_BAND = 0.05
"""How far a page's furniture share may be from its condition's target."""

CONDITIONS: dict[str, Condition] = {c.name: c for c in (
    Condition("baseline", "the corpus dedup was tuned on"),
    Condition("unlisted-wire", "the wire is an agency on no list", wire_name=True),
    Condition("same-day", "outlets' copies dated the wire story's day, without a time", dates="same-day"),
    Condition("undated", "outlets' articles carry no date", dates="undated"),
    Condition("dates-mixed", "outlets' articles dated with a time, a day or not at all", dates="mixed"),
    Condition("unlisted-wire-same-day", "an unlisted wire, and copies dated its day only",
              wire_name=True, dates="same-day"),
    Condition("no-outlet", "no outlet field; ids do not reveal the outlet", outlet_field="none"),
    Condition("no-outlet-url", "no outlet field, but a url whose host names the outlet", outlet_field="url"),
    Condition("furniture-0", "short articles without header or footer", furniture=0.0),
    Condition("furniture-15", "short articles, header and footer about 15% of the page", furniture=0.15),
    Condition("furniture-30", "short articles, header and footer about 30% of the page", furniture=0.30),
    Condition("outlet-copies", "outlets also reprint other outlets' versions", outlet_copies=0.35),
    Condition("versions", "the wire sends updates and corrections; outlets reprint any version", versions=True),
    Condition("stock-phrases", "unrelated local stories share stock phrases", stock_phrases=True),
    Condition("credit-lines", "an unlisted wire, copies dated its day, and most copies credit the wire by name",
              wire_name=True, dates="same-day", credits=0.7),
    Condition("disguised", "outlets' articles with invisible characters and look-alike letters every few words",
              disguise=True),
)}
"""Every condition, by name, in the order of the benchmark's tables."""

BASELINE = CONDITIONS["baseline"]
