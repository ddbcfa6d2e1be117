from __future__ import annotations

from ..extract.model import Where
from .base import Rule, RuleContext


class SC001(Rule):
    """An extracted table row breaks its pandera schema.

    Why it matters:
        The drug and regimen tables are what people build spreadsheets and
        scripts on. A row with no position, an unknown role or a generic that
        is not in the reference means extraction went wrong on that page.
    Bad:
        a drug_mentions row with line 0 or role "maybe"
    Good:
        every row has page, line >= 1, column >= 1, a role from the allowed set
    How to fix:
        Look at the page at the reported line: usually the markup is unusual
        there. Report the case so extraction can be taught it.
    """

    code = "SC001"
    name = "table-row-schema"
    severity = "error"
    message = "row of {table} breaks its schema: column {column} {check}"

    scope = "rows"

    @classmethod
    def prepare(cls) -> None:
        # pandera registers its backends and checks on the first validation (about 0.25 s)
        from schemas.tables import failing_rows

        from ..tables import TABLE_COLUMNS, frame

        for table_name, columns in TABLE_COLUMNS.items():
            list(failing_rows(table_name, frame(columns, [])))

    @classmethod
    def table_columns(cls) -> dict[str, list[str]]:
        from schemas.tables import columns_of

        from ..tables import TABLE_COLUMNS

        return {name: columns_of(name) for name in TABLE_COLUMNS}

    def check(self, ctx: RuleContext):
        from schemas.tables import columns_of, failing_rows

        for table_name, frame in (("drug_mentions", ctx.drug_table), ("regimen_mentions", ctx.regimen_table)):
            if frame is None or frame.empty:
                continue
            columns = columns_of(table_name)
            # in one order whatever pandera's (it varies with the rows): by column as the schema
            # has them, then by check, then by row, the order an answer from the verdicts has
            cases = sorted(failing_rows(table_name, frame), key=lambda case: (
                columns.index(case[1]) if case[1] in columns else -1, -1 if case[3] is None else case[3], _position(case[5])))
            for row, column, check, _, _, _ in cases:
                yield self.failure(table_name, row, column, check)
            if ctx.verdicts is not None:  # what each value was found to be, for a rerun (cell_verdicts.py)
                _learn(ctx.verdicts, table_name, columns, frame, [(column, value, number, check) for _, column, check, number, value, _ in cases])

    def answer(self, ctx: RuleContext, pages: list[tuple[str, str]]):
        """From the verdicts on cell values (cell_verdicts.py), when they hold every value of these rows."""
        answered = ctx.verdicts.answer(pages) if ctx.verdicts is not None and ctx.verdicts.known else None
        return None if answered is None else [self.failure(*failure) for failure in answered]

    def failure(self, table_name: str, row: dict, column: str, check: str):
        """The finding on one failing cell of a row (its values by column)."""
        where = Where(str(row.get("page", "")), str(row.get("section", "")), (), 0, _int(row.get("line")), _int(row.get("column")), -1)
        text = str(row.get("text", row.get("name", "")))
        return self.finding(where, text, table=table_name, column=column, check=check)


NUMBER_MARGIN = 500  # whole numbers past the largest a table holds whose verdicts are learnt too
NUMBER_LIMIT = 20_000  # but none past this (a page of a million lines would make a probe of a million rows)
LENGTH_MARGIN = 200  # lengths past the longest value of a column kept by length whose verdicts are learnt too
LENGTH_LIMIT = 2_000  # but none past this


def _learn(verdicts, table_name: str, columns: list[str], frame, failed: list) -> None:
    """Note what the cells of `frame` were found to be; and validate once the values no row
    has shown: for each whole-number column the schema checks (line, column), the numbers up
    to NUMBER_MARGIN past its largest (at most NUMBER_LIMIT), so that a rerun that moves a
    mention to a line no page had still finds its verdict; for each column whose checks look
    at a value's length alone (page, text), the lengths up to LENGTH_MARGIN past its longest
    (at most LENGTH_LIMIT), so that a new page or a name written a new way finds one too."""
    from schemas.tables import cell_checks, failing_rows, length_columns, number_columns

    by_cell, unchecked = cell_checks(table_name)
    if not by_cell:
        verdicts.forget(table_name)
        return
    by_length = length_columns(table_name)
    verdicts.learn(table_name, columns, unchecked, frame, failed, by_length)
    probes = [(column, verdicts.unknown_numbers(table_name, column, min(int(frame[column].max()) + NUMBER_MARGIN, NUMBER_LIMIT)))
              for column in number_columns(table_name) if column in frame.columns]
    probes += [(column, ["x" * length for length in verdicts.unknown_numbers(
                   table_name, column, min(int(frame[column].str.len().max()) + LENGTH_MARGIN, LENGTH_LIMIT))])
               for column in by_length if column in frame.columns]
    # one table of probes, each a copy of the first row with one column's value changed: pandera's
    # set-up on each validation costs more than its rows
    parts = []
    for column, values in probes:
        if values:
            part = frame.iloc[[0] * len(values)].reset_index(drop=True)
            part[column] = values
            parts.append(part)
    if parts:
        import pandas as pd

        probe = pd.concat(parts, ignore_index=True)
        cases = [(c, value, number, check) for _, c, check, number, value, _ in failing_rows(table_name, probe)]
        verdicts.learn(table_name, columns, unchecked, probe, cases, by_length)


def _position(index) -> int:
    """A failing row's index in its table (-1 for a failure of the table as a whole)."""
    try:
        return int(index)
    except (TypeError, ValueError):
        return -1


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
