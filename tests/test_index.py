"""The persistent index: round trips, the three decisions, settings, removal, on both stores."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dedup import Article, Decision, Index, IndexStoreError, Rules, Settings, SettingsError
from dedup.index import Added
from dedup.index.batch import Batch
from dedup.text import tokenize

from index_helpers import QUOTING, REPRINT, STITCHED, UNRELATED, WIRE, random_text, vocabulary

PARAGRAPH = STITCHED.split("\n\n")[1]


@pytest.fixture
def wire_index(location: str) -> str:
    with Index.open(location) as idx:
        idx.add([Article("wire-1", WIRE, outlet="wire", date="2026-03-03")])
    return location


def test_round_trip(location: str) -> None:
    articles = [Article("wire-1", WIRE, outlet="wire"), Article("bakery", UNRELATED, outlet="city")]
    with Index.open(location) as idx:
        assert idx.add(articles) == Added(added=2)
    with Index.open(location) as idx:
        assert len(idx) == 2
        assert "wire-1" in idx and "bakery" in idx and "other" not in idx
        decision = idx.check(Article("copy", WIRE))
    assert decision.status == "duplicate"
    assert decision.duplicate_of == "wire-1"
    assert decision.matches[0].a_coverage > 0.95


def test_reprint_is_a_duplicate(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        decision = idx.check(Article("herald-7", REPRINT, outlet="herald"))
    assert isinstance(decision, Decision)
    assert (decision.id, decision.status, decision.duplicate_of) == ("herald-7", "duplicate", "wire-1")
    assert decision.reused_share >= 0.9


def test_lifted_paragraph_is_partial_with_its_share(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        decision = idx.check(Article("island-2", STITCHED))
    assert decision.status == "partial"
    assert [m.b for m in decision.matches] == ["wire-1"]
    expected = len(PARAGRAPH) / len(STITCHED)
    assert decision.reused_share == pytest.approx(expected, abs=0.02)
    span = decision.matches[0].prose[0]
    assert STITCHED[span.a_start : span.a_end] == WIRE[span.b_start : span.b_end]
    assert STITCHED[span.a_start : span.a_end] in PARAGRAPH


def test_shared_quotation_alone_is_new(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        decision = idx.check(Article("commuters", QUOTING))
    assert decision.status == "new"
    assert decision.matches == () and decision.reused_share == 0.0


def test_unrelated_is_new(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        assert idx.check(Article("bakery", UNRELATED)) == Decision("bakery", "new")


def test_duplicate_threshold_is_a_rule(wire_index: str) -> None:
    reprint = REPRINT + "\n\nReaders may send their views on the ferry plan to the letters desk."  # not all copy
    with Index.open(wire_index) as idx:
        coverage = idx.check(Article("herald-7", reprint)).matches[0].a_coverage
    assert coverage < 1.0
    with Index.open(wire_index, rules=Rules(duplicate=min(1.0, coverage + 0.001))) as idx:
        decision = idx.check(Article("herald-7", reprint))
    assert decision.status == "partial"
    assert decision.reused_share == pytest.approx(coverage, abs=0.001)


def test_check_and_add(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        stitched = idx.check(Article("island-2", STITCHED), add=True)
        reprint = idx.check(Article("herald-7", REPRINT), add=True)
        quoting = idx.check(Article("commuters", QUOTING), add=["partial"])
        assert (stitched.added, reprint.added, quoting.added) == (True, False, False)
        assert "island-2" in idx and "herald-7" not in idx and "commuters" not in idx
        assert idx.check(Article("island-2-again", STITCHED)).duplicate_of == "island-2"


def test_a_batch_is_checked_against_its_own_earlier_articles(location: str) -> None:
    with Index.open(location) as idx:
        decisions = idx.check_many([Article("w", WIRE), Article("r", REPRINT), Article("s", STITCHED),
                                    Article("w2", WIRE)], add=True)
        assert [d.status for d in decisions] == ["new", "duplicate", "partial", "duplicate"]
        assert [d.matches[0].b for d in decisions[1:]] == ["w", "w", "w"]
        assert len(idx) == 2
    with Index.open(location) as idx:  # and without adding, nothing in the batch counts as indexed
        assert [d.status for d in idx.check_many([Article("x", UNRELATED), Article("y", UNRELATED)])] == ["new"] * 2


def test_remove(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        assert idx.remove(["wire-1", "never-there"]) == ["wire-1"]
        assert len(idx) == 0
        assert idx.check(Article("herald-7", REPRINT)).status == "new"
    with Index.open(wire_index) as idx:
        assert "wire-1" not in idx


def test_adding_an_id_again_replaces_it_when_asked(wire_index: str) -> None:
    with Index.open(wire_index) as idx:
        assert idx.add([Article("wire-1", UNRELATED)]) == Added(conflicts=("wire-1",))  # by default it stays
        assert idx.check(Article("herald-7", REPRINT)).duplicate_of == "wire-1"
        assert idx.add([Article("wire-1", UNRELATED)], on_conflict="replace") == Added(added=1)
        assert len(idx) == 1
        assert idx.check(Article("herald-7", REPRINT)).status == "new"
        assert idx.check(Article("bakery", UNRELATED)).duplicate_of == "wire-1"


def test_settings_are_stored_with_the_index(location: str) -> None:
    with Index.open(location, Settings(min_words=10)):
        pass
    with Index.open(location) as idx:
        assert idx.settings == Settings(min_words=10)
    other = Settings().shingle + 1
    with pytest.raises(IndexStoreError, match=rf"shingle={other} \(index has {Settings().shingle}\)"):
        Index.open(location, Settings(min_words=10, shingle=other))
    with Index.open(location, Settings(min_words=12, max_gap=4)) as idx:  # what each run may change
        assert idx.settings == Settings(min_words=12, max_gap=4)
    with pytest.raises(IndexStoreError, match=r"window=5 \(index has 3\)"):
        Index.open(location, Settings(window=5))


def test_a_reader_sees_what_a_writer_committed(location: str) -> None:
    with Index.open(location) as reader, Index.open(location) as writer:
        assert reader.check(Article("x", REPRINT)).status == "new"
        writer.add([Article("wire-1", WIRE)])
        assert reader.check(Article("x", REPRINT)).duplicate_of == "wire-1"
        writer.remove(["wire-1"])
        assert reader.check(Article("x", REPRINT)).status == "new"


def test_outlet_boilerplate_is_not_reuse(location: str) -> None:
    footer = ("Sign up for our morning newsletter to get the stories that matter to the valley delivered "
              "to your inbox every weekday before breakfast, free of charge.")
    rng = random.Random(5)
    vocab = vocabulary()
    own = [Article(f"valley-{i}", random_text(rng, 150, vocab) + "\n\n" + footer, outlet="valley")
           for i in range(4)]
    incoming = Article("valley-9", random_text(rng, 150, vocab) + "\n\n" + footer, outlet="valley")
    middle = own[0].text.split()[40:70]  # a passage of the first article, recycled inside a later one
    recycled = Article("valley-8", random_text(rng, 60, vocab) + " " + " ".join(middle) + " "
                       + random_text(rng, 60, vocab) + "\n\n" + footer, outlet="valley")
    with Index.open(location) as idx:
        idx.add(own[:1])
        once = idx.check(incoming)  # one earlier page with the same footer: the tail of both, page furniture
        again = idx.check(recycled)  # a passage inside the text is copy, however young the outlet
        idx.add(own[1:])
        template = idx.check(incoming)  # the outlet prints it under every article: boilerplate
    assert once.status == "new" and template.status == "new"
    assert again.status == "partial"
    (span,) = again.matches[0].prose
    assert recycled.text[span.a_start:span.a_end] == " ".join(middle)


def test_an_outlets_footer_leaves_the_body_of_its_first_reprint(location: str) -> None:
    """Furniture is learned from the stream too: the first page of a young outlet, a
    reprint, sheds the footer that the outlet's later pages in the same batch share,
    though none of them is indexed when it is decided."""
    footer = ("Readers with a tip for the valley desk can write to the newsroom at any hour, "
              "and every message is read by an editor before the morning meeting.")
    rng = random.Random(7)
    vocab = vocabulary()
    wire = Article("wire-1", random_text(rng, 90, vocab), outlet="wire")
    pages = [Article(f"valley-{i}", random_text(rng, 150, vocab) + "\n\n" + footer, outlet="valley")
             for i in range(3)]
    reprint = Article("valley-r", wire.text + "\n\n" + footer, outlet="valley")
    with Index.open(location) as idx:
        idx.add([wire])
        first, *rest = idx.check_many([reprint, *pages], add=True)
    assert first.status == "duplicate" and first.duplicate_of == "wire-1"
    assert first.furniture_share > 0.1 and first.reused_share > 0.95
    assert [d.status for d in rest] == ["new"] * 3


def test_a_footer_too_short_for_a_fingerprint_leaves_the_body(location: str) -> None:
    """A seven-word copyright line that winnowing leaves without a fingerprint of its own
    still ends every page of its outlet: the reprint's body stops before it. (The outlet's
    indexed pages are found by the fingerprints they share with it: its masthead.)"""
    masthead = "THE METRO LEDGER - serving the river wards every morning since 1908\n\n"
    footer = "Copyright 1908 Metro Ledger. All rights reserved."
    rng = random.Random(11)
    vocab = vocabulary()
    wire = Article("wire-1", random_text(rng, 40, vocab), outlet="wire")
    pages = [Article(f"ledger-{i}", masthead + random_text(rng, 120, vocab) + "\n\n" + footer, outlet="ledger")
             for i in range(3)]
    reprint = Article("ledger-r", masthead + wire.text + "\n\n" + footer, outlet="ledger")
    with Index.open(location) as idx:
        idx.add([wire, *pages])
        got = idx.check(reprint)
    assert got.status == "duplicate" and got.reused_share > 0.99
    assert got.furniture_share == pytest.approx(1 - len(wire.text) / len(reprint.text), abs=0.01)


def test_a_closing_quotation_run_on_into_the_indexed_pages_own_footer_is_a_quotation(location: str) -> None:
    """Two outlets close a story with one speaker's words, each page then its own footer,
    whose template they share ("Call the ... desk at ... with news tips."). The indexed
    page's footer is its outlet's furniture although the incoming page does not share
    it, so what the two share is a quotation, not copy."""
    quote = ('"The harbour will reopen to ships once the storm damage to the northern pier has been '
             'repaired by the end of next month," Carla Marsh said.')
    ledger = "\n\nCall the metro desk at 555-6773 with news tips.\nPhotographs may be bought at 216 Quarry Road."
    times = "\n\nCall the newsroom desk at 555-0800 with news tips.\nFollow the newsroom desk for updates all day."
    rng = random.Random(13)
    vocab = vocabulary()
    own = [Article(f"ledger-{i}", random_text(rng, 120, vocab) + ledger, outlet="ledger") for i in range(3)]
    own += [Article(f"times-{i}", random_text(rng, 120, vocab) + times, outlet="times") for i in range(3)]
    indexed = Article("ledger-q", random_text(rng, 120, vocab) + "\n\n" + quote + ledger, outlet="ledger")
    incoming = Article("times-q", random_text(rng, 120, vocab) + "\n\n" + quote + times, outlet="times")
    with Index.open(location) as idx:
        idx.add([*own, indexed])
        got = idx.check(incoming)
    assert got.status == "new" and got.reused_share == 0.0


def test_add_takes_statuses(tmp_path: Path) -> None:
    with Index.open(tmp_path / "news.idx") as idx, pytest.raises(SettingsError, match="add takes statuses"):
        idx.check(Article("x", WIRE), add=["fresh"])


def test_rules_are_checked() -> None:
    with pytest.raises(SettingsError, match="duplicate"):
        Rules(duplicate=1.5)
    with pytest.raises(SettingsError, match="max_candidates"):
        Rules(max_candidates=0)


def test_a_file_that_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "notes.idx"
    path.write_text("shopping list\n" * 100)
    with pytest.raises(IndexStoreError, match="notes.idx is not a dedup index"):
        Index.open(path)
    with pytest.raises(IndexStoreError, match="no such index"):
        Index.open(tmp_path / "missing.idx", create=False)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(IndexStoreError, match="not a dedup index"):
        Index.open(other)


def test_fingerprints_are_stored_as_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    with Index.open(path) as idx:
        idx.add([Article("wire-1", WIRE)])
    with sqlite3.connect(path) as db:
        hashes, positions, words = db.execute("SELECT fingerprints, positions, words FROM shapes").fetchone()
    expected = Batch.of([Article("wire-1", WIRE)], Settings()).entry(0)
    assert np.array_equal(np.frombuffer(hashes, dtype="<u8"), expected.hashes)
    assert np.array_equal(np.frombuffer(positions, dtype="<u4"), expected.positions)
    assert np.array_equal(np.frombuffer(words, dtype="<u2"), expected.words)
    assert np.array_equal(expected.words, tokenize(WIRE).hashes & 0xFFFF)


def test_a_copy_another_writer_commits_meanwhile_is_caught(location: str) -> None:
    """Between deciding a batch and taking the write lock, another writer adds the original."""
    with Index.open(location) as mine, Index.open(location) as theirs:
        take_lock = mine.store.writing

        @contextmanager
        def late() -> Iterator[Any]:
            theirs.add([Article("theirs", WIRE)])
            with take_lock() as writer:
                yield writer

        mine.store.writing = late  # type: ignore[method-assign]
        decision = mine.check(Article("ours", REPRINT), add=True)
        assert (decision.duplicate_of, decision.added) == ("theirs", False)
        assert len(mine) == 1


def test_a_second_writer_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "news.idx"
    Index.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a commit
    try:
        with Index.open(path, timeout=0.2) as idx:
            assert idx.check(Article("x", WIRE)).status == "new"  # reading goes on
            with pytest.raises(IndexStoreError, match="being written by another process"):
                idx.add([Article("x", WIRE)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Index.open(path) as idx:
        assert idx.add([Article("x", WIRE)]).added == 1


def test_an_index_of_an_older_layout_is_refused(location: str) -> None:
    """Layout 3 stores the words of the tokenizer of every script; an older index would not match them."""
    with Index.open(location) as idx:
        idx.add([Article("wire-1", WIRE)])
    if location.startswith(("redis://", "unix://")):
        from dedup.index.redis_store import client

        r, prefix, _ = client(location)
        r.set(f"{prefix}:format", "2")
        r.close()
    else:
        with sqlite3.connect(location) as db:
            db.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    with pytest.raises(IndexStoreError, match="layout version .*2.*reads versions 3$"):
        Index.open(location)
