"""The two real published pages in ../shared/seeds (skipped when absent)."""
from __future__ import annotations

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")


@pytest.fixture(scope="module")
def seed_run():
    from pipelines import check

    return check([SEEDS], market="CA")


def test_drug_table_holds_every_drug_with_its_brands(seed_run):
    table = seed_run.drug_table
    brands_by_generic: dict[str, set[str]] = {}
    for r in table.itertuples():
        brands_by_generic.setdefault(r.generic, set()).update(b for b in str(r.brands).split(" | ") if b and b != "nan")
    expected = {
        "octreotide": {"Sandostatin"}, "interferon alfa": {"Intron A", "Wellferon"}, "streptozocin": {"Zanosar"},
        "fluorouracil": {"Adrucil"}, "capecitabine": {"Xeloda"}, "larotrectinib": {"Vitrakvi"},
        "entrectinib": {"Rozlytrek"}, "pembrolizumab": {"Keytruda"}, "nivolumab": {"Opdivo"},
        "dostarlimab": {"Jemperli"}, "leucovorin": set(), "oxaliplatin": set(), "irinotecan": set(),
    }
    for generic, brands in expected.items():
        assert generic in brands_by_generic, generic
        assert brands_by_generic[generic] == brands, (generic, brands_by_generic[generic])
    assert set(brands_by_generic) == set(expected)
    written = set(table[table.generic == "fluorouracil"].text)
    assert {"5-fluorouracil", "5-FU", "fluorouracil"} <= written


def test_regimens_with_exactly_their_components(seed_run):
    got = {r.regimen: sorted(str(r.component_generics).split(" | ")) for r in seed_run.regimen_table.itertuples()}
    assert got == {
        "FOLFOX": ["fluorouracil", "leucovorin", "oxaliplatin"],
        "CAPOX": ["capecitabine", "oxaliplatin"],
        "FOLFIRI": ["fluorouracil", "irinotecan", "leucovorin"],
        "FOLFOXIRI": ["fluorouracil", "irinotecan", "leucovorin", "oxaliplatin"],
    }


def test_expected_findings_and_nothing_from_chrome(seed_run):
    codes = {(f.code, f.text) for f in seed_run.findings}
    assert ("BG003", "5-FU") in codes
    assert any(f.code == "BG005" and "5-fluorouracil" in f.message and "5-FU" in f.message for f in seed_run.findings)
    assert not any(f.code == "BG001" for f in seed_run.findings)
    chrome_words = ("logo", "You are here", "Read more", "Learn more", "disclaimer", "Canadian Cancer Society", "1-888")
    for f in seed_run.findings:
        assert not any(w.lower() in (f.text + f.section).lower() for w in chrome_words), f
    assert not any(f.severity == "error" for f in seed_run.findings)


def test_chrome_lines_are_not_blocks(chrome):
    from pipelines.ingest import read_page

    for path in sorted(SEEDS.iterdir()):
        doc, _ = read_page(path, path.name, chrome)
        texts = " ".join(b.text for b in doc.blocks)
        for chrome_text in ("logo", "You are here", "Read more", "Medical disclaimer", "© 2024", "Shahid Ahmed"):
            assert chrome_text not in texts, (path.name, chrome_text)
