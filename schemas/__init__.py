"""pandera models for every table rxqa reads or writes."""
from __future__ import annotations

import sys


def leave_out_pandera_strategies() -> None:
    """pandera's first validation imports its data-synthesis strategies, and they import
    Hypothesis whenever it is installed (it is, beside the tests): about 0.13 s of a run's
    CPU for code no check calls. Imported first here with Hypothesis hidden, they are left
    out for the process, as where Hypothesis is not installed; Hypothesis itself imports as
    usual afterwards. Nothing is done once either is imported."""
    if "hypothesis" in sys.modules or "pandera.strategies.pandas_strategies" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # an import of it now fails as if it were not installed
    try:
        import pandera.strategies.pandas_strategies  # noqa: F401
    except ImportError:  # a pandera laid out otherwise: it imports them as it will
        pass
    finally:
        del sys.modules["hypothesis"]
