"""The Spark engine beside the local engine on one generated corpus, in one run.

    python benchmarks/spark_bench.py --articles 100000

The corpus is the speed benchmark's (``benchmarks/corpus.py``, kept in
``benchmarks/data/``, generated first when missing and not timed). Each
engine then runs as the ``dedup scan`` command a user types, in its own
process, writing the whole JSON report (pairs, families, outlet figures):

    python -m dedup scan CORPUS --format json -o local.json -q
    python -m dedup scan --engine spark CORPUS --format json -o spark.json -q

Wall time runs from starting the command to its exit (Python and, for Spark,
the JVM start included); CPU time is that of the command's whole process tree
(JVM and Python workers included). Both reports must be equal apart from
``stats``. The figures go to the "## Spark" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import write_section  # noqa: E402
from benchmarks.speed import REUTERS, corpus_file  # noqa: E402

SECTION = "## Spark"


def _sample_tree(root: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds so far of ``root`` and of every descendant (Linux /proc)."""
    hz = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            rest = stat[stat.rfind(")") + 2:].split()
            parents[int(name)] = int(rest[1])
            cpu[int(name)] = (int(rest[11]) + int(rest[12])) / hz  # its own user + system time
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in cpu:
            seen[pid] = max(seen.get(pid, 0.0), cpu[pid])
        stack += [p for p, parent in parents.items() if parent == pid]


def run(command: list[str]) -> dict[str, float]:
    """Wall and CPU seconds of one command. CPU is summed over its process tree (the JVM and
    Spark's Python workers included), sampled every half second."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    seen: dict[int, float] = {}
    began = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        while proc.poll() is None:
            _sample_tree(proc.pid, seen)
            time.sleep(0.5)
        wall = time.perf_counter() - began
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"spark_bench: {shlex.join(command)} failed:\n{err.read()[-3000:]}")
    return {"wall": wall, "cpu": sum(seen.values())}


def comparable(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "stats"}, data["stats"]


def section(n: int, corpus: Path, note: str, local: dict[str, Any], spark: dict[str, Any], stats: dict[str, Any],
            commands: list[str], bench: str) -> str:
    machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB "
               f"RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}")
    try:
        import pyspark

        machine += f", PySpark {pyspark.__version__}"
    except ImportError:  # pragma: no cover
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    machine += f", {java[0]}" if java else ""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    machine += f"; dedup at commit {commit.stdout.strip()}" if commit.returncode == 0 else ""
    rows = [("local engine (`dedup scan`, every core)", local), ("Spark engine (`--engine spark`, local[*])", spark)]
    lines = [
        SECTION, "",
        f"Command: `{bench}`", "",
        f"Machine: {machine}; load average {LOAD_AT_START:.2f} at the start and {os.getloadavg()[0]:.2f} at the "
        "end (on 2 cores, a load near 2 or above means other work shared them: read the times as rough then).", "",
        f"Corpus: {n:,} articles ({corpus.stat().st_size / 1e6:.1f} MB of JSONL) from `benchmarks/corpus.py`, "
        f"the speed benchmark's generator and seed. {note}", "",
        "Each engine ran as the command below, in its own process, writing the whole JSON report "
        "(pairs, families, outlet figures); wall time includes starting Python and, for Spark, the JVM. "
        "CPU time is summed over the command's process tree (JVM and Python workers), sampled every half "
        "second. The two reports "
        "were equal apart from `stats` (checked by the script).", "",
        "| engine | wall s | CPU s | articles/s | command |",
        "|---|---|---|---|---|",
    ]
    for (name, r), command in zip(rows, commands):
        lines.append(f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {n / r['wall']:,.0f} | `{command}` |")
    lines += [
        "",
        f"**Spark / local wall time: {spark['wall'] / local['wall']:.2f}** "
        f"(CPU: {spark['cpu'] / local['cpu']:.2f}). Both found {stats['pairs']:,} pairs among "
        f"{stats['candidate_pairs']:,} candidate pairs ({stats['capped_buckets']:,} capped buckets).",
        "",
        "Spark's own stage times (seconds, `stats.seconds` of its report): "
        + ", ".join(f"{k} {v:.1f}" for k, v in spark["stages"].items()) + ".",
    ]
    return "\n".join(lines) + "\n"


LOAD_AT_START = os.getloadavg()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data", help="where corpora are kept")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated corpus")
    ap.add_argument("--reuters", type=Path, default=REUTERS)
    ap.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    corpus, note = corpus_file(args.articles, args.data, args.seed, args.reuters)
    shown = corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus
    with tempfile.TemporaryDirectory(prefix="spark-bench-") as tmp:
        out = {name: Path(tmp) / f"{name}.json" for name in ("local", "spark")}
        commands = {
            "local": [sys.executable, "-m", "dedup", "scan", str(corpus), "--format", "json", "-o", str(out["local"]),
                      "-q"],
            "spark": [sys.executable, "-m", "dedup", "scan", "--engine", "spark", str(corpus), "--format", "json",
                      "-o", str(out["spark"]), "-q"],
        }
        results = {}
        for name, command in commands.items():
            results[name] = run(command)
            print(f"spark_bench: {name} {results[name]['wall']:.1f} s wall, {results[name]['cpu']:.1f} s CPU",
                  file=sys.stderr, flush=True)
        (local, _), (spark, spark_stats) = comparable(out["local"]), comparable(out["spark"])
        if local != spark:
            sys.exit("spark_bench: the engines' reports differ")
    results["spark"]["stages"] = spark_stats.get("seconds", {})
    shown_commands = [
        f"python -m dedup scan {shown} --format json -o local.json -q",
        f"python -m dedup scan --engine spark {shown} --format json -o spark.json -q",
    ]
    bench = "python benchmarks/spark_bench.py " + shlex.join(sys.argv[1:])
    text = section(args.articles, corpus, note, results["local"], results["spark"], spark_stats, shown_commands,
                   bench.strip())
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
