"""RxNorm RRF (RXNCONSO.RRF + RXNREL.RRF) → drug and US brand rows.

Both files are pipe-delimited UTF-8 with a trailing `|` and no header. Only
NLM's own content (SAB=RXNORM) is read. A row of RXNREL reads from RXCUI2 to
RXCUI1: `RXCUI1=<BN>|…|RXCUI2=<IN>|…|RELA=has_tradename` says "IN has_tradename
BN". Reading it the other way round pairs brands backwards.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .common import Imported, bad, brand_row, check_date, drug_row, need_file

SOURCE = "RxNorm"
CONSO_FIELDS = ("RXCUI", "LAT", "TS", "LUI", "STT", "SUI", "ISPREF", "RXAUI", "SAUI", "SCUI", "SDUI", "SAB", "TTY",
                "CODE", "STR", "SRL", "SUPPRESS", "CVF")
REL_FIELDS = ("RXCUI1", "RXAUI1", "STYPE1", "REL", "RXCUI2", "RXAUI2", "STYPE2", "RELA", "RUI", "SRUI", "SAB", "SL",
              "DIR", "RG", "SUPPRESS", "CVF")
KEEP_TTY = {"IN", "PIN", "BN", "SY"}
SUPPRESSED = {"O", "Y", "E"}
PRESCRIBABLE = 4096  # CVF bit of the Current Prescribable Content
# RELA says what RXCUI2 is to RXCUI1; (rela) → which end is the generic.
TRADENAME_RELAS = {"has_tradename": "RXCUI2", "tradename_of": "RXCUI1"}
FORM_RELAS = {"has_form": "RXCUI2", "form_of": "RXCUI1"}  # the end that is the IN (the other is the PIN)


def read_rrf(path: Path, fields: tuple[str, ...]):
    """Yield (line number, {field: value}) for each row; a row with the wrong field count is an error."""
    need_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise bad(path, line, f"not UTF-8 ({exc.reason})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not line.endswith("|"):
            raise bad(path, number, f"RRF row does not end with '|' (is this {path.name}?)")
        values = line[:-1].split("|")
        if len(values) != len(fields):
            raise bad(path, number, f"expected {len(fields)} fields ({fields[0]}…{fields[-1]}), found {len(values)}")
        yield number, dict(zip(fields, values))


def _cvf(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0


def load_rxnorm(files: list[Path], checked: str | None = None) -> Imported:
    """Build drug rows (IN, with PIN and SY names as synonyms) and US brand rows (BN ↔ IN)."""
    checked = check_date(checked)
    by_name = {Path(f).name.upper(): Path(f) for f in files}
    for path in by_name.values():
        need_file(path)
    missing = [n for n in ("RXNCONSO.RRF", "RXNREL.RRF") if n not in by_name]
    if missing:
        raise bad(", ".join(missing), None, "file not given (rxnorm needs RXNCONSO.RRF and RXNREL.RRF)")
    result = Imported(SOURCE)

    names: dict[str, dict[str, str]] = {}  # RXCUI → {TTY: preferred string} for IN, PIN, BN
    current: dict[str, bool] = {}  # RXCUI → in the current prescribable content
    synonyms: dict[str, set[str]] = defaultdict(set)
    suppressed = 0
    for _, row in read_rrf(by_name["RXNCONSO.RRF"], CONSO_FIELDS):
        if row["SAB"] != "RXNORM" or row["TTY"] not in KEEP_TTY:
            continue
        if row["SUPPRESS"] in SUPPRESSED:
            suppressed += 1
            continue
        cui, tty, string = row["RXCUI"], row["TTY"], row["STR"].strip()
        if tty == "SY":
            synonyms[cui].add(string.lower())
            continue
        names.setdefault(cui, {}).setdefault(tty, string)
        current[cui] = current.get(cui, False) or bool(_cvf(row["CVF"]) & PRESCRIBABLE)
    tty_of = {cui: next(iter(ttys)) for cui, ttys in names.items()}

    def name(cui: str) -> str:
        return names[cui][tty_of[cui]]

    pin_to_in: dict[str, str] = {}
    brand_generics: dict[str, set[str]] = defaultdict(set)
    for _, row in read_rrf(by_name["RXNREL.RRF"], REL_FIELDS):
        if row["SAB"] != "RXNORM" or row["SUPPRESS"] in SUPPRESSED:
            continue
        rela, one, two = row["RELA"], row["RXCUI1"], row["RXCUI2"]
        if rela in TRADENAME_RELAS:
            generic, brand = (two, one) if TRADENAME_RELAS[rela] == "RXCUI2" else (one, two)
            if tty_of.get(brand) == "BN" and tty_of.get(generic) in ("IN", "PIN"):
                brand_generics[brand].add(generic)
        elif rela in FORM_RELAS:
            base, precise = (two, one) if FORM_RELAS[rela] == "RXCUI2" else (one, two)
            if tty_of.get(base) == "IN" and tty_of.get(precise) == "PIN":
                pin_to_in[precise] = base

    drug_synonyms: dict[str, set[str]] = {cui: set(synonyms[cui]) for cui, tty in tty_of.items() if tty == "IN"}
    for pin, base in sorted(pin_to_in.items()):
        drug_synonyms[base].add(name(pin).lower())
    for cui in sorted(drug_synonyms, key=lambda c: name(c).lower()):
        result.drugs.append(drug_row(name(cui).lower(), SOURCE, checked, sorted(drug_synonyms[cui])))

    unpaired = ambiguous = 0
    for cui in sorted((c for c, t in tty_of.items() if t == "BN"), key=name):
        generics = {pin_to_in.get(g, g) for g in brand_generics.get(cui, ())}
        generics = {g for g in generics if tty_of.get(g) == "IN"}
        if not generics:
            unpaired += 1
            continue
        if len(generics) > 1:
            ambiguous += 1
            result.notes.append(f"RxNorm brand {name(cui)!r} is a tradename of {len(generics)} ingredients "
                                f"({', '.join(sorted(name(g).lower() for g in generics))}); left out")
            continue
        status = "marketed" if current.get(cui) else "unknown"
        result.brands.append(brand_row(name(cui), name(generics.pop()).lower(), "US", status, SOURCE, checked))
    if suppressed:
        result.notes.append(f"{suppressed} suppressed or obsolete RxNorm atom(s) skipped")
    if unpaired:
        result.notes.append(f"{unpaired} RxNorm brand name(s) without a single-ingredient tradename link skipped")
    return result
