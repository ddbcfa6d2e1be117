"""How many processes a run spreads its work over, and whether it can fork them."""
from __future__ import annotations

import multiprocessing
import os


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked (they share the parent's objects, nothing is pickled
    on the way in); where they cannot, the work is done in the run's own process."""
    return "fork" in multiprocessing.get_all_start_methods()
