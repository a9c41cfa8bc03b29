"""The simulated outlets: names, house boilerplate, staff and headline habits.

All of this text is the benchmark's own. Every article an outlet publishes
carries its header and footer, so a detector must tell an outlet's template
apart from copied text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime

WIRE = "reuters"
"""The wire outlet: one of dedup's default wire services."""


@dataclass(frozen=True)
class Newsroom:
    name: str
    header: str
    footer: str
    staff: tuple[str, ...]
    headlines: tuple[str, ...]

    def page(self, when: datetime, headline: str, byline: str, body: str) -> tuple[str, int]:
        """The whole article and the offset where ``body`` starts in it."""
        top = f"{self.header}\n{when.strftime('%A, %B')} {when.day}, {when.year}\n\n{headline}\n{byline}\n\n"
        return f"{top}{body}\n\n{self.footer}\n", len(top)

    def byline(self, rng: random.Random) -> str:
        return f"By {rng.choice(self.staff)}, {self.name.replace('-', ' ').title()} staff"

    def headline(self, title: str, rng: random.Random) -> str:
        """A new headline that keeps at most two words of the wire title together."""
        keys = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", title) if w.upper() == w][:6]
        picked = rng.sample(keys, min(2, len(keys))) if keys else ["News"]
        topic = " and ".join(w.title() for w in picked)
        return rng.choice(self.headlines).format(topic=topic)


NEWSROOMS: tuple[Newsroom, ...] = (
    Newsroom(
        "valley-courier",
        "THE VALLEY COURIER - serving the river valley and its farm towns since 1921",
        "Copyright The Valley Courier. All rights reserved. Call the newsroom at 555-0142 "
        "or drop a letter at our office on Main Street.",
        ("Ada Brennan", "Tomas Ruiz", "Helen Okafor"),
        ("{topic}: what it means for the valley", "Focus on {topic}", "{topic} in the news"),
    ),
    Newsroom(
        "harbor-times",
        "HARBOR TIMES | independent local journalism for the whole harbor district",
        "Support independent journalism: subscribe to the Harbor Times for home delivery "
        "seven days a week. Corrections: write to the standards desk.",
        ("Marcus Lind", "Priya Natarajan", "Owen Castellano"),
        ("{topic} update", "Latest on {topic}", "{topic}: the story so far"),
    ),
    Newsroom(
        "metro-ledger",
        "The Metro Ledger . Business . Markets . City Hall",
        "The Metro Ledger is published every weekday morning. Letters to the editor may be "
        "edited for length and clarity before they appear in print.",
        ("Ruth Abernathy", "Kwame Mensah", "Lena Sorensen"),
        ("Ledger brief: {topic}", "{topic} watch", "Markets digest: {topic}"),
    ),
    Newsroom(
        "coastal-post",
        "COASTAL POST - news from the shore towns, every morning before the tide turns",
        "Have a tip for the Coastal Post? Our reporters read every message sent to the "
        "tips line, and sources are always protected.",
        ("Ines Barros", "Declan Moore", "Yuki Tanaka"),
        ("{topic}: a closer look", "{topic} report", "Why {topic} matters"),
    ),
    Newsroom(
        "plains-gazette",
        "Plains Gazette -- the county paper of record for wheat country since 1898",
        "Plains Gazette subscribers can read every edition online at no extra charge; ask "
        "the front office for a password if you have not received one yet.",
        ("Walt Henning", "Rosa Delgado", "Jim Pekkala"),
        ("{topic} briefing", "Gazette roundup: {topic}", "{topic} at a glance"),
    ),
    Newsroom(
        "river-city-star",
        "RIVER CITY STAR * the voice of the river city and its neighbourhoods",
        "Sign up for the morning newsletter from the River City Star and get the top stories "
        "of the day in your inbox before breakfast.",
        ("Dana Whitfield", "Samir Haddad", "Nora Kaplan"),
        ("Star report: {topic}", "{topic} explained", "{topic} today"),
    ),
    Newsroom(
        "lakeside-herald",
        "Lakeside Herald: community news, sports and opinion for the lake country",
        "The Lakeside Herald welcomes letters from readers. Please include your full name "
        "and the town where you live so that we can verify your letter.",
        ("Greta Vogel", "Paul Mbeki", "Iris Fontaine"),
        ("{topic} at the lake", "Herald digest: {topic}", "New on {topic}"),
    ),
    Newsroom(
        "midland-observer",
        "MIDLAND OBSERVER - reporting on the midlands, its trade and its people",
        "Midland Observer reporting is funded by readers like you. A monthly gift of any size "
        "keeps our reporters on the road and our archive open.",
        ("Colin Ashby", "Mei Lin", "Farah Siddiqui"),
        ("{topic}: the details", "Observer file: {topic}", "{topic} roundup"),
    ),
)

FARM = Newsroom(
    "quickdigest",
    "QUICKDIGEST - everything you need to know today, in one short read",
    "QuickDigest compiles the day's stories from many places so you do not have to. "
    "Share this digest with a friend who likes to stay informed.",
    ("the QuickDigest desk",),
    ("Today's roundup: {topic} and more", "Five minutes on {topic}", "{topic}, and other news"),
)
"""A content farm: articles stitched from paragraphs of several stories."""

FARM_SUBHEADS = ("In other news", "Meanwhile", "Also today", "Elsewhere", "Worth knowing")

FIRST_NAMES = ("Maria", "Anton", "Jonas", "Carla", "Lee", "Ruth", "Paul", "Hiro", "Beatrice", "Frank",
               "Elena", "Tom")
LAST_NAMES = ("Keller", "Reyes", "Petrov", "Dunmore", "Harmon", "Van Dijk", "Ostrowski", "Sato", "Quint",
              "Obi", "Marsh", "Reddick")
ROLES = ("a port official", "the trade minister", "an economist", "a union leader", "a grower",
         "the agency's director", "a senator", "an analyst", "the mayor", "a refinery manager",
         "a central banker", "a broker")
"""Invented speakers whose words unrelated stories both quote. Roles are short so
that two attributions never share a run of eight words."""


def speakers(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` different speakers: (name, role)."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    picked = rng.sample(names, count) if count <= len(names) else [rng.choice(names) for _ in range(count)]
    return [(name, rng.choice(ROLES)) for name in picked]


ATTRIBUTIONS = 3
"""House styles of attributing a quotation; the stories sharing one quotation each use another."""


def attribute(speaker: tuple[str, str], style: int) -> tuple[str, str]:
    """Text before and after a quotation (given without its final period) in house ``style``."""
    name, role = speaker
    if style == 0:
        return '"', f'," said {name}, {role}.'
    if style == 1:
        return f'{name}, {role}, told reporters: "', '."'
    return f'Asked about it, {name.split()[-1]} replied: "', '."'
