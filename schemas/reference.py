"""pandera models for the reference tables in data/reference/ (SC002).

These check each table on its own (types, allowed values, unique keys, list
syntax); the checks that need two tables at once (a regimen component must be
a drug, a brand must not be a generic) live in pipelines/reference/checks.py.
"""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from . import schema_module_imported

schema_module_imported()

DRUG_CLASSES = ("chemotherapy", "targeted", "immunotherapy", "hormone", "supportive", "other")
MARKETS = ("CA", "US", "UK")
BRAND_STATUSES = ("marketed", "discontinued", "unknown")
FORMULATIONS = (
    "", "topical", "subcutaneous", "oral", "oral solution", "oral suspension", "long-acting", "extended-release",
    "liposomal", "intravesical", "implant", "intrathecal", "inhaled", "transdermal", "transmucosal", "buccal",
    "sublingual", "pyelocalyceal gel",
)

_DATE = r"^\d{4}-\d{2}-\d{2}$"
_LIST = r"^$|^[^|]+(\|[^|]+)*$"  # empty, or |-joined non-empty items
_NO_EDGE_SPACE = r"^(\S(.*\S)?)?$"


class _Sourced(pa.DataFrameModel):
    source: Series[str] = pa.Field(str_length={"min_value": 2})
    checked: Series[str] = pa.Field(str_matches=_DATE)


class DrugTable(_Sourced):
    name: Series[str] = pa.Field(unique=True, str_matches=r"^\S(.*\S)?$")
    synonyms: Series[str] = pa.Field(str_matches=_LIST)
    abbreviations: Series[str] = pa.Field(str_matches=_LIST)
    drug_class: Series[str] = pa.Field(isin=DRUG_CLASSES, alias="class")
    parent: Series[str] = pa.Field(str_matches=_NO_EDGE_SPACE)
    base: Series[str] = pa.Field(str_matches=_NO_EDGE_SPACE)
    atc: Series[str] = pa.Field(str_matches=r"^$|^[A-Z]\d{2}[A-Z]{0,2}\d{0,2}$")

    class Config:
        strict = "filter"
        coerce = True


class BrandTable(_Sourced):
    brand: Series[str] = pa.Field(str_matches=r"^\S(.*\S)?$")
    drug: Series[str] = pa.Field(str_length={"min_value": 1})
    market: Series[str] = pa.Field(isin=MARKETS)
    status: Series[str] = pa.Field(isin=BRAND_STATUSES)
    formulation: Series[str] = pa.Field(isin=FORMULATIONS)

    class Config:
        strict = "filter"
        coerce = True
        unique = ["brand", "market"]


class RegimenTable(_Sourced):
    name: Series[str] = pa.Field(unique=True, str_matches=r"^\S(.*\S)?$")
    aliases: Series[str] = pa.Field(str_matches=_LIST)
    components: Series[str] = pa.Field(str_matches=r"^[^|]+(\|[^|]+)*$")
    addons: Series[str] = pa.Field(str_matches=_LIST)
    variant_of: Series[str] = pa.Field(str_matches=_NO_EDGE_SPACE)
    context: Series[str] = pa.Field(str_matches=_LIST)

    class Config:
        strict = "filter"
        coerce = True


class TermTable(pa.DataFrameModel):
    """Words that look like names but are not drugs (routes, biomarkers, units)."""

    term: Series[str] = pa.Field(unique=True, str_matches=r"^\S(.*\S)?$")
    kind: Series[str] = pa.Field(isin=("route", "biomarker", "descriptor", "word", "regimen-word"))

    class Config:
        strict = "filter"
        coerce = True


class HeadingTable(pa.DataFrameModel):
    """Therapy headings and the drug classes that belong under them (TH001)."""

    pattern: Series[str] = pa.Field(str_length={"min_value": 3})
    classes: Series[str] = pa.Field(str_matches=r"^(chemotherapy|targeted|immunotherapy|hormone|supportive|other|any)(\|(chemotherapy|targeted|immunotherapy|hormone|supportive|other))*$")

    class Config:
        strict = "filter"
        coerce = True


TABLES = {
    "drugs.csv": DrugTable,
    "brands.csv": BrandTable,
    "regimens.csv": RegimenTable,
    "terms.csv": TermTable,
    "therapy_headings.csv": HeadingTable,
}
