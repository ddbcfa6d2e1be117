"""The documents ingest hands to extraction: blocks of text with their source positions."""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableCell:
    table: int
    row: int
    column: int
    header: str  # the header text of this column, lower case ("" when the table has none)
    rows: int = 1  # the rows it spans (HTML's rowspan): it stands in the column of the rows below too


@dataclass(slots=True)
class Block:
    """One unit of article text: a heading, a paragraph, a list item or a table cell.

    ``offsets[i]`` is the offset in the decoded source of ``text[i]``, so every
    span found in ``text`` points back at the file as stored.
    """

    kind: str
    text: str
    offsets: list[int]
    heading_path: tuple[str, ...] = ()
    level: int = 0
    cell: TableCell | None = None

    @property
    def section(self) -> str:
        return self.heading_path[-1] if self.heading_path else ""


@dataclass
class Document:
    page: str  # path relative to the content root, with / separators
    path: str  # path on disk
    fmt: str  # html, markdown, text
    source: str  # the decoded file
    blocks: list[Block] = field(default_factory=list)
    url: str = ""
    title: str = ""
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # each line starts one past the end of the one before (lines counted by \n only)
        lines = self.source.split("\n")
        self._line_starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a source offset."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    @property
    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading"]


@dataclass(frozen=True)
class PageProblem:
    """A page that could not be read, or was read with a caveat (becomes SC003)."""

    page: str
    message: str
    severity: str = "warning"
    readable: bool = False


_WORDS = re.compile(r"[^\s\u200b\ufeff]+")


def _tidy(text: str) -> bool:
    """No whitespace but single spaces between words, and no zero-width characters
    (str.split and the regular expressions' \\s agree on what whitespace is)."""
    return " ".join(text.split()) == text and "\u200b" not in text and "\ufeff" not in text


def collapse(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Trim and collapse whitespace runs to one space, keeping each kept character's offset."""
    if _tidy(text):
        return text, offsets
    parts: list[str] = []
    kept: list[int] = []
    for m in _WORDS.finditer(text):
        start, end = m.span()
        if parts:
            parts.append(" ")
            kept.append(offsets[start - 1])
        parts.append(m.group())
        kept.extend(offsets[start:end])
    return "".join(parts), kept


def make_block(kind: str, text: str, offsets: list[int], heading_path=(), level: int = 0, cell=None) -> Block | None:
    """A block with collapsed whitespace, or None when nothing but whitespace is left."""
    text, offsets = collapse(text, offsets)
    if not text:
        return None
    return Block(kind, text, offsets, tuple(heading_path), level, cell)
