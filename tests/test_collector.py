"""The collector helper: quiet inside, restored after, nested uses freeze what is new."""
import gc

from pipelines.collector import fewer_collections


def test_quiet_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (50_000, 20, 100)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_nested_use_freezes_what_was_made_since_and_leaves_waking_to_the_outer():
    with fewer_collections():
        frozen = gc.get_freeze_count()
        made_since = [[n] for n in range(1000)]
        with fewer_collections():
            assert gc.get_freeze_count() >= frozen + len(made_since)
        assert gc.get_threshold() == (50_000, 20, 100)  # still quiet: the outer use wakes it
        assert gc.get_freeze_count() >= frozen + len(made_since)
    assert gc.get_freeze_count() == 0
