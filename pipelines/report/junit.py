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
from pathlib import Path

from ..findings import Finding
from .pieces import Pieces
from .terminal import full_message

OUTPUTS = ("junit.xml",)

_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"  # what XML 1.0 cannot hold, as a character class
_ILLEGAL_XML = re.compile(f"[{_ILLEGAL}]")


def xml_text(value) -> str:
    """`value` as text that XML 1.0 can hold."""
    return _ILLEGAL_XML.sub("", str(value))


_ESCAPED_IN_ATTRIBUTES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}
_ATTRIBUTE_ESCAPES = str.maketrans(_ESCAPED_IN_ATTRIBUTES)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# an attribute that needs neither an escape nor a character removed
_PLAIN = re.compile(f"[^{re.escape(''.join(_ESCAPED_IN_ATTRIBUTES))}{_ILLEGAL}]*")


def _attribute(value) -> str:
    text = str(value)
    return text if _PLAIN.fullmatch(text) else xml_text(text).translate(_ATTRIBUTE_ESCAPES)


def _tag(tag: str, attrs: dict, close: bool) -> str:
    """An element's start tag (self-closed with `close`); attributes as XML 1.0 can hold them."""
    text = "".join([f' {name.rstrip("_")}="{_attribute(value)}"' for name, value in attrs.items()])
    return f"<{tag}{text}{' /' if close else ''}>"


def _element(tag: str, depth: int, text: str | None = None, **attrs) -> str:
    """One line (or, for text, the lines) of an element that holds no other element."""
    indent = "  " * depth
    if text is None:
        return indent + _tag(tag, attrs, True)
    return f"{indent}{_tag(tag, attrs, False)}{xml_text(text).translate(_TEXT_ESCAPES)}</{tag}>"


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


def lines(result) -> list[str]:
    """The file's lines: the XML declaration, then the suites, indented by two spaces a level
    (each page's suite is a piece, pieces.py: its lines as one text)."""
    failing = {id(f) for f in result.failing()}
    by_page: dict[str, list[Finding]] = {page: [] for page in result.pages}
    for finding in sorted(result.findings, key=Finding.sort_key):
        by_page.setdefault(finding.page, []).append(finding)
    total = {"tests": 0, "failures": 0, "skipped": 0}
    body: list[str] = []
    with Pieces(result, "junit.xml") as pieces:
        for page, findings in by_page.items():
            outcomes = [_outcome(f, failing) for f in findings]
            counts = {"tests": max(len(findings), 1), "failures": outcomes.count("failure"), "skipped": outcomes.count("skipped")}
            body.append(pieces.piece(page, lambda: "\n".join(_suite(result, page, findings, outcomes, counts))))
            for key in total:
                total[key] += counts[key]
    top = {"name": "rxqa", "time": f"{result.timings.get('total', 0.0):.3f}", **total, "errors": 0}
    return ["<?xml version='1.0' encoding='utf-8'?>", _tag("testsuites", top, False), *body, "</testsuites>"]


def _suite(result, page: str, findings: list[Finding], outcomes: list[str], counts: dict) -> list[str]:
    """The lines of a page's test suite."""
    suite = ["  " + _tag("testsuite", {"name": page or "(run)", "errors": 0, "time": "0", **counts}, False)]
    if not findings:
        suite.append(_element("testcase", 2, classname="rxqa", name=page, file=page, time="0"))
    for finding, outcome in zip(findings, outcomes):
        case = {"classname": finding.code, "name": case_name(finding), "file": finding.page, "line": finding.line, "time": "0"}
        suite.append("    " + _tag("testcase", case, False))
        if outcome == "failure":
            suite.append(_element("failure", 3, _details(finding), message=full_message(finding), type_=finding.code))
        elif outcome == "skipped":
            suite.append(_element("skipped", 3, message=f"{finding.status}: {full_message(finding)}"))
        else:
            suite.append(_element("system-out", 3, f"below fail-on ({result.settings.fail_on}): {_details(finding)}"))
        suite.append("    </testcase>")
    suite.append("  </testsuite>")
    return suite


def write(result, folder: Path) -> None:
    (folder / "junit.xml").write_text("\n".join(lines(result)) + "\n", encoding="utf-8")
