"""What SC001 found each cell value of the tables to be, so that a rerun can answer for the
rows of the pages it reads again without pandas and pandera when every value in them has
been validated before (their import and set-up take longer than a few pages' rows). A
column whose schema checks nothing but a text type passes any text: its values are not kept.

Every check of the two tables' schemas looks at one cell at a time (a length, a bound, a
set of allowed values), so a row's failures are its cells' failures (a schema with any other
check is never answered for). SC001 gives its failures by column as the schema has them, then
by check, then by row, and an answer put together from the verdicts is in that order and
equals what pandera finds (tested on random rows). A value whose failure carries no check
number (a type or a missing value) is never answered for. The verdicts are kept in the page
cache under rxqa's code digest, which covers the schemas."""
from __future__ import annotations

import csv
import io

from .tables import TABLE_COLUMNS

_UNKNOWN = object()
# table → {"columns": the schema's columns in its order, "unchecked": those any text passes,
#          "cells": column → value as text → failed checks}
# where failed checks are [[check number, check], ...] ([] when the value passes) or None (never answered for)
Known = dict[str, dict]


class CellVerdicts:
    def __init__(self, known: Known | None = None):
        self.known: Known = known or {}
        self.changed = False

    def learn(self, table: str, columns: list[str], unchecked: list[str], frame, failed: list[tuple[str, object, int | None, str]]) -> None:
        """Note what pandera found the values of `frame` (a table with the schema's columns
        `columns`, of which `unchecked` check nothing but a text type) to be: `failed` holds
        each failing cell's (column, value, check number, check)."""
        entry = self.known.get(table)
        if entry is None or entry["columns"] != columns or entry["unchecked"] != unchecked:
            entry = self.known[table] = {"columns": columns, "unchecked": unchecked, "cells": {}}
            self.changed = True
        failures: dict[tuple[str, str], list | None] = {}
        for column, value, number, check in failed:
            key = (column, _text(value))
            verdict = failures.setdefault(key, [])
            if number is None or verdict is None:
                failures[key] = None
            elif [number, check] not in verdict:
                verdict.append([number, check])
        for column in columns:
            if column not in frame.columns or column in unchecked:
                continue
            cells = entry["cells"].setdefault(column, {})
            for value in frame[column].unique().tolist():
                text = _text(value)
                if text not in cells:
                    cells[text] = failures.get((column, text), [])
                    self.changed = True

    def take(self, known: Known) -> None:
        """Hold `known` instead (what another process learnt, from what this one held)."""
        self.known, self.changed = known, True

    def unknown_numbers(self, table: str, column: str, top: int) -> list[int]:
        """The whole numbers from 0 to `top` that `column` of `table` has no verdict for."""
        cells = self.known.get(table, {}).get("cells", {}).get(column, {})
        return [number for number in range(top + 1) if str(number) not in cells]

    def forget(self, table: str) -> None:
        """A table whose schema checks more than one cell at a time: never answered for."""
        if self.known.pop(table, None) is not None:
            self.changed = True

    def answer(self, pages: list[tuple[str, str]]) -> list[tuple[str, dict, str, str]] | None:
        """(table, row by column, column, check) for each failing cell of the rows of `pages`
        (each page's drug and regimen CSV lines), in SC001's order; None unless every
        value in them has a verdict."""
        found: list[tuple[str, dict, str, str]] = []
        for position, table in enumerate(TABLE_COLUMNS):
            if not any(page[position] for page in pages):
                continue
            entry = self.known.get(table)
            header = TABLE_COLUMNS[table]
            if entry is None or not set(entry["columns"]) <= set(header):
                return None
            checked = [(order, column, header.index(column), entry["cells"].get(column, {}))
                       for order, column in enumerate(entry["columns"]) if column not in entry["unchecked"]]
            failures = []
            # the pages' lines read as they are needed: rows of pages never validated stop it at their first row
            lines = (line for page in pages for line in io.StringIO(page[position]))
            for index, row in enumerate(csv.reader(lines)):
                if len(row) != len(header):
                    return None
                for order, column, at, cells in checked:
                    verdict = cells.get(row[at], _UNKNOWN)
                    if verdict is _UNKNOWN or verdict is None:
                        return None
                    failures.extend((order, number, index, column, check, row) for number, check in verdict)
            failures.sort(key=lambda failure: failure[:3])
            found.extend((table, dict(zip(header, row)), column, check) for _, _, _, column, check, row in failures)
        return found


def _text(value) -> str:
    """A cell's value as its CSV line writes it."""
    return value if isinstance(value, str) else str(value)
