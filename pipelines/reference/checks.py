"""Checks that need more than one reference table at once (SC002)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..textutil import name_keys
from .rows import split_list


def cross_table_problems(directory: Path, frames: dict[str, pd.DataFrame]) -> list[str]:
    drugs, brands, regimens = frames["drugs.csv"], frames["brands.csv"], frames["regimens.csv"]
    problems: list[str] = []
    drug_file, brand_file, regimen_file = (directory / n for n in ("drugs.csv", "brands.csv", "regimens.csv"))

    drug_names = set(drugs["name"])
    owner: dict[str, tuple[str, int]] = {}  # name key → (drug, line)
    for i, row in enumerate(drugs.to_dict("records")):
        line = i + 2
        for written in [row["name"], *split_list(row["synonyms"]), *split_list(row["abbreviations"])]:
            for key in name_keys(written):
                if key in owner and owner[key][0] != row["name"]:
                    problems.append(f"{drug_file}:{line}: name {written!r} of {row['name']!r} is already a name of {owner[key][0]!r} (line {owner[key][1]})")
                    break
                owner.setdefault(key, (row["name"], line))
        for column in ("parent", "base"):
            if row[column] and row[column] not in drug_names:
                problems.append(f"{drug_file}:{line}: {column} {row[column]!r} of {row['name']!r} is not a drug in drugs.csv")
            if row[column] == row["name"]:
                problems.append(f"{drug_file}:{line}: {row['name']!r} is its own {column}")

    brand_drug: dict[tuple[str, str], tuple[str, int]] = {}
    for i, row in enumerate(brands.to_dict("records")):
        line = i + 2
        if row["drug"] not in drug_names:
            problems.append(f"{brand_file}:{line}: brand {row['brand']!r} belongs to {row['drug']!r}, which is not a drug in drugs.csv")
        for key in name_keys(row["brand"]):
            if key in owner:
                problems.append(f"{brand_file}:{line}: brand {row['brand']!r} is also a generic name or synonym of {owner[key][0]!r}")
                break
            seen = brand_drug.get((key, row["market"]))
            if seen and seen[0] != row["drug"]:
                problems.append(f"{brand_file}:{line}: brand {row['brand']!r} is attached to {row['drug']!r} and to {seen[0]!r} (line {seen[1]}) in market {row['market']}")
                break
            brand_drug[(key, row["market"])] = (row["drug"], line)

    brand_keys = {k for k, _ in brand_drug}
    regimen_names = set(regimens["name"])
    claimed: dict[str, list[tuple[str, int, bool]]] = {}
    for i, row in enumerate(regimens.to_dict("records")):
        line = i + 2
        for column in ("components", "addons"):
            for slot in split_list(row[column]):
                for drug in slot.split("/"):
                    if drug.strip() not in drug_names:
                        problems.append(f"{regimen_file}:{line}: {column[:-1]} {drug.strip()!r} of regimen {row['name']!r} is not a drug in drugs.csv")
        if row["variant_of"] and row["variant_of"] not in regimen_names:
            problems.append(f"{regimen_file}:{line}: variant_of {row['variant_of']!r} of {row['name']!r} is not a regimen in regimens.csv")
        has_context = bool(row["context"])
        for written in [row["name"], *split_list(row["aliases"])]:
            keys = name_keys(written)
            if keys & set(owner) or keys & brand_keys:
                problems.append(f"{regimen_file}:{line}: regimen name {written!r} is also the name of a drug or brand")
            for key in keys:
                claimed.setdefault(key, []).append((row["name"], line, has_context))
    for key, rows in claimed.items():
        distinct = {r[0] for r in rows}
        if len(distinct) > 1 and not all(r[2] for r in rows):
            first, second = rows[0], rows[1]
            problems.append(f"{regimen_file}:{second[1]}: regimen name {key!r} of {second[0]!r} is also used by {first[0]!r} (line {first[1]}); give both a context or drop one")
    return sorted(set(problems), key=_line_order)


def _line_order(problem: str) -> tuple[str, int]:
    parts = problem.split(":")
    try:
        return parts[0], int(parts[1])
    except (IndexError, ValueError):
        return parts[0], 0
