"""The pairs as a Parquet table: one row per span, for dataframes and warehouses.

The rows are :func:`dedup.report.span_rows`, the cells CSV is made of too, so
the two formats cannot drift apart. Columns are typed (``COLUMN_TYPES``): ids,
kinds and reasons are strings, offsets and the span's place whole numbers
(int64), scores, coverages, confidence and ``expect`` floats (double). A pair
carries no dates: they are the documents', in the JSON report. The file's
key-value metadata holds ``dedup.schema`` (the JSON report's ``SCHEMA``, which
versions this column set too) and ``dedup.version``. The column set is a
contract, described by ``dedup/schemas/pair-row.schema.json``.

pyarrow is the ``parquet`` extra, imported when a file is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from ._version import __version__
from .errors import DedupError
from .model import Match
from .report import SCHEMA, SPAN_COLUMNS, span_rows
from .tables import NEEDS_PYARROW

COLUMN_TYPES: dict[str, str] = {
    "a": "string", "b": "string", "source": "string", "reason": "string", "confidence": "float64",
    "a_coverage": "float64", "b_coverage": "float64", "span": "int64",
    "a_start": "int64", "a_end": "int64", "b_start": "int64", "b_end": "int64",
    "score": "float64", "kind": "string", "expect": "float64", "content": "float64",
}
"""The pyarrow type (by its factory's name) of each of ``SPAN_COLUMNS``."""

REQUIRED = frozenset({"a", "b", "a_coverage", "b_coverage"})
"""Columns that are never null (the span's are null only for a pair without spans)."""

ROW_GROUP = 65_536
"""Rows held in memory and written at once: a row group of the file."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401  (the writer lives in the submodule)
    except ImportError:
        raise DedupError(NEEDS_PYARROW) from None
    return pyarrow


def require_pyarrow() -> None:
    """Raise :class:`DedupError` naming the extra to install when pyarrow is missing
    (the CLI asks before a scan, not after it)."""
    _pyarrow()


def arrow_schema() -> Any:
    """The pyarrow schema of the file, with its key-value metadata."""
    pa = _pyarrow()
    fields = [pa.field(name, getattr(pa, COLUMN_TYPES[name])(), nullable=name not in REQUIRED)
              for name in SPAN_COLUMNS]
    return pa.schema(fields, metadata={"dedup.schema": str(SCHEMA), "dedup.version": __version__})


def write_parquet(pairs: Iterable[Match], out: IO[bytes]) -> int:
    """Write the pairs' span rows to ``out`` as one Parquet file, ``ROW_GROUP`` rows at a
    time (pairs streamed from Spark are never all held); return the number of rows.
    No pairs: a file with the columns and no rows."""
    pa = _pyarrow()
    schema = arrow_schema()
    written = 0
    with pa.parquet.ParquetWriter(out, schema) as writer:
        batch: list[tuple[Any, ...]] = []
        for m in pairs:
            batch.extend(span_rows(m))
            if len(batch) >= ROW_GROUP:
                written += _write(writer, schema, batch)
                batch = []
        if batch:
            written += _write(writer, schema, batch)
    return written


def _write(writer: Any, schema: Any, rows: list[tuple[Any, ...]]) -> int:
    pa = _pyarrow()
    columns = [pa.array(values, type=f.type) for values, f in zip(zip(*rows), schema)]
    writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
    return len(rows)
