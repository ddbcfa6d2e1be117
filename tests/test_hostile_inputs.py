"""Hostile input: nothing crashes, nothing is lost, nothing runs. Each kind of bad
page becomes an SC003 finding for that page (or is read as text) and the run goes on."""
from __future__ import annotations

import codecs
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import check

ROOT = Path(__file__).resolve().parents[1]
GOOD = "Chemotherapy\n\n  \u2022 capecitabine (Xeloda)\n  \u2022 oxaliplatin (Xeloda)\n"


def _hostile_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "good.txt").write_text(GOOD, encoding="utf-8")
    (site / "binary.html").write_bytes(bytes(range(256)) * 40)
    (site / "invalid-utf8.txt").write_bytes(b"capecitabine (Xeloda) \xff\xfe\xfa broken \xc3\x28 bytes")
    (site / "utf16-bom.txt").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    (site / "utf16-nobom.txt").write_bytes(GOOD.encode("utf-16-le"))
    (site / "empty.md").write_bytes(b"")
    (site / "only-chrome.txt").write_text("Society logo\n\nYou are here: Home\n\nRead more\n\n\u00a9 2024 Society\n", encoding="utf-8")
    (site / "deep.html").write_text("<div>" * 10_000 + "capecitabine (Xeloda)" + "</div>" * 10_000, encoding="utf-8")
    (site / "unclosed.html").write_text("<html><body><p>oxaliplatin (Eloxatin)<ul><li>FOLFOX \u2013 leucovorin</html></html><li>stray</p></td>", encoding="utf-8")
    (site / "zero-width.txt").write_text("capeci\u200btabine (Xel\u200doda) and \u202eoxaliplatin\u202c (Eloxatin)\n", encoding="utf-8")
    (site / "many-brands.txt").write_text("capecitabine (" + ", ".join(f"Brand{i}" for i in range(1000)) + ")\n", encoding="utf-8")
    (site / "regex-bomb.txt").write_text(("a" * 50_000) + " " + ("FOLFOX \u2013 " * 2000) + ("(" * 5000) + ("A-" * 20_000) + "\n", encoding="utf-8")
    (site / "huge.html").write_bytes(b"<p>" + b"x" * (21 * 1024 * 1024) + b"</p>")
    (site / "with space 'quote\" \u00e9t\u00e9.txt").write_text(GOOD, encoding="utf-8")
    (site / "loop").symlink_to(site, target_is_directory=True)
    os.mkfifo(site / "fifo.html")
    # a processing instruction is a node with no tag to lexbor; in Markdown, raw HTML is read by the same walk
    (site / "php.html").write_text("<main><p>capecitabine (Xeloda)</p><?php echo 1 ?><p>x</p></main>", encoding="utf-8")
    (site / "php.md").write_text("# Drugs\n\n<div>\n<?php echo 1 ?>\n<p>capecitabine (Xeloda)</p>\n</div>\n", encoding="utf-8")
    (site / "injection.html").write_text(
        "<main><p>capecitabine (<script>alert(1)</script>) and oxaliplatin (\"><img src=x onerror=alert(1)>)</p>"
        "<p>irinotecan (</textarea>=cmd|'/C calc'!A0)</p></main>", encoding="utf-8")
    return site


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink() and not p.is_fifo()
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    site = _hostile_site(tmp)
    before = _digest(site)
    result = check([site], market="CA", cache_dir="")
    return site, before, result


def test_every_bad_page_is_reported_and_the_run_goes_on(hostile):
    site, _, result = hostile
    problems = {f.page: f for f in result.findings if f.code == "SC003"}
    assert "binary" in problems["binary.html"].message
    assert "empty" in problems["empty.md"].message
    assert "limit" in problems["huge.html"].message
    assert problems["utf16-bom.txt"].severity == "info" and problems["utf16-nobom.txt"].severity == "info"
    assert "UTF-8" in problems["invalid-utf8.txt"].message
    assert "fifo.html" not in result.pages
    pages_with_drugs = set(result.drug_table.page)
    for page in ("good.txt", "utf16-bom.txt", "utf16-nobom.txt", "deep.html", "unclosed.html", "zero-width.txt", "with space 'quote\" \u00e9t\u00e9.txt",
                 "php.html", "php.md"):
        assert page in pages_with_drugs, page
    assert not result.drug_table[result.drug_table.page == "only-chrome.txt"].shape[0]
    assert {("BG001", "good.txt")} <= {(f.code, f.page) for f in result.findings}


def test_hidden_characters_inside_names_still_link(hostile):
    _, _, result = hostile
    rows = result.drug_table[result.drug_table.page == "zero-width.txt"]
    assert set(rows.generic) == {"capecitabine", "oxaliplatin"}


def test_spans_stay_inside_the_file(hostile):
    site, _, result = hostile
    for row in result.drug_table.itertuples():
        path = site / row.page
        text = path.read_bytes().decode("utf-8", errors="replace") if "utf16" not in row.page else path.read_bytes().decode("utf-16")
        lines = text.split("\n")
        assert 1 <= row.line <= len(lines), row
        assert 1 <= row.column <= len(lines[row.line - 1]) + 1, row


def test_content_is_never_modified(hostile):
    site, before, _ = hostile
    assert _digest(site) == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_leaves_the_previous_reports(tmp_path, jobs):
    out = tmp_path / "out"
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.txt").write_text(GOOD, encoding="utf-8")
    script = f"""
import os, signal, sys
sys.argv = ["rxqa", "check", {str(site)!r}, "--out", {str(out)!r}, "--no-data-docs", "-q", "--jobs", {jobs!r}]
from pipelines import cli
import pipelines.report.data as data
if os.environ.get("KILL_IN_WRITER"):
    original = data.write_findings
    def dying(result, folder):
        (folder / "findings.csv").write_text("half a fi", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    data.write_findings = dying
cli.main()
"""
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 1, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    killed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "KILL_IN_WRITER": "1"}, capture_output=True, timeout=300)
    # one process: the run itself is killed; several: a writer process is killed and the run fails
    assert killed.returncode == (-9 if jobs == "1" else 2), killed.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before


def test_two_runs_into_one_folder(tmp_path):
    import json

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipelines.cli", "check", "data/content", "--out", str(out), "--no-data-docs", "-q", "--no-cache"]
    runs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        run.wait(timeout=300)
        assert run.returncode == 1
    payload = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert payload["summary"]["findings"] == len(payload["findings"])
    assert not [p for p in out.iterdir() if p.name.startswith(".rxqa-staging")]


@pytest.mark.parametrize("args,message", [
    (["check", "data/content", "--out", "pyproject.toml"], "not a folder"),
    (["check", "data/content", "--out", "data/content/x"], "inside the content"),
    (["check", "--jobs", "0"], "Invalid value"),
    (["reference", "check", "--reference", "no/such/dir"], "not found"),
])
def test_command_line_refusals(args, message):
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and message in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_file_names_that_are_not_utf8_are_named_with_their_bytes_escaped(tmp_path):
    """Linux allows any bytes in a name; Python keeps the ones that are not UTF-8 as lone
    surrogates, which no output can hold. The page is named with them written as \\xNN, and
    its stamp is kept in the cache under its path written so, with the same findings."""
    site = tmp_path / "site"
    site.mkdir()
    os.mkdir(os.path.join(bytes(site), b"sub\xff"))
    os.makedirs(site / "sub")  # the names above and below must not meet
    for name in (b"caf\xe9.txt", b"sub\xff/caf\xe9.txt", b"sub/caf\xe9.txt"):
        Path(os.fsdecode(os.path.join(bytes(site), name))).write_text(GOOD, encoding="utf-8")
    time.sleep(2.1)  # PageCache.SETTLED_NS: only a file left alone that long has its stamp kept
    out = tmp_path / "out"
    for run in range(2):
        taken = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", str(site), "--out", str(out), "--no-data-docs", "-q",
                                "--reference", str(ROOT / "data" / "reference")], cwd=tmp_path, capture_output=True, text=True)
        assert taken.returncode == 1 and "Traceback" not in taken.stderr, taken.stderr
        pages = {line.split(",")[4] for line in (out / "findings.csv").read_text(encoding="utf-8").splitlines()[1:]}
        assert pages == {"caf\\xe9.txt", "sub\\xff/caf\\xe9.txt", "sub/caf\\xe9.txt"}
        for written in out.iterdir():
            if written.suffix != ".xlsx":
                written.read_bytes().decode("utf-8")  # every text output is UTF-8 throughout
    import sqlite3

    with sqlite3.connect(tmp_path / ".rxqa-cache" / "pages.sqlite") as db:
        stamped = {path for (path,) in db.execute("SELECT path FROM files")}
    assert str(site / "sub\\xff" / "caf\\xe9.txt") in stamped


def test_a_hand_made_finding_with_lone_surrogates_is_written_by_every_writer(tmp_path):
    from dataclasses import replace

    from pipelines.report import write_reports

    result = check([ROOT / "data" / "content"], reference=str(ROOT / "data" / "reference"), market="CA", cache_dir="")
    result.findings[0] = replace(result.findings[0], text="bad \udcff text", message="no \ud800 end")
    written = write_reports(result, tmp_path / "out", skip={"data_docs"})
    assert "findings.csv" in written and "report.html" in written and "worksheet.xlsx" in written
    assert "bad ? text" in (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_heading_longer_than_the_csv_modules_field_limit(tmp_path, jobs):
    """A drug mention under a 200,000-character heading with quotes in it: its rows' cells pass
    the csv module's default limit of 128 KB, and report.html, the comparison with the previous
    run and SC001's verdicts all read them back."""
    site = tmp_path / "site"
    site.mkdir()
    page = site / "long.md"
    page.write_text("# Treatment\n\n## " + 'A "quoted" heading ' * 10_000 + "\n\nSome people have cisplatin (Xeloda) here.\n", encoding="utf-8")
    (site / "other.md").write_text("# Treatment\n\nSome people have oxaliplatin (Eloxatin).\n", encoding="utf-8")
    out = tmp_path / "out"
    for edit in ("", "\nAsk about capecitabine (Xeloda).\n"):  # the second run a rerun, from the cache in tmp_path
        with page.open("a", encoding="utf-8") as handle:
            handle.write(edit)
        taken = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", str(site), "--out", str(out), "--no-data-docs", "-q", "--jobs", str(jobs),
                                "--reference", str(ROOT / "data" / "reference")], cwd=tmp_path, capture_output=True, text=True)
        assert taken.returncode == 1 and "Traceback" not in taken.stderr, taken.stderr[-2000:]
        assert "long.md" in (out / "findings.csv").read_text(encoding="utf-8")


def test_a_working_folder_removed_under_the_run_is_one_line(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.path.insert(0, {str(ROOT)!r}); from pipelines import cli; cli.main(['check', '-q'])"
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "working folder no longer exists" in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_a_page_rxqa_fails_on_is_reported_unchecked_and_the_run_goes_on(tmp_path, monkeypatch):
    """A bug met on one page (here, extraction made to fail on it) is that page's SC003 error, naming
    what failed; the other pages are checked."""
    import pipelines.pages

    real = pipelines.pages.extract_document

    def failing(doc, linker):
        if doc.page == "bad.txt":
            raise ValueError("made to fail")
        return real(doc, linker)

    monkeypatch.setattr(pipelines.pages, "extract_document", failing)
    (tmp_path / "bad.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = check([tmp_path], market="CA", cache_dir="", jobs=1)
    [problem] = [f for f in result.findings if f.code == "SC003"]
    assert (problem.page, problem.severity) == ("bad.txt", "warning")  # as any page that could not be read
    assert "ValueError: made to fail" in problem.message and "unchecked" in problem.message
    assert set(result.drug_table.page) == {"good.txt"}
