"""Build a labelled corpus from Reuters wire copy: articles (JSONL) and their truth (JSON).

The wire (outlet ``reuters``) publishes real stories on their real dates.
Simulated outlets reuse them a little later, in every way newsrooms do
(``CASES``), each page wrapped in the outlet's own header and footer. Local
text comes from shuffled sentences of stories used nowhere else, so the only
shared passages are the ones recorded in the truth file, in character
offsets of both texts. The same seed, edit strength and wire count give the
same corpus, byte for byte.

    python -m benchmarks.accuracy.generate OUT_DIR [--seed 1] [--edit-strength 1.0] [--wire 400]

writes ``OUT_DIR/corpus.jsonl`` (for ``dedup scan``) and ``OUT_DIR/truth.json``
(for ``dedup eval``).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from . import edits
from .edits import Sentence, reflow
from .newsrooms import ATTRIBUTIONS, FARM, FARM_SUBHEADS, NEWSROOMS, WIRE, Newsroom, attribute, speakers
from .pools import Pools, choose
from .reuters import Story, read
from .truth import Placed, build_truth

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
    def draw(cls, wire: int, rng: random.Random) -> "Plan":
        derived = [[case for case, rate in CASES.items()
                    for _ in range(int(rate) + (rng.random() < rate - int(rate)))] for _ in range(wire)]
        bundles = [rng.choice((1, 2)) for _ in range(max(1, wire // 12))]
        quotes = [rng.choice((2, 2, 3)) for _ in range(max(1, wire // 6))]
        return cls(wire, derived, bundles, quotes, max(1, wire * 3 // 4))

    @property
    def filler(self) -> int:
        local = sum(c in ("embed", "sentence") for cases in self.derived for c in cases)
        return local + sum(self.quotes) + len(self.quotes) + self.unrelated


@dataclass
class Draft:
    """A document body being written, with the place of every reused sentence."""

    parts: list[str] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)
    length: int = 0

    def write(self, text: str, source: str | None = None, index: int = -1) -> None:
        if source is not None:
            self.placed.append(Placed(source, index, self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Source:
    """A wire story as the corpus publishes it, cut into sentences."""

    id: str
    story: Story
    sentences: list[Sentence]

    @classmethod
    def of(cls, story: Story) -> "Source":
        return cls(f"{WIRE}/{story.newid}", story, edits.sentences(story.text, story.body_start, len(story.text)))

    def say(self, i: int) -> str:
        s = self.sentences[i]
        return reflow(self.story.text[s.start:s.end])

    def paragraphs(self) -> list[list[int]]:
        paras: list[list[int]] = []
        for s in self.sentences:
            if s.paragraph == len(paras):
                paras.append([])
            paras[-1].append(s.index)
        return paras

    def placed(self) -> list[Placed]:
        return [Placed(self.id, s.index, s.start, s.end) for s in self.sentences]

    def repeated(self) -> dict[int, int]:
        """Sentences with the same words as an earlier one, mapped to it (wire copy repeats itself)."""
        first: dict[tuple[str, ...], int] = {}
        found = {}
        for s in self.sentences:
            key = tuple(edits.words(self.say(s.index)))
            if key in first:
                found[s.index] = first[key]
            first.setdefault(key, s.index)
        return found


def local_paragraphs(story: Story, rng: random.Random) -> list[str]:
    """A filler story's sentences (without its dateline), shuffled into paragraphs of two or three."""
    start = story.body_start + len(story.lead)
    said = [reflow(story.text[s.start:s.end]) for s in edits.sentences(story.text, start, len(story.text))]
    rng.shuffle(said)
    paras = []
    while said:
        take = rng.choice((2, 3))
        paras.append(" ".join(said[:take]))
        said = said[take:]
    return paras


def _no_quotes(text: str) -> bool:
    return not any(mark in text for mark in "\"“”")


class Writer:
    """Writes every derived article of a corpus; holds the randomness and the strength."""

    def __init__(self, rng: random.Random, strength: float) -> None:
        self.rng = rng
        self.strength = strength

    def paragraphs(self, draft: Draft, src: Source, paras: list[list[int]], *, rate: float = 0.0,
                   noise: float = 0.0, merge: float = 0.0) -> None:
        rng = self.rng
        for p, para in enumerate(paras):
            if p:
                draft.write("\n\n")
            k = 0
            while k < len(para):
                if k:
                    draft.write(" ")
                i = para[k]
                text = src.say(i)
                if k + 1 < len(para) and rng.random() < merge:
                    head, link, tail = edits.merge(text, src.say(para[k + 1]), rng)
                    draft.write(self._alter(head, rate, noise), src.id, i)
                    draft.write(link)
                    draft.write(self._alter(tail, rate, noise), src.id, para[k + 1])
                    k += 2
                    continue
                draft.write(self._alter(text, rate, noise), src.id, i)
                k += 1

    def _alter(self, text: str, rate: float, noise: float) -> str:
        if rate:
            text = edits.change_words(text, rate, self.rng)
        if noise:
            text = edits.scan_noise(text, noise, self.rng)
        return text

    def _drop(self, paras: list[list[int]], count: int) -> list[list[int]]:
        """Drop ``count`` sentences other than the first, never emptying a paragraph."""
        for _ in range(count):
            options = [(p, k) for p, para in enumerate(paras) for k in range(len(para)) if len(para) > 1 and (p, k) != (0, 0)]
            if not options:
                break
            p, k = self.rng.choice(options)
            paras[p] = paras[p][:k] + paras[p][k + 1:]
        return paras

    def body(self, case: str, src: Source, filler: Story | None) -> Draft:
        rng, s = self.rng, self.strength
        draft = Draft()
        paras = src.paragraphs()
        if case in ("reprint", "scan"):
            self.paragraphs(draft, src, paras, noise=min(0.04 * s, 0.5) if case == "scan" else 0.0)
        elif case == "trim":
            total = len(src.sentences)
            keep = 1
            while keep < len(paras) - 1 and sum(map(len, paras[:keep])) < rng.uniform(0.3, 0.8) * total:
                keep += 1
            self.paragraphs(draft, src, paras[:keep])
        elif case == "edit":
            paras = self._drop([list(p) for p in paras], edits.drop_count(s, 1.0, rng))
            self.paragraphs(draft, src, paras, rate=min(0.03 * s, 0.5))
        elif case == "rewrite":
            paras = self._drop([list(p) for p in paras], edits.drop_count(s, 1.0, rng))
            for _ in range(edits.drop_count(s, 1.0, rng)):
                if len(paras) > 2:
                    moved = paras.pop(rng.randrange(1, len(paras)))
                    paras.insert(rng.randrange(1, len(paras) + 1), moved)
            for p, para in enumerate(paras):
                if len(para) > 2 and rng.random() < min(0.2 * s, 0.9):
                    k = rng.randrange(1 if p == 0 else 0, len(para) - 1)
                    para[k], para[k + 1] = para[k + 1], para[k]
            self.paragraphs(draft, src, paras, rate=min(0.12 * s, 0.6), merge=min(0.3 * s, 0.9))
        elif case == "embed":
            assert filler is not None
            self._embed(draft, src, paras, local_paragraphs(filler, rng))
        elif case == "sentence":
            assert filler is not None
            self._sentence(draft, src, local_paragraphs(filler, rng))
        else:
            raise ValueError(f"unknown case {case!r}")
        return draft

    def _embed(self, draft: Draft, src: Source, paras: list[list[int]], local: list[str]) -> None:
        rng = self.rng
        clean = [p for p in range(len(paras)) if _no_quotes(" ".join(src.say(i) for i in paras[p]))]
        first = rng.choice(clean or list(range(len(paras))))
        count = 2 if first + 1 < len(paras) and first + 1 in clean and rng.random() < 0.5 else 1
        at = rng.randrange(1, len(local) + 1) if local else 0
        for p, para in enumerate(local[:at]):
            draft.write(("\n\n" if p else "") + para)
        if at:
            draft.write("\n\n")
        self.paragraphs(draft, src, paras[first:first + count])
        for para in local[at:]:
            draft.write("\n\n" + para)

    def _sentence(self, draft: Draft, src: Source, local: list[str]) -> None:
        rng = self.rng
        fits = [s.index for s in src.sentences if 12 <= len(src.say(s.index).split()) <= 45 and _no_quotes(src.say(s.index))]
        pick = rng.choice(fits) if fits else max(range(len(src.sentences)), key=lambda i: len(src.say(i)))
        where = rng.randrange(len(local))
        for p, para in enumerate(local):
            if p:
                draft.write("\n\n")
            if p != where:
                draft.write(para)
                continue
            said = para.split(". ")
            cut = rng.randrange(len(said) + 1)
            before, after = ". ".join(said[:cut]), ". ".join(said[cut:])
            if before:
                draft.write(before + ("" if before.endswith(".") else ".") + " ")
            draft.write(src.say(pick), src.id, pick)
            if after:
                draft.write(" " + after)

    def digest(self, sources: list[Source]) -> Draft:
        """A content-farm article: one or two paragraphs of each story (at least one
        of them narrative, not a bare quotation), under stock subheads."""
        draft = Draft()
        for n, src in enumerate(sources):
            paras = src.paragraphs()
            take = self.rng.choice((1, 2))
            runs = [p for p in range(len(paras))
                    if any(_no_quotes(" ".join(src.say(i) for i in para)) for para in paras[p:p + take])]
            first = self.rng.choice(runs or list(range(len(paras))))
            if n:
                draft.write(f"\n\n{self.rng.choice(FARM_SUBHEADS)}\n\n")
            self.paragraphs(draft, src, paras[first:first + take])
        return draft

    def quoting(self, filler: Story, quote: str, key: str, speaker: tuple[str, str], style: int) -> Draft:
        """A local story that quotes ``speaker`` saying ``quote``, in its own house style."""
        draft = Draft()
        local = local_paragraphs(filler, self.rng)
        where = self.rng.randrange(1, len(local) + 1)
        for p, para in enumerate(local[:where]):
            draft.write(("\n\n" if p else "") + para)
        before, after = attribute(speaker, style)
        draft.write("\n\n" + before)
        draft.write(quote.rstrip("."), key, 0)
        draft.write(after)
        for para in local[where:]:
            draft.write("\n\n" + para)
        return draft


@dataclass
class Corpus:
    """Articles as JSONL records and the truth document."""

    articles: list[dict[str, Any]]
    truth: dict[str, Any]


def _when(base: str, rng: random.Random) -> tuple[datetime, str]:
    """A publication time 2 to 72 hours after ``base``, and how the outlet writes it."""
    when = datetime.fromisoformat(base) + timedelta(minutes=rng.randrange(120, 72 * 60))
    return when, (when.date().isoformat() if rng.random() < DATE_ONLY else when.isoformat())


def build(stories: list[Story], *, seed: int = 1, edit_strength: float = 1.0, wire: int = 400) -> Corpus:
    """A corpus and its truth from ``stories`` (see the module docstring)."""
    if edit_strength < 0:
        raise ValueError("edit strength must be >= 0")
    rng = random.Random(seed)
    plan = Plan.draw(wire, rng)
    pools = choose(stories, rng, wire=wire, filler=plan.filler,
                   templates=max(4, wire // 10), repeats=max(2, wire // 10))
    return _assemble(plan, pools, rng, edit_strength, seed)


def _assemble(plan: Plan, pools: Pools, rng: random.Random, strength: float, seed: int) -> Corpus:
    writer = Writer(rng, strength)
    articles: list[dict[str, Any]] = []
    cases: dict[str, str] = {}
    placed: dict[str, list[Placed]] = {}
    counter: dict[str, int] = {}
    bodies: dict[str, list[int]] = {}
    filler: Iterator[Story] = iter(pools.filler)

    def publish(doc_id: str, outlet: str, date: str, title: str, text: str, case: str) -> None:
        articles.append({"id": doc_id, "outlet": outlet, "date": date, "title": title, "text": text})
        cases[doc_id] = case

    def page(room: Newsroom, base_date: str, title: str, draft: Draft, case: str) -> None:
        when, date = _when(base_date, rng)
        headline = room.headline(title, rng)
        text, offset = room.page(when, headline, room.byline(rng), draft.text)
        counter[room.name] = counter.get(room.name, 0) + 1
        doc_id = f"{room.name}/{counter[room.name]:04d}"
        publish(doc_id, room.name, date, headline, text, case)
        placed[doc_id] = [p.shifted(offset) for p in draft.placed]
        bodies[doc_id] = [offset, offset + draft.length]

    sources = [Source.of(s) for s in pools.wire]
    for src in sources:
        publish(src.id, WIRE, src.story.date, src.story.title, src.story.text, "wire")
        placed[src.id] = src.placed()
    for series, members in pools.templates.items():
        for s in members:
            publish(f"{WIRE}/{s.newid}", WIRE, s.date, s.title, s.text, f"template:{series}")
    for kind, group in pools.repeats:
        for s in group:
            publish(f"{WIRE}/{s.newid}", WIRE, s.date, s.title, s.text, kind)

    for src, derived in zip(sources, plan.derived):
        rooms = rng.sample(NEWSROOMS, len(derived))
        for case, room in zip(derived, rooms):
            local = next(filler) if case in ("embed", "sentence") else None
            page(room, src.story.date, src.story.title, writer.body(case, src, local), case)

    order = list(range(len(sources)))
    rng.shuffle(order)
    for b, copies in enumerate(plan.bundles):
        bundle = [sources[i] for i in order[3 * b : 3 * b + 3]]
        latest = max(s.story.date for s in bundle)
        for _ in range(copies):
            page(FARM, latest, bundle[0].story.title, writer.digest(bundle), "stitch")

    voices = speakers(len(plan.quotes), rng)
    for q, copies in enumerate(plan.quotes):
        said = next(filler)
        start = said.body_start + len(said.lead)
        fits = [reflow(said.text[s.start:s.end]) for s in edits.sentences(said.text, start, len(said.text))]
        fits = [t for t in fits if 10 <= len(t.split()) <= 30 and _no_quotes(t)] or [max(fits, key=len)]
        quote = rng.choice(fits)
        styles = rng.sample(range(ATTRIBUTIONS), copies)
        for room, style in zip(rng.sample(NEWSROOMS, copies), styles):
            story = next(filler)
            draft = writer.quoting(story, quote, f"quote:{q}", voices[q], style)
            page(room, story.date, story.title, draft, "quote-only")

    for _ in range(plan.unrelated):
        story = next(filler)
        room = rng.choice(NEWSROOMS)
        draft = Draft()
        draft.write("\n\n".join(local_paragraphs(story, rng)))
        page(room, story.date, story.title, draft, "unrelated")

    texts = {a["id"]: a["text"] for a in articles}
    truth = build_truth(texts, {a["id"]: a["outlet"] for a in articles}, cases, placed, pools,
                        {src.id: src.repeated() for src in sources})
    for doc in truth["documents"]:
        if doc["id"] in bodies:
            doc["body"] = bodies[doc["id"]]
        used = sorted({p.source for p in placed.get(doc["id"], ()) if p.source != doc["id"] and p.source.startswith(WIRE)})
        if used:
            doc["from"] = used
    truth["truth"] = {"format": 1, "generator": "benchmarks/accuracy/generate.py", "seed": seed,
                      "edit_strength": strength, "wire_stories": plan.wire,
                      "data": "Reuters-21578, Distribution 1.0"}
    articles.sort(key=lambda a: (a["date"], a["id"]))
    return Corpus(articles, truth)


def write(corpus: Corpus, folder: Path) -> tuple[Path, Path]:
    """``corpus.jsonl`` and ``truth.json`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    articles, truth = folder / "corpus.jsonl", folder / "truth.json"
    with open(articles, "w", encoding="utf-8") as out:
        for a in corpus.articles:
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(truth, "w", encoding="utf-8") as out:
        json.dump(corpus.truth, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return articles, truth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for corpus.jsonl and truth.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edit-strength", type=float, default=1.0,
                        help="scales word changes, dropped and merged sentences and scan noise (2.0 = doubled)")
    parser.add_argument("--wire", type=int, default=400, help="wire stories reused (the corpus is about 7x this)")
    parser.add_argument("--reuters", type=Path, default=REUTERS, help="folder of the reut2-*.sgm files")
    args = parser.parse_args(argv)
    corpus = build(read(args.reuters), seed=args.seed, edit_strength=args.edit_strength, wire=args.wire)
    paths = write(corpus, args.out)
    print(f"{len(corpus.articles)} articles, {len(corpus.truth['pairs'])} true pairs: {paths[0]}, {paths[1]}")


if __name__ == "__main__":
    main()
