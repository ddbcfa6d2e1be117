"""report.html in a real browser (Debian's chromium through Playwright), opened from disk with the network cut.

Skipped where /usr/bin/chromium is missing, except in CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import csv
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipelines import check
from pipelines.report import html as html_report
from pipelines.report import write_reports
from pipelines.rules import REGISTRY

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONTENT = HERE / ".." / ".." / "data" / "content"
REFERENCE = HERE / ".." / ".." / "data" / "reference"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]

if not IN_CI:  # in CI a missing browser is a failure (see the browser fixture), never a skip
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

INJECTION = """Chemotherapy

Drugs used include capecitabine (</script><script>alert(2)</script>) and oxaliplatin (Xeloda).

<script>alert(1)</script><script>window.__injected = true</script> is written here as text.

A quote "><img src=x onerror="alert(1);window.__injected=true"> and </textarea><!-- and a line\u2028separator.

- gemcitabine (Gemzar"><svg onload=alert(4)>)
"""
INJECTION_MD = """---
url: javascript:alert(3)
---

# Chemotherapy

oxaliplatin (Xeloda) and <img src=x onerror=alert(5)>
"""
INIT_SCRIPT = """
window.__rxqaFlag = "clean";
window.__alerts = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function (message) { window.__alerts.push(name + ":" + String(message)); };
}
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("CI is set but /usr/bin/chromium is missing: install Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    (content / "zz-injection").mkdir()
    (content / "zz-injection" / "injection.txt").write_text(INJECTION, encoding="utf-8")
    (content / "zz-injection" / "injection.md").write_text(INJECTION_MD, encoding="utf-8")
    result = check([content], reference=str(REFERENCE), market="CA")
    out = tmp / "out"
    write_reports(result, out, skip={"data_docs"})
    return result, out


class Watch:
    """Everything a page did that it must not: network requests, console errors, page errors, dialogs."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.add_init_script(INIT_SCRIPT)

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self, page):
        assert self.requests == [], f"network requests attempted: {self.requests}"
        assert self.console == [], f"console errors: {self.console}"
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert page.evaluate("window.__rxqaFlag") == "clean"
        assert page.evaluate("window.__alerts") == [], "injected script ran"
        assert page.evaluate("window.__injected === undefined"), "injected script ran"


@pytest.fixture
def report(browser, site):
    result, out = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # the report's own CSP stays on
    page = context.new_page()
    watch = Watch(page)
    page.goto((out / "report.html").as_uri())
    page.wait_for_selector("html[data-ready=true]")
    yield page, watch, result, out
    context.close()


def csv_rows(out: Path) -> list[dict]:
    with open(out / "findings.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def shown(page) -> int:
    return int(page.get_attribute("#match-count", "data-count"))


def test_opens_offline_and_runs_nothing_injected(report):
    page, watch, result, out = report
    rows = csv_rows(out)
    assert int(page.text_content("#total-findings")) == len(rows) == len(result.findings)
    assert shown(page) == len(rows)
    assert page.locator("#findings-table tbody tr").count() == min(len(rows), 100)
    assert page.locator("script").count() == 2
    assert page.locator("img, iframe, object, embed").count() == 0
    assert page.locator("[onerror], [onload]").count() == 0
    watch.assert_clean(page)


def test_severity_filter_and_search(report):
    page, watch, _, out = report
    rows = csv_rows(out)
    assert page.get_attribute("#findings-table th[data-sort=severity]", "aria-sort") == "descending"
    shown_sev = page.locator("#findings-table tbody .sev").all_text_contents()
    rank = {"error": 3, "warning": 2, "info": 1}
    assert [rank[s] for s in shown_sev] == sorted((rank[s] for s in shown_sev), reverse=True)
    for severity in ("error", "warning", "info"):
        page.select_option("#f-severity", severity)
        expected = sum(r["severity"] == severity for r in rows)
        assert shown(page) == expected
        assert page.locator("#findings-table tbody tr[data-finding]").count() == min(expected, 100)
        assert page.locator(f"#findings-table tbody .sev:not(.sev-{severity})").count() == 0
    page.click("#f-reset")
    expect(page.locator("#match-count")).to_have_attribute("data-count", str(len(rows)))

    query = "xeloda"
    page.fill("#f-search", query)
    expected = sum(any(query in (r[k] or "").lower() for k in ("code", "name", "page", "section", "text", "message", "suggestion", "fingerprint")) for r in rows)
    assert 0 < expected < len(rows)
    expect(page.locator("#match-count")).to_have_attribute("data-count", str(expected))
    assert page.locator("#findings-table tbody tr[data-finding]").count() == expected
    page.fill("#f-search", "no such text anywhere 1234")
    expect(page.locator("#match-count")).to_have_attribute("data-count", "0")

    page.click("#f-reset")
    page.click("#findings-table th[data-sort=code] button")
    codes = page.locator("#findings-table tbody tr td:nth-child(2)").all_text_contents()
    assert codes == sorted(codes)
    assert page.get_attribute("#findings-table th[data-sort=code]", "aria-sort") == "ascending"
    watch.assert_clean(page)


def test_page_view_highlights_and_screenshot(report):
    page, watch, result, _ = report
    finding = next(f for f in result.findings if f.code == "BG001" and f.page.startswith("pancreas/"))
    page.select_option("#f-code", "BG001")
    page.locator("#findings-table tbody tr td.page a", has_text="pancreatic-cancer-chemotherapy").first.click()
    page.wait_for_selector("#page-detail:not([hidden])")
    assert page.text_content("#page-title") == finding.page
    mark = page.locator("#page-text mark[data-code=BG001]")
    assert mark.count() >= 1
    assert finding.text in mark.first.text_content()
    assert page.locator("#page-findings li").count() == sum(f.page == finding.page for f in result.findings)
    page.locator("#page-findings a[href='#rule-BG001']").first.wait_for()
    assert page.locator("#page-drugs tbody tr").count() == sum(result.drug_table["page"] == finding.page)
    assert page.locator("#page-meta a[href^='https://']").count() == 1

    # the injection page: its text shows as text, its javascript: url is not a link
    page.select_option("#page-select", label=next(o for o in page.locator("#page-select option").all_text_contents() if o.startswith("zz-injection/injection.txt")))
    expect(page.locator("#page-title")).to_have_text("zz-injection/injection.txt")
    text = page.text_content("#page-text")
    assert "<script>alert(1)</script>" in text and "capecitabine (</script><script>alert(2)</script>)" in text
    assert page.locator("#page-text script, #page-text img, #page-text svg").count() == 0
    page.select_option("#page-select", label=next(o for o in page.locator("#page-select option").all_text_contents() if o.startswith("zz-injection/injection.md")))
    expect(page.locator("#page-title")).to_have_text("zz-injection/injection.md")
    assert page.locator("#page-meta a").count() == 0

    page.click("#f-reset")
    page.goto(page.url.split("#")[0] + "#page=pancreas/pancreatic-cancer-chemotherapy.md")
    page.wait_for_selector("#page-text mark[data-code=BG001]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    print(f"\nscreenshot: {ARTIFACTS / 'report.png'}")
    watch.assert_clean(page)


def test_keyboard_reaches_the_controls(report):
    page, watch, _, _ = report
    page.focus("#f-severity")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-code"
    page.focus("#f-search")
    page.keyboard.type("Xeloda")
    expect(page.locator("#match-count")).not_to_have_attribute("data-count", page.get_attribute("#total-findings", "data-count"))
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    watch.assert_clean(page)


def test_escaping_alone_runs_nothing(browser, site):
    """With the report's Content-Security-Policy switched off, the injected text still runs nothing."""
    _, out = site
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    watch = Watch(page)
    page.goto((out / "report.html").as_uri() + "#page=zz-injection/injection.txt")
    page.wait_for_selector("html[data-ready=true]")
    expect(page.locator("#page-title")).to_have_text("zz-injection/injection.txt")
    page.fill("#f-search", "alert")
    expect(page.locator("#match-count")).not_to_have_attribute("data-count", page.get_attribute("#total-findings", "data-count"))
    assert page.locator("script").count() == 2 and page.locator("img, svg[onload]").count() == 0
    watch.assert_clean(page)
    context.close()


def synthetic(result, n: int):
    """The run's pages with n findings made up from its real findings' places (each one points at real text)."""
    spots = [(f.page, f, f.text) for f in result.findings if f.block >= 0]
    codes = sorted(REGISTRY)
    findings = []
    for i in range(n):
        page, where, text = spots[i % len(spots)]
        rule = REGISTRY[codes[i % len(codes)]]
        findings.append(replace(
            result.findings[0], code=rule.code, name=rule.name, severity=rule.severity, page=page, line=where.line,
            column=where.column, text=text, section=where.section, message=f"synthetic finding {i} on {text}",
            suggestion=f"write something else instead of {text}", fingerprint=f"{i:020x}", block=where.block, index=where.index,
            status=("new", "baseline", "waived")[i % 3],
        ))
    return replace(result, findings=findings)


@pytest.mark.parametrize("n", [10_000, 50_000])
def test_large_report_opens(browser, site, tmp_path, n):
    result, _ = site
    big = synthetic(result, n)
    html_report.write(big, tmp_path)
    path = tmp_path / "report.html"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready=true]")
    load = time.perf_counter() - started
    assert page.get_attribute("#rxqa-data", "type") == html_report.PACKED_TYPE  # unpacked in the browser
    assert int(page.text_content("#total-findings")) == n == shown(page)
    assert page.locator("#findings-table tbody tr").count() == 100
    started = time.perf_counter()
    page.fill("#f-search", "synthetic finding 4242 on")
    expect(page.locator("#match-count")).to_have_attribute("data-count", "1")
    search = time.perf_counter() - started
    started = time.perf_counter()
    page.goto(path.as_uri() + "#page=" + big.findings[0].page)
    page.wait_for_selector("#page-text mark")
    view = time.perf_counter() - started
    print(f"\n{n} findings: report.html {path.stat().st_size / 1e6:.1f} MB, opened in {load:.2f} s, "
          f"search {search:.2f} s (incl. 150 ms debounce), page view {view:.2f} s")
    watch.assert_clean(page)
    context.close()


def test_large_site_page_view_leaves_gaps(browser, site, tmp_path, monkeypatch):
    """Past FULL_TEXT_LIMIT a page keeps its headings and the text near its findings;
    each run of left-out blocks shows as one note, and the findings are still marked."""
    result, _ = site
    monkeypatch.setattr(html_report, "FULL_TEXT_LIMIT", 1)
    html_report.write(result, tmp_path)
    finding = next(f for f in result.findings if f.code == "BG001" and f.block > 3)
    page = browser.new_page()
    watch = Watch(page)
    page.goto((tmp_path / "report.html").as_uri() + "#page=" + finding.page)
    page.wait_for_selector("#page-text mark[data-code=BG001]")
    notes = page.locator("#page-text p.gap")
    assert notes.count() >= 1
    assert page.locator("#page-text p.gap + p.gap").count() == 0
    assert finding.text in " ".join(page.locator("#page-text mark").all_text_contents())
    watch.assert_clean(page)
    page.close()
