"""SC001's verdicts on the cell values rxqa writes, worked out by pandera ahead of time and
shipped in schemas/table_verdicts.json, so that a run with an empty cache answers for its
rows as a rerun does (cell_verdicts.py) and imports neither pandas nor pandera for them:
their imports and set-up are about 0.85 s of CPU beside the workers, a fifth of a
1,000-page check.

The verdicts are pandera's own: `build` runs SC001 over a table whose positions reach
NUMBER_LIMIT and whose checked texts reach LENGTH_LIMIT, so that SC001 learns the verdict of
every position and length up to those, and of every role rxqa writes. A row with any other
value (a line past NUMBER_LIMIT, a role the schema does not allow) is checked by pandera as
before. The file carries the digest of the code that gives the verdicts (CODE): a change to
the schemas voids it, and SC001 checks every row with pandera until it is written again
(`python -m pipelines.bundled_verdicts`); the tests keep it current and equal to what the
pandera installed gives. As for the reference's stamp (reference/stamp.py), the versions of
pandas and pandera are not part of the digest: a length, a lower bound and a set of allowed
values mean the same in every release the project allows."""
from __future__ import annotations

import json
from pathlib import Path

from .cell_verdicts import Known, is_whole_number
from .reference.stamp import ROOT, files_digest

VERDICTS_FILE = ROOT / "schemas" / "table_verdicts.json"
# the code whose change can change a verdict: the models, SC001 (which reads pandera's failures
# and learns from them) and the rules' runner (which gives it the tables), the verdicts' own
# form, the tables' columns, and the table built here
CODE = (
    "schemas/__init__.py",
    "schemas/tables.py",
    "pipelines/rules/SC001.py",
    "pipelines/rules/__init__.py",
    "pipelines/cell_verdicts.py",
    "pipelines/tables.py",
    "pipelines/bundled_verdicts.py",
)


def load(path: Path = VERDICTS_FILE) -> Known | None:
    """The bundled verdicts, a fresh copy SC001 may add to; None when the file is missing, was
    written by other code or is not in the form expected."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("code") != files_digest(CODE):
            return None
        tables = data["tables"]
        return tables if isinstance(tables, dict) and all(map(_well_formed, tables.values())) else None
    except (OSError, ValueError, RecursionError, AttributeError, KeyError, TypeError):
        return None


def _well_formed(entry) -> bool:
    """Whether a table's entry has the form CellVerdicts reads (a file merged or edited by hand may not)."""
    def verdict(value) -> bool:
        return value is None or isinstance(value, list) and all(isinstance(failed, list) and len(failed) == 2 for failed in value)

    def run(value) -> bool:
        return isinstance(value, list) and len(value) == 3 and isinstance(value[0], int) and isinstance(value[1], int) and verdict(value[2])

    cells, runs = entry.get("cells"), entry.get("runs")
    return (all(isinstance(entry.get(key), list) for key in ("columns", "unchecked", "by_length"))
            and isinstance(cells, dict) and all(isinstance(c, dict) and all(map(verdict, c.values())) for c in cells.values())
            and isinstance(runs, dict) and all(isinstance(r, list) and all(map(run, r)) for r in runs.values()))


def build() -> Known:
    """The verdicts pandera gives now, as the file keeps them (imports pandas and pandera)."""
    from .cell_verdicts import CellVerdicts
    from .rules import RuleContext, run_row_rules
    from .rules.SC001 import SC001

    ctx = RuleContext(None, None, [])  # type: ignore[arg-type] - SC001 reads the tables alone
    ctx.verdicts = CellVerdicts()
    run_row_rules(ctx, ["SC001"], [_widest_rows()], SC001.table_columns())
    return {table: _compacted(entry) for table, entry in ctx.verdicts.known.items()}


def write(path: Path = VERDICTS_FILE) -> Path:
    from .report.atomic import write_text_atomic

    write_text_atomic(path, json.dumps({"code": files_digest(CODE), "tables": build()}, indent=1, sort_keys=True) + "\n")
    return path


def _widest_rows() -> tuple[str, str]:
    """A page's drug and regimen CSV lines whose positions reach NUMBER_LIMIT, whose texts
    reach LENGTH_LIMIT and whose drugs have every role rxqa writes: SC001 learns the
    verdicts of all positions and lengths from 0 up to those (its probes) and of each role."""
    from .extract.model import ROLES
    from .rules.SC001 import LENGTH_LIMIT, NUMBER_LIMIT
    from .tables import DRUG_COLUMNS, REGIMEN_COLUMNS, csv_lines

    def row(columns: list[str], **values) -> list:
        return [values.get(column, "") for column in columns]

    longest = "x" * LENGTH_LIMIT
    drugs = [row(DRUG_COLUMNS, page=longest, line=NUMBER_LIMIT, column=NUMBER_LIMIT, text=longest, role=role, in_regimen=False)
             for role in ROLES]
    regimens = [row(REGIMEN_COLUMNS, page=longest, line=NUMBER_LIMIT, column=NUMBER_LIMIT, name=longest, listed=False)]
    return csv_lines(drugs), csv_lines(regimens)


def _compacted(entry: dict) -> dict:
    """A table's verdicts with the cells under whole numbers (positions, lengths) as runs of
    numbers with the same verdict (cell_verdicts.Known): 88,000 cells in a few lines."""
    cells: dict[str, dict] = {}
    runs: dict[str, list] = {}
    for column, verdicts in entry["cells"].items():
        column_runs = runs[column] = []
        for number in sorted(int(key) for key in verdicts if is_whole_number(key)):
            verdict = verdicts[str(number)]
            if column_runs and column_runs[-1][1] == number - 1 and column_runs[-1][2] == verdict:
                column_runs[-1][1] = number
            else:
                column_runs.append([number, number, verdict])
        cells[column] = {key: verdict for key, verdict in verdicts.items() if not is_whole_number(key)}
    return {**entry, "cells": cells, "runs": runs}


if __name__ == "__main__":
    print(f"wrote {write()}")
