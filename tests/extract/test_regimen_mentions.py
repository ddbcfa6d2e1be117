from __future__ import annotations

import pytest


def _regimens(page):
    return [(r.name, r.regimen, [c.drug for c in r.components]) for r in page.regimens]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("FOLFOX \u2013 leucovorin (folinic acid), 5-fluorouracil (also called 5-FU or fluorouracil) and oxaliplatin",
         [("FOLFOX", "FOLFOX", ["leucovorin", "fluorouracil", "oxaliplatin"])]),
        ("CAPOX - capecitabine, oxaliplatin", [("CAPOX", "CAPOX", ["capecitabine", "oxaliplatin"])]),
        ("CAPOX: capecitabine + oxaliplatin", [("CAPOX", "CAPOX", ["capecitabine", "oxaliplatin"])]),
        ("R-CHOP (rituximab, cyclophosphamide, doxorubicin, vincristine and prednisone) is used.",
         [("R-CHOP", "R-CHOP", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"])]),
        ("A combination called ABVD, which includes doxorubicin, bleomycin, vinblastine and dacarbazine, is common.",
         [("ABVD", "ABVD", ["doxorubicin", "bleomycin", "vinblastine", "dacarbazine"])]),
        ("AC-T: doxorubicin and cyclophosphamide, then paclitaxel", [("AC-T", "AC-T", ["doxorubicin", "cyclophosphamide", "paclitaxel"])]),
        ("FOLFOX or CAPOX may be offered.", [("FOLFOX", "FOLFOX", []), ("CAPOX", "CAPOX", [])]),
        ("FOLFOXX \u2013 leucovorin, fluorouracil and oxaliplatin", [("FOLFOXX", "", ["leucovorin", "fluorouracil", "oxaliplatin"])]),
        ("TC \u2013 docetaxel and cyclophosphamide", [("TC", "docetaxel-cyclophosphamide", ["docetaxel", "cyclophosphamide"])]),
        # the list in the next sentence, after a pronoun: one period may come before that sentence's
        ("R-CHOP is given for about 4.5 months. It consists of rituximab, cyclophosphamide, doxorubicin, vincristine and prednisone.",
         [("R-CHOP", "R-CHOP", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"])]),
        ("R-CHOP is given for 4.5 months. Cycles are 21 days. It consists of rituximab.", [("R-CHOP", "R-CHOP", [])]),  # two sentences on
        # "the X regimen, which combines ..."
        ("The FOLFOX regimen, which combines leucovorin, fluorouracil and oxaliplatin, is common.",
         [("FOLFOX", "FOLFOX", ["leucovorin", "fluorouracil", "oxaliplatin"])]),
        # but not "the X regimen, which is ..." (what follows may be anything)
        ("The FOLFOX regimen, which is the most common option, and capecitabine with irinotecan are used.", [("FOLFOX", "FOLFOX", [])]),
        # and it belongs to the name nearest before it
        ("FOLFOX is common. CAPOX is too. It is made up of capecitabine and oxaliplatin.",
         [("FOLFOX", "FOLFOX", []), ("CAPOX", "CAPOX", ["capecitabine", "oxaliplatin"])]),
    ],
)
def test_regimen_forms(extract_text, text, expected):
    assert _regimens(extract_text(text)) == expected


def test_addons_after_plus(extract_text):
    page = extract_text("FOLFOX plus bevacizumab (Avastin) may be used.")
    assert [(r.name, r.listed, [a.drug for a in r.addons]) for r in page.regimens] == [("FOLFOX", False, ["bevacizumab"])]


def test_addons_stop_at_the_next_regimen(extract_text):
    page = extract_text("FOLFIRI plus bevacizumab, VRd with or without daratumumab, and CAPOX with cetuximab are options")
    assert [(r.name, [a.drug for a in r.addons]) for r in page.regimens] == [
        ("FOLFIRI", ["bevacizumab"]), ("VRd", []), ("CAPOX", ["cetuximab"])]


def test_optional_components(extract_text):
    page = extract_text("VRd \u2013 bortezomib, lenalidomide and dexamethasone, with or without daratumumab")
    components = [(c.drug, c.optional) for c in page.regimens[0].components]
    assert components[-1] == ("daratumumab", True)


def test_definition_list_and_lead_in_list(extract_text):
    html = "<main><dl><dt>ABVD</dt><dd>doxorubicin, bleomycin, vinblastine and dacarbazine</dd></dl></main>"
    assert _regimens(extract_text(html, "html", "p.html")) == [("ABVD", "ABVD", ["doxorubicin", "bleomycin", "vinblastine", "dacarbazine"])]
    md = "A combination called PCV is made up of:\n\n- procarbazine\n- lomustine (CCNU)\n- vincristine\n"
    assert _regimens(extract_text(md, "markdown", "p.md")) == [("PCV", "PCV", ["procarbazine", "lomustine", "vincristine"])]


def test_regimen_table(extract_text):
    html = """<main><table><tr><th>Regimen</th><th>Drugs in it</th></tr>
<tr><td>FLOT</td><td>fluorouracil, leucovorin, oxaliplatin and docetaxel</td></tr></table></main>"""
    assert _regimens(extract_text(html, "html", "p.html")) == [("FLOT", "FLOT", ["fluorouracil", "leucovorin", "oxaliplatin", "docetaxel"])]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("VRd (also called RVD) \u2013 bortezomib, lenalidomide and dexamethasone",
         [("VRd", "VRd", ["bortezomib", "lenalidomide", "dexamethasone"])]),
        ("Kd is carfilzomib and dexamethasone. FOLFOX is given every 2 weeks.",
         [("Kd", "Kd", ["carfilzomib", "dexamethasone"]), ("FOLFOX", "FOLFOX", [])]),
        ("R-CVP is a gentler treatment. It is a combination of rituximab, cyclophosphamide, vincristine and prednisone.",
         [("R-CVP", "R-CVP", ["rituximab", "cyclophosphamide", "vincristine", "prednisone"])]),
        ("Gemcitabine and cisplatin (GC) are given every 3 weeks.", [("GC", "gemcitabine-cisplatin", ["gemcitabine", "cisplatin"])]),
        ("BRAF V600E \u2013 a combination of dabrafenib (Tafinlar) and trametinib (Mekinist)", []),
    ],
)
def test_more_regimen_forms(extract_text, text, expected):
    page = extract_text(text)
    assert _regimens(page) == expected
    assert not any(i.role == "unknown" for m in page.drugs for i in m.items)


@pytest.mark.parametrize(
    "body,expected",
    [
        # the name alone above a list whose items are each a drug's bare name (a parenthesis allowed)
        ("<h3>FOLFOX</h3><ul><li>oxaliplatin</li><li>leucovorin.</li><li>fluorouracil (5-FU)</li></ul>",
         [("FOLFOX", "FOLFOX", ["oxaliplatin", "leucovorin", "fluorouracil"])]),
        ("<p><strong>CAPOX</strong></p><ol><li>capecitabine</li><li>oxaliplatin</li></ol>", [("CAPOX", "CAPOX", ["capecitabine", "oxaliplatin"])]),
        # a list saying something about each drug is not the regimen's list
        ("<h3>FOLFOX</h3><ul><li>Oxaliplatin can cause tingling.</li><li>Fluorouracil can cause a sore mouth.</li></ul>",
         [("FOLFOX", "FOLFOX", [])]),
        # nor a list of one drug
        ("<h3>FOLFOX</h3><ul><li>ondansetron</li></ul><p>Ask your nurse.</p>", [("FOLFOX", "FOLFOX", [])]),
        # nor a list of drugs given beside it (anti-sickness drugs, add-ons), nor one under a name rxqa does not know
        ("<h3>FOLFOX</h3><ul><li>ondansetron</li><li>dexamethasone</li></ul>", [("FOLFOX", "FOLFOX", [])]),
        ("<h2>FOLFOX</h2><ul><li>bevacizumab</li><li>cetuximab</li><li>panitumumab</li></ul>", [("FOLFOX", "FOLFOX", [])]),
        ("<h3>XYZQ</h3><ul><li>oxaliplatin</li><li>leucovorin</li></ul>", []),
        # nor a list item holding a name, above other items (a list of options), nor a term of a definition list
        ("<p>Your options:</p><ul><li>FOLFOX</li><li>CAPOX</li><li>capecitabine</li><li>oxaliplatin</li></ul>",
         [("FOLFOX", "FOLFOX", []), ("CAPOX", "CAPOX", [])]),
        ("<dl><dt>FOLFIRINOX</dt><dd>ondansetron</dd><dd>dexamethasone</dd><dt>Gemcitabine</dt><dd>ondansetron</dd></dl>",
         [("FOLFIRINOX", "FOLFIRINOX", [])]),
    ],
)
def test_a_name_over_a_list_of_drug_names(extract_text, body, expected):
    assert _regimens(extract_text(f"<main>{body}</main>", "html", "p.html")) == expected


@pytest.mark.parametrize(
    "page,source,fmt,expected",
    [
        # an ambiguous name with no drugs listed: the page's name, title and headings choose
        ("breast-cancer.txt", "TC may be offered.", "text", "docetaxel-cyclophosphamide"),
        ("lung-cancer.txt", "TC may be offered.", "text", "carboplatin-paclitaxel"),
        ("treatments.txt", "TC may be offered.", "text", ""),  # nothing on the page says which
        ("breast-cancer.txt", "GC may be offered.", "text", "gemcitabine-carboplatin"),  # not bladder's, which starts alike
        ("treatments.md", "# Ovarian cancer\n\nTC may be offered.\n", "markdown", "carboplatin-paclitaxel"),
        ("treatments.md", "# Breast cancer\n\n## Lung cancer\n\nTC may be offered.\n", "markdown", ""),  # both fit
        # a word of the context counts only from a word's start
        ("treatments.md", "# Pulmonary (Xlung) notes\n\nTC may be offered.\n", "markdown", ""),
        # many ambiguous names under many headings: each resolved as it would be alone
        ("treatments.md", "# Breast cancer\n\n" + "".join(f"## Option {i}\n\nTC or EC may be offered.\n\n" for i in range(30)),
         "markdown", "docetaxel-cyclophosphamide"),
    ],
)
def test_ambiguous_name_resolved_by_page_words(extract_text, page, source, fmt, expected):
    found = extract_text(source, fmt, page)
    name = "GC" if "GC " in source else "TC"
    named = [r.regimen for r in found.regimens if r.name == name]
    assert named and set(named) == {expected}
