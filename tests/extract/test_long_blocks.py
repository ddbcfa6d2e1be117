"""A long block (a paragraph of hundreds of names, a plain-text page with no blank line)
reads as its sentences read one by one. Such blocks once took minutes to read: every
name scanned the rest of the block. How long they take now is measured by
benchmarks/shapes.py, not here; this checks that reading them by range queries
(pipelines/extract/spans.py) finds what reading each sentence alone finds."""
from __future__ import annotations

import pytest

SENTENCES = [
    "Taxotere (docetaxel) is given every three weeks.",
    "Bortezomib, or Velcade, is given by injection.",
    "Capecitabine, also called Xeloda, is a tablet.",
    "Irinotecan hydrochloride is given with leucovorin.",
    "FOLFOX (oxaliplatin, leucovorin, fluorouracil) is given every two weeks.",
    "CAPOX - capecitabine, oxaliplatin.",
    "VRd (also called RVD) \u2013 bortezomib, lenalidomide and dexamethasone.",
    "R-CVP is a gentler treatment. It is a combination of rituximab, cyclophosphamide, vincristine and prednisone.",
    "R-CHOP is given for about 4.5 months. It consists of rituximab, cyclophosphamide, doxorubicin, vincristine and prednisone.",
    "FOLFOX is common. CAPOX is too. It is made up of capecitabine and oxaliplatin.",
    "FOLFIRI plus bevacizumab (Avastin) may be offered.",
    "Patients may have gemcitabine and cisplatin (GC).",
    "AC-T: doxorubicin and cyclophosphamide, then paclitaxel.",
    "The nurse checks for capecitibine and oxaliplatn doses.",
    "XYZQ (cisplatin, etoposide) is an unusual name.",
]


def facts(page) -> tuple[list, list, list]:
    drugs = [(m.text, m.role, m.generic, [(i.text, i.role, i.drug) for i in m.items], m.in_regimen) for m in page.drugs]
    regimens = [(r.name, r.regimen, [c.drug or c.text for c in r.components], [a.drug for a in r.addons]) for r in page.regimens]
    return drugs, regimens, [(s.text, s.suggestion.name if s.suggestion else None) for s in page.suspects]


@pytest.mark.parametrize("fmt,page,joint", [("text", "p.txt", " "), ("html", "p.html", " "), ("markdown", "p.md", "\n")])
def test_a_long_block_reads_as_its_sentences(extract_text, fmt, page, joint):
    alone = [facts(extract_text(sentence)) for sentence in SENTENCES]
    assert all(any(part) for part in alone)  # each sentence gives something to compare
    repeats = 40
    body = joint.join(SENTENCES * repeats)
    source = f"<main><p>{body}</p></main>" if fmt == "html" else body
    long = extract_text(source, fmt, page)
    expected = tuple([item for part in alone for item in part[n]] * repeats for n in range(3))
    assert facts(long) == expected
    assert len({m.where.offset for m in long.drugs}) == len(long.drugs)  # each at its own place
