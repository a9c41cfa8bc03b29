"""Articles and services for the index and filter tests.

The crafted articles are written for these tests: a wire story, a reprint of
it, a story that lifts one of its paragraphs, one that only quotes the same
speaker, and one about something else.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dedup import Article

import requires

ROOT = Path(__file__).resolve().parent.parent

WIRE = """The regional transit authority approved a plan on Tuesday to replace the aging ferry fleet \
that links the northern islands with the mainland, ending two years of debate over cost and routes.

Under the plan, six diesel vessels built in the late 1980s will be retired over the next four years \
and replaced by hybrid ferries that can run on battery power for the short crossings between the smaller islands.

The board voted seven to two in favour after a hearing that ran late into the evening. Opponents argued \
that the budget leaves too little money for the harbour works needed to charge the new boats.

"We have patched these ships for longer than anyone should have to," said board chair Helen Marsh. \
"Our riders deserve crossings that leave on time and do not break down in the middle of winter."

The first two hybrid vessels are expected to enter service in the spring of next year, according to the \
authority's timetable, with fares held at current levels until at least the end of the decade."""

REPRINT = "ISLAND NEWS | Transport\n\n" + WIRE.replace("Tuesday", "Tuesday night")

STITCHED = """Island residents packed the community hall on Wednesday to talk about what the new ferries \
will mean for daily life, from school runs to the weekly fish market.

Under the plan, six diesel vessels built in the late 1980s will be retired over the next four years \
and replaced by hybrid ferries that can run on battery power for the short crossings between the smaller islands.

Several fishermen said they worried that the new timetable would not leave room for the early morning \
freight runs they rely on to get their catch to buyers on the mainland before dawn."""

QUOTING = """Commuters on the northern islands reacted with cautious relief to the news about the fleet, \
though many said they would believe it when they saw the new boats at the dock.

"Our riders deserve crossings that leave on time and do not break down in the middle of winter," Marsh \
told the hearing.

Local shop owners hoped the change would bring more weekend visitors to the islands during the quieter \
months of the year."""

UNRELATED = """A small bakery on the east side of the city has won a national award for its sourdough, \
beating more than three hundred entries from across the country in a blind tasting held last weekend \
in the capital. The owners said they would use the prize money to train two apprentices."""

_SYLLABLES = ("ka", "lo", "mi", "ter", "an", "bre", "dos", "vi", "un", "sol", "pra", "en", "ti", "gor",
              "ul", "fa", "ne", "ri", "cha", "mo", "pel", "sur", "dra", "os")


def vocabulary(size: int = 4000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def random_text(rng: random.Random, words: int = 120, vocab: list[str] | None = None) -> str:
    """Made-up prose: random words in sentences, unlike any other such text."""
    vocab = vocab or vocabulary()
    out = []
    for i in range(words):
        word = rng.choice(vocab)
        out.append(word.capitalize() if i % 12 == 0 else word)
        if i % 12 == 11:
            out[-1] += "."
    return " ".join(out)


def random_articles(n: int, seed: int, prefix: str = "r", words: int = 120) -> list[Article]:
    rng = random.Random(seed)
    vocab = vocabulary()
    return [Article(f"{prefix}{i}", random_text(rng, words, vocab), outlet=f"outlet{i % 5}") for i in range(n)]


def write_jsonl(path: Path, articles: list[Article]) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for a in articles:
            out.write(json.dumps({"id": a.id, "text": a.text, "outlet": a.outlet}) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_server(workdir: Path) -> Iterator[str]:
    """A real redis-server on a free loopback port, for one test module; yields its URL."""
    try:
        import redis
    except ImportError:
        requires.unavailable("redis-py is not installed (pip install 'dedup[redis]')")
    server = requires.program("redis-server")
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    pytest.fail(f"redis-server exited with {proc.returncode}")
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the test module's own (import this fixture into the module)."""
    yield from redis_server(tmp_path_factory.mktemp("redis"))


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index on each store: a file, or a fresh prefix on the module's Redis."""
    if request.param == "sqlite":
        return str(tmp_path / "news.idx")
    return f"{request.getfixturevalue('redis_url')}?prefix=t{uuid.uuid4().hex[:10]}"


def dedup_cmd(*args: str) -> list[str]:
    """The command line of ``python -m dedup`` from this checkout."""
    return [sys.executable, "-m", "dedup", *args]


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
