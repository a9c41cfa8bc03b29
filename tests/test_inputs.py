"""Input formats beyond plain files and JSONL, each written by its own library: read
through ``dedup.load`` and the commands alike, a broken file reported with its line."""

from __future__ import annotations

import bz2
import csv
import datetime
import gzip
import json
import lzma
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dedup import FieldNames, Index, load
from dedup.cli import cli
from dedup.tables import parquet_rows

from index_helpers import REPRINT, UNRELATED, WIRE, random_text, vocabulary


def zstd_open(path: Path, mode: str) -> Any:
    zstandard = pytest.importorskip("zstandard")
    return zstandard.open(path, mode)


def bz2_open(path: Path, mode: str) -> Any:
    return bz2.open(path, mode, compresslevel=1)  # blocks of 100 kB: a cut file keeps whole blocks


OPENERS: dict[str, Callable[[Path, str], Any]] = {
    "gz": gzip.open, "bz2": bz2_open, "xz": lzma.open, "zst": zstd_open,
}
CODECS = pytest.mark.parametrize("suffix", list(OPENERS))


def records() -> list[dict[str, Any]]:
    return [
        {"id": "wire-1", "text": WIRE, "outlet": "wire", "date": "2026-03-03"},
        {"id": "herald-7", "text": REPRINT, "url": "https://www.herald.example/ferries"},
        {"id": "bakery", "text": UNRELATED, "outlet": "city"},
    ]


def write(path: Path, rows: list[dict[str, Any]], suffix: str | None = None) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    if suffix is None:
        path.write_bytes(data)
    else:
        with OPENERS[suffix](path, "wb") as out:
            out.write(data)
    return path


def many(n: int = 600) -> list[dict[str, Any]]:
    """Records whose compressed form is long enough to break off in the middle."""
    rng, vocab = random.Random(5), vocabulary()
    return [{"id": f"r{i}", "text": random_text(rng, 80, vocab)} for i in range(n)]


def invoke(*args: str, input: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@CODECS
def test_compressed_jsonl_is_read_with_the_outlet_from_the_url(suffix: str, tmp_path: Path) -> None:
    path = write(tmp_path / f"news.jsonl.{suffix}", records(), suffix)
    articles, problems = load([str(path)])
    assert problems == []
    assert [a.id for a in articles] == ["wire-1", "herald-7", "bakery"]
    assert [a.outlet for a in articles] == ["wire", "herald.example", "city"]
    assert articles[0].text == WIRE and articles[0].date == "2026-03-03"


@CODECS
def test_compression_is_known_by_its_first_bytes_whatever_the_name(suffix: str, tmp_path: Path) -> None:
    path = write(tmp_path / "news.jsonl", records(), suffix)
    articles, problems = load([str(path)])
    assert problems == [] and len(articles) == 3


def test_a_name_claiming_a_codec_its_bytes_do_not_hold_is_one_problem(tmp_path: Path) -> None:
    fake = write(tmp_path / "fake.jsonl.gz", records())
    good = write(tmp_path / "good.jsonl.xz", records()[:1], "xz")
    articles, problems = load([str(fake), str(good)])
    assert [a.id for a in articles] == ["wire-1"]
    assert [(p.source, p.reason) for p in problems] == [
        (str(fake), "named as gzip data, but its first bytes are not gzip")]


@CODECS
@pytest.mark.parametrize("damage", ["cut short", "corrupt"])
def test_a_broken_compressed_file_is_one_problem_at_its_line_and_the_rest_is_read(
        suffix: str, damage: str, tmp_path: Path) -> None:
    rows = many()
    path = write(tmp_path / f"broken.jsonl.{suffix}", rows, suffix)
    data = path.read_bytes()
    middle = len(data) // 2
    if damage == "cut short":
        path.write_bytes(data[:middle])
    else:
        path.write_bytes(data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 64]) + data[middle + 64:])
    other = write(tmp_path / f"other.jsonl.{suffix}", records(), suffix)
    articles, problems = load([str(path), str(other)])
    *garbled, problem = problems  # gzip finds damage at the checksum: lines between are malformed, each named
    assert problem.source == str(path) and "corrupt or cut short" in problem.reason
    assert all(p.source == str(path) and p.line is not None for p in garbled)
    assert damage == "corrupt" or not garbled
    read = [a for a in articles if a.path == str(path)]
    whole = (garbled[0].line if garbled else problem.line) - 1
    assert 0 < whole <= len(read) < len(rows)
    assert [a.id for a in read[:whole]] == [r["id"] for r in rows[:whole]]
    if damage == "cut short":
        assert len(read) < problem.line <= len(read) + 2  # the line it broke off in, at most one garbled
    assert [a.id for a in articles if a.path == str(other)] == ["wire-1", "herald-7", "bakery"]


@CODECS
def test_a_malformed_line_inside_a_compressed_file_is_named_by_its_line(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"mixed.jsonl.{suffix}"
    with OPENERS[suffix](path, "wb") as out:
        out.write((json.dumps(records()[0]) + "\n{oops\n" + json.dumps(records()[2]) + "\n").encode())
    articles, problems = load([str(path)])
    assert [a.id for a in articles] == ["wire-1", "bakery"]
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [(2, "malformed JSON")]


@CODECS
def test_scan_reads_compressed_jsonl_from_a_file_and_from_stdin(suffix: str, tmp_path: Path) -> None:
    path = write(tmp_path / f"news.jsonl.{suffix}", records(), suffix)
    for args, stdin in (((str(path),), None), (("-",), path.read_bytes())):
        result = invoke("scan", *args, "--format", "jsonl", input=stdin)
        assert result.exit_code == 0, result.output
        pairs = [json.loads(line) for line in result.output.splitlines()]
        assert {(p["a"], p["b"]) for p in pairs} == {("wire-1", "herald-7")}


@CODECS
def test_index_add_and_filter_read_compressed_jsonl(suffix: str, tmp_path: Path) -> None:
    location = str(tmp_path / "news.idx")
    source = write(tmp_path / f"wire.jsonl.{suffix}", records()[:1], suffix)
    assert invoke("index", "add", location, str(source)).exit_code == 0
    with Index.open(location, readonly=True) as idx:
        assert idx.stats()["articles"] == 1
    incoming = write(tmp_path / f"incoming.jsonl.{suffix}", records()[1:], suffix)
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", location, "--rejects", str(rejects), str(incoming))
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["bakery"]
    assert [json.loads(line)["id"] for line in rejects.read_text().splitlines()] == ["herald-7"]


def test_filter_rejects_the_line_where_a_compressed_file_breaks_off(tmp_path: Path) -> None:
    location = str(tmp_path / "news.idx")
    rows = many()
    path = write(tmp_path / "broken.jsonl.gz", rows, "gz")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", location, "--rejects", str(rejects), str(path))
    assert result.exit_code == 0
    kept = result.stdout.splitlines()
    assert 0 < len(kept) < len(rows)
    (reject,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert reject["source"] == str(path) and reject["line"] == len(kept) + 1
    assert "corrupt or cut short" in reject["error"]
    assert f"{path}:{len(kept) + 1}: cannot read further" in result.stderr


TABLE_FIELDS = ("--field", "id=doc", "--field", "text=body", "--field", "url=link")
NAMES = FieldNames.parse(["id=doc", "text=body", "url=link"])


def table_records() -> list[dict[str, Any]]:
    return [{"doc": r["id"], "body": r["text"], "link": r.get("url", ""), "outlet": r.get("outlet", ""),
             "section": "transport"} for r in records()]


def row_starts(rows: list[dict[str, Any]]) -> list[int]:
    """The line each row of a CSV file starts on (the header is line 1), and the line after the last."""
    starts = [2]
    for row in rows:
        starts.append(starts[-1] + 1 + sum(str(v).count("\n") for v in row.values()))
    return starts


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",", extra: list[list[str]] = ()) -> Path:
    opener = OPENERS[path.suffix[1:]] if path.suffix[1:] in OPENERS else open
    with opener(path, "wt", newline="") as out:  # type: ignore[operator]
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
        for row in extra:
            csv.writer(out, delimiter=delimiter).writerow(row)
    return path


@pytest.mark.parametrize("name,delimiter", [("news.csv", ","), ("news.tsv", "\t"), ("news.csv.gz", ",")])
def test_csv_and_tsv_rows_are_articles_with_the_field_mapping(name: str, delimiter: str, tmp_path: Path) -> None:
    rows = table_records()
    rows[2]["body"] = 'A "quoted", comma-laden\nline, then\tanother.\n' + UNRELATED
    path = write_csv(tmp_path / name, rows, delimiter)
    articles, problems = load([str(path)], NAMES)
    assert problems == []
    assert [a.id for a in articles] == ["wire-1", "herald-7", "bakery"]
    assert [a.outlet for a in articles] == ["wire", "herald.example", "city"]
    assert articles[2].text == rows[2]["body"] and articles[0].meta == {"section": "transport"}


def test_a_malformed_csv_row_is_named_by_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    rows = table_records()
    rows[0]["body"] = WIRE + "\n\nA second paragraph.\n"  # one row over three lines: later rows' lines count them
    rows.insert(1, {**rows[1], "doc": "empty", "body": " "})
    rows.insert(2, {**rows[1], "doc": "huge", "body": "word " * 2000})
    path = write_csv(tmp_path / "news.csv", rows, extra=[["stray", "row", "with", "too", "many", "fields", "x"]])
    with path.open("a") as out:
        out.write('late,"an unclosed quote" then text,,,\n')
    articles, problems = load([str(path)], replace(NAMES, max_bytes=4000))
    assert [a.id for a in articles] == ["wire-1", "herald-7", "bakery"]
    starts = row_starts(rows)
    empty, huge, stray, late = starts[1], starts[2], starts[5], starts[5] + 1
    assert [(p.source, p.line) for p in problems] == [(str(path), n) for n in (empty, huge, stray, late)]
    assert [p.reason.split(" ")[0:2] for p in problems] == [
        ["record", "has"], ["row", "is"], ["row", "has"], ["malformed", "row:"]]
    assert "over the 4,000-byte limit" in problems[1].reason


@pytest.mark.parametrize("line", ['A "quoted" word, then a comma, ' * 20, "plain words and more " * 20])
def test_a_row_over_the_limit_over_many_lines_is_one_problem_and_the_next_row_is_read(line: str,
                                                                                      tmp_path: Path) -> None:
    rows = table_records()
    rows[1]["body"] = "\n".join([line] * 3000)  # each line short, the field far over the limit
    rows[1]["section"] = 'a "quoted", field'
    path = write_csv(tmp_path / "news.csv", rows)
    articles, problems = load([str(path)], replace(NAMES, max_bytes=50_000))
    assert [a.id for a in articles] == ["wire-1", "bakery"]
    assert articles[1].meta == {"section": "transport"}
    (problem,) = problems
    assert problem.line == row_starts(rows)[1] and "over the 50,000-byte limit" in problem.reason


def test_a_csv_without_a_header_or_not_utf8_is_one_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    latin = write_csv(tmp_path / "latin.csv", table_records())
    latin.write_bytes(latin.read_bytes() + "x,Peña in Latin-1,,,\n".encode("latin-1"))
    articles, problems = load([str(empty), str(latin)], NAMES)
    assert len(articles) == 3
    assert [(p.source, p.line, p.reason.split(";")[0]) for p in problems] == [
        (str(empty), 1, "no header row (the first line names the columns)"),
        (str(latin), row_starts(table_records())[3], "not UTF-8: invalid continuation byte at byte 4")]


def write_parquet(path: Path, rows: list[dict[str, Any]], row_group_size: int = 2) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def test_parquet_rows_are_articles_read_in_batches(tmp_path: Path) -> None:
    rows = table_records()
    for row, day in zip(rows, (3, 4, 5)):
        row["date"] = datetime.date(2026, 3, day)
    path = write_parquet(tmp_path / "news.parquet", rows)
    articles, problems = load([str(path)], NAMES)
    assert problems == []
    assert [(a.id, a.outlet, a.date) for a in articles] == [
        ("wire-1", "wire", "2026-03-03"), ("herald-7", "herald.example", "2026-03-04"),
        ("bakery", "city", "2026-03-05")]
    assert [n for n, _ in parquet_rows(path, str(path), print, batch=1)] == [1, 2, 3]


def test_a_bad_parquet_row_or_file_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    rows = table_records()
    rows[1]["body"] = None
    bad_row = write_parquet(tmp_path / "rows.parquet", rows)
    good = write_parquet(tmp_path / "good.parquet", [{**table_records()[0], "doc": "wire-2"}])
    cut = write_parquet(tmp_path / "cut.parquet", table_records())
    cut.write_bytes(cut.read_bytes()[:200])
    articles, problems = load([str(bad_row), str(cut), str(good)], NAMES)
    assert [a.id for a in articles] == ["wire-1", "bakery", "wire-2"]
    assert [(p.source, p.line) for p in problems] == [(str(bad_row), 2), (str(cut), None)]
    assert "'body'" in problems[0].reason and "not a readable Parquet file" in problems[1].reason


@pytest.mark.parametrize("name", ["news.csv", "news.tsv", "news.parquet"])
def test_scan_index_add_and_filter_read_tables(name: str, tmp_path: Path) -> None:
    def written(path: Path, rows: list[dict[str, Any]]) -> Path:
        if path.suffix == ".parquet":
            return write_parquet(path, rows)
        return write_csv(path, rows, "\t" if path.suffix == ".tsv" else ",")

    rows = table_records()
    everything = written(tmp_path / name, rows)
    result = invoke("scan", str(everything), *TABLE_FIELDS, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [{p["a"], p["b"]} for p in map(json.loads, result.output.splitlines())] == [{"wire-1", "herald-7"}]
    location = str(tmp_path / "news.idx")
    (tmp_path / "wire").mkdir()
    wire = written(tmp_path / "wire" / name, rows[:1])
    assert invoke("index", "add", location, str(wire), *TABLE_FIELDS).exit_code == 0
    (tmp_path / "incoming").mkdir()
    rows[2]["body"] = ""
    incoming = written(tmp_path / "incoming" / name, rows[1:])
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", location, "--rejects", str(rejects), *TABLE_FIELDS, str(incoming))
    assert result.exit_code == 0
    assert result.stdout == ""
    dropped = [json.loads(line) for line in rejects.read_text().splitlines()]
    empty_at = 2 if name == "news.parquet" else row_starts(rows[1:])[1]
    assert [(d.get("doc"), d.get("line")) for d in dropped] == [("herald-7", None), (None, empty_at)]
    assert dropped[0]["dedup"]["matches"][0]["id"] == "wire-1" and "empty 'body'" in dropped[1]["error"]
