"""The pre-ingestion filter, scored: what dedup's index says of each article as it arrives.

Two ways to meet a corpus, as a newsroom's ingest does:

* **empty**: a fresh :class:`dedup.Index`; every article, the wire's
  included, arrives in publication order (the true time, which a record may
  hide) and is checked and added (``check_many(batch, add=True)``, in batches
  of 256 like ``dedup filter``).
* **full**: every article of the wire (its stories, repeats, corrections,
  updates, templates) is indexed first (``Index.add``); the outlets' articles
  then arrive in publication order, checked and added the same way.

What each arriving article should be called follows from the truth. The
index *ought* to hold what was indexed first and every earlier arrival that
should not be dropped (``add=True`` keeps new and partial articles, not
duplicates). Of the article's body (its page without the outlet's furniture;
a wire story is all body), the truth's prose spans shared with those
articles cover some share. If the spans shared with one of them cover at
least ``REPRINT`` of it, it is a reprint: ``duplicate``. Otherwise, if any
covers part of it, ``partial``; if none does, ``new`` (quotation-only
articles among them: a shared quotation is not copy). One article, not the
union of several, must cover a reprint, as a ``duplicate`` decision names the
one indexed article it duplicates: a digest stitched from three stories is
a partial copy of each.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import dedup
from dedup.ranges import Range, covered

from .newsrooms import WIRE

Status = Literal["duplicate", "partial", "new"]
STATUSES: tuple[Status, ...] = ("duplicate", "partial", "new")
Mode = Literal["empty", "full"]
MODES: tuple[Mode, ...] = ("empty", "full")
REPRINT = 0.9
"""Least share of an article's body one indexed article must cover for a reprint (dedup's default too)."""
BATCH = 256
"""Articles checked and added per commit, as ``dedup filter`` does by default."""


@dataclass(frozen=True)
class Stream:
    """What is indexed before the stream, and the stream, in order."""

    mode: Mode
    indexed: tuple[str, ...]
    arriving: tuple[str, ...]


def streams(truth: Mapping[str, Any], published: Mapping[str, str]) -> list[Stream]:
    """Both ways of meeting the corpus (see the module docstring)."""
    wires = {w.lower() for w in truth.get("wire_outlets") or (WIRE,)}
    order = sorted(published, key=lambda i: (published[i], i))
    wire = {d["id"] for d in truth["documents"] if (d.get("outlet") or "").lower() in wires}
    return [Stream("empty", (), tuple(order)),
            Stream("full", tuple(i for i in order if i in wire), tuple(i for i in order if i not in wire))]


def _body(doc: Mapping[str, Any]) -> Range:
    start, end = doc.get("body") or (0, doc["length"])
    return start, end


def expected(truth: Mapping[str, Any], stream: Stream) -> dict[str, Status]:
    """What each arriving article should be called (see the module docstring)."""
    docs = {d["id"]: d for d in truth["documents"]}
    shared: dict[str, dict[str, list[Range]]] = defaultdict(lambda: defaultdict(list))
    for p in truth["pairs"]:
        for s in p["spans"]:
            if s["kind"] == "prose":
                shared[p["a"]][p["b"]].append((s["a_start"], s["a_end"]))
                shared[p["b"]][p["a"]].append((s["b_start"], s["b_end"]))
    held = set(stream.indexed)
    out: dict[str, Status] = {}
    for doc in stream.arriving:
        body = _body(docs[doc])
        size = max(body[1] - body[0], 1)
        mine = {other: ranges for other, ranges in shared[doc].items() if other in held}
        best = max((covered(body, ranges) / size for ranges in mine.values()), default=0.0)
        anywhere = covered(body, [r for ranges in mine.values() for r in ranges])
        out[doc] = "duplicate" if best >= REPRINT else ("partial" if anywhere > 0 else "new")
        if out[doc] != "duplicate":
            held.add(doc)
    return out


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def decide(articles: Mapping[str, dedup.Article], stream: Stream, folder: Path | None = None) -> dict[str, Status]:
    """What dedup's index says of each arriving article (default settings and rules)."""
    with tempfile.TemporaryDirectory(prefix="dedup-filter-", dir=folder) as tmp:
        with dedup.Index.open(Path(tmp) / "index.sqlite") as idx:
            for chunk in _batches((articles[i] for i in stream.indexed), 2 * BATCH):
                idx.add(chunk)
            got: dict[str, Status] = {}
            for chunk in _batches((articles[i] for i in stream.arriving), BATCH):
                for d in idx.check_many(chunk, add=True):
                    got[d.id] = d.status
    return got


@dataclass(frozen=True)
class FilterScores:
    """How the filter's calls compare with the expected ones, for one stream."""

    mode: Mode
    indexed: int
    confusion: Mapping[tuple[Status, Status], int]
    """(expected, called) → articles."""

    def expected(self, status: Status) -> int:
        return sum(n for (want, _), n in self.confusion.items() if want == status)

    def right(self, status: Status) -> float | None:
        """Share of the articles expected ``status`` that were called so (None: there were none)."""
        total = self.expected(status)
        return self.confusion.get((status, status), 0) / total if total else None


def score(mode: Mode, indexed: int, want: Mapping[str, Status], got: Mapping[str, Status]) -> FilterScores:
    return FilterScores(mode, indexed, dict(Counter((want[i], got[i]) for i in want)))


def _decide(job: tuple[dict[str, dedup.Article], Stream]) -> dict[str, Status]:
    return decide(*job)


def filter_scores(truth: Mapping[str, Any], published: Mapping[str, str],
                  articles: Sequence[dedup.Article], *, jobs: int = 2) -> list[FilterScores]:
    """Both streams of a corpus run through the filter and scored; with ``jobs`` above 1
    the streams run side by side, each in a process and an index of its own."""
    by_id = {a.id: a for a in articles}
    todo = streams(truth, published)
    work = [({i: by_id[i] for i in s.indexed + s.arriving}, s) for s in todo]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            calls = list(pool.map(_decide, work))
    else:
        calls = [_decide(job) for job in work]
    return [score(s.mode, len(s.indexed), expected(truth, s), got) for s, got in zip(todo, calls)]
