"""The two mention tables as CSV (drug_mentions.csv, regimen_mentions.csv), written from
the lines each page made when it was read; they do not wait for the comparison with the
previous run, as findings.json does (data.py)."""
from __future__ import annotations

from pathlib import Path

from ..tables import TABLE_COLUMNS, csv_lines

OUTPUTS = ("drug_mentions.csv", "regimen_mentions.csv")
COST = 2


def write(result, folder: Path) -> None:
    for name, columns in TABLE_COLUMNS.items():
        path = folder / f"{name}.csv"
        parts = result.table_lines(name)
        if parts is None:
            result.table(name).to_csv(path, index=False)
            continue
        # the lines each page made when it was read (tables.page_csv_lines): the same text, already formatted
        with path.open("w", encoding="utf-8", errors="replace", newline="") as handle:
            handle.write(csv_lines([columns]))
            handle.writelines(text for _, _, text in parts)
