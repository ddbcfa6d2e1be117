"""HemOnc OMOP-style tables (concept, concept_relationship, concept_synonym) → regimen rows.

The columns follow OHDSI's HemOnc source-table DDL (HEMONC_CS, HEMONC_CRS,
HEMONC_CSS); files have a header row and may be comma- or tab-separated.
HemOnc is licensed for non-commercial use only: rxqa never ships its data and
reads only a file the user supplies.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .common import Imported, bad, check_date, need_file, numbered_rows

SOURCE = "HemOnc (user-supplied)"
REQUIRED = {
    "concept": ("concept_name", "concept_class_id", "concept_code"),
    "concept_relationship": ("concept_code_1", "concept_code_2", "relationship_id"),
    "concept_synonym": ("synonym_name", "synonym_concept_code"),
}
COMPONENT_RELATIONS = {"Has antineoplastic": "components", "Has immunosuppressor": "components", "Has supportive med": "addons"}


def _kind(path: Path) -> str:
    stem = path.name.lower().split(".")[0].replace("_stage", "")
    if stem.startswith("hemonc_"):
        stem = {"hemonc_cs": "concept", "hemonc_crs": "concept_relationship", "hemonc_css": "concept_synonym"}.get(stem, stem)
    if stem not in REQUIRED:
        raise bad(path, None, "not a HemOnc table (expected concept, concept_relationship or concept_synonym .csv/.tsv)")
    return stem


def read_table(path: Path, required: tuple[str, ...]):
    """Yield (line, {column: value}) from a CSV or TSV with a header row."""
    need_file(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(path, path.read_bytes()[: exc.start].count(b"\n") + 1, f"not UTF-8 ({exc.reason})") from None
    lines = text.splitlines(keepends=True)
    if not lines:
        raise bad(path, 1, "file is empty (a header row is needed)")
    delimiter = "\t" if lines[0].count("\t") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise bad(path, 1, f"missing column(s) {', '.join(missing)}")
    for start, values in numbered_rows(reader, path):
        if len(values) != len(header):
            raise bad(path, start, f"expected {len(header)} columns as in the header, found {len(values)}")
        yield start, {h: v.strip() for h, v in zip(header, values)}


def load_hemonc(files: list[Path], checked: str | None = None) -> Imported:
    """Regimens with their components (antineoplastics, immunosuppressors), add-ons (supportive meds) and aliases."""
    checked = check_date(checked)
    paths = {}
    for f in map(Path, files):
        need_file(f)
        paths[_kind(f)] = f
    for kind in ("concept", "concept_relationship"):
        if kind not in paths:
            raise bad(f"{kind}.csv", None, "file not given (hemonc needs concept and concept_relationship, concept_synonym optional)")
    result = Imported(SOURCE)

    regimens: dict[str, str] = {}
    components: dict[str, str] = {}
    for _, row in read_table(paths["concept"], REQUIRED["concept"]):
        if row.get("vocabulary_id", "HemOnc") not in ("HemOnc", "") or row.get("invalid_reason"):
            continue
        if row["concept_class_id"] == "Regimen":
            regimens[row["concept_code"]] = row["concept_name"]
        elif row["concept_class_id"] == "Component":
            components[row["concept_code"]] = row["concept_name"].lower()

    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"components": [], "addons": []})
    for line, row in read_table(paths["concept_relationship"], REQUIRED["concept_relationship"]):
        column = COMPONENT_RELATIONS.get(row["relationship_id"])
        if not column or row.get("vocabulary_id_2", "HemOnc") not in ("HemOnc", ""):
            continue
        regimen, component = row["concept_code_1"], row["concept_code_2"]
        if regimen not in regimens:
            continue
        if component not in components:
            raise bad(paths["concept_relationship"], line, f"component code {component!r} of regimen {regimens[regimen]!r} is not a Component in {paths['concept'].name}")
        if components[component] not in parts[regimen][column]:
            parts[regimen][column].append(components[component])

    aliases: dict[str, set[str]] = defaultdict(set)
    if "concept_synonym" in paths:
        for _, row in read_table(paths["concept_synonym"], REQUIRED["concept_synonym"]):
            code = row["synonym_concept_code"]
            if code in regimens and row["synonym_name"] and row["synonym_name"] != regimens[code]:
                aliases[code].add(row["synonym_name"])

    without = 0
    for code in sorted(regimens, key=lambda c: regimens[c].lower()):
        found = parts.get(code)
        if not found or not found["components"]:
            without += 1
            continue
        result.regimens.append({
            "name": regimens[code], "aliases": "|".join(sorted(aliases[code], key=str.lower)),
            "components": "|".join(found["components"]),
            "addons": "|".join(a for a in found["addons"] if a not in found["components"]),
            "variant_of": "", "context": "", "source": SOURCE, "checked": checked,
        })
    if without:
        result.notes.append(f"{without} HemOnc regimen(s) without an antineoplastic or immunosuppressor component skipped")
    return result
