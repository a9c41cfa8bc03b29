"""Candidate pairs: articles whose passages share a fingerprint (LSH buckets).

Every fingerprint is an LSH bucket key. Articles in one bucket become pairs;
a bucket holding more than ``max_bucket`` articles (wire copy reprinted
hundreds of times, or a stock phrase) is linked as a star to its first few
articles instead of all pairs, so cost stays linear. Corpus-wide counts made
here also mark the fingerprints that are common (stock phrases) and those
that recur within one outlet (its boilerplate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .passages import Fingerprints
from .settings import Settings

HUBS = 3
"""Articles of an oversized bucket that every other member is paired with."""
REPEAT_SHARE = 0.6
"""An article whose passages are mostly 'boilerplate' is a repeated item, not a template."""


@dataclass(frozen=True)
class Candidates:
    """Pairs ``(a, b)`` of article numbers (``a`` published first), how many
    fingerprints they share, and where one of them sits in each.

    ``common`` and ``boilerplate`` are masks over the fingerprints given to
    :func:`find_candidates`, in the same order.
    """

    pairs: np.ndarray  # (k, 2) int64
    shared: np.ndarray  # (k,) int64
    seeds: np.ndarray  # (k, 2) int64: word position of one shared shingle in a and in b (-1: repeated)
    common: np.ndarray  # bool
    boilerplate: np.ndarray  # bool
    capped_buckets: int


def _distinct_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values in a sorted array."""
    if len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [len(keys)])))
    return starts.astype(np.int64), lengths.astype(np.int64)


def recurring_mask(fp: Fingerprints, outlets: np.ndarray, settings: Settings) -> np.ndarray:
    """Fingerprints that recur in ``boilerplate_docs`` or more articles of their own outlet.

    ``outlets[d]`` is the outlet number of article ``d`` (-1 when unknown:
    such articles have no boilerplate).
    """
    mask = np.zeros(len(fp), dtype=bool)
    if len(fp) == 0:
        return mask
    out = outlets[fp.docs]
    known = np.flatnonzero(out >= 0)
    if len(known) == 0:
        return mask
    order = known[np.lexsort((fp.docs[known], out[known], fp.hashes[known]))]
    h, o, d = fp.hashes[order], out[order], fp.docs[order]
    new_doc = np.ones(len(order), dtype=bool)
    new_doc[1:] = (h[1:] != h[:-1]) | (o[1:] != o[:-1]) | (d[1:] != d[:-1])
    new_key = np.ones(len(order), dtype=bool)
    new_key[1:] = (h[1:] != h[:-1]) | (o[1:] != o[:-1])
    key_id = np.cumsum(new_key) - 1
    docs_per_key = np.bincount(key_id, weights=new_doc).astype(np.int64)
    mask[order] = docs_per_key[key_id] >= settings.boilerplate_docs
    return mask


def repeated_stories(total: np.ndarray, recurring: np.ndarray) -> np.ndarray:
    """Articles most of whose fingerprints recur in their outlet: repeated stories,
    not pages carrying a template. ``total``/``recurring`` count fingerprints per article."""
    return recurring >= REPEAT_SHARE * np.maximum(total, 1)


def boilerplate_mask(
    fp: Fingerprints, outlets: np.ndarray, settings: Settings, repeats: np.ndarray | None = None
) -> np.ndarray:
    """Fingerprints that are their outlet's boilerplate.

    They recur in ``boilerplate_docs`` or more articles of the outlet, in an
    article that is not itself a repeated story (``repeats``, per article;
    computed from ``fp`` when not given, which is exact when ``fp`` holds
    every fingerprint of the corpus).
    """
    mask = recurring_mask(fp, outlets, settings)
    if repeats is None:
        repeats = repeated_stories(np.bincount(fp.docs, minlength=len(outlets)),
                                   np.bincount(fp.docs[mask], minlength=len(outlets)))
    return mask & ~repeats[fp.docs]


def find_candidates(
    fp: Fingerprints,
    outlets: np.ndarray,
    settings: Settings,
    rank: np.ndarray | None = None,
    repeats: np.ndarray | None = None,
) -> Candidates:
    """Candidate pairs from shared fingerprints, with the common and boilerplate masks.

    ``rank[d]`` is article ``d``'s place in publication order (default: its
    number). The hubs of an oversized bucket are its earliest articles; in
    each pair ``a`` is the earlier one, and pairs come in publication order.
    ``fp`` may be one shard (all fingerprints with some hashes) of a corpus
    when ``repeats`` comes from the whole corpus (see :func:`boilerplate_mask`).
    """
    n_docs = len(outlets)
    rank = np.arange(n_docs, dtype=np.int64) if rank is None else np.asarray(rank, dtype=np.int64)
    boiler = boilerplate_mask(fp, outlets, settings, repeats)

    order = np.lexsort((rank[fp.docs], fp.hashes))
    h, d, pos = fp.hashes[order], fp.docs[order], fp.positions[order].astype(np.int64)
    first = np.ones(len(order), dtype=bool)
    first[1:] = (h[1:] != h[:-1]) | (d[1:] != d[:-1])
    starts, lengths = _distinct_runs(h[first])
    df = np.repeat(lengths, lengths)
    common = np.zeros(len(fp), dtype=bool)
    common_sorted = np.zeros(len(order), dtype=bool)
    common_sorted[first] = df >= settings.stock_docs
    # spread the per-(hash) verdict to repeated occurrences of a hash in one doc
    group = np.cumsum(first) - 1
    common_sorted = common_sorted[first][group]
    common[order] = common_sorted

    keep = first & ~boiler[order]
    # a shingle repeated inside one article gives no single seed: mark it so it is always aligned
    last_of_doc = np.ones(len(order), dtype=bool)
    last_of_doc[:-1] = first[1:]
    repeated = np.zeros(len(order), dtype=bool)
    repeated[first] = ~last_of_doc[first]
    pos = np.where(repeated, -1, pos)
    h, d, pos = h[keep], d[keep], pos[keep]
    starts, lengths = _distinct_runs(h)
    parts_a: list[np.ndarray] = []
    parts_b: list[np.ndarray] = []
    capped = 0

    def add(ia: np.ndarray, ib: np.ndarray) -> None:
        parts_a.append(ia.ravel())
        parts_b.append(ib.ravel())

    for size in np.unique(lengths):
        if size < 2:
            continue
        run_starts = starts[lengths == size]
        if size <= settings.max_bucket:
            ia, ib = np.triu_indices(int(size), 1)
            add(run_starts[:, None] + ia, run_starts[:, None] + ib)
        else:
            capped += len(run_starts)
            for s in run_starts:
                members = np.arange(s, s + size)
                for hub in members[:HUBS]:
                    add(np.full(size, hub), members)
    if not parts_a:
        empty = np.zeros((0, 2), dtype=np.int64)
        return Candidates(empty, np.zeros(0, np.int64), empty, common, boiler, capped)
    ia, ib = np.concatenate(parts_a), np.concatenate(parts_b)  # indices into d / pos
    ra, rb = rank[d[ia]], rank[d[ib]]
    swap = ra > rb
    ia, ib = np.where(swap, ib, ia), np.where(swap, ia, ib)
    distinct = d[ia] != d[ib]
    ia, ib = ia[distinct], ib[distinct]
    keys = rank[d[ia]] * np.int64(n_docs) + rank[d[ib]]
    uniq, first_at, counts = np.unique(keys, return_index=True, return_counts=True)
    pairs = np.stack((d[ia[first_at]], d[ib[first_at]]), axis=1)
    seeds = np.stack((pos[ia[first_at]], pos[ib[first_at]]), axis=1)
    return Candidates(pairs, counts.astype(np.int64), seeds, common, boiler, capped)


def merge(parts: list[Candidates], rank: np.ndarray) -> Candidates:
    """Candidates of a corpus from those of its shards (fingerprints split by hash).

    A pair found in several shards shares the fingerprints of all of them;
    the masks are over the shards' fingerprints concatenated in order.
    """
    if len(parts) == 1:
        return parts[0]
    n_docs = len(rank)
    pairs = np.concatenate([p.pairs for p in parts]).reshape(-1, 2)
    keys = rank[pairs[:, 0]] * np.int64(n_docs) + rank[pairs[:, 1]]
    uniq, first_at, inverse = np.unique(keys, return_index=True, return_inverse=True)
    shared = np.bincount(inverse.ravel(), weights=np.concatenate([p.shared for p in parts]),
                         minlength=len(uniq)).astype(np.int64)
    seeds = np.concatenate([p.seeds for p in parts]).reshape(-1, 2)[first_at]
    return Candidates(pairs[first_at], shared, seeds,
                      np.concatenate([p.common for p in parts]),
                      np.concatenate([p.boilerplate for p in parts]),
                      sum(p.capped_buckets for p in parts))
