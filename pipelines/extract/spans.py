"""Asking a block's offsets what lies in a range without a scan.

A block may hold thousands of names: a long paragraph, or a plain-text page with no
blank line in it. Each name asked which mentions, candidates or parentheses lie
after it; a scan for each made reading such a block quadratic (a megabyte
paragraph of regimens took minutes). These answer by bisection instead.
"""
from __future__ import annotations

from bisect import bisect_left, insort


class ByStart:
    """Items with a start offset, asked for those that start in [a, b), in their own order."""

    __slots__ = ("items", "starts", "ordered")

    def __init__(self, items: list, starts: list[int]):
        self.items = items
        self.starts = starts
        # a block's mentions and candidates come in text order; were they ever not, a scan keeps the answer right
        self.ordered = all(x <= y for x, y in zip(starts, starts[1:]))

    @classmethod
    def mentions(cls, mentions: list) -> ByStart:
        return cls(mentions, [m.span[0] for m in mentions])

    def between(self, a: int, b: int) -> list:
        if self.ordered:
            return self.items[bisect_left(self.starts, a):bisect_left(self.starts, b)]
        return [item for item, start in zip(self.items, self.starts) if a <= start < b]


class Parens(dict):
    """Each '(' or '[' → its matching ')' or ']', by offset in the text."""

    __slots__ = ("_opens",)

    def __init__(self, *args):
        super().__init__(*args)
        self._opens: list[int] | None = None

    def opening_in(self, a: int, b: int) -> list[int]:
        """The offsets in [a, b) where a parenthesis opens, in order."""
        if self._opens is None:
            self._opens = sorted(self)
        return self._opens[bisect_left(self._opens, a):bisect_left(self._opens, b)]


class Apart:
    """Spans kept only when they overlap none kept before (so those kept never overlap, and
    by start they are in order of end too: the one that starts last before a span ends is
    the only one that can reach into it)."""

    __slots__ = ("spans",)

    def __init__(self):
        self.spans: list[tuple[int, int]] = []

    def keep(self, start: int, end: int) -> bool:
        """Keep [start, end) and say so, unless it overlaps a span kept already."""
        before = bisect_left(self.spans, (end,))  # the spans that start before this one ends
        if before and self.spans[before - 1][1] > start:
            return False
        insort(self.spans, (start, end))
        return True
