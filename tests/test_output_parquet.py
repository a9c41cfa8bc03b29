"""``dedup scan --format parquet``: one row per span, typed, with the CSV's cells and the JSON's spans."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dedup.report_parquet
from dedup._version import __version__
from dedup.cli import cli
from dedup.cli.base import binary_file
from dedup.contracts import ContractError, schema, validate
from dedup.model import KINDS, Match, Span
from dedup.report import CSV_COLUMNS, PAIR_COLUMNS, SCHEMA, SPAN_COLUMNS, span_rows
from dedup.report_parquet import write_parquet

import requires

HAND_MADE = (Match("wire/1", "herald/7", (Span(0, 40, 10, 50, 1.0, "prose", 0.01), Span(60, 90, 70, 99, 0.9, "quote")),
                   0.5, 0.4, "wire/1", "date", 0.99),
             Match("herald/7", "coast/2", (), 0.0, 0.0))
"""A pair with two spans, and one with none (a scan reports no such pair)."""


@pytest.fixture(scope="module")
def pq() -> Any:
    requires.module("pyarrow", "pip install 'dedup[parquet]'")
    import pyarrow.parquet

    return pyarrow.parquet


def scan(*args: str) -> Any:
    return CliRunner().invoke(cli, ["scan", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def samples_file(pq: Any, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "pairs.parquet"
    result = scan(str(samples_dir), "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    return out


def rows(pq: Any, path: Path | io.BytesIO) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def test_the_rows_hold_the_csv_rows_one_span_each(pq: Any, samples_file: Path, samples_dir: Path) -> None:
    """Grouped by pair, the rows give back the CSV row: its cells, its span counts, its spans."""
    result = scan(str(samples_dir), "--format", "csv")
    header, *csv_rows = csv.reader(io.StringIO(result.output), quoting=csv.QUOTE_NONNUMERIC)
    assert tuple(header) == CSV_COLUMNS
    rebuilt = []
    for _, group in groupby(rows(pq, samples_file), key=lambda r: (r["a"], r["b"])):
        spans = list(group)
        pair = ["" if spans[0][c] is None else spans[0][c] for c in PAIR_COLUMNS]
        counts = [float(sum(1 for s in spans if s["kind"] == k)) for k in KINDS]
        assert [s["span"] for s in spans] == list(range(len(spans)))
        text = ";".join(f"{s['a_start']}-{s['a_end']}:{s['b_start']}-{s['b_end']}:{s['kind']}:{s['score']}"
                        for s in spans)
        rebuilt.append([*pair, *counts, text])
    assert rebuilt == csv_rows and len(csv_rows) > 10


def test_one_row_per_span_of_the_json_report_in_its_order(pq: Any, samples_file: Path, samples_dir: Path,
                                                          tmp_path: Path) -> None:
    assert scan(str(samples_dir), "--format", "json", "-o", str(tmp_path / "r.json")).exit_code == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    spans = [({k: p[k] for k in PAIR_COLUMNS}, n, s) for p in report["pairs"] for n, s in enumerate(p["spans"])]
    got = rows(pq, samples_file)
    assert len(got) == len(spans) == sum(len(p["spans"]) for p in report["pairs"])
    assert all(p["spans"] for p in report["pairs"])  # so every pair has rows
    assert got == [{**pair, "span": n, **span} for pair, n, span in spans]


def test_columns_are_typed_as_the_schema_file_says(pq: Any, samples_file: Path) -> None:
    import pyarrow as pa

    columns = schema("pair-row")["properties"]
    arrow = pq.read_schema(samples_file)
    assert arrow.names == list(columns) == list(SPAN_COLUMNS)
    for field in arrow:
        assert field.type == getattr(pa, columns[field.name]["x-parquet"])(), field.name
        assert field.nullable == admits_null(field.name), field.name
    assert {str(arrow.field(n).type) for n in ("a_start", "a_end", "b_start", "b_end", "span")} == {"int64"}
    assert {str(arrow.field(n).type) for n in ("score", "confidence", "a_coverage", "expect")} == {"double"}
    assert {str(arrow.field(n).type) for n in ("a", "b", "source", "reason", "kind")} == {"string"}


def admits_null(column: str) -> bool:
    try:
        validate(f"pair-row#/properties/{column}", None)
    except ContractError:
        return False
    return True


def test_every_row_validates_and_the_metadata_names_the_report_schema(pq: Any, samples_file: Path) -> None:
    for row in rows(pq, samples_file):
        validate("pair-row", row)
    meta = pq.read_schema(samples_file).metadata
    assert meta[b"dedup.schema"] == str(SCHEMA).encode() and meta[b"dedup.version"] == __version__.encode()
    assert f"schema version {SCHEMA}" in schema("pair-row")["title"]


def test_a_pair_without_spans_keeps_one_row_of_nulls(pq: Any) -> None:
    out = io.BytesIO()
    assert write_parquet(HAND_MADE, out) == 3
    got = rows(pq, out)
    assert [(r["a"], r["span"], r["kind"], r["expect"]) for r in got] == [
        ("wire/1", 0, "prose", 0.01), ("wire/1", 1, "quote", None), ("herald/7", None, None, None)]
    assert all(got[2][c] is None for c in SPAN_COLUMNS[len(PAIR_COLUMNS):])
    for row in got:
        validate("pair-row", row)
    with pytest.raises(ContractError, match="a_start"):  # null span columns only where span is null
        validate("pair-row", {**got[0], "a_start": None})


def test_no_pairs_is_a_file_with_the_columns_and_no_rows(pq: Any) -> None:
    out = io.BytesIO()
    assert write_parquet([], out) == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and table.schema.names == list(SPAN_COLUMNS)


def test_rows_are_written_a_row_group_at_a_time(pq: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.report_parquet, "ROW_GROUP", 2)
    out = io.BytesIO()
    assert write_parquet(HAND_MADE * 3, out) == 9
    done = pq.ParquetFile(out)
    assert done.metadata.num_row_groups == 4  # 2, 1 + 2, 1 + 2, 1: a pair's rows are never split
    assert done.read().to_pylist() == [dict(zip(SPAN_COLUMNS, r)) for m in HAND_MADE * 3 for r in span_rows(m)]


def test_a_failed_write_leaves_the_previous_file(pq: Any, tmp_path: Path) -> None:
    target = tmp_path / "pairs.parquet"
    target.write_bytes(b"the previous run")

    def failing() -> Iterator[Match]:
        yield HAND_MADE[0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError), binary_file(str(target)) as out:
        write_parquet(failing(), out)
    assert target.read_bytes() == b"the previous run" and [p.name for p in tmp_path.iterdir()] == ["pairs.parquet"]
    with binary_file(str(target)) as out:
        write_parquet(HAND_MADE, out)
    assert len(rows(pq, target)) == 3


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_parquet_needs_an_output_file(samples_dir: Path, output: list[str]) -> None:
    result = CliRunner().invoke(cli, ["scan", str(samples_dir), "--format", "parquet", *output])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == ("Error: --format parquet writes a file: "
                                              "give --output FILE (not -, standard output)")


def test_the_spark_engine_writes_the_same_file(spark: Any, pq: Any, samples_file: Path, samples_dir: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "spark.parquet"
    result = scan("--engine", "spark", str(samples_dir), "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).equals(pq.read_table(samples_file), check_metadata=True)
