"""A long-running index: expiring old articles and compacting what they leave, on both stores."""

from __future__ import annotations

import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time
import uuid
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article, Index
from dedup.cli import cli
from dedup.index import Compacted, Expired
from dedup.index.batch import Batch

from index_helpers import dedup_cmd, random_articles, subprocess_env

CUTOFF = date(2024, 2, 1)
DATES = ["2024-01-03", "2024-01-31T23:59:00Z", "31 January 2024", "2024/01/15",  # before the cutoff
         "2024-02-01", "2024-02-01T00:00:00", "2024-03-09", "1 February 2024"]  # on it or after


def dated(n: int, seed: int) -> tuple[list[Article], list[Article]]:
    """``n`` articles dated before :data:`CUTOFF` and ``n`` on or after it, in turns."""
    arts = random_articles(2 * n, seed=seed)
    old = [replace(a, date=DATES[k % 4]) for k, a in enumerate(arts[:n])]
    new = [replace(a, date=DATES[4 + k % 4]) for k, a in enumerate(arts[n:])]
    return old, new


def reprint(article: Article) -> Article:
    return Article(f"again-{article.id}", "BREAKING\n\n" + article.text)


def statuses(idx: Index, articles: list[Article]) -> list[str]:
    return [d.status for d in idx.check_many([reprint(a) for a in articles])]


def test_expire_removes_exactly_the_older_articles(location: str) -> None:
    old, new = dated(12, seed=31)
    undated, unreadable = random_articles(3, seed=32, prefix="u"), random_articles(2, seed=33, prefix="x")
    unreadable = [replace(a, date="sometime in spring") for a in unreadable]
    with Index.open(location) as idx, Index.open(location) as reader:
        idx.add(old + new + undated + unreadable)
        assert statuses(reader, old[:3]) == ["duplicate"] * 3  # the reader holds them now
        assert idx.expire(CUTOFF) == Expired(removed=12, undated=3, unreadable=2)
        assert len(idx) == 12 + 3 + 2
        for checker in (idx, reader):  # the writer, and a reader that caught up on the removals
            assert statuses(checker, old) == ["new"] * len(old)
            assert statuses(checker, new + undated + unreadable) == ["duplicate"] * 17
        assert idx.expire(CUTOFF) == Expired(removed=0, undated=3, unreadable=2)  # nothing left to do
    with Index.open(location) as idx:
        assert not any(a.id in idx for a in old)
        assert all(a.id in idx for a in new + undated + unreadable)
        assert idx.expire(datetime(2024, 3, 10, 12)) == Expired(removed=12, undated=3, unreadable=2)


def test_expire_commits_a_batch_at_a_time(location: str) -> None:
    old, new = dated(10, seed=34)
    with Index.open(location) as idx:
        idx.add(old + new)
        totals: list[int] = []
        assert idx.expire(CUTOFF, batch=4, committed=totals.append).removed == 10
        assert totals == [4, 8, 10]
        assert len(idx) == 10


def test_compact_shrinks_the_file_and_keeps_every_remaining_article(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    old, new = dated(600, seed=35)
    with Index.open(path) as idx:
        for k in range(0, len(old), 200):
            idx.add(old[k : k + 200] + new[k : k + 200])
    stale = Index.open(path)  # opened before the expire, and never looking again until after the compact
    with Index.open(path) as idx:
        assert idx.expire(CUTOFF).removed == 600
        size = idx.stats()["bytes"]
        done = idx.compact()
        assert done.trimmed == 600 and done.before == size
        assert done.after is not None and done.after < size * 0.7
        assert idx.stats()["bytes"] == done.after
        assert statuses(idx, new) == ["duplicate"] * len(new)
        assert idx.compact() == Compacted(0, done.after, done.after)  # nothing more to give back
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM removed").fetchone() == (0,)
    db.close()
    gone = Batch.of(old[:50], stale.settings)
    stale.store.refresh()  # the removals it missed were trimmed: it finds them out from what is stored
    assert all(len(stale.store.lookup(gone.entry(k).hashes)) == 0 for k in range(50))
    assert statuses(stale, old[:50]) == ["new"] * 50
    assert statuses(stale, new) == ["duplicate"] * len(new)
    with Index.open(path) as idx:  # removals after a compact are logged and seen as before
        assert idx.remove([new[0].id]) == [new[0].id]
        assert statuses(stale, new[:2]) == ["new", "duplicate"]
    stale.close()


def test_an_index_file_loads_its_fingerprints_only_for_a_check(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    old, new = dated(20, seed=40)
    with Index.open(path) as idx:
        idx.add(old + new)
    with Index.open(path) as idx:
        resident = idx.store._memory.postings  # type: ignore[attr-defined]
        assert idx.expire(CUTOFF).removed == 20 and idx.compact().trimmed == 20
        assert len(idx) == 20 and new[0].id in idx and idx.stats()["articles"] == 20
        idx.remove([new[0].id])
        assert len(resident) == 0  # none of that needed them
        assert statuses(idx, old[:2] + new[:3]) == ["new", "new", "new", "duplicate", "duplicate"]
        assert len(resident) > 0


def test_compact_on_redis_says_it_has_nothing_to_do(redis_url: str) -> None:
    url = f"{redis_url}?prefix=t{uuid.uuid4().hex[:10]}"
    old, new = dated(3, seed=36)
    with Index.open(url) as idx:
        idx.add(old + new)
        idx.expire(CUTOFF)
        done = idx.compact()
        assert done.trimmed == 0 and done.before is None and "nothing to compact" in done.note
        assert len(idx) == 3 and statuses(idx, new) == ["duplicate"] * 3


def test_the_commands_report_what_they_did(location: str) -> None:
    old, new = dated(5, seed=37)
    with Index.open(location) as idx:
        idx.add(old + new + random_articles(2, seed=38, prefix="u"))
    runner = CliRunner()
    result = runner.invoke(cli, ["index", "expire", "--before", "2024-02-01", "--batch", "2", location])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [f"dedup: removed {n} articles so far" for n in (2, 4, 5)]
    assert f"dedup: removed 5 articles dated before 2024-02-01 from {location}; 7 left" in lines
    assert "dedup: kept 2 articles without a date and 0 whose date cannot be read" in lines
    result = runner.invoke(cli, ["index", "compact", location])
    assert result.exit_code == 0, result.output
    if location.startswith("redis"):
        assert "a Redis index has nothing to compact" in result.output
    else:
        assert re.search(r"compacted .* [\d,]+ -> [\d,]+ bytes \(5 entries of the removal log trimmed\)",
                         result.output)
    with Index.open(location) as idx:
        assert len(idx) == 7
    again = runner.invoke(cli, ["index", "expire", "--before", "2024-02-01", location]).output.splitlines()
    assert again == [f"dedup: removed 0 articles dated before 2024-02-01 from {location}; 7 left",
                     "dedup: kept 2 articles without a date and 0 whose date cannot be read"]


@pytest.mark.parametrize("value", ["2024-13-01", "01/02/2024", "yesterday", "2024-02-01T00:00"])
def test_a_bad_date_is_one_line_naming_the_option(tmp_path: Path, value: str) -> None:
    path = tmp_path / "news.idx"
    Index.open(path).close()
    result = CliRunner().invoke(cli, ["index", "expire", "--before", value, str(path)])
    assert result.exit_code == 2
    assert f"Error: --before takes a date as YYYY-MM-DD, got {value}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["expire", "--before", "2024-01-01"], ["compact"]])
def test_a_missing_index_is_one_line_and_not_created(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "none.idx"
    result = CliRunner().invoke(cli, ["index", *command, str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path}: no such index"
    assert not path.exists()


@pytest.mark.slow
def test_an_expire_killed_part_way_leaves_a_readable_index_and_a_rerun_finishes(location: str,
                                                                                  tmp_path: Path) -> None:
    old, new = dated(3000, seed=39)
    batch = 250
    for attempt in range(5):  # a kill lands between two commits, or the run finished first: try again
        loc = (f"{location.split('?')[0]}?prefix=k{uuid.uuid4().hex[:10]}" if location.startswith("redis")
               else str(tmp_path / f"{attempt}.idx"))
        with Index.open(loc) as idx:
            for k in range(0, len(old), 1000):
                idx.add(old[k : k + 1000] + new[k : k + 1000])
        proc = subprocess.Popen(dedup_cmd("index", "expire", "--before", "2024-02-01", "--batch", str(batch), loc),
                                stderr=subprocess.PIPE, text=True, env=subprocess_env())
        assert proc.stderr is not None
        acknowledged = 0
        for line in proc.stderr:
            if found := re.search(r"removed (\d+) articles so far", line):
                acknowledged = int(found.group(1))
                if acknowledged >= 2 * batch:
                    proc.send_signal(signal.SIGKILL)  # somewhere inside a later batch
                    break
        proc.stderr.read()
        proc.wait(timeout=60)
        if proc.returncode == 0:
            continue
        assert proc.returncode == -signal.SIGKILL
        if not location.startswith("redis"):
            with sqlite3.connect(loc) as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            db.close()
        with Index.open(loc) as idx:
            held = len(idx)
            assert len(new) <= held <= len(new) + len(old) - acknowledged
            assert (len(old) + len(new) - held) % batch == 0  # whole batches only
            assert statuses(idx, new[:20]) == ["duplicate"] * 20
        again = subprocess.run(dedup_cmd("index", "expire", "--before", "2024-02-01", loc), capture_output=True,
                               text=True, env=subprocess_env(), timeout=300)
        assert again.returncode == 0, again.stderr
        assert f"removed {held - len(new)} articles dated before 2024-02-01" in again.stderr
        with Index.open(loc) as idx:
            assert len(idx) == len(new)
            assert statuses(idx, old[:20] + new[:20]) == ["new"] * 20 + ["duplicate"] * 20
        return
    pytest.fail("every expire finished before the kill")


@pytest.mark.slow
def test_a_compact_killed_at_any_moment_leaves_the_index_readable(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine.idx"
    articles = random_articles(4000, seed=41, words=400)
    old = [replace(a, date="2024-01-05") for a in articles[:3000]]
    new = [replace(a, date="2024-03-05") for a in articles[3000:]]
    with Index.open(pristine) as idx:
        for k in range(0, 3000, 1000):
            idx.add(old[k : k + 1000] + new[k // 3 : k // 3 + 334])
        assert idx.expire(CUTOFF).removed == 3000
    with sqlite3.connect(pristine) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole index in the file, to copy
    db.close()
    full = pristine.stat().st_size

    def compact(path: Path) -> subprocess.Popen[bytes]:
        shutil.copy(pristine, path)
        return subprocess.Popen(dedup_cmd("index", "compact", str(path)), stderr=subprocess.PIPE,
                                env=subprocess_env())

    rng = random.Random(42)
    kills = 0
    for attempt in range(20):
        path = tmp_path / f"{attempt}.idx"
        wal = Path(f"{path}-wal")
        proc = compact(path)
        written = rng.uniform(0.05, 0.9) * full / 4  # VACUUM writes the new file, about a quarter of this one
        while proc.poll() is None:  # kill it once VACUUM has written that much of the new file to the WAL
            with suppress(FileNotFoundError):
                if wal.stat().st_size >= written:
                    proc.send_signal(signal.SIGKILL)
                    break
            time.sleep(0.001)
        _, err = proc.communicate(timeout=120)
        assert b"Traceback" not in err, err.decode()
        if proc.returncode == 0:  # it finished first
            continue
        assert proc.returncode == -signal.SIGKILL
        kills += 1
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()
        with Index.open(path) as idx:
            assert len(idx) == 1000
            assert statuses(idx, new[::50] + old[::300]) == ["duplicate"] * 20 + ["new"] * 10
        done = subprocess.run(dedup_cmd("index", "compact", str(path)), capture_output=True, text=True,
                              env=subprocess_env(), timeout=120)
        assert done.returncode == 0, done.stderr
        assert path.stat().st_size < full * 0.5
        with Index.open(path) as idx:
            assert statuses(idx, new[::10]) == ["duplicate"] * 100
        if kills == 4:
            return
    pytest.fail(f"only {kills} of 20 compacts were killed before they finished")
