"""Inputs read by Spark give the articles and problems the local reader gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dedup
from dedup.ingest import FieldNames
from dedup.report import document_dict, problem_dict

STORY = ("The harbor commission voted on Tuesday to extend the ferry schedule through the winter months, "
         "after residents of the outer islands asked for a morning crossing that reaches the mainland "
         "before the first school bell rings.")


def _read(spark: Any, paths: list[str], names: FieldNames = FieldNames()) -> tuple[list, list]:
    from dedup.spark import scan_paths

    report = scan_paths(spark, paths, names=names).report()
    return [document_dict(a) for a in report.documents], [problem_dict(p) for p in report.problems]


def _local(paths: list[str], names: FieldNames = FieldNames()) -> tuple[list, list]:
    articles, problems = dedup.load(paths, names)
    report = dedup.scan(articles, problems=problems)
    return [document_dict(a) for a in report.documents], [problem_dict(p) for p in report.problems]


def test_jsonl_problems_named_by_file_and_line(spark: Any, tmp_path: Path) -> None:
    lines = [
        json.dumps({"key": "a1", "body": STORY, "source": "wire", "when": "2026-03-02"}),
        '{"key": "a2", "body": ',  # malformed
        "",
        json.dumps({"key": "a3", "source": "wire"}),  # no text
        json.dumps({"key": "a1", "body": STORY + " Again.", "source": "daily"}),  # duplicate id
        json.dumps(["not", "an", "object"]),
        json.dumps({"body": "No id here: " + STORY, "when": "03-Mar-2026"}),
    ]
    data = ("\n".join(lines) + "\n").encode() + b'{"key": "a9", "body": "caf\xe9"}\n'  # not UTF-8
    first = tmp_path / "one.jsonl"
    first.write_bytes(data)
    second = tmp_path / "two.ndjson"
    second.write_text(json.dumps({"key": "b1", "body": STORY.upper(), "source": "daily"}) + "\n", encoding="utf-8")
    paths = [str(first), str(tmp_path / "missing.jsonl"), str(second)]
    names = FieldNames.parse(["id=key", "text=body", "outlet=source", "date=when"])
    documents, problems = _read(spark, paths, names)
    assert (documents, problems) == _local(paths, names)
    assert {p["line"] for p in problems} == {2, 4, 6, 8, None}
    assert any("duplicate id 'a1'" in p["reason"] for p in problems)


def test_folder_with_sidecar_and_bad_files(spark: Any, tmp_path: Path) -> None:
    root = tmp_path / "news"
    for outlet, name, text in [("wire", "ferry.txt", STORY), ("daily", "ferry-copy.txt", "Ferry\n\n" + STORY),
                               ("daily", "sub/deeper.md", STORY[:120]), ("quick-news", "x.txt", STORY[40:])]:
        path = root / outlet / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "daily" / "empty.txt").write_text("   ", encoding="utf-8")
    (root / "daily" / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (root / "daily" / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (root / "README.md").write_text("not an article", encoding="utf-8")
    (root / "metadata.csv").write_text("path,date,title,outlet\nwire/ferry.txt,2026-03-02,Ferry,\n"
                                       "daily/ferry-copy.txt,2026-03-03,,Daily Post\n,2026-01-01,,\n",
                                       encoding="utf-8")
    documents, problems = _read(spark, [str(root)])
    assert (documents, problems) == _local([str(root)])
    assert len(documents) == 4 and len(problems) == 3


def test_parquet_with_field_names(spark: Any, tmp_path: Path, samples_dir: Path) -> None:
    from dedup.report import match_dict
    from dedup.spark import scan_paths

    articles, _ = dedup.load([str(samples_dir)])
    rows = [(a.id, a.text, a.outlet, a.date) for a in articles] + [("blank", None, "wire", None)]
    frame = spark.createDataFrame(rows, "key string, body string, source string, published string")
    frame.repartition(3).write.parquet(str(tmp_path / "news.parquet"))
    names = FieldNames.parse(["id=key", "text=body", "outlet=source", "date=published"])
    report = scan_paths(spark, [str(tmp_path / "news.parquet")], names=names).report()
    local = dedup.scan(articles)
    assert [match_dict(m) for m in report.pairs] == [match_dict(m) for m in local.pairs]
    assert report.families == local.families and report.outlets == local.outlets
    assert [(p.reason, p.line is not None) for p in report.problems] == [("record has no 'body' field", True)]


def test_warc_pages_and_a_file_cut_short(spark: Any, tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warc_files import BAKERY_PAGE, COPY_PAGE, IMAGE, WIRE_PAGE, write_warc

    crawl = write_warc(tmp_path / "crawl.warc.gz", [WIRE_PAGE, IMAGE, COPY_PAGE])
    starts: list[int] = []
    cut = write_warc(tmp_path / "cut.warc", [BAKERY_PAGE, COPY_PAGE], starts)
    cut.write_bytes(cut.read_bytes()[: starts[4] - 100])  # inside its last page
    paths = [str(crawl), str(cut)]
    documents, problems = _read(spark, paths)
    assert (documents, problems) == _local(paths)
    assert [d["id"] for d in documents] == [WIRE_PAGE.uri, COPY_PAGE.uri, BAKERY_PAGE.uri]
    assert [(p["source"], p["line"]) for p in problems] == [(str(cut), 4)] and "cut short" in problems[0]["reason"]


def test_a_folder_of_record_files_and_compressed_and_csv_files_named(spark: Any, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("warcio")
    from folder_files import news_folder
    from warc_files import COPY_PAGE, WIRE_PAGE, write_warc

    root = news_folder(tmp_path / "news")
    (root / "web").mkdir()
    write_warc(root / "web" / "crawl.warc.gz", [WIRE_PAGE, COPY_PAGE])
    paths = [str(root), str(root / "daily" / "more.tsv"), str(root / "daily" / "cut.jsonl.gz")]
    documents, problems = _read(spark, paths)
    assert (documents, problems) == _local(paths)
    assert {d["outlet"] for d in documents} >= {"wire", "daily", "Daily Post", "herald.example", "tabs"}
    assert sum("cut short" in p["reason"] for p in problems) == 2
    assert sum("duplicate id" in p["reason"] for p in problems) > 2
