"""Connected components of an undirected graph in DataFrame operations.

The alternating large-star / small-star method (Kiveris et al., "Connected
Components in MapReduce and Beyond", 2014). Edges are kept as ``(u, v)``
with ``u > v``. Large-star links every neighbour larger than a node to the
smallest node of that node's neighbourhood; small-star links a node and its
smaller neighbours to the smallest of them. When a round changes no edge,
every component is a star around its smallest node, which names it. Rounds
grow with the log of the component size, not with its diameter as label
propagation's would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

MAX_ROUNDS = 100
"""A safeguard; real graphs converge in a few rounds (O(log^2 n) at worst)."""


def _large_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sym = edges.unionByName(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    low = F.least(F.min("v").over(Window.partitionBy("u")), F.col("u"))
    return sym.select("u", "v", low.alias("m")).where(F.col("v") > F.col("u")).select(
        F.col("v").alias("u"), F.col("m").alias("v"))


def _small_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    low = edges.select("u", "v", F.min("v").over(Window.partitionBy("u")).alias("m"))
    rewired = low.where(F.col("v") != F.col("m")).select(F.col("v").alias("u"), F.col("m").alias("v"))
    return rewired.unionByName(low.select("u", F.col("m").alias("v"))).distinct()


def _signature(edges: DataFrame) -> tuple[int, int]:
    """Size and an order-free checksum of an edge set (a change shows in either)."""
    from pyspark.sql import functions as F

    row = edges.agg(F.count("*"), F.bit_xor(F.xxhash64("u", "v"))).first()
    assert row is not None  # an aggregate has one row
    return int(row[0]), int(row[1] or 0)


def components(edges: DataFrame, src: str = "src", dst: str = "dst") -> DataFrame:
    """``node, component`` for every node of ``edges``; a component is named by its smallest node."""
    from pyspark.sql import functions as F

    current = (edges.where(F.col(src) != F.col(dst))
               .select(F.greatest(src, dst).alias("u"), F.least(src, dst).alias("v"))
               .distinct().localCheckpoint())
    seen = _signature(current)
    for _ in range(MAX_ROUNDS):
        current = _small_star(_large_star(current)).localCheckpoint()
        now = _signature(current)
        if now == seen:
            break
        seen = now
    else:  # pragma: no cover - a safeguard, not a path
        raise RuntimeError("connected components did not converge")
    roots = current.select(F.col("v").alias("node"), F.col("v").alias("component"))
    return current.select(F.col("u").alias("node"), F.col("v").alias("component")).unionByName(roots).distinct()
