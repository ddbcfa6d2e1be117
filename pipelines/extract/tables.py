"""Drug and regimen tables: a row pairs a generic cell with a brand cell, or a
regimen cell with a cell of components."""
from __future__ import annotations

import re
from dataclasses import dataclass

_BRAND = re.compile(r"brand|trade|product|sold as|marketed as", re.I)
_NAME_OF = re.compile(r"\b(brand|trade|product)[\s-]+names?\b", re.I)  # "trade name" names no generic
_REGIMEN = re.compile(r"regimen|combination|protocol|^chemotherapy$", re.I)
_COMPONENTS = re.compile(r"drugs|components|includes?|made up|contains?|what it is|medicines|agents", re.I)
_GENERIC = re.compile(r"generic|drug|medicine|medication|name|agent|treatment", re.I)
_NOT_A_NAME = re.compile(r"type|class|kind|how|side effect|when|who|why|what|use|given|dose|schedule|target", re.I)


@dataclass(frozen=True)
class TableLayout:
    generic: int | None = None
    brand: int | None = None
    regimen: int | None = None
    components: int | None = None


def layout(headers: dict[int, str]) -> TableLayout:
    """Which column holds what, from the header labels."""

    def find(pattern: re.Pattern, exclude: set) -> int | None:
        return next((c for c, h in sorted(headers.items()) if c not in exclude and pattern.search(h)), None)

    # "Drug (brand)" is one column holding both: its cells are read like running text
    combined = {c for c, h in headers.items() if _BRAND.search(h) and _GENERIC.search(_NAME_OF.sub(r"\1", h))}
    for c, h in headers.items():
        if _NOT_A_NAME.search(h) and not _BRAND.search(h) and not _REGIMEN.search(h) and not _COMPONENTS.search(h):
            combined.add(c)
    brand = find(_BRAND, combined)
    regimen = find(_REGIMEN, {brand})
    components = find(_COMPONENTS, {brand, regimen}) if regimen is not None else None
    generic = find(_GENERIC, {brand, regimen, components} | combined)
    if regimen is not None and components is None:
        components, generic = generic, None
    if regimen is None or components is None:
        regimen = components = None
    if generic is None or brand is None:
        generic = brand = None
    return TableLayout(generic, brand, regimen, components)
