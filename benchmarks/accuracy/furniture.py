"""Outlet furniture sized to a share of the page, with text drawn afresh for every condition.

The baseline's outlets wrap every article in one fixed header and footer
(``newsrooms.py``), a few hundred characters around bodies of thousands, so a
detector could learn those strings, or learn that furniture is a small share.
Here each outlet gets a masthead, an edition mark, a tagline, a date and a byline style and a dozen footer
lines composed from the fragments below by the condition's own generator, so
the strings differ from one condition (and seed) to the next. Each page takes
as many of its outlet's pieces, always in the same order, as bring the
furniture (everything outside the body: masthead, tagline, date line,
headline, byline, footer) closest to the target share; so every outlet's
pages share the same leading pieces, as a real template does. All text here
is the benchmark's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from .newsrooms import Newsroom

TAGLINES = (
    "news for the {region} since {year}", "independent reporting from the {region}",
    "the {region}'s daily paper", "local news, sport and opinion for the {region}",
    "serving the {region} every morning", "the paper of record for the {region}",
    "reporting the {region} to itself since {year}", "your {region} news, first",
)
REGIONS = ("hill country", "north shore", "valley towns", "county", "lake district", "harbour", "plains",
           "river wards", "coast", "old town", "market towns", "uplands")
FOOTERS = (
    "Copyright {year} {name}. All rights reserved.",
    "Call the {desk} desk at 555-{phone} with news tips.",
    "Letters to the editor should be under {words} words and include your town.",
    "Subscribe for home delivery {days} days a week.",
    "Our office at {number} {street} is open weekdays from {hour} a.m.",
    "{name} is a member of the {region} press council.",
    "Corrections are printed on page {page} of the next edition.",
    "Read {name} online; subscribers get {days} free guest passes a month.",
    "To advertise, call 555-{phone} or write to our {desk} department.",
    "Photographs may be bought from the picture desk at {number} {street}.",
    "Follow the {desk} desk of {name} for updates through the day.",
    "The {desk} desk reads every message and protects its sources.",
    "Printed on recycled paper at the {region} print works on {street}.",
    "Back issues can be ordered from the front office on {street}.",
    "{name} welcomes story ideas from readers across the {region}.",
    "Delivery problems? Call circulation at 555-{phone} before {hour} a.m.",
    "Reader events are announced every {weekday} in the community pages.",
    "Obituaries and notices: write to the {desk} desk by {hour} p.m.",
)
DESKS = ("news", "city", "metro", "business", "features", "standards", "community", "newsroom")
STREETS = ("Main Street", "Mill Lane", "Harbour Road", "Elm Avenue", "Station Road", "Church Street",
           "Bridge Street", "Market Square", "Quarry Road", "Orchard Way")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
EDITIONS = ("Late edition", "Final", "Page 3", "Local", "Online only", "Morning edition", "City pages")
BYLINE_STYLES = ("By {who}, {title} staff", "{who} | staff writer", "Story by {who}", "{who}, {title}",
                 "Reporting by {who}", "By {who} for {title}")
DATE_STYLES = ("{weekday}, {month} {day}, {year}", "{day} {month} {year}", "{month} {day}, {year} edition",
               "Published {weekday} {day} {month}")


def _fill(template: str, name: str, region: str, rng: random.Random) -> str:
    return template.format(
        name=name, region=region, year=rng.randrange(1880, 1976), desk=rng.choice(DESKS),
        phone=f"{rng.randrange(100, 10000):04d}", words=rng.choice((200, 250, 300, 400)),
        days=rng.choice((5, 6, 7)), number=rng.randrange(2, 400), street=rng.choice(STREETS),
        hour=rng.randrange(6, 11), page=rng.randrange(2, 9), weekday=rng.choice(WEEKDAYS))


@dataclass(frozen=True)
class SizedNewsroom:
    """An outlet whose furniture is sized to ``share`` of each page (0: none at all)."""

    room: Newsroom
    masthead: str
    edition: str
    tagline: str
    date_style: str
    byline_style: str
    footers: tuple[str, ...]
    share: float

    @classmethod
    def draw(cls, room: Newsroom, share: float, rng: random.Random) -> SizedNewsroom:
        words = room.name.replace("-", " ").split()
        title = " ".join(w.title() for w in words)
        masthead = rng.choice((title.upper(), f"The {title}", title, f"{title.upper()} ONLINE"))
        region = rng.choice(REGIONS)
        tagline = _fill(rng.choice(TAGLINES), title, region, rng)
        footers = tuple(_fill(t, title, region, rng) for t in rng.sample(FOOTERS, 12))
        return cls(room, masthead, rng.choice(EDITIONS), tagline, rng.choice(DATE_STYLES),
                   rng.choice(BYLINE_STYLES), footers, share)

    @property
    def name(self) -> str:
        return self.room.name

    def byline(self, rng: random.Random) -> str:
        """A staff member's byline in this condition's style (drawn as the baseline's is)."""
        who = self.room.byline(rng).removeprefix("By ").split(",")[0]
        title = " ".join(w.title() for w in self.name.split("-"))
        return self.byline_style.format(who=who, title=title)

    def headline(self, title: str, rng: random.Random) -> str:
        return self.room.headline(title, rng)

    def _dated(self, when: datetime) -> str:
        return self.date_style.format(weekday=when.strftime("%A"), month=when.strftime("%B"), day=when.day,
                                      year=when.year)

    def _layout(self, pieces: int, when: datetime, headline: str, byline: str, body: str) -> tuple[str, int]:
        # pieces are taken in this order (short ones first, so that a short page can come close to its
        # share); the header reads masthead, edition, tagline, date line, headline, byline
        header = [(0, self.masthead), (1, self.edition), (3, self._dated(when)), (4, headline), (5, byline),
                  (2, self.tagline)]
        top = [text for _, text in sorted(header[:pieces])]
        bottom = self.footers[:max(0, pieces - len(header))]
        head = "\n".join(top) + "\n\n" if top else ""
        foot = "\n\n" + "\n".join(bottom) + "\n" if bottom else ""
        return f"{head}{body}{foot}", len(head)

    def page(self, when: datetime, headline: str, byline: str, body: str) -> tuple[str, int]:
        """The whole article and the offset where ``body`` starts in it: as many pieces
        as bring the furniture closest to ``share`` of the page."""
        if self.share <= 0:
            return body, 0
        best: tuple[float, str, int] | None = None
        for pieces in range(1, 7 + len(self.footers)):
            text, offset = self._layout(pieces, when, headline, byline, body)
            gap = abs((len(text) - len(body)) / len(text) - self.share)
            if best is None or gap < best[0]:
                best = (gap, text, offset)
        assert best is not None
        return best[1], best[2]


def furnish(rooms: tuple[Newsroom, ...], share: float, rng: random.Random) -> tuple[SizedNewsroom, ...]:
    """Each outlet of ``rooms`` with furniture of its own for one condition."""
    return tuple(SizedNewsroom.draw(room, share, rng) for room in rooms)
