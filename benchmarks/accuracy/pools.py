"""Which Reuters stories play which part in a corpus.

* **templates**: formulaic series (earnings tables, dividend notices, the
  Bank of England's money-market reports, weekly Fed figures). Members of one
  series share their wording without copying each other: they must not be
  linked.
* **repeats**: the wire's own re-sent items (the same body under another
  NEWID) and corrections (a "CORRECTED" item and the story it replaces):
  genuine copies that must be linked.
* **wire**: prose stories that simulated outlets reuse.
* **filler**: prose stories whose sentences, shuffled, become the outlets'
  own local text; each is used once.

Every story chosen shares no run of eight words with any other story chosen,
except within one template series and within one repeat group, so the only
copies in a corpus are the ones the truth file records.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from .edits import sentences, words
from .reuters import Story

RUN = 8
"""Words in the runs that must not be shared by stories in different roles."""

SERIES: dict[str, Callable[[Story], bool]] = {
    "earnings": lambda s: re.match(r"(Oper )?[Ss]hr ", s.body) is not None and " vs " in s.body,
    "dividends": lambda s: re.match(r"Qtly div", s.body) is not None,
    "money-market": lambda s: "MONEY MARKET" in s.title and "Bank of England" in s.body,
    "fed-weekly": lambda s: re.search(r"TREASURY BALANCES|BUSINESS LOANS|COMMERCIAL PAPER|DISCOUNT WINDOW",
                                      s.title) is not None,
}


def runs(text: str, n: int = RUN) -> set[str]:
    """Every run of ``n`` folded words of ``text``."""
    w = words(text)
    return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}


def series_of(story: Story) -> str | None:
    for name, test in SERIES.items():
        if test(story):
            return name
    return None


def normal_body(story: Story) -> str:
    return " ".join(story.body.split())


@dataclass(frozen=True)
class Pools:
    wire: list[Story]
    filler: list[Story]
    templates: dict[str, list[Story]]
    repeats: list[tuple[str, list[Story]]]  # ("repeat" | "correction", stories earliest first)


class _Taken:
    """The word runs of the stories chosen so far."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def free(self, grams: set[str]) -> bool:
        return self.seen.isdisjoint(grams)

    def take(self, grams: Iterable[str]) -> None:
        self.seen.update(grams)


_WORD_START = re.compile(r"(?<!\S)[A-Za-z]")
"""A word (a run of non-spaces) that starts with a letter."""


def _is_prose(story: Story) -> bool:
    alpha = len(_WORD_START.findall(story.body))
    return alpha >= 0.75 * max(len(story.body.split()), 1) and story.body.count(" vs ") <= 1


def _corrections(stories: list[Story], counts: Counter[str]) -> list[list[Story]]:
    """Each CORRECTED item with the earlier story it replaces (most runs in common)."""
    fixes = [s for s in stories
             if "CORRECTED" in s.title and counts[normal_body(s)] == 1 and series_of(s) is None and _is_prose(s)]
    grams = {s.newid: runs(s.text) for s in fixes}
    owner: dict[str, list[int]] = defaultdict(list)
    for s in fixes:
        for g in grams[s.newid]:
            owner[g].append(s.newid)
    shared: dict[int, Counter[int]] = defaultdict(Counter)
    for s in stories:
        hits: Counter[int] = Counter()
        for g in runs(s.text):
            for fid in owner.get(g, ()):
                if fid != s.newid:
                    hits[fid] += 1
        for fid, n in hits.items():
            shared[fid][s.newid] = n
    by_id = {s.newid: s for s in stories}
    pairs = []
    for s in fixes:
        if len(words(s.body)) < 40 or not shared[s.newid]:
            continue
        best, n = max(shared[s.newid].items(), key=lambda kv: (kv[1], -kv[0]))
        orig = by_id[best]
        when = datetime.fromisoformat(orig.date)
        if n >= 0.6 * len(grams[s.newid]) and when <= datetime.fromisoformat(s.date) <= when + timedelta(days=10):
            pairs.append([orig, s])
    return pairs


@dataclass(frozen=True)
class WireShape:
    """What a story must look like to be reused as a wire story."""

    words: tuple[int, int] = (120, 600)
    paragraphs: int = 3
    sentences: int = 4


SHORT = WireShape((60, 150), 2, 3)
"""Short wire stories (the furniture conditions: furniture as a share of a short article)."""


@dataclass(frozen=True)
class _Catalogue:
    """What ``choose`` needs to know about a collection before it draws: the same for every seed."""

    counts: Counter[str]
    series: dict[str, list[Story]]
    groups: list[tuple[str, list[Story]]]
    fixes: list[list[Story]]
    prose: list[Story]


@lru_cache(maxsize=2)
def _catalogue(stories: tuple[Story, ...]) -> _Catalogue:
    """Unique bodies, template series, repeat groups, corrections and prose stories of a
    collection, worked out once per collection (it costs seconds; every corpus needs it)."""
    counts = Counter(normal_body(s) for s in stories)
    series = {name: [s for s in stories if series_of(s) == name and counts[normal_body(s)] == 1]
              for name in SERIES}
    grouped: dict[str, list[Story]] = defaultdict(list)
    for s in stories:
        grouped[normal_body(s)].append(s)
    groups = [("repeat", g) for body, g in grouped.items()
              if 2 <= len(g) <= 3 and len(body.split()) >= 40 and series_of(g[0]) is None and _is_prose(g[0])]
    prose = [s for s in stories if counts[normal_body(s)] == 1 and series_of(s) is None
             and "CORRECTED" not in s.title and _is_prose(s) and 60 <= len(s.body.split()) <= 700]
    return _Catalogue(counts, series, groups, _corrections(list(stories), counts), prose)


def choose(stories: list[Story], rng: random.Random, *, wire: int, filler: int,
           templates: int, repeats: int, shape: WireShape = WireShape()) -> Pools:
    """Pick the stories of one corpus (``templates`` per series, ``repeats`` groups,
    wire stories of ``shape``)."""
    known = _catalogue(tuple(stories))
    taken = _Taken()

    chosen_templates: dict[str, list[Story]] = {}
    for name in SERIES:
        members = list(known.series[name])
        rng.shuffle(members)
        chosen_templates[name] = sorted(members[:templates], key=lambda s: s.newid)
        for s in chosen_templates[name]:
            taken.take(runs(s.text))

    candidates = list(known.groups)
    rng.shuffle(candidates)
    chosen_repeats: list[tuple[str, list[Story]]] = []
    quota = {"correction": max(1, repeats // 4), "repeat": repeats}
    for kind, group in [("correction", g) for g in known.fixes] + candidates:
        if quota[kind] <= 0:
            continue
        grams = set().union(*(runs(s.text) for s in group))
        if taken.free(grams):
            taken.take(grams)
            chosen_repeats.append((kind, sorted(group, key=lambda s: (s.date, s.newid))))
            quota[kind] -= 1

    in_groups = {s.newid for _, g in chosen_repeats for s in g}
    pool = [s for s in known.prose if s.newid not in in_groups]
    rng.shuffle(pool)
    chosen_wire: list[Story] = []
    chosen_filler: list[Story] = []
    low, high = shape.words
    for s in pool:
        if len(chosen_wire) >= wire and len(chosen_filler) >= filler:
            break
        grams = runs(s.text)
        if not taken.free(grams):
            continue
        layout = sentences(s.text, s.body_start, len(s.text))
        paragraphs = len({x.paragraph for x in layout})
        if (len(chosen_wire) < wire and low <= len(s.body.split()) <= high and paragraphs >= shape.paragraphs
                and len(layout) >= shape.sentences):
            chosen_wire.append(s)
        elif len(chosen_filler) < filler and len(layout) >= 3:
            chosen_filler.append(s)
        else:
            continue
        taken.take(grams)
    if len(chosen_wire) < wire or len(chosen_filler) < filler:
        raise ValueError(f"not enough distinct stories: {len(chosen_wire)} wire of {wire}, "
                         f"{len(chosen_filler)} filler of {filler}")
    return Pools(chosen_wire, chosen_filler, chosen_templates, chosen_repeats)
