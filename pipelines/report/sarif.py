"""results.sarif: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One rule entry per code (name, descriptions and help from the rule docstring), one
result per finding with its level, place, and `partialFingerprints["rxqa/v1"]`.
Waived and baselined findings stay in the log with `suppressions`: dropping them
would make code scanning reopen the alert.

Where a page is: with the content roots known (`result.roots`), its path relative to
the project root under `uriBaseId` `%SRCROOT%`; otherwise the page name relative to
`CONTENT`, the content folder given on the command line.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from ..findings import Finding
from ..rules import REGISTRY
from ..rules.docs import rule_markdown
from .pieces import Pieces, pieces_by_page
from .terminal import PageLocator, full_message, project_locator
from ..jsontext import list_items, raw_list, write_json

OUTPUTS = ("results.sarif",)

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "rxqa/v1"
RESULTS_DEPTH = 4  # the results list: in the top object's runs list, in the run's object
JUSTIFICATION = {
    "waived": "waived: accepted as a justified exception in the waiver file",
    "baseline": "baseline: recorded in the baseline file; CI fails only on new findings",
}


def rule_entry(code: str) -> dict:
    rule = REGISTRY.get(code)
    if rule is None:  # a code this build does not know: keep the result valid all the same
        return {"id": code, "shortDescription": {"text": code}}
    docs = rule.docs()
    text = "\n\n".join([docs["summary"], *(f"{s}:\n{docs[s]}" for s in ("Why it matters", "Bad", "Good", "How to fix"))])
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": docs["summary"]},
        "fullDescription": {"text": f"{docs['summary']} {docs['Why it matters']}"},
        "help": {"text": text, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["rxqa", code[:2]]},
    }


def artifact_location(result, page: str, locate: PageLocator | None = None) -> dict:
    roots = getattr(result, "roots", None)
    if page in result.page_set and not roots:
        return {"uri": quote(page, safe="/"), "uriBaseId": "CONTENT"}
    path = (locate or project_locator(result))(page)
    if os.path.isabs(path):
        if page in result.page_set:  # content outside the project: name it within its content folder
            return {"uri": quote(page, safe="/"), "uriBaseId": "CONTENT"}
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def result_entry(finding: Finding, index: dict[str, int], compared: bool, artifact: dict) -> dict:
    region: dict = {"snippet": {"text": finding.text}}
    if finding.line > 0:
        region["startLine"] = finding.line
        if finding.column > 0:
            region["startColumn"] = finding.column
    location: dict = {"physicalLocation": {"artifactLocation": artifact}}
    if finding.line > 0:
        location["physicalLocation"]["region"] = region
    if finding.section:
        location["logicalLocations"] = [{"name": finding.section, "kind": "section"}]
    entry: dict = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVEL[finding.severity],
        "message": {"text": full_message(finding)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"page": finding.page, "section": finding.section, "text": finding.text,
                       "suggestion": finding.suggestion, "status": finding.status, "url": finding.url},
    }
    if compared:
        entry["baselineState"] = "unchanged" if finding.status == "baseline" else "new"
    if finding.status in JUSTIFICATION:
        reason = getattr(finding, "waiver_reason", "") or JUSTIFICATION[finding.status]
        entry["suppressions"] = [{"kind": "external", "status": "accepted", "justification": reason}]
    return entry


def build(result) -> dict:
    codes = sorted(set(REGISTRY) | {f.code for f in result.findings})
    index = {code: i for i, code in enumerate(codes)}
    compared = any(f.status == "baseline" for f in result.findings)
    locate = project_locator(result)

    def page_results(page: str, findings: list[Finding]) -> str:
        artifact = artifact_location(result, page, locate)
        return list_items([result_entry(f, index, compared, artifact) for f in findings], RESULTS_DEPTH)

    with Pieces(result, "results.sarif", codes, compared) as pieces:
        results = raw_list(pieces_by_page(sorted(result.findings, key=Finding.sort_key), pieces, page_results), RESULTS_DEPTH)
    run = {
        "tool": {"driver": {"name": "rxqa", "version": result.version, "semanticVersion": result.version,
                            "rules": [rule_entry(code) for code in codes]}},
        "originalUriBaseIds": {"CONTENT": {"description": {"text": "the content folder given on the command line"}}},
        "invocations": [{"executionSuccessful": True, "exitCode": result.exit_code}],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"reference": result.reference_digest, "failOn": result.settings.fail_on,
                       "summary": result.counts()},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write(result, folder: Path) -> None:
    write_json(folder / "results.sarif", build(result))
