"""worksheet.xlsx and worksheet.csv: the medical editors' to-do list.

One row per finding, most severe first, with a status drop-down and a comment
column the editor fills in. A rerun reads the previous worksheet from the output
folder and keeps every status and comment: on the findings that are still there
(matched by fingerprint), and on a "Resolved since last run" sheet for marked
findings that are gone. Severity is a column (one sheet for all findings), so a
filter on it gives the per-severity view. Reading lives in `worksheet_io`.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from copy import copy
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..findings import SEVERITY_RANK
from ..jsontext import dumps
from .worksheet_io import (
    COLUMNS,
    DEFAULT_STATUS,
    EDITOR_STATUSES,
    FINDINGS_SHEET,
    HEADERS,
    HOWTO_SHEET,
    KEYS,
    RESOLVED_EXTRA,
    RESOLVED_SHEET,
    neutralise,
    read_worksheet,
)

OUTPUTS = ("worksheet.xlsx", "worksheet.csv")
COST = 4

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_SEVERITY_FILL = {
    "error": PatternFill("solid", fgColor="F8CBAD"),
    "warning": PatternFill("solid", fgColor="FFE699"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

HOW_TO = [
    "How to use this worksheet",
    "",
    "Each row on the Findings sheet is one problem rxqa found in a page. The most serious ones "
    "(error, then warning, then info) come first, and within a severity the rows follow the page and line.",
    "Open the page named in the Page column, go to the line and section shown, and find the words "
    "in 'Text as written'. 'What is wrong' says why rxqa flagged them; 'What to write instead' gives "
    "the correction when rxqa knows one.",
    "When you have dealt with a row, pick a Status from the drop-down and, if it helps the next person, "
    "write a short note in Comment. Use the filter arrows in the header to show one page, code or severity.",
    "",
    "What the statuses mean",
    "open - nobody has dealt with the row yet (every new row starts here).",
    "fixed - you corrected the page; the next run should no longer report it.",
    "accepted - the text is right as it is for a good reason; say why in Comment. "
    "'rxqa worksheet import' turns accepted rows into waivers with your comment as the reason.",
    "false positive - rxqa is wrong here; say why in Comment so the rule can be improved. "
    "These are imported as waivers too.",
    "",
    "Your work is kept",
    "Save this file where rxqa wrote it. The next run reads it and keeps your status and comment on every "
    "row that is still reported, even if the line moved. A row you marked that rxqa no longer reports moves, "
    "with your status and comment, to the sheet 'Resolved since last run'.",
    "Text that begins with =, +, - or @ is shown with a leading apostrophe so the spreadsheet never runs it "
    "as a formula; the apostrophe is not part of the page. Do not rename the sheets or the Fingerprint "
    "column (hidden, last): rxqa uses it to recognise each row.",
]


def write(result, folder: Path) -> None:
    folder = Path(folder)
    stamp = datetime.now()
    memory = _memory_folder(result)
    previous, resolved_before, notes = _previous(getattr(result, "out_dir", None), folder, stamp, memory)

    def order(f):
        return (-SEVERITY_RANK.get(f.severity, 0), f.page, f.line, f.column, f.code)

    findings = sorted(result.findings, key=order)
    rows, seen = [], set()
    for finding in findings:
        row = {key: getattr(finding, key, "") for key in KEYS if key not in ("status", "comment", "rxqa_status")}
        row["rxqa_status"] = finding.status
        old = previous.get(finding.fingerprint) or resolved_before.get(finding.fingerprint) or {}
        row["status"] = old.get("status") or DEFAULT_STATUS
        row["comment"] = old.get("comment", "")
        rows.append(row)
        seen.add(finding.fingerprint)
    today = stamp.date().isoformat()
    resolved = [dict(old, gone_since=today) for fp, old in previous.items() if fp not in seen and _marked(old)]
    resolved += [old for fp, old in resolved_before.items() if fp not in seen and fp not in previous]
    _write_xlsx(folder / "worksheet.xlsx", rows, resolved, notes)
    _write_csv(folder / "worksheet.csv", rows)
    if memory is not None:
        _remember(memory, folder / "worksheet.xlsx", rows, resolved)


# What rxqa wrote into a worksheet.xlsx, kept under the file's SHA-256 in the cache
# folder: a rerun that finds the file as rxqa left it (no editor has saved it since)
# takes the rows from there instead of parsing the spreadsheet again.
_MEMORIES_KEPT = 8
_UNMARKED = {"status": DEFAULT_STATUS, "comment": ""}


def _memory_folder(result) -> Path | None:
    settings = getattr(result, "settings", None)
    if settings is None or not getattr(settings, "cache_dir", ""):
        return None
    return settings.path(settings.cache_dir) / "worksheets"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _remember(memory: Path, xlsx: Path, rows: list[dict], resolved: list[dict]) -> None:
    state = {
        "fingerprints": [r["fingerprint"] for r in rows],
        "marked": {r["fingerprint"]: r for r in rows if _marked(r)},
        "resolved": {r["fingerprint"]: r for r in resolved},
    }
    try:
        memory.mkdir(parents=True, exist_ok=True)
        target = memory / f"{_digest(xlsx)}.json"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(dumps(state, indent=False), encoding="utf-8")
        os.replace(temporary, target)
        for old in sorted(memory.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-_MEMORIES_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a memory that cannot be kept only makes the next run read the spreadsheet


def _recall(memory: Path | None, xlsx: Path) -> tuple[dict, dict] | None:
    if memory is None or not xlsx.is_file():
        return None
    try:
        state = json.loads((memory / f"{_digest(xlsx)}.json").read_text(encoding="utf-8"))
        previous = dict.fromkeys(state["fingerprints"], _UNMARKED) | state["marked"]
        return previous, state["resolved"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _marked(row: dict) -> bool:
    return row.get("status", DEFAULT_STATUS) != DEFAULT_STATUS or bool(str(row.get("comment") or "").strip())


def _previous(out_dir, folder: Path, stamp: datetime, memory: Path | None = None) -> tuple[dict, dict, list[str]]:
    """The previous run's rows by fingerprint (Findings, Resolved) and notes for the
    how-to sheet. An unreadable file is copied aside into `folder` and skipped; the
    xlsx is preferred, the csv twin is the fallback."""
    notes: list[str] = []
    if out_dir is None:
        return {}, {}, notes
    recalled = _recall(memory, Path(out_dir) / "worksheet.xlsx")
    if recalled is not None:
        return *recalled, notes
    for name in OUTPUTS:
        path = Path(out_dir) / name
        if not path.is_file():
            continue
        try:
            rows = read_worksheet(path, include_resolved=True, strict=False)
        except Exception as exc:  # a corrupt file must never stop the run
            copy = folder / f"worksheet.unreadable-{stamp:%Y%m%dT%H%M%S}{path.suffix}"
            try:
                shutil.copyfile(path, copy)
                kept = f"it is saved as {copy.name}"
            except OSError:
                kept = "it could not be copied"
            notes.append(f"Note: the previous {name} could not be read ({type(exc).__name__}: {exc}); {kept}.")
            continue
        current, resolved = {}, {}
        for row in rows:
            target = resolved if row["sheet"] == RESOLVED_SHEET else current
            if row["fingerprint"] not in target or _marked(row):
                target[row["fingerprint"]] = row
        if notes:
            notes.append(f"The statuses and comments were taken from the previous {name} instead.")
        return current, resolved, notes
    return {}, {}, notes


def _write_xlsx(path: Path, rows: list[dict], resolved: list[dict], notes: list[str]) -> None:
    book = Workbook(write_only=True)
    book.properties.creator = "rxqa"
    howto = book.create_sheet(HOWTO_SHEET)
    howto.column_dimensions["A"].width = 110
    for i, line in enumerate(HOW_TO + ([""] + notes if notes else [])):
        cell = WriteOnlyCell(howto, neutralise(line))
        cell.alignment = _WRAP
        if i == 0 or line in ("What the statuses mean", "Your work is kept"):
            cell.font = Font(bold=True, size=14 if i == 0 else 12)
        howto.append([cell])
    _table(book, FINDINGS_SHEET, COLUMNS, rows)
    _table(book, RESOLVED_SHEET, COLUMNS[:-1] + [RESOLVED_EXTRA] + COLUMNS[-1:], resolved)
    book.save(path)


def _table(book, title: str, columns: list, rows: list[dict]) -> None:
    sheet = book.create_sheet(title)
    last = get_column_letter(len(columns))
    for index, (key, _, width, wrap) in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if wrap:  # what an editor types into an empty cell wraps too
            dimension.alignment = _WRAP
        if key == "fingerprint":
            dimension.hidden = True
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    status_col = get_column_letter([c[0] for c in columns].index("status") + 1)
    choice = DataValidation(type="list", formula1='"' + ",".join(EDITOR_STATUSES) + '"', allow_blank=True)
    choice.error, choice.errorTitle = "Pick one of: " + ", ".join(EDITOR_STATUSES), "Status"
    choice.showErrorMessage = True
    choice.add(f"{status_col}2:{status_col}{max(len(rows) + 1, 1000)}")
    sheet.data_validations.append(choice)
    header = []
    for _, text, _, _ in columns:
        cell = WriteOnlyCell(sheet, text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    styles = _styles(sheet, columns)
    for row in rows:
        sheet.append([_cell(sheet, key, row.get(key), styles) for key, *_ in columns])


def _styles(sheet, columns: list) -> dict:
    """Style arrays by (column, severity, quote prefix), made once: setting a style on
    each cell costs more than writing it."""
    styles = {}
    for key, _, _, wrap in columns:
        for severity in [None, *(_SEVERITY_FILL if key == "severity" else ())]:
            for quoted in (False, True):
                cell = WriteOnlyCell(sheet)
                cell.alignment = _WRAP if wrap else _TOP
                if severity:
                    cell.fill = _SEVERITY_FILL[severity]
                cell.quotePrefix = quoted
                styles[key, severity, quoted] = cell._style
    return styles


def _cell(sheet, key: str, value, styles: dict) -> WriteOnlyCell | None:
    if key == "line":
        value = int(value) if str(value or "").strip().lstrip("-").isdigit() else None
    safe = neutralise(value)
    if safe is None or safe == "":
        return None  # an empty cell costs as much to write as a full one
    cell = WriteOnlyCell(sheet, safe)
    quoted = isinstance(safe, str) and safe.startswith("'")
    if isinstance(safe, str):
        cell.data_type = "s"  # never a formula, whatever the text
    severity = value if key == "severity" and value in _SEVERITY_FILL else None
    cell._style = copy(styles[key, severity, quoted])
    return cell


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        for row in rows:
            out.writerow(["" if row.get(key) is None else neutralise(row.get(key)) for key in KEYS])
