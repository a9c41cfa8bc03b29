"""Real processes against one index: killed mid-add, and two writers at once."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from dedup import Article, Index

from index_helpers import dedup_cmd, random_articles, subprocess_env, write_jsonl

pytestmark = pytest.mark.slow  # builds real corpora or kills processes: minutes, not seconds


def test_sigkill_during_a_large_add_keeps_every_acknowledged_article(location: str, tmp_path: Path) -> None:
    articles = random_articles(12000, seed=11)
    source = write_jsonl(tmp_path / "big.jsonl", articles)
    batch = 400
    proc = subprocess.Popen(dedup_cmd("index", "add", location, str(source), "--batch", str(batch)),
                            stderr=subprocess.PIPE, text=True, env=subprocess_env())
    assert proc.stderr is not None
    acknowledged = 0
    for line in proc.stderr:
        found = re.search(r"committed (\d+) articles", line)
        if found:
            acknowledged = int(found.group(1))
        if acknowledged >= 2 * batch:
            proc.send_signal(signal.SIGKILL)  # somewhere inside the next batch
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert acknowledged >= 2 * batch
    if not location.startswith("redis"):
        with sqlite3.connect(location) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Index.open(location) as idx:
        held = len(idx)
        assert acknowledged <= held < len(articles)
        assert held % batch == 0  # whole batches only
        assert all(a.id in idx for a in articles[:held])
        assert not any(a.id in idx for a in articles[held : held + batch])
        checks = idx.check_many([Article(f"again-{a.id}", a.text) for a in articles[held - 3 : held + 3]])
        assert [d.status for d in checks] == ["duplicate"] * 3 + ["new"] * 3
        rest = articles[held:]  # and it goes on from there, a batch at a time as `index add` does
        assert sum(idx.add(rest[k : k + batch]).added for k in range(0, len(rest), batch)) == len(rest)
        assert len(idx) == len(articles)


def test_two_writers_keep_one_copy_of_each_story(location: str, tmp_path: Path) -> None:
    shared = random_articles(120, seed=21, prefix="s")
    own_a = random_articles(120, seed=22, prefix="a")
    own_b = random_articles(120, seed=23, prefix="b")

    def feed(name: str, own: list[Article]) -> Path:
        copies = [Article(f"{name}-{s.id}", s.text) for s in shared]
        mixed = [x for pair in zip(own, copies) for x in pair]
        return write_jsonl(tmp_path / f"{name}.jsonl", mixed)

    with Index.open(location):
        pass  # create it before the writers race
    procs = []
    for name, own in (("x", own_a), ("y", own_b)):
        with open(tmp_path / f"{name}.out", "wb") as out, open(tmp_path / f"{name}.err", "wb") as err:
            procs.append(subprocess.Popen(
                dedup_cmd("filter", "--index", location, "--batch", "16", "--timeout", "300", str(feed(name, own))),
                stdout=out, stderr=err, env=subprocess_env()))
    for proc in procs:
        proc.wait(timeout=600)
    errors = [(tmp_path / f"{name}.err").read_text() for name in "xy"]
    assert [p.returncode for p in procs] == [0, 0], errors
    kept = [json.loads(line)["id"] for name in "xy" for line in (tmp_path / f"{name}.out").read_text().splitlines()]
    assert len(kept) == 360 and len(set(kept)) == 360
    copies_kept = [k for k in kept if "-s" in k]
    assert sorted(k.split("-", 1)[1] for k in copies_kept) == sorted(s.id for s in shared)  # one of each
    with Index.open(location) as idx:
        assert len(idx) == 360
        assert all(k in idx for k in kept)


def test_readers_work_while_a_writer_adds(location: str, tmp_path: Path) -> None:
    articles = random_articles(3000, seed=31)
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    with Index.open(location) as reader:
        proc = subprocess.Popen(dedup_cmd("index", "add", location, str(source), "--batch", "100", "-q"),
                                env=subprocess_env())
        counts: list[int] = []
        while proc.poll() is None or not counts:
            held = len(reader)
            counts.append(held)
            if held:
                assert reader.check(Article("copy", articles[held - 1].text)).duplicate_of == articles[held - 1].id
        assert proc.wait(timeout=600) == 0
        assert counts == sorted(counts)
        assert len(reader) == len(articles)
