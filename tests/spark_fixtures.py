"""The SparkSession the Spark tests share: real PySpark in local mode, one per test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest


def need_pyspark() -> None:
    """Skip without PySpark and a JDK where a user's clone lacks them; fail under CI."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = "PySpark is not installed (pip install -e '.[spark]')"
    else:
        missing = "" if shutil.which("java") or os.environ.get("JAVA_HOME") else "no JDK (java) on PATH"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing + "; CI must have it")
        pytest.skip(missing)


STATS = ("articles", "fingerprints", "candidate_pairs", "capped_buckets", "pairs")
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
