"""Arrow batches between the JVM and the Python stages (``DataFrame.mapInArrow``).

A Python stage gets columns, not rows: its numbers arrive as numpy arrays
and its results leave as Arrow arrays built from numpy, so no Python object
is made per fingerprint or per pair on the way in or out. Texts are the one
column turned into Python strings, as the tokenizer wants them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from ..text import BATCH

if TYPE_CHECKING:
    import pyarrow as pa


def numbers(batch: pa.RecordBatch | pa.Table, name: str, fill: int = -1) -> np.ndarray:
    """An integer column as int64, nulls as ``fill``."""
    column = batch.column(name)
    if column.null_count:
        import pyarrow.compute as pc

        column = pc.fill_null(column, fill)
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.int64)


def slices(batches: Iterable[pa.RecordBatch], size: int = BATCH) -> Iterator[pa.RecordBatch]:
    """Batches of at most ``size`` rows (texts are tokenized ``size`` at a time)."""
    for batch in batches:
        for start in range(0, batch.num_rows, size):
            yield batch.slice(start, size)


def arrow_schema(schema: Any) -> pa.Schema:
    """The Arrow schema of a Spark ``StructType``."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema)

