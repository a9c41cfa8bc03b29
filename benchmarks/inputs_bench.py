"""What reading one article costs in each input format, against plain JSONL.

    python benchmarks/inputs_bench.py [--articles 20000] [--repeat 3] [--files news.jsonl.gz,...]

Writes the same made-up articles (news-length, deterministic) as JSONL, as
JSONL compressed with gzip, xz and zstd, as CSV, as Parquet and as a WARC of
HTML pages (gzip per record, written by warcio: its cost includes the HTML
extractor every page goes through), each with its own library, then times
:func:`dedup.ingest.read_paths` over each file (the reader that ``dedup scan``,
``index add`` and ``filter`` use; best of ``--repeat`` runs), in wall-clock time and
in CPU time (the process's threads and its child processes: a compressed file is
decompressed in a child process of its own, or in a thread, :mod:`dedup.compressed`,
so on a machine with a free core a compressed file's wall-clock time is less than its
CPU time). Prints a Markdown table for
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dedup.ingest import read_paths
from dedup.model import Problem


def articles(count: int, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnoprstuvw") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    return [{"id": f"a{i}", "text": " ".join(rng.choices(words, k=450)) + ".", "outlet": f"outlet{i % 40}",
             "date": "2026-03-03", "url": f"https://www.example{i % 40}.test/story/{i}"} for i in range(count)]


def jsonl_bytes(rows: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def write_zstd(path: Path, rows: list[dict[str, str]]) -> None:
    import zstandard

    path.write_bytes(zstandard.ZstdCompressor().compress(jsonl_bytes(rows)))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_parquet(path: Path, rows: list[dict[str, str]]) -> None:
    import pyarrow
    import pyarrow.parquet

    pyarrow.parquet.write_table(pyarrow.Table.from_pylist(rows), path)


def write_warc(path: Path, rows: list[dict[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for r in rows:
            page = (f"<html><head><title>{r['id']}</title></head><body><article><p>{r['text']}</p></article>"
                    "</body></html>").encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(r["url"], "response", payload=io.BytesIO(page),
                                                          http_headers=http))


WRITERS: dict[str, Callable[[Path, list[dict[str, str]]], object]] = {
    "news.jsonl": lambda p, rows: p.write_bytes(jsonl_bytes(rows)),
    "news.jsonl.gz": lambda p, rows: p.write_bytes(gzip.compress(jsonl_bytes(rows))),
    "news.jsonl.xz": lambda p, rows: p.write_bytes(lzma.compress(jsonl_bytes(rows))),
    "news.jsonl.zst": write_zstd,
    "news.csv": write_csv,
    "news.parquet": write_parquet,
    "news.warc.gz": write_warc,
}


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def seconds_to_read(path: Path, repeat: int) -> tuple[float, float, int]:
    """Best wall-clock and best CPU seconds of ``repeat`` reads, and the articles read."""
    best, cpu, count = float("inf"), float("inf"), 0
    for _ in range(repeat):
        problems: list[Problem] = []
        start, start_cpu = time.perf_counter(), _cpu()
        count = sum(1 for _ in read_paths([str(path)], problems.append))
        best, cpu = min(best, time.perf_counter() - start), min(cpu, _cpu() - start_cpu)
        if problems:
            raise SystemExit(f"{path.name}: {problems[0]}")
    return best, cpu, count


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", default=",".join(WRITERS),
                        help="comma-separated names of the files to time (plain JSONL is always timed first)")
    args = parser.parse_args(argv)
    chosen = ["news.jsonl", *(n for n in args.files.split(",") if n in WRITERS and n != "news.jsonl")]
    rows = articles(args.articles)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            writer = WRITERS[name]
            path = Path(folder) / name
            writer(path, rows)
            seconds, cpu, count = seconds_to_read(path, args.repeat)
            assert count == len(rows), (name, count)
            results.append({"name": name, "mb": path.stat().st_size / 1e6, "us": seconds / count * 1e6,
                            "cpu": cpu / count * 1e6})
    plain = results[0]["us"]
    print(f"{args.articles:,} articles of about {len(rows[0]['text']):,} characters, best of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| file | size (MB) | µs per article | against plain JSONL | CPU µs per article |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| `{r['name']}` | {r['mb']:.1f} | {r['us']:.1f} | {r['us'] / plain:.2f}× | {r['cpu']:.1f} |")


if __name__ == "__main__":
    main()
