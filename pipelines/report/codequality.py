"""codequality.json: GitLab Code Quality, for the merge-request widget and the pipeline tab.

GitLab compares this file between the target branch and the merge request by
`fingerprint`, so the rxqa fingerprint (stable across unrelated edits) is used as is.
Waived findings are left out (an accepted exception is not a quality issue); baselined
ones stay in, as they are still on the page and GitLab shows them as unchanged.

Severity: error → critical, warning → major, info → minor. `blocker` is not used: a
problem that would block the run (a broken reference) stops rxqa before any report.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..findings import Finding
from .pieces import Pieces, pieces_by_page
from .terminal import PageLocator, full_message, project_locator
from ..jsontext import RawJSON, list_items, raw_list, write_json

OUTPUTS = ("codequality.json",)

SEVERITY = {"error": "critical", "warning": "major", "info": "minor"}


def location_path(result, page: str, locate: PageLocator | None = None) -> str:
    """The page relative to the project root when the content roots are known, else as named."""
    roots = getattr(result, "roots", None)
    if page in result.page_set and not roots:
        return page
    path = (locate or project_locator(result))(page)
    return page if page in result.page_set and os.path.isabs(path) else path


def issue(finding: Finding, path: str) -> dict:
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.name}: {full_message(finding)}",
        "categories": ["Style"] if finding.severity == "info" else ["Bug Risk"],
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": path, "lines": {"begin": max(finding.line, 1)}},
    }


def build(result) -> RawJSON:
    """The issues' JSON list, each page's a piece (pieces.py)."""
    shown = sorted((f for f in result.findings if f.status != "waived"), key=Finding.sort_key)
    locate = project_locator(result)

    def page_issues(page: str, findings: list[Finding]) -> str:
        path = location_path(result, page, locate)
        return list_items([issue(f, path) for f in findings], 1)

    with Pieces(result, "codequality.json") as pieces:
        return raw_list(pieces_by_page(shown, pieces, page_issues), 1)


def write(result, folder: Path) -> None:
    write_json(folder / "codequality.json", build(result))
