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
        from schemas.tables import failing_rows

        for table_name, frame in (("drug_mentions", ctx.drug_table), ("regimen_mentions", ctx.regimen_table)):
            if frame is None or frame.empty:
                continue
            for row, column, check in failing_rows(table_name, frame):
                where = Where(str(row.get("page", "")), str(row.get("section", "")), (), 0, _int(row.get("line")), _int(row.get("column")), -1)
                text = str(row.get("text", row.get("name", "")))
                yield self.finding(where, text, table=table_name, column=column, check=check)


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
