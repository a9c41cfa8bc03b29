"""Decisions for a batch of incoming articles: new, partial or duplicate.

The core's pure functions do the work: :func:`~dedup.text.tokenize_batch`
for words, :func:`~dedup.passages.fingerprints` for passage fingerprints
(a fingerprint shared with an indexed article makes it a candidate, kept if
identical words surround it or if it shares several: :mod:`.batch`) and
:func:`~dedup.compare.compare` for the aligned, labelled spans. Only spans
labelled ``prose`` count: two articles quoting one speaker, or sharing an
outlet's footer, are not copies.

The stock-phrase and boilerplate marks a scan takes from corpus-wide counts
come from the index here: how many indexed articles hold a fingerprint
(stock phrases) and how many of them are of the article's own outlet
(boilerplate). Articles earlier in the same batch that are being added count
as indexed, so a batch that holds two copies of one story keeps one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..candidates import HUBS, REPEAT_SHARE
from ..compare import compare
from ..errors import SettingsError
from ..kinds import Marks, cover
from ..model import Article, Decision, Match, Status
from ..ranges import union_length
from ..passages import fingerprints
from ..settings import Settings
from ..text import Tokens, tokenize_batch
from .batch import MIN_SHARED, Batch, in_runs
from .postings import ranges
from .store import Hits, Store, outlet_code


@dataclass(frozen=True)
class Rules:
    """When an incoming article is a duplicate or a partial copy."""

    duplicate: float = 0.9
    """Least share of the incoming text that one indexed article must cover
    with copied prose for the incoming article to be its duplicate."""
    partial: float = 0.0
    """Least share of the incoming text in copied prose (from any indexed
    articles) for ``partial``; 0 means any copied passage."""
    max_candidates: int = 32
    """Indexed articles aligned with one incoming article at most, those
    sharing the most fingerprints first."""

    def __post_init__(self) -> None:
        for name in ("duplicate", "partial"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise SettingsError(f"{name} must be a share in [0.0, 1.0], got {value!r}")
        if self.duplicate <= 0.0:
            raise SettingsError("duplicate must be above 0.0")
        if not isinstance(self.max_candidates, int) or self.max_candidates < 1:
            raise SettingsError(f"max_candidates must be a positive integer, got {self.max_candidates!r}")


class Table:
    """Hits of a query grouped by query hash (CSR); groups larger than ``ordered_above``
    are ordered by article number, earliest first (the hubs of an oversized bucket)."""

    def __init__(self, hits: Hits, size: int, ordered_above: int | None = None):
        order = np.argsort(hits.query, kind="stable")  # hits come in runs sorted by query: cheap
        self.seq, self.position, self.outlet = hits.seq[order], hits.position[order], hits.outlet[order]
        self.starts = np.searchsorted(hits.query[order], np.arange(size + 1))
        if ordered_above is not None:
            counts = np.diff(self.starts)
            big = np.flatnonzero(counts > ordered_above)
            idx, owner = ranges(self.starts[big], counts[big])
            by_seq = idx[np.lexsort((self.seq[idx], owner))]
            for column in (self.seq, self.position, self.outlet):
                column[idx] = column[by_seq]

    def counts(self, q: np.ndarray) -> np.ndarray:
        return self.starts[q + 1] - self.starts[q]

    def rows(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hit rows of each query in ``q`` and the position in ``q`` each belongs to."""
        return ranges(self.starts[q], self.counts(q))

    def same_outlet(self, q: np.ndarray, code: int) -> np.ndarray:
        """Per query in ``q``, hits by articles of outlet ``code`` (0 when it has none)."""
        if code == 0:
            return np.zeros(len(q), dtype=np.int64)
        idx, owner = self.rows(q)
        return np.bincount(owner[self.outlet[idx] == code], minlength=len(q))


def _boilerplate(same: np.ndarray, code: int, settings: Settings) -> np.ndarray:
    """Fingerprints in ``boilerplate_docs`` or more articles of the article's own outlet,
    unless most of its fingerprints are (a repeated story, not a page template)."""
    if not code:
        return np.zeros(len(same), dtype=bool)
    boiler = same >= settings.boilerplate_docs
    if boiler.sum() >= REPEAT_SHARE * max(len(boiler), 1):
        boiler[:] = False
    return boiler


def _marks(positions: np.ndarray, df: np.ndarray, boiler: np.ndarray, length: int, settings: Settings) -> Marks:
    """Word masks of one article from the counts of its fingerprints."""
    return Marks(cover(positions[boiler], settings.shingle, length),
                 cover(positions[df >= settings.stock_docs], settings.shingle, length))


@dataclass
class _Other:
    """An article to align against: indexed, or earlier in the batch."""

    article: Article
    tokens: Tokens
    hashes: np.ndarray
    positions: np.ndarray
    code: int
    pending: bool  # not in the store yet (earlier in this batch)


def _top(keys: np.ndarray, shared: np.ndarray, limit: int) -> list[int]:
    order = np.lexsort((keys, -shared))[:limit]
    return keys[order].tolist()


@dataclass
class Decider:
    """Decisions for one batch against one store."""

    batch: Batch
    store: Store
    settings: Settings
    rules: Rules
    after: int = 0
    """Only indexed articles numbered above this count (0: all)."""
    others: dict[int, _Other] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        b = self.batch
        n = len(b.articles)
        self.codes = np.array([outlet_code(a.outlet) for a in b.articles], dtype=np.int64)
        self.table = Table(self.store.lookup(b.uniq, self.after), len(b.uniq), self.settings.max_bucket)
        key, first = np.unique(b.inverse * np.int64(n) + b.fp.docs, return_index=True)  # distinct (hash, article)
        docs = key % n
        self.local = Table(Hits(key // n, docs, b.fp.positions[first].astype(np.int64), self.codes[docs]), len(b.uniq))
        self.in_batch = self.local.counts(b.inverse) > 1  # per fingerprint row: another article of the batch has it
        self.candidates = self._indexed_candidates()
        self._loaded = False

    def _boilerplate_rows(self) -> np.ndarray:
        """Per fingerprint row of the batch: boilerplate of its article's outlet (by the index's counts)."""
        b, s = self.batch, self.settings
        doc = b.fp.docs
        counts = self.table.counts(b.inverse)
        code = self.codes[doc]
        maybe = np.flatnonzero((code != 0) & (counts >= s.boilerplate_docs - 1))
        same = np.ones(len(doc), dtype=np.int64)
        idx, owner = self.table.rows(b.inverse[maybe])
        hit = self.table.outlet[idx] == code[maybe][owner]
        same[maybe] += np.bincount(owner[hit], minlength=len(maybe))
        boiler = (code != 0) & (same >= s.boilerplate_docs)
        share = np.bincount(doc[boiler], minlength=len(b.articles)) / np.maximum(np.diff(b.bounds), 1)
        return boiler & (share < REPEAT_SHARE)[doc]

    def _indexed_candidates(self) -> dict[int, list[int]]:
        """Per article of the batch, the indexed articles worth aligning, best first."""
        b, s = self.batch, self.settings
        counts = self.table.counts(b.inverse)
        take = np.where(counts > s.max_bucket, np.minimum(counts, HUBS), counts)  # oversized: earliest few
        idx, row = ranges(self.table.starts[b.inverse], take)
        keep = ~self._boilerplate_rows()[row]
        idx, row = idx[keep], row[keep]
        if len(idx) == 0:
            return {}
        seq, doc = self.table.seq[idx], b.fp.docs[row]
        distinct, which = np.unique(seq, return_inverse=True)
        flat, starts, lengths = self.store.words(distinct)
        lo, size = starts[which], lengths[which]
        wb = b.word_bounds
        proven = (size > 0) & in_runs(b.words, wb[doc] + b.fp.positions[row], wb[doc], wb[doc + 1],
                                      flat, lo + self.table.position[idx], lo, lo + size, s)
        base = int(seq.max()) + 1
        uniq, inverse = np.unique(doc * base + seq, return_inverse=True)
        shared = np.bincount(inverse)
        ok = (np.bincount(inverse, weights=proven) > 0) | (shared >= MIN_SHARED)
        docs, seqs, shared = uniq[ok] // base, uniq[ok] % base, shared[ok]
        return {int(d): _top(seqs[docs == d], shared[docs == d], self.rules.max_candidates) for d in np.unique(docs)}

    def _load(self, seqs: list[int]) -> None:
        """Fetch and tokenize indexed articles to align against."""
        seqs = [q for q in seqs if q not in self.others]
        found = self.store.fetch(seqs) if seqs else {}
        seqs = [q for q in seqs if q in found]
        if not seqs:
            return
        arts = [found[q] for q in seqs]
        words = tokenize_batch([a.text for a in arts])
        fp = fingerprints(words, self.settings)
        bounds = np.searchsorted(fp.docs, np.arange(len(arts) + 1))
        for k, (q, a) in enumerate(zip(seqs, arts)):
            rows = slice(int(bounds[k]), int(bounds[k + 1]))
            self.others[q] = _Other(a, words.doc(k), fp.hashes[rows], fp.positions[rows], outlet_code(a.outlet),
                                    pending=False)

    def _other(self, key: int) -> _Other | None:
        if key > 0:
            if not self._loaded:  # every indexed candidate of the batch in one go
                self._load(sorted({k for keys in self.candidates.values() for k in keys}))
                self._loaded = True
            return self.others.get(key)
        k = -key - 1
        b, rows = self.batch, self.batch.rows(k)
        return _Other(b.articles[k], b.tokens[k], b.fp.hashes[rows], b.fp.positions[rows], int(self.codes[k]),
                      pending=True)

    def _other_marks(self, other: _Other, code: int, df: np.ndarray, u: np.ndarray) -> Marks:
        """Marks of an article aligned with incoming article ``i`` (fingerprints ``u``, counts ``df``).

        Only the fingerprints the two share are counted (the aligned passages are made of
        them): as often as for ``i``, and by ``other``'s outlet for its boilerplate.
        """
        s, uniq = self.settings, self.batch.uniq
        by_hash = np.zeros(len(uniq), dtype=np.int64)
        by_hash[u] = df
        at = np.minimum(np.searchsorted(uniq, other.hashes), len(uniq) - 1)
        counted = np.where(uniq[at] == other.hashes, by_hash[at], 0)
        shared = np.flatnonzero(counted)
        df_o = np.maximum(counted, 1)
        same_o = np.ones(len(other.hashes), dtype=np.int64)
        same_o[shared] = self.table.same_outlet(at[shared], other.code) + (code == other.code) + other.pending
        return _marks(other.positions, df_o, _boilerplate(same_o, other.code, s), len(other.tokens), s)

    def decide(self, i: int, added: np.ndarray) -> Decision:
        """The decision for article ``i``; ``added[k]`` says whether earlier article k joins the index."""
        s, b = self.settings, self.batch
        article, tokens, rows = b.articles[i], b.tokens[i], b.rows(i)
        indexed = self.candidates.get(i, [])
        if not indexed and not self.in_batch[rows].any():
            return Decision(article.id, "new")
        u = b.inverse[rows]
        lidx, lowner = self.local.rows(u)
        ldoc = self.local.seq[lidx]
        ok = (ldoc < i) & added[ldoc]
        lidx, lowner, ldoc = lidx[ok], lowner[ok], ldoc[ok]
        if not indexed and len(ldoc) == 0:
            return Decision(article.id, "new")
        code = int(self.codes[i])
        df = self.table.counts(u) + np.bincount(lowner, minlength=len(u)) + 1
        same = self.table.same_outlet(u, code) + 1
        if code:
            same += np.bincount(lowner[self.local.outlet[lidx] == code], minlength=len(u))
        boiler = _boilerplate(same, code, s)
        pending: list[int] = []
        if len(ldoc):
            wb = b.word_bounds
            at = b.fp.positions[rows][lowner]
            proven = in_runs(b.words, wb[i] + at, wb[i], wb[i + 1], b.words, wb[ldoc] + self.local.position[lidx],
                             wb[ldoc], wb[ldoc + 1], s) & ~boiler[lowner]
            shared = np.bincount(ldoc, minlength=i)
            good = (np.bincount(ldoc, weights=proven, minlength=i) > 0) | (shared >= MIN_SHARED)
            near = np.flatnonzero(good)
            pending = [-(int(k) + 1) for k in _top(near, shared[near], self.rules.max_candidates)]
        marks = _marks(b.fp.positions[rows], df, boiler, len(tokens), s)
        matches: list[Match] = []
        for key in (indexed + pending)[: self.rules.max_candidates]:
            other = self._other(key)
            if other is None:
                continue
            marks_o = self._other_marks(other, code, df, u)
            match = compare(article, other.article, s, tokens, other.tokens, marks, marks_o)
            if match is not None and match.prose:
                matches.append(match)
        return decision(article, matches, self.rules)


def decision(article: Article, matches: list[Match], rules: Rules) -> Decision:
    """Status and reused share of an article from the prose it shares with indexed ones."""
    matches = sorted(matches, key=lambda m: (-m.a_coverage, m.b))
    reused = round(union_length((sp.a_start, sp.a_end) for m in matches for sp in m.prose)
                   / max(len(article.text), 1), 4)
    status: Status = "new"
    if matches and matches[0].a_coverage >= rules.duplicate:
        status = "duplicate"
    elif reused > 0 and reused >= rules.partial:
        status = "partial"
    return Decision(article.id, status, reused, tuple(matches))
