"""A content repository as its team lives it: baseline, an edit that fixes one problem
and adds another, editors' accepted rows imported, a waiver that expires."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
from conftest import cli

ROOT = Path(__file__).resolve().parents[1]


def rxqa(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return cli(*args, cwd=cwd)


def test_the_editors_loop(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "content", repo / "content")
    (repo / "pyproject.toml").write_text(
        f'[tool.rxqa]\ncontent = ["content"]\nout = "reports"\nmarket = "CA"\nreference = "{ROOT / "data" / "reference"}"\nwaivers = "waivers.yaml"\n',
        encoding="utf-8",
    )
    assert rxqa(repo, "check", "--no-data-docs", "-q").returncode == 1
    assert rxqa(repo, "baseline", "write", "--out", "baseline.json").returncode == 0
    first = json.loads((repo / "reports" / "findings.json").read_text(encoding="utf-8"))
    prints = {(f["code"], f["text"]): f["fingerprint"] for f in first["findings"]}

    # CI with the baseline passes
    assert rxqa(repo, "check", "--baseline", "baseline.json", "--no-data-docs", "-q").returncode == 0

    # an edit fixes the FOLFIRI list and adds a wrong brand elsewhere on the page
    page = repo / "content" / "colorectal" / "advanced-colorectal-cancer-treatment.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace("FOLFIRI &ndash; leucovorin and fluorouracil", "FOLFIRI &ndash; leucovorin, fluorouracil and irinotecan")
    assert "<td>Camptosar</td>" in text  # the drug table pairs irinotecan with Camptosar
    page.write_text(text.replace("<td>Camptosar</td>", "<td>Zanosar</td>", 1), encoding="utf-8")
    run = rxqa(repo, "check", "--baseline", "baseline.json", "--format", "github", "--no-data-docs")
    assert run.returncode == 1
    errors = [l for l in run.stdout.splitlines() if l.startswith("::error")]
    assert len(errors) == 1 and "BG001" in errors[0] and "Zanosar" in errors[0]
    after = json.loads((repo / "reports" / "findings.json").read_text(encoding="utf-8"))
    assert [e["code"] for e in after["resolved_baseline"]] == ["RG001"]
    assert len(after["changes"]["findings"]["resolved"]) == 1
    unchanged = {(f["code"], f["text"]): f["fingerprint"] for f in after["findings"] if f["status"] == "baseline"}
    assert all(prints[key] == fp for key, fp in unchanged.items())

    # the editors accept the new finding in the worksheet; import makes it a waiver
    book = openpyxl.load_workbook(repo / "reports" / "worksheet.xlsx")
    sheet = book["Findings"]
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header.index("Text as written") + 1).value == "Zanosar":
            sheet.cell(row, header.index("Status") + 1).value = "accepted"
            sheet.cell(row, header.index("Comment") + 1).value = "test brand for the loop"
    book.save(repo / "reports" / "worksheet.xlsx")
    imported = rxqa(repo, "worksheet", "import", "reports/worksheet.xlsx")
    assert imported.returncode == 0 and "added 1 waiver" in imported.stdout, imported.stderr
    assert rxqa(repo, "check", "--baseline", "baseline.json", "--no-data-docs", "-q").returncode == 0

    # the waiver expires: the finding fails CI again and SC006 says why
    waivers = repo / "waivers.yaml"
    waivers.write_text(waivers.read_text(encoding="utf-8").rstrip("\n") + "\n    expires: 2020-01-01\n", encoding="utf-8")
    expired = rxqa(repo, "check", "--baseline", "baseline.json", "--no-data-docs")
    assert expired.returncode == 1 and "SC006" in expired.stdout and "Zanosar" in expired.stdout
