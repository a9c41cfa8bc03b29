"""Records from tables: CSV and TSV with a header row, Parquet files; streamed, never whole.

Each row becomes a dict keyed by column name, with the number a problem names:
for CSV the line the row starts on (the header is line 1), for Parquet the row
(the first is 1). The reader of articles turns rows into articles with the one
record check of JSONL (:func:`dedup.ingest.from_record`), so ``--field``
mappings and problem reports are the same. A malformed row is one problem and
the next row is read; a line or a row over the size limit is skipped without
being held in memory. Parquet needs pyarrow (the ``parquet`` extra) and is read one batch
of rows at a time.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .model import Problem
from .records import Unreadable, lines, too_large

CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
PARQUET_BATCH = 1024
"""Rows of a Parquet file held at once."""
NEEDS_PYARROW = "Parquet needs the parquet extra: pip install 'dedup[parquet]'"
"""What reading or writing Parquet without pyarrow says."""

Rows = Iterator[tuple[int, dict[str, Any]]]


class _Lines:
    """The lines of a byte stream as text, for the CSV reader. A line over ``limit`` bytes
    (never held whole) or not UTF-8 is reported and left out. A row (since :meth:`new_row`)
    that grows over ``limit`` bytes can only be inside a quoted field that spans lines: its
    further lines are read through, not given, until the quotes are even again (where the
    row ends), and a closing quote is given instead, so the reader ends the row there.
    ``number`` is the last line read."""

    def __init__(self, stream: IO[bytes], limit: int, report: Callable[[int, str], None]) -> None:
        self.stream, self.limit, self.report = stream, limit, report
        self.number = self.row_bytes = self._quotes = 0

    def new_row(self) -> int:
        """Start counting a new row's bytes and quotes; the line it starts on."""
        self.row_bytes = self._quotes = 0
        return self.number + 1

    def __iter__(self) -> Iterator[str]:
        for number, raw, size in lines(self.stream, self.limit):
            self.number = number
            if size > self.limit:
                self.report(number, too_large(size, self.limit, "row"))
                continue
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                self.report(number, f"not UTF-8: {err.reason} at byte {err.start}")
                continue
            self.row_bytes += size
            self._quotes ^= text.count('"') & 1  # odd: inside a quoted field ("" counts twice)
            if self.row_bytes <= self.limit:
                yield text
            elif not self._quotes:
                yield '"\n'


def csv_rows(stream: IO[bytes], source: str, delimiter: str, limit: int,
             on_problem: Callable[[Problem], None]) -> Rows:
    """The rows of a CSV or TSV byte stream (UTF-8) under its header row, with their line."""
    lines = _Lines(stream, limit, lambda number, reason: on_problem(Problem(source, reason, number)))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header = _row(reader, limit)
    if not header or not any(name.strip() for name in header):
        on_problem(Problem(source, "no header row (the first line names the columns)", 1))
        return
    if len(set(header)) < len(header):
        on_problem(Problem(source, "the header row names a column twice", 1))
        return
    while True:
        start = lines.new_row()
        try:
            row = _row(reader, limit)
        except csv.Error as err:
            on_problem(Problem(source, f"malformed row: {err}", start))
            continue
        if row is None:
            return
        if lines.row_bytes > limit:
            on_problem(Problem(source, too_large(lines.row_bytes, limit, "row"), start))
            continue
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            on_problem(Problem(source, f"row has {len(row)} fields, the header {len(header)}", start))
            continue
        yield start, dict(zip(header, row))


def _row(reader: Iterator[list[str]], limit: int) -> list[str] | None:
    """The next row, a field as large as an article allowed. The csv module's limit is
    global: it is raised for this one row only, so other readers (sidecars) keep theirs."""
    before = csv.field_size_limit(max(limit, csv.field_size_limit()))
    try:
        return next(reader, None)
    finally:
        csv.field_size_limit(before)


def parquet_rows(path: Path | IO[bytes], source: str, on_problem: Callable[[Problem], None],
                 batch: int = PARQUET_BATCH) -> Rows:
    """The rows of a Parquet file, a batch at a time, with their number (from 1)."""
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise Unreadable(NEEDS_PYARROW) from None
    number = 0
    try:
        with pq.ParquetFile(path) as table:
            for chunk in table.iter_batches(batch_size=batch):
                for row in chunk.to_pylist():
                    number += 1
                    yield number, {str(k): plain(v) for k, v in row.items()}
    except (OSError, pyarrow.ArrowException) as err:
        where = f"after row {number}" if number else "at its start"
        on_problem(Problem(source, f"not a readable Parquet file {where}: {err}", number + 1 if number else None))


def plain(value: object) -> Any:
    """A Parquet value as JSON would hold it: dates and times in ISO 8601, bytes and
    other scalars as their text, lists and structs as lists and objects."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
