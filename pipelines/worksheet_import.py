"""`rxqa worksheet import`: editors' decisions in the worksheet become waivers."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .report.atomic import write_text_atomic
from .waivers import load_waivers

WAIVING = {"accepted", "false positive"}


def import_worksheet(sheet: Path, waiver_file: Path, result, editor: str) -> tuple[int, list[dict]]:
    """Append waivers for rows marked accepted / false positive; return how many were
    added and the rows marked fixed whose finding is still present."""
    from .report.worksheet import read_worksheet

    rows = read_worksheet(sheet)
    existing = {w.fingerprint for w in load_waivers(waiver_file) if w.fingerprint}
    current = {f.fingerprint for f in result.findings}
    entries = []
    for row in rows:
        status = str(row.get("status") or "").strip().lower()
        if status in WAIVING and row["fingerprint"] not in existing:
            comment = str(row.get("comment") or "").strip()
            entries.append({
                "fingerprint": row["fingerprint"],
                "code": row.get("code", ""),
                "page": row.get("page", ""),
                "text": row.get("text", ""),
                "reason": f"{status}: {comment}" if comment else f"{status} in the editors' worksheet",
                "accepted_by": editor,
            })
            existing.add(row["fingerprint"])
    still_failing = [r for r in rows if str(r.get("status") or "").strip().lower() == "fixed" and r["fingerprint"] in current]
    if entries:
        text = waiver_file.read_text(encoding="utf-8") if waiver_file.exists() else ""
        text = _EMPTY_LIST.sub("waivers:", text)
        if not text.strip():
            text = "# Accepted exceptions: see README, 'Baseline and waivers'.\nwaivers:\n"
        elif not text.endswith("\n"):
            text += "\n"
        block = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, default_flow_style=False)
        text += "".join(f"  {line}\n" if line else "\n" for line in block.splitlines())
        trial = waiver_file.with_name(f".{waiver_file.name}.new")
        trial.write_text(text, encoding="utf-8")
        try:
            load_waivers(trial)  # what is written must read back, or the old file stays
        finally:
            trial.unlink(missing_ok=True)
        write_text_atomic(waiver_file, text)
    return len(entries), still_failing


_EMPTY_LIST = re.compile(r"^waivers:[ \t]*\[[ \t]*\][ \t]*$", re.M)
