"""report.html without a browser: self-contained, escaped, and its numbers are the run's numbers."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipelines import check
from pipelines.report import write_reports
from pipelines.report.charts import bar_chart
from pipelines.jsontext import dumps
from pipelines.report.html import PACK_OVER, PACKED_TYPE, data_block, safe_url, script_json, section_type, unpack
from pipelines.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_TXT = """Chemotherapy

Drugs used include capecitabine (</script><script>alert(2)</script>) and oxaliplatin (Xeloda).

<script>alert(1)</script> is written here as text.

A quote "><img src=x onerror=alert(1)> and </textarea> and <!-- a comment opener and a line\u2028separator.

- gemcitabine (Gemzar"><svg onload=alert(4)>)
- oxaliplatin (Xelodda<script>alert(8)</script>)
"""
HOSTILE_MD = """---
title: Hostile markdown
url: javascript:alert(3)
---

# Chemotherapy

The usual pair is oxaliplatin (Xeloda) with `</script><script>alert(5)</script>` beside it.
"""
HOSTILE_HTML = ('<!doctype html><html><head><link rel="canonical" href="javascript:alert(6)"><title>x</title></head>'
                '<body><main><h1>Chemotherapy</h1><p>Treatment uses oxaliplatin (Xeloda) &lt;script&gt;alert(7)&lt;/script&gt; '
                'and cisplatin (&lt;/script&gt;&lt;script&gt;alert(9)&lt;/script&gt;).</p></main></body></html>')
CLEAN_TXT = "Chemotherapy\n\nThe drugs are capecitabine (Xeloda) and oxaliplatin (Eloxatin).\n"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> by id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.text_by_id: dict[str, str] = {}
        self._open_ids: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
        if "id" in attrs:
            self._open_ids.append((tag, attrs["id"]))
            self.text_by_id.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        for _, ident in self._open_ids:
            self.text_by_id[ident] += data


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_and_write(tmp_path: Path, pages: dict[str, str]):
    content = write_pages(tmp_path / "content", pages)
    result = check([content], reference=str(ROOT / "data" / "reference"), market="CA")
    write_reports(result, tmp_path / "out", skip={"data_docs"})
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(html)
    return result, html, parser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    return run_and_write(tmp, {"evil.txt": HOSTILE_TXT, "evil.md": HOSTILE_MD, "evil.html": HOSTILE_HTML, "clean.txt": CLEAN_TXT})


def payload_of(parser: Tags) -> tuple[dict, str]:
    [(attrs, text)] = [s for s in parser.scripts if s[0].get("id") == "rxqa-data"]
    assert attrs.get("type") == "application/json"
    return json.loads(text), text


def test_hostile_pages_give_findings(hostile):
    result, _, _ = hostile
    texts = {f.text for f in result.findings}
    assert "Xeloda" in texts  # oxaliplatin (Xeloda)
    assert any("<" in t or '"' in t for t in texts), texts  # a hostile brand reached a finding


def test_nothing_is_fetched(hostile):
    _, html, parser = hostile
    for tag, attrs in parser.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "audio", "video", "source"), tag
        for name, value in attrs.items():
            if name in ("src", "srcset", "href", "xlink:href", "action", "formaction", "poster", "data", "background"):
                assert name == "href" and (value or "").startswith("#"), (tag, name, value)
    assert "@import" not in html
    [css] = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert "url(" not in css.lower()
    assert "url(http" not in html.lower().replace(" ", "")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)


def test_only_our_two_scripts(hostile):
    _, html, parser = hostile
    assert len(parser.scripts) == 2
    assert [a.get("type") for a, _ in parser.scripts] == ["application/json", None]
    assert "src" not in parser.scripts[1][0]
    assert len(re.findall(r"<script", html, re.I)) == 2
    assert len(re.findall(r"</script", html, re.I)) == 2


def test_hostile_text_only_escaped(hostile):
    result, html, parser = hostile
    data, raw = payload_of(parser)
    outside = html.replace(raw, "")
    for needle in ("alert(", "onerror", "onload", "</textarea", "<img", "<svg onload", "javascript:"):
        assert needle.lower() not in outside.lower(), needle
    assert "<!--" not in html
    assert "<" not in raw and ">" not in raw and "\u2028" not in raw and "\u2029" not in raw
    # the text is kept, as text: the script shows it with textContent
    shown = json.dumps(data, ensure_ascii=False)
    assert "capecitabine (</script><script>alert(2)</script>)" in shown
    assert '"><img src=x onerror=alert(1)>' in shown
    assert "</textarea>" in shown
    assert "javascript:" not in shown  # urls that are not http(s) are dropped
    assert all(p["url"] == "" for p in data["pages"])


def test_csp_allows_only_our_inline_code(hostile):
    _, _, parser = hostile
    [csp] = [a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    js = parser.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp


def test_summary_numbers_are_the_runs(hostile):
    result, html, parser = hostile
    ids = parser.text_by_id
    counts = result.counts()
    assert ids["total-findings"].strip() == str(len(result.findings))
    assert ids["stat-pages"].strip() == str(len(result.pages))
    assert ids["stat-drugs"].strip() == str(len(result.drug_table))
    assert ids["stat-regimens"].strip() == str(len(result.regimen_table))
    assert result.version in ids["stat-version"]
    assert ids["stat-digest"].strip() == result.reference_digest
    for sev in ("error", "warning", "info"):
        row = re.search(rf'<tr data-severity="{sev}">.*?<td class="num">(\d+)</td>', html, re.S)
        assert int(row.group(1)) == counts["by_severity"].get(sev, 0)
    for code, n in counts["by_code"].items():
        row = re.search(rf'<tr data-code="{code}">.*?<td class="num">(\d+)</td>', html, re.S)
        assert int(row.group(1)) == n
    for status in ("new", "baseline", "waived"):
        row = re.search(rf'<tr data-status="{status}">.*?<td class="num">(\d+)</td>', html, re.S)
        assert int(row.group(1)) == counts["by_status"].get(status, 0)
    data, _ = payload_of(parser)
    assert len(data["findings"]) == len(result.findings)


def test_rule_docs_for_every_code(hostile):
    result, html, parser = hostile
    ids = {a.get("id") for _, a in parser.tags}
    for code in {f.code for f in result.findings}:
        assert f"rule-{code}" in ids
        docs = REGISTRY[code].docs()
        text = parser.text_by_id[f"rule-{code}"]
        assert docs["summary"] in text
        assert " ".join(docs["Why it matters"].split()) in " ".join(text.split())


def test_highlight_positions_point_at_the_text(hostile):
    result, _, parser = hostile
    data, _ = payload_of(parser)
    fields = data["fields"]
    for row in data["findings"]:
        f = dict(zip(fields, row))
        if f["block"] < 0:
            continue
        block_text = data["pages"][f["page"]]["blocks"][f["block"]][2]
        assert block_text[f["index"]:f["index"] + len(f["text"])] == f["text"]


def test_charts_are_inline_svg(hostile):
    result, html, _ = hostile
    for chart in ("chart-codes", "chart-pages", "chart-sections"):
        assert f'<svg class="chart" id="{chart}"' in html
    bars = re.search(r'<svg class="chart" id="chart-codes".*?</svg>', html, re.S).group(0)
    assert bars.count("<rect") == len({f.code for f in result.findings})


def test_no_findings_still_renders(tmp_path):
    result, html, parser = run_and_write(tmp_path, {"clean.txt": CLEAN_TXT})
    assert result.findings == []
    assert parser.text_by_id["total-findings"].strip() == "0"
    assert "No findings" in html


def test_script_json_cannot_break_out():
    text = script_json({"a": "</script><!--<script>\u2028\u2029&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--<script>\u2028\u2029&"}


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=c", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,x", False),
    ("//example.org", False), ("https://exa mple.org", False), ('https://x.org/"><script>', False), ("", False),
])
def test_only_http_urls_are_links(url, ok):
    assert (safe_url(url) != "") is ok


def test_chart_labels_are_escaped():
    svg = str(bar_chart("c", "t<b>", [('<img src=x onerror=alert(1)>', 3, "#page=x"), ("b", 1, "javascript:alert(1)")]))
    assert "<img" not in svg and "&lt;img" in svg
    assert "javascript:" not in svg


def test_section_type_groups_headings():
    assert section_type("  Chemotherapy ") == "chemotherapy"
    assert section_type("CHEMOTHERAPY") == "chemotherapy"
    assert section_type("") == "(none)"


def test_a_large_payload_is_packed_and_unpacks_to_the_same_json():
    small = {"findings": [["BG001", "</script>\u2028"]]}
    assert data_block(dumps(small, indent=False)) == ("application/json", script_json(small))
    large = {"findings": [[f"BG{i:03}", "oxaliplatin (Xeloda) </script><!--", i] for i in range(PACK_OVER // 40)]}
    kind, text = data_block(dumps(large, indent=False))
    assert kind == PACKED_TYPE and len(text) < len(script_json(large)) / 4
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")  # nothing can close the element
    assert json.loads(unpack(text)) == large


@pytest.mark.parametrize("near", [False, True], ids=["all-rows", "rows-near-findings"])
def test_table_rows_read_from_the_pages_csv_lines_equal_those_of_the_table(hostile, near):
    from pipelines.report.html import DRUG_COLUMNS, REGIMEN_COLUMNS, _lines_near, _rows_by_page, _table_rows

    corpus = check([ROOT / "tests" / "corpus" / "pages", ROOT / "data" / "content"], market="CA")
    for result in (hostile[0], corpus):
        index = {page: i for i, page in enumerate(result.pages)}
        shown = {f.page for f in result.findings}
        lines = _lines_near(result) if near else None
        for name, table, columns in (("drug_mentions", result.drug_table, DRUG_COLUMNS), ("regimen_mentions", result.regimen_table, REGIMEN_COLUMNS)):
            assert result.table_lines(name) is not None
            got, rows = _table_rows(result, name, index, shown, lines)
            assert (got, json.loads(rows.text)) == (columns, _rows_by_page(table, columns, index, shown, lines))
            assert json.loads(rows.text) or name == "regimen_mentions" and result is hostile[0]
