"""Accuracy benchmark: build a corpus from Reuters wire copy, run dedup and its peers, score them.

    python benchmarks/accuracy/run.py [--seed N] [--edit-strength X] [--out FILE]
                                      [--set NAME=VALUE ...] [--wire N] [--keep DIR] [--examples N]

The corpus and its truth are regenerated from scratch in a temporary folder
(or ``--keep DIR``, which also keeps every engine's JSON report, so that
``dedup eval DIR/truth.json DIR/dedup.json`` gives the same figures). dedup
runs through the library (``dedup.load`` + ``dedup.scan``) with default
settings unless ``--set`` says otherwise; the peers run on the same articles;
every report is scored by :mod:`dedup.evaluate`. The markdown goes to
standard output and, with ``--out``, to a file.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: import this checkout's dedup and benchmarks
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dedup  # noqa: E402
from benchmarks.accuracy import generate, peers, reuters  # noqa: E402
from benchmarks.accuracy.examples import examples  # noqa: E402
from benchmarks.accuracy.records import report  # noqa: E402
from benchmarks.accuracy.tables import (  # noqa: E402
    Run,
    cases_table,
    engines_table,
    false_table,
    goals_list,
    index_truth,
    outlets_table,
)
from dedup.cli import build_settings  # noqa: E402
from dedup.evaluate import evaluate, truth_from_dict  # noqa: E402
from dedup.report import write_json  # noqa: E402


def timed(func: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def benchmark(reuters_dir: Path, folder: Path, *, seed: int = 1, edit_strength: float = 1.0, wire: int = 400,
              overrides: tuple[str, ...] = (), with_peers: bool = True, show: int = 0) -> str:
    """Generate, scan, score; the markdown report."""
    settings = build_settings(None, overrides)
    corpus = generate.build(reuters.read(reuters_dir), seed=seed, edit_strength=edit_strength, wire=wire)
    corpus_path, _ = generate.write(corpus, folder)
    truth = truth_from_dict(corpus.truth, "truth.json")
    articles, problems = dedup.load([str(corpus_path)])
    if problems:
        raise SystemExit(f"the generated corpus has unreadable records: {problems[0]}")
    texts = {a.id: a.text for a in articles}

    def keep(name: str, report: dedup.Report) -> None:
        with open(folder / f"{name}.json", "w", encoding="utf-8") as out:
            write_json(report, out, settings.to_dict())

    report, seconds = timed(lambda: dedup.scan(articles, settings))
    keep("dedup", report)
    runs = [Run("dedup", report, evaluate(truth, report, wire_outlets=settings.wire_outlets), seconds)]
    if with_peers:
        lsh, lsh_seconds = timed(lambda: peers.minhash_lsh(articles, (0.5, 0.3)))
        for threshold, rep in lsh.items():
            keep(f"minhash-{threshold}", rep)
            runs.append(Run(f"MinHash LSH {threshold} (whole-document spans)", rep,
                            evaluate(truth, rep), lsh_seconds / len(lsh)))
        grams, gram_seconds = timed(lambda: peers.ngram_matcher(articles))
        keep("ngrams", grams)
        runs.append(Run("shared 8-grams, k=3", grams, evaluate(truth, grams), gram_seconds))

    quote_only = sum(1 for p in truth.pairs if p.spans and not p.prose)
    changed = ", ".join(overrides) if overrides else "default settings"
    e = runs[0].evaluation
    raw = index_truth(corpus.truth)
    parts = [
        f"### Seed {seed}, edit strength {edit_strength:g}, dedup with {changed}",
        f"{len(articles):,} articles ({wire} wire stories), {e.pairs.true:,} copy pairs, "
        f"{quote_only} quotation-only pairs, {sum(len(g) for g in truth.lookalikes.values())} template stories "
        f"in {len(truth.lookalikes)} series.",
        engines_table(runs),
        "Peers' spans: MinHash LSH cannot locate a copy, so each of its pairs is scored as one span "
        "covering both whole texts. Time is wall-clock relative to dedup in this run (one MinHash "
        "signature pass serves both thresholds; each gets half).",
        "#### dedup by case",
        cases_table(e),
        "#### dedup's false pairs",
        false_table(e, raw, texts, report),
        "#### Per-outlet reused share (dedup)",
        outlets_table(e),
        "#### Goals (dedup)",
        goals_list(e),
    ]
    if show:
        parts += ["#### Examples", examples(e, truth, raw, texts, report, show)]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edit-strength", type=float, default=1.0,
                        help="scales word changes, dropped and merged sentences and scan noise (2.0 = doubled)")
    parser.add_argument("--wire", type=int, default=400, help="wire stories reused (the corpus is about 7.6x this)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                        help="a dedup setting, as dedup scan --set (repeatable)")
    parser.add_argument("--out", type=Path, help="also write the markdown here")
    parser.add_argument("--keep", type=Path, help="keep corpus.jsonl, truth.json and dedup.json in this folder")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="show N missed and N false pairs of each kind, with their text")
    parser.add_argument("--no-peers", action="store_true", help="score dedup only")
    parser.add_argument("--reuters", type=Path, default=generate.REUTERS, help="folder of the reut2-*.sgm files")
    args = parser.parse_args(argv)

    def go(folder: Path) -> str:
        return benchmark(args.reuters, folder, seed=args.seed, edit_strength=args.edit_strength, wire=args.wire,
                         overrides=tuple(args.overrides), with_peers=not args.no_peers, show=args.examples)

    report(go, args.keep, args.out, "dedup-accuracy-")


if __name__ == "__main__":
    main()
