"""What changed since the previous run: findings new / still present / resolved, and
drugs, brands and regimens that appeared, disappeared or changed on a page."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from .jsontext import loads

SHARP_DROP = 0.5  # a page whose mentions fell by half or more (and by at least 3)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame | None:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda c: c in columns)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return frame if set(columns) <= set(frame.columns) else None


Pairs = set[tuple[str, str, str]]


def _pairs(frame: pd.DataFrame, name: str, fallback: str, values: str) -> Pairs:
    """(page, name, value) once each: the name is `name` or, when empty, `fallback`
    (the generic, else the text as written); value is the ` | ` list in `values` as written."""
    def text(column: str) -> pd.Series:
        return frame[column].fillna("").astype(str)

    names = text(name)
    names = names.where(names != "", text(fallback))
    return set(zip(text("page").tolist(), names.tolist(), text(values).replace("nan", "").tolist()))


def _diff(before: Pairs, after: Pairs, what: str) -> list[dict]:
    """Names that appeared on a page, disappeared from it, or are written with other
    values (brands, components) than before. Only names whose lists as written differ
    are split into items and compared."""
    keys = {(page, name) for page, name, _ in before ^ after}
    if not keys:
        return []

    def sets(pairs: Pairs) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for page, name, value in pairs:
            if (page, name) in keys:
                found.setdefault((page, name), set()).update(v for v in value.split(" | ") if v)
        return found

    old, new = sets(before), sets(after)
    rows = []
    for page, name in sorted(keys):
        if (page, name) not in old:
            rows.append({"page": page, "name": name, "change": "appeared", what: sorted(new[page, name])})
        elif (page, name) not in new:
            rows.append({"page": page, "name": name, "change": "disappeared", what: sorted(old[page, name])})
        elif old[page, name] != new[page, name]:
            rows.append({"page": page, "name": name, "change": "changed", "before": sorted(old[page, name]), "after": sorted(new[page, name])})
    return rows


def _drug_pairs(frame: pd.DataFrame) -> Pairs:
    return _pairs(frame, "generic", "text", "brands")


def _regimen_pairs(frame: pd.DataFrame) -> Pairs:
    return _pairs(frame, "regimen", "name", "component_generics")


def compare(result, previous: Path) -> dict | None:
    """Changes against the outputs in `previous` (None when there is no previous run)."""
    findings_file = previous / "findings.json"
    if not findings_file.is_file():
        return None
    try:
        old = {f["fingerprint"]: f for f in loads(findings_file.read_bytes())["findings"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    now = {f.fingerprint: f for f in result.findings}
    changes: dict = {
        "previous": str(previous),
        "findings": {
            "new": sorted(fp for fp in now if fp not in old),
            "still_present": sorted(fp for fp in now if fp in old),
            "resolved": [old[fp] for fp in sorted(old) if fp not in now],
        },
        "drugs": [],
        "regimens": [],
        "mention_drops": [],
    }
    old_drugs = _read_csv(previous / "drug_mentions.csv", ["page", "generic", "text", "brands"])
    if old_drugs is not None:
        changes["drugs"] = _diff(_drug_pairs(old_drugs), _drug_pairs(result.drug_table), "brands")
        old_counts = old_drugs.groupby("page").size().to_dict()
        new_counts = result.drug_table.groupby("page").size().to_dict() if not result.drug_table.empty else {}
        for page, before in sorted(old_counts.items()):
            after = new_counts.get(page, 0)
            if page in result.page_set and before - after >= 3 and after <= before * (1 - SHARP_DROP):
                changes["mention_drops"].append({"page": page, "before": int(before), "after": int(after)})
    old_regimens = _read_csv(previous / "regimen_mentions.csv", ["page", "regimen", "name", "component_generics"])
    if old_regimens is not None:
        changes["regimens"] = _diff(_regimen_pairs(old_regimens), _regimen_pairs(result.regimen_table), "components")
    return changes


def summary_lines(changes: dict | None) -> list[str]:
    if not changes:
        return []
    f = changes["findings"]
    lines = [f"  since the previous run: {len(f['new'])} new, {len(f['still_present'])} still present, {len(f['resolved'])} resolved"]
    for kind in ("drugs", "regimens"):
        counts = defaultdict(int)
        for row in changes[kind]:
            counts[row["change"]] += 1
        if counts:
            lines.append(f"  {kind} on pages: " + ", ".join(f"{n} {c}" for c, n in sorted(counts.items())))
    for drop in changes["mention_drops"]:
        lines.append(f"  {drop['page']}: drug mentions fell from {drop['before']} to {drop['after']} (layout change?)")
    return lines
