"""Check-and-add throughput of the pre-ingestion filter against a 100,000-article index.

    python benchmarks/filter_bench.py [--articles 100000] [--stream 20000] [--redis URL]
    python benchmarks/filter_bench.py --articles 1000000 --keep DIR --one

``--keep DIR`` keeps the built index in DIR and uses it again on the next run (an index
there with fewer articles is grown to ``--articles``: the corpus is the same prefix);
``--one`` measures the one-process SQLite row alone (no peer: datasketch would hold a
million signatures in memory).

Builds a synthetic corpus (made-up words with a Zipf distribution, news-like
lengths, paragraphs and quotations; deterministic from ``--seed``), indexes
it, then filters a stream of new articles, reprints of indexed ones and
articles that lift paragraphs from them, exactly as ``dedup filter`` does
(check, deliver, add). Each phase runs in its own process so its peak memory
is its own. The peer, in the same run on the same articles, is datasketch's
in-memory ``MinHashLSH`` over whole-document signatures (query, then insert):
it finds near-duplicates of whole articles only, not lifted passages, and
keeps nothing on disk. Prints a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup import Article, Index, Settings  # noqa: E402
from dedup.filter import Policy, read_lines, run  # noqa: E402
from dedup.text import tokenize_batch  # noqa: E402

SYLLABLES = ("ka", "lo", "mi", "ter", "an", "bre", "dos", "vi", "un", "sol", "pra", "en", "ti", "gor", "ul",
             "fa", "ne", "ri", "cha", "mo", "pel", "sur", "dra", "os", "ba", "quin", "zel", "tor")


class Corpus:
    """Deterministic made-up news: article ``k`` is always the same text."""

    def __init__(self, seed: int, vocab: int = 50_000):
        rng = np.random.default_rng(seed)
        words: set[str] = set()
        while len(words) < vocab:
            parts = rng.integers(0, len(SYLLABLES), size=(vocab, 4))
            sizes = rng.integers(1, 5, size=vocab)
            words.update("".join(SYLLABLES[p] for p in row[:n]) for row, n in zip(parts, sizes))
        self.vocab = np.array(sorted(words)[:vocab], dtype=object)
        weights = 1.0 / np.arange(1, vocab + 1) ** 1.05
        self.cdf = np.cumsum(weights / weights.sum())
        self.seed = seed

    def text(self, k: int) -> str:
        rng = np.random.default_rng((self.seed, k))
        n = int(np.clip(rng.lognormal(np.log(380), 0.45), 80, 1500))
        ids = np.minimum(np.searchsorted(self.cdf, rng.random(n)), len(self.vocab) - 1)
        words = self.vocab[ids]
        cuts = np.cumsum(rng.integers(8, 26, size=n // 8 + 2))
        paragraphs, sentence, start = [], [], 0
        for end in cuts:
            if start >= n:
                break
            s = list(words[start:min(end, n)])
            s[0] = s[0].capitalize()
            line = " ".join(s) + "."
            if rng.random() < 0.1:
                line = f'"{line[:-1]}," {self.vocab[rng.integers(50, 5000)].capitalize()} said.'
            sentence.append(line)
            if len(sentence) >= rng.integers(2, 6):
                paragraphs.append(" ".join(sentence))
                sentence = []
            start = end
        if sentence:
            paragraphs.append(" ".join(sentence))
        return "\n\n".join(paragraphs)

    def article(self, k: int) -> Article:
        return Article(f"a{k}", self.text(k), outlet=f"outlet{k % 50}", date=f"2025-{k % 12 + 1:02d}-{k % 28 + 1:02d}")


def stream(corpus: Corpus, indexed: int, count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Incoming records: 70% new, 15% reprints of indexed articles, 15% lifting a paragraph or two."""
    rng = np.random.default_rng(corpus.seed + 1)
    for n in range(count):
        roll = rng.random()
        fresh = corpus.text(indexed + 10_000_000 + n)
        if roll < 0.70:
            yield "new", {"id": f"in{n}", "text": fresh, "outlet": "incoming"}
        elif roll < 0.85:
            source = corpus.text(int(rng.integers(indexed)))
            yield "duplicate", {"id": f"in{n}", "text": "UPDATED\n\n" + source, "outlet": "incoming"}
        else:
            paras = fresh.split("\n\n")
            for _ in range(int(rng.integers(1, 3))):
                lifted = corpus.text(int(rng.integers(indexed))).split("\n\n")
                paras.insert(int(rng.integers(len(paras) + 1)), lifted[int(rng.integers(len(lifted)))])
            yield "partial", {"id": f"in{n}", "text": "\n\n".join(paras), "outlet": "incoming"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process: on a machine shared with other work, records per CPU second
    move less than records per second."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def resident_mb() -> dict[str, float]:
    """Memory held now, apart (Linux): the process's own (anonymous) and file pages it maps,
    which the system shares between processes and takes back under pressure."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {k: int(fields[k].split()[0]) / 1024 for k in ("RssAnon", "RssFile") if k in fields}


def write_stream(args: argparse.Namespace, path: str, new_only: str | None = None) -> dict[str, int]:
    """The incoming records as a JSONL file (and its new records alone in ``new_only``);
    returns how many of each kind were made."""
    made: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as out, open(new_only or os.devnull, "w", encoding="utf-8") as new:
        for kind, record in stream(Corpus(args.seed), args.articles, args.stream):
            made[kind] = made.get(kind, 0) + 1
            line = json.dumps(record) + "\n"
            out.write(line)
            if kind == "new":
                new.write(line)
    return made


def phase_build(args: argparse.Namespace) -> dict[str, Any]:
    corpus = Corpus(args.seed)
    started = time.perf_counter()
    with Index.open(args.index, Settings()) as idx:
        first = len(idx)
        for start in range(first, args.articles, 1000):  # an index of a prefix grows from where it stops
            idx.add([corpus.article(k) for k in range(start, min(start + 1000, args.articles))])
    return {"articles": args.articles, "articles_added": args.articles - first,
            "seconds": max(time.perf_counter() - started, 1e-9), "peak_mb": peak_mb()}


def phase_filter(args: argparse.Namespace) -> dict[str, Any]:
    """``dedup filter --index INDEX < stream > /dev/null``, timed in the process."""
    tokenize_batch(["warm up"])  # builds the character tables once per process
    started = time.perf_counter()
    idx = Index.open(args.index)
    opened = time.perf_counter() - started
    with open(args.stream_file, encoding="utf-8") as source:
        first = json.loads(source.readline())
    idx.check(Article(first["id"], first["text"], outlet=first.get("outlet")))  # maps or loads the fingerprints
    looked = time.perf_counter() - started - opened
    part, parts = (int(x) for x in args.shard.split("/"))
    lines = (line for line in read_lines([args.stream_file], sys.stdin.buffer, print) if line[1] % parts == part)
    with open(os.devnull, "wb") as out:
        started, cpu = time.perf_counter(), cpu_seconds()
        tally = run(idx, lines, out, None, Policy(), batch=args.batch)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    stats = idx.stats()
    idx.close()
    return {"records": tally.read, "seconds": seconds, "open_seconds": opened, "first_check_seconds": looked,
            "rate": tally.read / seconds, "cpu_rate": tally.read / cpu, **resident_mb(),
            "peak_mb": peak_mb(), "statuses": dict(tally.statuses), "bytes": stats["bytes"]}


def phase_peer(args: argparse.Namespace) -> dict[str, Any]:
    """datasketch MinHashLSH in memory: build from the corpus, then query-or-insert each incoming record."""
    from datasketch import MinHashLSH

    from dedup.signatures import signature, to_minhash

    corpus = Corpus(args.seed)
    settings = Settings()
    lsh = MinHashLSH(threshold=0.5, num_perm=settings.num_perm)
    started = time.perf_counter()
    for start in range(0, args.articles, 1000):
        texts = [corpus.text(k) for k in range(start, min(start + 1000, args.articles))]
        for k, tokens in enumerate(tokenize_batch(texts).docs()):
            lsh.insert(f"a{start + k}", to_minhash(signature(tokens, settings), settings))
    build = time.perf_counter() - started
    started = time.perf_counter()
    found = records = 0
    with open(args.stream_file, "rb") as source:
        while chunk := [json.loads(line) for line in islice(source, args.batch)]:
            records += len(chunk)
            for r, tokens in zip(chunk, tokenize_batch([r["text"] for r in chunk]).docs()):
                mh = to_minhash(signature(tokens, settings), settings)
                if lsh.query(mh):
                    found += 1
                else:
                    lsh.insert(r["id"], mh)
    seconds = time.perf_counter() - started
    return {"records": records, "seconds": seconds, "rate": records / seconds, "build_seconds": build,
            "peak_mb": peak_mb(), "near_duplicates": found}


def _phases(name: str, args: argparse.Namespace, index: str, articles: int, stream_file: str,
            parts: int = 1) -> list[dict[str, Any]]:
    """Run a phase in ``parts`` processes at once, each on its share of the stream."""
    procs = [subprocess.Popen([sys.executable, __file__, "--phase", name, "--index", index, "--articles", str(articles),
                               "--stream-file", stream_file, "--seed", str(args.seed), "--batch", str(args.batch),
                               "--shard", f"{part}/{parts}"], stdout=subprocess.PIPE, text=True)
             for part in range(parts)]
    results = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"{name} phase failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(f"{name} {index}: {json.dumps(results[-1])}", file=sys.stderr)
    return results


def _phase(name: str, args: argparse.Namespace, index: str, articles: int, stream_file: str) -> dict[str, Any]:
    return _phases(name, args, index, articles, stream_file)[0]


def _together(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Processes that ran side by side as one: records over the longest run, memory added up."""
    seconds = max(r["seconds"] for r in results)
    records = sum(r["records"] for r in results)
    return {"records": records, "seconds": seconds, "rate": records / seconds, "bytes": results[-1]["bytes"],
            "open_seconds": max(r["open_seconds"] for r in results),
            "first_check_seconds": max(r["first_check_seconds"] for r in results),
            "cpu_rate": sum(r["cpu_rate"] for r in results),
            "peak_mb": sum(r["peak_mb"] for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the index")
    parser.add_argument("--stream", type=int, default=20_000, help="incoming records to filter")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--redis", metavar="URL",
                        help="also measure a Redis index at this URL (its database is emptied)")
    parser.add_argument("--redis-articles", type=int, default=10_000, help="articles in the Redis index")
    parser.add_argument("--keep", metavar="DIR", help="build the index in DIR and use it again on the next run")
    parser.add_argument("--one", action="store_true", help="only the one-process SQLite row (no peer)")
    parser.add_argument("--phase", choices=["build", "filter", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    parser.add_argument("--stream-file", help=argparse.SUPPRESS)
    parser.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase = {"build": phase_build, "filter": phase_filter, "peer": phase_peer}[args.phase]
        print(json.dumps(phase(args)))
        return
    rows = []
    peer: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        stream_file, new_file = os.path.join(tmp, "stream.jsonl"), os.path.join(tmp, "new.jsonl")
        made = write_stream(args, stream_file, new_file)
        built = os.path.join(args.keep or tmp, f"filter-{args.articles}.idx")
        build = _phase("build", args, built, args.articles, stream_file)
        index = os.path.join(tmp, "bench.idx")
        for name in os.listdir(os.path.dirname(built)):  # the index and its frozen file, but the write-ahead log
            if name.startswith(os.path.basename(built)) and not name.endswith(("-wal", "-shm")):
                for copy in ("bench.idx", "bench2.idx", "bench3.idx")[: 1 if args.one else 3]:
                    shutil.copy(os.path.join(os.path.dirname(built), name),
                                os.path.join(tmp, copy + name[len(os.path.basename(built)):]))
        rows.append(("dedup filter, SQLite file", args.articles, build,
                     _phase("filter", args, index, args.articles, stream_file)))
        if not args.one:
            rows.append((f"dedup filter, SQLite file, the {made['new']:,} new records alone", args.articles, build,
                         _phase("filter", args, os.path.join(tmp, "bench3.idx"), args.articles, new_file)))
            rows.append(("dedup filter, SQLite file, 2 processes (stream split in two)", args.articles, build,
                         _together(_phases("filter", args, os.path.join(tmp, "bench2.idx"), args.articles,
                                           stream_file, 2))))
            peer = _phase("peer", args, "-", args.articles, stream_file)
        if args.redis and not args.one:
            import redis

            redis.Redis.from_url(args.redis.split("?")[0]).flushdb()
            small = argparse.Namespace(**{**vars(args), "articles": args.redis_articles})
            redis_stream = os.path.join(tmp, "redis-stream.jsonl")
            write_stream(small, redis_stream)
            rows.append(("dedup filter, Redis", args.redis_articles,
                         _phase("build", args, args.redis, args.redis_articles, redis_stream),
                         _phase("filter", args, args.redis, args.redis_articles, redis_stream)))
    print(f"\nStream of {args.stream:,} records ({made}), batch {args.batch}:\n")
    print("| engine | indexed | build (articles/s) | open (s) | first check (s) | check-and-add (records/s) | vs peer "
          "| records per CPU s | peak RSS (MB) | index size (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, indexed, b, f in rows:
        versus = f"{f['rate'] / peer['rate']:.2f}x" if peer else "-"
        rate = f"{b['articles_added'] / b['seconds']:,.0f}" if b["articles_added"] else "(kept)"
        print(f"| {name} | {indexed:,} | {rate} | {f['open_seconds']:.2f} "
              f"| {f['first_check_seconds']:.2f} | {f['rate']:,.0f} | {versus} | {f['cpu_rate']:,.0f} "
              f"| {f['peak_mb']:,.0f} "
              f"| {f['bytes'] / 1e6:,.0f} |")
    if peer:
        print(f"| datasketch MinHashLSH, in memory, whole documents only | {args.articles:,} | "
              f"{args.articles / peer['build_seconds']:,.0f} | - | - | {peer['rate']:,.0f} | 1.00x | - | "
              f"{peer['peak_mb']:,.0f} | - |")
        print(f"\nStatuses found: {rows[0][3]['statuses']}; "
              f"datasketch flagged {peer['near_duplicates']:,} near-duplicates.")
    else:
        print(f"\nStatuses found: {rows[0][3]['statuses']}.")
    print("Peak RSS of two processes is their sum; the Redis size is the server's memory after the run.")

if __name__ == "__main__":
    main()
