"""BG004 names, for each use of a brand paired against the majority, the pages that pair it
otherwise; made once per generic of a brand rather than once per use, it must name the same
pages as the per-use definition (the oracle below)."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.rules.BG004 import BG004

GENERICS = ["capecitabine", "oxaliplatin", "cisplatin"]
uses = st.lists(st.tuples(st.integers(0, 12), st.sampled_from(GENERICS), st.integers(1, 9)), max_size=40)


class _Context:
    def __init__(self, collected):
        self.collected = {"BG004": collected}


def _oracle(group):
    generics = Counter(g for _, g, _ in group)
    if len(generics) < 2:
        return []
    majority = generics.most_common(1)[0][0]
    return [
        (f"p{page}.html", line, ", ".join(sorted({f"p{p}.html" for p, g, _ in group if g != generic}))[:200])
        for page, generic, line in group
        if not (generic == majority and generics[majority] > 1)
    ]


@given(uses)
@settings(max_examples=300, deadline=None)
def test_the_pages_named_are_the_per_use_definitions(group):
    collected = [(f"p{page}.html", ["capetab", generic, "Capetab", ["", line, 1, 0, 0], ""]) for page, generic, line in group]
    findings = list(BG004().check(_Context(collected)))
    expected = _oracle(group)
    assert [(f.page, f.line) for f in findings] == [(page, line) for page, line, _ in expected]
    assert all(f.message.endswith(f"({pages})") for f, (_, _, pages) in zip(findings, expected))
