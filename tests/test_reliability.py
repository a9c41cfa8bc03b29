"""Processes killed at random moments lose nothing: the reliability suite.

``dedup filter`` and ``dedup index add`` run on short streams against both
stores and are killed (SIGKILL or SIGTERM, alternately) at a random point,
again and again, each time checked, then replayed to the end:

* filter: every record in the index was written out by some run before it
  (at-least-once: a record that reaches the index is delivered), no copy of a
  story is ever written out, and the replay writes out every record that is
  not yet in the index; at the end the index holds exactly the stream's
  originals.
* index add (replacing existing ids with new texts, and adding new ones):
  every article acknowledged by "committed N" is there with its new text,
  every id is always there with either its old text or its new one (never
  missing), and a SQLite file passes its integrity check.

At least ``KILLS`` kills of each command on each store; two chains run at
once (each on an index of its own).
"""

from __future__ import annotations

import json
import random
import re
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from dedup import Article, Index

from index_helpers import dedup_cmd, random_articles, subprocess_env, write_jsonl

pytestmark = pytest.mark.slow  # about a hundred processes per test

KILLS = 50
"""Kills of each command on each store, at least."""
PER_CHAIN = 5
"""Kills on one index before it is replayed to the end and a fresh one started."""
CHAINS = KILLS // PER_CHAIN
SIGNALS = (signal.SIGKILL, signal.SIGTERM)


@dataclass
class Tally:
    kills: dict[str, int] = field(default_factory=lambda: {"SIGKILL": 0, "SIGTERM": 0})
    runs: int = 0


def fresh_index(location: str, work: Path, articles: Sequence[Article] = ()) -> str:
    """A new index on the store of ``location`` holding ``articles`` (made before any kill)."""
    if location.startswith("redis"):
        loc = f"{location.split('?')[0]}?prefix=k{uuid.uuid4().hex[:10]}&lease=1"
    else:
        loc = str(work / f"{uuid.uuid4().hex[:10]}.idx")
    with Index.open(loc) as idx:
        idx.add(articles)
    return loc


def killed_run(cmd: list[str], pipe_name: str, rng: random.Random, wait_lines: int, sig: signal.Signals,
               work: Path, tally: Tally, pattern: str | None = None) -> tuple[list[bytes], bool]:
    """Run ``cmd``; after ``wait_lines`` lines of its stdout or stderr (those matching
    ``pattern``), or a random moment if 0, send ``sig``. Returns every line the pipe
    carried and whether the process was killed (rather than finished)."""
    tally.runs += 1
    log_path = work / f"run-{uuid.uuid4().hex[:10]}.log"
    log = open(log_path, "wb")
    pipes = {"stdout": subprocess.PIPE, "stderr": log} if pipe_name == "stdout" else \
        {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    proc = subprocess.Popen(cmd, env=subprocess_env(), **pipes)  # type: ignore[call-overload]
    stream: IO[bytes] = proc.stdout if pipe_name == "stdout" else proc.stderr
    lines: list[bytes] = []
    seen = 0
    if wait_lines == 0:
        time.sleep(rng.uniform(0.0, 1.0))  # anywhere from start-up to the first batches
    while seen < wait_lines and (line := stream.readline()):
        lines.append(line)
        seen += pattern is None or re.search(pattern, line.decode(errors="replace")) is not None
    time.sleep(rng.uniform(0.0, 0.05))
    alive = proc.poll() is None
    if alive:
        proc.send_signal(sig)
    lines += stream.read().splitlines(keepends=True)
    proc.wait(timeout=120)
    log.close()
    errors = log_path.read_bytes() + (b"".join(lines) if pipe_name == "stderr" else b"")
    assert b"Traceback" not in errors, errors.decode(errors="replace")
    if alive and proc.returncode == 0:
        # the command ended between the poll and the signal (or in its last steps, where
        # a signal taken after the handlers are put back is dropped): it finished its work
        alive = False
    if alive:
        assert proc.returncode in (-sig, 128 + sig), (proc.returncode, errors.decode(errors="replace"))
        tally.kills[sig.name] += 1
    else:
        assert proc.returncode == 0, errors.decode(errors="replace")
    return lines, alive


def ids_of(lines: list[bytes]) -> set[str]:
    """Ids of the whole records written (a line cut by the kill was not delivered)."""
    found = set()
    for line in lines:
        try:
            found.add(json.loads(line)["id"])
        except (ValueError, KeyError):
            pass
    return found


def held(location: str, ids: list[str]) -> dict[str, str]:
    """The stored text of each of ``ids`` the index holds, read without writing."""
    with Index.open(location, readonly=True) as idx:
        seqs = idx.store.seqs(ids)
        by_seq = idx.store.fetch(sorted(seqs.values()))
        return {i: by_seq[q].text for i, q in seqs.items()}


def integrity(location: str) -> None:
    if not location.startswith("redis"):
        with sqlite3.connect(f"{Path(location).resolve().as_uri()}?mode=ro", uri=True) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()


def filter_stream(seed: int) -> tuple[list[Article], set[str], set[str]]:
    """Originals with copies of some of them further on (under other ids)."""
    rng = random.Random(seed)
    originals = random_articles(90, seed=seed, prefix=f"o{seed}-", words=50)
    stream = list(originals)
    for k, a in enumerate(rng.sample(originals, 30)):
        at = stream.index(a) + 1 + rng.randrange(0, 20)
        stream.insert(min(at, len(stream)), Article(f"copy{k}-{a.id}", a.text, outlet=a.outlet))
    return stream, {a.id for a in originals}, {a.id for a in stream} - {a.id for a in originals}


def filter_chain(location: str, work: Path, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    stream, originals, copies = filter_stream(seed)
    source = write_jsonl(work / f"stream{seed}.jsonl", stream)
    loc = fresh_index(location, work)
    delivered: set[str] = set()
    kills = 0
    while kills < PER_CHAIN:
        waiting = len(originals - set(held(loc, sorted(originals))))
        sig = SIGNALS[(seed + kills) % 2]
        cmd = dedup_cmd("filter", "--index", loc, "--batch", str(rng.choice([4, 8, 16])), "-q", str(source))
        lines, killed = killed_run(cmd, "stdout", rng, rng.randrange(0, max(1, waiting)), sig, work, tally)
        kills += killed
        delivered |= ids_of(lines)
        indexed = set(held(loc, sorted(originals | copies)))
        integrity(loc)
        assert indexed <= delivered, f"indexed, never delivered: {sorted(indexed - delivered)}"
        assert not delivered & copies, f"copies delivered: {sorted(delivered & copies)}"
        if indexed == originals:  # the stream went through before the kill: go on on a new index
            loc, delivered = fresh_index(location, work), set()
    cmd = dedup_cmd("filter", "--index", loc, "--rejects", str(work / f"rejects{seed}.jsonl"), str(source))
    lines, killed = killed_run(cmd, "stdout", rng, 10**9, signal.SIGKILL, work, tally)
    assert not killed
    replayed = ids_of(lines)
    dropped = ids_of((work / f"rejects{seed}.jsonl").read_bytes().splitlines())
    assert replayed | dropped == originals | copies  # every record of the replay is out or rejected
    assert replayed | delivered == originals and not replayed & copies
    assert set(held(loc, sorted(originals | copies))) == originals


def add_chain(location: str, work: Path, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    old = random_articles(80, seed=seed, prefix=f"a{seed}-", words=50)
    new = [Article(a.id, a.text + " " + a.text.split(".")[0], outlet=a.outlet) for a in old]
    new += random_articles(80, seed=seed + 1000, prefix=f"n{seed}-", words=50)
    before = {a.id: a.text for a in old}
    after = {a.id: a.text for a in new}
    source = write_jsonl(work / f"v2-{seed}.jsonl", new)
    kills = 0
    while kills < PER_CHAIN:
        loc = fresh_index(location, work, old)
        while kills < PER_CHAIN:
            batch = rng.choice([8, 16, 32])
            sig = SIGNALS[(seed + kills) % 2]
            cmd = dedup_cmd("index", "add", loc, str(source), "--on-conflict", "replace", "--batch", str(batch))
            lines, killed = killed_run(cmd, "stderr", rng, rng.randrange(0, len(new) // batch), sig, work, tally,
                                       pattern=r"committed \d+ articles")
            kills += killed
            acked = max([int(m.group(1)) for m in (re.search(rb"committed (\d+) articles", x) for x in lines) if m],
                        default=0)
            texts = held(loc, sorted(after))
            integrity(loc)
            assert set(before) <= set(texts), "a replaced id went missing"
            assert all(texts[i] in (before.get(i), after[i]) for i in texts)
            assert all(texts.get(a.id) == a.text for a in new[:acked]), "an acknowledged article was lost"
            if texts == after:
                break
    loc = fresh_index(location, work, old)
    lines, killed = killed_run(dedup_cmd("index", "add", loc, str(source), "--on-conflict", "replace"), "stderr",
                               rng, 10**9, signal.SIGKILL, work, tally)
    assert not killed and held(loc, sorted(after)) == after


@pytest.mark.parametrize("chain", [filter_chain, add_chain], ids=["filter", "index add"])
def test_random_kills_lose_nothing(chain: Callable[[str, Path, int, Tally], None], location: str,
                                   tmp_path: Path) -> None:
    tallies = [Tally() for _ in range(CHAINS)]
    with ThreadPoolExecutor(2) as pool:  # two chains at once, each on an index of its own
        for future in [pool.submit(chain, location, tmp_path, seed, tallies[seed]) for seed in range(CHAINS)]:
            future.result()
    kills = {name: sum(t.kills[name] for t in tallies) for name in ("SIGKILL", "SIGTERM")}
    assert sum(kills.values()) >= KILLS and min(kills.values()) >= KILLS // 2 - 1, kills


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_filter_stopped_while_its_reader_is_slow_loses_no_record(location: str, tmp_path: Path,
                                                                   sig: signal.Signals) -> None:
    """The filter blocks writing to a reader that does not read; stopped there, it commits nothing it did not write."""
    articles = random_articles(2000, seed=int(sig), words=120)
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    loc = fresh_index(location, tmp_path)
    proc = subprocess.Popen(dedup_cmd("filter", "--index", loc, "--batch", "64", str(source)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=subprocess_env())
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    time.sleep(2.0)  # it fills the pipe and waits on it
    proc.send_signal(sig)
    out = first + proc.stdout.read()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 128 + sig
    assert err.strip() == f"dedup: stopped by {sig.name}; what was not committed is not in the index"
    delivered = ids_of(out.splitlines())
    indexed = set(held(loc, [a.id for a in articles]))
    assert indexed <= delivered and len(indexed) < len(articles)
    replay = subprocess.run(dedup_cmd("filter", "--index", loc, "-q", str(source)), capture_output=True,
                            env=subprocess_env(), timeout=600)
    assert replay.returncode == 0
    assert delivered | ids_of(replay.stdout.splitlines()) == {a.id for a in articles}
