"""Files of records inside a folder (JSONL, compressed or not, CSV, TSV, Parquet, WARC) are
read as when they are named, with the folder's outlet and sidecar for what they lack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Index, load
from dedup.cli import cli

from folder_files import jsonl, news_folder, table
from index_helpers import REPRINT, UNRELATED, WIRE


def test_records_in_a_folder_take_their_own_outlet_then_their_url_then_the_folder(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    root = news_folder(tmp_path / "news")
    articles, problems = load([str(root)])
    found = {a.id: (a.outlet, a.date, a.path) for a in articles}
    assert found == {
        "d2": ("tabs", None, f"{root}/daily/more.tsv"),
        "daily/news.jsonl:1": ("daily", None, f"{root}/daily/news.jsonl"),
        "d1": ("Daily Post", "2026-03-04", f"{root}/daily/rows.csv"),  # its sidecar row's
        "daily/story.txt": ("daily", None, f"{root}/daily/story.txt"),
        "d3": ("daily", None, f"{root}/daily/table.parquet"),
        "w1": ("wire", "2026-03-03", f"{root}/wire/feed.jsonl.gz"),
        "w2": ("herald.example", None, f"{root}/wire/feed.jsonl.gz"),
        "w3": ("city", None, f"{root}/wire/feed.jsonl.gz"),
        "wire/news.jsonl:1": ("wire", None, f"{root}/wire/news.jsonl"),
    } | {f"c{i}": ("daily", None, f"{root}/daily/cut.jsonl.gz") for i in range(len(found) - 9)}
    assert [a.id for a in articles][:2] == ["c0", "c1"]  # path order, records in file order
    assert 0 < len(found) - 9 < 200
    assert [(p.source, "cut short" in p.reason) for p in problems] == [(f"{root}/daily/cut.jsonl.gz", True)]


def test_a_record_file_is_read_alike_in_a_folder_and_named(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": WIRE, "url": "https://wire.example/a"}, {"text": REPRINT, "outlet": "herald"},
            {"id": "c"}]
    named = jsonl(tmp_path / "feed.jsonl.gz", rows)
    flat = tmp_path / "flat"
    jsonl(flat / "feed.jsonl.gz", rows)
    alone, alone_problems = load([str(named)])
    inside, inside_problems = load([str(flat)])
    assert [(a.id, a.outlet, a.text) for a in inside] == [(a.id, a.outlet, a.text) for a in alone]
    assert [a.id for a in inside] == ["a", "feed.jsonl.gz:2"]
    assert [(p.line, p.reason) for p in inside_problems] == [(p.line, p.reason) for p in alone_problems] == [
        (3, "record has no 'text' field")]


def test_a_folder_of_parquet_files_is_read_as_a_dataset(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    dataset = tmp_path / "news.parquet"
    table(dataset / "part-0.parquet", [{"key": "a", "body": WIRE}])
    table(dataset / "part-1.parquet", [{"key": "b", "body": UNRELATED}, {"key": None, "body": REPRINT}])
    (dataset / "_SUCCESS").write_bytes(b"")
    result = CliRunner().invoke(cli, ["scan", str(dataset), "--field", "id=key", "--field", "text=body",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == ["a", "b", "part-1.parquet:2"]


def test_a_folder_without_articles_names_what_it_reads(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.docx").write_bytes(b"PK\x03\x04")
    _, problems = load([str(tmp_path / "empty")])
    assert [p.reason for p in problems] == [
        "no article files in this folder (text, HTML, JSONL, CSV, TSV, Parquet or WARC)"]


def test_warc_files_in_a_folder_are_its_pages(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warc_files import COPY_PAGE, WIRE_PAGE, write_warc

    root = tmp_path / "crawls"
    (root / "monday").mkdir(parents=True)
    write_warc(root / "monday" / "crawl.warc.gz", [WIRE_PAGE, COPY_PAGE])
    articles, problems = load([str(root)])
    assert problems == []
    assert [(a.id, a.outlet) for a in articles] == [(WIRE_PAGE.uri, "wire.example"), (COPY_PAGE.uri, "herald.example")]


def test_index_add_reads_a_folder_of_record_files(tmp_path: Path) -> None:
    root = tmp_path / "news"
    jsonl(root / "wire" / "feed.jsonl.gz", [{"id": "w1", "text": WIRE}])
    table(root / "daily" / "rows.csv", [{"id": "d1", "text": UNRELATED}])
    location = str(tmp_path / "news.idx")
    assert CliRunner().invoke(cli, ["index", "add", location, str(root)]).exit_code == 0
    with Index.open(location, readonly=True) as idx:
        assert idx.stats()["articles"] == 2
    incoming = "".join(json.dumps(r) + "\n" for r in [{"id": "x", "text": REPRINT}, {"id": "y", "text": UNRELATED}])
    result = CliRunner().invoke(cli, ["filter", "--index", location, "-"], input=incoming)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # a reprint of w1, and d1 again
