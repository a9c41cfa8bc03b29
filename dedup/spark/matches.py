"""Candidate pairs aligned on the executors as the local engine aligns them, and pair rows.

Candidate pairs are grouped in blocks; a block's task receives each article
it needs once (text, metadata, flagged band keys: boilerplate and common
fingerprints), tokenizes them together, drops the pairs sharing a single
fingerprint that :func:`dedup.align.near_seed` rejects, rebuilds each
article's :class:`~dedup.kinds.Marks` and compares the rest with
:func:`dedup.pairs.align_all` (what the local engine does, on a cluster).
A pair row holds what a :class:`~dedup.model.Match` holds, plus both article
numbers, so pairs sort in the local engine's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..align import Windows
from ..chance import Chance
from ..kinds import Marks, template_characters
from ..model import Article, Match, Span
from ..pairs import Side, align_all
from ..passages import Fingerprints, read_texts
from ..settings import Settings
from ..sift import worth_aligning
from ..text import BATCH, TokenBatch

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SPAN_FIELDS = ("a_start", "a_end", "b_start", "b_end", "score", "kind", "expect")
BIN = 64
"""Consecutive later articles whose pairs always fall in one block."""


def pair_schema() -> Any:
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

    span = StructType([StructField(n, DoubleType() if n in ("score", "expect") else StringType() if n == "kind"
                                   else LongType()) for n in SPAN_FIELDS])
    return StructType([
        StructField("a_doc", LongType()), StructField("b_doc", LongType()),
        StructField("a", StringType()), StructField("b", StringType()),
        StructField("source", StringType()), StructField("reason", StringType()),
        StructField("confidence", DoubleType()),
        StructField("a_coverage", DoubleType()), StructField("b_coverage", DoubleType()),
        StructField("spans", ArrayType(span)),
    ])


def match_row(a_doc: int, b_doc: int, m: Match) -> tuple[Any, ...]:
    spans = [(s.a_start, s.a_end, s.b_start, s.b_end, s.score, s.kind, s.expect) for s in m.spans]
    return (a_doc, b_doc, m.a, m.b, m.source, m.reason, m.confidence, m.a_coverage, m.b_coverage, spans)


def row_match(row: Any) -> Match:
    """The :class:`Match` a pair row holds."""
    spans = tuple(Span(s.a_start, s.a_end, s.b_start, s.b_end, s.score, s.kind, s.expect) for s in row.spans)
    return Match(row.a, row.b, spans, row.a_coverage, row.b_coverage, row.source, row.reason, row.confidence)


@dataclass(frozen=True)
class Block:
    """Articles of one block tokenized together, with their passage fingerprints."""

    docs: dict[int, int]  # article number -> index in the batch
    payloads: list[Any]
    words: TokenBatch
    fp: Fingerprints
    fp_bounds: np.ndarray

    @classmethod
    def of(cls, payloads: dict[int, Any], settings: Settings) -> Block:
        docs = sorted(payloads)
        words, fp = read_texts([payloads[d].text for d in docs], settings)
        return cls({d: i for i, d in enumerate(docs)}, [payloads[d] for d in docs], words, fp, fp.bounds(len(docs)))

    def flagged(self, i: int, keys: list[int] | None) -> np.ndarray:
        """Word positions of article ``i``'s fingerprints whose band keys are in ``keys``."""
        lo, hi = self.fp_bounds[i], self.fp_bounds[i + 1]
        mine = self.fp.hashes[lo:hi].view(np.int64)
        return self.fp.positions[lo:hi][np.isin(mine, np.asarray(keys or [], dtype=np.int64))].astype(np.int64)

    def side(self, i: int, settings: Settings) -> Side:
        """Article ``i`` as a pair's side, with the marks the corpus-wide counts gave it."""
        p, tokens = self.payloads[i], self.words.doc(i)
        marks = (Marks.of(self.flagged(i, p.boiler), self.flagged(i, p.common), len(tokens), settings)
                 if p.boiler or p.common else Marks.empty(len(tokens)))
        return Side.of(Article(p.id, p.text, outlet=p.outlet, date=p.date), tokens, marks)


def _align_block(payloads: dict[int, Any], pairs: list[Any], settings: Settings,
                 chance: Chance | None) -> Iterator[tuple[Any, ...]]:
    """One block's pairs aligned as the local engine aligns them (the same seed test and pair unit)."""
    block = Block.of(payloads, settings)
    local = np.array([(block.docs[r.a], block.docs[r.b]) for r in pairs], dtype=np.int64).reshape(-1, 2)
    seeds = np.array([(r.seed_a, r.seed_b) for r in pairs], dtype=np.int64).reshape(-1, 2)
    shared = np.array([r.shared for r in pairs], dtype=np.int64)
    plain = np.array([r.plain for r in pairs], dtype=np.int64)
    words, bounds = block.words.hashes, block.words.bounds
    keep = worth_aligning(shared, plain, Windows.of(words, bounds, local[:, 0], seeds[:, 0]),
                          Windows.of(words, bounds, local[:, 1], seeds[:, 1]), settings, chance)
    sides: dict[int, Side] = {}

    def side(i: int) -> Side:
        found = sides.get(i)
        if found is None:
            found = sides[i] = block.side(i, settings)
        return found

    number = {(block.docs[r.a], block.docs[r.b]): (r.a, r.b) for r in pairs}
    for i, j, match in align_all(local[keep].tolist(), side, settings, chance):
        yield match_row(*number[(i, j)], match)


def _compare_blocks(rows: Iterable[Any], settings: Settings, chance: Chance | None) -> Iterator[tuple[Any, ...]]:
    """Every pair of each block. Rows come sorted by block, a block's articles before its pairs."""
    payloads: dict[int, Any] = {}
    pairs: list[Any] = []
    current = None
    for row in rows:
        if row.blk != current:
            if pairs:
                yield from _align_block(payloads, pairs, settings, chance)
            payloads, pairs, current = {}, [], row.blk
        if row.p is not None:
            payloads[row.a] = row.p
        else:
            pairs.append(row)
    if pairs:
        yield from _align_block(payloads, pairs, settings, chance)


def template_frame(articles: DataFrame, marks: DataFrame, settings: Settings) -> DataFrame:
    """``doc, chars``: characters of each article that are its outlet's template
    (:func:`dedup.kinds.template_characters`), for articles with boilerplate fingerprints."""
    from pyspark.sql import functions as F

    rows = (articles.join(marks.where(F.size("boiler") > 0), "doc")
            .select("doc", F.struct("text", "boiler").alias("p")))

    def count(part: Iterable[Any]) -> Iterator[tuple[int, int]]:
        chunk = list(part)
        for s in range(0, len(chunk), BATCH):
            block = Block.of({r.doc: r.p for r in chunk[s:s + BATCH]}, settings)
            flagged = [(i, w) for i, p in enumerate(block.payloads)
                       for w in np.sort(block.flagged(i, p.boiler)).tolist()]
            rows = np.array(flagged, dtype=np.int64).reshape(-1, 2)
            chars = template_characters(block.words, rows, settings.shingle)
            docs = list(block.docs)
            yield from ((docs[i], n) for i, n in chars.items())

    return articles.sparkSession.createDataFrame(rows.rdd.mapPartitions(count), "doc long, chars long")


def _block_of_bins(candidates: DataFrame, blocks: int) -> DataFrame:
    """``bin, blk``: runs of ``BIN`` consecutive later articles grouped into blocks of
    about equal numbers of pairs (later articles have more earlier ones to pair with)."""
    from pyspark.sql import functions as F

    hist = (candidates.groupBy(F.floor(F.col("b") / BIN).alias("bin")).count()
            .orderBy("bin").collect())
    per = max(1, -(-sum(r["count"] for r in hist) // blocks))
    rows, done, blk = [], 0, 0
    for r in hist:
        rows.append((r.bin, blk))
        done += r["count"]
        if done >= per * (blk + 1):
            blk += 1
    return candidates.sparkSession.createDataFrame(rows, "bin long, blk int")


def align_pairs(candidates: DataFrame, articles: DataFrame, marks: DataFrame,
                settings: Settings, blocks: int, chance: Chance | None = None) -> DataFrame:
    """Pairs (``pair_schema``) that share prose or a quotation, as the local engine keeps them.

    Pairs are grouped into about ``blocks`` blocks of consecutive later
    articles; a block's task receives each article it needs once, then its
    pairs, so texts travel and are tokenized once per block rather than once
    per pair (reprints sit close in time, so most blocks need few articles
    from elsewhere).
    """
    from pyspark.sql import functions as F

    keyed = (candidates.withColumn("bin", F.floor(F.col("b") / BIN))
             .join(F.broadcast(_block_of_bins(candidates, blocks)), "bin"))
    needed = (keyed.select("blk", F.col("a").alias("doc"))
              .unionByName(keyed.select("blk", F.col("b").alias("doc"))).distinct())
    payload = (articles.join(marks, "doc", "left")
               .select("doc", F.struct("id", "text", "outlet", "date", "boiler", "common").alias("p")))
    docs = needed.join(payload, "doc").select("blk", F.col("doc").alias("a"), *(F.lit(None).cast("long").alias(c)
                                              for c in ("b", "shared", "seed_a", "seed_b", "plain")), "p")
    pairs = keyed.select("blk", "a", "b", "shared", "seed_a", "seed_b", "plain",
                         F.lit(None).cast(payload.schema["p"].dataType).alias("p"))
    # one block per task (blocks hold about equal numbers of pairs), its articles first
    stream = (docs.unionByName(pairs).repartitionByRange(blocks, "blk")
              .sortWithinPartitions("blk", F.col("b").isNotNull(), "a", "b"))
    rdd = stream.rdd.mapPartitions(lambda rows: _compare_blocks(rows, settings, chance))
    return articles.sparkSession.createDataFrame(rdd, pair_schema())
