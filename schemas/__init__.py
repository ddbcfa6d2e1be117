"""pandera models for every table rxqa reads or writes."""
from __future__ import annotations

import sys


def leave_out_pandera_strategies() -> None:
    """For a process that only validates (`rxqa check`): pandera's first validation imports its
    data-synthesis strategies, and they import Hypothesis whenever it is installed (it is,
    beside the tests), about 0.3 billion instructions for code no check calls. Imported here
    with Hypothesis hidden, the strategies stay off for the rest of the process, as where
    Hypothesis is not installed (a schema's `example()` then fails); Hypothesis itself imports
    as usual afterwards. Nothing is done once either is imported; a pandera laid out otherwise
    is left to import them as it will."""
    if "hypothesis" in sys.modules or "pandera.strategies.pandas_strategies" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # an import of it now fails as if it were not installed
    try:
        import pandera.strategies.pandas_strategies  # noqa: F401
    except Exception:  # noqa: BLE001 - whatever it left half-imported goes, to be imported afresh
        for name in [n for n in sys.modules if n == "pandera.strategies" or n.startswith("pandera.strategies.")]:
            del sys.modules[name]
    finally:
        del sys.modules["hypothesis"]
