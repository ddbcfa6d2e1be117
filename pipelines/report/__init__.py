"""Report: every output is one small module in this package with a
`write(result, folder)` function and an `OUTPUTS` tuple naming what it writes.
Adding a format means adding a module; nothing else changes. A writer may set
`COST` (its rough share of the writing time, default 1) so that side-by-side
writing starts the slow ones first."""
from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import pkgutil
from pathlib import Path

from ..errors import RxqaError
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


def write_reports(result, out: Path, skip: set[str] = frozenset(), jobs: int = 1) -> list[str]:
    """Write every output into `out` atomically; return the names written.
    `skip` names writer modules to leave out (e.g. {"data_docs"}); with `jobs` > 1
    the writers run side by side in forked processes (each reads the same result)."""
    result.out_dir = Path(out)
    chosen = [m for m in writers() if m.__name__.rsplit(".", 1)[-1] not in skip]
    with staged(Path(out)) as stage:
        if jobs > 1 and len(chosen) > 1 and "fork" in multiprocessing.get_all_start_methods():
            _SHARED.update(result=result, stage=stage)
            try:
                context = multiprocessing.get_context("fork")
                # the costliest writers start first, so that no long one is left alone at the end
                order = sorted(chosen, key=lambda m: -getattr(m, "COST", 1))
                with ProcessPoolExecutor(min(jobs, len(chosen)), mp_context=context) as pool:
                    list(pool.map(_write_one, [m.__name__ for m in order]))
            except BrokenProcessPool:
                raise RxqaError(f"{out}: a report writer died; the previous reports are unchanged") from None
            finally:
                _SHARED.clear()
        else:
            for module in chosen:
                module.write(result, stage)
        names = sorted(p.name for p in stage.iterdir())
    return names


_SHARED: dict = {}  # set before the writer processes fork


def _write_one(module_name: str) -> None:
    importlib.import_module(module_name).write(_SHARED["result"], _SHARED["stage"])
