"""junit.xml: a test suite per page, a test case per finding, so CI test tabs show rxqa.

- one `<testsuite name=PAGE>` for every page checked (clean ones too), and one for any
  other file a finding names (the waiver file);
- a `<testcase classname=CODE name="page:line:col text">` per finding:
  - new and at or above fail-on: `<failure>` (these are exactly what makes the exit code 1);
  - waived or in the baseline: `<skipped message="waived|baseline: ...">`;
  - new but below fail-on: a passing case whose `<system-out>` holds the message, so a test
    tab shows it without calling the run failed or the finding accepted;
- a clean page gets one passing case, `classname="rxqa" name=PAGE`.

Text from the pages may hold characters XML 1.0 forbids (\\x01, \\x0b, lone surrogates):
they are dropped, so the file always parses.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..findings import Finding
from .terminal import full_message

OUTPUTS = ("junit.xml",)

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> str:
    """`value` as text that XML 1.0 can hold."""
    return _ILLEGAL_XML.sub("", str(value))


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attrs) -> ET.Element:
    attrs = {k.rstrip("_"): xml_text(v) for k, v in attrs.items()}
    node = ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = xml_text(text)
    return node


def case_name(finding: Finding) -> str:
    return f"{finding.page}:{finding.line}:{finding.column} {finding.text}"


def _details(finding: Finding) -> str:
    lines = [f"{finding.code} {finding.name} ({finding.severity}): {finding.message}"]
    if finding.suggestion:
        lines.append(f"suggestion: {finding.suggestion}")
    if finding.section:
        lines.append(f"section: {finding.section}")
    lines.append(f"text as written: {finding.text}")
    if finding.url:
        lines.append(f"url: {finding.url}")
    lines.append(f"fingerprint: {finding.fingerprint}")
    return "\n".join(lines)


def _outcome(finding: Finding, failing: set[int]) -> str:
    if finding.status in ("waived", "baseline"):
        return "skipped"
    return "failure" if id(finding) in failing else "passed"


def build(result) -> ET.Element:
    failing = {id(f) for f in result.failing()}
    by_page: dict[str, list[Finding]] = {page: [] for page in result.pages}
    for finding in sorted(result.findings, key=Finding.sort_key):
        by_page.setdefault(finding.page, []).append(finding)
    total = {"tests": 0, "failures": 0, "skipped": 0}
    root = _element(None, "testsuites", name="rxqa", time=f"{result.timings.get('total', 0.0):.3f}")
    for page, findings in by_page.items():
        outcomes = [_outcome(f, failing) for f in findings]
        counts = {"tests": max(len(findings), 1), "failures": outcomes.count("failure"), "skipped": outcomes.count("skipped")}
        suite = _element(root, "testsuite", name=page or "(run)", errors=0, time="0", **counts)
        if not findings:
            _element(suite, "testcase", classname="rxqa", name=page, file=page, time="0")
        for finding, outcome in zip(findings, outcomes):
            case = _element(suite, "testcase", classname=finding.code, name=case_name(finding),
                            file=finding.page, line=finding.line, time="0")
            if outcome == "failure":
                _element(case, "failure", _details(finding), message=full_message(finding), type_=finding.code)
            elif outcome == "skipped":
                _element(case, "skipped", message=f"{finding.status}: {full_message(finding)}")
            else:
                _element(case, "system-out", f"below fail-on ({result.settings.fail_on}): {_details(finding)}")
        for key in total:
            total[key] += counts[key]
    for key, value in {**total, "errors": 0}.items():
        root.set(key, str(value))
    return root


def write(result, folder: Path) -> None:
    tree = ET.ElementTree(build(result))
    ET.indent(tree)
    tree.write(folder / "junit.xml", encoding="utf-8", xml_declaration=True)
