"""The SparkSession the Spark tests share: real PySpark in local mode, one per test session."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import requires


def need_pyspark() -> None:
    """PySpark and a JDK, as a user's clone may lack them."""
    requires.module("pyspark", "pip install -e '.[spark]'")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        requires.unavailable("no JDK (java) on PATH")


STATS = ("articles", "fingerprints", "candidate_pairs", "dropped_candidates", "capped_buckets", "pairs",
         "recurring_pairs")
"""Counts both engines report alike (the others, timings and shards, are each engine's own)."""

WORKER_HASH_SEED = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
"""The Python workers' PYTHONHASHSEED, unlike the driver's: band keys must not depend on it."""


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    need_pyspark()
    from pyspark.sql import SparkSession

    root = str(Path(__file__).resolve().parent.parent)  # this checkout's dedup, in the Python workers too
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    session = (SparkSession.builder.master("local[2]").appName("dedup-tests")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.environment["PYTHONHASHSEED"] = WORKER_HASH_SEED
    yield session
    session.stop()
