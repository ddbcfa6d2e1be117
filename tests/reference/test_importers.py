"""Reference importers (RxNorm RRF, Health Canada DPD, HemOnc OMOP tables) and their merge.

The fixtures are small hand-written files in the real formats. Facts in them are
real (Xeloda is capecitabine) or obviously fictional (Zorblax, zorblaxamab,
velnotinib, Quendrix); RXCUIs, DINs and HemOnc codes are made up.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.errors import RxqaError
from pipelines.reference.importers import SOURCES, ImportReport, base_moiety, import_reference, load_rows
from pipelines.reference.importers.dpd import is_generic_name, title_brand
from pipelines.reference.importers.rxnorm import CONSO_FIELDS, REL_FIELDS
from pipelines.reference.load import load_reference

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CURATED = FIXTURES / "curated"
DATE = "2026-02-01"


def files(folder: str) -> list[Path]:
    return sorted((FIXTURES / folder).iterdir())


def pairs(rows: list[dict]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(r["brand"], r["market"]): (r["drug"], r["status"]) for r in rows}


# --- the fixtures are in the exact real formats ------------------------------------------------------

@pytest.mark.parametrize("name, fields", [("RXNCONSO.RRF", CONSO_FIELDS), ("RXNREL.RRF", REL_FIELDS)])
def test_rrf_fixtures_have_nlm_layout(name, fields):
    lines = (FIXTURES / "rxnorm" / name).read_text(encoding="utf-8").splitlines()
    assert lines and all(line.endswith("|") and line.count("|") == len(fields) for line in lines)
    assert len(CONSO_FIELDS) == 18 and len(REL_FIELDS) == 16


def test_rrf_fixture_has_both_rela_directions_and_a_one_way_pair():
    rows = [line.split("|") for line in (FIXTURES / "rxnorm" / "RXNREL.RRF").read_text().splitlines()]
    relas = {(r[0], r[4], r[7]) for r in rows}
    # Xeloda (9900002) only as "capecitabine has_tradename Xeloda"; Camptosar only as "Camptosar tradename_of irinotecan"
    assert ("9900002", "9900001", "has_tradename") in relas and ("9900001", "9900002", "tradename_of") not in relas
    assert ("9900003", "9900005", "tradename_of") in relas and ("9900005", "9900003", "has_tradename") not in relas


def test_dpd_fixtures_are_quoted_and_headerless():
    for path in files("dpd"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith('"') and first.endswith('"') and "DRUG_CODE" not in first.upper()


# --- each loader -----------------------------------------------------------------------------------

RXNORM_BRANDS = {
    ("Xeloda", "US"): ("capecitabine", "marketed"),  # only the has_tradename row (RXCUI1=BN, RXCUI2=IN)
    ("Camptosar", "US"): ("irinotecan", "marketed"),  # only the tradename_of row (RXCUI1=IN, RXCUI2=BN)
    ("Zorblax", "US"): ("zorblaxamab", "marketed"),  # both rows
}


def test_rxnorm_pairs_brands_in_the_direction_rela_reads():
    imported = load_rows("rxnorm", files("rxnorm"), DATE)
    assert pairs(imported.brands) == RXNORM_BRANDS
    assert {r["source"] for r in imported.brands + imported.drugs} == {"RxNorm"}
    assert {r["checked"] for r in imported.brands + imported.drugs} == {DATE}


@pytest.mark.parametrize("name, synonyms", [
    ("capecitabine", ""),
    ("irinotecan", "irinotecan hydrochloride"),  # PIN → IN via has_form, kept as a synonym
    ("zorblaxamab", "zorblaxamab-qqzx"),  # SY atom
])
def test_rxnorm_drugs(name, synonyms):
    drugs = {r["name"]: r for r in load_rows("rxnorm", files("rxnorm"), DATE).drugs}
    assert set(drugs) == {"capecitabine", "irinotecan", "zorblaxamab"}  # no PIN, BN or SBD as a drug
    assert drugs[name]["synonyms"] == synonyms


def test_rxnorm_skips_suppressed_and_other_sources():
    imported = load_rows("rxnorm", files("rxnorm"), DATE)
    names = {r["brand"] for r in imported.brands} | {r["name"] for r in imported.drugs}
    assert "Zorbloxin" not in names  # SUPPRESS=O
    assert "CAPECITABINE" not in names  # SAB=MTHSPL
    assert any("suppressed" in note for note in imported.notes)


DPD_BRANDS = {
    ("Xeloda", "CA"): ("capecitabine", "marketed"),
    ("Sandostatin LAR", "CA"): ("octreotide", "marketed"),
    ("Caelyx", "CA"): ("doxorubicin", "marketed"),
    ("Folinic Acid", "CA"): ("leucovorin", "marketed"),  # not filtered here; the merge rejects it as a generic
    ("Zorblax", "CA"): ("zorblaxamab", "unknown"),  # APPROVED
    ("Wellferon", "CA"): ("interferon alfa-n1", "discontinued"),  # _ia set, CANCELLED POST MARKET
    ("Quendrix", "CA"): ("zorblaxamab", "discontinued"),  # _dr set, DORMANT
}


def test_dpd_brands_status_and_filters():
    imported = load_rows("dpd", files("dpd"), DATE)
    assert pairs(imported.brands) == DPD_BRANDS  # no TEVA-CAPECITABINE, OXALIPLATIN INJECTION or ZORBLAX VET
    assert next(r for r in imported.brands if r["brand"] == "Sandostatin LAR")["formulation"] == "long-acting"
    drugs = {r["name"]: r for r in imported.drugs}
    assert drugs["capecitabine"]["atc"] == "L01BC06" and drugs["capecitabine"]["class"] == "chemotherapy"
    assert drugs["octreotide"]["synonyms"] == "octreotide acetate" and drugs["octreotide"]["class"] == "hormone"
    assert {r["source"] for r in imported.brands} == {"Health Canada DPD"}


@pytest.mark.parametrize("ingredient, base", [
    ("OCTREOTIDE (OCTREOTIDE ACETATE)", "octreotide"),
    ("IRINOTECAN HYDROCHLORIDE TRIHYDRATE", "irinotecan"),
    ("LEUCOVORIN (LEUCOVORIN CALCIUM)", "leucovorin"),
    ("PEMETREXED DISODIUM", "pemetrexed"),
    ("INTERFERON ALFA-2B", "interferon alfa-2b"),
    ("ZOLEDRONIC ACID", "zoledronic acid"),
    ("SODIUM THIOSULFATE", "sodium thiosulfate"),
])
def test_base_moiety(ingredient, base):
    assert base_moiety(ingredient) == base


@pytest.mark.parametrize("raw, title", [
    ("XELODA", "Xeloda"), ("SANDOSTATIN LAR", "Sandostatin LAR"), ("INTRON A", "Intron A"),
    ("ROFERON-A", "Roferon-A"), ("KEYTRUDA", "Keytruda"),
])
def test_title_brand(raw, title):
    assert title_brand(raw) == title


@pytest.mark.parametrize("name, ingredients, generic", [
    ("TEVA-CAPECITABINE", ["CAPECITABINE"], True),
    ("MINT-CAPECITABINE", ["CAPECITABINE"], True),
    ("SANDOZ OCTREOTIDE", ["OCTREOTIDE (OCTREOTIDE ACETATE)"], True),
    ("JAMP ZORBLAX", ["ZORBLAXAMAB"], True),
    ("OXALIPLATIN INJECTION", ["OXALIPLATIN"], True),
    ("OCTREOTIDE ACETATE OMEGA", ["OCTREOTIDE (OCTREOTIDE ACETATE)"], True),
    ("XELODA", ["CAPECITABINE"], False),
    ("SANDOSTATIN LAR", ["OCTREOTIDE (OCTREOTIDE ACETATE)"], False),
])
def test_generic_company_names(name, ingredients, generic):
    assert is_generic_name(name, ingredients) is generic


def test_hemonc_regimens_components_addons_aliases():
    regimens = {r["name"]: r for r in load_rows("hemonc", files("hemonc"), DATE).regimens}
    assert regimens["FOLFOX"]["components"] == "leucovorin|fluorouracil|oxaliplatin"
    assert regimens["CapeOx"]["aliases"] == "CAPOX|XELOX"
    assert regimens["CapeOx"]["components"] == "capecitabine|oxaliplatin"  # the RxNorm-mapped row is ignored
    assert regimens["ICE"]["components"] == "ifosfamide|carboplatin|etoposide" and regimens["ICE"]["addons"] == "mesna"
    assert {r["source"] for r in regimens.values()} == {"HemOnc (user-supplied)"}


def test_hemonc_reads_tab_separated(tmp_path):
    for path in files("hemonc"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_csv(tmp_path / (path.stem + ".tsv"), sep="\t", index=False)
    regimens = {r["name"] for r in load_rows("hemonc", sorted(tmp_path.iterdir()), DATE).regimens}
    assert {"FOLFOX", "CapeOx", "FOLFIRI", "ICE"} <= regimens


# --- malformed input: RxqaError naming the file and line (the CLI exits 2) ------------------------------

@pytest.mark.parametrize("source, folder, extra, message", [
    ("rxnorm", "rxnorm_bad", None, r"rxnorm_bad/RXNREL\.RRF:2: expected 16 fields"),
    ("dpd", "dpd_bad_columns", None, r"dpd_bad_columns/drug\.txt:2: expected 14 quoted columns"),
    ("dpd", "dpd_bad_quote", None, r"dpd_bad_quote/ingred\.txt:2: unterminated quote"),
    ("hemonc", "hemonc_bad", None, r"hemonc_bad/concept_relationship\.csv:6: expected 8 columns"),
    ("dpd", "dpd", "status_ap.txt", r"dpd/status_ap\.txt: file not found"),
    ("rxnorm", "rxnorm", "MISSING/RXNSAT.RRF", r"RXNSAT\.RRF: file not found"),
])
def test_malformed_input_names_file_and_line(source, folder, extra, message):
    given = files(folder) + ([FIXTURES / folder / extra] if extra else [])
    with pytest.raises(RxqaError, match=message):
        load_rows(source, given, DATE)


@pytest.mark.parametrize("source, given, message", [
    ("rxnorm", ["rxnorm/RXNCONSO.RRF"], "RXNREL.RRF: file not given"),
    ("dpd", ["dpd/drug.txt"], "ingred.txt: file not given"),
    ("hemonc", ["hemonc/concept.csv", "dpd/drug.txt"], "not a HemOnc table"),
    ("unii", ["dpd/drug.txt"], "unknown reference source"),
])
def test_missing_or_wrong_files(source, given, message):
    with pytest.raises(RxqaError, match=message):
        load_rows(source, [FIXTURES / g for g in given], DATE)


def test_missing_line_in_rrf_without_trailing_pipe(tmp_path):
    conso = tmp_path / "RXNCONSO.RRF"
    conso.write_text((FIXTURES / "rxnorm" / "RXNCONSO.RRF").read_text().replace("Xeloda||N|4096|", "Xeloda||N|4096"), encoding="utf-8")
    shutil.copy(FIXTURES / "rxnorm" / "RXNREL.RRF", tmp_path)
    with pytest.raises(RxqaError, match=r"RXNCONSO\.RRF:3: RRF row does not end with"):
        load_rows("rxnorm", sorted(tmp_path.iterdir()), DATE)


# --- merge ------------------------------------------------------------------------------------------

def run(source: str, tmp_path: Path, curated: Path = CURATED) -> tuple[ImportReport, Path]:
    out = tmp_path / "out"
    return import_reference(source, files(source), out, curated, checked=DATE), out


def entries(report: ImportReport, kind: str) -> set[str]:
    return {f"{e.table} {e.key}" for e in getattr(report, kind)}


MERGES = [
    ("rxnorm",
     {"drugs.csv zorblaxamab"},
     {"brands.csv Camptosar (US)"},
     {"brands.csv Zorblax (US)"}),
    ("dpd",
     {"drugs.csv interferon alfa-n1", "drugs.csv zorblaxamab", "brands.csv Sandostatin LAR (CA)", "brands.csv Wellferon (CA)",
      "brands.csv Zorblax (CA)", "brands.csv Quendrix (CA)"},
     set(),
     {"brands.csv Caelyx (CA)", "brands.csv Folinic Acid (CA)"}),
    ("hemonc",
     {"regimens.csv FOLFIRI", "regimens.csv ICE"},
     set(),
     {"regimens.csv Zorblaxamab and oxaliplatin"}),
]


@pytest.mark.parametrize("source, added, changed, conflicts", MERGES)
def test_merge_adds_reports_and_validates(source, added, changed, conflicts, tmp_path):
    report, out = run(source, tmp_path)
    assert entries(report, "added") == added
    assert entries(report, "changed") == changed
    assert entries(report, "conflicts") == conflicts
    reference = load_reference(out)  # the merged output passes SC002
    assert (out / "terms.csv").read_bytes() == (CURATED / "terms.csv").read_bytes()
    assert len(reference.drugs) >= 13
    text = "\n".join(report.lines())
    assert f"import {source}" in text and all(a.split(" ", 1)[1] in text for a in added | changed | conflicts)


@pytest.mark.parametrize("source", SOURCES)
def test_merge_never_changes_a_curated_row(source, tmp_path):
    _, out = run(source, tmp_path)
    for table in ("drugs.csv", "brands.csv", "regimens.csv"):
        before = pd.read_csv(CURATED / table, dtype=str, keep_default_na=False)
        after = pd.read_csv(out / table, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(after.iloc[: len(before)], before)


def test_merge_keeps_curated_values_and_marks_new_rows(tmp_path):
    report, out = run("rxnorm", tmp_path)
    brands = pd.read_csv(out / "brands.csv", dtype=str, keep_default_na=False)
    camptosar = brands[(brands.brand == "Camptosar") & (brands.market == "US")]
    assert camptosar.status.tolist() == ["unknown"]  # curated value kept; the import's "marketed" is reported
    assert "status: curated 'unknown', import 'marketed'" in str(report.changed[0])
    zorblax = brands[brands.brand == "Zorblax"]
    assert zorblax.drug.tolist() == ["velnotinib"]  # the conflicting import row is left out
    drugs = pd.read_csv(out / "drugs.csv", dtype=str, keep_default_na=False).set_index("name")
    assert drugs.loc["zorblaxamab", "source"] == "RxNorm" and drugs.loc["zorblaxamab", "checked"] == DATE
    assert drugs.loc["zorblaxamab", "synonyms"] == "zorblaxamab-qqzx"


def test_dpd_merge_new_brands_and_status(tmp_path):
    report, out = run("dpd", tmp_path)
    reference = load_reference(out)
    found = {(b.brand, b.market): (b.drug, b.status, b.formulation) for b in reference.brands}
    assert found[("Wellferon", "CA")] == ("interferon alfa-n1", "discontinued", "")
    assert found[("Sandostatin LAR", "CA")] == ("octreotide", "marketed", "long-acting")
    assert found[("Caelyx", "CA")][0] == "pegylated liposomal doxorubicin"  # curated kept
    assert ("Folinic Acid", "CA") not in found
    assert "also a generic name or synonym of 'leucovorin'" in "\n".join(report.lines())


def test_hemonc_merge_matches_curated_aliases(tmp_path):
    report, out = run("hemonc", tmp_path)
    reference = load_reference(out)
    assert "CapeOx" not in reference.regimens  # matched the curated CAPOX through its alias
    assert reference.regimens["ICE"].addons == ("mesna",)
    assert reference.regimens["FOLFIRI"].aliases == ("mFOLFIRI",)
    assert report.unchanged == 2  # FOLFOX and CAPOX as curated


def test_merge_reports_component_and_alias_differences(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    regimens = curated / "regimens.csv"
    regimens.write_text(regimens.read_text().replace("CAPOX,XELOX|CapeOx,", "CAPOX,CapeOx,"), encoding="utf-8")
    report, out = run("hemonc", tmp_path, curated)
    capox = next(e for e in report.changed if e.key == "CAPOX")
    assert "XELOX" in capox.detail and "CAPOX" not in capox.detail.split("calls it")[1]
    assert "XELOX" not in load_reference(out).regimens["CAPOX"].aliases


def test_import_in_place_updates_the_curated_folder(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    report = import_reference("dpd", files("dpd"), curated, curated, checked=DATE)
    assert ("Wellferon", "CA") in {(b.brand, b.market) for b in load_reference(curated).brands}
    assert report.count("added", "brands.csv") == 4


def test_an_invalid_curated_reference_is_refused(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    (curated / "brands.csv").write_text("brand,drug,market,status,formulation,source,checked\nXeloda,nodrug,CA,marketed,,x y,2026-01-01\n")
    with pytest.raises(RxqaError, match="brands.csv:2"):
        run("dpd", tmp_path, curated)
    assert not (tmp_path / "out").exists()


def test_rows_the_reference_checks_reject_are_left_out(tmp_path):
    from pipelines.reference.importers import _validated
    from pipelines.reference.importers.report import ImportReport as Report
    from pipelines.reference.load import read_table

    frames = {p.name: read_table(p) for p in CURATED.glob("*.csv")}
    curated_rows = {name: len(frame) for name, frame in frames.items()}
    bad_row = {**frames["drugs.csv"].iloc[0].to_dict(), "name": "zorblaxamab", "synonyms": "", "atc": "not-an-atc"}
    frames["drugs.csv"] = pd.concat([frames["drugs.csv"], pd.DataFrame([bad_row])], ignore_index=True)
    for extra in ("terms.csv", "therapy_headings.csv"):
        shutil.copy(CURATED / extra, tmp_path)
    report = Report("dpd", [], tmp_path)
    merged = _validated(frames, curated_rows, tmp_path, report)
    assert "zorblaxamab" not in set(merged["drugs.csv"]["name"])
    assert [(e.table, e.key) for e in report.conflicts] == [("drugs.csv", "zorblaxamab")]
    assert "atc 'not-an-atc'" in report.conflicts[0].detail and str(tmp_path) not in report.conflicts[0].detail
    load_reference(tmp_path)


def test_new_drug_named_like_a_regimen_is_a_conflict(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    regimens = curated / "regimens.csv"
    regimens.write_text(regimens.read_text() + "Zorblaxamab,,capecitabine|oxaliplatin,,,,fictional test row,2026-01-15\n", encoding="utf-8")
    report, out = run("rxnorm", tmp_path, curated)
    assert "drugs.csv zorblaxamab" in entries(report, "conflicts")
    load_reference(out)
