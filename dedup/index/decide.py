"""Decisions for a batch of incoming articles: new, partial or duplicate.

Every rule is a stage's own: words and fingerprints from
:func:`dedup.passages.read_texts`; the corpus-wide rules of
:mod:`dedup.candidates` (common fingerprints, an outlet's recurring ones,
repeated stories, the hubs of an oversized bucket) applied to the index's
counts; the seed test :func:`dedup.sift.worth_aligning` before any
alignment; :func:`dedup.pairs.align_sides` for the aligned, labelled
spans; :func:`dedup.recurring.kept` for matches that rest on a recurring
passage; and :func:`dedup.page.closing_lines` for a footer too short for a
fingerprint. Only copied spans count: two articles quoting one speaker, or
sharing an outlet's footer, are not copies.

The counts a scan takes over the whole corpus come from what the filter has
seen here: how many indexed articles hold a fingerprint (stock phrases), and
how many of the outlet's pages, indexed or anywhere in the batch (kept or
dropped, before or after), hold it (furniture). Articles earlier in the same
batch that are being added count as indexed, so a batch that holds two
copies of one story keeps one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import recurring
from ..align import Windows
from ..candidates import HUBS, furniture, is_common, oversized, repeated_story
from ..chance import SAMPLE, Chance, measure
from ..errors import SettingsError
from ..kinds import Marks
from ..model import Article, Decision, Match, Status
from ..page import PAGE_BLOCK_LINES, PAGE_LINE_WORDS, closing_lines
from ..pairs import Side, align_sides
from ..passages import read_texts
from ..ranges import Range, difference, intersection, union_length
from ..settings import Settings
from ..sift import worth_aligning
from ..text import Tokens
from .batch import Batch
from .postings import ranges
from .store import NO_SEED, Hits, Store, outlet_code


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
        self.seq, self.position = hits.seq[order], hits.position[order]
        self.outlet, self.repeat = hits.outlet[order], hits.repeat[order]
        self.starts = np.searchsorted(hits.query[order], np.arange(size + 1))
        if ordered_above is not None:
            counts = np.diff(self.starts)
            big = np.flatnonzero(counts > ordered_above)
            idx, owner = ranges(self.starts[big], counts[big])
            by_seq = idx[np.lexsort((self.seq[idx], owner))]
            for column in (self.seq, self.position, self.outlet, self.repeat):
                column[idx] = column[by_seq]

    def counts(self, q: np.ndarray) -> np.ndarray:
        return np.asarray(self.starts[q + 1] - self.starts[q])

    def rows(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hit rows of each query in ``q`` and the position in ``q`` each belongs to."""
        return ranges(self.starts[q], self.counts(q))

    def same_outlet(self, q: np.ndarray, code: int, fresh: bool = False) -> np.ndarray:
        """Per query in ``q``, hits by articles of outlet ``code`` (0 when it has none);
        with ``fresh``, only by those that repeat no story."""
        if code == 0:
            return np.zeros(len(q), dtype=np.int64)
        idx, owner = self.rows(q)
        hit = self.outlet[idx] == code
        if fresh:
            hit &= ~self.repeat[idx]
        return np.bincount(owner[hit], minlength=len(q))


def _marks(positions: np.ndarray, df: np.ndarray, boiler: np.ndarray, length: int, settings: Settings) -> Marks:
    """Word masks of one article from the counts of its fingerprints."""
    return Marks.of(positions[boiler], positions[is_common(df, settings)], length, settings)


def _seeds(positions: np.ndarray) -> np.ndarray:
    """Stored positions as seeds of the seed test (-1 for a fingerprint repeated in its article)."""
    return np.where(positions == NO_SEED, -1, positions).astype(np.int64)


@dataclass
class _Other:
    """An article to align against: indexed, or earlier in the batch."""

    article: Article
    tokens: Tokens
    hashes: np.ndarray
    positions: np.ndarray
    code: int
    repeat: bool
    pending: bool  # not in the store yet (earlier in this batch)


def _shortlist(doc: np.ndarray, other: np.ndarray, seed_a: np.ndarray, seed_b: np.ndarray, common: np.ndarray,
               words_a: tuple[np.ndarray, np.ndarray], words_b: tuple[np.ndarray, np.ndarray, np.ndarray],
               settings: Settings, limit: int, chance: Chance | None = None) -> dict[int, list[tuple[int, int]]]:
    """Per incoming article, the others worth aligning, with how many fingerprints each
    shares (most first).

    Each row is one distinct fingerprint shared by incoming article ``doc``
    and article ``other`` (numbered as ``words_b``'s starts and stops), with
    where it sits in both and whether it is common. The pairs pass the
    engines' one pre-alignment rule, :func:`~dedup.sift.worth_aligning`.
    """
    if len(doc) == 0:
        return {}
    base = np.int64(int(other.max()) + 1)
    uniq, first, inverse = np.unique(doc * base + other, return_index=True, return_inverse=True)
    shared = np.bincount(inverse.ravel())
    plain = np.bincount(inverse.ravel(), weights=~common, minlength=len(uniq)).astype(np.int64)
    docs, others = uniq // base, uniq % base
    flat_a, bounds_a = words_a
    flat_b, starts_b, stops_b = words_b
    ok = worth_aligning(shared, plain, Windows.of(flat_a, bounds_a, docs, seed_a[first]),
                        Windows(flat_b, starts_b, stops_b, others, seed_b[first]), settings, chance)
    docs, others, shared = docs[ok], others[ok], shared[ok]
    found: dict[int, list[tuple[int, int]]] = {}
    for d in np.unique(docs).tolist():
        mine = docs == d
        order = np.lexsort((others[mine], -shared[mine]))[:limit]
        found[d] = list(zip(others[mine][order].tolist(), shared[mine][order].tolist()))
    return found


CLOSING_PAGES = 64
"""Most indexed pages of an outlet whose endings :meth:`Decider._closing` reads (the latest)."""
ENDING_WORDS = PAGE_BLOCK_LINES * PAGE_LINE_WORDS
"""Most words of a page's closing lines: as many as :func:`dedup.page.closing_lines` allows."""

REMEASURE = 1.25
"""Growth of what the filter searches after which it measures chance again."""


def searched_chance(store: Store, batch: Batch, settings: Settings, known: Chance | None) -> Chance | None:
    """The chance rates (:mod:`dedup.chance`) of the index and the batch together: measured
    on drawn indexed articles and the batch's own (so a young index learns the stream's
    stock phrasing from the stream), again whenever what is searched has grown by
    ``REMEASURE``; in between, ``known`` rates over the larger search."""
    articles = store.count() + len(batch.articles)
    if known is not None and known.words and known.pairs:
        per_article = known.words / max(known.articles, 1)
        if articles < REMEASURE * known.articles:
            return known.searching(round(per_article * articles), articles)
    last = store.last_seq()
    seqs = np.unique(np.random.default_rng(settings.seed).integers(1, last + 1, size=SAMPLE if last else 0))
    flat, starts, lengths = store.words(seqs.astype(np.int64))
    stored = store.fetch(seqs.tolist())
    drawn, outlets = [], []
    for q, s, n in zip(seqs.tolist(), starts.tolist(), lengths.tolist()):
        if n and q in stored:
            drawn.append(flat[s : s + n].astype(np.uint64))
            outlets.append(stored[q].outlet)
    bounds = batch.word_bounds
    for i, a in enumerate(batch.articles[:SAMPLE]):
        drawn.append(batch.words[bounds[i] : bounds[i + 1]].astype(np.uint64))
        outlets.append(a.outlet)
    return measure(drawn, articles, settings, outlets, keyed=True)


@dataclass
class Decider:
    """Decisions for one batch against one store.

    Articles are decided in order; each one's counts include the earlier
    articles of the batch that join the index (``added``), and whether it
    repeats a story is kept in ``repeats`` for the articles after it.
    """

    batch: Batch
    store: Store
    settings: Settings
    rules: Rules
    after: int = 0
    """Only indexed articles numbered above this count (0: all)."""
    chance: Chance | None = None
    """The chance rates of what is searched (:func:`searched_chance`)."""
    replacing: frozenset[str] = frozenset()
    """Ids whose article an incoming one of the same id replaces: never aligned with it."""
    others: dict[int, _Other] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        b = self.batch
        n = len(b.articles)
        self.codes = np.array([outlet_code(a.outlet) for a in b.articles], dtype=np.int64)
        self.table = Table(self.store.lookup(b.uniq, self.after), len(b.uniq), self.settings.max_bucket)
        # distinct (hash, article) of the batch; a hash repeated in its article has no single seed
        key, first, repeats = np.unique(b.inverse * np.int64(n) + b.fp.docs, return_index=True, return_counts=True)
        docs = key % n
        self.distinct = first
        self.seed = np.where(repeats > 1, -1, b.fp.positions[first].astype(np.int64))
        self.local = Table(Hits(key // n, docs, self.seed, self.codes[docs], np.zeros(len(docs), dtype=bool)),
                           len(b.uniq))
        self.in_batch = self.local.counts(b.inverse) > 1  # per fingerprint row: another article of the batch has it
        self.repeats = np.zeros(n, dtype=bool)
        self.stream_repeats = np.zeros(n, dtype=bool)
        self.furniture_rows = self._stream_furniture()
        self._candidates: dict[int, list[tuple[int, int]]] | None = None
        self._loaded = False
        self._extra: tuple[np.ndarray, Table] | None = None
        self._ends: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._numbers = {a.id: k for k, a in enumerate(b.articles)}  # the batch's articles by id

    @property
    def candidates(self) -> dict[int, list[tuple[int, int]]]:
        """Per article of the batch, the indexed articles worth aligning, best first."""
        if self._candidates is None:
            self._candidates = self._indexed_candidates()
        return self._candidates

    def _stream_furniture(self) -> np.ndarray:
        """Per fingerprint row of the batch: furniture of its article's outlet, by the index's
        counts and the stream's (:func:`dedup.candidates.furniture`).

        A scan counts an outlet's furniture over every article of the corpus; the filter
        counts it over every article it has seen: the index, and the whole batch, whether
        an article of it comes before or after, joins the index or is dropped. So an
        outlet's header and footer leave the body of its first articles too, while the
        index is young and when most of its articles are reprints that never join it.
        An article of the batch repeats a story (``stream_repeats``) when most of its
        fingerprints its outlet had published before it, in the index or the batch.
        """
        b, s = self.batch, self.settings
        doc, q = b.fp.docs, b.inverse
        code = self.codes[doc]
        rows = np.flatnonzero(code != 0)
        idx, owner = self.table.rows(q[rows])
        mine = self.table.outlet[idx] == code[rows][owner]
        indexed = np.bincount(owner[mine], minlength=len(rows))
        fresh = np.bincount(owner[mine & ~self.table.repeat[idx]], minlength=len(rows))
        lidx, lowner = self.local.rows(q[rows])
        ldoc = self.local.seq[lidx]
        same = (self.local.outlet[lidx] == code[rows][lowner]) & (ldoc != doc[rows][lowner])
        earlier = np.bincount(lowner[same & (ldoc < doc[rows][lowner])], minlength=len(rows))
        seen = np.bincount(doc[rows][(indexed + earlier) > 0], minlength=len(b.articles))
        self.stream_repeats = np.asarray(repeated_story(np.diff(b.bounds), seen)) & (self.codes != 0)
        fresh += np.bincount(lowner[same & ~self.stream_repeats[ldoc]], minlength=len(rows))
        out = np.zeros(len(doc), dtype=bool)
        out[rows] = furniture(fresh + ~self.stream_repeats[doc[rows]], s)
        return out

    def _stream_fresh(self, q: np.ndarray, code: int) -> np.ndarray:
        """Per query in ``q``, the batch's articles of outlet ``code`` that hold it and repeat no story."""
        idx, owner = self.local.rows(q)
        hit = (self.local.outlet[idx] == code) & ~self.stream_repeats[self.local.seq[idx]]
        return np.bincount(owner[hit], minlength=len(q))

    def _indexed_candidates(self) -> dict[int, list[tuple[int, int]]]:
        b, s = self.batch, self.settings
        rows, seeds = self.distinct, self.seed
        q = b.inverse[rows]
        counts = self.table.counts(q)
        take = np.where(oversized(counts, s), np.minimum(counts, HUBS), counts)  # oversized: the earliest few
        idx, owner = ranges(self.table.starts[q], take)
        # the outlet's furniture links the article to no article of its own outlet
        furn = self.furniture_rows[rows]
        keep = ~(furn[owner] & (self.table.outlet[idx] == self.codes[b.fp.docs[rows]][owner]))
        idx, owner = idx[keep], owner[keep]
        if len(idx) == 0:
            return {}
        distinct, which = np.unique(self.table.seq[idx], return_inverse=True)
        flat, starts, lengths = self.store.words(distinct)
        common = np.asarray(is_common(counts + 1, s))[owner]
        found = _shortlist(b.fp.docs[rows[owner]], which.ravel(), seeds[owner], _seeds(self.table.position[idx]),
                           common, (b.words, b.word_bounds), (flat, starts, starts + lengths), s,
                           self.rules.max_candidates, self.chance)
        return {d: [(int(distinct[k]), n) for k, n in keys] for d, keys in found.items()}

    def _load(self, seqs: list[int]) -> None:
        """Fetch and tokenize indexed articles to align against."""
        seqs = [q for q in seqs if q not in self.others]
        found = self.store.fetch(seqs) if seqs else {}
        seqs = [q for q in seqs if q in found]
        if not seqs:
            return
        repeat = dict(zip(self.table.seq.tolist(), self.table.repeat.tolist()))
        arts = [found[q] for q in seqs]
        words, fp = read_texts([a.text for a in arts], self.settings)
        bounds = fp.bounds(len(arts))
        for k, (q, a) in enumerate(zip(seqs, arts)):
            rows = slice(int(bounds[k]), int(bounds[k + 1]))
            self.others[q] = _Other(a, words.doc(k), fp.hashes[rows], fp.positions[rows], outlet_code(a.outlet),
                                    bool(repeat.get(q, False)), pending=False)
        extra = np.setdiff1d(fp.hashes, self.batch.uniq)  # their furniture is counted on all their fingerprints
        self._extra = extra, Table(self.store.lookup(extra, self.after), len(extra))

    def _other(self, key: int) -> _Other | None:
        if key > 0:
            if not self._loaded:  # every indexed candidate of the batch in one go
                self._load(sorted({k for keys in self.candidates.values() for k, _ in keys}))
                self._loaded = True
            return self.others.get(key)
        k = -key - 1
        b, rows = self.batch, self.batch.rows(k)
        return _Other(b.articles[k], b.tokens[k], b.fp.hashes[rows], b.fp.positions[rows], int(self.codes[k]),
                      bool(self.repeats[k]), pending=True)

    def _other_marks(self, other: _Other, by_hash: np.ndarray) -> Marks:
        """Marks of an article aligned with an incoming one (``by_hash``: how often the index
        and the batch so far hold each of the batch's distinct fingerprints that the
        incoming one holds, 0 for the rest; made once for all the articles it is aligned with).

        Common passages are those it shares with the incoming article (the aligned
        passages are made of them), counted as often as for it; its outlet's furniture
        is counted on all its fingerprints, by the index and the stream, as for the
        batch's own articles (:meth:`_stream_furniture`): a footer of its own, which
        the incoming page does not share, still leaves a quotation that runs into it
        a quotation.
        """
        s, uniq = self.settings, self.batch.uniq
        at = np.minimum(np.searchsorted(uniq, other.hashes), len(uniq) - 1)
        in_batch = uniq[at] == other.hashes
        counted = np.where(in_batch, by_hash[at], 0)
        boiler = np.zeros(len(other.hashes), dtype=bool)
        if other.code:
            q = at[in_batch]
            fresh = np.zeros(len(other.hashes), dtype=np.int64)
            fresh[in_batch] = self.table.same_outlet(q, other.code, fresh=True) + self._stream_fresh(q, other.code)
            if self._extra is not None and not other.pending:
                extra, table = self._extra
                e = np.minimum(np.searchsorted(extra, other.hashes[~in_batch]), max(len(extra) - 1, 0))
                fresh[~in_batch] = table.same_outlet(e, other.code, fresh=True) if len(extra) else 0
            boiler = np.asarray(furniture(fresh, s))
        return _marks(other.positions, np.maximum(counted, 1), boiler, len(other.tokens), s)

    def counts(self, i: int, added: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Article ``i``'s fingerprint rows counted against the index and the earlier articles
        of the batch that join it: ``(df, boilerplate, local hit rows, their owners, their articles)``.
        Records whether ``i`` repeats a story."""
        b = self.batch
        rows = b.rows(i)
        u = b.inverse[rows]
        lidx, lowner = self.local.rows(u)
        ldoc = self.local.seq[lidx]
        ok = (ldoc < i) & added[ldoc]
        lidx, lowner, ldoc = lidx[ok], lowner[ok], ldoc[ok]
        code = int(self.codes[i])
        df = self.table.counts(u) + np.bincount(lowner, minlength=len(u)) + 1
        same = self.table.same_outlet(u, code) + 1
        if code:
            same += np.bincount(lowner[self.local.outlet[lidx] == code], minlength=len(u))
            self.repeats[i] = bool(repeated_story(len(same), np.count_nonzero(same > 1)))
        return df, self.furniture_rows[rows], lidx, lowner, ldoc

    def decide(self, i: int, added: np.ndarray) -> Decision:
        """The decision for article ``i``; ``added[k]`` says whether earlier article k joins the index."""
        s, b = self.settings, self.batch
        article, tokens, rows = b.articles[i], b.tokens[i], b.rows(i)
        indexed = self.candidates.get(i, [])
        df, boiler, lidx, lowner, ldoc = self.counts(i, added)
        if not indexed and len(ldoc) == 0:
            return Decision(article.id, "new")
        pending: list[tuple[int, int]] = []
        if len(ldoc):
            # each distinct fingerprint of this article, against the earlier articles of the batch holding it
            kept = np.flatnonzero(b.fp.docs[self.distinct] == i)
            pidx, powner = self.local.rows(b.inverse[self.distinct[kept]])
            pdoc = self.local.seq[pidx]
            here = self.distinct[kept] - rows.start  # the rows of this article
            furn = boiler[here][powner]
            ok = (pdoc < i) & added[pdoc] & ~(furn & (self.codes[pdoc] == self.codes[i]))
            pidx, powner, pdoc = pidx[ok], powner[ok], pdoc[ok]
            found = _shortlist(np.full(len(pdoc), i, dtype=np.int64), pdoc, self.seed[kept][powner],
                               self.local.position[pidx], np.asarray(is_common(df[here], s))[powner],
                               (b.words, b.word_bounds),
                               (b.words, b.word_bounds[:-1], b.word_bounds[1:]), s, self.rules.max_candidates)
            pending = [(-(k + 1), n) for k, n in found.get(i, [])]
        u = b.inverse[rows]
        marks = _marks(b.fp.positions[rows], df, boiler, len(tokens), s)
        side = Side.of(article, tokens, marks)
        matches: list[Match] = []
        furniture: list[Range] = []
        # the indexed and the batch's earlier articles compete for the shortlist on what they share
        shortlist = sorted(indexed + pending, key=lambda kn: -kn[1])[: self.rules.max_candidates]
        held: dict[str, np.ndarray] = {}  # the fingerprints of each article aligned with
        by_hash = np.zeros(len(b.uniq), dtype=np.int64)
        by_hash[u] = df
        for key, _ in shortlist:
            other = self._other(key)
            if other is None or (other.article.id == article.id and article.id in self.replacing):
                continue
            held[other.article.id] = other.hashes
            marks_o = self._other_marks(other, by_hash)
            other_side = Side.of(other.article, other.tokens, marks_o)
            match = align_sides(side, other_side, s, self.chance)
            if match is None:
                continue
            furniture += [(sp.a_start, sp.a_end) for sp in match.spans if sp.kind == "boilerplate"]
            if match.copied:
                matches.append(match)
        searches = self.chance.searches if self.chance is not None else None
        matches = recurring.kept(matches, searches, s, around=self._around(i, held))
        return decision(article, matches, side.own(furniture + self._closing(i)), self.rules)

    def _closing(self, i: int) -> list[Range]:
        """The words that close article ``i``'s page when its outlet's other pages close with
        them too: a footer too short for a fingerprint of its own (winnowing samples one
        shingle in ``window``, and a seven-word copyright line may hold none). The lines
        of the closing paragraph (:func:`dedup.page.closing_lines`) are tried from the
        first, and the longest run of them that ends enough of the outlet's pages that
        repeat no story (:func:`dedup.candidates.furniture`: in the index and the batch)
        is furniture."""
        b, s, code = self.batch, self.settings, int(self.codes[i])
        if not code:
            return []
        article, tokens = b.articles[i], b.tokens[i]
        lines = closing_lines(article.text)
        if not lines:
            return []
        ends, lengths, owners = self._endings(code)
        others = owners != i
        words = b.words[b.word_bounds[i] : b.word_bounds[i + 1]]
        for start in lines:
            first = int(np.searchsorted(tokens.starts, start))
            k = len(words) - first
            if k < s.min_block or k > ENDING_WORDS:
                continue
            same = others & (lengths >= k) & np.all(ends[:, ENDING_WORDS - k :] == words[first:], axis=1)
            if furniture(1 + int(np.count_nonzero(same)), s):
                return [(start, len(article.text))]
        return []

    def _endings(self, code: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The last ``ENDING_WORDS`` word keys of the pages of outlet ``code`` that repeat no
        story (right-aligned rows), how many words each page has, and its article in the
        batch (-1: indexed): the batch's pages, and the latest ``CLOSING_PAGES`` indexed
        ones that share a fingerprint with the batch. Read once per outlet and batch."""
        if code in self._ends:
            return self._ends[code]
        b = self.batch
        mine = np.flatnonzero((self.codes == code) & ~self.stream_repeats)
        pages = [b.words[b.word_bounds[k] : b.word_bounds[k + 1]] for k in mine.tolist()]
        owners = mine.tolist()
        hit = (self.table.outlet == code) & ~self.table.repeat
        seqs = np.unique(self.table.seq[hit])[-CLOSING_PAGES:]
        if len(seqs):
            flat, starts, lengths = self.store.words(seqs.astype(np.int64))
            for a, n in zip(starts.tolist(), lengths.tolist()):
                if n:
                    pages.append(flat[a : a + n])
                    owners.append(-1)
        ends = np.zeros((len(pages), ENDING_WORDS), dtype=np.uint16)
        for row, words in enumerate(pages):
            tail = words[-ENDING_WORDS:]
            ends[row, ENDING_WORDS - len(tail) :] = tail
        found = ends, np.array([len(w) for w in pages], dtype=np.int64), np.array(owners, dtype=np.int64)
        self._ends[code] = found
        return found

    def _around(self, i: int, held: dict[str, np.ndarray]) -> recurring.Around:
        """Article ``i``'s view of its matches for :func:`dedup.recurring.recurring_in`: the
        batch's other articles that hold a fingerprint of a match's passage are holders
        of it too (the stream shows them, whether they come before or after it)."""
        b = self.batch
        rows = b.rows(i)

        def hashes(article_id: str) -> np.ndarray:
            if article_id in held:
                return held[article_id]
            return b.fp.hashes[b.rows(self._numbers[article_id])]

        def related(x: str, y: str) -> bool:
            return _related(hashes(x), hashes(y))

        tokens, at = b.tokens[i], b.fp.positions[rows].astype(np.int64)
        starts = tokens.starts[at]
        ends = tokens.ends[np.minimum(at + self.settings.shingle - 1, len(tokens.ends) - 1)]

        def holders(pair: Match) -> list[str]:
            """The batch's articles holding a whole shingle of the pair's passage."""
            inside = np.zeros(len(starts), dtype=bool)
            for sp in pair.copied:
                inside |= (starts >= sp.a_start) & (ends <= sp.a_end)
            lidx, _ = self.local.rows(b.inverse[rows][inside])
            return [b.articles[k].id for k in np.unique(self.local.seq[lidx]).tolist() if k != i]

        return recurring.Around(b.articles[i].id, related, holders)


def _related(x: np.ndarray, y: np.ndarray) -> bool:
    """Two articles share more than a passage: a ``recurring.SMALL`` share of the distinct
    fingerprints of the smaller (copies of one story, not two holders of a stock sentence)."""
    ux, uy = np.unique(x), np.unique(y)
    return len(np.intersect1d(ux, uy, assume_unique=True)) >= recurring.SMALL * max(min(len(ux), len(uy)), 1)


VERSIONS = 0.5
"""Matches whose copied text in the incoming article overlaps by this share of the
smaller are versions of one story (an update, a correction): they cover it together."""


def decision(article: Article, matches: list[Match], own: list[Range], rules: Rules) -> Decision:
    """Status and reused share of an article from the prose it shares with indexed ones,
    measured on its body (``own``, character ranges of the article: the story inside the
    page's head and tail and outside its outlet's furniture), which a reprint wraps
    around the copy."""
    length = max(len(article.text), 1)
    body = max(union_length(own), 1)

    def copied(ms: list[Match]) -> list[Range]:
        return intersection([(sp.a_start, sp.a_end) for m in ms for sp in m.copied], own)

    share = {m.b: round(union_length(copied([m])) / body, 4) for m in matches}
    matches = sorted((replace(m, a_coverage=min(share[m.b], 1.0)) for m in matches),
                     key=lambda m: (-m.a_coverage, m.b))
    reused = round(min(union_length(copied(matches)) / body, 1.0), 4)
    status: Status = "new"
    if matches:
        best = copied(matches[:1])
        story = [m for m in matches if _overlap(copied([m]), best) >= VERSIONS * min(union_length(copied([m])),
                                                                                    union_length(best))]
        if union_length(copied(story)) / body >= rules.duplicate:
            status = "duplicate"
    if status == "new" and reused > 0 and reused >= rules.partial:
        status = "partial"
    return Decision(article.id, status, reused, tuple(matches), furniture_share=round(1 - body / length, 4))


def _overlap(x: list[Range], y: list[Range]) -> int:
    return union_length(x) - union_length(difference(x, y))
