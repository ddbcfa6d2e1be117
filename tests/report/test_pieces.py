"""A page's share of each output is kept from the last run (report/pieces.py): the outputs
of a rerun that reuses them are the same bytes as those of a run that makes them all."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from pipelines import check
from pipelines.jsontext import dumps, list_items, raw_list, write_json
from pipelines.report import html as html_report
from pipelines.report import pieces as pieces_module
from pipelines.report import write_reports

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = {"docProps/core.xml"}  # the worksheet's creation time


@pytest.fixture
def spied(monkeypatch):
    """(page, made) of every piece asked for, as a list that fills."""
    asked: list[tuple[str, bool]] = []
    real = pieces_module.Pieces.piece

    def piece(self, page, make, *where):
        made = []
        text = real(self, page, lambda: made.append(1) or make(), *where)
        asked.append((page, bool(made)))
        return text

    monkeypatch.setattr(pieces_module.Pieces, "piece", piece)
    return asked


def _outputs(site: Path, out: Path, cache: Path | None, before: Path | None = None, **flags) -> dict[str, bytes]:
    """The outputs of a check, written over a copy of the outputs in `before` (the previous run's)."""
    if before is not None:
        shutil.copytree(before, out)
    result = check([site], market="CA", cache_dir=str(cache) if cache else "", jobs=1, texts_in_cache=cache is not None, **flags)  # as rxqa check
    result.timings["total"] = 0.0  # junit.xml and report.html print it
    write_reports(result, out, skip={"data_docs"})
    return {path.name: _comparable(path) for path in out.iterdir() if not path.name.startswith(".")}


def _comparable(path: Path) -> bytes:
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        return b"".join(name.encode() + book.read(name) for name in book.namelist() if name not in VOLATILE)


def _edit(site: Path) -> list[str]:
    pages = sorted(p for p in site.rglob("*") if p.is_file())
    changed = pages[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nCapecitabine (Taxotere) is taken by mouth.\n", encoding="utf-8")
    pages[5].unlink()
    (site / "content" / "added.md").write_text("# Chemotherapy\n\n- oxaliplatin (Eloxatin)\n- FOLFOX: fluorouracil and leucovorin\n",
                                               encoding="utf-8")
    return [changed.relative_to(site).as_posix(), "content/added.md"]


@pytest.mark.parametrize("limit", [None, 1], ids=["whole-pages", "text-near-findings"])
def test_a_rerun_reuses_the_unchanged_pages_pieces_and_writes_the_same_bytes(site, tmp_path, spied, monkeypatch, limit):
    if limit is not None:  # report.html keeps only the text and rows near findings, as it does for a large site
        monkeypatch.setattr(html_report, "FULL_TEXT_LIMIT", limit)
    cache = tmp_path / "cache"
    _outputs(site, tmp_path / "first", cache)
    assert spied and all(made for _, made in spied)  # nothing kept yet
    edited = _edit(site)
    spied.clear()
    rerun = _outputs(site, tmp_path / "rerun", cache)
    asked = list(spied)
    fresh = _outputs(site, tmp_path / "fresh", None)
    assert rerun.keys() == fresh.keys() and len(rerun) == 11
    for name in fresh:
        assert rerun[name] == fresh[name], name
    made = {page for page, was_made in asked if was_made}
    assert made == set(edited)  # the rest were reused
    assert sum(1 for _, was_made in asked if not was_made) > 50


def test_an_editors_status_and_comment_make_their_rows_again(site, tmp_path, spied):
    import openpyxl

    cache = tmp_path / "cache"
    _outputs(site, tmp_path / "first", cache)
    book = openpyxl.load_workbook(tmp_path / "first" / "worksheet.xlsx")
    sheet = book["Findings"]
    header = [cell.value for cell in sheet[1]]
    page = sheet.cell(2, header.index("Page") + 1).value
    sheet.cell(2, header.index("Status") + 1).value = "fixed"
    sheet.cell(2, header.index("Comment") + 1).value = "corrected on the page"
    book.save(tmp_path / "first" / "worksheet.xlsx")
    spied.clear()
    rerun = _outputs(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    asked = list(spied)
    fresh = _outputs(site, tmp_path / "fresh", None, before=tmp_path / "first")
    assert b"corrected on the page" in rerun["worksheet.csv"]
    for name in fresh:
        assert rerun[name] == fresh[name], name
    assert {name for name, was_made in asked if was_made} == {page}  # the worksheet's run of rows with the mark


def _append(page: Path, text: str) -> str:
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")
    return page.parent.name + "/" + page.name


def test_reruns_that_change_few_pieces_write_them_beside_the_file_until_they_are_many(site, tmp_path, spied):
    cache = tmp_path / "cache"
    _outputs(site, tmp_path / "cold", cache)
    pages = sorted(site.glob("corpus/*.*"))
    for rerun, page in enumerate(pages[:2]):  # one page a rerun: a delta, then a delta of both
        edited = _append(page, "\n\nOxaliplatin (Xeloda) is given by drip.\n")
        spied.clear()
        outputs = _outputs(site, tmp_path / f"rerun-{rerun}", cache)
        assert {name for name, was_made in spied if was_made} == {edited}  # the earlier edit's pieces came from the delta
        assert outputs == _outputs(site, tmp_path / f"fresh-{rerun}", None)
        assert list((cache / "pieces").glob("junit.xml.*.delta"))
    for page in pages[2:]:  # most pages: the whole file is written again, and its delta goes
        _append(page, "\n\nCapecitabine (Taxotere) is a tablet.\n")
    outputs = _outputs(site, tmp_path / "many", cache)
    assert outputs == _outputs(site, tmp_path / "many-fresh", None)
    assert not list((cache / "pieces").glob("junit.xml.*.delta"))
    spied.clear()
    assert _outputs(site, tmp_path / "again", cache) == outputs
    assert spied and not any(was_made for _, was_made in spied)


def test_a_store_that_cannot_be_written_leaves_every_piece_to_be_made(site, tmp_path, spied):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pieces").write_text("a file where the folder of pieces would go", encoding="utf-8")
    first = _outputs(site, tmp_path / "first", cache)
    spied.clear()
    rerun = _outputs(site, tmp_path / "rerun", cache)
    assert rerun == first and spied and all(was_made for _, was_made in spied)


@pytest.mark.parametrize("change", ["fail-on", "waiver", "broken-store"])
def test_what_every_piece_or_one_page_depends_on_makes_them_again(site, tmp_path, spied, change):
    cache = tmp_path / "cache"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    flags: dict = {"waivers": str(waivers)}
    first = check([site], market="CA", cache_dir=str(cache), jobs=1, **flags)
    _outputs(site, tmp_path / "first", cache, **flags)
    if change == "fail-on":
        flags["fail_on"] = "warning"  # junit's failures and the CI exit code
    elif change == "waiver":
        waived = first.findings[0]
        waivers.write_text(f"waivers:\n  - fingerprint: {waived.fingerprint}\n    reason: checked\n    accepted_by: an editor\n",
                           encoding="utf-8")
    else:
        for kept in (cache / "pieces").iterdir():
            kept.write_bytes(b"not what a run keeps")
    spied.clear()
    rerun = _outputs(site, tmp_path / "rerun", cache, **flags)
    asked = list(spied)
    fresh = _outputs(site, tmp_path / "fresh", None, **flags)
    for name in fresh:
        assert rerun[name] == fresh[name], name
    made = {page for page, was_made in asked if was_made}
    if change == "waiver":
        assert made == {waived.page}  # only the page whose finding changed status
    else:
        assert asked and all(was_made for _, was_made in asked)


def test_runs_of_several_configurations_sharing_a_cache_keep_their_own_pieces(site, tmp_path, spied, monkeypatch):
    monkeypatch.setattr(pieces_module, "KEPT", 2)
    cache = tmp_path / "cache"
    for fail_on in ("error", "warning"):  # every piece of junit.xml, results.sarif, ... has another key
        _outputs(site, tmp_path / fail_on, cache, fail_on=fail_on)
    spied.clear()
    _outputs(site, tmp_path / "error-again", cache, fail_on="error")
    assert spied and not any(was_made for _, was_made in spied)  # the first configuration's pieces were still there
    _outputs(site, tmp_path / "info", cache, fail_on="info")
    files = sorted(path.name.rsplit(".", 1)[0] for path in (cache / "pieces").iterdir())
    assert files.count("junit.xml") == 2 and len(files) == 2 * len(set(files))  # the oldest configuration's are gone


@pytest.mark.parametrize("depth", [1, 2, 4])
@pytest.mark.parametrize("items", [
    [],
    [{"a": 1, "b": [1, {"c": "x"}]}],
    [{"text": "oxaliplatin (Xeloda) \u00e9 \u2028"}, [], {}, "s", 2.5, None, True],
    ["lone \udc80 surrogate", {"k": "v"}],  # written by the standard library
], ids=["empty", "nested", "mixed", "surrogate"])
def test_a_list_made_of_pieces_is_written_as_the_whole_list_is(tmp_path, depth, items):
    def nest(value, depth):
        return value if depth == 1 else {"outer": [nest(value, depth - 2)]} if depth > 2 else {"inner": value}

    whole = nest(items, depth)
    split = nest(raw_list([list_items(items[:1], depth), "", list_items(items[1:], depth)], depth), depth)
    assert dumps(split) == dumps(whole)
    write_json(tmp_path / "whole.json", whole)
    write_json(tmp_path / "split.json", split)
    assert (tmp_path / "split.json").read_bytes() == (tmp_path / "whole.json").read_bytes()
