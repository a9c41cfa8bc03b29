"""The local engine: every stage over a list of articles, on all cores of one machine.

It only orchestrates: each rule lives in its stage module. Articles become a
:class:`~dedup.local.corpus.Corpus` (words, fingerprints, publication
order), candidate pairs come from :mod:`dedup.candidates`, the ones
:func:`dedup.sift.worth_aligning` lets through are aligned by
:func:`dedup.pairs.align_all` in forked workers that share the corpus, and
families, outlet figures, stories and the report follow.
"""

from __future__ import annotations

import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np

from .. import heap
from ..align import Windows
from ..candidates import Candidates
from ..chance import Chance, of_corpus
from ..direction import learn_roles, with_roles
from ..families import group
from ..kinds import template_characters
from ..model import Article, Match, Problem, Report
from ..outlets import outlet_stats
from ..pairs import Side, align_all
from ..progress import Progress
from ..recurring import kept
from ..settings import Settings
from ..sift import dropped, sift
from ..stories import tell
from .corpus import SPILL_WORDS, Corpus, Flags, default_jobs, pool_map
from .memory import check

CHUNK = 2000
"""Candidate pairs handed to a worker at a time."""
CACHE = 4096
"""Articles a worker keeps prepared (an article is in many pairs)."""


def scan(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    problems: Iterable[Problem] = (),
    progress: Progress | None = None,
    jobs: int | None = None,
    workdir: str | None = None,
    memory: int | None = None,
) -> Report:
    """Find, align, label and attribute every passage the articles share.

    ``jobs`` is the number of processes (default: every core). ``workdir``
    is a folder for the word arrays of large corpora; by default a temporary
    one is used when the corpus is large. ``memory`` is the bytes the scan may
    use besides the texts (default: what is available, :mod:`dedup.local.memory`;
    0: do not check); a scan that needs more raises
    :class:`~dedup.local.memory.MemoryShort` before it starts.
    """
    settings = settings or Settings()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    articles = list(articles)
    characters = sum(len(a.text) for a in articles)
    big = characters // 6 > SPILL_WORDS

    def fits(pairs: int = 0, words: int = 0) -> None:
        check(characters, spilled=big or workdir is not None, limit=memory, pairs=pairs, words=words)

    fits()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 4)
        clock = now

    with heap.frozen(), tempfile.TemporaryDirectory(prefix="dedup-", dir=workdir) as tmp:
        corpus = Corpus.build(articles, settings, jobs=jobs, workdir=tmp if (big or workdir) else None,
                              progress=progress)
        heap.trim()  # each stage's scratch arrays go back before the next, and before workers fork
        lap("tokenize")
        candidates, flags = corpus.candidates(settings, jobs)
        heap.trim()
        words = corpus.words
        chance = of_corpus([a.id for a in corpus.articles], [a.outlet for a in corpus.articles],
                           lambda n: words.hashes[words.bounds[n]:words.bounds[n + 1]], settings)
        lap("candidates")
        pairs, left_out = align_pairs(corpus, candidates, flags, settings, jobs=jobs, progress=progress,
                                      chance=chance, fits=lambda n: fits(n, len(words.hashes)))
        heap.trim()
        aligned = len(pairs)
        pairs = kept(pairs, chance.searches if chance else None, settings)
        outlet_of = {a.id: a.outlet for a in corpus.articles}
        roles = learn_roles(pairs, outlet_of)
        pairs = with_roles(pairs, outlet_of, roles)
        lap("alignment")
        template = {corpus.articles[i].id: n
                    for i, n in template_characters(corpus.words, flags.boilerplate, settings.shingle).items()}
        documents = [corpus.articles[i] for i in np.argsort(corpus.rank).tolist()]
        families = group(pairs, documents)
        outlets = outlet_stats(documents, pairs, template)
        number = {a.id: i for i, a in enumerate(corpus.articles)}
        bodies = {a.id: (int(s), int(e)) for a, (s, e) in zip(corpus.articles, corpus.bodies.tolist())}
        stories, coverage = tell(documents, pairs, template, bodies=bodies,
                                 words=lambda i: corpus.tokens(number[i]))
        lap("families")
        stats = {
            "articles": len(documents),
            "words": int(len(corpus.words.hashes)),
            "fingerprints": len(corpus.shards),
            "shards": corpus.shards.count,
            "candidate_pairs": int(len(candidates.pairs)),
            "dropped_candidates": left_out,
            "capped_buckets": candidates.capped_buckets,
            "pairs": len(pairs),
            "recurring_pairs": aligned - len(pairs),
            "source_outlets": sorted(roles),
            "chance_pairs": chance.pairs if chance else 0,
            "jobs": jobs,
            "seconds": timings,
        }
    return Report(tuple(documents), tuple(pairs), tuple(families), tuple(outlets), tuple(problems), stats,
                  stories, coverage)


# State shared with forked alignment workers (set before the pool starts).
_SHARED: dict[str, object] = {}


def _align_chunk(todo: np.ndarray) -> list[Match]:
    corpus: Corpus = _SHARED["corpus"]  # type: ignore[assignment]
    candidates: Candidates = _SHARED["candidates"]  # type: ignore[assignment]
    flags: Flags = _SHARED["flags"]  # type: ignore[assignment]
    settings: Settings = _SHARED["settings"]  # type: ignore[assignment]
    chance: Chance | None = _SHARED["chance"]  # type: ignore[assignment]
    cache: OrderedDict[int, Side] = _SHARED["sides"]  # type: ignore[assignment]

    def side(i: int) -> Side:
        hit = cache.get(i)
        if hit is None:
            start, end = corpus.bodies[i].tolist()
            hit = cache[i] = Side(corpus.articles[i], corpus.tokens(i), corpus.marks(i, flags, settings),
                                  int(corpus.chars[i]), (start, end), corpus.credits[i])
            if len(cache) > CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(i)
        return hit

    return [match for _, _, match in align_all(candidates.pairs[todo].tolist(), side, settings, chance)]


def align_pairs(
    corpus: Corpus,
    candidates: Candidates,
    flags: Flags,
    settings: Settings,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    chance: Chance | None = None,
    fits: Callable[[int], None] | None = None,
) -> tuple[list[Match], dict[str, int]]:
    """Compare every candidate pair that :func:`dedup.sift.sift` lets through; keep those
    that share prose or a quotation. Also: how many were left out, and why. ``fits`` is
    told how many pairs are to be aligned before any is (it raises when they cannot be)."""
    words, pairs, seeds = corpus.words, candidates.pairs, candidates.seeds
    a, b = (Windows.of(words.hashes, words.bounds, pairs[:, k], seeds[:, k]) for k in (0, 1))
    codes = sift(candidates.shared, candidates.plain, a, b, settings, chance)
    todo = np.flatnonzero(codes == 0)
    total = len(todo)
    if fits is not None:
        fits(total)
    chunks = [todo[s : s + CHUNK] for s in range(0, total, CHUNK)]
    # the sides made so far, kept from chunk to chunk of one process (an article is a side of many pairs)
    _SHARED.update(corpus=corpus, candidates=candidates, flags=flags, settings=settings, chance=chance,
                   sides=OrderedDict())
    found: list[Match] = []
    try:
        for n, part in enumerate(pool_map(_align_chunk, chunks, jobs if len(chunks) > 1 else 1), 1):
            found.extend(part)
            if progress:
                progress("alignment", min(n * CHUNK, total), total)
    finally:
        _SHARED.clear()
    return found, dropped(codes)
