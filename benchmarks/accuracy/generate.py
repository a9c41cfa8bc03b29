"""Build a labelled corpus from Reuters wire copy: articles (JSONL) and their truth (JSON).

The wire (outlet ``reuters``) publishes real stories on their real dates.
Simulated outlets reuse them a little later, in every way newsrooms do
(``CASES``), each page wrapped in the outlet's own header and footer. Local
text comes from shuffled sentences of stories used nowhere else, so the only
shared passages are the ones recorded in the truth file, in character
offsets of both texts. The same seed, edit strength, wire count and
condition give the same corpus, byte for byte. A condition
(:mod:`.variants`) builds the corpus differently in one respect (the wire's
name, dates, outlet fields, furniture, copies of copies, versions, stock
phrases, disguised text); the baseline is the corpus as it always was.

    python -m benchmarks.accuracy.generate OUT_DIR [--seed 1] [--edit-strength 1.0] [--wire 400]
                                           [--condition baseline]

writes ``OUT_DIR/corpus.jsonl`` (for ``dedup scan``) and ``OUT_DIR/truth.json``
(for ``dedup eval``).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import edits
from .edits import reflow
from .evasion import disguised
from .furniture import furnish
from .newsrooms import ATTRIBUTIONS, FARM, NEWSROOMS, WIRE, speakers
from .pools import SHORT, Pools, WireShape, choose
from .records import Corpus, write
from .relabel import relabel
from .reuters import Story, read
from .stock import sprinkle
from .truth import Placed, build_truth
from .variants import BASELINE, CONDITIONS, Condition, credit, credited, wire_name
from .versions import Version, correction, update
from .writing import Draft, Reusable, Shaping, Source, Writer, local_paragraphs, no_quotes

__all__ = ["CASES", "CONDITIONS", "Corpus", "Draft", "Plan", "REUTERS", "Source", "Writer", "build",
           "local_paragraphs", "write"]

REUTERS = Path(__file__).resolve().parents[3] / "shared" / "data" / "reuters21578"
"""Where the collection lives beside a checkout (../shared/data/reuters21578)."""

CASES: dict[str, float] = {
    "reprint": 1.0,   # the whole story under a new headline and byline
    "trim": 0.7,      # the first paragraphs only
    "edit": 0.8,      # a few words changed, a sentence dropped
    "rewrite": 0.6,   # paragraphs moved, sentences swapped, merged and dropped, many words changed
    "scan": 0.5,      # scanned copy: character confusions and lost spaces
    "embed": 0.6,     # one or two wire paragraphs inside a local story
    "sentence": 0.5,  # one wire sentence inside a local story, without quotation marks
}
"""Derived articles per wire story (expected counts), by kind of reuse."""

DATE_ONLY = 0.15
"""Share of outlet articles dated by day only (no time of day)."""


@dataclass(frozen=True)
class Plan:
    """How many articles of each kind one corpus holds."""

    wire: int
    derived: list[list[str]]  # per wire story, its cases
    bundles: list[int]  # per stitched bundle of three stories, how many digests
    quotes: list[int]  # per shared quotation, how many stories quote it
    unrelated: int

    @classmethod
    def draw(cls, wire: int, rng: random.Random) -> Plan:
        derived = [[case for case, rate in CASES.items()
                    for _ in range(int(rate) + (rng.random() < rate - int(rate)))] for _ in range(wire)]
        bundles = [rng.choice((1, 2)) for _ in range(max(1, wire // 12))]
        quotes = [rng.choice((2, 2, 3)) for _ in range(max(1, wire // 6))]
        return cls(wire, derived, bundles, quotes, max(1, wire * 3 // 4))

    @property
    def filler(self) -> int:
        local = sum(c in ("embed", "sentence") for cases in self.derived for c in cases)
        return local + sum(self.quotes) + len(self.quotes) + self.unrelated


def _when(base: str, rng: random.Random) -> tuple[datetime, str]:
    """A publication time 2 to 72 hours after ``base``, and how the outlet writes it."""
    when = datetime.fromisoformat(base) + timedelta(minutes=rng.randrange(120, 72 * 60))
    return when, (when.date().isoformat() if rng.random() < DATE_ONLY else when.isoformat())


def _dated(condition: Condition, base: str, when: datetime, date: str,
           rng: random.Random) -> tuple[datetime, str | None]:
    """The publication time and the written date of an outlet's article under ``condition``."""
    if condition.dates == "same-day":
        start = datetime.fromisoformat(base)
        left = max(0, int((start.replace(hour=23, minute=59, second=0) - start).total_seconds()) // 60)
        when = start + timedelta(minutes=rng.randint(min(10, left), left))
        return when, when.date().isoformat()
    if condition.dates == "undated":
        return when, None
    if condition.dates == "mixed":
        return when, rng.choice((when.isoformat(), when.date().isoformat(), None))
    return when, date


def build(stories: list[Story], *, seed: int = 1, edit_strength: float = 1.0, wire: int = 400,
          condition: Condition = BASELINE) -> Corpus:
    """A corpus and its truth from ``stories`` (see the module docstring), built under
    ``condition`` (:mod:`.variants`; the baseline by default)."""
    if edit_strength < 0:
        raise ValueError("edit strength must be >= 0")
    rng = random.Random(seed)
    plan = Plan.draw(wire, rng)
    extra = condition.rng(seed)
    updates = [extra.random() < UPDATED for _ in range(wire)] if condition.versions else []
    pools = choose(stories, rng, wire=wire, filler=plan.filler + sum(updates),
                   templates=max(4, wire // 10), repeats=max(2, wire // 10),
                   shape=SHORT if condition.furniture is not None else WireShape())
    name = wire_name(extra) if condition.wire_name else None
    if name:
        pools = _credited(pools, name)
    corpus = Assembly(plan, pools, rng, edit_strength, condition, extra, name or "Reuters").run(seed, updates)
    if condition.disguise:
        corpus = disguised(corpus, extra)
    return corpus if condition is BASELINE else relabel(corpus, condition, extra, name)


def _credited(pools: Pools, name: str) -> Pools:
    """Every chosen story with its mentions of Reuters giving the wire's new name."""
    def one(s: Story) -> Story:
        return replace(s, title=credited(s.title, name), dateline=credited(s.dateline, name),
                       body=credited(s.body, name))

    return Pools([one(s) for s in pools.wire], [one(s) for s in pools.filler],
                 {k: [one(s) for s in v] for k, v in pools.templates.items()},
                 [(kind, [one(s) for s in group]) for kind, group in pools.repeats])


UPDATED = 0.4
"""Share of wire stories the wire updates (the ``versions`` condition)."""
CORRECTED = (0.15, 0.5)
"""Share of wire stories corrected: of those not updated, and of those updated (the update is corrected)."""
COPYABLE = ("reprint", "trim", "edit", "rewrite", "embed")
"""Outlets' articles other outlets may reprint in turn (the ``outlet-copies`` condition)."""


SHORT_LOCAL = 250
"""Characters a short local story reaches (whole paragraphs) in the furniture conditions."""


def _short(paras: list[str]) -> list[str]:
    """A local story cut to its first paragraphs, as few as reach ``SHORT_LOCAL`` characters."""
    keep = 1
    while keep < len(paras) and len("\n\n".join(paras[:keep])) < SHORT_LOCAL:
        keep += 1
    return paras[:keep]


class Assembly:
    """Publishes every article of one corpus and works out its truth."""

    def __init__(self, plan: Plan, pools: Pools, rng: random.Random, strength: float, condition: Condition,
                 extra: random.Random, wire_name: str = "Reuters") -> None:
        self.plan, self.pools, self.rng, self.condition, self.extra = plan, pools, rng, condition, extra
        self.wire_name = wire_name
        self.strength = strength
        self.writer = Writer(rng, strength, self._shaping())
        share = condition.furniture
        self.rooms: tuple[Any, ...] = NEWSROOMS if share is None else furnish(NEWSROOMS, share, extra)
        self.farm: Any = FARM if share is None else furnish((FARM,), share, extra)[0]
        self.articles: list[dict[str, Any]] = []
        self.cases: dict[str, str] = {}
        self.placed: dict[str, list[Placed]] = {}
        self.counter: dict[str, int] = {}
        self.bodies: dict[str, list[int]] = {}
        self.published: dict[str, str] = {}
        self.took: dict[str, str] = {}
        self.drafts: dict[str, tuple[Draft, int]] = {}
        self.filler: Iterator[Story] = iter(pools.filler[:plan.filler])

    def _shaping(self) -> Shaping | None:
        condition, extra = self.condition, self.extra
        if condition.furniture is not None:
            return _short
        if condition.stock_phrases:
            return lambda paras: sprinkle(paras, extra)
        return None

    def publish(self, doc_id: str, outlet: str, date: str | None, title: str, text: str, case: str,
                published: str) -> None:
        record = {"id": doc_id, "outlet": outlet, "date": date, "title": title, "text": text}
        if date is None:
            del record["date"]
        self.articles.append(record)
        self.cases[doc_id] = case
        self.published[doc_id] = published

    def page(self, room: Any, base_date: str, title: str, draft: Draft, case: str,
             rng: random.Random | None = None) -> str:
        """Publish ``draft`` as an article of ``room`` after ``base_date``; its id."""
        rng = rng or self.rng
        when, date = _when(base_date, rng)
        when, written = _dated(self.condition, base_date, when, date, self.extra)
        headline = room.headline(title, rng)
        byline, after = room.byline(rng), ""
        if case in CASES and self.condition.credits and self.extra.random() < self.condition.credits:
            byline, after = credit(byline, self.wire_name, self.extra)
        text, offset = room.page(when, headline, byline, draft.text + (f"\n\n{after}" if after else ""))
        self.counter[room.name] = self.counter.get(room.name, 0) + 1
        doc_id = f"{room.name}/{self.counter[room.name]:04d}"
        self.publish(doc_id, room.name, written, headline, text, case, when.isoformat())
        self.placed[doc_id] = [p.shifted(offset) for p in draft.placed]
        self.bodies[doc_id] = [offset, offset + draft.length]
        self.drafts[doc_id] = (draft, offset)
        return doc_id

    def run(self, seed: int, updates: list[bool]) -> Corpus:
        plan, pools, rng, writer = self.plan, self.pools, self.rng, self.writer
        sources = [Source.of(s) for s in pools.wire]
        for src in sources:
            self.publish(src.id, WIRE, src.story.date, src.story.title, src.story.text, "wire", src.story.date)
            self.placed[src.id] = src.placed()
        for series, members in pools.templates.items():
            for s in members:
                self.publish(f"{WIRE}/{s.newid}", WIRE, s.date, s.title, s.text, f"template:{series}", s.date)
        for kind, group in pools.repeats:
            for s in group:
                self.publish(f"{WIRE}/{s.newid}", WIRE, s.date, s.title, s.text, kind, s.date)
        chains = self.versions(sources, updates) if updates else {}

        copyable: list[tuple[str, str]] = []
        used: dict[str, set[str]] = {}
        for src, derived in zip(sources, plan.derived):
            rooms = rng.sample(self.rooms, len(derived))
            used[src.id] = {r.name for r in rooms}
            for case, room in zip(derived, rooms):
                local = next(self.filler) if case in ("embed", "sentence") else None
                chain = chains.get(src.id)
                if chain:
                    version = self.extra.choice(chain)
                    doc = self.page(room, self.published[version.id], src.story.title,
                                    writer.body(case, version, local), case)
                    if version is not src:
                        self.took[doc] = version.id
                else:
                    doc = self.page(room, src.story.date, src.story.title, writer.body(case, src, local), case)
                if case in COPYABLE:
                    copyable.append((doc, src.id))

        order = list(range(len(sources)))
        rng.shuffle(order)
        for b, copies in enumerate(plan.bundles):
            bundle = [sources[i] for i in order[3 * b : 3 * b + 3]]
            latest = max(s.story.date for s in bundle)
            for _ in range(copies):
                self.page(self.farm, latest, bundle[0].story.title, writer.digest(bundle), "stitch")

        voices = speakers(len(plan.quotes), rng)
        for q, copies in enumerate(plan.quotes):
            said = next(self.filler)
            start = said.body_start + len(said.lead)
            fits = [reflow(said.text[s.start:s.end]) for s in edits.sentences(said.text, start, len(said.text))]
            fits = [t for t in fits if 10 <= len(t.split()) <= 30 and no_quotes(t)] or [max(fits, key=len)]
            quote = rng.choice(fits)
            styles = rng.sample(range(ATTRIBUTIONS), copies)
            for room, style in zip(rng.sample(self.rooms, copies), styles):
                story = next(self.filler)
                draft = writer.quoting(story, quote, f"quote:{q}", voices[q], style)
                self.page(room, story.date, story.title, draft, "quote-only")

        for _ in range(plan.unrelated):
            story = next(self.filler)
            room = rng.choice(self.rooms)
            draft = Draft()
            draft.write("\n\n".join(writer.local(story)))
            self.page(room, story.date, story.title, draft, "unrelated")

        if self.condition.outlet_copies:
            titles = {src.id: src.story.title for src in sources}
            self.outlet_copies(copyable, used, titles)
        return self.corpus(seed, sources)

    def versions(self, sources: list[Source], updates: list[bool]) -> dict[str, list[Reusable]]:
        """Updates and corrections of the stories the plan says, published by the wire;
        per story, its versions, the first one first."""
        spare = iter(self.pools.filler[self.plan.filler:])
        chains: dict[str, list[Reusable]] = {}
        for src, updated in zip(sources, updates):
            chain: list[Reusable] = [src]
            title = src.story.title
            if updated:
                added = local_paragraphs(next(spare), self.extra)
                chain.append(update(src, title, src.story.date, added, self.extra))
            if self.extra.random() < CORRECTED[updated]:
                parent = chain[-1]
                chain.append(correction(parent, title, parent.date if isinstance(parent, Version) else src.story.date,
                                        self.extra))
            for v in chain[1:]:
                assert isinstance(v, Version)
                self.publish(v.id, WIRE, v.date, v.title, v.text, v.kind, v.date)
                self.placed[v.id] = v.placed(src.id, title)
                self.took[v.id] = v.parent
            if len(chain) > 1:
                self.placed[src.id] = [Placed(src.id, -1, 0, len(title))] + self.placed[src.id]
                chains[src.id] = chain
        return chains

    def outlet_copies(self, copyable: list[tuple[str, str]], used: dict[str, set[str]],
                      titles: dict[str, str]) -> None:
        """Other outlets reprint some outlets' articles (whole, or their first paragraphs)."""
        extra = self.extra
        for doc, src_id in copyable:
            others = [r for r in self.rooms if r.name not in used[src_id]]
            if extra.random() >= self.condition.outlet_copies or not others:
                continue
            room = extra.choice(others)
            used[src_id].add(room.name)
            draft, offset = self.drafts[doc]
            own = draft.own(doc)
            self.placed[doc] = sorted(self.placed[doc] + [p.shifted(offset) for p in own], key=lambda p: p.start)
            breaks = [k for k in range(len(draft.text)) if draft.text.startswith("\n\n", k)]
            kept = draft.cut(extra.choice(breaks)) if breaks and extra.random() < 0.4 else draft
            copy = Draft([kept.text], [p for p in kept.placed + own if p.end <= kept.length], kept.length)
            copy.placed.sort(key=lambda p: p.start)
            made = self.page(room, self.published[doc], titles[src_id], copy, "outlet-copy", rng=extra)
            self.took[made] = doc

    def corpus(self, seed: int, sources: list[Source]) -> Corpus:
        articles, placed, condition = self.articles, self.placed, self.condition
        texts = {a["id"]: a["text"] for a in articles}
        truth = build_truth(texts, {a["id"]: a["outlet"] for a in articles}, self.cases, placed, self.pools,
                            {src.id: src.repeated() for src in sources}, self.took)
        for doc in truth["documents"]:
            if doc["id"] in self.bodies:
                doc["body"] = self.bodies[doc["id"]]
            used = sorted({p.source for p in placed.get(doc["id"], ())
                           if p.source != doc["id"] and p.source.startswith(WIRE)})
            if used:
                doc["from"] = used
        truth["truth"] = {"format": 1, "generator": "benchmarks/accuracy/generate.py", "seed": seed,
                          "edit_strength": self.strength, "wire_stories": self.plan.wire,
                          "data": "Reuters-21578, Distribution 1.0"}
        if condition is not BASELINE:
            truth["truth"]["condition"] = condition.name
            truth["wire_outlets"] = [WIRE]
        articles.sort(key=lambda a: (a.get("date") or "", a["id"]))
        return Corpus(articles, truth, self.published)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for corpus.jsonl and truth.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edit-strength", type=float, default=1.0,
                        help="scales word changes, dropped and merged sentences and scan noise (2.0 = doubled)")
    parser.add_argument("--wire", type=int, default=400, help="wire stories reused (the corpus is about 7x this)")
    parser.add_argument("--condition", choices=list(CONDITIONS), default=BASELINE.name,
                        help="how the corpus differs from the one dedup was tuned on (see variants.py)")
    parser.add_argument("--reuters", type=Path, default=REUTERS, help="folder of the reut2-*.sgm files")
    args = parser.parse_args(argv)
    corpus = build(read(args.reuters), seed=args.seed, edit_strength=args.edit_strength, wire=args.wire,
                   condition=CONDITIONS[args.condition])
    paths = write(corpus, args.out)
    print(f"{len(corpus.articles)} articles, {len(corpus.truth['pairs'])} true pairs: {paths[0]}, {paths[1]}")


if __name__ == "__main__":
    main()
