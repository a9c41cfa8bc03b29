"""Families and per-outlet figures from the pair rows, computed in Spark.

Families: connected components of the pairs sharing copied prose (verbatim or rewritten)
(:mod:`dedup.spark.components`); each component's pairs and members then
meet on one executor, where :func:`dedup.families.group` names its sources
exactly as locally. Components are numbered F1, F2, ... largest first.

Outlets: as :mod:`dedup.outlets`. Every article's shared characters are the
union of its prose spans; each copier's copied ranges are credited once, to
the most original source, by :func:`dedup.outlets.credit` over that copier's
pairs (a source's rank needs to know whether it copies anyone, which is a
corpus-wide join); the characters are then summed per outlet in Spark. Each
copier's rewritten ranges outside its prose spans are counted apart
(:func:`dedup.outlets.rewritten_length`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..families import group
from ..model import COPIED, Article, Family, OutletStats
from ..outlets import NO_OUTLET, Tally, credit, outlet_rows, rewritten_length
from ..ranges import union_length
from .components import components
from .matches import row_match

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

COPIED_SPANS = f"exists(spans, s -> s.kind in ({', '.join(repr(k) for k in COPIED)}))"
"""A pair row that holds copied text (:data:`dedup.model.COPIED`), as a Spark SQL expression."""
_PROSE_SPANS = "filter(spans, s -> s.kind = 'prose')"
_REWRITTEN_SPANS = "filter(spans, s -> s.kind = 'rewritten')"


def family_schema() -> Any:
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    return StructType([StructField("size", IntegerType()), StructField("first", StringType()),
                       StructField("members", ArrayType(StringType())), StructField("source", StringType()),
                       StructField("sources", ArrayType(StringType()))])


def _family(row: Any) -> tuple[Any, ...]:
    members = [Article(m.id, "", date=m.date) for m in row.members]
    (family,) = group([row_match(p) for p in row.pairs], members)
    return (len(family.members), min(family.members), list(family.members), family.source,
            list(family.sources))


def families(pairs: DataFrame, articles: DataFrame) -> DataFrame:
    """``id, members, source, sources`` of every family, F1 (largest) first."""
    from pyspark.sql import functions as F

    spark = pairs.sparkSession
    linked = pairs.where(F.expr(COPIED_SPANS))
    labels = components(linked.select(F.col("a_doc").alias("src"), F.col("b_doc").alias("dst")))
    grouped_pairs = (linked.join(labels, linked.a_doc == labels.node)
                     .groupBy("component").agg(F.collect_list(F.struct(*pairs.columns)).alias("pairs")))
    grouped_members = (labels.join(articles.select(F.col("doc").alias("node"), "id", "date"), "node")
                       .groupBy("component").agg(F.collect_list(F.struct("id", "date")).alias("members")))
    rows = grouped_pairs.join(grouped_members, "component").rdd.map(_family)
    found = spark.createDataFrame(rows, family_schema()).orderBy(F.col("size").desc(), "first")
    numbered = found.rdd.zipWithIndex().map(lambda x: (f"F{x[1] + 1}", x[0].members, x[0].source, x[0].sources))
    return spark.createDataFrame(numbered, "id string, members array<string>, source string, sources array<string>")


def family_records(frame: DataFrame) -> list[Family]:
    """The families collected in order (F1 first)."""
    rows = frame.collect()
    rows.sort(key=lambda r: int(r.id[1:]))
    return [Family(r.id, tuple(r.members), r.source, tuple(r.sources)) for r in rows]


def _union(ranges: list[Any]) -> int:
    return union_length((r.start, r.end) for r in ranges)


def _rewritten(rewritten: list[Any], prose: list[Any] | None) -> int:
    return rewritten_length(((r.start, r.end) for r in rewritten), ((r.start, r.end) for r in prose or ()))


def _credited(row: Any) -> Iterator[tuple[int, str, int]]:
    """One copier's characters credited to each source outlet (:func:`dedup.outlets.credit`)."""
    rank = {o.source: (o.copies, o.date or "~", o.source) for o in row.offers}
    outlet = {o.source: o.outlet for o in row.offers}
    totals: dict[str, int] = defaultdict(int)
    items = [(o.source, (o.start, o.end)) for o in row.offers]
    for source, ranges in credit(items, rank.__getitem__).items():
        totals[outlet[source]] += union_length(ranges)
    for name, n in totals.items():
        yield row.copier, name, n


def _copied(pairs: DataFrame, spans: str) -> DataFrame:
    """``copier, src, start, end``: the copier's ranges of the ``spans`` (an expression
    choosing spans of a kind) of every pair with a source."""
    from pyspark.sql import functions as F

    directed = (pairs.where(F.col("source").isNotNull())
                .select("a_doc", "b_doc", (F.col("source") == F.col("a")).alias("from_a"),
                        F.explode(F.expr(spans)).alias("s")))
    return directed.select(
        F.when(F.col("from_a"), F.col("b_doc")).otherwise(F.col("a_doc")).alias("copier"),
        F.when(F.col("from_a"), F.col("a_doc")).otherwise(F.col("b_doc")).alias("src"),
        F.when(F.col("from_a"), F.col("s.b_start")).otherwise(F.col("s.a_start")).alias("start"),
        F.when(F.col("from_a"), F.col("s.b_end")).otherwise(F.col("s.a_end")).alias("end"))


def outlet_figures(pairs: DataFrame, articles: DataFrame, templates: DataFrame) -> list[OutletStats]:
    """One row per outlet, as :func:`dedup.outlets.outlet_stats` gives it."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType

    spark = pairs.sparkSession
    docs = articles.select("doc", "id", "date", F.coalesce(F.col("outlet"), F.lit(NO_OUTLET)).alias("outlet"),
                           F.col("length"))
    prose = pairs.select("a_doc", "b_doc", "a", "b", "source", F.expr(_PROSE_SPANS).alias("spans")).where(
        F.size("spans") > 0)
    sides = (prose.select(F.col("a_doc").alias("doc"), F.explode("spans").alias("s"))
             .select("doc", F.col("s.a_start").alias("start"), F.col("s.a_end").alias("end"))
             .unionByName(prose.select(F.col("b_doc").alias("doc"), F.explode("spans").alias("s"))
                          .select("doc", F.col("s.b_start").alias("start"), F.col("s.b_end").alias("end"))))
    union = F.udf(_union, LongType(), useArrow=False)
    held = sides.groupBy("doc").agg(F.collect_list(F.struct("start", "end")).alias("prose"))
    shared = held.select("doc", union("prose").alias("shared"))
    rewrote = (_copied(pairs, _REWRITTEN_SPANS)
               .groupBy(F.col("copier").alias("doc")).agg(F.collect_list(F.struct("start", "end")).alias("rewritten")))
    took = rewrote.join(held, "doc", "left").select(
        "doc", F.udf(_rewritten, LongType(), useArrow=False)("rewritten", "prose").alias("took"))
    base = (docs.join(shared, "doc", "left").join(took, "doc", "left").join(templates, "doc", "left")
            .groupBy("outlet")
            .agg(F.count("*").alias("documents"), F.sum("length").alias("characters"),
                 F.sum(F.coalesce("shared", F.lit(0))).alias("shared"),
                 F.sum(F.coalesce("chars", F.lit(0))).alias("boilerplate"),
                 F.sum(F.coalesce("took", F.lit(0))).alias("rewritten")))

    copy = _copied(pairs, _PROSE_SPANS)
    copiers = copy.select(F.col("copier").alias("src")).distinct().withColumn("copies", F.lit(True))
    offers = (copy.join(copiers, "src", "left")
              .join(docs.select(F.col("doc").alias("src"), F.col("id").alias("source"), "date", "outlet"), "src")
              .select("copier", F.struct(F.coalesce("copies", F.lit(False)).alias("copies"), "date", "source",
                                         "outlet", "start", "end").alias("o"))
              .groupBy("copier").agg(F.collect_list("o").alias("offers")))
    credited = spark.createDataFrame(offers.rdd.flatMap(_credited), "copier long, source_outlet string, n long")
    reused = (credited.join(docs.select(F.col("doc").alias("copier"), "outlet"), "copier")
              .groupBy("outlet", "source_outlet").agg(F.sum("n").alias("n")))

    tallies: dict[str, Tally] = {}
    for row in base.collect():
        tallies[row.outlet] = Tally(row.documents, row.characters, row.shared, boilerplate=row.boilerplate,
                                    rewritten=row.rewritten)
    for row in reused.collect():
        tallies[row.outlet].reused += row.n
        tallies[row.outlet].sources[row.source_outlet] += row.n
    return outlet_rows(tallies)
