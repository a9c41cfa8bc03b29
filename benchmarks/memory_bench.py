"""The memory a local scan needs besides its texts, against :mod:`dedup.local.memory`'s estimate.

    python benchmarks/memory_bench.py [--sizes 10000,30000] [--jobs 2] [--spilled] [--dense]

For each size, in a process of its own: reads the speed benchmark's corpus (made by
``benchmarks/speed.py``'s generator when it is not there yet), notes the anonymous
memory of the process once the texts are read, scans with ``jobs`` workers while a
thread samples the anonymous memory of the whole process tree (``Pss_Anon``: a page
forked workers share counts once, and the page cache of memory-mapped files does
not count) every 50 ms, and prints a Markdown row: the peak less what the texts held,
per character, beside the estimate the scan checks before it aligns (from the
characters and the candidate pairs to align). ``--spilled``
keeps the words in memory-mapped files, as a corpus of more than
``dedup.local.corpus.SPILL_WORDS`` words does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parent))

from benchmarks.speed import REUTERS, corpus_file, tree_memory_mb  # noqa: E402


def measure(path: Path, jobs: int, spilled: bool) -> dict[str, float]:
    """One scan of ``path``, in this process (run in a fresh one)."""
    import psutil

    import dedup.local.corpus as corpus
    import dedup.local.engine as engine
    from dedup.ingest import load
    from dedup.local.memory import needed

    if spilled:  # as a corpus over SPILL_WORDS words does, with shards as small as a large corpus's
        setattr(engine, "SPILL_WORDS", 0)  # noqa: B010  (the engine's own name for it)
        corpus.SHARD_FINGERPRINTS = 2_000_000
    me = psutil.Process()
    articles, _ = load([str(path)])
    characters = sum(len(a.text) for a in articles)
    held = tree_memory_mb(me)[1]
    peak, stop = [held], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_memory_mb(me)[1])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stats = engine.scan(articles, jobs=jobs, memory=0).stats
    stop.set()
    sampler.join()
    aligned = stats["candidate_pairs"] - sum(stats["dropped_candidates"].values())
    return {"articles": len(articles), "characters": characters, "held_mb": held, "peak_mb": peak[0],
            "aligned": aligned, "estimate_mb": needed(characters, spilled=spilled, pairs=aligned) / (1 << 20)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--spilled", action="store_true")
    parser.add_argument("--dense", action="store_true", help="the corpus of stock phrasing")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child's own run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.jobs, args.spilled)))
        return
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the start; jobs {args.jobs}; "
          f"words {'in memory-mapped files' if args.spilled else 'in RAM'}\n")
    print("| articles | characters | pairs aligned | held by the texts (MB) | peak (MB) | "
          "needed besides the texts (MB) | bytes per character | estimate (MB) | estimate ÷ needed |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        path, _ = corpus_file(size, args.data, 1, REUTERS, args.dense)
        done = subprocess.run([sys.executable, __file__, "--one", str(path), "--jobs", str(args.jobs),
                               *(["--spilled"] if args.spilled else [])], capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        need = r["peak_mb"] - r["held_mb"]
        print(f"| {r['articles']:,} | {r['characters']:,} | {r['aligned']:,} | {r['held_mb']:,.0f} "
              f"| {r['peak_mb']:,.0f} | {need:,.0f} "
              f"| {need * (1 << 20) / r['characters']:.2f} | {r['estimate_mb']:,.0f} | {r['estimate_mb'] / need:.2f} |")


if __name__ == "__main__":
    main()
