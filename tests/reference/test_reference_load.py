from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipelines.errors import ReferenceInvalid
from pipelines.reference.load import all_problems, load_reference

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    return target


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_bundled_reference_is_valid_and_broad(reference):
    assert len(reference.drugs) >= 300
    assert len(reference.regimens) >= 120
    assert {"CA", "US", "UK"} <= {b.market for b in reference.brands}
    assert reference.related("interferon alfa-2b", "interferon alfa")
    assert not reference.related("pegylated liposomal doxorubicin", "doxorubicin")
    folfox = reference.regimens["FOLFOX"]
    assert sorted(d for slot in folfox.slots for d in slot) == ["fluorouracil", "leucovorin", "oxaliplatin"]
    assert sorted(reference.regimens["FOLFOXIRI"].component_names) == sorted(reference.regimens["FOLFIRINOX"].component_names)
    assert "FOLFOXIRI" != reference.regimen_entries("FOLFIRINOX")[0].name


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ("docetaxel", "docetaxel", True),
        ("interferon alfa-2b", "interferon alfa", True),  # a subtype
        ("pertuzumab and trastuzumab", "trastuzumab", True),  # an ingredient
        ("pegylated liposomal doxorubicin", "doxorubicin", False),
        ("docetaxel", "paclitaxel", False),
    ],
)
def test_related_either_way_and_when_asked_again(reference, a, b, expected):
    # the answers are remembered per pair: the second asking, and the other order, must agree
    assert [reference.related(a, b), reference.related(b, a), reference.related(a, b)] == [expected] * 3


def test_related_remembers_each_pair_apart(reference):
    asked = [("trastuzumab", "pertuzumab and trastuzumab"), ("trastuzumab", "docetaxel"), ("trastuzumab", "trastuzumab emtansine")]
    first = [reference.related(a, b) for a, b in asked]
    assert first == [True, False, False]
    assert [reference.related(a, b) for a, b in reversed(asked)] == first[::-1]


@pytest.mark.parametrize(
    "table,row,message",
    [
        ("brands.csv", "Xeloda,oxaliplatin,CA,marketed,,RxNorm,2026-11-21", "listed twice|attached to"),
        ("brands.csv", "Fluorouracil,fluorouracil,CA,marketed,,RxNorm,2026-11-21", "also a generic name"),
        ("brands.csv", "Zzbrand,nosuchdrug,CA,marketed,,RxNorm,2026-11-21", "not a drug in drugs.csv"),
        ("brands.csv", "Zzbrand,capecitabine,FR,marketed,,RxNorm,2026-11-21", "market"),
        ("brands.csv", "Zzbrand,capecitabine,CA,maybe,,RxNorm,2026-11-21", "status"),
        ("regimens.csv", "ZZREG,,capecitabine|nosuchdrug,,,,HemOnc,2026-11-21", "nosuchdrug"),
        ("drugs.csv", "zzdrug,,,chemo,,,,RxNorm,2026-11-21", "class"),
        ("drugs.csv", "zzdrug,,,chemotherapy,,,,RxNorm,21/11/2026", "checked"),
    ],
)
def test_broken_reference_names_file_and_line(copy, table, row, message):
    import re

    line = _append(copy / table, row)
    with pytest.raises(ReferenceInvalid) as caught:
        load_reference(copy)
    text = str(caught.value)
    assert text.startswith(f"{copy / table}:")
    assert re.search(message, text), text
    problems = all_problems(copy)
    assert any(p.startswith(f"{copy / table}:{line}:") for p in problems), problems


def test_missing_column_and_empty_file(copy):
    (copy / "terms.csv").write_text("", encoding="utf-8")
    with pytest.raises(ReferenceInvalid, match="terms.csv:1: file is empty"):
        load_reference(copy)
    (copy / "terms.csv").write_text("term\nIV\n", encoding="utf-8")
    with pytest.raises(ReferenceInvalid, match="missing column"):
        load_reference(copy)


@pytest.mark.parametrize("trouble, message", [
    ("missing", "reference table is missing"),
    ("a folder", "cannot be read (Is a directory)"),
    ("unreadable", "cannot be read (Permission denied)"),
])
def test_a_table_that_cannot_be_read_is_one_line_from_both_readers(copy, monkeypatch, trouble, message):
    table = copy / "drugs.csv"
    table.unlink()
    if trouble == "a folder":
        table.mkdir()
    elif trouble == "unreadable":
        table.write_text("name\n", encoding="utf-8")
        real = Path.read_bytes

        def refused(path):
            if path == table:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(Path, "read_bytes", refused)  # root reads any file: its refusal is mocked
    assert all_problems(copy) == [f"{table}: {message}"]
    with pytest.raises(ReferenceInvalid, match=f"^{re.escape(str(table))}: {re.escape(message)}$"):
        load_reference(copy)


def _same_reference(a, b) -> bool:
    fields = ("drugs", "brands", "regimens", "terms", "digest", "names", "brands_by_key", "brands_by_drug")
    headings = [[(p.pattern, p.flags, c) for p, c in r.headings] for r in (a, b)]
    return all(getattr(a, f) == getattr(b, f) for f in fields) and headings[0] == headings[1]


def test_the_plain_reader_builds_the_reference_the_validating_load_builds(copy):
    """A check builds its linker from the plain reader and validates afterwards (cache.linker_to_confirm):
    for any reference that passes, the two must agree, however the CSV is written."""
    import csv
    import io

    from pipelines.reference.rows import TABLE_FILES, read_reference
    from schemas.reference import TABLES

    assert TABLE_FILES == tuple(TABLES)
    assert _same_reference(read_reference(copy), load_reference(copy))
    for number, path in enumerate(sorted(copy.glob("*.csv"))):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows = [rows[0]] + [[f"  {cell} " if cell and n else cell for n, cell in enumerate(row)] for row in rows[1:]]
        out = io.StringIO(newline="")
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows[:3] + [[]] + rows[3:])
        path.write_bytes(("\ufeff" if number % 2 else "").encode("utf-8") + out.getvalue().encode("utf-8"))
    awkward = load_reference(copy)  # quoted cells, padding, CRLF, a blank line, byte-order marks
    assert _same_reference(read_reference(copy), awkward)
    assert awkward.drugs == load_reference(REFERENCE).drugs
