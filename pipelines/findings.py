"""The one record every output reads: a finding."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields, replace

from .textutil import normalise

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
STATUSES = ("new", "baseline", "waived")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str
    page: str
    line: int
    column: int
    text: str  # as written on the page
    message: str  # what is wrong here
    suggestion: str = ""  # what to write instead
    section: str = ""
    url: str = ""
    fingerprint: str = ""
    status: str = "new"
    # where the text sits in the page as rxqa read it (block number, character index); not an output column
    block: int = field(default=-1, metadata={"internal": True})
    index: int = field(default=-1, metadata={"internal": True})

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in OUTPUT_FIELDS}

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def sort_key(self) -> tuple:
        return (self.page, self.line, self.column, self.code, self.text)


OUTPUT_FIELDS = tuple(f.name for f in fields(Finding) if not f.metadata.get("internal"))


def fingerprint_key(finding: Finding) -> str:
    return "\x1f".join((finding.code, finding.page, normalise(finding.section), normalise(finding.text)))


def with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Give each finding a fingerprint that survives unrelated edits: it hashes the code,
    page, section and normalised text (never the line), plus the repeat number of that
    key on the page, counted in page order."""
    seen: Counter[str] = Counter()
    out: list[Finding] = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = fingerprint_key(finding)
        repeat = seen[key]
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\x1f{repeat}".encode("utf-8")).hexdigest()[:20]
        out.append(replace(finding, fingerprint=digest))
    return out
