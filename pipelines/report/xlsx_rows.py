"""Data rows for a workbook xlsxwriter has made, written as sheet XML directly.

xlsxwriter spends about 25 µs on each cell (argument checks, a row table, one
regex per escape); a sheet of 10,000 findings took over 3 s. Here xlsxwriter
still makes the workbook (styles, column widths, filters, drop-downs, the header
row) and the data rows are appended to each sheet's <sheetData> afterwards, in
the same inline-string form xlsxwriter's constant_memory mode writes.
This module has no `write`, so the report package does not take it for a writer.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Iterable


# (text or number, style index); None for an empty cell
Cell = tuple[str | int | float, int] | None

_MAX_UTF16 = 32767  # what one cell holds
ZIP_LEVEL = 1  # zlib's fastest level for the sheets' XML: less CPU than its default, for a larger file
_ESCAPED = re.compile(r"[&<>\r\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def cell_text(text: str) -> str:
    """Text as a cell's <t> holds it, escaped as Excel reads it back: XML's three
    characters, a carriage return and the two non-characters as _xHHHH_, and a literal
    _xHHHH_ with its underscore escaped (so that it is read as written)."""
    if len(text) > _MAX_UTF16 // 2 and len(text.encode("utf-16-le")) // 2 > _MAX_UTF16:
        text = text.encode("utf-16-le")[: 2 * _MAX_UTF16].decode("utf-16-le", errors="ignore")
    if _ESCAPED.search(text):
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
        text = text.replace("\r", "_x000D_").replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


NUMBER = "<#>"  # where a row template has its row's number (never in a cell's text, whose "<" is escaped)
BETWEEN = "<!>"  # between the row templates of one text, for the same reason


def row_templates(rows: Iterable[list[Cell]], texts: dict[str, str] | None = None) -> list[str]:
    """<row> elements for `rows` with NUMBER where each one's row number goes (numbered puts them in).
    `texts` keeps each value's <t> element (a column's values repeat: each is escaped once); a
    writer that calls this once per run of rows passes the same dict to every call."""
    texts = {} if texts is None else texts
    templates = []
    for cells in rows:
        letters = _column_letters(len(cells))
        parts = [f'<row r="{NUMBER}">']
        for letter, cell in zip(letters, cells):
            if cell is None:
                continue
            value, style = cell
            if isinstance(value, str):
                text = texts.get(value)
                if text is None:
                    preserve = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
                    text = texts[value] = f"<t{preserve}>{cell_text(value)}</t>"
                parts.append(f'<c r="{letter}{NUMBER}" s="{style}" t="inlineStr"><is>{text}</is></c>')
            else:
                parts.append(f'<c r="{letter}{NUMBER}" s="{style}"><v>{value}</v></c>')
        parts.append("</row>")
        templates.append("".join(parts))
    return templates


_LETTERS: list[str] = []  # the columns' names (A, B, ...), made as far as a row has needed


def _column_letters(count: int) -> list[str]:
    """The names of the first `count` columns."""
    if len(_LETTERS) < count:
        from xlsxwriter.utility import xl_col_to_name  # here: the run's own process, which forks the writers, never needs xlsxwriter

        _LETTERS.extend(xl_col_to_name(index) for index in range(len(_LETTERS), count))
    return _LETTERS


def numbered(templates: Iterable[str], first_row: int) -> list[str]:
    """Row templates with their numbers, the first `first_row` (1-based), one string per row."""
    return [template.replace(NUMBER, str(number)) for number, template in enumerate(templates, start=first_row)]


def append_rows(workbook: io.BytesIO, path: Path, sheets: dict[int, tuple[list[str], int]]) -> None:
    """Write `workbook` (an xlsx xlsxwriter closed into memory) to `path` with rows added
    after each sheet's header row: `sheets` maps a sheet's position (1 = first added) to
    (row templates, row number of the first).
    Each sheet's <dimension> is widened to its last row."""
    workbook.seek(0)
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            position = _sheet_position(info.filename)
            data = source.read(info)
            if position in sheets and sheets[position][0]:
                rows, first_row = sheets[position]
                head, tail = data.decode("utf-8").split("</sheetData>", 1)  # the header row is there, so the element is not empty
                last = first_row + len(rows) - 1
                head = re.sub(r'<dimension ref="([A-Z]+)1(?::([A-Z]+)\d+)?"/>',
                              lambda m: f'<dimension ref="{m[1]}1:{m[2] or m[1]}{last}"/>', head, count=1)
                data = "".join([head, *numbered(rows, first_row), "</sheetData>", tail]).encode("utf-8", "replace")
            target.writestr(_copy_of(info), data, compresslevel=ZIP_LEVEL)


def _sheet_position(name: str) -> int | None:
    found = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
    return int(found[1]) if found else None


def _copy_of(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    copy.external_attr = info.external_attr
    return copy
