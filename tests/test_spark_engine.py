"""The Spark engine gives the local engine's report: same pairs, spans, kinds, families, sources, outlets."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dedup
from dedup.dates import publication_order
from dedup.passages import fingerprints
from dedup.report import match_dict, to_dict
from dedup.text import tokenize_batch

import spark_corpus
from rewrites import REWRITE, SOURCE
from spark_fixtures import STATS, WORKER_HASH_SEED


def comparable(report: dedup.Report, settings: dedup.Settings) -> dict[str, Any]:
    data = to_dict(report, settings.to_dict())
    data["stats"] = {k: data["stats"][k] for k in STATS}
    return data


def both(spark: Any, paths: list[str], settings: dedup.Settings = dedup.Settings()) -> tuple[dict, dict]:
    from dedup.spark import scan_paths

    articles, problems = dedup.load(paths)
    local = comparable(dedup.scan(articles, settings, problems=problems), settings)
    remote = comparable(scan_paths(spark, paths, settings).report(), settings)
    return local, remote


def test_samples_give_the_local_report(spark: Any, samples_dir: Path) -> None:
    local, remote = both(spark, [str(samples_dir)])
    assert local["pairs"] and local["clusters"] and local["stories"]
    assert remote == local


def test_rewritten_copies_give_the_local_report(spark: Any, tmp_path: Path) -> None:
    """A rewrite and a reprint of one story: the rewritten span, its cluster and the outlets'
    rewritten share as the local engine has them."""
    records = [{"id": "wire-1", "text": SOURCE, "outlet": "wire", "date": "2026-03-01"},
               {"id": "desk-1", "text": REWRITE, "outlet": "desk", "date": "2026-03-02"},
               {"id": "herald-1", "text": SOURCE, "outlet": "herald", "date": "2026-03-02"}]
    path = spark_corpus.write_jsonl(records, tmp_path / "news.jsonl")
    local, remote = both(spark, [str(path)], dedup.Settings(bridge_words=24))
    assert {s["kind"] for p in local["pairs"] for s in p["spans"]} == {"prose", "rewritten"}
    assert [o["rewritten_share"] > 0.5 for o in local["outlets"]] == [True, False, False]
    assert remote == local


def _stories(kind: str, request: pytest.FixtureRequest) -> list[list[str]]:
    if kind == "reuters":
        return spark_corpus.reuters_stories(request.getfixturevalue("reuters_dir"))[:4000]
    words = spark_corpus.Words(5)
    return [words.story() for _ in range(1000)]


@pytest.mark.parametrize("kind, settings", [
    ("reuters", dedup.Settings()),
    ("generated", dedup.Settings(max_bucket=30, stock_docs=12, boilerplate_docs=4, min_words=10)),
])
def test_generated_corpus_gives_the_local_report(spark: Any, tmp_path: Path, request: pytest.FixtureRequest,
                                                 kind: str, settings: dedup.Settings) -> None:
    records = spark_corpus.generate(_stories(kind, request), 2500, seed=3, wide=settings.max_bucket + 25)
    path = spark_corpus.write_jsonl(records, tmp_path / "news.jsonl")
    local, remote = both(spark, [str(path)], settings)
    # the corpus exercises every stage: capped buckets, quotes, boilerplate, stock phrases, families
    kinds = {s["kind"] for p in local["pairs"] for s in p["spans"]}
    assert kinds >= {"prose", "quote", "boilerplate"} and kinds <= set(dedup.model.KINDS)
    assert local["stats"]["capped_buckets"] > 0
    assert len(local["clusters"]) > 5 and local["stories"] and {p["reason"] for p in local["pairs"]} >= {"date"}
    assert remote["stats"] == local["stats"]
    assert remote["pairs"] == local["pairs"]
    assert remote == local


def test_buckets_give_the_candidates_of_find_candidates(spark: Any, tmp_path: Path) -> None:
    """Pairs, shared buckets, seeds of single-bucket pairs, capped buckets and marked
    fingerprints as :func:`dedup.candidates.find_candidates` gives them."""
    from dedup.candidates import find_candidates
    from dedup.spark.buckets import find_buckets, fingerprint_frame
    from dedup.spark.engine import number_articles
    from dedup.spark.io import read_records

    settings = dedup.Settings(max_bucket=20, stock_docs=10, boilerplate_docs=3)
    words = spark_corpus.Words(8)
    records = spark_corpus.generate([words.story() for _ in range(200)], 600, seed=9, wide=40)
    motto = " ".join(words.sentence().split()[:8]).rstrip(".")  # one passage, twice in one article
    records += [{"id": "echo/1", "outlet": "echo",
                 "text": f"{words.paragraph()} {motto}. {words.paragraph()} {motto}."},
                {"id": "echo/2", "outlet": "other", "text": f"{words.paragraph()} {motto}. {words.paragraph()}"}]
    path = spark_corpus.write_jsonl(records, tmp_path / "news.jsonl")

    rows, _ = read_records(spark, [str(path)])
    articles, _ = number_articles(rows)
    buckets = find_buckets(fingerprint_frame(articles, settings), settings)
    remote = {(r.a, r.b): (r.shared, (r.seed_a, r.seed_b) if r.shared == 1 else None)
              for r in buckets.pairs.collect()}
    remote_marks = {(r.doc, "boiler", h) for r in buckets.marks.collect() for h in r.boiler}
    remote_marks |= {(r.doc, "common", h) for r in buckets.marks.collect() for h in r.common}

    ordered = publication_order(dedup.load([str(path)])[0])  # article numbers = publication order
    names = sorted({a.outlet for a in ordered if a.outlet})
    outlets = np.array([names.index(a.outlet) if a.outlet else -1 for a in ordered], dtype=np.int64)
    fp = fingerprints(tokenize_batch([a.text for a in ordered]), settings)
    found = find_candidates(fp, outlets, settings)
    local = {(a, b): (n, (sa, sb) if n == 1 else None)
             for (a, b), n, (sa, sb) in zip(found.pairs.tolist(), found.shared.tolist(), found.seeds.tolist())}
    keys = fp.hashes.view(np.int64)
    local_marks = {(int(d), which, int(h)) for which, mask in (("boiler", found.boilerplate), ("common", found.common))
                   for d, h in zip(fp.docs[mask], keys[mask])}

    assert found.capped_buckets > 0 and found.boilerplate.any() and found.common.any()
    assert any(n > 1 for n, _ in local.values()) and any(s and -1 in s for _, s in local.values())
    assert buckets.capped_buckets == found.capped_buckets
    assert remote == local
    assert remote_marks == local_marks


def test_band_keys_do_not_depend_on_the_hash_seed(spark: Any, samples_dir: Path) -> None:
    from dedup.spark.buckets import fingerprint_frame
    from dedup.spark.engine import number_articles
    from dedup.spark.io import read_records

    probe = "band keys"
    worker = spark.sparkContext.parallelize([probe], 1).map(hash).collect()[0]
    assert worker != hash(probe), "workers should run under another PYTHONHASHSEED than the driver"
    assert spark.sparkContext.environment["PYTHONHASHSEED"] == WORKER_HASH_SEED

    records, _ = read_records(spark, [str(samples_dir)])
    articles, _ = number_articles(records)
    remote = {(r.doc, r.h, r.n) for r in fingerprint_frame(articles, dedup.Settings()).collect()}

    ordered = publication_order(dedup.load([str(samples_dir)])[0])
    fp = fingerprints(tokenize_batch([a.text for a in ordered]), dedup.Settings())
    keys = fp.hashes.view(np.int64)
    local = set()
    for doc in range(len(ordered)):
        values, counts = np.unique(keys[fp.docs == doc], return_counts=True)
        local |= {(doc, int(v), int(c)) for v, c in zip(values, counts)}
    assert remote == local


def test_find_reuse_on_a_dataframe(spark: Any, samples_dir: Path) -> None:
    from dedup.spark import find_reuse

    articles, _ = dedup.load([str(samples_dir)])
    rows = [(a.id, a.text, a.outlet, a.date) for a in articles] + [("empty", "  ", "wire", None)]
    frame = spark.createDataFrame(rows, "key string, body string, source string, published string")
    pairs = find_reuse(frame, id_col="key", text_col="body", outlet_col="source", date_col="published")
    got = [row.asDict(recursive=True) for row in pairs.collect()]
    want = [match_dict(m) for m in dedup.scan(articles).pairs]
    assert got == want


def test_components_match_union_find(spark: Any) -> None:
    from dedup.spark.components import components

    rng = random.Random(4)
    path = list(range(300))
    rng.shuffle(path)
    edges = list(zip(path, path[1:]))  # one long chain: many rounds for label propagation
    edges += [(rng.randrange(1000, 1600), rng.randrange(1000, 1600)) for _ in range(500)]
    edges += [(7000, 7000), (7001, 7002)]
    found = {r.node: r.component for r in components(spark.createDataFrame(edges, "src long, dst long")).collect()}

    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    expected = {n: root(n) for n in parent if n != 7000}
    assert found == expected


def test_a_dense_corpus_drops_the_recurring_pairs_the_local_engine_drops(spark: Any, tmp_path: Path,
                                                                        reuters_dir: Path) -> None:
    """Templated text: both engines leave out the same pairs that rest on a recurring passage."""
    import json

    from benchmarks import corpus

    dense = corpus.load_chain(reuters_dir, corpus.DENSE.training)
    records = [r for rs, _ in corpus.generate(600, corpus.DENSE, chain=dense) for r in rs]
    path = tmp_path / "dense.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    local, remote = both(spark, [str(path)])
    assert local["stats"]["recurring_pairs"] > 0
    assert remote == local
