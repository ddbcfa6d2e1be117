"""summary.md: a Markdown summary for `$GITHUB_STEP_SUMMARY` (or any CI page).

Totals, a table by rule, what changed since the previous run, then the new failing
findings first and the other new findings after them, at most `MAX_ROWS` rows in all
with a note of how many more there are. Cells are cut to `MAX_CELL` characters, so the
file stays far below GitHub's 1 MiB limit whatever the size of the run. Page text is
escaped (Markdown, table pipes, HTML) so that a page cannot break or inject markup.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..findings import SEVERITIES, Finding

OUTPUTS = ("summary.md",)
USES_CHANGES = True

MAX_ROWS = 200
MAX_CELL = 160
_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_SPACE = re.compile(r"\s+")


def cell(value, limit: int = MAX_CELL) -> str:
    """`value` as the text of one table cell: one line, escaped, at most `limit` characters."""
    text = _SPACE.sub(" ", str(value)).strip()
    text = re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", "", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _row(values) -> str:
    return "| " + " | ".join(values) + " |"


def _totals(result) -> list[str]:
    counts = Counter((f.status, f.severity) for f in result.findings)
    lines = [_row(["", *SEVERITIES, "total"]), _row(["---"] * (len(SEVERITIES) + 2))]
    for status in ("new", "baseline", "waived"):
        row = [counts[(status, s)] for s in SEVERITIES]
        lines.append(_row([status, *map(str, row), str(sum(row))]))
    return lines


def _by_code(result) -> list[str]:
    counts = Counter((f.code, f.status) for f in result.findings)
    names = {f.code: (f.name, f.severity) for f in result.findings}
    lines = [_row(["code", "name", "severity", "new", "baseline", "waived"]), _row(["---"] * 6)]
    for code in sorted(names):
        name, severity = names[code]
        lines.append(_row([code, cell(name), severity, *(str(counts[(code, s)]) for s in ("new", "baseline", "waived"))]))
    return lines


def _changes(result) -> list[str]:
    from ..changes import summary_lines

    lines = summary_lines(getattr(result, "changes", None))
    resolved = len(getattr(result, "resolved_baseline", None) or [])
    if resolved:
        lines.append(f"{resolved} baseline entr{'y' if resolved == 1 else 'ies'} resolved: the baseline can shrink")
    shown = [f"- {cell(line, 300)}" for line in lines[:MAX_ROWS]]
    if len(lines) > MAX_ROWS:
        shown.append(f"- … and {len(lines) - MAX_ROWS} more")
    return ["### Since the previous run", "", *shown, ""] if shown else []


def _findings_table(title: str, findings: list[Finding], room: int) -> list[str]:
    if not findings:
        return []
    if room <= 0:
        return [f"### {title}", "", f"_{len(findings)} not shown here: see findings.csv, report.html or the job log._", ""]
    lines = [f"### {title}", "", _row(["page", "line", "code", "text", "message", "suggestion"]), _row(["---"] * 6)]
    for f in findings[:room]:
        lines.append(_row([cell(f.page), str(f.line), f"{f.code}", cell(f.text, 80), cell(f.message), cell(f.suggestion)]))
    if len(findings) > room:
        lines += ["", f"_… and {len(findings) - room} more not shown here: see findings.csv, report.html or the job log._"]
    return [*lines, ""]


def render(result) -> str:
    failing = result.failing()
    failing_ids = {id(f) for f in failing}
    others = [f for f in result.findings if f.status == "new" and id(f) not in failing_ids]
    failing = sorted(failing, key=lambda f: (-f.rank, f.sort_key()))
    others.sort(key=lambda f: (-f.rank, f.sort_key()))
    fail_on = result.settings.fail_on
    c = result.counts()
    if fail_on == "never":
        head = f"## rxqa: {len(others)} new finding(s) (fail-on is never: CI does not fail on findings)"
    elif failing:
        head = f"## rxqa: ❌ {len(failing)} new finding(s) at or above {fail_on}"
    else:
        head = f"## rxqa: ✅ no new findings at or above {fail_on}"
    lines = [
        head, "",
        f"rxqa {result.version} · {c['pages']} pages · {c['drug_mentions']} drug mentions · "
        f"{c['regimen_mentions']} regimen mentions · {c['findings']} findings · exit code {result.exit_code}", "",
        *_totals(result), "",
    ]
    if result.findings:
        lines += ["### Findings by rule", "", *_by_code(result), ""]
    lines += _changes(result)
    lines += _findings_table(f"New findings at or above {fail_on} (these fail CI)", failing, MAX_ROWS)
    lines += _findings_table(f"Other new findings (below {fail_on})", others, max(MAX_ROWS - len(failing), 0))
    return "\n".join(lines).rstrip() + "\n"


def write(result, folder: Path) -> None:
    (folder / "summary.md").write_text(render(result), encoding="utf-8", errors="replace")
