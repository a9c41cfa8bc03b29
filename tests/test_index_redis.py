"""The shared Redis index, against a real redis-server started for these tests."""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner

from dedup import Article, Index, IndexStoreError
from dedup.cli import cli

from index_helpers import REPRINT, STITCHED, UNRELATED, WIRE, free_port

pytestmark = pytest.mark.redis  # a real redis-server, started by the tests


@pytest.fixture
def url(redis_url: str) -> str:
    return f"{redis_url}?prefix=t{uuid.uuid4().hex[:10]}"


def test_workers_share_one_index(url: str) -> None:
    with Index.open(url) as first, Index.open(url) as second:
        assert first.check(Article("wire-1", WIRE), add=True).added
        decision = second.check(Article("herald-7", REPRINT), add=True)
        assert decision.duplicate_of == "wire-1" and not decision.added
        assert second.check(Article("island-2", STITCHED), add=True).status == "partial"
        assert len(first) == 2 and "island-2" in first


def test_postings_live_in_datasketch_storage(url: str) -> None:
    import redis
    from datasketch.storage import unordered_storage

    with Index.open(url) as idx:
        idx.add([Article("wire-1", WIRE), Article("bakery", UNRELATED)])
        fingerprints = idx.stats()["fingerprints"]
    prefix = url.split("prefix=")[1]
    address = redis.connection.parse_url(url.split("?")[0])
    storage = unordered_storage({"type": "redis", "redis": {"host": address["host"], "port": address["port"]}},
                                name=f"{prefix}:fp:".encode())
    assert storage.size() == fingerprints > 0
    members = {m.split(b":")[0] for key in storage.keys() for m in storage.get(key)}
    assert len(members) == 2  # two articles hold them


def test_prefixes_are_separate_indexes(redis_url: str) -> None:
    with Index.open(f"{redis_url}?prefix=a{uuid.uuid4().hex[:8]}") as one, \
            Index.open(f"{redis_url}?prefix=b{uuid.uuid4().hex[:8]}") as other:
        one.add([Article("wire-1", WIRE)])
        assert len(other) == 0 and other.check(Article("x", REPRINT)).status == "new"


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(IndexStoreError, match="cannot use Redis"):
        Index.open(f"redis://127.0.0.1:{free_port()}/0")


def test_missing_index_without_create(url: str) -> None:
    with pytest.raises(IndexStoreError, match="no index"):
        Index.open(url, create=False)


def test_filter_command_on_redis(url: str) -> None:
    runner = CliRunner()
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in
                      (("wire-1", WIRE), ("herald-7", REPRINT), ("bakery", UNRELATED)))
    result = runner.invoke(cli, ["filter", "--index", url], input=lines)
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["wire-1", "bakery"]
    stats = json.loads(runner.invoke(cli, ["index", "stats", url, "--json"]).stdout)
    assert (stats["store"], stats["articles"]) == ("redis", 2)
    removed = runner.invoke(cli, ["index", "remove", url, "bakery"])
    assert "removed 1" in removed.stderr


PACKING_UNDER_SIGNALS = """
import signal, sys, time
from redis.connection import PythonRespSerializer
from dedup.index.redis_store import client

class Tick(Exception):
    pass

def tick(signum, frame):
    raise Tick

r, _, _ = client(sys.argv[1])
conn = r.connection_pool.make_connection()  # not connected: packing needs no server
args = ("HMGET", "key", *range(10**6, 10**6 + 20000), 2.5)
expected = b"".join(PythonRespSerializer(6000, conn.encoder.encode).pack(*args))
assert b"".join(conn.pack_command(*args)) == expected
signal.signal(signal.SIGALRM, tick)
start = time.perf_counter()
conn.pack_command(*args)
took = time.perf_counter() - start
ticks = 0
for k in range(1000):  # a one-shot timer for each, set to go off while the command is packed
    try:
        signal.setitimer(signal.ITIMER_REAL, 1e-6 + took * (k % 20) / 20)
        conn.pack_command(*args)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except Tick:
        ticks += 1
print(ticks)
"""


def test_a_signal_while_a_command_is_packed_stops_it_cleanly(url: str) -> None:
    """hiredis formats numbers unchecked, and a signal handler that raises while it does so
    crashed the process (a SIGTERM'd `dedup index add` once died of SIGSEGV): numbers are
    written out before hiredis sees them, and the packed bytes are redis-py's own."""
    import subprocess
    import sys

    from index_helpers import subprocess_env

    run = subprocess.run([sys.executable, "-c", PACKING_UNDER_SIGNALS, url], capture_output=True, text=True,
                         env=subprocess_env(), timeout=300)
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert int(run.stdout) > 200  # the handler ran inside packing again and again


def test_an_unknown_url_parameter_is_named_in_one_line(redis_url: str) -> None:
    """redis-py reads the URL's parameters only when it first connects; a misspelt one
    ("leese") is refused when the index is opened, in one line, not as a traceback."""
    runner = CliRunner()
    result = runner.invoke(cli, ["index", "stats", f"{redis_url}?prefix=x&leese=2"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "leese" in lines[0] and "not a parameter of a Redis URL" in lines[0]
    with pytest.raises(IndexStoreError, match="leese"):
        Index.open(f"{redis_url}?leese=2")
