"""The reference as plain data: drugs, brands, regimens and every name they answer to."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..textutil import name_keys, normalise, remember

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is made (tables.frame), not at start-up


@dataclass(frozen=True)
class Drug:
    name: str
    synonyms: tuple[str, ...]
    abbreviations: tuple[str, ...]
    drug_class: str
    parent: str = ""
    base: str = ""
    atc: str = ""


@dataclass(frozen=True)
class Brand:
    brand: str
    drug: str
    market: str
    status: str
    formulation: str = ""


@dataclass(frozen=True)
class Regimen:
    name: str
    aliases: tuple[str, ...]
    slots: tuple[tuple[str, ...], ...]  # each slot: the drugs that can fill it
    addons: tuple[str, ...] = ()
    variant_of: str = ""
    context: tuple[str, ...] = ()

    @property
    def component_names(self) -> list[str]:
        return [d for slot in self.slots for d in slot]

    @property
    def allowed_names(self) -> list[str]:
        """The drugs a page may list with it: its components and its add-ons."""
        return self.component_names + list(self.addons)

    def describe(self) -> str:
        return ", ".join(" or ".join(slot) for slot in self.slots)


@dataclass(frozen=True)
class NameEntry:
    """One name in the reference: what it is (kind) and what it names (key)."""

    kind: str  # generic, synonym, abbreviation, brand, regimen
    key: str  # the drug name, or the regimen name
    written: str  # the spelling in the reference


@dataclass
class Reference:
    drugs: dict[str, Drug]
    brands: list[Brand]
    regimens: dict[str, Regimen]
    terms: set[str]
    headings: list[tuple[re.Pattern, frozenset[str]]]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # the tables as read; not kept with a pickled linker
    digest: str = ""
    names: dict[str, list[NameEntry]] = field(default_factory=dict)
    brands_by_key: dict[str, list[Brand]] = field(default_factory=dict)
    brands_by_drug: dict[str, list[Brand]] = field(default_factory=dict)
    _section_memo: dict[str, frozenset[str] | None] = field(default_factory=dict, init=False, repr=False, compare=False)
    _related_memo: dict[tuple[str, str], bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def section_classes(self, text: str) -> frozenset[str] | None:
        """Drug classes a therapy heading or sentence speaks of (None when it names no therapy);
        once per distinct text (pages share their headings)."""
        if text in self._section_memo:
            return self._section_memo[text]
        found: set[str] = set()
        for pattern, classes in self.headings:
            if pattern.search(text):
                found |= classes
        answer = frozenset(found) if found else None
        remember(self._section_memo, text, answer)
        return answer

    def __getstate__(self) -> dict:
        # a pickled linker (cache.cached_linker) is taken without importing pandas; only
        # `rxqa reference show` reads the frames, and it loads the reference itself
        return {**self.__dict__, "frames": {}}

    def __post_init__(self) -> None:
        names: dict[str, list[NameEntry]] = {}

        def add(written: str, kind: str, key: str) -> None:
            entry = NameEntry(kind, key, written)
            for k in name_keys(written):
                bucket = names.setdefault(k, [])
                if entry not in bucket:
                    bucket.append(entry)

        for drug in self.drugs.values():
            add(drug.name, "generic", drug.name)
            for s in drug.synonyms:
                add(s, "synonym", drug.name)
            for a in drug.abbreviations:
                add(a, "abbreviation", drug.name)
        for brand in self.brands:
            self.brands_by_drug.setdefault(brand.drug, []).append(brand)
            add(brand.brand, "brand", brand.drug)
            for k in name_keys(brand.brand):
                self.brands_by_key.setdefault(k, []).append(brand)
        for regimen in self.regimens.values():
            add(regimen.name, "regimen", regimen.name)
            for a in regimen.aliases:
                add(a, "regimen", regimen.name)
        self.names = names

    # look-ups -------------------------------------------------------------------
    def lookup(self, text: str) -> list[NameEntry]:
        return self.names.get(normalise(text), [])

    def drug_entries(self, text: str) -> list[NameEntry]:
        return [e for e in self.lookup(text) if e.kind != "regimen"]

    def regimen_entries(self, text: str) -> list[Regimen]:
        return [self.regimens[e.key] for e in self.lookup(text) if e.kind == "regimen"]

    def brands_named(self, text: str) -> list[Brand]:
        return self.brands_by_key.get(normalise(text), [])

    def is_term(self, text: str) -> bool:
        return normalise(text) in self.terms

    def lineage(self, name: str) -> list[str]:
        """The drug and its parents, nearest first (interferon alfa-2b → interferon alfa)."""
        chain: list[str] = []
        while name and name in self.drugs and name not in chain:
            chain.append(name)
            name = self.drugs[name].parent
        return chain

    def related(self, a: str, b: str) -> bool:
        """True when a and b are the same drug, one is a subtype of the other, or one is
        an ingredient of the other ("pertuzumab" of "pertuzumab and trastuzumab"); once per pair
        (a regimen's rules ask it for every drug written against every drug of its definition)."""
        if a == b:
            return True
        answer = self._related_memo.get((a, b))
        if answer is None:
            answer = a in self.lineage(b) or b in self.lineage(a) or a in self.ingredients(b) or b in self.ingredients(a)
            remember(self._related_memo, (a, b), answer)
        return answer

    def ingredients(self, name: str) -> list[str]:
        """The drugs a combination product is named after ("trifluridine and tipiracil")."""
        if " and " not in name:
            return []
        return [part.strip() for part in re.split(r",\s*|\s+and\s+", name) if part.strip() in self.drugs]

    def drug_class(self, name: str) -> str:
        drug = self.drugs.get(name)
        return drug.drug_class if drug else ""
