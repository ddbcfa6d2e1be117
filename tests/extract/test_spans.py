"""The range queries a long block's extraction leans on (pipelines/extract/spans.py):
each gives what the scan it replaced gave."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipelines.extract.drugs import paren_spans
from pipelines.extract.spans import Apart, ByStart


@pytest.mark.parametrize(
    "starts,a,b,expected",
    [
        ([], 0, 10, []),
        ([1, 4, 4, 9], 4, 9, [1, 2]),  # from a, up to b left out
        ([1, 4, 4, 9], 0, 100, [0, 1, 2, 3]),
        ([1, 4, 4, 9], 5, 9, []),
        ([1, 4, 4, 9], 9, 10, [3]),
        ([9, 1, 4], 1, 5, [1, 2]),  # out of order: still right, in the items' own order
        ([9, 1, 4], 4, 10, [0, 2]),
    ],
)
def test_by_start(starts, a, b, expected):
    items = [f"item{n}" for n in range(len(starts))]
    assert ByStart(items, starts).between(a, b) == [items[n] for n in expected]


@given(st.lists(st.integers(0, 30), max_size=25), st.integers(-2, 32), st.integers(-2, 32), st.booleans())
@settings(max_examples=300, deadline=None)
def test_by_start_is_the_scan(starts, a, b, in_order):
    starts = sorted(starts) if in_order else starts
    items = list(range(len(starts)))
    assert ByStart(items, starts).between(a, b) == [n for n, s in zip(items, starts) if a <= s < b]


@pytest.mark.parametrize(
    "text,a,b,expected",
    [
        ("no brackets", 0, 11, []),
        ("a (b) c (d (e)) f", 0, 17, [2, 8, 11]),  # nested: both, by offset
        ("a (b) c (d (e)) f", 3, 11, [8]),
        ("a (b) c (d (e)) f", 9, 17, [11]),
        ("a (b c", 0, 6, []),  # unbalanced: left out
        ("a [b] (c)", 0, 9, [2, 6]),
    ],
)
def test_parens_opening_in(text, a, b, expected):
    assert paren_spans(text).opening_in(a, b) == expected


@given(st.text(alphabet="ab()[] ", max_size=40), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_parens_opening_in_is_the_scan(text, a, b):
    parens = paren_spans(text)
    assert parens.opening_in(a, b) == sorted(o for o in parens if a <= o < b)


@pytest.mark.parametrize(
    "spans,kept",
    [
        ([(0, 5), (5, 9), (3, 4), (8, 12), (12, 13)], [True, True, False, False, True]),
        ([(10, 20), (0, 10), (0, 11), (19, 30), (20, 30)], [True, True, False, False, True]),
        ([(4, 4), (4, 4), (3, 5), (0, 4)], [True, True, False, True]),  # empty spans overlap only what holds them
    ],
)
def test_apart(spans, kept):
    apart = Apart()
    assert [apart.keep(a, b) for a, b in spans] == kept


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=40))
@settings(max_examples=300, deadline=None)
def test_apart_is_the_scan(spans):
    apart = Apart()
    scanned: list[tuple[int, int]] = []
    for start, length in spans:
        end = start + length
        overlaps = any(a < end and start < b for a, b in scanned)
        if not overlaps:
            scanned.append((start, end))
        assert apart.keep(start, end) == (not overlaps)


_STOP_ALPHABET = st.sampled_from([". ", ".", " A", "a", ";", " \u2013 ", "\u2013", " ", "which", "that", "but", "x", "B"])


@given(st.lists(_STOP_ALPHABET, max_size=30).map("".join), st.integers(0, 60))
@example(" \u2013 \u2013 x", 2)  # a stop that begins inside the one before it
@settings(max_examples=400, deadline=None)
def test_list_end_is_the_search_from_start(text, start):
    """list_end finds the stops of a text once and bisects; the answer is the regular expression's
    search from `start`, also where `start` falls inside a stop (" \u2013 \u2013 ")."""
    from pipelines.extract.regimens import _LIST_STOP, list_end

    start = min(start, len(text))
    m = _LIST_STOP.search(text, start)
    assert list_end(text, start) == (m.start() if m else len(text))
