"""Band keys, corpus-wide counts and candidate pairs, as Spark shuffles.

The same stages as :mod:`dedup.candidates`, with the same rules (its
functions, applied to Column expressions) and results: each article's
passage fingerprints come from :func:`dedup.passages.read_texts` on the
executors; every fingerprint is an LSH bucket key (stored as a signed 64-bit
integer: the same bits as dedup's uint64); the counts that mark common
fingerprints and an outlet's furniture are windows over the whole corpus,
and buckets become pairs: all pairs up to ``max_bucket`` members, star edges
to the first ``HUBS`` articles in publication order beyond. Each pair keeps how many
buckets it shares and, for the seed test before alignment, where the shared
shingle sits in both articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..candidates import HUBS, furniture, is_common, oversized, repeated_story
from ..passages import read_texts
from ..settings import Settings
from .arrow import slices

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame


def _fingerprint_batches(batches: Iterable[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    """Each article's distinct band keys, how often each occurs and where it first
    occurs (word position), a batch of articles at a time."""
    import pyarrow as pa

    for batch in slices(batches):
        _, fp = read_texts(batch.column("text").to_pylist(), settings)
        keys = fp.hashes.view(np.int64)
        order = np.lexsort((keys, fp.docs))  # stable: a key's first row is its first occurrence
        doc, key, pos = fp.docs[order], keys[order], fp.positions[order]
        new = np.ones(len(key), dtype=bool)
        new[1:] = (doc[1:] != doc[:-1]) | (key[1:] != key[:-1])
        first = np.flatnonzero(new)
        counts = np.diff(np.append(first, len(key))).astype(np.int32)
        where = pa.array(doc[first])
        yield pa.RecordBatch.from_arrays(
            [pa.array(key[first]), batch.column("doc").take(where), batch.column("outlet").take(where),
             pa.array(counts), pa.array(pos[first].astype(np.int32))],
            names=["h", "doc", "outlet", "n", "pos"])


def fingerprint_frame(articles: DataFrame, settings: Settings) -> DataFrame:
    """One row per band key and article: ``h`` (key), ``doc``, ``outlet``, ``n``
    (occurrences in the article), ``pos`` (word position of the first)."""
    return articles.select("doc", "outlet", "text").mapInArrow(
        lambda batches: _fingerprint_batches(batches, settings), "h long, doc long, outlet string, n int, pos int")


@dataclass(frozen=True)
class Buckets:
    """What the counts found: candidate pairs, each article's marked band keys."""

    pairs: DataFrame  # a, b (article numbers, a < b), shared (buckets), seed_a, seed_b (-1: repeated)
    marks: DataFrame  # doc, boiler (keys), common (keys): the article's marked fingerprints
    capped_buckets: int
    fingerprints: int


def find_buckets(occ: DataFrame, settings: Settings, broadcast: bool = True) -> Buckets:
    """Candidate pairs and marks from the fingerprints, as :func:`dedup.candidates.find_candidates`
    gives them: ``shared`` counts the buckets of a pair (a pair of hubs of an oversized
    bucket is linked from both hubs, so twice), ``seed_a``/``seed_b`` are the word positions
    of the shared shingle when the pair shares one bucket (-1 when the shingle repeats in
    its article). ``broadcast``: a figure per article is small enough to send to every task."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    key, key_outlet = Window.partitionBy("h"), Window.partitionBy("h", "outlet")
    # articles are numbered in publication order: the outlet had published a passage before
    # an article when an earlier article of the outlet holds it
    so_far = F.row_number().over(key_outlet.orderBy("doc"))
    counted = (occ.withColumn("common", is_common(F.count("*").over(key), settings))
               .withColumn("seen", F.col("outlet").isNotNull() & (so_far > 1))
               .persist(StorageLevel.MEMORY_AND_DISK))
    # an article most of whose passages its outlet had published repeats a story; furniture
    # recurs in the outlet's other articles, across stories. The per-article sums come back
    # by a broadcast join, so the fingerprints stay partitioned by key (one shuffle for all
    # the counts by key)
    seen = F.sum(F.when(F.col("seen"), F.col("n")).otherwise(0))
    story = counted.groupBy("doc").agg(repeated_story(F.sum("n"), seen).alias("repeat"))
    repeats = counted.join(F.broadcast(story) if broadcast else story, "doc")
    fresh = F.sum(F.when(~F.col("repeat"), 1).otherwise(0)).over(key_outlet)
    # a checkpoint, not a cache: every later plan starts here (a cached plan is repeated in
    # full wherever it is used, and plans that use it several times grow past the driver's memory)
    flagged = (repeats.withColumn("boiler", F.col("outlet").isNotNull() & furniture(fresh, settings))
               .select("h", "doc", "n", "pos", "common", "boiler").localCheckpoint())
    counted.unpersist()

    marks = (flagged.where(F.col("boiler") | F.col("common")).groupBy("doc")
             .agg(F.collect_list(F.when(F.col("boiler"), F.col("h"))).alias("boiler"),
                  F.collect_list(F.when(F.col("common"), F.col("h"))).alias("common")))

    # a bucket of nothing but furniture links no one; in any other, two articles for which
    # the fingerprint is furniture are not linked by it
    members = (flagged.withColumn("live", F.max(~F.col("boiler")).over(key)).where(F.col("live"))
               .select("h", "doc", "boiler", "common",
                       F.when(F.col("n") == 1, F.col("pos")).otherwise(-1).alias("seed"))
               .withColumn("size", F.count("*").over(key))
               .withColumn("rank", F.row_number().over(key.orderBy("doc")))
               .where(F.col("size") >= 2)
               .persist(StorageLevel.MEMORY_AND_DISK))
    capped = members.where(oversized(F.col("size"), settings) & (F.col("rank") == 1)).count()
    small = members.where(~oversized(F.col("size"), settings))
    edges = (small.select("h", "common", F.col("doc").alias("a"), F.col("seed").alias("seed_a"),
                          F.col("boiler").alias("fa"))
             .join(small.select("h", F.col("doc").alias("b"), F.col("seed").alias("seed_b"),
                                F.col("boiler").alias("fb")), "h")
             .where((F.col("a") < F.col("b")) & ~(F.col("fa") & F.col("fb")))
             .drop("fa", "fb"))
    big = members.where(oversized(F.col("size"), settings))
    star = (big.where(F.col("rank") <= HUBS)
            .select("h", "common", F.col("doc").alias("hub"), F.col("seed").alias("hub_seed"),
                    F.col("boiler").alias("fh"))
            .join(big.select("h", "doc", "seed", "boiler"), "h")
            .where((F.col("hub") != F.col("doc")) & ~(F.col("fh") & F.col("boiler"))))
    hub_first = F.col("hub") < F.col("doc")
    star = star.select("h", "common", F.least("hub", "doc").alias("a"), F.greatest("hub", "doc").alias("b"),
                       F.when(hub_first, F.col("hub_seed")).otherwise(F.col("seed")).alias("seed_a"),
                       F.when(hub_first, F.col("seed")).otherwise(F.col("hub_seed")).alias("seed_b"))
    pairs = (edges.unionByName(star).groupBy("a", "b")
             .agg(F.count("*").alias("shared"), F.min("seed_a").cast("long").alias("seed_a"),
                  F.min("seed_b").cast("long").alias("seed_b"),
                  F.sum(F.when(F.col("common"), 0).otherwise(1)).cast("long").alias("plain")))
    summed = flagged.agg(F.sum("n")).first()
    total = int((summed[0] if summed is not None else 0) or 0)
    return Buckets(pairs, marks, int(capped), total)
