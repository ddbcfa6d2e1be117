"""Merge imported rows into the curated reference without overwriting a curated row."""
from __future__ import annotations

import pandas as pd

from ...textutil import name_keys
from ..rows import split_list
from .common import BRAND_COLUMNS, DRUG_COLUMNS, REGIMEN_COLUMNS, Imported
from .report import Entry, ImportReport


def _keys(*names: str) -> set[str]:
    return {k for n in names if n for k in name_keys(n)}


class Merger:
    """Holds the curated tables and the name indexes the new rows are checked against."""

    def __init__(self, frames: dict[str, pd.DataFrame], report: ImportReport):
        self.frames, self.report = frames, report
        self.drugs = {r["name"]: r for r in frames["drugs.csv"].to_dict("records")}
        self.drug_key: dict[str, str] = {}
        for name, row in self.drugs.items():
            for key in _keys(name, *split_list(row["synonyms"]), *split_list(row["abbreviations"])):
                self.drug_key.setdefault(key, name)
        self.brands: dict[tuple[str, str], dict] = {}
        self.brand_markets: dict[str, dict[str, dict]] = {}  # brand key → market → row
        self.brand_keys: set[str] = set()
        for row in frames["brands.csv"].to_dict("records"):
            for key in _keys(row["brand"]):
                self.brands.setdefault((key, row["market"]), row)
                self.brand_markets.setdefault(key, {}).setdefault(row["market"], row)
                self.brand_keys.add(key)
        self.regimens = {r["name"]: r for r in frames["regimens.csv"].to_dict("records")}
        self.regimen_key: dict[str, set[str]] = {}
        for name, row in self.regimens.items():
            for key in _keys(name, *split_list(row["aliases"])):
                self.regimen_key.setdefault(key, set()).add(name)
        self.new: dict[str, list[dict]] = {"drugs.csv": [], "brands.csv": [], "regimens.csv": []}
        self.drug_of: dict[str, str] = {}  # imported drug name → name in the merged table

    def resolve(self, name: str) -> str | None:
        """The curated (or newly added) drug a name belongs to."""
        names = [name]
        if " and " in name:
            names.append(" and ".join(reversed(name.split(" and "))))
        for key in _keys(*names):
            if key in self.drug_key:
                return self.drug_key[key]
        return None

    # drugs -------------------------------------------------------------------------------------------
    def drug(self, row: dict[str, str]) -> None:
        name, synonyms = row["name"], split_list(row["synonyms"])
        target = self.resolve(name)
        if target is None:
            owners = {self.resolve(s) for s in synonyms} - {None}
            target = owners.pop() if len(owners) == 1 else None
        if target is None:
            return self._new_drug(row, synonyms)
        self.drug_of[name] = target
        curated, differences = self.drugs.get(target), []
        if curated is None:  # a drug this import already added
            return
        known = _keys(target, *split_list(curated["synonyms"]), *split_list(curated["abbreviations"]))
        extra = [s for s in [name, *synonyms] if not _keys(s) & known and self.resolve(s) in (None, target)]
        if extra:
            differences.append(f"import also names it {', '.join(repr(s) for s in extra)} (not added)")
        if row["atc"] and row["atc"] != curated["atc"]:
            differences.append(f"atc: curated {curated['atc']!r}, import {row['atc']!r}")
            if row["class"] != "other" and row["class"] != curated["class"]:
                differences.append(f"class: curated {curated['class']!r}, import's ATC suggests {row['class']!r}")
        if differences:
            self.report.changed.append(Entry("drugs.csv", target, "; ".join(differences)))
        else:
            self.report.unchanged += 1

    def _new_drug(self, row: dict[str, str], synonyms: tuple[str, ...]) -> None:
        name = row["name"]
        if any(k in self.brand_keys or k in self.regimen_key for k in _keys(name)):
            self.report.conflicts.append(Entry("drugs.csv", name, "is already a brand or regimen name in the reference"))
            return
        kept, dropped = [], []
        for synonym in synonyms:
            clash = any(k in self.brand_keys or k in self.drug_key or k in self.regimen_key for k in _keys(synonym))
            (dropped if clash else kept).append(synonym)
        if dropped:
            self.report.conflicts.append(Entry("drugs.csv", name, f"synonym(s) {', '.join(map(repr, dropped))} already name another drug or a brand; left out"))
        new = {**row, "synonyms": "|".join(kept)}
        self.new["drugs.csv"].append(new)
        for key in _keys(name, *kept):
            self.drug_key.setdefault(key, name)
        self.drug_of[name] = name
        self.report.added.append(Entry("drugs.csv", name, f"class {new['class']}" + (f", atc {new['atc']}" if new["atc"] else "")))

    # brands ------------------------------------------------------------------------------------------
    def brand(self, row: dict[str, str]) -> None:
        brand, market = row["brand"], row["market"]
        label = f"{brand} ({market})"
        drug = self.drug_of.get(row["drug"]) or self.resolve(row["drug"])
        if drug is None:
            self.report.conflicts.append(Entry("brands.csv", label, f"its drug {row['drug']!r} was left out"))
            return
        keys = _keys(brand)
        owned = [k for k in keys if k in self.drug_key]
        if owned:
            owner = self.drug_key[owned[0]]
            self.report.conflicts.append(Entry("brands.csv", label, f"is also a generic name or synonym of {owner!r}"))
            return
        if any(k in self.regimen_key for k in keys):
            self.report.conflicts.append(Entry("brands.csv", label, "is also a regimen name"))
            return
        curated = next((self.brands[(k, market)] for k in keys if (k, market) in self.brands), None)
        if curated is not None:
            if curated["drug"] != drug:
                self.report.conflicts.append(Entry("brands.csv", label, f"the import attaches it to {drug!r}, the curated table to {curated['drug']!r}"))
            elif curated["status"] != row["status"]:
                self.report.changed.append(Entry("brands.csv", label, f"status: curated {curated['status']!r}, import {row['status']!r}"))
            else:
                self.report.unchanged += 1
            return
        elsewhere = sorted({f"{r['drug']} in {m}" for k in keys for m, r in self.brand_markets.get(k, {}).items() if r["drug"] != drug})
        new = {**row, "drug": drug}
        self.new["brands.csv"].append(new)
        for key in keys:
            self.brands[(key, market)] = new
            self.brand_markets.setdefault(key, {})[market] = new
            self.brand_keys.add(key)
        note = f" (note: the reference has it as {', '.join(elsewhere)})" if elsewhere else ""
        self.report.added.append(Entry("brands.csv", label, f"{drug}, {row['status']}{note}"))

    # regimens ----------------------------------------------------------------------------------------
    def regimen(self, row: dict[str, str]) -> None:
        name, aliases = row["name"], split_list(row["aliases"])
        components = [self.resolve(c) for c in split_list(row["components"])]
        unknown = [c for c, r in zip(split_list(row["components"]), components) if r is None]
        addons = [self.resolve(a) for a in split_list(row["addons"])]
        matches = set().union(*(self.regimen_key.get(k, set()) for k in _keys(name, *aliases)))
        if len(matches) > 1:
            same = [m for m in matches if self._flat(m) == set(components)]
            matches = set(same) if len(same) == 1 else matches
        if len(matches) > 1:
            self.report.conflicts.append(Entry("regimens.csv", name, f"matches several curated regimens ({', '.join(sorted(matches))})"))
            return
        if matches:
            return self._compare_regimen(matches.pop(), row, components, unknown, addons)
        if unknown:
            self.report.conflicts.append(Entry("regimens.csv", name, f"component(s) {', '.join(map(repr, unknown))} are not drugs in the reference"))
            return
        def taken(text: str) -> bool:
            return any(k in self.drug_key or k in self.brand_keys or k in self.regimen_key for k in _keys(text))
        if taken(name):
            self.report.conflicts.append(Entry("regimens.csv", name, "the name is already a drug, brand or regimen name"))
            return
        kept = [a for a in aliases if not taken(a)]
        if len(kept) < len(aliases):
            dropped = [a for a in aliases if a not in kept]
            self.report.conflicts.append(Entry("regimens.csv", name, f"alias(es) {', '.join(map(repr, dropped))} already name something else; left out"))
        addon_names = [a for a in dict.fromkeys(addons) if a and a not in components]
        new = {**row, "aliases": "|".join(kept), "components": "|".join(dict.fromkeys(components)), "addons": "|".join(addon_names)}
        self.new["regimens.csv"].append(new)
        for key in _keys(name, *kept):
            self.regimen_key.setdefault(key, set()).add(name)
        self.report.added.append(Entry("regimens.csv", name, new["components"].replace("|", ", ")))

    def _flat(self, regimen: str) -> set[str]:
        return {d.strip() for slot in split_list(self.regimens[regimen]["components"]) for d in slot.split("/")}

    def _compare_regimen(self, target: str, row: dict, components: list, unknown: list, addons: list) -> None:
        curated = self.regimens.get(target)
        if curated is None:
            return
        slots = [{d.strip() for d in slot.split("/")} for slot in split_list(curated["components"])]
        differences = []
        imported = {c for c in components if c}
        if unknown or any(not any(c in s for s in slots) for c in imported) or any(not s & imported for s in slots):
            shown = [c or u for c, u in zip(components, split_list(row["components"]))]
            differences.append(f"components: curated {curated['components']!r}, import {'|'.join(shown)!r}")
        known = _keys(target, *split_list(curated["aliases"]))
        extra = [a for a in [row["name"], *split_list(row["aliases"])] if not _keys(a) & known]
        if extra:
            differences.append(f"import also calls it {', '.join(map(repr, extra))} (not added)")
        curated_addons = set(split_list(curated["addons"])) | self._flat(target)
        more = [a for a in addons if a and a not in curated_addons]
        if more:
            differences.append(f"import's supportive/add-on drugs not in the curated add-ons: {', '.join(more)}")
        if differences:
            self.report.changed.append(Entry("regimens.csv", target, "; ".join(differences)))
        else:
            self.report.unchanged += 1

    def tables(self) -> dict[str, pd.DataFrame]:
        columns = {"drugs.csv": DRUG_COLUMNS, "brands.csv": BRAND_COLUMNS, "regimens.csv": REGIMEN_COLUMNS}
        merged = dict(self.frames)
        for table, rows in self.new.items():
            if rows:
                extra = pd.DataFrame(rows, columns=list(columns[table])).fillna("")
                merged[table] = pd.concat([self.frames[table], extra], ignore_index=True).fillna("")
        return merged


def merge(frames: dict[str, pd.DataFrame], imported: Imported, report: ImportReport) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """The merged tables, and for each table how many curated rows precede the added ones."""
    merger = Merger(frames, report)
    for row in imported.drugs:
        merger.drug(row)
    for row in imported.brands:
        merger.brand(row)
    for row in imported.regimens:
        merger.regimen(row)
    report.notes += imported.notes
    return merger.tables(), {name: len(frame) for name, frame in frames.items()}
