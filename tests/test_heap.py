import gc

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
