"""Table-driven rule cases: tests/rules/cases/<CODE>.yml, one named case per entry.

`pytest -k BG001` runs one rule's cases."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

CASES = Path(__file__).parent / "cases"
SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}


def _cases():
    for path in sorted(CASES.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}")


@pytest.mark.parametrize("code,case", list(_cases()))
def test_rule_case(code, case, tmp_path):
    from pipelines import check

    pages = case.get("pages") or {f"page{SUFFIX[case.get('format', 'text')]}": case["page"]}
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    waivers = tmp_path.parent / f"{tmp_path.name}-waivers.yaml"
    waivers.write_text(case.get("waivers", "waivers: []\n"), encoding="utf-8")
    select = case.get("select", [code])
    result = check([tmp_path], select=select, market=case.get("market", "CA"), waivers=str(waivers), today=dt.date(2026, 11, 21))
    got = [f for f in result.findings if f.code == code]
    expected = case.get("expect") or []
    assert len(got) == len(expected), [f"{f.page}:{f.line}:{f.column} {f.text}: {f.message}" for f in got]
    for finding, want in zip(sorted(got, key=lambda f: (f.page, f.line, f.column)), expected):
        for key in ("line", "column", "text", "severity", "page"):
            if key in want:
                assert getattr(finding, key) == want[key], (key, finding)
        if "message" in want:
            assert want["message"] in finding.message, finding.message
        if "suggestion" in want:
            assert want["suggestion"] in finding.suggestion, finding.suggestion


def test_every_rule_has_cases():
    from pipelines.rules import REGISTRY

    have = {p.stem for p in CASES.glob("*.yml")}
    assert set(REGISTRY) <= have, sorted(set(REGISTRY) - have)
