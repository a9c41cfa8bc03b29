"""Index files: a read never writes, a file that is not an index is refused untouched, damage is one line."""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from dedup import Article, Index, IndexStoreError, InputError
from dedup.cli import cli
from dedup.index.batch import check_lengths
from dedup.index.store import FORMAT, MAX_WORDS, NO_SEED

from index_helpers import UNRELATED, WIRE, write_jsonl


def invoke(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder and a hash of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def foreign(kind: str, folder: Path) -> Path:
    path = folder / "thing.idx"
    if kind == "empty file":
        path.touch()
    elif kind == "text file":
        path.write_text("shopping list\n" * 100)
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE people (name TEXT)")
            db.execute("INSERT INTO people VALUES ('Ada')")
        db.close()
    return path


KINDS = pytest.mark.parametrize("kind", ["empty file", "text file", "SQLite database of another program"])
COMMANDS = {
    "stats": lambda p, src: ("index", "stats", p),
    "add": lambda p, src: ("index", "add", p, src),
    "remove": lambda p, src: ("index", "remove", p, "x"),
    "filter": lambda p, src: ("filter", "--index", p, src),
    "filter --no-add": lambda p, src: ("filter", "--index", p, "--no-add", src),
}


@KINDS
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_that_is_not_an_index_is_refused_and_left_byte_identical(kind: str, command: str,
                                                                         tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [Article("a", WIRE)])
    folder = tmp_path / "store"
    folder.mkdir()
    path = foreign(kind, folder)
    before = snapshot(folder)
    result = invoke(*COMMANDS[command](str(path), str(source)))
    assert result.exit_code == 1
    assert "not a dedup index" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(folder) == before  # not a byte changed, no file added beside it
    with pytest.raises(IndexStoreError, match="not a dedup index"):
        Index.open(path)
    assert snapshot(folder) == before


def test_reading_an_index_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE, outlet="wire")])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert invoke("index", "stats", str(path)).exit_code == 0
    result = invoke("filter", "--index", str(path), "--no-add", input=json.dumps({"id": "b", "text": UNRELATED}))
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "b"
    with Index.open(path, readonly=True) as idx:
        assert idx.check(Article("b", UNRELATED), add=False).status == "new"
        with pytest.raises(IndexStoreError, match="read-only"):
            idx.add([Article("b", UNRELATED)])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with Index.open(path) as idx:
        assert len(idx) == 1


def test_a_read_of_a_missing_index_creates_nothing(tmp_path: Path) -> None:
    for args in (("index", "stats", str(tmp_path / "none.idx")),
                 ("filter", "--index", str(tmp_path / "none.idx"), "--no-add")):
        result = invoke(*args, input="")
        assert result.exit_code == 1 and "no such index" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_new_index_appears_whole_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    with Index.open(tmp_path / "news.idx") as idx:
        assert len(idx) == 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("news.idx")] == []
    with sqlite3.connect(tmp_path / "news.idx") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert dict(db.execute("SELECT key, value FROM meta"))["format"] == str(FORMAT)


def damage(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)
    db.close()


@pytest.mark.parametrize("statement, message", [
    ("UPDATE meta SET value = '{not json' WHERE key = 'settings'", "stored settings are unreadable"),
    ("UPDATE meta SET value = '[1, 2]' WHERE key = 'settings'", "stored settings are unreadable"),
    ("DELETE FROM meta WHERE key = 'settings'", "is damaged: it holds no settings"),
    ("UPDATE meta SET value = '9' WHERE key = 'format'", "has layout version 9"),
    ("UPDATE shapes SET fingerprints = X'0102030405' WHERE seq = 1",
     "is damaged: the fingerprints of article 1 are 5 bytes, not a whole number of 8-byte values"),
    ("UPDATE shapes SET words = X'010203' WHERE seq = 2",
     "is damaged: the words of article 2 are 3 bytes, not a whole number of 2-byte values"),
    ("UPDATE shapes SET positions = X'01020304' WHERE seq = 1", "is damaged: article 1 has"),
    ("UPDATE articles SET text = X'00112233' WHERE seq = 1", "is damaged: the text of article 1 does not unpack"),
    ("UPDATE articles SET extra = '{oops' WHERE seq = 1", "is damaged: the fields of article 1 are not JSON"),
])
def test_a_damaged_index_is_one_line_naming_what_is_wrong(statement: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE), Article("bakery", UNRELATED)])
    damage(path, statement)
    copy = json.dumps({"id": "copy", "text": WIRE})  # aligning against article 1 reads its text and fields
    result = invoke("filter", "--index", str(path), input=copy)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert message in line and "Traceback" not in result.output


def test_index_add_of_a_missing_input_exits_non_zero_after_adding_the_rest(tmp_path: Path) -> None:
    path = str(tmp_path / "news.idx")
    good = write_jsonl(tmp_path / "good.jsonl", [Article("a", WIRE)])
    result = invoke("index", "add", path, str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 1 and "missing.jsonl: no such file or folder" in result.stderr
    assert "no article read from" in result.stderr
    result = invoke("index", "add", path, str(good), str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 1
    with Index.open(path) as idx:
        assert "a" in idx
    assert invoke("index", "add", path, str(good)).exit_code == 0  # the same again: nothing to do, no error


def test_an_article_longer_than_positions_can_number_is_refused() -> None:
    assert MAX_WORDS < NO_SEED  # no position of a kept word reads as "repeated"
    articles = [Article("short", "a b c"), Article("long", "a " * 10)]
    check_lengths(articles, np.array([3, 10]), limit=10)
    with pytest.raises(InputError, match=r"article 'long' has 11 words; an index holds articles of up to 10 words"):
        check_lengths(articles, np.array([3, 11]), limit=10)


def test_a_writer_finalized_after_its_index_closed_goes_quietly(tmp_path: Path) -> None:
    # a signal between the writer's yield and the with statement taking it leaves it suspended
    idx = Index.open(tmp_path / "news.idx")
    writer = idx.store.writing()
    writer.__enter__()
    idx.close()
    unraisable: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        del writer
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []
    with Index.open(tmp_path / "news.idx") as again:  # nothing half-written stays behind
        assert again.store.count() == 0
