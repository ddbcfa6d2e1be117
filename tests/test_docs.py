"""docs/rules is generated from the rules' docstrings and must not be stale."""
from __future__ import annotations

from pathlib import Path

from pipelines.rules.docs import generated_docs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_rule_docs_are_current():
    expected = generated_docs()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in expected if on_disk.get(n) != expected[n])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, f"regenerate with `python -m pipelines.rules.docs` (stale: {stale}, extra: {extra})"
