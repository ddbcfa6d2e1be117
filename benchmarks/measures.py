"""What bench.py measures, each run in a child process of its own so that its peak
resident memory is its own (ru_maxrss):

    python benchmarks/measures.py floor|peer|stages SITE OUT OPTIONS_JSON

prints the measurement as one line of JSON. The floor is lexbor's parse of the same
files; the peer is drug-named-entity-recognition's find_drugs; the stages are rxqa's
pipeline functions called one by one, serially, in the order pipelines/run.py calls them."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # rxqa's own modules, installed or not
from pipelines.discover import discover  # noqa: E402 - how rxqa finds a folder's pages, for every measurement here
from pipelines.ingest import FORMATS  # noqa: E402

TOKEN = re.compile(r"\w[\w'-]*|[^\w\s]")  # the peer wants tokens; a plain word/punctuation split


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def site_files(site: Path) -> list[Path]:
    """The pages under `site` as `rxqa check` finds them (pipelines/discover.py): the same files
    (no hidden ones; the extensions ingest.FORMATS reads), in the same order."""
    return [Path(path) for path, _ in discover([Path(site)])]


def page_texts(site: Path):
    """The floor: read every file, parse HTML with lexbor and take its text; Markdown and text as read."""
    from selectolax.lexbor import LexborHTMLParser

    for path in site_files(site):
        text = path.read_bytes().decode("utf-8", "replace")
        yield LexborHTMLParser(text).text() if FORMATS[path.suffix.lower()] == "html" else text


def worker_floor(site: Path, _out: Path, _opts: dict) -> dict:
    start = time.perf_counter()
    chars = sum(len(t) for t in page_texts(site))
    return {"seconds": time.perf_counter() - start, "rss_mb": rss_mb(), "chars": chars}


def worker_peer(site: Path, _out: Path, _opts: dict) -> dict:
    texts = list(page_texts(site))  # not timed: the peer gets the floor's text
    start = time.perf_counter()
    from drug_named_entity_recognition import find_drugs

    find_drugs(["aspirin"])  # loads its dictionaries
    load = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(len(find_drugs(TOKEN.findall(t))) for t in texts)
    return {"seconds": time.perf_counter() - start, "load_seconds": load, "rss_mb": rss_mb(), "drugs_found": found}


def worker_stages(site: Path, out: Path, opts: dict) -> dict:
    """The pipeline functions called in the order pipelines/run.py calls them, timed one by one."""
    os.chdir(ROOT)
    stages: list[dict] = []
    clock = time.perf_counter()

    def mark(name: str, seconds: float | None = None) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append({"stage": name, "seconds": now - clock if seconds is None else seconds, "rss_mb": rss_mb()})
        clock = time.perf_counter()

    from pipelines.config import load_settings
    from pipelines.discover import discover
    from pipelines.extract import extract_document
    from pipelines.findings import Finding
    from pipelines.ingest import load_bytes, page_from_bytes
    from pipelines.link import Linker
    from pipelines.outcome import decode, encode, page_outcome
    from pipelines.reference import load  # noqa: F401  (pandera: counted with the imports, not the reference)
    from pipelines.report import writers
    from pipelines.rules import REGISTRY, RuleContext, run_rules, selected_codes
    from pipelines.tables import tables_of
    from pipelines.run import RunResult, csv_lines_of, findings_of, page_work
    from pipelines.waivers import load_waivers
    mark("import")
    settings = load_settings()
    waivers = load_waivers(settings.path(settings.waivers))
    codes = selected_codes(list(settings.select), list(settings.ignore))
    work = page_work(settings, codes)  # no cache: built as a cold run builds it
    work.confirm_reference()  # which a run does while its pages are read
    reference, linker, chrome = work.reference, work.linker, work.chrome
    mark("reference")

    link = [0.0]
    find = Linker.find

    def timed_find(self, text):  # time the linker's share of extract without touching its code
        started = time.perf_counter()
        try:
            return find(self, text)
        finally:
            link[0] += time.perf_counter() - started
    Linker.find = timed_find

    files = discover([site])
    outcomes, ingest, extract, page_rules = [], 0.0, 0.0, 0.0
    for path, page in files:  # streamed and serial: documents are dropped, only outcomes are kept
        started = time.perf_counter()
        data, problem = load_bytes(Path(path), page, settings.max_page_bytes)
        doc = extraction = None
        if data is not None:
            doc, problem = page_from_bytes(data, Path(path), page, chrome, settings.max_page_bytes)
        ingest += time.perf_counter() - started
        started = time.perf_counter()
        if doc is not None:
            extraction = extract_document(doc, linker)
        extract += time.perf_counter() - started
        started = time.perf_counter()
        ctx = RuleContext(reference, linker, [], market=settings.market)
        outcomes.append(decode(*encode(page_outcome(extraction, problem, page, ctx, work.codes))))
        page_rules += time.perf_counter() - started
    Linker.find = find
    mark("ingest", ingest)
    mark("extract (incl. link)", extract)
    mark("  link (Linker.find)", link[0])
    mark("page rules + rows", page_rules)
    clock = time.perf_counter()
    read = [o for o in outcomes if o.read]
    problems = [o.problem for o in outcomes if o.problem is not None]
    drugs, regimens = tables_of([(o.drug_csv, o.regimen_csv) for o in read])
    mark("tables")
    ctx = RuleContext(reference, linker, [], problems, drugs, regimens, settings.market, waiver_file=settings.waivers)
    row_findings = run_rules(ctx, [c for c in codes if REGISTRY[c].scope == "rows"])  # as a cold run: every row
    findings = sorted(findings_of(read, ctx, codes, waivers, dt.date.today(), row_findings), key=Finding.sort_key)
    mark("site rules")
    result = RunResult(settings, [p for _, p in files], {o.page: o.view for o in read if o.view}, drugs, regimens, findings, problems,
                       reference.digest, table_csv=csv_lines_of(read))
    result.out_dir = out
    out.mkdir(parents=True, exist_ok=True)
    for module in writers():
        name = module.__name__.rsplit(".", 1)[-1]
        if name == "data_docs" and not opts.get("data_docs"):
            continue
        module.write(result, out)
        mark(f"write {name}" if name != "data_docs" else "Data Docs (GX)")
    return {"stages": stages, "rss_mb": rss_mb(), "findings": len(findings), "drug_mentions": len(drugs),
            "regimen_mentions": len(regimens)}


WORKERS = {"floor": worker_floor, "peer": worker_peer, "stages": worker_stages}


if __name__ == "__main__":
    kind, site, out, options = sys.argv[1:5]
    print(json.dumps(WORKERS[kind](Path(site), Path(out), json.loads(options))))
