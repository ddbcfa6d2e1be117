"""Report: every output is one small writer reading the same run result."""
from __future__ import annotations

from pathlib import Path

from .atomic import staged
from .data import write_findings, write_tables

WRITERS = (write_tables, write_findings)


def write_reports(result, out: Path) -> list[str]:
    """Write every output into `out` atomically; return the file names written."""
    with staged(Path(out)) as stage:
        for writer in WRITERS:
            writer(result, stage)
        names = sorted(p.name for p in stage.iterdir())
    return names
