"""Build or update the reference tables from files a team downloads itself.

`import_reference(source, files, out, curated)` reads RxNorm RRF, a Health
Canada DPD extract or user-supplied HemOnc OMOP tables, merges the rows into
the curated reference without overwriting a curated row, writes the merged
tables to `out` and returns an ImportReport. A malformed input file raises
RxqaError("file:line: what is wrong").
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ...errors import RxqaError
from ..load import DEFAULT_REFERENCE, all_problems, load_reference, read_table, write_table
from .common import Imported, base_moiety
from .dpd import load_dpd
from .hemonc import load_hemonc
from .merge import merge
from .report import Entry, ImportReport
from .rxnorm import load_rxnorm

LOADERS = {"rxnorm": load_rxnorm, "dpd": load_dpd, "hemonc": load_hemonc}
SOURCES = tuple(LOADERS)
MERGED = ("drugs.csv", "brands.csv", "regimens.csv")

__all__ = ["ImportReport", "Entry", "Imported", "SOURCES", "import_reference", "load_rows", "base_moiety",
           "load_rxnorm", "load_dpd", "load_hemonc"]


def load_rows(source: str, files: list[Path], checked: str | None = None) -> Imported:
    """The rows one source's files give, before any merge."""
    if source not in LOADERS:
        raise RxqaError(f"unknown reference source {source!r} (one of {', '.join(SOURCES)})")
    if not files:
        raise RxqaError(f"no files given for {source}")
    return LOADERS[source]([Path(f) for f in files], checked)


def import_reference(source: str, files: list[Path], out: Path, curated: Path | None = None, *, checked: str | None = None) -> ImportReport:
    """Merge `source` rows from `files` with the curated reference in `curated` and write the result to `out`.

    Curated rows are kept as they are: a differing value is reported in
    `changed`, a row that would contradict the curated table or break
    validation is reported in `conflicts` and left out. `out` may equal
    `curated` (update in place); it is written only once the merge validates.
    """
    curated = Path(curated) if curated else DEFAULT_REFERENCE
    out = Path(out)
    load_reference(curated)  # the curated reference must be valid before anything is merged into it
    imported = load_rows(source, files, checked)
    report = ImportReport(source, [Path(f) for f in files], out)
    frames = {path.name: read_table(path) for path in sorted(curated.glob("*.csv"))}
    merged, curated_rows = merge(frames, imported, report)

    with tempfile.TemporaryDirectory(prefix="rxqa-import-") as tmp:
        staging = Path(tmp)
        for extra in curated.iterdir():
            if extra.is_file() and extra.name not in MERGED:
                shutil.copy2(extra, staging / extra.name)
        merged = _validated(merged, curated_rows, staging, report)
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(p.name for p in staging.iterdir()):
            shutil.copy2(staging / name, out / name)
    return report


_PROBLEM = re.compile(r"^(?P<path>.*?(?P<table>[^/\\]+\.csv)):(?P<line>\d+): (?P<what>.*)$")


def _validated(merged: dict, curated_rows: dict[str, int], staging: Path, report: ImportReport) -> dict:
    """Write the merged tables; drop added rows the reference checks reject (reported as conflicts)."""
    for _ in range(50):
        for name in MERGED:
            write_table(merged[name], staging / name)
        problems = all_problems(staging)
        if not problems:
            return merged
        drop: dict[str, set[int]] = {}
        for problem in problems:
            match = _PROBLEM.match(problem)
            table = match.group("table") if match else ""
            index = int(match.group("line")) - 2 if match else -1
            if table not in MERGED or index < curated_rows.get(table, 0):
                raise RxqaError(f"the merged reference does not validate: {problem.replace(str(staging), 'merged')}")
            if index not in drop.setdefault(table, set()):
                drop[table].add(index)
                row = merged[table].iloc[index]
                key = f"{row['brand']} ({row['market']})" if table == "brands.csv" else row["name"]
                report.conflicts.append(Entry(table, key, match.group("what")))
                report.added = [e for e in report.added if (e.table, e.key) != (table, key)]
        for table, rows in drop.items():
            merged[table] = merged[table].drop(index=sorted(rows)).reset_index(drop=True)
    raise RxqaError("the merged reference does not validate after dropping the conflicting rows")
