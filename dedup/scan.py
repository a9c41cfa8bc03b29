"""The local engine: every stage, in one process or a few, over a list of articles."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from .candidates import Candidates, find_candidates
from .compare import compare
from .direction import parse_date
from .families import group
from .kinds import Marks, cover
from .model import Article, Match, Problem, Report
from .outlets import outlet_stats
from .passages import Fingerprints, fingerprints
from .settings import Settings
from .text import Tokens, tokenize_batch

BATCH = 512
"""Articles tokenized together (numpy works on the whole batch at once)."""

Progress = Callable[[str, int, int], None]


def publication_order(articles: Iterable[Article]) -> list[Article]:
    """Articles earliest first (undated last), then by id: the order hubs and pairs follow."""

    def key(a: Article) -> tuple[int, str, str]:
        parsed = parse_date(a.date)
        return (0, parsed[0].isoformat(), a.id) if parsed else (1, "", a.id)

    return sorted(articles, key=key)


@dataclass(frozen=True)
class Corpus:
    """Articles in publication order with their words and passage fingerprints."""

    articles: list[Article]
    tokens: list[Tokens]
    fingerprints: Fingerprints
    outlets: np.ndarray  # outlet number per article, -1 when unknown

    @classmethod
    def build(cls, articles: Sequence[Article], settings: Settings, progress: Progress | None = None) -> "Corpus":
        ordered = publication_order(articles)
        names = sorted({a.outlet for a in ordered if a.outlet})
        number = {name: i for i, name in enumerate(names)}
        outlets = np.array([number.get(a.outlet or "", -1) for a in ordered], dtype=np.int64)
        tokens: list[Tokens] = []
        parts: list[Fingerprints] = []
        for start in range(0, len(ordered), BATCH):
            batch = tokenize_batch([a.text for a in ordered[start : start + BATCH]])
            tokens.extend(batch.docs())
            parts.append(fingerprints(batch, settings, first_doc=start))
            if progress:
                progress("tokenize", min(start + BATCH, len(ordered)), len(ordered))
        return cls(ordered, tokens, Fingerprints.concat(parts), outlets)

    def marks(self, candidates: Candidates, settings: Settings) -> list[Marks]:
        """Boilerplate and common-passage word masks of every article."""
        fp = self.fingerprints
        bounds = np.searchsorted(fp.docs, np.arange(len(self.articles) + 1))
        found = []
        for d, toks in enumerate(self.tokens):
            lo, hi = bounds[d], bounds[d + 1]
            pos = fp.positions[lo:hi]
            found.append(Marks(
                cover(pos[candidates.boilerplate[lo:hi]], settings.shingle, len(toks)),
                cover(pos[candidates.common[lo:hi]], settings.shingle, len(toks)),
            ))
        return found


def scan(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    problems: Iterable[Problem] = (),
    progress: Progress | None = None,
) -> Report:
    """Find, align, label and attribute every passage the articles share."""
    settings = settings or Settings()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 4)
        clock = now

    corpus = Corpus.build(list(articles), settings, progress)
    lap("tokenize")
    candidates = find_candidates(corpus.fingerprints, corpus.outlets, settings)
    marks = corpus.marks(candidates, settings)
    lap("candidates")
    pairs = align_pairs(corpus, candidates, marks, settings, progress)
    lap("alignment")
    families = group(pairs, corpus.articles)
    template = {a.id: marked_characters(t, m.boilerplate) for a, t, m in zip(corpus.articles, corpus.tokens, marks)}
    outlets = outlet_stats(corpus.articles, pairs, template)
    lap("families")
    stats = {
        "articles": len(corpus.articles),
        "fingerprints": len(corpus.fingerprints),
        "candidate_pairs": int(len(candidates.pairs)),
        "capped_buckets": candidates.capped_buckets,
        "pairs": len(pairs),
        "seconds": timings,
    }
    return Report(tuple(corpus.articles), tuple(pairs), tuple(families), tuple(outlets),
                  tuple(problems), stats)


def marked_characters(tokens: Tokens, mask: np.ndarray) -> int:
    """Characters from the first to the last word of each run of marked words."""
    if not mask.any():
        return 0
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    first, stop = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((tokens.ends[stop - 1] - tokens.starts[first]).sum())


def align_pairs(
    corpus: Corpus,
    candidates: Candidates,
    marks: list[Marks],
    settings: Settings,
    progress: Progress | None = None,
) -> list[Match]:
    """Compare every candidate pair; keep those that share prose or a quotation."""
    found: list[Match] = []
    arts, toks = corpus.articles, corpus.tokens
    total = len(candidates.pairs)
    for n, (i, j) in enumerate(candidates.pairs.tolist()):
        match = compare(arts[i], arts[j], settings, toks[i], toks[j], marks[i], marks[j])
        if match is not None and any(s.kind != "boilerplate" for s in match.spans):
            found.append(match)
        if progress and (n + 1) % 1000 == 0:
            progress("alignment", n + 1, total)
    return found
