"""What one page gives the run: its findings from the page rules, its table rows,
the records the site-wide rules gather, and its text for the report's page view.

Made where the page is read (a worker process, or from the cache), so the run
itself only joins small rows; extraction objects never leave the worker. The
JSON form here is both what a worker sends back and what the cache keeps."""
from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from .extract.model import PageExtraction
from .findings import Finding, with_fingerprints
from .ingest.model import PageProblem
from .jsontext import dumps, loads
from .rules import REGISTRY, RuleContext
from .tables import drug_rows, page_csv_lines, regimen_rows

SCHEMA = 9
_FINDING_FIELDS = ("code", "name", "severity", "line", "column", "text", "message", "suggestion", "section", "url", "block", "index", "fingerprint")


@dataclass(slots=True)
class PageOutcome:
    page: str
    url: str = ""
    read: bool = False  # the page was read (it may still carry a problem, such as another encoding)
    problem: PageProblem | None = None
    findings: list[Finding] = field(default_factory=list)
    drug_count: int = 0  # rows of the drug table
    regimen_count: int = 0
    # those rows as lines of drug_mentions.csv (tables.page_csv_lines); None when they were left in
    # the cache, under `key` (stored_texts.py), as the view and the regimen lines may be
    drug_csv: str | None = ""
    regimen_csv: str | None = ""
    collected: dict[str, list] = field(default_factory=dict)  # site-wide rule code → its records from this page
    view: str | None = ""  # the page's blocks as JSON, kept only when the page may have findings (RunResult.block_json)
    key: str = ""  # its cache key, when a cache is used (not part of the JSON)
    view_size: int = 0  # when the view was left in the cache: its blocks' JSON characters (0: no view)


def page_outcome(
    extraction: PageExtraction | None, problem: PageProblem | None, page: str, ctx: RuleContext, codes: list[str]
) -> PageOutcome:
    """Run the page rules in `codes` on one extraction and gather the site-wide rules' records.
    The findings are fingerprinted here: a fingerprint counts repeats within a page only."""
    if extraction is None:
        return PageOutcome(page, problem=problem)
    ctx.pages = [extraction]
    findings: list[Finding] = []
    collected: dict[str, list] = {}
    for code in codes:
        rule = REGISTRY[code]()
        if rule.scope == "page":
            findings.extend(rule.check(ctx))
        else:
            records = rule.collect(extraction)
            if records:
                collected[code] = records
    ctx.pages = []
    findings = with_fingerprints(findings)
    view = encode_view(extraction) if findings or collected else ""
    drugs, regimens = drug_rows(extraction), regimen_rows(extraction)
    return PageOutcome(
        page, extraction.url, True, problem, findings, len(drugs), len(regimens),
        page_csv_lines(page, extraction.url, drugs), page_csv_lines(page, extraction.url, regimens), collected, view,
    )


def encode_view(extraction: PageExtraction) -> str:
    """The page's blocks as the report shows them, [kind, heading depth, text] each, as
    one line of JSON per block (JSON text holds no raw line feed), so that the report
    can leave blocks out without reading the JSON."""
    blocks = extraction.block_texts
    try:  # orjson itself, a block at a time (jsontext.dumps' own call costs more than the block)
        return "\n".join([orjson.dumps([kind, len(path), text]).decode() for path, text, kind in blocks])
    except orjson.JSONEncodeError:  # a lone surrogate somewhere: jsontext.dumps, a block at a time, writes it
        return "\n".join([dumps([kind, len(path), text], indent=False) for path, text, kind in blocks])


def blocks_size(view: str) -> int:
    """The characters of a view's blocks' JSON: its length without the line feeds between blocks."""
    return len(view) - view.count("\n")


def view_parts(view: str | None) -> list[str]:
    """Each block's JSON text."""
    return view.split("\n") if view else []


Encoded = tuple[str, str, str, str]  # (data as JSON, drug CSV lines, regimen CSV lines, view)


def encode(outcome: PageOutcome) -> Encoded:
    """The outcome as texts: its data as JSON, its two tables' CSV lines and its view (the CSV
    lines stand apart, so that reading an outcome back never parses them out of JSON)."""
    problem = outcome.problem
    data = {
        "schema": SCHEMA,
        "page": outcome.page,
        "url": outcome.url,
        "read": outcome.read,
        "problem": [problem.page, problem.message, problem.severity, problem.readable] if problem else None,
        "findings": finding_values(outcome.findings),
        "drugs": outcome.drug_count,
        "regimens": outcome.regimen_count,
        "collected": outcome.collected,
    }
    return dumps(data, indent=False), outcome.drug_csv, outcome.regimen_csv, outcome.view


def decode(data: str, drug_csv: str | None, regimen_csv: str | None, view: str | None, view_size: int = 0) -> PageOutcome:
    """The outcome back from `encode`; ValueError when it is not one of this schema. Its texts
    may be None, left in the cache (with `view_size`, its view's size there)."""
    stored = loads(data)
    if not isinstance(stored, dict) or stored.get("schema") != SCHEMA:
        raise ValueError("not an outcome of this rxqa")
    page = stored["page"]
    return PageOutcome(
        page,
        stored["url"],
        stored["read"],
        PageProblem(*stored["problem"]) if stored["problem"] else None,
        findings_from_values(stored["findings"], page),
        stored["drugs"],
        stored["regimens"],
        drug_csv,
        regimen_csv,
        stored["collected"],
        view,
        view_size=view_size,
    )


def finding_values(findings: list[Finding]) -> list[list]:
    """A page's findings as lists of values, for JSON (the page is left out: it is the page's)."""
    return [[getattr(f, name) for name in _FINDING_FIELDS] for f in findings]


def findings_from_values(values: list[list], page: str) -> list[Finding]:
    # unpacked by position in _FINDING_FIELDS' order: a rerun makes every stored finding again, and
    # keywords from a dict cost half as much again
    return [
        Finding(code, name, severity, page, line, column, text, message, suggestion, section, url, fingerprint, block=block, index=index)
        for code, name, severity, line, column, text, message, suggestion, section, url, block, index, fingerprint in values
    ]
