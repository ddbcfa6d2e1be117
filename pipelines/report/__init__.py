"""Report: every output is one small module in this package with a
`write(result, folder)` function and an `OUTPUTS` tuple naming what it writes.
Adding a format means adding a module; nothing else changes."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from .atomic import staged

_SKIP = {"atomic"}


def writers() -> list:
    """The writer modules, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name in _SKIP or info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "write", None)) and hasattr(module, "OUTPUTS"):
            found.append(module)
    return found


def write_reports(result, out: Path, skip: set[str] = frozenset()) -> list[str]:
    """Write every output into `out` atomically; return the names written.
    `skip` names writer modules to leave out (e.g. {"data_docs"})."""
    result.out_dir = Path(out)
    with staged(Path(out)) as stage:
        for module in writers():
            if module.__name__.rsplit(".", 1)[-1] in skip:
                continue
            module.write(result, stage)
        names = sorted(p.name for p in stage.iterdir())
    return names
