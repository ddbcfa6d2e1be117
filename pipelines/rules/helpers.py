"""Small look-ups several rules share."""
from __future__ import annotations

from typing import Iterator

from ..extract.model import DrugMention, PageExtraction, RegimenMention, Where
from ..reference.model import Reference


def mentions(ctx) -> Iterator[tuple[PageExtraction, DrugMention]]:
    for page in ctx.pages:
        for m in page.drugs:
            yield page, m


def regimens(ctx) -> Iterator[tuple[PageExtraction, RegimenMention]]:
    for page in ctx.pages:
        for r in page.regimens:
            yield page, r


def spot(where: Where) -> list:
    """What a finding needs of a Where, as plain values (for site rules' records)."""
    return [where.section, where.line, where.column, where.block, where.index]


def where_of(page: str, spot: list) -> Where:
    section, line, column, block, index = spot
    return Where(page, section, (), 0, line, column, block, index)


def waiver_where(ctx, waiver) -> Where:
    """A finding about a waiver points at its line in the waiver file."""
    return Where(ctx.waiver_file, "", (), 0, waiver.line, 1, -1)


def brands_of(reference: Reference, drug: str, market: str = "") -> list[str]:
    """Brands of a drug, those marketed in the market first, discontinued ones left out."""
    rows = [b for b in reference.brands_by_drug.get(drug, ()) if b.status != "discontinued" and not b.formulation]
    if market:
        rows = [b for b in rows if b.market == market] or rows
    rows.sort(key=lambda b: (b.status != "marketed", b.brand))
    return list(dict.fromkeys(b.brand for b in rows))
