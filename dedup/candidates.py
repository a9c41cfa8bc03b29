"""Candidate pairs: articles whose passages share a fingerprint (LSH buckets).

Every fingerprint is an LSH bucket key. Articles in one bucket become pairs;
a bucket holding more than ``max_bucket`` articles (wire copy reprinted
hundreds of times, or a stock phrase) is linked as a star to its first few
articles instead of all pairs, so cost stays linear. Corpus-wide counts made
here also mark the fingerprints that are common (stock phrases) and those
that recur within one outlet (its boilerplate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .passages import Fingerprints
from .settings import Settings

HUBS = 3
"""Articles of an oversized bucket that every other member is paired with."""
REPEAT_SHARE = 0.6
"""An article whose passages are mostly 'boilerplate' is a repeated item, not a template."""


# The corpus-wide rules, written once with plain operators so that the local
# engine (numpy arrays), the index (numbers and arrays) and the Spark engine
# (Column expressions) apply the very same ones.

def is_common(articles: Any, settings: Settings) -> Any:
    """A fingerprint held by this many articles is a stock phrase, not evidence of copy."""
    return articles >= settings.stock_docs


def recurs(outlet_articles: Any, settings: Settings) -> Any:
    """A fingerprint held by this many articles of one outlet recurs in that outlet."""
    return outlet_articles >= settings.boilerplate_docs


def repeated_story(fingerprints: Any, seen: Any) -> Any:
    """An article most of whose fingerprints its outlet had already published (``seen``
    of them, in earlier articles of the outlet) repeats a story: a re-run, an
    update, a correction, a re-sent item. Its passages do not make furniture."""
    return seen >= REPEAT_SHARE * fingerprints


def furniture(fresh: Any, settings: Settings) -> Any:
    """A passage is an outlet's furniture when it recurs across the outlet's stories:
    ``fresh`` of the outlet's articles that repeat no story hold it, at least
    ``boilerplate_docs`` (copies of one story the outlet runs again and again
    are repeats, and do not count)."""
    return recurs(fresh, settings)


def oversized(articles: Any, settings: Settings) -> Any:
    """A bucket this large links its members only to its ``HUBS`` earliest articles."""
    return articles > settings.max_bucket


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
    plain: np.ndarray  # (k,) int64: of the shared fingerprints, those that are not common


def outlet_numbers(outlets: Sequence[str | None]) -> np.ndarray:
    """Each article's outlet as a number (outlets in order of name), -1 when it has none:
    the form the boilerplate counts take."""
    names = sorted({o for o in outlets if o})
    number = {name: i for i, name in enumerate(names)}
    return np.array([number.get(o or "", -1) for o in outlets], dtype=np.int64)


def order_by(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """``np.lexsort((minor, major))`` for non-negative integers: one stable sort of keys that
    pack both when they fit in 63 bits (tens of times faster than ``lexsort`` on the
    millions of entries of a corpus, whose ``major`` is mostly in order already)."""
    major, minor = np.asarray(major, dtype=np.int64), np.asarray(minor, dtype=np.int64)
    if not len(major):
        return np.zeros(0, dtype=np.int64)
    width = int(minor.max()) + 1
    if int(major.min()) < 0 or int(minor.min()) < 0 or int(major.max()) >= (1 << 62) // width:
        return np.lexsort((minor, major))
    return np.argsort(major * np.int64(width) + minor, kind="stable")


def _distinct_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values in a sorted array."""
    if len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [len(keys)])))
    return starts.astype(np.int64), lengths.astype(np.int64)


@dataclass(frozen=True)
class _Repeats:
    """The fingerprints whose hash occurs more than once (the only ones that
    can pair articles or be counted as common or boilerplate), grouped by hash,
    each article's entries together.

    Usually a small share of all fingerprints: the stages below sort and
    count only these.
    """

    at: np.ndarray  # int64 indices into the fingerprints
    group: np.ndarray  # int64 number of the hash, ascending
    new_doc: np.ndarray  # bool: first entry of its (hash, article)

    @classmethod
    def of(cls, fp: Fingerprints) -> _Repeats:
        at = _repeated(fp.hashes)
        h, d = fp.hashes[at], fp.docs[at]
        new_hash = np.ones(len(at), dtype=bool)
        new_hash[1:] = h[1:] != h[:-1]
        group = np.cumsum(new_hash) - 1
        if np.any((d[1:] < d[:-1]) & ~new_hash[1:]):  # articles out of order within a hash
            order = order_by(group, d)
            at, group, d = at[order], group[order], d[order]
        new_doc = np.ones(len(at), dtype=bool)
        new_doc[1:] = (group[1:] != group[:-1]) | (d[1:] != d[:-1])
        return cls(at, group, new_doc)


def _repeated(hashes: np.ndarray) -> np.ndarray:
    """Indices of the hashes that occur more than once, ordered by hash, then index.

    One plain sort of keys that pack a hash's high bits with an entry's index
    finds the entries whose high bits repeat, a superset that is nearly sorted
    by hash; a stable sort of that superset (cheap on nearly sorted data)
    gives the exact answer. Several times faster than an argsort of every hash.
    """
    n = len(hashes)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    bits = int(n - 1).bit_length()
    low = np.uint64((1 << bits) - 1)
    keys = (hashes & ~low) | np.arange(n, dtype=np.uint64)
    keys.sort()
    top = keys >> np.uint64(bits)
    same = top[1:] == top[:-1]
    del top
    near = np.zeros(n, dtype=bool)
    near[1:] = same
    near[:-1] |= same
    del same
    at = (keys[near] & low).astype(np.int64)
    del keys, near
    h = hashes[at]
    order = np.argsort(h, kind="stable")
    at, h = at[order], h[order]
    same = h[1:] == h[:-1]
    keep = np.zeros(len(at), dtype=bool)
    keep[1:] = same
    keep[:-1] |= same
    return np.asarray(at[keep])


def repeated_only(fp: Fingerprints) -> Fingerprints:
    """The fingerprints whose hash occurs more than once, in hash order.

    Only these can pair articles or be common or boilerplate, so
    :func:`find_candidates` gives the same pairs and flags on them as on all
    (given ``repeats`` counted on all): a shard of a large corpus is cut to
    them once and read again at a fraction of its size.
    """
    at = _repeated(fp.hashes)
    return Fingerprints(fp.hashes[at], fp.docs[at], fp.positions[at])


def _width(outlets: np.ndarray) -> int:
    return max(int(outlets.max(initial=-1)) + 1, 1)


def _outlet_entries(fp: Fingerprints, outlets: np.ndarray, r: _Repeats) -> tuple[np.ndarray, np.ndarray]:
    """The entries that count for an outlet (each article's first entry of a hash, articles
    with an outlet), and a key per entry naming its (hash, outlet): ``group * width + outlet``."""
    out = outlets[fp.docs[r.at]]
    counted = np.flatnonzero(r.new_doc & (out >= 0))
    return counted, r.group[counted] * np.int64(_width(outlets)) + out[counted]


def _spread(hit: np.ndarray, fp: Fingerprints, r: _Repeats) -> np.ndarray:
    """A verdict on each article's first entry of a hash, spread to its other entries and to rows."""
    hit = hit[np.maximum.accumulate(np.where(r.new_doc, np.arange(len(hit)), 0))]
    mask = np.zeros(len(fp), dtype=bool)
    mask[r.at] = hit
    return mask


def seen_mask(fp: Fingerprints, outlets: np.ndarray, rank: np.ndarray | None = None,
              repeats: _Repeats | None = None) -> np.ndarray:
    """Fingerprints their outlet had already published when their article was: an
    earlier article of the outlet holds them (``rank``: publication order; default,
    article numbers). Articles without an outlet (``outlets[d] == -1``) have none."""
    r = repeats if repeats is not None else _Repeats.of(fp)
    counted, key = _outlet_entries(fp, outlets, r)
    if len(counted) == 0:
        return np.zeros(len(fp), dtype=bool)
    docs = fp.docs[r.at[counted]]
    order = order_by(key, rank[docs] if rank is not None else docs)
    sorted_key = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_key[1:] != sorted_key[:-1]
    place = np.arange(len(order)) - np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    hit = np.zeros(len(r.at), dtype=bool)
    hit[counted[order]] = place >= 1
    return _spread(hit, fp, r)


def repeats_of(fingerprints: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Per article, whether it repeats a story of its outlet (:func:`repeated_story`), from
    how many fingerprints it has and how many of them its outlet had already published."""
    return np.asarray(repeated_story(fingerprints, seen))


def boilerplate_mask(
    fp: Fingerprints, outlets: np.ndarray, settings: Settings, repeats: np.ndarray | None = None,
    *, rank: np.ndarray | None = None, _grouped: _Repeats | None = None,
) -> np.ndarray:
    """Fingerprints that are their outlet's furniture (headers, footers, pleas), in every
    article of the outlet that holds them.

    Furniture recurs across stories (:func:`furniture`): it is held by
    ``boilerplate_docs`` or more of the outlet's articles that do not repeat a
    story (``repeats``, per article; computed from ``fp`` when not given,
    which is exact when ``fp`` holds every fingerprint of the corpus). A
    story the outlet runs again and again recurs too, but in articles that
    repeat it, so its passages stay copy while the same articles' header and
    footer are furniture. Furniture counts only where it stands on both sides
    of a pair (:func:`find_candidates`, :func:`dedup.kinds.label`), so a wire
    story an outlet's pages hold as furniture still links them to the wire.
    """
    r = _grouped if _grouped is not None else _Repeats.of(fp)
    if repeats is None:
        seen = seen_mask(fp, outlets, rank, r)
        repeats = repeats_of(np.bincount(fp.docs, minlength=len(outlets)),
                             np.bincount(fp.docs[seen], minlength=len(outlets)))
    counted, key = _outlet_entries(fp, outlets, r)
    if len(counted) == 0:
        return np.zeros(len(fp), dtype=bool)
    kinds, which = np.unique(key, return_inverse=True)
    fresh = np.bincount(which.ravel(), weights=~repeats[fp.docs[r.at[counted]]], minlength=len(kinds))
    hit = np.zeros(len(r.at), dtype=bool)
    hit[counted] = furniture(fresh, settings)[which.ravel()]
    return _spread(hit, fp, r)


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
    r = _Repeats.of(fp)
    boiler = boilerplate_mask(fp, outlets, settings, repeats, rank=rank, _grouped=r)

    d, pos = fp.docs[r.at], fp.positions[r.at].astype(np.int64)
    docs_per_hash = np.bincount(r.group, weights=r.new_doc).astype(np.int64)
    common = np.zeros(len(fp), dtype=bool)
    common[r.at] = is_common(docs_per_hash[r.group], settings)

    # a shingle repeated inside one article gives no single seed: mark it so it is always aligned
    entries = np.bincount(np.cumsum(r.new_doc) - 1)
    pos = np.where(np.repeat(entries, entries) > 1, -1, pos)
    # a bucket of nothing but furniture links no one; in any other, two articles for which
    # the fingerprint is furniture are not linked by it (a page that copies another outlet's
    # furniture is linked to that outlet's articles)
    keep = r.new_doc
    furniture = boiler[r.at][keep]
    g, d, pos = r.group[keep], d[keep], pos[keep]
    live = (np.bincount(g, weights=~furniture) > 0)[g] if len(g) else np.zeros(0, dtype=bool)
    g, d, pos, furniture = g[live], d[live], pos[live], furniture[live]
    starts, lengths = _distinct_runs(g)
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
        if not oversized(size, settings):
            ia, ib = np.triu_indices(int(size), 1)
            add(run_starts[:, None] + ia, run_starts[:, None] + ib)
        else:
            capped += len(run_starts)
            for s in run_starts:
                members = np.arange(s, s + size)
                members = members[np.argsort(rank[d[members]], kind="stable")]
                for hub in members[:HUBS]:
                    add(np.full(size, hub), members)
    if not parts_a:
        empty = np.zeros((0, 2), dtype=np.int64)
        return Candidates(empty, np.zeros(0, np.int64), empty, common, boiler, capped, np.zeros(0, np.int64))
    ia, ib = np.concatenate(parts_a), np.concatenate(parts_b)  # indices into d / pos
    linked = ~(furniture[ia] & furniture[ib])
    ia, ib = ia[linked], ib[linked]
    ra, rb = rank[d[ia]], rank[d[ib]]
    swap = ra > rb
    ia, ib = np.where(swap, ib, ia), np.where(swap, ia, ib)
    distinct = d[ia] != d[ib]
    ia, ib = ia[distinct], ib[distinct]
    keys = rank[d[ia]] * np.int64(n_docs) + rank[d[ib]]
    uniq, first_at, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
    pairs = np.stack((d[ia[first_at]], d[ib[first_at]]), axis=1)
    seeds = np.stack((pos[ia[first_at]], pos[ib[first_at]]), axis=1)
    plain = np.bincount(inverse.ravel(), weights=~is_common(docs_per_hash, settings)[g[ia]], minlength=len(uniq))
    return Candidates(pairs, counts.astype(np.int64), seeds, common, boiler, capped, plain.astype(np.int64))


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
    def summed(name: str) -> np.ndarray:
        values = np.concatenate([getattr(p, name) for p in parts])
        return np.bincount(inverse.ravel(), weights=values, minlength=len(uniq)).astype(np.int64)

    seeds = np.concatenate([p.seeds for p in parts]).reshape(-1, 2)[first_at]
    return Candidates(pairs[first_at], summed("shared"), seeds,
                      np.concatenate([p.common for p in parts]),
                      np.concatenate([p.boilerplate for p in parts]),
                      sum(p.capped_buckets for p in parts), summed("plain"))
