"""The editors' worksheet: its columns, safe cell text, and reading it back.

`read_worksheet` reads a worksheet.xlsx or worksheet.csv that rxqa wrote and an
editor filled in; `rxqa worksheet import` and the rerun carry-over both use it.
This module has no `write`, so the report package does not take it for a writer.
"""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import ConfigInvalid

# (key, header, width, wrap): the order is the order on the sheet. The editor's
# two columns sit right after the text and the suggestion so they are on screen
# while reading; the fingerprint is last (hidden in the xlsx).
COLUMNS = [
    ("severity", "Severity", 10, False),
    ("page", "Page", 28, True),
    ("line", "Line", 7, False),
    ("section", "Section", 24, True),
    ("text", "Text as written", 30, True),
    ("message", "What is wrong", 48, True),
    ("suggestion", "What to write instead", 40, True),
    ("status", "Status", 15, False),
    ("comment", "Comment", 40, True),
    ("code", "Code", 8, False),
    ("name", "Rule", 24, False),
    ("url", "URL", 30, False),
    ("rxqa_status", "rxqa status", 11, False),
    ("fingerprint", "Fingerprint", 22, False),
]
KEYS = [key for key, *_ in COLUMNS]
HEADERS = [header for _, header, *_ in COLUMNS]
RESOLVED_EXTRA = ("gone_since", "Gone since", 12, False)

EDITOR_STATUSES = ("open", "fixed", "accepted", "false positive")
DEFAULT_STATUS = "open"
FINDINGS_SHEET = "Findings"
RESOLVED_SHEET = "Resolved since last run"
HOWTO_SHEET = "How to use"

# control characters an xlsx cell cannot hold (tab, line feed and carriage return it can)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ALIASES = {
    "rule name": "name", "editor status": "status", "your status": "status", "editor comment": "comment",
    "what is written": "text", "problem": "message", "suggestion": "suggestion", "finding status": "rxqa_status",
}
_HEADER_TO_KEY = {header.lower(): key for key, header, *_ in COLUMNS + [RESOLVED_EXTRA]}
_HEADER_TO_KEY.update({key.lower(): key for key in KEYS + ["gone_since"]})
_HEADER_TO_KEY.update(_ALIASES)


def neutralise(value):
    """Cell text a spreadsheet will never run: illegal xlsx characters dropped, and a
    leading =, +, -, @, tab or carriage return prefixed with a single quote."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = value if value.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", value)  # every illegal character is unprintable
    return "'" + text if text.startswith(_TRIGGERS) else text


def restore(value) -> str:
    """Undo `neutralise` on text read back, so a rerun never stacks quotes."""
    if value is None:
        return ""
    text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def normalise_status(value) -> str | None:
    """The editor status in canonical form, "open" for an empty cell, None if unknown."""
    text = " ".join(restore(value).replace("_", " ").replace("-", " ").split()).lower()
    if not text:
        return DEFAULT_STATUS
    return text if text in EDITOR_STATUSES else None


def read_worksheet(path: Path, *, include_resolved: bool = False, strict: bool = True) -> list[dict]:
    """The rows of an editors' worksheet (.xlsx or .csv), one dict per finding row.

    Each dict has every key of `KEYS` ("status" is the editor's status, canonical
    and "open" when empty; "rxqa_status" is new/baseline/waived), "line" as an int
    or None, plus "sheet" and "row" (the spreadsheet row number, header = 1).
    Rows on "Resolved since last run" are included only with `include_resolved`.

    Raises ConfigInvalid("<path>:<row>: ...") when no sheet has a fingerprint
    column, and in `strict` mode for a status outside open/fixed/accepted/false
    positive or a filled-in row without a fingerprint. With `strict=False` such a
    row keeps status "open" with the unknown status kept in the comment, and a row
    without a fingerprint is skipped. Other failures (not a zip, bad encoding)
    raise ConfigInvalid("<path>: not a worksheet rxqa can read (...)").
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                tables = [(FINDINGS_SHEET, list(enumerate(csv.reader(handle), start=1)))]
        else:
            tables = _xlsx_tables(path, include_resolved)
    except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError, StopIteration, ValueError, csv.Error) as exc:
        raise ConfigInvalid(f"{path}: not a worksheet rxqa can read ({type(exc).__name__}: {exc})") from exc
    rows: list[dict] = []
    usable = False
    for sheet, table in tables:
        if not table:
            continue
        columns = {i: _HEADER_TO_KEY.get(str(h or "").strip().lower()) for i, h in enumerate(table[0][1])}
        if "fingerprint" not in columns.values():
            continue
        usable = True
        for number, cells in table[1:]:
            row = _row(path, sheet, number, columns, cells, strict)
            if row is not None:
                rows.append(row)
    if not usable:
        raise ConfigInvalid(f"{path}:1: no 'Fingerprint' column in the header row; rxqa cannot match rows to findings")
    return rows


def _xlsx_tables(path: Path, include_resolved: bool) -> list[tuple[str, list]]:
    """Every sheet's rows as (row number, [values]), straight from the XML: openpyxl's
    reader takes minutes on the inline strings of a 50,000-row sheet."""
    with zipfile.ZipFile(path) as archive:
        def xml(name):
            return ET.fromstring(archive.read(name))

        def part(target):
            return target.lstrip("/") if target.startswith("/") else "xl/" + target

        rels = list(xml("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): part(r.get("Target")) for r in rels}
        shared = []
        for rel in rels:
            if rel.get("Type", "").endswith("/sharedStrings"):
                shared = [_text(si) for si in xml(part(rel.get("Target")))]
        tables = []
        for sheet in (e for e in xml("xl/workbook.xml").iter() if _local(e.tag) == "sheet"):
            name = sheet.get("name")
            if name == HOWTO_SHEET or (name == RESOLVED_SHEET and not include_resolved):
                continue
            rid = next(v for k, v in sheet.attrib.items() if _local(k) == "id")
            with archive.open(targets[rid]) as handle:
                tables.append((name, _sheet_rows(handle, shared)))
        return tables


def _column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _sheet_rows(handle, shared: list[str]) -> list[tuple[int, list]]:
    rows, number = [], 0
    for _, element in ET.iterparse(handle, events=("end",)):
        if _local(element.tag) != "row":
            continue
        number = int(element.get("r") or number + 1)
        cells: list = []
        for cell in element:
            if _local(cell.tag) != "c":
                continue
            ref = re.match(r"[A-Z]+", cell.get("r") or "")
            index = _column_index(ref.group()) if ref else len(cells)
            cells.extend([None] * (index + 1 - len(cells)))
            kind, value, formula = cell.get("t", "n"), None, None
            for part in cell:
                tag = _local(part.tag)
                if tag == "v":
                    value = shared[int(part.text)] if kind == "s" else part.text
                elif tag == "is":
                    value = _text(part)
                elif tag == "f" and part.text:
                    formula = "=" + part.text
            # a formula is read as what it shows; one never calculated as the editor typed it
            cells[index] = value if value is not None else formula
        rows.append((number, cells))
        element.clear()
    return rows


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(string) -> str:
    """The text of a shared or inline string: <t>, or the <t> of each rich-text run
    (<rPh> phonetic hints are not part of the text)."""
    runs = [string] + [r for r in string if _local(r.tag) == "r"]
    text = "".join(t.text or "" for run in runs for t in run if _local(t.tag) == "t")
    # Excel's escapes: _x000D_ is a carriage return, _x005F_x000D_ the literal text _x000D_
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


_EXCEL_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")


def _row(path: Path, sheet: str, number: int, columns: dict, cells, strict: bool) -> dict | None:
    raw = {key: cells[i] for i, key in columns.items() if key and i < len(cells)}
    if all(v is None or str(v).strip() == "" for v in raw.values()):
        return None
    row = {key: restore(raw.get(key)) for key in KEYS}
    row["fingerprint"] = row["fingerprint"].strip()
    if not row["fingerprint"]:
        if strict:
            raise ConfigInvalid(f"{path}:{number}: sheet {sheet!r}: the row has no fingerprint")
        return None
    status = normalise_status(raw.get("status"))
    if status is None:
        if strict:
            raise ConfigInvalid(
                f"{path}:{number}: sheet {sheet!r}: status {restore(raw.get('status'))!r}"
                f" is not one of {', '.join(EDITOR_STATUSES)}"
            )
        note = f"[status was {restore(raw.get('status'))!r}]"
        row["comment"] = f"{note} {row['comment']}".strip()
        status = DEFAULT_STATUS
    row["status"] = status
    line = raw.get("line")
    try:
        row["line"] = int(line) if line not in (None, "") else None
    except (TypeError, ValueError):
        row["line"] = None
    row["gone_since"] = restore(raw.get("gone_since"))
    row["sheet"], row["row"] = sheet, number
    return row
