from __future__ import annotations

import pytest


def _rows(page):
    return [(m.text, m.role, m.generic, [i.text for i in m.brands], [i.text for i in m.other_names]) for m in page.drugs]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("octreotide (Sandostatin)", [("octreotide", "generic", "octreotide", ["Sandostatin"], [])]),
        ("interferon alfa (Intron A, Wellferon)", [("interferon alfa", "generic", "interferon alfa", ["Intron A", "Wellferon"], [])]),
        ("5-fluorouracil (also called 5-FU or fluorouracil)", [("5-fluorouracil", "synonym", "fluorouracil", [], ["5-FU", "fluorouracil"])]),
        ("5-fluorouracil (Adrucil, 5-FU)", [("5-fluorouracil", "synonym", "fluorouracil", ["Adrucil"], ["5-FU"])]),
        ("Xeloda (capecitabine) tablets", [("Xeloda", "brand", "capecitabine", [], ["capecitabine"])]),
        ("irinotecan hydrochloride (Camptosar)", [("irinotecan hydrochloride", "synonym", "irinotecan", ["Camptosar"], [])]),
        ("Bortezomib, or Velcade, is injected.", [("Bortezomib", "generic", "bortezomib", ["Velcade"], [])]),
        ("capecitabine (Xeloda\u00ae)", [("capecitabine", "generic", "capecitabine", ["Xeloda\u00ae"], [])]),
        ("nab\u2011paclitaxel (Abraxane)", [("nab\u2011paclitaxel", "generic", "nab-paclitaxel", ["Abraxane"], [])]),
        ("5-FU or capecitabine", [("5-FU", "abbreviation", "fluorouracil", [], []), ("capecitabine", "generic", "capecitabine", [], [])]),
        ("pembrolizumab (given every 3 weeks)", [("pembrolizumab", "generic", "pembrolizumab", [], [])]),
        # a brand named after the generic, outside a parenthesis or inside one
        ("paclitaxel \u2013 brand name Taxol \u2013 is given weekly.", [("paclitaxel", "generic", "paclitaxel", ["Taxol"], [])]),
        ("Capecitabine, sold as Xeloda, is a tablet.", [("Capecitabine", "generic", "capecitabine", ["Xeloda"], [])]),
        ("regorafenib, trade name: Stivarga", [("regorafenib", "generic", "regorafenib", ["Stivarga"], [])]),
        ("trastuzumab (marketed as Herceptin)", [("trastuzumab", "generic", "trastuzumab", ["Herceptin"], [])]),
        ("octreotide (brand-name Sandostatin)", [("octreotide", "generic", "octreotide", ["Sandostatin"], [])]),
        ("docetaxel brand Taxotere", [("docetaxel", "generic", "docetaxel", [], []), ("Taxotere", "brand", "docetaxel", [], [])]),  # no "name": two mentions
        # brands named after two generics are not the last one's
        ("Trastuzumab and pertuzumab \u2013 brand names Herceptin and Perjeta",
         [("Trastuzumab", "generic", "trastuzumab", [], []), ("pertuzumab", "generic", "pertuzumab", [], []),
          ("Herceptin", "brand", "trastuzumab", [], []), ("Perjeta", "brand", "pertuzumab", [], [])]),
    ],
)
def test_mention_forms(extract_text, text, expected):
    assert _rows(extract_text(text)) == expected


def test_positions_of_mentions_and_items(extract_text):
    page = extract_text("Chemotherapy\n\n  \u2022 streptozocin (Zanosar) and 5-FU\n")
    first = page.drugs[0]
    assert (first.where.line, first.where.column) == (3, 5)
    assert (first.items[0].where.line, first.items[0].where.column) == (3, 19)
    assert (page.drugs[1].where.line, page.drugs[1].where.column) == (3, 32)


def test_common_words_and_biomarkers_are_not_drugs(extract_text):
    page = extract_text("The NTRK gene and MSI-H tumours respond. External beam radiation. Chop the ice into chips.")
    assert page.drugs == [] and page.regimens == []


def test_unknown_drug_by_stem_is_extracted(extract_text):
    page = extract_text("Some people are offered quorbatinib in a trial.")
    assert [(m.text, m.role, m.generic) for m in page.drugs] == [("quorbatinib", "unknown", "")]
    misspelt = extract_text("Some people are offered zanidatumab in a trial.")
    assert [(m.text, m.role, m.generic) for m in misspelt.drugs] == [("zanidatumab", "unknown", "zanidatamab")]


def test_brand_table_rows_pair_cells(extract_text):
    html = """<main><table><tr><th>Brand name</th><th>Generic name</th></tr>
<tr><td>Stivarga</td><td>regorafenib</td></tr></table></main>"""
    page = extract_text(html, "html", "p.html")
    assert _rows(page) == [("regorafenib", "generic", "regorafenib", ["Stivarga"], [])]


@pytest.mark.parametrize(
    "generic_header,brand_header",
    [("Generic name", "Brand name"), ("Medicine", "Trade name"), ("Drug name", "Trade names"), ("Drug", "Product name"),
     ],
)
def test_brand_columns_by_their_header(extract_text, generic_header, brand_header):
    html = f"""<main><table><tr><th>{generic_header}</th><th>{brand_header}</th></tr>
<tr><td>regorafenib</td><td>Stivarga</td></tr></table></main>"""
    assert _rows(extract_text(html, "html", "p.html")) == [("regorafenib", "generic", "regorafenib", ["Stivarga"], [])]


def test_a_column_of_drugs_and_brands_together_is_read_as_running_text(extract_text):
    html = """<main><table><tr><th>Drug (brand name)</th><th>Use</th></tr>
<tr><td>regorafenib (Stivarga)</td><td>bowel</td></tr></table></main>"""
    assert _rows(extract_text(html, "html", "p.html")) == [("regorafenib", "generic", "regorafenib", ["Stivarga"], [])]


def test_other_names_columns_are_not_brand_columns(extract_text):
    """"Other names" and "Also known as" hold abbreviations and chemical names as much as brands:
    such a column does not make the table a brand table (a brand column beside it still does)."""
    html = """<main><table><tr><th>Drug</th><th>Also known as</th><th>Brand name</th></tr>
<tr><td>regorafenib</td><td>BAY 73-4506</td><td>Stivarga</td></tr></table></main>"""
    assert _rows(extract_text(html, "html", "p.html"))[0] == ("regorafenib", "generic", "regorafenib", ["Stivarga"], [])
