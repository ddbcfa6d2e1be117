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
        # a tag that breaks the line parts the words on either side, as a space at the tag
        ("Taxol<br>paclitaxel", "Taxol paclitaxel"), ("a<BR/>b", "a b"), ("a</p><p>b", "a  b"), ("x<bold>y</bold>", "xy"),
        ("a<pre>b", "a b"), ("a<thead>b", "a b"), ("a<theme>b", "ab"),
    ],
)
def test_inline_markup_is_stripped_and_the_rest_points_at_the_source(text, stripped):
    """Each kind of token on its own (so that a text is never passed over as holding none),
    and texts that only look like markup."""
    out, offsets = strip_inline(text, list(range(len(text))))
    assert out == stripped
    assert len(offsets) == len(out)
    assert all(text[at] == char or (char, text[at]) == (" ", "<") for char, at in zip(out, offsets) if char != "&")


HTML_IN_MARKDOWN = """# Drugs

| Brand | Generic |
|---|---|
| Xeloda | capecitabine |

<table>
  <tr><th>Brand</th><th>Generic</th></tr>
  <tr><td>Taxotere</td><td>docetaxel &amp; more</td></tr>
</table>

<!-- a note for editors: Herceptin -->

<div class="box">
<h2>Regimens</h2>
<p>FOLFOX (oxaliplatin)</p>
<script>var drug = "cisplatin";</script>
</div>

After the box: irinotecan.
"""


@pytest.mark.parametrize(
    "text,kind,heading_path,cell",
    [
        ("Xeloda", "table_cell", ("Drugs",), (1, 1, 0, "brand")),
        ("Taxotere", "table_cell", ("Drugs",), (2, 1, 0, "brand")),  # numbered after the Markdown's own table
        ("docetaxel & more", "table_cell", ("Drugs",), (2, 1, 1, "generic")),
        ("Regimens", "heading", ("Drugs", "Regimens"), None),
        ("FOLFOX (oxaliplatin)", "paragraph", ("Drugs", "Regimens"), None),
        ("After the box: irinotecan.", "paragraph", ("Drugs", "Regimens"), None),  # the HTML's heading carries on
    ],
)
def test_html_blocks_in_markdown_are_read_as_html(chrome, text, kind, heading_path, cell):
    doc = parse_source("p.md", HTML_IN_MARKDOWN, "markdown", chrome)
    [block] = [b for b in doc.blocks if b.text == text]
    assert (block.kind, block.heading_path) == (kind, heading_path)
    assert (None if block.cell is None else (block.cell.table, block.cell.row, block.cell.column, block.cell.header)) == cell
    first_word = text.split()[0]
    assert HTML_IN_MARKDOWN[block.offsets[0]:block.offsets[0] + len(first_word)] == first_word  # points at the file
    if "&" in text:  # a character reference points at its '&'
        assert HTML_IN_MARKDOWN[block.offsets[text.index("&")]:].startswith("&amp;")


def test_html_blocks_in_markdown_leave_out_comments_and_scripts(chrome):
    texts = " ".join(b.text for b in parse_source("p.md", HTML_IN_MARKDOWN, "markdown", chrome).blocks)
    assert "Herceptin" not in texts and "cisplatin" not in texts


@pytest.mark.parametrize(
    "markdown,expected",
    [
        # a table whose parts stand apart, with blank lines between: one table, as a browser shows it
        ("# D\n\n<table>\n<tr><th>Generic</th><th>Brand</th></tr>\n\n<tr><td>cisplatin</td><td>Platinol</td></tr>\n\n</table>\n",
         [("heading", "D", ("D",), None), ("table_cell", "cisplatin", ("D",), (1, 1, 0, "generic")),
          ("table_cell", "Platinol", ("D",), (1, 1, 1, "brand"))]),
        # raw HTML as a list item's content is that list item; in a quote, a paragraph
        ("# D\n\n- <div>cisplatin (Platinol)</div>\n- two\n\n> <div>\n> carboplatin\n> </div>\n",
         [("heading", "D", ("D",), None), ("list_item", "cisplatin (Platinol)", ("D",), None), ("list_item", "two", ("D",), None),
          ("paragraph", "carboplatin", ("D",), None)]),
        # an accordion's title in raw HTML heads its panel under the Markdown's heading, as on an HTML page
        ("# T\n\n## Side effects\n\n<details><summary>Nausea</summary>\n<p>cisplatin</p>\n</details>\n\nAfter.\n",
         [("heading", "T", ("T",), None), ("heading", "Side effects", ("T", "Side effects"), None),
          ("heading", "Nausea", ("T", "Side effects", "Nausea"), None), ("paragraph", "cisplatin", ("T", "Side effects", "Nausea"), None),
          ("paragraph", "After.", ("T", "Side effects", "Nausea"), None)]),
        # a line break in a Markdown table cell parts two names
        ("| Generic | Brand |\n|---|---|\n| docetaxel | Taxotere<br>Docefrez |\n",
         [("table_cell", "docetaxel", (), (1, 1, 0, "generic")), ("table_cell", "Taxotere; Docefrez", (), (1, 1, 1, "brand"))]),
    ],
)
def test_raw_html_in_markdown_reads_as_a_browser_shows_it(chrome, markdown, expected):
    doc = parse_source("p.md", markdown, "markdown", chrome)
    cells = [(b.cell.table, b.cell.row, b.cell.column, b.cell.header) if b.cell else None for b in doc.blocks]
    assert [(b.kind, b.text, b.heading_path, cell) for b, cell in zip(doc.blocks, cells)] == expected
    for block in doc.blocks:  # each character points at itself in the file (a line break's at its tag)
        assert all(markdown[at] == char or (char in "; " and markdown[at] == "<") for char, at in zip(block.text, block.offsets) if char != " ")
