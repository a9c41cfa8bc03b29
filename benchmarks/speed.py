"""Speed and memory of a dedup scan against MinHash peers, on one generated corpus, in one run.

Each system runs in a fresh subprocess, so its peak memory (the kernel's RSS
high-water mark of that process and its children, read with ``wait4``; with
psutil, also the sampled sum of proportional set sizes over the process tree,
which counts a page shared by forked workers once) is its own. Times are
measured inside the subprocess, from reading the JSONL to the last result;
generating the corpus and starting Python are not counted.

    python benchmarks/speed.py --sizes 10000,100000 [--jobs N] [--dense] [--out benchmarks/RESULTS.md]

The table goes to the "## Speed" section of the results file (with
``--dense``, the corpus of stock phrasing, to "## Speed on the dense corpus";
the rest of the file is left as it is) and to standard output. Each system's
pairs are scored against the generator's truth (pair precision and recall).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benchmarks" / "corpus.py"
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"

SECTION = "## Speed"
DENSE_SECTION = "## Speed on the dense corpus"
NUM_PERM = 128
THRESHOLD = 0.5
SHINGLE = 5
PEER_BATCH = 1000
WORD = re.compile(r"\w+")
STAGES = ("ingest", "tokenize", "candidates", "alignment", "families", "report")
COLUMNS = ("system", "articles", "wall s", "articles/s", "MB/s", "peak RSS MB", "peak anonymous MB", "pairs",
           "pair precision", "pair recall", "note")
STAGE_COLUMNS = ("dedup stage", "wall s", "share", "articles/s", "MB/s")
RATIO_COLUMNS = ("dedup vs", "speed: dedup articles/s ÷ peer", "memory: dedup peak RSS ÷ peer")


# ---------------------------------------------------------------- the systems (run in a worker)

def read_records(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def shingles(text: str) -> set[str]:
    """Word 5-shingles of a text, as a MinHash user would make them."""
    w = WORD.findall(text.lower())
    return set(map(" ".join, zip(*(w[k:] for k in range(SHINGLE)))))


def run_dedup(path: Path, limit: int | None, jobs: int, scratch: Path) -> dict[str, Any]:
    from dedup import scan
    from dedup.ingest import load
    from dedup.report import write_json
    from dedup.settings import Settings

    def progress(stage: str, done: int, total: int) -> None:
        if done == total or done % 10_000 == 0:
            print(f"progress {stage} {done}/{total} at {time.perf_counter() - began:.1f} s",
                  file=sys.stderr, flush=True)

    began = time.perf_counter()
    articles, problems = load([str(path)])
    if limit is not None:
        articles = articles[:limit]
    ingest = time.perf_counter() - began
    settings = Settings()
    options: dict[str, Any] = {"problems": problems, "progress": progress}
    note = ""
    if "jobs" in inspect.signature(scan).parameters:
        options["jobs"] = jobs
    elif jobs != 1:
        note = "the engine takes no jobs option: one process"
    import dedup
    if Path(dedup.__file__).resolve().parent.parent != ROOT:
        note = "; ".join(filter(None, (note, f"measured dedup from {Path(dedup.__file__).parent}")))
    report = scan(articles, settings, **options)
    mark = time.perf_counter()
    out = scratch / "report.json"
    with open(out, "w", encoding="utf-8") as fh:
        write_json(report, fh, settings.to_dict())
    out.unlink()
    stages = {"ingest": ingest, **report.stats.get("seconds", {}), "report": time.perf_counter() - mark}
    return {"articles": len(articles), "seconds": time.perf_counter() - began, "stages": stages,
            "pairs": len(report.pairs), "candidates": int(report.stats.get("candidate_pairs", 0)),
            "dropped": report.stats.get("dropped_candidates", {}), "note": note,
            "found": [(p.a, p.b) for p in report.pairs]}


def _lsh_pipeline(path: Path, limit: int | None,
                  signatures: Callable[[list[set[str]]], list[Any]], lsh: Any,
                  query: Callable[[Any, Any], list[Any]], insert: Callable[[Any, int, Any], None]) -> dict[str, Any]:
    """Read, shingle, sign in batches; each article queries the index, then joins it."""
    began = time.perf_counter()
    count = 0
    found: list[tuple[int, int]] = []
    batch: list[set[str]] = []

    def flush() -> None:
        nonlocal count
        for m in signatures(batch):
            found.extend((int(other), count) for other in query(lsh, m))
            insert(lsh, count, m)
            count += 1
        batch.clear()

    ids = []
    for record in read_records(path, limit):
        ids.append(record["id"])
        batch.append(shingles(record["text"]))
        if len(batch) == PEER_BATCH:
            flush()
    flush()
    return {"articles": count, "seconds": time.perf_counter() - began, "pairs": len(found),
            "found": [(ids[a], ids[b]) for a, b in found]}


def run_datasketch(path: Path, limit: int | None, how: str) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    if how == "update":
        def signatures(batch: list[set[str]]) -> list[Any]:
            found = []
            for doc in batch:
                m = MinHash(num_perm=NUM_PERM)
                for s in doc:
                    m.update(s.encode("utf-8"))
                found.append(m)
            return found
    else:
        extra: dict[str, Any] = {}
        if how == "xxhash":
            import xxhash
            extra["hashfunc"] = xxhash.xxh32_intdigest

        def signatures(batch: list[set[str]]) -> list[Any]:
            return list(MinHash.bulk([[s.encode("utf-8") for s in doc] for doc in batch], num_perm=NUM_PERM, **extra))

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    result = _lsh_pipeline(path, limit, signatures, lsh, lambda index, m: index.query(m),
                           lambda index, key, m: index.insert(key, m))
    result["note"] = f"LSH {lsh.b} bands x {lsh.r} rows"
    return result


def run_rensa(path: Path, limit: int | None) -> dict[str, Any]:
    import rensa

    bands = 32  # rensa needs bands dividing num_perm: 32 x 4 rows, S-curve midpoint 0.42

    def signatures(batch: list[set[str]]) -> list[Any]:
        found = []
        for doc in batch:
            m = rensa.RMinHash(num_perm=NUM_PERM, seed=1)
            m.update(list(doc))
            found.append(m)
        return found

    lsh = rensa.RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
    result = _lsh_pipeline(path, limit, signatures, lsh, lambda index, m: index.query(m),
                           lambda index, key, m: index.insert(key, m))
    result["note"] = f"LSH {bands} bands x {NUM_PERM // bands} rows"
    return result


@dataclass(frozen=True)
class System:
    name: str
    label: str
    module: str | None  # what must import for it to run
    sampled: bool = False  # slow: run on --sample articles and extrapolate


SYSTEMS = (
    System("dedup", "dedup scan", None),
    System("datasketch-update", "datasketch MinHash.update per shingle + MinHashLSH", "datasketch", sampled=True),
    System("datasketch-bulk", "datasketch MinHash.bulk + MinHashLSH", "datasketch"),
    System("datasketch-xxhash", "datasketch MinHash.bulk (xxhash) + MinHashLSH", "xxhash"),
    System("rensa", "rensa RMinHash + RMinHashLSH", "rensa"),
)
PEERS = tuple(s.name for s in SYSTEMS if s.name != "dedup")


def worker(name: str, path: Path, limit: int | None, jobs: int, result: Path) -> None:
    """Run one system and write what it measured to ``result`` (JSON)."""
    with tempfile.TemporaryDirectory(dir=result.parent) as scratch:
        if name == "dedup":
            found = run_dedup(path, limit, jobs, Path(scratch))
        elif name == "rensa":
            found = run_rensa(path, limit)
        else:
            found = run_datasketch(path, limit, name.split("-", 1)[1])
    truth = path.with_suffix(".truth.jsonl")
    pairs = found.pop("found")
    if truth.exists() and limit is None:  # scored after the clock stops
        sys.path.insert(0, str(ROOT))
        from benchmarks.corpus import pair_scores, read_truth
        found["scores"] = pair_scores(pairs, read_truth(truth))
    result.write_text(json.dumps(found))


# ---------------------------------------------------------------- measuring (in the parent)

@dataclass
class Measured:
    system: System
    articles: int
    seconds: float | None = None
    peak_mb: float | None = None
    anon_mb: float | None = None
    pairs: int | None = None
    scores: dict[str, float] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    note: str = ""
    extrapolated_from: int | None = None


def importable(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def measure(system: System, path: Path, articles: int, limit: int | None, jobs: int,
            timeout: float, work: Path) -> Measured:
    """Run ``system`` in a fresh process; wall time from inside it, peak RSS from the kernel."""
    if system.module and not importable(system.module):
        return Measured(system, articles, note=f"skipped: {system.module} does not import here "
                                              f"(pip install {system.module})")
    result = work / f"{system.name}.json"
    log = work / f"{system.name}.log"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", system.name, "--corpus", str(path),
           "--jobs", str(jobs), "--result", str(result)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
        status, maxrss_kb, sampled, anon = wait_sampling(proc.pid, timeout)
    peak = max(maxrss_kb / 1024, sampled)
    if status is None:
        return Measured(system, articles, peak_mb=peak, anon_mb=anon or None,
                        note=f"did not finish in {timeout:.0f} s" + how_far(log.read_text()))
    if status != 0 or not result.exists():
        tail = log.read_text().strip().splitlines()[-1:] or ["no output"]
        return Measured(system, articles, peak_mb=peak, anon_mb=anon or None,
                        note=f"failed (exit {status}): {tail[0][:200]}")
    found = json.loads(result.read_text())
    done = Measured(system, found["articles"], found["seconds"], peak, anon or None, found.get("pairs"),
                    found.get("scores", {}), found.get("stages", {}), found.get("note", ""))
    if found.get("candidates"):
        dropped = sum(found.get("dropped", {}).values())
        left = ", ".join(f"{n:,} {why}" for why, n in found.get("dropped", {}).items() if n)
        aligned = (f"{found['candidates']:,} candidate pairs, {found['candidates'] - dropped:,} aligned"
                   + (f" (left out: {left})" if left else ""))
        done.note = "; ".join(filter(None, (aligned, done.note)))
    if limit is not None and found["articles"] < articles:
        done.extrapolated_from = found["articles"]
        done.seconds = found["seconds"] * articles / found["articles"]
        done.pairs = None
        done.note = "; ".join(filter(None, (f"extrapolated from {found['articles']:,} articles "
                                            f"(time x {articles / found['articles']:.1f}; RSS as measured)",
                                            done.note)))
        done.articles = articles
    return done


PROGRESS = re.compile(r"^progress (\w+) (\d+)/(\d+) at ([\d.]+) s$", re.M)


def how_far(log: str) -> str:
    """Where a stopped run was, from its progress lines, with the time its last stage
    would still have needed at the rate it was going."""
    seen = [(stage, int(d), int(t), float(s)) for stage, d, t, s in PROGRESS.findall(log)]
    if not seen:
        return ""
    stage, done, total, at = seen[-1]
    finished = {st: s for st, _, _, s in seen if st != stage}
    text = "".join(f"; {st} done at {s:,.0f} s" for st, s in finished.items())
    text += f"; reached {stage} {done:,}/{total:,} at {at:,.0f} s"
    first = next((d, s) for st, d, _, s in seen if st == stage)
    if done > first[0] and at > first[1]:
        rate = (done - first[0]) / (at - first[1])
        text += f" ({rate:,.0f}/s: about {(total - done) / rate:,.0f} s more for {stage})"
    return text


SAMPLE_SPACING = 20
"""Reading a process's proportional set size walks its page tables, and the
kernel holds its memory map meanwhile (its page faults wait): sampled every
0.1 s, a million-article scan spent 45% of its CPU time in the kernel.
Samples are spaced at least this many times their own cost apart (the
sampler then runs under 5% of the time), and every 0.1 s when they are cheap."""


def wait_sampling(pid: int, timeout: float) -> tuple[int | None, int, float, float]:
    """Exit status (None on time-out, the process group then killed), the kernel's
    max RSS in KB, and the largest sampled sums over the process tree in MB of the
    proportional set size and of its anonymous part (:func:`tree_memory_mb`)."""
    try:
        import psutil
        root = psutil.Process(pid)
    except Exception:  # psutil missing or the process already gone
        root = None
    deadline = time.monotonic() + timeout
    sampled = anon = 0.0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss, sampled, anon
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return None, usage.ru_maxrss, sampled, anon
        pause = 0.1
        if root is not None:
            began = time.monotonic()
            pss, pss_anon = tree_memory_mb(root)
            sampled, anon = max(sampled, pss), max(anon, pss_anon)
            pause = max(pause, SAMPLE_SPACING * (time.monotonic() - began))
        time.sleep(pause)


def tree_memory_mb(root: Any) -> tuple[float, float]:
    """Memory of the process tree: the sums of proportional set sizes (``Pss``), so that a
    page forked workers share with their parent counts once, not once per process, and
    of their anonymous part (``Pss_Anon``: the heap, not the page cache of files mapped
    into memory, which the kernel can drop and read again). From ``smaps_rollup``;
    (0, 0) where there is none (not Linux, or a process ended while sampling)."""
    try:
        procs = [root, *root.children(recursive=True)]
        pss = anon = 0
        for p in procs:
            with open(f"/proc/{p.pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith(("Pss:", "Pss_Anon:")):
                        kb = int(line.split()[1])
                        if line.startswith("Pss:"):
                            pss += kb
                        else:
                            anon += kb
        return pss / 1024, anon / 1024
    except Exception:  # a process ended while sampling, or no /proc
        return 0.0, 0.0


# ---------------------------------------------------------------- the report

def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(row.split()[1] for row in Path("/proc/meminfo").read_text().splitlines()
                          if row.startswith("MemTotal")))
        ram = f"{mem_kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "RAM unknown"
    versions = [f"Python {platform.python_version()}"]
    for module in ("numpy", "datasketch", "rensa", "xxhash", "psutil"):
        try:
            from importlib.metadata import version
            versions.append(f"{module} {version(module)}")
        except Exception:
            pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, {ram}, "
            f"{platform.system()} {platform.release()}; {', '.join(versions)}; "
            f"load average {load:.2f} at start")


def commit() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "dedup"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return rev + (" with uncommitted changes to dedup/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def size_section(articles: int, mb: float, runs: list[Measured], generated: str) -> str:
    rows = []
    for m in runs:
        label = m.system.label + (" (est.)" if m.extrapolated_from else "")
        rate = m.articles / m.seconds if m.seconds else None
        rows.append((label, f"{m.articles:,}", fmt(m.seconds, 2), fmt(rate, 0),
                     fmt(mb / m.seconds if m.seconds else None, 2),
                     fmt(m.peak_mb, 0), fmt(m.anon_mb, 0), "—" if m.pairs is None else f"{m.pairs:,}",
                     fmt(m.scores.get("precision"), 3), fmt(m.scores.get("recall"), 3), m.note or ""))
    parts = [f"### {articles:,} articles ({mb:,.1f} MB of JSONL)", "", generated, "", table(COLUMNS, rows)]
    dedup = next((m for m in runs if m.system.name == "dedup"), None)
    if dedup and dedup.seconds:
        stage_rows = []
        for stage in STAGES:
            s = dedup.stages.get(stage)
            if s is None:
                continue
            stage_rows.append((stage, fmt(s, 2), f"{100 * s / dedup.seconds:.0f}%",
                               fmt(dedup.articles / s if s else None, 0), fmt(mb / s if s else None, 2)))
        parts += ["", table(STAGE_COLUMNS, stage_rows)]
        ratio_rows = []
        for m in runs:
            if m is dedup or not m.seconds:
                continue
            speed = m.seconds / dedup.seconds
            memory = dedup.peak_mb / m.peak_mb if dedup.peak_mb and m.peak_mb else None
            ratio_rows.append((m.system.label + (" (est.)" if m.extrapolated_from else ""),
                               f"{speed:.2f}x", "—" if memory is None else f"{memory:.2f}x"))
        if ratio_rows:
            parts += ["", table(RATIO_COLUMNS, ratio_rows)]
    return "\n".join(parts)


def scaling(rates: list[tuple[int, float | None]]) -> str:
    """dedup's rate at each size against its rate at the size before: near 1.0 is linear."""
    rows = []
    for k, (count, rate) in enumerate(rates):
        before = rates[k - 1][1] if k else None
        change = f"{rate / before:.2f}x" if rate and before else "—"
        rows.append((f"{count:,}", fmt(rate, 0), change))
    return "\n".join(["### How dedup scales", "",
                      table(("articles", "dedup articles/s", "rate ÷ rate at the size before"), rows)])


def section(command: str, sizes: list[str], heading: str = SECTION) -> str:
    head = [heading, "", f"Command: `{command}`", "",
            f"Machine: {machine()}. dedup at commit {commit()}.", "",
            "Each system runs in a fresh process on the same generated corpus (`benchmarks/corpus.py`, "
            "see benchmarks/README.md); wall time runs from reading the JSONL to the last result, "
            "without generating the corpus or starting Python. Peak RSS is the larger of the kernel's "
            "high-water mark (largest single process) and the sampled sum of proportional set sizes (PSS) over "
            "the process tree, which counts a page that forked workers share with their parent once; "
            "peak anonymous is the sampled sum of that PSS's anonymous part (heap and arrays, without the "
            "page cache of memory-mapped files, which the kernel can drop and read again). "
            "Peers shingle words (5-shingles), "
            f"build {NUM_PERM}-permutation MinHash signatures and query, then insert, each article in "
            f"MinHash LSH (threshold {THRESHOLD}); their pairs are LSH candidates, dedup's are aligned matches. "
            "A speed ratio above 1 means dedup is faster; a memory ratio above 1 means dedup uses more. "
            "Pair precision and recall score each system's pairs against the generator's truth: a copy and "
            "its sources, and two copies of one source, are related; any other pair is chance."]
    return "\n".join(head + [""] + ["\n\n".join(sizes)]) + "\n"


def replace_section(path: Path, text: str, heading: str = SECTION) -> None:
    """Put ``text`` in place of the file's ``heading`` section (or at its end), atomically."""
    fresh = "# Benchmarks\n\nFigures from the scripts in benchmarks/; each section says the command that made it.\n"
    old = path.read_text(encoding="utf-8") if path.exists() else fresh
    pattern = re.compile(rf"^{re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", old, count=1).rstrip("\n") + "\n"
    else:
        new = old.rstrip("\n") + "\n\n" + text
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- main

def corpus_file(count: int, data: Path, seed: int, reuters: Path, dense: bool = False) -> tuple[Path, str]:
    """The corpus of ``count`` articles, generated (untimed, in its own process so this one
    stays small) unless an earlier run made it with the same generator source and seed."""
    key = hashlib.sha1(GENERATOR.read_bytes() + str(seed).encode()).hexdigest()[:8]
    path = data / f"corpus-{'dense-' if dense else ''}{count}-{key}.jsonl"
    if path.exists():
        return path, "Corpus from an earlier run (same generator source and seed)."
    print(f"speed: generating {count:,} articles into {path}", file=sys.stderr)
    done = subprocess.run([sys.executable, str(GENERATOR), str(count), "-o", str(path), "--seed", str(seed),
                           "--reuters", str(reuters), "--quiet", *(["--dense"] if dense else [])],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"speed: generating the corpus failed: {done.stderr.strip()[-500:]}")
    made = json.loads(done.stdout.strip().splitlines()[-1])
    return path, (f"Corpus generated before timing: {made['articles_per_second']:,.0f} articles/s "
                  f"({made['seconds']:.1f} s, {made['train_seconds']:.1f} s of it training the chain), "
                  f"{made['family_members']:,} articles in reuse families.")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (default 10000)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for dedup (when the engine takes them)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    ap.add_argument("--peers", default=",".join(PEERS),
                    help=f"comma-separated peers, or 'none' (default: all of {', '.join(PEERS)})")
    ap.add_argument("--peers-up-to", type=int, default=None, metavar="N",
                    help="run the peers only at sizes up to N articles (default: every size)")
    ap.add_argument("--sample", type=int, default=2000,
                    help="articles the slow per-shingle peer runs on when the corpus is larger (extrapolated)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed to each system at each size")
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data", help="where corpora are kept")
    ap.add_argument("--reuters", type=Path, default=REUTERS, help="folder of Reuters-21578 .sgm files")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated corpus")
    ap.add_argument("--dense", action="store_true", help="the corpus of stock phrasing (benchmarks/corpus.py --dense)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.corpus, args.limit, args.jobs, args.result)
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    wanted = [] if args.peers.strip() == "none" else [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = sorted(set(wanted) - set(PEERS))
    if unknown or not sizes or min(sizes) < 1:
        sys.exit(f"speed: unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEERS)}" if unknown
                 else "speed: --sizes takes positive article counts, e.g. 10000,100000")
    if not args.reuters.is_dir():
        sys.exit(f"speed: the Reuters-21578 files are not in {args.reuters} (use --reuters)")
    given = argv if argv is not None else sys.argv[1:]
    command = "python benchmarks/speed.py " + " ".join(shlex.quote(a) for a in given)
    args.data.mkdir(parents=True, exist_ok=True)
    parts: list[str] = []
    rates: list[tuple[int, float | None]] = []
    for count in sizes:
        path, generated = corpus_file(count, args.data, args.seed, args.reuters, args.dense)
        mb = path.stat().st_size / 1e6
        runs = []
        for system in SYSTEMS:
            if system.name != "dedup" and (system.name not in wanted
                                           or (args.peers_up_to is not None and count > args.peers_up_to)):
                continue
            limit = args.sample if system.sampled and args.sample < count else None
            print(f"speed: {count:,} articles: {system.name}", file=sys.stderr, flush=True)
            with tempfile.TemporaryDirectory(dir=args.data) as work:
                runs.append(measure(system, path, count, limit, args.jobs, args.timeout, Path(work)))
        if args.peers_up_to is not None and count > args.peers_up_to and wanted:
            generated += f" Peers not run at this size (`--peers-up-to {args.peers_up_to:,}`)."
        parts.append(size_section(count, mb, runs, generated))
        rates.append((count, runs[0].articles / runs[0].seconds if runs[0].seconds else None))
    if len(rates) > 1:
        parts.append(scaling(rates))
    heading = DENSE_SECTION if args.dense else SECTION
    text = section(command, parts, heading)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    replace_section(args.out, text, heading)
    print(text)


if __name__ == "__main__":
    main()
