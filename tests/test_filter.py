"""``dedup filter`` and ``dedup index``: streaming JSONL through a persistent index."""

from __future__ import annotations

import json
import select
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article, Index
from dedup.cli import cli
from dedup.filter import content_id

from index_helpers import (
    QUOTING,
    REPRINT,
    STITCHED,
    UNRELATED,
    WIRE,
    dedup_cmd,
    random_articles,
    subprocess_env,
    write_jsonl,
)


def record(rid: str | None, text: str, **extra: object) -> str:
    data: dict[str, object] = {"text": text, **extra}
    if rid is not None:
        data = {"id": rid, **data}
    return json.dumps(data, ensure_ascii=False)


INCOMING = [
    record("herald-7", REPRINT, outlet="herald", tags=["ferry", "islands"]),
    record("island-2", STITCHED, date="2026-03-04"),
    '{"id": "broken", "text": ',
    record("commuters", QUOTING),
    json.dumps({"id": "empty", "text": "   "}),
    json.dumps(["not", "an", "object"]),
    record("bakery", UNRELATED, nested={"a": [1, 2.5, None]}),
]


@pytest.fixture
def index(tmp_path: Path) -> str:
    path = str(tmp_path / "news.idx")
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE, outlet="wire", date="2026-03-03")])
    return path


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_filter_keeps_new_and_partial_unchanged(index: str, tmp_path: Path) -> None:
    rejects = tmp_path / "dropped.jsonl"
    code, out, err = invoke("filter", "--index", index, "--rejects", str(rejects), input="\n".join(INCOMING) + "\n")
    assert code == 0
    assert out.splitlines() == [INCOMING[1], INCOMING[3], INCOMING[6]]  # the very lines read
    dropped = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [d.get("id") for d in dropped] == ["herald-7", None, None, None]
    assert dropped[0]["tags"] == ["ferry", "islands"]
    assert dropped[0]["dedup"]["status"] == "duplicate"
    assert dropped[0]["dedup"]["matches"][0]["id"] == "wire-1"
    assert [(d["line"], d["raw"]) for d in dropped[1:]] == [(3, INCOMING[2]), (5, INCOMING[4]), (6, INCOMING[5])]
    assert "malformed JSON" in dropped[1]["error"]
    assert "empty 'text'" in dropped[2]["error"] and "not a JSON object" in dropped[3]["error"]
    assert "<stdin>:3: malformed JSON" in err
    assert "7 records: 3 kept, 1 dropped, 3 rejected" in err
    with Index.open(index) as idx:
        assert len(idx) == 4 and "island-2" in idx and "herald-7" not in idx


def test_annotate_keeps_everything_and_says_why(index: str) -> None:
    code, out, _ = invoke("filter", "--index", index, "--annotate", "--spans", "--no-add", input="\n".join(INCOMING))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["dedup"]["status"]) for r in rows] == [
        ("herald-7", "duplicate"), ("island-2", "partial"), ("commuters", "new"), ("bakery", "new")]
    assert rows[3]["nested"] == {"a": [1, 2.5, None]}
    partial = rows[1]["dedup"]
    assert 0 < partial["reused_share"] < 0.5 and partial["added"] is False
    span = partial["matches"][0]["spans"][0]
    assert STITCHED[span["a_start"] : span["a_end"]] == WIRE[span["b_start"] : span["b_end"]]
    assert "spans" in partial["matches"][0]  # only with --spans (the schema checks the rest of the record)
    assert partial["id"] == "island-2" and partial["furniture_share"] >= 0
    with Index.open(index) as idx:
        assert len(idx) == 1


def test_drop_partial_too(index: str, tmp_path: Path) -> None:
    rejects = tmp_path / "dropped.jsonl"
    code, out, err = invoke("filter", "--index", index, "--drop", "partial", "--rejects", str(rejects),
                            input="\n".join(INCOMING))
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["commuters", "bakery"]
    statuses = [json.loads(line).get("dedup", {}).get("status") for line in rejects.read_text().splitlines()]
    assert statuses.count("partial") == 1 and statuses.count("duplicate") == 1
    with Index.open(index) as idx:
        assert "island-2" not in idx and "bakery" in idx


def test_a_second_pass_finds_only_duplicates(index: str) -> None:
    invoke("filter", "--index", index, input="\n".join(INCOMING))
    code, out, err = invoke("filter", "--index", index, input="\n".join(INCOMING))
    assert code == 0 and out == ""
    assert "4 dropped" in err and "0 added" in err


def test_records_without_id_get_one_from_their_text(index: str) -> None:
    lines = [record(None, UNRELATED), record(None, UNRELATED)]
    code, out, _ = invoke("filter", "--index", index, "--annotate", input="\n".join(lines))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["dedup"]["status"] for r in rows] == ["new", "duplicate"]
    assert rows[1]["dedup"]["matches"][0]["id"] == content_id(UNRELATED)
    assert "id" not in rows[0]


def test_field_names_and_input_files(index: str, tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"key": "x1", "body": REPRINT}) + "\n\n" + json.dumps({"key": "x2", "body": UNRELATED}))
    code, out, err = invoke("filter", "--index", index, "--field", "id=key", "--field", "text=body",
                            str(first), str(tmp_path / "missing.jsonl"))
    assert code == 0
    assert [json.loads(line)["key"] for line in out.splitlines()] == ["x2"]
    assert "missing.jsonl: cannot read" in err
    assert "1 rejected" in err


def test_bad_utf8_line_is_rejected_with_its_number(index: str, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(record("ok", UNRELATED).encode() + b"\n" + b'{"id": "x", "text": "caf\xe9"}\n')
    rejects = tmp_path / "r.jsonl"
    code, out, _ = invoke("filter", "--index", index, str(path), "--rejects", str(rejects))
    bad = json.loads(rejects.read_text())
    assert (bad["source"], bad["line"]) == (str(path), 2)
    assert bad["error"].startswith("not UTF-8")
    assert json.loads(out)["id"] == "ok"


def test_index_commands(tmp_path: Path) -> None:
    path = str(tmp_path / "news.idx")
    source = write_jsonl(tmp_path / "archive.jsonl", [Article("wire-1", WIRE, outlet="wire"),
                                                      Article("bakery", UNRELATED, outlet="city")])
    code, _, err = invoke("index", "add", path, str(source), "--batch", "1")
    assert code == 0
    assert "committed 1 articles" in err and "committed 2 articles" in err
    code, out, _ = invoke("index", "stats", path, "--json")
    stats = json.loads(out)
    assert (stats["articles"], stats["outlets"], stats["store"]) == (2, 2, "sqlite")
    assert stats["characters"] == len(WIRE) + len(UNRELATED)
    code, _, err = invoke("index", "remove", path, "bakery", "nope")
    assert "removed 1" in err and "not in the index: nope" in err
    code, out, _ = invoke("index", "stats", path)
    assert "articles      1" in out


def test_index_errors_are_messages(tmp_path: Path) -> None:
    code, _, err = invoke("index", "stats", str(tmp_path / "missing.idx"))
    assert code == 1 and "no such index" in err
    path = str(tmp_path / "news.idx")
    invoke("index", "add", path, "-", input=record("a", WIRE))
    code, _, err = invoke("filter", "--index", path, "--set", "shingle=5", input=record("b", WIRE))
    assert code == 1 and "shingle=5" in err


def test_filter_streams_as_it_reads(index: str) -> None:
    """The first batch comes out while the input is still open."""
    proc = subprocess.Popen(dedup_cmd("filter", "--index", index, "--batch", "2", "-q"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write((record("s", STITCHED) + "\n" + record("b", UNRELATED) + "\n").encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "no output while the input stayed open"
        assert json.loads(proc.stdout.readline())["id"] == "s"
        assert json.loads(proc.stdout.readline())["id"] == "b"
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert proc.returncode == 0


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    path = str(tmp_path / "news.idx")
    source = write_jsonl(tmp_path / "in.jsonl", random_articles(3000, seed=2))
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {' '.join(dedup_cmd())} filter --index {path} "
                           f"< {source} | head -1"], capture_output=True, text=True, env=subprocess_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["id"] == "r0"
    with Index.open(path) as idx:  # the first batch could not be written out, so it was taken out again
        assert len(idx) == 0
