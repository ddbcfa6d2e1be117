"""The QA rules: one module per code, registered by defining the class."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from ..findings import Finding
from .base import REGISTRY, Rule, RuleContext, parse_docstring

for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if _module.name[:2] in ("SC", "BG", "RG", "TH"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "Rule", "RuleContext", "parse_docstring", "selected_codes", "run_rules", "run_row_rules", "row_columns"]


def selected_codes(select: list[str] | None = None, ignore: list[str] | None = None) -> list[str]:
    """Codes to run: --select and --ignore take codes or prefixes (BG, RG0), like ruff."""
    codes = sorted(REGISTRY)
    if select:
        codes = [c for c in codes if any(c.startswith(s.upper()) for s in select)]
    if ignore:
        codes = [c for c in codes if not any(c.startswith(s.upper()) for s in ignore)]
    return codes


def run_rules(ctx: RuleContext, codes: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for code in codes:
        findings.extend(REGISTRY[code]().check(ctx))
    return findings


def run_row_rules(ctx: RuleContext, codes: list[str], pages: list[tuple[str, str]], columns: dict[str, list[str]] | None = None) -> list[Finding]:
    """The rules `codes` (scope "rows") over the rows of `pages`, each page's (drug CSV lines,
    regimen CSV lines); with `columns`, only those of each table are parsed."""
    from ..tables import tables_of

    ctx.drug_table, ctx.regimen_table = tables_of(pages, columns)
    try:
        return run_rules(ctx, codes)
    finally:
        ctx.drug_table = ctx.regimen_table = None


def row_columns(codes: list[str]) -> dict[str, list[str]] | None:
    """The columns of each table that the rules `codes` of scope "rows" read, or None when
    one of them reads all (SC001's come from its pandera models, which this imports)."""
    from ..tables import TABLE_COLUMNS

    wanted = [REGISTRY[code].table_columns() for code in codes]
    if None in wanted:
        return None
    return {table: list(dict.fromkeys(c for w in wanted for c in w.get(table, []))) for table in TABLE_COLUMNS}
