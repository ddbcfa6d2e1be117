from __future__ import annotations

import pytest

from pipelines.ingest import parse_source
from pipelines.ingest.inline import strip_inline

TEXT = """Society logo

Small intestine

You are here: 

Chemotherapy

Drugs that may be used:

  \u2022 capecitabine (Xeloda)
  \u2022 FOLFOX \u2013 leucovorin, fluorouracil
    and oxaliplatin

A long paragraph that wraps
onto a second line.

Read more

Medical disclaimer

Talk to your doctor about oxaliplatin.
"""


def test_text_headings_bullets_and_chrome(chrome):
    doc = parse_source("p.txt", TEXT, "text", chrome)
    blocks = [(b.kind, b.text, b.section) for b in doc.blocks]
    assert ("heading", "Chemotherapy", "Chemotherapy") in blocks
    assert ("list_item", "capecitabine (Xeloda)", "Chemotherapy") in blocks
    assert ("list_item", "FOLFOX \u2013 leucovorin, fluorouracil and oxaliplatin", "Chemotherapy") in blocks
    assert ("paragraph", "A long paragraph that wraps onto a second line.", "Chemotherapy") in blocks
    joined = " ".join(b.text for b in doc.blocks)
    for chrome_text in ("logo", "You are here", "Read more", "disclaimer", "Talk to your doctor"):
        assert chrome_text not in joined


def test_text_positions(chrome):
    doc = parse_source("p.txt", TEXT, "text", chrome)
    item = next(b for b in doc.blocks if b.text.startswith("FOLFOX"))
    at = item.text.index("oxaliplatin")
    assert doc.line_col(item.offsets[at]) == (13, 9)


MARKDOWN = """---
title: Colon cancer drugs
url: https://example.org/colon
---

# Colon cancer drugs

## Chemotherapy

- **capecitabine** ([Xeloda](https://example.org/x)) &ndash; tablets
- FOLFOX: leucovorin + fluorouracil + oxaliplatin

| Drug | Brand name |
| --- | --- |
| irinotecan | Camptosar |
"""


def test_markdown_blocks_positions_front_matter(chrome):
    doc = parse_source("p.md", MARKDOWN, "markdown", chrome)
    assert doc.url == "https://example.org/colon"
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert items[0].text == "capecitabine (Xeloda) \u2013 tablets"
    assert items[0].heading_path == ("Colon cancer drugs", "Chemotherapy")
    brand = items[0].text.index("Xeloda")
    assert doc.line_col(items[0].offsets[brand]) == (10, 22)
    cells = [(b.text, b.cell.header) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [("irinotecan", "drug"), ("Camptosar", "brand name")]
    line, col = doc.line_col(doc.blocks[-1].offsets[0])
    assert MARKDOWN.splitlines()[line - 1][col - 1:].startswith("Camptosar")


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("**bold** dose", "bold dose"), ("~~gone~~", "gone"), ("`code`", "code"), ("_under_ line", "under line"),
        ("[FOLFOX](https://e.org/f) regimen", "FOLFOX regimen"), ("![icon](i.png)", "icon"), ("<b>tag</b>", "tag"),
        ("5 &amp; 6", "5 & 6"), ("\\*not emphasis", "*not emphasis"), ("snake_case_name", "snake_case_name"),
        ("a!b x<y", "a!b x<y"), ("plain text, no markup", "plain text, no markup"),
    ],
)
def test_inline_markup_is_stripped_and_the_rest_points_at_the_source(text, stripped):
    """Each kind of token on its own (so that a text is never passed over as holding none),
    and texts that only look like markup."""
    out, offsets = strip_inline(text, list(range(len(text))))
    assert out == stripped
    assert len(offsets) == len(out)
    assert all(text[at] == char for char, at in zip(out, offsets) if char != "&")
