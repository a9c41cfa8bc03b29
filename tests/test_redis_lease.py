"""The Redis write lock: a dead writer frees it within its lease, a live one keeps it, a commit is all or nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid

import pytest

from dedup import Article, Index, IndexStoreError
from dedup.index.batch import Batch
from dedup.index.lease import LEASE

from index_helpers import QUOTING, REPRINT, UNRELATED, WIRE, subprocess_env

pytestmark = pytest.mark.redis  # a real redis-server, started by the tests

HOLD = """
import sys, time
from dedup import Index
with Index.open(sys.argv[1]) as idx, idx.store.writing():
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def url(redis_url: str) -> str:
    return f"{redis_url}?prefix=t{uuid.uuid4().hex[:10]}"


def texts(url: str) -> dict[str, str]:
    with Index.open(url, readonly=True) as idx:
        seqs = idx.store.seqs(["a", "b", "c"])
        stored = idx.store.fetch(list(seqs.values()))
        return {i: stored[q].text for i, q in seqs.items()}


@pytest.mark.slow  # waits out one lease
def test_a_writer_killed_holding_the_lock_blocks_the_others_for_one_lease(url: str) -> None:
    assert LEASE <= 10
    Index.open(url).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, url], stdout=subprocess.PIPE, env=subprocess_env())
    assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
    with Index.open(url, timeout=0.2) as idx, pytest.raises(IndexStoreError, match="frees it within 5 s"):
        idx.add([Article("a", WIRE)])  # it lives: the lock is its own
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with Index.open(url, timeout=10) as idx:  # dead: the lease runs out, well within ten seconds
        assert idx.add([Article("a", WIRE)]).added == 1


def test_a_live_writer_keeps_its_lock_past_the_lease(url: str) -> None:
    short = f"{url}&lease=0.3"
    with Index.open(short) as holder, Index.open(short, timeout=0.1) as other:
        with holder.store.writing() as writer:
            writer.add([Batch.of([Article("a", WIRE)], holder.settings).entry(0)])
            time.sleep(1.2)  # four leases: renewed all along
            with pytest.raises(IndexStoreError, match="being written by another worker"):
                other.add([Article("b", UNRELATED)])
        assert other.add([Article("b", UNRELATED)]).added == 1
        assert len(other) == 2


def test_a_writer_that_lost_its_lock_commits_nothing(url: str) -> None:
    with Index.open(url) as idx:
        idx.add([Article("a", WIRE)])
        with pytest.raises(IndexStoreError, match="lost the write lock"), idx.store.writing() as writer:
            writer.add([Batch.of([Article("a", UNRELATED), Article("b", REPRINT)], idx.settings).entry(k)
                        for k in (0, 1)])
            idx.store._r.set(f"{idx.store._p}:lock", "another worker")  # type: ignore[attr-defined]
    assert texts(url) == {"a": WIRE}


def test_a_replacement_is_the_old_article_until_its_commit_then_the_new_one(url: str) -> None:
    with Index.open(url) as idx:
        idx.add([Article("a", WIRE), Article("c", REPRINT)])
        with idx.store.writing() as writer:
            entries = Batch.of([Article("a", UNRELATED), Article("b", QUOTING)], idx.settings)
            writer.add([entries.entry(0), entries.entry(1)])
            assert texts(url) == {"a": WIRE, "c": REPRINT}  # nothing dropped ahead of the commit
            writer.remove(["c"])
            assert texts(url) == {"a": WIRE, "c": REPRINT}
        assert texts(url) == {"a": UNRELATED, "b": QUOTING}
        assert idx.check(Article("x", WIRE)).status == "new"  # neither old version is seen
        assert idx.stats()["characters"] == len(UNRELATED) + len(QUOTING)


def test_a_lease_is_read_from_the_url(url: str) -> None:
    with pytest.raises(IndexStoreError, match="lease must be a number of seconds"):
        Index.open(f"{url}&lease=forever")
