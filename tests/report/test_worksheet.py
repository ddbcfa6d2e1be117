"""The medical editors' worksheet: layout, formula safety, the rerun carry-over,
corrupt previous files, and reading it back."""
from __future__ import annotations

import csv
import os
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

import pipelines
from pipelines.errors import ConfigInvalid
from pipelines.report import worksheet, write_reports, writers
from pipelines.report.worksheet_io import EDITOR_STATUSES, HEADERS, read_worksheet

ROOT = Path(__file__).resolve().parents[2]
PAGE = """# Chemotherapy

The drugs used most often are:

- capecitabine (=HYPERLINK("http://x","click"))
- capecitabine (=cmd|' /C calc'!A0)
- oxaliplatin (Xeloda)
- fluorouracil (-2+3)
- irinotecan (=Camptosar)
- irinotecan (@Camptosar)
- capecitabine (-Xeloda)
- irinotecan (Zorbax)
"""
OTHER = """# Targeted therapy

- cetuximab (Erbitux) is given by infusion.
- oxaliplatin (Xeloda) is written here too.
"""
HOSTILE = ("=", "+", "-", "@", "\t", "\r")


def run(content: Path, extra=()):
    result = pipelines.check([content], reference=str(ROOT / "data" / "reference"), market="CA")
    result.findings = list(result.findings) + list(extra)
    return result


def write(result, out: Path) -> list[str]:
    # only this writer: the others are built elsewhere and must not decide this test
    skip = {m.__name__.rsplit(".", 1)[-1] for m in writers()} - {"worksheet"}
    return write_reports(result, out, skip=skip)


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def set_row(path: Path, text: str, status: str, comment: str) -> str:
    """Edit the row whose 'Text as written' is `text` as an editor would; return its fingerprint."""
    book = load_workbook(path)
    sheet = book["Findings"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Text as written")].value == text:
            row[header.index("Status")].value = status
            row[header.index("Comment")].value = comment
            fingerprint = row[header.index("Fingerprint")].value
            break
    else:
        raise AssertionError(f"no row with text {text!r}")
    book.save(path)
    return fingerprint


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "colon.md").write_text(PAGE, encoding="utf-8")
    (folder / "other.md").write_text(OTHER, encoding="utf-8")
    return folder


@pytest.fixture
def hostile(content):
    """Findings whose every text field is hostile, whatever the extractor keeps."""
    base = run(content).findings[0]
    return replace(
        base, text='=HYPERLINK("http://x","click")', message="-2+3", suggestion="@SUM(A1)",
        section="\tTabbed", url="\rcr", fingerprint="f" * 20, line=99, page="zz.md", severity="info",
    ), replace(base, text="cape\x01citabine\x1b", message="+1", fingerprint="e" * 20, line=98, page="zz.md", severity="info")


def test_worksheet_is_a_discovered_writer():
    assert worksheet in writers()
    assert worksheet.OUTPUTS == ("worksheet.xlsx", "worksheet.csv")


def test_layout(content, hostile, tmp_path):
    out = tmp_path / "out"
    assert write(run(content, hostile), out) == ["worksheet.csv", "worksheet.xlsx"]
    book = load_workbook(out / "worksheet.xlsx")
    assert book.sheetnames == ["How to use", "Findings", "Resolved since last run"]
    assert "status" in " ".join(str(c.value) for c in book["How to use"]["A"]).lower()
    sheet = book["Findings"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    assert header == HEADERS and header[-1] == "Fingerprint"
    assert sheet.column_dimensions["N"].hidden
    status_col = "ABCDEFGHIJKLMN"[header.index("Status")]
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and f"{status_col}2" in str(lists[0].sqref)
    assert lists[0].formula1.strip('"').split(",") == list(EDITOR_STATUSES)
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["C"].width
    assert sheet["F2"].alignment.wrap_text

    rows = rows_of(sheet)
    assert {r["Status"] for r in rows} == {"open"}
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(rank[r["Severity"]], r["Page"], r["Line"]) for r in rows]
    assert keys == sorted(keys)
    assert rows[0]["Severity"] == "error" and rows[-1]["Page"] == "zz.md"

    for name in book.sheetnames:
        for line in book[name].iter_rows():
            for cell in line:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(HOSTILE), cell.value
                    assert "\x01" not in cell.value and "\x1b" not in cell.value
    by_fp = {r["Fingerprint"]: r for r in rows}
    assert by_fp["f" * 20]["Text as written"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert by_fp["e" * 20]["Text as written"] == "capecitabine"

    with (out / "worksheet.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == HEADERS
    assert [r[-1] for r in table[1:]] == [r["Fingerprint"] for r in rows]  # same rows, same order
    texts = [cell for row in table[1:] for cell in row]
    assert "'=HYPERLINK(\"http://x\",\"click\")" in texts and "'-2+3" in texts and "'@SUM(A1)" in texts
    assert "'\tTabbed" in texts and "'\rcr" in texts and "'=Camptosar" in texts and "'-Xeloda" in texts
    assert not [c for c in texts if c.startswith(HOSTILE)]


def test_rerun_keeps_status_and_comment(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    xlsx = out / "worksheet.xlsx"
    kept = set_row(xlsx, "Zorbax", "false positive", "-checked: Zorbax is a trial name")
    fixed = set_row(xlsx, "'=Camptosar", "fixed", "")
    for _ in range(2):  # twice: nothing stacks up or drifts
        (content / "colon.md").write_text("Intro paragraph added above.\n\n" + PAGE, encoding="utf-8")
        write(run(content), out)
        rows = {r["fingerprint"]: r for r in read_worksheet(xlsx)}
        assert rows[kept]["status"] == "false positive"
        assert rows[kept]["comment"] == "-checked: Zorbax is a trial name"
        assert rows[fixed]["status"] == "fixed"
        assert {r["status"] for fp, r in rows.items() if fp not in (kept, fixed)} == {"open"}
    csv_rows = {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.csv")}
    assert csv_rows[kept]["comment"] == "-checked: Zorbax is a trial name"
    assert list(csv_rows) == list(rows)
    assert not load_workbook(xlsx)["Resolved since last run"]["A2"].value


def test_csv_is_read_when_there_is_no_xlsx(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    with (out / "worksheet.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    status, comment = HEADERS.index("Status"), HEADERS.index("Comment")
    table[1][status], table[1][comment] = "Accepted", "house style"
    with (out / "worksheet.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(table)
    (out / "worksheet.xlsx").unlink()
    write(run(content), out)
    rows = {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.xlsx")}
    assert (rows[table[1][-1]]["status"], rows[table[1][-1]]["comment"]) == ("accepted", "house style")


def test_gone_findings_move_to_resolved(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    xlsx = out / "worksheet.xlsx"
    gone = set_row(xlsx, "Zorbax", "accepted", "trial name, approved by Dr A")
    untouched = {r["fingerprint"] for r in read_worksheet(xlsx) if r["text"] == "'-Xeloda" or r["text"] == "-Xeloda"}
    (content / "colon.md").write_text(PAGE.replace("- irinotecan (Zorbax)\n", "").replace("(-Xeloda)", "(Xeloda)"), encoding="utf-8")
    for _ in range(2):  # still listed on the run after
        write(run(content), out)
        book = load_workbook(xlsx)
        assert gone not in {r["Fingerprint"] for r in rows_of(book["Findings"])}
        resolved = rows_of(book["Resolved since last run"])
        assert [(r["Fingerprint"], r["Status"], r["Comment"], r["Text as written"]) for r in resolved] == [
            (gone, "accepted", "trial name, approved by Dr A", "Zorbax")
        ]
        assert resolved[0]["Gone since"]
        assert list(resolved[0])[-1] == "Fingerprint" and book["Resolved since last run"].column_dimensions["O"].hidden
        assert not untouched & {r["Fingerprint"] for r in resolved}  # unmarked rows just go
    (content / "colon.md").write_text(PAGE, encoding="utf-8")  # it comes back: so does the editor's work
    write(run(content), out)
    rows = {r["fingerprint"]: r for r in read_worksheet(xlsx, include_resolved=True)}
    assert (rows[gone]["sheet"], rows[gone]["status"], rows[gone]["comment"]) == ("Findings", "accepted", "trial name, approved by Dr A")


@pytest.mark.parametrize("with_csv", [False, True])
def test_corrupt_previous_worksheet_does_not_stop_the_run(content, tmp_path, with_csv):
    out = tmp_path / "out"
    write(run(content), out)
    kept = set_row(out / "worksheet.xlsx", "Zorbax", "fixed", "")
    if with_csv:  # the twin still holds the last run's rows: it is used instead
        write(run(content), out)
    else:
        (out / "worksheet.csv").unlink()
    junk = os.urandom(4096)
    (out / "worksheet.xlsx").write_bytes(junk)
    write(run(content), out)
    copies = list(out.glob("worksheet.unreadable-*.xlsx"))
    assert len(copies) == 1 and copies[0].read_bytes() == junk
    rows = {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.xlsx")}
    assert rows[kept]["status"] == ("fixed" if with_csv else "open")
    note = " ".join(str(c.value) for c in load_workbook(out / "worksheet.xlsx")["How to use"]["A"] if c.value)
    assert copies[0].name in note


def test_bad_status_in_previous_worksheet_is_kept_as_a_comment(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    fp = set_row(out / "worksheet.xlsx", "Zorbax", "done", "called the author")
    write(run(content), out)
    row = {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.xlsx")}[fp]
    assert row["status"] == "open" and row["comment"] == "[status was 'done'] called the author"


def test_read_worksheet(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    for name in ("worksheet.xlsx", "worksheet.csv"):
        rows = read_worksheet(out / name)
        assert rows and {"fingerprint", "code", "page", "line", "text", "message", "suggestion", "status", "comment"} <= set(rows[0])
        assert rows[0]["row"] == 2 and isinstance(rows[0]["line"], int)
    assert [r["fingerprint"] for r in read_worksheet(out / "worksheet.xlsx")] == [r["fingerprint"] for r in read_worksheet(out / "worksheet.csv")]

    sheet = tmp_path / "edited.csv"
    sheet.write_text("Fingerprint,Status,Comment\nabc,False Positive,x\ndef,,\n\nghi,maybe,y\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid, match=r"edited\.csv:5: .*'maybe' is not one of open, fixed, accepted, false positive"):
        read_worksheet(sheet)
    lenient = read_worksheet(sheet, strict=False)
    assert [(r["fingerprint"], r["status"], r["comment"]) for r in lenient] == [
        ("abc", "false positive", "x"), ("def", "open", ""), ("ghi", "open", "[status was 'maybe'] y")
    ]
    sheet.write_text("Status,Comment\nfixed,x\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid, match=r"edited\.csv:1: no 'Fingerprint' column"):
        read_worksheet(sheet)
    sheet.write_text("Fingerprint,Status,Comment\n,fixed,x\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid, match=r"edited\.csv:2: .*no fingerprint"):
        read_worksheet(sheet)

    book = load_workbook(out / "worksheet.xlsx")
    book["Findings"]["N1"].value = "Something else"
    book.save(tmp_path / "nofp.xlsx")
    with pytest.raises(ConfigInvalid, match=r"nofp\.xlsx:1: no 'Fingerprint' column"):
        read_worksheet(tmp_path / "nofp.xlsx")


def as_excel_saves_it(source: Path, target: Path) -> None:
    """Rewrite an openpyxl workbook the way Excel saves one: strings in a shared
    table (one of them rich text with a phonetic hint), not inline."""
    import re
    import zipfile
    from xml.etree import ElementTree as ET

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings: list[str] = []
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", item.filename):
                root = ET.fromstring(data)
                for cell in root.iter(f"{{{main}}}c"):
                    if cell.get("t") == "inlineStr":
                        text = "".join(cell.itertext())
                        for child in list(cell):
                            cell.remove(child)
                        cell.set("t", "s")
                        ET.SubElement(cell, f"{{{main}}}v").text = str(len(strings))
                        strings.append(text)
                data = ET.tostring(root)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            new.writestr(item, data)
        items = []
        for text in strings:
            if text == "Zorbax":
                items.append("<si><r><t>Zor</t></r><r><rPr><b/></rPr><t>bax</t></r><rPh sb='0' eb='1'><t>ZZ</t></rPh></si>")
            else:
                t = ET.Element("t")
                t.text = text
                items.append("<si>" + ET.tostring(t, encoding="unicode") + "</si>")
        new.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">' + "".join(items) + "</sst>")


def test_reads_a_worksheet_saved_by_excel(content, tmp_path):
    out = tmp_path / "out"
    write(run(content), out)
    fp = set_row(out / "worksheet.xlsx", "Zorbax", "accepted", "=fine & <ok>")
    expected = read_worksheet(out / "worksheet.xlsx")
    as_excel_saves_it(out / "worksheet.xlsx", tmp_path / "saved.xlsx")
    rows = read_worksheet(tmp_path / "saved.xlsx")
    assert [{k: v for k, v in r.items()} for r in rows] == expected
    assert {r["fingerprint"]: r for r in rows}[fp]["text"] == "Zorbax"
    (tmp_path / "saved.xlsx").replace(out / "worksheet.xlsx")
    write(run(content), out)
    row = {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.xlsx")}[fp]
    assert (row["status"], row["comment"]) == ("accepted", "=fine & <ok>")  # the formula the editor typed, as text
    cells = [c for line in load_workbook(out / "worksheet.xlsx")["Findings"].iter_rows() for c in line]
    assert "'=fine & <ok>" in [c.value for c in cells] and not [c for c in cells if c.data_type == "f"]


def test_an_untouched_worksheet_is_recalled_and_an_edited_one_is_read(content, tmp_path, monkeypatch):
    out, xlsx = tmp_path / "out", tmp_path / "out" / "worksheet.xlsx"
    result = run(content)
    result.settings = result.settings.merged(cache_dir=str(tmp_path / "cache"))
    write(result, out)
    kept = set_row(xlsx, "Zorbax", "accepted", "trial name")  # an editor saved it: it must be read
    write(result, out)
    assert len(list((tmp_path / "cache" / "worksheets").glob("*.json"))) == 2

    def unread(*args, **kwargs):
        raise AssertionError("the untouched worksheet was parsed again")

    monkeypatch.setattr(worksheet, "read_worksheet", unread)
    write(result, out)  # as rxqa left it: recalled from the cache, not parsed
    rows = {r["fingerprint"]: r for r in read_worksheet(xlsx)}
    assert (rows[kept]["status"], rows[kept]["comment"]) == ("accepted", "trial name")
    assert {r["status"] for fp, r in rows.items() if fp != kept} == {"open"}
    monkeypatch.undo()
    fixed = set_row(xlsx, "'=Camptosar", "fixed", "")
    write(result, out)
    rows = {r["fingerprint"]: r for r in read_worksheet(xlsx)}
    assert rows[fixed]["status"] == "fixed" and rows[kept]["status"] == "accepted"


LONG = "a" * 32760 + "\U0001F48A" * 10  # 32,780 UTF-16 units: past what a cell holds
CELL_TEXTS = [
    # (text in the finding, the cell's text in the file as openpyxl reads it, what Excel shows, quote prefix)
    ("plain words", "plain words", "plain words", False),
    ("5-FU & <b>LV</b> > none", "5-FU & <b>LV</b> > none", "5-FU & <b>LV</b> > none", False),
    ("<r>Xeloda</r>", "<r>Xeloda</r>", "<r>Xeloda</r>", False),
    ("the escape _x0041_ here", "the escape _x005F_x0041_ here", "the escape _x0041_ here", False),
    ("line one\r\nline two", "line one_x000D_\nline two", "line one\r\nline two", False),
    ("  leading and trailing  ", "  leading and trailing  ", "  leading and trailing  ", False),
    ("tab\tinside", "tab\tinside", "tab\tinside", False),
    ("not a character \ufffe", "not a character _xFFFE_", "not a character \ufffe", False),
    ("control\x07gone", "controlgone", "controlgone", False),
    ("=SUM(A1)", "'=SUM(A1)", "'=SUM(A1)", True),
    ("capécitabine 💊 ‘quoted’", "capécitabine 💊 ‘quoted’", "capécitabine 💊 ‘quoted’", False),
    (LONG, "a" * 32760 + "\U0001F48A" * 3, "a" * 32760 + "\U0001F48A" * 3, False),  # cut at a whole character
]


@pytest.mark.parametrize("text, stored, shown, quoted", CELL_TEXTS, ids=range(len(CELL_TEXTS)))
def test_cell_text_reads_back_as_written(content, tmp_path, text, stored, shown, quoted):
    base = run(content).findings[0]
    finding = replace(base, text=text, fingerprint="t" * 20, line=7, page="zz.md", severity="warning")
    out = tmp_path / "out"
    write(run(content, [finding]), out)
    sheet = load_workbook(out / "worksheet.xlsx")["Findings"]
    header = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("Fingerprint")].value == "t" * 20)
    cell = line[header.index("Text as written")]
    assert cell.value == stored  # openpyxl does not undo Excel's _xHHHH_ escapes
    assert cell.quotePrefix is quoted and cell.alignment.wrap_text and cell.data_type == "s"
    assert line[header.index("Line")].value == 7 and line[header.index("Line")].data_type == "n"
    severity = line[header.index("Severity")]
    assert severity.value == "warning" and severity.fill.fgColor.rgb.endswith("FFE699")
    # read back as rxqa reads an edited worksheet: escapes undone, the safety quote taken off
    assert {r["fingerprint"]: r for r in read_worksheet(out / "worksheet.xlsx")}["t" * 20]["text"] == shown.removeprefix("'")
