"""pandera models for every table rxqa reads or writes."""
from __future__ import annotations

import sys

_LEAVE_OUT_STRATEGIES = False


def leave_out_pandera_strategies() -> None:
    """Ask that this process (`rxqa check`, which validates tables and never makes up data) go
    without pandera's data-synthesis strategies: pandera's first validation imports them, and
    they import Hypothesis whenever it is installed (it is, beside the tests), about 0.3 billion
    instructions for code no check calls. They are imported with Hypothesis hidden when the
    first schema module is (pandera with it; a rerun that validates nothing imports neither),
    or now if one already is, and stay off for the process and the processes it forks, as where
    Hypothesis is not installed (a schema's `example()` then fails). Hypothesis itself imports
    as usual afterwards."""
    global _LEAVE_OUT_STRATEGIES
    _LEAVE_OUT_STRATEGIES = True
    if "schemas.tables" in sys.modules or "schemas.reference" in sys.modules:
        _import_strategies_without_hypothesis()


def schema_module_imported() -> None:
    """Called by each module of models as it is imported."""
    if _LEAVE_OUT_STRATEGIES:
        _import_strategies_without_hypothesis()


def _import_strategies_without_hypothesis() -> None:
    """Import pandera's strategies with Hypothesis hidden; nothing is done once either is
    imported, and a pandera laid out otherwise is left to import them as it will."""
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
