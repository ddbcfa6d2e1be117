"""Terminal forms of a run, for `rxqa check --format github|text|json`.

Not a file writer (no `write`/`OUTPUTS`): the CLI prints what these return.

- `github_lines(result, root)`: GitHub Actions workflow commands, one annotation per
  new finding (errors, then warnings, then notices), then a closing `::notice::`.
- `text_lines(result)`: `page:line:col: CODE message` like ruff, sorted.
- `json_text(result)`: the findings and the summary as one JSON document.
- `timing_lines(result, ...)`: how long each stage and each report took (`--timings`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from ..findings import Finding
from ..jsontext import dumps

GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
GITHUB_LIMIT_NOTE = (
    "rxqa: GitHub shows only the first 10 error, 10 warning and 10 notice annotations of each step; "
    "see the job log, the step summary or the uploaded reports for all findings"
)


def per_page(function, result) -> dict[str, object]:
    """function(page) for each page that has findings: every finding of a page shares
    its location, so the disk is looked up once per page."""
    return {page: function(page) for page in {f.page for f in result.findings}}


class PageLocator:
    """Where pages are on disk, as `/` paths relative to `base` (default: the current
    folder) when they lie inside it. A content page is joined to the content root it came
    from (the first of several roots that holds it); any other path a finding names (the
    waiver file, the reference) is taken relative to the project root. The roots and the
    base are looked up once, not once per page."""

    def __init__(self, result, root: Path | Sequence[Path] | None = None, base: Path | None = None):
        roots = [Path(root)] if isinstance(root, (str, Path)) else [Path(r) for r in root or ()]
        self.result = result
        self.roots = [(str(r), r.is_file(), r.as_posix()) for r in roots]
        self.base = str((base or Path.cwd()).resolve())
        self.inside = self.base.rstrip(os.sep) + os.sep

    def __call__(self, page: str) -> str:
        # strings and os.path, not pathlib: a report names thousands of pages
        if page in self.result.page_set:
            # a file given directly on the command line is named as given; a folder's pages sit under it
            candidates = [r if is_file else os.path.join(r, page) for r, is_file, posix in self.roots if not is_file or posix == page]
            if len(candidates) > 1:
                path = next((c for c in candidates if os.path.exists(c)), candidates[0])
            else:
                path = candidates[0] if candidates else page
        else:
            path = str(self.result.settings.path(page)) if page else "."
        absolute = os.path.abspath(path)
        if absolute == self.base:
            return "."
        if absolute.startswith(self.inside):
            absolute = absolute[len(self.inside):]
        return absolute.replace(os.sep, "/")


def project_locator(result) -> PageLocator:
    """Paths relative to the project root, for the CI formats."""
    return PageLocator(result, getattr(result, "roots", None), base=Path(result.settings.root))


def full_message(finding: Finding) -> str:
    """The message and, where there is one, what to write instead."""
    return f"{finding.message} (suggestion: {finding.suggestion})" if finding.suggestion else finding.message


def _utf8(text: str) -> str:
    """Text that any UTF-8 stream can print: lone surrogates become "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding, file: str) -> str:
    props = [f"file={_escape_property(file)}"]
    if finding.line > 0:
        props.append(f"line={finding.line}")
        if finding.column > 0:
            props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(finding.code)}")
    return _utf8(f"::{GITHUB_COMMAND[finding.severity]} {','.join(props)}::{_escape_data(full_message(finding))}")


def github_lines(result, root: Path | Sequence[Path] | None = None) -> list[str]:
    """Annotations for the new findings (waived and baselined ones stay quiet), errors
    first, then warnings, then notices; each group in page order. The last line is a
    `::notice::` about GitHub's per-step limit."""
    new = [f for f in result.findings if f.status == "new"]
    new.sort(key=lambda f: (-f.rank, f.sort_key()))
    paths = per_page(PageLocator(result, root), result)
    lines = [github_line(f, paths[f.page]) for f in new]
    failing = len(result.failing())
    lines.append(f"::notice::{_escape_data(f'{len(new)} new finding(s), {failing} at or above fail-on; {GITHUB_LIMIT_NOTE}')}")
    return lines


def text_line(finding: Finding) -> str:
    status = "" if finding.status == "new" else f" [{finding.status}]"
    text = full_message(finding).replace("\r", " ").replace("\n", " ")
    return _utf8(f"{finding.page}:{finding.line}:{finding.column}: {finding.code} {text}{status}")


def text_lines(result, include_accepted: bool = False) -> list[str]:
    """`page:line:col: CODE message` for each new finding, sorted by page, line, column,
    code. `include_accepted` adds the waived and baselined ones, marked as such."""
    shown = [f for f in result.findings if include_accepted or f.status == "new"]
    return [text_line(f) for f in sorted(shown, key=Finding.sort_key)]


def json_text(result) -> str:
    """Every finding (all statuses) and the run summary, as indented JSON."""
    payload = {
        "rxqa": result.version,
        "reference": result.reference_digest,
        "summary": {**result.counts(), "failing": len(result.failing()), "fail_on": result.settings.fail_on,
                    "exit_code": result.exit_code},
        "findings": [f.to_dict() for f in sorted(result.findings, key=Finding.sort_key)],
    }
    changes = getattr(result, "changes", None)
    if changes:
        payload["changes"] = changes
    return _utf8(dumps(payload))


def timing_lines(result, startup: float, total: float) -> list[str]:
    """Seconds of wall time per stage of the run, each report's (and the comparison's) wall
    and CPU seconds in the process that wrote it (they run side by side with --jobs > 1),
    the slowest first, with the CPU spent in the kernel and the memory pages faulted in."""
    stages = [("start-up", startup), *((name, result.timings.get(name)) for name in ("reference", "pages", "rules", "reports"))]
    lines = ["timings (seconds of wall time; reports: wall and CPU in the process that wrote each)"]
    for name, seconds in stages:
        if seconds is None:
            continue
        lines.append(f"  {name:<16}{seconds:7.2f}")
        if name == "pages" and "workers_cpu" in result.timings:
            lines[-1] += f"  cpu {result.timings['pages_cpu']:5.2f}, the workers' {result.timings['workers_cpu']:.2f}"
        if name == "rules" and "rows_cpu" in result.timings:  # as the pages come in, and what is left at the end
            lines.append(f"    row checks           cpu {result.timings['rows_cpu']:5.2f}  (the run's own, in pages and rules)")
        if name == "reports":
            for writer, (wall, cpu, kernel, faults) in sorted(result.report_timings.items(), key=lambda item: -item[1][0]):
                lines.append(f"    {writer:<14}{wall:7.2f}  cpu {cpu:5.2f}" + (f"  (kernel {kernel:.2f}, {faults} pages faulted in)" if faults is not None else ""))
    lines.append(f"  {'total':<16}{total:7.2f}")
    return lines
