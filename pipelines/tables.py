"""The drug and regimen tables (one row per mention) as pandas DataFrames.

A page's rows are made where the page is read (`drug_rows`, `regimen_rows`,
without the page and url columns, which the run adds once per page), and so are
their lines of the CSV files (`csv_lines`), which a rerun takes from the cache
instead of writing a 200,000-row table out again."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pandas as pd

from .extract.model import PageExtraction

JOIN = " | "
DRUG_COLUMNS = [
    "page", "section", "line", "column", "text", "generic", "role", "brands", "other_names",
    "drug_class", "brand_generics", "item_roles", "in_regimen", "heading_path", "url",
]
REGIMEN_COLUMNS = [
    "page", "section", "line", "column", "name", "regimen", "components", "component_generics",
    "listed", "candidates", "addons", "heading_path", "url",
]


def drug_rows(page: PageExtraction) -> list[list]:
    rows = []
    for m in page.drugs:
        brands, others = m.brands, m.other_names
        rows.append([
            m.where.section, m.where.line, m.where.column, m.text, m.generic, m.role,
            JOIN.join(i.text for i in brands), JOIN.join(i.text for i in others), m.drug_class,
            JOIN.join(i.drug for i in brands), JOIN.join(f"{i.text}={i.role}" for i in m.items),
            m.in_regimen, " > ".join(m.where.heading_path),
        ])
    return rows


def regimen_rows(page: PageExtraction) -> list[list]:
    return [
        [
            r.where.section, r.where.line, r.where.column, r.name, r.regimen,
            JOIN.join(c.text for c in r.components), JOIN.join(c.drug for c in r.components),
            r.listed, JOIN.join(r.candidates), JOIN.join(c.text for c in r.addons), " > ".join(r.where.heading_path),
        ]
        for r in page.regimens
    ]


def frame(columns: list[str], pages: Iterable[tuple[str, str, list[list]]]) -> pd.DataFrame:
    """One table from each page's (page, url, rows)."""
    names, urls, rows = [], [], []
    for page, url, page_rows in pages:
        names += [page] * len(page_rows)
        urls += [url] * len(page_rows)
        rows += page_rows
    if not rows:
        return pd.DataFrame([], columns=columns)
    table = pd.DataFrame(rows, columns=columns[1:-1])
    table.insert(0, columns[0], names)
    table[columns[-1]] = urls
    return table


def csv_lines(rows: Iterable[list]) -> str:
    """Rows as lines of CSV text, formatted as DataFrame.to_csv(index=False) formats them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def page_csv_lines(page: str, url: str, rows: list[list]) -> str:
    """A page's rows as lines of its table's CSV file: page first, url last."""
    return csv_lines([page, *row, url] for row in rows) if rows else ""
