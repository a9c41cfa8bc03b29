"""WARC files, written by warcio's own writer: their HTML responses are articles, read
through ``dedup.load`` and the commands alike; a broken file is reported with its record."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dedup import FieldNames, Index, load
from dedup.cli import cli

from index_helpers import UNRELATED

pytest.importorskip("warcio")
pytest.importorskip("trafilatura")
from warc_files import (  # noqa: E402
    BAKERY_PAGE,
    COPY_PAGE,
    IMAGE,
    WIRE_PAGE,
    Response,
    html,
    record_starts,
    write_warc,
)

KINDS = pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])


def invoke(*args: str, input: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@KINDS
def test_html_responses_are_articles_with_id_outlet_and_date_from_their_headers(name: str, tmp_path: Path) -> None:
    path = write_warc(tmp_path / name, [WIRE_PAGE, IMAGE, COPY_PAGE])
    articles, problems = load([str(path)])
    assert problems == []
    assert [(a.id, a.url, a.outlet, a.date, a.title) for a in articles] == [
        (WIRE_PAGE.uri, WIRE_PAGE.uri, "wire.example", "2026-03-03", "Ferry plan approved"),
        (COPY_PAGE.uri, COPY_PAGE.uri, "herald.example", "2026-03-04", "Island ferries"),
    ]
    assert "replace the aging ferry fleet" in articles[0].text and "Home | News" not in articles[0].text
    assert articles[0].meta["WARC-Date"] == WIRE_PAGE.date and articles[0].path == str(path)


def test_a_field_mapping_names_a_warc_header(tmp_path: Path) -> None:
    page = replace(BAKERY_PAGE, record_id="<urn:uuid:bakery-1>")
    path = write_warc(tmp_path / "crawl.warc.gz", [page])
    (article,), problems = load([str(path)], FieldNames.parse(["id=WARC-Record-ID", "outlet=WARC-Date"]))
    assert problems == []
    assert (article.id, article.outlet, article.url, article.date) == ("<urn:uuid:bakery-1>", page.date, page.uri,
                                                                       "2026-03-05")


@KINDS
def test_scan_finds_the_copy_between_two_pages_of_a_file_and_of_stdin(name: str, tmp_path: Path) -> None:
    path = write_warc(tmp_path / name, [WIRE_PAGE, IMAGE, COPY_PAGE, BAKERY_PAGE])
    for args, stdin in (((str(path),), None), (("-",), path.read_bytes())):
        result = invoke("scan", *args, "--format", "jsonl", input=stdin)
        assert result.exit_code == 0, result.output
        pairs = [json.loads(line) for line in result.stdout.splitlines()]
        assert {frozenset((p["a"], p["b"])) for p in pairs} == {frozenset((WIRE_PAGE.uri, COPY_PAGE.uri))}


def test_index_add_and_filter_read_warc(tmp_path: Path) -> None:
    location = str(tmp_path / "news.idx")
    assert invoke("index", "add", location, str(write_warc(tmp_path / "wire.warc.gz", [WIRE_PAGE]))).exit_code == 0
    with Index.open(location, readonly=True) as idx:
        assert idx.stats()["articles"] == 1
    incoming = write_warc(tmp_path / "incoming.warc", [COPY_PAGE, IMAGE, BAKERY_PAGE])
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", location, "--rejects", str(rejects), input=incoming.read_bytes())
    assert result.exit_code == 0, result.output
    (kept,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (kept["id"], kept["url"], kept["date"]) == (BAKERY_PAGE.uri, BAKERY_PAGE.uri, "2026-03-05")
    assert "sourdough" in kept["text"] and kept["WARC-Date"] == BAKERY_PAGE.date
    assert [json.loads(line)["id"] for line in rejects.read_text().splitlines()] == [COPY_PAGE.uri]


@KINDS
def test_a_file_cut_short_inside_its_last_record_is_one_problem_and_the_rest_is_read(name: str,
                                                                                     tmp_path: Path) -> None:
    starts: list[int] = []
    path = write_warc(tmp_path / name, [WIRE_PAGE, COPY_PAGE], starts)
    copy_starts = record_starts(path)[3]  # in the uncompressed WARC
    path.write_bytes(path.read_bytes()[: starts[4] - 100])  # inside the copy's page
    other = write_warc(tmp_path / "other.warc", [BAKERY_PAGE])
    articles, problems = load([str(path), str(other)])
    assert [a.id for a in articles] == [WIRE_PAGE.uri, BAKERY_PAGE.uri]
    (problem,) = problems
    assert (problem.source, problem.line) == (str(path), 4)
    assert problem.reason.startswith(f"record at byte {copy_starts}: ")
    assert "cut short" in problem.reason and "the rest of the file is not read" in problem.reason


def test_filter_rejects_the_record_where_a_warc_breaks_off(tmp_path: Path) -> None:
    starts: list[int] = []
    path = write_warc(tmp_path / "crawl.warc", [BAKERY_PAGE, COPY_PAGE], starts)
    path.write_bytes(path.read_bytes()[: starts[4] - 100])
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", str(tmp_path / "news.idx"), "--rejects", str(rejects), str(path))
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [BAKERY_PAGE.uri]
    (reject,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert (reject["source"], reject["line"]) == (str(path), 4) and "cut short" in reject["error"]
    assert f"{path}:4: record at byte" in result.stderr


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_garbage_between_records_is_one_problem_naming_the_record_and_the_rest_is_read(name: str,
                                                                                       tmp_path: Path) -> None:
    starts: list[int] = []
    path = write_warc(tmp_path / name, [WIRE_PAGE, COPY_PAGE], starts)
    data, cut = path.read_bytes(), starts[3]  # the copy's response (for gzip, its member)
    path.write_bytes(data[:cut] + b"this is not a record\r\n" + data[cut:])
    articles, problems = load([str(path), str(write_warc(tmp_path / "other.warc", [BAKERY_PAGE]))])
    assert [a.id for a in articles] == [WIRE_PAGE.uri, BAKERY_PAGE.uri]
    (problem,) = problems
    assert (problem.source, problem.line) == (str(path), 4)
    assert problem.reason.startswith("record ") and problem.reason.endswith("the rest of the file is not read")
    assert ("corrupt or cut short" if name.endswith(".gz") else "not a WARC record") in problem.reason


def test_a_page_without_article_text_or_over_the_size_limit_is_one_problem(tmp_path: Path) -> None:
    empty = Response("https://city.example/empty", "2026-03-05T10:00:00Z", b"<html><body></body></html>")
    large = Response("https://city.example/large", "2026-03-05T10:00:00Z",
                     html("Large", UNRELATED, "<!-- " + "x" * 20_000 + " -->"))
    path = write_warc(tmp_path / "crawl.warc.gz", [empty, large, WIRE_PAGE])
    articles, problems = load([str(path)], FieldNames(max_bytes=10_000))
    assert [a.id for a in articles] == [WIRE_PAGE.uri]
    assert [(p.line, p.reason.split(": ", 1)[1]) for p in problems] == [
        (2, "no article text found in the HTML"),
        (4, f"page is {len(large.body):,} bytes, over the 10,000-byte limit for one article"),
    ]


def test_a_compressed_page_is_decoded_and_a_corrupt_one_is_one_problem(tmp_path: Path) -> None:
    rng = random.Random(3)
    padding = "<!-- " + " ".join("".join(rng.choices("abcdefgh", k=6)) for _ in range(20_000)) + " -->"
    body = bytearray(gzip.compress(html("Sourdough prize", UNRELATED, padding)))
    body[len(body) // 2 : len(body) // 2 + 200] = rng.randbytes(200)
    broken = replace(BAKERY_PAGE, body=bytes(body), encoding="gzip")
    packed = replace(WIRE_PAGE, body=gzip.compress(WIRE_PAGE.body), encoding="gzip")
    path = write_warc(tmp_path / "crawl.warc.gz", [broken, packed])
    articles, problems = load([str(path)])
    assert [(a.id, a.title) for a in articles] == [(WIRE_PAGE.uri, "Ferry plan approved")]
    assert [(p.line, p.reason.split(": ", 1)[1][:24]) for p in problems] == [(2, "the page does not decode")]


def test_a_file_that_is_not_a_warc_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("just some notes\n")
    articles, problems = load([str(path)])
    assert articles == [] and [(p.line, p.reason[:32]) for p in problems] == [(1, "record at byte 0: not a WARC rec")]


def test_a_record_whose_headers_break_warcio_is_reported_in_words_a_user_reads(tmp_path: Path) -> None:
    """warcio meets a response without its target URI with a Python error; the problem says what is
    wrong with the file, not what went wrong inside the library."""
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\n<html>x")  # no target URI
    articles, problems = load([str(path), str(write_warc(tmp_path / "other.warc", [BAKERY_PAGE]))])
    assert [a.id for a in articles] == [BAKERY_PAGE.uri]
    (problem,) = problems
    assert problem.reason == "record at byte 0: not a WARC record (its headers could not be read); " \
                             "the rest of the file is not read"
