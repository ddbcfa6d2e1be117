"""What changed since the previous run: findings new / still present / resolved, and
drugs, brands and regimens that appeared, disappeared or changed on a page."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

SHARP_DROP = 0.5  # a page whose mentions fell by half or more (and by at least 3)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda c: c in columns)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def _by_page(pages_column, names, values) -> dict[str, dict[str, set[str]]]:
    """page → name → the set of values (brands, components) written with it on that page."""
    pages: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for page, name, value in zip(_strings(pages_column), names, _strings(values)):
        bucket = pages[page][name]
        if value and value != "nan":
            bucket.update(v for v in value.split(" | ") if v)
    return pages


def _strings(column) -> list[str]:
    return [v if isinstance(v, str) else "" if v is None or v != v else str(v) for v in column.tolist()]


def _drugs_by_page(frame: pd.DataFrame) -> dict[str, dict[str, set[str]]]:
    names = [g or t for g, t in zip(_strings(frame["generic"]), _strings(frame["text"]))]
    return _by_page(frame["page"], names, frame["brands"])


def _regimens_by_page(frame: pd.DataFrame) -> dict[str, dict[str, set[str]]]:
    names = [r or n for r, n in zip(_strings(frame["regimen"]), _strings(frame["name"]))]
    return _by_page(frame["page"], names, frame["component_generics"])


def compare(result, previous: Path) -> dict | None:
    """Changes against the outputs in `previous` (None when there is no previous run)."""
    findings_file = previous / "findings.json"
    if not findings_file.is_file():
        return None
    try:
        old = {f["fingerprint"]: f for f in json.loads(findings_file.read_text(encoding="utf-8"))["findings"]}
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
        changes["drugs"] = _diff(_drugs_by_page(old_drugs), _drugs_by_page(result.drug_table), "brands")
        old_counts = old_drugs.groupby("page").size().to_dict()
        new_counts = result.drug_table.groupby("page").size().to_dict() if not result.drug_table.empty else {}
        for page, before in sorted(old_counts.items()):
            after = new_counts.get(page, 0)
            if page in result.page_set and before - after >= 3 and after <= before * (1 - SHARP_DROP):
                changes["mention_drops"].append({"page": page, "before": int(before), "after": int(after)})
    old_regimens = _read_csv(previous / "regimen_mentions.csv", ["page", "regimen", "name", "component_generics"])
    if old_regimens is not None:
        changes["regimens"] = _diff(_regimens_by_page(old_regimens), _regimens_by_page(result.regimen_table), "components")
    return changes


def _diff(before: dict, after: dict, what: str) -> list[dict]:
    rows = []
    for page in sorted(set(before) | set(after)):
        old, new = before.get(page, {}), after.get(page, {})
        for name in sorted(set(old) | set(new)):
            if name not in old:
                rows.append({"page": page, "name": name, "change": "appeared", what: sorted(new[name])})
            elif name not in new:
                rows.append({"page": page, "name": name, "change": "disappeared", what: sorted(old[name])})
            elif old[name] != new[name]:
                rows.append({"page": page, "name": name, "change": "changed", "before": sorted(old[name]), "after": sorted(new[name])})
    return rows


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
