"""Score a run on a generated site against the errors planted in it.

    python benchmarks/generate_site.py --pages 1000 --out /tmp/site-1k
    python benchmarks/planted.py /tmp/site-1k

A planted error counts as found when a finding of its code sits on its line; every
warning or error on a line with no planted error is counted as a false alarm.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines import check  # noqa: E402

EXPECTED_CODE = {"wrong_brand": "BG001", "misspelling": "BG006", "dropped_component": "RG001", "added_component": "RG002"}


def main(site: Path) -> None:
    planted = json.loads(Path(f"{site}.planted.json").read_text(encoding="utf-8"))["errors"]
    result = check([site], market="CA", cache_dir="")
    codes_at: dict[tuple[str, int], set[str]] = {}
    for f in result.findings:
        codes_at.setdefault((f.page, f.line), set()).add(f.code)
    found, total = Counter(), Counter()
    for error in planted:
        total[error["kind"]] += 1
        found[error["kind"]] += EXPECTED_CODE[error["kind"]] in codes_at.get((error["page"], error["line"]), set())
    planted_lines = {(e["page"], e["line"]) for e in planted}
    false = [f for f in result.findings if (f.page, f.line) not in planted_lines and f.severity != "info"]
    for kind in sorted(total):
        print(f"{kind:20} {found[kind]}/{total[kind]} found ({EXPECTED_CODE[kind]})")
    print(f"{'false alarms':20} {len(false)} warnings or errors on lines with no planted error")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
