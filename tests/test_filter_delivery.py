"""The filter delivers at least once: what reaches the index was written out first; ids are the user's call."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dedup import Article, Index
from dedup.cli import cli
from dedup.errors import OutputError
from dedup.filter import Counts, Policy, run
from dedup.index import Added

from index_helpers import REPRINT, UNRELATED, WIRE, dedup_cmd, random_articles, subprocess_env, write_jsonl

ARTICLES = random_articles(40, seed=41, words=60)
LINES = [json.dumps({"id": a.id, "text": a.text}).encode() + b"\n" for a in ARTICLES]


class Breaking(io.BytesIO):
    """An output whose ``fail_at``-th write writes half its bytes, then raises ``error``."""

    def __init__(self, fail_at: int, error: BaseException):
        super().__init__()
        self.fail_at, self.error, self.writes = fail_at, error, 0

    def write(self, data: object) -> int:
        self.writes += 1
        if self.writes == self.fail_at:
            view = memoryview(data)  # type: ignore[arg-type]
            super().write(view[: len(view) // 2])
            raise self.error
        return super().write(data)  # type: ignore[arg-type]


def delivered(data: bytes) -> set[str]:
    """Ids of the whole lines written (a line cut by the failure was not delivered)."""
    ids = set()
    for line in data.split(b"\n"):
        try:
            ids.add(json.loads(line)["id"])
        except ValueError:
            pass
    return ids


def stream() -> list[tuple[str, int, bytes, int]]:
    return [("in.jsonl", n, line, len(line)) for n, line in enumerate(LINES, 1)]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt(),
                                   BrokenPipeError(errno.EPIPE, "Broken pipe")], ids=["disk full", "interrupt",
                                                                                      "reader gone"])
def test_a_batch_that_cannot_be_written_is_not_indexed_and_comes_again(location: str, error: BaseException) -> None:
    out = Breaking(fail_at=3, error=error)  # batches 1 and 2 go out, batch 3 is cut halfway
    with Index.open(location) as idx, pytest.raises((OutputError, KeyboardInterrupt, BrokenPipeError)):
        run(idx, stream(), out, None, batch=8)
    first = delivered(out.getvalue())
    with Index.open(location) as idx:
        indexed = {a.id for a in ARTICLES if a.id in idx}
    assert indexed == {a.id for a in ARTICLES[:16]}  # what was committed, all of it delivered
    assert indexed < first  # and some of batch 3 was written but not committed
    again = io.BytesIO()
    with Index.open(location) as idx:  # the stream sent again: what was not committed comes out again
        tally = run(idx, stream(), again, None, batch=8)
    assert delivered(again.getvalue()) == {a.id for a in ARTICLES[16:]}
    assert (tally.kept, tally.dropped) == (24, 16)
    with Index.open(location) as idx:
        assert len(idx) == 40


def test_the_rejects_are_written_before_the_commit_too(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE)])
    lines = [("in", 1, json.dumps({"id": "new", "text": UNRELATED}).encode(), 0),
             ("in", 2, json.dumps({"id": "copy", "text": REPRINT}).encode(), 0)]
    with Index.open(path) as idx, pytest.raises(OutputError, match="cannot write the rejects"):
        run(idx, lines, io.BytesIO(), Breaking(1, OSError(errno.ENOSPC, "No space left on device")))
    with Index.open(path) as idx:
        assert "new" not in idx


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_disk_full_on_the_output_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    source = write_jsonl(tmp_path / "in.jsonl", ARTICLES)
    with open("/dev/full", "wb") as full:
        done = subprocess.run(dedup_cmd("filter", "--index", str(path), str(source)), stdout=full,
                              stderr=subprocess.PIPE, text=True, env=subprocess_env(), timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: cannot write the output: No space left on device; the batch being written was not committed"]
    with Index.open(path) as idx:
        assert len(idx) == 0


def invoke(*args: str, input: str) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def indexed(location: str) -> str:
    with Index.open(location) as idx:
        idx.add([Article("wire-1", WIRE, outlet="wire")])
    return location


def test_a_reused_id_is_rejected_by_default_and_the_indexed_article_stays(indexed: str, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    line = json.dumps({"id": "wire-1", "text": UNRELATED})
    result = invoke("filter", "--index", indexed, "--rejects", str(rejects), input=line)
    assert result.exit_code == 0 and result.stdout == ""
    (reject,) = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert (reject["line"], reject["raw"]) == (1, line)
    assert reject["error"] == "id 'wire-1' is indexed with another text; the indexed article is kept"
    assert "1 rejected" in result.stderr
    with Index.open(indexed) as idx:
        assert idx.check(Article("x", REPRINT)).duplicate_of == "wire-1"
        decision = idx.check(Article("wire-1", UNRELATED), add=True)
        assert (decision.conflict, decision.added) == (True, False)
        assert len(idx) == 1


def test_keep_passes_the_record_on_without_indexing_it(indexed: str) -> None:
    line = json.dumps({"id": "wire-1", "text": UNRELATED})
    result = invoke("filter", "--index", indexed, "--on-conflict", "keep", "--annotate", input=line)
    (record,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert (record["dedup"]["status"], record["dedup"]["added"]) == ("new", False)
    with Index.open(indexed) as idx:
        assert idx.check(Article("x", REPRINT)).duplicate_of == "wire-1"


def test_replace_puts_the_record_in_the_indexed_ones_place(indexed: str) -> None:
    correction = WIRE.replace("seven to two", "eight to one")  # a near copy of its own old version
    line = json.dumps({"id": "wire-1", "text": correction})
    result = invoke("filter", "--index", indexed, "--on-conflict", "replace", input=line)
    assert json.loads(result.stdout)["id"] == "wire-1"  # not a duplicate of the article it replaces
    with Index.open(indexed) as idx:
        assert len(idx) == 1
        (article,) = idx.store.fetch(list(idx.store.seqs(["wire-1"]).values())).values()
        assert article.text == correction
        assert idx.add([Article("wire-1", WIRE)]) == Added(conflicts=("wire-1",))
        assert idx.add([Article("wire-1", correction)]) == Added(unchanged=1)
        assert idx.add([Article("wire-1", WIRE)], on_conflict="replace") == Added(added=1)


def test_the_same_id_with_the_same_text_is_no_conflict(indexed: str) -> None:
    line = json.dumps({"id": "wire-1", "text": WIRE})
    result = invoke("filter", "--index", indexed, "--annotate", input=line)
    record = json.loads(result.stdout)
    assert record["dedup"]["status"] == "duplicate" and record["dedup"]["matches"][0]["id"] == "wire-1"


@pytest.mark.parametrize("batch", ["1", "8"])
def test_two_records_of_one_id_in_a_stream_keep_the_first(location: str, batch: str) -> None:
    lines = "\n".join(json.dumps({"id": "x", "text": t}) for t in (WIRE, UNRELATED))
    result = invoke("filter", "--index", location, "--batch", batch, input=lines)
    assert [json.loads(x)["text"] for x in result.stdout.splitlines()] == [WIRE]
    assert "1 rejected" in result.stderr
    with Index.open(location) as idx:
        assert idx.check(Article("y", REPRINT)).duplicate_of == "x"


def test_index_add_reports_conflicts_and_replaces_when_asked(tmp_path: Path) -> None:
    path = str(tmp_path / "news.idx")
    first = write_jsonl(tmp_path / "a.jsonl", [Article("x", WIRE)])
    second = write_jsonl(tmp_path / "b.jsonl", [Article("x", UNRELATED), Article("y", UNRELATED)])
    assert invoke("index", "add", path, str(first), input="").exit_code == 0
    result = invoke("index", "add", path, str(second), input="")
    assert result.exit_code == 0
    assert "not added, indexed with another text (--on-conflict reject): x" in result.stderr
    assert "committed 1 articles" in result.stderr
    result = invoke("index", "add", path, str(second), "--on-conflict", "replace", input="")
    assert "committed 2 articles" in result.stderr
    with Index.open(path) as idx:
        assert idx.check(Article("z", REPRINT)).status == "new" and len(idx) == 2


def test_counts_add_up_across_batches() -> None:
    one, two = Counts(read=3, kept=2, rejected=1), Counts(read=2, dropped=2, added=1)
    one.statuses["new"] += 2
    one.take(two)
    assert (one.read, one.kept, one.dropped, one.rejected, one.added) == (5, 2, 2, 1, 1)
    assert Policy().on_conflict == "reject"


SWALLOWED = """
import os, signal, sys
from dedup.cli.base import stops_cleanly

class Finalized:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100_000):  # the handler runs in here, and Python swallows what it raises
            pass

@stops_cleanly
def command():
    Finalized()
    print("went on", flush=True)

command()
print("finished", flush=True)
"""


def test_a_signal_that_lands_in_a_finalizer_still_stops_the_command() -> None:
    done = subprocess.run([sys.executable, "-c", SWALLOWED], capture_output=True, text=True, env=subprocess_env(),
                          timeout=60)
    assert done.returncode == 128 + signal.SIGTERM
    assert done.stdout == "went on\n"  # swallowed in the finalizer, the stop comes at the next check
    assert done.stderr == "dedup: stopped by SIGTERM; what was not committed is not in the index\n"
