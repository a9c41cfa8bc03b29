"""Hostile records are rejected with their line and reason, on every input path; the run goes on.

The corpus is one bad JSONL line per case, each placed between two good
records: ``dedup filter``, ``dedup index add`` and ``dedup scan`` must pass on
(or index, or scan) both good ones, name the bad one with its line and
reason, exit 0 and never raise.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dedup import Article, Index, load
from dedup.cli import cli
from dedup.contracts import validate
from dedup.records import MAX_DEPTH

from index_helpers import WIRE, dedup_cmd, random_text, subprocess_env, vocabulary

_rng = random.Random(19)
_vocab = vocabulary()
GOOD = [json.dumps({"id": f"good-{k}", "text": random_text(_rng, 80, _vocab), "outlet": "herald"}) for k in (1, 2)]
BODY = random_text(_rng, 60, _vocab)
LIMIT = 4000
"""--max-bytes of these runs: a record over it is oversized."""


def nested(depth: int) -> str:
    return "[" * (depth - 1) + "]" * (depth - 1)  # inside the record (level 1): ``depth`` levels in all


def rec(**fields: object) -> str:
    """A JSONL line; json.dumps writes a lone surrogate as an escape such as \\ud800."""
    return json.dumps({"id": "x", "text": BODY, **fields})


def deep(depth: int) -> str:
    return rec(m=0).replace('"m": 0', '"m": ' + nested(depth))


HOSTILE = {
    # lone surrogates, as JSON escapes: no UTF-8 output could hold them
    "surrogate in text": (rec(text=BODY + " \ud800 more"), "the text is not Unicode"),
    "surrogate in id": (rec(id="x\udc80"), "the id is not Unicode"),
    "surrogate in outlet": (rec(outlet="\udfff"), "the outlet is not Unicode"),
    "surrogate in title": (rec(title="T\ud834"), "the title is not Unicode"),
    "surrogate in a pass-through field": (rec(tags=[{"k": "\ud800"}]), "pass-through field is not Unicode"),
    "surrogate in a pass-through name": (rec(**{"\udbff": 1}), "pass-through field is not Unicode"),
    "surrogate as UTF-8 bytes": (b'{"id": "x", "text": "' + BODY.encode() + b' \xed\xa0\x80"}', "not UTF-8"),
    "nested 1,000 deep": (deep(1000), "nested deeper than"),
    "nested one level too deep": (deep(MAX_DEPTH + 1), "nested deeper than"),
    "oversized": (rec(text=random_text(_rng, 800, _vocab)), "over the 4,000-byte limit"),
    "id is a list": (rec(id=["x"]), "'id' must be a string or a whole number, not a list"),
    "id is true": (rec(id=True), "not true or false"),
    "id is a fraction": (rec(id=1.5), "not float"),
    "outlet is an object": (rec(outlet={"a": 1}), "'outlet' must be a string"),
    "date is a list": (rec(date=[2026]), "'date' must be a string"),
    "url is true": (rec(url=True), "'url' must be a string"),
    "text is a number": (rec(text=12), "a non-string 'text'"),
    "no text": ('{"id": "x"}', "no 'text'"),
    "not an object": (json.dumps(["x", BODY]), "not a JSON object"),
    "malformed": (rec()[:-2], "malformed JSON"),
}
CASES = pytest.mark.parametrize("case", list(HOSTILE))


def stream(case: str) -> bytes:
    line, _ = HOSTILE[case]
    bad = line if isinstance(line, bytes) else line.encode()
    return GOOD[0].encode() + b"\n" + bad + b"\n" + GOOD[1].encode() + b"\n"


def invoke(*args: str, input: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, [*args, "--max-bytes", str(LIMIT)], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_the_good_records_fit_the_limit_and_the_deepest_allowed_record_is_read(tmp_path: Path) -> None:
    assert all(len(g) < LIMIT for g in GOOD)
    path = tmp_path / "deep.jsonl"
    path.write_text(deep(MAX_DEPTH) + "\n")
    (article,), problems = load([str(path)])
    assert problems == [] and article.meta["m"]


@CASES
def test_filter_rejects_the_record_and_passes_on_the_rest(case: str, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", str(tmp_path / "news.idx"), "--rejects", str(rejects), input=stream(case))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == GOOD
    (line,) = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert (line["source"], line["line"]) == ("<stdin>", 2)
    assert HOSTILE[case][1] in line["error"]
    assert f"<stdin>:2: {line['error']}" in result.stderr
    assert "3 records: 2 kept, 0 dropped, 1 rejected" in result.stderr
    with Index.open(tmp_path / "news.idx") as idx:
        assert len(idx) == 2


@CASES
def test_index_add_skips_the_record_and_adds_the_rest(case: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(stream(case))
    result = invoke("index", "add", str(tmp_path / "news.idx"), str(source))
    assert result.exit_code == 0
    (warning,) = [w for w in result.stderr.splitlines() if "skipped" in w]
    assert "in.jsonl:2: " in warning and HOSTILE[case][1] in warning
    with Index.open(tmp_path / "news.idx") as idx:
        assert len(idx) == 2 and "good-1" in idx and "good-2" in idx


@CASES
def test_scan_reports_the_record_and_scans_the_rest(case: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(stream(case))
    out = tmp_path / "report.json"
    result = invoke("scan", str(source), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    validate("report", report)
    assert [d["id"] for d in report["documents"]] == ["good-1", "good-2"]
    (problem,) = report["problems"]
    assert problem["line"] == 2 and HOSTILE[case][1] in problem["reason"]


def test_a_hostile_duplicate_never_stops_a_batch_after_its_commit(tmp_path: Path) -> None:
    """The crash of old came after the commit: good records of the batch were indexed and never written."""
    path = tmp_path / "news.idx"
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE)])
    copy = json.dumps({"id": "copy", "text": WIRE, "note": "\ud800"})
    rejects = tmp_path / "rejects.jsonl"
    result = invoke("filter", "--index", str(path), "--rejects", str(rejects), "--max-bytes", "100000",
                    input=(GOOD[0] + "\n" + copy + "\n").encode())
    assert result.exit_code == 0 and result.stdout.splitlines() == [GOOD[0]]
    assert "not Unicode" in json.loads(rejects.read_text())["error"]
    with Index.open(path) as idx:
        assert "good-1" in idx and len(idx) == 2


def test_the_whole_corpus_in_real_processes_gives_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "all.jsonl"
    source.write_bytes(b"".join(stream(case) for case in HOSTILE))
    runs = {
        "filter": dedup_cmd("filter", "--index", str(tmp_path / "f.idx"), "--rejects", str(tmp_path / "r.jsonl"),
                            "--max-bytes", str(LIMIT), str(source)),
        "add": dedup_cmd("index", "add", str(tmp_path / "a.idx"), str(source), "--max-bytes", str(LIMIT)),
        "scan": dedup_cmd("scan", str(source), "--max-bytes", str(LIMIT), "--format", "json",
                          "-o", str(tmp_path / "report.json")),
    }
    for name, cmd in runs.items():
        done = subprocess.run(cmd, capture_output=True, text=True, env=subprocess_env(), timeout=300)
        assert done.returncode == 0, (name, done.stderr)
        assert "Traceback" not in done.stderr and "Error" not in done.stderr, (name, done.stderr)
        assert done.stderr.count(":") >= len(HOSTILE), name  # each one named with its line
    rejected = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    unreadable = [r for r in rejected if "error" in r]  # the rest: later copies of the good records, dropped
    assert len(unreadable) == len(HOSTILE) and {r["line"] % 3 for r in unreadable} == {2}


def test_a_file_name_that_is_not_utf8_is_named_and_skipped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 file name: Python holds the byte as a lone surrogate
    try:
        (tmp_path / name).write_text(BODY)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    (tmp_path / "fine.txt").write_text(BODY + " fine")
    articles, problems = load([str(tmp_path)])
    assert [a.id for a in articles] == ["fine.txt"]
    (problem,) = problems
    assert problem.source.endswith("caf\\xe9.txt") and "not UTF-8" in problem.reason
    json.dumps(problem.source).encode("utf-8")  # any output can hold its name


def test_sidecar_values_that_are_not_unicode_or_too_deep_are_reported_by_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text(BODY + " b")
    (tmp_path / "c.txt").write_text(BODY + " c")
    rows = [json.dumps({"path": "a.txt", "title": "A\ud800"}),
            json.dumps({"path": "b.txt", "extra": 0}).replace("0", nested(1000)),
            json.dumps({"path": "c.txt", "title": "Fine"})]
    (tmp_path / "metadata.jsonl").write_text("\n".join(rows) + "\n")
    articles, problems = load([str(tmp_path)])
    assert {a.id: a.title for a in articles}["c.txt"] == "Fine"
    assert sorted((p.line, p.reason.split(":")[0]) for p in problems) == [
        (1, "metadata row not read"), (2, "metadata row not read")]
    for article in articles:
        json.dumps(article.title or "").encode("utf-8")
