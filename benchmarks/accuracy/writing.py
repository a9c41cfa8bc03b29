"""Writing the derived articles: drafts that remember where each reused sentence went.

A :class:`Draft` is an article body being written; every reused sentence is
written with its origin (the article it comes from and its number there), so
the truth can say exactly which characters of two articles hold the same
sentence. A :class:`Source` is a wire story cut into sentences; the
:class:`Writer` makes each kind of reuse (``generate.CASES``) from one.
Anything with the same methods as :class:`Source` (a later version of a
story, :mod:`.versions`) can be reused the same way.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from . import edits
from .edits import Sentence, reflow
from .newsrooms import FARM_SUBHEADS, WIRE, attribute
from .reuters import Story
from .truth import Placed


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

    def own(self, key: str) -> list[Placed]:
        """The text between the reused sentences (an outlet's own paragraphs, words
        that join two sentences), one piece per paragraph, as sentences of ``key``:
        what a copy of this draft takes from it besides the reused sentences."""
        text, at = self.text, 0
        pieces: list[Placed] = []
        for p in sorted(self.placed, key=lambda p: p.start) + [Placed("", -1, self.length, self.length)]:
            start = at
            for chunk in text[at:p.start].split("\n\n"):
                lead = len(chunk) - len(chunk.lstrip())
                if edits.words(chunk):
                    pieces.append(Placed(key, len(pieces), start + lead, start + len(chunk.rstrip())))
                start += len(chunk) + 2
            at = max(at, p.end)
        return pieces

    def cut(self, end: int) -> Draft:
        """The draft up to ``end`` (a paragraph break): what a trimmed copy keeps."""
        kept = Draft()
        kept.parts, kept.length = [self.text[:end]], end
        kept.placed = [p for p in self.placed if p.end <= end]
        return kept


@dataclass(frozen=True)
class Source:
    """A wire story as the corpus publishes it, cut into sentences."""

    id: str
    story: Story
    sentences: list[Sentence]

    @classmethod
    def of(cls, story: Story) -> Source:
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

    def origin(self, i: int) -> tuple[str, int]:
        """The article sentence ``i`` comes from and its number there: its own."""
        return self.id, i

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


class Reusable(Protocol):
    """What the writer needs of a story to reuse it: a :class:`Source` or a later version."""

    @property
    def id(self) -> str: ...

    @property
    def sentences(self) -> Sequence[Sentence]: ...

    def say(self, i: int) -> str: ...

    def paragraphs(self) -> list[list[int]]: ...

    def origin(self, i: int) -> tuple[str, int]: ...


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


def no_quotes(text: str) -> bool:
    return not any(mark in text for mark in "\"“”")


Shaping = Callable[[list[str]], list[str]]
"""What a condition does to a local story's paragraphs (shorten them, add stock phrases)."""


class Writer:
    """Writes every derived article of a corpus; holds the randomness and the strength.

    ``shaping`` changes every local story's paragraphs (see :data:`Shaping`);
    without it the paragraphs are left as they are.
    """

    def __init__(self, rng: random.Random, strength: float, shaping: Shaping | None = None) -> None:
        self.rng = rng
        self.strength = strength
        self.shaping = shaping

    def local(self, story: Story) -> list[str]:
        """A local story's paragraphs (:func:`local_paragraphs`), shaped by the condition."""
        paras = local_paragraphs(story, self.rng)
        return self.shaping(paras) if self.shaping else paras

    def paragraphs(self, draft: Draft, src: Reusable, paras: list[list[int]], *, rate: float = 0.0,
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
                    draft.write(self._alter(head, rate, noise), *src.origin(i))
                    draft.write(link)
                    draft.write(self._alter(tail, rate, noise), *src.origin(para[k + 1]))
                    k += 2
                    continue
                draft.write(self._alter(text, rate, noise), *src.origin(i))
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
            options = [(p, k) for p, para in enumerate(paras) for k in range(len(para))
                       if len(para) > 1 and (p, k) != (0, 0)]
            if not options:
                break
            p, k = self.rng.choice(options)
            paras[p] = paras[p][:k] + paras[p][k + 1:]
        return paras

    def body(self, case: str, src: Reusable, filler: Story | None) -> Draft:
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
            self._embed(draft, src, paras, self.local(filler))
        elif case == "sentence":
            assert filler is not None
            self._sentence(draft, src, self.local(filler))
        else:
            raise ValueError(f"unknown case {case!r}")
        return draft

    def _embed(self, draft: Draft, src: Reusable, paras: list[list[int]], local: list[str]) -> None:
        rng = self.rng
        clean = [p for p in range(len(paras)) if no_quotes(" ".join(src.say(i) for i in paras[p]))]
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

    def _sentence(self, draft: Draft, src: Reusable, local: list[str]) -> None:
        rng = self.rng
        fits = [s.index for s in src.sentences
                if 12 <= len(src.say(s.index).split()) <= 45 and no_quotes(src.say(s.index))]
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
            draft.write(src.say(pick), *src.origin(pick))
            if after:
                draft.write(" " + after)

    def digest(self, sources: Sequence[Reusable]) -> Draft:
        """A content-farm article: one or two paragraphs of each story (at least one
        of them narrative, not a bare quotation), under stock subheads."""
        draft = Draft()
        for n, src in enumerate(sources):
            paras = src.paragraphs()
            take = self.rng.choice((1, 2))
            runs = [p for p in range(len(paras))
                    if any(no_quotes(" ".join(src.say(i) for i in para)) for para in paras[p:p + take])]
            first = self.rng.choice(runs or list(range(len(paras))))
            if n:
                draft.write(f"\n\n{self.rng.choice(FARM_SUBHEADS)}\n\n")
            self.paragraphs(draft, src, paras[first:first + take])
        return draft

    def quoting(self, filler: Story, quote: str, key: str, speaker: tuple[str, str], style: int) -> Draft:
        """A local story that quotes ``speaker`` saying ``quote``, in its own house style."""
        draft = Draft()
        local = self.local(filler)
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
