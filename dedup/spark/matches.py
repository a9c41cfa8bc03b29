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

from collections.abc import Callable, Iterable, Iterator
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
from ..sift import dropped, sift
from ..text import TokenBatch
from .arrow import arrow_schema, numbers, slices

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

PAYLOAD = ("id", "text", "outlet", "date", "boiler", "common")
"""What a block's task gets of each article it needs."""
SPAN_FIELDS = ("a_start", "a_end", "b_start", "b_end", "score", "kind", "expect", "content")
BIN = 64
"""Consecutive later articles whose pairs always fall in one block."""


def pair_schema() -> Any:
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

    floats = ("score", "expect", "content")
    span = StructType([StructField(n, DoubleType() if n in floats else StringType() if n == "kind" else LongType())
                       for n in SPAN_FIELDS])
    return StructType([
        StructField("a_doc", LongType()), StructField("b_doc", LongType()),
        StructField("a", StringType()), StructField("b", StringType()),
        StructField("source", StringType()), StructField("reason", StringType()),
        StructField("confidence", DoubleType()),
        StructField("a_coverage", DoubleType()), StructField("b_coverage", DoubleType()),
        StructField("spans", ArrayType(span)),
    ])


def aligned_schema() -> Any:
    """What the alignment tasks give: pair rows, and per block one row of ``left_out``
    (candidate pairs :func:`dedup.sift.sift` left out, by reason), its other fields null."""
    from pyspark.sql.types import ArrayType, LongType, StructField, StructType

    return StructType([*pair_schema().fields, StructField("left_out", ArrayType(LongType()))])


def match_row(a_doc: int, b_doc: int, m: Match) -> dict[str, Any]:
    spans = [dict(zip(SPAN_FIELDS, (s.a_start, s.a_end, s.b_start, s.b_end, s.score, s.kind, s.expect, s.content)))
             for s in m.spans]
    return {"a_doc": a_doc, "b_doc": b_doc, "a": m.a, "b": m.b, "source": m.source, "reason": m.reason,
            "confidence": m.confidence, "a_coverage": m.a_coverage, "b_coverage": m.b_coverage, "spans": spans}


def row_match(row: Any) -> Match:
    """The :class:`Match` a pair row holds."""
    spans = tuple(Span(s.a_start, s.a_end, s.b_start, s.b_end, s.score, s.kind, s.expect, s.content) for s in row.spans)
    return Match(row.a, row.b, spans, row.a_coverage, row.b_coverage, row.source, row.reason, row.confidence)


@dataclass(frozen=True)
class Block:
    """Articles tokenized together (rows with ``text`` and, for alignment, ``id, outlet,
    date, boiler, common``, sorted by article number), with their passage fingerprints."""

    docs: np.ndarray  # article numbers, sorted
    rows: pa.Table
    texts: list[str]
    words: TokenBatch
    fp: Fingerprints
    fp_bounds: np.ndarray

    @classmethod
    def of(cls, rows: pa.Table, settings: Settings, doc: str = "doc") -> Block:
        """The block of ``rows``, whose article numbers are column ``doc``."""
        texts = rows.column("text").to_pylist()
        words, fp = read_texts(texts, settings)
        return cls(numbers(rows, doc), rows, texts, words, fp, fp.bounds(len(texts)))

    def index(self, docs: np.ndarray) -> np.ndarray:
        """Places in the block of articles numbered ``docs``."""
        return np.searchsorted(self.docs, docs).astype(np.int64)

    def flagged(self, i: int, keys: list[int] | None) -> np.ndarray:
        """Word positions of article ``i``'s fingerprints whose band keys are in ``keys``."""
        lo, hi = self.fp_bounds[i], self.fp_bounds[i + 1]
        mine = self.fp.hashes[lo:hi].view(np.int64)
        return self.fp.positions[lo:hi][np.isin(mine, np.asarray(keys or [], dtype=np.int64))].astype(np.int64)

    def sides(self, settings: Settings) -> Callable[[int], Side]:
        """Article ``i`` as a pair's side, with the marks the corpus-wide counts gave it (made once)."""
        ids, outlets, dates, boiler, common = (self.rows.column(c).to_pylist()
                                               for c in ("id", "outlet", "date", "boiler", "common"))
        made: dict[int, Side] = {}

        def side(i: int) -> Side:
            found = made.get(i)
            if found is None:
                tokens = self.words.doc(i)
                marks = (Marks.of(self.flagged(i, boiler[i]), self.flagged(i, common[i]), len(tokens), settings)
                         if boiler[i] or common[i] else Marks.empty(len(tokens)))
                article = Article(ids[i], self.texts[i], outlet=outlets[i], date=dates[i])
                found = made[i] = Side.of(article, tokens, marks)
            return found

        return side


def _align_block(articles: pa.Table, pairs: pa.Table, settings: Settings,
                 chance: Chance | None) -> Iterator[dict[str, Any]]:
    """One block's pairs aligned as the local engine aligns them (the same test first, the
    same pair unit), and a last row with how many the test left out (``left_out``)."""
    block = Block.of(articles, settings, doc="a")
    a_doc, b_doc = numbers(pairs, "a"), numbers(pairs, "b")
    local = np.stack([block.index(a_doc), block.index(b_doc)], axis=1)
    words, bounds = block.words.hashes, block.words.bounds
    codes = sift(numbers(pairs, "shared"), numbers(pairs, "plain"),
                 Windows.of(words, bounds, local[:, 0], numbers(pairs, "seed_a")),
                 Windows.of(words, bounds, local[:, 1], numbers(pairs, "seed_b")), settings, chance)
    keep = np.flatnonzero(codes == 0)
    number = {(int(local[k, 0]), int(local[k, 1])): (int(a_doc[k]), int(b_doc[k])) for k in keep.tolist()}
    for i, j, match in align_all(local[keep].tolist(), block.sides(settings), settings, chance):
        yield match_row(*number[(i, j)], match)
    yield {"left_out": list(dropped(codes).values())}


def _compare_blocks(batches: Iterable[pa.RecordBatch], settings: Settings,
                    chance: Chance | None) -> Iterator[pa.RecordBatch]:
    """Every pair of each block. Rows come sorted by block, a block's articles (``b`` null)
    before its pairs."""
    import pyarrow as pa

    schema = arrow_schema(aligned_schema())
    received = list(batches)
    if not received:
        return
    table = pa.Table.from_batches(received)
    blk = numbers(table, "blk")
    edges = [0, *(np.flatnonzero(np.diff(blk)) + 1).tolist(), len(blk)]
    for lo, hi in zip(edges[:-1], edges[1:]):
        rows = table.slice(lo, hi - lo)
        articles = rows.column("b").null_count
        found = list(_align_block(rows.slice(0, articles), rows.slice(articles), settings, chance))
        yield pa.RecordBatch.from_pylist(found, schema=schema)


def template_frame(articles: DataFrame, marks: DataFrame, settings: Settings) -> DataFrame:
    """``doc, chars``: characters of each article that are its outlet's template
    (:func:`dedup.kinds.template_characters`), for articles with boilerplate fingerprints."""
    from pyspark.sql import functions as F

    rows = articles.join(marks.where(F.size("boiler") > 0), "doc").select("doc", "text", "boiler")

    def count(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in slices(batches):
            block = Block.of(pa.Table.from_batches([batch]), settings)
            boiler = batch.column("boiler").to_pylist()
            flagged = [(i, w) for i in range(len(block.docs)) for w in np.sort(block.flagged(i, boiler[i])).tolist()]
            chars = template_characters(block.words, np.array(flagged, dtype=np.int64).reshape(-1, 2),
                                        settings.shingle)
            found = np.array(sorted(chars.items()), dtype=np.int64).reshape(-1, 2)
            yield pa.RecordBatch.from_arrays([pa.array(block.docs[found[:, 0]]), pa.array(found[:, 1])],
                                             names=["doc", "chars"])

    return rows.mapInArrow(count, "doc long, chars long")


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
    """Pairs (``pair_schema``) that share prose or a quotation, as the local engine keeps them,
    and per block how many candidates the test before alignment left out (``aligned_schema``).

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
    payload = articles.join(marks, "doc", "left").select("doc", *PAYLOAD)
    pair_columns = ("b", "shared", "seed_a", "seed_b", "plain")
    docs = needed.join(payload, "doc").select("blk", F.col("doc").alias("a"),
                                              *(F.lit(None).cast("long").alias(c) for c in pair_columns), *PAYLOAD)
    pairs = keyed.select("blk", "a", *pair_columns,
                         *(F.lit(None).cast(payload.schema[c].dataType).alias(c) for c in PAYLOAD))
    # one block per task (blocks hold about equal numbers of pairs), its articles first
    stream = (docs.unionByName(pairs).repartitionByRange(blocks, "blk")
              .sortWithinPartitions("blk", F.col("b").isNotNull(), "a", "b"))
    return stream.mapInArrow(
        lambda batches: _compare_blocks(batches, settings, chance), aligned_schema())
