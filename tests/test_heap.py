import gc
import os
import threading

import pytest

from dedup import heap


def test_paused_turns_collection_off_in_the_block_and_back_on_after():
    assert gc.isenabled()
    with heap.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_caller_who_turned_collection_off_as_it_was():
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_frozen_keeps_objects_made_before_the_block_out_of_collections():
    article = ["a1", "made before the scan"]  # a list: always tracked by the collector
    with heap.frozen():
        made_inside = ["a2"]
        tracked = gc.get_objects()  # what a collection would walk
        assert not any(o is article for o in tracked)
        assert any(o is made_inside for o in tracked)
    assert gc.get_freeze_count() == 0
    assert any(o is article for o in gc.get_objects())


def _anonymous_bytes() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("RssAnon:"))


@pytest.mark.skipif(heap._malloc_trim() is None or not os.path.exists("/proc/self/status"),
                    reason="needs glibc's malloc_trim and /proc (Linux)")
def test_memory_a_thread_freed_goes_back_to_the_system_when_trimmed() -> None:
    kept: list[bytes] = []

    def churn() -> None:  # as the tokenizer's threads do: arrays made in an arena of their own, then dropped
        made = [bytes(4000) + bytes([i % 256]) for i in range(50_000)]  # 200 MB, each past pymalloc's limit
        kept.extend(made[::100])  # a few stay, so what is freed is not all at the top of the heap

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    before = _anonymous_bytes()
    heap.trim()
    assert before - _anonymous_bytes() > 100 << 20
