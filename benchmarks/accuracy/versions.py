"""Later versions of a wire story: an update (new and changed paragraphs) and a correction.

Wire services send a story again as it develops: an update keeps the first
version's text, changes a paragraph and adds one or two; a correction
repeats a version with one figure or phrase put right and a note saying so.
Outlets reprint whichever version they saw. Each sentence of a version
remembers its origin: the first version's sentence it repeats (changed or
not), or, for a sentence the version added, its own number in that version
(``origin``). So the truth finds every version pair and every outlet's copy
of any version, and a version's source is the version it revises
(``parent``). Added paragraphs are the sentences of a local story used nowhere
else, so they share nothing with any other story.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import edits
from .edits import Sentence, reflow
from .truth import Placed
from .writing import Reusable

_FIGURE = re.compile(r"\b\d+(?:\.\d+)?\b")


@dataclass(frozen=True)
class Version:
    """A version the wire sent after the first one: its text, its sentences and their origins."""

    id: str
    title: str
    date: str
    text: str
    sentences: tuple[Sentence, ...]
    origins: tuple[tuple[str, int], ...]
    parent: str
    kind: str  # "wire-update" or "wire-correction"
    title_at: int
    """Where the first version's title starts in :attr:`text`."""

    def say(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start:s.end]

    def paragraphs(self) -> list[list[int]]:
        paras: list[list[int]] = []
        for s in self.sentences:
            if s.paragraph == len(paras):
                paras.append([])
            paras[-1].append(s.index)
        return paras

    def origin(self, i: int) -> tuple[str, int]:
        return self.origins[i]

    def placed(self, first: str, title: str) -> list[Placed]:
        """Every sentence where it stands, and the title of the first version ``first``
        (its sentence -1) if this version repeats it."""
        heading = [Placed(first, -1, self.title_at, self.title_at + len(title))] if title else []
        return heading + [Placed(*self.origins[s.index], s.start, s.end) for s in self.sentences]


class _Text:
    """A version's text being laid out: paragraphs of sentences, each with its origin."""

    def __init__(self, heading: str) -> None:
        self.text = heading
        self.sentences: list[Sentence] = []
        self.origins: list[tuple[str, int]] = []

    def paragraph(self, said: list[tuple[str, tuple[str, int]]]) -> None:
        self.text += "\n\n"  # after the heading, or the paragraph before
        number = self.sentences[-1].paragraph + 1 if self.sentences else 0
        for k, (text, origin) in enumerate(said):
            if k:
                self.text += " "
            self.sentences.append(Sentence(len(self.sentences), len(self.text), len(self.text) + len(text), number))
            self.origins.append(origin)
            self.text += text


def _later(date: str, rng: random.Random, low: int, high: int) -> str:
    return (datetime.fromisoformat(date) + timedelta(minutes=rng.randrange(low, high))).isoformat()


def _split(paragraph: str) -> list[str]:
    return [reflow(paragraph[s.start:s.end]) for s in edits.sentences(paragraph, 0, len(paragraph))]


def update(parent: Reusable, title: str, date: str, added: list[str], rng: random.Random) -> Version:
    """An update of ``parent``: one paragraph after the first reworded, and one or two
    paragraphs of new text (``added``, a local story's paragraphs) put in after the first."""
    vid = f"{parent.id}-update"
    paras = parent.paragraphs()
    heading = "UPDATE 1-"
    out = _Text(f"{heading}{title}")
    changed = rng.randrange(1, len(paras)) if len(paras) > 1 else -1
    new = [_split(p) for p in added[:rng.choice((1, 2))]]
    where = rng.randrange(1, len(paras) + 1)
    counter = 0
    for p, para in enumerate(paras):
        if p == where:
            for sentences in new:
                out.paragraph([(t, (vid, counter + k)) for k, t in enumerate(sentences)])
                counter += len(sentences)
        rate = 0.2 if p == changed else 0.0
        out.paragraph([(edits.change_words(parent.say(i), rate, rng) if rate else parent.say(i), parent.origin(i))
                       for i in para])
    if where == len(paras):
        for sentences in new:
            out.paragraph([(t, (vid, counter + k)) for k, t in enumerate(sentences)])
            counter += len(sentences)
    return Version(vid, f"{heading}{title}", _later(date, rng, 60, 8 * 60), out.text, tuple(out.sentences),
                   tuple(out.origins), parent.id, "wire-update", len(heading))


def correction(parent: Reusable, title: str, date: str, rng: random.Random) -> Version:
    """A correction of ``parent``: one figure (or, without figures, a few words) of one
    sentence changed, and a closing note saying which paragraph was corrected."""
    vid = f"{parent.id.removesuffix('-update')}-correction"
    paras = parent.paragraphs()
    figures = [i for para in paras[1:] or paras for i in para if _FIGURE.search(parent.say(i))]
    pool = [i for para in paras[1:] or paras for i in para]
    fixed = rng.choice(figures or pool)
    heading = "CORRECTED - "
    out = _Text(f"{heading}{title}")
    where = 0
    for p, para in enumerate(paras):
        said = []
        for i in para:
            text = parent.say(i)
            if i == fixed:
                where = p + 1
                text = _fix(text, rng)
            said.append((text, parent.origin(i)))
        out.paragraph(said)
    thing = "a figure" if figures else "the wording"
    out.text += f"\n\n(This version corrects {thing} in paragraph {where} of the earlier story.)"
    return Version(vid, f"{heading}{title}", _later(date, rng, 30, 12 * 60), out.text, tuple(out.sentences),
                   tuple(out.origins), parent.id, "wire-correction", len(heading))


def _fix(sentence: str, rng: random.Random) -> str:
    found = list(_FIGURE.finditer(sentence))
    if not found:
        return edits.change_words(sentence, 0.3, rng)
    m = rng.choice(found)
    value = m.group()
    if "." in value:
        whole, frac = value.split(".")
        right = f"{whole}.{(int(frac) + rng.randrange(1, 9)) % 10 ** len(frac):0{len(frac)}d}"
    else:
        right = str(int(value) + rng.randrange(1, 9))
    return sentence[:m.start()] + right + sentence[m.end():]
