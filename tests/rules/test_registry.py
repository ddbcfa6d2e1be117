"""The registry checks itself: codes, names, severities and docstring sections."""
from __future__ import annotations

import pytest

from pipelines.rules import REGISTRY, parse_docstring
from pipelines.rules.base import CODE, SECTIONS, Rule, RuleDefinitionError

DESIGN_CODES = {
    "SC001", "SC002", "SC003", "SC004", "BG001", "BG002", "BG003", "BG004", "BG005", "BG006", "BG007", "BG008",
    "RG001", "RG002", "RG003", "RG004", "RG005", "TH001", "SC005", "SC006",
}


def test_every_catalogue_code_is_implemented():
    assert set(REGISTRY) == DESIGN_CODES


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_is_documented(code):
    rule = REGISTRY[code]
    assert CODE.match(rule.code) and rule.code == code
    assert rule.__module__.endswith(f".{code}"), "one rule, one module named by its code"
    docs = parse_docstring(rule.__doc__)
    for section in ("summary", *SECTIONS):
        assert docs.get(section), f"{code} lacks {section}"
    assert rule.message, f"{code} has no message template"


def test_registry_refuses_a_bad_rule():
    with pytest.raises(RuleDefinitionError, match="code"):
        type("Bad", (Rule,), {"code": "XX1", "name": "bad-rule", "__doc__": "x"})
    with pytest.raises(RuleDefinitionError, match="already taken"):
        type("Dup", (Rule,), {"code": "BG001", "name": "dup-rule", "__doc__": REGISTRY["BG001"].__doc__})
    with pytest.raises(RuleDefinitionError, match="docstring lacks"):
        type("NoDoc", (Rule,), {"code": "BG999", "name": "no-doc", "__doc__": "Only a summary."})
    assert "BG999" not in REGISTRY
