"""``dedup scan --engine spark``: the scan command's Spark path.

JSON and the text summary are assembled on the driver; ``--format jsonl``
and ``csv`` with ``-o DIR`` are written by the executors as a folder of part
files (Spark's way), which concatenated in name order give the local
engine's output (CSV repeats its header at the top of each part file).
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import click

from ..errors import DedupError
from ..ingest import FieldNames
from ..report import CSV_COLUMNS, csv_row, match_dict, write_csv, write_jsonl
from ..settings import Settings
from .engine import SparkScan, scan_paths
from .matches import row_match
from .session import session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def _jsonl_lines(rows: Iterable[Any]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(match_dict(row_match(row)), ensure_ascii=False)


def _csv_lines(rows: Iterable[Any]) -> Iterator[str]:
    first = True
    for row in rows:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if first:
            writer.writerow(CSV_COLUMNS)
            first = False
        writer.writerow(csv_row(row_match(row)))
        yield buf.getvalue().rstrip("\n")


def write_pairs(pairs: "DataFrame", fmt: str, folder: str) -> None:
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


def run_scan(paths: tuple[str, ...], fmt: str, output: str, html_path: str | None, names: FieldNames,
             settings: Settings, report_problems: Any) -> None:
    """Scan with Spark and write the report the way ``dedup scan`` does."""
    from ..cli import write_html, write_report

    spark = session()
    result: SparkScan = scan_paths(spark, paths, settings, names)
    report_problems(result.problems)
    if not result.stats["articles"]:
        raise DedupError("nothing to scan: no readable articles in " + ", ".join(paths))
    report = result.report() if html_path or fmt in ("json", "text") else None
    if html_path and report is not None:
        from ..render_html import scan_page

        write_html(html_path, scan_page(report, settings.to_dict()))
    if fmt in ("jsonl", "csv") and output != "-":
        write_pairs(result.ordered_pairs(), fmt, output)
    elif fmt in ("jsonl", "csv"):
        out = click.get_text_stream("stdout")
        (write_jsonl if fmt == "jsonl" else write_csv)(report.pairs if report else result.iter_matches(), out)
    else:
        with click.open_file(output, "w", encoding="utf-8") as out:
            write_report(report or result.report(), fmt, out, settings)
