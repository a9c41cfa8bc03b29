"""Accuracy by condition: does dedup's judgement carry to corpora built differently?

    python benchmarks/accuracy/conditions.py [--seed N] [--wire N] [--only NAME ...]
                                             [--out FILE] [--keep DIR] [--list]

Builds every condition of :mod:`benchmarks.accuracy.variants` from the real
Reuters text (one corpus each, same seed), scans it with dedup (``dedup.load``
+ ``dedup.scan``, default settings), scores the report with
:mod:`dedup.evaluate`, runs the pre-ingestion filter from an empty and from a
full index (:mod:`.filtering`), and prints markdown: a row per condition for
the scan, a row per condition and mode for the filter, and the filter's
confusion tables, every missed goal in bold. ``--keep DIR`` writes each
condition's ``corpus.jsonl``, ``truth.json`` and ``dedup.json`` to
``DIR/NAME/``, so that ``dedup eval DIR/NAME/truth.json DIR/NAME/dedup.json``
gives the scan row's figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import this checkout's dedup and benchmarks
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dedup  # noqa: E402
from benchmarks.accuracy import generate, reuters  # noqa: E402
from benchmarks.accuracy.condition_tables import (  # noqa: E402
    Row,
    conditions_list,
    confusion_table,
    filter_table,
    reason_table,
    scan_table,
)
from benchmarks.accuracy.filtering import filter_scores  # noqa: E402
from benchmarks.accuracy.records import report  # noqa: E402
from benchmarks.accuracy.reuters import Story  # noqa: E402
from benchmarks.accuracy.variants import CONDITIONS, Condition  # noqa: E402
from dedup.evaluate import evaluate, truth_from_dict  # noqa: E402
from dedup.report import write_json  # noqa: E402

WIRE = 200
"""Wire stories per condition by default: half the accuracy benchmark's 400, so that
all conditions, each scanned and filtered twice, take under ten minutes on two cores."""


def measure(stories: list[Story], condition: Condition, folder: Path, *, seed: int, wire: int) -> Row:
    """One condition: build, write, scan, score, filter."""
    start = time.perf_counter()
    corpus = generate.build(stories, seed=seed, wire=wire, condition=condition)
    path, _ = generate.write(corpus, folder)
    articles, problems = dedup.load([str(path)])
    if problems:
        raise SystemExit(f"{condition.name}: the generated corpus has unreadable records: {problems[0]}")
    settings = dedup.Settings()
    report = dedup.scan(articles, settings)
    with open(folder / "dedup.json", "w", encoding="utf-8") as out:
        write_json(report, out, settings.to_dict())
    evaluation = evaluate(truth_from_dict(corpus.truth, "truth.json"), report, wire_outlets=settings.wire_outlets)
    filters = filter_scores(corpus.truth, corpus.published, articles)
    return Row(condition, len(articles), evaluation, tuple(filters), time.perf_counter() - start)


def benchmark(reuters_dir: Path, folder: Path, *, seed: int = 1, wire: int = WIRE,
              only: tuple[str, ...] = (), log: bool = True) -> str:
    """Every condition (or those in ``only``), measured; the markdown."""
    stories = reuters.read(reuters_dir)
    rows = []
    started = time.perf_counter()
    for name in only or tuple(CONDITIONS):
        row = measure(stories, CONDITIONS[name], folder / name, seed=seed, wire=wire)
        rows.append(row)
        if log:
            print(f"{name}: {row.articles:,} articles, {row.seconds:.1f} s", file=sys.stderr)
    total = time.perf_counter() - started
    return "\n\n".join([
        f"### Seed {seed}, {wire} wire stories per condition, dedup with default settings",
        f"{len(rows)} conditions measured in {total / 60:.1f} minutes. Conditions:",
        conditions_list(rows),
        "#### The scan",
        scan_table(rows),
        "#### Sources by reason, every condition together",
        reason_table(rows),
        "#### The filter",
        "*empty*: every article arrives in publication order at a fresh index; *full*: the wire's "
        "articles are indexed first, the outlets' arrive. Each cell: share called right (called right "
        "of expected).",
        filter_table(rows),
        "#### The filter's calls (expected → called)",
        confusion_table(rows),
    ]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wire", type=int, default=WIRE, help=f"wire stories per condition (default {WIRE})")
    parser.add_argument("--only", nargs="+", choices=list(CONDITIONS), default=(), metavar="NAME",
                        help="measure these conditions only (see --list)")
    parser.add_argument("--out", type=Path, help="also write the markdown here")
    parser.add_argument("--keep", type=Path,
                        help="keep each condition's corpus.jsonl, truth.json and dedup.json in DIR/NAME/")
    parser.add_argument("--list", action="store_true", help="list the conditions and stop")
    parser.add_argument("--reuters", type=Path, default=generate.REUTERS, help="folder of the reut2-*.sgm files")
    args = parser.parse_args(argv)
    if args.list:
        for c in CONDITIONS.values():
            print(f"{c.name:24s} {c.about}")
        return

    def go(folder: Path) -> str:
        return benchmark(args.reuters, folder, seed=args.seed, wire=args.wire, only=tuple(args.only))

    report(go, args.keep, args.out, "dedup-conditions-")


if __name__ == "__main__":
    main()
