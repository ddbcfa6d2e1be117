from __future__ import annotations

import pytest

from pipelines.ingest import parse_source


def _blocks(source, chrome):
    doc = parse_source("p.html", source, "html", chrome)
    return doc, [(b.kind, b.text, b.heading_path) for b in doc.blocks]


def test_entities_are_decoded_and_positions_point_at_the_source(chrome):
    source = "<html><body><main>\n<h2>Chemo&shy;therapy</h2>\n<p>FOLFOX&nbsp;&ndash; leucovorin&reg; and 5&#8209;FU</p>\n</main></body></html>"
    doc, blocks = _blocks(source, chrome)
    paragraph = doc.blocks[1]
    assert paragraph.text == "FOLFOX \u2013 leucovorin\u00ae and 5\u2011FU"
    start = paragraph.text.index("leucovorin")
    line, column = doc.line_col(paragraph.offsets[start])
    assert (line, column) == (3, 24)
    assert source.splitlines()[2][column - 1:column - 1 + 10] == "leucovorin"
    dash = paragraph.text.index("\u2013")
    assert source[paragraph.offsets[dash]:].startswith("&ndash;")


@pytest.mark.parametrize(
    "between",
    [
        "\r\n", "\r", "\n", "\r&#10;", "&#10;\r\n", "\x00\r\n", " &amp; ", "&amp2 ", "&bogus; ",
        " <!-- oxaliplatin (Eloxatin) with --> ", '<span title="oxaliplatin&#10;(Eloxatin) with"></span>',
    ],
)
def test_positions_survive_line_ends_nuls_and_references(chrome, between):
    """Every character of a block points at its place in the file as stored, whatever
    line ends (CRLF, a lone CR, a CR before an encoded line feed), NULs and references
    come before it, and not at the same words inside a comment or an attribute."""
    source = f"<html><body><main><p>Given{between}with</p>{between}<p>oxaliplatin{between}(Eloxatin)</p></main></body></html>"
    doc = parse_source("p.html", source, "html", chrome)
    block = doc.blocks[-1]
    for word in ("oxaliplatin", "Eloxatin"):
        at = block.text.index(word)
        assert source[block.offsets[at]:block.offsets[at] + len(word)] == word
        assert [source[o] for o in block.offsets[at:at + len(word)]] == list(word)
    first = doc.blocks[0]
    assert source[first.offsets[first.text.index("with")]:].startswith("with")



@pytest.mark.parametrize("gap", [" ", "\n   ", "\r\n\t", "&nbsp;", " &#32; "])
def test_words_between_inline_elements_keep_their_places_across_whitespace_nodes(chrome, gap):
    """Whitespace-only text between elements is not looked for in the source (it becomes at most
    one space); the words after it still point at themselves, and a block of nothing else is none."""
    source = (
        f"<html><body><main><p><b>FOLFOX</b>{gap}<i>oxaliplatin</i>{gap}<span>and</span>{gap}"
        f"<a href='#'>Eloxatin</a></p>{gap}<div>{gap}</div><p>{gap}<em>capecitabine</em>{gap}</p></main></body></html>"
    )
    doc = parse_source("p.html", source, "html", chrome)
    assert [b.text for b in doc.blocks] == ["FOLFOX oxaliplatin and Eloxatin", "capecitabine"]
    for block in doc.blocks:
        for word in block.text.split():
            at = block.text.index(word)
            assert [source[o] for o in block.offsets[at:at + len(word)]] == list(word)
        # the one space a whitespace node becomes points just past the word before it
        assert all(block.offsets[i] == block.offsets[i - 1] + 1 for i, c in enumerate(block.text) if c == " ")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a cell spanning two columns moves the next cell to the third, under its header
        ('<main><table><tr><th>Drug</th><th>Brand name</th><th>Note</th></tr><tr><td colspan="2">cisplatin</td><td>x</td></tr></table></main>',
         [("table_cell", "cisplatin", (), 0, (1, 1, 0, "drug")), ("table_cell", "x", (), 0, (1, 1, 2, "note"))]),
        # a table inside a cell is a table of its own; the outer one goes on after it
        ("<main><table><tr><td><table><tr><td>inner</td></tr></table></td><td>outer</td></tr></table></main>",
         [("table_cell", "inner", (), 0, (2, 0, 0, "")), ("table_cell", "outer", (), 0, (1, 0, 1, ""))]),
        # a header cell of nothing but whitespace gives its column no header
        ("<main><table><tr><th>Drug</th><th> </th></tr><tr><td>cisplatin</td><td>Platinol</td></tr></table></main>",
         [("table_cell", "cisplatin", (), 0, (1, 1, 0, "drug")), ("table_cell", "Platinol", (), 0, (1, 1, 1, ""))]),
        # an accordion's button heads its panel; a plain button is text like any other
        ('<main><h2>Treatment</h2><button aria-expanded="false">Chemotherapy</button><div><p>cisplatin</p></div>'
         "<p>Ask about <button>dosage</button> and timing</p></main>",
         [("heading", "Treatment", ("Treatment",), 2, None), ("heading", "Chemotherapy", ("Treatment", "Chemotherapy"), 3, None),
          ("paragraph", "cisplatin", ("Treatment", "Chemotherapy"), 0, None),
          ("paragraph", "Ask about dosage and timing", ("Treatment", "Chemotherapy"), 0, None)]),
        # a heading of nothing but whitespace is no heading
        ("<main><h2>Chemo</h2><h3> \n </h3><p>cisplatin</p></main>",
         [("heading", "Chemo", ("Chemo",), 2, None), ("paragraph", "cisplatin", ("Chemo",), 0, None)]),
        # with an article or a role=main element, only the text inside them counts; a wrapper of the
        # article with role=main (in any case) counts from where it starts
        ("<body><div><p>outside</p></div><article><p>inside</p></article><p>after</p></body>", [("paragraph", "inside", (), 0, None)]),
        ('<body><div><p>outside</p></div><div role="main"><p>inside</p></div><p>after</p></body>', [("paragraph", "inside", (), 0, None)]),
        ('<body><div><p>outside</p></div><div role="MAIN"><p>inside</p></div><p>after</p></body>', [("paragraph", "inside", (), 0, None)]),
        ('<body><p>before</p><div role="Main"><p>lead</p><article><p>inside</p></article></div><p>after</p></body>',
         [("paragraph", "lead", (), 0, None), ("paragraph", "inside", (), 0, None)]),
    ],
)
def test_the_walk_gives_each_block_its_kind_heading_and_cell(chrome, body, expected):
    doc = parse_source("p.html", f"<html>{body}</html>", "html", chrome)
    cells = [(b.cell.table, b.cell.row, b.cell.column, b.cell.header) if b.cell else None for b in doc.blocks]
    assert [(b.kind, b.text, b.heading_path, b.level, cell) for b, cell in zip(doc.blocks, cells)] == expected


ROWSPAN_HEAD = "<main><table><tr><th>Generic</th><th>Brand</th><th>Use</th></tr>"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a cell spanning two rows takes its column in the second row too: the next cell there goes right of it
        ('<tr><td rowspan="2">docetaxel</td><td>Taxotere</td><td>breast</td></tr><tr><td>Docefrez</td><td>lung</td></tr>',
         [("docetaxel", 1, 0, "generic", 2), ("Taxotere", 1, 1, "brand", 1), ("breast", 1, 2, "use", 1),
          ("Docefrez", 2, 1, "brand", 1), ("lung", 2, 2, "use", 1)]),
        # spanning the middle column; and a third row, below the span, starts at the left again
        ('<tr><td>capecitabine</td><td rowspan="2">Xeloda</td><td>colon</td></tr><tr><td>oxaliplatin</td><td>colon</td></tr>'
         "<tr><td>irinotecan</td><td>Camptosar</td><td>colon</td></tr>",
         [("capecitabine", 1, 0, "generic", 1), ("Xeloda", 1, 1, "brand", 2), ("colon", 1, 2, "use", 1),
          ("oxaliplatin", 2, 0, "generic", 1), ("colon", 2, 2, "use", 1),
          ("irinotecan", 3, 0, "generic", 1), ("Camptosar", 3, 1, "brand", 1), ("colon", 3, 2, "use", 1)]),
        # two columns and two rows at once
        ('<tr><td rowspan="2" colspan="2">FOLFOX</td><td>a</td></tr><tr><td>b</td></tr>',
         [("FOLFOX", 1, 0, "generic", 2), ("a", 1, 2, "use", 1), ("b", 2, 2, "use", 1)]),
        # a rowspan that is no number, zero ("to the end", not followed) or past 99 spans one row
        ('<tr><td rowspan="x">a</td><td rowspan="0">b</td><td rowspan="500">c</td></tr><tr><td>d</td></tr>',
         [("a", 1, 0, "generic", 1), ("b", 1, 1, "brand", 1), ("c", 1, 2, "use", 1), ("d", 2, 0, "generic", 1)]),
    ],
)
def test_a_cell_spanning_rows_keeps_its_column_in_them(chrome, rows, expected):
    doc = parse_source("p.html", f"<html>{ROWSPAN_HEAD}{rows}</table></main></html>", "html", chrome)
    assert [(b.text, b.cell.row, b.cell.column, b.cell.header, b.cell.rows) for b in doc.blocks] == expected


def test_canonical_url_is_found_in_any_case_and_the_first_title_is_the_title(chrome):
    source = (
        '<html><head><meta property="og:url" content="https://example.org/og"><title> Bladder\n cancer </title>'
        '<link rel="Canonical" href="https://example.org/a"></head><body><main><h1>Bladder</h1><p>x</p></main>'
        "<svg><title>icon</title></svg></body></html>"
    )
    doc = parse_source("p.html", source, "html", chrome)
    assert (doc.url, doc.title) == ("https://example.org/a", "Bladder cancer")
    only_og = parse_source("p.html", source.replace("Canonical", "alternate"), "html", chrome)
    assert only_og.url == "https://example.org/og"


def test_heading_paths_follow_levels(chrome):
    source = "<main><h1>Title</h1><h2>Chemotherapy</h2><p>a</p><h3>Side effects</h3><p>b</p><h2>Surgery</h2><p>c</p></main>"
    _, blocks = _blocks(source, chrome)
    paths = {text: path for kind, text, path in blocks if kind == "paragraph"}
    assert paths == {"a": ("Title", "Chemotherapy"), "b": ("Title", "Chemotherapy", "Side effects"), "c": ("Title", "Surgery")}


def test_chrome_elements_and_outside_main_are_dropped(chrome):
    source = """<html><head><title>t</title></head><body>
<header><img alt="Society logo"><nav><a href="/x">Keytruda stories</a></nav></header>
<div class="breadcrumb">You are here: Home</div>
<main><p>capecitabine (Xeloda)</p><aside>Related: Avastin</aside>
<div class="promo-box">Read about Herceptin</div></main>
<div>outside the article: bevacizumab</div>
<footer>&copy; 2024</footer></body></html>"""
    _, blocks = _blocks(source, chrome)
    assert [text for _, text, _ in blocks] == ["capecitabine (Xeloda)"]


def test_lists_tables_and_implied_end_tags(chrome):
    source = """<main><ul><li>one<ul><li>nested</li></ul></li><li>two<li>three</ul>
<table><thead><tr><th>Drug<th>Brand name</thead><tbody><tr><td>capecitabine<td>Xeloda</tbody></table></main>"""
    doc, blocks = _blocks(source, chrome)
    items = [text for kind, text, _ in blocks if kind == "list_item"]
    assert items == ["one", "nested", "two", "three"]
    cells = [(b.text, b.cell.row, b.cell.column, b.cell.header) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [("capecitabine", 1, 0, "drug"), ("Xeloda", 1, 1, "brand name")]


def test_canonical_url_and_br_lines(chrome):
    source = '<html><head><link rel="canonical" href="https://example.org/a"></head><body><main><p>FOLFOX<br>CAPOX</p></main></body></html>'
    doc, blocks = _blocks(source, chrome)
    assert doc.url == "https://example.org/a"
    assert [text for _, text, _ in blocks] == ["FOLFOX", "CAPOX"]


def test_broken_markup_never_raises(chrome):
    for source in ["<p>unclosed <b>bold", "</html></p></li>text", "<table><td>cell", "<" * 1000, "<ul>" * 3000 + "x"]:
        parse_source("p.html", source, "html", chrome)


def test_accordion_titles_are_headings(chrome):
    source = """<main><h1>Colon cancer</h1><h2>Drug treatments</h2>
<div class="accordion"><button aria-expanded="false" aria-controls="a1">Chemotherapy</button>
<div id="a1" hidden><ul><li>capecitabine (Xeloda)</li></ul></div>
<button aria-expanded="false" aria-controls="a2">Targeted therapy</button>
<div id="a2" hidden><p>bevacizumab (Avastin)</p></div></div>
<details><summary>Immunotherapy</summary><p>pembrolizumab</p></details>
<h3><button aria-expanded="true">Side effects</button></h3><p>nausea</p></main>"""
    _, blocks = _blocks(source, chrome)
    paths = {text: path for kind, text, path in blocks if kind != "heading"}
    assert paths["capecitabine (Xeloda)"] == ("Colon cancer", "Drug treatments", "Chemotherapy")
    assert paths["bevacizumab (Avastin)"] == ("Colon cancer", "Drug treatments", "Targeted therapy")
    assert paths["pembrolizumab"] == ("Colon cancer", "Drug treatments", "Immunotherapy")
    assert paths["nausea"] == ("Colon cancer", "Drug treatments", "Side effects")
