"""Report: every output is one small module in this package with a
`write(result, folder)` function and an `OUTPUTS` tuple naming what it writes.
Adding a format means adding a module; nothing else changes. A writer may set
`COST` (its rough share of the writing time, default 1) so that side-by-side
writing starts the slow ones first, and `USES_CHANGES = True` when it reports the
changes since the previous run (it then starts once they are known). How long each took
(wall and CPU seconds, in the process that ran it, with the CPU spent in the kernel and
the memory pages it faulted in) is kept in `result.report_timings`."""
from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import pkgutil
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: the kernel's share and the page faults are not measured
    resource = None

from ..collector import fewer_collections
from ..errors import RxqaError
from ..processes import can_fork
from .atomic import staged, start_writing_out

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


def write_reports(result, out: Path, skip: set[str] = frozenset(), jobs: int = 1, previous: Path | None = None) -> list[str]:
    """Write every output into `out` atomically; return the names written.
    `skip` names writer modules to leave out (e.g. {"data_docs"}); with `previous` (a folder
    of earlier outputs) `result.changes` is set to the changes since then. With `jobs` > 1
    the writers run side by side in forked processes (each reads the same result), the
    comparison with the previous run among them."""
    started = time.perf_counter()
    result.out_dir = Path(out)
    chosen = [m for m in writers() if _short(m.__name__) not in skip]
    with staged(Path(out)) as stage:
        if jobs > 1 and len(chosen) > 1 and can_fork():
            _write_side_by_side(result, stage, chosen, jobs, previous, out)
        else:
            _SHARED.update(result=result, stage=stage)
            try:
                if previous is not None:
                    result.changes = _kept(result, "compare", _compare_shared(Path(previous)))
                for module in chosen:
                    _kept(result, _short(module.__name__), _write_one(module.__name__))
            finally:
                _SHARED.clear()
        names = sorted(p.name for p in stage.iterdir())
    result.timings["reports"] = time.perf_counter() - started
    return names


def _write_side_by_side(result, stage: Path, chosen: list, jobs: int, previous: Path | None, out: Path) -> None:
    _SHARED.update(result=result, stage=stage)
    result.piece_digests  # noqa: B018 - made once here, not once in every writer's process
    try:
        context = multiprocessing.get_context("fork")
        # the costliest writers start first, so that no long one is left alone at the end
        order = sorted(chosen, key=lambda m: -getattr(m, "COST", 1))
        later = [m for m in order if getattr(m, "USES_CHANGES", False)] if previous is not None else []
        # the writers fork with the run's objects frozen out of their collections
        with fewer_collections(), ProcessPoolExecutor(min(jobs, len(chosen)), mp_context=context) as pool:
            changes = pool.submit(_compare_shared, Path(previous)) if previous is not None else None
            running = [(m, pool.submit(_write_one, m.__name__)) for m in order if m not in later]
            if changes is not None:
                result.changes = _kept(result, "compare", changes.result())
                running += [(m, pool.submit(_write_one, m.__name__, (result.changes,))) for m in later]
            for module, future in running:
                _kept(result, _short(module.__name__), future.result())
    except BrokenProcessPool:
        raise RxqaError(f"{out}: a report writer died; the previous reports are unchanged") from None
    finally:
        _SHARED.clear()


_SHARED: dict = {}  # set before the writer processes fork


def _write_one(module_name: str, changes: tuple[dict | None] | None = None) -> tuple[None, float, float, float | None, int | None]:
    """Run one writer; `changes`, when given, is (the changes since the previous run,), None included."""
    result = _SHARED["result"]
    if changes is not None:
        result.changes = changes[0]
    module = importlib.import_module(module_name)
    timed = _timed(module.write, result, _SHARED["stage"])
    start_writing_out([_SHARED["stage"] / name for name in module.OUTPUTS])
    return timed


def _compare_shared(previous: Path) -> tuple[dict | None, float, float, float | None, int | None]:
    from ..changes import compare  # pandas: not imported by `rxqa rules` and the like

    return _timed(compare, _SHARED["result"], previous)


def _timed(function, *args) -> tuple:
    """(what function(*args) returns, its wall seconds, its CPU seconds in this process, of
    which in the kernel, and the memory pages it faulted in: new ones, and in a forked writer
    the run's own, copied when first written to)."""
    wall, cpu, before = time.perf_counter(), time.process_time(), _usage()
    value = function(*args)
    after = _usage()
    kernel, faults = (after[0] - before[0], after[1] - before[1]) if before and after else (None, None)
    return value, time.perf_counter() - wall, time.process_time() - cpu, kernel, faults


def _usage() -> tuple[float, int] | None:
    """This process's CPU seconds in the kernel and its minor page faults so far (None where
    they are not measured)."""
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_stime, usage.ru_minflt


def _kept(result, name: str, timed: tuple):
    """Note a _timed answer's figures in result.report_timings; return its value."""
    value, *figures = timed
    result.report_timings[name] = tuple(figures)
    return value


def _short(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]
