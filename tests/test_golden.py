"""Golden whole-site test: the findings of the bundled sample site, in sorted
`page:line:col:CODE:message` form. After an intended change, regenerate with
`python tests/test_golden.py` and review the diff."""
from __future__ import annotations

import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "sample_site.txt"


def golden_lines(result) -> list[str]:
    return sorted(f"{f.page}:{f.line}:{f.column}:{f.code}:{f.message}" for f in result.findings)


def test_sample_site_findings_match_golden(sample_run):
    assert golden_lines(sample_run) == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_sample_site_planted_errors_each_found(sample_run):
    import yaml

    key = yaml.safe_load((Path(__file__).parent / "golden" / "sample_site_key.yaml").read_text(encoding="utf-8"))
    found = {(f.page, f.code) for f in sample_run.findings}
    for plant in key["planted_summary"]:
        assert (plant["page"], plant["code"]) in found, plant


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipelines import check

    root = Path(__file__).resolve().parents[1]
    result = check([root / "data" / "content"], reference=str(root / "data" / "reference"), market="CA")
    GOLDEN.write_text("\n".join(golden_lines(result)) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
