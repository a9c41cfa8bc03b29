"""The Spark engine: the stages the local engine runs (:func:`dedup.scan`), as Spark jobs.

Articles are numbered in publication order (:func:`dedup.dates.publication_key`),
so hubs of oversized buckets and the orientation of pairs (``a`` = earlier)
are the local engine's. Every per-article and per-pair computation is the
local engine's own function run on the executors; everything corpus-wide
(counts, buckets, components, per-outlet sums) is a Spark shuffle.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..chance import SAMPLE, Chance, measure, sample_key
from ..dates import publication_key
from ..direction import CONFIDENCE, LEARN_FROM, roles_of
from ..ingest import MASTHEAD, FieldNames
from ..model import Article, Match, OutletStats, Problem, Report
from ..recurring import SMALL, kept
from ..settings import Settings
from ..sift import DROPPED
from ..stories import tell
from ..text import tokenize_batch
from .buckets import find_buckets, fingerprint_frame
from .figures import COPIED_SPANS, families, family_records, outlet_figures
from .io import RECORD_FIELDS, problem_of, read_records
from .matches import align_pairs, row_match, template_frame

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ARTICLE_COLUMNS = ("id", "text", "outlet", "date", "title", "url", "path")
ARTICLES_PER_PARTITION = 2000
BROADCAST_NUMBERS = 2_000_000
"""Up to this many articles, a figure per article (their numbers, whether each repeats a story)
joins larger tables without moving them."""
PAIRS_PER_BLOCK = 20000
"""Candidate pairs aligned in one task, about."""


def _order_key(article_id: str, date: str | None) -> tuple[int, str]:
    undated, when, _ = publication_key(Article(article_id, "", date=date))
    return undated, when


def number_articles(records: DataFrame) -> tuple[DataFrame, DataFrame]:
    """Articles numbered ``doc`` in publication order, first of each id kept; and the
    later records of a seen id (``rank, file, line, id, path``), which are problems.

    Only ids, dates and places are shuffled to number the articles; the texts
    move once, into partitions by ``doc``.
    """
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    spark = records.sparkSession
    place = ["rank", "file", "line"]
    narrow = records.select(*place, "id", "date", "path")
    ranked = narrow.withColumn("_n", F.row_number().over(Window.partitionBy("id").orderBy(*place)))
    duplicates = ranked.where(F.col("_n") > 1).select(*place, "id", "path")
    key_type = StructType([StructField("undated", IntegerType()), StructField("when", StringType())])
    key = F.udf(_order_key, key_type, useArrow=False)
    keys = (ranked.where(F.col("_n") == 1).select(*place, "id", key("id", "date").alias("k"))
            .select(*place, "id", "k.undated", "k.when"))
    ordered = (keys.orderBy("undated", "when", "id").select(*place).rdd.zipWithIndex()
               .map(lambda x: (x[0].rank, x[0].file, x[0].line, x[1])))
    numbers = spark.createDataFrame(ordered, "rank int, file string, line long, doc long").persist()
    count = numbers.count()
    if count <= BROADCAST_NUMBERS:
        numbers = F.broadcast(numbers)
    kept = records.join(numbers, place).select("doc", *ARTICLE_COLUMNS)
    # a masthead no other page shares names a story, not an outlet (dedup.ingest.lone_mastheads_dropped)
    lone = F.col("outlet").startswith(MASTHEAD) & (F.count("*").over(Window.partitionBy("outlet")) < 2)
    kept = kept.withColumn("outlet", F.when(lone, F.lit(None).cast("string")).otherwise(F.col("outlet")))
    articles = (kept.withColumn("length", F.char_length("text"))
                .repartition(partitions(spark, count, ARTICLES_PER_PARTITION), "doc")
                .persist(StorageLevel.MEMORY_AND_DISK))
    articles.count()
    return articles, duplicates


def partitions(spark: SparkSession, items: int, per_partition: int) -> int:
    """Partitions for a Python stage: every core busy, none too large."""
    return max(4 * spark.sparkContext.defaultParallelism, -(-items // per_partition), 1)


@dataclass
class SparkScan:
    """What a Spark scan found, as DataFrames, and the report they make."""

    articles: DataFrame  # doc, id, text, outlet, date, title, url, path, length
    pairs: DataFrame  # pair_schema, one row per pair
    templates: DataFrame  # doc, chars: characters of an article that are its outlet's template
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def ordered_pairs(self) -> DataFrame:
        return self.pairs.orderBy("a_doc", "b_doc")

    def iter_matches(self) -> Iterator[Match]:
        """Pairs in the local engine's order, streamed to the driver."""
        for row in self.ordered_pairs().toLocalIterator():
            yield row_match(row)

    def families(self) -> DataFrame:
        return families(self.pairs, self.articles)

    def outlets(self) -> list[OutletStats]:
        return outlet_figures(self.pairs, self.articles, self.templates)

    def report(self) -> Report:
        """The whole report on the driver, equal to what :func:`dedup.scan` gives."""
        clock = time.perf_counter()
        fams = family_records(self.families())
        outlets = self.outlets()
        documents = tuple(Article(r.id, r.text, outlet=r.outlet, date=r.date, title=r.title, url=r.url, path=r.path)
                          for r in self.articles.orderBy("doc").toLocalIterator())
        pairs = tuple(self.iter_matches())
        template = {r.id: r.chars for r in self.templates.join(self.articles.select("doc", "id"), "doc").collect()}
        stories, coverage = tell(documents, pairs, template)
        seconds = dict(self.stats.get("seconds", {}))
        seconds["families"] = round(time.perf_counter() - clock, 4)
        stats = dict(self.stats, seconds=seconds)
        return Report(documents, pairs, tuple(fams), tuple(outlets), tuple(self.problems), stats, stories, coverage)


class _Laps(dict):  # type: ignore[type-arg]
    """Seconds per stage, as the local engine reports them (a stage ends when the next begins)."""

    def __init__(self) -> None:
        super().__init__()
        self._since = time.perf_counter()

    def __call__(self, stage: str) -> None:
        started, self._since = self._since, time.perf_counter()
        self[stage] = round(self._since - started, 4)


def scan_frame(articles: DataFrame, settings: Settings, problems: Iterable[Problem] = ()) -> SparkScan:
    """Scan numbered articles (``doc`` + ``ARTICLE_COLUMNS`` + ``length``)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    lap = _Laps()
    count = articles.count()
    fp = fingerprint_frame(articles, settings)
    lap("tokenize")
    buckets = find_buckets(fp, settings, broadcast=count <= BROADCAST_NUMBERS)
    candidates = buckets.pairs.persist(StorageLevel.MEMORY_AND_DISK)
    n_candidates = candidates.count()
    lap("candidates")
    blocks = partitions(articles.sparkSession, n_candidates, PAIRS_PER_BLOCK)
    chance = _chance(articles, count, settings)
    found = align_pairs(candidates, articles, buckets.marks, settings, blocks,
                        chance).persist(StorageLevel.MEMORY_AND_DISK)
    left_out = [0] * len(DROPPED)
    for row in found.where(F.col("left_out").isNotNull()).select("left_out").collect():
        left_out = [n + m for n, m in zip(left_out, row.left_out)]
    candidates.unpersist()
    aligned = found.where(F.col("left_out").isNull()).drop("left_out")
    aligned_pairs = aligned.count()
    aligned = _without_recurring(aligned, chance, settings)
    n_pairs = aligned.count()
    roles = _learn_roles(aligned, articles)
    pairs = _with_roles(aligned, articles, roles).persist(StorageLevel.MEMORY_AND_DISK)
    pairs.count()
    found.unpersist()
    lap("alignment")
    templates = template_frame(articles, buckets.marks, settings).persist(StorageLevel.MEMORY_AND_DISK)
    templates.count()
    lap("templates")
    stats = {"articles": count, "fingerprints": buckets.fingerprints, "candidate_pairs": n_candidates,
             "dropped_candidates": dict(zip(DROPPED, left_out)),
             "capped_buckets": buckets.capped_buckets, "pairs": n_pairs, "recurring_pairs": aligned_pairs - n_pairs,
             "source_outlets": sorted(roles),
             "chance_pairs": chance.pairs if chance else 0, "seconds": dict(lap)}
    return SparkScan(articles, pairs, templates, settings, list(problems), stats)


def _chance(articles: DataFrame, count: int, settings: Settings) -> Chance | None:
    """:func:`dedup.chance.measure` on the articles :func:`dedup.chance.sample` draws,
    gathered on the driver (a few hundred texts)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    key = F.udf(sample_key, StringType(), useArrow=False)
    drawn = articles.select("id", "outlet", "text").withColumn("k", key("id")).orderBy("k").limit(SAMPLE).collect()
    words = tokenize_batch([r.text for r in drawn])
    return measure([words.hashes[words.bounds[n]:words.bounds[n + 1]] for n in range(len(drawn))], count, settings,
                   [r.outlet for r in drawn])


def _outlets_of_sides(pairs: DataFrame, articles: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    outlet = articles.select("doc", "outlet")
    return (pairs.join(outlet.select(F.col("doc").alias("a_doc"), F.col("outlet").alias("a_outlet")), "a_doc", "left")
            .join(outlet.select(F.col("doc").alias("b_doc"), F.col("outlet").alias("b_outlet")), "b_doc", "left"))


def _without_recurring(pairs: DataFrame, chance: Chance | None, settings: Settings) -> DataFrame:
    """:func:`dedup.recurring.kept` on the driver: the pairs that share little else (the only
    ones a recurring passage links) gathered there, the rule applied, those it drops left out."""
    from pyspark.sql import functions as F

    if chance is None:
        return pairs
    small = pairs.where((F.greatest("a_coverage", "b_coverage") < SMALL)
                        & F.expr(COPIED_SPANS)).collect()
    matches = [row_match(r) for r in small]
    dropped = {(m.a, m.b) for m in matches} - {(m.a, m.b) for m in kept(matches, chance.searches, settings)}
    if not dropped:
        return pairs
    gone = pairs.sparkSession.createDataFrame(sorted(dropped), "a string, b string")
    return pairs.join(F.broadcast(gone), ["a", "b"], "left_anti").select(*pairs.columns)


def _learn_roles(pairs: DataFrame, articles: DataFrame) -> frozenset[str]:
    """:func:`dedup.direction.learn_roles` on the pair rows: the decided flows and their
    outlets gathered on the driver, the rule applied there."""
    from pyspark.sql import functions as F

    decided = _outlets_of_sides(pairs.where(F.col("source").isNotNull() & F.col("reason").isin(*LEARN_FROM)
                                            & F.expr(COPIED_SPANS)), articles)
    from_a = F.col("source") == F.col("a")
    flows = decided.select(F.col("source").alias("src"), F.when(from_a, F.col("b")).otherwise(F.col("a")).alias("dst"),
                           F.when(from_a, F.col("a_outlet")).otherwise(F.col("b_outlet")).alias("src_outlet"),
                           F.when(from_a, F.col("b_outlet")).otherwise(F.col("a_outlet")).alias("dst_outlet"))
    rows = flows.collect()
    outlet_of = {r.src: r.src_outlet for r in rows} | {r.dst: r.dst_outlet for r in rows}
    return roles_of([(r.src, r.dst) for r in rows], outlet_of)


def _with_roles(pairs: DataFrame, articles: DataFrame, roles: frozenset[str]) -> DataFrame:
    """:func:`dedup.direction.with_roles` as column expressions."""
    from pyspark.sql import functions as F

    if not roles:
        return pairs
    names = sorted(roles)
    sides = _outlets_of_sides(pairs, articles)
    in_a = F.coalesce(F.col("a_outlet").isin(*names), F.lit(False))
    in_b = F.coalesce(F.col("b_outlet").isin(*names), F.lit(False))
    open_ = ((F.col("reason").isNull() | (F.col("reason") == "containment"))
             & F.expr(COPIED_SPANS) & (in_a != in_b))
    return sides.select(
        *[c for c in pairs.columns if c not in ("source", "reason", "confidence")],
        F.when(open_, F.when(in_a, F.col("a")).otherwise(F.col("b"))).otherwise(F.col("source")).alias("source"),
        F.when(open_, F.lit("role")).otherwise(F.col("reason")).alias("reason"),
        F.when(open_, F.lit(CONFIDENCE["role"])).otherwise(F.col("confidence")).alias("confidence"),
    ).select(*pairs.columns)


def _sorted_problems(found: Iterable[tuple[int, str, int, Problem]]) -> list[Problem]:
    return [p for *_, p in sorted(found, key=lambda item: item[:3])]


def scan_paths(spark: SparkSession, paths: Iterable[str], settings: Settings | None = None,
               names: FieldNames = FieldNames()) -> SparkScan:
    """Read inputs with Spark (see :mod:`dedup.spark.io`) and scan them."""
    from pyspark.sql import functions as F

    settings = settings or Settings()
    records, listing = read_records(spark, paths, names)
    records = records.persist()
    found = list(listing)
    for r in records.where(F.col("problem").isNotNull()).select(*RECORD_FIELDS).collect():
        found.append((r.rank, r.file, r.line, problem_of(r.path, r.problem)))
    articles, duplicates = number_articles(records.where(F.col("problem").isNull()))
    for r in duplicates.collect():
        found.append((r.rank, r.file, r.line,
                      Problem(r.path or r.id, f"duplicate id {r.id!r}; first one kept")))
    result = scan_frame(articles, settings, _sorted_problems(found))
    records.unpersist()
    return result
