"""--jobs and the incremental cache change speed, never results."""
from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import fresh_python

from pipelines import check
from pipelines.errors import RxqaError

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(result):
    return (
        [f.to_dict() for f in result.findings],
        result.drug_table.to_dict("records"),
        result.regimen_table.to_dict("records"),
    )


def _run_probe(code: str) -> None:
    """Run `code` in a fresh interpreter (nothing imported yet) and fail with what it printed if it fails."""
    taken = fresh_python(code)
    assert taken.returncode == 0, taken.stderr


def _pool_sizes(monkeypatch) -> list[int]:
    """The number of worker processes of each pool the page reading starts, as a list that fills."""
    import multiprocessing

    import pipelines.pages

    sizes: list[int] = []
    real = multiprocessing.get_context

    class Counted:
        def __init__(self, method):
            self.context = real(method)

        def Pool(self, processes, **options):
            sizes.append(processes)
            return self.context.Pool(processes, **options)

        def __getattr__(self, name):  # the rest (a rerun's rows process) as it is
            return getattr(self.context, name)

    monkeypatch.setattr(pipelines.pages.multiprocessing, "get_context", Counted)
    return sizes


def test_jobs_give_identical_results(monkeypatch):
    import pipelines.pages

    paths = [ROOT / "data" / "content", ROOT / "tests" / "corpus" / "pages"]
    one = check(paths, market="CA", jobs=1, cache_dir="")
    monkeypatch.setattr(pipelines.pages, "PAGES_PER_WORKER", 1)
    sizes = _pool_sizes(monkeypatch)
    two = check(paths, market="CA", jobs=2, cache_dir="")
    assert sizes == [2] and _snapshot(one) == _snapshot(two)


@pytest.mark.parametrize("copies, pools", [(1, []), (50, [2])])
def test_a_few_long_pages_are_spread_over_the_jobs(tmp_path, monkeypatch, copies, pools):
    """Workers are counted by the pages' bytes as well as their number: three pages each holding
    the bundled text pages 50 times over (about 1.1 MB in all) get two workers, as many short
    pages would, with the results of one process; three short ones are read in the run itself."""
    site = tmp_path / "site"
    site.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "content").rglob("*.txt"))]
    for n in range(3):
        (site / f"long-{n}.txt").write_text("\n\n".join(texts[n:] + texts[:n]) * copies, encoding="utf-8")
    alone = check([site], market="CA", jobs=1, cache_dir="")
    sizes = _pool_sizes(monkeypatch)
    spread = check([site], market="CA", jobs=2, cache_dir="")
    assert sizes == pools and _snapshot(spread) == _snapshot(alone)
    assert alone.counts()["drug_mentions"] > 0


def test_warm_cache_equals_cold_run_and_sees_changes(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    shutil.copytree(ROOT / "data" / "content", site / "copy")  # same bytes under another name
    cache = str(tmp_path / "cache")
    cold = check([site], market="CA", cache_dir="")
    assert _snapshot(check([site], market="CA", cache_dir=cache)) == _snapshot(cold)
    assert _snapshot(check([site], market="CA", cache_dir=cache)) == _snapshot(cold)
    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    page.write_text(page.read_text(encoding="utf-8").replace("oxaliplatin (Xeloda)", "oxaliplatin (Eloxatin)"), encoding="utf-8")
    warm = check([site], market="CA", cache_dir=cache)
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir=""))
    assert not any(f.code == "BG001" and f.page == "pancreas/pancreatic-cancer-chemotherapy.md" for f in warm.findings)


def test_a_changed_reference_reruns_every_page(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.txt").write_text("capecitabine (Capetab) is a pill.\n", encoding="utf-8")
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", reference)
    cache = str(tmp_path / "cache")
    before = check([site], reference=str(reference), cache_dir=cache)
    assert [f.code for f in before.findings] == ["BG002"]
    with open(reference / "brands.csv", "a", encoding="utf-8") as handle:
        handle.write("Capetab,capecitabine,CA,marketed,,Health Canada DPD,2026-11-21\n")
    after = check([site], reference=str(reference), cache_dir=cache)
    assert after.findings == [] and after.drug_table.iloc[0]["brands"] == "Capetab"


def test_the_kept_linker_is_used_only_for_the_same_reference(tmp_path, monkeypatch):
    import pipelines.reference.load
    import pipelines.reference.rows

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", reference)
    cache = tmp_path / "cache"
    cold = check([site], reference=str(reference), cache_dir="")
    first = check([site], reference=str(reference), cache_dir=str(cache))
    [kept] = list((cache / "linkers").glob("*.pickle"))
    kept.write_bytes(kept.read_bytes()[:100])  # a partial file is rebuilt, not trusted
    assert _snapshot(check([site], reference=str(reference), cache_dir=str(cache))) == _snapshot(first) == _snapshot(cold)
    (cache / "pages.sqlite").unlink()
    real_load, real_read = pipelines.reference.load.load_reference, pipelines.reference.rows.read_reference

    def not_loaded(directory):
        raise AssertionError("the reference was loaded again although a linker is kept for it")

    monkeypatch.setattr(pipelines.reference.load, "load_reference", not_loaded)
    monkeypatch.setattr(pipelines.reference.rows, "read_reference", not_loaded)
    assert _snapshot(check([site], reference=str(reference), cache_dir=str(cache))) == _snapshot(cold)  # from the kept linker
    monkeypatch.setattr(pipelines.reference.load, "load_reference", real_load)
    monkeypatch.setattr(pipelines.reference.rows, "read_reference", real_read)
    # taking the kept linker imports neither pandera nor pandas, a rerun with nothing to read needs
    # neither at all, and over processes a rerun checks its changed rows in a process of their own
    # and reads its changed pages (Markdown here) in a worker: the run's own process imports no parser
    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    probe = (f"import sys; from pathlib import Path; from pipelines.cache import cached_linker; "
             f"linker = cached_linker(Path({str(reference)!r}), Path({str(cache)!r})); "
             f"assert not {{'pandera', 'pandas'}} & set(sys.modules), 'imported'; assert linker.reference.drugs; "
             f"from pipelines import check; result = check([{str(site)!r}], reference={str(reference)!r}, cache_dir={str(cache)!r}); "
             f"assert result.findings; assert not {{'pandera', 'pandas'}} & set(sys.modules), 'imported by the rerun'; "
             f"page = Path({str(page)!r}); page.write_text(page.read_text() + '\\nAsk about capecitabine (Eloxatin).\\n'); "
             f"result = check([{str(site)!r}], reference={str(reference)!r}, cache_dir={str(cache)!r}, jobs=2); "
             f"assert any(f.text == 'Eloxatin' for f in result.findings); "
             f"assert not {{'pandera', 'pandas', 'markdown_it', 'selectolax', 'rapidfuzz'}} & set(sys.modules), 'imported by the rerun with an edit'; "
             # the writers run in processes of their own: the run's own process needs neither jinja2 nor xlsxwriter
             f"from pipelines.report import write_reports; names = write_reports(result, Path({str(tmp_path / 'out')!r}), skip={{'data_docs'}}, jobs=2); "
             f"assert {{'report.html', 'worksheet.xlsx'}} <= set(names); assert not {{'jinja2', 'xlsxwriter'}} & set(sys.modules), 'imported by the writers'")
    _run_probe(probe)
    assert _snapshot(check([site], reference=str(reference), cache_dir="")) == _snapshot(check([site], reference=str(reference), cache_dir=str(cache)))

    with open(reference / "brands.csv", "a", encoding="utf-8") as handle:
        handle.write("Xeloda,oxaliplatin,CA,marketed,,Health Canada DPD,2026-11-21\n")  # a second generic for one brand
    with pytest.raises(RxqaError, match="brands.csv"):
        check([site], reference=str(reference), cache_dir=str(cache))
    (reference / "brands.csv").unlink()  # a table gone: never a kept linker, but the error naming it
    with pytest.raises(RxqaError, match="brands.csv"):
        check([site], reference=str(reference), cache_dir=str(cache))


@pytest.mark.parametrize(
    "table,edit,message",
    [
        ("brands.csv", lambda text: text + "Zzbrand,capecitabine,FR,marketed,,RxNorm,2026-11-21\n", r"brands.csv:\d+: market 'FR'"),
        ("drugs.csv", lambda text: text.replace("name,synonyms,", "name,", 1), "drugs.csv:1: missing column"),  # the plain reader fails too
        ("terms.csv", lambda text: text.replace("IV,", "\udcff,", 1), "terms.csv: not UTF-8"),
    ],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_validates_the_reference_it_started_reading_with(tmp_path, table, edit, message, jobs):
    """A new linker is built from the files as they read and the pages are read while the
    reference is validated: a broken reference still stops the run with the validation's
    message, and its linker is never kept, so the next run validates it again."""
    from pipelines.reference.load import load_reference

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", reference)
    path = reference / table
    path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    with pytest.raises(RxqaError) as expected:
        load_reference(reference)
    assert re.search(message, str(expected.value)), expected.value
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(RxqaError) as caught:
            check([site], reference=str(reference), cache_dir=str(cache), jobs=jobs)
        assert str(caught.value) == str(expected.value)
    assert not list(cache.glob("linkers/*.pickle"))


def test_a_rerun_that_reads_no_page_never_loads_the_chrome_rules_nor_yaml(tmp_path):
    """The chrome rules (and PyYAML, which reads them) are loaded where pages are read: before the
    workers fork on a cold run, and on a rerun in its worker, not in the rerun's own process."""
    run = (f"import sys\nfrom pipelines import check\n"
           f"result = check([{str(ROOT / 'data' / 'content')!r}], cache_dir={str(tmp_path / 'cache')!r}, waivers='none.yaml', jobs=2)\n"
           f"assert result.findings\n")
    _run_probe(run + "assert 'yaml' in sys.modules\n")  # cold: the pages were read here or in workers forked from here
    _run_probe(run + "assert 'yaml' not in sys.modules and 'markdown_it' not in sys.modules, sorted(sys.modules)\n")


@pytest.mark.parametrize("jobs", [1, 2])
def test_chrome_rules_that_cannot_be_used_stop_the_run_wherever_they_are_loaded(tmp_path, monkeypatch, jobs):
    """Loaded in this process (jobs 1), before the workers fork (a cold run) or in a rerun's worker:
    a broken chrome file is the run's one-line error, never a page left unchecked."""
    import pipelines.run
    from pipelines.config import load_settings
    from pipelines.errors import ConfigInvalid

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    broken = tmp_path / "chrome.yaml"
    broken.write_text("lines:\n  - '(?P<w>a)(?P<w>b)'\n", encoding="utf-8")

    def run():
        return check([site], cache_dir=str(tmp_path / "cache"), jobs=jobs)

    run()
    page = sorted(site.rglob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nCapecitabine (Xeloda) is a tablet.\n", encoding="utf-8")
    kept = pipelines.run.chrome_digest(load_settings())
    monkeypatch.setattr(pipelines.run, "chrome_digest", lambda settings: kept)  # so that the edited page alone is read again
    monkeypatch.setattr(pipelines.run, "DEFAULT_CHROME_FILE", broken)
    for _ in range(2):  # a rerun, then a cold run
        with pytest.raises(ConfigInvalid) as caught:
            run()
        assert str(caught.value).startswith(f"{broken}: the chrome rules cannot be used (redefinition of group name 'w'")
        shutil.rmtree(tmp_path / "cache")


@pytest.mark.parametrize("bundled", [True, False])
def test_a_cold_run_starts_its_workers_before_it_imports_pandas(tmp_path, bundled):
    """The reference is validated (pandas, pandera) while the pages are read, not before: a
    cold run's workers start once the linker is built from the files as they read. SC001
    answers for the rows from the verdicts rxqa ships, and without them (schemas changed
    since they were written) validates them with pandera, imported while the pages are read."""
    void = "" if bundled else "import pipelines.bundled_verdicts as b; b.load = lambda: None\n"
    probe = (f"import sys; import pipelines.pages as pages; real = pages._results; seen = []\n{void}"
             f"def spy(*args, **options):\n    seen.append({{'pandas', 'pandera'}} & set(sys.modules)); return real(*args, **options)\n"
             f"pages._results = spy; from pipelines import check\n"
             f"result = check([{str(ROOT / 'data' / 'content')!r}], cache_dir={str(tmp_path / 'cache')!r}, jobs=2)\n"
             f"assert result.findings and seen == [set()], seen; assert ('pandera' in sys.modules) == {not bundled}")
    _run_probe(probe)


def test_the_cache_prunes_what_can_no_longer_be_hit(tmp_path):
    import sqlite3
    import time

    from pipelines.cache import PageCache
    from pipelines.outcome import SCHEMA, PageOutcome, encode

    path = tmp_path / "pages.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE outcomes_v1 (key TEXT, data TEXT)")  # an older schema's tables
        db.execute("CREATE TABLE checks_v1 (key TEXT, findings TEXT)")
    old = PageCache(path, code="old-code")
    for key in ("a", "b", "c"):
        old.put(key, encode(PageOutcome(f"{key}.md")))
    old.keep_checks({"a": "[]", "b": "[]", "c": "[]"})
    old.keep_verdicts({"drug_mentions": {"columns": ["page"], "cells": {"page": {"a.md": []}}}})
    old.close()
    assert PageCache(path, code="old-code").verdicts() == {"drug_mentions": {"columns": ["page"], "cells": {"page": {"a.md": []}}}}
    with sqlite3.connect(path) as db:
        for table in (f"outcomes_v{SCHEMA}", f"checks_v{SCHEMA}"):
            db.execute(f"UPDATE {table} SET code = 'new-code' WHERE key IN ('b', 'c')")
            db.execute(f"UPDATE {table} SET used = ? WHERE key = 'c'", (int(time.time()) - 40 * 86400,))

    def kept(cache):
        found = set(cache.get_many(["a", "b", "c"]))
        assert set(cache.stored_checks(["a", "b", "c"])) == found
        cache.close()
        return found

    assert kept(PageCache(path, code="new-code")) == {"a", "b", "c"}  # pruning happens on close
    assert kept(PageCache(path, code="new-code")) == {"b", "c"}  # "a" was written by other code; "c" was just used
    assert PageCache(path, code="new-code").verdicts() is None and PageCache(path, code="old-code").verdicts() is None  # pruned too
    with sqlite3.connect(path) as db:
        for table in (f"outcomes_v{SCHEMA}", f"checks_v{SCHEMA}"):
            db.execute(f"UPDATE {table} SET used = ? WHERE key = 'c'", (int(time.time()) - 40 * 86400,))
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert sorted(tables) == sorted([f"outcomes_v{SCHEMA}", f"checks_v{SCHEMA}", f"verdicts_v{SCHEMA}", "files", "pruned"])
    PageCache(path, code="new-code").close()
    with sqlite3.connect(path) as db:  # pruning reads every row: done once a day, and it was done just now
        assert {key for (key,) in db.execute(f"SELECT key FROM outcomes_v{SCHEMA}")} == {"b", "c"}
        db.execute("UPDATE pruned SET at = at - 86401")
    PageCache(path, code="new-code").close()
    assert kept(PageCache(path, code="new-code")) == {"b"}  # "c" unused for 40 days
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)  # the pruned rows' pages are given back
        assert db.execute("PRAGMA auto_vacuum").fetchone() == (2,)  # incremental
    before = path.read_bytes()
    PageCache(path, code="new-code").db.close()
    assert path.read_bytes() == before  # opening the cache writes nothing


def test_a_cache_of_other_code_is_pruned_before_this_runs_first_outcomes_are_stored(tmp_path, monkeypatch):
    """After an upgrade every stored outcome is of other code: they are deleted as the first
    batch is stored (while the workers read on), and this run's outcomes take their pages, so
    closing neither prunes nor gives pages back, and the file does not grow."""
    import sqlite3

    from pipelines.cache import PageCache, outcome_table
    from pipelines.outcome import PageOutcome, encode

    monkeypatch.setattr(PageCache, "BATCH", 5)
    path = tmp_path / "pages.sqlite"

    def outcomes(cache, prefix):
        for n in range(40):
            cache.put(f"{prefix}{n}", encode(PageOutcome(f"{n}.md", view="blocks " * 3000)))  # large rows, as pages' views are

    def keys():
        with sqlite3.connect(path) as db:
            return {key for (key,) in db.execute(f"SELECT key FROM {outcome_table()}")}

    old = PageCache(path, code="old-code")
    outcomes(old, "old")
    old.close()
    size = path.stat().st_size
    new = PageCache(path, code="new-code")
    assert new.holds_nothing and new.prune_first
    new.put("first", encode(PageOutcome("first.md")))
    assert len(keys()) == 40  # nothing is deleted until a batch is stored
    for n in range(PageCache.BATCH - 1):  # the rest of the first batch
        new.put(f"new{n}", encode(PageOutcome(f"{n}.md")))
    assert "first" in keys() and not any(key.startswith("old") for key in keys())
    outcomes(new, "new")
    pruning = []
    monkeypatch.setattr(PageCache, "_prune", lambda self, now: pruning.append(now) or 0)
    new.close()
    assert not pruning  # done once, at the first batch
    assert len(keys()) == 41 and path.stat().st_size < 1.2 * size
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] < db.execute("PRAGMA page_count").fetchone()[0] // 4
    assert not PageCache(path, code="new-code").prune_first  # the cache holds this code's outcomes now


def test_a_file_whose_stamp_is_unchanged_is_not_read_again_and_any_edit_is_seen(tmp_path, monkeypatch):
    import os
    import time

    import pipelines.pages
    from pipelines.cache import PageCache

    monkeypatch.setattr(PageCache, "SETTLED_NS", 0)  # no 2 s wait here: test_only_a_settled_file_is_noted has it

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    hour_ago = time.time() - 3600
    for page in site.rglob("*.*"):
        os.utime(page, (hour_ago, hour_ago))  # settled: no later write can share its time stamp
    cache = str(tmp_path / "cache")
    cold = check([site], market="CA", cache_dir="")
    assert _snapshot(check([site], market="CA", cache_dir=cache)) == _snapshot(cold)

    reads: list[str] = []
    real_load = pipelines.pages.load_bytes

    def counted(path, page, max_bytes):
        reads.append(page)
        return real_load(path, page, max_bytes)

    monkeypatch.setattr(pipelines.pages, "load_bytes", counted)
    assert _snapshot(check([site], market="CA", cache_dir=cache)) == _snapshot(cold)
    assert reads == []

    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    text = page.read_text(encoding="utf-8")
    assert "oxaliplatin (Xeloda)" in text
    page.write_text(text.replace("oxaliplatin (Xeloda)", "oxaliplatin (Xelodx)"), encoding="utf-8")  # same size
    os.utime(page, (hour_ago, hour_ago))  # and the old modification time: only the change time tells
    warm = check([site], market="CA", cache_dir=cache)
    assert reads == ["pancreas/pancreatic-cancer-chemotherapy.md"]
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir=""))
    assert _snapshot(warm) != _snapshot(cold)



def test_a_cold_run_reads_each_page_once_in_a_worker_and_notes_its_stamp(tmp_path, monkeypatch):
    """With nothing in the cache to reuse, the parent reads no page's bytes (the workers read and
    hash them); what they hashed keys the outcomes and the stamps, so the next run reads nothing."""
    import os
    import time

    import pipelines.pages
    from pipelines.cache import PageCache

    monkeypatch.setattr(PageCache, "SETTLED_NS", 0)
    monkeypatch.setattr(pipelines.pages, "PAGES_PER_WORKER", 1)
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    hour_ago = time.time() - 3600
    for page in site.rglob("*.*"):
        os.utime(page, (hour_ago, hour_ago))
    log = tmp_path / "reads.log"
    real_load = pipelines.pages.load_bytes

    def logged(path, page, limit):
        with open(log, "a", encoding="utf-8") as handle:  # one line per read, from whichever process
            handle.write(f"{os.getpid()} {page}\n")
        return real_load(path, page, limit)

    monkeypatch.setattr(pipelines.pages, "load_bytes", logged)
    sizes = _pool_sizes(monkeypatch)
    cache = str(tmp_path / "cache")
    cold = check([site], market="CA", cache_dir=cache, jobs=2)
    reads = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sizes == [2]
    assert sorted(page for _, page in reads) == sorted(cold.pages)
    assert str(os.getpid()) not in {pid for pid, _ in reads}
    log.unlink()
    assert _snapshot(check([site], market="CA", cache_dir=cache, jobs=2)) == _snapshot(cold)
    assert not log.exists()
    assert _snapshot(cold) == _snapshot(check([site], market="CA", cache_dir="", jobs=1))

def test_a_file_known_by_its_stamp_is_read_when_its_outcome_is_not_kept(tmp_path, monkeypatch):
    import os
    import time

    import pipelines.pages
    from pipelines.cache import PageCache

    monkeypatch.setattr(PageCache, "SETTLED_NS", 0)

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    hour_ago = time.time() - 3600
    for page in site.rglob("*.*"):
        os.utime(page, (hour_ago, hour_ago))
    cache = str(tmp_path / "cache")
    pages = check([site], market="CA", cache_dir=cache).pages  # notes every file's stamp
    assert len(PageCache(tmp_path / "cache" / "pages.sqlite").known) == len(pages)
    reads: list[str] = []
    real_load = pipelines.pages.load_bytes
    monkeypatch.setattr(pipelines.pages, "load_bytes", lambda path, page, limit: reads.append(page) or real_load(path, page, limit))
    # other rules selected: no outcome is kept for them, so each page is read where it is processed
    for jobs, family in ((1, "BG"), (2, "RG")):
        warm = check([site], market="CA", cache_dir=cache, select=[family], jobs=jobs)
        if jobs == 1:
            assert sorted(reads) == sorted(pages)  # once each, by the page's processing, not to key it
        assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir="", select=[family], jobs=jobs))
        assert warm.findings and {f.code[:2] for f in warm.findings} == {family}


def test_only_a_settled_file_is_noted(tmp_path):
    import os
    import time

    from pipelines.cache import PageCache, file_stamp

    page = tmp_path / "a.md"
    page.write_text("capecitabine (Xeloda)\n", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(page, (hour_ago, hour_ago))
    stamp = file_stamp(str(page))
    assert stamp[1] > time.time_ns() - 60 * 10**9  # set back by a tool, but just changed: its change time says so
    cache = PageCache(tmp_path / "pages.sqlite")
    cache.saw(str(page), stamp, "d1")
    cache.saw("old.md", ("1:2:3:4", time.time_ns() - 3 * 10**9), "d2")
    assert [path for path, _, _ in cache.seen] == ["old.md"]
    cache.close()
    assert PageCache(tmp_path / "pages.sqlite").digest_of("old.md", "1:2:3:4") == "d2"


def test_a_page_edited_after_its_stamp_was_read_is_reported_but_not_kept(tmp_path):
    import pipelines.pages as pages
    from pipelines.cache import content_digest, file_stamp
    from pipelines.ingest import ChromeRules
    from pipelines.ingest.chrome import DEFAULT_CHROME_FILE
    from pipelines.link import Linker
    from pipelines.reference.load import load_reference

    page = tmp_path / "a.md"
    page.write_text("Treatment\n\nYou may have capecitabine (Xelodx).\n", encoding="utf-8")
    linker = Linker(load_reference(ROOT / "data" / "reference"))
    work = pages.PageWork(linker.reference, linker, lambda: ChromeRules.load(DEFAULT_CHROME_FILE), 10**6, "CA", ["BG001", "BG006"])
    pages._WORK.append(work)
    try:
        now = content_digest(page.read_bytes())
        *_, kept, _ = pages._process((str(page), "a.md", None, now))
        data, drugs, *_, stale, _ = pages._process((str(page), "a.md", None, "the digest of the bytes before the edit"))
        # never seen by a cache that holds nothing: read and hashed here, for the parent to key it
        unseen, *_, keep_new, (digest, stamp) = pages._process((str(page), "a.md", None, ""))
        # no cache at all: read here, nothing to keep
        *_, keep_uncached, seen_uncached = pages._process((str(page), "a.md", None, None))
    finally:
        pages._WORK.pop()
    assert kept and not stale
    assert "Xelodx" in drugs  # the page as it is now is still checked
    assert keep_new and digest == now and stamp == file_stamp(str(page)) and unseen == data
    assert not keep_uncached and seen_uncached is None


def test_changed_pages_are_read_in_workers_while_stored_outcomes_load_and_a_broken_one_is_read_again(tmp_path, monkeypatch):
    import sqlite3

    import pipelines.pages
    from pipelines.outcome import SCHEMA

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    shutil.copytree(ROOT / "tests" / "corpus" / "pages", site / "corpus")
    cache = str(tmp_path / "cache")
    check([site], market="CA", cache_dir=cache, jobs=2)
    edited = sorted(site.rglob("*.md"))[:6]
    for page in edited:
        page.write_text(page.read_text(encoding="utf-8") + "\nSome people have cisplatin (Xeloda) too.\n", encoding="utf-8")
    with sqlite3.connect(tmp_path / "cache" / "pages.sqlite") as db:  # every stored outcome unreadable
        assert db.execute(f"UPDATE outcomes_v{SCHEMA} SET data = '{{broken'").rowcount
    warm = check([site], market="CA", cache_dir=cache, jobs=2)
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir="", jobs=1))
    assert {f.page for f in warm.findings if f.text == "Xeloda" and f.code == "BG001"} >= {p.relative_to(site).as_posix() for p in edited}
    read: list[str] = []
    real = pipelines.pages._outcome_of
    monkeypatch.setattr(pipelines.pages, "_outcome_of", lambda data, path, page, work: read.append(page) or real(data, path, page, work))
    again = check([site], market="CA", cache_dir=cache, jobs=1)
    assert read == [] and _snapshot(again) == _snapshot(warm)  # the outcomes read again were stored again


@pytest.mark.parametrize("per_worker, pools", [(150, ["_get_ready"]), (2, ["_get_ready", "quiet_collector"])])
def test_a_rerun_reads_its_changed_pages_in_the_worker_forked_before_the_pages_are_listed(tmp_path, monkeypatch, per_worker, pools):
    """One worker is forked as a rerun starts (it loads the word list meanwhile) and reads the
    changed pages; when they need more than one worker, it is ended and a pool is made for them."""
    import pipelines.pages

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    cache = str(tmp_path / "cache")
    check([site], market="CA", cache_dir=cache, jobs=2)
    for page in sorted(site.rglob("*.md"))[:6]:
        page.write_text(page.read_text(encoding="utf-8") + "\nSome people have cisplatin (Xeloda) too.\n", encoding="utf-8")
    made: list[str] = []
    real = pipelines.pages._pool
    monkeypatch.setattr(pipelines.pages, "_pool", lambda workers, initializer: made.append(initializer.__name__) or real(workers, initializer))
    monkeypatch.setattr(pipelines.pages, "PAGES_PER_WORKER", per_worker)
    warm = check([site], market="CA", cache_dir=cache, jobs=2)
    assert made == pools
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir="", jobs=1))
    made.clear()
    assert _snapshot(check([site], market="CA", cache_dir=cache, jobs=2)) == _snapshot(warm)  # nothing to read: no pool but the early worker
    assert made == ["_get_ready"]


def test_an_early_worker_that_cannot_load_the_word_list_still_reads_the_pages(tmp_path, monkeypatch):
    """A pool whose initializer raises starts worker after worker and never reads a page: the
    early worker's loading of the word list is only a head start, and a failure there is left
    to the reading of the pages."""
    import pipelines.pages

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    cache = str(tmp_path / "cache")
    check([site], market="CA", cache_dir=cache, jobs=2)
    page = sorted(site.rglob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nSome people have cisplatin (Xeloda) too.\n", encoding="utf-8")

    def broken(word: str) -> float:
        raise RuntimeError("no word list here")

    monkeypatch.setattr(pipelines.pages, "word_frequency", broken)
    done: list = []
    rerun = threading.Thread(target=lambda: done.append(check([site], market="CA", cache_dir=cache, jobs=2)), daemon=True)
    rerun.start()
    rerun.join(120)
    assert done, "the rerun never ended: its pool kept starting workers whose initializer failed"
    assert _snapshot(done[0]) == _snapshot(check([site], market="CA", cache_dir="", jobs=1))


def _counted_row_processes(monkeypatch) -> tuple[list, type]:
    """The rows' processes started from now on (row_process.RowCheckProcess), and the class that counts them."""
    import pipelines.row_checks

    started: list[object] = []

    class Counted(pipelines.row_checks.RowCheckProcess):
        def __init__(self, *args):
            started.append(self)
            super().__init__(*args)

    monkeypatch.setattr(pipelines.row_checks, "RowCheckProcess", Counted)
    return started, Counted


def test_a_rerun_checks_the_table_rows_of_changed_pages_only_with_the_same_findings(tmp_path, monkeypatch, unbundled_verdicts):
    import pandera.pandas as pa

    import pipelines.row_checks
    import schemas.tables

    # a stricter schema, so that SC001 has rows to report: names of at most 10 characters, none a digit
    # (a check of the value itself: its verdicts are kept by value, not by length)
    short_names_only = schemas.tables.DrugMentions.to_schema().update_column("text", checks=[pa.Check.str_length(1, 10), pa.Check.str_matches(r"^\D*$")])
    monkeypatch.setitem(schemas.tables.MODELS, "drug_mentions", short_names_only)
    checked: list[int] = []
    real = schemas.tables.failing_rows
    monkeypatch.setattr(schemas.tables, "failing_rows", lambda table, frame: checked.append(len(frame)) or real(table, frame))
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    cache = str(tmp_path / "cache")
    first = check([site], market="CA", cache_dir=cache)
    assert _snapshot(first) == _snapshot(check([site], market="CA", cache_dir=""))
    assert len({f.page for f in first.findings if f.code == "SC001"}) > 3
    # rows checked a few pages at a time, as the pages come in (over processes or not): the same findings
    chunk = pipelines.row_checks.RowChecks.CHUNK_ROWS
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", 30)
    for jobs in (1, 2):
        checked.clear()
        assert _snapshot(check([site], market="CA", cache_dir="", jobs=jobs)) == _snapshot(first)
        assert len([n for n in checked if n]) > 3 and sum(checked) == len(first.drug_table) + len(first.regimen_table)
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", chunk)
    # the chunks double from the first size up to the largest, so that a small site leaves few rows to check at the end
    first_chunk = pipelines.row_checks.RowChecks.FIRST_CHUNK_ROWS
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "FIRST_CHUNK_ROWS", 20)
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", 80)
    checked.clear()
    assert _snapshot(check([site], market="CA", cache_dir="", jobs=1)) == _snapshot(first)
    by_chunk = [rows for rows in (sum(checked[i:i + 2]) for i in range(0, len(checked), 2)) if rows]  # each chunk checks both tables
    assert 20 <= by_chunk[0] < 40 <= by_chunk[1] < 80 <= by_chunk[2]
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "FIRST_CHUNK_ROWS", first_chunk)
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", chunk)
    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    # a name written as no page wrote it: a value SC001 has not validated, so the page's rows go to pandera
    page.write_text(page.read_text(encoding="utf-8") + "\nSome people have GemciTabine (Gemzar) too.\n", encoding="utf-8")
    checked.clear()
    warm = check([site], market="CA", cache_dir=cache, jobs=1)
    edited = warm.drug_table[warm.drug_table["page"] == "pancreas/pancreatic-cancer-chemotherapy.md"]
    rows_checked = [n for n in checked if n]  # SC001.prepare validates empty tables while the page is read
    assert rows_checked[0] == len(edited) < len(warm.drug_table)  # the drug rows of the edited page only
    cold = check([site], market="CA", cache_dir="")
    assert _snapshot(warm) == _snapshot(cold) and warm.counts() == cold.counts()
    assert any(f.code == "SC001" and f.text == "GemciTabine" and f.line == len(page.read_text(encoding="utf-8").splitlines()) for f in warm.findings)
    # every value of the edited page's rows validated before: SC001 answers from its verdicts, without pandera
    def long_names(result):
        return [f for f in result.findings if f.code == "SC001" and f.text == "gemcitabine" and f.page == "pancreas/pancreatic-cancer-chemotherapy.md"]

    before = len(long_names(warm))
    page.write_text(page.read_text(encoding="utf-8") + "\nSome people have gemcitabine (Gemzar) too.\n", encoding="utf-8")
    checked.clear()
    warm = check([site], market="CA", cache_dir=cache, jobs=1)
    assert [n for n in checked if n] == []
    cold = check([site], market="CA", cache_dir="")
    assert _snapshot(warm) == _snapshot(cold) and warm.counts() == cold.counts()
    assert len(long_names(warm)) == before + 1
    # over processes, a rerun answers from the verdicts as each page comes, and starts a process of
    # its own (forked with the stricter schema) only for rows they cannot answer for: the same findings
    started, Counted = _counted_row_processes(monkeypatch)
    page.write_text(page.read_text(encoding="utf-8") + "\nAsk about gemcitabine (Gemzar).\n", encoding="utf-8")
    beside = check([site], market="CA", cache_dir=cache, jobs=2)
    assert started == [] and _snapshot(beside) == _snapshot(check([site], market="CA", cache_dir=""))
    page.write_text(page.read_text(encoding="utf-8") + "\nAsk about CapeCitabine (Xeloda).\n", encoding="utf-8")
    beside = check([site], market="CA", cache_dir=cache, jobs=2)
    assert len(started) == 1 and _snapshot(beside) == _snapshot(check([site], market="CA", cache_dir=""))
    assert any(f.code == "SC001" and f.text == "CapeCitabine" for f in beside.findings)
    # many pages added (names SC001 has not validated): their rows go to that process a few pages at a time, as they are read
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", 30)
    edited = [site / "added" / f"page-{n}.md" for n in range(6)]
    edited[0].parent.mkdir()
    for other, written in zip(edited, ("GemCitabine", "GEMcitabine", "GemcItabine", "GemciTaBine", "GEMCItabine", "GemcitabinE")):
        other.write_text(page.read_text(encoding="utf-8") + f"\nSome take {written} (Gemzar) as well.\n", encoding="utf-8")
    sends: list[int] = []
    real_send = Counted.send
    monkeypatch.setattr(Counted, "send", lambda self, tables: sends.append(0 if tables is None else len(tables)) or real_send(self, tables))
    beside = check([site], market="CA", cache_dir=cache, jobs=2)
    assert len(started) == 2 and len([n for n in sends if n]) > 1 and sum(sends) == len(edited)
    assert _snapshot(beside) == _snapshot(check([site], market="CA", cache_dir=""))
    # what SC001 learnt of those pages there was kept: edited again, they are answered for from the verdicts
    sends.clear()
    edited[0].write_text(edited[0].read_text(encoding="utf-8") + "\nSome take oxaliplatin (Eloxatin) as well.\n", encoding="utf-8")
    beside = check([site], market="CA", cache_dir=cache, jobs=2)
    assert len(started) == 2 and not any(sends)  # no third process
    assert _snapshot(beside) == _snapshot(check([site], market="CA", cache_dir=""))
    # a process that gives no answer (it died): the run checks those rows itself, with the same findings
    monkeypatch.setattr(Counted, "findings", lambda self: self.close())
    edited[1].write_text(edited[1].read_text(encoding="utf-8") + "\nSome take GEMCITAbine (Gemzar) as well.\n", encoding="utf-8")
    beside = check([site], market="CA", cache_dir=cache, jobs=2)
    assert len(started) == 3 and _snapshot(beside) == _snapshot(check([site], market="CA", cache_dir=""))
    assert any(f.code == "SC001" and f.text == "GEMCITAbine" for f in beside.findings)


@pytest.mark.parametrize("bundled", [True, False])
def test_whole_chunks_are_answered_from_the_verdicts_or_go_to_pandera(tmp_path, monkeypatch, request, pandera_checks, bundled):
    """With the verdicts rxqa ships, every chunk of rows is answered for from them, and pandera
    checks none; without them (after a change to the schemas), pandera checks the first chunk,
    and each later one is asked of the verdicts it taught before it goes to pandera. The same
    findings either way."""
    import pipelines.row_checks
    from pipelines.cell_verdicts import CellVerdicts

    whole = check([ROOT / "data" / "content"], market="CA", cache_dir="")  # no cache: pandera checks every row
    pandera_checks.clear()
    if not bundled:
        request.getfixturevalue("unbundled_verdicts")
    answered: list[tuple[int, bool]] = []  # pages asked of the verdicts, and whether they answered

    def asked(self, pages):
        answer = real(self, pages)
        answered.append((len(pages), answer is not None))
        return answer

    real = CellVerdicts.answer
    monkeypatch.setattr(CellVerdicts, "answer", asked)
    monkeypatch.setattr(pipelines.row_checks.RowChecks, "CHUNK_ROWS", 60)
    chunked = check([ROOT / "data" / "content"], market="CA", cache_dir=str(tmp_path / "cache"), jobs=1)
    checked = pandera_checks
    assert sum(n for n, answer in answered if answer) + sum(checked) == len(chunked.pages)
    if bundled:
        assert checked == [] and len(answered) > 2
    else:  # the first chunk goes straight to pandera (no verdict is known yet); every later one it checks was asked first
        assert len(checked) > 1 and [n for n, answer in answered if not answer] == checked[1:]
    assert chunked.timings["rows_cpu"] > 0  # what --timings prints as the row checks' CPU
    assert _snapshot(chunked) == _snapshot(whole)


def test_a_refused_fork_of_the_rows_process_leaves_the_rows_to_the_run(tmp_path, monkeypatch, unbundled_verdicts):
    import pipelines.row_checks

    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    cache = str(tmp_path / "cache")
    check([site], market="CA", cache_dir=cache, jobs=2)
    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    # a mention on a line further down than any SC001 validated: its rows need pandera
    page.write_text(page.read_text(encoding="utf-8") + "\n" * 3000 + "Some people have GemciTabine (Gemzar) too.\n", encoding="utf-8")
    asked: list[int] = []

    def refused(*args):
        asked.append(1)
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(pipelines.row_checks, "RowCheckProcess", refused)
    checked: list[str] = []
    real = pipelines.row_checks.run_row_rules
    monkeypatch.setattr(pipelines.row_checks, "run_row_rules", lambda ctx, codes, pages, columns: checked.extend(
        drugs for drugs, _ in pages) or real(ctx, codes, pages, columns))
    warm = check([site], market="CA", cache_dir=cache, jobs=2)
    assert asked == [1]  # tried once, at the first page the verdicts could not answer for
    assert len(checked) == 1 and "GemciTabine" in checked[0]  # that page's rows, checked in the run itself
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir=""))
    assert (warm.drug_table["line"].astype(int) > 3000).any()  # its rows were checked and kept


def _prepared(monkeypatch) -> list[str]:
    """The codes of the row rules set up (Rule.prepare) in this process."""
    from pipelines.rules import REGISTRY

    prepared: list[str] = []
    real = REGISTRY["SC001"].prepare
    monkeypatch.setattr(REGISTRY["SC001"], "prepare", classmethod(lambda cls: prepared.append("SC001") or real()))
    return prepared


def test_the_row_rules_are_not_prepared_when_the_verdicts_rxqa_ships_answer(tmp_path, monkeypatch):
    prepared = _prepared(monkeypatch)
    check([ROOT / "data" / "content"], market="CA", cache_dir=str(tmp_path / "cache"), jobs=2)
    assert prepared == []


def test_the_row_rules_are_prepared_while_pages_are_read_and_only_then(tmp_path, monkeypatch, unbundled_verdicts):
    """Only when no verdicts are at hand: without those rxqa ships, on a cold run."""
    from pipelines.rules.SC001 import NUMBER_LIMIT

    prepared = _prepared(monkeypatch)
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "content", site)
    cache = str(tmp_path / "cache")
    check([site], market="CA", cache_dir=cache, jobs=2)
    assert prepared == ["SC001"]
    check([site], market="CA", cache_dir=cache, jobs=1)  # nothing to read: nothing to prepare
    assert prepared == ["SC001"]
    page = site / "pancreas" / "pancreatic-cancer-chemotherapy.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSome people have gemcitabine (Gemzar) too.\n", encoding="utf-8")
    warm = check([site], market="CA", cache_dir=cache, jobs=1)
    assert prepared == ["SC001"]  # the verdicts the first run learnt answer for the page's rows
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir=""))
    # over processes, the rows the verdicts cannot answer for (a line no run validated) are checked
    # in a process of their own, which prepares them there
    started, _ = _counted_row_processes(monkeypatch)
    page.write_text(page.read_text(encoding="utf-8") + "\n" * NUMBER_LIMIT + "Ask about capecitabine (Xeloda).\n", encoding="utf-8")
    sizes = _pool_sizes(monkeypatch)
    before = list(prepared)
    warm = check([site], market="CA", cache_dir=cache, jobs=2)
    assert len(started) == 1 and prepared == before  # not in the run's own process
    assert sizes == [1]  # one page: read in one worker while the stored outcomes load
    assert _snapshot(warm) == _snapshot(check([site], market="CA", cache_dir=""))
    prepared.clear()
    check([site], market="CA", cache_dir="", ignore=("SC001",))  # not selected: not prepared
    assert prepared == []


def test_the_row_checks_parse_only_the_columns_their_schemas_check(monkeypatch):
    import schemas.tables
    from pipelines.tables import TABLE_COLUMNS

    seen: dict[str, list[str]] = {}
    real = schemas.tables.failing_rows

    def recorded(table, frame):
        if len(frame):
            seen[table] = list(frame.columns)
        return real(table, frame)

    monkeypatch.setattr(schemas.tables, "failing_rows", recorded)
    result = check([ROOT / "data" / "content"], market="CA", cache_dir="", select=["SC001"])
    for table in ("drug_mentions", "regimen_mentions"):
        assert seen[table] == schemas.tables.columns_of(table)
        assert set(seen[table]) < set(TABLE_COLUMNS[table])
    assert list(result.drug_table.columns) == TABLE_COLUMNS["drug_mentions"]  # the run's own tables stay whole


def test_the_cache_key_follows_the_pandas_and_pandera_installed(tmp_path, monkeypatch):
    """SC001's kept verdicts and row findings come from pandera's checks: another pandas or
    pandera reruns every page, as another rxqa does (they are told by their metadata folders)."""
    import importlib.util
    from types import SimpleNamespace

    import pipelines.cache

    site_packages = tmp_path / "site-packages"
    for name in ("pandas", "pandera"):
        (site_packages / name).mkdir(parents=True)
        (site_packages / name / "__init__.py").write_text("", encoding="utf-8")
    (site_packages / "pandas-3.0.0.dist-info").mkdir()
    (site_packages / "pandera-0.30.0.dist-info").mkdir()
    (site_packages / "pandera_extra-1.0.dist-info").mkdir()  # another package's: not looked at
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: SimpleNamespace(origin=str(site_packages / name / "__init__.py")))
    before = pipelines.cache.library_stamps()
    assert before == "pandas:pandas-3.0.0.dist-info|pandera:pandera-0.30.0.dist-info"
    digest = pipelines.cache.code_digest.__wrapped__()  # the key every stored outcome and verdict is kept under
    (site_packages / "pandera-0.30.0.dist-info").rename(site_packages / "pandera-0.31.0.dist-info")
    assert pipelines.cache.library_stamps() != before
    assert pipelines.cache.code_digest.__wrapped__() != digest
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)  # not installed
    assert pipelines.cache.library_stamps() == "pandas:-|pandera:-"
