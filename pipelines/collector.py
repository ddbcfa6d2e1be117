"""The cycle collector kept quiet while a run holds many long-lived objects: reading
pages, running the rules and writing the reports make many short-lived objects and
few cycles, and every full collection would walk the reference, the pages' outcomes
and the findings again (about 8% of the per-page time; in a forked report writer it
also copies every memory page it touches)."""
from __future__ import annotations

import gc
from contextlib import contextmanager

_quiet = False  # inside fewer_collections


def quiet_collector() -> None:
    """Freeze what is alive now out of the collector, and collect the rest seldom (also
    a worker pool's initializer)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


@contextmanager
def fewer_collections():
    """Run with the collector quiet; a use inside another freezes what was made since the
    outer one began (a forked report writer then never walks it) and leaves it to the outer
    one to wake the collector again."""
    global _quiet
    if _quiet:
        gc.freeze()
        yield
        return
    before = gc.get_threshold()
    quiet_collector()
    _quiet = True
    try:
        yield
    finally:
        _quiet = False
        gc.set_threshold(*before)
        gc.unfreeze()
