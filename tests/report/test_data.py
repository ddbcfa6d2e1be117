"""drug_mentions.csv and regimen_mentions.csv: the lines each page made when it was read
(and the cache kept) are the same bytes DataFrame.to_csv writes from the tables."""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import check
from pipelines.report import data, mention_tables

ROOT = Path(__file__).resolve().parents[2]
TRICKY = """# Chemotherapy, "first" line

- oxaliplatin (Eloxatin, "Xeloda") given with leucovorin
- capecitabine (Xeloda)\u00ae, the pill
- =fluorouracil (Adrucil), written
  over two lines
- FOLFOX: leucovorin, fluorouracil and oxaliplatin
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    (content / "tricky, page.md").write_text(TRICKY, encoding="utf-8")
    (content / "empty.txt").write_text("Nothing about drugs here.\n", encoding="utf-8")
    return check([ROOT / "data" / "content", content], reference=str(ROOT / "data" / "reference"), cache_dir="")


@pytest.mark.parametrize("name, table", [("drug_mentions", "drug_table"), ("regimen_mentions", "regimen_table")])
def test_page_lines_equal_to_csv(result, tmp_path, name, table):
    mention_tables.write(result, tmp_path)
    expected = tmp_path / "expected.csv"
    getattr(result, table).to_csv(expected, index=False)
    assert len(getattr(result, table)) > 0
    assert (tmp_path / f"{name}.csv").read_bytes() == expected.read_bytes()
    assert pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False).shape == getattr(result, table).shape


def test_findings_csv_is_what_pandas_writes_of_the_findings_table(result, tmp_path):
    """findings.csv is joined by hand (tables.csv_lines), as DataFrame.to_csv writes the same table."""
    data.write_findings(result, tmp_path)
    expected = data.findings_frame(result.findings).to_csv(index=False)
    assert result.findings and any('"' in f.text or "," in f.section for f in result.findings)
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8") == expected


def test_a_table_changed_after_reading_is_written_from_the_table(result, tmp_path):
    fewer = replace(result, drug_frame=result.drug_table.head(3))
    mention_tables.write(fewer, tmp_path)
    assert len(pd.read_csv(tmp_path / "drug_mentions.csv")) == 3


def test_the_tables_are_typed_as_their_rows_and_a_carriage_return_cannot_split_a_row():
    from pipelines.tables import DRUG_COLUMNS, frame, page_csv_lines

    row = ["Side\x00 effects", 3, 7, "oxali\rplatin", "oxaliplatin", "generic", "Eloxatin,\r\nElox", "", "", "", "", True, "A > B"]
    table = frame(DRUG_COLUMNS, [page_csv_lines("a.md", "", [row]), page_csv_lines("b.md", "https://x.org/b", [row[:11] + [False, ""]])])
    assert table.shape == (2, len(DRUG_COLUMNS))
    assert table["text"].tolist() == ["oxali\nplatin", "oxali\nplatin"] and table["brands"][0] == "Eloxatin,\nElox"
    assert table["line"].dtype == "int64" and table["in_regimen"].tolist() == [True, False]
    assert table["section"].tolist() == ["Side effects", "Side effects"]
    assert table["heading_path"].tolist() == ["A > B", ""] and table["url"].tolist() == ["", "https://x.org/b"]
    assert frame(DRUG_COLUMNS, ["", ""]).empty


def test_a_page_with_old_mac_line_ends_gives_whole_rows(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "cr.txt").write_text("Treatment\r\rYou may have oxaliplatin (Eloxatin,\rXeloda) and capecitabine.\r", encoding="utf-8", newline="")
    result = check([content], reference=str(ROOT / "data" / "reference"), cache_dir="")
    assert result.drug_table["generic"].tolist()[:2] == ["oxaliplatin", "capecitabine"]
    mention_tables.write(result, tmp_path)
    assert pd.read_csv(tmp_path / "drug_mentions.csv", dtype=str, keep_default_na=False).shape == result.drug_table.shape


_CELL = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab ,"\n\r\x00\u00e9|=')), max_size=6), st.integers(-5, 10**6), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=6), max_size=4))
def test_csv_lines_writes_what_the_csv_module_writes(rows):
    """The rows that need no quoting are joined by hand: the text must be the csv module's."""
    from pipelines.tables import csv_lines

    def by_the_csv_module(rows):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue()

    expected = by_the_csv_module(rows)
    if "\r" in expected or "\x00" in expected:
        clean = [[v.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "") if isinstance(v, str) else v for v in row] for row in rows]
        expected = by_the_csv_module(clean)
    assert csv_lines(rows) == expected
