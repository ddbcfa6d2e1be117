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
import io
import os
import shutil
from datetime import datetime
from collections.abc import Callable
from functools import partial
from operator import attrgetter, itemgetter
from pathlib import Path

from ..findings import SEVERITY_RANK
from ..jsontext import dumps, loads
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
from .pieces import Pieces, runs
from .xlsx_rows import BETWEEN, append_rows, row_templates

OUTPUTS = ("worksheet.xlsx", "worksheet.csv")
COST = 4

_HEADER = {"bold": True, "font_color": "#FFFFFF", "pattern": 1, "bg_color": "#305496"}
_SEVERITY_FILL = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
_WRAP = {"text_wrap": True, "valign": "top"}
_TOP = {"valign": "top"}

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


_FINDING_KEYS = [key for key in KEYS if key not in ("status", "comment", "rxqa_status")]  # a finding's own fields
_finding_values = attrgetter(*_FINDING_KEYS)


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
        row = dict(zip(_FINDING_KEYS, _finding_values(finding)))
        row["rxqa_status"] = finding.status
        old = previous.get(finding.fingerprint) or resolved_before.get(finding.fingerprint) or {}
        row["status"] = old.get("status") or DEFAULT_STATUS
        row["comment"] = old.get("comment", "")
        rows.append(row)
        seen.add(finding.fingerprint)
    today = stamp.date().isoformat()
    resolved = [dict(old, gone_since=today) for fp, old in previous.items() if fp not in seen and _marked(old)]
    resolved += [old for fp, old in resolved_before.items() if fp not in seen and fp not in previous]
    body = _write_xlsx(folder / "worksheet.xlsx", rows, resolved, notes, result)
    with (folder / "worksheet.csv").open("w", encoding="utf-8-sig", errors="replace", newline="") as handle:
        csv.writer(handle).writerow(HEADERS)
        handle.write(body)
    if memory is not None:
        _remember(memory, folder / "worksheet.xlsx", rows, resolved)


# What rxqa wrote into a worksheet.xlsx, kept under the file's SHA-256 in the cache
# folder: a rerun that finds the file as rxqa left it (no editor has saved it since)
# takes the rows from there instead of parsing the spreadsheet again.
_MEMORIES_KEPT = 8
_UNMARKED = {"status": DEFAULT_STATUS, "comment": ""}


def _memory_folder(result) -> Path | None:
    settings = getattr(result, "settings", None)
    folder = settings.cache_folder if settings is not None else None
    return folder / "worksheets" if folder is not None else None


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
        state = loads((memory / f"{_digest(xlsx)}.json").read_bytes())
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


def _write_xlsx(path: Path, rows: list[dict], resolved: list[dict], notes: list[str], result) -> str:
    """Write the workbook; return the lines of the Findings sheet's CSV twin (without its header)."""
    # xlsxwriter makes the workbook with each sheet's header; the rows go in afterwards
    # (xlsx_rows.py). Every text is written as text, never turned into a number, formula or link.
    import xlsxwriter  # here: the run's own process, which forks the writers, never needs it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"author": "rxqa"})
    howto = book.add_worksheet(HOWTO_SHEET)
    howto.set_column(0, 0, 110)
    plain = book.add_format(_WRAP)
    titles = {size: book.add_format(_WRAP | {"bold": True, "font_size": size}) for size in (12, 14)}
    for i, line in enumerate(HOW_TO + ([""] + notes if notes else [])):
        if i == 0 or line in ("What the statuses mean", "Your work is kept"):
            style = titles[14 if i == 0 else 12]
        else:
            style = plain
        howto.write_string(i, 0, neutralise(line), style)
    resolved_columns = COLUMNS[:-1] + [RESOLVED_EXTRA] + COLUMNS[-1:]
    formats = _styles(book, resolved_columns)  # every column of both sheets
    header = book.add_format(_HEADER)
    _table(book, FINDINGS_SHEET, COLUMNS, len(rows), formats, header)
    _table(book, RESOLVED_SHEET, resolved_columns, len(resolved), formats, header)
    styles = {key: style._get_xf_index() for key, style in formats.items()}  # what xlsxwriter does per cell it writes
    book.close()
    templates, body = _findings_rows(result, rows, styles)
    append_rows(buffer, path, {2: (templates, 2), 3: (row_templates(_cells(resolved_columns, resolved, styles)), 2)})
    return body


def _findings_rows(result, rows: list[dict], styles: dict) -> tuple[list[str], str]:
    """The Findings sheet's row templates and its CSV twin's lines. Each run of rows of one
    severity on one page is a piece of each (pieces.py), made from the page's findings and
    what the editors wrote on those rows."""
    templates: list[str] = []
    lines: list[str] = []
    made: dict = {}  # each column's cell for a value, and each text's <t> element, for every run of rows
    texts: dict[str, str] = {}
    # the styles' numbers are the workbook's (XlsxWriter's), not rxqa's: they are part of every row's key
    with Pieces(result, "worksheet.xlsx", styles) as sheet, Pieces(result, "worksheet.csv") as twin:
        for run in runs(rows, itemgetter("severity", "page")):
            page, severity = run[0]["page"], run[0]["severity"]
            marks = [(row["status"], row["comment"]) for row in run]
            extra = repr(marks) if any(mark != (DEFAULT_STATUS, "") for mark in marks) else ""
            cells = _once(partial(_cells, COLUMNS, run, styles, made))  # made once, for either piece that needs them
            templates += sheet.piece(page, lambda: BETWEEN.join(row_templates(cells(), texts)), severity, extra).split(BETWEEN)
            lines.append(twin.piece(page, lambda: _csv_lines(cells()), severity, extra))
    return templates, "".join(lines)


def _once(make: Callable[[], list]) -> Callable[[], list]:
    """make(), called the first time only (functools.cache costs more to set up, once per run of rows)."""
    made: list = []
    return lambda: made[0] if made else made.append(make()) or made[0]


def _table(book, title: str, columns: list, count: int, styles: dict, header) -> None:
    """A sheet with its header row, column widths, filter and status drop-down for `count` rows."""
    sheet = book.add_worksheet(title)
    for index, (key, _, width, wrap) in enumerate(columns):
        # what an editor types into an empty cell wraps too
        sheet.set_column(index, index, width, styles[key, None, False] if wrap else None, {"hidden": key == "fingerprint"})
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    status_col = [c[0] for c in columns].index("status")
    sheet.data_validation(1, status_col, max(count, 999), status_col, {
        "validate": "list", "source": list(EDITOR_STATUSES), "ignore_blank": True,
        "error_title": "Status", "error_message": "Pick one of: " + ", ".join(EDITOR_STATUSES),
    })
    for index, (_, text, _, _) in enumerate(columns):
        sheet.write_string(0, index, text, header)


def _styles(book, columns: list) -> dict:
    """Formats by (column, severity, quote prefix), made once per workbook."""
    styles = {}
    for key, _, _, wrap in columns:
        for severity in [None, *(_SEVERITY_FILL if key == "severity" else ())]:
            for quoted in (False, True):
                spec = dict(_WRAP if wrap else _TOP)
                if severity:
                    spec |= {"pattern": 1, "bg_color": _SEVERITY_FILL[severity]}
                if quoted:
                    spec["quote_prefix"] = True
                styles[key, severity, quoted] = book.add_format(spec)
    return styles


def _cells(columns: list, rows: list[dict], styles: dict, made: dict | None = None) -> list[list]:
    """Each row's cells as (value, style index), None for an empty cell; a column's
    repeated values (codes, statuses, sections, messages) are worked out once (in `made`,
    which a caller with several runs of rows shares between them)."""
    keys = [key for key, *_ in columns]
    made = {} if made is None else made
    cells = []
    for row in rows:
        line = []
        for key in keys:
            value = row.get(key)
            try:
                cell = made[key, value]
            except KeyError:
                cell = made[key, value] = _cell(key, value, styles)
            except TypeError:  # a value that cannot be a key
                cell = _cell(key, value, styles)
            line.append(cell)
        cells.append(line)
    return cells


def _cell(key: str, value, styles: dict):
    if key == "line" and not isinstance(value, int):
        value = int(value) if str(value or "").strip().lstrip("-").isdigit() else None
    safe = neutralise(value)
    if safe is None or safe == "":
        return None
    severity = value if key == "severity" and value in _SEVERITY_FILL else None
    if isinstance(safe, str):
        return safe, styles[key, severity, safe.startswith("'")]
    return safe, styles[key, severity, False]


def _csv_lines(cells: list[list]) -> str:
    """The rows' lines in the CSV twin: the cells' values as the sheet shows them."""
    text = io.StringIO()
    csv.writer(text).writerows(["" if cell is None else cell[0] for cell in row] for row in cells)
    return text.getvalue()
