"""A rerun leaves the texts of the outcomes it reuses (CSV lines, views) in the cache
(stored_texts.py), and the mention tables' lines of unchanged pages are copied from the
previous file through its index (table_index.py): the outputs are the same bytes as a
run without cache, and only the changed pages' texts are read."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipelines import check
from pipelines.errors import RxqaError
from pipelines.outcome import SCHEMA
from pipelines.report import mention_tables, write_reports
from pipelines.stored_texts import StoredTexts
from pipelines.table_index import TableIndex

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("drug_mentions.csv", "regimen_mentions.csv")


@pytest.fixture
def spied(monkeypatch):
    """What was read of the cache's texts and of the previous tables, and the ranges copied."""
    seen: dict[str, list] = {"texts": [], "previous": [], "copied": []}
    real_get, real_read, real_copy = StoredTexts.get, TableIndex.read_each, mention_tables._copy

    def get(self, column, pages):
        found = real_get(self, column, pages)
        seen["texts"] += [(column, page) for page in found]
        return found

    def read(self, pages):
        seen["previous"] += [(self.path.name, page) for page in pages if page in self.spans]
        return real_read(self, pages)

    def copy(source, out, start, end):
        seen["copied"].append(end - start)
        return real_copy(source, out, start, end)

    monkeypatch.setattr(StoredTexts, "get", get)
    monkeypatch.setattr(TableIndex, "read_each", read)
    monkeypatch.setattr(mention_tables, "_copy", copy)
    return seen


def _write(site: Path, out: Path, cache: Path | None, before: Path | None = None):
    """A check's result and outputs, written over a copy (times kept) of the outputs in `before`
    and compared with those."""
    if before is not None:
        shutil.copytree(before, out)
    result = check([site], market="CA", cache_dir=str(cache) if cache else "", jobs=1, texts_in_cache=True)
    result.timings["total"] = 0.0  # junit.xml and report.html print it
    write_reports(result, out, skip={"data_docs", "worksheet"}, previous=before)  # compared with them, as `rxqa check` does
    return result, {path.name: path.read_bytes() for path in out.iterdir() if path.is_file() and not path.name.startswith(".")}


def _edit(site: Path) -> str:
    page = sorted(site.rglob("*.md"))[2]
    page.write_text(page.read_text(encoding="utf-8") + "\n\nCapecitabine (Taxotere) is taken by mouth.\n", encoding="utf-8")
    return page.relative_to(site).as_posix()


def test_a_rerun_reads_only_the_changed_pages_texts_and_writes_the_same_bytes(site, tmp_path, spied):
    cache = tmp_path / "cache"
    _write(site, tmp_path / "first", cache)
    assert not spied["texts"] and not spied["copied"]  # a cold run holds every text: nothing to read or copy
    edited = _edit(site)
    rerun, outputs = _write(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    _, whole = _write(site, tmp_path / "whole", None, before=tmp_path / "first")
    assert outputs == whole
    left = [page for page, count, text in rerun.table_csv["drug_mentions"] if count and text is None]
    assert left and edited not in left and rerun.stored_views  # the unchanged pages' texts stayed in the cache
    assert spied["copied"] and sum(spied["copied"]) > 0.9 * sum(len(whole[name]) for name in TABLES) * len(left) / len(rerun.pages)
    assert {page for _, page in spied["previous"]} == {edited}  # the comparison read the previous lines of the edited page only
    assert not spied["texts"]  # every text the writers needed was the edited page's, read now
    assert rerun.changes["drugs"] and all(change["page"] == edited for change in rerun.changes["drugs"])


def test_after_every_cache_key_moved_only_the_rows_of_pages_whose_lines_changed_are_compared(site, tmp_path, spied, monkeypatch):
    """A new rxqa (or reference) gives every page a new cache key: the comparison with the previous
    tables then reads their lines through the index and parses the rows of the pages whose lines
    differ, not the whole tables, and finds the same changes as from the whole tables."""
    import pipelines.run
    from pipelines import changes

    cache = tmp_path / "cache"
    _write(site, tmp_path / "first", cache)
    edited = _edit(site)
    monkeypatch.setattr(pipelines.run, "code_digest", lambda: "another rxqa")
    parsed: set[str] = set()
    real_read_text = changes._read_text

    def read_text(text, columns):
        table = real_read_text(text, columns)
        parsed.update(table["page"])
        return table

    monkeypatch.setattr(changes, "_read_text", read_text)
    rerun, outputs = _write(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    monkeypatch.setattr(changes, "_read_text", real_read_text)
    _, whole = _write(site, tmp_path / "whole", None, before=tmp_path / "first")
    assert outputs == whole
    assert {page for _, page in spied["previous"]} == {page for page, count, _ in rerun.table_csv["drug_mentions"] if count}
    assert parsed == {edited}
    assert rerun.changes["drugs"] and all(change["page"] == edited for change in rerun.changes["drugs"])


def test_pieces_to_make_of_unchanged_pages_read_their_texts_from_the_cache(site, tmp_path, spied):
    cache = tmp_path / "cache"
    _write(site, tmp_path / "first", cache)
    _edit(site)
    shutil.rmtree(cache / "pieces")  # every page's share of report.html is made again
    rerun, outputs = _write(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    _, whole = _write(site, tmp_path / "whole", None, before=tmp_path / "first")
    assert outputs == whole
    shown = {f.page for f in rerun.findings}
    read = {column: {page for c, page in spied["texts"] if c == column} for column in ("view", "drug_csv")}
    assert read["view"] == set(rerun.stored_views) & shown  # the views of the pages report.html shows
    assert read["drug_csv"] and read["drug_csv"] <= shown  # and their table rows


def test_a_previous_table_changed_since_it_was_written_is_not_copied_from(site, tmp_path, spied):
    cache = tmp_path / "cache"
    _write(site, tmp_path / "first", cache)
    _edit(site)
    with (tmp_path / "first" / "drug_mentions.csv").open("a", encoding="utf-8") as table:
        table.write("someone,added,this,line\n")
    rerun, outputs = _write(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    _, whole = _write(site, tmp_path / "whole", None, before=tmp_path / "first")
    assert outputs == whole
    assert {name for name, _ in spied["previous"]} == {"regimen_mentions.csv"}  # the drug table's index no longer matches its file
    assert {column for column, _ in spied["texts"]} == {"drug_csv"}  # its lines were read from the cache instead


def test_rows_never_checked_of_a_stored_outcome_are_read_from_the_cache(site, tmp_path, monkeypatch, unbundled_verdicts):
    import pandera.pandas as pa

    import schemas.tables

    # a stricter schema, so that SC001 has rows to report: names of at most 10 letters
    short_names_only = schemas.tables.DrugMentions.to_schema().update_column("text", checks=[pa.Check.str_length(1, 10)])
    monkeypatch.setitem(schemas.tables.MODELS, "drug_mentions", short_names_only)
    cache = tmp_path / "cache"
    check([site], market="CA", cache_dir=str(cache), jobs=1)
    with sqlite3.connect(cache / "pages.sqlite") as db:  # as if the row checks had never been kept
        assert db.execute(f"DELETE FROM checks_v{SCHEMA}").rowcount
    rerun = check([site], market="CA", cache_dir=str(cache), jobs=1, texts_in_cache=True)
    cold = check([site], market="CA", cache_dir="", jobs=1)
    assert [f.to_dict() for f in rerun.findings] == [f.to_dict() for f in cold.findings]
    assert len({f.page for f in cold.findings if f.code == "SC001"}) > 3


def test_rows_never_checked_whose_outcome_is_gone_are_a_one_line_error(site, tmp_path, monkeypatch):
    from pipelines.cache import PageCache

    cache = tmp_path / "cache"
    check([site], market="CA", cache_dir=str(cache), jobs=1)
    with sqlite3.connect(cache / "pages.sqlite") as db:
        db.execute(f"DELETE FROM checks_v{SCHEMA}")
    monkeypatch.setattr(PageCache, "texts", lambda self, keys, column: {})  # pruned by another run meanwhile
    with pytest.raises(RxqaError, match=r"pages\.sqlite: the stored outcome of .* is gone; run again$"):
        check([site], market="CA", cache_dir=str(cache), jobs=1, texts_in_cache=True)


def test_a_text_gone_from_the_cache_is_a_one_line_error(site, tmp_path):
    cache = tmp_path / "cache"
    check([site], market="CA", cache_dir=str(cache), jobs=1)
    rerun = check([site], market="CA", cache_dir=str(cache), jobs=1, texts_in_cache=True)
    with sqlite3.connect(cache / "pages.sqlite") as db:
        db.execute(f"DELETE FROM outcomes_v{SCHEMA}")
    with pytest.raises(RxqaError, match=r"pages\.sqlite: the stored outcome of .* is gone .*run again$"):
        rerun.table_lines("drug_mentions")
    check([site], market="CA", cache_dir=str(cache), jobs=1)
    again = check([site], market="CA", cache_dir=str(cache), jobs=1, texts_in_cache=True)
    shutil.rmtree(cache)
    with pytest.raises(RxqaError, match=r"pages\.sqlite: the page cache cannot be read since the run .*run again$"):
        again.table_lines("regimen_mentions")


def test_a_result_made_as_a_library_call_holds_its_texts(site, tmp_path):
    """Without texts_in_cache (the Python API's default) a result does not need the cache once made."""
    cache = tmp_path / "cache"
    cold = check([site], market="CA", cache_dir=str(cache), jobs=1)
    rerun = check([site], market="CA", cache_dir=str(cache), jobs=1)
    shutil.rmtree(cache)
    assert rerun.stored_texts is None and not rerun.stored_views
    assert rerun.drug_table.equals(cold.drug_table) and rerun.views == cold.views


def test_a_previous_table_replaced_while_it_is_copied_from_is_read_as_it_was(site, tmp_path, monkeypatch):
    """The index is checked against the open file, and every byte copied comes from that file,
    whatever another run swaps into the folder meanwhile."""
    import pipelines.table_index as table_index

    cache = tmp_path / "cache"
    _write(site, tmp_path / "first", cache)
    _edit(site)
    real = table_index._index

    def swapped(cache_dir, path, fd):
        found = real(cache_dir, path, fd)
        other = path.with_name(path.name + ".other")
        other.write_bytes(b"page,something else entirely\n" * 5000)
        os.replace(other, path)  # another run's file, swapped in after this one was opened
        return found

    monkeypatch.setattr(table_index, "_index", swapped)
    _, outputs = _write(site, tmp_path / "rerun", cache, before=tmp_path / "first")
    monkeypatch.setattr(table_index, "_index", real)
    _, whole = _write(site, tmp_path / "whole", None, before=tmp_path / "first")
    assert {name: outputs[name] for name in TABLES} == {name: whole[name] for name in TABLES}
