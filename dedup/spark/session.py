"""The SparkSession the engine runs in: the caller's, spark-submit's, or local[*]."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..errors import DedupError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"


def require_pyspark() -> None:
    """A clear message instead of an ImportError when the extra is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise DedupError("the spark engine needs PySpark: pip install 'dedup[spark]'") from None


def session(app_name: str = "dedup") -> SparkSession:
    """The active session if there is one; else a new one.

    Under ``spark-submit`` the master and every other setting come from its
    command line; run directly, dedup starts Spark in local mode on all cores.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app_name)
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python, with this dedup
        builder = (builder.master(DEFAULT_MASTER)
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.memory", "4g")
                   # Spark's default of 200 shuffle partitions makes one machine crawl
                   .config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1))))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark
