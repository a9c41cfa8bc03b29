"""Pairs written by the executors as a folder of part files (Spark's way).

``dedup scan --engine spark --format jsonl|csv -o DIR`` writes these; the
parts concatenated in name order give the local engine's output (CSV
repeats its header at the top of each part file). JSON and the text summary
are assembled on the driver instead.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import DedupError
from ..report import CSV_COLUMNS, csv_row, csv_writer, match_dict
from .matches import row_match

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def _jsonl_lines(rows: Iterable[Any]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(match_dict(row_match(row)), ensure_ascii=False)


def _csv_lines(rows: Iterable[Any]) -> Iterator[str]:
    first = True
    for row in rows:
        buf = io.StringIO()
        writer = csv_writer(buf)
        if first:
            writer.writerow(CSV_COLUMNS)
            first = False
        writer.writerow(csv_row(row_match(row)))
        yield buf.getvalue().rstrip("\n")


def write_pairs(pairs: DataFrame, fmt: str, folder: str) -> None:
    """Pairs as JSONL or CSV part files in ``folder`` (which must not exist yet)."""
    lines = _jsonl_lines if fmt == "jsonl" else _csv_lines
    spark = pairs.sparkSession
    text = spark.createDataFrame(pairs.rdd.mapPartitions(lines).map(lambda s: (s,)), "value string")
    try:
        text.write.mode("errorifexists").text(folder)
    except Exception as err:  # Spark's AnalysisException when the folder exists
        if "PATH_ALREADY_EXISTS" in str(err) or "already exists" in str(err):
            raise DedupError(f"{folder} already exists; the spark engine writes a new folder of part files") from None
        raise
