"""Other ways of finding copies, run on the same corpus and scored by the same code.

* **MinHash LSH** (datasketch): one MinHash per article over word 5-shingles
  (``MinHash.update_batch``), ``MinHashLSH`` at a Jaccard threshold; every
  pair the index returns is a copy. It cannot say where the copy is, so each
  pair gets one span covering both whole texts (span measures are computed
  on those whole-document spans).
* **shared word n-grams** (the approach of copy-finding tools such as passim
  and SuperFastMatch): index word 8-grams, ignore those found in more than
  ``max_df`` articles or in ``boilerplate`` articles of one outlet, and report
  two articles sharing at least ``k`` of them, with spans made by merging
  their shared n-grams along the diagonal.

Both produce a :class:`dedup.Report` through dedup's own direction, family
and outlet code, so only the finding of pairs and spans differs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from dedup.dates import publication_order
from dedup.direction import attribute
from dedup.families import group
from dedup.hashing import ngram_hashes
from dedup.model import Article, Match, Report, Span
from dedup.outlets import outlet_stats
from dedup.ranges import union_length
from dedup.settings import Settings

_TOKEN = re.compile(r"\w+")


def _report(articles: Sequence[Article], found: dict[tuple[int, int], list[Span]], settings: Settings) -> Report:
    """A report from spans per pair of article numbers (``a`` earlier than ``b``)."""
    pairs = []
    for (i, j), spans in sorted(found.items()):
        a, b = articles[i], articles[j]
        a_cov = round(union_length((s.a_start, s.a_end) for s in spans) / max(len(a.text), 1), 4)
        b_cov = round(union_length((s.b_start, s.b_end) for s in spans) / max(len(b.text), 1), 4)
        who = attribute(a, b, a_cov, b_cov, settings)
        pairs.append(Match(a.id, b.id, tuple(spans), a_cov, b_cov, who.source, who.reason, who.confidence))
    return Report(tuple(articles), tuple(pairs), tuple(group(pairs, articles)),
                  tuple(outlet_stats(articles, pairs)))


def minhash_lsh(articles: Sequence[Article], thresholds: Sequence[float] = (0.5, 0.3), *,
                num_perm: int = 128, shingle: int = 5, settings: Settings | None = None) -> dict[float, Report]:
    """Document-level MinHash LSH at each threshold (whole-document spans)."""
    from datasketch import MinHash, MinHashLSH

    settings = settings or Settings()
    ordered = publication_order(articles)
    hashes = []
    for art in ordered:
        w = art.text.lower().split()
        grams = [" ".join(w[k:k + shingle]).encode("utf-8") for k in range(max(len(w) - shingle + 1, 1))]
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch(grams)
        hashes.append(m)
    reports = {}
    for threshold in thresholds:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        for n, m in enumerate(hashes):
            lsh.insert(n, m)
        found: dict[tuple[int, int], list[Span]] = {}
        for n, m in enumerate(hashes):
            for other in lsh.query(m):
                if other > n:
                    score = round(float(m.jaccard(hashes[other])), 4)
                    found[(n, other)] = [Span(0, len(ordered[n].text), 0, len(ordered[other].text), score)]
        reports[threshold] = _report(ordered, found, settings)
    return reports


def ngram_matcher(articles: Sequence[Article], *, n: int = 8, k: int = 3, max_df: int = 100,
                  boilerplate: int = 3, settings: Settings | None = None) -> Report:
    """Pairs sharing ``k`` or more word ``n``-grams, with spans from merged n-grams."""
    settings = settings or Settings()
    ordered = publication_order(articles)
    vocab: dict[str, int] = {}
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    keys, docs, poss = [], [], []
    for d, art in enumerate(ordered):
        tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(art.text)]
        ids = np.array([vocab.setdefault(w, len(vocab) + 1) for _, _, w in tokens], dtype=np.int64)
        starts.append(np.array([s for s, _, _ in tokens], dtype=np.int64))
        ends.append(np.array([e for _, e, _ in tokens], dtype=np.int64))
        g = ngram_hashes(ids.astype(np.uint64), n)
        keys.append(g)
        docs.append(np.full(len(g), d, dtype=np.int64))
        poss.append(np.arange(len(g), dtype=np.int64))
    key, doc, pos = np.concatenate(keys), np.concatenate(docs), np.concatenate(poss)
    names = sorted({a.outlet or "" for a in ordered})
    outlet = np.array([names.index(a.outlet or "") for a in ordered], dtype=np.int64)[doc]

    order = np.lexsort((pos, doc, key))
    key, doc, pos, outlet = key[order], doc[order], pos[order], outlet[order]
    first_in_doc = np.ones(len(key), dtype=bool)
    first_in_doc[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
    ukeys, df = np.unique(key[first_in_doc], return_counts=True)
    by_outlet, per_outlet = np.unique(np.stack((key[first_in_doc].view(np.int64), outlet[first_in_doc]), axis=1),
                                      axis=0, return_counts=True)
    local = by_outlet[per_outlet >= boilerplate][:, 0].view(np.uint64)
    keep_keys = ukeys[(df >= 2) & (df <= max_df)]
    keep_keys = keep_keys[~np.isin(keep_keys, local)]
    keep = np.isin(key, keep_keys) & first_in_doc
    key, doc, pos = key[keep], doc[keep], pos[keep]

    change = np.flatnonzero(key[1:] != key[:-1]) + 1
    run_starts = np.concatenate(([0], change)) if len(key) else np.zeros(0, dtype=np.int64)
    run_sizes = np.diff(np.concatenate((run_starts, [len(key)])))
    da: list[np.ndarray] = []
    db: list[np.ndarray] = []
    pa: list[np.ndarray] = []
    pb: list[np.ndarray] = []
    kk: list[np.ndarray] = []
    for size in np.unique(run_sizes):
        rs = run_starts[run_sizes == size]
        ia, ib = np.triu_indices(int(size), 1)
        x, y = (rs[:, None] + ia).ravel(), (rs[:, None] + ib).ravel()
        for out, values in ((da, doc[x]), (db, doc[y]), (pa, pos[x]), (pb, pos[y]), (kk, key[x])):
            out.append(values)
    if not da:
        return _report(ordered, {}, settings)
    da_, db_, pa_, pb_, kk_ = (np.concatenate(v) for v in (da, db, pa, pb, kk))
    pair = da_ * len(ordered) + db_
    uniq_pair_key = np.unique(np.stack((pair, kk_.view(np.int64)), axis=1), axis=0)
    pids, shared = np.unique(uniq_pair_key[:, 0], return_counts=True)
    good = set(pids[shared >= k].tolist())

    hits: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p, x, y in zip(pair.tolist(), pa_.tolist(), pb_.tolist()):
        if p in good:
            hits[p].append((x, y))
    found: dict[tuple[int, int], list[Span]] = {}
    for p, matches in hits.items():
        i, j = divmod(p, len(ordered))
        spans: list[Span] = []
        for si, ei, sj, ej, count in _merge_hits(sorted(matches), n):
            spans.append(Span(int(starts[i][si]), int(ends[i][ei - 1]), int(starts[j][sj]), int(ends[j][ej - 1]),
                              round(count / max(ei - si - n + 1, 1), 4)))
        found[(i, j)] = spans
    return _report(ordered, found, settings)


def _merge_hits(matches: list[tuple[int, int]], n: int) -> list[tuple[int, int, int, int, int]]:
    """Word spans ``(a_start, a_stop, b_start, b_stop, n-grams)`` from n-gram matches
    sorted by position in ``a``: a match continues a span when it starts at most
    ``n`` words past the span's end on both sides and not before its start."""
    spans: list[list[int]] = []
    for x, y in matches:
        for s in reversed(spans[-4:]):
            if s[0] <= x <= s[1] + n and s[2] <= y <= s[3] + n:
                s[1], s[3], s[4] = max(s[1], x + n), max(s[3], y + n), s[4] + 1
                break
        else:
            spans.append([x, x + n, y, y + n, 1])
    return [tuple(s) for s in spans]  # type: ignore[misc]
