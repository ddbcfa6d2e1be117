"""The findings as CSV and JSON (findings.json with the changes since the previous run)."""
from __future__ import annotations

from pathlib import Path

from ..jsontext import list_items, raw_list, write_json
from ..tables import csv_lines
from .pieces import Pieces, pieces_by_page

FINDING_COLUMNS = ["fingerprint", "code", "name", "severity", "page", "url", "section", "line", "column", "text", "message", "suggestion", "status"]


def findings_frame(findings):
    """The findings as a DataFrame (for Data Docs)."""
    import pandas as pd

    return pd.DataFrame([f.to_dict() for f in findings], columns=FINDING_COLUMNS)


OUTPUTS = ("findings.csv", "findings.json")
USES_CHANGES = True
COST = 2


def write(result, folder: Path) -> None:
    write_findings(result, folder)


def write_findings(result, folder: Path) -> None:
    """findings.csv and findings.json; each page's rows and entries are pieces (pieces.py)."""
    with Pieces(result, "findings.csv") as rows:
        text = csv_lines([FINDING_COLUMNS]) + "".join(pieces_by_page(result.findings, rows, _csv_rows))
    (folder / "findings.csv").write_text(text, encoding="utf-8", errors="replace", newline="")  # as findings_frame(...).to_csv writes it
    with Pieces(result, "findings.json") as entries:
        listed = raw_list(pieces_by_page(result.findings, entries, _json_entries), 2)
    payload = {
        "rxqa": result.version,
        "reference": result.reference_digest,
        "summary": result.counts(),
        "findings": listed,
        "resolved_baseline": result.resolved_baseline,
        "changes": result.changes,
    }
    write_json(folder / "findings.json", payload)


def _csv_rows(page: str, findings: list) -> str:
    return csv_lines([[getattr(f, k) for k in FINDING_COLUMNS] for f in findings])


def _json_entries(page: str, findings: list) -> str:
    return list_items([{k: getattr(f, k) for k in FINDING_COLUMNS} for f in findings], 2)
