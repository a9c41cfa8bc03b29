"""dedup on Apache Spark: the local engine's stages as Spark jobs, for corpora of any size.

``pip install 'dedup[spark]'``, then from the command line
``dedup scan --engine spark PATH...`` (local[*], or whatever ``spark-submit``
says), or from Python::

    from dedup.spark import find_reuse
    pairs_df = find_reuse(articles_df, id_col="id", text_col="text", outlet_col="outlet", date_col="date")

Results equal the local engine's (:func:`dedup.scan`): the same pairs,
spans, kinds, sources, families and outlet figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..settings import Settings
from .engine import SparkScan, scan_frame, scan_paths

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["SparkScan", "find_reuse", "scan_articles", "scan_paths"]


def scan_articles(
    articles_df: DataFrame,
    settings: Settings | None = None,
    *,
    id_col: str = "id",
    text_col: str = "text",
    outlet_col: str | None = "outlet",
    date_col: str | None = "date",
) -> SparkScan:
    """Scan a DataFrame of articles. Rows without text are left out; of two rows
    with one id, the first (in the frame's order) is kept."""
    from pyspark.sql import functions as F

    from .engine import number_articles

    def column(name: str | None) -> Column:
        if name is None or name not in articles_df.columns:
            return F.lit(None).cast("string")
        return F.col(name).cast("string")

    records = (articles_df
               .select(column(id_col).alias("id"), column(text_col).alias("text"), column(outlet_col).alias("outlet"),
                       column(date_col).alias("date"))
               .where(F.col("text").isNotNull() & F.col("id").isNotNull() & (F.col("text").rlike(r"(?U)\S")))
               .select(F.lit(0).alias("rank"), F.lit("").alias("file"),
                       F.monotonically_increasing_id().alias("line"), "id", "text",
                       F.when(F.col("outlet") != "", F.col("outlet")).alias("outlet"),
                       F.when(F.col("date") != "", F.col("date")).alias("date"),
                       *(F.lit(None).cast("string").alias(c) for c in ("title", "url", "path", "problem"))))
    articles, _ = number_articles(records.persist())  # row ids must not change between uses
    return scan_frame(articles, settings or Settings())


def find_reuse(
    articles_df: DataFrame,
    id_col: str = "id",
    text_col: str = "text",
    outlet_col: str | None = "outlet",
    date_col: str | None = "date",
    settings: Settings | None = None,
) -> DataFrame:
    """Every pair of articles sharing copied prose or a quotation, one row each:
    ``a, b`` (ids, ``a`` the earlier), ``source``, ``reason``, ``a_coverage``,
    ``b_coverage``, ``spans`` (``a_start, a_end, b_start, b_end, score, kind``),
    as the JSON report's ``pairs``."""
    result = scan_articles(articles_df, settings, id_col=id_col, text_col=text_col,
                           outlet_col=outlet_col, date_col=date_col)
    return result.ordered_pairs().drop("a_doc", "b_doc")
