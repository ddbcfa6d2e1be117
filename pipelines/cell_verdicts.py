"""What SC001 found each cell value of the tables to be, so that a run can answer for the
rows of the pages it reads without pandas and pandera when every value in them has been
validated before (their import and set-up take longer than thousands of pages' answers):
by an earlier run, or ahead of time for the values rxqa writes (bundled_verdicts.py). A
column whose schema checks nothing but a text type passes any text: its values are not kept.

Every check of the two tables' schemas looks at one cell at a time (a length, a bound, a
set of allowed values), so a row's failures are its cells' failures (a schema with any other
check is never answered for). A column whose checks look at a value's length alone
(str_length: a page name, a mention's text) keeps its verdicts by length, so that a new
page or a name written a new way is answered for too. SC001 gives its failures by column as the schema has them, then
by check, then by row, and an answer put together from the verdicts is in that order and
equals what pandera finds (tested on random rows). A value whose failure carries no check
number (a type or a missing value) is never answered for. The verdicts are kept in the page
cache under rxqa's code digest, which covers the schemas; runs of whole numbers (positions,
lengths) with one verdict may be kept as such (the bundled ones are)."""
from __future__ import annotations

from operator import itemgetter
from typing import Callable

from .tables import TABLE_COLUMNS, leading_cells, whole

# table → {"columns": the schema's columns in its order, "unchecked": those any text passes,
#          "by_length": those whose verdicts are kept by the value's length,
#          "cells": column → value as text (its length, for a column by length) → failed checks,
#          "runs": column → [[first, last, failed checks], ...]: the verdict of every whole number
#                  from first to last (positions, lengths) not among the cells (bundled_verdicts.py)}
# where failed checks are [[check number, check], ...] ([] when the value passes) or None (never answered for)
Known = dict[str, dict]


class CellVerdicts:
    def __init__(self, known: Known | None = None, load: Callable[[], Known | None] | None = None):
        """`known`, or what `load` gives at their first use (a run that reads no page asks for none)."""
        self._known, self._load = known, load
        self.changed = False

    @property
    def known(self) -> Known:
        if self._known is None:
            self._known = (self._load() if self._load is not None else None) or {}
        return self._known

    def learn(self, table: str, columns: list[str], unchecked: list[str], frame, failed: list[tuple[str, object, int | None, str]],
              by_length: list[str] = ()) -> None:
        """Note what pandera found the values of `frame` (a table with the schema's columns
        `columns`, of which `unchecked` check nothing but a text type and `by_length` only a
        value's length) to be: `failed` holds each failing cell's (column, value, check number, check)."""
        by_length = list(by_length)
        entry = self.known.get(table)
        if entry is None or entry["columns"] != columns or entry["unchecked"] != unchecked or entry.get("by_length", []) != by_length:
            entry = self.known[table] = {"columns": columns, "unchecked": unchecked, "by_length": by_length, "cells": {}}
            self.changed = True
        failures: dict[tuple[str, str], list | None] = {}
        for column, value, number, check in failed:
            key = (column, _key(_text(value), column in by_length))
            verdict = failures.setdefault(key, [])
            if number is None or verdict is None:
                failures[key] = None
            elif [number, check] not in verdict:
                verdict.append([number, check])
        for column in columns:
            if column not in frame.columns or column in unchecked:
                continue
            cells = entry["cells"].setdefault(column, {})
            runs = entry.get("runs", {}).get(column)
            lengths = column in by_length
            for value in frame[column].unique().tolist():
                key = _key(_text(value), lengths)
                if _verdict(cells, runs, key) is _UNKNOWN:
                    cells[key] = failures.get((column, key), [])
                    self.changed = True

    def take(self, known: Known) -> None:
        """Hold `known` instead (what another process learnt, from what this one held)."""
        self._known, self.changed = known, True

    def unknown_numbers(self, table: str, column: str, top: int) -> list[int]:
        """The whole numbers from 0 to `top` that `column` of `table` has no verdict for (its
        values, or for a column kept by length, its lengths)."""
        entry = self.known.get(table, {})
        cells, runs = entry.get("cells", {}).get(column, {}), entry.get("runs", {}).get(column)
        return [number for number in range(top + 1) if _verdict(cells, runs, str(number)) is _UNKNOWN]

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
            by_length, runs = entry.get("by_length", []), entry.get("runs", {})
            checked = [(order, column, header.index(column), entry["cells"].get(column, {}), runs.get(column), column in by_length)
                       for order, column in enumerate(entry["columns"]) if column not in entry["unchecked"]]
            # each page's lines end with a line break; a row is split only as far as its last checked column
            rows = leading_cells("".join(page[position] for page in pages), len(header), max((at for _, _, at, *_ in checked), default=0))
            if rows is None:
                return None
            values_of = [list(map(itemgetter(at), rows)) for _, _, at, *_ in checked]  # the checked columns alone
            failures = []
            for (order, column, at, cells, column_runs, lengths), values in zip(checked, values_of):
                # a column at a time: its distinct values (or lengths) looked up once, the rows walked only for failing ones
                keys = {str(length) for length in set(map(len, values))} if lengths else set(values)
                verdicts = [_verdict(cells, column_runs, key) for key in keys]
                if None in verdicts or _UNKNOWN in verdicts:  # a value never seen (or never answered for)
                    return None
                failing = {key: verdict for key, verdict in zip(keys, verdicts) if verdict}
                if failing:
                    for index, value in enumerate(values):
                        for number, check in failing.get(str(len(value)) if lengths else value, ()):
                            failures.append((order, number, index, column, check, rows[index]))
            failures.sort(key=lambda failure: failure[:3])
            found.extend((table, dict(zip(header, whole(row, len(header)))), column, check) for _, _, _, column, check, row in failures)
        return found


_UNKNOWN = object()  # no verdict: a value never validated


def _verdict(cells: dict, runs: list | None, key: str):
    """The verdict kept for a cell's key: its own, or that of the run of whole numbers it is in
    (for a key as str() writes a number); _UNKNOWN when there is neither."""
    verdict = cells.get(key, _UNKNOWN)
    if verdict is _UNKNOWN and runs and is_whole_number(key):
        number = int(key)
        for first, last, in_run in runs:
            if first <= number <= last:
                return in_run
    return verdict


def is_whole_number(key: str) -> bool:
    """Whether a key is a whole number as str() writes it (the keys a run stands for)."""
    return key.isdigit() and key.isascii() and str(int(key)) == key


def _key(text: str, by_length: bool) -> str:
    """Where a cell's verdict is kept: under its text, or for a column kept by length, its length."""
    return str(len(text)) if by_length else text


def _text(value) -> str:
    """A cell's value as its CSV line writes it."""
    return value if isinstance(value, str) else str(value)
