"""The Spark engine against the local engine on one generated corpus, in one run.

    python benchmarks/spark_bench.py --articles 5000 20000 --master 'local[*]'

For each size: generate news-length articles with reuse families (wire copy
from ../shared/data/reuters21578 recombined, reprinted, edited and stitched;
see tests/spark_corpus.py), then time ``dedup.scan`` + JSONL pairs (local)
and the Spark engine + families + outlets + JSONL part files (spark) on it.
Both must give the same pairs. Wall time and CPU time (every process of the
run: JVM and Python workers included) go to benchmarks/RESULTS.md, section
"Spark".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's dedup, on the driver
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))  # and workers

import spark_corpus  # noqa: E402

import dedup  # noqa: E402
from dedup.report import write_jsonl  # noqa: E402


def tree_cpu() -> float:
    """CPU seconds of this process and all its descendants still running or reaped (Linux /proc)."""
    hz = os.sysconf("SC_CLK_TCK")
    procs: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        procs[int(name)] = (int(rest[1]), sum(map(int, rest[11:15])))
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in procs.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [os.getpid()]
    while stack:
        pid = stack.pop()
        total += procs.get(pid, (0, 0))[1]
        stack += children.get(pid, [])
    return total / hz


def run_local(corpus: Path, out: Path) -> dict[str, float]:
    wall, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    articles, problems = dedup.load([str(corpus)])
    report = dedup.scan(articles, problems=problems)
    with out.open("w", encoding="utf-8") as handle:
        write_jsonl(report.pairs, handle)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall": time.perf_counter() - wall,
            "cpu": after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime,
            "pairs": len(report.pairs), "candidates": report.stats["candidate_pairs"],
            "families": len(report.families)}


def run_spark(spark, corpus: Path, out: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from dedup.spark.cli import write_pairs
    from dedup.spark.engine import scan_paths
    from dedup.spark.figures import family_records

    wall, cpu = time.perf_counter(), tree_cpu()
    result = scan_paths(spark, [str(corpus)])
    families = family_records(result.families())
    result.outlets()
    write_pairs(result.ordered_pairs(), "jsonl", str(out))
    return {"wall": time.perf_counter() - wall, "cpu": tree_cpu() - cpu,
            "pairs": result.stats["pairs"], "candidates": result.stats["candidate_pairs"],
            "families": len(families)}


def same_pairs(local: Path, spark_dir: Path) -> bool:
    mine = local.read_text(encoding="utf-8").splitlines()
    theirs = [line for part in sorted(spark_dir.glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]
    return [json.loads(x) for x in mine] == [json.loads(x) for x in theirs]


def _row(r: dict[str, object], command: str) -> str:
    lo, sp = r["local"], r["spark"]  # type: ignore[index]
    return (f"| {r['articles']} | {lo['candidates']} | {lo['pairs']} | {lo['wall']:.1f} | {sp['wall']:.1f} | "
            f"{sp['wall'] / lo['wall']:.2f} | {lo['cpu']:.1f} | {sp['cpu']:.1f} | {sp['cpu'] / lo['cpu']:.2f} | "
            f"`{command}` |")


def write_results(rows: list[dict[str, object]], command: str, master: str) -> None:
    """Replace this run's sizes in the section's table, keep the other sizes' rows."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find("## Spark\n")
    end = text.find("\n## ", start + 1) if start >= 0 else -1
    old = text[start:end if end >= 0 else len(text)] if start >= 0 else ""
    kept = {int(line.split("|")[1]): line for line in old.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().isdigit() and line.count("|") == 11}
    kept.update({int(r["articles"]): _row(r, command) for r in rows})  # type: ignore[call-overload]
    lines = [
        "## Spark",
        "",
        f"Spark engine (`{master}`, this machine's {os.cpu_count()} cores) against the local engine",
        "(`dedup.scan`, one process) on the same generated corpus in the same run (the command of",
        "each row): news-length articles from Reuters-21578 wire copy (generated text once it runs",
        "out), reprinted, trimmed, edited, stitched, with outlet boilerplate and stock sentences.",
        "Local: scan + JSONL pairs. Spark: scan + families + outlet figures + JSONL part files.",
        "CPU counts every process of the run (JVM and Python workers); wall time also depends on",
        "whatever else the machine ran. Both engines gave the same pairs (checked by the script).",
        "",
        "| articles | candidate pairs | pairs | local wall s | spark wall s | spark/local wall "
        "| local CPU s | spark CPU s | spark/local CPU | command |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *(kept[n] for n in sorted(kept)),
    ]
    section = "\n".join(lines) + "\n"
    if start >= 0:
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100_000])
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--reuters", type=Path, default=ROOT.parent / "shared" / "data" / "reuters21578")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(args.master).appName("dedup-bench")
             .config("spark.driver.memory", "8g").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    stories = spark_corpus.reuters_stories(args.reuters)
    vocabulary = spark_corpus.reuters_vocabulary(stories)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.articles:  # each size's corpus is the same whatever other sizes run
            words = spark_corpus.Words(3, vocabulary)
            corpus = spark_corpus.write_jsonl(spark_corpus.generate(stories, n, seed=11, words=words),
                                              Path(tmp) / f"news-{n}.jsonl")
            local = run_local(corpus, Path(tmp) / f"local-{n}.jsonl")
            print(f"{n} local {local}", flush=True)
            sp = run_spark(spark, corpus, Path(tmp) / f"spark-{n}")
            print(f"{n} spark {sp}", flush=True)
            if not same_pairs(Path(tmp) / f"local-{n}.jsonl", Path(tmp) / f"spark-{n}"):
                raise SystemExit(f"{n} articles: the engines found different pairs")
            rows.append({"articles": n, "local": local, "spark": sp})
    command = "python benchmarks/spark_bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    if not args.no_write:
        write_results(rows, command.strip(), args.master)


if __name__ == "__main__":
    main()
