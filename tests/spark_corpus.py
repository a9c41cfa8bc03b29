"""Generated news corpora with known reuse, to compare engines and to benchmark them.

Stories are lists of paragraphs: real wire copy (Reuters-21578 bodies, read at
run time from ../shared/data/) or text from a seeded word generator. Outlets
then publish originals, reprints (whole, trimmed or lightly edited, wrapped in
the outlet's own header and footer), stitched pieces (paragraphs of two or
three originals between paragraphs of their own), stories sharing only a
quotation, and unrelated stories; some carry a stock sentence. One story may
be reprinted more widely than ``max_bucket`` so that buckets are capped.
Dates mix formats, some carry a time of day, some are missing.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

OUTLETS = ("wire", "Reuters", "daily-herald", "city-times", "valley-news", "coast-gazette", "quicknews",
           "harbor-post", "plains-ledger", "north-star", "metro-daily", "café-journal")
STOCK = (
    "Prices and schedules in this story were checked on the morning it was published.",
    "Readers can reach the newsroom through the contact page with corrections or tips.",
    "This story has been updated with further details since it first appeared online.",
)
_SYLLABLES = ("ka", "lo", "mer", "ti", "san", "ve", "dra", "no", "bel", "qui", "tor", "ans", "pe", "lu", "gri", "mo")
_SPLIT = re.compile(r"\n {2,}")


def reuters_stories(root: Path, min_words: int = 40) -> list[list[str]]:
    """Paragraphs of every Reuters-21578 body of at least ``min_words`` words."""
    stories = []
    for path in sorted(root.glob("reut2-*.sgm")):
        for body in re.findall(r"<BODY>(.*?)</BODY>", path.read_bytes().decode("latin-1"), re.S):
            text = html.unescape(body).replace("\x03", "")
            text = re.sub(r"\s*REUTER\s*$", "", text.strip())
            paragraphs = [re.sub(r"\s+", " ", p).strip() for p in _SPLIT.split(text)]
            paragraphs = [p for p in paragraphs if p]
            if sum(len(p.split()) for p in paragraphs) >= min_words:
                stories.append(paragraphs)
    return stories


class Words:
    """A seeded generator of sentences over a Zipf-like vocabulary (real words if given)."""

    def __init__(self, seed: int, vocabulary: list[str] | None = None, size: int = 20000) -> None:
        self.rng = random.Random(seed)
        if vocabulary is None:
            made = {"".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 4))) for _ in range(size)}
            vocabulary = sorted(made)
            self.rng.shuffle(vocabulary)
        self.vocabulary = vocabulary
        self.cumulative = list(accumulate(1.0 / (rank + 1) for rank in range(len(vocabulary))))

    def sentence(self) -> str:
        n = self.rng.randint(8, 28)
        words = self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)
        if self.rng.random() < 0.3:
            words[self.rng.randrange(n)] = str(self.rng.randint(2, 9999))
        if self.rng.random() < 0.3:
            words[self.rng.randrange(n)] = self.rng.choice(self.vocabulary).capitalize()
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def story(self) -> list[str]:
        return [self.paragraph() for _ in range(self.rng.randint(3, 7))]


def reuters_vocabulary(stories: list[list[str]], size: int = 30000) -> list[str]:
    counts = Counter(w for story in stories for p in story for w in re.findall(r"[A-Za-z]+", p.lower()))
    return [w for w, _ in counts.most_common(size)]


def _boilerplate(outlet: str) -> tuple[str, str]:
    name = outlet.replace("-", " ").title()
    return (f"{name} | Local news, every morning since the paper first went to press.",
            f"Sign up for the {name} morning briefing to get the day's top stories in your inbox. "
            f"Reporting by {name} staff; editing by the {name} news desk.")


class Corpus:
    """Builds articles (JSONL records) one at a time, remembering originals to copy."""

    def __init__(self, stories: list[list[str]], seed: int, words: Words | None = None) -> None:
        self.rng = random.Random(seed)
        self.stories = list(stories)
        self.rng.shuffle(self.stories)
        self.words = words or Words(seed + 1)
        self.originals: list[dict[str, object]] = []
        self.count = 0

    def _new_story(self) -> list[str]:
        """News length: three bodies of wire copy while they last, then generated text."""
        paragraphs: list[str] = []
        while self.stories and sum(len(p.split()) for p in paragraphs) < 350:
            paragraphs += self.stories.pop()
        if not paragraphs:
            paragraphs = self.words.story() + self.words.story()
        if self.rng.random() < 0.3:  # a quotation others may share
            paragraphs.insert(1, f'"{self.words.sentence()[:-1]}," the minister said.')
        return paragraphs

    def _date(self, day: int) -> str | None:
        r = self.rng.random()
        if r < 0.08:
            return None
        y, m, d = 2026, 1 + (day // 28) % 12, 1 + day % 28
        if r < 0.2:
            return f"{y}-{m:02d}-{d:02d}T{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}:00"
        if r < 0.25:
            months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
            return f"{d:02d}-{months[m - 1]}-{y}"
        return f"{y}-{m:02d}-{d:02d}"

    def _edit(self, paragraphs: list[str]) -> list[str]:
        """A light edit: a word changed here and there, a paragraph dropped."""
        out = list(paragraphs)
        if len(out) > 3 and self.rng.random() < 0.5:
            del out[self.rng.randrange(1, len(out))]
        for _ in range(self.rng.randint(1, 4)):
            i = self.rng.randrange(len(out))
            words = out[i].split()
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words.vocabulary[:500])
            out[i] = " ".join(words)
        return out

    def article(self) -> dict[str, object]:
        rng = self.rng
        self.count += 1
        day = self.count * 7 // 100  # about fourteen articles a day
        outlet = rng.choice(OUTLETS)
        kind = rng.random()
        if not self.originals or kind < 0.35:
            paragraphs = self._new_story()
            if outlet in ("wire", "Reuters") or rng.random() < 0.5:
                self.originals.append({"paragraphs": paragraphs, "day": day})
        elif kind < 0.7:
            source = rng.choice(self.originals[-300:])
            paragraphs = list(source["paragraphs"])  # type: ignore[arg-type]
            if rng.random() < 0.3:
                paragraphs = paragraphs[: max(2, len(paragraphs) * 2 // 3)]
            if rng.random() < 0.4:
                paragraphs = self._edit(paragraphs)
            day = int(source["day"]) + rng.randint(0, 2)  # type: ignore[call-overload]
        elif kind < 0.8:
            picked = rng.sample(self.originals[-300:], min(len(self.originals), rng.randint(2, 3)))
            paragraphs = [self.words.sentence()]
            for source in picked:
                taken = source["paragraphs"]
                start = rng.randrange(len(taken))  # type: ignore[arg-type]
                paragraphs += taken[start:start + 2]  # type: ignore[index]
                paragraphs.append(self.words.paragraph())
        elif kind < 0.85:
            quoted = [p for o in self.originals[-300:] for p in o["paragraphs"] if p.startswith('"')]  # type: ignore[union-attr]
            paragraphs = [self.words.paragraph(), rng.choice(quoted) if quoted else self.words.paragraph(),
                          self.words.paragraph()]
        else:
            paragraphs = self.words.story()
        if outlet not in ("wire", "Reuters") and rng.random() < 0.8:
            head, foot = _boilerplate(outlet)
            paragraphs = [head] + paragraphs + [foot]
        if rng.random() < 0.1:
            paragraphs = paragraphs + [rng.choice(STOCK)]
        return {"id": f"{outlet}/{self.count:06d}", "outlet": outlet, "date": self._date(day),
                "text": "\n\n".join(paragraphs)}

    def wide(self, copies: int) -> Iterator[dict[str, object]]:
        """One story reprinted ``copies`` times (more than ``max_bucket``: capped buckets)."""
        paragraphs = self._new_story()
        for n in range(copies):
            outlet = OUTLETS[n % len(OUTLETS)]
            self.count += 1
            yield {"id": f"wide/{n:04d}", "outlet": outlet, "date": self._date(n // 20),
                   "text": "\n\n".join(paragraphs + [f"Copy {n} of the story, filed by {outlet}."])}


def generate(stories: list[list[str]], articles: int, seed: int = 7, wide: int = 0,
             words: Words | None = None) -> list[dict[str, object]]:
    """``articles`` records (plus ``wide`` reprints of one story), ready to write as JSONL."""
    corpus = Corpus(stories, seed, words)
    records = [corpus.article() for _ in range(articles)]
    records += list(corpus.wide(wide))
    return records


def write_jsonl(records: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
