"""`rxqa reference show NAME`: everything the reference knows about a name."""
from __future__ import annotations

from collections import Counter

from .model import Reference


def describe(ref: Reference, name: str) -> str:
    entries = ref.lookup(name)
    if not entries:
        return ""
    lines: list[str] = []
    for key in dict.fromkeys(e.key for e in entries if e.kind != "regimen"):
        drug = ref.drugs[key]
        kinds = ", ".join(sorted({e.kind for e in entries if e.key == key}))
        lines.append(f"{name} is the {kinds} of the drug {drug.name}")
        lines.append(f"  class: {drug.drug_class}" + (f"; ATC {drug.atc}" if drug.atc else ""))
        if drug.synonyms:
            lines.append(f"  synonyms: {', '.join(drug.synonyms)}")
        if drug.abbreviations:
            lines.append(f"  abbreviations: {', '.join(drug.abbreviations)}")
        if drug.parent:
            lines.append(f"  subtype of: {drug.parent}")
        if drug.base:
            lines.append(f"  a formulation of: {drug.base}")
        children = sorted(d.name for d in ref.drugs.values() if d.parent == key or d.base == key)
        if children:
            lines.append(f"  subtypes and formulations: {', '.join(children)}")
        for b in sorted((b for b in ref.brands if b.drug == key), key=lambda b: (b.brand, b.market)):
            extra = f", {b.formulation}" if b.formulation else ""
            lines.append(f"  brand {b.brand} [{b.market}] {b.status}{extra}")
        used = sorted(r.name for r in ref.regimens.values() if any(key in slot for slot in r.slots))
        if used:
            lines.append(f"  component of: {', '.join(used)}")
    for regimen in dict.fromkeys(e.key for e in entries if e.kind == "regimen"):
        r = ref.regimens[regimen]
        lines.append(f"{name} is the regimen {r.name}: {r.describe()}")
        if r.aliases:
            lines.append(f"  aliases: {', '.join(r.aliases)}")
        if r.addons:
            lines.append(f"  allowed add-ons: {', '.join(r.addons)}")
        if r.variant_of:
            lines.append(f"  variant of: {r.variant_of}")
        if r.context:
            lines.append(f"  meaning in: {', '.join(r.context)}")
    return "\n".join(lines)


def counts(ref: Reference) -> list[str]:
    """The reference in numbers: classes, distinct brands, brand statuses per market, rows per source."""
    lines = ["drug classes: " + ", ".join(f"{c} {n}" for c, n in Counter(d.drug_class for d in ref.drugs.values()).most_common())]
    lines.append(f"distinct brands: {len({b.brand.lower() for b in ref.brands})}")
    for market in ("CA", "US", "UK"):
        statuses = Counter(b.status for b in ref.brands if b.market == market)
        lines.append(f"brand rows {market}: " + ", ".join(f"{s} {statuses.get(s, 0)}" for s in ("marketed", "discontinued", "unknown")))
    for table, frame in ref.frames.items():
        if "source" in frame.columns:
            sources = Counter(part for cell in frame["source"] for part in str(cell).split("|") if part)
            lines.append(f"{table} rows per source: " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    return lines
