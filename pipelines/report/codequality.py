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
from .terminal import PageLocator, full_message, per_page, project_locator
from ..jsontext import write_json

OUTPUTS = ("codequality.json",)

SEVERITY = {"error": "critical", "warning": "major", "info": "minor"}


def location_path(result, page: str, locate: PageLocator | None = None) -> str:
    """The page relative to the project root when the content roots are known, else as named."""
    roots = getattr(result, "roots", None)
    if page in result.page_set and not roots:
        return page
    path = (locate or project_locator(result))(page)
    return page if page in result.page_set and os.path.isabs(path) else path


def issue(finding: Finding, locations: dict[str, str]) -> dict:
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.name}: {full_message(finding)}",
        "categories": ["Style"] if finding.severity == "info" else ["Bug Risk"],
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": locations[finding.page], "lines": {"begin": max(finding.line, 1)}},
    }


def build(result) -> list[dict]:
    shown = sorted((f for f in result.findings if f.status != "waived"), key=Finding.sort_key)
    locate = project_locator(result)
    locations = per_page(lambda page: location_path(result, page, locate), result)
    return [issue(f, locations) for f in shown]


def write(result, folder: Path) -> None:
    write_json(folder / "codequality.json", build(result))
