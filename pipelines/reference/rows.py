"""The reference tables as rows of text, and the Reference built from rows.

Read with the csv module, not pandas: a check builds its linker from this before
pandas and pandera are imported, starts reading pages, and validates the same
files (load.py) while the pages are read. Only a reference that passes is kept
(cache.linker_to_confirm)."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from ..textutil import normalise
from .model import Brand, Drug, Reference, Regimen

# the files of data/reference/, in the order their bytes make the reference's digest (as schemas.reference.TABLES)
TABLE_FILES = ("drugs.csv", "brands.csv", "regimens.csv", "terms.csv", "therapy_headings.csv")


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(cell or "").split("|") if part.strip())


def read_reference(directory: Path) -> Reference:
    """The Reference from the CSV files as they are, not validated. Whatever does not read
    (a missing file or column, bytes that are not UTF-8) raises: the validating load
    (load.load_reference) is what names the problem."""
    return build_reference(*read_rows(Path(directory)))


def digest_part(name: str, data: bytes) -> bytes:
    """What a table's file adds to the reference's digest: its name and length with its bytes,
    so that no bytes moved from the end of one file to the start of the next keep the digest."""
    return f"{name}\0{len(data)}\0".encode("utf-8") + data


def read_rows(directory: Path) -> tuple[dict[str, list[dict[str, str]]], str]:
    """Each table's rows (cells stripped, blank lines skipped, as pandas reads them for load.py) and the digest of the files."""
    tables: dict[str, list[dict[str, str]]] = {}
    digest = hashlib.sha256()
    for name in TABLE_FILES:
        data = (directory / name).read_bytes()
        digest.update(digest_part(name, data))
        header, *rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True) if row]
        for row in rows:
            if len(row) != len(header):
                raise ValueError(f"{directory / name}: a row of {len(row)} cells under {len(header)} columns")
        tables[name] = [dict(zip(header, (cell.strip() for cell in row))) for row in rows]
    return tables, digest.hexdigest()[:16]


def build_reference(tables: dict[str, list[dict[str, str]]], digest: str) -> Reference:
    drugs = {
        r["name"]: Drug(r["name"], split_list(r["synonyms"]), split_list(r["abbreviations"]), r["class"], r["parent"], r["base"], r["atc"])
        for r in tables["drugs.csv"]
    }
    brands = [Brand(r["brand"], r["drug"], r["market"], r["status"], r["formulation"]) for r in tables["brands.csv"]]
    regimens = {
        r["name"]: Regimen(
            r["name"],
            split_list(r["aliases"]),
            tuple(tuple(d.strip() for d in slot.split("/")) for slot in split_list(r["components"])),
            split_list(r["addons"]),
            r["variant_of"],
            tuple(c.lower() for c in split_list(r["context"])),
        )
        for r in tables["regimens.csv"]
    }
    terms = {normalise(r["term"]) for r in tables["terms.csv"]}
    headings = [(re.compile(r["pattern"], re.I), frozenset(split_list(r["classes"]))) for r in tables["therapy_headings.csv"]]
    return Reference(drugs, brands, regimens, terms, headings, digest=digest)
