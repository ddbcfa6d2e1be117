"""How long a report.html takes to become usable in Debian's chromium (headless).

    python benchmarks/report_open.py reports/report.html

Prints the file size, the time until the HTML is parsed, the time until the
findings table shows its first rows, and the time until the page lists are filled
too (report.js fills them just after the table is on screen). Needs the test extras (Playwright) and
/usr/bin/chromium; nothing is fetched (every non-file request is refused).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def main(report: Path, runs: int = 2) -> None:
    print(f"{report}: {report.stat().st_size / 1e6:.1f} MB")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for n in range(runs):
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
            start = time.perf_counter()
            page.goto(report.resolve().as_uri(), wait_until="domcontentloaded")
            parsed = time.perf_counter() - start
            page.wait_for_selector("#findings-table tbody tr", timeout=120_000)
            usable = time.perf_counter() - start
            page.wait_for_selector("html[data-ready=true]", timeout=120_000)
            ready = time.perf_counter() - start
            print(f"open {n + 1}: parsed in {parsed:.2f} s, findings table shown after {usable:.2f} s, "
                  f"page lists filled (every control ready) after {ready:.2f} s")
            page.close()
        browser.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", type=Path, help="a report.html")
    ap.add_argument("--runs", type=int, default=2, help="times the report is opened, each in a new tab (default 2)")
    args = ap.parse_args()
    if not args.report.is_file():
        ap.error(f"{args.report}: no such file")
    main(args.report, args.runs)
