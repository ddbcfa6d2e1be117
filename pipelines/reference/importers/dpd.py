"""Health Canada Drug Product Database extract → Canadian brand rows (and their drugs).

The extract files are quoted CSV without a header row, one set per status
(`drug.txt`, `drug_ia.txt` cancelled/inactive, `drug_ap.txt` approved,
`drug_dr.txt` dormant). Columns follow Health Canada's read-me; the ther.txt
order is Health Canada's own loader's (hres/formulary); only TC_ATC_NUMBER
(the second column) is read from it.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from .common import Imported, bad, base_moiety, brand_row, check_date, drug_row, need_file, numbered_rows

SOURCE = "Health Canada DPD"
COLUMNS = {
    "drug": ("DRUG_CODE", "PRODUCT_CATEGORIZATION", "CLASS", "DRUG_IDENTIFICATION_NUMBER", "BRAND_NAME", "DESCRIPTOR",
             "PEDIATRIC_FLAG", "ACCESSION_NUMBER", "NUMBER_OF_AIS", "LAST_UPDATE_DATE", "AI_GROUP_NO", "CLASS_F",
             "BRAND_NAME_F", "DESCRIPTOR_F"),
    "ingred": ("DRUG_CODE", "ACTIVE_INGREDIENT_CODE", "INGREDIENT", "INGREDIENT_SUPPLIED_IND", "STRENGTH", "STRENGTH_UNIT",
               "STRENGTH_TYPE", "DOSAGE_VALUE", "BASE", "DOSAGE_UNIT", "NOTES", "INGREDIENT_F", "STRENGTH_UNIT_F",
               "STRENGTH_TYPE_F", "DOSAGE_UNIT_F"),
    "status": ("DRUG_CODE", "CURRENT_STATUS_FLAG", "STATUS", "HISTORY_DATE", "STATUS_F", "LOT_NUMBER", "EXPIRATION_DATE"),
    "ther": ("DRUG_CODE", "TC_ATC_NUMBER", "TC_ATC", "TC_AHFS_NUMBER", "TC_AHFS", "TC_ATC_F", "TC_AHFS_F"),
}
_FILE = re.compile(r"^(drug|ingred|status|ther)(_ia|_ap|_dr)?\.txt$", re.I)

# Generic-company product names are not brands (TEVA-CAPECITABINE, SANDOZ OCTREOTIDE, …).
GENERIC_COMPANIES = re.compile(
    r"^(APO|TEVA|SANDOZ|MINT|JAMP|PMS|AURO|AG|MYLAN|ACCEL|NAT|RIVA|MAR|SANIS|PRO|DOM|ACT|RAN|PHL|NOVO|GD|SEPTA|ZYM|"
    r"MED|VAN|BIO|REDDY|TARO|GLN|GLENMARK|NRA|BCI|ARX|ACH|LUPIN|APOTEX|SIVEM|MARCAN|ACCORD|M|Q|AA|NTP|PRZ|SDZ|TEV|"
    r"ALTI|VIVA|STERIMAX|AURO|NAPO|SUN|BRISTOL|HOSPIRA|FRESENIUS)(-|\s)",
    re.I,
)
GENERIC_WORDS = {"injection", "for", "usp", "bp", "tablets", "tablet", "capsules", "capsule", "solution", "concentrate",
                 "powder", "sterile", "oral", "infusion", "intravenous", "suspension", "lyophilized", "ph.eur", "ph", "eur"}
KEEP_UPPER = {"LAR", "XR", "SR", "CR", "ER", "XL", "MR", "LA", "HCT", "IV", "SC", "ODT", "PFS", "DS", "HP", "IR", "RTU",
              "TS", "II", "III", "IUD", "MDV", "SDV"}


def _status(text: str) -> str:
    text = text.strip().upper()
    if text == "MARKETED":
        return "marketed"
    if text.startswith("CANCELLED") or text == "DORMANT":
        return "discontinued"
    return "unknown"


def title_brand(name: str) -> str:
    """'XELODA' → 'Xeloda', 'SANDOSTATIN LAR' → 'Sandostatin LAR', 'ROFERON-A' → 'Roferon-A'."""
    def word(w: str) -> str:
        if w.upper() in KEEP_UPPER or any(c.isdigit() for c in w) or not w.isupper():
            return w
        return "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-"))
    return " ".join(word(w) for w in name.split())


def is_generic_name(brand: str, ingredients: list[str]) -> bool:
    lowered = brand.lower()
    if GENERIC_COMPANIES.match(brand.strip()):
        return True
    for ingredient in ingredients:
        for form in {ingredient.lower().strip(), base_moiety(ingredient)}:
            if len(form) >= 4 and form in lowered:
                return True
    words = [w for w in re.split(r"[\s,]+", lowered) if w]
    return bool(words) and all(w in GENERIC_WORDS for w in words)


def read_extract(path: Path, columns: tuple[str, ...]):
    """Yield (line, {column: value}); a row with the wrong number of columns is an error."""
    need_file(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # older extracts were Latin-1
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    for start, values in numbered_rows(reader, path):
        if len(values) != len(columns):
            raise bad(path, start, f"expected {len(columns)} quoted columns ({columns[0]}…{columns[-1]}), found {len(values)}")
        yield start, dict(zip(columns, (v.strip() for v in values)))


def _group(files: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for f in map(Path, files):
        match = _FILE.match(f.name)
        if not match:
            raise bad(f, None, "not a DPD extract file (expected drug, ingred, status or ther .txt, optionally _ia/_ap/_dr)")
        need_file(f)
        groups[match.group(1).lower()].append(f)
    for needed in ("drug", "ingred"):
        if not groups[needed]:
            raise bad(f"{needed}.txt", None, "file not given (dpd needs drug.txt and ingred.txt, or their _ia/_ap/_dr sets)")
    return groups


def load_dpd(files: list[Path], checked: str | None = None) -> Imported:
    """Canadian brands with their marketing status, drugs (base moiety) and ATC codes."""
    checked = check_date(checked)
    groups = _group(files)
    result = Imported(SOURCE)
    products: dict[str, str] = {}  # DRUG_CODE → BRAND_NAME (human drugs only)
    for path in groups["drug"]:
        for line, row in read_extract(path, COLUMNS["drug"]):
            if not row["DRUG_CODE"]:
                raise bad(path, line, "DRUG_CODE is empty")
            if row["CLASS"].lower() == "human" and row["BRAND_NAME"]:
                products[row["DRUG_CODE"]] = row["BRAND_NAME"]
    ingredients: dict[str, list[str]] = defaultdict(list)
    for path in groups["ingred"]:
        for _, row in read_extract(path, COLUMNS["ingred"]):
            if row["DRUG_CODE"] in products and row["INGREDIENT"]:
                ingredients[row["DRUG_CODE"]].append(row["INGREDIENT"])
    status: dict[str, str] = {}
    for path in groups["status"]:
        for _, row in read_extract(path, COLUMNS["status"]):
            if row["CURRENT_STATUS_FLAG"].upper() == "Y":
                status[row["DRUG_CODE"]] = _status(row["STATUS"])
    atc: dict[str, str] = {}
    for path in groups["ther"]:
        for _, row in read_extract(path, COLUMNS["ther"]):
            if re.fullmatch(r"[A-Z]\d{2}[A-Z]{0,2}\d{0,2}", row["TC_ATC_NUMBER"].upper()):
                atc.setdefault(row["DRUG_CODE"], row["TC_ATC_NUMBER"].upper())

    drugs: dict[str, dict] = {}  # drug name → {"synonyms": set, "atc": set}
    brands: dict[str, dict] = {}  # brand key → {"brand", "drugs": set, "statuses": set}
    generic_names = 0
    for code, brand in products.items():
        names = ingredients.get(code)
        if not names:
            continue
        bases = sorted({base_moiety(n) for n in names})
        drug = " and ".join(bases)
        entry = drugs.setdefault(drug, {"synonyms": set(), "atc": set()})
        if len(bases) == 1:
            entry["synonyms"].update(_salt_forms(n) for n in names)
            if code in atc:
                entry["atc"].add(atc[code])
        if is_generic_name(brand, names):
            generic_names += 1
            continue
        title = title_brand(brand)
        seen = brands.setdefault(title.lower(), {"brand": title, "drugs": set(), "statuses": set()})
        seen["drugs"].add(drug)
        seen["statuses"].add(status.get(code, "unknown"))

    for name in sorted(drugs):
        codes = drugs[name]["atc"]
        result.drugs.append(drug_row(name, SOURCE, checked, sorted(drugs[name]["synonyms"]), codes.pop() if len(codes) == 1 else ""))
    for key in sorted(brands):
        seen = brands[key]
        if len(seen["drugs"]) > 1:
            result.notes.append(f"DPD brand {seen['brand']!r} names products of {', '.join(sorted(seen['drugs']))}; left out")
            continue
        statuses = seen["statuses"]
        overall = "marketed" if "marketed" in statuses else "discontinued" if statuses == {"discontinued"} else "unknown"
        result.brands.append(brand_row(seen["brand"], seen["drugs"].pop(), "CA", overall, SOURCE, checked))
    if generic_names:
        result.notes.append(f"{generic_names} DPD product(s) with a generic or generic-company name skipped")
    return result


def _salt_forms(ingredient: str) -> str:
    """The salt form written inside or as the ingredient: 'OCTREOTIDE (OCTREOTIDE ACETATE)' → 'octreotide acetate'."""
    inner = re.search(r"\(([^)]*)\)", ingredient)
    return (inner.group(1) if inner else ingredient).strip().lower()
