"""The drug and regimen tables (one row per mention) as pandas DataFrames."""
from __future__ import annotations

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


def drug_table(pages: list[PageExtraction]) -> pd.DataFrame:
    rows = []
    for page in pages:
        for m in page.drugs:
            rows.append({
                "page": m.where.page, "section": m.where.section, "line": m.where.line, "column": m.where.column,
                "text": m.text, "generic": m.generic, "role": m.role,
                "brands": JOIN.join(i.text for i in m.brands),
                "other_names": JOIN.join(i.text for i in m.other_names),
                "drug_class": m.drug_class,
                "brand_generics": JOIN.join(i.drug for i in m.brands),
                "item_roles": JOIN.join(f"{i.text}={i.role}" for i in m.items),
                "in_regimen": m.in_regimen,
                "heading_path": " > ".join(m.where.heading_path), "url": page.url,
            })
    return pd.DataFrame(rows, columns=DRUG_COLUMNS)


def regimen_table(pages: list[PageExtraction]) -> pd.DataFrame:
    rows = []
    for page in pages:
        for r in page.regimens:
            rows.append({
                "page": r.where.page, "section": r.where.section, "line": r.where.line, "column": r.where.column,
                "name": r.name, "regimen": r.regimen,
                "components": JOIN.join(c.text for c in r.components),
                "component_generics": JOIN.join(c.drug for c in r.components),
                "listed": r.listed, "candidates": JOIN.join(r.candidates),
                "addons": JOIN.join(c.text for c in r.addons),
                "heading_path": " > ".join(r.where.heading_path), "url": page.url,
            })
    return pd.DataFrame(rows, columns=REGIMEN_COLUMNS)
