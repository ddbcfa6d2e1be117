"""Great Expectations suites for the drug_mentions, regimen_mentions and findings tables.

Who owns which fact:

* The pandera models in schemas/tables.py are the single source of every
  column fact (which columns exist, not-null, allowed values, lower bounds,
  patterns, minimum lengths, uniqueness). SC001 enforces them on every run.
  The expectations marked ``"source": "pandera"`` below are *derived* from
  those models by walking their schemas, so no column fact is written twice:
  change a pandera Field and the GX suite follows.
* A few expectations say what only GX says well: table-level facts (the row
  count, shown in Data Docs as an observed value), multi-column uniqueness and
  distribution checks with GX's ``mostly``. They are marked
  ``"source": "gx"`` and are documentation for reviewers, never a finding and
  never a change to the exit code (pandera and the QA rules own those).

`suites()` is plain data (no GX import), so reading the suites is cheap;
`run_suites()` imports great_expectations only when called.
"""
from __future__ import annotations

import re
from typing import Any

from .tables import MODELS

Expectation = dict[str, Any]  # {"type": ..., "kwargs": {...}, "meta": {...}}

# --- derived from pandera -----------------------------------------------------------------


def _anchored(pattern: str) -> str:
    """pandera's str_matches uses re.match (anchored at the start); GX searches anywhere."""
    return pattern if pattern.startswith("^") else f"^(?:{pattern})"


def _from_check(column: str, check) -> Expectation | None:
    """The GX expectation equivalent to one pandera check, or None when there is none."""
    name, stats = check.name, dict(check.statistics or {})
    if name == "isin":
        return {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": column, "value_set": list(stats["allowed_values"])}}
    if name == "notin":
        return {"type": "expect_column_values_to_not_be_in_set", "kwargs": {"column": column, "value_set": list(stats["forbidden_values"])}}
    if name in ("greater_than_or_equal_to", "greater_than"):
        return {"type": "expect_column_values_to_be_between",
                "kwargs": {"column": column, "min_value": stats["min_value"], "strict_min": name == "greater_than"}}
    if name in ("less_than_or_equal_to", "less_than"):
        return {"type": "expect_column_values_to_be_between",
                "kwargs": {"column": column, "max_value": stats["max_value"], "strict_max": name == "less_than"}}
    if name == "in_range":
        return {"type": "expect_column_values_to_be_between",
                "kwargs": {"column": column, "min_value": stats["min_value"], "max_value": stats["max_value"],
                           "strict_min": not stats.get("include_min", True), "strict_max": not stats.get("include_max", True)}}
    if name == "equal_to":
        return {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": column, "value_set": [stats["value"]]}}
    if name == "str_matches":
        return {"type": "expect_column_values_to_match_regex", "kwargs": {"column": column, "regex": _anchored(stats["pattern"])}}
    if name == "str_startswith":
        return {"type": "expect_column_values_to_match_regex", "kwargs": {"column": column, "regex": "^" + re.escape(stats["string"])}}
    if name == "str_endswith":
        return {"type": "expect_column_values_to_match_regex", "kwargs": {"column": column, "regex": re.escape(stats["string"]) + "$"}}
    if name == "str_length":
        if stats.get("exact_value") is not None:
            return {"type": "expect_column_value_lengths_to_equal", "kwargs": {"column": column, "value": stats["exact_value"]}}
        kwargs = {"column": column}
        if stats.get("min_value") is not None:
            kwargs["min_value"] = stats["min_value"]
        if stats.get("max_value") is not None:
            kwargs["max_value"] = stats["max_value"]
        return {"type": "expect_column_value_lengths_to_be_between", "kwargs": kwargs}
    return None


def _derive(model) -> tuple[list[Expectation], list[str]]:
    """Expectations for every column fact of a pandera model, and the checks with no GX twin."""
    schema = model.to_schema()
    out: list[Expectation] = []
    unmapped: list[str] = []

    def add(exp: Expectation, fact: str) -> None:
        exp["meta"] = {"source": "pandera", "fact": f"{model.__name__}.{fact}"}
        out.append(exp)

    for column, col in schema.columns.items():
        add({"type": "expect_column_to_exist", "kwargs": {"column": column}}, f"{column} (column)")
        if not col.nullable:
            add({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": column}}, f"{column} nullable=False")
        if col.unique:
            add({"type": "expect_column_values_to_be_unique", "kwargs": {"column": column}}, f"{column} unique=True")
        for check in col.checks:
            exp = _from_check(column, check)
            if exp is None:
                unmapped.append(f"{model.__name__}.{column}: {check.name}")
            else:
                add(exp, f"{column} {check.name}{_stats_text(check)}")
    table_unique = schema.unique
    if table_unique:
        cols = [table_unique] if isinstance(table_unique, str) else list(table_unique)
        add({"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": cols}}, f"Config.unique={cols}")
    for check in schema.checks:  # dataframe-wide checks have no generic GX twin
        unmapped.append(f"{model.__name__}: {check.name}")
    return out, unmapped


def _stats_text(check) -> str:
    stats = {k: v for k, v in (check.statistics or {}).items() if v is not None}
    return f" {stats}" if stats else ""


# --- what only GX says well (not stated in pandera; documentation, never a finding) -------

def _gx(exp_type: str, why: str, **kwargs) -> Expectation:
    return {"type": exp_type, "kwargs": kwargs, "meta": {"source": "gx", "notes": why}}


def _gx_only(table: str) -> list[Expectation]:
    extra = [_gx("expect_table_row_count_to_be_between", "GX-only: records the row count of this run in Data Docs (an empty table is valid).",
                 min_value=0, max_value=None)]
    if table in ("drug_mentions", "regimen_mentions"):
        extra.append(_gx("expect_compound_columns_to_be_unique",
                         "GX-only: one row per mention, so no two mentions start at the same page, line and column.",
                         column_list=["page", "line", "column"]))
    if table == "drug_mentions":
        extra.append(_gx("expect_column_values_to_not_match_regex",
                         "GX-only: the name as written is stored without surrounding white space.",
                         column="text", regex=r"^\s|\s$"))
        extra.append(_gx("expect_column_values_to_not_be_in_set",
                         "GX-only distribution check: at least half of the mentions link to the reference; "
                         "a flood of unknown names means a broken reference or extractor, not bad pages.",
                         column="role", value_set=["unknown"], mostly=0.5))
    if table == "regimen_mentions":
        extra.append(_gx("expect_column_values_to_not_match_regex",
                         "GX-only: the regimen name as written is stored without surrounding white space.",
                         column="name", regex=r"^\s|\s$"))
    return extra


# --- public API ---------------------------------------------------------------------------

def suites() -> dict[str, list[Expectation]]:
    """Suite name (the table name) -> expectation configs (type, kwargs, meta)."""
    return {table: _derive(model)[0] + _gx_only(table) for table, model in MODELS.items()}


def unmapped() -> list[str]:
    """pandera checks that have no GX expectation (should stay empty: a test checks it)."""
    return [item for model in MODELS.values() for item in _derive(model)[1]]


def gx_suite(name: str, configs: list[Expectation]):
    """A great_expectations ExpectationSuite built from expectation configs."""
    import great_expectations as gx
    from great_expectations.expectations.registry import get_expectation_impl

    suite = gx.ExpectationSuite(name=name, meta={"notes": {"format": "markdown", "content": [
        f"Suite for `{name}`: expectations with `source: pandera` are derived from `schemas/tables.py`; "
        "`source: gx` ones are GX-only documentation checks."]}})
    for cfg in configs:
        impl = get_expectation_impl(cfg["type"])
        suite.add_expectation(impl(**cfg["kwargs"], meta=cfg.get("meta")))
    return suite


def new_context(data_docs_dir=None):
    """An ephemeral (in-memory) GX context, analytics and progress bars off; with a
    local Data Docs site named "rxqa" when `data_docs_dir` is given."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig,
    )

    sites = {}
    if data_docs_dir is not None:
        sites["rxqa"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def run_suites(tables: dict, context=None, result_format: str = "SUMMARY") -> dict:
    """Validate each table (name -> DataFrame) with its suite; return name -> GX validation result.

    Tables without a suite are ignored. Results are stored in `context` (a fresh
    ephemeral one when None) so Data Docs can be built from them afterwards."""
    import warnings

    import great_expectations as gx

    context = context or new_context()
    source = context.data_sources.add_pandas("rxqa")
    results = {}
    for name, configs in suites().items():
        if name not in tables:
            continue
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("run")
        suite = context.suites.add(gx_suite(name, configs))
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        with warnings.catch_warnings():
            # GX runs str.contains on our anchored patterns; pandas warns about their groups
            warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular expression")
            results[name] = definition.run(batch_parameters={"dataframe": tables[name]}, result_format={"result_format": result_format})
    return results
