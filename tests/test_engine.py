"""The local engine gives the same answer however it runs: processes, memory-mapped words, input order."""

import os
import random

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import dedup
from dedup import stories
from dedup.align import Windows, near_seed
from dedup.candidates import find_candidates
from dedup.kinds import template_characters
from dedup.local import corpus as local_corpus
from dedup.local import engine
from dedup.passages import fingerprints
from dedup.report import to_dict
from dedup.settings import Settings
from dedup.text import tokenize_batch

from profiles import examples

VOCAB = [f"w{i}" for i in range(3000)]


def corpus(seed=0, n=120):
    rng = random.Random(seed)
    originals = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(80, 200))) for _ in range(n // 3)]
    arts = []
    for i, text in enumerate(originals):
        arts.append(dedup.Article(f"o{i}", text, outlet="wire", date="2026-01-01"))
        words = text.split()
        for r in range(2):
            cut = words[rng.randint(0, 20): rng.randint(40, len(words))]
            if r:
                cut[len(cut) // 2] = "changed"
            arts.append(dedup.Article(f"o{i}r{r}", " ".join(cut), outlet=f"out{r}", date="2026-01-02"))
    return arts


def comparable(report):
    d = to_dict(report)
    d["stats"] = {k: v for k, v in d["stats"].items() if k not in ("seconds", "jobs")}
    return d


def test_two_processes_and_one_give_the_same_report(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK", 10)  # many chunks and batches, so both workers get some
    monkeypatch.setattr(local_corpus, "BATCH", 16)
    monkeypatch.setattr(stories, "BATCH", 2)  # the copies of stories told in several batches
    arts = corpus()
    one = dedup.scan(arts, jobs=1)
    assert len(one.pairs) > 50 and sum(len(s.copies) for s in one.stories) > 4
    assert comparable(dedup.scan(arts, jobs=2)) == comparable(one)


def test_memory_mapped_words_give_the_same_report(tmp_path):
    arts = corpus(1)
    assert comparable(dedup.scan(arts, jobs=1, workdir=str(tmp_path))) == comparable(dedup.scan(arts, jobs=1))
    assert list(tmp_path.iterdir()) == []  # the work files are removed


def test_input_order_does_not_change_the_report():
    arts = corpus(2)
    shuffled = list(arts)
    random.Random(5).shuffle(shuffled)
    assert comparable(dedup.scan(shuffled, jobs=1)) == comparable(dedup.scan(arts, jobs=1))


def test_pairs_are_oriented_earliest_first():
    report = dedup.scan(corpus(3), jobs=1)
    for p in report.pairs:
        if p.a.startswith("o") and "r" not in p.a:
            continue
        assert not (p.b.startswith("o") and "r" not in p.b), p


@hsettings(max_examples=examples(60), deadline=None)
@given(seed=st.integers(0, 10**6), extra=st.integers(0, 12), edit=st.booleans())
def test_the_seed_test_never_rejects_a_pair_sharing_a_guaranteed_run(seed, extra, edit):
    s = Settings()
    rng = random.Random(seed)
    run = [rng.choice(VOCAB) for _ in range(s.guaranteed_words + extra)]
    a = [rng.choice(VOCAB) for _ in range(rng.randint(0, 60))] + run + [rng.choice(VOCAB) for _ in range(30)]
    b_run = list(run)
    if edit and len(b_run) > 12:
        b_run.insert(len(b_run) - 2, "inserted")
    b = [rng.choice(VOCAB) for _ in range(rng.randint(0, 60))] + b_run + [rng.choice(VOCAB) for _ in range(30)]
    batch = tokenize_batch([" ".join(a), " ".join(b)])
    fp = fingerprints(batch, s)
    cands = find_candidates(fp, np.full(2, -1), s)
    assert len(cands.pairs) == 1
    assert near_seed(*sides(batch, cands), s).all()


def test_the_seed_test_rejects_a_coincidental_shingle():
    s = Settings()
    rng = random.Random(9)
    shared = "one two three four five six"
    a = " ".join(rng.choice(VOCAB) for _ in range(40)) + f" {shared} " + " ".join(rng.choice(VOCAB) for _ in range(40))
    b = " ".join(rng.choice(VOCAB) for _ in range(40)) + f" {shared} " + " ".join(rng.choice(VOCAB) for _ in range(40))
    batch = tokenize_batch([a, b])
    cands = find_candidates(fingerprints(batch, s), np.full(2, -1), s)
    assert not near_seed(*sides(batch, cands), s).any()


def sides(batch, cands):
    return [Windows.of(batch.hashes, batch.bounds, cands.pairs[:, k], cands.seeds[:, k]) for k in (0, 1)]


def test_fingerprints_split_in_shards_give_the_same_report(monkeypatch, tmp_path):
    arts = corpus(4) + [dedup.Article(f"t{i}", f"Herald header line for every page of the paper. Story {i} "
                                      + " ".join(random.Random(i).choice(VOCAB) for _ in range(60)),
                                      outlet="herald") for i in range(6)]
    whole = dedup.scan(arts, jobs=1)
    monkeypatch.setattr(local_corpus, "SHARD_FINGERPRINTS", 500)
    sharded = dedup.scan(arts, jobs=1, workdir=str(tmp_path))
    assert sharded.stats["shards"] > 3
    assert comparable(sharded) == {**comparable(whole), "stats": {**comparable(whole)["stats"],
                                                                 "shards": sharded.stats["shards"]}}
    herald = next(o for o in whole.outlets if o.outlet == "herald")
    assert herald.boilerplate_share > 0


def test_fingerprints_split_among_processes_give_the_same_report(monkeypatch):
    arts = corpus(4) + [dedup.Article(f"t{i}", f"Herald header line for every page of the paper. Story {i} "
                                      + " ".join(random.Random(i).choice(VOCAB) for _ in range(60)),
                                      outlet="herald") for i in range(6)]
    whole = dedup.scan(arts, jobs=1)
    monkeypatch.setattr(local_corpus, "SPLIT_FINGERPRINTS", 0)
    split = dedup.scan(arts, jobs=3)
    assert whole.pairs and comparable(split) == comparable(whole)


def test_a_sharded_corpus_gives_the_same_candidates_when_asked_again(monkeypatch, tmp_path):
    monkeypatch.setattr(local_corpus, "SHARD_FINGERPRINTS", 500)
    s = Settings()
    built = local_corpus.Corpus.build(corpus(4), s, workdir=str(tmp_path))
    assert built.shards.count > 3
    before = sum(os.path.getsize(p) for p in built.shards.paths)
    first, flags = built.candidates(s)
    assert sum(os.path.getsize(p) for p in built.shards.paths) < before  # cut to repeated hashes
    again, flags_again = built.candidates(s)
    assert len(first.pairs) > 0
    assert again.pairs.tolist() == first.pairs.tolist() and again.shared.tolist() == first.shared.tolist()
    assert flags_again.boilerplate.tolist() == flags.boilerplate.tolist()
    assert flags_again.common.tolist() == flags.common.tolist()


def marked_characters(tokens, mask):
    """Characters from the first to the last word of each run of marked words, one article at a time."""
    if not mask.any():
        return 0
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    first, stop = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((tokens.ends[stop - 1].astype(np.int64) - tokens.starts[first]).sum())


def test_template_characters_of_all_articles_at_once_match_one_by_one():
    from synthetic import articles as synthetic_articles

    arts = [dedup.Article(r["id"], r["text"], outlet=r["outlet"]) for r in synthetic_articles(150, outlets=6)]
    s = Settings()
    corpus = local_corpus.Corpus.build(arts, s)
    _, flags = corpus.candidates(s)
    found = template_characters(corpus.words, flags.boilerplate, s.shingle)
    assert len(found) > 100  # most articles carry their outlet's header and footer
    assert found == {i: marked_characters(corpus.tokens(i), corpus.marks(i, flags, s).boilerplate)
                     for i in np.unique(flags.boilerplate[:, 0]).tolist()}


def test_a_scan_leaves_garbage_collection_as_it_found_it():
    import gc

    arts = corpus(5, n=30)
    assert gc.get_freeze_count() == 0
    dedup.scan(arts, jobs=2)
    assert gc.get_freeze_count() == 0  # the articles frozen during the scan are collectable again
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        dedup.scan(arts, jobs=1)
        assert gc.get_freeze_count() == frozen  # a caller's own freeze is kept
    finally:
        gc.unfreeze()
