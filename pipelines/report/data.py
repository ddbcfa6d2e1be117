"""Tables and findings as CSV and JSON."""
from __future__ import annotations

from pathlib import Path

from ..jsontext import write_json
from ..tables import TABLE_COLUMNS, csv_lines

FINDING_COLUMNS = ["fingerprint", "code", "name", "severity", "page", "url", "section", "line", "column", "text", "message", "suggestion", "status"]


def findings_frame(findings):
    """The findings as a DataFrame (for Data Docs)."""
    import pandas as pd

    return pd.DataFrame([f.to_dict() for f in findings], columns=FINDING_COLUMNS)


OUTPUTS = ("drug_mentions.csv", "regimen_mentions.csv", "findings.csv", "findings.json")
USES_CHANGES = True
COST = 3


def write(result, folder: Path) -> None:
    write_tables(result, folder)
    write_findings(result, folder)


def write_tables(result, folder: Path) -> None:
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


def write_findings(result, folder: Path) -> None:
    rows = [FINDING_COLUMNS, *([getattr(f, k) for k in FINDING_COLUMNS] for f in result.findings)]
    (folder / "findings.csv").write_text(csv_lines(rows), encoding="utf-8", errors="replace", newline="")  # as findings_frame(...).to_csv writes it
    payload = {
        "rxqa": result.version,
        "reference": result.reference_digest,
        "summary": result.counts(),
        "findings": [{k: getattr(f, k) for k in FINDING_COLUMNS} for f in result.findings],
        "resolved_baseline": result.resolved_baseline,
        "changes": result.changes,
    }
    write_json(folder / "findings.json", payload)
