"""pandera models for the tables rxqa writes (SC001 runs them over every run)."""
from __future__ import annotations

import pandera.pandas as pa
import pandera.errors as pa_errors
from pandera.typing import Series

from . import schema_module_imported

schema_module_imported()

ROLES = ("generic", "brand", "synonym", "abbreviation", "unknown")


class _Located(pa.DataFrameModel):
    page: Series[str] = pa.Field(str_length={"min_value": 1})
    section: Series[str]
    line: Series[int] = pa.Field(ge=1)
    column: Series[int] = pa.Field(ge=1)


class DrugMentions(_Located):
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    generic: Series[str]
    role: Series[str] = pa.Field(isin=ROLES)
    brands: Series[str]
    other_names: Series[str]

    class Config:
        coerce = True


class RegimenMentions(_Located):
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    regimen: Series[str]
    components: Series[str]
    component_generics: Series[str]

    class Config:
        coerce = True


class Findings(_Located):
    fingerprint: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{20}$", unique=True)
    code: Series[str] = pa.Field(str_matches=r"^(SC|BG|RG|TH)\d{3}$")
    name: Series[str]
    severity: Series[str] = pa.Field(isin=("error", "warning", "info"))
    url: Series[str]
    text: Series[str]
    message: Series[str] = pa.Field(str_length={"min_value": 1})
    suggestion: Series[str]
    status: Series[str] = pa.Field(isin=("new", "baseline", "waived"))

    class Config:
        coerce = True


MODELS = {"drug_mentions": DrugMentions, "regimen_mentions": RegimenMentions, "findings": Findings}


def _schema(table: str) -> pa.DataFrameSchema:
    """A table's schema (MODELS holds model classes; a schema object does as well)."""
    schema = MODELS[table]
    return schema.to_schema() if hasattr(schema, "to_schema") else schema


def columns_of(table: str) -> list[str]:
    """The columns a table's schema checks."""
    return list(_schema(table).columns)


def cell_checks(table: str) -> tuple[bool, list[str]]:
    """Whether every check of a table's schema looks at one cell at a time (no check of the
    table as a whole, no uniqueness), and the columns that check nothing but a text type
    (any text passes them)."""
    schema = _schema(table)
    if schema.checks or schema.unique or any(column.unique for column in schema.columns.values()):
        return False, []
    return True, [name for name, column in schema.columns.items() if not column.checks and str(column.dtype).startswith("str")]


def length_columns(table: str) -> list[str]:
    """The text columns whose checks all look at a value's length alone (str_length): a
    value passes or fails them as every other value of its length does."""
    return [name for name, column in _schema(table).columns.items()
            if column.checks and str(column.dtype).startswith("str") and all(check.name == "str_length" for check in column.checks)]


def number_columns(table: str) -> list[str]:
    """The whole-number columns a table's schema checks (line, column)."""
    return [name for name, column in _schema(table).columns.items() if column.checks and str(column.dtype).startswith("int")]


def failing_rows(table: str, frame):
    """(row as a dict, column, check, the check's number in its column or None, the failing
    value, the row's index) for every failing cell, lazily collected (in no set order)."""
    try:
        MODELS[table].validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        for _, case in exc.failure_cases.iterrows():
            index = case.get("index")
            row = frame.loc[index].to_dict() if index in frame.index else {}
            number = case.get("check_number")
            number = None if number is None or number != number else int(number)  # NaN for a type or a missing value
            yield row, case.get("column"), case.get("check"), number, case.get("failure_case"), index
