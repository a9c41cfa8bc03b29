"""A frozen fingerprint file decides exactly what loading every row does, and never leaves an index unreadable."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Article, Decision, Index
from dedup.index import sqlite_store
from dedup.index.batch import Batch

from index_helpers import random_articles, subprocess_env
from profiles import examples

NEVER = 10**15


@contextmanager
def freezing(postings: int) -> Iterator[None]:
    """Freeze once this many postings are held in memory (``NEVER``: the rows alone)."""
    old = sqlite_store.FREEZE_FROM
    sqlite_store.FREEZE_FROM = postings
    try:
        yield
    finally:
        sqlite_store.FREEZE_FROM = old


def frozen_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.*.frozen"))


def held_by(idx: Index, incoming: list[Article], ids: list[str]) -> tuple[list[tuple[int, ...]], list[list[int]]]:
    """Every posting the store finds for the fingerprints of ``incoming``, and the words of every
    article of ``ids`` it holds (a removed article's words may stay in a frozen file until it is
    frozen anew: no posting leads to them)."""
    store = idx.store
    hits = store.lookup(Batch.of(incoming, idx.settings).uniq)
    postings = sorted(zip(hits.query.tolist(), hits.seq.tolist(), hits.position.tolist(), hits.outlet.tolist(),
                          hits.repeat.tolist()))
    seqs = np.array(sorted(store.seqs(ids).values()), dtype=np.int64)
    flat, starts, lengths = store.words(seqs)
    return postings, [flat[a : a + n].tolist() for a, n in zip(starts.tolist(), lengths.tolist())]


def stream(indexed: list[Article], seed: int, n: int) -> list[Article]:
    """Reprints, articles lifting sentences from indexed ones, and new articles."""
    rng = random.Random(seed)
    fresh = random_articles(n, seed + 1000, prefix=f"s{seed}-")
    out = []
    for a in fresh:
        roll = rng.random()
        source = rng.choice(indexed)
        if roll < 0.3:
            out.append(Article(a.id, "REPRINTED\n\n" + source.text, outlet=a.outlet))
        elif roll < 0.6:
            words = source.text.split()
            at = rng.randrange(max(len(words) - 40, 1))
            out.append(Article(a.id, a.text + "\n\n" + " ".join(words[at : at + 40]), outlet=a.outlet))
        else:
            out.append(a)
    return out


STEPS = st.lists(st.sampled_from(["check", "add", "remove", "compact", "reopen"]), min_size=1, max_size=6)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, freeze_at=st.sampled_from([1, 2_000, 20_000]), seed=st.integers(0, 1000))
def test_a_frozen_index_decides_exactly_what_its_rows_do(steps: list[str], freeze_at: int, seed: int,
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("frozen")
    rows, mapped = folder / "rows.idx", folder / "mapped.idx"
    base = random_articles(60, seed, prefix="b")
    with freezing(NEVER), Index.open(rows) as idx:
        idx.add(base)
    shutil.copy(rows, mapped)
    indexes = {"rows": Index.open(rows), "mapped": Index.open(mapped)}
    limits = {"rows": NEVER, "mapped": freeze_at}
    held = list(base)
    try:
        for k, step in enumerate(steps):
            incoming = stream(held, seed + k, 24)
            got: dict[str, list[Decision] | list[str] | None] = {}
            for name, idx in indexes.items():
                with freezing(limits[name]):
                    if step == "check":
                        got[name] = idx.check_many(incoming)
                    elif step == "add":
                        got[name] = idx.check_many(incoming, add=True)
                    elif step == "remove":
                        got[name] = idx.remove([a.id for a in held[k::3]])
                    elif step == "compact":
                        idx.compact()
                    else:
                        idx.close()
                        indexes[name] = Index.open(idx.location)
            assert got.get("rows") == got.get("mapped"), step
            with freezing(NEVER):
                ids = [a.id for a in held + incoming]
                assert held_by(indexes["rows"], incoming, ids) == held_by(indexes["mapped"], incoming, ids), step
            if step == "add":
                held += [a for a, d in zip(incoming, got["rows"] or []) if isinstance(d, Decision) and d.added]
        last = stream(held, seed + 99, 24)
        with freezing(NEVER):
            wanted = indexes["rows"].check_many(last)
        with freezing(freeze_at):
            assert indexes["mapped"].check_many(last) == wanted
    finally:
        for idx in indexes.values():
            idx.close()
    assert frozen_files(rows) == []
    if freeze_at == 1:  # every freeze removes the files it replaces: on disk is what the database names
        assert frozen_files(mapped) == sorted(sqlite_store.frozen_path(mapped, t) for t in named(mapped))


def named(path: Path) -> list[str]:
    """The tokens of the frozen files the database at ``path`` names."""
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (sqlite_store.FROZEN,)).fetchone()
    finally:
        db.close()
    return list(json.loads(row[0])) if row else []


def test_a_reader_keeps_the_file_it_mapped_while_another_freezes_anew(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    base = random_articles(40, 5, prefix="b")
    with freezing(1):
        with Index.open(path) as idx:
            idx.add(base[:20])
        reader = Index.open(path, readonly=True)
        copies = [Article(f"c{a.id}", "UPDATE\n\n" + a.text) for a in base]
        assert [d.status for d in reader.check_many(copies[:20])] == ["duplicate"] * 20
        (first,) = frozen_files(path)
        with Index.open(path) as idx:
            idx.add(base[20:])
        (second,) = frozen_files(path)
        assert first != second and not first.exists()
        assert [d.status for d in reader.check_many(copies)] == ["duplicate"] * 40  # old mapping, new rows
        reader.close()


@pytest.mark.parametrize("damage", ["missing", "cut short", "not a frozen file"])
def test_an_index_whose_frozen_file_is_lost_reads_its_rows(damage: str, tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    base = random_articles(30, 8, prefix="b")
    copies = [Article(f"c{a.id}", "UPDATE\n\n" + a.text) for a in base]
    with freezing(1), Index.open(path) as idx:
        idx.add(base)
        wanted = idx.check_many(copies)
    (file,) = frozen_files(path)
    if damage == "missing":
        file.unlink()
    elif damage == "cut short":
        with open(file, "r+b") as handle:
            handle.truncate(file.stat().st_size // 2)
    else:
        file.write_bytes(b"shopping list\n" * 400)
    with freezing(NEVER), Index.open(path, readonly=True) as idx:
        assert idx.check_many(copies) == wanted


def test_a_freeze_interrupted_leaves_files_the_next_one_removes(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    base = random_articles(30, 9, prefix="b")
    with freezing(1), Index.open(path) as idx:
        idx.add(base[:10])
    (named,) = frozen_files(path)
    orphan = named.with_name(f"{path.name}.{'0' * 32}.frozen")  # renamed, then killed before the commit
    shutil.copy(named, orphan)
    half = path.with_name(f".{path.name}.999999999.{'1' * 32}.frozen.new")  # killed while writing it
    half.write_bytes(named.read_bytes()[:5000])
    copies = [Article(f"c{a.id}", "UPDATE\n\n" + a.text) for a in base]
    with freezing(NEVER), Index.open(path, readonly=True) as idx:
        assert [d.status for d in idx.check_many(copies)] == ["duplicate"] * 10 + ["new"] * 20
    with freezing(1), Index.open(path) as idx:
        idx.add(base[10:])
        assert [d.status for d in idx.check_many(copies)] == ["duplicate"] * 30
    assert not orphan.exists() and not half.exists() and len(frozen_files(path)) == 1


def test_a_read_only_index_never_freezes(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    with freezing(NEVER), Index.open(path) as idx:
        idx.add(random_articles(20, 3))
    with freezing(1), Index.open(path, readonly=True) as idx:
        assert idx.check(Article("x", "nothing like the rest")).status == "new"
    assert frozen_files(path) == []


WRITER = """
import sys
from dedup import Index
from dedup.index import sqlite_store
from index_helpers import random_articles, subprocess_env

sqlite_store.FREEZE_FROM = 1  # freeze after every batch: most of the time goes to freezing
articles = random_articles(4000, seed=12)
with Index.open(sys.argv[1]) as idx:
    for k in range(len(idx), len(articles), 40):
        idx.add(articles[k : k + 40])
        print("committed", k + 40, flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.13, 0.31])
def test_sigkill_while_freezing_leaves_every_acknowledged_article_found(delay: float, tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    articles = random_articles(4000, seed=12)
    env = subprocess_env()
    env["PYTHONPATH"] = str(Path(__file__).parent) + os.pathsep + env["PYTHONPATH"]
    acknowledged = 0
    for _ in range(3):  # killed three times, at a different moment of its work each time
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                                env=env)
        assert proc.stdout is not None
        start = acknowledged
        for line in proc.stdout:
            acknowledged = int(line.split()[1])
            if acknowledged >= start + 120:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
        with freezing(NEVER), Index.open(path, readonly=True) as idx:
            held = len(idx)
            assert acknowledged <= held
            before, after = articles[held - 40 : held], articles[held : held + 3]  # none after when it wrote all
            copies = [Article(f"again-{a.id}", "UPDATE\n\n" + a.text) for a in before + after]
            assert [d.status for d in idx.check_many(copies)] == ["duplicate"] * 40 + ["new"] * len(after)
        acknowledged = held
    assert len(frozen_files(path)) >= 1
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
