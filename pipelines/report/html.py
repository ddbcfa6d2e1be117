"""report.html: one self-contained page for reviewers (summary, charts, findings, page view, rule docs).

Everything is inline (CSS, JS, SVG) and nothing is fetched: the file works opened from disk.
Page text reaches the browser only as escaped markup (Jinja autoescape) or as JSON inside a
`<script type="application/json">` block with `<`, `>`, `&`, U+2028 and U+2029 escaped, and the
script puts it on screen through textContent only. A Content-Security-Policy with the hashes of
the one script and the one style sheet keeps any markup that slipped through from running.
"""
from __future__ import annotations

import base64
import hashlib
import math
import numbers
import re
import sys
import zlib
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..findings import SEVERITIES, SEVERITY_RANK, STATUSES
from ..jsontext import RawJSON, dumps
from ..rules import REGISTRY
from ..tables import FLAGS, NUMBERS, TABLE_COLUMNS, line_cells
from .charts import bar_chart
from .pieces import Pieces

OUTPUTS = ("report.html",)
COST = 3

HERE = Path(__file__).parent
TOP = 15
PAGE_SIZE = 100
DRUG_COLUMNS = ["section", "line", "column", "text", "generic", "role", "brands", "other_names", "drug_class"]
REGIMEN_COLUMNS = ["section", "line", "column", "name", "regimen", "components", "component_generics"]
SHOWN_COLUMNS = {"drug_mentions": DRUG_COLUMNS, "regimen_mentions": REGIMEN_COLUMNS}  # of each table, in the report
# the columns of a finding row in the JSON payload; the script reads them by position
FINDING_FIELDS = ["code", "severity", "page", "line", "column", "section", "text", "message", "suggestion", "status", "fingerprint", "block", "index"]
PACK_OVER = 1_000_000  # characters of JSON; a larger payload is packed (data_block)
PACKED_TYPE = "application/x-rxqa-deflate-base64"
GAP = 0  # a block left out of a large report: one character, not a [kind, depth, text] triple
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\"'<>`\\]")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write(result, folder: Path) -> None:
    (folder / "report.html").write_text(render(result), encoding="utf-8", errors="replace")


def render(result) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape  # here: the run's own process, which forks the writers, never needs it

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True, default_for_string=True))
    css = _asset("report.css", "</style")
    js = _asset("report.js", "</script")
    data_type, data = data_block(payload(result))
    return env.get_template("report.html.j2").render(
        css=Markup(css), js=Markup(js), csp=_csp(css, js), data_type=data_type, data=Markup(data),
        summary=summary(result), charts=charts(result), rules=rule_docs(result), page_size=PAGE_SIZE,
        severities=SEVERITIES, statuses=STATUSES, version=result.version, digest=result.reference_digest,
    )


def _asset(name: str, closing: str) -> str:
    text = (HERE / "assets" / name).read_text(encoding="utf-8")
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"assets/{name} must not contain {closing}> or <!--")
    return text


def _csp(css: str, js: str) -> str:
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    return (f"default-src 'none'; script-src {digest(js)}; style-src {digest(css)}; img-src data:; "
            "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")


def script_json(value) -> str:
    """JSON safe to place inside a <script> element: nothing in it can close the element or open a comment."""
    return _script_safe(dumps(value, indent=False))


def _script_safe(text: str) -> str:
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def data_block(json_text: str) -> tuple[str, str]:
    """(type, text) of the data's <script> element for JSON text: as it is, or, past PACK_OVER,
    deflated and base64-encoded (a fraction of the size, so the browser opens a large
    report sooner; report.js unpacks it with DecompressionStream)."""
    if len(json_text) <= PACK_OVER:
        return "application/json", _script_safe(json_text)
    # level 3, not zlib's default 6: less CPU, for a somewhat larger file; base64 needs no escaping
    packer = zlib.compressobj(3, zlib.DEFLATED, -15)
    packed = packer.compress(json_text.encode("utf-8", "replace")) + packer.flush()
    return PACKED_TYPE, base64.b64encode(packed).decode("ascii")


def unpack(text: str) -> str:
    """The JSON text of a packed data block (what report.js does in the browser)."""
    return zlib.decompress(base64.b64decode(text), -15).decode("utf-8")


def safe_url(url: str) -> str:
    """The url if it is plain http(s), else "" (so `javascript:` and friends never become links)."""
    url = (url or "").strip()
    if _UNSAFE_IN_URL.search(url):
        return ""
    if url.startswith(("https://", "http://")) and url.isascii() and "[" not in url and "]" not in url:
        # what urlsplit decides for most urls, without it (a page each): the host runs from the "//"
        # to the first "/", "?" or "#", and only an empty one is no link
        host = url.index("//") + 2
        return url if host < len(url) and url[host] not in "/?#" else ""
    return _split_url(url)


def _split_url(url: str) -> str:
    """safe_url's answer by urlsplit, for a url with nothing unsafe in it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _cell(value) -> str | int | float:
    """A table cell as JSON: numbers stay numbers, NaN and None become "", flags become "yes"/""."""
    if value is None:
        return ""
    numpy = sys.modules.get("numpy")  # not imported here: when it is not loaded, no cell is one of its booleans
    if isinstance(value, bool) or (numpy is not None and isinstance(value, numpy.bool_)):
        return "yes" if value else ""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return "" if math.isnan(value) else (int(value) if float(value).is_integer() else float(value))
    return str(value)


def _rows_by_page(frame, columns: list[str], index: dict[str, int], shown: set[str], lines: dict | None = None) -> dict[str, list[list]]:
    """Table rows of the pages shown; in a large report only the rows near a finding."""
    rows: dict[str, list[list]] = {}
    if frame is None or frame.empty:
        return rows
    present = [c for c in columns if c in frame.columns]
    chosen = frame[frame["page"].isin(shown)]
    if lines is not None:
        chosen = chosen[[str(line) in lines.get(page, ()) for page, line in zip(chosen["page"].tolist(), chosen["line"].tolist())]]
    cells = [_column_cells(chosen[c]) for c in present]
    for page, *values in zip(chosen["page"].astype(str).tolist(), *cells):
        if page in index:
            rows.setdefault(str(index[page]), []).append(values)
    return rows


def _column_cells(column) -> list:
    """A column's cells as `_cell` makes them, converted a column at a time."""
    if column.dtype == bool:
        return ["yes" if v else "" for v in column.tolist()]
    if column.dtype.kind in "iu":
        return column.tolist()
    if column.dtype.kind == "f":
        return [_cell(v) for v in column.tolist()]
    return [_cell(v) if not isinstance(v, str) else v for v in column.tolist()]


FULL_TEXT_LIMIT = 4_000_000  # characters of page views (JSON); past it, page views keep the text around findings


def _over_text_limit(result, shown: set[str]) -> bool:
    """Whether the views of the pages `shown` hold more than FULL_TEXT_LIMIT characters of blocks' JSON."""
    volume = 0
    for page in shown:
        volume += result.view_size(page)
        if volume > FULL_TEXT_LIMIT:
            return True
    return False


def _lines_near(result) -> dict[str, set[str]]:
    """page → each finding's line and its neighbours (as the tables' CSV writes line numbers)."""
    near: dict[str, set[str]] = {}
    for f in result.findings:
        near.setdefault(f.page, set()).update((str(f.line - 1), str(f.line), str(f.line + 1)))
    return near


def _blocks_near_findings(result) -> dict[str, set[int]]:
    """page → each finding's block and its neighbours."""
    near: dict[str, set[int]] = {}
    for f in result.findings:
        if f.block >= 0:
            near.setdefault(f.page, set()).update((f.block - 1, f.block, f.block + 1))
    return near


def page_list(result) -> list[str]:
    pages = list(dict.fromkeys(result.pages))
    seen = set(pages)
    for f in result.findings:
        if f.page not in seen:
            seen.add(f.page)
            pages.append(f.page)
    return pages


def payload(result) -> str:
    """The report's data as JSON text (the pages last, put together from their views' JSON).
    Each page's view and table rows are its pieces (pieces.py), taken from the last run when
    nothing they are made from changed."""
    pages = page_list(result)
    index = {p: i for i, p in enumerate(pages)}
    finding_urls: dict[str, str] = {}
    for f in result.findings:
        if f.url and f.page not in finding_urls:
            finding_urls[f.page] = f.url
    # The page view carries the text and tables of pages with findings only: a clean
    # page has nothing to show, and a large site's full text would make the file too big.
    shown = {f.page for f in result.findings}
    near = _blocks_near_findings(result) if _over_text_limit(result, shown) else None
    gap = dumps(GAP, indent=False)

    def page_json(page: str) -> str:
        parts = result.block_json(page) if page in shown else []
        if near is not None:
            close = near.get(page, set())
            parts = [part if part.startswith('["heading"') or i in close else gap for i, part in enumerate(parts)]
        return _with_list(dumps({"page": page, "url": safe_url(finding_urls.get(page, ""))}, indent=False), "blocks", parts)

    with Pieces(result, "report.html-pages", near is not None) as page_pieces:
        result.read_views(page_pieces.to_make(shown))  # those left in the cache, at once
        page_data = [page_pieces.piece(page, lambda page=page: page_json(page)) for page in pages]
    findings = [[f.code, f.severity, index[f.page], f.line, f.column, f.section, f.text, f.message, f.suggestion, f.status,
                 f.fingerprint, f.block, f.index] for f in result.findings]
    lines = _lines_near(result) if near is not None else None
    tables = {name: _table_rows(result, name, index, shown, lines) for name in SHOWN_COLUMNS}
    return _with_list(dumps({
        "fields": FINDING_FIELDS, "findings": findings,
        "rules": {code: REGISTRY[code].name for code in sorted({f.code for f in result.findings}) if code in REGISTRY},
        "severityRank": SEVERITY_RANK, "drugColumns": tables["drug_mentions"][0], "regimenColumns": tables["regimen_mentions"][0],
        "drugs": tables["drug_mentions"][1], "regimens": tables["regimen_mentions"][1],
    }, indent=False), "pages", page_data)


def _table_rows(result, name: str, index: dict[str, int], shown: set[str], lines: dict | None) -> tuple[list[str], dict | RawJSON]:
    """The columns the report shows of a table, and the rows of the pages shown by page number:
    from each page's CSV lines (only the shown pages' are read; as JSON text, each page's rows
    a piece), or from the DataFrame when it was given instead."""
    shown_columns = SHOWN_COLUMNS[name]
    parts = result.table_parts(name)
    if parts is None:
        table = result.table(name)
        columns = [c for c in shown_columns if c in table.columns]
        return columns, _rows_by_page(table, columns, index, shown, lines)
    with Pieces(result, f"report.html-{name}", lines is not None) as pieces:
        # the lines left in the cache of the pages whose rows are to be made, read at once
        left = result.table_texts(name, pieces.to_make([page for page, count, text in parts if count and text is None and page in shown]))

        def read_lines(page: str) -> str:
            return left[page] if page in left else result.table_texts(name, [page])[page]

        return shown_columns, _rows_from_lines(parts, TABLE_COLUMNS[name], shown_columns, index, shown, lines, pieces, read_lines)


def _rows_from_lines(parts: list[tuple[str, int, str | None]], columns: list[str], chosen: list[str], index: dict[str, int],
                     shown: set[str], lines: dict[str, set[str]] | None, pieces: Pieces, read_lines) -> RawJSON:
    """What _rows_by_page gives for the same rows, as JSON text, from the pages' CSV lines
    (`columns` each, tables.page_csv_lines): the cells of the `chosen` columns. A page's lines
    that are None are asked of `read_lines(page)` when its piece must be made."""
    at = [columns.index(c) for c in chosen]
    kinds = ["int" if c in NUMBERS else "flag" if c in FLAGS else "" for c in chosen]
    line_at = columns.index("line")

    def rows_json(page: str, text: str | None, wanted: set[str] | None) -> str:
        if text is None:
            text = read_lines(page)
        if wanted is None or '"' in text:
            rows_of = [cells for cells in line_cells(text) if wanted is None or cells[line_at] in wanted]
        else:  # lines with no quote: the line number is read first, and only the lines wanted are split whole
            rows_of = [line.split(",") for line in text[:-1].split("\n") if line.split(",", line_at + 1)[line_at] in wanted]
        if not rows_of:
            return ""
        return dumps([[int(cells[i]) if kind == "int" else ("yes" if cells[i] == "True" else "") if kind == "flag" else cells[i]
                       for i, kind in zip(at, kinds)] for cells in rows_of], indent=False)

    entries: list[str] = []
    for page, count, text in parts:
        if not count or page not in shown or page not in index or (lines is not None and page not in lines):
            continue
        rows = pieces.piece(page, lambda page=page, text=text, wanted=lines.get(page) if lines is not None else None: rows_json(page, text, wanted))
        if rows:
            entries.append(f'"{index[page]}":{rows}')
    return RawJSON("{" + ",".join(entries) + "}")


def _with_list(fields: str, key: str, items: list[str]) -> str:
    """A JSON object's text `fields` with `key` added last: a list of items that are JSON text already."""
    return f'{fields[:-1]}{"," if fields != "{}" else ""}{dumps(key, indent=False)}:[{",".join(items)}]}}'


def summary(result) -> dict:
    counts = result.counts()
    by_code = Counter(f.code for f in result.findings)
    return {
        **counts,
        "severity_rows": [(s, counts["by_severity"].get(s, 0)) for s in SEVERITIES],
        "status_rows": [(s, counts["by_status"].get(s, 0)) for s in STATUSES],
        "code_rows": [(code, REGISTRY[code].name if code in REGISTRY else "", n) for code, n in sorted(by_code.items())],
        "pages_with_findings": len({f.page for f in result.findings}),
        "unreadable": len(result.problems),
        "seconds": result.timings.get("total", 0.0),
        "market": result.settings.market or "any",
        "fail_on": result.settings.fail_on,
    }


def section_type(section: str) -> str:
    return " ".join(section.lower().split()) or "(none)"


def charts(result) -> list[tuple[str, Markup]]:
    by_code = Counter(f.code for f in result.findings)
    by_page = Counter(f.page for f in result.findings)
    by_section = Counter(section_type(f.section) for f in result.findings)
    top_pages = sorted(by_page.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    top_sections = sorted(by_section.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return [
        ("Findings by code", bar_chart("chart-codes", "Findings by code",
                                       [(f"{c} {REGISTRY[c].name if c in REGISTRY else ''}".strip(), n, f"#rule-{c}") for c, n in sorted(by_code.items())])),
        (f"Pages with most findings (top {TOP})", bar_chart("chart-pages", f"Pages with most findings (top {TOP})",
                                                             [(p, n, "#page=" + _fragment(p)) for p, n in top_pages], keep_end=True)),
        (f"Findings by section (top {TOP})", bar_chart("chart-sections", f"Findings by section heading (top {TOP})",
                                                       [(s, n, "") for s, n in top_sections])),
    ]


def _fragment(page: str) -> str:
    return quote(page, safe="/-_.~")


def rule_docs(result) -> list[dict]:
    docs = []
    for code in sorted({f.code for f in result.findings}):
        rule = REGISTRY.get(code)
        if rule is None:
            continue
        parts = rule.docs()
        docs.append({
            "code": code, "name": rule.name, "severity": rule.severity, "summary": parts["summary"],
            "why": _paragraphs(parts["Why it matters"]), "bad": parts["Bad"], "good": parts["Good"],
            "fix": _paragraphs(parts["How to fix"]),
        })
    return docs


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
