"""The speed benchmark's corpus generator and harness, end to end on a tiny corpus (no timing checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from benchmarks import corpus, speed

pytestmark = pytest.mark.slow  # builds real corpora or kills processes: minutes, not seconds

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def chain(reuters_dir: Path) -> corpus.Chain:
    return corpus.load_chain(reuters_dir)


def make(chain: corpus.Chain, count: int, base: corpus.Params | None = None,
         **changes: object) -> tuple[list[dict], list[corpus.Truth]]:
    params = replace(base or corpus.Params(), **changes)  # type: ignore[arg-type]
    records, truth = [], []
    for r, t in corpus.generate(count, params, chain=chain):
        records += r
        truth += t
    return records, truth


def body(record: dict, outlets: dict[str, corpus.Outlet]) -> str:
    o = outlets[record["outlet"]]
    assert record["text"].startswith(o.header + "\n\n") and record["text"].endswith("\n\n" + o.footer)
    return record["text"][len(o.header) + 2 : -len(o.footer) - 2]


def test_corpus_is_seeded(chain: corpus.Chain) -> None:
    first, _ = make(chain, 150, seed=3)
    again, _ = make(chain, 150, seed=3)
    other, _ = make(chain, 150, seed=4)
    assert first == again
    assert [r["text"] for r in first] != [r["text"] for r in other]


def test_smaller_corpus_is_a_prefix_of_a_larger_one(chain: corpus.Chain) -> None:
    small, _ = make(chain, 120, chunk=100)
    large, _ = make(chain, 250, chunk=100)
    assert large[:100] == small[:100]
    assert len({r["id"] for r in large}) == 250


def test_articles_are_news_length_paragraphs(chain: corpus.Chain) -> None:
    records, _ = make(chain, 200)
    sizes = np.array([len(r["text"].encode()) for r in records])
    assert 3000 < sizes.mean() < 5000
    words = np.array([len(r["text"].split()) for r in records])
    assert 550 < words.mean() < 800
    breaks = np.array([r["text"].count("\n\n") for r in records])
    assert breaks.min() >= 2  # header, body, footer (a stitched copy may hold two paragraphs)
    assert np.median(breaks) >= 8
    assert set(records[0]) == {"id", "text", "outlet", "date"}


def test_families_reuse_their_sources(chain: corpus.Chain) -> None:
    records, truth = make(chain, 600, outlets=20)
    outlets = {o.slug: o for o in corpus.make_outlets(chain, corpus.Params(outlets=20))}
    assert len(outlets) == 20 and "reuters" in outlets
    by_id = {r["id"]: r for r in records}
    roles = {t.role for t in truth}
    assert roles == {"original", "source", *corpus.KINDS}
    members = sum(t.family is not None for t in truth)
    assert 0.2 * len(records) <= members <= 0.3 * len(records)
    for t in truth:
        if not t.sources:
            continue
        copy, sources = by_id[t.id], [by_id[s] for s in t.sources]
        assert all(copy["date"] > s["date"] for s in sources)
        assert copy["outlet"] != sources[0]["outlet"]
        text, source_text = body(copy, outlets), body(sources[0], outlets)
        if t.role == "reprint":
            assert text == source_text
        elif t.role == "trimmed":
            assert set(text.split("\n\n")) < set(source_text.split("\n\n"))
        elif t.role == "edited":
            assert text != source_text
            assert len(set(text.split()) & set(source_text.split())) > 0.8 * len(set(source_text.split()))
        else:  # embedded, stitched: whole paragraphs of each source
            for s in sources:
                assert set(text.split("\n\n")) & set(body(s, outlets).split("\n\n"))


def test_harness_writes_its_section(reuters_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmarks\n\n## Quality\n\nwritten by another benchmark\n")
    peers = "datasketch-bulk,datasketch-xxhash,rensa"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "speed.py"), "--sizes", "200", "--peers", peers,
           "--out", str(out), "--data", str(tmp_path / "data"), "--reuters", str(reuters_dir)]
    for _ in range(2):  # the second run replaces the section, and reuses the corpus
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.count("## Speed") == 1
    assert "## Quality\n\nwritten by another benchmark" in text
    speed_part = text[text.index("## Speed"):]
    assert "Corpus from an earlier run" in speed_part
    assert f"`python benchmarks/speed.py --sizes 200 --peers {peers}" in speed_part
    tables = [t for t in speed_part.split("\n\n") if t.startswith("|")]
    main, stages, ratios = (parse_table(t) for t in tables)
    assert main[0] == list(speed.COLUMNS) and stages[0] == list(speed.STAGE_COLUMNS)
    assert ratios[0] == list(speed.RATIO_COLUMNS)
    systems = {s.name: s.label for s in speed.SYSTEMS}
    assert [row[0] for row in main[1:]] == [systems[n] for n in ("dedup", *peers.split(","))]
    for row in main[1:]:
        assert row[1] == "200"
        assert all(float(row[i].replace(",", "")) >= 0 for i in (2, 3, 4, 5)), row
        assert 0 < float(row[6].replace(",", "")) <= float(row[5].replace(",", "")), row  # anonymous: part of all
        assert int(row[7].replace(",", "")) > 0  # every system found the corpus' reprints
        assert 0 < float(row[8]) <= 1 and 0 < float(row[9]) <= 1, row  # scored against the truth
    recall = {row[0]: float(row[9]) for row in main[1:]}
    assert recall[systems["dedup"]] == max(recall.values())  # peers find whole-article copies only
    assert [row[0] for row in stages[1:]] == list(speed.STAGES)
    assert len(ratios) == 1 + len(peers.split(","))

    done = subprocess.run([*cmd, "--dense", "--peers", "rensa"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    both = out.read_text()
    assert both.count(speed.DENSE_SECTION) == 1 and both.count("## Speed\n") == 1
    assert both[both.index("## Speed\n"):].startswith(text[text.index("## Speed\n"):].rstrip("\n"))
    dense = both[both.index(speed.DENSE_SECTION):]
    assert "--dense" in dense and "rensa" in dense


def parse_table(text: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in text.splitlines()]
    return [rows[0], *rows[2:]]


def test_section_replaced_in_place(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    speed.replace_section(out, "## Speed\n\nfirst\n")
    assert out.read_text().startswith("# Benchmarks")
    out.write_text(out.read_text() + "\n## Memory\n\nkept\n")
    speed.replace_section(out, "## Speed\n\nsecond\n")
    text = out.read_text()
    assert "first" not in text and "second" in text and "## Memory\n\nkept" in text
    assert text.index("## Speed") < text.index("## Memory")


def test_slow_peer_is_extrapolated(reuters_dir: Path, tmp_path: Path) -> None:
    path, _ = speed.corpus_file(60, tmp_path, 1, reuters_dir)
    system = next(s for s in speed.SYSTEMS if s.name == "datasketch-update")
    measured = speed.measure(system, path, 60, 20, 1, 600, tmp_path)
    assert measured.extrapolated_from == 20 and measured.articles == 60
    assert measured.seconds is not None and measured.peak_mb and measured.peak_mb > 0
    assert "extrapolated from 20 articles" in measured.note
    assert json.loads(path.read_text().splitlines()[0])["id"] == "a0000000"


def test_stopped_run_says_how_far_it_got() -> None:
    log = ("progress tokenize 1000/1000 at 3.0 s\nprogress alignment 10000/50000 at 10.0 s\n"
           "some warning\nprogress alignment 30000/50000 at 20.0 s\n")
    assert speed.how_far(log) == ("; tokenize done at 3 s; reached alignment 30,000/50,000 at 20 s"
                                  " (2,000/s: about 10 s more for alignment)")
    assert speed.how_far("progress tokenize 10/1000 at 2.0 s\n") == "; reached tokenize 10/1,000 at 2 s"
    assert speed.how_far("no progress lines") == ""


def shared_runs(records: list[dict], truth: list[corpus.Truth], n: int = 8) -> int:
    """Runs of ``n`` words that two or more articles outside any reuse family both hold."""
    outside = {t.id for t in truth if t.family is None}
    seen: dict[tuple[str, ...], int] = {}
    for r in records:
        if r["id"] in outside:
            words = r["text"].split()
            for run in {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}:
                seen[run] = seen.get(run, 0) + 1
    return sum(count > 1 for count in seen.values())


def test_dense_corpus_shares_stock_phrasing_between_unrelated_articles(chain: corpus.Chain,
                                                                       reuters_dir: Path) -> None:
    dense_chain = corpus.load_chain(reuters_dir, corpus.DENSE.training)
    assert len(dense_chain.vocab) < len(chain.vocab) / 4
    clean = make(chain, 300, seed=5)
    dense = make(dense_chain, 300, corpus.DENSE, seed=5)
    # the outlets' header and footer lines are shared by design in both corpora
    assert shared_runs(*dense) > 5 * shared_runs(*clean)


def test_the_chance_pre_test_drops_dense_candidates_and_loses_no_pair(reuters_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """On stock-dense text most candidate pairs cannot hold a significant run: they are left
    out before alignment, and the scan reports the very pairs it reports when every
    candidate is aligned."""
    import dedup.local.engine as engine
    from dedup import Article, Settings, scan

    records, _ = make(corpus.load_chain(reuters_dir, corpus.DENSE.training), 400, corpus.DENSE, seed=7)
    articles = [Article(r["id"], r["text"], r["outlet"], r["date"]) for r in records]
    sifted = scan(articles, Settings(), jobs=1)
    assert sifted.stats["dropped_candidates"]["chance"] > sifted.stats["candidate_pairs"] / 3

    real = engine.sift
    monkeypatch.setattr(engine, "sift", lambda shared, plain, a, b, settings, chance: real(shared, plain, a, b,
                                                                                           settings))
    everything = scan(articles, Settings(), jobs=1)
    assert everything.stats["dropped_candidates"]["chance"] == 0
    assert [(p.a, p.b, p.spans) for p in sifted.pairs] == [(p.a, p.b, p.spans) for p in everything.pairs]


def test_pairs_are_scored_against_copies_their_sources_and_siblings() -> None:
    truth = [corpus.Truth("w", "f1", "source"), corpus.Truth("c1", "f1", "reprint", ("w",)),
             corpus.Truth("c2", "f1", "stitched", ("w", "v")), corpus.Truth("v", "f2", "source"),
             corpus.Truth("x", None, "original")]
    assert corpus.related(truth) == {frozenset(p) for p in
                                     [("w", "c1"), ("w", "c2"), ("c1", "c2"), ("c2", "v")]}
    scores = corpus.pair_scores([("c1", "w"), ("x", "v"), ("c2", "v")], truth)
    assert scores == {"precision": 2 / 3, "recall": 2 / 4, "found": 3, "related": 4}


def test_memory_of_a_process_tree_counts_its_heap_as_anonymous(tmp_path: Path) -> None:
    """A child that holds 200 MB of its own heap shows it in both sums; a file it maps
    and reads shows in the PSS, not in the anonymous part."""
    import psutil

    mapped = tmp_path / "mapped.bin"
    mapped.write_bytes(b"\1" * (100 << 20))
    code = ("import mmap, sys, time\n"
            "heap = bytearray(200 << 20)\n"
            "for i in range(0, len(heap), 4096): heap[i] = 1\n"
            f"f = open({str(mapped)!r}, 'rb'); m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)\n"
            "total = sum(m[i] for i in range(0, len(m), 4096))\n"
            "print('ready', flush=True); time.sleep(30)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        pss, anon = speed.tree_memory_mb(psutil.Process(proc.pid))
    finally:
        proc.kill()
        proc.wait()
    assert 200 <= anon < 290
    assert pss >= anon + 90
