"""What every importer returns, and the helpers they share (salts, ATC classes, errors)."""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import RxqaError

DRUG_COLUMNS = ("name", "synonyms", "abbreviations", "class", "parent", "base", "atc", "source", "checked")
BRAND_COLUMNS = ("brand", "drug", "market", "status", "formulation", "source", "checked")
REGIMEN_COLUMNS = ("name", "aliases", "components", "addons", "variant_of", "context", "source", "checked")


@dataclass
class Imported:
    """Rows built from one source's files, in the columns of drugs.csv, brands.csv and regimens.csv."""

    source: str
    drugs: list[dict[str, str]] = field(default_factory=list)
    brands: list[dict[str, str]] = field(default_factory=list)
    regimens: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why, for the report


def today() -> str:
    return dt.date.today().isoformat()


def check_date(checked: str | None) -> str:
    if checked is None:
        return today()
    try:
        dt.date.fromisoformat(checked)
    except ValueError:
        raise RxqaError(f"checked date {checked!r} is not YYYY-MM-DD") from None
    return checked


def bad(path: Path | str, line: int | None, what: str) -> RxqaError:
    """The error a malformed input file raises: `file:line: what is wrong` (exit 2)."""
    return RxqaError(f"{path}:{line}: {what}" if line else f"{path}: {what}")


def need_file(path: Path) -> None:
    if not path.is_file():
        raise bad(path, None, "file not found")


def drug_row(name: str, source: str, checked: str, synonyms: list[str] = (), atc: str = "", drug_class: str = "") -> dict[str, str]:
    clean = sorted({s for s in synonyms if s and s != name})
    return {
        "name": name, "synonyms": "|".join(clean), "abbreviations": "", "class": drug_class or class_for_atc(atc),
        "parent": "", "base": "", "atc": atc, "source": source, "checked": checked,
    }


def brand_row(brand: str, drug: str, market: str, status: str, source: str, checked: str) -> dict[str, str]:
    return {"brand": brand, "drug": drug, "market": market, "status": status, "formulation": formulation_from_name(brand),
            "source": source, "checked": checked}


def formulation_from_name(brand: str) -> str:
    """What a brand's own name says about its formulation ('Sandostatin LAR' → long-acting), else empty."""
    words = {w.strip(".,").upper() for w in brand.split()}
    if words & {"LAR", "DEPOT", "LA"}:
        return "long-acting"
    if words & {"XR", "ER", "XL", "SR", "CR"}:
        return "extended-release"
    return ""


# Salt, ester and hydrate words that follow the active moiety ("irinotecan hydrochloride trihydrate").
SALT_WORDS = frozenset("""
acetate anhydrous besilate besylate bitartrate bromide calcium camsylate chloride citrate dihydrate dihydrochloride
dimaleate dimeglumine disodium ditosylate edisylate embonate esylate fumarate hemihydrate hcl hydrobromide
hydrochloride hydrate lactate magnesium maleate malate meglumine mesilate mesylate monohydrate monosodium nitrate
oxalate pamoate pentahydrate phosphate potassium sesquihydrate sodium succinate sulfate sulphate tartrate tosilate
tosylate trifluoroacetate trihydrate
""".split())

_PAREN = re.compile(r"\s*\([^)]*\)")


def base_moiety(ingredient: str) -> str:
    """'OCTREOTIDE (OCTREOTIDE ACETATE)' → 'octreotide'; 'IRINOTECAN HYDROCHLORIDE TRIHYDRATE' → 'irinotecan'."""
    text = ingredient.strip().lower()
    outside = _PAREN.sub("", text).strip()
    text = outside or text.strip("() ")
    words = text.replace(",", " ").split()
    while len(words) > 1 and words[-1] in SALT_WORDS:
        words.pop()
    return " ".join(words)


def class_for_atc(atc: str) -> str:
    """The drug class an ATC code implies (the curated class always wins over this guess)."""
    code = atc.upper()
    rules = (
        ("L01FF", "immunotherapy"), ("L01F", "targeted"), ("L01E", "targeted"), ("L01XC", "targeted"), ("L01XE", "targeted"),
        ("L01XG", "targeted"), ("L01XK", "targeted"), ("L01", "chemotherapy"), ("L02", "hormone"), ("H01CB", "hormone"),
        ("L03AA", "supportive"), ("L03", "immunotherapy"), ("A04A", "supportive"), ("V03AF", "supportive"),
        ("B03XA", "supportive"), ("M05BA", "supportive"), ("M05BX", "supportive"),
    )
    for prefix, drug_class in rules:
        if code.startswith(prefix):
            return drug_class
    return "other"


def numbered_rows(reader, path: Path):
    """(line, values) for each non-empty row of a csv.reader, with the line the row starts on;
    a malformed row, or a quoted value running over several lines, is an error naming that line."""
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num > start:
                raise bad(path, start, f"unterminated quote (the quoted value runs on to line {reader.line_num})") from None
            raise bad(path, start, f"not a valid CSV row ({exc})") from None
        if not values or values == [""]:
            continue
        if reader.line_num != start:
            raise bad(path, start, "a quoted value runs over several lines (unterminated quote?)")
        yield start, values
