"""The whole check in one call: documents → tables → findings → result."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from functools import cached_property, partial
from operator import attrgetter
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Settings, load_settings
from .discover import discover
from .errors import RxqaError
from .jsontext import dumps
from .outcome import PageOutcome, blocks_size, view_parts
from .collector import fewer_collections
from .pages import PageWork, read_pages, ready_reader
from .processes import can_fork, default_jobs
from .row_checks import RowChecks
from .findings import SEVERITY_RANK, Finding, with_fingerprints
from .cache import PageCache, code_digest, linker_to_confirm
from .stored_texts import StoredTexts
from .ingest import ChromeRules, PageProblem
from .ingest.chrome import DEFAULT_CHROME_FILE
from .rules import REGISTRY, RuleContext, run_rules, selected_codes
from .tables import TABLE_COLUMNS, frame
from .waivers import apply_baseline, apply_waivers, load_baseline, load_waivers

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is made (tables.frame), not at start-up


@dataclass
class RunResult:
    settings: Settings
    pages: list[str]
    views: dict[str, str]  # page → its blocks as JSON, for pages that may have findings (see block_json())
    # the two tables, when made; else made from table_csv when first asked for (drug_table, regimen_table)
    drug_frame: pd.DataFrame | None
    regimen_frame: pd.DataFrame | None
    findings: list[Finding]
    problems: list[PageProblem]
    reference_digest: str
    version: str = __version__
    timings: dict[str, float] = field(default_factory=dict)
    resolved_baseline: list[dict] = field(default_factory=list)  # baseline entries no longer found
    roots: list[str] = field(default_factory=list)  # the content folders as given, relative to the project root
    changes: dict | None = None  # against the previous run (pipelines/changes.py)
    out_dir: Path | None = None  # set by write_reports: the folder holding the previous run's outputs
    # table name → per read page (page, rows, lines of its CSV file, or None when left in the cache), in
    # table order (report/mention_tables.py)
    table_csv: dict[str, list[tuple[str, int, str | None]]] = field(default_factory=dict)
    report_timings: dict[str, tuple[float, float, float | None, int | None]] = field(default_factory=dict)  # writer → wall, CPU, kernel CPU seconds, pages faulted in (None where not measured; report/)
    page_keys: dict[str, str] = field(default_factory=dict)  # page → the cache key of its outcome (with a cache)
    # the texts a rerun left in the cache (a text None in table_csv, a page of stored_views), read when asked for
    stored_texts: StoredTexts | None = None
    stored_views: dict[str, int] = field(default_factory=dict)  # page → its view's blocks' JSON characters, for views left in the cache
    _lines_by_page: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def table(self, name: str) -> pd.DataFrame:
        """Table `name` (drug_mentions, regimen_mentions): as given, or made from table_csv the first time."""
        field_name = _FRAMES[name]
        if getattr(self, field_name) is None:
            setattr(self, field_name, frame(TABLE_COLUMNS[name], (text for _, _, text in self.table_lines(name) or [])))
        return getattr(self, field_name)

    drug_table = property(lambda self: self.table("drug_mentions"))
    regimen_table = property(lambda self: self.table("regimen_mentions"))

    def table_parts(self, name: str) -> list[tuple[str, int, str | None]] | None:
        """A table's rows as each read page's (page, row count, lines of CSV) in table order, when they
        are what the table holds; None when the table was given (or changed) as a DataFrame. A page's
        lines may be None: left in the cache (table_texts reads them)."""
        parts = self.table_csv.get(name)
        given = getattr(self, _FRAMES[name])
        if parts is None or (given is not None and (list(given.columns) != TABLE_COLUMNS[name] or sum(n for _, n, _ in parts) != len(given))):
            return None
        return parts

    def table_lines(self, name: str) -> list[tuple[str, int, str]] | None:
        """table_parts with every page's lines, those left in the cache read now."""
        parts = self.table_parts(name)
        if parts is not None and any(text is None for _, _, text in parts):
            texts = self.table_texts(name, [page for page, _, text in parts if text is None])
            parts[:] = [(page, count, texts[page] if text is None else text) for page, count, text in parts]
            self._lines_by_page.pop(name, None)
        return parts

    def table_texts(self, name: str, pages: list[str]) -> dict[str, str]:
        """The lines of table `name` of `pages` (read pages), by page: kept, or read from the cache."""
        kept = self._kept_lines(name)
        found = {page: kept[page] for page in pages if page in kept}
        missing = [page for page in pages if page not in found]
        if missing and self.stored_texts is not None:
            found.update(self.stored_texts.get(_CSV_COLUMNS[name], missing))
        return found

    def _kept_lines(self, name: str) -> dict[str, str]:
        """page → its lines of table `name` held by the result (made once per table)."""
        made = self._lines_by_page.get(name)
        if made is None:
            made = self._lines_by_page[name] = {page: text for page, _, text in self.table_csv.get(name, []) if text is not None}
        return made

    def read_views(self, pages) -> None:
        """Read the views of `pages` left in the cache now, at once (block_json reads one at a time)."""
        if self.stored_texts is not None:
            self.stored_texts.get("view", [page for page in pages if page in self.stored_views and page not in self.views])

    def block_json(self, page: str) -> list[str]:
        """A page's blocks, [kind, heading depth, text] each as JSON text, when its view was kept, else []."""
        if page in self.stored_views and page not in self.views:
            return view_parts(self.stored_texts.get("view", [page])[page])  # made with them (check)
        return view_parts(self.views.get(page, ""))

    def view_size(self, page: str) -> int:
        """The characters of a page's blocks' JSON (0 without a view)."""
        if page in self.views:
            return blocks_size(self.views[page])
        return self.stored_views.get(page, 0)

    @cached_property
    def page_set(self) -> frozenset[str]:
        return frozenset(self.pages)

    @cached_property
    def piece_digests(self) -> dict[str, str]:
        """page → a digest of what its share of an output is made from: its stored outcome and
        every field of its findings (report/pieces.py); only pages with a stored outcome. A page
        without findings has its outcome's key."""
        if not self.page_keys:
            return {}
        values = attrgetter(*_ALL_FINDING_FIELDS)
        by_page: dict[str, list[tuple]] = {}
        for finding in self.findings:
            by_page.setdefault(finding.page, []).append(values(finding))
        digests = dict(self.page_keys)
        for page, found in by_page.items():
            key = digests.get(page)
            if key is not None:
                text = dumps(found, indent=False).encode("utf-8", "surrogatepass")
                digests[page] = hashlib.blake2b(text, key=key.encode("ascii")[:64], digest_size=32).hexdigest()
        return digests

    def counts(self) -> dict:
        return {
            "pages": len(self.pages),
            "drug_mentions": self._rows("drug_mentions"),
            "regimen_mentions": self._rows("regimen_mentions"),
            "findings": len(self.findings),
            "by_severity": dict(Counter(f.severity for f in self.findings)),
            "by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
            "by_status": dict(Counter(f.status for f in self.findings)),
        }

    def _rows(self, name: str) -> int:
        parts = self.table_parts(name)
        return sum(n for _, n, _ in parts) if parts is not None else len(self.table(name))

    def failing(self) -> list[Finding]:
        """New findings at or above the fail-on severity."""
        if self.settings.fail_on == "never":
            return []
        bar = SEVERITY_RANK[self.settings.fail_on]
        return [f for f in self.findings if f.status == "new" and f.rank >= bar]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing() else 0


_ALL_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_FRAMES = {"drug_mentions": "drug_frame", "regimen_mentions": "regimen_frame"}  # RunResult's field of each table
_CSV_COLUMNS = {"drug_mentions": "drug_csv", "regimen_mentions": "regimen_csv"}  # PageOutcome's field (and the cache's column) of each
WAIVER_RULES = ("SC005", "SC006")


def page_work(settings: Settings, codes: list[str], cache_dir: Path | None = None) -> PageWork:
    """What reading a page needs: the reference and its linker (from the cache when it has
    them), the chrome rules and the selected rules (page rules run, site rules collect).
    The reference is validated by work.confirm_reference(), which a run calls while its
    pages are read."""
    linker, confirm = linker_to_confirm(settings.path(settings.reference), cache_dir)
    return PageWork(
        linker.reference, linker, partial(chrome_rules, settings), settings.max_page_bytes, settings.market,
        [c for c in codes if c not in WAIVER_RULES], confirm,
    )


def chrome_rules(settings: Settings) -> ChromeRules:
    """The rules that tell a site's chrome from its content: the bundled ones and the settings'."""
    return ChromeRules.load(DEFAULT_CHROME_FILE, settings.chrome_lines, settings.chrome_sections, settings.chrome_selectors)


def check(paths: list[str | Path] | None = None, settings: Settings | None = None, today: dt.date | None = None,
          texts_in_cache: bool = False, **flags) -> RunResult:
    """Check content pages. `flags` override the settings (reference=, market=, select=, ...).
    With `texts_in_cache` (as `rxqa check` runs), the texts of the stored outcomes a rerun
    reuses (their CSV lines and views) stay in the cache until the result is asked for them
    (stored_texts.py), so the result needs the cache as the run left it; else they are loaded."""
    settings = (settings or load_settings()).merged(**flags)
    today = today or dt.date.today()
    waiver_path = settings.path(settings.waivers)
    waivers = load_waivers(waiver_path)
    baseline = load_baseline(settings.path(settings.baseline)) if settings.baseline else None
    timings: dict[str, float] = {}
    started = clock = time.perf_counter()
    cache_dir = settings.cache_folder
    codes = selected_codes(list(settings.select), list(settings.ignore))
    work = page_work(settings, codes, cache_dir)
    reference, linker = work.reference, work.linker
    timings["reference"] = time.perf_counter() - clock

    roots = [Path(p) for p in paths] if paths else [settings.path(c) for c in settings.content]
    clock = time.perf_counter()
    cache = PageCache(cache_dir / "pages.sqlite", code_digest()) if cache_dir else None
    jobs = settings.jobs or default_jobs()
    context = "|".join([
        __version__, code_digest(), reference.digest, chrome_digest(settings), str(settings.max_page_bytes),
        settings.market, ",".join(codes),
    ])
    ctx = RuleContext(reference, linker, [], market=settings.market, waiver_file=_display(waiver_path, settings))
    # a rerun answers for the rows of the pages it reads again from SC001's verdicts as they come, and
    # checks those they cannot answer for in a process forked at the first such page (row_checks.py)
    beside = cache is not None and not cache.holds_nothing and jobs > 1 and can_fork()
    row_checks = RowChecks(ctx, [c for c in codes if REGISTRY[c].scope == "rows"], cache, beside)

    def meanwhile() -> None:
        work.confirm_reference()
        row_checks.prepare()

    with fewer_collections():  # the rules too: a collection would walk every page's outcome
        try:
            cpu = os.times()
            with ready_reader(work, beside) as ready:  # a rerun's worker gets ready while the pages are listed
                files = discover(roots)
                if not files:
                    raise RxqaError(f"{', '.join(str(r) for r in roots)}: no content pages found (.html, .md, .txt)")
                outcomes = read_pages(files, work, jobs=jobs, cache=cache, context=context, meanwhile=meanwhile, on_read=row_checks.add,
                                      ready=ready, texts=not texts_in_cache)
            work.confirm_reference()  # when no page was read
            timings["pages"] = time.perf_counter() - clock
            now = os.times()  # the workers' CPU is counted once they are joined (read_pages and ready_reader join them)
            timings["pages_cpu"] = now.user + now.system - cpu.user - cpu.system
            timings["workers_cpu"] = now.children_user + now.children_system - cpu.children_user - cpu.children_system
            clock = time.perf_counter()
            read = [o for o in outcomes if o.read]
            ctx.problems = [o.problem for o in outcomes if o.problem is not None]
            row_findings = row_checks.findings(read)
            timings["rows_cpu"] = row_checks.cpu
        finally:
            row_checks.close()
            if cache is not None:
                cache.close()
        findings = findings_of(read, ctx, codes, waivers, today, row_findings)
        resolved: list[dict] = []
        if baseline is not None:
            findings, resolved = apply_baseline(findings, baseline)
        findings.sort(key=Finding.sort_key)
    timings["rules"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - started
    page_keys = {o.page: o.key for o in read if o.key}
    left_in_cache = cache_dir is not None and any(o.view is None or o.drug_csv is None or o.regimen_csv is None for o in read)
    return RunResult(
        settings, [page for _, page in files], {o.page: o.view for o in read if o.view}, None, None, findings, ctx.problems,
        reference.digest, timings=timings, resolved_baseline=resolved, roots=[_display(r, settings) for r in roots],
        table_csv=csv_lines_of(read), page_keys=page_keys,
        stored_texts=StoredTexts(cache_dir / "pages.sqlite", page_keys) if left_in_cache else None,
        stored_views={o.page: o.view_size for o in read if o.view is None and o.view_size},
    )


def csv_lines_of(read: list[PageOutcome]) -> dict[str, list[tuple[str, int, str | None]]]:
    """Each page's name, rows count and lines of the two CSV tables, in table order (report/mention_tables.py)."""
    return {
        "drug_mentions": [(o.page, o.drug_count, o.drug_csv) for o in read],
        "regimen_mentions": [(o.page, o.regimen_count, o.regimen_csv) for o in read],
    }


def findings_of(read: list[PageOutcome], ctx: RuleContext, codes: list[str], waivers, today: dt.date, row_findings: list[Finding]) -> list[Finding]:
    """The page rules' findings with the row rules' (`row_findings`) and the site rules' (from
    the pages' records), fingerprinted, waivers applied, then the waiver rules' own."""
    for o in read:
        for code, records in o.collected.items():
            ctx.collected.setdefault(code, []).extend((o.page, record) for record in records)
    site_codes = [c for c in codes if REGISTRY[c].scope == "site" and c not in WAIVER_RULES]
    # page findings come fingerprinted from their page (outcome.py); site rules' codes never share a key with them
    findings = [f for o in read for f in o.findings] + with_fingerprints(row_findings + run_rules(ctx, site_codes))
    findings, unused, ctx.expired_waivers = apply_waivers(findings, waivers, today)
    # a waiver can only be called unused when the rule it waives has run
    ran = set(codes)
    every_content_rule = ran >= set(REGISTRY) - set(WAIVER_RULES)
    ctx.unused_waivers = [w for w in unused if (w.code in ran if w.code else every_content_rule)]
    return findings + with_fingerprints(run_rules(ctx, [c for c in codes if c in WAIVER_RULES]))


def chrome_digest(settings: Settings) -> str:
    """What the chrome rules are, so that a change to them invalidates the cache."""
    import hashlib

    parts = [DEFAULT_CHROME_FILE.read_text(encoding="utf-8"), *settings.chrome_lines, *settings.chrome_sections, *settings.chrome_selectors]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _display(path: Path, settings: Settings) -> str:
    """A path as people see it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(Path(settings.root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()
